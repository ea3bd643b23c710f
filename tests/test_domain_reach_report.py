"""Who took part (groups to hear from, reach per group) and report back, in the pure domain.

Every refusal is checked to change nothing: the state after a refused op is the state before.
"""

from __future__ import annotations

import copy

import pytest

from server.domain import Accepted, Actor, Event, Refused, Role, decide, initial_state, join, new_room
from server.domain import project_event, project_state
from server.domain.commands import (
    ClusterCreate,
    HearFromSet,
    NoteCreate,
    NoteGroup,
    PhaseSet,
    ReportUpdate,
    RoomUpdate,
    SettingsPatch,
)
from server.domain.reach import clean_groups, compute
from server.domain.report import view
from server.domain.results import compute as results
from tests.support.domain import LIMITS, append, commit

FACI = Actor("p_faci", Role.FACILITATOR)
COACH = Actor("p_coach", Role.COACH)
KARI = Actor("p_kari", Role.PARTICIPANT)


def room(hear_from: tuple[str, ...] = ("Beboere", "Pårørende", "Helse")):
    created = new_room("K7MPQ2", "Hjemmehjelp", "nb", "blank", LIMITS, hear_from)
    assert isinstance(created, Accepted), created
    state = initial_state(Event(1, created.op, "system", 0, created.data))
    for pid, name, department, role in (
        (FACI.id, "Frida", "Tjenestedesign", Role.FACILITATOR),
        (COACH.id, "Conny", "", Role.COACH),
        (KARI.id, "Kari", "beboere", Role.PARTICIPANT),
    ):
        decision = join(state, pid, name, department, role, LIMITS)
        assert isinstance(decision, Accepted)
        append(state, decision.op, pid, decision.data)
    return state


def refused_without_change(state, actor, command) -> Refused:
    before = copy.deepcopy(state)
    decision = decide(state, actor, command, 0, LIMITS)
    assert isinstance(decision, Refused), decision
    assert state == before
    return decision


# --- groups to hear from ---------------------------------------------------------------------


def test_groups_given_at_creation_are_trimmed_and_deduplicated_ignoring_case() -> None:
    created = new_room("K7MPQ2", "T", "nb", "blank", LIMITS, ["  Beboere ", "pårørende", "BEBOERE", "", "Pårørende  ", "Ungdoms  råd"])
    assert isinstance(created, Accepted)
    assert created.data.hear_from == ["Beboere", "pårørende", "Ungdoms råd"]


def test_a_room_without_groups_logs_room_create_as_before() -> None:
    created = new_room("K7MPQ2", "T", "nb", "blank", LIMITS)
    assert "hear_from" not in created.data.as_dict()
    assert initial_state(Event(1, created.op, "system", 0, created.data)).room.hear_from == []


@pytest.mark.parametrize(
    ("groups", "code", "field"),
    [
        ([f"Gruppe {i}" for i in range(LIMITS.hear_from_groups + 1)], "limit", None),
        (["x" * (LIMITS.department + 1)], "too_long", "hear_from"),
    ],
)
def test_too_many_or_too_long_groups_are_refused_at_creation_and_later(groups, code, field) -> None:
    created = new_room("K7MPQ2", "T", "nb", "blank", LIMITS, groups)
    assert isinstance(created, Refused) and created.code == code
    state = room()
    refused = refused_without_change(state, FACI, HearFromSet(groups))
    assert refused.code == code
    if field:
        assert refused.params["field"] == field


def test_many_duplicates_of_few_groups_are_within_the_limit() -> None:
    groups = ["Beboere", "beboere "] * LIMITS.hear_from_groups
    state = room()
    event = commit(state, FACI, HearFromSet(groups))
    assert event.data.groups == ["Beboere"] and state.room.hear_from == ["Beboere"]


def test_only_the_facilitator_edits_the_groups() -> None:
    state = room()
    for actor in (KARI, COACH):
        assert refused_without_change(state, actor, HearFromSet(["Ungdomsrådet"])).code == "forbidden"
    commit(state, FACI, HearFromSet(["Ungdomsrådet", "Beboere"]))
    assert state.room.hear_from == ["Ungdomsrådet", "Beboere"]


def test_everyone_sees_the_groups_to_pick_from() -> None:
    state = room()
    assert project_state(state, KARI)["room"]["hear_from"] == ["Beboere", "Pårørende", "Helse"]
    event = commit(state, FACI, HearFromSet([]))
    assert project_event(event, KARI)["data"] == {"groups": []}


def test_clean_groups_keeps_the_first_spelling_and_the_order() -> None:
    assert clean_groups(["b", "A", " a", "B ", "c"]) == ["b", "A", "c"]


# --- reach -----------------------------------------------------------------------------------


def add(state, pid: str, department: str, role: Role = Role.PARTICIPANT) -> None:
    decision = join(state, pid, pid, department, role, LIMITS)
    assert isinstance(decision, Accepted)
    append(state, decision.op, pid, decision.data)


def test_reach_counts_participants_per_listed_group_and_names_the_missing() -> None:
    state = room()
    add(state, "p_a", "Beboere ")
    add(state, "p_b", "Skole")
    add(state, "p_c", "skole")
    add(state, "p_d", "")
    add(state, "p_e", "Helse", Role.COACH)  # staff: not who the session wants to hear from
    reach = compute(state)
    assert [(g.name, g.joined) for g in reach.wanted] == [("Beboere", 2), ("Pårørende", 0), ("Helse", 0)]
    assert reach.reached == 1
    assert reach.missing == ["Pårørende", "Helse"]
    assert [(g.name, g.joined) for g in reach.others] == [("Skole", 2)]
    assert reach.unnamed == 1


