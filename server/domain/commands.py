"""What a client may ask for: one frozen dataclass per op.

The edge (`server.protocol`) decodes `args` into these types; from here on nothing sees a raw
dict. Types are checked at the edge, meaning (lengths, ranges, ids) in `rules`.
"""

from __future__ import annotations

from dataclasses import dataclass

import msgspec


@dataclass(frozen=True, slots=True)
class NoteCreate:
    id: str
    text: str
    color: str
    x: float
    y: float
    cluster: str | None = None
    photo: str | None = None  # an uploaded photo's id (POST /r/{code}/photos); `alt` then required
    alt: str | None = None


@dataclass(frozen=True, slots=True)
class NoteUpdate:
    id: str
    text: str | None = None
    color: str | None = None


@dataclass(frozen=True, slots=True)
class NoteMove:
    id: str
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class NoteDelete:
    id: str


@dataclass(frozen=True, slots=True)
class PhaseSet:
    phase: str


@dataclass(frozen=True, slots=True)
class SettingsPatch:
    private_writing: bool | None = None
    vote_budget: int | None = None
    max_votes_per_target: int | None = None
    vote_on: str | None = None
    lobby: bool | None = None


@dataclass(frozen=True, slots=True)
class NoteGroup:
    id: str
    cluster: str | None = None


@dataclass(frozen=True, slots=True)
class ClusterCreate:
    id: str
    title: str
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class ClusterUpdate:
    id: str
    title: str | None = None
    x: float | None = None
    y: float | None = None


@dataclass(frozen=True, slots=True)
class ClusterDelete:
    id: str


@dataclass(frozen=True, slots=True)
class ClusterMerge:
    id: str
    into: str


@dataclass(frozen=True, slots=True)
class BoardTidy:
    pass


@dataclass(frozen=True, slots=True)
class BoardUndo:
    pass


@dataclass(frozen=True, slots=True)
class VoteCast:
    target: str


@dataclass(frozen=True, slots=True)
class VoteRetract:
    target: str


@dataclass(frozen=True, slots=True)
class VotesReveal:
    pass


@dataclass(frozen=True, slots=True)
class VotesReset:
    pass


@dataclass(frozen=True, slots=True)
class ResultsPublish:
    published: bool


@dataclass(frozen=True, slots=True)
class RoomDelete:
    pass


@dataclass(frozen=True, slots=True)
class RoomUpdate:
    title: str | None = None
    prompt: str | None = None
    locked: bool | None = None
    settings: SettingsPatch | None = None


@dataclass(frozen=True, slots=True)
class NotesReveal:
    pass


@dataclass(frozen=True, slots=True)
class TimerStart:
    duration_ms: int


@dataclass(frozen=True, slots=True)
class TimerPause:
    pass


@dataclass(frozen=True, slots=True)
class TimerResume:
    pass


@dataclass(frozen=True, slots=True)
class TimerReset:
    pass


@dataclass(frozen=True, slots=True)
class TimerAdd:
    ms: int


@dataclass(frozen=True, slots=True)
class RoleGrant:
    participant: str
    role: str


@dataclass(frozen=True, slots=True)
class ParticipantRemove:
    participant: str


@dataclass(frozen=True, slots=True)
class LobbyAdmit:
    participant: str


@dataclass(frozen=True, slots=True)
class LobbyDeny:
    participant: str


@dataclass(frozen=True, slots=True)
class CoachHint:
    text: str


@dataclass(frozen=True, slots=True)
class Spotlight:
    target: str | None = None


# --- t14g: who took part, report back ---


@dataclass(frozen=True, slots=True)
class HearFromSet:
    """The whole list of groups the facilitator wants to hear from (replaces the old one)."""

    groups: list[str]


@dataclass(frozen=True, slots=True)
class ReportUpdate:
    """A change to the report back; absent fields stay as they are. `owners` maps an idea's
    id to who owns it; an empty owner takes the idea off the list."""

    next_steps: str | None = None
    hear_back: str | None = None
    owners: dict[str, str] | None = None
@dataclass(frozen=True, slots=True)
class ViewShare:
    """The facilitator's visible board rectangle, in board coordinates."""

    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True, slots=True)
