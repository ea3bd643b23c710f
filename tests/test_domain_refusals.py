"""Exact answers of the rules for groups, dots and roles: the refusal code and its params that a
client shows (and translates), and the event data that every replica applies."""

from __future__ import annotations

import pytest

from server.domain import Accepted, Actor, Event, Limits, Refused, Role, State, apply_event, decide
from server.domain import initial_state, join, project_state
from server.domain.commands import (
    ClusterCreate,
    ClusterDelete,
    ClusterMerge,
    ClusterUpdate,
    CoachHint,
    Command,
    NoteCreate,
    NoteDelete,
    NoteGroup,
    NotesReveal,
    PhaseSet,
    ResultsPublish,
    RoleGrant,
    RoomDelete,
    RoomUpdate,
    SettingsPatch,
    Spotlight,
    VoteCast,
    VoteRetract,
    VotesReset,
    VotesReveal,
)
from tests.support.domain import commit as do

LIMITS = Limits()
FAC = Actor("p_fac", Role.FACILITATOR)
COACH = Actor("p_coach", Role.COACH)
KARI = Actor("p_kari", Role.PARTICIPANT)
OLA = Actor("p_ola", Role.PARTICIPANT)


def board(phase: str = "cluster") -> State:
    """Notes n1 (Kari's), n2 (Ola's); group c1 (the facilitator's, holding n2) and c2 (Kari's)."""
    state = initial_state(Event(1, "room.create", "system", 0,
                                {"code": "K7MPQ2", "title": "T", "language": "nb", "template": "blank"}))
    for actor in (FAC, COACH, KARI, OLA):
        decision = join(state, actor.id, actor.id[2:], "Helse", actor.role, LIMITS)
        assert isinstance(decision, Accepted)
        apply_event(state, Event(state.seq + 1, decision.op, actor.id, 0, decision.data))
    do(state, FAC, PhaseSet("write"))
    do(state, KARI, NoteCreate("n1", "Idé en", "yellow", 100, 100))
    do(state, OLA, NoteCreate("n2", "Idé to", "blue", 200, 200))
    do(state, FAC, ClusterCreate("c1", "Ventetid", 1000, 1000))
    do(state, KARI, ClusterCreate("c2", "Skjema", 2000, 2000))
    do(state, FAC, NoteGroup("n2", "c1"))
    do(state, FAC, PhaseSet(phase))
    return state


# --- groups -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("actor", "command", "refusal"), [
    (KARI, NoteGroup("n1", "nope"), Refused("not_found", {"id": "nope"})),
    (KARI, NoteGroup("nope", "c1"), Refused("not_found", {"id": "nope"})),
    (KARI, ClusterCreate("c3", "x" * (LIMITS.cluster_title + 1), 1, 1),
     Refused("too_long", {"field": "title", "max": LIMITS.cluster_title})),
    (KARI, ClusterCreate("c3", "Tittel", -1, 1), Refused("invalid", {"field": "position"})),
    (KARI, ClusterCreate("c3", "x" * (LIMITS.cluster_title + 1), -1, 1),
     Refused("too_long", {"field": "title", "max": LIMITS.cluster_title})),
    (KARI, ClusterUpdate("nope", title="Ny"), Refused("not_found", {"id": "nope"})),
    (KARI, ClusterUpdate("c1"), Refused("invalid", {"field": "title"})),
    (KARI, ClusterUpdate("c1", title="x" * (LIMITS.cluster_title + 1)),
     Refused("too_long", {"field": "title", "max": LIMITS.cluster_title})),
    (KARI, ClusterUpdate("c1", x=5000), Refused("invalid", {"field": "position"})),
    (KARI, ClusterUpdate("c1", y=-1), Refused("invalid", {"field": "position"})),
    (KARI, ClusterDelete("nope"), Refused("not_found", {"id": "nope"})),
    (KARI, ClusterDelete("c1"), Refused("forbidden")),
    (OLA, ClusterMerge("c2", "c1"), Refused("forbidden")),
    (KARI, ClusterMerge("nope", "c1"), Refused("not_found", {"id": "nope"})),
    (KARI, ClusterMerge("c2", "nope"), Refused("not_found", {"id": "nope"})),
    (KARI, ClusterMerge("c2", "c2"), Refused("not_found", {"id": "c2"})),
], ids=lambda v: type(v).__name__ if not isinstance(v, Actor) else v.id[2:])
def test_group_refusals(actor: Actor, command: Command, refusal: Refused) -> None:
    assert decide(board(), actor, command, 0, LIMITS) == refusal


