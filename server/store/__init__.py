"""Where rooms live: Redis when `REDIS_URL` is set, else the embedded in-process store."""

from __future__ import annotations

from .base import (
    Appended,
    AppendResult,
    Conflict,
    Duplicate,
    Gone,
    Listener,
    Loaded,
    RoomMeta,
    Store,
    Unavailable,
)
from .memory import MemoryStore
from .redis_store import RedisStore


def open_store(redis_url: str | None, room_ttl_s: int, log_keep: int) -> Store:
    if redis_url:
        return RedisStore(redis_url, room_ttl_s, log_keep)
    return MemoryStore(room_ttl_s, log_keep)


__all__ = [
    "AppendResult",
    "Appended",
    "Conflict",
    "Duplicate",
    "Gone",
    "Listener",
    "Loaded",
    "MemoryStore",
    "RedisStore",
    "RoomMeta",
    "Store",
    "Unavailable",
    "open_store",
]
