"""Events and snapshots to bytes and back, for the store; one encoder, reused."""

from __future__ import annotations

import msgspec

from .domain import Event, State
from .domain.events import EVENTS
from .domain.evolve import ensure_rounds


class _StoredEvent(msgspec.Struct):
    """An event as stored, its `data` left raw until `op` says which type it is."""

    seq: int
    op: str
    by: str
    at: int
    data: msgspec.Raw
    op_id: str | None = None


_encoder = msgspec.json.Encoder()
_event_decoder = msgspec.json.Decoder(_StoredEvent)
_data_decoders = {op: msgspec.json.Decoder(cls) for op, cls in EVENTS.items()}
_state_decoder = msgspec.json.Decoder(State)


def encode_event(event: Event) -> bytes:
    return _encoder.encode(event)


def decode_event(raw: bytes) -> Event:
    stored = _event_decoder.decode(raw)
    data = _data_decoders[stored.op].decode(stored.data)
    return Event(stored.seq, stored.op, stored.by, stored.at, data, stored.op_id)


def encode_state(state: State) -> bytes:
    return _encoder.encode(state)


def decode_state(raw: bytes) -> State:
    """A snapshot; one written before rounds existed is one round `r1`."""
    return ensure_rounds(_state_decoder.decode(raw))
