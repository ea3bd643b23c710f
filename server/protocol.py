"""The wire format: client frames parsed once into typed values, server frames encoded once.

msgspec validates types while it decodes (one pass, no intermediate dict), which keeps the
hot path cheap; the meaning of values (lengths, ids, ranges) is the domain's business.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import msgspec

from .domain import COMMANDS, Command
from .frames import ServerFrame

PROTOCOL_VERSION = 1
MAX_FRAME_BYTES = 64 * 1024

OpId = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


class Hello(msgspec.Struct, tag="hello", tag_field="type", forbid_unknown_fields=False):
    protocol: int
    name: str = ""
    department: str = ""
    token: str | None = None
    key: str | None = None
    since: Annotated[int, msgspec.Meta(ge=0)] | None = None
    batch: bool = False  # frames that pile up may be sent as one JSON array (docs/protocol.md)


class OpFrame(msgspec.Struct, tag="op", tag_field="type"):
    id: OpId
    op: str
    args: msgspec.Raw = msgspec.Raw(b"{}")


class Ping(msgspec.Struct, tag="ping", tag_field="type"):
    t: float = 0


ClientFrame = Hello | OpFrame | Ping


@dataclass(frozen=True, slots=True)
class Malformed:
    """A frame that is JSON but not a valid message: answered with an `error`, socket stays."""

    op_id: str | None
    detail: str
    code: str = "invalid"


@dataclass(frozen=True, slots=True)
class NotJson:
    """A protocol violation: the socket is closed with 1008."""

    detail: str


class _IdOnly(msgspec.Struct):
    id: Any = None


_frame_decoder = msgspec.json.Decoder(ClientFrame)
_id_decoder = msgspec.json.Decoder(_IdOnly)
_arg_decoders = {name: msgspec.json.Decoder(cls) for name, cls in COMMANDS.items()}
_encoder = msgspec.json.Encoder()


def parse_frame(raw: str | bytes) -> ClientFrame | Malformed | NotJson:
    try:
        return _frame_decoder.decode(raw)
    except msgspec.ValidationError as exc:
        return Malformed(op_id_of(raw), str(exc))
    except msgspec.DecodeError as exc:
        return NotJson(str(exc))
    except RecursionError:  # absurd nesting is an attack, not a typo
        return NotJson("nested too deeply")


def parse_command(frame: OpFrame) -> Command | Malformed:
    decoder = _arg_decoders.get(frame.op)
    if decoder is None:
        return Malformed(frame.id, f"unknown op {frame.op!r}", "unknown_op")
    try:
        return decoder.decode(frame.args)
    except msgspec.DecodeError as exc:
        return Malformed(frame.id, str(exc))
    except RecursionError:
        return Malformed(frame.id, "nested too deeply")


def encode(message: ServerFrame | dict[str, Any]) -> str:
    """A server frame (see `server.frames`) as the text of one websocket message."""
    return _encoder.encode(message).decode()


def op_id_of(raw: str | bytes) -> str | None:
    """The `id` of a frame we will not otherwise parse, so its refusal can name it."""
    try:
        found = _id_decoder.decode(raw).id
    except (msgspec.DecodeError, RecursionError):
        return None
    return found if isinstance(found, str) and len(found) <= 64 else None
