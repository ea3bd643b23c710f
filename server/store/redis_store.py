"""The Redis store: the one source of truth that any number of server processes share.

Keys of a room share the hash tag `{CODE}` so a Redis Cluster keeps a room on one shard and the
Lua scripts (which touch several keys) stay legal there:

    room:{CODE}:meta      hash    key hashes, created_at
    room:{CODE}:seq       string  latest seq
    room:{CODE}:log       stream  one entry per event, entry id `<seq>-0`, field `e`
    room:{CODE}:ops       hash    "<participant>:<op id>" -> seq  (idempotent retries)
    room:{CODE}:snap      hash    seq, data
    room:{CODE}:presence  hash    "<participant>|<connection>" -> online-until (ms)
    room:{CODE}:ch        pub/sub channel carrying each event as it is appended

Every append refreshes the idle TTL of all of them, so a room expires as a whole.
"""

from __future__ import annotations

import asyncio
import logging
import uuid

import redis.asyncio as aioredis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .base import (
    Appended,
    AppendResult,
    Conflict,
    Duplicate,
    Gone,
    Listener,
    Loaded,
    RoomMeta,
    Unavailable,
)

log = logging.getLogger("tavla.store")

_SUFFIXES = ("meta", "seq", "log", "ops", "snap", "presence")

# KEYS: meta seq log ops snap presence; ARGV: expected seq, event, dedupe, ttl, channel.
# Idempotency is checked before the seq so that a retry racing a newer append still gets its ack.
_APPEND = """
if ARGV[3] ~= '' then
  local prev = redis.call('HGET', KEYS[4], ARGV[3])
  if prev then return {'dup', tonumber(prev)} end
end
if redis.call('EXISTS', KEYS[1]) == 0 then return {'gone', 0} end
local cur = tonumber(redis.call('GET', KEYS[2]) or '0')
if cur ~= tonumber(ARGV[1]) then return {'conflict', cur} end
local seq = cur + 1
redis.call('SET', KEYS[2], seq)
redis.call('XADD', KEYS[3], seq .. '-0', 'e', ARGV[2])
if ARGV[3] ~= '' then redis.call('HSET', KEYS[4], ARGV[3], seq) end
for i = 1, #KEYS do redis.call('EXPIRE', KEYS[i], ARGV[4]) end
redis.call('PUBLISH', ARGV[5], ARGV[2])
return {'ok', seq}
"""

