"""The state of one room, as every rule sees it.

Plain dataclasses: the domain owns them, the store serialises them, nothing else mutates them
except `evolve.apply_event`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from .events import EventData, event_data


class Role(str, Enum):
    PARTICIPANT = "participant"
    FACILITATOR = "facilitator"
    COACH = "coach"


class Phase(str, Enum):
    LOBBY = "lobby"
    WRITE = "write"
    CLUSTER = "cluster"
    VOTE = "vote"
    RESULTS = "results"


COLORS = ("yellow", "pink", "blue", "green", "orange", "purple")
LANGUAGES = ("nb", "sv", "en")

# The board is a fixed logical canvas; clients scale it to their screen.
BOARD_WIDTH = 4000
BOARD_HEIGHT = 3000
# A note's footprint on that canvas (its text may make it taller): where clients place new
# notes and lay out groups. Sent to clients in `limits`, so they draw the same sizes.
NOTE_WIDTH = 220
NOTE_MIN_HEIGHT = 140
# A photo note's picture: the note's full inner width (188) by this much, above its text.
PHOTO_HEIGHT = 150


@dataclass(slots=True)
class Settings:
    vote_budget: int = 5
    max_votes_per_target: int = 3
    private_writing: bool = False
    vote_on: str = "both"  # notes | clusters | both
    lobby: bool = False  # "ask to join": new participants wait until a facilitator admits them


VOTE_ON = ("notes", "clusters", "both")


@dataclass(slots=True)
class Area:
    """A labelled region of the board, from the session template."""

    id: str
    title: str
    x: float
    y: float
    w: float
    h: float


# The phases a round may go through (the lobby is before the first round, not part of one).
ROUND_PHASES = (Phase.WRITE, Phase.CLUSTER, Phase.VOTE, Phase.RESULTS)


@dataclass(slots=True)
class Round:
    """One step of the session's plan (Behov, Løsning, Test …): what it asks, the areas its
    board has, the phases it goes through and a suggested timer. Its board is the active one
    (`State`) or kept whole in `State.shelved`."""

    id: str
    title: str
    prompt: str = ""
    areas: list[Area] = field(default_factory=list)
    phases: list[Phase] = field(default_factory=lambda: list(ROUND_PHASES))
    timer_ms: int = 0
    private_writing: bool = False  # starts with private writing on (see `evolve.fresh_board`)


@dataclass(slots=True)
class RoomInfo:
    code: str
    title: str
    language: str
    template: str = "blank"
    prompt: str = ""
    phase: Phase = Phase.LOBBY
    locked: bool = False
    settings: Settings = field(default_factory=Settings)
    votes_revealed: bool = False
    results_published: bool = False
    areas: list[Area] = field(default_factory=list)  # the active round's (as `prompt`)
    spotlight: str | None = None
    # The groups of people the facilitator wants to hear from (t14g, see `domain.reach`).
    hear_from: list[str] = field(default_factory=list)
    # The plan, in order (never empty once a room exists; see `evolve.ensure_rounds`), and the
    # id of the active round. `prompt`, `areas`, `phase`, `votes_revealed`, `spotlight` and the
    # State's board fields are always the active round's, so every other rule works unchanged.
    rounds: list[Round] = field(default_factory=list)
    round: str = ""

    def active_round(self) -> Round:
        return next(r for r in self.rounds if r.id == self.round)

    def find_round(self, round_id: str) -> Round | None:
        return next((r for r in self.rounds if r.id == round_id), None)


@dataclass(slots=True)
class Timer:
    status: str = "idle"  # idle | running | paused | finished
    duration_ms: int = 0
    remaining_ms: int = 0
    ends_at: int | None = None


@dataclass(slots=True)
class Participant:
    id: str
    name: str
    department: str
    role: Role = Role.PARTICIPANT


@dataclass(slots=True)
class Note:
    id: str
    text: str
    color: str
    x: float
    y: float
    author: str
    cluster: str | None = None
    hidden: bool = False
    # A prototype photo (the id of an image kept with the room, `server.photo_edge`) and its
    # text alternative, which every place that shows the photo uses as its alt.
    photo: str | None = None
    alt: str = ""


@dataclass(slots=True)
class Cluster:
    id: str
    title: str
    x: float
    y: float
    creator: str


@dataclass(slots=True)
class Hint:
    """A coach's hint: facilitators and coaches see it, nobody else ever does."""

    id: str
    text: str
    by: str
    at: int


@dataclass(slots=True)
class SharedView:
    """The part of the board a facilitator last looked at, in board coordinates (not pixels, so
    a coach's screen of another size shows the same region). Staff only, like hints."""

    by: str
    x: float
    y: float
    w: float
    h: float


@dataclass(slots=True)
class Debrief:
    """The coach's debrief for the facilitator: one per session, the latest wins. Staff only."""

    text: str
    by: str
    at: int


