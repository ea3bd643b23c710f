"""Exactly what each viewer is sent: the welcome state and each event frame, for dots, private
notes, their counts and their reveal."""

from __future__ import annotations

import pytest

from server.domain import Accepted, Actor, Event, Limits, Role, State, apply_event, audience, decide
from server.domain import initial_state, join, project_event, project_state
from server.domain.commands import (
    ClusterCreate,
    Command,
    NoteCreate,
    NoteDelete,
    NoteMove,
    NotesReveal,
    PhaseSet,
    ResultsPublish,
    RoomUpdate,
    SettingsPatch,
    VoteCast,
    VotesReveal,
)

LIMITS = Limits()
FAC = Actor("p_fac", Role.FACILITATOR)
COACH = Actor("p_coach", Role.COACH)
KARI = Actor("p_kari", Role.PARTICIPANT)
OLA = Actor("p_ola", Role.PARTICIPANT)
EVERYONE = (FAC, COACH, KARI, OLA)


def do(state: State, actor: Actor, command: Command) -> Event:
    decision = decide(state, actor, command, 0, LIMITS)
    assert isinstance(decision, Accepted), decision
    event = Event(state.seq + 1, decision.op, actor.id, 5000 + state.seq, decision.data)
    apply_event(state, event)
    return event


def room() -> State:
    state = initial_state(Event(1, "room.create", "system", 0,
                                {"code": "K7MPQ2", "title": "T", "language": "nb", "template": "blank"}))
    for actor in EVERYONE:
        decision = join(state, actor.id, actor.id[2:], "Helse", actor.role, LIMITS)
        assert isinstance(decision, Accepted)
        apply_event(state, Event(state.seq + 1, decision.op, actor.id, 0, decision.data))
    do(state, FAC, PhaseSet("write"))
    do(state, OLA, NoteCreate("o1", "Åpen", "blue", 1, 2))
    do(state, FAC, ClusterCreate("c1", "Gruppe", 3, 4))
    return state


def private(state: State) -> State:
    do(state, FAC, RoomUpdate(settings=SettingsPatch(private_writing=True)))
    return state


# --- dots -------------------------------------------------------------------------------------


def test_dot_frames_before_and_after_reveal() -> None:
    """Before reveal the voter gets their count and no total, others a placeholder; after, the
    voter gets the total too and everyone else the total without who gave it."""
    state = room()
    do(state, FAC, PhaseSet("vote"))
    before = do(state, KARI, VoteCast("o1"))
    assert audience(before, KARI) == "voter"
    assert project_event(before, KARI) == {"type": "event", "seq": before.seq, "op": "vote.cast", "by": KARI.id,
                                           "at": before.at, "data": {"target": "o1", "mine": 1, "left": 4, "total": None}}
    for viewer in (OLA, COACH, FAC):
        assert audience(before, viewer) == "redacted"
    do(state, FAC, VotesReveal())
    after = do(state, KARI, VoteCast("c1"))
    assert project_event(after, KARI)["data"] == {"target": "c1", "mine": 1, "left": 3, "total": 1}
    for viewer in (OLA, COACH, FAC):
        assert audience(after, viewer) == "all"
        assert project_event(after, viewer) == {"type": "event", "seq": after.seq, "op": "vote.cast", "by": None,
                                                "at": after.at, "data": {"target": "c1", "total": 1}}


def test_welcome_shows_totals_only_after_reveal_and_own_dots_always() -> None:
    state = room()
    do(state, FAC, PhaseSet("vote"))
    do(state, KARI, VoteCast("o1"))
    do(state, OLA, VoteCast("c1"))
    view = project_state(state, KARI)
    assert view["my_votes"] == {"o1": 1} and view["room"]["revealed"] == {"votes": False}
    assert [c["votes"] for c in view["clusters"]] == [None]
    do(state, FAC, VotesReveal())
    do(state, FAC, ResultsPublish(True))
    view = project_state(state, OLA)
    assert view["room"]["revealed"] == {"votes": True} and view["room"]["results_published"] is True
    group = state.clusters["c1"]
    assert view["clusters"] == [{"id": "c1", "title": "Gruppe", "x": group.x, "y": group.y, "creator": FAC.id, "votes": 1}]
    assert [(n["id"], n["votes"]) for n in view["notes"]] == [("o1", 1)]
    assert view["my_votes"] == {"c1": 1}


# --- private notes ----------------------------------------------------------------------------


def test_private_note_frames_for_author_staff_and_others() -> None:
    """The author gets the note; staff a count for its author; others a placeholder."""
    state = private(room())
    created = do(state, KARI, NoteCreate("k1", "Hemmelig", "pink", 1500, 1600))
    assert project_event(created, KARI)["data"] == {
        "id": "k1", "text": "Hemmelig", "color": "pink", "x": 1500.0, "y": 1600.0, "cluster": None, "author": KARI.id,
        "hidden": True, "mine": True, "votes": None}
    for staff in (FAC, COACH):
        assert audience(created, staff) == "count"
        assert project_event(created, staff) == {"type": "event", "seq": created.seq, "op": "hidden.count",
                                                 "by": None, "at": created.at, "data": {"author": KARI.id, "count": 1}}
    assert audience(created, OLA) == "redacted"


