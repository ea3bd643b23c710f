"""The embedded store: the same contract as Redis, inside one process, for `make run` and tests.

Everything happens on the event loop without awaiting in between, so each method is atomic
exactly as the Redis Lua scripts are.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field

from .base import (
    AddPhotoResult,
    Appended,
    AppendResult,
    Conflict,
    Duplicate,
    Gone,
    Listener,
    Loaded,
    PhotoLimit,
    PhotoStored,
    ProcessListener,
    RoomMeta,
)


@dataclass
class _Room:
    meta: RoomMeta
    events: dict[int, bytes] = field(default_factory=dict)  # seq -> event, trimmed from below
    head: int = 0
    ops: dict[str, int] = field(default_factory=dict)
    snapshot: bytes | None = None
    snapshot_seq: int = 0
    presence: dict[str, int] = field(default_factory=dict)
    touched: float = 0.0
    photos: dict[str, bytes] = field(default_factory=dict)  # photo id -> re-encoded image


class MemoryStore:
    def __init__(self, room_ttl_s: int, log_keep: int = 10_000) -> None:
        self._rooms: dict[str, _Room] = {}
        self._listeners: list[Listener] = []
        self._process_listeners: list[ProcessListener] = []
        self._process_id = uuid.uuid4().hex
        self._ttl = room_ttl_s
        self._log_keep = log_keep

    async def start(self) -> None:
        pass

    async def close(self) -> None:
        pass

    async def ping(self) -> bool:
        return True

    async def create_room(self, meta: RoomMeta, first_event: bytes) -> bool:
        if self._live(meta.code) is not None:
            return False
        room = _Room(meta=meta, events={1: first_event}, head=1, touched=time.monotonic())
        self._rooms[meta.code] = room
        return True

    async def meta(self, code: str) -> RoomMeta | None:
        room = self._live(code)
        return room.meta if room else None

    async def append(self, code: str, expected_seq: int, event: bytes, dedupe: str) -> AppendResult:
        room = self._live(code)
        if room is None:
            return Gone()
        if dedupe and dedupe in room.ops:
            return Duplicate(room.ops[dedupe])
        if room.head != expected_seq:
            return Conflict(room.head)
        room.head += 1
        room.events[room.head] = event
        if dedupe:
            room.ops[dedupe] = room.head
        room.touched = time.monotonic()
        self._notify(code, event)
        return Appended(room.head)

    async def applied_seq(self, code: str, dedupe: str) -> int | None:
        room = self._live(code)
        return room.ops.get(dedupe) if room else None

    async def head(self, code: str) -> int:
        room = self._live(code)
        return room.head if room else 0

    async def load(self, code: str) -> Loaded | None:
        room = self._live(code)
        if room is None:
            return None
        after = range(room.snapshot_seq + 1, room.head + 1)
        return Loaded(room.snapshot, room.snapshot_seq, [room.events[s] for s in after])

    async def events_after(self, code: str, since: int) -> list[bytes] | None:
        room = self._live(code)
        if room is None:
            return None
        if since > room.head or (since < room.head and since + 1 not in room.events):
            return None
        return [room.events[s] for s in range(since + 1, room.head + 1)]

    async def save_snapshot(self, code: str, seq: int, snapshot: bytes) -> None:
        room = self._live(code)
        if room is None or seq <= room.snapshot_seq or seq > room.head:
            return
        room.snapshot, room.snapshot_seq = snapshot, seq
        for old in [s for s in room.events if s <= seq - self._log_keep]:
            del room.events[old]

    async def touch(self, code: str) -> None:
        room = self._live(code)
        if room:
            room.touched = time.monotonic()

    async def delete_room(self, code: str) -> None:
        self._rooms.pop(code, None)

    async def add_photo(self, code: str, photo_id: str, data: bytes, max_count: int, max_bytes: int) -> AddPhotoResult:
        room = self._live(code)
        if room is None:
            return Gone()
        if len(room.photos) >= max_count:
            return PhotoLimit("count")
        size = sum(len(b) for b in room.photos.values())
        if size + len(data) > max_bytes:
            return PhotoLimit("bytes")
        room.photos[photo_id] = data
        return PhotoStored(len(room.photos), size + len(data))

    async def photo(self, code: str, photo_id: str) -> bytes | None:
        room = self._live(code)
        return room.photos.get(photo_id) if room else None

    async def delete_photo(self, code: str, photo_id: str) -> None:
        room = self._live(code)
        if room is not None:
            room.photos.pop(photo_id, None)

    async def set_online(self, code: str, members: list[str], until_ms: int) -> None:
        room = self._live(code)
        if room is not None:
            fresh = any(m not in room.presence for m in members)
            room.presence.update(dict.fromkeys(members, until_ms))
            if fresh:
                self._notify(code, None)

    async def set_offline(self, code: str, member: str) -> None:
        room = self._live(code)
        if room is not None and room.presence.pop(member, None) is not None:
            self._notify(code, None)

    async def online(self, code: str, now_ms: int) -> set[str]:
        room = self._live(code)
        if room is None:
            return set()
        return {m for m, until in room.presence.items() if until > now_ms}

    def listen(self, listener: Listener) -> None:
        self._listeners.append(listener)

    async def watch(self, code: str) -> None:
        pass

    @property
    def process_id(self) -> str:
        return self._process_id

    async def send_to_process(self, process_id: str, message: bytes) -> bool:
        """The embedded store is one process: only it can be reached."""
        if process_id != self._process_id or not self._process_listeners:
            return False
        loop = asyncio.get_running_loop()
        for listener in self._process_listeners:
            loop.call_soon(listener, message)
        return True

    def listen_process(self, listener: ProcessListener) -> None:
        self._process_listeners.append(listener)

    async def unwatch(self, code: str) -> None:
        pass

    def _live(self, code: str) -> _Room | None:
        room = self._rooms.get(code)
        if room is not None and time.monotonic() - room.touched > self._ttl:
            del self._rooms[code]
            return None
        return room

    def _notify(self, code: str, event: bytes | None) -> None:
        # Delivered on the next loop iteration, as a Redis message would be: the appender
        # never re-enters its own listener.
        loop = asyncio.get_running_loop()
        for listener in self._listeners:
            loop.call_soon(listener, code, event)
