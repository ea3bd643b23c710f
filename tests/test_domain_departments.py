"""How support spreads across departments in the results, and what keeps a voter anonymous:
no dot count is ever split by department; an idea names a department only where at least
`MIN_VOTERS` distinct people of it gave that idea dots (docs/reliability.md, "Department view").

These pin the boundaries of that rule (exactly `MIN_VOTERS`, per idea, distinct people, taken
back dots, blank departments, voters no longer in the room), so a changed comparison or a
skipped check fails here rather than leaking who voted for what."""

from __future__ import annotations

from server.domain import Accepted, Actor, Event, Limits, Role, State, apply_event, initial_state, join
from server.domain.commands import NoteCreate, PhaseSet, VoteCast, VoteRetract, VotesReveal
from server.domain.model import Participant
from server.domain.results import MIN_VOTERS, compute
from tests.support.domain import commit as do

LIMITS = Limits()
FAC = Actor("p_fac", Role.FACILITATOR)


def voting(people: dict[str, str]) -> State:
    """People (id -> department) in the vote phase with notes n1 and n2."""
    state = initial_state(Event(1, "room.create", "system", 0,
                                {"code": "K7MPQ2", "title": "T", "language": "nb", "template": "blank"}))
    for pid, department in {FAC.id: "", **people}.items():
        role = Role.FACILITATOR if pid == FAC.id else Role.PARTICIPANT
        decision = join(state, pid, pid, department, role, LIMITS)
        assert isinstance(decision, Accepted)
        apply_event(state, Event(state.seq + 1, decision.op, pid, 0, decision.data))
    do(state, FAC, PhaseSet("write"))
    do(state, FAC, NoteCreate("n1", "en", "yellow", 1, 1))
    do(state, FAC, NoteCreate("n2", "to", "yellow", 1, 1))
    do(state, FAC, PhaseSet("vote"))
    return state


def vote(state: State, *pids: str, target: str = "n1") -> None:
    for pid in pids:
        do(state, Actor(pid, Role.PARTICIPANT), VoteCast(target))


def note(state: State, note_id: str = "n1"):  # type: ignore[no-untyped-def]
    return next(n for n in compute(state).notes if n.id == note_id)


def test_supporting_departments_are_named_by_name_ignoring_case() -> None:
    state = voting({f"{d}{i}": d for d in ("Skole", "Helse", "alfa") for i in range(3)})
    vote(state, *state.participants.keys() - {FAC.id})
    do(state, FAC, VotesReveal())
    result = compute(state)
    assert result.departments == ["alfa", "Helse", "Skole"]
    assert note(state).departments == ["alfa", "Helse", "Skole"]
    assert [(b.id, b.departments, b.votes, b.names) for b in result.broadest] == [
        ("n1", 3, 9, ["alfa", "Helse", "Skole"])]


def test_exactly_min_voters_distinct_people_name_a_department_one_fewer_does_not() -> None:
    assert MIN_VOTERS == 3
    state = voting({"a": "Helse", "b": "Helse", "c": "Helse", "d": "Skole", "e": "Skole"})
    vote(state, "a", "b", "c", "d", "e")
    do(state, FAC, VotesReveal())
    n1 = note(state)
    assert (n1.votes, n1.departments) == (5, ["Helse"]), "Skole has two voters: not named"
    assert compute(state).departments == ["Helse"]


def test_many_dots_from_few_people_do_not_name_a_department() -> None:
    state = voting({"a": "Helse", "b": "Helse"})
    vote(state, "a", "a", "a", "b")
    do(state, FAC, VotesReveal())
    assert (note(state).votes, note(state).departments) == (4, [])


def test_support_is_counted_per_idea() -> None:
    """Three people of a department on n1 and two of them on n2: named on n1 only."""
    state = voting({"a": "Helse", "b": "Helse", "c": "Helse"})
    vote(state, "a", "b", "c")
    vote(state, "a", "b", target="n2")
    do(state, FAC, VotesReveal())
    assert (note(state, "n1").departments, note(state, "n2").departments) == (["Helse"], [])
    assert [b.id for b in compute(state).broadest] == ["n1"]


def test_someone_who_took_their_dots_back_does_not_make_a_department_visible() -> None:
    state = voting({"a": "Helse", "b": "Helse", "c": "Helse"})
    vote(state, "a", "b", "c")
    do(state, Actor("c", Role.PARTICIPANT), VoteRetract("n1"))
    do(state, FAC, VotesReveal())
    result = compute(state)
    assert result.departments == [] and note(state).departments == [] and result.broadest == []


def test_people_without_a_department_are_never_a_department() -> None:
    state = voting({"a": "", "b": "", "c": "", "d": "Helse", "e": "Helse", "f": "Helse"})
    vote(state, "a", "b", "c", "d", "e", "f")
    do(state, FAC, VotesReveal())
    assert note(state).departments == ["Helse"] and compute(state).departments == ["Helse"]


def test_dots_of_someone_no_longer_in_the_room_count_in_totals_only() -> None:
    """A voter the room no longer knows (as after removing a participant) is skipped, not the end."""
    state = voting({"a": "Helse", "b": "Helse", "c": "Helse"})
    state.votes["p_gone"] = {"n1": 1}
    vote(state, "a", "b", "c")
    do(state, FAC, VotesReveal())
    n1 = note(state)
    assert (n1.votes, n1.departments) == (4, ["Helse"])
    assert "p_gone" not in state.participants and isinstance(state.participants["a"], Participant)


def test_nothing_is_named_before_the_reveal() -> None:
    state = voting({"a": "Helse", "b": "Helse", "c": "Helse"})
    vote(state, "a", "b", "c")
    result = compute(state)
    assert (result.departments, note(state).departments, result.broadest) == ([], [], [])


def test_removed_voters_are_not_a_department_of_their_own() -> None:
    """People removed after voting keep their dots in the totals, but the room no longer
    knows their department, so they never add up to one (not even `MIN_VOTERS` of them)."""
    from server.domain.commands import ParticipantRemove

    state = voting({"a": "Helse", "b": "Helse", "c": "Helse", "d": "Skole"})
    vote(state, "a", "b", "c", "d")
    for pid in ("a", "b", "c"):
        do(state, FAC, ParticipantRemove(pid))
    do(state, FAC, VotesReveal())
    n1 = note(state)
    assert (n1.votes, n1.departments) == (4, [])
    assert compute(state).departments == [] and compute(state).broadest == []


def test_broadest_ideas_with_as_many_departments_are_ranked_by_dots() -> None:
    """n1 ("en") and n2 ("to") both have one department; n2 has more dots, so it comes first
    although "en" comes first by name."""
    state = voting({"a": "Helse", "b": "Helse", "c": "Helse", "d": "Helse"})
    vote(state, "a", "b", "c", target="n1")
    vote(state, "a", "b", "c", "d", target="n2")
    do(state, FAC, VotesReveal())
    assert [(b.id, b.departments, b.votes) for b in compute(state).broadest] == [("n2", 1, 4), ("n1", 1, 3)]