def test_someone_removed_is_not_counted_as_reached() -> None:
    from server.domain.commands import ParticipantRemove

    state = room()
    commit(state, FACI, ParticipantRemove(KARI.id))
    assert compute(state).missing == ["Beboere", "Pårørende", "Helse"]


# --- report back -----------------------------------------------------------------------------


def board_with_ideas(state) -> None:
    commit(state, FACI, PhaseSet("write"))
    commit(state, KARI, NoteCreate("n1", "Kortere skjema", "yellow", 100, 100))
    commit(state, KARI, NoteCreate("n2", "Chat", "pink", 500, 100))
    commit(state, FACI, ClusterCreate("g1", "Skjema", 100, 600))
    commit(state, FACI, NoteGroup("n1", "g1"))


def test_the_facilitator_writes_next_steps_owners_and_when_people_hear_again() -> None:
    state = room()
    board_with_ideas(state)
    commit(state, FACI, ReportUpdate(next_steps="  Vi tester i april.  \n\nSvar i mai.\n", hear_back=" I  juni ",
                                     owners={"g1": " Skjemateamet ", "n2": "Kundesenteret"}))
    assert state.report.next_steps == "Vi tester i april.\n\nSvar i mai."
    assert state.report.hear_back == "I juni"
    assert state.report.owners == {"g1": "Skjemateamet", "n2": "Kundesenteret"}
    # A later change patches: absent fields stay, an empty owner takes the idea off.
    commit(state, FACI, ReportUpdate(owners={"n2": ""}))
    assert state.report.owners == {"g1": "Skjemateamet"}
    assert state.report.hear_back == "I juni"
    shown = view(state, results(state))
    assert shown.next_steps == ["Vi tester i april.", "Svar i mai."]
    assert [(o.idea, o.owner) for o in shown.owners] == [("Skjema", "Skjemateamet")]


@pytest.mark.parametrize(
    ("command", "code", "field"),
    [
        (ReportUpdate(), "invalid", "report"),
        (ReportUpdate(next_steps="x" * (LIMITS.report_text + 1)), "too_long", "next_steps"),
        (ReportUpdate(hear_back="x" * (LIMITS.report_hear_back + 1)), "too_long", "hear_back"),
        (ReportUpdate(owners={"n1": "x" * (LIMITS.report_owner + 1)}), "too_long", "owner"),
        (ReportUpdate(owners={"nope": "Kari"}), "not_found", None),
    ],
)
def test_a_bad_report_is_refused_and_changes_nothing(command, code, field) -> None:
    state = room()
    board_with_ideas(state)
    commit(state, FACI, ReportUpdate(next_steps="Før"))
    refused = refused_without_change(state, FACI, command)
    assert refused.code == code
    if field:
        assert refused.params["field"] == field
    assert state.report.next_steps == "Før"


def test_too_many_owners_are_refused() -> None:
    state = room()
    board_with_ideas(state)
    limits = type(LIMITS)(report_owners=1)
    assert isinstance(decide(state, FACI, ReportUpdate(owners={"n1": "A", "n2": "B"}), 0, limits), Refused)


def test_only_the_facilitator_writes_the_report() -> None:
    state = room()
    for actor in (KARI, COACH):
        assert refused_without_change(state, actor, ReportUpdate(next_steps="Hei")).code == "forbidden"


def test_someone_elses_private_note_cannot_be_given_an_owner() -> None:
    state = room()
    commit(state, FACI, RoomUpdate(settings=SettingsPatch(private_writing=True)))
    commit(state, FACI, PhaseSet("write"))
    commit(state, KARI, NoteCreate("secret", "Privat", "yellow", 100, 100))
    assert refused_without_change(state, FACI, ReportUpdate(owners={"secret": "Frida"})).code == "not_found"


def test_the_report_is_for_staff_until_it_is_read_on_the_results_page() -> None:
    state = room()
    event = commit(state, FACI, ReportUpdate(next_steps="Vi ringer deg"))
    assert project_event(event, KARI)["op"] == "redacted"
    assert project_event(event, COACH)["data"]["next_steps"] == "Vi ringer deg"
    assert "report" not in project_state(state, KARI)
    assert project_state(state, COACH)["report"]["next_steps"] == "Vi ringer deg"


def test_an_idea_deleted_later_drops_out_of_the_owners_shown() -> None:
    from server.domain.commands import NoteDelete

    state = room()
    board_with_ideas(state)
    commit(state, FACI, ReportUpdate(owners={"n2": "Kundesenteret"}))
    commit(state, FACI, NoteDelete("n2"))
    assert view(state).owners == []


def test_an_idea_of_another_round_can_have_an_owner() -> None:
    """Owners are given on the results of the whole session: an idea of a round that is not
    active (its board shelved) can be owned, and the report names it."""
    from server.domain.commands import RoundGo, RoundPlan, RoundsPlan

    state = room()
    first = state.room.round  # the blank template's one round
    commit(state, FACI, RoundsPlan((RoundPlan(first, "Behov"), RoundPlan("solution", "Løsning"))))
    commit(state, FACI, PhaseSet("write"))
    commit(state, KARI, NoteCreate("n1", "Kortere skjema", "yellow", 100, 100))
    commit(state, FACI, RoundGo("solution"))
    assert "n1" not in state.notes  # shelved with its round
    commit(state, FACI, ReportUpdate(owners={"n1": "Skjemateamet"}))
    assert [(o.idea, o.owner) for o in view(state).owners] == [("Kortere skjema", "Skjemateamet")]
