"""Rounds: a session is an ordered plan of rounds, each with its own board (notes, groups, dots).

The facilitator plans them, steps to the next and back (the board comes back exactly as it
was), and carries the top items of one round into another as starting notes or as areas.
"""

from __future__ import annotations

import copy

import pytest

from server import codec
from server.domain import Accepted, Actor, Event, Refused, Role, State, apply_event, decide, initial_state, join
from server.domain.commands import (
    AreaPlan,
    ClusterCreate,
    NoteCreate,
    NoteGroup,
    NotesReveal,
    PhaseSet,
    RoomUpdate,
    RoundCarry,
    RoundGo,
    RoundPlan,
    RoundsPlan,
    SettingsPatch,
    TimerStart,
    VoteCast,
    VotesReveal,
)
from server.domain.rules import Limits, new_room
from server import protocol
from server.domain.visibility import SharedViews, needs_snapshot, project_event, project_state
from tests.support.domain import LIMITS, append, commit

FACI = Actor("p_faci", Role.FACILITATOR)
KARI = Actor("p_kari", Role.PARTICIPANT)
OLA = Actor("p_ola", Role.PARTICIPANT)
COACH = Actor("p_coach", Role.COACH)


def room(template: str = "blank") -> State:
    created = new_room("K7MPQ2", "Verksted", "nb", template, LIMITS)
    assert isinstance(created, Accepted)
    state = initial_state(Event(1, created.op, "system", 0, created.data))
    for actor in (FACI, KARI, OLA, COACH):
        decision = join(state, actor.id, actor.id[2:].title(), "Helse", actor.role, LIMITS)
        assert isinstance(decision, Accepted)
        append(state, decision.op, actor.id, decision.data)
    return state


def blt() -> State:
    """A Behov – Løsning – Test session, in its first round's writing phase."""
    state = room("need-solution-test")
    commit(state, FACI, PhaseSet("write"))
    return state


def refused(state: State, actor: Actor, command: object, code: str) -> Refused:
    """`command` is refused with `code`, and the state is exactly as it was."""
    before = codec.encode_state(state)
    decision = decide(state, actor, command, 0, LIMITS)  # type: ignore[arg-type]
    assert isinstance(decision, Refused), decision
    assert decision.code == code, decision
    assert codec.encode_state(state) == before
    return decision


def texts(state: State) -> list[str]:
    return sorted(n.text for n in state.notes.values())


def plan_of(state: State) -> tuple[RoundPlan, ...]:
    return tuple(
        RoundPlan(r.id, r.title, r.prompt, tuple(AreaPlan(a.title, a.id) for a in r.areas),
                  tuple(p.value for p in r.phases), r.timer_ms)
        for r in state.room.rounds
    )


# --- the plan ----------------------------------------------------------------------------------


def test_the_blt_template_is_three_rounds_each_with_its_own_prompt_areas_and_phases() -> None:
    state = room("need-solution-test")
    rounds = state.room.rounds
    assert [r.title for r in rounds] == ["Behov", "Løsning", "Test"]
    assert state.room.round == "need"
    assert state.room.prompt == rounds[0].prompt and "behov" in rounds[0].prompt
    assert [a.title for a in state.room.areas] == [a.title for a in rounds[0].areas]
    assert [a.title for a in rounds[2].areas] == ["Hva vi tester", "Hvem vi tester med", "Slik vet vi at det virker"]
    assert [p.value for p in rounds[2].phases] == ["write", "cluster", "results"]
    assert len({r.prompt for r in rounds}) == 3


def test_other_templates_are_one_round_and_the_user_journey_has_its_stages_left_to_right() -> None:
    journey = room("user-journey")
    assert len(journey.room.rounds) == 1
    stages = journey.room.rounds[0].areas
    assert len(stages) == 5
    assert [a.x for a in stages] == sorted(a.x for a in stages)
    assert len({a.y for a in stages}) == 1
    blank = room()
    assert [(r.id, r.title) for r in blank.room.rounds] == [("r1", "Runde 1")]


