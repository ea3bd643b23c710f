"""Pure rules of clustering, dot voting and results: budgets, limits, secrecy, ties, departments."""

from __future__ import annotations

import pytest

from server.domain import Accepted, Actor, Event, Limits, Refused, Role, State, apply_event, decide, initial_state, join
from server.domain import project_event, project_state
from server.domain.commands import (
    ClusterCreate,
    ClusterDelete,
    ClusterMerge,
    ClusterUpdate,
    NoteCreate,
    NoteDelete,
    NoteGroup,
    PhaseSet,
    RoomUpdate,
    SettingsPatch,
    VoteCast,
    VoteRetract,
    VotesReset,
    VotesReveal,
)
from server.domain.results import OTHER, compute

LIMITS = Limits()
FAC = Actor("p_fac", Role.FACILITATOR)
COACH = Actor("p_coach", Role.COACH)


def person(name: str) -> Actor:
    return Actor(f"p_{name}", Role.PARTICIPANT)


KARI, OLA, PER = person("kari"), person("ola"), person("per")


def do(state: State, actor: Actor, command: object) -> Event:
    decision = decide(state, actor, command, 1000 * state.seq, LIMITS)  # type: ignore[arg-type]
    assert isinstance(decision, Accepted), decision
    event = Event(state.seq + 1, decision.op, actor.id, 1000 * state.seq, decision.data)
    apply_event(state, event)
    return event


def refused(state: State, actor: Actor, command: object) -> str:
    decision = decide(state, actor, command, 0, LIMITS)  # type: ignore[arg-type]
    assert isinstance(decision, Refused), decision
    return decision.code


def board(departments: dict[str, str] | None = None) -> State:
    """A room in the vote phase with notes n1..n3 and cluster c1 (holding n2)."""
    state = initial_state(Event(1, "room.create", "system", 0,
                                {"code": "ABCDEF", "title": "T", "language": "nb", "template": "blank"}))
    departments = departments or {"kari": "Helse", "ola": "Skole", "per": "Skole"}
    for actor in (FAC, COACH, *(person(n) for n in departments)):
        name = actor.id[2:]
        decision = join(state, actor.id, name, departments.get(name, "Ledelse"), actor.role, LIMITS)
        assert isinstance(decision, Accepted)
        apply_event(state, Event(state.seq + 1, decision.op, actor.id, 0, decision.data))
    do(state, FAC, PhaseSet("write"))
    for i in (1, 2, 3):
        do(state, FAC, NoteCreate(f"n{i}", f"idé {i}", "yellow", 10 * i, 10))
    do(state, FAC, ClusterCreate("c1", "Tid", 500, 500))
    do(state, FAC, NoteGroup("n2", "c1"))
    do(state, FAC, PhaseSet("vote"))
    return state


def test_budget_and_per_target_limit() -> None:
    """Five dots in all, at most three on one idea; retracting gives a dot back."""
    state = board()
    for _ in range(3):
        do(state, KARI, VoteCast("n1"))
    assert refused(state, KARI, VoteCast("n1")) == "vote_limit"
    do(state, KARI, VoteCast("n2"))
    last = do(state, KARI, VoteCast("c1"))
    assert last.data["left"] == 0
    assert refused(state, KARI, VoteCast("n3")) == "vote_budget"
    do(state, KARI, VoteRetract("n1"))
    do(state, KARI, VoteCast("n3"))
    assert state.votes[KARI.id] == {"n1": 2, "n2": 1, "c1": 1, "n3": 1}
    assert refused(state, KARI, VoteRetract("n9")) == "not_found"


@pytest.mark.parametrize(("actor", "code"), [(COACH, "forbidden")])
def test_coaches_do_not_vote(actor: Actor, code: str) -> None:
    """A coach guides the session and takes no part in the vote."""
    assert refused(board(), actor, VoteCast("n1")) == code


def test_voting_only_in_the_vote_phase_and_on_allowed_targets() -> None:
    """No dots outside the vote phase; the facilitator can restrict voting to notes or to groups."""
    state = board()
    do(state, FAC, PhaseSet("cluster"))
    assert refused(state, KARI, VoteCast("n1")) == "phase"
    do(state, FAC, PhaseSet("vote"))
    do(state, FAC, RoomUpdate(settings=SettingsPatch(vote_on="clusters")))
    assert refused(state, KARI, VoteCast("n1")) == "invalid"
    do(state, KARI, VoteCast("c1"))
    do(state, FAC, RoomUpdate(settings=SettingsPatch(vote_on="notes")))
    assert refused(state, KARI, VoteCast("c1")) == "invalid"
    assert refused(state, KARI, VoteCast("ghost")) == "not_found"
    assert refused(state, FAC, RoomUpdate(settings=SettingsPatch(vote_budget=2, max_votes_per_target=3))) == "invalid"


def test_dots_and_totals_are_secret_until_reveal() -> None:
    """Before reveal only the voter learns their dots; nobody learns a total or who voted; after
    reveal everyone gets totals and still not who."""
    state = board()
    event = do(state, KARI, VoteCast("n1"))
    assert project_event(event, KARI)["data"] == {"target": "n1", "mine": 1, "left": 4, "total": None}
    for viewer in (OLA, FAC, COACH):
        assert project_event(event, viewer) == {"type": "event", "seq": event.seq, "op": "redacted",
                                                "by": None, "at": event.at, "data": {}}
        view = project_state(state, viewer)
        assert view["my_votes"] == {} and all(n["votes"] is None for n in view["notes"])
        assert all(c["votes"] is None for c in view["clusters"])
    assert project_state(state, KARI)["my_votes"] == {"n1": 1}
    reveal = do(state, FAC, VotesReveal())
    assert project_event(reveal, OLA)["data"] == {"totals": {"n1": 1}}
    after = do(state, KARI, VoteCast("n1"))
    assert project_event(after, OLA) == {"type": "event", "seq": after.seq, "op": "vote.cast", "by": None,
                                         "at": after.at, "data": {"target": "n1", "total": 2}}
    assert {n["id"]: n["votes"] for n in project_state(state, OLA)["notes"]} == {"n1": 2, "n2": 0, "n3": 0}


