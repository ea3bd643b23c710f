"""What happened in a room: one type per event, as the log stores it.

`rules` builds these, `evolve` applies them, `visibility` decides who learns what of them; the
store keeps them as JSON (`server.codec`), in the same shape as the `data` of the wire's event
frames before `visibility` narrows them. Fields that only route an event (whose private note it
is, the author's new count, who cast a dot) are marked as such at their types below:
`visibility` reads them and never sends them as they are.

msgspec Structs: typed, frozen, encoded without an intermediate dict; `omit_defaults` keeps an
absent optional field absent on the wire and in the log, as it always was.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

import msgspec


class EventData(msgspec.Struct, frozen=True):
    """Base of every event's data. Reads like the mapping it is stored as, so that older
    readers (tests written against the dict form) keep working while code uses the fields."""

    OP: ClassVar[str]

    def as_dict(self) -> dict[str, Any]:
        """The stored and sent shape: plain JSON values, optional fields left out when absent."""
        return msgspec.to_builtins(self)  # type: ignore[no-any-return]

    def __getitem__(self, key: str) -> Any:
        return self.as_dict()[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.as_dict().get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self.as_dict()

    def keys(self) -> Iterator[str]:
        return iter(self.as_dict())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, dict):
            return self.as_dict() == other
        if type(other) is type(self):
            return msgspec.structs.astuple(self) == msgspec.structs.astuple(other)  # type: ignore[arg-type]
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


class AreaData(msgspec.Struct, frozen=True):
    id: str
    title: str
    x: float
    y: float
    w: float
    h: float


class SettingsData(msgspec.Struct, frozen=True):
    vote_budget: int
    max_votes_per_target: int
    private_writing: bool
    vote_on: str = "both"
    lobby: bool = False  # "ask to join"; absent in logs written before the lobby existed


class TimerData(msgspec.Struct, frozen=True):
    status: str
    duration_ms: int
    remaining_ms: int
    ends_at: int | None


class Place(msgspec.Struct, frozen=True):
    """Where a note or group now is (see `layout`)."""

    id: str
    x: float
    y: float


class LayoutData(msgspec.Struct, frozen=True, omit_defaults=True):
    """The positions a layout changed, decided by the domain (`layout.Board`): every client
    applies them as they are, so all of them, every resume and every late joiner agree. Never
    holds a private note except in an event only its author receives."""

    notes: list[Place] = []
    clusters: list[Place] = []


class RevealedNote(msgspec.Struct, frozen=True, omit_defaults=True):
    id: str
    text: str
    color: str
    x: float
    y: float
    cluster: str | None
    author: str
    hidden: bool  # always written (logs from before photos have it; the client reads it)
    photo: str | None = None  # a photo note's picture and its alt (omitted otherwise)
    alt: str = ""


class RoundData(msgspec.Struct, frozen=True, omit_defaults=True):
    """One round of the plan as the log keeps it (areas laid out, phases by name)."""

    id: str
    title: str
    prompt: str = ""
    areas: list[AreaData] = []
    phases: list[str] = msgspec.field(default_factory=lambda: ["write", "cluster", "vote", "results"])
    timer_ms: int = 0
    # The round starts with private writing on (the room's setting is turned on when the room
    # opens in it, or when it is entered for the first time); absent (false) in older logs.
    private_writing: bool = False


# --- the room and its people ---------------------------------------------------------------


class RoomCreated(EventData, frozen=True):
    OP = "room.create"
    code: str
    title: str
    language: str
    template: str = "blank"
    prompt: str = ""
    areas: list[AreaData] = []
    # The groups to hear from, given at creation (t14g); absent (not `[]`) when none were, so
    # the log of a room without them reads exactly as before.
    hear_from: list[str] | msgspec.UnsetType = msgspec.UNSET
    # The plan from the template; absent in logs written before rounds existed (then one round
    # `r1` from `prompt` and `areas`, see `evolve.initial_state`). `prompt`/`areas` stay the
    # first round's, so an older reader still sees the board it expects.
    rounds: list[RoundData] = []


class ParticipantJoined(EventData, frozen=True):
    OP = "participant.join"
    id: str
    name: str
    department: str
    role: str


class LobbyKnocked(EventData, frozen=True):
    """Someone new, without a key, asks to join while the lobby is on (staff only)."""

    OP = "lobby.knock"
    id: str
    name: str
    department: str


class LobbyAdmitted(ParticipantJoined, frozen=True):
    """A facilitator let someone in from the lobby: from now on as a `participant.join`."""

    OP = "lobby.admit"


class LobbyDenied(EventData, frozen=True):
    """Turned away from the lobby: that token can never knock again (staff only)."""

    OP = "lobby.deny"
    participant: str


class ParticipantRemoved(EventData, frozen=True):
    """Out of the room for good: place freed, token refused; their notes, groups and dots stay."""

    OP = "participant.remove"
    participant: str


class RoleGranted(EventData, frozen=True):
    OP = "role.grant"
    participant: str
    role: str


class PhaseChanged(EventData, frozen=True, omit_defaults=True):
    """`timer` is set (rewound, idle) when the timer had run out: "Time is up" belongs to the
    phase it ran out in, so a new phase starts without it on every device, late joiners too."""

    OP = "phase.set"
    phase: str
    timer: TimerData | None = None


class RoomUpdated(EventData, frozen=True, omit_defaults=True):
    OP = "room.update"
    title: str | None = None
    prompt: str | None = None
    locked: bool | None = None
    settings: SettingsData | None = None  # whole, never partial
    # The lobby turned off: whoever waited and fits is in the room now (each as `lobby.admit`).
    admitted: list[ParticipantJoined] | None = None


class RoomDeleted(EventData, frozen=True):
    OP = "room.delete"


class CoachHinted(EventData, frozen=True):
    OP = "coach.hint"
    id: str
    text: str
    by: str
    at: int


class SpotlightSet(EventData, frozen=True):
    OP = "spotlight"
    target: str | None


# --- coaching at a distance (staff only) -----------------------------------------------------


class ViewShared(EventData, frozen=True):
    """The board rectangle a facilitator's screen settled on, for a coach who follows."""

    OP = "view.share"
    by: str
    x: float
    y: float
    w: float
    h: float