def test_an_old_log_without_rounds_replays_as_one_round_r1() -> None:
    old = Event(1, "room.create", "system", 0, {
        "code": "K7MPQ2", "title": "Gammel", "language": "sv", "template": "works-doesnt", "prompt": "Vad fungerar?",
        "areas": [{"id": "works", "title": "Fungerar", "x": 40, "y": 40, "w": 1000, "h": 2000}],
    })
    state = initial_state(old)
    assert [(r.id, r.title, r.prompt) for r in state.room.rounds] == [("r1", "Omgång 1", "Vad fungerar?")]
    assert state.room.round == "r1"
    assert [a.id for a in state.room.rounds[0].areas] == ["works"]


def test_an_old_snapshot_without_rounds_decodes_as_one_round_r1() -> None:
    state = room()
    raw = codec.encode_state(state).replace(b',"rounds":[{"id":"r1","title":"Runde 1","prompt":"","areas":[],'
                                            b'"phases":["write","cluster","vote","results"],"timer_ms":0,"private_writing":false}],"round":"r1"', b"")
    assert b'"rounds"' not in raw
    decoded = codec.decode_state(raw)
    assert [r.id for r in decoded.room.rounds] == ["r1"] and decoded.room.round == "r1"


def test_planning_adds_edits_reorders_and_lays_out_areas_given_by_title() -> None:
    state = room()
    commit(state, FACI, RoundsPlan((
        RoundPlan("r1", "Behov", "Hva trengs?", (AreaPlan("I dag"), AreaPlan("Ønsket")), ("write", "vote"), 600_000),
        RoundPlan("r2", "Løsning", "Hva gjør vi?"),
    )))
    r1, r2 = state.room.rounds
    assert (r1.title, r2.title) == ("Behov", "Løsning")
    # The active round's prompt and areas are the board's.
    assert state.room.prompt == "Hva trengs?"
    assert [a.title for a in state.room.areas] == ["I dag", "Ønsket"]
    a, b = state.room.areas
    assert a.x < b.x and a.x + a.w <= b.x and a.y == b.y  # columns side by side
    assert [a.id for a in state.room.areas] == ["a1", "a2"]
    # Reordered, retitled, an area kept by id keeps its geometry.
    commit(state, FACI, RoundsPlan((
        RoundPlan("r2", "Løsninger"),
        RoundPlan("r1", "Behov", "Hva trengs egentlig?", tuple(AreaPlan(x.title, x.id) for x in state.room.areas)),
    )))
    assert [r.id for r in state.room.rounds] == ["r2", "r1"]
    assert state.room.prompt == "Hva trengs egentlig?"
    assert (state.room.areas[0].x, state.room.areas[0].w) == (a.x, a.w)


def test_editing_the_prompt_edits_the_active_round() -> None:
    state = blt()
    commit(state, FACI, RoomUpdate(prompt="Hva trenger innbyggeren?"))
    assert state.room.rounds[0].prompt == "Hva trenger innbyggeren?"


def test_bad_plans_are_refused_and_change_nothing() -> None:
    state = blt()
    commit(state, KARI, NoteCreate("n1", "Kortere ventetid", "yellow", 100, 100))
    plan = plan_of(state)
    refused(state, KARI, RoundsPlan(plan), "forbidden")
    refused(state, COACH, RoundsPlan(plan), "forbidden")
    refused(state, FACI, RoundsPlan(()), "invalid")
    refused(state, FACI, RoundsPlan((RoundPlan("r 1", "X"),)), "invalid")
    refused(state, FACI, RoundsPlan((*plan, RoundPlan("need", "Igjen"))), "exists")
    refused(state, FACI, RoundsPlan((*plan, RoundPlan("x", "  "))), "invalid")
    refused(state, FACI, RoundsPlan((*plan, RoundPlan("x", "X" * 121))), "too_long")
    refused(state, FACI, RoundsPlan((*plan, RoundPlan("x", "X", phases=()))), "invalid")
    refused(state, FACI, RoundsPlan((*plan, RoundPlan("x", "X", phases=("lobby",)))), "invalid")
    refused(state, FACI, RoundsPlan((*plan, RoundPlan("x", "X", phases=("vote", "vote")))), "invalid")
    refused(state, FACI, RoundsPlan((*plan, RoundPlan("x", "X", timer_ms=5))), "invalid")
    refused(state, FACI, RoundsPlan((*plan, RoundPlan("x", "X", areas=(AreaPlan(""),)))), "invalid")
    refused(state, FACI, RoundsPlan((*plan, RoundPlan("x", "X", areas=tuple(AreaPlan(str(i)) for i in range(9))))), "limit")
    refused(state, FACI, RoundsPlan(tuple(RoundPlan(f"x{i}", "X") for i in range(13))), "limit")
    # The active round cannot go; neither can a round that has notes.
    refused(state, FACI, RoundsPlan(plan[1:]), "round_in_use")
    commit(state, FACI, RoundGo("solution"))
    refused(state, FACI, RoundsPlan(plan[1:]), "round_in_use")
    # An empty, inactive round may go.
    commit(state, FACI, RoundsPlan(plan[:2]))
    assert [r.id for r in state.room.rounds] == ["need", "solution"]


