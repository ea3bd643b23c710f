"""The facilitator's changes to the room itself: title, prompt, lock, voting settings, phase and
reveal: exact refusals, exact event data, and what every viewer's welcome then shows."""

from __future__ import annotations

import pytest

from server.domain import Accepted, Actor, Event, Limits, Refused, Role, State, apply_event, decide
from server.domain import initial_state, join, new_room, project_state
from server.domain.commands import (
    ClusterCreate,
    Command,
    NoteCreate,
    NoteGroup,
    NotesReveal,
    PhaseSet,
    RoomUpdate,
    SettingsPatch,
)
from tests.support.domain import commit as do

LIMITS = Limits()
FAC = Actor("p_fac", Role.FACILITATOR)
KARI = Actor("p_kari", Role.PARTICIPANT)


def room(template: str = "blank") -> State:
    created = new_room("K7MPQ2", "Tittel", "nb", template, LIMITS)
    assert isinstance(created, Accepted)
    state = initial_state(Event(1, created.op, "system", 0, created.data))
    for actor in (FAC, KARI):
        decision = join(state, actor.id, actor.id[2:], "", actor.role, LIMITS)
        assert isinstance(decision, Accepted)
        apply_event(state, Event(state.seq + 1, decision.op, actor.id, 0, decision.data))
    return state


@pytest.mark.parametrize(("command", "refusal"), [
    (RoomUpdate(), Refused("invalid", {"field": "settings"})),
    (RoomUpdate(title="  "), Refused("invalid", {"field": "title"})),
    (RoomUpdate(title="T" * (LIMITS.title + 1)), Refused("too_long", {"field": "title", "max": LIMITS.title})),
    (RoomUpdate(prompt="P" * (LIMITS.prompt + 1)), Refused("too_long", {"field": "prompt", "max": LIMITS.prompt})),
    (RoomUpdate(settings=SettingsPatch(vote_budget=0)), Refused("invalid", {"field": "vote_budget"})),
    (RoomUpdate(settings=SettingsPatch(vote_budget=LIMITS.vote_budget + 1)), Refused("invalid", {"field": "vote_budget"})),
    (RoomUpdate(settings=SettingsPatch(max_votes_per_target=0)), Refused("invalid", {"field": "max_votes_per_target"})),
    (RoomUpdate(settings=SettingsPatch(vote_budget=2, max_votes_per_target=3)),
     Refused("invalid", {"field": "max_votes_per_target"})),
    (RoomUpdate(settings=SettingsPatch(vote_on="people")), Refused("invalid", {"field": "vote_on"})),
    (PhaseSet("nap"), Refused("invalid", {"field": "phase"})),
], ids=lambda v: str(v.params.get("field", "")) + ":" + v.code if isinstance(v, Refused) else type(v).__name__)
def test_room_update_refusals(command: Command, refusal: Refused) -> None:
    assert decide(room(), FAC, command, 0, LIMITS) == refusal


@pytest.mark.parametrize(("patch", "settings"), [
    (SettingsPatch(vote_budget=1, max_votes_per_target=1), (1, 1, False, "both", False)),
    (SettingsPatch(vote_budget=LIMITS.vote_budget, max_votes_per_target=LIMITS.vote_budget),
     (LIMITS.vote_budget, LIMITS.vote_budget, False, "both", False)),
    (SettingsPatch(vote_budget=3), (3, 3, False, "both", False)),
    (SettingsPatch(private_writing=True), (5, 3, True, "both", False)),
    (SettingsPatch(vote_on="clusters"), (5, 3, False, "clusters", False)),
    (SettingsPatch(lobby=True), (5, 3, False, "both", True)),
], ids=["one-dot", "most-dots", "budget-only", "private", "groups-only", "lobby-only"])
def test_settings_at_their_limits_and_patches_keep_the_rest(patch: SettingsPatch, settings: tuple[object, ...]) -> None:
    state = room()
    event = do(state, FAC, RoomUpdate(settings=patch))
    keys = ("vote_budget", "max_votes_per_target", "private_writing", "vote_on", "lobby")
    assert event.data == {"settings": dict(zip(keys, settings))}
    assert project_state(state, KARI)["room"]["settings"] == dict(zip(keys, settings))


def test_private_writing_can_be_switched_off_again() -> None:
    state = room()
    do(state, FAC, RoomUpdate(settings=SettingsPatch(private_writing=True)))
    do(state, FAC, RoomUpdate(settings=SettingsPatch(vote_budget=4)))
    assert state.room.settings.private_writing is True, "a patch without it keeps it"
    do(state, FAC, RoomUpdate(settings=SettingsPatch(private_writing=False)))
    assert state.room.settings.private_writing is False


def test_title_prompt_and_lock_are_trimmed_applied_and_shown() -> None:
    state = room()
    event = do(state, FAC, RoomUpdate(title="  Ny tittel ", prompt="  Hva nå? \n", locked=True))
    assert event.data == {"title": "Ny tittel", "prompt": "Hva nå?", "locked": True}
    view = project_state(state, KARI)["room"]
    assert (view["title"], view["prompt"], view["locked"]) == ("Ny tittel", "Hva nå?", True)
    assert do(state, FAC, RoomUpdate(locked=False)).data == {"locked": False}
    assert state.room.locked is False and (state.room.title, state.room.prompt) == ("Ny tittel", "Hva nå?")
    assert do(state, FAC, RoomUpdate(prompt="")).data == {"prompt": ""}
    assert state.room.prompt == ""


def test_title_and_prompt_at_their_limits() -> None:
    state = room()
    event = do(state, FAC, RoomUpdate(title="T" * LIMITS.title, prompt="P" * LIMITS.prompt))
    assert event.data == {"title": "T" * LIMITS.title, "prompt": "P" * LIMITS.prompt}


def test_welcome_room_shows_code_language_template_and_areas() -> None:
    state = room("works-doesnt")
    view = project_state(state, KARI)["room"]
    assert (view["code"], view["title"], view["language"], view["template"]) == ("K7MPQ2", "Tittel", "nb", "works-doesnt")
    assert view["prompt"] == state.room.prompt != ""
    assert [a["id"] for a in view["areas"]] == ["works", "doesnt", "ideas"]
    assert view["areas"][0] == {"id": "works", "title": "Dette fungerer", "x": 40, "y": 40,
                                "w": state.room.areas[0].w, "h": 2920}


def test_reveal_event_carries_every_private_note_whole_and_the_state_shows_them_open() -> None:
    state = room()
    do(state, FAC, PhaseSet("write"))
    do(state, FAC, ClusterCreate("c1", "Gruppe", 10, 10))
    do(state, FAC, RoomUpdate(settings=SettingsPatch(private_writing=True)))
    do(state, KARI, NoteCreate("k1", "Hemmelig", "pink", 5.5, 6.5))
    do(state, KARI, NoteGroup("k1", "c1"))
    reveal = do(state, FAC, NotesReveal())
    group = state.clusters["c1"]
    # in its group's grid, under the header (see `layout`)
    assert reveal.data == {"notes": [{"id": "k1", "text": "Hemmelig", "color": "pink", "x": group.x + 20,
                                      "y": group.y + 170, "cluster": "c1", "author": KARI.id, "hidden": False}],
                           "private_writing": False}
    [note] = project_state(state, FAC)["notes"]
    assert note["id"] == "k1" and note["hidden"] is False
