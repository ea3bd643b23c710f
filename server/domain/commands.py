"""What a client may ask for: one frozen dataclass per op.

The edge (`server.protocol`) decodes `args` into these types; from here on nothing sees a raw
dict. Types are checked at the edge, meaning (lengths, ranges, ids) in `rules`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NoteCreate:
    id: str
    text: str
    color: str
    x: float
    y: float
    cluster: str | None = None


@dataclass(frozen=True, slots=True)
class NoteUpdate:
    id: str
    text: str | None = None
    color: str | None = None


@dataclass(frozen=True, slots=True)
class NoteMove:
    id: str
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class NoteDelete:
    id: str


Command = NoteCreate | NoteUpdate | NoteMove | NoteDelete

# The op name on the wire for each command type, and back.
COMMANDS: dict[str, type[Command]] = {
    "note.create": NoteCreate,
    "note.update": NoteUpdate,
    "note.move": NoteMove,
    "note.delete": NoteDelete,
}
OP_NAMES: dict[type[Command], str] = {cls: name for name, cls in COMMANDS.items()}
