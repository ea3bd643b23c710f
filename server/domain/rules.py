"""Who may do what: a command against the current state becomes event data or a refusal.

`decide` never mutates the state; `evolve.apply_event` does that once the event is durable.
Time is passed in (`now`, milliseconds); nothing here reads a clock or touches I/O.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import msgspec

from . import events as ev
from .commands import (
    OP_NAMES,
    BoardTidy,
    BoardUndo,
    ClusterCreate,
    ClusterDelete,
    ClusterMerge,
    ClusterUpdate,
    CoachDebrief,
    CoachHint,
    Command,
    LobbyAdmit,
    LobbyDeny,
    NoteCreate,
    NoteDelete,
    NoteGroup,
    NoteMove,
    NotesReveal,
    NoteUpdate,
    ParticipantRemove,
    PhaseSet,
    ResultsPublish,
    RoleGrant,
    RoundCarry,
    RoundGo,
    RoundPlan,
    RoundsPlan,
    RoomDelete,
    RoomUpdate,
    Spotlight,
    TimerAdd,
    TimerPause,
    TimerReset,
    TimerResume,
    TimerStart,
    VoteCast,
    VoteRetract,
    VotesReset,
    VotesReveal,
    ViewShare,
)
from .commands import HearFromSet, ReportUpdate
from .commands import EvaluationAnswer, EvaluationClose, EvaluationOpen
from .errors import ErrorCode, What
from .layout import Board, NoteBox, Placement, columns, group_slots, note_height
from .model import (
    BOARD_HEIGHT,
    BOARD_WIDTH,
    COLORS,
    LANGUAGES,
    VOTE_ON,
    ROUND_PHASES,
    Actor,
    Area,
    Note,
    Participant,
    Phase,
    Role,
    Round,
    State,
    Timer,
)
from .reach import clean_groups
from .report import idea_label
from .templates import TEMPLATES, round_title

ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,40}")
TIMER_MIN_MS = 1000
PHOTO_ALT_MAX = 300  # a photo note's text alternative: a sentence or two, like the note's own text


@dataclass(frozen=True, slots=True)
class Limits:
    """Sizes the rules enforce; configurable per deployment (see `server.config`)."""

    note_text: int = 500
    notes_per_room: int = 2000
    participants_per_room: int = 300
    name: int = 40
    department: int = 60
    title: int = 120
    prompt: int = 500
    hint: int = 500
    vote_budget: int = 50
    clusters_per_room: int = 300
    cluster_title: int = 80
    # An area's title: long enough for a note carried in as an area (`round.carry`), whole, so
    # the need people work on in the next round is the one that was written (walkthrough 4).
    area_title: int = 500
    timer_ms: int = 4 * 3600 * 1000
    # Who took part and report back (t14g). A group's name is a department (`department`).
    hear_from_groups: int = 20
    report_text: int = 4000
    report_hear_back: int = 200
    report_owner: int = 80
    report_owners: int = 50
    debrief: int = 2000
    evaluation_text: int = 300  # the evaluation's one line of text (t14e)
    rounds_per_room: int = 12
    areas_per_round: int = 8
    carry_items: int = 50  # items brought forward in one `round.carry`


@dataclass(frozen=True, slots=True)
class Accepted:
    """The event an op becomes: `data` is the type of `op` (a dict given here is converted)."""

    op: str
    data: ev.EventData

    def __post_init__(self) -> None:
        object.__setattr__(self, "data", ev.event_data(self.op, self.data))


@dataclass(frozen=True, slots=True)
class Refused:
    """A stable machine-readable `code`; `params` fill the human message in `server.i18n`."""

    code: ErrorCode
    params: dict[str, object] = field(default_factory=dict)
    # Which kind of thing a not_found / exists / limit is about; it picks the message and is
    # not part of the refusal's identity (a refusal is the same whichever words explain it).
    what: What | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if type(self.code) is not ErrorCode:
            object.__setattr__(self, "code", ErrorCode(self.code))  # an unknown code fails here, loudly

    @property
    def detail(self) -> dict[str, object]:
        """`params` and `what`: what the error frame and its message are filled from."""
        return self.params if self.what is None else {**self.params, "what": self.what.value}


Decision = Accepted | Refused


def new_room(
    code: str, title: str, language: str, template: str, limits: Limits, hear_from: Sequence[str] = ()
) -> Decision:
    """The first event of every room (seq 1); `hear_from`: the groups the facilitator wants to
    hear from (see `reach`), cleaned and checked as `hear_from.set` does."""
    title = title.strip()
    if not title:
        return Refused("invalid", {"field": "title"})
    if len(title) > limits.title:
        return Refused("too_long", {"field": "title", "max": limits.title})
    if language not in LANGUAGES:
        return Refused("invalid", {"field": "language"})
    chosen = TEMPLATES.get(template or "blank")
    if chosen is None:
        return Refused("invalid", {"field": "template"})
    groups = check_hear_from(hear_from, limits)
    if isinstance(groups, Refused):
        return groups
    rounds = chosen.plan(language)
    first = rounds[0]
    created = ev.RoomCreated(code, title, language, template or "blank", first.prompt, list(first.areas), rounds=rounds)
    if groups:
        created = msgspec.structs.replace(created, hear_from=groups)
    return Accepted("room.create", created)


def join(state: State, pid: str, name: str, department: str, role: Role, limits: Limits) -> Decision | None:
    """A participant says who they are; None when nothing changed (a plain reconnect). With the
    lobby on, someone new without a key knocks (`lobby.knock`) instead of joining."""
    if pid in state.removed:
        return Refused("removed")
    name, department = name.strip(), department.strip()
    if not name:
        return Refused("invalid", {"field": "name"})
    if len(name) > limits.name:
        return Refused("too_long", {"field": "name", "max": limits.name})
    if len(department) > limits.department:
        return Refused("too_long", {"field": "department", "max": limits.department})
    known = state.participants.get(pid)
    if known is None and role is Role.PARTICIPANT and state.room.settings.lobby:
        waiting = state.waiting.get(pid)
        if waiting is not None and (waiting.name, waiting.department) == (name, department):
            return None
        if waiting is None and len(state.waiting) >= limits.participants_per_room:
            return Refused("room_full", {"max": limits.participants_per_room})
        return Accepted("lobby.knock", ev.LobbyKnocked(pid, name, department))
    if known is None and len(state.participants) >= limits.participants_per_room:
        return Refused("room_full", {"max": limits.participants_per_room})
    if known is not None:
        # A key can raise a role for this connection, and a granted role is never lowered by
        # reconnecting without the key.
        role = max(role, known.role, key=_ROLE_RANK.__getitem__)
        if (known.name, known.department, known.role) == (name, department, role):
            return None
    return Accepted("participant.join", ev.ParticipantJoined(pid, name, department, role.value))


_ROLE_RANK = {Role.PARTICIPANT: 0, Role.COACH: 1, Role.FACILITATOR: 2}


# Phases in which participants and coaches may change the board; facilitators always may.
BOARD_PHASES = frozenset({Phase.WRITE, Phase.CLUSTER})


def decide(state: State, actor: Actor, command: Command, now: int, limits: Limits) -> Decision:
    """Check one command from `actor` against `state`."""
    if actor.id not in state.participants:
        return Refused("forbidden")
    handler = _HANDLERS[type(command)]
    return handler(state, actor, command, now, limits)


def _board_closed(state: State, actor: Actor) -> Refused | None:
    """Why `actor` may not change the board now, if they may not."""
    if actor.is_facilitator:
        return None
    if state.room.locked:
        return Refused("locked")
    if state.room.phase not in BOARD_PHASES:
        return Refused("phase", {"phase": state.room.phase.value})
    return None


def _facilitators_only(actor: Actor) -> Refused | None:
    return None if actor.is_facilitator else Refused("forbidden")


def _visible_note(state: State, actor: Actor, note_id: str) -> Note | Refused:
    """The note, unless it does not exist or is someone else's private note (which, to them,
    does not exist: even its existence is not confirmed)."""
    note = state.notes.get(note_id)
    if note is None or (note.hidden and note.author != actor.id):
        return Refused("not_found", {"id": note_id}, What.NOTE)
    return note


def _hidden_count(state: State, author: str) -> int:
    return sum(1 for n in state.notes.values() if n.hidden and n.author == author)


def _private_stamp(note: Note) -> dict[str, Any]:
    """What an event about a private note must carry so `visibility` can route it."""
    return {"hidden": True, "author": note.author} if note.hidden else {}


def _may_add(state: State, actor: Actor, new_id: str, count: int, limit: int, what: What) -> Refused | None:
    """Why `actor` may not add a note or group with `new_id` now. Notes and groups share one
    id space, since a dot's target may be either."""
    closed = _board_closed(state, actor)
    if closed:
        return closed
    if not ID_PATTERN.fullmatch(new_id):
        return Refused("invalid", {"field": "id"})
    taken = state.notes.get(new_id)
    if taken is not None and taken.hidden and taken.author != actor.id:
        # Someone else's private note does not exist for `actor` (see `_visible_note`): the id
        # is refused as every other op refuses it, never as `exists`, which would confirm it.
        return Refused("not_found", {"id": new_id})
    if new_id in state.notes or new_id in state.clusters:
        return Refused("exists", {"id": new_id}, What.NOTE if new_id in state.notes else What.GROUP)
    if count >= limit:
        return Refused("limit", {"max": limit}, what)
    return None