@dataclass(slots=True)
class Undo:
    """What the last merge or tidy changed, as it was before: enough for `board.undo`."""

    kind: str  # merge | tidy
    notes: dict[str, tuple[float, float]] = field(default_factory=dict)
    clusters: dict[str, tuple[float, float]] = field(default_factory=dict)
    cluster: Cluster | None = None  # the group a merge took away
    members: list[str] = field(default_factory=list)  # its notes


# --- t14e: the closing evaluation ----------------------------------------------------------


@dataclass(slots=True)
class EvaluationAnswer:
    """One person's answer: a score 1..5 per question they answered (see `evaluation.QUESTIONS`)
    and an optional line of text. Kept by participant id only so that a second answer replaces
    the first; `visibility` never sends it with a person, and never in the order it came."""

    scores: dict[str, int] = field(default_factory=dict)
    text: str = ""


@dataclass(slots=True)
class Evaluation:
    open: bool = False
    answers: dict[str, EvaluationAnswer] = field(default_factory=dict)  # participant id -> answer


@dataclass(slots=True)
class Report:
    """What happens next, written by the facilitator on the results (see `domain.report`):
    shown on the published results page and the participants' link after the session."""

    next_steps: str = ""  # decisions and next steps, several lines
    hear_back: str = ""  # when the participants will hear again: a date or a sentence
    owners: dict[str, str] = field(default_factory=dict)  # idea (note or group id) -> who owns it


@dataclass(slots=True)
class Board:
    """Everything a round owns, kept whole while another round is active: going back brings
    it back exactly as it was left (dots and budgets included: they are per round)."""

    phase: Phase = Phase.WRITE
    notes: dict[str, Note] = field(default_factory=dict)
    clusters: dict[str, Cluster] = field(default_factory=dict)
    votes: dict[str, dict[str, int]] = field(default_factory=dict)
    votes_revealed: bool = False
    undo: Undo | None = None
    spotlight: str | None = None
    timer: Timer = field(default_factory=Timer)

    def vote_totals(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for mine in self.votes.values():
            for target, dots in mine.items():
                totals[target] = totals.get(target, 0) + dots
        return totals


@dataclass(slots=True)
class State:
    """Everything the server knows about a room as of `seq`."""

    seq: int
    room: RoomInfo
    timer: Timer = field(default_factory=Timer)
    participants: dict[str, Participant] = field(default_factory=dict)
    notes: dict[str, Note] = field(default_factory=dict)
    clusters: dict[str, Cluster] = field(default_factory=dict)
    # voter -> target (note or cluster id) -> dots; never sent whole (see `visibility`)
    votes: dict[str, dict[str, int]] = field(default_factory=dict)
    hints: list[Hint] = field(default_factory=list)
    # People in the "ask to join" lobby, by id; and ids a facilitator removed or turned away,
    # which can never join again with the same token.
    waiting: dict[str, Participant] = field(default_factory=dict)
    removed: set[str] = field(default_factory=set)
    undo: Undo | None = None  # the last merge or tidy, until it is undone
    report: Report = field(default_factory=Report)  # report back (t14g)
    view: SharedView | None = None  # coaching at a distance: what the facilitator looks at
    debrief: Debrief | None = None  # coaching at a distance: the coach's debrief
    evaluation: Evaluation = field(default_factory=Evaluation)  # the closing evaluation (t14e)
    # The boards of the rounds that are not active, by round id (a round never yet active has none).
    shelved: dict[str, Board] = field(default_factory=dict)

    def board_of(self, round_id: str) -> Board:
        """The board of any round: the active one as a `Board` view (sharing this state's
        dicts, not copies), a shelved one as kept, a round never entered as an empty one."""
        if round_id == self.room.round:
            return Board(self.room.phase, self.notes, self.clusters, self.votes, self.room.votes_revealed,
                         self.undo, self.room.spotlight, self.timer)
        return self.shelved.get(round_id) or Board()

    def vote_totals(self) -> dict[str, int]:
        """Dots per target, over all voters."""
        totals: dict[str, int] = {}
        for mine in self.votes.values():
            for target, dots in mine.items():
                totals[target] = totals.get(target, 0) + dots
        return totals


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is asking: a participant id and the role this connection holds."""

    id: str
    role: Role

    @property
    def is_facilitator(self) -> bool:
        return self.role is Role.FACILITATOR

    @property
    def is_staff(self) -> bool:
        """Facilitators and coaches see what the facilitator sees."""
        return self.role in (Role.FACILITATOR, Role.COACH)


@dataclass(frozen=True, slots=True)
class Event:
    """One accepted change: what the log stores and what recipients get a projection of."""

    seq: int
    op: str
    by: str
    at: int
    data: EventData  # the type of `op` (see `events.EVENTS`); a dict given here is converted
    op_id: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "data", event_data(self.op, self.data))
