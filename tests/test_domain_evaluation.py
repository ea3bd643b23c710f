"""The closing evaluation in the pure domain: participants answer (one answer per person, a second
one replaces the first), bad answers are refused with stable codes and change nothing, and no
projection for any role pairs an answer with a person or with the order answers came in."""

from __future__ import annotations

import copy
import json

import pytest

from server import codec
from server.domain import Accepted, Actor, Event, Refused, Role, State, decide, initial_state, join, new_room
from server.domain.commands import EvaluationAnswer, EvaluationClose, EvaluationOpen
from server.domain.evaluation import MIN_ANSWERS, median, summarise
from server.domain.visibility import needs_snapshot, project_event, project_state
from tests.support.domain import LIMITS, append, commit

FACI = Actor("p_faci", Role.FACILITATOR)
COACH = Actor("p_coach", Role.COACH)
PEOPLE = {pid: Actor(pid, Role.PARTICIPANT) for pid in ("p_kari", "p_ola", "p_liv", "p_per")}
KARI, OLA, LIV, PER = PEOPLE.values()
NAMES = {"p_faci": "Frida", "p_coach": "Conny", "p_kari": "Kari", "p_ola": "Ola", "p_liv": "Liv", "p_per": "Per"}


def room(open_: bool = True) -> State:
    created = new_room("K7MPQ2", "Hjemmehjelp", "nb", "blank", LIMITS)
    assert isinstance(created, Accepted)
    state = initial_state(Event(1, created.op, "system", 0, created.data))
    for actor in (FACI, COACH, *PEOPLE.values()):
        joined = join(state, actor.id, NAMES[actor.id], "Helse", actor.role, LIMITS)
        assert isinstance(joined, Accepted)
        append(state, joined.op, actor.id, joined.data)
    if open_:
        commit(state, FACI, EvaluationOpen())
    return state


def refused(state: State, actor: Actor, command: object) -> Refused:
    before = codec.encode_state(state)
    decision = decide(state, actor, command, 0, LIMITS)  # type: ignore[arg-type]
    assert isinstance(decision, Refused), decision
    assert codec.encode_state(state) == before, "a refusal changes nothing"
    return decision


def test_a_participant_answers_and_sees_their_own_answer_back() -> None:
    state = room()
    event = commit(state, KARI, EvaluationAnswer(clear=5, heard=4, outcome=3, text="  Fin \n dag "))
    assert event.data == {"scores": {"clear": 5, "heard": 4, "outcome": 3}, "text": "Fin dag"}, "one line"
    assert project_state(state, KARI)["evaluation"] == {
        "open": True, "mine": {"scores": {"clear": 5, "heard": 4, "outcome": 3}, "text": "Fin dag"}}
    assert project_state(state, OLA)["evaluation"] == {"open": True, "mine": None}


def test_a_second_answer_replaces_the_first_and_counts_once() -> None:
    """The participant id is the person: the same token on a phone and a laptop is one answer."""
    state = room()
    commit(state, KARI, EvaluationAnswer(clear=1, heard=1, outcome=1, text="Først"))
    commit(state, OLA, EvaluationAnswer(clear=3))
    commit(state, LIV, EvaluationAnswer(clear=3))
    commit(state, KARI, EvaluationAnswer(clear=5, heard=5, text="Etterpå"))  # from her laptop
    summary = summarise(state.evaluation)
    assert summary.answers == 3
    clear = summary.questions[0]
    assert (clear.id, clear.answered, clear.counts, clear.median) == ("clear", 3, [0, 0, 2, 0, 1], 3.0)
    assert summary.texts == ["Etterpå"], "the replaced answer is gone, text and all"
    assert summary.questions[1].counts is None and summary.questions[1].answered == 1, "heard: too few to show"
    assert project_state(state, KARI)["evaluation"]["mine"] == {"scores": {"clear": 5, "heard": 5}, "text": "Etterpå"}


@pytest.mark.parametrize(("command", "code", "field"), [
    (EvaluationAnswer(clear=0), "invalid", "clear"),
    (EvaluationAnswer(clear=6), "invalid", "clear"),
    (EvaluationAnswer(heard=True), "invalid", "heard"),  # a bool is not a score
    (EvaluationAnswer(outcome=2.5), "invalid", "outcome"),  # type: ignore[arg-type]
    (EvaluationAnswer(), "invalid", "scores"),
    (EvaluationAnswer(text="   "), "invalid", "scores"),
    (EvaluationAnswer(clear=3, text="x" * 301), "too_long", "text"),
])
def test_bad_answers_are_refused_with_a_stable_code_and_change_nothing(command: EvaluationAnswer, code: str,
                                                                        field: str) -> None:
    state = room()
    commit(state, OLA, EvaluationAnswer(clear=2))
    refusal = refused(state, KARI, command)
    assert (refusal.code, refusal.params["field"]) == (code, field)


def test_only_participants_answer_and_only_while_it_is_open() -> None:
    state = room(open_=False)
    assert refused(state, KARI, EvaluationAnswer(clear=4)).code == "evaluation_closed"
    assert refused(state, KARI, EvaluationOpen()).code == "forbidden"
    assert refused(state, COACH, EvaluationOpen()).code == "forbidden"
    assert refused(state, FACI, EvaluationClose()).code == "invalid", "nothing to close"
    commit(state, FACI, EvaluationOpen())
    assert refused(state, FACI, EvaluationOpen()).code == "invalid", "already open"
    assert refused(state, FACI, EvaluationAnswer(clear=4)).code == "forbidden", "the facilitator is not asked"
    assert refused(state, COACH, EvaluationAnswer(clear=4)).code == "forbidden"
    commit(state, KARI, EvaluationAnswer(clear=4))
    commit(state, FACI, EvaluationClose())
    assert refused(state, KARI, EvaluationAnswer(clear=1)).code == "evaluation_closed", "closed: no change any more"
    assert state.evaluation.answers["p_kari"].scores == {"clear": 4}, "answers survive closing"
    commit(state, FACI, EvaluationOpen())
    commit(state, KARI, EvaluationAnswer(clear=2))  # open again: may change it again


