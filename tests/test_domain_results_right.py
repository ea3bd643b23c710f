"""Results that are right: who counts as a participant in "N of M participants voted", the
department table worked out by hand, the area each idea is in, and the session's date.

The department rule itself (names only, `MIN_VOTERS` distinct people, never a dot count split by
department) is pinned in tests/test_domain_departments.py and the subtraction attack in
tests/test_domain_voting.py; here the whole table is checked against an example a person can
redo on paper."""

from __future__ import annotations

from datetime import date

from server.domain import Accepted, Actor, Event, Limits, Role, State, apply_event, initial_state, join, new_room
from server.domain.commands import NoteCreate, NoteGroup, ClusterCreate, ParticipantRemove, PhaseSet, RoleGrant, VoteCast, VotesReveal
from server.domain.results import compute
from server.domain import events as ev
from tests.support.domain import append
from tests.support.domain import commit as do

LIMITS = Limits()
FAC = Actor("p_fac", Role.FACILITATOR)


def room(template: str = "blank") -> State:
    decision = new_room("K7MPQ2", "Bedre hjemmetjeneste", "nb", template, LIMITS)
    assert isinstance(decision, Accepted)
    state = initial_state(Event(1, decision.op, "system", 0, decision.data))
    enter(state, FAC.id, "", Role.FACILITATOR)
    return state


def enter(state: State, pid: str, department: str, role: Role = Role.PARTICIPANT) -> None:
    decision = join(state, pid, pid, department, role, LIMITS)
    assert isinstance(decision, Accepted)
    apply_event(state, Event(state.seq + 1, decision.op, pid, 0, decision.data))


def dots(state: State, pid: str, target: str, n: int = 1) -> None:
    for _ in range(n):
        do(state, Actor(pid, state.participants[pid].role), VoteCast(target))


# --- N of M participants voted ------------------------------------------------------------


def test_only_participants_in_the_room_are_counted() -> None:
    """Five people joined as participants and a coach came too. The facilitator voted; "a", "b"
    and "d" voted; "d" was then removed; "e" joined and left without voting; "f" voted and was
    then made a facilitator. Participants: a, b, c, e (4). Voted of them: a, b (2). Every dot
    still counts in the totals: a 1 + b 2 + d 1 + facilitator 1 + f 1 = 6."""
    state = room()
    for pid in ("a", "b", "c", "d", "e", "f"):
        enter(state, pid, "Helse")
    enter(state, "coach", "", Role.COACH)
    do(state, FAC, PhaseSet("write"))
    do(state, FAC, NoteCreate("n1", "Kortere kø", "yellow", 10, 10))
    do(state, FAC, PhaseSet("vote"))
    dots(state, "a", "n1")
    dots(state, "b", "n1", 2)
    dots(state, "d", "n1")
    dots(state, "f", "n1")
    do(state, FAC, VoteCast("n1"))
    do(state, FAC, ParticipantRemove("d"))
    do(state, FAC, RoleGrant("f", "facilitator"))
    do(state, FAC, VotesReveal())
    result = compute(state)
    assert (result.voters, result.participants) == (2, 4)
    assert result.notes[0].votes == 6


def test_nobody_has_voted_before_the_reveal_but_the_participants_are_known() -> None:
    state = room()
    enter(state, "a", "")
    enter(state, "coach", "", Role.COACH)
    do(state, FAC, PhaseSet("write"))
    do(state, FAC, NoteCreate("n1", "x", "yellow", 10, 10))
    do(state, FAC, PhaseSet("vote"))
    dots(state, "a", "n1")
    assert (compute(state).voters, compute(state).participants) == (0, 1)


# --- the department table, by hand --------------------------------------------------------

# Who is in the room (h4 typed "helse " in lower case: still Helse):
#   Helse:  h1 h2 h3 h4      Skole: s1 s2 s3      Kultur: k1 k2
# Notes, where they are on the Behov – Løsning – Test board, and who wrote them:
#   n1 "Felles kalender"   Brukerens behov            by h1 (Helse)
#   n2 "Én kontaktperson"  Ideer til løsninger        by s1 (Skole)
#   n3 "Prøv i én bydel"   Slik tester vi i det små   by k1 (Kultur)
# Dots:
#   n1: h1 1, h2 1, h3 1, s1 1, s2 1, s3 1, k1 1           = 7 dots
#       Helse 3 people, Skole 3, Kultur 1 -> supported by Helse and Skole: 2 departments;
#       the author is in Helse, so 1 of them is another department (Skole).
#   n2: h2 2, h3 1, h4 1, s2 1, s3 1, k1 1, k2 1            = 8 dots
#       Helse 3 people (h2, h3, h4), Skole 2, Kultur 2 -> supported by Helse only: 1 department;
#       the author is in Skole, so that 1 is another department.
#   n3: k1 1, k2 1, s1 1                                     = 3 dots
#       Kultur 2, Skole 1 -> no department has 3 people on it: not in the table.
# Table, most departments first: n1 (2 departments, 1 other, 7 dots), n2 (1, 1, 8).
TABLE = [
    ("Felles kalender", 2, ["Helse", "Skole"], 1, 7, "Brukerens behov"),
    ("Én kontaktperson", 1, ["Helse"], 1, 8, "Ideer til løsninger"),
]


