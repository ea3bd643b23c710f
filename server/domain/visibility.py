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
from typing import Any, Literal

import msgspec

from . import events as ev
from . import layout
from .evaluation import answer_view, summarise
from .evolve import HINTS_KEPT
from .model import (
    BOARD_HEIGHT,
    BOARD_WIDTH,
    COLORS,
    NOTE_MIN_HEIGHT,
    NOTE_WIDTH,
    VOTE_ON,
    Actor,
    Event,
    Note,
    Participant,
    Round,
    State,
    Timer,
)
from .rules import ID_PATTERN, PERMISSION_OPS, TIMER_MIN_MS, Limits, every_note, permissions, photo_in_use  # noqa: F401

DEFAULT_LIMITS = Limits()

# Events that only the server itself needs (the room's birth); clients get them via `welcome`.
_INTERNAL = (ev.RoomCreated,)
# Events only facilitators and coaches may see.
# (Who waits in the lobby, and who was turned away, is for them to decide.)
# (Who waits in the lobby, and who was turned away, is for them to decide. What the
# facilitator's screen shows and the coach's debrief are coaching between the two.)
_STAFF_ONLY = (ev.CoachHinted, ev.LobbyKnocked, ev.LobbyDenied, ev.ViewShared, ev.DebriefWritten,
               # the report back is a draft until the results are published, and then it is
               # read on the results page (t14g)
               ev.ReportUpdated)
# Events about one note, which may be private (`hidden`) to its `author`.
_ABOUT_A_NOTE = (ev.NoteCreated, ev.NoteUpdated, ev.NoteMoved, ev.NoteDeleted, ev.NoteGrouped)
# Of those, the ones that change how many private notes the author has (staff see the count).
_COUNTED = (ev.NoteCreated, ev.NoteDeleted)
# Events after which each recipient gets their whole state again (another round's board, or a
# changed plan): their frames carry `data.state`, and a resume across one gets a snapshot.
_WHOLE_STATE = (ev.RoundsPlanned, ev.RoundSwitched, ev.RoundCarried)
WHOLE_STATE_OPS = frozenset(cls.OP for cls in _WHOLE_STATE)
# Dots (`ev.DotCast`, `ev.DotRetracted`): the voter learns their own; everyone learns totals
# only once votes are revealed, and never who gave them.


class SharedViews:
    """The parts of a projected state that many recipients share, encoded once: what a round
    switch (a whole state to every recipient at once) would otherwise build and encode again per
    recipient. Each note's view is encoded twice at most (as someone else's, and as the
    viewer's own, `mine: true`); a recipient's list is those pieces joined. For one `state` at
    one moment: make a new one per event."""

    def __init__(self, state: State, online: Iterable[str], limits: Limits) -> None:
        self.state = state
        room = state.room
        self.totals = state.vote_totals() if room.votes_revealed else None
        online_ids = set(online)
        self.participants = msgspec.Raw(_ENCODER.encode(
            [participant_view(p, p.id in online_ids) for p in state.participants.values()]))
        self.limits = msgspec.Raw(_ENCODER.encode(limits_view(limits)))
        self._theirs: dict[str, bytes] = {}
        self._mine: dict[str, bytes] = {}

    def notes_for(self, viewer: Actor) -> msgspec.Raw:
        parts: list[bytes] = []
        for note in self.state.notes.values():
            own = note.author == viewer.id
            if note.hidden and not own:
                continue
            cache = self._mine if own else self._theirs
            piece = cache.get(note.id)
            if piece is None:
                piece = cache[note.id] = _ENCODER.encode(_note_view(note, viewer, self.totals))
            parts.append(piece)
        return msgspec.Raw(b"[" + b",".join(parts) + b"]")


_ENCODER = msgspec.json.Encoder()


