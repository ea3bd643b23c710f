"""The pure rules of a room: joining, note commands, applying events and what each viewer sees."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server import codec
from server.domain import (
    Accepted,
    Actor,
    Event,
    Limits,
    Refused,
    Role,
    State,
    apply_event,
    audience,
    decide,
    initial_state,
    join,
    needs_snapshot,
    project_event,
    project_state,
    snapshot_reason,
)
from server.domain.commands import (
    ClusterCreate,
    CoachHint,
    NoteCreate,
    NoteDelete,
    NoteMove,
    NotesReveal,
    NoteUpdate,
    PhaseSet,
    RoomUpdate,
    SettingsPatch,
    Spotlight,
    TimerAdd,
    TimerPause,
    TimerReset,
    TimerResume,
    TimerStart,
)
from server.domain.model import BOARD_HEIGHT, BOARD_WIDTH, COLORS, Note
from tests.support.fuzz import scaled

LIMITS = Limits()
KARI = Actor("p_kari", Role.PARTICIPANT)
OLA = Actor("p_ola", Role.PARTICIPANT)
COACH = Actor("p_coach", Role.COACH)
FACILITATOR = Actor("p_faci", Role.FACILITATOR)
STRANGER = Actor("p_stranger", Role.PARTICIPANT)
MEMBERS = (KARI, OLA, COACH, FACILITATOR)
ROOM_CREATE = Event(
    1, "room.create", "system", 0,
    {"code": "K7MPQ2", "title": "Hjemmehjelp", "language": "nb", "template": "blank"},
)  # fmt: skip


def commit(state: State, by: str, decision: object) -> Event:
    """Apply an accepted decision as the room's next event, the way the server does once it is durable."""
    assert isinstance(decision, Accepted), decision
    event = Event(state.seq + 1, decision.op, by, 1000 * (state.seq + 1), decision.data)
    apply_event(state, event)
    return event


def label(value: object) -> str:
    """A short test id: the actor's id, the command's type, the refusal's code and field."""
    if isinstance(value, Actor):
        return value.id
    if isinstance(value, Refused):
        return f"{value.code}:{value.params.get('field', '')}"
    if isinstance(value, Event):
        return value.op
    return type(value).__name__ if hasattr(value, "__slots__") else str(value)


def empty_room() -> State:
    return initial_state(ROOM_CREATE)


def room(limits: Limits = LIMITS) -> State:
    """A room with Kari, Ola, a coach and a facilitator, and one note of Kari's ("n1")."""
    state = empty_room()
    for actor in MEMBERS:
        commit(state, actor.id, join(state, actor.id, actor.id[2:].title(), "Helse", actor.role, limits))
    commit(state, FACILITATOR.id, decide(state, FACILITATOR, PhaseSet("write"), 0, limits))
    first_note = NoteCreate("n1", "Kortere skjema", "yellow", 100, 80)
    commit(state, KARI.id, decide(state, KARI, first_note, 0, limits))
    return state


# --- joining -------------------------------------------------------------------------------


def test_new_participant_joins_with_trimmed_name_and_role() -> None:
    """A newcomer's hello becomes a participant.join event carrying their trimmed name and role."""
    state = empty_room()
    decision = join(state, "p_kari", "  Kari ", " Helse ", Role.PARTICIPANT, LIMITS)
    assert decision == Accepted(
        "participant.join", {"id": "p_kari", "name": "Kari", "department": "Helse", "role": "participant"}
    )
    commit(state, "p_kari", decision)
    assert state.participants["p_kari"].name == "Kari"


@pytest.mark.parametrize(
    ("name", "department", "refusal"),
    [
        ("", "", Refused("invalid", {"field": "name"})),
        ("   ", "Helse", Refused("invalid", {"field": "name"})),
        ("K" * 41, "", Refused("too_long", {"field": "name", "max": 40})),
        ("Kari", "D" * 61, Refused("too_long", {"field": "department", "max": 60})),
    ],
)
def test_join_refuses_missing_or_overlong_name(name: str, department: str, refusal: Refused) -> None:
    """A hello without a name, or with a name or department over the limit, is refused."""
    assert join(empty_room(), "p_kari", name, department, Role.PARTICIPANT, LIMITS) == refusal


