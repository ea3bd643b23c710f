"""How support spreads across departments in the results, and what keeps a voter anonymous:
a department is shown only with at least two voters who still have dots; smaller ones fold into
"other", itself shown only with at least two."""

from __future__ import annotations

from server.domain import Accepted, Actor, Event, Limits, Role, State, apply_event, decide, initial_state, join
from server.domain.commands import NoteCreate, PhaseSet, VoteCast, VoteRetract, VotesReveal
from server.domain.model import Participant
from server.domain.results import MIN_VOTERS, OTHER, compute

LIMITS = Limits()
FAC = Actor("p_fac", Role.FACILITATOR)


def do(state: State, actor: Actor, command: object) -> None:
    decision = decide(state, actor, command, 0, LIMITS)  # type: ignore[arg-type]
    assert isinstance(decision, Accepted), decision
    apply_event(state, Event(state.seq + 1, decision.op, actor.id, 0, decision.data))


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


def test_departments_with_most_voters_first_then_by_name() -> None:
    state = voting({"a": "Skole", "b": "Skole", "c": "Helse", "d": "Helse", "e": "Helse", "f": "alfa", "g": "alfa"})
    vote(state, "a", "b", "c", "d", "e", "f", "g")
    do(state, FAC, VotesReveal())
    assert compute(state).departments == ["Helse", "alfa", "Skole"]


def test_two_small_departments_together_show_as_other() -> None:
    """Exactly MIN_VOTERS voters folded together are enough for "other"."""
    assert MIN_VOTERS == 2
    state = voting({"a": "Helse", "b": "Helse", "c": "Skole", "d": "Kultur"})
    vote(state, "a", "b", "c", "d")
    do(state, FAC, VotesReveal())
    result = compute(state)
    assert result.departments == ["Helse", OTHER]
    assert result.notes[0].departments == {"Helse": 2, OTHER: 2}


def test_someone_who_took_their_dots_back_does_not_make_a_department_visible() -> None:
    state = voting({"a": "Helse", "b": "Helse"})
    vote(state, "a", "b")
    do(state, Actor("b", Role.PARTICIPANT), VoteRetract("n1"))
    do(state, FAC, VotesReveal())
    result = compute(state)
    assert result.departments == [] and result.notes[0].departments == {}


def test_a_lone_voter_first_in_line_does_not_hide_the_others() -> None:
    """The lone voter's dots count only in totals; those who voted after them still show."""
    state = voting({"lone": "Bibliotek", "a": "Helse", "b": "Helse"})
    vote(state, "lone", "a", "b")
    do(state, FAC, VotesReveal())
    n1 = next(n for n in compute(state).notes if n.id == "n1")
    assert (n1.votes, n1.departments) == (3, {"Helse": 2})


def test_dots_of_someone_no_longer_in_the_room_count_in_totals_only() -> None:
    """A voter the room no longer knows (as after removing a participant) is skipped, not the end."""
    state = voting({"a": "Helse", "b": "Helse"})
    state.votes["p_gone"] = {"n1": 1}
    vote(state, "a", "b")
    do(state, FAC, VotesReveal())
    n1 = next(n for n in compute(state).notes if n.id == "n1")
    assert (n1.votes, n1.departments) == (3, {"Helse": 2})
    assert "p_gone" not in state.participants and isinstance(state.participants["a"], Participant)
