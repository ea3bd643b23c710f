"""The load generator: several worker processes, each running many asyncio clients.

Why processes: one Python process receiving 300 sockets' worth of fan-out would be the
bottleneck it is meant to measure. The coordinator (`Harness`) spreads the clients of every
room round-robin over the workers and talks to them over pipes; every worker runs uvloop.

Sending is open-loop at a fixed rate: a run is a list of (intended time, client, op) built by
the scenario before it starts; a worker sends each op at its intended time, or at once if it
is behind, and the op carries its intended time, so latency is measured from when it should
have been sent (no coordinated omission). Send lag (actual minus intended) is reported too, to
show the generator kept up.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from .participant import ClientSpec, Participant, Stats

Placement = tuple[int, int]  # (worker, index within the worker)


@dataclass
class Send:
    at_ns: int  # offset from the run's start
    client: int  # index within the worker
    kind: str  # "update" | "vote"
    target: str = ""


@dataclass
class RunPlan:
    """One worker's part of a run."""

    sends: list[Send]
    expected_fanout: dict[str, int]  # room -> timed frames every member must receive
    reveal_ref_ns: int = 0  # absolute: the last vote's intended time (0: no reveal)
    drain_s: float = 20.0
    reveal_room: str | None = None


@dataclass
class Joiner:
    at_ns: int
    spec: ClientSpec


@dataclass
class WorkerResult:
    lat: dict[str, bytes] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    close_codes: dict[str, int] = field(default_factory=dict)
    reveal_totals: dict[str, int] = field(default_factory=dict)
    rows: list[dict[str, Any]] = field(default_factory=list)