def test_moving_a_private_note_tells_staff_nothing_and_deleting_it_lowers_the_count() -> None:
    state = private(room())
    do(state, KARI, NoteCreate("k1", "En", "pink", 5, 6))
    do(state, KARI, NoteCreate("k2", "To", "pink", 5, 6))
    moved = do(state, KARI, NoteMove("k1", 9, 9))
    for viewer in (FAC, COACH, OLA):
        assert audience(moved, viewer) == "redacted"
    deleted = do(state, KARI, NoteDelete("k1"))
    assert project_event(deleted, KARI)["data"] == {"id": "k1", "hidden": True, "author": KARI.id}
    assert project_event(deleted, COACH)["data"] == {"author": KARI.id, "count": 1}
    assert project_state(state, FAC)["hidden_counts"] == {KARI.id: 1}


def test_staff_welcome_counts_private_notes_per_author() -> None:
    state = private(room())
    do(state, KARI, NoteCreate("k1", "En", "pink", 5, 6))
    do(state, KARI, NoteCreate("k2", "To", "pink", 5, 6))
    do(state, OLA, NoteCreate("o2", "Tre", "pink", 5, 6))
    for staff in (FAC, COACH):
        assert project_state(state, staff)["hidden_counts"] == {KARI.id: 2, OLA.id: 1}
    assert [n["id"] for n in project_state(state, KARI)["notes"]] == ["o1", "k1", "k2"]
    assert [n["id"] for n in project_state(state, OLA)["notes"]] == ["o1", "o2"]


@pytest.mark.parametrize("viewer", EVERYONE, ids=lambda a: a.id[2:])
def test_reveal_frame_marks_each_viewers_own_notes(viewer: Actor) -> None:
    """Everyone gets every revealed note; `mine` is true only on the viewer's own; authors get
    their own encoding, everyone else shares one."""
    state = private(room())
    do(state, KARI, NoteCreate("k1", "En", "pink", 5, 6))
    do(state, OLA, NoteCreate("o2", "To", "green", 7, 8))
    reveal = do(state, FAC, NotesReveal())
    frame = project_event(reveal, viewer)
    assert frame["op"] == "notes.reveal" and frame["data"]["private_writing"] is False
    assert {n["id"]: n["mine"] for n in frame["data"]["notes"]} == {"k1": viewer == KARI, "o2": viewer == OLA}
    assert all(n["votes"] is None and n["hidden"] is False for n in frame["data"]["notes"])
    assert audience(reveal, viewer) == (("author", viewer.id) if viewer in (KARI, OLA) else "all")


def test_open_note_create_is_the_same_for_everyone_but_its_author() -> None:
    state = room()
    created = do(state, KARI, NoteCreate("k1", "Åpen", "pink", 5, 6))
    assert audience(created, KARI) == "author"
    assert {audience(created, v) for v in (OLA, COACH, FAC)} == {"all"}
    assert project_event(created, OLA)["data"]["mine"] is False


def test_welcome_participants_say_who_is_online() -> None:
    view = project_state(room(), KARI, online=[OLA.id, FAC.id])
    assert view["participants"] == [
        {"id": FAC.id, "name": "fac", "department": "Helse", "role": "facilitator", "online": True},
        {"id": COACH.id, "name": "coach", "department": "Helse", "role": "coach", "online": False},
        {"id": KARI.id, "name": "kari", "department": "Helse", "role": "participant", "online": False},
        {"id": OLA.id, "name": "ola", "department": "Helse", "role": "participant", "online": True},
    ]


def test_the_private_count_is_per_author_and_counts_private_notes_only() -> None:
    """Kari's open note and Ola's private note do not count towards Kari's number."""
    state = room()
    do(state, KARI, NoteCreate("k0", "Åpen", "pink", 5, 6))
    private(state)
    do(state, OLA, NoteCreate("o2", "Olas", "pink", 5, 6))
    first = do(state, KARI, NoteCreate("k1", "En", "pink", 5, 6))
    second = do(state, KARI, NoteCreate("k2", "To", "pink", 5, 6))
    assert (first.data["count"], second.data["count"]) == (1, 2)
    assert project_event(do(state, KARI, NoteDelete("k2")), FAC)["data"] == {"author": KARI.id, "count": 1}


@pytest.mark.parametrize("command", [NoteMove("o1", 9, 9), NoteDelete("o1")], ids=lambda c: type(c).__name__)
def test_changes_to_an_open_note_reach_everyone_unmarked(command: Command) -> None:
    state = room()
    event = do(state, OLA, command)
    assert "hidden" not in event.data and "author" not in event.data and "count" not in event.data
    assert {audience(event, viewer) for viewer in EVERYONE} == {"all"}


def test_after_reveal_a_group_without_dots_shows_zero() -> None:
    state = room()
    do(state, FAC, PhaseSet("vote"))
    do(state, FAC, VotesReveal())
    assert [c["votes"] for c in project_state(state, KARI)["clusters"]] == [0]
    assert [n["votes"] for n in project_state(state, KARI)["notes"]] == [0]
