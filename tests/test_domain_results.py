"""What a voting round produced, as the results page and the exports read it: ranking order,
ties broken by text, loose notes, who voted, and nothing before the reveal."""

from __future__ import annotations

from server.domain import Accepted, Actor, Event, Limits, Role, State, apply_event, initial_state, join
from server.domain.commands import (
    ClusterCreate,
    NoteCreate,
    NoteGroup,
    PhaseSet,
    RoomUpdate,
    SettingsPatch,
    VoteCast,
    VoteRetract,
    VotesReveal,
)
from server.domain.results import compute
from tests.support.domain import commit as do

LIMITS = Limits()
FAC = Actor("p_fac", Role.FACILITATOR)
VOTERS = [Actor(f"p_{name}", Role.PARTICIPANT) for name in ("a", "b", "c", "d")]


def workshop() -> State:
    """Notes "beta", "Alfa", "gamma" (grouped in "Tid") and "delta" (in "annet"), one group "tom"."""
    state = initial_state(Event(1, "room.create", "system", 0,
                                {"code": "K7MPQ2", "title": "Økt", "language": "sv", "template": "blank"}))
    state.room.prompt = "Hva nå?"
    for actor in (FAC, *VOTERS):
        decision = join(state, actor.id, actor.id, "Helse", actor.role, LIMITS)
        assert isinstance(decision, Accepted)
        apply_event(state, Event(state.seq + 1, decision.op, actor.id, 0, decision.data))
    do(state, FAC, PhaseSet("write"))
    for note_id, text in (("n1", "beta"), ("n2", "Alfa"), ("n3", "gamma"), ("n4", "delta")):
        do(state, FAC, NoteCreate(note_id, text, "yellow", 10, 10))
    do(state, FAC, ClusterCreate("c1", "Tid", 100, 100))
    do(state, FAC, ClusterCreate("c2", "annet", 200, 200))
    do(state, FAC, ClusterCreate("c3", "Bra", 300, 300))
    do(state, FAC, NoteGroup("n3", "c1"))
    do(state, FAC, NoteGroup("n4", "c2"))
    do(state, FAC, PhaseSet("vote"))
    return state


def cast(state: State, dots: list[tuple[int, str]]) -> None:
    for voter, target in dots:
        do(state, VOTERS[voter], VoteCast(target))


def test_ranking_orders_by_dots_then_text_ignoring_case() -> None:
    """More dots first; ties share a rank and read alphabetically (Alfa before beta)."""
    state = workshop()
    cast(state, [(0, "n3"), (1, "n3"), (0, "n1"), (1, "n2"), (2, "c2"), (3, "c2"), (2, "c3"), (3, "c3"), (0, "c1")])
    do(state, FAC, VotesReveal())
    result = compute(state)
    assert [(n.text, n.rank, n.votes) for n in result.notes] == [
        ("gamma", 1, 2), ("Alfa", 2, 1), ("beta", 2, 1), ("delta", 4, 0)]
    # A group's dots are its own and its notes' ("Tid": 1 on it, 2 on gamma).
    assert [(c.title, c.rank, c.votes, c.own_votes) for c in result.clusters] == [
        ("Tid", 1, 3, 1), ("annet", 2, 2, 2), ("Bra", 2, 2, 2)]
    assert [(n.text, n.rank) for n in result.unclustered] == [("Alfa", 1), ("beta", 1)]
    assert [[n.text for n in c.notes] for c in result.clusters] == [["gamma"], ["delta"], []]
    assert (result.voters, result.participants, result.revealed) == (4, 4, True)  # the facilitator is staff, not a participant
    assert (result.code, result.title, result.prompt, result.language) == ("K7MPQ2", "Økt", "Hva nå?", "sv")


def test_someone_who_took_every_dot_back_is_not_a_voter() -> None:
    state = workshop()
    cast(state, [(0, "n1"), (1, "n1")])
    do(state, VOTERS[1], VoteRetract("n1"))
    do(state, FAC, VotesReveal())
    assert compute(state).voters == 1


def test_nothing_is_counted_before_the_reveal() -> None:
    state = workshop()
    cast(state, [(0, "n1"), (1, "n1"), (2, "c1")])
    result = compute(state)
    assert (result.revealed, result.voters, result.departments, result.broadest) == (False, 0, [], [])
    assert {n.votes for n in result.notes} == {0} and {c.votes for c in result.clusters} == {0}
    assert {n.rank for n in result.notes} == {1}


def test_broadest_is_cut_at_top() -> None:
    state = workshop()
    cast(state, [(v, t) for v in range(4) for t in ("n1", "n2", "c1")])
    do(state, FAC, VotesReveal())
    assert len(compute(state, top=2).broadest) == 2
    assert {b.id for b in compute(state).broadest} == {"n1", "n2", "c1"}
    assert {b.label for b in compute(state).broadest} == {"beta", "Alfa", "Tid"}


