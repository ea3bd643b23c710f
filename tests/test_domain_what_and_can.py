"""What a refusal is about, what each person is told they may do (`can`), and the limits they
are shown: the parts of a frame a client turns into words and greyed-out buttons.

A refusal's `what` is not part of its identity (`Refused.__eq__` ignores it), so the tests that
compare refusals cannot see a "That group no longer exists" turned into "That note no longer
exists"; these compare `detail`, which the error frame and its message are filled from.
"""

from __future__ import annotations

import pytest

from server.domain import (
    COMMANDS,
    OP_NAMES,
    Accepted,
    Actor,
    Event,
    Limits,
    Refused,
    Role,
    State,
    decide,
    frame_class,
    initial_state,
    join,
    limits_view,
    permissions,
    project_event,
    project_state,
)
from server.domain.commands import (
    ClusterCreate,
    ClusterDelete,
    ClusterMerge,
    ClusterUpdate,
    Command,
    LobbyAdmit,
    LobbyDeny,
    NoteCreate,
    NoteGroup,
    NoteMove,
    ParticipantRemove,
    PhaseSet,
    RoleGrant,
    RoomUpdate,
    SettingsPatch,
    VoteCast,
    VoteRetract,
)
from server.domain.model import BOARD_HEIGHT, BOARD_WIDTH, COLORS, NOTE_MIN_HEIGHT, NOTE_WIDTH, VOTE_ON
from server.domain.rules import ID_PATTERN, PERMISSION_OPS, TIMER_MIN_MS
from server.domain.visibility import HINTS_KEPT
from tests.support.domain import append as apply, commit as do

LIMITS = Limits()
FAC = Actor("p_fac", Role.FACILITATOR)
COACH = Actor("p_coach", Role.COACH)
KARI = Actor("p_kari", Role.PARTICIPANT)
OLA = Actor("p_ola", Role.PARTICIPANT)
STRANGER = Actor("p_stranger", Role.PARTICIPANT)


def enter(state: State, pid: str, name: str, role: Role = Role.PARTICIPANT, limits: Limits = LIMITS) -> object:
    decision = join(state, pid, name, "Helse", role, limits)
    if isinstance(decision, Accepted):
        apply(state, decision.op, pid, decision.data)
    return decision


def board(phase: str = "cluster") -> State:
    """Notes n1 (Kari's) and n2 (Ola's), group c1 holding n2."""
    state = initial_state(Event(1, "room.create", "system", 0,
                                {"code": "K7MPQ2", "title": "T", "language": "nb", "template": "blank"}))
    for actor in (FAC, COACH, KARI, OLA):
        enter(state, actor.id, actor.id[2:], actor.role)
    do(state, FAC, PhaseSet("write"))
    do(state, KARI, NoteCreate("n1", "Idé en", "yellow", 100, 100))
    do(state, OLA, NoteCreate("n2", "Idé to", "blue", 200, 200))
    do(state, FAC, ClusterCreate("c1", "Ventetid", 1000, 1000))
    do(state, FAC, NoteGroup("n2", "c1"))
    do(state, FAC, PhaseSet(phase))
    return state


def refusal(state: State, actor: Actor, command: Command, limits: Limits = LIMITS) -> Refused:
    decision = decide(state, actor, command, 0, limits)
    assert isinstance(decision, Refused), decision
    return decision


# --- what a refusal is about ------------------------------------------------------------------


@pytest.mark.parametrize(("phase", "actor", "command", "detail"), [
    ("cluster", KARI, NoteGroup("n1", "nope"), {"id": "nope", "what": "group"}),
    ("cluster", KARI, NoteGroup("nope", "c1"), {"id": "nope", "what": "note"}),
    ("cluster", KARI, NoteMove("nope", 1, 1), {"id": "nope", "what": "note"}),
    ("cluster", KARI, ClusterUpdate("nope", title="Ny"), {"id": "nope", "what": "group"}),
    ("cluster", FAC, ClusterDelete("nope"), {"id": "nope", "what": "group"}),
    ("cluster", FAC, ClusterMerge("nope", "c1"), {"id": "nope", "what": "group"}),
    ("cluster", FAC, ClusterMerge("c1", "nope"), {"id": "nope", "what": "group"}),
    ("cluster", KARI, NoteCreate("n1", "x", "yellow", 1, 1), {"id": "n1", "what": "note"}),
    ("cluster", KARI, NoteCreate("c1", "x", "yellow", 1, 1), {"id": "c1", "what": "group"}),
    ("cluster", KARI, ClusterCreate("n1", "x", 1, 1), {"id": "n1", "what": "note"}),
    ("cluster", KARI, ClusterCreate("c1", "x", 1, 1), {"id": "c1", "what": "group"}),
    ("cluster", FAC, RoleGrant("p_nobody", "coach"), {"id": "p_nobody", "what": "person"}),
    ("cluster", FAC, ParticipantRemove("p_nobody"), {"id": "p_nobody", "what": "person"}),
    ("cluster", FAC, LobbyAdmit("p_nobody"), {"id": "p_nobody", "what": "person"}),
    ("cluster", FAC, LobbyDeny("p_nobody"), {"id": "p_nobody", "what": "person"}),
    ("vote", KARI, VoteCast("nope"), {"id": "nope", "what": "idea"}),
    ("vote", KARI, VoteRetract("n1"), {"id": "n1", "what": "dot"}),
], ids=lambda v: type(v).__name__ if not isinstance(v, (Actor, dict, str)) else None)
def test_a_refusal_says_which_kind_of_thing_it_is_about(phase: str, actor: Actor, command: Command,
                                                       detail: dict[str, object]) -> None:
    """The error frame reads "That group no longer exists", not a sentence about notes."""
    refused = refusal(board(phase), actor, command)
    assert refused.detail == detail
    assert refused.code == ("exists" if command.__class__ in (NoteCreate, ClusterCreate) else "not_found")