def hand_computed_board() -> State:
    state = room("need-solution-test-board")
    people = {"h1": "Helse", "h2": "Helse", "h3": "Helse", "h4": "helse ", "s1": "Skole", "s2": "Skole",
              "s3": "Skole", "k1": "Kultur", "k2": "Kultur"}
    for pid, department in people.items():
        enter(state, pid, department)
    do(state, FAC, PhaseSet("write"))
    do(state, Actor("h1", Role.PARTICIPANT), NoteCreate("n1", "Felles kalender", "yellow", 100, 400))
    do(state, Actor("s1", Role.PARTICIPANT), NoteCreate("n2", "Én kontaktperson", "blue", 1500, 400))
    do(state, Actor("k1", Role.PARTICIPANT), NoteCreate("n3", "Prøv i én bydel", "green", 2800, 400))
    do(state, FAC, PhaseSet("vote"))
    for pid in ("h1", "h2", "h3", "s1", "s2", "s3", "k1"):
        dots(state, pid, "n1")
    dots(state, "h2", "n2", 2)
    for pid in ("h3", "h4", "s2", "s3", "k1", "k2"):
        dots(state, pid, "n2")
    for pid in ("k1", "k2", "s1"):
        dots(state, pid, "n3")
    do(state, FAC, VotesReveal())
    return state


def test_the_department_table_matches_the_example_worked_out_by_hand() -> None:
    result = compute(hand_computed_board())
    assert [(b.label, b.departments, b.names, b.outside, b.votes, b.area) for b in result.broadest] == TABLE
    assert result.departments == ["Helse", "Skole"]
    assert (result.voters, result.participants) == (9, 9)
    n3 = next(n for n in result.notes if n.id == "n3")
    assert (n3.votes, n3.departments, n3.area) == (3, [], "Slik tester vi i det små")


def test_a_department_is_one_however_its_people_typed_it() -> None:
    """Three people wrote "Helse", "helse" and " HELSE  ": one department of three, shown as most
    of them (here: each once, so the first in order) wrote it."""
    state = room()
    for pid, department in (("a", "Helse"), ("b", "helse"), ("c", " HELSE  ")):
        enter(state, pid, department)
    do(state, FAC, PhaseSet("write"))
    do(state, FAC, NoteCreate("n1", "x", "yellow", 10, 10))
    do(state, FAC, PhaseSet("vote"))
    for pid in ("a", "b", "c"):
        dots(state, pid, "n1")
    do(state, FAC, VotesReveal())
    assert compute(state).notes[0].departments == ["HELSE"]
    assert [(b.departments, b.outside) for b in compute(state).broadest] == [(1, 1)], \
        "the facilitator wrote the note and has no department: Helse is another department"


def test_a_groups_authors_are_the_authors_of_its_notes() -> None:
    """A group with notes by Helse and Skole people, supported by Helse, Skole and Kultur: one
    department beyond its authors'."""
    state = room()
    people = {f"{d[0]}{i}": d for d in ("Helse", "Skole", "Kultur") for i in range(3)}
    for pid, department in people.items():
        enter(state, pid, department)
    do(state, FAC, PhaseSet("write"))
    do(state, Actor("H0", Role.PARTICIPANT), NoteCreate("n1", "a", "yellow", 10, 10))
    do(state, Actor("S0", Role.PARTICIPANT), NoteCreate("n2", "b", "yellow", 10, 10))
    do(state, FAC, ClusterCreate("c1", "Tid", 100, 100))
    do(state, FAC, NoteGroup("n1", "c1"))
    do(state, FAC, NoteGroup("n2", "c1"))
    do(state, FAC, PhaseSet("vote"))
    for pid in people:
        dots(state, pid, "c1")
    do(state, FAC, VotesReveal())
    [row] = compute(state).broadest
    assert (row.id, row.departments, row.outside) == ("c1", 3, 1)


# --- area and date ----------------------------------------------------------------------------


def test_each_idea_names_its_area_and_a_group_takes_the_area_of_most_of_its_notes() -> None:
    state = room("need-solution-test-board")
    do(state, FAC, PhaseSet("write"))
    do(state, FAC, NoteCreate("n1", "a", "yellow", 100, 400))
    do(state, FAC, NoteCreate("n2", "b", "yellow", 300, 400))
    do(state, FAC, NoteCreate("n3", "c", "yellow", 1500, 400))
    # The domain places notes inside areas and lays a group's notes out in its frame (see
    # server/domain/layout.py); an older log may hold a note outside every area and grouped
    # notes left where they were, which is what these events are.
    append(state, "note.create", FAC.id, ev.NoteCreated("n4", "outside every area", "yellow", 3990.0, 2990.0, None, FAC.id))
    do(state, FAC, ClusterCreate("c1", "Tid", 1500, 1000))
    do(state, FAC, ClusterCreate("c2", "Tom", 2800, 1000))
    for note_id in ("n1", "n2", "n3"):
        append(state, "note.group", FAC.id, ev.NoteGrouped(note_id, "c1"))
    result = compute(state, held_on=date(2026, 11, 29))
    areas = {n.id: n.area for n in result.notes} | {c.id: c.area for c in result.clusters}
    assert areas == {"n1": "Brukerens behov", "n2": "Brukerens behov", "n3": "Ideer til løsninger", "n4": "",
                     "c1": "Brukerens behov", "c2": "Slik tester vi i det små"}
    assert result.areas == ["Brukerens behov", "Ideer til løsninger", "Slik tester vi i det små"]
    assert result.held_on == date(2026, 11, 29)


def test_a_blank_board_has_no_areas_and_no_date_unless_given() -> None:
    state = room()
    do(state, FAC, PhaseSet("write"))
    do(state, FAC, NoteCreate("n1", "a", "yellow", 100, 400))
    result = compute(state)
    assert (result.areas, result.notes[0].area, result.held_on) == ([], "", None)