def test_join_accepts_name_and_department_at_their_limits() -> None:
    """A name of exactly 40 and a department of exactly 60 characters are accepted."""
    decision = join(empty_room(), "p_kari", "K" * 40, "D" * 60, Role.PARTICIPANT, LIMITS)
    assert isinstance(decision, Accepted)


def test_unchanged_reconnect_is_no_event() -> None:
    """Reconnecting with the same name and role adds nothing to the log."""
    state = room()
    assert join(state, KARI.id, "Kari", "Helse", Role.PARTICIPANT, LIMITS) is None


def test_reconnect_with_new_name_renames() -> None:
    """Reconnecting under another name records the new name and keeps the role."""
    state = room()
    decision = join(state, KARI.id, "Kari N.", "Helse", Role.PARTICIPANT, LIMITS)
    assert isinstance(decision, Accepted)
    assert decision.data == {"id": KARI.id, "name": "Kari N.", "department": "Helse", "role": "participant"}


@pytest.mark.parametrize(
    ("known", "asked", "kept"),
    [
        (FACILITATOR, Role.PARTICIPANT, Role.FACILITATOR),
        (FACILITATOR, Role.COACH, Role.FACILITATOR),
        (COACH, Role.PARTICIPANT, Role.COACH),
    ],
)
def test_reconnect_without_key_keeps_the_higher_role(known: Actor, asked: Role, kept: Role) -> None:
    """A facilitator or coach who reconnects without their key keeps their role."""
    state = room()
    name = known.id[2:].title()
    assert join(state, known.id, name, "Helse", asked, LIMITS) is None
    renamed = join(state, known.id, name + " 2", "Helse", asked, LIMITS)
    assert isinstance(renamed, Accepted) and renamed.data["role"] == kept.value


@pytest.mark.parametrize("key_role", [Role.COACH, Role.FACILITATOR])
def test_reconnect_with_key_raises_role(key_role: Role) -> None:
    """A participant who comes back with a coach or facilitator key gets that role."""
    state = room()
    decision = join(state, KARI.id, "Kari", "Helse", key_role, LIMITS)
    assert isinstance(decision, Accepted) and decision.data["role"] == key_role.value
    commit(state, KARI.id, decision)
    assert state.participants[KARI.id].role is key_role


def test_full_room_refuses_newcomers_but_not_known_participants() -> None:
    """At the participant limit a newcomer gets room_full; someone already in may still reconnect."""
    limits = Limits(participants_per_room=2)
    state = empty_room()
    for pid in ("p_a", "p_b"):
        commit(state, pid, join(state, pid, pid, "", Role.PARTICIPANT, limits))
    assert join(state, "p_c", "C", "", Role.PARTICIPANT, limits) == Refused("room_full", {"max": 2})
    assert join(state, "p_a", "p_a", "", Role.PARTICIPANT, limits) is None
    assert isinstance(join(state, "p_a", "A", "", Role.PARTICIPANT, limits), Accepted)


# --- note commands -------------------------------------------------------------------------


def test_note_create_records_author_and_float_position() -> None:
    """A new note carries its author, no cluster, and a float position: the asked-for one when it is free."""
    decision = decide(room(), OLA, NoteCreate("n2", "Chat", "blue", 1000, 2000, cluster="c1"), 0, LIMITS)
    assert decision == Accepted(
        "note.create",
        {"id": "n2", "text": "Chat", "color": "blue", "x": 1000.0, "y": 2000.0, "cluster": None,
         "author": OLA.id},
    )
    assert isinstance(decision.data["x"], float)