# --- moving between rounds -----------------------------------------------------------------------


def test_next_round_starts_empty_in_its_first_phase_and_going_back_restores_the_board_exactly() -> None:
    state = blt()
    commit(state, KARI, NoteCreate("n1", "Kortere ventetid", "yellow", 100, 100))
    commit(state, OLA, NoteCreate("n2", "Én kontaktperson", "pink", 100, 400))
    commit(state, FACI, NotesReveal())  # BLT's rounds start with private writing
    commit(state, FACI, PhaseSet("cluster"))
    commit(state, KARI, ClusterCreate("c1", "Tid", 1200, 1200))
    commit(state, KARI, NoteGroup("n1", "c1"))
    commit(state, FACI, PhaseSet("vote"))
    commit(state, KARI, VoteCast("n2"))
    commit(state, OLA, VoteCast("c1"))
    need = project_state(state, KARI)
    need_raw = copy.deepcopy((state.notes, state.clusters, state.votes, state.room.phase, state.undo, state.timer))

    switched = commit(state, FACI, RoundGo("solution"))
    assert switched.op == "round.switched" and switched.data["from"] == "need" and switched.data["round"] == "solution"
    assert state.room.round == "solution"
    assert state.notes == {} and state.clusters == {} and state.votes == {}
    assert state.room.phase.value == "write"
    assert state.timer.status == "idle" and state.timer.duration_ms == 10 * 60 * 1000  # the suggested time
    assert [a.title for a in state.room.areas] == ["Små forbedringer", "Nye måter å gjøre det på"]
    assert state.room.prompt.startswith("Hvilke løsninger")
    commit(state, KARI, NoteCreate("s1", "SMS når saken flytter seg", "green", 100, 100))

    commit(state, FACI, RoundGo("need"))
    assert (state.notes, state.clusters, state.votes, state.room.phase, state.undo, state.timer) == need_raw
    back = project_state(state, KARI)
    for key in ("notes", "clusters", "my_votes", "timer"):
        assert back[key] == need[key]
    assert back["room"]["phase"] == "vote" and back["room"]["prompt"] == need["room"]["prompt"]
    # And the solution round kept its note too.
    commit(state, FACI, RoundGo("solution"))
    assert texts(state) == ["SMS når saken flytter seg"]


