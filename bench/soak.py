"""`python -m bench.soak`: a long run of one workshop room on Redis, with people coming and going.

    python -m bench.soak                      # 300 clients, 30 minutes, two processes (issue 15)
    python -m bench.soak --minutes 3          # a short run of the same
    python -m bench.soak --processes 1 --write-doc

What it does: `--clients` participants in one room, spread over `--processes` Tavla processes on
one `redis-server`; every fifth one owns a note and updates it, `--rate` updates per second in
all, each stamped with its send time and the sender's running number (`k=<sender>.<n>`). Every
client drops its connection at a random moment every 30–60 s, half of the time with a clean
close and half by resetting the TCP connection without a word, and comes straight back with
`since` (a resume). Halfway through, the last process is restarted (SIGTERM, start again on its
port); its clients resume on another process (or, with one process, wait for it).

What it reports, once a minute: each server process's RSS, open connections (`tavla_connections`
from /metrics) and open file descriptors (/proc); welcomes by kind and reason (the server's
`tavla_welcomes_total`) and resumes by what the client got (events or a state); notes lost or
applied twice (every client checks each sender's numbers arrive as n+1, through live events
and replays alike, and seq stays gap-free); fan-out latency p99 (send to receipt at every
client, live events only). At the end every client settles at the same seq, a fresh client reads
the board, and each writer's last acknowledged update must be what it shows.

Exits 1 when anything was lost, applied twice, refused, a seq gap appeared or a resume got a state
(the log keeps 10,000 events; a client here misses a handful); never because of a timing. Not part of CI (it runs for half an hour); `--minutes 1` is a smoke run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import re
import sys
import time
from array import array
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import httpx
import msgspec

from tests.support.servers import RedisServer, stop_process

from .scenarios import summarise
from .servers import BENCH_ENV, BenchTavla, cpu_seconds, has_redis, rss_bytes
from .wsclient import WsClient

DOC = Path(__file__).resolve().parent.parent / "docs" / "performance.md"
BEGIN, END = "<!-- soak:results:begin -->", "<!-- soak:results:end -->"
PAD = "x" * 40
WRITER_EVERY = 5  # every fifth client owns a note and writes
_decode = msgspec.json.decode


# -- one worker process: many clients ------------------------------------------------------


@dataclass
class WorkerPlan:
    """What one load-generator process runs; picklable."""

    wid: int
    ports: list[int]
    path: str
    indices: list[int]  # the global client numbers this worker plays
    rate: float  # updates per second, all writers together
    writers: int
    reconnect_s: tuple[float, float]
    seed: int


@dataclass
class Minute:
    """What the clients of one worker saw since the last report."""

    resumes: Counter[str] = field(default_factory=Counter)  # events | state | first
    drops: Counter[str] = field(default_factory=Counter)  # clean | abort | server:<code>
    errors: Counter[str] = field(default_factory=Counter)
    lost: int = 0
    duplicated: int = 0
    gaps: int = 0
    sent: int = 0
    skipped: int = 0  # an update due while its writer was reconnecting (not sent)
    resent: int = 0
    connect_failures: int = 0
    replayed_events: int = 0
    latency: array[int] = field(default_factory=lambda: array("q"))


class SoakClient:
    """One participant that keeps coming back. Its board is reduced to what the checks need: its
    seq, and for every writer the number of that writer's last update it has seen."""

    def __init__(self, worker: SoakWorker, index: int) -> None:
        self.worker = worker
        self.index = index
        self.key = str(index)
        self.writer = index % WRITER_EVERY == 0
        self.note = f"n{index}"
        plan = worker.plan
        self.ports = plan.ports[index % len(plan.ports):] + plan.ports[: index % len(plan.ports)]  # home first
        self.rng = random.Random(plan.seed * 100_003 + index)
        self.token: str | None = None
        self.seq = 0
        self.ws: WsClient | None = None
        self.welcomed: asyncio.Future[None] | None = None
        self.last_seen: dict[str, int] = {}  # writer -> number of its last update seen
        self.n = 0  # my updates sent
        self.pending: tuple[str, bytes, str] | None = None  # op id, frame, text (an update in flight)
        self.acked_text: str | None = None  # text of my last acknowledged update
        self.note_made = False
        self.closed_by_server: asyncio.Event = asyncio.Event()
        self.generation = 0  # connections so far: a close of an older one is not news
        self.leaving = False  # we are dropping the connection ourselves

    # -- connection life ---------------------------------------------------------------------

    async def live(self) -> None:
        """Connect, stay 30–60 s, drop (cleanly or not), come back; until the worker stops."""
        lo, hi = self.worker.plan.reconnect_s
        while not self.worker.stopping:  # connected (by `SoakWorker.start` the first time)
            stay = self.rng.uniform(lo, hi)
            try:
                await asyncio.wait_for(self.closed_by_server.wait(), stay)
            except asyncio.TimeoutError:
                pass
            if self.worker.stopping:
                return
            if self.closed_by_server.is_set():
                await asyncio.sleep(self.rng.uniform(0.0, 0.5))  # a restart: come back soon, not all at once
                await self.connect()
                continue
            assert self.ws is not None
            self.leaving = True
            try:
                if self.rng.random() < 0.5:
                    self.worker.minute.drops["clean"] += 1
                    await self.ws.close()
                else:
                    self.worker.minute.drops["abort"] += 1
                    self.ws.abort()
                    await asyncio.wait_for(asyncio.shield(self.ws.closed), 5)
            finally:
                self.leaving = False
            await self.connect()

    async def connect(self) -> None:
        """Try the home process first, then the others, until one welcomes us."""
        attempt = 0
        self.closed_by_server.clear()
        while True:
            port = self.ports[attempt % len(self.ports)]
            attempt += 1
            self.generation += 1
            generation = self.generation
            self.welcomed = welcomed = asyncio.get_running_loop().create_future()
            try:
                self.ws = await WsClient.connect(
                    "127.0.0.1", port, self.worker.plan.path,
                    lambda payload, now: self._on_text(generation, payload, now),
                    lambda code, reason: self._on_close(generation, welcomed, code, reason), timeout=15)
                hello: dict[str, Any] = {"type": "hello", "protocol": 1, "name": f"S{self.index}",
                                         "department": "Soak", "token": self.token, "batch": True,
                                         "since": self.seq if self.token else None}
                self.ws.send_text(msgspec.json.encode(hello))
                await asyncio.wait_for(asyncio.shield(welcomed), 30)
                break
            except Exception as exc:  # refused (process down), closed before welcome, timeout
                self.worker.minute.connect_failures += 1
                if self.ws is not None:
                    self.ws.abort()
                if attempt > 200:
                    raise RuntimeError(f"client {self.index} could not reconnect: {exc!r}") from exc
                await asyncio.sleep(min(2.0, 0.1 * attempt) * self.rng.uniform(0.5, 1.0))
        if self.pending is not None:  # in flight when the connection went: same op id again
            self.worker.minute.resent += 1
            self.ws.send_text(self.pending[1])
        if self.writer and not self.note_made and self.pending is None:
            text = f"bench t=0 k={self.key}.0 {PAD}"
            frame = msgspec.json.encode({"type": "op", "id": f"c{self.index}", "op": "note.create", "args": {
                "id": self.note, "text": text, "color": "yellow",
                "x": self.rng.randint(0, 3800), "y": self.rng.randint(0, 2800)}})
            self.pending = (f"c{self.index}", frame, text)
            self.ws.send_text(frame)

    def _on_close(self, generation: int, welcomed: asyncio.Future[None], code: int | None, reason: str) -> None:
        if not welcomed.done():
            welcomed.set_exception(ConnectionError(f"closed before welcome: {code} {reason}"))
            welcomed.exception()  # retrieved: `connect` sees it through the shield's own future
            return
        if generation != self.generation or self.leaving or self.worker.stopping:
            return  # a connection we dropped ourselves
        self.worker.minute.drops[f"server:{code}"] += 1
        self.closed_by_server.set()

    # -- writing -----------------------------------------------------------------------------

    def update(self) -> None:
        """One note.update, unless the writer is between connections or still waiting for its
        previous answer (then skipped: the soak measures a steady rate, not a backlog)."""
        ws = self.ws
        if ws is None or not ws.is_open or self.welcomed is None or not self.welcomed.done() \
                or self.pending is not None or not self.note_made:
            self.worker.minute.skipped += 1
            return
        self.n += 1
        text = f"bench t={time.monotonic_ns()} k={self.key}.{self.n} {PAD}"
        op_id = f"u{self.index}.{self.n}"
        frame = msgspec.json.encode({"type": "op", "id": op_id, "op": "note.update",
                                     "args": {"id": self.note, "text": text}})
        self.pending = (op_id, frame, text)
        self.worker.minute.sent += 1
        ws.send_text(frame)

    # -- receiving ---------------------------------------------------------------------------

    def _on_text(self, generation: int, payload: bytes, now: int) -> None:
        if generation != self.generation:
            # A connection we already left (its close still under way): what it carries, the
            # replay on the new one carries too. A real client drops it the same way.
            return
        message = _decode(payload)
        for frame in message if isinstance(message, list) else [message]:
            self._frame(frame, now)

    def _frame(self, frame: dict[str, Any], now: int) -> None:
        kind = frame.get("type")
        m = self.worker.minute
        if kind == "event":
            self._event(frame, now, live=True)
        elif kind == "welcome":
            first = self.token is None
            self.token = frame["you"]["token"]
            if "state" in frame:
                m.resumes["first" if first else "state"] += 1
                self.seq = frame["seq"]
                self.last_seen = {}
                for note in frame["state"]["notes"]:
                    self._saw_text(note["text"], count=False)
                    if note["id"] == self.note:
                        self.note_made = True
            else:
                m.resumes["events"] += 1
                m.replayed_events += len(frame["events"])
                for event in frame["events"]:
                    self._event(event, now, live=False)
                if self.seq != frame["seq"]:
                    m.gaps += 1
                    self.seq = frame["seq"]
            if self.welcomed is not None and not self.welcomed.done():
                self.welcomed.set_result(None)
        elif kind == "ack":
            if self.pending is not None and frame.get("id") == self.pending[0]:
                if self.pending[0].startswith("c"):
                    self.note_made = True
                else:
                    self.acked_text = self.pending[2]
                self.pending = None
        elif kind == "error":
            m.errors[str(frame.get("code"))] += 1
            if self.pending is not None and frame.get("id") == self.pending[0]:
                self.pending = None

    def _event(self, event: dict[str, Any], now: int, live: bool) -> None:
        m = self.worker.minute
        if event["seq"] != self.seq + 1:
            m.gaps += 1
        self.seq = event["seq"]
        if event["op"] in ("note.update", "note.create"):
            text = event["data"].get("text")
            if isinstance(text, str):
                sent = self._saw_text(text, count=True)
                if live and sent:
                    m.latency.append((now - sent) // 1000)

    def _saw_text(self, text: str, count: bool) -> int:
        """Check the sender's number against the last one seen; the send time, or 0."""
        match = _STAMP.match(text)
        if match is None:
            return 0
        sent, sender, n = int(match[1]), match[2], int(match[3])
        last = self.last_seen.get(sender)
        if count and last is not None:
            if n <= last:
                self.worker.minute.duplicated += 1
            elif n > last + 1:
                self.worker.minute.lost += n - last - 1
        self.last_seen[sender] = max(n, last or 0)
        return sent


_STAMP = re.compile(r"bench t=(\d+) k=(\d+)\.(\d+) ")


class SoakWorker:
    def __init__(self, plan: WorkerPlan, conn: Connection) -> None:
        self.plan, self.conn = plan, conn
        self.minute = Minute()
        self.stopping = False
        self.clients = [SoakClient(self, i) for i in plan.indices]
        self.tasks: list[asyncio.Task[None]] = []

    async def serve(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            command, *args = await loop.run_in_executor(None, self.conn.recv)
            try:
                reply = await getattr(self, command)(*args)
            except Exception as exc:
                reply = exc
            self.conn.send(reply)
            if command == "exit":
                return

    async def start(self) -> int:
        """Connect everyone (a few at a time), then start coming and going, and writing."""
        gate = asyncio.Semaphore(8)

        async def first(c: SoakClient) -> None:
            async with gate:
                await c.connect()

        await asyncio.gather(*(first(c) for c in self.clients))
        self.tasks = [asyncio.create_task(c.live()) for c in self.clients]
        self.tasks.append(asyncio.create_task(self._write_forever()))
        return len(self.clients)

    async def _write_forever(self) -> None:
        """Every writer updates once per `writers / rate` seconds, at its own phase."""
        writers = [c for c in self.clients if c.writer]
        if not writers:
            return
        period = self.plan.writers / self.plan.rate
        t0 = time.monotonic()
        schedule = sorted((self.rng_phase(c) * period, i) for i, c in enumerate(writers))
        k = 0
        while not self.stopping:
            offset, i = schedule[k % len(schedule)]
            due = t0 + (k // len(schedule)) * period + offset
            delay = due - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            if self.stopping:
                return
            writers[i].update()
            k += 1

    def rng_phase(self, c: SoakClient) -> float:
        return random.Random(c.index).random()

    async def report(self) -> dict[str, Any]:
        m, self.minute = self.minute, Minute()
        return {"resumes": dict(m.resumes), "drops": dict(m.drops), "errors": dict(m.errors), "lost": m.lost,
                "duplicated": m.duplicated, "gaps": m.gaps, "sent": m.sent, "skipped": m.skipped,
                "resent": m.resent, "connect_failures": m.connect_failures,
                "replayed_events": m.replayed_events, "latency": m.latency.tobytes()}

    async def stop(self) -> None:
        """Stop coming and going and writing; everyone reconnected and answered."""
        self.stopping = True
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        for c in self.clients:  # anyone caught between connections comes back once more
            w = c.welcomed
            if c.ws is None or not c.ws.is_open or w is None or not w.done() or w.exception() is not None:
                if c.ws is not None:
                    c.ws.abort()  # one connection per client, never two
                await c.connect()
        deadline = time.monotonic() + 180  # answers take seconds on a loaded machine
        while any(c.pending is not None for c in self.clients) and time.monotonic() < deadline:
            await asyncio.sleep(0.1)

    async def seqs(self) -> list[int]:
        return [c.seq for c in self.clients]

    async def final(self) -> dict[str, Any]:
        return {
            "acked": {c.note: c.acked_text for c in self.clients if c.writer},
            "made": sum(1 for c in self.clients if c.writer and c.note_made),
            "pending": sum(1 for c in self.clients if c.pending is not None),
        }

    async def exit(self) -> None:
        await asyncio.gather(*(c.ws.close() for c in self.clients if c.ws is not None), return_exceptions=True)


def _worker_main(plan: WorkerPlan, conn: Connection) -> None:
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    asyncio.run(SoakWorker(plan, conn).serve())


class Pool:
    """The worker processes and a call that waits for all of their answers."""

    def __init__(self, plans: list[WorkerPlan]) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.pipes: list[Connection] = []
        self.procs: list[multiprocessing.process.BaseProcess] = []
        for plan in plans:
            ours, theirs = ctx.Pipe()
            proc = ctx.Process(target=_worker_main, args=(plan, theirs), daemon=True, name=f"soak-worker-{plan.wid}")
            proc.start()
            self.pipes.append(ours)
            self.procs.append(proc)

    def call(self, command: str, timeout: float = 300.0) -> list[Any]:
        for pipe in self.pipes:
            pipe.send((command,))
        replies = []
        deadline = time.monotonic() + timeout
        for pipe in self.pipes:
            if not pipe.poll(max(0.0, deadline - time.monotonic())):
                raise TimeoutError(f"a worker did not answer {command!r} within {timeout}s")
            reply = pipe.recv()
            if isinstance(reply, BaseException):
                raise reply
            replies.append(reply)
        return replies

    def close(self) -> None:
        try:
            self.call("exit", 60)
        except Exception:
            pass
        for proc in self.procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.terminate()


# -- the coordinator -----------------------------------------------------------------------


_SAMPLE = re.compile(r'^(tavla_connections|tavla_welcomes_total)(?:\{kind="(\w+)",reason="(\w+)"\}|\{transport="websocket"\})? ([0-9.e+]+)$')
_APPEND = re.compile(r'^tavla_store_seconds_(sum|count)\{call="append"\} ([0-9.e+]+)$')


def scrape(server: BenchTavla) -> dict[str, float]:
    """tavla_connections and each tavla_welcomes_total{kind,reason} of one process."""
    found: dict[str, float] = {}
    try:
        text = httpx.get(f"{server.http}/metrics", timeout=5).text
    except httpx.HTTPError:
        return found
    for line in text.splitlines():
        match = _SAMPLE.match(line)
        if match:
            name = match[1] if match[2] is None else f"{match[2]}:{match[3]}"
            found[name] = float(match[4])
        elif append := _APPEND.match(line):
            found[f"append_{append[1]}"] = float(append[2])
    return found


def open_fds(pid: int) -> int:
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return 0


class Watch:
    """Per-minute deltas of each process's welcome counters (a restarted process starts at 0)."""

    def __init__(self) -> None:
        self.seen: dict[tuple[int, int], dict[str, float]] = {}

    def delta(self, slot: int, pid: int, now: dict[str, float]) -> dict[str, float]:
        before = self.seen.get((slot, pid), {})
        self.seen[(slot, pid)] = now
        return {k: v - before.get(k, 0.0) for k, v in now.items() if k != "tavla_connections"}


def run(args: argparse.Namespace) -> dict[str, Any]:
    redis = RedisServer().start()
    servers = [BenchTavla(redis.url, **BENCH_ENV).start() for _ in range(args.processes)]
    pool: Pool | None = None
    rows: list[dict[str, Any]] = []
    began = time.monotonic()
    try:
        room = servers[0].create_room(title="Soak", phase="write")
        code = room["code"]
        path = f"/r/{code}/ws"
        ports = [s.port for s in servers]
        writers = len([i for i in range(args.clients) if i % WRITER_EVERY == 0])
        plans = [WorkerPlan(w, ports, path, [i for i in range(args.clients) if i % args.workers == w], args.rate,
                            writers, (args.reconnect_min, args.reconnect_max), args.seed)
                 for w in range(args.workers)]
        pool = Pool(plans)
        connected = sum(pool.call("start", 600))
        print(f"[{time.monotonic() - began:6.1f}s] {connected} clients in room {code} on {len(servers)} "
              f"process(es), {writers} writers, {args.rate} updates/s", file=sys.stderr, flush=True)
        pool.call("report")  # the warm-up is not part of minute 1
        watch = Watch()
        for slot, server in enumerate(servers):
            pid = server.proc.pid  # type: ignore[union-attr]
            watch.delta(slot, pid, {**scrape(server), "cpu_s": cpu_seconds(pid)})
        restart_at = args.minutes / 2 if args.restart else None
        restarted = False
        start = time.monotonic()
        for minute in range(1, args.minutes + 1):
            end = start + minute * 60
            while time.monotonic() < end:
                if restart_at is not None and not restarted and time.monotonic() >= start + restart_at * 60:
                    restarted = True
                    victim = servers[-1]
                    print(f"[{time.monotonic() - began:6.1f}s] restarting process {len(servers)} "
                          f"(port {victim.port})", file=sys.stderr, flush=True)
                    stop_process(victim.proc)  # SIGTERM: its sockets close with 1012
                    victim.start()  # the same port
                time.sleep(min(1.0, max(0.0, end - time.monotonic())))
            rows.append(_minute_row(minute, pool, servers, watch, restarted and not any(r.get("restart") for r in rows)))
            print(_row_text(rows[-1]), file=sys.stderr, flush=True)
        pool.call("stop", 300)
        final = _settle_and_check(pool, servers[0], code)
        tail = pool.call("report")
        final["lost"] += sum(t["lost"] for t in tail)
        final["duplicated"] += sum(t["duplicated"] for t in tail)
        final["gaps"] += sum(t["gaps"] for t in tail)
    finally:
        if pool is not None:
            pool.close()
        for server in servers:
            server.stop()
        redis.stop()
    totals = {k: sum(r[k] for r in rows) for k in ("lost", "duplicated", "gaps", "errors")}
    # A resume answered with a state although the log reaches back (it keeps 10,000 events; a
    # client here misses a handful): issue 15.
    totals["states"] = sum(r["resumes"].get("state", 0) for r in rows)
    return {"rows": rows, "final": final, "totals": totals, "elapsed_s": round(time.monotonic() - began, 1)}


def _minute_row(minute: int, pool: Pool, servers: list[BenchTavla], watch: Watch, restart: bool) -> dict[str, Any]:
    replies = pool.call("report")
    latency: array[int] = array("q")
    resumes: Counter[str] = Counter()
    drops: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    for r in replies:
        latency.frombytes(r["latency"])
        resumes.update(r["resumes"])
        drops.update(r["drops"])
        errors.update(r["errors"])
    welcomes: Counter[str] = Counter()
    procs = []
    for slot, server in enumerate(servers):
        pid = server.proc.pid if server.proc is not None else 0
        metrics = scrape(server)
        if pid and os.path.exists(f"/proc/{pid}"):
            metrics["cpu_s"] = cpu_seconds(pid)
        change = watch.delta(slot, pid, metrics)
        for k, v in change.items():
            if k.startswith(("state:", "events:")):
                welcomes[k] += int(v)
        appends = change.get("append_count", 0)
        procs.append({"rss_mib": round(rss_bytes(pid) / 2**20, 1) if pid and os.path.exists(f"/proc/{pid}") else None,
                      "connections": int(metrics.get("tavla_connections", -1)), "fds": open_fds(pid),
                      "cpu_s": round(change.get("cpu_s", 0.0), 1),
                      "append_ms": round(change.get("append_sum", 0.0) / appends * 1000, 1) if appends else None})
    with open("/proc/loadavg") as f:
        load = float(f.read().split()[0])
    return {
        "minute": minute, "restart": restart, "processes": procs,
        "welcomes": dict(sorted((k, v) for k, v in welcomes.items() if v)),
        "resumes": dict(resumes), "drops": dict(drops), "errors": sum(errors.values()), "error_codes": dict(errors),
        "lost": sum(r["lost"] for r in replies), "duplicated": sum(r["duplicated"] for r in replies),
        "gaps": sum(r["gaps"] for r in replies), "sent": sum(r["sent"] for r in replies),
        "skipped": sum(r["skipped"] for r in replies), "resent": sum(r["resent"] for r in replies),
        "connect_failures": sum(r["connect_failures"] for r in replies),
        "replayed_events": sum(r["replayed_events"] for r in replies),
        "fanout": summarise(latency), "load1": load,
    }


def _settle_and_check(pool: Pool, server: BenchTavla, code: str) -> dict[str, Any]:
    """Every client at the same seq; a fresh client's board shows each writer's last acked update."""
    deadline = time.monotonic() + 60
    while True:
        seqs = [s for reply in pool.call("seqs") for s in reply]
        if len(set(seqs)) == 1 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    finals = pool.call("final")
    acked: dict[str, str | None] = {}
    for f in finals:
        acked.update(f["acked"])
    from websockets.sync.client import connect

    with connect(f"{server.ws}/r/{code}/ws", max_size=2**24) as ws:
        ws.send(json.dumps({"type": "hello", "protocol": 1, "name": "Checker"}))
        while (welcome := json.loads(ws.recv(timeout=30)))["type"] != "welcome":
            pass
    notes = welcome["state"]["notes"]
    ids = [n["id"] for n in notes]
    board = {n["id"]: n["text"] for n in notes}
    def number(text: str | None) -> int:
        match = _STAMP.match(text or "")
        return int(match[3]) if match else -1

    # A later update than the last acknowledged one may be on the board (its answer was still on
    # the way when the run ended); an earlier one means an acknowledged update was lost.
    lost_acked = sorted(note for note, text in acked.items() if text is not None and number(board.get(note)) < number(text))
    return {
        "clients_at_one_seq": len(set(seqs)) == 1, "head": max(seqs), "notes": len(ids),
        "duplicate_note_ids": len(ids) - len(set(ids)), "writers": len(acked),
        "notes_made": sum(f["made"] for f in finals), "unanswered": sum(f["pending"] for f in finals),
        "acked_update_missing": len(lost_acked), "lost": len(lost_acked), "duplicated": len(ids) - len(set(ids)),
        "gaps": 0,
    }


def _row_text(r: dict[str, Any]) -> str:
    procs = "  ".join(f"RSS {p['rss_mib']} MiB conns {p['connections']} fds {p['fds']} "
                      f"cpu {p.get('cpu_s')} s append {p.get('append_ms')} ms" for p in r["processes"])
    f = r["fanout"]
    return (f"minute {r['minute']:3d}{' (restart)' if r['restart'] else ''}: {procs}; welcomes {r['welcomes']}; "
            f"client resumes {r['resumes']}; drops {r['drops']}; lost {r['lost']} dup {r['duplicated']} "
            f"gaps {r['gaps']} errors {r['errors']}; sent {r['sent']}; fan-out p99 {f.get('p99')} ms "
            f"(n={f.get('n')}); load {r['load1']}")


def markdown(result: dict[str, Any], meta: dict[str, Any]) -> str:
    rows = result["rows"]
    n = len(rows[0]["processes"]) if rows else 0
    per = ["RSS MiB", "conns", "fds", "CPU s", "append ms"]
    head = ["minute"] + [f"p{i + 1} {what}" for i in range(n) for what in per] + [
        "server: replays", "server: states (reason)", "clients: resumed by events / state", "lost", "dup",
        "gaps", "errors", "updates sent", "fan-out p99 ms", "load avg"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---:|" * len(head)]
    for r in rows:
        cells = [f"{r['minute']}{' ↻' if r['restart'] else ''}"]
        for p in r["processes"]:
            cells += [str(p["rss_mib"]), str(p["connections"]), str(p["fds"]), str(p.get("cpu_s", "–")),
                      str(p.get("append_ms") or "–")]
        w = r["welcomes"]
        states = {k.split(":")[1]: v for k, v in w.items() if k.startswith("state:")}
        c = r["resumes"]
        cells += [str(w.get("events:replay", 0)), ", ".join(f"{v} {k}" for k, v in states.items()) or "0",
                  f"{c.get('events', 0)} / {c.get('state', 0)}",
                  str(r["lost"]), str(r["duplicated"]), str(r["gaps"]), str(r["errors"]), str(r["sent"]),
                  str(r["fanout"].get("p99", "–")), f"{r['load1']:.1f}"]
        lines.append("| " + " | ".join(cells) + " |")
    fin = result["final"]
    lines.append("")
    lines.append(f"End: every client at one seq: {'yes' if fin['clients_at_one_seq'] else '**no**'} "
                 f"(head {fin['head']:,}); the board holds {fin['notes']} notes for {fin['writers']} writers, "
                 f"{fin['duplicate_note_ids']} duplicated; acknowledged updates missing from it: "
                 f"{fin['acked_update_missing']}; ops never answered: {fin['unanswered']}.")
    return "\n".join(lines)


def write_doc(table: str, meta: dict[str, Any]) -> None:
    text = DOC.read_text()
    block = (f"{BEGIN}\n_Generated by `{meta['command']}` on {time.strftime('%Y-%m-%d %H:%M')} "
             f"({meta['elapsed_s']:.0f} s in all)._\n\n{table}\n{END}")
    if BEGIN in text:
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        DOC.write_text(head + block + tail)
    else:
        DOC.write_text(text.rstrip("\n") + "\n\n" + block + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=int, default=30)
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--processes", type=int, default=2, choices=(1, 2))
    parser.add_argument("--rate", type=float, default=20.0, help="note updates per second, all writers together")
    parser.add_argument("--reconnect-min", type=float, default=30.0)
    parser.add_argument("--reconnect-max", type=float, default=60.0)
    parser.add_argument("--no-restart", dest="restart", action="store_false", help="do not restart a process midway")
    parser.add_argument("--workers", type=int, default=2, help="load-generator processes")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default="bench/results/soak.json")
    parser.add_argument("--write-doc", action="store_true", help="replace the soak block of docs/performance.md")
    parser.add_argument("--server-root", type=Path, default=None,
                        help="run Tavla from this checkout instead (for a before/after comparison)")
    args = parser.parse_args(argv)
    if args.server_root is not None:
        BenchTavla.root = args.server_root.resolve()
    if not has_redis():
        print("redis-server not found: install it with `apt-get install -y redis-server`", file=sys.stderr)
        return 2
    result = run(args)
    meta = {"command": "python -m bench.soak " + " ".join(argv if argv is not None else sys.argv[1:]),
            "elapsed_s": result["elapsed_s"], "nproc": os.cpu_count()}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"meta": meta, **result}, indent=1, default=str))
    table = markdown(result, meta)
    print(table)
    fin = result["final"]
    bad = (result["totals"]["lost"] + result["totals"]["duplicated"] + result["totals"]["gaps"]
           + result["totals"]["errors"] + result["totals"]["states"] + fin["lost"] + fin["duplicated"]
           + fin["gaps"] + fin["unanswered"]
           + (0 if fin["clients_at_one_seq"] else 1))
    print(f"\nproblems: {bad}   json: {out}", file=sys.stderr)
    if args.write_doc:
        write_doc(table, meta)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