class Worker:
    def __init__(self, wid: int, conn: Connection) -> None:
        self.wid, self.conn = wid, conn
        self.clients: list[Participant] = []
        self.stats = Stats()

    async def serve(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            command, *args = await loop.run_in_executor(None, self.conn.recv)
            try:
                reply = await getattr(self, command)(*args)
            except Exception as exc:  # reported to the coordinator, which fails the scenario
                reply = exc
            self.conn.send(reply)
            if command == "exit":
                return

    async def exit(self) -> None:
        await self.close()

    async def connect(self, specs: list[ClientSpec], concurrency: int) -> dict[str, Any]:
        """Connect (and welcome) every client, `concurrency` handshakes at a time."""
        gate = asyncio.Semaphore(concurrency)
        start = len(self.clients)
        fresh = [Participant(f"{self.wid}.{start + i}", spec, self.stats) for i, spec in enumerate(specs)]
        self.clients.extend(fresh)
        failures: list[str] = []

        async def one(p: Participant) -> None:
            async with gate:
                try:
                    await p.connect()
                except Exception as exc:
                    failures.append(f"{exc!r} after {p.seen} frames, last {p.last[:100]!r}")

        await asyncio.gather(*(one(p) for p in fresh))
        return {"failed": len(failures), "why": failures[:3], "start": start,
                "tokens": [(p.token, p.seq) for p in fresh]}

    async def seqs(self) -> list[int]:
        return [p.seq for p in self.clients]

    async def close(self) -> int:
        await asyncio.gather(*(p.close() for p in self.clients), return_exceptions=True)
        closed = len(self.clients)
        self.clients = []
        self.stats = Stats()
        return closed

    async def run(self, plan: RunPlan, start_ns: int) -> WorkerResult:
        """Send the plan open-loop, then drain until every expected frame arrived (or time out)."""
        self.stats = stats = Stats()
        for p in self.clients:
            p.stats = stats
            p.counting = True
            p.frames = p.batches = p.bytes = p.received = p.sent = p.answered = p.gaps = 0
            p.votes_sent = p.votes_seen = p.vote_events = 0
            p.reveal_ref = plan.reveal_ref_ns
            p.reveal_sent = False
            p.revealed_at = None
        cpu0, wall0 = _cpu(), time.monotonic()
        for send in plan.sends:
            intended = start_ns + send.at_ns
            delay = intended - time.monotonic_ns()
            if delay > 0:
                await asyncio.sleep(delay / 1e9)
            p = self.clients[send.client]
            stats.sample("sendlag", (time.monotonic_ns() - intended) // 1000)
            if send.kind == "update":
                p.send_update(intended)
            else:
                p.send_vote(intended, send.target)
        if plan.reveal_ref_ns:
            await self._force_reveal(plan)
        deadline = time.monotonic() + plan.drain_s
        while time.monotonic() < deadline and not all(self._settled(p, plan) for p in self.clients):
            await asyncio.sleep(0.05)
        for p in self.clients:
            p.counting = False
        return self._result(plan, _cpu() - cpu0, time.monotonic() - wall0)

    async def _force_reveal(self, plan: RunPlan) -> None:
        """A revealer that never saw every vote (some were refused) reveals half the drain time
        after the last vote's intended time anyway, so the run ends and the refusals are
        reported."""
        revealers = [p for p in self.clients if p.spec.reveal_after]
        if not revealers:
            return
        wait = (plan.reveal_ref_ns + plan.drain_s * 0.5e9 - time.monotonic_ns()) / 1e9
        end = time.monotonic() + max(0.0, wait)
        while time.monotonic() < end and any(p.vote_events < p.spec.reveal_after for p in revealers):
            await asyncio.sleep(0.05)
        for p in revealers:
            if p.vote_events < p.spec.reveal_after:
                self.stats.errors["reveal forced: votes missing"] += 1
                p.send_reveal()

    def _settled(self, p: Participant, plan: RunPlan) -> bool:
        if p.closed:
            return True
        if p.received < plan.expected_fanout.get(p.spec.room, 0) or p.votes_seen < p.votes_sent:
            return False
        if not p.floor and p.answered < p.sent:
            return False
        return not (plan.reveal_ref_ns and plan.reveal_room == p.spec.room and p.revealed_at is None)

    def _result(self, plan: RunPlan, cpu: float, wall: float) -> WorkerResult:
        stats = self.stats
        lost = 0
        missing_reveal = 0
        for p in self.clients:
            lost += max(0, plan.expected_fanout.get(p.spec.room, 0) - p.received)
            lost += max(0, p.votes_sent - p.votes_seen)
            if plan.reveal_ref_ns and plan.reveal_room == p.spec.room and p.revealed_at is None:
                missing_reveal += 1
        counts = {
            "clients": len(self.clients),
            "sent": sum(p.sent for p in self.clients),
            "answered": sum(p.answered for p in self.clients),
            "received": sum(p.received for p in self.clients),
            "expected": sum(plan.expected_fanout.get(p.spec.room, 0) for p in self.clients)
            + sum(p.votes_sent for p in self.clients),
            "lost": lost,
            "gaps": sum(p.gaps for p in self.clients),
            "frames": sum(p.frames for p in self.clients),
            "batches": sum(p.batches for p in self.clients),
            "bytes": sum(p.bytes for p in self.clients),
            "disconnects": stats.disconnects,
            "missing_reveal": missing_reveal,
            "unanswered": sum(max(0, p.sent - p.answered) for p in self.clients if not p.floor),
            "cpu_ms": int(cpu * 1000),
            "wall_ms": int(wall * 1000),
        }
        return WorkerResult(
            lat={k: v.tobytes() for k, v in stats.lat.items()},
            counts=counts,
            errors=dict(stats.errors),
            close_codes=dict(stats.close_codes),
            reveal_totals=dict(stats.reveal_totals),
        )

    async def join(self, joiners: list[Joiner], start_ns: int) -> list[dict[str, Any]]:
        """Each joiner connects at its intended time, waits for its welcome, and leaves; the
        latency runs from the intended connect time to the read that completed the welcome."""
        stats = Stats()

        async def one(j: Joiner, index: int) -> dict[str, Any]:
            intended = start_ns + j.at_ns
            delay = intended - time.monotonic_ns()
            if delay > 0:
                await asyncio.sleep(delay / 1e9)
            p = Participant(f"{self.wid}.j{index}", j.spec, stats)
            try:
                await p.connect()
            except Exception as exc:
                return {"error": repr(exc)}
            row: dict[str, Any] = {
                "latency_us": (p.welcome_at - intended) // 1000,
                "hello_us": (p.welcome_at - p.hello_at) // 1000,
                "bytes": p.welcome_bytes,
            }
            if p.welcome is not None:
                row["kind"] = "events" if "events" in p.welcome else "state"
                row["events"] = len(p.welcome.get("events", []))  # type: ignore[arg-type]
                state = p.welcome.get("state")
                row["notes"] = len(state["notes"]) if isinstance(state, dict) else None
            await p.close()
            return row

        return list(await asyncio.gather(*(one(j, i) for i, j in enumerate(joiners))))


def _cpu() -> float:
    t = os.times()
    return t.user + t.system


def _worker_main(wid: int, conn: Connection) -> None:
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    asyncio.run(Worker(wid, conn).serve())


class Harness:
    """The coordinator's handle on the worker processes (started once, reused by every
    scenario; stopped by `close`, or killed after a grace period)."""

    def __init__(self, workers: int) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.pipes: list[Connection] = []
        self.procs: list[multiprocessing.process.BaseProcess] = []
        for wid in range(workers):
            ours, theirs = ctx.Pipe()
            proc = ctx.Process(target=_worker_main, args=(wid, theirs), daemon=True, name=f"bench-worker-{wid}")
            proc.start()
            self.pipes.append(ours)
            self.procs.append(proc)

    @property
    def size(self) -> int:
        return len(self.pipes)

    def call(self, per_worker: list[tuple[Any, ...]], timeout: float = 300.0) -> list[Any]:
        for pipe, command in zip(self.pipes, per_worker):
            pipe.send(command)
        replies = []
        deadline = time.monotonic() + timeout
        for pipe in self.pipes:
            if not pipe.poll(max(0.0, deadline - time.monotonic())):
                raise TimeoutError(f"worker did not answer {per_worker[0][0]!r} within {timeout}s")
            reply = pipe.recv()
            if isinstance(reply, BaseException):
                raise reply
            replies.append(reply)
        return replies

    def place(self, specs: list[ClientSpec]) -> tuple[list[list[ClientSpec]], list[Placement]]:
        """Round-robin: every room's members are spread over every worker."""
        buckets: list[list[ClientSpec]] = [[] for _ in self.pipes]
        placement: list[Placement] = []
        for i, spec in enumerate(specs):
            w = i % self.size
            placement.append((w, len(buckets[w])))
            buckets[w].append(spec)
        return buckets, placement

    def connect(self, specs: list[ClientSpec], concurrency: int = 8,
                timeout: float = 300.0) -> tuple[list[Placement], list[tuple[str | None, int]]]:
        """Connect `specs`; placements index into each worker's list of clients (after those
        already connected). Raises if any client could not connect."""
        buckets, placement = self.place(specs)
        replies = self.call([("connect", b, concurrency) for b in buckets], timeout)
        failed = sum(r["failed"] for r in replies)
        if failed:
            raise RuntimeError(f"{failed} clients failed to connect: {[r['why'] for r in replies]}")
        tokens = [replies[w]["tokens"][i] for w, i in placement]
        return [(w, replies[w]["start"] + i) for w, i in placement], tokens

    def run(self, plans: list[RunPlan], start_ns: int, timeout: float) -> list[WorkerResult]:
        return self.call([("run", plan, start_ns) for plan in plans], timeout)

    def join(self, joiners: list[Joiner], start_ns: int, timeout: float) -> list[dict[str, Any]]:
        buckets: list[list[Joiner]] = [[] for _ in self.pipes]
        for i, j in enumerate(joiners):
            buckets[i % self.size].append(j)
        rows: list[dict[str, Any]] = []
        for reply in self.call([("join", b, start_ns) for b in buckets], timeout):
            rows.extend(reply)
        return rows

    def seqs(self) -> list[list[int]]:
        return self.call([("seqs",)] * self.size, 30)

    def close_clients(self) -> None:
        self.call([("close",)] * self.size, 120)

    def close(self) -> None:
        try:
            self.call([("exit",)] * self.size, 60)
        except Exception:
            pass
        for proc in self.procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.terminate()
                proc.join(timeout=5)
