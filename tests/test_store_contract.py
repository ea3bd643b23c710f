"""One contract, every backend: the embedded store and a real redis-server keep the same promises."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator

import pytest

from server.store import (
    Appended,
    Conflict,
    Duplicate,
    Gone,
    MemoryStore,
    PhotoLimit,
    PhotoStored,
    RedisStore,
    RoomMeta,
    Store,
)
from tests.support.servers import RedisServer, ReplicaServer, eventually

TTL = 3600


@pytest.fixture(scope="module")
def shared_redis() -> Iterator[RedisServer]:
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def replicated_redis() -> Iterator[tuple[RedisServer, ReplicaServer]]:
    primary = RedisServer().start()
    replica = ReplicaServer(primary).start()
    yield primary, replica
    replica.stop()
    primary.stop()


@pytest.fixture(params=["embedded", "redis", "redis-wait"])
async def store(request: pytest.FixtureRequest) -> AsyncIterator[Store]:
    if request.param == "embedded":
        backend: Store = MemoryStore(TTL, log_keep=5)
    elif request.param == "redis":
        redis = request.getfixturevalue("shared_redis")
        backend = RedisStore(redis.url, TTL, log_keep=5)
    else:  # acknowledging only what a replica confirmed (WAIT 1)
        primary, _ = request.getfixturevalue("replicated_redis")
        backend = RedisStore(primary.url, TTL, log_keep=5, min_replicas=1, wait_ms=2000)
    await backend.start()
    yield backend
    await backend.close()


_rooms = iter(range(10**6))


def event(seq: int, text: str = "x") -> bytes:
    return json.dumps({"seq": seq, "op": "test", "data": text}).encode()


async def new_room(store: Store) -> str:
    code = f"T{next(_rooms):05d}"
    assert await store.create_room(RoomMeta(code, "fh", "ch", 1), event(1))
    return code


async def test_create_room_once(store: Store) -> None:
    """A code is taken once; its meta and first event are there."""
    code = await new_room(store)
    assert not await store.create_room(RoomMeta(code, "other", "other", 2), event(1))
    meta = await store.meta(code)
    assert meta == RoomMeta(code, "fh", "ch", 1)
    assert await store.head(code) == 1
    assert await store.events_after(code, 0) == [event(1)]


async def test_append_assigns_the_next_seq_only_when_expected(store: Store) -> None:
    """Two writers that both expect seq 1 cannot both append seq 2."""
    code = await new_room(store)
    assert await store.append(code, 1, event(2, "a"), "p:1") == Appended(2)
    assert await store.append(code, 1, event(2, "b"), "p:2") == Conflict(2)
    assert await store.events_after(code, 1) == [event(2, "a")]


async def test_concurrent_appends_never_share_a_seq(store: Store) -> None:
    """Many writers racing on the same expected seq: exactly one wins each seq."""
    code = await new_room(store)
    results = await asyncio.gather(*(store.append(code, 1, event(2, str(i)), f"p:{i}") for i in range(20)))
    assert sum(isinstance(r, Appended) for r in results) == 1
    assert await store.head(code) == 2


async def test_retried_op_gets_its_first_seq(store: Store) -> None:
    """The same dedupe key is answered with the seq it got the first time, even after others."""
    code = await new_room(store)
    assert await store.append(code, 1, event(2), "kari:op1") == Appended(2)
    assert await store.append(code, 2, event(3), "ola:op1") == Appended(3)
    assert await store.append(code, 3, event(4), "kari:op1") == Duplicate(2)
    assert await store.append(code, 1, event(2), "kari:op1") == Duplicate(2)
    assert await store.applied_seq(code, "kari:op1") == 2
    assert await store.applied_seq(code, "kari:op9") is None
    assert await store.head(code) == 3


async def test_append_to_a_missing_room_is_gone(store: Store) -> None:
    """Nothing is written for a room that does not exist."""
    assert isinstance(await store.append("NOPE00", 0, event(1), "p:1"), Gone)
    assert await store.meta("NOPE00") is None
    assert await store.load("NOPE00") is None


async def test_load_is_snapshot_plus_later_events(store: Store) -> None:
    """After a snapshot, loading gives it and only the events after it."""
    code = await new_room(store)
    for seq in range(2, 8):
        await store.append(code, seq - 1, event(seq), f"p:{seq}")
    loaded = await store.load(code)
    assert loaded is not None and loaded.snapshot is None and loaded.snapshot_seq == 0
    assert loaded.events == [event(s) for s in range(1, 8)]
    await store.save_snapshot(code, 5, b"state@5")
    loaded = await store.load(code)
    assert loaded is not None
    assert (loaded.snapshot, loaded.snapshot_seq, loaded.events) == (b"state@5", 5, [event(6), event(7)])
    await store.save_snapshot(code, 4, b"older")  # an older snapshot never replaces a newer one
    loaded = await store.load(code)
    assert loaded is not None and loaded.snapshot == b"state@5"


async def test_log_is_trimmed_only_below_the_snapshot(store: Store) -> None:
    """With log_keep=5 the log keeps 5 events below the snapshot; older `since` gets None."""
    code = await new_room(store)
    for seq in range(2, 21):
        await store.append(code, seq - 1, event(seq), f"p:{seq}")
    await store.save_snapshot(code, 15, b"state@15")
    assert await store.events_after(code, 12) == [event(s) for s in range(13, 21)]
    assert await store.events_after(code, 3) is None
    assert await store.events_after(code, 20) == []
    assert await store.events_after(code, 21) is None  # beyond the head: the store lost events
    loaded = await store.load(code)
    assert loaded is not None and loaded.events == [event(s) for s in range(16, 21)]


async def test_reading_at_the_head_while_another_process_appends_is_never_trimmed(store: Store) -> None:
    """`events_after(head)` racing appends from elsewhere returns events (maybe none), never
    None: an untrimmed log must not look trimmed, or the hub resets every connection."""
    code = await new_room(store)

    async def append_many() -> None:
        for seq in range(2, 302):
            assert isinstance(await store.append(code, seq - 1, event(seq), ""), Appended)

    async def read_at_head() -> list[int]:
        seen = 1
        answers = []
        while seen < 301:
            got = await store.events_after(code, seen)
            assert got is not None, f"events after {seen} looked trimmed"
            answers.append(len(got))
            seen += len(got)
            await asyncio.sleep(0)
        return answers

    await asyncio.gather(append_many(), read_at_head())


async def test_listeners_hear_every_append(store: Store) -> None:
    """A watched room's appends reach listeners with their bytes."""
    code = await new_room(store)
    heard: list[tuple[str, bytes | None]] = []
    arrived = asyncio.Event()

    def listener(room: str, data: bytes | None) -> None:
        if room == code and data is not None:
            heard.append((room, data))
            arrived.set()

    store.listen(listener)
    await store.watch(code)
    for _ in range(50):  # subscription is asynchronous on Redis: retry until heard
        await store.append(code, await store.head(code), event(await store.head(code) + 1), "")
        try:
            await asyncio.wait_for(arrived.wait(), 0.2)
            break
        except asyncio.TimeoutError:
            continue
    assert heard and heard[-1][1] == event(await store.head(code))