def test_votes_and_budgets_are_per_round() -> None:
    state = blt()
    commit(state, FACI, RoomUpdate(settings=SettingsPatch(vote_budget=2, max_votes_per_target=2)))
    commit(state, KARI, NoteCreate("n1", "Behov", "yellow", 100, 100))
    commit(state, FACI, NotesReveal())
    commit(state, FACI, PhaseSet("vote"))
    commit(state, KARI, VoteCast("n1"))
    commit(state, KARI, VoteCast("n1"))
    refused(state, KARI, VoteCast("n1"), "vote_budget")
    commit(state, FACI, VotesReveal())
    commit(state, FACI, RoundGo("solution"))
    assert not state.room.votes_revealed
    commit(state, KARI, NoteCreate("s1", "Løsning", "yellow", 100, 100))
    commit(state, FACI, NotesReveal())
    commit(state, FACI, PhaseSet("vote"))
    # A fresh budget in the new round; the old round's dots stay with it.
    commit(state, KARI, VoteCast("s1"))
    commit(state, KARI, VoteCast("s1"))
    assert project_state(state, KARI)["my_votes"] == {"s1": 2}
    assert project_state(state, OLA)["notes"][0]["votes"] is None  # not revealed in this round
    commit(state, FACI, RoundGo("need"))
    view = project_state(state, OLA)
    assert view["room"]["revealed"]["votes"] is True and view["notes"][0]["votes"] == 2
    assert project_state(state, KARI)["my_votes"] == {"n1": 2}


def test_private_notes_stay_hidden_across_a_shelve_and_restore() -> None:
    state = blt()
    commit(state, FACI, RoomUpdate(settings=SettingsPatch(private_writing=True)))
    commit(state, KARI, NoteCreate("secret", "Bare jeg vet", "yellow", 100, 100))
    commit(state, FACI, RoundGo("solution"))
    commit(state, FACI, RoundGo("need"))
    assert state.notes["secret"].hidden
    assert [n["id"] for n in project_state(state, OLA)["notes"]] == []
    assert [n["id"] for n in project_state(state, KARI)["notes"]] == ["secret"]
    staff = project_state(state, FACI)
    assert staff["hidden_counts"] == {KARI.id: 1} and staff["notes"] == []
    # Nor does a summary of the shelved round give it away.
    commit(state, FACI, RoundGo("solution"))
    summary = next(r for r in project_state(state, FACI)["room"]["rounds"] if r["id"] == "need")["summary"]
    assert summary["notes"] == 0 and summary["hidden"] == 1 and summary["items"] == []
    assert "Bare jeg vet" not in str(project_state(state, FACI))
    commit(state, FACI, RoundGo("need"))
    commit(state, FACI, NotesReveal())
    assert not state.notes["secret"].hidden


def test_a_running_timer_is_shelved_paused_with_the_time_it_had_left() -> None:
    state = blt()
    commit(state, FACI, TimerStart(600_000), now=1_000)
    commit(state, FACI, RoundGo("solution"), now=61_000)
    commit(state, FACI, RoundGo("need"), now=500_000)
    assert state.timer.status == "paused" and state.timer.remaining_ms == 540_000


def test_switch_refusals_change_nothing() -> None:
    state = blt()
    refused(state, KARI, RoundGo("solution"), "forbidden")
    refused(state, COACH, RoundGo("solution"), "forbidden")
    assert refused(state, FACI, RoundGo("nowhere"), "not_found").detail["what"] == "round"
    refused(state, FACI, RoundGo("need"), "invalid")


# --- what each recipient gets --------------------------------------------------------------------


def test_the_switch_frame_carries_each_recipients_state_and_a_resume_across_it_needs_a_snapshot() -> None:
    state = blt()
    commit(state, FACI, RoomUpdate(settings=SettingsPatch(private_writing=True)))
    commit(state, KARI, NoteCreate("secret", "Bare jeg vet", "yellow", 100, 100))
    commit(state, FACI, RoundGo("solution"))
    back = commit(state, FACI, RoundGo("need"))
    for viewer in (KARI, OLA, FACI, COACH):
        frame = project_event(back, viewer, state, online=[KARI.id], now=5)
        assert frame["op"] == "round.switched"
        assert frame["data"]["round"] == "need" and frame["data"]["from"] == "solution"
        assert frame["data"]["state"] == project_state(state, viewer, [KARI.id], 5)
        assert "can" in frame
    assert "Bare jeg vet" in str(project_event(back, KARI, state))
    assert "Bare jeg vet" not in str(project_event(back, OLA, state))
    assert needs_snapshot([back], KARI)
    rounds = project_state(state, OLA)["room"]["rounds"]
    assert [r["id"] for r in rounds] == ["need", "solution", "test"]
    assert "summary" not in rounds[0]
    assert "summary" in project_state(state, COACH)["room"]["rounds"][0]


