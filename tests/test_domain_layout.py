"""The layout the domain decides (server/domain/layout.py), without a browser: nothing lands on
anything else, the same history always gives the same board, tidy and undo, and a place chosen
for someone says nothing about other people's private notes."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server import codec
from server.domain import Accepted, Actor, Event, Limits, Role, State, apply_event, decide, initial_state, join
from server.domain.commands import (
    BoardTidy,
    BoardUndo,
    ClusterCreate,
    ClusterMerge,
    ClusterUpdate,
    NoteCreate,
    NoteGroup,
    NoteMove,
    NotesReveal,
    PhaseSet,
    RoomUpdate,
    SettingsPatch,
)
from server.domain.layout import GROUP_HEAD, GROUP_PAD, Board, Rect, group_size, note_height, overlapping
from server.domain.model import NOTE_WIDTH
from tests.support.domain import commit as do
from tests.support.fuzz import scaled

LIMITS = Limits()
FAC = Actor("p_fac", Role.FACILITATOR)
PEOPLE = [Actor(f"p_{i}", Role.PARTICIPANT) for i in range(10)]


def room(template: str = "need-solution-test", private: bool = True) -> State:
    state = initial_state(Event(1, "room.create", "system", 0, {
        "code": "K7MPQ2", "title": "T", "language": "nb", "template": template,
        "areas": [] if template == "blank" else [
            {"id": "need", "title": "Behov", "x": 40, "y": 40, "w": 1280, "h": 2920},
            {"id": "solution", "title": "Løsning", "x": 1360, "y": 40, "w": 1280, "h": 2920},
            {"id": "test", "title": "Test", "x": 2680, "y": 40, "w": 1280, "h": 2920},
        ]}))
    for actor in (FAC, *PEOPLE):
        decision = join(state, actor.id, actor.id, "Helse", actor.role, LIMITS)
        assert isinstance(decision, Accepted)
        apply_event(state, Event(state.seq + 1, decision.op, actor.id, 0, decision.data))
    if private:
        do(state, FAC, RoomUpdate(settings=SettingsPatch(private_writing=True)))
    do(state, FAC, PhaseSet("write"))
    return state


def note_rects(state: State, visible_only: bool = True) -> list[Rect]:
    return [Rect(n.x, n.y, NOTE_WIDTH, note_height(n.text)) for n in sorted(state.notes.values(), key=lambda n: n.id)
            if not (visible_only and n.hidden) and n.cluster is None]


def group_rects(state: State) -> list[Rect]:
    board = Board.of(state)
    return [board.group_rect(c) for c in sorted(state.clusters)]


def assert_nothing_overlaps(state: State) -> None:
    notes, groups = note_rects(state), group_rects(state)
    assert overlapping(notes) == [], "two loose notes overlap"
    assert overlapping(groups) == [], "two groups overlap"
    covered = [(n, g) for n in notes for g in groups if n.overlaps(g)]
    assert covered == [], "a loose note lies on a group"
    for cluster in state.clusters.values():
        inside = [Rect(n.x, n.y, NOTE_WIDTH, note_height(n.text)) for n in state.notes.values()
                  if n.cluster == cluster.id and not n.hidden]
        assert overlapping(inside) == [], f"two notes of group {cluster.id} overlap"


def positions(state: State) -> tuple[dict[str, tuple[float, float]], dict[str, tuple[float, float]]]:
    return ({k: (n.x, n.y) for k, n in state.notes.items()}, {k: (c.x, c.y) for k, c in state.clusters.items()})


def workshop() -> State:
    """Ten people write three notes each, all asked for at the same spot, then the reveal."""
    state = room()
    for i, person in enumerate(PEOPLE):
        for j in range(3):
            do(state, person, NoteCreate(f"n{i}_{j}", f"Idé {j} fra {person.id}", "yellow", 300, 400))
    do(state, FAC, NotesReveal())
    return state


# --- new notes and the reveal -----------------------------------------------------------------


def test_notes_asked_for_at_one_spot_land_side_by_side_in_that_area() -> None:
    state = room(private=False)
    for i in range(12):
        do(state, PEOPLE[i % 10], NoteCreate(f"n{i}", "Idé", "yellow", 1500, 500))
    assert_nothing_overlaps(state)
    first = state.notes["n0"]
    assert (first.x, first.y) == (1500, 500), "the first one gets the spot asked for"
    for note in state.notes.values():
        assert 1360 <= note.x and note.x + NOTE_WIDTH <= 1360 + 1280, "all stay in the area asked for (Løsning)"


def test_after_the_reveal_no_two_of_thirty_notes_overlap_and_each_area_is_a_grid() -> None:
    state = workshop()
    assert not any(n.hidden for n in state.notes.values())
    assert_nothing_overlaps(state)
    xs = {n.x for n in state.notes.values()}
    assert len(xs) <= 5, "one column per note width in the area: a grid"
    assert all(40 <= n.x and n.x + NOTE_WIDTH <= 1320 for n in state.notes.values()), "in the area they were written in"


def test_a_private_note_is_placed_only_around_what_its_author_sees() -> None:
    """Where Ola's note lands is the same whether Kari has private notes there or not."""
    with_secrets = room()
    for j in range(5):
        do(with_secrets, PEOPLE[0], NoteCreate(f"k{j}", "Hemmelig", "yellow", 300, 400))
    without = room()
    for state in (with_secrets, without):
        do(state, PEOPLE[1], NoteCreate("o1", "Min", "blue", 300, 400))
    assert (with_secrets.notes["o1"].x, with_secrets.notes["o1"].y) == (without.notes["o1"].x, without.notes["o1"].y)