async def test_presence_members_expire(store: Store) -> None:
    """Members are online until their time passes or they leave."""
    code = await new_room(store)
    await store.set_online(code, ["kari|c1", "ola|c2"], until_ms=2_000)
    assert await store.online(code, now_ms=1_000) == {"kari|c1", "ola|c2"}
    await store.set_offline(code, "ola|c2")
    assert await store.online(code, now_ms=1_000) == {"kari|c1"}
    assert await store.online(code, now_ms=3_000) == set()


async def test_delete_room_removes_everything(store: Store) -> None:
    """After delete, the room is gone for every read and write."""
    code = await new_room(store)
    await store.append(code, 1, event(2), "p:1")
    await store.save_snapshot(code, 2, b"s")
    await store.set_online(code, ["kari|c1"], until_ms=10**13)
    await store.delete_room(code)
    assert await store.meta(code) is None
    assert await store.load(code) is None
    assert await store.head(code) == 0
    assert isinstance(await store.append(code, 2, event(3), "p:2"), Gone)


async def test_photos_are_kept_within_the_rooms_limits(store: Store) -> None:
    """A photo is added only to a room that exists, and only while the room has fewer than
    `max_count` photos and the bytes fit `max_bytes`; a refused photo leaves nothing behind."""
    code = await new_room(store)
    assert await store.add_photo(code, "ph1", b"a" * 40, max_count=3, max_bytes=100) == PhotoStored(1, 40)
    assert await store.add_photo(code, "ph2", b"b" * 70, max_count=3, max_bytes=100) == PhotoLimit("bytes")
    assert await store.add_photo(code, "ph2", b"b" * 60, max_count=3, max_bytes=100) == PhotoStored(2, 100)
    assert await store.add_photo(code, "ph3", b"", max_count=2, max_bytes=100) == PhotoLimit("count")
    assert await store.photo(code, "ph1") == b"a" * 40 and await store.photo(code, "ph2") == b"b" * 60
    assert await store.photo(code, "ph3") is None
    assert isinstance(await store.add_photo("NOPE00", "ph1", b"x", 3, 100), Gone)
    assert await store.photo("NOPE00", "ph1") is None
    await store.delete_photo(code, "ph1")
    assert await store.photo(code, "ph1") is None
    assert await store.add_photo(code, "ph4", b"c" * 40, max_count=3, max_bytes=100) == PhotoStored(2, 100)


async def test_concurrent_photos_never_pass_the_limit(store: Store) -> None:
    code = await new_room(store)
    results = await asyncio.gather(*(store.add_photo(code, f"ph{i}", b"x" * 10, 5, 1000) for i in range(20)))
    assert sum(isinstance(r, PhotoStored) for r in results) == 5