@pytest.mark.parametrize(
    ("command", "refusal"),
    [
        (NoteCreate("", "Idé", "yellow", 1, 1), Refused("invalid", {"field": "id"})),
        (NoteCreate("has space", "Idé", "yellow", 1, 1), Refused("invalid", {"field": "id"})),
        (NoteCreate("blåbær", "Idé", "yellow", 1, 1), Refused("invalid", {"field": "id"})),
        (NoteCreate("n" * 41, "Idé", "yellow", 1, 1), Refused("invalid", {"field": "id"})),
        (NoteCreate("n2", "", "yellow", 1, 1), Refused("invalid", {"field": "text"})),
        (NoteCreate("n2", " \n\t", "yellow", 1, 1), Refused("invalid", {"field": "text"})),
        (NoteCreate("n2", "x" * 501, "yellow", 1, 1), Refused("too_long", {"field": "text", "max": 500})),
        (NoteCreate("n2", "Idé", "red", 1, 1), Refused("invalid", {"field": "color"})),
        (NoteCreate("n2", "Idé", "", 1, 1), Refused("invalid", {"field": "color"})),
        (NoteCreate("n2", "Idé", "yellow", -1, 1), Refused("invalid", {"field": "position"})),
        (NoteCreate("n2", "Idé", "yellow", 1, -0.5), Refused("invalid", {"field": "position"})),
        (NoteCreate("n2", "Idé", "yellow", BOARD_WIDTH + 1, 1), Refused("invalid", {"field": "position"})),
        (NoteCreate("n2", "Idé", "yellow", 1, BOARD_HEIGHT + 1), Refused("invalid", {"field": "position"})),
        (NoteCreate("n2", "Idé", "yellow", math.nan, 1), Refused("invalid", {"field": "position"})),
        (NoteCreate("n2", "Idé", "yellow", 1, math.inf), Refused("invalid", {"field": "position"})),
        (NoteCreate("n2", "Idé", "yellow", -math.inf, 1), Refused("invalid", {"field": "position"})),
        (NoteCreate("n1", "Idé", "yellow", 1, 1), Refused("exists", {"id": "n1"})),
        (NoteUpdate("nope", text="Idé"), Refused("not_found", {"id": "nope"})),
        (NoteUpdate("n1"), Refused("invalid", {"field": "text"})),
        (NoteUpdate("n1", text="  "), Refused("invalid", {"field": "text"})),
        (NoteUpdate("n1", text="x" * 501), Refused("too_long", {"field": "text", "max": 500})),
        (NoteUpdate("n1", color="red"), Refused("invalid", {"field": "color"})),
        (NoteMove("nope", 1, 1), Refused("not_found", {"id": "nope"})),
        (NoteMove("n1", math.nan, 1), Refused("invalid", {"field": "position"})),
        (NoteMove("n1", 1, BOARD_HEIGHT + 0.1), Refused("invalid", {"field": "position"})),
        (NoteDelete("nope"), Refused("not_found", {"id": "nope"})),
    ],
    ids=label,
)
def test_invalid_note_commands_are_refused_with_a_stable_code(command: object, refusal: Refused) -> None:
    """Each kind of bad note command from the note's author gets its own refusal code and params."""
    assert decide(room(), KARI, command, 0, LIMITS) == refusal  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "command",
    [
        NoteCreate("n2", "x" * 500, "purple", 0, 0),
        NoteCreate("N_2-z", "Idé", "green", BOARD_WIDTH, BOARD_HEIGHT),
        NoteCreate("n" * 40, "Idé", "orange", 0.5, 2999.5),
        NoteUpdate("n1", text="x" * 500),
        NoteUpdate("n1", color="pink"),
        NoteMove("n1", BOARD_WIDTH, 0),
        NoteDelete("n1"),
    ],
    ids=label,
)
def test_note_commands_at_the_limits_are_accepted(command: object) -> None:
    """Values exactly at a limit (500 characters, the board's edges, 40-character ids) are allowed."""
    assert isinstance(decide(room(), KARI, command, 0, LIMITS), Accepted)  # type: ignore[arg-type]