def _note_create(state: State, actor: Actor, cmd: NoteCreate, now: int, limits: Limits) -> Decision:
    refused = _may_add(state, actor, cmd.id, len(state.notes), limits.notes_per_room, What.NOTE)
    if refused:
        return refused
    problem = (_check_photo(state, cmd, limits) or _check_text(cmd.text, limits, required=cmd.photo is None)
               or _check_color(cmd.color) or _check_point(cmd.x, cmd.y))
    if problem:
        return problem
    photo: dict[str, Any] = {"photo": cmd.photo, "alt": (cmd.alt or "").strip()} if cmd.photo is not None else {}
    private: dict[str, Any] = {}
    if state.room.settings.private_writing and not actor.is_facilitator:
        # A facilitator's notes (examples, instructions) stay visible during silent writing.
        private = {"hidden": True, "count": _hidden_count(state, actor.id) + 1}
    # The client's point is a wish (where its author is looking); the place is the free one
    # nearest to it among what the author can see, so it tells nobody about private notes.
    board = Board.of(state, actor.id)
    board.notes[cmd.id] = NoteBox(float(cmd.x), float(cmd.y), note_height(cmd.text, cmd.photo is not None), None, True)
    x, y = board.place_note(cmd.id, (float(cmd.x), float(cmd.y)))
    created = ev.NoteCreated(cmd.id, cmd.text, cmd.color, x, y, None, actor.id, **private, **photo)
    return Accepted("note.create", created)


def _note_update(state: State, actor: Actor, cmd: NoteUpdate, now: int, limits: Limits) -> Decision:
    note = _visible_note(state, actor, cmd.id)
    if isinstance(note, Refused):
        return note
    if note.author != actor.id and not actor.is_facilitator:
        return Refused("forbidden")
    closed = _board_closed(state, actor)
    if closed:
        return closed
    if cmd.text is not None:
        problem = _check_text(cmd.text, limits, required=note.photo is None)
        if problem:
            return problem
    if cmd.color is not None:
        problem = _check_color(cmd.color)
        if problem:
            return problem
    if cmd.text is None and cmd.color is None:
        return Refused("invalid", {"field": "text"})
    return Accepted("note.update", ev.NoteUpdated(cmd.id, **_private_stamp(note), text=cmd.text, color=cmd.color))


def _note_move(state: State, actor: Actor, cmd: NoteMove, now: int, limits: Limits) -> Decision:
    note = _visible_note(state, actor, cmd.id)
    if isinstance(note, Refused):
        return note
    closed = _board_closed(state, actor)
    if closed:
        return closed
    problem = _check_point(cmd.x, cmd.y)
    if problem:
        return problem
    x, y = float(cmd.x), float(cmd.y)
    if note.cluster is None:
        # A loose note lands on the free place nearest the drop, never on a note or a group.
        x, y = Board.of(state, actor.id).place_note(cmd.id, (x, y))
    return Accepted("note.move", ev.NoteMoved(cmd.id, x, y, **_private_stamp(note)))


def _note_delete(state: State, actor: Actor, cmd: NoteDelete, now: int, limits: Limits) -> Decision:
    note = _visible_note(state, actor, cmd.id)
    if isinstance(note, Refused):
        return note
    if note.author != actor.id and not actor.is_facilitator:
        return Refused("forbidden")
    closed = _board_closed(state, actor)
    if closed:
        return closed
    count = _hidden_count(state, note.author) - 1 if note.hidden else None
    return Accepted("note.delete", ev.NoteDeleted(cmd.id, **_private_stamp(note), count=count))


def _phase_set(state: State, actor: Actor, cmd: PhaseSet, now: int, limits: Limits) -> Decision:
    refused = _facilitators_only(actor)
    if refused:
        return refused
    if cmd.phase not in {p.value for p in Phase}:
        return Refused("invalid", {"field": "phase"})
    timer = state.timer
    ran_out = timer.status == "finished" or (timer.status == "running" and timer.ends_at is not None and timer.ends_at <= now)
    if ran_out and cmd.phase != state.room.phase.value:
        rewound = Timer("idle", timer.duration_ms, timer.duration_ms, None)
        return Accepted("phase.set", ev.PhaseChanged(cmd.phase, timer=_timer_data(rewound)))
    return Accepted("phase.set", ev.PhaseChanged(cmd.phase))


def _room_update(state: State, actor: Actor, cmd: RoomUpdate, now: int, limits: Limits) -> Decision:
    refused = _facilitators_only(actor)
    if refused:
        return refused
    data: dict[str, Any] = {}
    if cmd.title is not None:
        title = cmd.title.strip()
        if not title:
            return Refused("invalid", {"field": "title"})
        if len(title) > limits.title:
            return Refused("too_long", {"field": "title", "max": limits.title})
        data["title"] = title
    if cmd.prompt is not None:
        if len(cmd.prompt) > limits.prompt:
            return Refused("too_long", {"field": "prompt", "max": limits.prompt})
        data["prompt"] = cmd.prompt.strip()
    if cmd.locked is not None:
        data["locked"] = cmd.locked
    if cmd.settings is not None:
        current = state.room.settings
        patch = cmd.settings
        budget = current.vote_budget if patch.vote_budget is None else patch.vote_budget
        per_target = (
            current.max_votes_per_target if patch.max_votes_per_target is None else patch.max_votes_per_target
        )
        if not 1 <= budget <= limits.vote_budget:
            return Refused("invalid", {"field": "vote_budget"})
        if not 1 <= per_target <= budget:
            return Refused("invalid", {"field": "max_votes_per_target"})
        private = current.private_writing if patch.private_writing is None else patch.private_writing
        vote_on = current.vote_on if patch.vote_on is None else patch.vote_on
        if vote_on not in VOTE_ON:
            return Refused("invalid", {"field": "vote_on"})
        lobby = current.lobby if patch.lobby is None else patch.lobby
        data["settings"] = ev.SettingsData(budget, per_target, private, vote_on, lobby)
        if current.lobby and not lobby:
            # Turning the lobby off lets in whoever is waiting, as far as the room has places.
            places = max(0, limits.participants_per_room - len(state.participants))
            data["admitted"] = [_admission(p) for p in list(state.waiting.values())[:places]]
    if not data:
        return Refused("invalid", {"field": "settings"})
    return Accepted("room.update", ev.RoomUpdated(**data))