def project_state(
    state: State, viewer: Actor, online: Iterable[str] = (), now: int = 0, limits: Limits = DEFAULT_LIMITS,
    shared: SharedViews | None = None,
) -> dict[str, Any]:
    """The `welcome.state` for `viewer`; `now` (server ms) tells whether the timer has run out.
    With `shared` (made for this `state`, `online` and `limits`), the notes, participants and
    limits are pre-encoded pieces (`msgspec.Raw`) that encode to the same JSON."""
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
            "hear_from": list(room.hear_from),  # the groups to hear from (t14g): joiners pick one
            "rounds": [_round_view(state, r, viewer) for r in room.rounds],
            "round": room.round,
        },
        "timer": timer_view(state.timer, now),
        "notes": [
            _note_view(n, viewer, totals) for n in state.notes.values() if not n.hidden or n.author == viewer.id
        ] if shared is None else [],
        "clusters": [
            {"id": c.id, "title": c.title, "x": c.x, "y": c.y, "creator": c.creator,
             "votes": None if totals is None else totals.get(c.id, 0)}
            for c in state.clusters.values()
        ],
        "my_votes": dict(state.votes.get(viewer.id, {})),
        "participants": [participant_view(p, p.id in online_ids) for p in state.participants.values()]
        if shared is None else shared.participants,
        "limits": limits_view(limits) if shared is None else shared.limits,
        "can": permissions(state, viewer),
        "evaluation": evaluation_view(state, viewer),
    }
    if shared is not None:
        projected["notes"] = shared.notes_for(viewer)
    if viewer.is_staff:
        counts: dict[str, int] = {}
        for note in state.notes.values():
            if note.hidden:
                counts[note.author] = counts.get(note.author, 0) + 1
        projected["hidden_counts"] = counts
        projected["hints"] = [asdict(h) for h in state.hints]
        projected["report"] = asdict(state.report)
        if state.view is not None:  # absent until the facilitator first shares their view
            projected["view"] = asdict(state.view)
        if state.debrief is not None:
            projected["debrief"] = asdict(state.debrief)
        projected["waiting"] = [{"id": p.id, "name": p.name, "department": p.department} for p in state.waiting.values()]
    return projected


# How many of a round's items (groups and notes) its staff summary lists for the carry dialog.
SUMMARY_ITEMS = 30


def _round_view(state: State, round_: Round, viewer: Actor) -> dict[str, Any]:
    """A round of the plan; for staff with a `summary` of its board (for carrying items forward)."""
    view: dict[str, Any] = {
        "id": round_.id,
        "title": round_.title,
        "prompt": round_.prompt,
        "areas": [asdict(a) for a in round_.areas],
        "phases": [p.value for p in round_.phases],
        "timer_ms": round_.timer_ms,
    }
    if viewer.is_staff:
        # The active round's board is the state itself (and changes with every event), so
        # its summary is null: a client reads the live notes and groups for it.
        view["summary"] = None if round_.id == state.room.round else round_summary(state, round_.id)
    return view


def round_summary(state: State, round_id: str) -> dict[str, Any]:
    """What a round's board holds, as everyone may see it: how many notes and groups, and its
    items (groups, then notes) with their dots once that round's votes were revealed, most dots
    first. A round never entered has an empty board. Private notes are only counted."""
    board = state.board_of(round_id)
    entered = round_id == state.room.round or round_id in state.shelved
    visible = [n for n in board.notes.values() if not n.hidden]
    totals = board.vote_totals() if board.votes_revealed else None
    members: dict[str, int] = {}
    for n in visible:
        if n.cluster is not None:
            members[n.cluster] = members.get(n.cluster, 0) + 1
    items: list[dict[str, Any]] = [
        {"id": c.id, "kind": "group", "text": c.title, "color": None, "notes": members.get(c.id, 0),
         "cluster": None, "votes": None if totals is None else totals.get(c.id, 0)}
        for c in board.clusters.values()
    ] + [
        {"id": n.id, "kind": "note", "text": n.text or n.alt, "color": n.color, "notes": 1, "cluster": n.cluster,
         "votes": None if totals is None else totals.get(n.id, 0)}
        for n in visible
    ]
    if totals is not None:
        items.sort(key=lambda item: -item["votes"])  # stable: groups before notes on a tie
    return {
        "entered": entered,
        "phase": board.phase.value if entered else None,
        "notes": len(visible),
        "hidden": len(board.notes) - len(visible),
        "groups": len(board.clusters),
        "revealed": board.votes_revealed,
        "items": items[:SUMMARY_ITEMS],
    }


