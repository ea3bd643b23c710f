"""The six scenarios of the performance issue, each run against Tavla and against the floor
with the same clients, the same schedule and frames of similar size.

A scenario function gets the worker harness, one started deployment and its parameters, and
returns a flat dict of figures (latencies in microseconds); `bench.report` takes medians over
repeats. Setup (rooms, phases, notes) happens before the measured window and is not timed.
"""

from __future__ import annotations

import asyncio
import os
import random
import secrets
import sys
import time
import uuid
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import httpx

from .load import Harness, Joiner, Placement, RunPlan, Send, WorkerResult
from .participant import ClientSpec, Participant, Stats
from .profile import sampled
from .servers import Deployment, machine_busy_seconds, rss_bytes, wait_for_quiet

Result = dict[str, Any]
PROFILE = False  # set by `--profile`: sample Tavla with py-spy during each measured window


@dataclass(frozen=True)
class Params:
    """Sizes of every scenario; `QUICK` is the CI smoke run."""

    participants: int = 300
    senders: int = 60  # participants who write (each owns one note); all of them read
    rate: float = 20.0  # note ops per second in the big room
    duration_s: float = 15.0
    settle_s: float = 2.0
    drain_s: float = 30.0
    votes_each: int = 3
    vote_window_s: float = 1.0
    vote_targets: int = 20
    rooms: int = 100
    per_room: int = 30
    voting_rooms: int = 10
    period_s: float = 10.0  # one op per participant per period in the many-rooms scenario
    many_duration_s: float = 20.0
    burst_window_s: float = 2.0
    notes: int = 2000
    joins: int = 50
    join_rate: float = 5.0
    missed: int = 10_000
    resumers: int = 10
    resume_rate: float = 2.0
    idle: int = 1000
    idle_per_room: int = 100
    concurrency: int = 16  # handshakes in flight per worker
    quiet_wait_s: float = 60.0  # wait up to this long for a quiet machine before measuring


FULL = Params()
QUICK = Params(participants=30, senders=10, rate=20, duration_s=2, settle_s=0.5, drain_s=10,
               vote_targets=5, rooms=5, per_room=10, voting_rooms=1, period_s=2, many_duration_s=3,
               burst_window_s=1, notes=200, joins=5, join_rate=10, missed=500, resumers=3,
               resume_rate=10, idle=60, idle_per_room=30, quiet_wait_s=0)


# -- rooms ---------------------------------------------------------------------------------


@dataclass
class Room:
    label: str
    path: str
    code: str = ""
    key: str = ""
    # The facilitator keeps one identity across its setup connections: a second "Setup" would
    # be a new participant, and its join an event the resumers did not expect to miss.
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))


def new_room(dep: Deployment, label: str) -> Room:
    if dep.is_floor:
        return Room(label, f"/floor/{label}-{uuid.uuid4().hex[:8]}")
    response = httpx.post(f"{dep.http}/api/rooms", json={"title": f"Bench {label}", "language": "en"}, timeout=30)
    response.raise_for_status()
    body = response.json()
    return Room(label, f"/r/{body['code']}/ws", body["code"], body["facilitator_key"])


async def _facilitate(dep: Deployment, room: Room, ops: list[tuple[str, dict[str, Any]]], window: int = 100) -> None:
    """Run facilitator ops in order; runs of note ops are pipelined `window` at a time."""
    if dep.is_floor or not ops:
        return
    spec = ClientSpec(dep.ports[0], room.path, room.label, False, name="Setup", key=room.key, token=room.token)
    p = Participant("setup", spec, Stats())
    await p.connect()
    i = 0
    while i < len(ops):
        op, _ = ops[i]
        batch = [ops[i]]
        if op.startswith("note."):
            while len(batch) < window and i + len(batch) < len(ops) and ops[i + len(batch)][0].startswith("note."):
                batch.append(ops[i + len(batch)])
        answers = await asyncio.gather(*(p.op(o, a, 60) for o, a in batch))
        refused = [a for a in answers if a.get("type") != "ack"]
        if refused:
            raise RuntimeError(f"setup op refused: {refused[0]}")
        i += len(batch)
    await p.close()