def _notes_reveal(state: State, actor: Actor, cmd: NotesReveal, now: int, limits: Limits) -> Decision:
    refused = _facilitators_only(actor)
    if refused:
        return refused
    # The event carries the revealed notes whole, so every recipient (and every later resume)
    # learns them from the event itself, as they were at the moment of reveal.
    # Each revealed note goes to its area's grid (or its group's), decided here so that every
    # device shows the same board; each person's notes stay together, in the order they had them.
    hidden = sorted((n for n in state.notes.values() if n.hidden), key=lambda n: (n.author, n.y, n.x, n.id))
    board = Board.of(state)
    board.reveal([n.id for n in hidden])
    revealed = [
        ev.RevealedNote(n.id, n.text, n.color, board.notes[n.id].x, board.notes[n.id].y, n.cluster, n.author, False,
                        n.photo, n.alt)
        for n in hidden
    ]
    # Revealing ends private writing (the contract's words): notes written after it are open.
    return Accepted("notes.reveal", ev.NotesRevealed(revealed, private_writing=False))


def _timer_data(timer: Timer) -> ev.TimerData:
    return ev.TimerData(timer.status, timer.duration_ms, timer.remaining_ms, timer.ends_at)


def _timer_start(state: State, actor: Actor, cmd: TimerStart, now: int, limits: Limits) -> Decision:
    refused = _facilitators_only(actor)
    if refused:
        return refused
    if not TIMER_MIN_MS <= cmd.duration_ms <= limits.timer_ms:
        return Refused("invalid", {"field": "duration_ms"})
    started = Timer("running", cmd.duration_ms, cmd.duration_ms, now + cmd.duration_ms)
    return Accepted("timer.start", ev.TimerStarted(_timer_data(started)))


def _timer_pause(state: State, actor: Actor, cmd: TimerPause, now: int, limits: Limits) -> Decision:
    refused = _facilitators_only(actor)
    if refused:
        return refused
    timer = state.timer
    if timer.status != "running" or timer.ends_at is None or timer.ends_at <= now:
        return Refused("invalid", {"field": "timer"})
    paused = Timer("paused", timer.duration_ms, timer.ends_at - now, None)
    return Accepted("timer.pause", ev.TimerPaused(_timer_data(paused)))


def _timer_resume(state: State, actor: Actor, cmd: TimerResume, now: int, limits: Limits) -> Decision:
    refused = _facilitators_only(actor)
    if refused:
        return refused
    timer = state.timer
    if timer.status != "paused":
        return Refused("invalid", {"field": "timer"})
    resumed = Timer("running", timer.duration_ms, timer.remaining_ms, now + timer.remaining_ms)
    return Accepted("timer.resume", ev.TimerResumed(_timer_data(resumed)))


def _timer_reset(state: State, actor: Actor, cmd: TimerReset, now: int, limits: Limits) -> Decision:
    refused = _facilitators_only(actor)
    if refused:
        return refused
    duration = state.timer.duration_ms
    return Accepted("timer.reset", ev.TimerRewound(_timer_data(Timer("idle", duration, duration, None))))


def _timer_add(state: State, actor: Actor, cmd: TimerAdd, now: int, limits: Limits) -> Decision:
    """More or less time. Removing more than is left ends the round now; adding time to a
    finished round starts it again from now (the facilitator wants "two more minutes")."""
    refused = _facilitators_only(actor)
    if refused:
        return refused
    if abs(cmd.ms) > limits.timer_ms:
        return Refused("invalid", {"field": "ms"})
    timer = state.timer
    if timer.status == "running" and timer.ends_at is not None:
        ends_at = max(max(timer.ends_at, now) + cmd.ms, now)
        changed = Timer("running", timer.duration_ms, ends_at - now, ends_at)
    elif timer.status == "paused":
        changed = Timer("paused", timer.duration_ms, max(0, timer.remaining_ms + cmd.ms), None)
    else:
        duration = min(max(0, timer.duration_ms + cmd.ms), limits.timer_ms)
        changed = Timer("idle", duration, duration, None)
    return Accepted("timer.add", ev.TimerAdded(_timer_data(changed)))


def _role_grant(state: State, actor: Actor, cmd: RoleGrant, now: int, limits: Limits) -> Decision:
    refused = _facilitators_only(actor)
    if refused:
        return refused
    if cmd.participant not in state.participants:
        return Refused("not_found", {"id": cmd.participant}, What.PERSON)
    if cmd.participant == actor.id:
        return Refused("forbidden")  # a facilitator cannot lock themselves out by mistake
    if cmd.role not in {r.value for r in Role}:
        return Refused("invalid", {"field": "role"})
    return Accepted("role.grant", ev.RoleGranted(cmd.participant, cmd.role))


def _coaches_only(actor: Actor) -> Refused | None:
    return None if actor.role is Role.COACH else Refused("forbidden")


def _participant_remove(state: State, actor: Actor, cmd: ParticipantRemove, now: int, limits: Limits) -> Decision:
    """Out of the room for good: their connections close, their place frees, their token is
    refused from now on. What they wrote stays; the facilitator deletes it if it should go."""
    refused = _facilitators_only(actor)
    if refused:
        return refused
    target = state.participants.get(cmd.participant)
    if target is None:
        return Refused("not_found", {"id": cmd.participant}, What.PERSON)
    if target.id == actor.id or target.role is Role.FACILITATOR:
        return Refused("forbidden")  # take the facilitator role away first (role.grant)
    return Accepted("participant.remove", ev.ParticipantRemoved(target.id))


def _admission(waiting: Participant) -> ev.ParticipantJoined:
    return ev.ParticipantJoined(waiting.id, waiting.name, waiting.department, Role.PARTICIPANT.value)


def _lobby_admit(state: State, actor: Actor, cmd: LobbyAdmit, now: int, limits: Limits) -> Decision:
    refused = _facilitators_only(actor)
    if refused:
        return refused
    waiting = state.waiting.get(cmd.participant)
    if waiting is None:
        return Refused("not_found", {"id": cmd.participant}, What.PERSON)
    if len(state.participants) >= limits.participants_per_room:
        return Refused("room_full", {"max": limits.participants_per_room})
    return Accepted("lobby.admit", ev.LobbyAdmitted(waiting.id, waiting.name, waiting.department, Role.PARTICIPANT.value))


def _lobby_deny(state: State, actor: Actor, cmd: LobbyDeny, now: int, limits: Limits) -> Decision:
    """Turned away: like a removal, that token cannot knock again."""
    refused = _facilitators_only(actor)
    if refused:
        return refused
    if cmd.participant not in state.waiting:
        return Refused("not_found", {"id": cmd.participant}, What.PERSON)
    return Accepted("lobby.deny", ev.LobbyDenied(cmd.participant))