def limits_view(limits: Limits) -> dict[str, Any]:
    """Every limit and size the rules apply, so a client shows them instead of copying them.

    The room's own dot settings (dots per person, per idea, what takes dots) are in
    `room.settings`; `vote_budget` here is the most a facilitator may set.
    """
    return {
        **asdict(limits),
        "timer_min_ms": TIMER_MIN_MS,
        "board_width": BOARD_WIDTH,
        "board_height": BOARD_HEIGHT,
        "note_width": NOTE_WIDTH,
        "note_min_height": NOTE_MIN_HEIGHT,
        "colors": list(COLORS),
        "vote_on": list(VOTE_ON),
        "id_pattern": ID_PATTERN.pattern,
        "hints_kept": HINTS_KEPT,
        # a group's geometry as `layout` decides it: its header, padding, gap, columns
        "group_head": layout.GROUP_HEAD,
        "group_pad": layout.GROUP_PAD,
        "group_gap": layout.GROUP_GAP,
        "group_columns": layout.GROUP_COLUMNS,
    }


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


def evaluation_view(state: State, viewer: Actor) -> dict[str, Any]:
    """The closing evaluation as `viewer` may see it (t14e): whether it is open; for staff the
    `summary` (distributions, sorted text lines: never a person, never an order); for a
    participant their own answer (`mine`), so they can change it, and nobody else's."""
    if viewer.is_staff:
        return {"open": state.evaluation.open, "summary": summarise(state.evaluation).as_dict()}
    return {"open": state.evaluation.open, "mine": answer_view(state.evaluation.answers.get(viewer.id))}


def audience(event: Event, viewer: Actor) -> Hashable:
    """The class of recipients that get the same bytes for `event`; fan-out encodes once per class."""
    data = event.data
    if isinstance(data, _INTERNAL):
        return "redacted"
    if isinstance(data, _WHOLE_STATE):
        return ("state", viewer.id, viewer.role)  # each recipient's own state rides along
    if isinstance(data, ev.EvaluationAnswered):
        # The one who answered gets their answer back; staff get the new summary; nobody else
        # learns that anyone answered (see `evaluation`).
        if event.by == viewer.id:
            return "author"
        return "staff" if viewer.is_staff else "redacted"
    if isinstance(data, _STAFF_ONLY):
        return "staff" if viewer.is_staff else "redacted"
    if isinstance(data, ev.DotCast):  # and DotRetracted
        if data.voter == viewer.id:
            return "voter"
        return "all" if data.revealed else "redacted"
    if isinstance(data, _ABOUT_A_NOTE) and data.hidden:
        if data.author == viewer.id:
            return "author"
        if viewer.is_staff and isinstance(data, _COUNTED):
            return "count"
        return "redacted"
    if isinstance(data, ev.NoteCreated):
        return "author" if data.author == viewer.id else "all"
    if isinstance(data, ev.NotesRevealed):
        # Authors get their own notes marked `mine`; everyone else shares one encoding.
        return ("author", viewer.id) if any(n.author == viewer.id for n in data.notes) else "all"
    return "all"


def frame_class(event: Event, viewer: Actor) -> Hashable:
    """Like `audience`, but also apart by role where the frame carries `can` (see `project_event`)."""
    cls = audience(event, viewer)
    return (cls, viewer.role) if event.op in PERMISSION_OPS else cls


