"""What a person may do now (`can`) and the limits in force (`limits`), as the server tells each
client: computed from the same rule functions `decide` uses, and kept current by the frames."""

from __future__ import annotations

import json

import pytest

from server.domain import (
    Accepted,
    Actor,
    Limits,
    Refused,
    Role,
    State,
    apply_event,
    decide,
    initial_state,
    permissions,
)
from server.domain.commands import (
    COMMANDS,
    ClusterCreate,
    ClusterDelete,
    ClusterMerge,
    ClusterUpdate,
    CoachHint,
    Command,
    EvaluationAnswer,
    EvaluationClose,
    EvaluationOpen,
    NoteCreate,
    NoteDelete,
    NoteGroup,
    NoteMove,
    NotesReveal,
    NoteUpdate,
    PhaseSet,
    ResultsPublish,
    RoleGrant,
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
)
from server.domain.rules import PERMISSION_OPS
from tests.golden import generate
from tests.golden.replay import decode_log
from tests.support.client import Participant
from tests.support.servers import TavlaServer

LIMITS = Limits()
GOLDEN_LOGS = {path.stem: decode_log(json.loads(path.read_text())["log"]) for path in sorted(generate.HERE.glob("*.json"))}


def _states(name: str):  # type: ignore[no-untyped-def]
    """Every state of a golden history, with the event that led to it."""
    events = GOLDEN_LOGS[name]
    state = initial_state(events[0])
    for event in events[1:]:
        before = permissions_by_role(state)
        apply_event(state, event)
        yield before, event, state


def permissions_by_role(state: State) -> dict[str, dict[str, str | None]]:
    return {pid: permissions(state, Actor(pid, p.role)) for pid, p in state.participants.items()}


def _commands(state: State, actor: Actor) -> list[Command]:
    """One plausible command of every op against `state`, aimed at things that exist."""
    note = next((n.id for n in state.notes.values() if not n.hidden or n.author == actor.id), "n_none")
    mine = next((n.id for n in state.notes.values() if n.author == actor.id), note)
    group, other = (list(state.clusters) + ["g_none", "g_none2"])[:2]
    someone = next((p for p in state.participants if p != actor.id), actor.id)
    return [
        NoteCreate("n_new", "Ny", "yellow", 10, 10), NoteUpdate(mine, text="Endret"), NoteMove(note, 5, 5),
        NoteDelete(mine), NoteGroup(note, None), ClusterCreate("g_new", "Ny", 10, 10),
        ClusterUpdate(group, title="T"), ClusterDelete(group), ClusterMerge(group, other),
        VoteCast(note), VoteRetract(note), VotesReveal(), VotesReset(), ResultsPublish(True), RoomDelete(),
        PhaseSet("vote"), RoomUpdate(prompt="P"), NotesReveal(), TimerStart(60_000), TimerPause(),
        TimerResume(), TimerReset(), TimerAdd(1000), RoleGrant(someone, "coach"), CoachHint("Tips"),
        Spotlight(None), EvaluationOpen(), EvaluationClose(), EvaluationAnswer(clear=3),
    ]


def test_every_op_has_a_permission() -> None:
    """`can` names every op a client may send, no more and no fewer."""
    state = initial_state(GOLDEN_LOGS["votes"][0])
    assert set(permissions(state, Actor("p_nobody", Role.PARTICIPANT))) == set(COMMANDS)


@pytest.mark.parametrize("name", sorted(GOLDEN_LOGS))
def test_can_agrees_with_decide_at_every_step(name: str) -> None:
    """Whenever `decide` accepts an op, `can` said it was allowed; whenever `can` gives a reason,
    `decide` refuses, and for ops that depend on nothing but who and when, with that reason."""
    for _, _, state in _states(name):
        for pid, person in state.participants.items():
            actor = Actor(pid, person.role)
            can = permissions(state, actor)
            for command in _commands(state, actor):
                op = type(command)
                reason = can[_op(op)]
                decision = decide(state, actor, command, 10**13, LIMITS)
                if isinstance(decision, Accepted):
                    assert reason is None, (name, state.seq, pid, command)
                elif reason is not None:
                    assert isinstance(decision, Refused), (name, state.seq, pid, command)
                    if op not in _TARGETED:
                        assert decision.code == reason, (name, state.seq, pid, command, decision)


@pytest.mark.parametrize("name", sorted(GOLDEN_LOGS))
def test_only_permission_ops_change_permissions(name: str) -> None:
    """An event that changes what anyone may do is one whose frame carries `can`."""
    for before, event, state in _states(name):
        after = permissions_by_role(state)
        changed = any(before[pid] != after[pid] for pid in before if pid in after)
        assert not changed or event.op in PERMISSION_OPS, (name, event.seq, event.op)