def _coach_hint(state: State, actor: Actor, cmd: CoachHint, now: int, limits: Limits) -> Decision:
    refused = _coaches_only(actor)
    if refused:
        return refused
    text = cmd.text.strip()
    if not text:
        return Refused("invalid", {"field": "text"})
    if len(text) > limits.hint:
        return Refused("too_long", {"field": "text", "max": limits.hint})
    # The id is the seq the event will get: unique and the same on every replica.
    return Accepted("coach.hint", ev.CoachHinted(f"h{state.seq + 1}", text, actor.id, now))


# The smallest shared view, in board units: a phone at the highest zoom still shows more.
VIEW_MIN = 50


def _view_share(state: State, actor: Actor, cmd: ViewShare, now: int, limits: Limits) -> Decision:
    """What the facilitator's screen shows, for a coach who follows it: a rectangle on the board."""
    refused = _facilitators_only(actor)
    if refused:
        return refused
    x, y, w, h = cmd.x, cmd.y, cmd.w, cmd.h
    if not all(math.isfinite(v) for v in (x, y, w, h)):
        return Refused("invalid", {"field": "view"})
    if x < 0 or y < 0 or w < VIEW_MIN or h < VIEW_MIN or x + w > BOARD_WIDTH or y + h > BOARD_HEIGHT:
        return Refused("invalid", {"field": "view"})
    return Accepted("view.share", ev.ViewShared(actor.id, x, y, w, h))


def _coach_debrief(state: State, actor: Actor, cmd: CoachDebrief, now: int, limits: Limits) -> Decision:
    """The coach's debrief replaces the one before; an empty text removes it."""
    refused = _coaches_only(actor)
    if refused:
        return refused
    text = cmd.text.strip()
    if len(text) > limits.debrief:
        return Refused("too_long", {"field": "text", "max": limits.debrief})
    if not text and state.debrief is None:
        return Refused("invalid", {"field": "text"})
    return Accepted("coach.debrief", ev.DebriefWritten(text, actor.id, now))


def _spotlight(state: State, actor: Actor, cmd: Spotlight, now: int, limits: Limits) -> Decision:
    refused = _facilitators_only(actor)
    if refused:
        return refused
    if cmd.target is not None and cmd.target not in state.clusters:
        note = _visible_note(state, Actor("", Role.FACILITATOR), cmd.target)
        if isinstance(note, Refused):
            return note
    return Accepted("spotlight", ev.SpotlightSet(cmd.target))


def _note_group(state: State, actor: Actor, cmd: NoteGroup, now: int, limits: Limits) -> Decision:
    note = _visible_note(state, actor, cmd.id)
    if isinstance(note, Refused):
        return note
    closed = _board_closed(state, actor)
    if closed:
        return closed
    if cmd.cluster is not None and cmd.cluster not in state.clusters:
        return Refused("not_found", {"id": cmd.cluster}, What.GROUP)
    layout = _group_layout(state, note, cmd.cluster)
    return Accepted("note.group", ev.NoteGrouped(cmd.id, cmd.cluster, **_private_stamp(note), layout=layout))


def _layout(placement: Placement, skip: frozenset[str] = frozenset()) -> ev.LayoutData | None:
    """A `Placement` as event data (None when nothing moved)."""
    notes = [ev.Place(k, x, y) for k, (x, y) in placement.notes.items() if k not in skip]
    clusters = [ev.Place(k, x, y) for k, (x, y) in placement.clusters.items() if k not in skip]
    return ev.LayoutData(notes, clusters) if notes or clusters else None


def _group_layout(state: State, note: Note, cluster: str | None) -> ev.LayoutData | None:
    """Where a note goes when it joins (or leaves) a group, and who makes room.

    A private note moves alone, as its author sees it: its event reaches nobody else, so it may
    not move anything they see. A visible note takes the next place in its group's grid, the
    group grows and steps off other groups, loose notes under it make way, and the group it
    left closes its gap."""
    if note.hidden:
        board = Board.of(state, note.author)
        box = board.notes[note.id]
        if cluster is None:
            box.cluster = None
            x, y = board.place_note(note.id, (box.x, box.y))
        else:
            others = [board.notes[k].h for k in board.members(cluster) if k != note.id]
            cx, cy = board.clusters[cluster]
            x, y = group_slots(cx, cy, [*others, box.h], board.titles.get(cluster, ""))[-1]
        return ev.LayoutData([ev.Place(note.id, x, y)])
    board = Board.of(state)
    box = board.notes[note.id]
    left = box.cluster
    if cluster is not None and cluster != left:
        order = [k for k in board.members(cluster) if k != note.id] + [note.id]
        box.cluster = cluster
        board.arrange_group(cluster, order)
    elif cluster is None:
        box.cluster = None
        board.place_note(note.id, (box.x, box.y))
    if left is not None and left != cluster and left in board.clusters:
        board.arrange_group(left)
    return _layout(board.placement())


def _check_cluster_title(title: str, limits: Limits) -> Refused | None:
    if len(title) > limits.cluster_title:
        return Refused("too_long", {"field": "title", "max": limits.cluster_title})
    return None


def _cluster_create(state: State, actor: Actor, cmd: ClusterCreate, now: int, limits: Limits) -> Decision:
    refused = _may_add(state, actor, cmd.id, len(state.clusters), limits.clusters_per_room, What.GROUP)
    if refused:
        return refused
    problem = _check_cluster_title(cmd.title.strip(), limits) or _check_point(cmd.x, cmd.y)
    if problem:
        return problem
    # A new group goes to free space nearest where its creator asked (what they look at).
    board = Board.of(state)
    board.clusters[cmd.id] = (float(cmd.x), float(cmd.y))
    board.titles[cmd.id] = cmd.title.strip()
    x, y = board.place_group(cmd.id, (float(cmd.x), float(cmd.y)), avoid_notes=True)
    layout = _layout(board.placement(), skip=frozenset({cmd.id}))
    created = ev.ClusterCreated(cmd.id, cmd.title.strip(), x, y, actor.id, layout=layout)
    return Accepted("cluster.create", created)


def _cluster_update(state: State, actor: Actor, cmd: ClusterUpdate, now: int, limits: Limits) -> Decision:
    cluster = state.clusters.get(cmd.id)
    if cluster is None:
        return Refused("not_found", {"id": cmd.id}, What.GROUP)
    closed = _board_closed(state, actor)
    if closed:
        return closed
    data: dict[str, Any] = {"id": cmd.id}
    if cmd.title is not None:
        problem = _check_cluster_title(cmd.title.strip(), limits)
        if problem:
            return problem
        data["title"] = cmd.title.strip()
    moved = cmd.x is not None or cmd.y is not None
    if moved:
        x = cluster.x if cmd.x is None else cmd.x
        y = cluster.y if cmd.y is None else cmd.y
        problem = _check_point(x, y)
        if problem:
            return problem
    if moved or "title" in data:
        # A moved group lands on the free place nearest the drop, off every other group; loose
        # notes under it make way. Its notes move with it by the same offset, clamped to the
        # board (see evolve); the offset travels in the event so clients need not remember the
        # old position. A new title may take more lines: its notes move down under the header.
        board = Board.of(state)
        if "title" in data:
            board.titles[cmd.id] = data["title"]
        if moved:
            board.place_group(cmd.id, (float(x), float(y)), avoid_notes=False)
        if "title" in data:
            board.arrange_group(cmd.id)
        fx, fy = board.clusters[cmd.id]
        if moved or (fx, fy) != (cluster.x, cluster.y):
            data.update({"x": fx, "y": fy, "dx": fx - cluster.x, "dy": fy - cluster.y})
        # The group's own notes follow by (dx, dy) unless a new title re-laid them out.
        members = set() if "title" in data else {k for k, n in state.notes.items() if n.cluster == cmd.id}
        layout = _layout(board.placement(), skip=frozenset({cmd.id, *members}))
        if layout is not None:
            data["layout"] = layout
    if len(data) == 1:
        return Refused("invalid", {"field": "title"})
    return Accepted("cluster.update", ev.ClusterUpdated(**data))