def facilitate(dep: Deployment, rooms: list[Room], ops_for: Callable[[Room], list[tuple[str, dict[str, Any]]]]) -> None:
    async def all_rooms() -> None:
        gate = asyncio.Semaphore(10)

        async def one(room: Room) -> None:
            async with gate:
                await _facilitate(dep, room, ops_for(room))

        await asyncio.gather(*(one(r) for r in rooms))

    asyncio.run(all_rooms())


def _notes(prefix: str, count: int, rng: random.Random) -> list[tuple[str, dict[str, Any]]]:
    return [("note.create", {"id": f"{prefix}{i}", "text": f"Idea {i}: shorter queues at the front desk",
                             "color": "yellow", "x": rng.randint(0, 3800), "y": rng.randint(0, 2800)})
            for i in range(count)]


# -- running and merging -------------------------------------------------------------------


def _plans(h: Harness, placement: list[Placement], sends: list[tuple[int, int, str, str]],
           expected: dict[str, int], drain_s: float, reveal_ref_ns: int = 0, reveal_room: str | None = None) -> list[RunPlan]:
    """Split a global schedule (offset, client, kind, target) into each worker's plan."""
    plans = [RunPlan([], expected, reveal_ref_ns, drain_s, reveal_room) for _ in range(h.size)]
    for at, client, kind, target in sorted(sends):
        w, i = placement[client]
        plans[w].sends.append(Send(at, i, kind, target))
    return plans


def _execute(h: Harness, dep: Deployment, plans: list[RunPlan], length_s: float, quiet_wait_s: float,
             make_reveal_ref: Callable[[int], int] | None = None) -> Result:
    quiet_before = wait_for_quiet(longest_s=quiet_wait_s)
    start_ns = time.monotonic_ns() + 500_000_000
    if make_reveal_ref is not None:
        ref = make_reveal_ref(start_ns)
        plans = [replace(p, reveal_ref_ns=ref) for p in plans]
    cpu0, redis0, busy0, own0, wall0 = dep.cpu(), dep.redis_cpu(), machine_busy_seconds(), _own_cpu(), time.monotonic()
    with sampled(dep.pids[0], f"{_caller()}-{dep.name}", PROFILE and not dep.is_floor) as profile:
        replies = h.run(plans, start_ns, timeout=length_s + plans[0].drain_s + 120)
    cpu, redis_cpu = dep.cpu() - cpu0, dep.redis_cpu() - redis0
    result = merge(replies)
    result.update(profile)
    # Busy time of the machine that none of the benchmark's processes account for: other
    # sessions' work (and kernel time not charged to a process). High values mark a run
    # disturbed from outside.
    ours = cpu + redis_cpu + _own_cpu() - own0 + sum(r.counts["cpu_ms"] for r in replies) / 1000
    wall = time.monotonic() - wall0
    result["other_cpu_share"] = round(max(0.0, machine_busy_seconds() - busy0 - ours) / wall / (os.cpu_count() or 1), 2)
    result["quiet_before"] = quiet_before
    result["server_cpu_s"] = round(cpu, 3)
    result["redis_cpu_s"] = round(redis_cpu, 3)
    frames = result["frames"]
    result["cpu_ms_per_1000_deliveries"] = round(cpu * 1000 / (frames / 1000), 2) if frames else None
    result["generator_cpu_share"] = round(
        sum(r.counts["cpu_ms"] for r in replies) / max(1, sum(r.counts["wall_ms"] for r in replies)), 2)
    result["server_alive"] = dep.alive()
    return result


def _caller() -> str:
    """The scenario function that called `_execute` (names the profile file)."""
    return sys._getframe(2).f_code.co_name


def _own_cpu() -> float:
    t = os.times()
    return t.user + t.system


def merge(replies: list[WorkerResult]) -> Result:
    """Sum the counts of every worker and summarise each latency metric."""
    out: Result = {}
    for key in replies[0].counts:
        if key not in ("cpu_ms", "wall_ms"):
            out[key] = sum(r.counts[key] for r in replies)
    samples: dict[str, array[int]] = {}
    for r in replies:
        for metric, raw in r.lat.items():
            samples.setdefault(metric, array("q")).frombytes(raw)
    out["latency"] = {metric: summarise(values) for metric, values in samples.items()}
    errors: dict[str, int] = {}
    closes: dict[str, int] = {}
    totals: dict[str, int] = {}
    for r in replies:
        for bag, mine in ((errors, r.errors), (closes, r.close_codes), (totals, r.reveal_totals)):
            for k, v in mine.items():
                bag[k] = bag.get(k, 0) + v
    out["errors"], out["close_codes"], out["reveal_totals"] = errors, closes, totals
    out["_samples"] = samples
    return out


