"""Coaching at a distance in the pure domain: the facilitator shares what their screen shows
(`view.share`), the coach leaves a debrief (`coach.debrief`). Both are for facilitators and
coaches only: a participant never learns them, in a frame, a welcome or a resume."""

from __future__ import annotations

import copy
import math

import pytest

from server import codec
from server.domain import Accepted, Actor, Event, Limits, Refused, Role, State, apply_event, decide
from server.domain import initial_state, join, permissions, project_event, project_state
from server.domain.commands import CoachDebrief, Command, ViewShare
from server.domain.model import BOARD_HEIGHT, BOARD_WIDTH
from server.domain.rules import VIEW_MIN
from tests.support.domain import commit

LIMITS = Limits()
KARI = Actor("p_kari", Role.PARTICIPANT)
COACH = Actor("p_coach", Role.COACH)
COACH2 = Actor("p_coach2", Role.COACH)
FACILITATOR = Actor("p_faci", Role.FACILITATOR)
EVERYONE = (KARI, COACH, COACH2, FACILITATOR)
STAFF = (COACH, COACH2, FACILITATOR)
DEBRIEF = "Godt tempo i skriverunden. Neste gang: be om ett behov per lapp."


def room() -> State:
    state = initial_state(Event(1, "room.create", "system", 0,
                                {"code": "K7MPQ2", "title": "Coaching", "language": "nb", "template": "blank"}))
    for actor in EVERYONE:
        decision = join(state, actor.id, actor.id[2:], "Helse", actor.role, LIMITS)
        assert isinstance(decision, Accepted)
        apply_event(state, Event(state.seq + 1, decision.op, actor.id, 0, decision.data))
    return state


def label(value: object) -> str:
    return value.id[2:] if isinstance(value, Actor) else repr(value)


# --- who may ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("actor", "ok"), [(FACILITATOR, True), (COACH, False), (KARI, False)], ids=label)
def test_only_a_facilitator_shares_their_view(actor: Actor, ok: bool) -> None:
    state = room()
    decision = decide(state, actor, ViewShare(100, 200, 1200, 700), 5, LIMITS)
    assert isinstance(decision, Accepted) is ok
    if not ok:
        assert decision == Refused("forbidden")
    assert permissions(state, actor)["view.share"] == (None if ok else "forbidden")


@pytest.mark.parametrize(("actor", "ok"), [(COACH, True), (FACILITATOR, False), (KARI, False)], ids=label)
def test_only_a_coach_writes_the_debrief(actor: Actor, ok: bool) -> None:
    state = room()
    decision = decide(state, actor, CoachDebrief(DEBRIEF), 5, LIMITS)
    assert isinstance(decision, Accepted) is ok
    if not ok:
        assert decision == Refused("forbidden")
    assert permissions(state, actor)["coach.debrief"] == (None if ok else "forbidden")


# --- what is refused, and that a refusal changes nothing --------------------------------------

BAD_VIEWS = [
    ViewShare(-1, 0, 1000, 800),
    ViewShare(0, -5, 1000, 800),
    ViewShare(0, 0, VIEW_MIN - 1, 800),
    ViewShare(0, 0, 800, 0),
    ViewShare(BOARD_WIDTH - 100, 0, 200, 800),  # past the right edge
    ViewShare(0, BOARD_HEIGHT - 100, 800, 200),  # past the bottom
    ViewShare(math.nan, 0, 800, 600),
    ViewShare(0, 0, math.inf, 600),
]


@pytest.mark.parametrize("command", BAD_VIEWS, ids=label)
def test_a_view_off_the_board_is_refused_and_changes_nothing(command: ViewShare) -> None:
    state = room()
    commit(state, FACILITATOR, ViewShare(0, 0, 1000, 800))
    before = copy.deepcopy(state)
    assert decide(state, FACILITATOR, command, 9, LIMITS) == Refused("invalid", {"field": "view"})
    assert state == before


def test_the_whole_board_is_a_view() -> None:
    state = room()
    commit(state, FACILITATOR, ViewShare(0, 0, BOARD_WIDTH, BOARD_HEIGHT))
    assert (state.view.x, state.view.y, state.view.w, state.view.h) == (0, 0, BOARD_WIDTH, BOARD_HEIGHT)
    assert state.view.by == FACILITATOR.id


@pytest.mark.parametrize(("text", "refusal"), [
    ("x" * (LIMITS.debrief + 1), Refused("too_long", {"field": "text", "max": LIMITS.debrief})),
    ("   \n ", Refused("invalid", {"field": "text"})),  # nothing to remove yet
], ids=["too long", "empty without a debrief"])
def test_an_overlong_or_empty_debrief_is_refused_and_changes_nothing(text: str, refusal: Refused) -> None:
    state = room()
    before = copy.deepcopy(state)
    assert decide(state, COACH, CoachDebrief(text), 0, LIMITS) == refusal
    assert state == before


