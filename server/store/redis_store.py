"""The Redis store: the one source of truth that any number of server processes share.

Keys of a room share the hash tag `{CODE}` so a Redis Cluster keeps a room on one shard and the
Lua scripts (which touch several keys) stay legal there:

    room:{CODE}:meta      hash    key hashes, created_at
    room:{CODE}:seq       string  latest seq
    room:{CODE}:log       stream  one entry per event, entry id `<seq>-0`, field `e`
    room:{CODE}:ops       hash    "<participant>:<op id>" -> seq  (idempotent retries)
    room:{CODE}:snap      hash    seq, data
    room:{CODE}:presence  hash    "<participant>|<connection>" -> online-until (ms)
    room:{CODE}:replicated string latest seq known to be on `min_replicas` replicas (WAIT mode)
    room:{CODE}:photos    hash    photo id -> re-encoded image bytes (prototype photos)
    room:{CODE}:ch        pub/sub channel carrying each event as it is appended

Every append refreshes the idle TTL of all of them, so a room expires as a whole (its photos
with it), and `delete_room` removes all of them.

**WAIT mode** (`min_replicas > 0`, see docs/reliability.md). Redis replicates asynchronously:
an event on the primary alone is lost if Sentinel promotes a replica that never got it. So an
append is followed, on the same connection, by `WAIT min_replicas wait_ms`, and only an event
the replicas confirmed is acknowledged, published and marked in `replicated`. Readers
(`events_after`, `load`) see the log only up to `replicated`, so no process shows anyone an
event a failover could take back. An event whose WAIT timed out stays in the log, invisible
and unacknowledged (`Unavailable`: nothing promised); the first later write or read that gets
a WAIT through confirms it (a write of its own, then WAIT, covers everything before it), and
the client's retry of that op finds it through the idempotency table instead of appending it
twice. A missing `replicated` key (a room from before WAIT mode) means the whole log is visible.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Sequence

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.asyncio.sentinel import Sentinel
from redis.backoff import ExponentialWithJitterBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ReadOnlyError, RedisError, ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

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
    Unavailable,
)

log = logging.getLogger("tavla.store")

_SUFFIXES = ("meta", "seq", "log", "ops", "snap", "presence", "replicated", "photos")

# KEYS: meta seq log ops snap presence replicated photos; ARGV: expected seq, event, dedupe, ttl,
# channel, held ('1' in WAIT mode: publish nothing yet, the caller confirms first).
# Idempotency is checked before the seq so that a retry racing a newer append still gets its ack.
# In WAIT mode every answer carries `replicated` (-1: no such key, all visible) and the head; a
# retry of an op not yet confirmed writes something (EXPIRE), so that the WAIT after it covers
# the first append as well (WAIT waits for this connection's latest write only).
_APPEND = """
local held = ARGV[6] == '1'
local rep = -1
if held then rep = tonumber(redis.call('GET', KEYS[7]) or '-1') end
if ARGV[3] ~= '' then
  local prev = redis.call('HGET', KEYS[4], ARGV[3])
  if prev then
    prev = tonumber(prev)
    if held and rep >= 0 and prev > rep then redis.call('EXPIRE', KEYS[4], ARGV[4]) end
    return {'dup', prev, rep, tonumber(redis.call('GET', KEYS[2]) or '0')}
  end
end
if redis.call('EXISTS', KEYS[1]) == 0 then return {'gone', 0, rep, 0} end
local cur = tonumber(redis.call('GET', KEYS[2]) or '0')
if cur ~= tonumber(ARGV[1]) then return {'conflict', cur, rep, cur} end
local seq = cur + 1
redis.call('SET', KEYS[2], seq)
redis.call('XADD', KEYS[3], seq .. '-0', 'e', ARGV[2])
if ARGV[3] ~= '' then redis.call('HSET', KEYS[4], ARGV[3], seq) end
for i = 1, #KEYS do redis.call('EXPIRE', KEYS[i], ARGV[4]) end
if not held then redis.call('PUBLISH', ARGV[5], ARGV[2]) end
return {'ok', seq, rep, seq}
"""

# KEYS: meta seq log replicated; ARGV: meta fields..., first event, held, ttl. Creates the room
# only if new. In WAIT mode the first event is marked replicated at once: nobody knows the code
# before the creator's WAIT succeeded, and a room whose WAIT failed is never handed out.
_CREATE = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local ttl = ARGV[#ARGV]
redis.call('HSET', KEYS[1], 'facilitator_key_hash', ARGV[1], 'coach_key_hash', ARGV[2], 'created_at', ARGV[3])
redis.call('SET', KEYS[2], 1)
redis.call('XADD', KEYS[3], '1-0', 'e', ARGV[4])
if ARGV[5] == '1' then redis.call('SET', KEYS[4], 1) end
for i = 1, #KEYS do redis.call('EXPIRE', KEYS[i], ttl) end
return 1
"""

