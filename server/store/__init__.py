"""Where rooms live: Redis when `REDIS_URL` or `REDIS_SENTINELS` is set, else the embedded
in-process store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import (
    AddPhotoResult,
    Appended,
    AppendResult,
    Conflict,
    Duplicate,
    Gone,
    Listener,
    ProcessListener,
    Loaded,
    PhotoLimit,
    PhotoStored,
    RoomMeta,
    Store,
    Unavailable,
)
from .memory import MemoryStore
from .redis_store import NotReplicated, RedisStore

if TYPE_CHECKING:
    from limits.aio.storage import Storage

    from ..config import Settings


def uses_redis(settings: Settings) -> bool:
    return bool(settings.redis_url or settings.redis_sentinels)


def open_store(settings: Settings) -> Store:
    if uses_redis(settings):
        return RedisStore(
            settings.redis_url,
            settings.room_ttl_s,
            settings.log_keep,
            sentinels=settings.redis_sentinels,
            service=settings.redis_service,
            min_replicas=settings.redis_min_replicas,
            wait_ms=settings.redis_wait_ms,
        )
    return MemoryStore(settings.room_ttl_s, settings.log_keep)


def describe_store(settings: Settings) -> str:
    """For the start-up log line: which store, and what an acknowledgement waits for."""
    if not uses_redis(settings):
        return "embedded"
    where = f"sentinel service {settings.redis_service}" if settings.redis_sentinels else "redis"
    if settings.redis_min_replicas:
        return f"{where}, acknowledging after WAIT {settings.redis_min_replicas} {settings.redis_wait_ms}ms"
    return where


def open_limit_storage(settings: Settings) -> Storage:
    """Where the per-address limits are counted: the same Redis (through the same Sentinels,
    so it follows a failover too), or memory with the embedded store."""
    from limits.aio.storage import MemoryStorage, RedisSentinelStorage, RedisStorage

    if settings.redis_sentinels:
        hosts = ",".join(f"{host}:{port}" for host, port in settings.redis_sentinels)
        return RedisSentinelStorage(f"async+redis+sentinel://{hosts}/{settings.redis_service}",
                                    implementation="redispy", key_prefix="tavla-limits", use_replicas=False)
    if settings.redis_url:
        return RedisStorage("async+" + settings.redis_url, implementation="redispy", key_prefix="tavla-limits")
    return MemoryStorage()


__all__ = [
    "AppendResult",
    "Appended",
    "Conflict",
    "Duplicate",
    "Gone",
    "Listener",
    "ProcessListener",
    "Loaded",
    "MemoryStore",
    "NotReplicated",
    "RedisStore",
    "RoomMeta",
    "Store",
    "Unavailable",
    "describe_store",
    "open_limit_storage",
    "open_store",
    "uses_redis",
]