def test_staff_and_participants_differ_as_the_rules_say() -> None:
    """In the write phase a participant may write but not run the session; the coach may hint, not vote."""
    state = next(s for _, e, s in _states("votes") if e.op == "note.create")
    kari = permissions(state, Actor("p_kari", Role.PARTICIPANT))
    coach = permissions(state, Actor("p_coach", Role.COACH))
    faci = permissions(state, Actor("p_faci", Role.FACILITATOR))
    assert kari["note.create"] is None and kari["phase.set"] == "forbidden" and kari["vote.cast"] == "phase"
    assert coach["coach.hint"] is None and kari["coach.hint"] == "forbidden"
    assert all(reason is None for op, reason in faci.items()
               if op not in ("coach.hint", "coach.debrief", "vote.cast", "vote.retract", "board.undo",
                             "evaluation.answer", "evaluation.close"))
    assert faci["evaluation.answer"] == "forbidden", "a facilitator is not asked to evaluate their own session"
    assert kari["evaluation.answer"] == "evaluation_closed" and coach["evaluation.answer"] == "forbidden"
    assert faci["board.undo"] == "invalid", "nothing merged or tidied yet: nothing to undo"


def _op(command: type) -> str:
    return next(name for name, cls in COMMANDS.items() if cls is command)


# Ops whose refusal may depend on the target (not_found, forbidden for someone else's note, …)
# before the who-and-when check.
_TARGETED = {NoteUpdate, NoteMove, NoteDelete, NoteGroup, ClusterUpdate, ClusterDelete, ClusterMerge,
             VoteCast, VoteRetract, NoteCreate, ClusterCreate, TimerPause, TimerResume, RoleGrant, Spotlight,
             CoachHint}


# --- over the socket -------------------------------------------------------------------------


@pytest.fixture
def roomy_tavla():  # type: ignore[no-untyped-def]
    """A Tavla configured for long notes, as a deployment may be."""
    server = TavlaServer(MAX_NOTE_TEXT="1000", MAX_NOTES_PER_ROOM="50").start()
    yield server
    server.stop()


async def test_welcome_tells_the_configured_limits(roomy_tavla: TavlaServer) -> None:
    """A server configured for 1,000-character notes says so, and accepts exactly that much."""
    room = roomy_tavla.create_room()
    kari = Participant(roomy_tavla.ws, room["code"], "Kari")
    await kari.connect()
    assert kari.limits["note_text"] == 1000 and kari.limits["notes_per_room"] == 50
    assert (kari.limits["board_width"], kari.limits["board_height"]) == (4000, 3000)
    assert kari.limits["name"] == 40 and kari.limits["cluster_title"] == 80
    assert kari.limits["area_title"] == 1000  # a note carried in as an area keeps its whole text
    assert (await kari.create_note("long", text="x" * 1000))["type"] == "ack"
    assert (await kari.create_note("longer", text="x" * 1001))["code"] == "too_long"
    await kari.close()


async def test_can_follows_phase_and_lock_live_and_on_resume(tavla: TavlaServer) -> None:
    """A participant's `can` says why they cannot write in the lobby, then follows phase and lock."""
    room = tavla.create_room(phase="lobby")
    fac = Participant(tavla.ws, room["code"], "Fasilitator", key=room["facilitator_key"])
    kari = Participant(tavla.ws, room["code"], "Kari")
    await fac.connect()
    await kari.connect()
    assert kari.can["note.create"] == "phase" and kari.can["phase.set"] == "forbidden"
    assert fac.can["phase.set"] is None and fac.can["note.create"] is None
    assert (await fac.op("phase.set", phase="write"))["type"] == "ack"
    await kari.wait_for(lambda: kari.can["note.create"] is None, what="can after phase.set")
    assert (await fac.op("room.update", locked=True))["type"] == "ack"
    await kari.wait_for(lambda: kari.can["note.move"] == "locked", what="can after lock")
    assert fac.can["note.move"] is None
    await kari.close()
    assert (await fac.op("room.update", locked=False))["type"] == "ack"
    welcome = await kari.connect()  # resumes with events
    assert "events" in welcome and welcome["can"]["note.move"] is None
    assert kari.can["note.move"] is None
    await kari.close()
    await fac.close()


async def test_a_granted_role_comes_with_its_permissions(tavla: TavlaServer) -> None:
    """Someone made coach gets a fresh welcome whose `can` lets them send hints."""
    room = tavla.create_room()
    fac = Participant(tavla.ws, room["code"], "Fasilitator", key=room["facilitator_key"])
    ola = Participant(tavla.ws, room["code"], "Ola")
    await fac.connect()
    await ola.connect()
    assert ola.can["coach.hint"] == "forbidden"
    assert (await fac.op("role.grant", participant=ola.id, role="coach"))["type"] == "ack"
    await ola.wait_for(lambda: ola.can["coach.hint"] is None, what="coach permissions")
    assert ola.can["vote.cast"] == "forbidden"
    await ola.close()
    await fac.close()