# KEYS: replicated seq; ARGV: seq the replicas confirmed, its event ('' for several), channel,
# ttl. Moves `replicated` forward (never back) and tells every process: the event itself when
# it is the next one, else an empty message (catch up from the log).
_CONFIRM = """
local rep = tonumber(redis.call('GET', KEYS[1]) or '0')
local upto = tonumber(ARGV[1])
if upto <= rep then return rep end
redis.call('SET', KEYS[1], upto, 'EX', ARGV[4])
if ARGV[2] ~= '' and upto == rep + 1 then
  redis.call('PUBLISH', ARGV[3], ARGV[2])
else
  redis.call('PUBLISH', ARGV[3], '')
end
return upto
"""

# KEYS: meta photos; ARGV: photo id, bytes, most photos, most bytes. Adds the photo only to a
# room that exists and only within its limits (the sizes summed here, so no counter can drift),
# with the room's own remaining TTL, so it expires with the room's other keys (every append
# and touch refreshes them all).
_ADD_PHOTO = """
local ttl = redis.call('PTTL', KEYS[1])
if ttl == -2 then return {'gone', 0, 0} end
local count = redis.call('HLEN', KEYS[2])
if count >= tonumber(ARGV[3]) then return {'count', count, 0} end
local size = 0
for _, f in ipairs(redis.call('HKEYS', KEYS[2])) do size = size + redis.call('HSTRLEN', KEYS[2], f) end
size = size + string.len(ARGV[2])
if size > tonumber(ARGV[4]) then return {'bytes', count, size} end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
return {'ok', count + 1, size}
"""

