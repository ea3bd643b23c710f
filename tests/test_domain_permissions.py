"""Who may do what, when: every op against every role, phase and lock, in one table.

The ops come from the command types themselves (`COMMANDS`), so a new op without a row here
fails `test_every_op_has_a_row` instead of going unchecked. The expected outcome of each row is
written out from the contract (docs/protocol.md), not read back from `server.domain.rules`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import pytest

from server.domain import COMMANDS, Accepted, Actor, Event, Limits, Refused, Role, State, apply_event, decide
from server.domain import initial_state, join
from server.domain.commands import (
    BoardTidy,
    BoardUndo,
    ClusterCreate,
    ClusterDelete,
    ClusterMerge,
    ClusterUpdate,
    CoachDebrief,
    CoachHint,
    Command,
    EvaluationAnswer,
    EvaluationClose,
    EvaluationOpen,
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
    SettingsPatch,
    Spotlight,
    TimerAdd,
    TimerPause,
    TimerReset,
    TimerResume,
    TimerStart,
    VoteCast,
    ViewShare,
    VoteRetract,
    VotesReset,
    VotesReveal,
)
from server.domain.commands import HearFromSet, ReportUpdate
from tests.support.domain import commit

LIMITS = Limits()
PARTICIPANT = Actor("p_kari", Role.PARTICIPANT)
COACH = Actor("p_coach", Role.COACH)
FACILITATOR = Actor("p_faci", Role.FACILITATOR)
STRANGER = Actor("p_stranger", Role.PARTICIPANT)  # a connection whose participant never joined
OLA = Actor("p_ola", Role.PARTICIPANT)  # someone to grant a role to, or to remove
LIV = "p_liv"  # someone new, waiting in the lobby of a room prepared with `knock`
MEMBERS = (PARTICIPANT, COACH, FACILITATOR, OLA)
PHASES = ("lobby", "write", "cluster", "vote", "results")
OK = "ok"


# --- who may, written out -------------------------------------------------------------------


def facilitator_only(actor: Actor, phase: str, locked: bool) -> str:
    """Running the session: phases, settings, timer, roles, reveal, spotlight, deleting the room,
    and who is in it (removing someone, letting in or turning away whoever asks to join)."""
    return OK if actor.role is Role.FACILITATOR else "forbidden"


def coach_only(actor: Actor, phase: str, locked: bool) -> str:
    """A hint is the coach's channel to the facilitator; not even the facilitator sends one."""
    return OK if actor.role is Role.COACH else "forbidden"


def board(actor: Actor, phase: str, locked: bool) -> str:
    """Writing and clustering: open to everyone in write and cluster, unless locked; the
    facilitator always may."""
    if actor.role is Role.FACILITATOR:
        return OK
    if locked:
        return "locked"
    return OK if phase in ("write", "cluster") else "phase"


def voting(actor: Actor, phase: str, locked: bool) -> str:
    """Dots: only in the vote phase, never by a coach, not on a locked board (but by the facilitator)."""
    if actor.role is Role.COACH:
        return "forbidden"
    if phase != "vote":
        return "phase"
    if locked and actor.role is not Role.FACILITATOR:
        return "locked"
    return OK


def answering(actor: Actor, phase: str, locked: bool) -> str:
    """The closing evaluation (once open): participants answer in any phase, locked board or
    not (it is not the board); the facilitator and the coach are not asked."""
    return OK if actor.role is Role.PARTICIPANT else "forbidden"


def mine(prefix: str, actor: Actor) -> str:
    """The id of the actor's own note or group in the prepared room."""
    return f"{prefix}_{actor.id}"


@dataclass(frozen=True)
class Row:
    rule: Callable[[Actor, str, bool], str]
    example: Callable[[Actor], Command]  # a command valid in every other respect
    prepare: tuple[Command, ...] = field(default=())  # facilitator commands first (the timer's state)
    knock: bool = False  # the lobby on and `LIV` waiting in it


TWO_ROUNDS = RoundsPlan((RoundPlan("r1", "Behov"), RoundPlan("r2", "Løsning")))