def test_board_full_refuses_another_note() -> None:
    """With notes_per_room=2 and two notes on the board, a third is refused with limit."""
    limits = Limits(notes_per_room=2)
    state = room(limits)
    commit(state, OLA.id, decide(state, OLA, NoteCreate("n2", "Idé", "blue", 1, 1), 0, limits))
    third = NoteCreate("n3", "Idé", "blue", 1, 1)
    assert decide(state, OLA, third, 0, limits) == Refused("limit", {"max": 2})
    commit(state, KARI.id, decide(state, KARI, NoteDelete("n1"), 0, limits))
    assert isinstance(decide(state, OLA, third, 0, limits), Accepted)


@pytest.mark.parametrize(
    ("actor", "command", "allowed"),
    [
        (OLA, NoteUpdate("n1", text="Mitt nå"), False),
        (OLA, NoteDelete("n1"), False),
        (COACH, NoteUpdate("n1", text="Mitt nå"), False),
        (COACH, NoteDelete("n1"), False),
        (FACILITATOR, NoteUpdate("n1", text="Rettet"), True),
        (FACILITATOR, NoteDelete("n1"), True),
        (OLA, NoteMove("n1", 5, 5), True),
        (COACH, NoteMove("n1", 5, 5), True),
    ],
    ids=label,
)
def test_who_may_change_someone_elses_note(actor: Actor, command: object, allowed: bool) -> None:
    """Only the author or a facilitator may edit or delete a note; anyone on the board may move it."""
    decision = decide(room(), actor, command, 0, LIMITS)  # type: ignore[arg-type]
    if allowed:
        assert isinstance(decision, Accepted)
    else:
        assert decision == Refused("forbidden")


@pytest.mark.parametrize(
    "command",
    [
        NoteCreate("n2", "Idé", "yellow", 1, 1),
        NoteUpdate("n1", text="x"),
        NoteMove("n1", 1, 1),
        NoteDelete("n1"),
    ],
    ids=label,
)
def test_someone_not_in_the_room_is_forbidden(command: object) -> None:
    """A connection whose participant has not joined the room may not change anything."""
    assert decide(room(), STRANGER, command, 0, LIMITS) == Refused("forbidden")  # type: ignore[arg-type]


def test_decide_never_mutates_the_state() -> None:
    """Deciding, accepted or refused, leaves the state byte-for-byte as it was."""
    state = room()
    before = codec.encode_state(state)
    for actor in (*MEMBERS, STRANGER):
        for command in (
            NoteCreate("n2", "Idé", "yellow", 1, 1),
            NoteCreate("n1", "Idé", "yellow", 1, 1),
            NoteUpdate("n1", text="Ny", color="blue"),
            NoteMove("n1", 3999, 2999),
            NoteDelete("n1"),
        ):
            decide(state, actor, command, 0, LIMITS)
    assert codec.encode_state(state) == before


# --- applying events -----------------------------------------------------------------------


def test_accepted_note_events_change_the_board() -> None:
    """Create, update, move and delete, once applied, show on the board in that order."""
    state = room()
    commit(state, OLA.id, decide(state, OLA, NoteCreate("n2", "Chat", "blue", 1000, 2000), 0, LIMITS))
    commit(state, OLA.id, decide(state, OLA, NoteUpdate("n2", text="Chatbot", color="green"), 0, LIMITS))
    commit(state, KARI.id, decide(state, KARI, NoteMove("n2", 1030, 1040), 0, LIMITS))
    note = state.notes["n2"]
    assert (note.text, note.color, note.x, note.y, note.author) == ("Chatbot", "green", 1030.0, 1040.0, OLA.id)
    commit(state, FACILITATOR.id, decide(state, FACILITATOR, NoteDelete("n2"), 0, LIMITS))
    assert "n2" not in state.notes


@pytest.mark.parametrize("offset", [0, 2, -1])
def test_apply_event_rejects_an_out_of_order_seq(offset: int) -> None:
    """An event that is not exactly the next seq (a repeat, a gap) is refused and changes nothing."""
    state = room()
    before = codec.encode_state(state)
    event = Event(state.seq + offset, "note.delete", KARI.id, 0, {"id": "n1"})
    with pytest.raises(ValueError, match="Expected event seq"):
        apply_event(state, event)
    assert codec.encode_state(state) == before


