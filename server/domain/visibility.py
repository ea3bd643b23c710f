"""What each recipient may see of the state and of each event.

Every byte that leaves the server about a room passes through here: `welcome.state`,
live events, resumed events. A rule about secrecy (hidden notes, undisclosed votes, hints)
lives in this module and nowhere else.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import asdict
from typing import Any

from .model import Actor, Event, Note, Participant, State

# Events that change what a recipient may see of *earlier* events. A resume whose range holds
# one of these gets a fresh snapshot instead of the events (see docs/protocol.md).
_VISIBILITY_CHANGING = frozenset({"notes.reveal", "votes.reveal", "votes.reset", "role.grant"})

# Events that only the server itself needs (the room's birth); clients get them via `welcome`.
_INTERNAL = frozenset({"room.create"})


def project_state(state: State, viewer: Actor, online: Iterable[str] = ()) -> dict[str, Any]:
    """The `welcome.state` for `viewer`."""
    room = state.room
    online_ids = set(online)
    return {
        "room": {
            "code": room.code,
            "title": room.title,
            "language": room.language,
            "template": room.template,
            "prompt": room.prompt,
            "phase": room.phase.value,
            "locked": room.locked,
            "settings": asdict(room.settings),
            "revealed": {"votes": room.votes_revealed},
            "results_published": room.results_published,
        },
        "timer": asdict(state.timer),
        "notes": [
            _note_view(note, viewer) for note in state.notes.values() if _may_see_note(note, viewer)
        ],
        "clusters": [],
        "my_votes": {},
        "participants": [
            participant_view(p, p.id in online_ids) for p in state.participants.values()
        ],
    }


def participant_view(p: Participant, online: bool) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "department": p.department,
        "role": p.role.value,
        "online": online,
    }


def audience(event: Event, viewer: Actor) -> Hashable | None:
    """The class of recipients that get the same projection of `event`; None for nobody.

    Fan-out serialises an event once per class instead of once per recipient.
    """
    if event.op in _INTERNAL:
        return None
    if event.data.get("hidden"):
        return ("author",) if event.data.get("author") == viewer.id else None
    if event.op == "note.create":
        # `mine` differs between the author and everyone else.
        return ("author",) if event.data.get("author") == viewer.id else ("all",)
    return ("all",)


def project_event(event: Event, viewer: Actor) -> dict[str, Any] | None:
    """The `event` frame for `viewer`, or None when `viewer` may not learn of it."""
    cls = audience(event, viewer)
    if cls is None:
        return None
    data = event.data
    if event.op == "note.create":
        data = {**data, "mine": cls == ("author",), "votes": None}
    return {
        "type": "event",
        "seq": event.seq,
        "op": event.op,
        "by": event.by,
        "at": event.at,
        "data": data,
    }


def needs_snapshot(events: Iterable[Event], viewer: Actor) -> bool:
    """True when replaying `events` one by one would not give `viewer` the right state."""
    return any(e.op in _VISIBILITY_CHANGING for e in events)


def _may_see_note(note: Note, viewer: Actor) -> bool:
    return not note.hidden or note.author == viewer.id


def _note_view(note: Note, viewer: Actor) -> dict[str, Any]:
    return {
        "id": note.id,
        "text": note.text,
        "color": note.color,
        "x": note.x,
        "y": note.y,
        "cluster": note.cluster,
        "author": note.author,
        "mine": note.author == viewer.id,
        "hidden": note.hidden,
        "votes": None,
    }