def _may_remove_cluster(state: State, actor: Actor, cluster_id: str) -> Refused | None:
    cluster = state.clusters.get(cluster_id)
    if cluster is None:
        return Refused("not_found", {"id": cluster_id}, What.GROUP)
    if cluster.creator != actor.id and not actor.is_facilitator:
        return Refused("forbidden")
    return _board_closed(state, actor)


def _cluster_delete(state: State, actor: Actor, cmd: ClusterDelete, now: int, limits: Limits) -> Decision:
    refused = _may_remove_cluster(state, actor, cmd.id)
    if refused:
        return refused
    return Accepted("cluster.delete", ev.ClusterDeleted(cmd.id))


def _cluster_merge(state: State, actor: Actor, cmd: ClusterMerge, now: int, limits: Limits) -> Decision:
    refused = _may_remove_cluster(state, actor, cmd.id)
    if refused:
        return refused
    if cmd.into not in state.clusters or cmd.into == cmd.id:
        return Refused("not_found", {"id": cmd.into}, What.GROUP)
    # The notes of both in one grid (the surviving group's first), the group grown to hold them
    # and moved off any group it would now cover.
    board = Board.of(state)
    order = board.members(cmd.into) + board.members(cmd.id)
    for k in board.members(cmd.id):
        board.notes[k].cluster = cmd.into
    del board.clusters[cmd.id]
    board.arrange_group(cmd.into, order)
    return Accepted("cluster.merge", ev.ClusterMerged(cmd.id, cmd.into, layout=_layout(board.placement())))


def _board_tidy(state: State, actor: Actor, cmd: BoardTidy, now: int, limits: Limits) -> Decision:
    """Every area a grid: its groups, then its loose notes. Private notes stay where they are."""
    refused = _facilitators_only(actor)
    if refused:
        return refused
    board = Board.of(state)
    board.tidy()
    return Accepted("board.tidy", ev.BoardTidied(_layout(board.placement()) or ev.LayoutData()))


def _board_undo(state: State, actor: Actor, cmd: BoardUndo, now: int, limits: Limits) -> Decision:
    """The last merge or tidy taken back, as far as what it touched still exists."""
    refused = _facilitators_only(actor) or _nothing_to_undo(state)
    if refused:
        return refused
    undo = state.undo
    assert undo is not None
    restored = None
    regroup: list[str] = []
    if undo.cluster is not None and undo.cluster.id not in state.clusters and undo.cluster.id not in state.notes:
        c = undo.cluster
        restored = ev.ClusterCreated(c.id, c.title, c.x, c.y, c.creator)
        regroup = [k for k in undo.members if k in state.notes]
    notes = [ev.Place(k, x, y) for k, (x, y) in sorted(undo.notes.items())
             if k in state.notes and not state.notes[k].hidden]
    clusters = [ev.Place(k, x, y) for k, (x, y) in sorted(undo.clusters.items()) if k in state.clusters]
    layout = ev.LayoutData(notes, clusters)
    return Accepted("board.undo", ev.LayoutUndone(undo.kind, layout, cluster=restored, regroup=regroup))


def _nothing_to_undo(state: State) -> Refused | None:
    return None if state.undo is not None else Refused("invalid", {"field": "undo"})


def _vote_target(state: State, target: str) -> Refused | None:
    """Whether `target` can take dots under this room's settings."""
    vote_on = state.room.settings.vote_on
    note = state.notes.get(target)
    if note is not None and not note.hidden:
        return None if vote_on in ("notes", "both") else Refused("invalid", {"field": "target"})
    if target in state.clusters:
        return None if vote_on in ("clusters", "both") else Refused("invalid", {"field": "target"})
    return Refused("not_found", {"id": target}, What.IDEA)


def _may_vote(state: State, actor: Actor) -> Refused | None:
    if actor.role is Role.COACH:
        return Refused("forbidden")  # coaches guide; they do not take part in the vote
    if state.room.phase is not Phase.VOTE:
        return Refused("phase", {"phase": state.room.phase.value})
    if state.room.locked and not actor.is_facilitator:
        return Refused("locked")
    return None


def _vote_data(state: State, actor: Actor, target: str, delta: int) -> dict[str, Any]:
    """The voter's own count and dots left, and the new total: `visibility` decides who learns which."""
    mine = state.votes.get(actor.id, {})
    used = sum(mine.values()) + delta
    total = sum(v.get(target, 0) for v in state.votes.values()) + delta
    return {
        "target": target,
        "voter": actor.id,
        "mine": mine.get(target, 0) + delta,
        "left": state.room.settings.vote_budget - used,
        "total": total,
        "revealed": state.room.votes_revealed,
    }


def _vote_cast(state: State, actor: Actor, cmd: VoteCast, now: int, limits: Limits) -> Decision:
    refused = _may_vote(state, actor) or _vote_target(state, cmd.target)
    if refused:
        return refused
    settings = state.room.settings
    mine = state.votes.get(actor.id, {})
    if sum(mine.values()) >= settings.vote_budget:
        return Refused("vote_budget", {"budget": settings.vote_budget})
    if mine.get(cmd.target, 0) >= settings.max_votes_per_target:
        return Refused("vote_limit", {"max": settings.max_votes_per_target})
    return Accepted("vote.cast", ev.DotCast(**_vote_data(state, actor, cmd.target, +1)))


def _vote_retract(state: State, actor: Actor, cmd: VoteRetract, now: int, limits: Limits) -> Decision:
    refused = _may_vote(state, actor)
    if refused:
        return refused
    if state.votes.get(actor.id, {}).get(cmd.target, 0) < 1:
        return Refused("not_found", {"id": cmd.target}, What.DOT)
    return Accepted("vote.retract", ev.DotRetracted(**_vote_data(state, actor, cmd.target, -1)))


def _votes_reveal(state: State, actor: Actor, cmd: VotesReveal, now: int, limits: Limits) -> Decision:
    refused = _facilitators_only(actor)
    if refused:
        return refused
    return Accepted("votes.reveal", ev.VotesRevealed(state.vote_totals()))


def _votes_reset(state: State, actor: Actor, cmd: VotesReset, now: int, limits: Limits) -> Decision:
    refused = _facilitators_only(actor)
    if refused:
        return refused
    return Accepted("votes.reset", ev.VotesCleared())


def _results_publish(state: State, actor: Actor, cmd: ResultsPublish, now: int, limits: Limits) -> Decision:
    refused = _facilitators_only(actor)
    if refused:
        return refused
    return Accepted("results.publish", ev.ResultsPublished(cmd.published))