async def test_a_deleted_rooms_photos_are_gone(store: Store) -> None:
    code = await new_room(store)
    await store.add_photo(code, "ph1", b"jpeg bytes", 3, 1000)
    await store.delete_room(code)
    assert await store.photo(code, "ph1") is None
    if isinstance(store, RedisStore):
        assert await store._redis.keys(f"*{code}*") == []
    else:
        assert code not in store._rooms


async def test_ping(store: Store) -> None:
    """A reachable store says so (what /readyz reports)."""
    assert await store.ping()


async def test_redis_keys_share_one_hash_tag(shared_redis: RedisServer) -> None:
    """Every key of a room carries `{CODE}` so a Redis Cluster keeps the room on one shard,
    and every one of them has the idle TTL."""
    import redis.asyncio as aioredis

    store = RedisStore(shared_redis.url, TTL)
    await store.start()
    try:
        code = await new_room(store)
        await store.append(code, 1, event(2), "p:1")
        await store.save_snapshot(code, 2, b"s")
        await store.set_online(code, ["kari|c1"], until_ms=10**13)
        await store.add_photo(code, "ph1", b"jpeg", 10, 1000)
        client = aioredis.Redis.from_url(shared_redis.url)
        keys = sorted(k.decode() for k in await client.keys(f"*{code}*"))
        assert keys and all(k.startswith(f"room:{{{code}}}:") for k in keys)
        assert {k.rsplit(":", 1)[1] for k in keys} == {"meta", "seq", "log", "ops", "snap", "presence", "photos"}
        for key in keys:
            assert 0 < await client.ttl(key) <= TTL
        await store.delete_room(code)
        assert await client.keys(f"*{code}*") == []
        await client.aclose()
    finally:
        await store.close()


@pytest.mark.parametrize("backend", ["embedded", "redis"])
async def test_idle_rooms_expire(backend: str, request: pytest.FixtureRequest) -> None:
    """A room nobody touched for the TTL is gone, every key of it."""
    if backend == "embedded":
        short: Store = MemoryStore(room_ttl_s=1)
    else:
        short = RedisStore(request.getfixturevalue("shared_redis").url, room_ttl_s=1)
    await short.start()
    try:
        code = await new_room(short)
        await short.append(code, 1, event(2), "p:1")
        await short.add_photo(code, "ph1", b"jpeg bytes", 3, 1000)
        assert await short.meta(code) is not None
        await eventually(lambda: short.meta(code), lambda meta: meta is None, what="the room expiring")
        assert await short.load(code) is None and await short.head(code) == 0
        await eventually(lambda: short.photo(code, "ph1"), lambda photo: photo is None, what="its photo expiring")
        if isinstance(short, RedisStore):
            await eventually(lambda: short._redis.keys(f"*{code}*"), lambda keys: keys == [], what="every key gone")
    finally:
        await short.close()


async def test_a_delete_on_a_snapshot_seq_leaves_zero_keys(store: Store) -> None:
    """`room.delete` landing on a seq where the appender saves a snapshot (here every seq): once
    every task the hub started has finished, nothing of the room is left — no snapshot holding
    its notes and names for another 30 days."""
    from server import codec
    from server.domain import Accepted, Actor, Event, Limits, Role, new_room as first_decision
    from server.domain.commands import NoteCreate, PhaseSet, RoomDelete
    from server.rooms import Ack, Hub

    code = f"D{next(_rooms):05d}"
    first = first_decision(code, "Slettes", "nb", "blank", Limits())
    assert isinstance(first, Accepted)
    assert await store.create_room(RoomMeta(code, "fh", "ch", 1), codec.encode_event(Event(1, first.op, "system", 0, first.data)))
    hub = Hub(store, Limits(), clock=lambda: 1_000, snapshot_every=1)
    room = await hub.open(code)
    assert room is not None
    joined = await hub.join(room, "p_fac", "Fasilitator", "Helse", Role.FACILITATOR)
    fac = Actor("p_fac", Role.FACILITATOR)
    assert isinstance(await hub.submit(room, fac, "o1", PhaseSet("write")), Ack)
    assert isinstance(await hub.submit(room, fac, "o2", NoteCreate("n1", "Navn og tekst", "yellow", 1, 1)), Ack)
    assert isinstance(await hub.submit(room, joined.actor, "o3", RoomDelete()), Ack)
    while hub._background:  # the snapshot the appender started after the delete, and the rest
        await asyncio.gather(*list(hub._background), return_exceptions=True)
    assert await store.load(code) is None and await store.head(code) == 0
    if isinstance(store, RedisStore):
        assert await store._redis.keys(f"*{code}*") == []
    else:
        assert code not in store._rooms
    await hub.stop()


async def test_a_snapshot_saved_after_the_delete_writes_nothing(store: Store) -> None:
    """Another process may save its snapshot just after this one deleted the room: the store
    refuses it, so no key of the room comes back."""
    code = await new_room(store)
    await store.delete_room(code)
    await store.save_snapshot(code, 1, b'{"notes": "Navn og tekst"}')
    assert await store.load(code) is None
    if isinstance(store, RedisStore):
        assert await store._redis.keys(f"*{code}*") == []
    else:
        assert code not in store._rooms