class DebriefWritten(EventData, frozen=True):
    """The coach's debrief for the facilitator; it replaces the one before (empty: removed)."""

    OP = "coach.debrief"
    text: str
    by: str
    at: int


# --- notes -----------------------------------------------------------------------------------
# A change to a private note carries `hidden: true` and its `author` (routing: only the author
# may see it); a private note created or deleted also carries the author's new `count` (what
# facilitators and coaches see instead). Absent for notes everyone sees.


class NoteCreated(EventData, frozen=True, omit_defaults=True):
    OP = "note.create"
    id: str
    text: str
    color: str
    x: float
    y: float
    cluster: str | None
    author: str
    hidden: bool = False
    count: int | None = None
    photo: str | None = None  # a photo note: its picture's id and text alternative
    alt: str = ""


class NoteUpdated(EventData, frozen=True, omit_defaults=True):
    OP = "note.update"
    id: str
    hidden: bool = False
    author: str | None = None
    text: str | None = None
    color: str | None = None


class NoteMoved(EventData, frozen=True, omit_defaults=True):
    OP = "note.move"
    id: str
    x: float
    y: float
    hidden: bool = False
    author: str | None = None


class NoteDeleted(EventData, frozen=True, omit_defaults=True):
    OP = "note.delete"
    id: str
    hidden: bool = False
    author: str | None = None
    count: int | None = None


class NoteGrouped(EventData, frozen=True, omit_defaults=True):
    OP = "note.group"
    id: str
    cluster: str | None
    hidden: bool = False
    author: str | None = None
    layout: LayoutData | None = None  # the note's place in (or out of) the group; groups made room


