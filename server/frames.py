"""Every frame the server sends, as types: the one place that says what goes over the socket.

Client frames are parsed in `server.protocol`; these are their answers and the room's news.
The `event` frame's `data` and the `welcome`'s `state` are projections built by
`domain.visibility` (what a recipient may see); their fields are listed in docs/protocol.md,
which `tests/test_protocol_doc.py` checks against the event types.
"""

from __future__ import annotations

from typing import Any

import msgspec


class _Frame(msgspec.Struct, tag_field="type", omit_defaults=True, frozen=True):
    pass


class You(msgspec.Struct, frozen=True):
    id: str
    name: str
    department: str
    role: str
    token: str


class Waiter(msgspec.Struct, frozen=True):
    """Someone in the "ask to join" lobby: no role yet, and the token to come back as them."""

    id: str
    name: str
    department: str
    token: str


class Lobby(_Frame, tag="lobby"):
    """The answer to `hello` while the lobby is on: wait; a `welcome` follows on the same socket
    once a facilitator lets the sender in, or a 4403 close if they are turned away."""

    you: Waiter


class Welcome(_Frame, tag="welcome"):
    """The first answer to `hello`, and again after the recipient's own role changed."""

    protocol: int
    you: You
    seq: int
    server_time: int
    state: dict[str, Any] | None = None  # a full `visibility.project_state`, or …
    events: list[dict[str, Any]] | None = None  # … the event frames since `hello.since`
    can: dict[str, str | None] | None = None  # with `events`: what the recipient may do now


class EventFrame(_Frame, tag="event"):
    """One event as one recipient may see it (`visibility.project_event` builds it)."""

    seq: int
    op: str
    by: str | None
    at: int
    data: dict[str, Any]
    can: dict[str, str | None] | None = None


class Ack(_Frame, tag="ack"):
    id: str
    seq: int


class Error(_Frame, tag="error"):
    id: str | None
    code: str
    message: str
    params: dict[str, Any] | None = None


class Pong(_Frame, tag="pong"):
    t: float
    server_time: int


class Presence(_Frame, tag="presence"):
    participants: list[dict[str, Any]]


ServerFrame = Lobby | Welcome | EventFrame | Ack | Error | Pong | Presence