def test_initial_state_needs_room_create() -> None:
    """A log that does not start with room.create cannot be turned into a room."""
    with pytest.raises(ValueError, match="room.create"):
        initial_state(Event(1, "note.delete", "p_x", 0, {"id": "n1"}))


# --- visibility ----------------------------------------------------------------------------


def test_project_state_shows_the_room_to_each_viewer() -> None:
    """welcome.state holds the room, timer, notes with `mine` for the viewer, and who is online."""
    state = room()
    for viewer in MEMBERS:
        view = project_state(state, viewer, online=[KARI.id])
        assert view["room"]["code"] == "K7MPQ2" and view["room"]["phase"] == "write"
        settings = {"vote_budget": 5, "max_votes_per_target": 3, "private_writing": False, "vote_on": "both", "lobby": False}
        assert view["room"]["settings"] == settings
        assert (view["room"]["areas"], view["room"]["spotlight"]) == ([], None)
        assert view["timer"]["status"] == "idle"
        assert (view["clusters"], view["my_votes"]) == ([], {})
        [note] = view["notes"]
        assert note == {
            "id": "n1", "text": "Kortere skjema", "color": "yellow", "x": 100.0, "y": 80.0, "cluster": None,
            "author": KARI.id, "mine": viewer == KARI, "hidden": False, "votes": None,
        }  # fmt: skip
        online = {p["id"]: p["online"] for p in view["participants"]}
        assert online == {KARI.id: True, OLA.id: False, COACH.id: False, FACILITATOR.id: False}
        staff_keys = {"hidden_counts", "hints"}
        assert staff_keys <= view.keys() if viewer.is_staff else not staff_keys & view.keys()


def with_hidden_note() -> State:
    state = room()
    state.notes["secret"] = Note("secret", "Hemmelig", "pink", 5, 5, author=KARI.id, hidden=True)
    return state


@pytest.mark.parametrize("viewer", [OLA, COACH, FACILITATOR], ids=label)
def test_hidden_note_is_not_in_anyone_elses_state(viewer: Actor) -> None:
    """A hidden note appears only in its author's welcome state; staff see only a count."""
    state = with_hidden_note()
    view = project_state(state, viewer)
    assert [n["id"] for n in view["notes"]] == ["n1"]
    assert "Hemmelig" not in str(view)
    assert view.get("hidden_counts", {KARI.id: 1}) == {KARI.id: 1}
    mine = {n["id"]: n for n in project_state(state, KARI)["notes"]}
    assert mine["secret"]["hidden"] and mine["secret"]["mine"]


HIDDEN_CREATE = Event(
    9, "note.create", KARI.id, 9000,
    {"id": "secret", "text": "Hemmelig", "color": "pink", "x": 5.0, "y": 5.0, "cluster": None,
     "author": KARI.id, "hidden": True, "count": 1},
)  # fmt: skip
PLAIN_CREATE = Event(
    9, "note.create", KARI.id, 9000,
    {"id": "open", "text": "Åpen", "color": "pink", "x": 5.0, "y": 5.0, "cluster": None, "author": KARI.id},
)  # fmt: skip
MOVE = Event(9, "note.move", OLA.id, 9000, {"id": "n1", "x": 1.0, "y": 2.0})


@pytest.mark.parametrize(
    ("event", "viewer", "expected"),
    [
        (ROOM_CREATE, KARI, "redacted"),
        (ROOM_CREATE, FACILITATOR, "redacted"),
        (HIDDEN_CREATE, KARI, "author"),
        (HIDDEN_CREATE, OLA, "redacted"),
        (HIDDEN_CREATE, FACILITATOR, "count"),
        (HIDDEN_CREATE, COACH, "count"),
        (PLAIN_CREATE, KARI, "author"),
        (PLAIN_CREATE, OLA, "all"),
        (PLAIN_CREATE, COACH, "all"),
        (MOVE, OLA, "all"),
        (MOVE, KARI, "all"),
    ],
    ids=label,
)
def test_audience_classes(event: Event, viewer: Actor, expected: object) -> None:
    """Recipients fall into classes that get the same bytes: the author, everyone, staff, or a placeholder."""
    assert audience(event, viewer) == expected


