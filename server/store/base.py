"""The storage contract every backend keeps (`tests/test_store_contract.py` holds them to it).

Events travel as encoded JSON bytes: the store never looks inside, so it carries no rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Appended:
    seq: int


@dataclass(frozen=True, slots=True)
class Duplicate:
    """The op was applied before, as `seq`; nothing new was written."""

    seq: int


@dataclass(frozen=True, slots=True)
class Conflict:
    """Someone else appended first; catch up to `head` and decide again."""

    head: int


@dataclass(frozen=True, slots=True)
class Gone:
    """The room does not exist (never did, expired, or was deleted)."""


AppendResult = Appended | Duplicate | Conflict | Gone


@dataclass(frozen=True, slots=True)
class PhotoStored:
    """The photo is kept with the room; `count` and `size` are the room's photos after it."""

    count: int
    size: int


@dataclass(frozen=True, slots=True)
class PhotoLimit:
    """The room has no room for it: `what` is "count" (photos) or "bytes" (their total size).
    Nothing was written."""

    what: str


AddPhotoResult = PhotoStored | PhotoLimit | Gone


@dataclass(frozen=True, slots=True)
class RoomMeta:
    """What the server keeps about a room outside its state: hashes of its keys."""

    code: str
    facilitator_key_hash: str
    coach_key_hash: str
    created_at: int


@dataclass(frozen=True, slots=True)
class Loaded:
    """A snapshot (or None: start from seq 0) and every event after it, in order."""

    snapshot: bytes | None
    snapshot_seq: int
    events: list[bytes]


class Unavailable(Exception):
    """The store cannot be reached right now; nothing was written."""


# Called with (room code, event bytes) for each appended event, or (room code, None) when the
# room's presence changed. May be called for rooms nobody watches; may repeat or skip events
# (the hub fills gaps from the log).
Listener = Callable[[str, bytes | None], None]

# Called with each message another process (or this one) sent to this process with
# `Store.send_to_process`: how a fallback POST reaches the process that holds its event stream.
ProcessListener = Callable[[bytes], None]


class Store(Protocol):
    async def create_room(self, meta: RoomMeta, first_event: bytes) -> bool:
        """Create a room with its first event (seq 1); False when the code is taken."""

    async def meta(self, code: str) -> RoomMeta | None: ...

    async def append(self, code: str, expected_seq: int, event: bytes, dedupe: str) -> AppendResult:
        """Append `event` as seq `expected_seq + 1`, atomically, unless `dedupe` was seen."""

    async def applied_seq(self, code: str, dedupe: str) -> int | None: ...

    async def head(self, code: str) -> int:
        """The room's latest seq (0 for no room)."""

    async def load(self, code: str) -> Loaded | None: ...

    async def events_after(self, code: str, since: int) -> list[bytes] | None:
        """Every event with seq > since, or None when the log no longer reaches back, or when
        the store has fewer events than `since` (a Redis failover without WAIT lost some):
        either way the caller must start again from `load`."""

    async def save_snapshot(self, code: str, seq: int, snapshot: bytes) -> None:
        """Keep `snapshot` as the room's state at `seq`; may trim the log below it."""

    async def touch(self, code: str) -> None:
        """Restart the room's idle clock."""

    async def delete_room(self, code: str) -> None: ...

    async def add_photo(self, code: str, photo_id: str, data: bytes, max_count: int, max_bytes: int) -> AddPhotoResult:
        """Keep `data` (an already re-encoded image) as photo `photo_id` of the room, atomically
        against the room's limits: at most `max_count` photos and `max_bytes` in all. A photo
        lives and expires with its room and is gone with `delete_room`."""

    async def photo(self, code: str, photo_id: str) -> bytes | None:
        """The photo's bytes, or None (no such photo, or no such room)."""

    async def delete_photo(self, code: str, photo_id: str) -> None: ...

    async def set_online(self, code: str, members: list[str], until_ms: int) -> None: ...

    async def set_offline(self, code: str, member: str) -> None: ...

    async def online(self, code: str, now_ms: int) -> set[str]:
        """Members whose `until_ms` has not passed."""

    def listen(self, listener: Listener) -> None: ...

    async def watch(self, code: str) -> None: ...

    async def unwatch(self, code: str) -> None: ...

    @property
    def process_id(self) -> str:
        """This process's address for `send_to_process` (random, made at start-up)."""

    async def send_to_process(self, process_id: str, message: bytes) -> bool:
        """Hand `message` to the process `process_id`; False when no such process listens
        (it stopped). At most once: a message lost in an outage is not sent again."""

    def listen_process(self, listener: ProcessListener) -> None: ...

    async def ping(self) -> bool: ...

    async def start(self) -> None: ...

    async def close(self) -> None: ...
