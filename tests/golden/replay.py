"""What one viewer receives while a room's log grows, computed by the real domain.

Shared by the generator (which writes the fixtures) and the test (which checks that the
domain still produces exactly what the fixtures say). The hub (`server.rooms`) sends the same
things: `project_state` in a welcome, `project_event` per event, and a fresh welcome right after
a `role.grant` of the viewer's own role.
"""

from __future__ import annotations

import json
from typing import Any

from server import codec
from server.domain import (
    Actor,
    Event,
    Limits,
    Role,
    State,
    apply_event,
    initial_state,
    project_event,
    project_state,
)

LIMITS = Limits()


def decode_log(log: list[dict[str, Any]]) -> list[Event]:
    """The fixture's log as the store would hand it back (through the store's own codec)."""
    return [codec.decode_event(json.dumps(raw).encode()) for raw in log]


def encode_log(events: list[Event]) -> list[dict[str, Any]]:
    return [json.loads(codec.encode_event(e)) for e in events]


def viewer_record(events: list[Event], pid: str, welcome_seq: int) -> dict[str, Any]:
    """The welcome `pid` gets at `welcome_seq`, every frame after it, and their final view."""
    state = _state_at(events, welcome_seq)
    actor = Actor(pid, state.participants[pid].role)
    role = actor.role.value
    initial = project_state(state, actor, (), events[welcome_seq - 1].at)
    frames: list[dict[str, Any]] = []
    for event in events[welcome_seq:]:
        apply_event(state, event)
        frames.append(project_event(event, actor, state))
        if event.op == "role.grant" and event.data["participant"] == pid:
            actor = Actor(pid, Role(str(event.data["role"])))
            frames.append(welcome_frame(state, actor, event.at))
    return {
        "id": pid,
        "role": role,
        "welcome_seq": welcome_seq,
        "initial": initial,
        "frames": frames,
        "final_role": actor.role.value,
        "final": project_state(state, actor, (), events[-1].at),
    }


def welcome_frame(state: State, actor: Actor, now: int) -> dict[str, Any]:
    """The part of a `welcome` that a replay needs (no token, no server time)."""
    return {"type": "welcome", "seq": state.seq, "role": actor.role.value, "state": project_state(state, actor, (), now)}


def _state_at(events: list[Event], seq: int) -> State:
    state = initial_state(events[0])
    for event in events[1:seq]:
        apply_event(state, event)
    return state