class NotesRevealed(EventData, frozen=True):
    OP = "notes.reveal"
    notes: list[RevealedNote]  # each at its place in its area's grid (or its group's)
    private_writing: bool = False


# --- groups ----------------------------------------------------------------------------------


class ClusterCreated(EventData, frozen=True, omit_defaults=True):
    OP = "cluster.create"
    id: str
    title: str
    x: float  # where the domain placed it: the free place nearest the one asked for
    y: float
    creator: str
    layout: LayoutData | None = None  # loose notes that made room for it


class ClusterUpdated(EventData, frozen=True, omit_defaults=True):
    OP = "cluster.update"
    id: str
    title: str | None = None
    x: float | None = None  # with y, dx, dy: the group moved, and its notes by (dx, dy)
    y: float | None = None
    dx: float | None = None
    dy: float | None = None
    layout: LayoutData | None = None  # loose notes that made room for it where it landed


class ClusterDeleted(EventData, frozen=True):
    OP = "cluster.delete"
    id: str


class ClusterMerged(EventData, frozen=True, omit_defaults=True):
    OP = "cluster.merge"
    id: str
    into: str
    layout: LayoutData | None = None  # the grown group's grid; where it moved to have room


class BoardTidied(EventData, frozen=True):
    """A facilitator tidied the board: every area a grid of its groups, then its loose notes."""

    OP = "board.tidy"
    layout: LayoutData


class LayoutUndone(EventData, frozen=True, omit_defaults=True):
    """The last merge or tidy taken back: the merged-away group again (`cluster`, with the
    notes in `regroup`), and every position as it was before (`layout`)."""

    OP = "board.undo"
    kind: str  # merge | tidy
    layout: LayoutData
    cluster: ClusterCreated | None = None
    regroup: list[str] = []


# --- dots ------------------------------------------------------------------------------------
# A dot event carries everything any recipient may learn: `voter`, their `mine` and `left` (for
# the voter only), the new `total` (for everyone once `revealed`).


class DotCast(EventData, frozen=True):
    OP = "vote.cast"
    target: str
    voter: str
    mine: int
    left: int
    total: int
    revealed: bool


class DotRetracted(DotCast, frozen=True):
    OP = "vote.retract"


class VotesRevealed(EventData, frozen=True):
    OP = "votes.reveal"
    totals: dict[str, int]


class VotesCleared(EventData, frozen=True):
    OP = "votes.reset"


class ResultsPublished(EventData, frozen=True):
    OP = "results.publish"
    published: bool


# --- the timer -------------------------------------------------------------------------------


class TimerChanged(EventData, frozen=True):
    """Every timer event carries the whole timer after it."""

    timer: TimerData


class TimerStarted(TimerChanged, frozen=True):
    OP = "timer.start"


class TimerPaused(TimerChanged, frozen=True):
    OP = "timer.pause"


class TimerResumed(TimerChanged, frozen=True):
    OP = "timer.resume"


class TimerRewound(TimerChanged, frozen=True):
    OP = "timer.reset"


class TimerAdded(TimerChanged, frozen=True):
    OP = "timer.add"


# --- who took part, report back (t14g) --------------------------------------------------------


class HearFromSet(EventData, frozen=True):
    """The facilitator's list of groups to hear from, whole (trimmed, without duplicates)."""

    OP = "hear_from.set"
    groups: list[str]


class ReportUpdated(EventData, frozen=True):
    """The report back, whole after the change (staff only until the results are published,
    and then only on the results page: see `visibility`)."""

    OP = "report.update"
    next_steps: str
    hear_back: str
    owners: dict[str, str]
# --- the closing evaluation (t14e) ------------------------------------------------------------
# Who answered is the event's `by` and nothing else: the log keeps it so that a person's second
# answer replaces the first across a replay; `visibility` sends `by` to nobody.


