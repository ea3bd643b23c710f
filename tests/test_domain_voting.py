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
from server.domain.results import Results, compute
from tests.support.domain import commit as commit_at

LIMITS = Limits()
FAC = Actor("p_fac", Role.FACILITATOR)
COACH = Actor("p_coach", Role.COACH)


def person(name: str) -> Actor:
    return Actor(f"p_{name}", Role.PARTICIPANT)


KARI, OLA, PER = person("kari"), person("ola"), person("per")


def do(state: State, actor: Actor, command: object) -> Event:
    """Each step a second after the last, so timers and hint times differ."""
    return commit_at(state, actor, command, now=1000 * state.seq)


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


def test_moving_a_group_moves_its_notes_with_it() -> None:
    """Notes of a moved group move by the same offset: they keep their place in its grid."""
    state = board()
    do(state, FAC, ClusterUpdate("c1", x=600, y=520))
    assert (state.notes["n2"].x, state.notes["n2"].y) == (620.0, 690.0)
    do(state, FAC, ClusterUpdate("c1", x=0, y=0))
    assert (state.notes["n2"].x, state.notes["n2"].y) == (20.0, 170.0)
    # n1 was under the group's new place: it made way, to the nearest free place beside it
    n1 = state.notes["n1"]
    assert n1.x >= 20 + 220 + 20 or n1.y >= 170 + 140 + 20


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


def everything_shown(result: Results) -> list[object]:
    """All a reader of the results page or an export learns about ideas and departments."""
    ideas = [(n.id, n.votes, n.departments) for n in result.notes] + [(c.id, c.votes, c.departments) for c in result.clusters]
    return [ideas, result.departments,
            [(b.id, b.departments, b.votes, b.names, b.outside, b.area) for b in result.broadest]]


@pytest.mark.parametrize("victim_dots", [1, 2, 3])
def test_joining_a_department_and_voting_cannot_reveal_a_colleagues_dots(victim_dots: int) -> None:
    """The subtraction attack: the attacker joins with the victim's department and casts dots they
    know, after reveal as well (one dot more, one less). Whatever the victim gave n1, everything
    the results show the attacker is the same; the old per-department count showed it exactly."""
    seen = []
    for dots in (0, victim_dots):
        state = board({"victim": "Helse", "attacker": "Helse", "x": "Skole", "y": "Skole"})
        for _ in range(dots):
            do(state, person("victim"), VoteCast("n1"))
        do(state, person("attacker"), VoteCast("n1"))
        do(state, person("x"), VoteCast("n1"))
        do(state, FAC, VotesReveal())
        views = [everything_shown(compute(state))]
        do(state, person("attacker"), VoteCast("n1"))
        views.append(everything_shown(compute(state)))
        do(state, person("attacker"), VoteRetract("n1"))
        do(state, person("attacker"), VoteRetract("n1"))
        views.append(everything_shown(compute(state)))
        totals = [v[0][0][1] for v in views]  # type: ignore[index]
        for view in views:  # the total is public: take it out, what is left must not depend on the victim
            view[0] = [(i, d) for i, _, d in view[0]]  # type: ignore[index, misc]
            view[2] = [(i, d, n, o, a) for i, d, _, n, o, a in view[2]]  # type: ignore[index, misc]
        seen.append((views, [t - dots for t in totals]))
    assert seen[0] == seen[1]


def test_a_department_supports_an_idea_only_with_three_distinct_voters() -> None:
    """A department is named on an idea once three different people of it gave the idea dots,
    and no dot count is ever split by department."""
    state = board({"a": "Helse", "b": "Helse", "c": "Helse", "d": "Skole", "e": "Skole"})
    for name in ("a", "b", "c", "d", "e"):
        do(state, person(name), VoteCast("n1"))
    for _ in range(2):
        do(state, person("a"), VoteCast("n3"))
    do(state, person("b"), VoteCast("n3"))
    do(state, FAC, VotesReveal())
    result = compute(state)
    n1, n3 = (next(n for n in result.notes if n.id == i) for i in ("n1", "n3"))
    assert (n1.votes, n1.departments) == (5, ["Helse"]), "Skole has two voters on n1: not named"
    assert (n3.votes, n3.departments) == (3, []), "three dots from two people are still two people"
    assert result.departments == ["Helse"]
    assert [(b.id, b.departments, b.names) for b in result.broadest] == [("n1", 1, ["Helse"])]


def test_breadth_ranks_ideas_by_how_many_departments_support_them() -> None:
    """The idea with dots from the most departments comes first, then by dots."""
    people = {f"{d}{i}": d for d in ("Helse", "Skole") for i in range(3)}
    state = board(people)
    for name in people:
        do(state, person(name), VoteCast("n1"))
    for name in ("Helse0", "Helse1", "Helse2"):
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