# --- carrying forward ----------------------------------------------------------------------------


def voted_need_round() -> State:
    """Behov with three needs (one a group of two) and revealed dots; the solution round next."""
    state = blt()
    commit(state, KARI, NoteCreate("n1", "Kortere ventetid", "yellow", 100, 300))
    commit(state, OLA, NoteCreate("n2", "Én kontaktperson", "pink", 100, 700))
    commit(state, OLA, NoteCreate("n3", "Vite hva som skjer", "blue", 100, 1100))
    commit(state, KARI, NoteCreate("n4", "Svar på SMS", "blue", 500, 1100))
    commit(state, FACI, NotesReveal())
    commit(state, FACI, PhaseSet("cluster"))
    commit(state, FACI, ClusterCreate("c1", "Informasjon", 2200, 300))
    commit(state, FACI, NoteGroup("n3", "c1"))
    commit(state, FACI, NoteGroup("n4", "c1"))
    commit(state, FACI, PhaseSet("vote"))
    for voter, target in ((KARI, "c1"), (OLA, "c1"), (KARI, "n1"), (OLA, "n2"), (OLA, "c1")):
        commit(state, voter, VoteCast(target))
    commit(state, FACI, VotesReveal())
    return state


def test_the_staff_summary_lists_a_rounds_items_most_dots_first() -> None:
    state = voted_need_round()
    commit(state, FACI, RoundGo("solution"))
    summary = next(r for r in project_state(state, FACI)["room"]["rounds"] if r["id"] == "need")["summary"]
    assert summary["notes"] == 4 and summary["groups"] == 1 and summary["revealed"]
    top = [(i["id"], i["kind"], i["votes"]) for i in summary["items"]][:3]
    assert top == [("c1", "group", 3), ("n1", "note", 1), ("n2", "note", 1)]
    untouched = next(r for r in project_state(state, FACI)["room"]["rounds"] if r["id"] == "test")["summary"]
    assert untouched["entered"] is False and untouched["notes"] == 0


def test_carrying_the_top_items_as_starting_notes_keeps_text_and_colour_and_lays_them_out() -> None:
    state = voted_need_round()
    carried = commit(state, FACI, RoundCarry("need", "solution", ("c1", "n1", "n2")))
    assert carried.op == "round.carried"
    assert len(state.notes) == 4  # carried into a shelved round: the active board is as it was
    commit(state, FACI, RoundGo("solution"))
    notes = sorted(state.notes.values(), key=lambda n: n.text)
    assert [(n.text, n.color, n.hidden, n.cluster) for n in notes] == [
        ("Informasjon", "blue", False, None),  # a group: its title, its notes' commonest colour
        ("Kortere ventetid", "yellow", False, None),
        ("Én kontaktperson", "pink", False, None),
    ]
    # In the target round's first area, not on top of each other.
    first = state.room.areas[0]
    for n in notes:
        assert first.x <= n.x < first.x + first.w and first.y <= n.y < first.y + first.h
    assert len({(n.x, n.y) for n in notes}) == 3
    # Everyone sees them, private writing or not.
    assert len(project_state(state, OLA)["notes"]) == 3
    # The source round is untouched.
    commit(state, FACI, RoundGo("need"))
    assert len(state.notes) == 4 and "c1" in state.clusters


def test_carrying_into_the_active_round_shows_the_notes_at_once_even_during_private_writing() -> None:
    state = voted_need_round()
    commit(state, FACI, RoundGo("solution"))
    commit(state, FACI, RoomUpdate(settings=SettingsPatch(private_writing=True)))
    commit(state, KARI, NoteCreate("mine", "Min idé", "green", 100, 100))
    event = commit(state, FACI, RoundCarry("need", "solution", ("n2",)))
    seen = project_event(event, OLA, state)["data"]["state"]["notes"]
    assert [n["text"] for n in seen] == ["Én kontaktperson"]
    assert next(n for n in state.notes.values() if n.text == "Én kontaktperson").author == FACI.id


