"""Who may do what: a command against the current state becomes event data or a refusal.

`decide` never mutates the state; `evolve.apply_event` does that once the event is durable.
Time is passed in (`now`, milliseconds); nothing here reads a clock or touches I/O.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from .commands import Command, NoteCreate, NoteDelete, NoteMove, NoteUpdate
from .model import (
    BOARD_HEIGHT,
    BOARD_WIDTH,
    COLORS,
    LANGUAGES,
    Actor,
    Participant,
    Role,
    State,
)

ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,40}")


@dataclass(frozen=True, slots=True)
class Limits:
    """Sizes the rules enforce; configurable per deployment (see `server.config`)."""

    note_text: int = 500
    notes_per_room: int = 2000
    participants_per_room: int = 300
    name: int = 40
    department: int = 60
    title: int = 120


@dataclass(frozen=True, slots=True)
class Accepted:
    op: str
    data: dict[str, object]


@dataclass(frozen=True, slots=True)
class Refused:
    """A stable machine-readable `code`; `params` fill the human message in `server.i18n`."""

    code: str
    params: dict[str, object] = field(default_factory=dict)


Decision = Accepted | Refused


def new_room(code: str, title: str, language: str, template: str, limits: Limits) -> Decision:
    """The first event of every room (seq 1)."""
    title = title.strip()
    if not title:
        return Refused("invalid", {"field": "title"})
    if len(title) > limits.title:
        return Refused("too_long", {"field": "title", "max": limits.title})
    if language not in LANGUAGES:
        return Refused("invalid", {"field": "language"})
    return Accepted(
        "room.create",
        {"code": code, "title": title, "language": language, "template": template or "blank"},
    )


def join(state: State, pid: str, name: str, department: str, role: Role, limits: Limits) -> Decision | None:
    """A participant says who they are; None when nothing changed (a plain reconnect)."""
    name, department = name.strip(), department.strip()
    if not name:
        return Refused("invalid", {"field": "name"})
    if len(name) > limits.name:
        return Refused("too_long", {"field": "name", "max": limits.name})
    if len(department) > limits.department:
        return Refused("too_long", {"field": "department", "max": limits.department})
    known = state.participants.get(pid)
    if known is None and len(state.participants) >= limits.participants_per_room:
        return Refused("room_full", {"max": limits.participants_per_room})
    if known is not None:
        # A key can raise a role for this connection, and a granted role is never lowered by
        # reconnecting without the key.
        role = max(role, known.role, key=_ROLE_RANK.__getitem__)
        if (known.name, known.department, known.role) == (name, department, role):
            return None
    return Accepted(
        "participant.join",
        {"id": pid, "name": name, "department": department, "role": role.value},
    )


_ROLE_RANK = {Role.PARTICIPANT: 0, Role.COACH: 1, Role.FACILITATOR: 2}


def decide(state: State, actor: Actor, command: Command, now: int, limits: Limits) -> Decision:
    """Check one command from `actor` against `state`."""
    if actor.id not in state.participants:
        return Refused("forbidden")
    handler = _HANDLERS[type(command)]
    return handler(state, actor, command, limits)


def _note_create(state: State, actor: Actor, cmd: NoteCreate, limits: Limits) -> Decision:
    if not ID_PATTERN.fullmatch(cmd.id):
        return Refused("invalid", {"field": "id"})
    if cmd.id in state.notes:
        return Refused("exists", {"id": cmd.id})
    if len(state.notes) >= limits.notes_per_room:
        return Refused("limit", {"max": limits.notes_per_room})
    problem = _check_text(cmd.text, limits) or _check_color(cmd.color) or _check_point(cmd.x, cmd.y)
    if problem:
        return problem
    return Accepted(
        "note.create",
        {
            "id": cmd.id,
            "text": cmd.text,
            "color": cmd.color,
            "x": float(cmd.x),
            "y": float(cmd.y),
            "cluster": None,
            "author": actor.id,
        },
    )


def _note_update(state: State, actor: Actor, cmd: NoteUpdate, limits: Limits) -> Decision:
    note = state.notes.get(cmd.id)
    if note is None:
        return Refused("not_found", {"id": cmd.id})
    if note.author != actor.id and not actor.is_facilitator:
        return Refused("forbidden")
    data: dict[str, object] = {"id": cmd.id}
    if cmd.text is not None:
        problem = _check_text(cmd.text, limits)
        if problem:
            return problem
        data["text"] = cmd.text
    if cmd.color is not None:
        problem = _check_color(cmd.color)
        if problem:
            return problem
        data["color"] = cmd.color
    if len(data) == 1:
        return Refused("invalid", {"field": "text"})
    return Accepted("note.update", data)


def _note_move(state: State, actor: Actor, cmd: NoteMove, limits: Limits) -> Decision:
    if cmd.id not in state.notes:
        return Refused("not_found", {"id": cmd.id})
    problem = _check_point(cmd.x, cmd.y)
    if problem:
        return problem
    return Accepted("note.move", {"id": cmd.id, "x": float(cmd.x), "y": float(cmd.y)})


def _note_delete(state: State, actor: Actor, cmd: NoteDelete, limits: Limits) -> Decision:
    note = state.notes.get(cmd.id)
    if note is None:
        return Refused("not_found", {"id": cmd.id})
    if note.author != actor.id and not actor.is_facilitator:
        return Refused("forbidden")
    return Accepted("note.delete", {"id": cmd.id})


_HANDLERS = {
    NoteCreate: _note_create,
    NoteUpdate: _note_update,
    NoteMove: _note_move,
    NoteDelete: _note_delete,
}


def _check_text(text: str, limits: Limits) -> Refused | None:
    if not text.strip():
        return Refused("invalid", {"field": "text"})
    if len(text) > limits.note_text:
        return Refused("too_long", {"field": "text", "max": limits.note_text})
    return None


def _check_color(color: str) -> Refused | None:
    return None if color in COLORS else Refused("invalid", {"field": "color"})


def _check_point(x: float, y: float) -> Refused | None:
    if not (math.isfinite(x) and math.isfinite(y)):
        return Refused("invalid", {"field": "position"})
    if not (0 <= x <= BOARD_WIDTH and 0 <= y <= BOARD_HEIGHT):
        return Refused("invalid", {"field": "position"})
    return None


__all__ = [
    "Accepted",
    "Decision",
    "Limits",
    "Participant",
    "Refused",
    "decide",
    "join",
    "new_room",
]
