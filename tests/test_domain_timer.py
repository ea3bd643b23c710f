"""The shared timer against a clock the test controls: start, pause, resume, add, reset, and what
each viewer is shown as time passes. `now` is server milliseconds, passed in as the server does."""

from __future__ import annotations

import pytest

from server.domain import Accepted, Actor, Event, Limits, Refused, Role, State, apply_event, decide
from server.domain import initial_state, join, project_state
from server.domain.commands import Command, PhaseSet, TimerAdd, TimerPause, TimerReset, TimerResume, TimerStart

LIMITS = Limits()
FACILITATOR = Actor("p_faci", Role.FACILITATOR)
KARI = Actor("p_kari", Role.PARTICIPANT)
T0 = 1_700_000_000_000  # a server clock reading, in ms
FIVE_MINUTES = 5 * 60_000


def room() -> State:
    state = initial_state(Event(1, "room.create", "system", 0,
                                {"code": "K7MPQ2", "title": "Tid", "language": "nb", "template": "blank"}))
    for actor in (FACILITATOR, KARI):
        decision = join(state, actor.id, actor.id[2:], "", actor.role, LIMITS)
        assert isinstance(decision, Accepted)
        apply_event(state, Event(state.seq + 1, decision.op, actor.id, 0, decision.data))
    return state


def at(state: State, now: int, command: Command, actor: Actor = FACILITATOR) -> dict[str, object]:
    """Decide `command` at `now`, apply it, and return the timer it set."""
    decision = decide(state, actor, command, now, LIMITS)
    assert isinstance(decision, Accepted), decision
    apply_event(state, Event(state.seq + 1, decision.op, actor.id, now, decision.data))
    timer = decision.data["timer"]
    assert isinstance(timer, dict)
    return timer


def shown(state: State, now: int) -> dict[str, object]:
    """The timer as a participant's welcome shows it at `now`."""
    return project_state(state, KARI, now=now)["timer"]  # type: ignore[no-any-return]


def running(state: State, since: int = T0, duration: int = FIVE_MINUTES) -> State:
    at(state, since, TimerStart(duration))
    return state


def test_start_runs_the_full_duration_from_now() -> None:
    """A started timer ends `duration` after the moment it was started."""
    timer = at(room(), T0, TimerStart(FIVE_MINUTES))
    assert timer == {"status": "running", "duration_ms": FIVE_MINUTES, "remaining_ms": FIVE_MINUTES,
                     "ends_at": T0 + FIVE_MINUTES}


@pytest.mark.parametrize("elapsed", [1, 1_000, 123_456, FIVE_MINUTES - 1])
def test_pause_freezes_what_is_left_now(elapsed: int) -> None:
    """Paused after X ms, the timer holds duration − X, and no end time."""
    state = running(room())
    timer = at(state, T0 + elapsed, TimerPause())
    assert timer == {"status": "paused", "duration_ms": FIVE_MINUTES, "remaining_ms": FIVE_MINUTES - elapsed,
                     "ends_at": None}
    assert shown(state, T0 + elapsed + 3_600_000)["remaining_ms"] == FIVE_MINUTES - elapsed, "a paused timer stands still"