def test_reset_starts_over() -> None:
    """votes.reset clears every dot and hides totals again."""
    state = board()
    do(state, KARI, VoteCast("n1"))
    do(state, FAC, VotesReveal())
    do(state, FAC, VotesReset())
    assert state.votes == {} and not state.room.votes_revealed
    assert project_state(state, KARI)["my_votes"] == {}


def test_deleting_a_target_gives_its_dots_back() -> None:
    """A deleted note or group returns its dots to the voters' budgets."""
    state = board()
    for _ in range(3):
        do(state, OLA, VoteCast("n1"))
    do(state, OLA, VoteCast("c1"))
    do(state, FAC, NoteDelete("n1"))
    do(state, FAC, ClusterDelete("c1"))
    assert state.votes[OLA.id] == {}
    assert state.notes["n2"].cluster is None


def test_moving_a_group_moves_its_notes_within_the_board() -> None:
    """Notes of a moved group move by the same offset, clamped to the board."""
    state = board()
    do(state, FAC, ClusterUpdate("c1", x=600, y=520))
    assert (state.notes["n2"].x, state.notes["n2"].y) == (120.0, 30.0)
    do(state, FAC, ClusterUpdate("c1", x=0, y=0))
    assert (state.notes["n2"].x, state.notes["n2"].y) == (0.0, 0.0)
    assert state.notes["n1"].x == 10.0


def test_merge_moves_notes_and_only_creator_or_facilitator_may_remove() -> None:
    """Merging moves the notes into the other group; participants may not remove others' groups."""
    state = board()
    do(state, FAC, PhaseSet("cluster"))
    do(state, KARI, ClusterCreate("c2", "Skjema", 10, 900))
    do(state, KARI, NoteGroup("n3", "c2"))
    assert refused(state, OLA, ClusterDelete("c2")) == "forbidden"
    assert refused(state, KARI, ClusterMerge("c2", "c2")) == "not_found"
    assert refused(state, KARI, ClusterCreate("n1", "clash", 0, 0)) == "exists", "ids are shared with notes"
    do(state, KARI, ClusterMerge("c2", "c1"))
    assert set(state.clusters) == {"c1"} and state.notes["n3"].cluster == "c1"


def test_results_rank_ties_as_ties() -> None:
    """Equal dots share a rank and the next rank is skipped (1, 1, 3)."""
    state = board()
    do(state, KARI, VoteCast("n1"))
    do(state, OLA, VoteCast("n2"))
    do(state, FAC, VotesReveal())
    result = compute(state)
    assert [(n.id, n.rank, n.votes) for n in result.notes] == [("n1", 1, 1), ("n2", 1, 1), ("n3", 3, 0)]
    assert [n.id for n in result.clusters[0].notes] == ["n2"]


def test_results_hide_dots_until_reveal() -> None:
    """Results before reveal carry no dots at all."""
    state = board()
    do(state, KARI, VoteCast("n1"))
    result = compute(state)
    assert not result.revealed and {n.votes for n in result.notes} == {0} and result.broadest == []


def test_small_departments_are_folded_and_a_lone_voter_is_never_shown() -> None:
    """Departments with one voter fold into "other"; if "other" would be one person, their dots
    count only in the totals."""
    state = board({"a": "Helse", "b": "Helse", "c": "Skole", "d": "Kultur", "e": "Bibliotek"})
    for name, target in (("a", "n1"), ("b", "n1"), ("c", "n1"), ("d", "n2"), ("e", "n2")):
        do(state, person(name), VoteCast(target))
    do(state, FAC, VotesReveal())
    result = compute(state)
    assert result.departments == ["Helse", OTHER]
    n1 = next(n for n in result.notes if n.id == "n1")
    assert n1.votes == 3 and n1.departments == {"Helse": 2, OTHER: 1}

    lone = board({"a": "Helse", "b": "Helse", "c": "Skole"})
    for name in ("a", "b", "c"):
        do(lone, person(name), VoteCast("n1"))
    do(lone, FAC, VotesReveal())
    result = compute(lone)
    assert result.departments == ["Helse"]
    n1 = next(n for n in result.notes if n.id == "n1")
    assert n1.votes == 3 and n1.departments == {"Helse": 2}


def test_breadth_ranks_ideas_by_how_many_departments_support_them() -> None:
    """The idea with dots from the most departments comes first, then by dots."""
    state = board({"a": "Helse", "b": "Helse", "c": "Skole", "d": "Skole"})
    do(state, person("a"), VoteCast("n1"))
    do(state, person("c"), VoteCast("n1"))
    do(state, person("d"), VoteCast("n2"))
    for name in ("a", "b"):
        for _ in range(3):
            do(state, person(name), VoteCast("n3"))
    do(state, FAC, VotesReveal())
    result = compute(state)
    assert [(b.id, b.departments) for b in result.broadest][:2] == [("n1", 2), ("n3", 1)]


def test_results_never_include_private_notes() -> None:
    """A note still private at the end is not in the results or exports."""
    state = board()
    do(state, FAC, PhaseSet("write"))
    do(state, FAC, RoomUpdate(settings=SettingsPatch(private_writing=True)))
    do(state, OLA, NoteCreate("secret", "hemmelig", "pink", 1, 1))
    assert "secret" not in {n.id for n in compute(state).notes}