def test_group_title_at_the_limit_counts_after_trimming() -> None:
    title = " " + "x" * LIMITS.cluster_title + " "
    assert do(board(), KARI, ClusterCreate("c3", title, 3000, 100)).data == {
        "id": "c3", "title": "x" * LIMITS.cluster_title, "x": 3000.0, "y": 100.0, "creator": KARI.id}


def test_renaming_a_group_keeps_its_place() -> None:
    state = board()
    event = do(state, KARI, ClusterUpdate("c1", title="  Kø "))
    assert event.data == {"id": "c1", "title": "Kø"}
    assert (state.clusters["c1"].title, state.clusters["c1"].x, state.clusters["c1"].y) == ("Kø", 1000, 1000)
    assert (state.notes["n2"].x, state.notes["n2"].y) == (1020, 1170), "its note stays in its grid"
    # A title on two lines of a one-note group's header: the note moves down under it.
    event = do(state, KARI, ClusterUpdate("c1", title="Lang ventetid"))
    assert event.data == {"id": "c1", "title": "Lang ventetid",
                          "layout": {"notes": [{"id": "n2", "x": 1020.0, "y": 1202.0}]}}
    assert (state.clusters["c1"].x, state.clusters["c1"].y) == (1000, 1000)


@pytest.mark.parametrize(("command", "x", "y"), [
    (ClusterUpdate("c1", x=1100), 1100.0, 1000.0),
    (ClusterUpdate("c1", y=900), 1000.0, 900.0),
    (ClusterUpdate("c1", x=1100, y=900), 1100.0, 900.0),
])
def test_moving_a_group_on_one_axis_keeps_the_other(command: ClusterUpdate, x: float, y: float) -> None:
    """A move along one axis keeps the other coordinate, and the group's notes follow by the offset."""
    state = board()
    event = do(state, KARI, command)
    assert event.data == {"id": "c1", "x": x, "y": y, "dx": x - 1000, "dy": y - 1000}
    assert (state.clusters["c1"].x, state.clusters["c1"].y) == (x, y)
    # n2 sits in c1's grid, under its header: at (1020, 1170) before the move
    assert (state.notes["n2"].x, state.notes["n2"].y) == (1020 + x - 1000, 1170 + y - 1000)
    assert (state.notes["n1"].x, state.notes["n1"].y) == (100, 100), "notes outside the group stay"


def test_grouping_and_ungrouping_a_note() -> None:
    state = board()
    assert do(state, OLA, NoteGroup("n1", "c2")).data == {
        "id": "n1", "cluster": "c2", "layout": {"notes": [{"id": "n1", "x": 2020.0, "y": 2170.0}]}}
    assert state.notes["n1"].cluster == "c2"
    event = do(state, OLA, NoteGroup("n1", None))
    assert state.notes["n1"].cluster is None
    # out of the group's frame, to the free place nearest where it was
    assert event.data["layout"]["notes"][0]["id"] == "n1"
    assert state.notes["n1"].x + 220 <= 2000 or state.notes["n1"].y >= 2000 + 350


def test_merging_moves_the_notes_and_the_dots_go_back() -> None:
    """Merging c1 into c2: its notes join c2; dots on c1 return to their voters; a spotlight on it goes off."""
    state = board("vote")
    do(state, OLA, VoteCast("c1"))
    do(state, OLA, VoteCast("n1"))
    do(state, FAC, Spotlight("c1"))
    assert do(state, FAC, ClusterMerge("c1", "c2")).data == {
        "id": "c1", "into": "c2", "layout": {"notes": [{"id": "n2", "x": 2020.0, "y": 2170.0}]}}
    assert state.notes["n2"].cluster == "c2" and "c1" not in state.clusters
    assert state.votes[OLA.id] == {"n1": 1} and state.room.spotlight is None


def test_removing_a_target_leaves_the_spotlight_on_another() -> None:
    state = board("vote")
    do(state, FAC, Spotlight("n1"))
    do(state, FAC, ClusterDelete("c1"))
    do(state, FAC, NoteDelete("n2"))
    assert state.room.spotlight == "n1"
    do(state, FAC, NoteDelete("n1"))
    assert state.room.spotlight is None