@pytest.mark.parametrize("viewer", MEMBERS + (STRANGER,), ids=label)
def test_room_create_is_only_ever_a_placeholder(viewer: Actor) -> None:
    """No client ever receives the content of the internal room.create event."""
    assert project_event(ROOM_CREATE, viewer) == {
        "type": "event", "seq": 1, "op": "redacted", "by": None, "at": 0, "data": {}}


def test_hidden_note_create_reaches_only_its_author() -> None:
    """The author gets the private note; staff get only the author's count; others a placeholder."""
    frame = project_event(HIDDEN_CREATE, KARI)
    assert frame["data"]["mine"] is True and frame["data"]["text"] == "Hemmelig" and frame["seq"] == 9
    assert project_event(HIDDEN_CREATE, OLA)["op"] == "redacted"
    for staff in (COACH, FACILITATOR):
        assert project_event(HIDDEN_CREATE, staff)["data"] == {"author": KARI.id, "count": 1}
    for viewer in (OLA, COACH, FACILITATOR):
        assert "Hemmelig" not in str(project_event(HIDDEN_CREATE, viewer))


def test_note_create_frame_says_mine_only_to_the_author() -> None:
    """A note.create event frame carries mine=true for its author, false for others, and no votes."""
    for viewer in MEMBERS:
        assert project_event(PLAIN_CREATE, viewer) == {
            "type": "event", "seq": 9, "op": "note.create", "by": KARI.id, "at": 9000,
            "data": {**PLAIN_CREATE.data, "mine": viewer == KARI, "votes": None},
        }  # fmt: skip


@pytest.mark.parametrize("command", [NoteUpdate("secret", text="Fortsatt hemmelig"), NoteMove("secret", 9, 9),
                                     NoteDelete("secret")], ids=label)
def test_changes_to_a_hidden_note_reach_only_its_author(command: object) -> None:
    """Editing, moving or deleting a private note tells nobody else anything but a count."""
    state = with_hidden_note()
    event = commit(state, KARI.id, decide(state, KARI, command, 0, LIMITS))  # type: ignore[arg-type]
    assert project_event(event, KARI)["op"] == event.op
    assert project_event(event, OLA)["op"] == "redacted"
    for staff in (COACH, FACILITATOR):
        frame = project_event(event, staff)
        assert "Fortsatt" not in str(frame) and frame["op"] in ("redacted", "hidden.count")


@pytest.mark.parametrize("command", [NoteCreate("secret", "Gjett", "yellow", 1, 1), ClusterCreate("secret", "Gruppe", 1, 1)],
                         ids=label)
@pytest.mark.parametrize("viewer", [OLA, COACH, FACILITATOR], ids=label)
def test_creating_with_the_id_of_someone_elses_private_note_does_not_confirm_it(command: object, viewer: Actor) -> None:
    """Reusing the id of a private note answers exactly what editing it would (`not_found`),
    never `exists`; nothing is created, so there is still one note with that id."""
    state = with_hidden_note()
    before = codec.encode_state(state)
    refused = decide(state, viewer, command, 0, LIMITS)  # type: ignore[arg-type]
    assert refused == decide(state, viewer, NoteUpdate("secret", text="x"), 0, LIMITS)
    assert refused == Refused("not_found", {"id": "secret"})
    assert codec.encode_state(state) == before
    # Its author, who can see it, is told it exists; a visible note's id is `exists` for anyone.
    assert decide(state, KARI, command, 0, LIMITS) == Refused("exists", {"id": "secret"})  # type: ignore[arg-type]
    assert decide(state, viewer, NoteCreate("n1", "x", "yellow", 1, 1), 0, LIMITS) == Refused("exists", {"id": "n1"})