@pytest.mark.parametrize(("command", "limits", "detail"), [
    (NoteCreate("n9", "x", "yellow", 1, 1), Limits(notes_per_room=2), {"max": 2, "what": "note"}),
    (ClusterCreate("c9", "x", 1, 1), Limits(clusters_per_room=1), {"max": 1, "what": "group"}),
])
def test_a_full_board_says_whether_notes_or_groups_are_full(command: Command, limits: Limits,
                                                            detail: dict[str, object]) -> None:
    refused = refusal(board(), KARI, command, limits)
    assert (refused.code, refused.detail) == ("limit", detail)


def test_a_refusal_without_a_thing_has_only_its_params() -> None:
    title = "x" * (LIMITS.cluster_title + 1)
    assert refusal(board(), KARI, ClusterCreate("c9", title, 1, 1)).detail == {"field": "title", "max": LIMITS.cluster_title}


def test_an_unknown_refusal_code_fails_loudly() -> None:
    """A typo in a code must not reach a client as a message nobody can translate."""
    assert type(Refused("not_found").code).__name__ == "ErrorCode"
    with pytest.raises(ValueError):
        Refused("no_such_code")


# --- the lobby --------------------------------------------------------------------------------


def lobby_room(limits: Limits) -> State:
    state = initial_state(Event(1, "room.create", "system", 0, {"code": "ABCDEF", "title": "T", "language": "nb"}))
    enter(state, FAC.id, "Fasilitator", Role.FACILITATOR, limits)
    enter(state, KARI.id, "Kari", limits=limits)
    do(state, FAC, RoomUpdate(settings=SettingsPatch(lobby=True)), limits=limits)
    return state


def test_turning_away_someone_who_is_not_waiting_is_not_found_and_changes_nothing() -> None:
    state = lobby_room(LIMITS)
    enter(state, "p_ola", "Ola", limits=LIMITS)
    assert decide(state, FAC, LobbyDeny(KARI.id), 0, LIMITS) == Refused("not_found", {"id": KARI.id})
    assert decide(state, FAC, LobbyDeny("p_nobody"), 0, LIMITS) == Refused("not_found", {"id": "p_nobody"})
    assert list(state.waiting) == ["p_ola"] and KARI.id in state.participants


def test_letting_someone_in_tells_everyone_their_name_and_department() -> None:
    state = lobby_room(LIMITS)
    join(state, "p_ola", "Ola", "Bydel Nord", Role.PARTICIPANT, LIMITS)
    apply(state, "lobby.knock", "p_ola", join(state, "p_ola", "Ola", "Bydel Nord", Role.PARTICIPANT, LIMITS).data)
    event = do(state, FAC, LobbyAdmit("p_ola"))
    assert event.data == {"id": "p_ola", "name": "Ola", "department": "Bydel Nord", "role": "participant"}
    assert project_event(event, KARI)["data"] == event.data
    ola = state.participants["p_ola"]
    assert (ola.name, ola.department, ola.role) == ("Ola", "Bydel Nord", Role.PARTICIPANT)


def test_turning_the_lobby_off_in_a_full_room_lets_nobody_in() -> None:
    limits = Limits(participants_per_room=4)
    state = lobby_room(limits)
    for i in range(4):
        enter(state, f"p_{i}", f"P{i}", limits=limits)
    do(state, FAC, LobbyAdmit("p_0"), limits=limits)
    do(state, FAC, LobbyAdmit("p_1"), limits=limits)
    event = do(state, FAC, RoomUpdate(settings=SettingsPatch(lobby=False)), limits=limits)
    assert event.data["admitted"] == []
    assert len(state.participants) == 4 and list(state.waiting) == ["p_2", "p_3"]