class CoachDebrief:
    text: str
# --- the closing evaluation (t14e) ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EvaluationOpen:
    pass


@dataclass(frozen=True, slots=True)
class EvaluationClose:
    pass


@dataclass(frozen=True, slots=True)
class EvaluationAnswer:
    """Scores 1..5 for the questions one wants to answer (left out: not answered), and a line."""

    clear: int | None = None
    heard: int | None = None
    outcome: int | None = None
    text: str = ""


# --- rounds (t14r) --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AreaPlan:
    """An area by its title; `id` keeps an existing area's identity (new ones get one)."""

    title: str
    id: str | None = None


@dataclass(frozen=True, slots=True)
class RoundPlan:
    id: str
    title: str
    prompt: str = ""
    areas: tuple[AreaPlan, ...] = ()
    phases: tuple[str, ...] = ("write", "cluster", "vote", "results")
    timer_ms: int = 0


@dataclass(frozen=True, slots=True)
class RoundsPlan:
    rounds: tuple[RoundPlan, ...]


@dataclass(frozen=True, slots=True)
class RoundGo:
    round: str


class RoundCarry(msgspec.Struct, frozen=True, rename={"from_": "from", "as_": "as"}):
    """`from` and `as` are Python keywords: a Struct renames them on the wire."""

    from_: str
    to: str
    items: tuple[str, ...]
    as_: str = "notes"


Command = (
    NoteCreate | NoteUpdate | NoteMove | NoteDelete | PhaseSet | RoomUpdate | NotesReveal
    | TimerStart | TimerPause | TimerResume | TimerReset | TimerAdd | RoleGrant | CoachHint | Spotlight
    | NoteGroup | ClusterCreate | ClusterUpdate | ClusterDelete | ClusterMerge
    | VoteCast | VoteRetract | VotesReveal | VotesReset | ResultsPublish | RoomDelete
    | ParticipantRemove | LobbyAdmit | LobbyDeny | BoardTidy | BoardUndo
    | HearFromSet | ReportUpdate
    | ViewShare | CoachDebrief
    | EvaluationOpen | EvaluationClose | EvaluationAnswer
    | RoundsPlan | RoundGo | RoundCarry
)

# The op name on the wire for each command type, and back.
COMMANDS: dict[str, type[Command]] = {
    "note.create": NoteCreate,
    "note.update": NoteUpdate,
    "note.move": NoteMove,
    "note.delete": NoteDelete,
    "phase.set": PhaseSet,
    "room.update": RoomUpdate,
    "notes.reveal": NotesReveal,
    "timer.start": TimerStart,
    "timer.pause": TimerPause,
    "timer.resume": TimerResume,
    "timer.reset": TimerReset,
    "timer.add": TimerAdd,
    "role.grant": RoleGrant,
    "coach.hint": CoachHint,
    "spotlight": Spotlight,
    "note.group": NoteGroup,
    "cluster.create": ClusterCreate,
    "cluster.update": ClusterUpdate,
    "cluster.delete": ClusterDelete,
    "cluster.merge": ClusterMerge,
    "board.tidy": BoardTidy,
    "board.undo": BoardUndo,
    "vote.cast": VoteCast,
    "vote.retract": VoteRetract,
    "votes.reveal": VotesReveal,
    "votes.reset": VotesReset,
    "results.publish": ResultsPublish,
    "room.delete": RoomDelete,
    "participant.remove": ParticipantRemove,
    "lobby.admit": LobbyAdmit,
    "lobby.deny": LobbyDeny,
    "hear_from.set": HearFromSet,
    "report.update": ReportUpdate,
    "view.share": ViewShare,
    "coach.debrief": CoachDebrief,
    "evaluation.open": EvaluationOpen,
    "evaluation.close": EvaluationClose,
    "evaluation.answer": EvaluationAnswer,
    "rounds.plan": RoundsPlan,
    "round.go": RoundGo,
    "round.carry": RoundCarry,
}
OP_NAMES: dict[type[Command], str] = {cls: name for name, cls in COMMANDS.items()}
