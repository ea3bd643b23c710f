"""What each recipient may see of the state and of each event.

Every byte that leaves the server about a room passes through here: `welcome.state`, live
events, resumed events. A rule about secrecy (private notes, coach hints, undisclosed votes)
lives in this module and nowhere else.

Every recipient gets every `seq`: an event they may not see arrives as a `redacted`
placeholder with no content and no author, so `seq` stays gap-free on every client and a gap
always means a lost frame (see docs/protocol.md, "Differences from the contract").
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import asdict
from typing import Any

from .model import Actor, Event, Note, Participant, State, Timer

# Events that only the server itself needs (the room's birth); clients get them via `welcome`.
_INTERNAL = frozenset({"room.create"})
# Events only facilitators and coaches may see.
# (Who waits in the lobby, and who was turned away, is for them to decide.)
_STAFF_ONLY = frozenset({"coach.hint", "lobby.knock", "lobby.deny"})
# Events about a private note that change how many private notes its author has.
_COUNTED = frozenset({"note.create", "note.delete"})
# Dots: the voter learns their own; everyone learns totals only once votes are revealed, and
# never who gave them.
_VOTES = frozenset({"vote.cast", "vote.retract"})


def project_state(state: State, viewer: Actor, online: Iterable[str] = (), now: int = 0) -> dict[str, Any]:
    """The `welcome.state` for `viewer`; `now` (server ms) tells whether the timer has run out."""
    room = state.room
    online_ids = set(online)
    totals = state.vote_totals() if room.votes_revealed else None
    projected: dict[str, Any] = {
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
            "areas": [asdict(a) for a in room.areas],
            "spotlight": room.spotlight,
        },
        "timer": timer_view(state.timer, now),
        "notes": [
            _note_view(n, viewer, totals) for n in state.notes.values() if not n.hidden or n.author == viewer.id
        ],
        "clusters": [
            {"id": c.id, "title": c.title, "x": c.x, "y": c.y, "creator": c.creator,
             "votes": None if totals is None else totals.get(c.id, 0)}
            for c in state.clusters.values()
        ],
        "my_votes": dict(state.votes.get(viewer.id, {})),
        "participants": [participant_view(p, p.id in online_ids) for p in state.participants.values()],
    }
    if viewer.is_staff:
        counts: dict[str, int] = {}
        for note in state.notes.values():
            if note.hidden:
                counts[note.author] = counts.get(note.author, 0) + 1
        projected["hidden_counts"] = counts
        projected["hints"] = [asdict(h) for h in state.hints]
        projected["waiting"] = [{"id": p.id, "name": p.name, "department": p.department} for p in state.waiting.values()]
    return projected


def timer_view(timer: Timer, now: int) -> dict[str, Any]:
    """A running timer whose end has passed is `finished`; nothing else changes by itself."""
    view = asdict(timer)
    if timer.status == "running" and timer.ends_at is not None:
        view["remaining_ms"] = max(0, timer.ends_at - now)
        if timer.ends_at <= now:
            view["status"] = "finished"
    return view


def participant_view(p: Participant, online: bool) -> dict[str, Any]:
    return {"id": p.id, "name": p.name, "department": p.department, "role": p.role.value, "online": online}


def audience(event: Event, viewer: Actor) -> Hashable:
    """The class of recipients that get the same bytes for `event`; fan-out encodes once per class."""
    op, data = event.op, event.data
    if op in _INTERNAL:
        return "redacted"
    if op in _STAFF_ONLY:
        return "staff" if viewer.is_staff else "redacted"
    if op in _VOTES:
        if data.get("voter") == viewer.id:
            return "voter"
        return "all" if data.get("revealed") else "redacted"
    if data.get("hidden"):
        if data.get("author") == viewer.id:
            return "author"
        if viewer.is_staff and op in _COUNTED:
            return "count"
        return "redacted"
    if op == "note.create":
        return "author" if data.get("author") == viewer.id else "all"
    if op == "notes.reveal":
        # Authors get their own notes marked `mine`; everyone else shares one encoding.
        notes: list[dict[str, Any]] = data["notes"]  # type: ignore[assignment]
        return ("author", viewer.id) if any(n["author"] == viewer.id for n in notes) else "all"
    return "all"


def project_event(event: Event, viewer: Actor) -> dict[str, Any]:
    """The `event` frame for `viewer`: the event, a narrower version of it, or a placeholder."""
    cls = audience(event, viewer)
    op, data = event.op, event.data
    by: str | None = event.by
    if cls == "redacted":
        op, data, by = "redacted", {}, None
    elif cls == "count":
        op, data, by = "hidden.count", {"author": data["author"], "count": data["count"]}, None
    elif op in _VOTES:
        revealed = bool(data.get("revealed"))
        if cls == "voter":
            data = {"target": data["target"], "mine": data["mine"], "left": data["left"],
                    "total": data["total"] if revealed else None}
        else:
            data, by = {"target": data["target"], "total": data["total"]}, None
    elif op == "note.create":
        data = {**_without(data, "count"), "mine": cls == "author", "votes": None}
    elif op == "note.delete" and "count" in data:
        data = _without(data, "count")
    elif op == "notes.reveal":
        data = {"notes": [{**n, "mine": n["author"] == viewer.id, "votes": None} for n in data["notes"]],  # type: ignore[union-attr]
                "private_writing": False}
    return {"type": "event", "seq": event.seq, "op": op, "by": by, "at": event.at, "data": data}


def needs_snapshot(events: Iterable[Event], viewer: Actor) -> bool:
    """True when replaying `events` would not give `viewer` the right state: their own role
    changed in between, so earlier events were meant for someone who saw more, or less."""
    return any(e.op == "role.grant" and e.data.get("participant") == viewer.id for e in events)


def _without(data: dict[str, object], key: str) -> dict[str, object]:
    return {k: v for k, v in data.items() if k != key}


def _note_view(note: Note, viewer: Actor, totals: dict[str, int] | None) -> dict[str, Any]:
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
        "votes": None if totals is None else totals.get(note.id, 0),
    }