def _room_delete(state: State, actor: Actor, cmd: RoomDelete, now: int, limits: Limits) -> Decision:
    """The last event of a room: the server deletes every key of it once this is durable."""
    return _facilitators_only(actor) or Accepted("room.delete", ev.RoomDeleted())


# --- who took part, report back (t14g) -----------------------------------------------------------


def check_hear_from(groups: Sequence[str], limits: Limits) -> list[str] | Refused:
    """The groups to hear from as they will be kept (see `reach.clean_groups`), or why not."""
    if len(groups) > 4 * limits.hear_from_groups:
        return Refused("limit", {"max": limits.hear_from_groups}, What.PARTICIPANT_GROUP)
    cleaned = clean_groups(groups)
    if len(cleaned) > limits.hear_from_groups:
        return Refused("limit", {"max": limits.hear_from_groups}, What.PARTICIPANT_GROUP)
    if any(len(name) > limits.department for name in cleaned):
        # A joiner's group is their department: a longer name could not be picked.
        return Refused("too_long", {"field": "hear_from", "max": limits.department})
    return cleaned


def _hear_from_set(state: State, actor: Actor, cmd: HearFromSet, now: int, limits: Limits) -> Decision:
    refused = _facilitators_only(actor)
    if refused:
        return refused
    groups = check_hear_from(cmd.groups, limits)
    if isinstance(groups, Refused):
        return groups
    return Accepted("hear_from.set", ev.HearFromSet(groups))


def _report_update(state: State, actor: Actor, cmd: ReportUpdate, now: int, limits: Limits) -> Decision:
    """The whole report after the change: several lines of next steps, when people hear again,
    and an owner per idea (an idea anyone can see, in any round)."""
    refused = _facilitators_only(actor)
    if refused:
        return refused
    if cmd.next_steps is None and cmd.hear_back is None and cmd.owners is None:
        return Refused("invalid", {"field": "report"})
    report = state.report
    next_steps, hear_back, owners = report.next_steps, report.hear_back, dict(report.owners)
    if cmd.next_steps is not None:
        if len(cmd.next_steps) > limits.report_text:
            return Refused("too_long", {"field": "next_steps", "max": limits.report_text})
        next_steps = "\n".join(line.rstrip() for line in cmd.next_steps.strip().splitlines())
    if cmd.hear_back is not None:
        hear_back = " ".join(cmd.hear_back.split())
        if len(hear_back) > limits.report_hear_back:
            return Refused("too_long", {"field": "hear_back", "max": limits.report_hear_back})
    for idea, raw in (cmd.owners or {}).items():
        owner = " ".join(raw.split())
        if len(owner) > limits.report_owner:
            return Refused("too_long", {"field": "owner", "max": limits.report_owner})
        if not owner:
            owners.pop(idea, None)
            continue
        if idea_label(state, idea) is None:
            return Refused("not_found", {"id": idea}, What.IDEA)
        owners[idea] = owner
    if len(owners) > limits.report_owners:
        return Refused("limit", {"max": limits.report_owners}, What.OWNER)
    return Accepted("report.update", ev.ReportUpdated(next_steps, hear_back, owners))
# --- the closing evaluation (t14e) ------------------------------------------------------------


def _may_answer(state: State, actor: Actor) -> Refused | None:
    """Participants answer; facilitators and coaches read the results and are not asked."""
    if actor.role is not Role.PARTICIPANT:
        return Refused("forbidden")
    if not state.evaluation.open:
        return Refused("evaluation_closed")
    return None


def _evaluation_open(state: State, actor: Actor, cmd: EvaluationOpen, now: int, limits: Limits) -> Decision:
    refused = _facilitators_only(actor)
    if refused:
        return refused
    if state.evaluation.open:
        return Refused("invalid", {"field": "evaluation"})
    return Accepted("evaluation.open", ev.EvaluationOpened())


def _evaluation_close(state: State, actor: Actor, cmd: EvaluationClose, now: int, limits: Limits) -> Decision:
    refused = _facilitators_only(actor)
    if refused:
        return refused
    if not state.evaluation.open:
        return Refused("invalid", {"field": "evaluation"})
    return Accepted("evaluation.close", ev.EvaluationClosed())


def _evaluation_answer(state: State, actor: Actor, cmd: EvaluationAnswer, now: int, limits: Limits) -> Decision:
    """A whole answer, which replaces the person's earlier one: scores 1..5 (a question may be
    left out), and a line of text; at least one of them."""
    refused = _may_answer(state, actor)
    if refused:
        return refused
    scores: dict[str, int] = {}
    for question in ("clear", "heard", "outcome"):
        value = getattr(cmd, question)
        if value is None:
            continue
        if type(value) is not int or not 1 <= value <= 5:
            return Refused("invalid", {"field": question})
        scores[question] = value
    text = " ".join(cmd.text.split())  # one line: no line breaks, no runs of spaces
    if len(text) > limits.evaluation_text:
        return Refused("too_long", {"field": "text", "max": limits.evaluation_text})
    if not scores and not text:
        return Refused("invalid", {"field": "scores"})
    return Accepted("evaluation.answer", ev.EvaluationAnswered(scores, text))


# --- rounds (t14r) --------------------------------------------------------------------------
# Facilitators only. A refusal changes nothing: the whole plan, switch or carry is checked
# before any event is made.


def _rounds_plan(state: State, actor: Actor, cmd: RoundsPlan, now: int, limits: Limits) -> Decision:
    """The whole plan replaced. A round that stays keeps its board; one that goes must have
    no notes and not be the active one (`round_in_use`). Areas given by title are laid out as
    columns, unless a round's areas are the ones it has (then they keep their geometry, e.g.
    a user journey's horizontal map)."""
    refused = _facilitators_only(actor)
    if refused:
        return refused
    if not cmd.rounds:
        return Refused("invalid", {"field": "rounds"})
    if len(cmd.rounds) > limits.rounds_per_room:
        return Refused("limit", {"max": limits.rounds_per_room}, What.ROUND)
    planned: list[ev.RoundData] = []
    seen: set[str] = set()
    for plan in cmd.rounds:
        if not ID_PATTERN.fullmatch(plan.id):
            return Refused("invalid", {"field": "id"})
        if plan.id in seen:
            return Refused("exists", {"id": plan.id}, What.ROUND)
        seen.add(plan.id)
        checked = _check_round(state, plan, limits)
        if isinstance(checked, Refused):
            return checked
        planned.append(checked)
    for old in state.room.rounds:
        if old.id not in seen and (old.id == state.room.round or _has_notes(state, old.id)):
            return Refused("round_in_use", {"round": old.id})
    return Accepted("rounds.planned", ev.RoundsPlanned(planned))