# --- dots -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("vote_on", "target", "refusal"), [
    ("clusters", "n1", Refused("invalid", {"field": "target"})),
    ("notes", "c1", Refused("invalid", {"field": "target"})),
    ("both", "nope", Refused("not_found", {"id": "nope"})),
])
def test_dot_on_a_target_the_settings_exclude(vote_on: str, target: str, refusal: Refused) -> None:
    state = board("vote")
    do(state, FAC, RoomUpdate(settings=SettingsPatch(vote_on=vote_on)))
    assert decide(state, KARI, VoteCast(target), 0, LIMITS) == refusal


@pytest.mark.parametrize(("vote_on", "notes", "groups"), [("notes", True, False), ("clusters", False, True),
                                                          ("both", True, True)])
def test_dots_go_where_the_settings_allow(vote_on: str, notes: bool, groups: bool) -> None:
    state = board("vote")
    do(state, FAC, RoomUpdate(settings=SettingsPatch(vote_on=vote_on)))
    assert isinstance(decide(state, KARI, VoteCast("n1"), 0, LIMITS), Accepted) is notes
    assert isinstance(decide(state, KARI, VoteCast("c1"), 0, LIMITS), Accepted) is groups


@pytest.mark.parametrize("phase", ["lobby", "write", "cluster", "results"])
def test_dot_outside_the_vote_phase_names_the_phase(phase: str) -> None:
    state = board(phase)
    assert decide(state, KARI, VoteCast("n1"), 0, LIMITS) == Refused("phase", {"phase": phase})
    assert decide(state, KARI, VoteRetract("n1"), 0, LIMITS) == Refused("phase", {"phase": phase})


def test_budget_and_limit_refusals_name_their_number() -> None:
    state = board("vote")
    do(state, FAC, RoomUpdate(settings=SettingsPatch(vote_budget=3, max_votes_per_target=2)))
    do(state, KARI, VoteCast("n1"))
    do(state, KARI, VoteCast("n1"))
    assert decide(state, KARI, VoteCast("n1"), 0, LIMITS) == Refused("vote_limit", {"max": 2})
    do(state, KARI, VoteCast("c1"))
    assert decide(state, KARI, VoteCast("n2"), 0, LIMITS) == Refused("vote_budget", {"budget": 3})


def test_dot_data_counts_the_voters_own_dots_the_total_and_what_is_left() -> None:
    """`mine`, `left` and `total` in each dot event, with other voters' dots in the total only."""
    state = board("vote")
    do(state, OLA, VoteCast("n1"))
    do(state, OLA, VoteCast("c1"))
    first = do(state, KARI, VoteCast("n1"))
    assert first.data == {"target": "n1", "voter": KARI.id, "mine": 1, "left": 4, "total": 2, "revealed": False}
    assert do(state, KARI, VoteCast("n2")).data == {"target": "n2", "voter": KARI.id, "mine": 1, "left": 3,
                                                    "total": 1, "revealed": False}
    do(state, FAC, VotesReveal())
    retract = do(state, KARI, VoteRetract("n1"))
    assert retract.data == {"target": "n1", "voter": KARI.id, "mine": 0, "left": 4, "total": 1, "revealed": True}
    assert state.votes[KARI.id] == {"n2": 1}, "a target with no dots left is forgotten"
    assert project_state(state, KARI)["my_votes"] == {"n2": 1}


@pytest.mark.parametrize(("voter", "target"), [(KARI, "n1"), (OLA, "n1"), (KARI, "nope")])
def test_retracting_a_dot_one_never_gave(voter: Actor, target: str) -> None:
    state = board("vote")
    do(state, OLA, VoteCast("n2"))
    assert decide(state, voter, VoteRetract(target), 0, LIMITS) == Refused("not_found", {"id": target})