class EvaluationOpened(EventData, frozen=True):
    OP = "evaluation.open"


class EvaluationClosed(EventData, frozen=True):
    OP = "evaluation.close"


class EvaluationAnswered(EventData, frozen=True, omit_defaults=True):
    """A participant's answer, whole: it replaces any earlier answer of theirs."""

    OP = "evaluation.answer"
    scores: dict[str, int] = {}  # question id -> 1..5; questions left out are not there
    text: str = ""


# --- rounds (t14r) --------------------------------------------------------------------------
# Every frame of these carries, per recipient, `data.state`: their whole projected state after
# the event (see `visibility.project_event`); the log keeps only what is below.


class RoundsPlanned(EventData, frozen=True):
    """The whole plan, replaced (added, edited, reordered, removed rounds)."""

    OP = "rounds.planned"
    rounds: list[RoundData]


class RoundSwitched(EventData, frozen=True, omit_defaults=True, rename={"from_": "from"}):
    """Another round is active: the board of `from_` is shelved as it is (its timer paused if it
    was running: `paused`), the board of `round` comes back (or starts empty in its first phase).
    `private_writing`: the round starts its writing now with private writing on (its plan says
    so, see `RoundData`); absent otherwise, and the room's setting stays as it was."""

    OP = "round.switched"
    round: str
    from_: str
    paused: TimerData | None = None
    private_writing: bool = False


class CarriedNote(msgspec.Struct, frozen=True):
    id: str
    text: str
    color: str
    x: float
    y: float
    source: str  # the note or group it came from, in the `from_` round


class RoundCarried(EventData, frozen=True, omit_defaults=True, rename={"from_": "from", "as_": "as"}):
    """Items of one round brought into another: as its starting notes (`notes`, placed by
    `layout`, authored by whoever carried them), or as its areas (`areas`, the round's whole
    new set)."""

    OP = "round.carried"
    from_: str
    to: str
    as_: str  # notes | areas
    author: str  # who carried them: the carried notes are theirs (as a facilitator's, never private)
    notes: list[CarriedNote] = []
    areas: list[AreaData] = []


EVENT_TYPES: tuple[type[EventData], ...] = (
    RoomCreated, ParticipantJoined, LobbyKnocked, LobbyAdmitted, LobbyDenied, ParticipantRemoved, RoleGranted, PhaseChanged, RoomUpdated, RoomDeleted, CoachHinted, SpotlightSet,
    NoteCreated, NoteUpdated, NoteMoved, NoteDeleted, NoteGrouped, NotesRevealed,
    ClusterCreated, ClusterUpdated, ClusterDeleted, ClusterMerged, BoardTidied, LayoutUndone,
    DotCast, DotRetracted, VotesRevealed, VotesCleared, ResultsPublished,
    TimerStarted, TimerPaused, TimerResumed, TimerRewound, TimerAdded,
    HearFromSet, ReportUpdated,
    ViewShared, DebriefWritten,
    EvaluationOpened, EvaluationClosed, EvaluationAnswered,
    RoundsPlanned, RoundSwitched, RoundCarried,
)
# The op name in the log and on the wire for each event type, and back.
EVENTS: dict[str, type[EventData]] = {cls.OP: cls for cls in EVENT_TYPES}

# Events the server makes from an event for some recipients instead (see `visibility`); they
# are never in the log.
PROJECTED_OPS = ("hidden.count", "redacted")


def event_data(op: str, data: EventData | dict[str, Any]) -> EventData:
    """`data` as the type of `op`'s event; a dict (an older caller, a test) is converted and checked."""
    cls = EVENTS[op]
    if isinstance(data, cls):
        return data
    if isinstance(data, EventData):
        raise TypeError(f"Expected {cls.__name__} for {op!r}, got {type(data).__name__}")
    return msgspec.convert(data, cls)