def project_event(
    event: Event, viewer: Actor, state: State | None = None,
    online: Iterable[str] = (), now: int | None = None, limits: Limits = DEFAULT_LIMITS,
    shared: SharedViews | None = None,
) -> dict[str, Any]:
    """The `event` frame for `viewer`: the event, a narrower version of it, or a placeholder.

    Given the `state` right after the event, a frame of an event that may change what people
    may do (`rules.PERMISSION_OPS`) carries the viewer's `can` too, and a frame of a rounds
    event (`rounds.planned`, `round.switched`, `round.carried`) the viewer's whole projected
    state as `data.state` (`online`, `now` and `limits` as for `project_state`; `now`
    defaults to the event's time; `shared`: see `SharedViews`).
    """
    cls = audience(event, viewer)
    op, by, data = event.op, event.by, event.data
    sent: dict[str, Any]
    if cls == "redacted":
        op, sent, by = "redacted", {}, None
    elif cls == "count":
        assert isinstance(data, _COUNTED)
        op, sent, by = "hidden.count", {"author": data.author, "count": data.count}, None
    elif isinstance(data, ev.DotCast):
        if cls == "voter":
            sent = {"target": data.target, "mine": data.mine, "left": data.left,
                    "total": data.total if data.revealed else None}
        else:
            sent, by = {"target": data.target, "total": data.total}, None
    elif isinstance(data, ev.NoteCreated):
        sent = {**_without(data.as_dict(), "count"), "mine": cls == "author", "votes": None}
    elif isinstance(data, ev.NoteDeleted):
        sent = _without(data.as_dict(), "count")
    elif isinstance(data, ev.EvaluationAnswered):
        # Never who answered, to anyone: not even to the author's own frame (it is theirs anyway).
        by = None
        if cls == "author":
            sent = {"mine": {"scores": dict(data.scores), "text": data.text}}
        else:
            sent = {"summary": None if state is None else summarise(state.evaluation).as_dict()}
    elif isinstance(data, ev.NotesRevealed):
        sent = {"notes": [{**msgspec.to_builtins(n), "mine": n.author == viewer.id, "votes": None} for n in data.notes],
                "private_writing": False}
    elif isinstance(data, _WHOLE_STATE):
        sent = data.as_dict()
        if state is not None:
            sent["state"] = project_state(state, viewer, online, event.at if now is None else now, limits, shared)
    else:
        sent = data.as_dict()
    frame = {"type": "event", "seq": event.seq, "op": op, "by": by, "at": event.at, "data": sent}
    if state is not None and event.op in PERMISSION_OPS:
        frame["can"] = permissions(state, viewer)
    return frame


# Why a resume across some events must get a whole state instead of those events.
SnapshotReason = Literal["role_change", "round_change", "evaluation"]


def snapshot_reason(events: Iterable[Event], viewer: Actor) -> SnapshotReason | None:
    """Why replaying `events` would not give `viewer` the right state, or None when it would:
    their own role changed in between, so earlier events were meant for someone who saw more,
    or less (`role_change`); the active round changed (or the plan), which replaces the whole
    board (`round_change`); or, for staff, an evaluation answer is in between: its frame carries
    the summary as of right after it, which only the state at that point could give
    (`evaluation`, t14e). With several, the first in that order."""
    found: set[SnapshotReason] = set()
    for e in events:
        if isinstance(e.data, ev.RoleGranted) and e.data.participant == viewer.id:
            return "role_change"
        if isinstance(e.data, _WHOLE_STATE):
            found.add("round_change")
        elif viewer.is_staff and isinstance(e.data, ev.EvaluationAnswered):
            found.add("evaluation")
    return "round_change" if "round_change" in found else "evaluation" if found else None


def needs_snapshot(events: Iterable[Event], viewer: Actor) -> bool:
    """Whether a resume across `events` must get a whole state (`snapshot_reason` says why)."""
    return snapshot_reason(events, viewer) is not None


def _without(data: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != key}


def photo_visible(state: State, photo_id: str, viewer: str | None) -> bool:
    """Whether the photo `photo_id` may be shown to `viewer` (a participant id; None for someone
    who proved nothing, such as a reader of the published results): it belongs to a note that
    still exists and that they may see — any note anyone can see, or their own private one.
    An uploaded photo no note uses yet, a deleted note's photo, and someone else's photo during
    private writing are shown to nobody, exactly as the note itself would not be."""
    return any(
        n.photo == photo_id and (not n.hidden or (viewer is not None and n.author == viewer))
        for n in every_note(state)
    )


def _note_view(note: Note, viewer: Actor, totals: dict[str, int] | None) -> dict[str, Any]:
    if note.photo is not None:
        return {**_plain_note_view(note, viewer, totals), "photo": note.photo, "alt": note.alt}
    return _plain_note_view(note, viewer, totals)


def _plain_note_view(note: Note, viewer: Actor, totals: dict[str, int] | None) -> dict[str, Any]:
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