def test_carrying_as_areas_makes_the_items_the_target_rounds_columns() -> None:
    state = voted_need_round()
    commit(state, FACI, RoundCarry("need", "solution", ("c1", "n1", "n2"), "areas"))
    solution = state.room.find_round("solution")
    assert solution is not None
    assert [a.title for a in solution.areas] == ["Informasjon", "Kortere ventetid", "Én kontaktperson"]
    xs = [a.x for a in solution.areas]
    assert xs == sorted(xs) and len({a.y for a in solution.areas}) == 1
    commit(state, FACI, RoundGo("solution"))
    assert [a.title for a in state.room.areas] == ["Informasjon", "Kortere ventetid", "Én kontaktperson"]
    assert state.notes == {}
    # Once the target has notes its areas stay: as areas is refused, as notes still allowed.
    commit(state, KARI, NoteCreate("s1", "Felles innboks", "yellow", 100, 400))
    refused(state, FACI, RoundCarry("need", "solution", ("n1",), "areas"), "round_in_use")
    commit(state, FACI, RoundCarry("need", "solution", ("n1",)))
    assert "Kortere ventetid" in texts(state)


LONG_NEED = (
    "Søknadsskjemaet er langt og vanskelig å forstå. Jeg må oppgi de samme opplysningene "
    "som kommunen allerede har om meg, og jeg vet ikke hva som skjer etterpå eller hvem jeg kan spørre."
)


def test_a_long_need_carried_as_an_area_keeps_its_whole_text_and_the_plan_can_be_saved_again() -> None:
    # Walkthrough 4: the need was cut to 80 characters mid-word ("…de samme opplysnin…") on
    # every screen and in the exports; the solution round must work on the need as written.
    state = voted_need_round()
    commit(state, FACI, NoteCreate("long", LONG_NEED, "green", 900, 300))
    assert len(LONG_NEED) > 80
    commit(state, FACI, RoundCarry("need", "solution", ("long", "n1"), "areas"))
    solution = state.room.find_round("solution")
    assert solution is not None
    assert [a.title for a in solution.areas] == [LONG_NEED, "Kortere ventetid"]
    # The plan as it now is can be saved again (the editor sends the areas back).
    commit(state, FACI, RoundsPlan(plan_of(state)))
    commit(state, FACI, RoundGo("solution"))
    assert state.room.areas[0].title == LONG_NEED
    assert project_state(state, OLA)["room"]["areas"][0]["title"] == LONG_NEED
    # A note of the longest length fits whole, and the limit is what every client is told.
    assert LIMITS.area_title >= LIMITS.note_text
    assert project_state(state, OLA)["limits"]["area_title"] == LIMITS.area_title


def test_area_titles_are_as_long_as_a_note_and_no_longer() -> None:
    state = blt()
    plan = plan_of(state)
    at_most = RoundPlan("x", "X", areas=(AreaPlan("y" * LIMITS.area_title),))
    too_long = RoundPlan("x", "X", areas=(AreaPlan("y" * (LIMITS.area_title + 1)),))
    decision = refused(state, FACI, RoundsPlan((*plan, too_long)), "too_long")
    assert decision.detail == {"field": "areas", "max": LIMITS.area_title}
    commit(state, FACI, RoundsPlan((*plan, at_most)))


def test_where_a_deployment_keeps_areas_shorter_than_notes_a_carried_need_is_cut_at_a_word() -> None:
    state = voted_need_round()
    commit(state, FACI, NoteCreate("long", LONG_NEED, "green", 900, 300))
    short = Limits(area_title=80)
    decision = decide(state, FACI, RoundCarry("need", "solution", ("long",), "areas"), 0, short)
    assert isinstance(decision, Accepted)
    title = decision.data.areas[0].title  # type: ignore[union-attr]
    assert len(title) <= 80 and title.endswith("…")
    assert title == "Søknadsskjemaet er langt og vanskelig å forstå. Jeg må oppgi de samme…"