def _check_round(state: State, plan: RoundPlan, limits: Limits) -> ev.RoundData | Refused:
    title = plan.title.strip()
    if not title:
        return Refused("invalid", {"field": "title"})
    if len(title) > limits.title:
        return Refused("too_long", {"field": "title", "max": limits.title})
    if len(plan.prompt) > limits.prompt:
        return Refused("too_long", {"field": "prompt", "max": limits.prompt})
    allowed = [p.value for p in ROUND_PHASES]
    if not plan.phases or len(set(plan.phases)) != len(plan.phases) or any(p not in allowed for p in plan.phases):
        return Refused("invalid", {"field": "phases"})
    if plan.timer_ms != 0 and not TIMER_MIN_MS <= plan.timer_ms <= limits.timer_ms:
        return Refused("invalid", {"field": "timer_ms"})
    if len(plan.areas) > limits.areas_per_round:
        return Refused("limit", {"max": limits.areas_per_round}, What.AREA)
    titles: list[tuple[str | None, str]] = []
    for area in plan.areas:
        area_title = area.title.strip()
        if not area_title:
            return Refused("invalid", {"field": "areas"})
        if len(area_title) > limits.area_title:
            return Refused("too_long", {"field": "areas", "max": limits.area_title})
        if area.id is not None and not ID_PATTERN.fullmatch(area.id):
            return Refused("invalid", {"field": "areas"})
        titles.append((area.id, area_title))
    given = [i for i, _ in titles if i is not None]
    if len(set(given)) != len(given):
        return Refused("invalid", {"field": "areas"})
    existing = state.room.find_round(plan.id)
    if existing is not None and [(a.id, a.title) for a in existing.areas] == titles:
        areas = [_area_data(a) for a in existing.areas]
    else:
        areas = _laid_out(titles)
    # Private writing at the start is the template's choice, not in the plan editor: a round
    # keeps it, and a new round starts as the session's other rounds do.
    if existing is not None:
        private = existing.private_writing
    else:
        private = any(r.private_writing for r in state.room.rounds)
    private = private and "write" in plan.phases
    return ev.RoundData(plan.id, title, plan.prompt.strip(), areas, list(plan.phases), plan.timer_ms,
                        private_writing=private)


def _area_data(a: Area) -> ev.AreaData:
    return ev.AreaData(a.id, a.title, a.x, a.y, a.w, a.h)


def _laid_out(titles: list[tuple[str | None, str]]) -> list[ev.AreaData]:
    """Areas as columns across the board; an area without an id gets the first free `a<n>`."""
    taken = {i for i, _ in titles if i is not None}
    fresh = (f"a{n}" for n in range(1, 10_000) if f"a{n}" not in taken)
    boxes = columns(len(titles)) if titles else []
    return [
        ev.AreaData(area_id if area_id is not None else next(fresh), title, box.x, box.y, box.w, box.h)
        for (area_id, title), box in zip(titles, boxes, strict=True)
    ]


def _has_notes(state: State, round_id: str) -> bool:
    """Whether a round's board holds anything people made (notes or groups): then it stays."""
    board = state.board_of(round_id)
    return bool(board.notes or board.clusters)


def _round_go(state: State, actor: Actor, cmd: RoundGo, now: int, limits: Limits) -> Decision:
    """Another round becomes active (next or back). A running timer is shelved paused, so the
    round comes back with the time it had left, not with "time is up"."""
    refused = _facilitators_only(actor)
    if refused:
        return refused
    if state.room.find_round(cmd.round) is None:
        return Refused("not_found", {"id": cmd.round}, What.ROUND)
    if cmd.round == state.room.round:
        return Refused("invalid", {"field": "round"})
    timer = state.timer
    paused = None
    if timer.status == "running" and timer.ends_at is not None and timer.ends_at > now:
        paused = _timer_data(Timer("paused", timer.duration_ms, timer.ends_at - now, None))
    private = _starts_private(state, cmd.round)
    return Accepted("round.switched", ev.RoundSwitched(cmd.round, state.room.round, paused=paused, private_writing=private))


def _starts_private(state: State, round_id: str) -> bool:
    """Whether entering `round_id` turns private writing on: its plan says it starts that way,
    and its board is still waiting for people's notes (in the write phase, nothing written by a
    participant yet; ideas carried in by a facilitator do not count). A round one comes back to
    after writing keeps the setting as the facilitator left it."""
    target = state.room.find_round(round_id)
    if target is None or not target.private_writing or state.room.settings.private_writing:
        return False
    board = state.board_of(round_id)
    staff = {p.id for p in state.participants.values() if p.role is not Role.PARTICIPANT}
    return board.phase is Phase.WRITE and all(n.author in staff for n in board.notes.values())


def _round_carry(state: State, actor: Actor, cmd: RoundCarry, now: int, limits: Limits) -> Decision:
    """Items (notes or groups, as everyone sees them) of one round brought into another: as
    starting notes, laid out in the target's first area; or as the target's areas, allowed
    only while it has no notes (areas under notes would move what people placed)."""
    refused = _facilitators_only(actor)
    if refused:
        return refused
    source, target = state.room.find_round(cmd.from_), state.room.find_round(cmd.to)
    if source is None:
        return Refused("not_found", {"id": cmd.from_}, What.ROUND)
    if target is None:
        return Refused("not_found", {"id": cmd.to}, What.ROUND)
    if cmd.from_ == cmd.to:
        return Refused("invalid", {"field": "to"})
    if cmd.as_ not in ("notes", "areas"):
        return Refused("invalid", {"field": "as"})
    cap = limits.areas_per_round if cmd.as_ == "areas" else limits.carry_items
    if not cmd.items or len(set(cmd.items)) != len(cmd.items):
        return Refused("invalid", {"field": "items"})
    if len(cmd.items) > cap:
        return Refused("limit", {"max": cap}, What.IDEA)
    board = state.board_of(cmd.from_)
    items: list[tuple[str, str, str]] = []  # (source id, text, colour)
    for item in cmd.items:
        carried = _carried_item(board, item)
        if carried is None:
            return Refused("not_found", {"id": item}, What.IDEA)
        items.append(carried)
    into = state.board_of(cmd.to)
    if cmd.as_ == "areas":
        if into.notes or into.clusters:
            return Refused("round_in_use", {"round": cmd.to})
        titles: list[tuple[str | None, str]] = [(None, _shorten(text, limits.area_title)) for _, text, _ in items]
        return Accepted("round.carried", ev.RoundCarried(cmd.from_, cmd.to, "areas", actor.id, areas=_laid_out(titles)))
    if len(into.notes) + len(items) > limits.notes_per_room:
        return Refused("limit", {"max": limits.notes_per_room}, What.NOTE)
    ids = [_carried_id(cmd.from_, item, cmd.to) for item, _, _ in items]
    for new_id in ids:
        if new_id in into.notes or new_id in into.clusters:
            return Refused("exists", {"id": new_id}, What.NOTE)  # carried there before
    layout = Board.of_parts(into.notes.values(), into.clusters.values(), target.areas, actor.id)
    anchor = target.areas[0] if target.areas else None
    x0, y0 = (anchor.x + 1, anchor.y + 1) if anchor else (0.0, 0.0)
    for new_id, (_, text, _) in zip(ids, items, strict=True):
        layout.notes[new_id] = NoteBox(x0, y0, note_height(_shorten(text, limits.note_text)), None, False)
    layout.reveal(ids)
    notes = [
        ev.CarriedNote(new_id, _shorten(text, limits.note_text), color, layout.notes[new_id].x, layout.notes[new_id].y, item)
        for new_id, (item, text, color) in zip(ids, items, strict=True)
    ]
    return Accepted("round.carried", ev.RoundCarried(cmd.from_, cmd.to, "notes", actor.id, notes=notes))


def _carried_item(board: Any, item: str) -> tuple[str, str, str] | None:
    """(id, text, colour) of a note or group that everyone can see on `board`."""
    note = board.notes.get(item)
    if note is not None:
        # A photo note is carried as its words (caption, else its text alternative): the
        # photo stays on its own round's board, where it was taken for.
        return None if note.hidden else (item, note.text or note.alt, note.color)
    cluster = board.clusters.get(item)
    if cluster is None:
        return None
    members = [n for n in board.notes.values() if n.cluster == item and not n.hidden]
    colors = sorted((n.color for n in members), key=lambda c: (-sum(m.color == c for m in members), COLORS.index(c)))
    text = cluster.title.strip() or ((members[0].text or members[0].alt) if members else "…")
    return (item, text, colors[0] if colors else COLORS[0])