@pytest.mark.parametrize(("elapsed", "paused_for"), [(1_000, 1), (123_456, 60_000), (FIVE_MINUTES - 1, 10**9)])
def test_resume_runs_on_from_what_was_left(elapsed: int, paused_for: int) -> None:
    """Resumed after any pause, the timer ends `remaining` after the moment of resuming."""
    state = running(room())
    at(state, T0 + elapsed, TimerPause())
    now = T0 + elapsed + paused_for
    timer = at(state, now, TimerResume())
    left = FIVE_MINUTES - elapsed
    assert timer == {"status": "running", "duration_ms": FIVE_MINUTES, "remaining_ms": left, "ends_at": now + left}
    assert shown(state, now + left // 2)["remaining_ms"] == left - left // 2


def test_pause_and_resume_twice_adds_up() -> None:
    """Two pauses lose no time and add none: 5 min with 1 + 2 min of running leaves 2 min."""
    state = running(room())
    at(state, T0 + 60_000, TimerPause())
    at(state, T0 + 90_000, TimerResume())
    timer = at(state, T0 + 210_000, TimerPause())
    assert timer["remaining_ms"] == 120_000
    assert at(state, T0 + 500_000, TimerResume())["ends_at"] == T0 + 620_000


@pytest.mark.parametrize("after", [FIVE_MINUTES, FIVE_MINUTES + 1])
def test_a_timer_that_has_run_out_cannot_be_paused(after: int) -> None:
    """At or after its end there is nothing left to pause."""
    state = running(room())
    assert decide(state, FACILITATOR, TimerPause(), T0 + after, LIMITS) == Refused("invalid", {"field": "timer"})


@pytest.mark.parametrize(("prepare", "command"), [
    ((), TimerPause()),
    ((), TimerResume()),
    ((TimerStart(FIVE_MINUTES),), TimerResume()),
    ((TimerStart(FIVE_MINUTES), TimerPause()), TimerPause()),
    ((TimerStart(FIVE_MINUTES), TimerReset()), TimerResume()),
], ids=["pause-idle", "resume-idle", "resume-running", "pause-paused", "resume-after-reset"])
def test_pause_and_resume_only_from_the_right_state(prepare: tuple[Command, ...], command: Command) -> None:
    """Pausing needs a running timer and resuming a paused one; otherwise `invalid`, nothing changes."""
    state = room()
    for step in prepare:
        at(state, T0, step)
    assert decide(state, FACILITATOR, command, T0 + 1_000, LIMITS) == Refused("invalid", {"field": "timer"})


@pytest.mark.parametrize(("duration", "ok"), [(999, False), (1_000, True), (LIMITS.timer_ms, True),
                                               (LIMITS.timer_ms + 1, False), (0, False), (-60_000, False)])
def test_start_duration_between_a_second_and_the_limit(duration: int, ok: bool) -> None:
    decision = decide(room(), FACILITATOR, TimerStart(duration), T0, LIMITS)
    assert isinstance(decision, Accepted) if ok else decision == Refused("invalid", {"field": "duration_ms"})


def test_reset_goes_back_to_the_full_duration_and_stops() -> None:
    state = running(room())
    assert at(state, T0 + 10_000, TimerReset()) == {"status": "idle", "duration_ms": FIVE_MINUTES,
                                                    "remaining_ms": FIVE_MINUTES, "ends_at": None}


def test_add_to_a_running_timer_moves_its_end() -> None:
    """"Two more minutes" while running: the end moves by two minutes; what is left counts from now."""
    state = running(room())
    timer = at(state, T0 + 60_000, TimerAdd(120_000))
    assert timer == {"status": "running", "duration_ms": FIVE_MINUTES, "remaining_ms": 360_000,
                     "ends_at": T0 + FIVE_MINUTES + 120_000}


def test_removing_more_than_is_left_ends_the_round_now() -> None:
    state = running(room())
    timer = at(state, T0 + 60_000, TimerAdd(-FIVE_MINUTES))
    assert (timer["status"], timer["remaining_ms"], timer["ends_at"]) == ("running", 0, T0 + 60_000)
    assert shown(state, T0 + 60_000)["status"] == "finished"


def test_removing_some_time_from_a_running_timer() -> None:
    state = running(room())
    timer = at(state, T0 + 60_000, TimerAdd(-60_000))
    assert (timer["remaining_ms"], timer["ends_at"]) == (180_000, T0 + FIVE_MINUTES - 60_000)


def test_adding_time_to_a_finished_round_starts_it_again_from_now() -> None:
    state = running(room())
    now = T0 + FIVE_MINUTES + 30_000
    timer = at(state, now, TimerAdd(120_000))
    assert (timer["status"], timer["remaining_ms"], timer["ends_at"]) == ("running", 120_000, now + 120_000)


@pytest.mark.parametrize(("ms", "left"), [(60_000, 240_000), (-60_000, 120_000), (-10**6, 0)])
def test_add_to_a_paused_timer_changes_what_is_left(ms: int, left: int) -> None:
    """Paused with 3 min left: add or remove time; never below zero; it stays paused."""
    state = running(room())
    at(state, T0 + 120_000, TimerPause())
    assert at(state, T0 + 999_000, TimerAdd(ms)) == {"status": "paused", "duration_ms": FIVE_MINUTES,
                                                     "remaining_ms": left, "ends_at": None}


@pytest.mark.parametrize(("ms", "duration"), [(60_000, FIVE_MINUTES + 60_000), (-10**6, 0),
                                              (LIMITS.timer_ms, LIMITS.timer_ms)])
def test_add_to_an_idle_timer_changes_its_duration_within_the_limit(ms: int, duration: int) -> None:
    state = running(room())
    at(state, T0, TimerReset())
    assert at(state, T0 + 5, TimerAdd(ms)) == {"status": "idle", "duration_ms": duration,
                                               "remaining_ms": duration, "ends_at": None}


@pytest.mark.parametrize(("ms", "ok"), [(LIMITS.timer_ms, True), (-LIMITS.timer_ms, True),
                                        (LIMITS.timer_ms + 1, False), (-LIMITS.timer_ms - 1, False)])
def test_add_at_most_the_limit_at_once(ms: int, ok: bool) -> None:
    decision = decide(running(room()), FACILITATOR, TimerAdd(ms), T0, LIMITS)
    assert isinstance(decision, Accepted) if ok else decision == Refused("invalid", {"field": "ms"})


@pytest.mark.parametrize(("after", "status", "left"), [
    (0, "running", FIVE_MINUTES),
    (1, "running", FIVE_MINUTES - 1),
    (FIVE_MINUTES - 1, "running", 1),
    (FIVE_MINUTES, "finished", 0),
    (FIVE_MINUTES + 60_000, "finished", 0),
])
def test_viewers_see_time_run_down_and_finish(after: int, status: str, left: int) -> None:
    """Nothing is sent when time passes: each view computes what is left from `ends_at` and now."""
    state = running(room())
    view = shown(state, T0 + after)
    assert (view["status"], view["remaining_ms"], view["ends_at"]) == (status, left, T0 + FIVE_MINUTES)
    assert state.timer.status == "running", "showing the timer changes nothing"


def test_a_new_phase_clears_a_timer_that_ran_out() -> None:
    """"Time is up" belongs to the phase it ran out in: the next phase starts with the timer
    rewound (idle, its duration kept), so no device keeps showing it."""
    state = running(room())
    decision = decide(state, FACILITATOR, PhaseSet("cluster"), T0 + FIVE_MINUTES + 5, LIMITS)
    assert isinstance(decision, Accepted)
    assert decision.data["timer"] == {"status": "idle", "duration_ms": FIVE_MINUTES,
                                      "remaining_ms": FIVE_MINUTES, "ends_at": None}
    apply_event(state, Event(state.seq + 1, decision.op, FACILITATOR.id, T0 + FIVE_MINUTES + 5, decision.data))
    assert shown(state, T0 + FIVE_MINUTES + 10)["status"] == "idle"


@pytest.mark.parametrize("left", [1, 60_000])
def test_a_new_phase_keeps_a_timer_with_time_left(left: int) -> None:
    """A running or paused timer with time left goes on into the next phase untouched."""
    state = running(room())
    decision = decide(state, FACILITATOR, PhaseSet("cluster"), T0 + FIVE_MINUTES - left, LIMITS)
    assert isinstance(decision, Accepted)
    assert "timer" not in decision.data.as_dict()
    at(state, T0 + FIVE_MINUTES - left, TimerPause())
    decision = decide(state, FACILITATOR, PhaseSet("cluster"), T0 + 10 * FIVE_MINUTES, LIMITS)
    assert isinstance(decision, Accepted) and "timer" not in decision.data.as_dict()