def test_a_dropped_note_lands_beside_another_not_on_it() -> None:
    state = room(private=False)
    do(state, PEOPLE[0], NoteCreate("a", "A", "yellow", 500, 500))
    do(state, PEOPLE[1], NoteCreate("b", "B", "yellow", 900, 500))
    do(state, PEOPLE[1], NoteMove("b", 510, 510))
    assert_nothing_overlaps(state)


# --- groups -----------------------------------------------------------------------------------


def clustering() -> State:
    state = workshop()
    do(state, FAC, PhaseSet("cluster"))
    for g in ("g1", "g2", "g3"):
        do(state, PEOPLE[0], ClusterCreate(g, f"Gruppe {g}", 300, 400))
    return state


def test_new_groups_asked_for_at_one_spot_go_to_free_space() -> None:
    state = clustering()
    assert_nothing_overlaps(state)


def test_a_group_lays_its_notes_out_in_its_frame_and_grows() -> None:
    state = clustering()
    for i in range(5):
        do(state, PEOPLE[i], NoteGroup(f"n{i}_0", "g1"))
    group = state.clusters["g1"]
    members = [n for n in state.notes.values() if n.cluster == "g1"]
    frame = Rect(group.x, group.y, *group_size([note_height(n.text) for n in members]))
    for note in members:
        assert frame.x + GROUP_PAD <= note.x and note.x + NOTE_WIDTH <= frame.x + frame.w - GROUP_PAD
        assert frame.y + GROUP_HEAD <= note.y and note.y + note_height(note.text) <= frame.y + frame.h
    assert_nothing_overlaps(state)


def test_merging_and_moving_groups_never_leaves_two_overlapping() -> None:
    state = clustering()
    for i in range(4):
        do(state, PEOPLE[i], NoteGroup(f"n{i}_0", "g1"))
        do(state, PEOPLE[i], NoteGroup(f"n{i}_1", "g2"))
        do(state, PEOPLE[i], NoteGroup(f"n{i}_2", "g3"))
    do(state, FAC, ClusterMerge("g2", "g1"))
    assert_nothing_overlaps(state)
    g1 = state.clusters["g1"]
    do(state, FAC, ClusterUpdate("g3", x=g1.x + 10, y=g1.y + 10))  # dropped right on g1
    assert_nothing_overlaps(state)


# --- tidy and undo ----------------------------------------------------------------------------


def test_undo_of_a_merge_brings_the_group_back_as_it_was() -> None:
    state = clustering()
    for i in range(3):
        do(state, PEOPLE[i], NoteGroup(f"n{i}_0", "g1"))
        do(state, PEOPLE[i], NoteGroup(f"n{i}_1", "g2"))
    before = positions(state)
    members = {k for k, n in state.notes.items() if n.cluster == "g2"}
    do(state, FAC, ClusterMerge("g2", "g1"))
    do(state, FAC, BoardUndo())
    assert positions(state) == before
    assert {k for k, n in state.notes.items() if n.cluster == "g2"} == members
    assert state.undo is None
    assert not isinstance(decide(state, FAC, BoardUndo(), 0, LIMITS), Accepted), "only the last one, once"


def test_tidy_is_idempotent_and_undo_restores_the_layout_before_it() -> None:
    state = clustering()
    for i in range(3):
        do(state, PEOPLE[i], NoteGroup(f"n{i}_0", "g1"))
    do(state, PEOPLE[0], NoteMove("n5_0", 2000, 1500))  # a note wanders off into another area
    before = positions(state)
    do(state, FAC, BoardTidy())
    assert_nothing_overlaps(state)
    tidied = positions(state)
    again = do(state, FAC, BoardTidy())
    assert again.data["layout"] == {}, "a tidy board stays as it is"
    assert positions(state) == tidied
    do(state, FAC, BoardUndo())  # undoes the last tidy: nothing moved
    assert positions(state) == tidied
    state2 = clustering()
    for i in range(3):
        do(state2, PEOPLE[i], NoteGroup(f"n{i}_0", "g1"))
    do(state2, PEOPLE[0], NoteMove("n5_0", 2000, 1500))
    do(state2, FAC, BoardTidy())
    do(state2, FAC, BoardUndo())
    assert positions(state2) == before


