"""The pure rules of a Tavla room: no I/O, no clock, no framework.

`rules.decide` turns a command into event data or a refusal, `evolve.apply_event` applies a
durable event, `visibility` decides what each recipient may see.
"""

from .commands import COMMANDS, OP_NAMES, Command
from .errors import ErrorCode, What
from .evolve import apply_event, initial_state
from .model import Actor, Event, Participant, Role, State
from .rules import Accepted, Decision, Limits, Refused, decide, join, new_room, permissions
from .visibility import (
    audience,
    frame_class,
    limits_view,
    needs_snapshot,
    participant_view,
    photo_in_use,
    photo_visible,
    project_event,
    project_state,
    snapshot_reason,
)

__all__ = [
    "COMMANDS",
    "OP_NAMES",
    "Accepted",
    "Actor",
    "Command",
    "Decision",
    "ErrorCode",
    "Event",
    "Limits",
    "Participant",
    "Refused",
    "Role",
    "State",
    "What",
    "apply_event",
    "audience",
    "frame_class",
    "limits_view",
    "decide",
    "initial_state",
    "join",
    "needs_snapshot",
    "new_room",
    "participant_view",
    "permissions",
    "photo_in_use",
    "photo_visible",
    "project_event",
    "project_state",
    "snapshot_reason",
]