def test_the_latest_debrief_wins_an_empty_one_removes_it() -> None:
    state = room()
    commit(state, COACH, CoachDebrief("  Første utkast \n"), now=1000)
    assert (state.debrief.text, state.debrief.by, state.debrief.at) == ("Første utkast", COACH.id, 1000)
    commit(state, COACH2, CoachDebrief(DEBRIEF), now=2000)
    assert (state.debrief.text, state.debrief.by) == (DEBRIEF, COACH2.id)
    commit(state, COACH2, CoachDebrief("x" * LIMITS.debrief), now=3000)  # exactly the limit is fine
    commit(state, COACH, CoachDebrief(""), now=4000)
    assert state.debrief is None


# --- who learns what ----------------------------------------------------------------------------


def coached() -> tuple[State, list[Event]]:
    state = room()
    events = [commit(state, FACILITATOR, ViewShare(400, 300, 1366, 768), now=10),
              commit(state, COACH, CoachDebrief(DEBRIEF), now=20)]
    return state, events


@pytest.mark.parametrize("viewer", STAFF, ids=label)
def test_staff_get_the_view_and_the_debrief(viewer: Actor) -> None:
    state, (shared, written) = coached()
    frame = project_event(shared, viewer, state)
    assert (frame["op"], frame["data"]) == ("view.share", {"by": FACILITATOR.id, "x": 400, "y": 300, "w": 1366, "h": 768})
    frame = project_event(written, viewer, state)
    assert (frame["op"], frame["data"]["text"], frame["by"]) == ("coach.debrief", DEBRIEF, COACH.id)
    welcome = project_state(state, viewer)
    assert welcome["view"] == {"by": FACILITATOR.id, "x": 400, "y": 300, "w": 1366, "h": 768}
    assert welcome["debrief"] == {"text": DEBRIEF, "by": COACH.id, "at": 20}


def test_a_participant_gets_placeholders_and_nothing_in_the_welcome() -> None:
    state, events = coached()
    for event in events:
        frame = project_event(event, KARI, state)
        assert frame == {"type": "event", "seq": event.seq, "op": "redacted", "by": None, "at": event.at, "data": {}}
    welcome = project_state(state, KARI)
    assert "view" not in welcome and "debrief" not in welcome
    assert DEBRIEF not in str(welcome) and "1366" not in str(welcome)


def test_view_and_debrief_survive_the_snapshot_codec_and_replay() -> None:
    state, events = coached()
    assert codec.decode_state(codec.encode_state(state)) == state
    assert [codec.decode_event(codec.encode_event(e)) for e in events] == events
    replayed = room()
    for event in events:
        apply_event(replayed, codec.decode_event(codec.encode_event(event)))
    assert replayed == state


def test_a_snapshot_from_before_coaching_still_loads() -> None:
    """Stored states written before these fields existed decode with neither."""
    raw = codec.encode_state(room()).replace(b',"view":null', b"").replace(b',"debrief":null', b"")
    assert b'"view"' not in raw
    state = codec.decode_state(raw)
    assert state.view is None and state.debrief is None


COMMANDS_OF_THIS_FEATURE: list[tuple[Actor, Command]] = [(FACILITATOR, ViewShare(0, 0, 800, 600)), (COACH, CoachDebrief("Hei"))]


@pytest.mark.parametrize(("actor", "command"), COMMANDS_OF_THIS_FEATURE, ids=lambda v: label(v))
def test_nothing_else_changes(actor: Actor, command: Command) -> None:
    """A view or a debrief touches no note, group, dot, phase or person."""
    state = room()
    before = copy.deepcopy(state)
    commit(state, actor, command)
    state.view = before.view
    state.debrief = before.debrief
    state.seq = before.seq
    assert state == before


def test_view_and_debrief_belong_to_the_session_across_rounds() -> None:
    """Rounds switch the board, not the coaching: the last view and the debrief stay, and a
    round switch's per-recipient state carries them to staff only."""
    from server.domain.commands import PhaseSet, RoundGo, RoundPlan, RoundsPlan

    state, _ = coached()
    commit(state, FACILITATOR, PhaseSet("write"))
    commit(state, FACILITATOR, RoundsPlan((RoundPlan(state.room.round, "Behov"), RoundPlan("r2", "Løsning"))))
    commit(state, FACILITATOR, RoundGo("r2"))
    commit(state, FACILITATOR, RoundGo(state.room.rounds[0].id))
    assert state.view is not None and state.debrief is not None and state.debrief.text == DEBRIEF
    assert project_state(state, COACH)["debrief"]["text"] == DEBRIEF
    assert "debrief" not in project_state(state, KARI)