def test_reveal_reset_and_publish() -> None:
    """Reveal carries the totals; reset forgets every dot and hides totals; publish is a switch."""
    state = board("vote")
    do(state, KARI, VoteCast("n1"))
    do(state, OLA, VoteCast("n1"))
    assert do(state, FAC, VotesReveal()).data == {"totals": {"n1": 2}}
    assert state.room.votes_revealed is True
    assert do(state, FAC, VotesReset()).data == {}
    assert state.votes == {} and state.room.votes_revealed is False
    assert project_state(state, KARI)["room"]["revealed"] == {"votes": False}
    assert do(state, FAC, ResultsPublish(True)).data == {"published": True}
    assert state.room.results_published is True
    do(state, FAC, ResultsPublish(False))
    assert state.room.results_published is False
    assert do(state, FAC, RoomDelete()).data == {}


# --- roles, hints, spotlight, reveal ----------------------------------------------------------


@pytest.mark.parametrize(("command", "refusal"), [
    (RoleGrant("p_nobody", "coach"), Refused("not_found", {"id": "p_nobody"})),
    (RoleGrant(FAC.id, "participant"), Refused("forbidden")),
    (RoleGrant(KARI.id, "admin"), Refused("invalid", {"field": "role"})),
], ids=["unknown", "self", "no-such-role"])
def test_role_grant_refusals(command: RoleGrant, refusal: Refused) -> None:
    assert decide(board(), FAC, command, 0, LIMITS) == refusal


@pytest.mark.parametrize("role", ["facilitator", "coach", "participant"])
def test_role_grant_changes_the_participants_role(role: str) -> None:
    state = board()
    do(state, FAC, RoleGrant(COACH.id, "participant"))
    assert do(state, FAC, RoleGrant(COACH.id, role)).data == {"participant": COACH.id, "role": role}
    assert state.participants[COACH.id].role is Role(role)


def test_hints_are_kept_whole_and_in_order() -> None:
    state = board()
    do(state, COACH, CoachHint("Først"), now=111)
    do(state, COACH, CoachHint("Så"), now=222)
    assert [(h.id, h.text, h.by, h.at) for h in state.hints] == [
        (f"h{state.seq - 1}", "Først", COACH.id, 111), (f"h{state.seq}", "Så", COACH.id, 222)]
    assert project_state(state, FAC)["hints"] == [
        {"id": f"h{state.seq - 1}", "text": "Først", "by": COACH.id, "at": 111},
        {"id": f"h{state.seq}", "text": "Så", "by": COACH.id, "at": 222}]


def test_spotlight_on_a_group_a_note_and_off() -> None:
    state = board()
    for target in ("c1", "n1", None):
        assert do(state, FAC, Spotlight(target)).data == {"target": target}
        assert state.room.spotlight == target
        assert project_state(state, KARI)["room"]["spotlight"] == target
    assert decide(state, FAC, Spotlight("nope"), 0, LIMITS) == Refused("not_found", {"id": "nope"})


def test_reveal_ends_private_writing_in_the_state() -> None:
    state = board("write")
    do(state, FAC, RoomUpdate(settings=SettingsPatch(private_writing=True)))
    do(state, FAC, NotesReveal())
    assert state.room.settings.private_writing is False
    assert project_state(state, KARI)["room"]["settings"]["private_writing"] is False


def test_deleting_a_target_leaves_other_dots_alone() -> None:
    """Dots on other targets, and voters who never voted for the deleted one, keep theirs."""
    state = board("vote")
    do(state, KARI, VoteCast("n2"))
    do(state, OLA, VoteCast("n1"))
    do(state, OLA, VoteCast("n2"))
    do(state, FAC, NoteDelete("n1"))
    assert state.votes == {KARI.id: {"n2": 1}, OLA.id: {"n2": 1}}


def test_one_dot_per_idea_allows_the_first() -> None:
    state = board("vote")
    do(state, FAC, RoomUpdate(settings=SettingsPatch(max_votes_per_target=1)))
    do(state, KARI, VoteCast("n1"))
    assert decide(state, KARI, VoteCast("n1"), 0, LIMITS) == Refused("vote_limit", {"max": 1})
    do(state, KARI, VoteCast("n2"))


@pytest.mark.parametrize("phase", ["lobby", "vote", "results"])
def test_board_closed_names_the_phase(phase: str) -> None:
    """Outside writing and clustering, a participant's change to the board is refused naming the phase."""
    state = board(phase)
    for command in (NoteCreate("n9", "Idé", "yellow", 1, 1), ClusterCreate("c9", "G", 1, 1), NoteGroup("n1", "c2")):
        assert decide(state, KARI, command, 0, LIMITS) == Refused("phase", {"phase": phase})