ROWS: dict[str, Row] = {
    "note.create": Row(board, lambda a: NoteCreate("new", "Idé", "yellow", 10, 10)),
    "note.update": Row(board, lambda a: NoteUpdate(mine("n", a), text="Endret")),
    "note.move": Row(board, lambda a: NoteMove(mine("n", a), 20, 20)),
    "note.delete": Row(board, lambda a: NoteDelete(mine("n", a))),
    "note.group": Row(board, lambda a: NoteGroup(mine("n", a), mine("c", a))),
    "cluster.create": Row(board, lambda a: ClusterCreate("new", "Gruppe", 10, 10)),
    "cluster.update": Row(board, lambda a: ClusterUpdate(mine("c", a), title="Nytt navn")),
    "cluster.delete": Row(board, lambda a: ClusterDelete(mine("c", a))),
    "cluster.merge": Row(board, lambda a: ClusterMerge(mine("c", a), mine("d", a))),
    "phase.set": Row(facilitator_only, lambda a: PhaseSet("results")),
    "room.update": Row(facilitator_only, lambda a: RoomUpdate(prompt="Nytt spørsmål")),
    "notes.reveal": Row(facilitator_only, lambda a: NotesReveal()),
    "timer.start": Row(facilitator_only, lambda a: TimerStart(60_000)),
    "timer.pause": Row(facilitator_only, lambda a: TimerPause(), (TimerStart(600_000),)),
    "timer.resume": Row(facilitator_only, lambda a: TimerResume(), (TimerStart(600_000), TimerPause())),
    "timer.reset": Row(facilitator_only, lambda a: TimerReset(), (TimerStart(600_000),)),
    "timer.add": Row(facilitator_only, lambda a: TimerAdd(60_000)),
    "role.grant": Row(facilitator_only, lambda a: RoleGrant(OLA.id, "coach")),
    "spotlight": Row(facilitator_only, lambda a: Spotlight(mine("n", PARTICIPANT))),
    "votes.reveal": Row(facilitator_only, lambda a: VotesReveal()),
    "votes.reset": Row(facilitator_only, lambda a: VotesReset()),
    "results.publish": Row(facilitator_only, lambda a: ResultsPublish(True)),
    "room.delete": Row(facilitator_only, lambda a: RoomDelete()),
    "participant.remove": Row(facilitator_only, lambda a: ParticipantRemove(OLA.id)),
    "lobby.admit": Row(facilitator_only, lambda a: LobbyAdmit(LIV), knock=True),
    # who took part, report back (t14g): the facilitator's, in every phase
    "hear_from.set": Row(facilitator_only, lambda a: HearFromSet(["Beboere", "Pårørende"])),
    "report.update": Row(facilitator_only, lambda a: ReportUpdate(next_steps="Vi kommer tilbake i mars.")),
    "lobby.deny": Row(facilitator_only, lambda a: LobbyDeny(LIV), knock=True),
    "board.tidy": Row(facilitator_only, lambda a: BoardTidy()),
    "board.undo": Row(facilitator_only, lambda a: BoardUndo(), (BoardTidy(),)),
    "coach.hint": Row(coach_only, lambda a: CoachHint("Spør om behovet først")),
    "coach.debrief": Row(coach_only, lambda a: CoachDebrief("Godt tempo, fin oppsummering")),
    "view.share": Row(facilitator_only, lambda a: ViewShare(0, 0, 1366, 768)),
    "vote.cast": Row(voting, lambda a: VoteCast(mine("n", PARTICIPANT))),
    "vote.retract": Row(voting, lambda a: VoteRetract(mine("n", PARTICIPANT))),
    "rounds.plan": Row(facilitator_only, lambda a: RoundsPlan((RoundPlan("r1", "Behov"), RoundPlan("r2", "Løsning"),
                                                               RoundPlan("r3", "Test")))),
    "round.go": Row(facilitator_only, lambda a: RoundGo("r2"), (TWO_ROUNDS,)),
    "round.carry": Row(facilitator_only, lambda a: RoundCarry("r1", "r2", (mine("n", PARTICIPANT),)), (TWO_ROUNDS,)),
    "evaluation.open": Row(facilitator_only, lambda a: EvaluationOpen()),
    "evaluation.close": Row(facilitator_only, lambda a: EvaluationClose(), (EvaluationOpen(),)),
    "evaluation.answer": Row(answering, lambda a: EvaluationAnswer(clear=4, text="Fin dag"), (EvaluationOpen(),)),
}
# The rounds ops' events have their own names (the contract's): `round.go` is `round.switched`.
EVENT_OF = {"rounds.plan": "rounds.planned", "round.go": "round.switched", "round.carry": "round.carried"}