def test_carry_refusals_change_nothing() -> None:
    state = voted_need_round()
    commit(state, FACI, RoomUpdate(settings=SettingsPatch(private_writing=True)))
    commit(state, FACI, PhaseSet("write"))
    commit(state, KARI, NoteCreate("secret", "Hemmelig", "yellow", 100, 2000))
    refused(state, KARI, RoundCarry("need", "solution", ("n1",)), "forbidden")
    refused(state, COACH, RoundCarry("need", "solution", ("n1",)), "forbidden")
    refused(state, FACI, RoundCarry("nowhere", "solution", ("n1",)), "not_found")
    refused(state, FACI, RoundCarry("need", "nowhere", ("n1",)), "not_found")
    refused(state, FACI, RoundCarry("need", "need", ("n1",)), "invalid")
    refused(state, FACI, RoundCarry("need", "solution", ("n1",), "sideways"), "invalid")
    refused(state, FACI, RoundCarry("need", "solution", ()), "invalid")
    refused(state, FACI, RoundCarry("need", "solution", ("n1", "n1")), "invalid")
    refused(state, FACI, RoundCarry("need", "solution", ("ghost",)), "not_found")
    # Someone's private note does not exist for the facilitator: it cannot be carried.
    refused(state, FACI, RoundCarry("need", "solution", ("secret",)), "not_found")
    refused(state, FACI, RoundCarry("need", "solution", tuple(f"x{i}" for i in range(9)), "areas"), "limit")
    commit(state, FACI, RoundCarry("need", "solution", ("n1",)))
    refused(state, FACI, RoundCarry("need", "solution", ("n1",)), "exists")  # carried there before
    small = Limits(notes_per_room=1)
    decision = decide(state, FACI, RoundCarry("need", "solution", ("n2",)), 0, small)
    assert isinstance(decision, Refused) and decision.code == "limit"


def test_rounds_replay_to_the_same_state_from_the_log_and_from_a_snapshot() -> None:
    state = voted_need_round()
    commit(state, FACI, RoundCarry("need", "solution", ("c1", "n1"), "areas"))
    commit(state, FACI, RoundGo("solution"))
    commit(state, KARI, NoteCreate("s1", "Felles innboks", "yellow", 100, 400))
    commit(state, FACI, RoundCarry("need", "test", ("n2",)))
    snapshot = codec.decode_state(codec.encode_state(state))
    assert codec.encode_state(snapshot) == codec.encode_state(state)
    assert snapshot.shelved["need"].votes_revealed and "c1" in snapshot.shelved["need"].clusters
    assert [n.text for n in snapshot.shelved["test"].notes.values()] == ["Én kontaktperson"]


def test_every_event_of_a_rounds_session_survives_the_codec_and_replays_identically() -> None:
    events: list[Event] = []
    state = room("need-solution-test")
    replica = room("need-solution-test")

    def run(actor: Actor, command: object, now: int = 0) -> None:
        events.append(commit(state, actor, command, now=now))

    run(FACI, PhaseSet("write"))
    run(KARI, NoteCreate("n1", "Kortere ventetid", "yellow", 100, 300))
    run(FACI, NotesReveal())
    run(FACI, TimerStart(600_000), 10)
    run(FACI, RoundCarry("need", "solution", ("n1",), "areas"))
    run(FACI, RoundGo("solution"), 20)
    run(OLA, NoteCreate("s1", "SMS", "green", 100, 400))
    run(FACI, NotesReveal())
    run(FACI, RoundCarry("solution", "test", ("s1",)))
    run(FACI, RoundsPlan(plan_of(state)[:2] + (RoundPlan("test", "Prøve"),)))
    run(FACI, RoundGo("need"), 30)
    for event in events:
        apply_event(replica, codec.decode_event(codec.encode_event(event)))
    assert codec.encode_state(replica) == codec.encode_state(state)


@pytest.mark.parametrize("template", ["blank", "need-solution-test", "works-doesnt", "user-journey"])
def test_every_template_creates_a_valid_plan_that_can_be_planned_again_unchanged(template: str) -> None:
    state = room(template)
    before = [(r.id, r.title, [(a.id, a.title, a.x, a.w) for a in r.areas]) for r in state.room.rounds]
    commit(state, FACI, RoundsPlan(plan_of(state)))
    assert [(r.id, r.title, [(a.id, a.title, a.x, a.w) for a in r.areas]) for r in state.room.rounds] == before