def summarise(values: array[int] | list[int]) -> dict[str, float]:
    """p50/p99/max in milliseconds (nearest rank)."""
    ordered = sorted(values)
    n = len(ordered)
    if not n:
        return {"n": 0}

    def rank(q: float) -> float:
        return ordered[min(n - 1, max(0, -(-int(q * n * 1000) // 1000) - 1))] / 1000

    return {"n": n, "p50": rank(0.50), "p99": rank(0.99), "max": ordered[-1] / 1000}


def _specs(dep: Deployment, room: Room, count: int, note_every: int = 0, first: int = 0) -> list[ClientSpec]:
    return [
        ClientSpec(dep.ports[(first + i) % len(dep.ports)], room.path, room.label, dep.is_floor,
                   name=f"P{first + i}", note=f"n{i}" if note_every and i % note_every == 0 else None)
        for i in range(count)
    ]


# -- 1 and 2: the big room (one process, or split over two on Redis) -----------------------


def big_room(h: Harness, dep: Deployment, p: Params, rng: random.Random) -> Result:
    """300 participants in one room; 20 note.update per second spread over the writers; every
    update fans out to all 300 (the writer included) and is timed at every receiver."""
    room = new_room(dep, "big")
    facilitate(dep, [room], lambda r: [("phase.set", {"phase": "write"})])
    stride = max(1, p.participants // p.senders)
    specs = _specs(dep, room, p.participants, note_every=stride)
    placement, _ = h.connect(specs, p.concurrency)
    time.sleep(p.settle_s)
    writers = [i for i, s in enumerate(specs) if s.note]
    n_ops = int(p.rate * p.duration_s)
    sends = [(int(j * 1e9 / p.rate), writers[j % len(writers)], "update", "") for j in range(n_ops)]
    plans = _plans(h, placement, sends, {room.label: n_ops}, p.drain_s)
    result = _execute(h, dep, plans, p.duration_s, p.quiet_wait_s)
    h.close_clients()
    result["ops"] = n_ops
    return result


def big_room_fallback(h: Harness, dep: Deployment, p: Params, rng: random.Random) -> Result:
    """The big room with every other participant on the HTTP fallback (SSE + POST), writers
    included: the same updates fan out to both transports in one run, timed at every receiver
    (`fanout` for sockets, `fanout_sse` for streams). The floor has no fallback: its row is the
    bare socket broadcast of the same load."""
    room = new_room(dep, "big")
    facilitate(dep, [room], lambda r: [("phase.set", {"phase": "write"})])
    stride = max(1, p.participants // p.senders)
    specs = _specs(dep, room, p.participants, note_every=stride)
    if not dep.is_floor:
        for i, spec in enumerate(specs):
            if i % 2:  # half of the readers, and (writers being every `stride`-th) half of the writers
                spec.transport = "sse"
    placement, _ = h.connect(specs, p.concurrency)
    time.sleep(p.settle_s)
    writers = [i for i, s in enumerate(specs) if s.note]
    n_ops = int(p.rate * p.duration_s)
    sends = [(int(j * 1e9 / p.rate), writers[j % len(writers)], "update", "") for j in range(n_ops)]
    plans = _plans(h, placement, sends, {room.label: n_ops}, p.drain_s)
    result = _execute(h, dep, plans, p.duration_s, p.quiet_wait_s)
    h.close_clients()
    result["ops"] = n_ops
    result["sse_clients"] = sum(1 for s in specs if s.transport == "sse")
    return result


# -- 3: the vote storm ---------------------------------------------------------------------


def vote_storm(h: Harness, dep: Deployment, p: Params, rng: random.Random) -> Result:
    """Everyone casts `votes_each` dots within `vote_window_s`; the facilitator reveals as soon
    as it has seen every vote event; each client times the reveal from the last vote's
    intended send time and reports the totals it got."""
    room = new_room(dep, "vote")
    targets = [f"t{i}" for i in range(p.vote_targets)]
    facilitate(dep, [room], lambda r: [("phase.set", {"phase": "write"}), *_notes("t", p.vote_targets, rng),
                                       ("phase.set", {"phase": "vote"})])
    n_votes = p.participants * p.votes_each
    specs = _specs(dep, room, p.participants)
    specs.append(ClientSpec(dep.ports[0], room.path, room.label, dep.is_floor, name="Facilitator",
                            key=room.key or None, reveal_after=n_votes))
    placement, _ = h.connect(specs, p.concurrency)
    time.sleep(p.settle_s)
    sends = []
    for i in range(p.participants):
        for target, at in zip(rng.sample(targets, p.votes_each), sorted(rng.random() for _ in range(p.votes_each))):
            sends.append((int(at * p.vote_window_s * 1e9), i, "vote", target))
    last = max(s[0] for s in sends)
    plans = _plans(h, placement, sends, {}, p.drain_s, reveal_room=room.label)
    result = _execute(h, dep, plans, p.vote_window_s, p.quiet_wait_s, make_reveal_ref=lambda start: start + last)
    h.close_clients()
    totals = result["reveal_totals"]
    result["votes"] = n_votes
    result["reveals_received"] = sum(totals.values())
    if not dep.is_floor:  # the floor has no totals: it only relays the reveal
        digest = next(iter(totals), "")
        result["dots_in_totals"] = sum(int(kv.split("=")[1]) for kv in digest.split(",") if kv)
        result["totals_agree"] = (len(totals) == 1 and sum(totals.values()) == len(specs)
                                  and result["dots_in_totals"] == n_votes)
    return result


# -- 4: many rooms -------------------------------------------------------------------------


def many_rooms(h: Harness, dep: Deployment, p: Params, rng: random.Random) -> Result:
    """100 rooms x 30 on one process at workshop rates: in the writing rooms each participant
    edits their note once per `period_s`; the voting rooms vote in staggered bursts (everyone's
    dots within `burst_window_s`). Latency: note fan-out at every receiver, and each vote at
    its voter."""
    rooms = [new_room(dep, f"m{r}") for r in range(p.rooms)]
    voting = set(range(p.rooms - p.voting_rooms, p.rooms))
    targets = [f"t{i}" for i in range(10)]

    def setup(room: Room) -> list[tuple[str, dict[str, Any]]]:
        if int(room.label[1:]) in voting:
            return [("phase.set", {"phase": "write"}), *_notes("t", len(targets), rng), ("phase.set", {"phase": "vote"})]
        return [("phase.set", {"phase": "write"})]

    facilitate(dep, rooms, setup)
    specs: list[ClientSpec] = []
    for r, room in enumerate(rooms):
        specs.extend(_specs(dep, room, p.per_room, note_every=0 if r in voting else 1, first=len(specs)))
    placement, _ = h.connect(specs, p.concurrency, timeout=600)
    time.sleep(p.settle_s)
    sends: list[tuple[int, int, str, str]] = []
    expected: dict[str, int] = {}
    for r, room in enumerate(rooms):
        members = range(r * p.per_room, (r + 1) * p.per_room)
        if r in voting:
            burst = (sorted(voting).index(r) + 0.5) / len(voting) * (p.many_duration_s - p.burst_window_s)
            for i in members:
                for target in rng.sample(targets, p.votes_each):
                    sends.append((int((burst + rng.random() * p.burst_window_s) * 1e9), i, "vote", target))
            continue
        count = 0
        for i in members:
            at = rng.random() * p.period_s
            while at < p.many_duration_s:
                sends.append((int(at * 1e9), i, "update", ""))
                count += 1
                at += p.period_s
        expected[room.label] = count
    plans = _plans(h, placement, sends, expected, p.drain_s)
    result = _execute(h, dep, plans, p.many_duration_s, p.quiet_wait_s)
    h.close_clients()
    samples = result["_samples"]
    combined = array("q", samples.get("fanout", array("q")))
    combined.extend(samples.get("vote", array("q")))
    result["latency"]["all"] = summarise(combined)
    result["connections"] = len(specs)
    result["deliveries_per_s"] = round(result["frames"] / p.many_duration_s)
    return result


# -- 5: joining a big room, and resuming -----------------------------------------------------


def join_big_room(h: Harness, dep: Deployment, p: Params, rng: random.Random) -> Result:
    """A room of `notes` notes: fresh joiners arrive at a fixed rate, each timed from its
    intended connect time to the read that completed its welcome; then `resumers` who left at
    the same seq come back after `missed` events and are timed the same way."""
    room = new_room(dep, "join")
    result: Result = {}
    facilitate(dep, [room], lambda r: [("phase.set", {"phase": "write"}), *_notes("n", p.notes, rng)])
    if dep.redis is not None:
        result["redis_room_bytes"] = redis_room_bytes(dep.redis.url, room.code)

    def spec(**extra: Any) -> ClientSpec:
        return ClientSpec(dep.ports[0], room.path, room.label, dep.is_floor, name="Joiner", **extra)

    joiners = [Joiner(int(j * 1e9 / p.join_rate), spec()) for j in range(p.joins)]
    result["quiet_before"] = wait_for_quiet(longest_s=p.quiet_wait_s)
    rows = h.join(joiners, time.monotonic_ns() + 300_000_000, timeout=p.joins / p.join_rate + 120)
    result["join"] = _rows(rows)
    result["join_notes"] = sorted({r.get("notes") for r in rows if "notes" in r}, key=str)

    # Resumers: connect, wait until each has seen the last of their joins, leave at one seq.
    placement, tokens = h.connect([spec() for _ in range(p.resumers)], p.concurrency)
    deadline = time.monotonic() + 30
    while True:
        seqs = h.seqs()
        left_at = [seqs[w][i] for w, i in placement]
        if len(set(left_at)) == 1 or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    h.close_clients()
    moves = [("note.move", {"id": f"n{i % p.notes}", "x": rng.randint(0, 3800), "y": rng.randint(0, 2800)})
             for i in range(p.missed)]
    facilitate(dep, [room], lambda r: moves)
    if dep.redis is not None:
        result["redis_room_bytes_after_missed"] = redis_room_bytes(dep.redis.url, room.code)
    # The floor has nothing to resume: its "resume" is the same connect-and-echo as a join.
    resumers = [Joiner(int(j * 1e9 / p.resume_rate),
                       spec(token=token, since=None if dep.is_floor else since))
                for j, ((token, _), since) in enumerate(zip(tokens, left_at))]
    wait_for_quiet(longest_s=p.quiet_wait_s)
    rows = h.join(resumers, time.monotonic_ns() + 300_000_000, timeout=p.resumers / p.resume_rate + 120)
    result["resume"] = _rows(rows)
    result["missed"] = p.missed
    return result


def _rows(rows: list[dict[str, Any]]) -> Result:
    errors = [r["error"] for r in rows if "error" in r]
    ok = [r for r in rows if "error" not in r]
    return {
        "latency": summarise([r["latency_us"] for r in ok]),
        "hello_to_welcome": summarise([r["hello_us"] for r in ok]),
        "bytes": max((r["bytes"] for r in ok), default=0),
        "kinds": sorted({r.get("kind", "echo") for r in ok}),
        "events": sorted({r.get("events", 0) for r in ok}),
        "errors": len(errors),
        "why": errors[:3],
    }


# -- 6: memory ----------------------------------------------------------------------------


def memory(h: Harness, dep: Deployment, p: Params, rng: random.Random) -> Result:
    """RSS of the server process before and after `idle` idle connections (each said hello
    and got its welcome), divided by their number."""
    warm = new_room(dep, "warm")
    h.connect(_specs(dep, warm, 10), p.concurrency)
    h.close_clients()
    rooms = [new_room(dep, f"idle{r}") for r in range(max(1, p.idle // p.idle_per_room))]
    time.sleep(1.0)
    before = sum(rss_bytes(pid) for pid in dep.pids)
    specs: list[ClientSpec] = []
    for room in rooms:
        specs.extend(_specs(dep, room, p.idle_per_room, first=len(specs)))
    h.connect(specs, p.concurrency)
    time.sleep(3.0)
    after = sum(rss_bytes(pid) for pid in dep.pids)
    h.close_clients()
    return {"connections": len(specs), "rss_before": before, "rss_after": after,
            "kib_per_connection": round((after - before) / len(specs) / 1024, 1)}


def redis_room_bytes(url: str, code: str) -> dict[str, int]:
    """`MEMORY USAGE ... SAMPLES 0` (exact) of every key of the room, found with SCAN."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        sizes = {key.decode().rsplit(":", 1)[1]: int(client.memory_usage(key, samples=0) or 0)
                 for key in client.scan_iter(match=f"room:{{{code}}}:*", count=100)}
    finally:
        client.close()
    return {"total": sum(sizes.values()), **dict(sorted(sizes.items()))}