# KEYS: replicated seq. A write of nothing new (the same value again), so that a WAIT after it
# covers every event before it; returns the head it covers (0: no `replicated`, nothing held).
_TOUCH = """
local rep = redis.call('GET', KEYS[1])
if not rep then return 0 end
redis.call('SET', KEYS[1], rep, 'KEEPTTL')
return tonumber(redis.call('GET', KEYS[2]) or '0')
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


def _process_channel(process_id: str) -> str:
    return f"tavla:process:{process_id}"


def _seq_of(entry_id: bytes) -> int:
    return int(entry_id.split(b"-", 1)[0])


def _result(kind: bytes, seq: int) -> AppendResult:
    if kind in (b"ok", b"dup", b"conflict"):
        return {b"ok": Appended, b"dup": Duplicate, b"conflict": Conflict}[kind](seq)
    return Gone()


_NOT_NOW = ("NOREPLICAS", "READONLY", "MASTERDOWN")

# An op during an outage should be answered `unavailable` within about a second (the client
# keeps it and sends it again), not after redis-py's default of ten retries; a few quick retries
# still ride out a dropped connection or a failover's switch to the new primary.
_RETRY = Retry(ExponentialWithJitterBackoff(base=0.05, cap=0.5), retries=3)
_CONNECTION = {"socket_timeout": 5, "socket_connect_timeout": 2, "health_check_interval": 10, "retry": _RETRY}
# How often the pub/sub reader asks Sentinel who the primary is (a demoted primary keeps its
# connections open: without asking, this process would listen to a replica).
PRIMARY_CHECK_S = 1.0


class NotReplicated(Unavailable):
    """The primary has the write but fewer replicas than required confirmed it in time."""


def sentinel_client(sentinels: Sequence[tuple[str, int]], service: str) -> tuple[Sentinel, aioredis.Redis]:
    """redis-py's own Sentinel client and a client of the primary it names: every new
    connection asks the Sentinels where the primary is, so a failover is followed by
    reconnecting (and a demoted primary's `READONLY` makes a connection reconnect too)."""
    sentinel = Sentinel(list(sentinels), sentinel_kwargs={"socket_timeout": 1, "socket_connect_timeout": 1},
                        **_CONNECTION)
    return sentinel, sentinel.master_for(service)


class RedisStore:
    def __init__(
        self,
        url: str | None,
        room_ttl_s: int,
        log_keep: int = 10_000,
        *,
        sentinels: Sequence[tuple[str, int]] = (),
        service: str = "tavla",
        min_replicas: int = 0,
        wait_ms: int = 200,
    ) -> None:
        self._sentinel: Sentinel | None = None
        self._service = service
        if sentinels:
            self._sentinel, self._redis = sentinel_client(sentinels, service)
        elif url:
            self._redis = aioredis.Redis.from_url(url, **_CONNECTION)
        else:
            raise ValueError("RedisStore needs a URL or Sentinels")
        self._ttl = room_ttl_s
        self._log_keep = log_keep
        self._min_replicas = max(0, min_replicas)
        self._wait_ms = max(1, wait_ms)
        self._held = "1" if self._min_replicas else ""
        self._append = self._redis.register_script(_APPEND)
        self._create = self._redis.register_script(_CREATE)
        self._snapshot = self._redis.register_script(_SNAPSHOT)
        self._confirm = self._redis.register_script(_CONFIRM)
        self._touch = self._redis.register_script(_TOUCH)
        self._add_photo = self._redis.register_script(_ADD_PHOTO)
        self._listeners: list[Listener] = []
        self._watched: set[str] = set()
        self._pubsub: aioredis.client.PubSub | None = None
        self._reader: asyncio.Task[None] | None = None
        self._process_id = uuid.uuid4().hex
        self._own_channel = _process_channel(self._process_id)
        self._process_listeners: list[ProcessListener] = []

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
        if self._sentinel is not None:
            await self._sentinel.aclose()

    async def ping(self) -> bool:
        try:
            return bool(await self._redis.ping())
        except (RedisError, OSError):
            return False

    async def create_room(self, meta: RoomMeta, first_event: bytes) -> bool:
        keys = [_key(meta.code, s) for s in ("meta", "seq", "log", "replicated")]
        args = [meta.facilitator_key_hash, meta.coach_key_hash, meta.created_at, first_event, self._held, self._ttl]
        if not self._min_replicas:
            return bool(await self._call(self._create(keys=keys, args=args)))
        async with self._redis.pipeline(transaction=False) as pipe:
            await self._create(keys=keys, args=args, client=pipe)
            pipe.wait(self._min_replicas, self._wait_ms)
            created, replicas = await self._call(pipe.execute())
        if created and replicas < self._min_replicas:
            raise NotReplicated(f"room created on {replicas} of {self._min_replicas} replicas")
        return bool(created)

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
        args = [expected_seq, event, dedupe, self._ttl, _channel(code), self._held]
        if not self._min_replicas:
            kind, seq, _, _ = await self._call(self._append(keys=_keys(code), args=args))
            return _result(kind, int(seq))
        # The append and the WAIT on one connection (a pipeline), in one round trip.
        async with self._redis.pipeline(transaction=False) as pipe:
            await self._append(keys=_keys(code), args=args, client=pipe)
            pipe.wait(self._min_replicas, self._wait_ms)
            (kind, seq, rep, head), replicas = await self._call(pipe.execute())
        seq, rep, head = int(seq), int(rep), int(head)
        confirmed = replicas >= self._min_replicas
        if kind == b"ok":
            if not confirmed:
                raise NotReplicated(f"seq {seq} on {replicas} of {self._min_replicas} replicas")
            await self._call(self._confirm(keys=[_key(code, "replicated"), _key(code, "seq")],
                                           args=[seq, event, _channel(code), self._ttl]))
            return Appended(seq)
        if kind == b"dup" and 0 <= rep < seq:
            # Its first append is not confirmed yet: the write in the script put it under this WAIT.
            if not confirmed:
                raise NotReplicated(f"retried seq {seq} on {replicas} of {self._min_replicas} replicas")
            await self._mark_replicated(code, head)
        elif kind == b"conflict" and 0 <= rep < head and expected_seq >= rep:
            # All that is missing is a tail nobody may see yet: confirm it or nobody can write.
            if not await self._confirm_through(code):
                raise NotReplicated("the log's tail is not on enough replicas")
        return _result(kind, seq)

    async def applied_seq(self, code: str, dedupe: str) -> int | None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hget(_key(code, "ops"), dedupe)
            pipe.get(_key(code, "replicated"))
            raw, rep = await self._call(pipe.execute())
        if raw is None:
            return None
        seq = int(raw)
        if self._min_replicas and rep is not None and seq > int(rep) and not await self._confirm_through(code):
            raise NotReplicated(f"seq {seq} is not on enough replicas")
        return seq

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
        for attempt in range(2):
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.xrange(_key(code, "log"), min=f"{since + 1}-0")
                pipe.get(_key(code, "seq"))
                pipe.get(_key(code, "replicated"))
                entries, head, rep = await self._call(pipe.execute())
            head = int(head or 0)
            visible = head if not self._min_replicas or rep is None else int(rep)
            if visible < head and attempt == 0 and await self._confirm_through(code, raising=False):
                continue  # the tail is confirmed now: read again
            break
        if since > head:
            return None  # the store has fewer events than we saw: a failover lost some (no WAIT)
        entries = [(_seq_of(entry_id), fields) for entry_id, fields in entries]
        entries = [(seq, fields) for seq, fields in entries if seq <= visible]
        if entries and entries[0][0] != since + 1:
            return None
        if not entries and since < visible:
            return None
        return [fields[b"e"] for _, fields in entries]

    async def _confirm_through(self, code: str, raising: bool = True) -> bool:
        """WAIT for everything in the room's log so far; mark it replicated and announce it.
        False when the replicas did not confirm in time."""
        async with self._redis.pipeline(transaction=False) as pipe:
            await self._touch(keys=[_key(code, "replicated"), _key(code, "seq")], client=pipe)
            pipe.wait(self._min_replicas, self._wait_ms)
            try:
                head, replicas = await self._call(pipe.execute())
            except Unavailable:
                if raising:
                    raise
                return False
        if replicas < self._min_replicas:
            return False
        if head:
            await self._mark_replicated(code, int(head))
        return True

    async def _mark_replicated(self, code: str, upto: int) -> None:
        await self._call(self._confirm(keys=[_key(code, "replicated"), _key(code, "seq")],
                                       args=[upto, "", _channel(code), self._ttl]))

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

    async def add_photo(self, code: str, photo_id: str, data: bytes, max_count: int, max_bytes: int) -> AddPhotoResult:
        keys = [_key(code, "meta"), _key(code, "photos")]
        args = [photo_id, data, max_count, max_bytes]
        if not self._min_replicas:
            kind, count, size = await self._call(self._add_photo(keys=keys, args=args))
        else:
            # As an append: a photo is promised only once the replicas have it.
            async with self._redis.pipeline(transaction=False) as pipe:
                await self._add_photo(keys=keys, args=args, client=pipe)
                pipe.wait(self._min_replicas, self._wait_ms)
                (kind, count, size), replicas = await self._call(pipe.execute())
            if kind == b"ok" and replicas < self._min_replicas:
                raise NotReplicated(f"photo on {replicas} of {self._min_replicas} replicas")
        if kind == b"ok":
            return PhotoStored(int(count), int(size))
        if kind == b"gone":
            return Gone()
        return PhotoLimit(kind.decode())

    async def photo(self, code: str, photo_id: str) -> bytes | None:
        return await self._call(self._redis.hget(_key(code, "photos"), photo_id))

    async def delete_photo(self, code: str, photo_id: str) -> None:
        await self._call(self._redis.hdel(_key(code, "photos"), photo_id))

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

    @property
    def process_id(self) -> str:
        return self._process_id

    async def send_to_process(self, process_id: str, message: bytes) -> bool:
        """PUBLISH on that process's own channel (which its pub/sub reader subscribes to from
        the start); Redis answers how many received it, so a stopped process shows as 0."""
        return bool(await self._call(self._redis.publish(_process_channel(process_id), message)))

    def listen_process(self, listener: ProcessListener) -> None:
        self._process_listeners.append(listener)

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
        except ResponseError as exc:
            # "Not now" answers of a Redis that is there: a replica (a demoted primary behind a
            # fixed REDIS_URL), or a primary refusing writes under `min-replicas-to-write`.
            if isinstance(exc, ReadOnlyError) or any(code in str(exc) for code in _NOT_NOW):
                raise Unavailable(str(exc)) from exc
            raise

    async def _read_forever(self) -> None:
        """One pub/sub connection per process; after an outage or a failover, every listener
        is told to resync (a `None` event for every watched room): messages were lost meanwhile,
        and the hub catches each live room up from the log."""
        backoff = 0.1
        while True:
            try:
                self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
                await self._pubsub.subscribe(self._own_channel, *[_channel(c) for c in self._watched])
                primary = self._address(self._pubsub.connection)
                if backoff > 0.1:
                    log.warning("pubsub connected again", extra={"fields": {"primary": primary}})
                    for code in list(self._watched):
                        self._dispatch(code, None)
                backoff = 0.1
                checked = asyncio.get_running_loop().time()
                while True:
                    message = await self._pubsub.get_message(timeout=PRIMARY_CHECK_S)
                    now = asyncio.get_running_loop().time()
                    if self._sentinel is not None and now - checked >= PRIMARY_CHECK_S:
                        checked = now
                        if await self._primary_moved(primary):
                            raise RedisConnectionError("Sentinel names another primary")
                    if message is None:
                        continue
                    channel = message["channel"].decode()
                    if channel == self._own_channel:
                        for listener in self._process_listeners:
                            listener(message["data"])
                        continue
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

    async def _primary_moved(self, primary: tuple[str, int] | None) -> bool:
        """Sentinel names another primary than the one we listen to. Sentinels that cannot be
        asked say nothing: the connection itself tells us when the primary is gone."""
        assert self._sentinel is not None
        try:
            return await self._sentinel.discover_master(self._service) != primary
        except (RedisError, OSError):
            return False

    @staticmethod
    def _address(connection: object) -> tuple[str, int] | None:
        host, port = getattr(connection, "host", None), getattr(connection, "port", None)
        return (host, int(port)) if host is not None and port is not None else None

    def _dispatch(self, code: str, data: bytes | None) -> None:
        for listener in self._listeners:
            listener(code, data)