def test_the_shared_encoding_of_a_switch_frame_is_byte_for_byte_the_plain_one() -> None:
    """The hub encodes what every recipient of a switch shares once (`SharedViews`); what each
    gets is exactly what `project_event` without it gives, private notes and `mine` included."""
    state = voted_need_round()
    commit(state, FACI, RoomUpdate(settings=SettingsPatch(private_writing=True)))
    commit(state, FACI, PhaseSet("write"))
    commit(state, KARI, NoteCreate("secret", "Bare jeg vet", "yellow", 100, 2000))
    commit(state, FACI, RoundGo("solution"))
    back = commit(state, FACI, RoundGo("need"))
    online = [KARI.id, FACI.id]
    shared = SharedViews(state, online, LIMITS)
    for viewer in (KARI, OLA, FACI, COACH):
        fast = protocol.encode(project_event(back, viewer, state, online, 7, LIMITS, shared))
        plain = protocol.encode(project_event(back, viewer, state, online, 7, LIMITS))
        assert fast == plain
    assert "Bare jeg vet" in protocol.encode(project_event(back, KARI, state, online, 7, LIMITS, shared))
    assert "Bare jeg vet" not in protocol.encode(project_event(back, OLA, state, online, 7, LIMITS, shared))


# --- private writing at the start of a BLT round ---------------------------------------------------


@pytest.mark.parametrize("language", ["nb", "sv", "en"])
def test_a_blt_session_starts_with_private_writing_and_a_blank_board_does_not(language: str) -> None:
    """The walkthrough found everyone reading each other's needs as they were typed: BLT's
    rounds start with private writing on, in every language; a blank board leaves it off."""
    for template, private in (("need-solution-test", True), ("blank", False), ("works-doesnt", False)):
        created = new_room("K7MPQ2", "Verksted", language, template, LIMITS)
        assert isinstance(created, Accepted)
        state = initial_state(Event(1, created.op, "system", 0, created.data))
        assert state.room.settings.private_writing is private, template
        assert [r.private_writing for r in state.room.rounds] == [private] * len(state.room.rounds)
    join_and_write = blt()
    commit(join_and_write, KARI, NoteCreate("n1", "Kortere ventetid", "yellow", 100, 100))
    assert join_and_write.notes["n1"].hidden
    assert project_state(join_and_write, OLA)["notes"] == []


def test_each_blt_round_starts_its_writing_in_private_even_after_ideas_were_carried_in() -> None:
    state = voted_need_round()  # revealed: private writing is off
    assert not state.room.settings.private_writing
    commit(state, FACI, RoundCarry("need", "solution", ("c1", "n2"), "notes"))
    switched = commit(state, FACI, RoundGo("solution"))
    assert switched.data["private_writing"] is True
    assert state.room.settings.private_writing
    commit(state, OLA, NoteCreate("s1", "SMS når saken flytter seg", "green", 100, 100))
    assert state.notes["s1"].hidden
    commit(state, FACI, NotesReveal())
    # Back to Behov (voted, not writing) and forward to Løsning (written in): nothing turns on.
    back = commit(state, FACI, RoundGo("need"))
    assert "private_writing" not in back.data and not state.room.settings.private_writing
    again = commit(state, FACI, RoundGo("solution"))
    assert "private_writing" not in again.data and not state.room.settings.private_writing


def test_a_round_keeps_its_private_start_when_the_plan_is_edited_and_a_new_round_gets_it_too() -> None:
    state = blt()
    plan = plan_of(state)
    commit(state, FACI, RoundsPlan(plan + (RoundPlan("extra", "Ekstra"),)))
    assert [r.private_writing for r in state.room.rounds] == [True, True, True, True]
    blank = room()
    commit(blank, FACI, RoundsPlan(plan_of(blank) + (RoundPlan("r2", "To"),)))
    assert [r.private_writing for r in blank.room.rounds] == [False, False]