def test_undo_survives_a_snapshot() -> None:
    """What undo needs is part of the state, so a process that loads a snapshot can undo too."""
    state = clustering()
    do(state, FAC, BoardTidy())
    copy = codec.decode_state(codec.encode_state(state))
    assert copy.undo == state.undo
    assert decide(copy, FAC, BoardUndo(), 0, LIMITS) == decide(state, FAC, BoardUndo(), 0, LIMITS)


def test_the_result_does_not_depend_on_dict_order() -> None:
    """Replicas hold the same dicts in the same order anyway; the layout does not even rely on it."""
    state = clustering()
    for i in range(4):
        do(state, PEOPLE[i], NoteGroup(f"n{i}_0", "g1"))
    shuffled = codec.decode_state(codec.encode_state(state))
    items = list(shuffled.notes.items())
    random.Random(7).shuffle(items)
    shuffled.notes = dict(items)
    groups = list(shuffled.clusters.items())[::-1]
    shuffled.clusters = dict(groups)
    for command in (BoardTidy(), ClusterMerge("g2", "g1"), NoteGroup("n6_1", "g3"), ClusterCreate("g4", "Ny", 300, 400)):
        assert decide(state, FAC, command, 0, LIMITS) == decide(shuffled, FAC, command, 0, LIMITS)


# --- properties -------------------------------------------------------------------------------

spots = st.tuples(st.integers(0, 3800), st.integers(0, 2800))
texts = st.sampled_from(["Kort", "Litt lengre tekst på en lapp", "Veldig " * 12 + "lang", "To\nlinjer"])


@settings(max_examples=scaled(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 9), spots, texts), min_size=1, max_size=30),
       st.lists(st.tuples(spots, st.lists(st.integers(0, 29), max_size=6)), max_size=4),
       st.sampled_from(["need-solution-test", "blank"]))
def test_whatever_people_do_nothing_overlaps_and_tidy_is_stable(
    notes: list[tuple[int, tuple[int, int], str]],
    groups: list[tuple[tuple[int, int], list[int]]],
    template: str,
) -> None:
    state = room(template)
    for i, (who, (x, y), text) in enumerate(notes):
        do(state, PEOPLE[who], NoteCreate(f"n{i}", text, "yellow", x, y))
    do(state, FAC, NotesReveal())
    assert_nothing_overlaps(state)
    do(state, FAC, PhaseSet("cluster"))
    for g, ((x, y), members) in enumerate(groups):
        do(state, FAC, ClusterCreate(f"g{g}", "G", x, y))
        for m in members:
            if f"n{m}" in state.notes:
                do(state, FAC, NoteGroup(f"n{m}", f"g{g}"))
    assert_nothing_overlaps(state)
    if len(groups) >= 2:
        do(state, FAC, ClusterMerge("g1", "g0"))
        assert_nothing_overlaps(state)
    shuffled = codec.decode_state(codec.encode_state(state))
    shuffled.notes = dict(reversed(list(shuffled.notes.items())))
    shuffled.clusters = dict(reversed(list(shuffled.clusters.items())))
    assert decide(shuffled, FAC, BoardTidy(), 0, LIMITS) == decide(state, FAC, BoardTidy(), 0, LIMITS), "dict order"
    do(state, FAC, BoardTidy())
    assert_nothing_overlaps(state)
    tidied = positions(state)
    assert do(state, FAC, BoardTidy()).data["layout"] == {}, "tidy twice: the second changes nothing"
    assert positions(state) == tidied


def test_a_crowded_area_spills_into_free_space_instead_of_piling_up() -> None:
    """Thirty people, three notes each, all in one area (more than it holds): the reveal and a
    tidy put the rest beside it, on the board, and nothing overlaps."""
    state = room()
    people = [Actor(f"p_x{i}", Role.PARTICIPANT) for i in range(30)]
    for actor in people:
        decision = join(state, actor.id, actor.id, "Helse", actor.role, LIMITS)
        assert isinstance(decision, Accepted)
        apply_event(state, Event(state.seq + 1, decision.op, actor.id, 0, decision.data))
    for i, actor in enumerate(people):
        for j in range(3):
            do(state, actor, NoteCreate(f"n{i}_{j}", f"Idé {j} fra {actor.id}", "yellow", 300, 400))
    do(state, FAC, NotesReveal())
    assert_nothing_overlaps(state)
    do(state, FAC, BoardTidy())
    assert_nothing_overlaps(state)
    for note in state.notes.values():
        assert 0 <= note.x <= 4000 - NOTE_WIDTH and 0 <= note.y <= 3000 - note_height(note.text)