@pytest.mark.parametrize(
    ("ops", "for_kari", "for_staff"),
    [
        ((), None, None),
        (("participant.join", "note.create", "note.update", "note.move", "note.delete", "notes.reveal"), None, None),
        (("role.grant",), "role_change", None),
        (("round.switched",), "round_change", "round_change"),
        (("evaluation.answer",), None, "evaluation"),
        (("evaluation.answer", "round.switched", "role.grant"), "role_change", "round_change"),
    ],
)
def test_a_resume_gets_a_snapshot_and_says_why(ops: tuple[str, ...], for_kari: str | None,
                                               for_staff: str | None) -> None:
    """A resume across a change of the viewer's own role, of the active round, or (for staff)
    an evaluation answer gets a fresh snapshot instead of events, with that reason (the first in
    that order when there are several); anything else replays."""
    about_kari = {
        "participant.join": {"id": KARI.id, "name": "Kari", "department": "", "role": "participant"},
        "note.create": {"id": "n", "text": "t", "color": "blue", "x": 1.0, "y": 1.0, "cluster": None, "author": KARI.id},
        "note.update": {"id": "n", "text": "u"},
        "note.move": {"id": "n", "x": 2.0, "y": 2.0},
        "note.delete": {"id": "n"},
        "notes.reveal": {"notes": []},
        "role.grant": {"participant": KARI.id, "role": "coach"},
        "round.switched": {"round": "solution", "from": "need"},
        "evaluation.answer": {"scores": {"clear": 4}},
    }
    events = [Event(i + 2, op, KARI.id, 0, about_kari[op]) for i, op in enumerate(ops)]
    assert snapshot_reason(events, KARI) == for_kari
    assert snapshot_reason(events, OLA) == ("round_change" if "round.switched" in ops else None)
    assert snapshot_reason(events, FACILITATOR) == for_staff
    assert needs_snapshot(events, KARI) is (for_kari is not None)


# --- random sequences ----------------------------------------------------------------------

SMALL = Limits(note_text=12, notes_per_room=2)
ACTORS = (KARI, OLA, COACH, FACILITATOR)


