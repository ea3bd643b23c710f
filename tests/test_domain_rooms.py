"""A room's birth: title, language and template checked, the template's areas and first prompt
laid out in the room's language."""

from __future__ import annotations

import pytest

from server.domain import Accepted, Limits, Refused, new_room
from server.domain.model import BOARD_HEIGHT, BOARD_WIDTH
from server.domain.templates import TEMPLATES, _columns

LIMITS = Limits()


def test_a_blank_room_in_norwegian() -> None:
    """The title is trimmed; a blank room has no areas and no prompt."""
    assert new_room("K7MPQ2", "  Hjemmehjelp  ", "nb", "blank", LIMITS) == Accepted("room.create", {
        "code": "K7MPQ2", "title": "Hjemmehjelp", "language": "nb", "template": "blank", "prompt": "", "areas": [],
        "rounds": [{"id": "r1", "title": "Runde 1", "prompt": "", "areas": [],
                    "phases": ["write", "cluster", "vote", "results"], "timer_ms": 0}],
    })


def test_no_template_means_blank() -> None:
    decision = new_room("K7MPQ2", "Tittel", "en", "", LIMITS)
    assert isinstance(decision, Accepted)
    assert (decision.data["template"], decision.data["areas"], decision.data["prompt"]) == ("blank", [], "")


@pytest.mark.parametrize("language", ["nb", "sv", "en"])
def test_template_areas_and_prompt_come_in_the_rooms_language(language: str) -> None:
    """Three equal columns for need-solution-test on one board, titled and prompted in the room's language."""
    decision = new_room("K7MPQ2", "Tittel", language, "need-solution-test-board", LIMITS)
    assert isinstance(decision, Accepted)
    template = TEMPLATES["need-solution-test-board"]
    assert decision.data["template"] == "need-solution-test-board"
    assert decision.data["prompt"] == template.prompt[language] != ""
    width = (BOARD_WIDTH - 2 * 40 - 2 * 40) / 3
    assert decision.data["areas"] == [
        {"id": area_id, "title": template.areas[i].title[language], "x": 40 + i * (width + 40), "y": 40,
         "w": width, "h": BOARD_HEIGHT - 80}
        for i, area_id in enumerate(["need", "solution", "test"])
    ]


@pytest.mark.parametrize(("title", "language", "template", "refusal"), [
    ("", "nb", "blank", Refused("invalid", {"field": "title"})),
    ("  \n ", "nb", "blank", Refused("invalid", {"field": "title"})),
    ("T" * (LIMITS.title + 1), "nb", "blank", Refused("too_long", {"field": "title", "max": LIMITS.title})),
    ("Tittel", "de", "blank", Refused("invalid", {"field": "language"})),
    ("Tittel", "", "blank", Refused("invalid", {"field": "language"})),
    ("Tittel", "nb", "retro", Refused("invalid", {"field": "template"})),
])
def test_bad_room_is_refused(title: str, language: str, template: str, refusal: Refused) -> None:
    assert new_room("K7MPQ2", title, language, template, LIMITS) == refusal


def test_title_at_the_limit_counts_after_trimming() -> None:
    decision = new_room("K7MPQ2", " " + "T" * LIMITS.title + " ", "sv", "blank", LIMITS)
    assert isinstance(decision, Accepted) and decision.data["title"] == "T" * LIMITS.title


@pytest.mark.parametrize("count", [1, 2, 3, 5])
def test_columns_fill_the_board_with_equal_margins_and_gaps(count: int) -> None:
    """Columns of one width, 40 from each edge and 40 apart, keeping their ids and titles in order."""
    ids = [f"a{i}" for i in range(count)]
    titles = [{"en": f"Area {i}"} for i in range(count)]
    areas = _columns(ids, titles)
    assert [(a.id, a.title) for a in areas] == list(zip(ids, titles))
    assert {a.w for a in areas} == {areas[0].w} and areas[0].w > 0
    assert areas[0].x == 40 and areas[-1].x + areas[-1].w == pytest.approx(BOARD_WIDTH - 40)
    for left, right in zip(areas, areas[1:]):
        assert right.x - (left.x + left.w) == pytest.approx(40)
    assert all((a.y, a.h) == (40, BOARD_HEIGHT - 80) for a in areas)


def test_columns_need_a_title_for_each_id() -> None:
    with pytest.raises(ValueError):
        _columns(["a", "b"], [{"en": "A"}])


def test_a_log_from_before_templates_replays_as_a_blank_room() -> None:
    """A room.create without template or prompt (logs written before templates) is a blank room."""
    from server.domain import Event, initial_state

    state = initial_state(Event(1, "room.create", "system", 0, {"code": "K7MPQ2", "title": "Gammel", "language": "sv"}))
    assert (state.room.template, state.room.prompt, state.room.areas) == ("blank", "", [])


def test_an_event_out_of_order_names_the_seq_expected_and_got() -> None:
    from server.domain import Event, apply_event, initial_state

    state = initial_state(Event(1, "room.create", "system", 0, {"code": "K7MPQ2", "title": "T", "language": "sv"}))
    with pytest.raises(ValueError, match=r"^Expected event seq 2, got 5$"):
        apply_event(state, Event(5, "phase.set", "p_x", 0, {"phase": "write"}))


def test_a_room_shows_its_templates_areas_whole() -> None:
    """Every participant sees the columns where the template put them, as wide as it made them."""
    from server.domain import Actor, Event, Role, initial_state, project_state

    decision = new_room("K7MPQ2", "Tittel", "nb", "need-solution-test", LIMITS)
    assert isinstance(decision, Accepted)
    state = initial_state(Event(1, decision.op, "system", 0, decision.data))
    room = project_state(state, Actor("p_x", Role.PARTICIPANT))["room"]
    assert room["template"] == "need-solution-test"
    assert room["areas"] == [dict(area) for area in decision.data["areas"]]


def test_a_room_logged_without_a_template_is_a_blank_room() -> None:
    """Rooms created before templates existed have no template in their first event."""
    from server.domain import Actor, Event, Role, initial_state, project_state

    state = initial_state(Event(1, "room.create", "system", 0, {"code": "ABCDEF", "title": "T", "language": "nb"}))
    assert project_state(state, Actor("p_x", Role.PARTICIPANT))["room"]["template"] == "blank"
