"""Events and snapshots to bytes and back, for the store; one encoder, reused."""

from __future__ import annotations

import msgspec

from .domain import Event, State

_encoder = msgspec.json.Encoder()
_event_decoder = msgspec.json.Decoder(Event)
_state_decoder = msgspec.json.Decoder(State)


def encode_event(event: Event) -> bytes:
    return _encoder.encode(event)


def decode_event(raw: bytes) -> Event:
    return _event_decoder.decode(raw)


def encode_state(state: State) -> bytes:
    return _encoder.encode(state)


def decode_state(raw: bytes) -> State:
    return _state_decoder.decode(raw)