# --- can: what each person is told they may do --------------------------------------------------


def test_someone_not_in_the_room_may_do_nothing() -> None:
    can = permissions(board(), STRANGER)
    assert set(can) == set(COMMANDS) == set(OP_NAMES.values())
    assert set(can.values()) == {"forbidden"}


@pytest.mark.parametrize("phase", ["write", "cluster"])
def test_a_participant_may_write_but_not_run_the_session(phase: str) -> None:
    can = permissions(board(phase), KARI)
    assert can["note.create"] is None and can["cluster.create"] is None
    assert can["phase.set"] == "forbidden" and can["coach.hint"] == "forbidden"
    assert can["vote.cast"] == "phase"


def test_the_facilitator_may_run_the_session_and_the_coach_may_hint() -> None:
    state = board("vote")
    assert permissions(state, FAC)["phase.set"] is None and permissions(state, FAC)["vote.cast"] is None
    assert permissions(state, COACH)["coach.hint"] is None and permissions(state, COACH)["phase.set"] == "forbidden"


def test_a_frame_that_changes_what_people_may_do_carries_each_viewers_can() -> None:
    """After a phase change the buttons grey out without a reload: the frame says what each
    recipient may do now; a frame that changes nothing of that carries no `can`."""
    state = board("write")
    event = do(state, FAC, PhaseSet("vote"))
    assert "phase.set" in PERMISSION_OPS
    kari, fac = project_event(event, KARI, state), project_event(event, FAC, state)
    assert kari["can"] == permissions(state, KARI) and kari["can"]["vote.cast"] is None
    assert kari["can"]["phase.set"] == "forbidden" and fac["can"]["phase.set"] is None
    assert "can" not in project_event(event, KARI), "without the state there is nothing to tell"
    move = do(state, FAC, NoteMove("n1", 5, 5))
    assert "can" not in project_event(move, KARI, state)


def test_frames_are_shared_by_role_only_where_they_carry_can() -> None:
    """Fan-out encodes a frame once per class: a phase change apart per role (the `can`
    differs), a move once for everyone, a private note's creation apart for its author."""
    state = board("write")
    phase = do(state, FAC, PhaseSet("vote"))
    assert frame_class(phase, KARI) == frame_class(phase, OLA)
    assert frame_class(phase, KARI) != frame_class(phase, FAC)
    move = do(state, FAC, NoteMove("n1", 5, 5))
    assert frame_class(move, KARI) == frame_class(move, FAC) == frame_class(move, COACH)
    for viewers in ((KARI, OLA), (KARI, FAC), (FAC, COACH)):
        if frame_class(phase, viewers[0]) == frame_class(phase, viewers[1]):
            assert project_event(phase, viewers[0], state) == project_event(phase, viewers[1], state)


def test_a_private_notes_creation_is_a_class_of_its_own_for_its_author() -> None:
    state = board("write")
    do(state, FAC, RoomUpdate(settings=SettingsPatch(private_writing=True)))
    created = do(state, KARI, NoteCreate("n9", "Hemmelig", "yellow", 1, 1))
    assert frame_class(created, KARI) != frame_class(created, OLA)
    assert project_event(created, KARI)["data"]["text"] == "Hemmelig"
    assert frame_class(created, OLA) == frame_class(created, STRANGER)


def test_the_welcome_tells_the_limits_and_what_the_viewer_may_do() -> None:
    state = board("write")
    limits = Limits(note_text=1000)
    welcome = project_state(state, KARI, now=0, limits=limits)
    assert welcome["limits"] == limits_view(limits) and welcome["limits"]["note_text"] == 1000
    assert welcome["can"] == permissions(state, KARI) and welcome["can"]["phase.set"] == "forbidden"
    assert project_state(state, FAC, now=0)["can"]["phase.set"] is None


def test_the_limits_a_client_shows_are_the_ones_the_rules_apply() -> None:
    view = limits_view(LIMITS)
    assert {k: view[k] for k in (
        "timer_min_ms", "board_width", "board_height", "note_width", "note_min_height", "colors", "vote_on",
        "id_pattern", "hints_kept")} == {
        "timer_min_ms": TIMER_MIN_MS, "board_width": BOARD_WIDTH, "board_height": BOARD_HEIGHT,
        "note_width": NOTE_WIDTH, "note_min_height": NOTE_MIN_HEIGHT, "colors": list(COLORS),
        "vote_on": list(VOTE_ON), "id_pattern": ID_PATTERN.pattern, "hints_kept": HINTS_KEPT}
    assert view["timer_min_ms"] == 1000 and "yellow" in view["colors"]
    assert view["note_text"] == LIMITS.note_text and view["vote_budget"] == LIMITS.vote_budget