def mostly(good: st.SearchStrategy[object], bad: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    """Draws from `good` three times in four, so that sequences build up a board worth changing."""
    return st.integers(0, 3).flatmap(lambda i: bad if i == 3 else good)


_ids = mostly(st.sampled_from(["a", "b", "c"]), st.sampled_from(["bad id", "", "x" * 41]))
_texts = mostly(st.sampled_from(["Idé", "Kort skjema", "x" * SMALL.note_text]), st.text(max_size=20))
_colors = mostly(st.sampled_from(COLORS), st.sampled_from(["red", "", "Yellow"]))
_coords = mostly(
    st.floats(0, BOARD_HEIGHT) | st.integers(0, BOARD_HEIGHT),
    st.floats(allow_nan=True, allow_infinity=True) | st.integers(-10, BOARD_WIDTH + 10),
)
_create = st.builds(NoteCreate, id=_ids, text=_texts, color=_colors, x=_coords, y=_coords)
_commands = st.one_of(
    _create,
    _create,
    st.builds(NoteUpdate, id=_ids, text=st.none() | _texts, color=st.none() | _colors),
    st.builds(NoteMove, id=_ids, x=_coords, y=_coords),
    st.builds(NoteDelete, id=_ids),
    st.builds(PhaseSet, phase=st.sampled_from(["lobby", "write", "cluster", "vote", "results", "nap"])),
    st.builds(RoomUpdate, locked=st.none() | st.booleans(), prompt=st.none() | _texts,
              settings=st.none() | st.builds(SettingsPatch, private_writing=st.none() | st.booleans())),
    st.builds(NotesReveal),
    st.builds(TimerStart, duration_ms=st.integers(-5, 10**9)),
    st.builds(TimerPause), st.builds(TimerResume), st.builds(TimerReset),
    st.builds(TimerAdd, ms=st.integers(-10**6, 10**6)),
    st.builds(Spotlight, target=st.none() | _ids),
    st.builds(CoachHint, text=_texts),
)


def check_invariants(state: State, limits: Limits) -> None:
    assert len(state.notes) <= limits.notes_per_room
    for note in state.notes.values():
        assert note.author in state.participants
        assert math.isfinite(note.x) and math.isfinite(note.y)
        assert 0 <= note.x <= BOARD_WIDTH and 0 <= note.y <= BOARD_HEIGHT
        assert note.text.strip() and len(note.text) <= limits.note_text
        assert note.color in COLORS
    spotlit = state.notes.get(state.room.spotlight or "")
    assert state.room.spotlight is None or (spotlit is not None and not spotlit.hidden)
    assert state.timer.remaining_ms >= 0


def check_secrecy(state: State, event: Event) -> None:
    """No frame for anyone but the author carries the text of a note that is private now."""
    for viewer in ACTORS:
        frame = str(project_event(event, viewer)) + str(project_state(state, viewer))
        visible = {n.text for n in state.notes.values() if not n.hidden or n.author == viewer.id}
        secrets = {n.text for n in state.notes.values() if n.hidden and n.author != viewer.id} - visible
        assert not any(repr(text) in frame for text in secrets), (viewer, event)


@settings(max_examples=scaled(300))
@given(st.lists(st.tuples(st.sampled_from(ACTORS), _commands), max_size=40))
def test_random_note_ops_keep_the_room_consistent(steps: list[tuple[Actor, object]]) -> None:
    """Any mix of valid and invalid ops from four people (note edits, phases, lock, private writing,
    reveal, timer, spotlight, hints) keeps the board within its rules, never shows anyone another
    person's private note, and replaying the stored log gives back exactly the same room."""
    state = initial_state(ROOM_CREATE)
    log = [ROOM_CREATE]
    for actor in ACTORS:
        log.append(commit(state, actor.id, join(state, actor.id, actor.id, "", actor.role, SMALL)))
    for actor, command in steps:
        before = codec.encode_state(state)
        now = 1000 * (state.seq + 1)
        decision = decide(state, actor, command, now, SMALL)  # type: ignore[arg-type]
        assert codec.encode_state(state) == before
        if isinstance(decision, Refused):
            assert decision.code in {"invalid", "too_long", "exists", "limit", "not_found", "forbidden",
                                     "phase", "locked"}
            continue
        event = commit(state, actor.id, decision)
        assert event.seq == log[-1].seq + 1 == state.seq
        log.append(event)
        check_invariants(state, SMALL)
        check_secrecy(state, event)

    replayed = initial_state(codec.decode_event(codec.encode_event(log[0])))
    for event in log[1:]:
        apply_event(replayed, codec.decode_event(codec.encode_event(event)))
    assert codec.encode_state(replayed) == codec.encode_state(state)


def test_private_writing_hides_participants_notes_not_the_facilitators_and_reveal_ends_it() -> None:
    """During silent writing a participant's note is private and the facilitator's example is
    not; revealing shows every note and ends private writing."""
    state = room()
    commit(state, FACILITATOR.id, decide(state, FACILITATOR, RoomUpdate(settings=SettingsPatch(private_writing=True)), 0, LIMITS))
    commit(state, KARI.id, decide(state, KARI, NoteCreate("k", "Kari privat", "yellow", 1, 1), 0, LIMITS))
    commit(state, FACILITATOR.id, decide(state, FACILITATOR, NoteCreate("f", "Eksempel", "blue", 1, 1), 0, LIMITS))
    assert state.notes["k"].hidden and not state.notes["f"].hidden
    reveal = commit(state, FACILITATOR.id, decide(state, FACILITATOR, NotesReveal(), 0, LIMITS))
    assert not state.room.settings.private_writing and not state.notes["k"].hidden
    assert project_event(reveal, OLA)["data"]["private_writing"] is False
    commit(state, KARI.id, decide(state, KARI, NoteCreate("k2", "Etterpå", "yellow", 1, 1), 0, LIMITS))
    assert not state.notes["k2"].hidden