def _carried_id(source: str, item: str, target: str) -> str:
    """The same item carried into the same round always gets the same id (carrying it twice is
    refused as `exists`); short enough for `ID_PATTERN` whatever the ids it comes from."""
    digest = hashlib.sha1(f"{source}\0{item}\0{target}".encode()).hexdigest()[:16]
    return f"c{digest}"


def _shorten(text: str, most: int) -> str:
    """`text` on one line, and when longer than `most` cut at the last word that fits, with "…"
    (a deployment whose `area_title` is below its `note_text`; by default nothing is cut)."""
    text = " ".join(text.split())
    if len(text) <= most:
        return text
    cut = text[: most - 1]
    if " " in cut and not text[most - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + "…"


_HANDLERS = {
    NoteCreate: _note_create,
    NoteUpdate: _note_update,
    NoteMove: _note_move,
    NoteDelete: _note_delete,
    PhaseSet: _phase_set,
    RoomUpdate: _room_update,
    NotesReveal: _notes_reveal,
    TimerStart: _timer_start,
    TimerPause: _timer_pause,
    TimerResume: _timer_resume,
    TimerReset: _timer_reset,
    TimerAdd: _timer_add,
    RoleGrant: _role_grant,
    CoachHint: _coach_hint,
    Spotlight: _spotlight,
    NoteGroup: _note_group,
    ClusterCreate: _cluster_create,
    ClusterUpdate: _cluster_update,
    ClusterDelete: _cluster_delete,
    ClusterMerge: _cluster_merge,
    VoteCast: _vote_cast,
    VoteRetract: _vote_retract,
    VotesReveal: _votes_reveal,
    VotesReset: _votes_reset,
    ResultsPublish: _results_publish,
    RoomDelete: _room_delete,
    ParticipantRemove: _participant_remove,
    LobbyAdmit: _lobby_admit,
    LobbyDeny: _lobby_deny,
    BoardTidy: _board_tidy,
    BoardUndo: _board_undo,
    HearFromSet: _hear_from_set,
    ReportUpdate: _report_update,
    ViewShare: _view_share,
    CoachDebrief: _coach_debrief,
    EvaluationOpen: _evaluation_open,
    EvaluationClose: _evaluation_close,
    EvaluationAnswer: _evaluation_answer,
    RoundsPlan: _rounds_plan,
    RoundGo: _round_go,
    RoundCarry: _round_carry,
}


# What each op needs of *who* asks and *when*, whatever its arguments: the same checks the
# handlers above make, so `permissions` can tell a client in advance. What depends on the
# target (whose note, which group, dots on this idea) or on counts (notes in the room, dots
# left) is not here; the client learns those from the state and `limits`, and `decide` has
# the last word.
_GATES: dict[type, Callable[[State, Actor], Refused | None]] = {
    NoteCreate: _board_closed,
    NoteUpdate: _board_closed,
    NoteMove: _board_closed,
    NoteDelete: _board_closed,
    NoteGroup: _board_closed,
    ClusterCreate: _board_closed,
    ClusterUpdate: _board_closed,
    ClusterDelete: _board_closed,
    ClusterMerge: _board_closed,
    VoteCast: _may_vote,
    VoteRetract: _may_vote,
    CoachHint: lambda state, actor: _coaches_only(actor),
    CoachDebrief: lambda state, actor: _coaches_only(actor),
    ViewShare: lambda state, actor: _facilitators_only(actor),
    BoardUndo: lambda state, actor: _facilitators_only(actor) or _nothing_to_undo(state),
    EvaluationAnswer: _may_answer,
    EvaluationOpen: lambda state, actor: _facilitators_only(actor)
    or (Refused("invalid", {"field": "evaluation"}) if state.evaluation.open else None),
    EvaluationClose: lambda state, actor: _facilitators_only(actor)
    or (None if state.evaluation.open else Refused("invalid", {"field": "evaluation"})),
    # A new op gets its line here too: tests/test_can.py fails until every op has one.
    **dict.fromkeys(
        (PhaseSet, RoomUpdate, NotesReveal, TimerStart, TimerPause, TimerResume, TimerReset, TimerAdd, RoleGrant,
         Spotlight, VotesReveal, VotesReset, ResultsPublish, RoomDelete, ParticipantRemove, LobbyAdmit, LobbyDeny,
         BoardTidy, HearFromSet, ReportUpdate, RoundsPlan, RoundGo, RoundCarry),
        lambda state, actor: _facilitators_only(actor),
    ),
}

# Ops after which what someone may do can have changed (phase, lock, settings, roles): their
# event frames carry the recipient's `permissions` (see `visibility.project_event`).
PERMISSION_OPS = frozenset(
    {"phase.set", "room.update", "notes.reveal", "role.grant", "votes.reveal", "votes.reset", "results.publish",
     # whether there is a merge or tidy to undo
     "cluster.merge", "board.tidy", "board.undo",
     # whether one may answer the evaluation (t14e)
     "evaluation.open", "evaluation.close",
     # another round's board: its phase, votes and undo are different
     "rounds.planned", "round.switched", "round.carried"}
)


def permissions(state: State, actor: Actor) -> dict[str, str | None]:
    """What `actor` may do now: op -> None when allowed, else the code `decide` refuses with."""
    if actor.id not in state.participants:
        return {OP_NAMES[command]: "forbidden" for command in _GATES}
    allowed: dict[str, str | None] = {}
    for command, gate in _GATES.items():
        refused = gate(state, actor)
        allowed[OP_NAMES[command]] = refused.code if refused else None
    return allowed


def _check_text(text: str, limits: Limits, required: bool = True) -> Refused | None:
    """A note's text; a photo note's is an optional caption (its photo says the rest)."""
    if required and not text.strip():
        return Refused("invalid", {"field": "text"})
    if len(text) > limits.note_text:
        return Refused("too_long", {"field": "text", "max": limits.note_text})
    return None


def photo_in_use(state: State, photo_id: str) -> bool:
    """Whether any note of any round still carries the photo (once none does, its bytes can go)."""
    return any(n.photo == photo_id for n in every_note(state))


def every_note(state: State) -> Iterator[Note]:
    """The notes of the active round and of every shelved one: a photo on an earlier round's
    board is still shown on the results page, and going back brings it back."""
    yield from state.notes.values()
    for board in state.shelved.values():
        yield from board.notes.values()


def _check_photo(state: State, cmd: NoteCreate, limits: Limits) -> Refused | None:
    """A photo note names an uploaded photo no other note uses, and says in words what it
    shows: the alt text is what a screen reader reads and what a person at the back of the
    room gets when the picture is too small to make out, so it is required, not offered."""
    if cmd.photo is None:
        return Refused("invalid", {"field": "alt"}) if cmd.alt is not None else None
    if not ID_PATTERN.fullmatch(cmd.photo) or photo_in_use(state, cmd.photo):
        return Refused("invalid", {"field": "photo"})
    alt = (cmd.alt or "").strip()
    if not alt:
        return Refused("invalid", {"field": "alt"})
    if len(alt) > PHOTO_ALT_MAX:
        return Refused("too_long", {"field": "alt", "max": PHOTO_ALT_MAX})
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
    "permissions",
]
