"""Playing a history through the pure domain in tests, the way the hub does: decide, insist that
it was accepted, and apply the event as the room's next `seq` (the store's part, without a store)."""

from __future__ import annotations

from typing import Any

from server.domain import Accepted, Actor, Event, Limits, State, apply_event, decide

LIMITS = Limits()


def append(state: State, op: str, by: str, data: Any, *, now: int = 0) -> Event:
    """Apply `data` as the room's next event."""
    event = Event(state.seq + 1, op, by, now, data)
    apply_event(state, event)
    return event


def commit(state: State, actor: Actor, command: Any, *, now: int = 0, limits: Limits = LIMITS) -> Event:
    """Decide `command` for `actor` at `now`; it must be accepted; its event is applied and returned."""
    decision = decide(state, actor, command, now, limits)
    assert isinstance(decision, Accepted), (actor, command, decision)
    return append(state, decision.op, actor.id, decision.data, now=now)