def test_fewer_than_three_answers_show_only_how_many() -> None:
    state = room()
    commit(state, KARI, EvaluationAnswer(clear=1, text="Hemmelig"))
    commit(state, OLA, EvaluationAnswer(clear=5))
    view = project_state(state, FACI)["evaluation"]["summary"]
    assert view == {"open": True, "answers": 2, "shown": False, "min_answers": MIN_ANSWERS, "questions": [], "texts": []}
    commit(state, LIV, EvaluationAnswer(clear=4))
    view = project_state(state, COACH)["evaluation"]["summary"]
    assert view["shown"] and view["questions"][0]["counts"] == [1, 0, 0, 1, 1] and view["texts"] == ["Hemmelig"]


def test_median() -> None:
    assert median([1, 2, 5]) == 2.0
    assert median([1, 2, 4, 5]) == 3.0
    assert median([3, 4]) == 3.5


# --- anonymity of every projection -----------------------------------------------------------

ANSWERS = [
    (KARI, EvaluationAnswer(clear=5, heard=4, outcome=3, text="Zebra-lapp fra Kari")),
    (OLA, EvaluationAnswer(clear=2, heard=2, text="Alfa fra Ola")),
    (LIV, EvaluationAnswer(clear=4, heard=5, outcome=4, text="Midt i fra Liv")),
    (PER, EvaluationAnswer(clear=3, outcome=1)),
    (KARI, EvaluationAnswer(clear=4, heard=4, outcome=2, text="Bra fra Kari")),
]


def _history(order: list[int]) -> tuple[State, list[Event]]:
    state = room()
    events = [commit(state, ANSWERS[i][0], ANSWERS[i][1]) for i in order]
    return state, events


def _leaks_a_person(frame: object, answerer: str) -> bool:
    """Whether `frame` names the person (id or name) anywhere."""
    text = json.dumps(frame, ensure_ascii=False)
    return answerer in text or NAMES[answerer] in text.replace(f"fra {NAMES[answerer]}", "")


@pytest.mark.parametrize("viewer", [FACI, COACH, *PEOPLE.values()], ids=lambda a: a.id)
def test_no_event_frame_names_who_answered(viewer: Actor) -> None:
    """Every frame of every answer, for every role: `by` is null; staff get counts and sorted lines;
    the answerer gets their own answer; others a placeholder with nothing in it."""
    state = room()
    for actor, command in ANSWERS:
        event = commit(state, actor, command)
        frame = project_event(event, viewer, state)
        assert frame["by"] is None
        assert not _leaks_a_person(frame, actor.id), frame
        if viewer.id == actor.id:
            assert set(frame["data"]) == {"mine"}
        elif viewer.is_staff:
            assert frame["op"] == "evaluation.answer" and set(frame["data"]) == {"summary"}
        else:
            assert frame == {"type": "event", "seq": event.seq, "op": "redacted", "by": None, "at": 0, "data": {}}


@pytest.mark.parametrize("viewer", [FACI, COACH, *PEOPLE.values()], ids=lambda a: a.id)
def test_no_welcome_pairs_an_answer_with_a_person(viewer: Actor) -> None:
    state, _ = _history(list(range(len(ANSWERS))))
    evaluation = project_state(state, viewer)["evaluation"]
    text = json.dumps(evaluation, ensure_ascii=False)
    for pid in NAMES:
        assert pid not in text
    if viewer.is_staff:
        assert set(evaluation) == {"open", "summary"}
    else:
        assert set(evaluation) == {"open", "mine"}
        mine = state.evaluation.answers.get(viewer.id)
        assert evaluation["mine"] == (None if mine is None else {"scores": mine.scores, "text": mine.text})


def test_what_staff_see_does_not_follow_the_order_of_answers() -> None:
    """The same answers in another order give the same summary, byte for byte."""
    first, _ = _history([0, 1, 2, 3, 4])
    second, _ = _history([3, 2, 1, 0, 4])
    third, _ = _history([2, 0, 3, 1, 4])
    views = {json.dumps(project_state(s, FACI)["evaluation"]) for s in (first, second, third)}
    assert len(views) == 1
    assert summarise(first.evaluation).texts == ["Alfa fra Ola", "Bra fra Kari", "Midt i fra Liv"]


def test_a_staff_resume_across_an_answer_gets_a_state_and_a_participants_replays() -> None:
    state, events = _history([0, 1])
    assert needs_snapshot(events, FACI) and needs_snapshot(events, COACH)
    assert not needs_snapshot(events, KARI) and not needs_snapshot(events, PER)
    assert project_event(events[0], FACI)["data"] == {"summary": None}, "without the state: nothing to tell"


def test_answers_survive_the_snapshot_codec() -> None:
    state, _ = _history([0, 1, 2])
    again = codec.decode_state(codec.encode_state(state))
    assert again.evaluation == state.evaluation
    assert summarise(again.evaluation) == summarise(state.evaluation)
    copied = copy.deepcopy(state)
    assert copied.evaluation.answers.keys() == state.evaluation.answers.keys()