@lru_cache(maxsize=None)
def prepared_room(phase: str, locked: bool, prepare: tuple[Command, ...], knock: bool = False) -> State:
    """Built once per phase, lock and preparation and shared, since `decide` never changes a state
    (test_domain.py checks that). Everyone has joined and owns a note `n_<id>` and groups `c_<id>`, `d_<id>`; the participant
    and the facilitator have a dot on the participant's note; then the room is put in `phase`,
    locked or not. With `knock`, the lobby is on and `LIV` waits in it."""
    state = initial_state(Event(1, "room.create", "system", 0,
                                {"code": "K7MPQ2", "title": "Matrise", "language": "nb", "template": "blank"}))
    for actor in MEMBERS:
        decision = join(state, actor.id, actor.id[2:], "Helse", actor.role, LIMITS)
        assert isinstance(decision, Accepted)
        apply_event(state, Event(state.seq + 1, decision.op, actor.id, 0, decision.data))
    commit(state, FACILITATOR, PhaseSet("write"))
    for i, actor in enumerate(MEMBERS):
        commit(state, actor, NoteCreate(mine("n", actor), "Idé", "yellow", 100 * i, 100))
        commit(state, actor, ClusterCreate(mine("c", actor), "Gruppe", 100 * i, 1000))
        commit(state, actor, ClusterCreate(mine("d", actor), "Annen", 100 * i, 2000))
    commit(state, FACILITATOR, PhaseSet("vote"))
    for voter in (PARTICIPANT, FACILITATOR):
        commit(state, voter, VoteCast(mine("n", PARTICIPANT)))
    for command in prepare:
        commit(state, FACILITATOR, command)
    if knock:
        commit(state, FACILITATOR, RoomUpdate(settings=SettingsPatch(lobby=True)))
        decision = join(state, LIV, "Liv", "Skole", Role.PARTICIPANT, LIMITS)
        assert isinstance(decision, Accepted) and decision.op == "lobby.knock", decision
        apply_event(state, Event(state.seq + 1, decision.op, LIV, 0, decision.data))
    commit(state, FACILITATOR, PhaseSet(phase))
    if locked:
        commit(state, FACILITATOR, RoomUpdate(locked=True))
    return state


def test_every_op_has_a_row() -> None:
    """The table covers exactly the ops a client may send: a new op must say who may use it."""
    assert sorted(ROWS) == sorted(COMMANDS)


ACTORS = (PARTICIPANT, COACH, FACILITATOR, STRANGER)


@pytest.mark.parametrize("op", sorted(COMMANDS))
def test_permission_matrix(op: str) -> None:
    """Each op, from each role, in each phase, on an open and a locked board, is accepted or
    refused with the code the contract names; a stranger is always forbidden.

    Parametrised by op, with every role x phase x lock checked inside and every mismatch reported
    at once: the same cases as 1,040 separate items, at a fraction of the cost per mutant in
    `make mutate`."""
    assert op in ROWS, f"{op!r} has no row in the permission table: say who may use it"
    row = ROWS[op]
    wrong = []
    for phase in PHASES:
        for locked in (False, True):
            state = prepared_room(phase, locked, row.prepare, row.knock)
            for actor in ACTORS:
                command = row.example(actor)
                assert type(command) is COMMANDS[op]
                expected = "forbidden" if actor is STRANGER else row.rule(actor, phase, locked)
                decision = decide(state, actor, command, 1, LIMITS)
                if isinstance(decision, Accepted) and decision.op == EVENT_OF.get(op, op):
                    got = OK
                elif isinstance(decision, Refused):
                    got = decision.code
                else:
                    got = repr(decision)
                if got != expected:
                    where = f"{actor.id[2:]} in {phase}{' (locked)' if locked else ''}"
                    wrong.append(f"{op} by {where}: expected {expected}, got {got}")
    assert wrong == []