# KEYS: meta seq log; ARGV: meta fields..., first event, ttl. Creates the room only if new.
_CREATE = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local ttl = ARGV[#ARGV]
redis.call('HSET', KEYS[1], 'facilitator_key_hash', ARGV[1], 'coach_key_hash', ARGV[2], 'created_at', ARGV[3])
redis.call('SET', KEYS[2], 1)
redis.call('XADD', KEYS[3], '1-0', 'e', ARGV[4])
for i = 1, #KEYS do redis.call('EXPIRE', KEYS[i], ttl) end
return 1
"""

# KEYS: snap log meta; ARGV: seq, data, keep, ttl. Never replaces a newer snapshot; trims the log
# to `keep` events below the snapshot so resumes from a little behind still get events. Writes
# nothing for a deleted room: a snapshot task that runs after `room.delete` (on this process or
# another) would otherwise keep its notes and names for another TTL.
_SNAPSHOT = """
if redis.call('EXISTS', KEYS[3]) == 0 then return 0 end
local have = tonumber(redis.call('HGET', KEYS[1], 'seq') or '0')
local seq = tonumber(ARGV[1])
if seq <= have then return 0 end
redis.call('HSET', KEYS[1], 'seq', seq, 'data', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[4])
local floor = seq - tonumber(ARGV[3])
if floor > 1 then redis.call('XTRIM', KEYS[2], 'MINID', floor .. '-0') end
return 1
"""


def _key(code: str, suffix: str) -> str:
    return f"room:{{{code}}}:{suffix}"


def _keys(code: str) -> list[str]:
    return [_key(code, s) for s in _SUFFIXES]


def _channel(code: str) -> str:
    return _key(code, "ch")


def _seq_of(entry_id: bytes) -> int:
    return int(entry_id.split(b"-", 1)[0])


class RedisStore:
    def __init__(self, url: str, room_ttl_s: int, log_keep: int = 10_000) -> None:
        self._redis = aioredis.Redis.from_url(
            url, socket_timeout=5, socket_connect_timeout=2, health_check_interval=10
        )
        self._ttl = room_ttl_s
        self._log_keep = log_keep
        self._append = self._redis.register_script(_APPEND)
        self._create = self._redis.register_script(_CREATE)
        self._snapshot = self._redis.register_script(_SNAPSHOT)
        self._listeners: list[Listener] = []
        self._watched: set[str] = set()
        self._pubsub: aioredis.client.PubSub | None = None
        self._reader: asyncio.Task[None] | None = None
        self._own_channel = f"tavla:process:{uuid.uuid4().hex}"

    async def start(self) -> None:
        self._reader = asyncio.create_task(self._read_forever(), name="redis-pubsub")

    async def close(self) -> None:
        if self._reader:
            self._reader.cancel()
            try:
                await self._reader
            except asyncio.CancelledError:
                pass
        if self._pubsub is not None:
            await self._pubsub.aclose()
        await self._redis.aclose()

    async def ping(self) -> bool:
        try:
            return bool(await self._redis.ping())
        except RedisError:
            return False

    async def create_room(self, meta: RoomMeta, first_event: bytes) -> bool:
        keys = [_key(meta.code, s) for s in ("meta", "seq", "log")]
        args = [meta.facilitator_key_hash, meta.coach_key_hash, meta.created_at, first_event, self._ttl]
        return bool(await self._call(self._create(keys=keys, args=args)))

    async def meta(self, code: str) -> RoomMeta | None:
        raw = await self._call(self._redis.hgetall(_key(code, "meta")))
        if not raw:
            return None
        return RoomMeta(
            code=code,
            facilitator_key_hash=raw[b"facilitator_key_hash"].decode(),
            coach_key_hash=raw[b"coach_key_hash"].decode(),
            created_at=int(raw[b"created_at"]),
        )

    async def append(self, code: str, expected_seq: int, event: bytes, dedupe: str) -> AppendResult:
        args = [expected_seq, event, dedupe, self._ttl, _channel(code)]
        kind, seq = await self._call(self._append(keys=_keys(code), args=args))
        return {
            b"ok": Appended,
            b"dup": Duplicate,
            b"conflict": Conflict,
        }.get(kind, lambda _: Gone())(int(seq))

    async def applied_seq(self, code: str, dedupe: str) -> int | None:
        raw = await self._call(self._redis.hget(_key(code, "ops"), dedupe))
        return int(raw) if raw is not None else None

    async def head(self, code: str) -> int:
        raw = await self._call(self._redis.get(_key(code, "seq")))
        return int(raw) if raw is not None else 0

    async def load(self, code: str) -> Loaded | None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.exists(_key(code, "meta"))
            pipe.hmget(_key(code, "snap"), "seq", "data")
            exists, (snap_seq, snap) = await self._call(pipe.execute())
        if not exists:
            return None
        since = int(snap_seq) if snap_seq is not None else 0
        events = await self.events_after(code, since)
        if events is None:  # trimmed between the two reads: a newer snapshot exists, retry
            return await self.load(code)
        return Loaded(snap if snap_seq is not None else None, since, events)

    async def events_after(self, code: str, since: int) -> list[bytes] | None:
        # The log and the head in one MULTI/EXEC: read apart, an append by another process in
        # between made an empty read look like a trimmed log, and the hub then reset every
        # connection of the room (found by the benchmark's two-process run).
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.xrange(_key(code, "log"), min=f"{since + 1}-0")
            pipe.get(_key(code, "seq"))
            entries, head = await self._call(pipe.execute())
        if entries and _seq_of(entries[0][0]) != since + 1:
            return None
        if not entries and since < int(head or 0):
            return None
        return [fields[b"e"] for _, fields in entries]

    async def save_snapshot(self, code: str, seq: int, snapshot: bytes) -> None:
        keys = [_key(code, "snap"), _key(code, "log"), _key(code, "meta")]
        await self._call(self._snapshot(keys=keys, args=[seq, snapshot, self._log_keep, self._ttl]))

    async def touch(self, code: str) -> None:
        async with self._redis.pipeline(transaction=False) as pipe:
            for key in _keys(code):
                pipe.expire(key, self._ttl)
            await self._call(pipe.execute())

    async def delete_room(self, code: str) -> None:
        await self._call(self._redis.delete(*_keys(code)))

    async def set_online(self, code: str, members: list[str], until_ms: int) -> None:
        key = _key(code, "presence")
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hmget(key, members)
            pipe.hset(key, mapping=dict.fromkeys(members, until_ms))
            pipe.expire(key, self._ttl)
            before, _, _ = await self._call(pipe.execute())
        if any(b is None for b in before):  # someone new: tell every process
            await self._call(self._redis.publish(_channel(code), b""))

    async def set_offline(self, code: str, member: str) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hdel(_key(code, "presence"), member)
            pipe.publish(_channel(code), b"")
            await self._call(pipe.execute())

    async def online(self, code: str, now_ms: int) -> set[str]:
        raw = await self._call(self._redis.hgetall(_key(code, "presence")))
        stale = [m for m, until in raw.items() if int(until) <= now_ms]
        if stale:  # members of a process that died without saying goodbye
            await self._call(self._redis.hdel(_key(code, "presence"), *stale))
        return {m.decode() for m, until in raw.items() if int(until) > now_ms}

    def listen(self, listener: Listener) -> None:
        self._listeners.append(listener)

    async def watch(self, code: str) -> None:
        self._watched.add(code)
        if self._pubsub is not None:
            try:
                await self._pubsub.subscribe(_channel(code))
            except RedisError:
                pass  # the reader re-subscribes every watched room when it reconnects

    async def unwatch(self, code: str) -> None:
        self._watched.discard(code)
        if self._pubsub is not None:
            try:
                await self._pubsub.unsubscribe(_channel(code))
            except RedisError:
                pass

    async def _call(self, awaitable):  # type: ignore[no-untyped-def]
        try:
            return await awaitable
        except (RedisConnectionError, RedisTimeoutError, OSError) as exc:
            raise Unavailable(str(exc)) from exc

    async def _read_forever(self) -> None:
        """One pub/sub connection per process; after an outage, every listener is told to
        resync (a `None` event for every watched room), since messages were lost meanwhile."""
        backoff = 0.1
        while True:
            try:
                self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
                await self._pubsub.subscribe(self._own_channel, *[_channel(c) for c in self._watched])
                if backoff > 0.1:
                    for code in list(self._watched):
                        self._dispatch(code, None)
                backoff = 0.1
                while True:
                    message = await self._pubsub.get_message(timeout=1.0)
                    if message is None:
                        continue
                    channel = message["channel"].decode()
                    code = channel[len("room:{") : channel.index("}")]
                    data = message["data"]
                    self._dispatch(code, data or None)
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError) as exc:
                log.warning("pubsub connection lost, retrying: %s", type(exc).__name__)
                if self._pubsub is not None:
                    try:
                        await self._pubsub.aclose()
                    except (RedisError, OSError):
                        pass
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 2.0)

    def _dispatch(self, code: str, data: bytes | None) -> None:
        for listener in self._listeners:
            listener(code, data)
