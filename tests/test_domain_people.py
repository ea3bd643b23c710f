"""Pure rules of who is in the room: a facilitator removes someone for good, and with the "ask
to join" lobby on, newcomers wait until a facilitator lets them in or turns them away."""

from __future__ import annotations

from server import codec
from server.domain import (
    Accepted,
    Actor,
    Event,
    Limits,
    Refused,
    Role,
    State,
    decide,
    initial_state,
    join,
    project_event,
    project_state,
)
from server.domain.commands import (
    LobbyAdmit,
    LobbyDeny,
    NoteCreate,
    ParticipantRemove,
    PhaseSet,
    RoomUpdate,
    SettingsPatch,
)
from tests.support.domain import append as apply, commit

LIMITS = Limits(participants_per_room=4)
FAC = Actor("p_fac", Role.FACILITATOR)
KARI = Actor("p_kari", Role.PARTICIPANT)


def do(state: State, actor: Actor, command: object) -> Event:
    """Under this file's limits (a room of four)."""
    return commit(state, actor, command, limits=LIMITS)


def enter(state: State, pid: str, name: str, role: Role = Role.PARTICIPANT) -> Accepted | Refused | None:
    decision = join(state, pid, name, "Helse", role, LIMITS)
    if isinstance(decision, Accepted):
        apply(state, decision.op, pid, decision.data)
    return decision


def room() -> State:
    state = initial_state(Event(1, "room.create", "system", 0, {"code": "ABCDEF", "title": "T", "language": "nb"}))
    enter(state, FAC.id, "Fasilitator", Role.FACILITATOR)
    do(state, FAC, PhaseSet("write"))
    enter(state, KARI.id, "Kari")
    return state


def replayed(state: State) -> State:
    """What another process or a restart builds from the snapshot."""
    return codec.decode_state(codec.encode_state(state))


def test_a_removed_participant_cannot_come_back_with_that_token_and_their_notes_stay() -> None:
    """Removed: the place frees, the token is refused from then on (also after a snapshot), the
    notes stay, and nothing they send is accepted any more."""
    state = room()
    do(state, KARI, NoteCreate("n1", "Kortere kø", "yellow", 1, 1))
    for name in ("A", "B"):
        enter(state, f"p_{name}", name)
    assert enter(state, "p_full", "Full") == Refused("room_full", {"max": 4})
    do(state, FAC, ParticipantRemove(KARI.id))
    assert KARI.id not in state.participants and "n1" in state.notes
    assert enter(state, KARI.id, "Kari") == Refused("removed")
    assert join(replayed(state), KARI.id, "Kari", "", Role.PARTICIPANT, LIMITS) == Refused("removed")
    assert decide(state, KARI, NoteCreate("n2", "x", "yellow", 1, 1), 0, LIMITS) == Refused("forbidden")
    assert isinstance(enter(state, "p_full", "Full"), Accepted), "the place is free again"


def test_only_a_facilitator_removes_and_never_a_facilitator() -> None:
    state = room()
    enter(state, "p_ola", "Ola")
    assert decide(state, KARI, ParticipantRemove("p_ola"), 0, LIMITS) == Refused("forbidden")
    assert decide(state, FAC, ParticipantRemove(FAC.id), 0, LIMITS) == Refused("forbidden")
    enter(state, "p_co", "Co", Role.FACILITATOR)
    assert decide(state, FAC, ParticipantRemove("p_co"), 0, LIMITS) == Refused("forbidden")
    assert decide(state, FAC, ParticipantRemove("p_nobody"), 0, LIMITS) == Refused("not_found", {"id": "p_nobody"})


def test_with_the_lobby_on_newcomers_wait_until_admitted() -> None:
    """A newcomer knocks; staff see who waits (others see nothing of it); admitting makes them a
    participant; key holders and people already in walk past the lobby."""
    state = room()
    do(state, FAC, RoomUpdate(settings=SettingsPatch(lobby=True)))
    knock = enter(state, "p_ola", "Ola")
    assert isinstance(knock, Accepted) and knock.op == "lobby.knock"
    assert "p_ola" not in state.participants and "p_ola" in state.waiting
    assert enter(state, "p_ola", "Ola") is None, "knocking again changes nothing"
    event = Event(state.seq, "lobby.knock", "p_ola", 0, knock.data)
    assert project_event(event, KARI)["op"] == "redacted"
    assert project_event(event, FAC)["data"]["name"] == "Ola"
    assert project_state(state, FAC)["waiting"] == [{"id": "p_ola", "name": "Ola", "department": "Helse"}]
    assert "waiting" not in project_state(state, KARI)
    assert enter(state, KARI.id, "Kari") is None, "someone already in is not sent to the lobby"
    assert enter(state, "p_coach", "Coach", Role.COACH).op == "participant.join"  # type: ignore[union-attr]

    assert decide(state, KARI, LobbyAdmit("p_ola"), 0, LIMITS) == Refused("forbidden")
    do(state, FAC, LobbyAdmit("p_ola"))
    assert state.participants["p_ola"].role is Role.PARTICIPANT and state.waiting == {}
    assert decide(state, FAC, LobbyAdmit("p_ola"), 0, LIMITS) == Refused("not_found", {"id": "p_ola"})


def test_turned_away_cannot_knock_again_and_the_lobby_is_bounded() -> None:
    state = room()
    do(state, FAC, RoomUpdate(settings=SettingsPatch(lobby=True)))
    enter(state, "p_spam", "Spam")
    do(state, FAC, LobbyDeny("p_spam"))
    assert "p_spam" not in state.waiting and enter(state, "p_spam", "Spam") == Refused("removed")
    for i in range(4):
        enter(state, f"p_{i}", f"P{i}")
    assert enter(state, "p_more", "More") == Refused("room_full", {"max": 4}), "the lobby is no way around the limit"
    do(state, FAC, LobbyAdmit("p_0"))
    do(state, FAC, LobbyAdmit("p_1"))
    assert decide(state, FAC, LobbyAdmit("p_2"), 0, LIMITS) == Refused("room_full", {"max": 4})


def test_turning_the_lobby_off_lets_in_who_waits_as_far_as_there_is_room() -> None:
    state = room()
    do(state, FAC, RoomUpdate(settings=SettingsPatch(lobby=True)))
    for i in range(3):
        enter(state, f"p_{i}", f"P{i}")
    do(state, FAC, RoomUpdate(settings=SettingsPatch(lobby=False)))
    assert set(state.participants) == {FAC.id, KARI.id, "p_0", "p_1"}
    assert list(state.waiting) == ["p_2"]
    assert replayed(state).participants.keys() == state.participants.keys()