def test_ranked_entries_carry_colour_and_departments_even_when_empty() -> None:
    state = workshop()
    cast(state, [(v, t) for v in range(3) for t in ("n1", "c1")])
    do(state, FAC, VotesReveal())
    result = compute(state)
    notes = {n.id: n for n in result.notes}
    clusters = {c.id: c for c in result.clusters}
    assert {n.color for n in result.notes} == {"yellow"}
    assert (notes["n1"].departments, notes["n2"].departments) == (["Helse"], [])
    assert (clusters["c1"].departments, clusters["c2"].departments) == (["Helse"], [])
    assert [(b.id, b.departments, b.votes) for b in result.broadest] == [("n1", 1, 3), ("c1", 1, 3)], "beta before Tid"


def test_broadest_shows_ten_by_default() -> None:
    state = workshop()
    do(state, FAC, PhaseSet("write"))
    for i in range(8):
        do(state, FAC, NoteCreate(f"x{i}", f"ekstra {i}", "green", 10, 10))
    do(state, FAC, RoomUpdate(settings=SettingsPatch(vote_budget=20)))
    do(state, FAC, PhaseSet("vote"))
    targets = ["n1", "n2", "n3", "n4", "c1", "c2", "c3", *(f"x{i}" for i in range(8))]
    cast(state, [(v, target) for target in targets for v in range(3)])  # a department supports each
    do(state, FAC, VotesReveal())
    assert len(compute(state).broadest) == 10


def test_a_note_in_a_group_is_ranked_within_its_group_only() -> None:
    """The walkthrough found a grouped note listed again as an idea of its own after its group:
    the ranking is the groups (carrying their notes' dots) and the notes in no group, ranked
    among themselves; a grouped note is listed under its group and nowhere else."""
    state = workshop()
    cast(state, [(0, "n3"), (1, "n3"), (2, "n3"), (0, "n1"), (1, "n2"), (2, "n2")])
    do(state, FAC, VotesReveal())
    result = compute(state)
    ranking = [c.id for c in result.clusters] + [n.id for n in result.unclustered]
    grouped = [n.id for c in result.clusters for n in c.notes]
    assert sorted(grouped) == ["n3", "n4"] and not set(grouped) & {n.id for n in result.unclustered}
    assert sorted(ranking + grouped) == sorted(["c1", "c2", "c3", "n1", "n2", "n3", "n4"])  # each once
    tid = result.clusters[0]
    assert (tid.title, tid.rank, tid.votes, tid.own_votes, [n.text for n in tid.notes]) == ("Tid", 1, 3, 0, ["gamma"])
    assert [(n.text, n.rank, n.votes) for n in result.unclustered] == [("Alfa", 1, 2), ("beta", 2, 1)]


def test_groups_and_loose_notes_are_one_ranking() -> None:
    """Walkthrough 4: a group with 1 dot read "1." above a note with 5, because groups and the
    notes in no group were ranked apart. `ideas` ranks them together: the 5-dot note first, the
    group (its one dot on a note) after; ties share a place and the next place skips."""
    state = workshop()
    cast(state, [(0, "n2"), (1, "n2"), (2, "n2"), (3, "n2"), (0, "n1"), (1, "n1"), (2, "n3"), (3, "c2")])
    do(state, FAC, VotesReveal())
    result = compute(state)
    assert [(type(i).__name__, i.id, i.rank, i.votes) for i in result.ideas] == [
        ("RankedNote", "n2", 1, 4), ("RankedNote", "n1", 2, 2),
        ("RankedCluster", "c2", 3, 1), ("RankedCluster", "c1", 3, 1), ("RankedCluster", "c3", 5, 0)]
    # Each idea once; a group's notes are under it, not ranked on their own.
    listed = [i.id for i in result.ideas] + [n.id for i in result.ideas for n in getattr(i, "notes", [])]
    assert sorted(listed) == ["c1", "c2", "c3", "n1", "n2", "n3", "n4"]
    # The separate lists stay as they were, for the JSON export's older readers.
    assert [(c.id, c.rank) for c in result.clusters] == [("c2", 1), ("c1", 1), ("c3", 3)]
    assert [(n.id, n.rank) for n in result.unclustered] == [("n2", 1), ("n1", 2)]


def test_before_the_reveal_every_idea_shares_the_first_place() -> None:
    state = workshop()
    cast(state, [(0, "n2")])
    result = compute(state)
    assert {i.rank for i in result.ideas} == {1}
    assert [i.id for i in result.ideas] == ["n2", "c2", "n1", "c3", "c1"]  # by title or text
