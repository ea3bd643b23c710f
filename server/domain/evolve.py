"""Apply a durable event to a state. Deterministic: every replica that applies the same events
in `seq` order holds the same state."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .model import (
    BOARD_HEIGHT,
    BOARD_WIDTH,
    Area,
    Cluster,
    Event,
    Hint,
    Note,
    Participant,
    Phase,
    Role,
    RoomInfo,
    Settings,
    State,
    Timer,
)


def initial_state(event: Event) -> State:
    """The state right after `room.create` (always seq 1)."""
    if event.op != "room.create":
        raise ValueError(f"Expected the first event to be 'room.create', got {event.op!r}")
    d = event.data
    room = RoomInfo(
        code=str(d["code"]),
        title=str(d["title"]),
        language=str(d["language"]),
        template=str(d.get("template") or "blank"),
        prompt=str(d.get("prompt") or ""),
        areas=[Area(**a) for a in d.get("areas") or []],  # type: ignore[arg-type]
    )
    return State(seq=event.seq, room=room)


def apply_event(state: State, event: Event) -> None:
    """Advance `state` by one event; the event must be the next `seq`."""
    if event.seq != state.seq + 1:
        raise ValueError(f"Expected event seq {state.seq + 1}, got {event.seq}")
    _APPLY[event.op](state, event.data)
    state.seq = event.seq


def _participant_join(state: State, d: dict[str, Any]) -> None:
    pid = d["id"]
    state.waiting.pop(pid, None)  # a key holder walks past the lobby
    state.participants[pid] = Participant(
        id=pid, name=d["name"], department=d["department"], role=Role(d["role"])
    )


def _lobby_knock(state: State, d: dict[str, Any]) -> None:
    state.waiting[d["id"]] = Participant(id=d["id"], name=d["name"], department=d["department"])


def _lobby_deny(state: State, d: dict[str, Any]) -> None:
    state.waiting.pop(d["participant"], None)
    state.removed.add(d["participant"])


def _participant_remove(state: State, d: dict[str, Any]) -> None:
    """Their notes, groups and dots stay; their place in the room and their token do not."""
    state.participants.pop(d["participant"], None)
    state.removed.add(d["participant"])


def _note_create(state: State, d: dict[str, Any]) -> None:
    state.notes[d["id"]] = Note(
        id=d["id"],
        text=d["text"],
        color=d["color"],
        x=d["x"],
        y=d["y"],
        author=d["author"],
        cluster=d.get("cluster"),
        hidden=bool(d.get("hidden", False)),
    )


def _note_update(state: State, d: dict[str, Any]) -> None:
    note = state.notes[d["id"]]
    if "text" in d:
        note.text = d["text"]
    if "color" in d:
        note.color = d["color"]


def _note_move(state: State, d: dict[str, Any]) -> None:
    note = state.notes[d["id"]]
    note.x, note.y = d["x"], d["y"]


def _note_delete(state: State, d: dict[str, Any]) -> None:
    del state.notes[d["id"]]
    _forget_target(state, d["id"])


def _forget_target(state: State, target: str) -> None:
    """A note or cluster is gone: its dots go back to their voters, the spotlight moves off it."""
    for mine in state.votes.values():
        mine.pop(target, None)
    if state.room.spotlight == target:
        state.room.spotlight = None


def _note_group(state: State, d: dict[str, Any]) -> None:
    state.notes[d["id"]].cluster = d["cluster"]


def _cluster_create(state: State, d: dict[str, Any]) -> None:
    state.clusters[d["id"]] = Cluster(id=d["id"], title=d["title"], x=d["x"], y=d["y"], creator=d["creator"])


def _cluster_update(state: State, d: dict[str, Any]) -> None:
    cluster = state.clusters[d["id"]]
    if "title" in d:
        cluster.title = d["title"]
    if "x" in d:
        dx, dy = d["dx"], d["dy"]
        cluster.x, cluster.y = d["x"], d["y"]
        for note in state.notes.values():
            if note.cluster == cluster.id:
                note.x = min(max(note.x + dx, 0.0), float(BOARD_WIDTH))
                note.y = min(max(note.y + dy, 0.0), float(BOARD_HEIGHT))


def _cluster_delete(state: State, d: dict[str, Any]) -> None:
    del state.clusters[d["id"]]
    for note in state.notes.values():
        if note.cluster == d["id"]:
            note.cluster = None
    _forget_target(state, d["id"])


def _cluster_merge(state: State, d: dict[str, Any]) -> None:
    for note in state.notes.values():
        if note.cluster == d["id"]:
            note.cluster = d["into"]
    del state.clusters[d["id"]]
    _forget_target(state, d["id"])


def _vote(state: State, d: dict[str, Any]) -> None:
    mine = state.votes.setdefault(d["voter"], {})
    if d["mine"]:
        mine[d["target"]] = d["mine"]
    else:
        mine.pop(d["target"], None)


def _votes_reveal(state: State, d: dict[str, Any]) -> None:
    state.room.votes_revealed = True


def _votes_reset(state: State, d: dict[str, Any]) -> None:
    state.votes.clear()
    state.room.votes_revealed = False


def _results_publish(state: State, d: dict[str, Any]) -> None:
    state.room.results_published = d["published"]


def _phase_set(state: State, d: dict[str, Any]) -> None:
    state.room.phase = Phase(d["phase"])


def _room_update(state: State, d: dict[str, Any]) -> None:
    room = state.room
    if "title" in d:
        room.title = d["title"]
    if "prompt" in d:
        room.prompt = d["prompt"]
    if "locked" in d:
        room.locked = d["locked"]
    if "settings" in d:
        room.settings = Settings(**d["settings"])
    for admitted in d.get("admitted", ()):
        _participant_join(state, admitted)


def _notes_reveal(state: State, d: dict[str, Any]) -> None:
    state.room.settings.private_writing = False
    for revealed in d["notes"]:
        note = state.notes.get(revealed["id"])
        if note is not None:
            note.hidden = False


def _timer(state: State, d: dict[str, Any]) -> None:
    state.timer = Timer(**d["timer"])


def _role_grant(state: State, d: dict[str, Any]) -> None:
    state.participants[d["participant"]].role = Role(d["role"])


def _coach_hint(state: State, d: dict[str, Any]) -> None:
    state.hints.append(Hint(id=d["id"], text=d["text"], by=d["by"], at=d["at"]))
    del state.hints[:-HINTS_KEPT]


def _spotlight(state: State, d: dict[str, Any]) -> None:
    state.room.spotlight = d["target"]


HINTS_KEPT = 200

_APPLY: dict[str, Callable[[State, dict[str, Any]], None]] = {
    "participant.join": _participant_join,
    "lobby.knock": _lobby_knock,
    "lobby.admit": _participant_join,
    "lobby.deny": _lobby_deny,
    "participant.remove": _participant_remove,
    "note.create": _note_create,
    "note.update": _note_update,
    "note.move": _note_move,
    "note.delete": _note_delete,
    "phase.set": _phase_set,
    "room.update": _room_update,
    "notes.reveal": _notes_reveal,
    "timer.start": _timer,
    "timer.pause": _timer,
    "timer.resume": _timer,
    "timer.reset": _timer,
    "timer.add": _timer,
    "role.grant": _role_grant,
    "coach.hint": _coach_hint,
    "spotlight": _spotlight,
    "note.group": _note_group,
    "cluster.create": _cluster_create,
    "cluster.update": _cluster_update,
    "cluster.delete": _cluster_delete,
    "cluster.merge": _cluster_merge,
    "vote.cast": _vote,
    "vote.retract": _vote,
    "votes.reveal": _votes_reveal,
    "votes.reset": _votes_reset,
    "results.publish": _results_publish,
    "room.delete": lambda state, d: None,  # the store forgets the room; nothing to apply
}
