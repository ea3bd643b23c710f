"""One simulated participant: a `WsClient` plus what the benchmark needs to know about what it
received (latency samples, counts, seq gaps, vote totals), for Tavla or for the floor.

Every timed frame carries `bench t=<intended send time, monotonic ns> k=<sender key>` in a
string (a note's text for Tavla; the same text in the floor's frames). The receiver takes the
time the read that completed the frame came off the socket, so latency is measured from when
the frame *should* have been sent: a late generator or a slow server is never flattered.
`time.monotonic_ns` is CLOCK_MONOTONIC, one clock for every process on the machine.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import random
import time
from array import array
from collections import Counter, deque
from dataclasses import dataclass

import msgspec

from .sseclient import SseClient
from .wsclient import WsClient

MARK = b"bench t="
PAD = "x" * 40  # brings a note text to ~80 characters, a typical sticky note


@dataclass
class ClientSpec:
    """Who to be and where to connect; picklable, built by the scenarios."""

    port: int
    path: str
    room: str
    floor: bool
    name: str = "P"
    key: str | None = None
    token: str | None = None
    since: int | None = None
    note: str | None = None  # create this note after the welcome (a sender needs its own)
    reveal_after: int = 0  # revealer: reveal after this many vote events in the run
    transport: str = "websocket"  # or "sse": the HTTP fallback (bench/sseclient.py)


class Stats:
    """What one worker process collects over a run, shared by its clients."""

    def __init__(self) -> None:
        self.lat: dict[str, array[int]] = {}
        self.errors: Counter[str] = Counter()
        self.close_codes: Counter[str] = Counter()
        self.disconnects = 0
        self.reveal_totals: Counter[str] = Counter()

    def sample(self, metric: str, micros: int) -> None:
        samples = self.lat.get(metric)
        if samples is None:
            samples = self.lat[metric] = array("q")
        samples.append(micros)


class _Frame(msgspec.Struct):
    type: str
    seq: int = 0
    op: str = ""
    id: str | None = None
    code: str = ""
    data: msgspec.Raw = msgspec.Raw(b"null")


class _Totals(msgspec.Struct):
    totals: dict[str, int]


_frame = msgspec.json.Decoder(_Frame)
_totals = msgspec.json.Decoder(_Totals)
_json = msgspec.json.Decoder()
_batch = msgspec.json.Decoder(list[msgspec.Raw])
# Tavla's clients take batches, as the browser does; `--no-batch` measures without them (set
# through the environment so that the load-generator processes see it too).
BATCH = os.environ.get("BENCH_NO_BATCH") != "1"
_nonce = itertools.count(1)


class Participant:
    """A participant over one socket. `counting` is on during a scenario's measured run."""

    def __init__(self, key: str, spec: ClientSpec, stats: Stats) -> None:
        self.key, self.spec, self.stats = key, spec, stats
        self.floor = spec.floor
        self.ws: WsClient | SseClient | None = None
        self.counting = False
        self.closing = False
        self.closed = False
        self.token = spec.token
        self.seq = 0
        self.gaps = 0
        self.frames = 0
        self.batches = 0  # messages that held several frames
        self.bytes = 0
        self.seen = 0  # frames since connecting, counted or not (for error reports)
        self.last = b""
        self.received = 0  # timed fan-out frames (note updates)
        self.sent = 0
        self.answered = 0
        self.votes_sent = 0
        self.votes_seen = 0
        self.vote_events = 0  # every vote event (or placeholder) seen: the revealer's trigger
        self.revealed_at: int | None = None
        self.reveal_sent = False
        self.reveal_ref = 0
        self.pending_votes: deque[int] = deque()
        self.welcome: dict[str, object] | None = None
        self.welcome_at = 0
        self.welcome_bytes = 0
        self._waiting: dict[str, asyncio.Future[dict[str, object]]] = {}
        self._welcomed: asyncio.Future[None] | None = None
        self._ops = itertools.count(1)
        # Op ids are unique per participant, across its connections: a second setup session
        # with the same token that restarted at "s1" would be answered as retries (acked,
        # nothing appended), which is Tavla's idempotency working, not what we want here.
        self._session = random.randbytes(4).hex()

    # -- connecting ----------------------------------------------------------------------

    async def connect(self, timeout: float = 30.0) -> None:
        """Connect, say hello, wait for the welcome (Tavla) or the echo of the hello (floor)."""
        loop = asyncio.get_running_loop()
        self._welcomed = loop.create_future()
        client = SseClient if self.spec.transport == "sse" else WsClient
        self.ws = await client.connect("127.0.0.1", self.spec.port, self.spec.path, self._on_text,
                                       self._on_close, timeout)
        self.fanout_metric = "fanout_sse" if self.spec.transport == "sse" else "fanout"
        self.hello_at = time.monotonic_ns()
        if self.floor:
            self.ws.send_text(f'{{"type":"hello","protocol":1,"name":"{self.spec.name}","nonce":"{self.key}.{next(_nonce)}"}}')
        else:
            self.ws.send_text(msgspec.json.encode({
                "type": "hello", "protocol": 1, "name": self.spec.name, "department": "Bench",
                "token": self.token, "key": self.spec.key, "since": self.spec.since,
                "batch": BATCH}))
        await asyncio.wait_for(asyncio.shield(self._welcomed), timeout)
        if self.spec.note and not self.floor:
            answer = await self.op("note.create", {"id": self.spec.note, "text": "bench note " + PAD,
                                                   "color": "yellow", "x": random.randint(0, 3800),
                                                   "y": random.randint(0, 2800)}, timeout)
            if answer.get("type") != "ack":
                raise RuntimeError(f"note.create refused: {answer}")

    async def op(self, op: str, args: dict[str, object], timeout: float = 30.0) -> dict[str, object]:
        """One op, waiting for its ack or error (setup only; the run never waits)."""
        assert self.ws is not None
        if not self.ws.is_open:
            raise ConnectionError(f"closed: {self.ws.close_code} {self.ws.close_reason}")
        op_id = f"s{self._session}.{next(self._ops)}"
        future = asyncio.get_running_loop().create_future()
        self._waiting[op_id] = future
        self.ws.send_text(msgspec.json.encode({"type": "op", "id": op_id, "op": op, "args": args}))
        return await asyncio.wait_for(future, timeout)

    async def close(self) -> None:
        self.closing = True
        if self.ws is not None:
            await self.ws.close()

    # -- sending during a run ------------------------------------------------------------

    def send_update(self, intended: int) -> None:
        """A note.update whose text carries the intended send time (fan-out to the room)."""
        n = next(self._ops)
        text = f"bench t={intended} k={self.key}.{n} {PAD}"
        if self.floor:
            frame = (f'{{"type":"op","id":"u{n}","op":"note.update","by":"p_00000000000000000000",'
                     f'"at":{intended // 1_000_000},"args":{{"id":"{self.spec.note}","text":"{text}"}}}}')
        else:
            frame = f'{{"type":"op","id":"u{n}","op":"note.update","args":{{"id":"{self.spec.note}","text":"{text}"}}}}'
        self._send(frame)

    def send_vote(self, intended: int, target: str) -> None:
        """A vote.cast; its latency is measured on the voter's own event (others get a
        placeholder in Tavla, so only the voter can time it; the floor does the same)."""
        n = next(self._ops)
        self.votes_sent += 1
        if self.floor:
            frame = (f'{{"type":"op","id":"v{n}","op":"vote.cast",'
                     f'"args":{{"target":"{target}","bench":"bench t={intended} k={self.key}.{n} "}}}}')
        else:
            self.pending_votes.append(intended)
            frame = f'{{"type":"op","id":"v{n}","op":"vote.cast","args":{{"target":"{target}"}}}}'
        self._send(frame)

    def send_reveal(self) -> None:
        if not self.reveal_sent:
            self.reveal_sent = True
            self._send('{"type":"op","id":"reveal","op":"votes.reveal","args":{}}')

    def _send(self, frame: str) -> None:
        if self.ws is None or not self.ws.is_open:
            self.stats.errors["send on closed socket"] += 1
            return
        self.sent += 1
        self.ws.send_text(frame)

    # -- receiving -----------------------------------------------------------------------

    def _on_close(self, code: int | None, reason: str) -> None:
        self.closed = True
        if not self.closing:
            self.stats.disconnects += 1
            self.stats.close_codes[f"{code} {reason}".strip()] += 1
        if self._welcomed is not None and not self._welcomed.done():
            self._welcomed.set_exception(ConnectionError(f"closed before welcome: {code} {reason}"))
        for waiting in self._waiting.values():
            if not waiting.done():
                waiting.set_exception(ConnectionError(f"closed before the answer: {code} {reason}"))
        self._waiting.clear()

    def _on_text(self, payload: bytes, now: int) -> None:
        self.seen += 1
        self.last = payload
        if self.counting:
            self.frames += 1
            self.bytes += len(payload)
        if self.floor:
            self._floor_frame(payload, now)
        else:
            self._tavla_frame(payload, now)

    def _timed(self, payload: bytes, now: int, metric: str) -> int:
        k = payload.find(MARK)
        end = payload.index(b" ", k + 8)
        intended = int(payload[k + 8 : end])
        if self.counting:
            self.stats.sample(metric, (now - intended) // 1000)
        return end

    def _tavla_frame(self, payload: bytes, now: int) -> None:
        if payload[:1] == b"[":  # a batch: the frames that waited together, each as if alone
            frames = _batch.decode(payload)
            if self.counting:
                self.frames += len(frames) - 1  # deliveries are frames, not messages
                self.batches += 1
            for raw in frames:
                self._tavla_frame(bytes(raw), now)
            return
        frame = _frame.decode(payload)
        kind = frame.type
        if kind == "event":
            if self.seq and frame.seq != self.seq + 1:
                self.gaps += 1
            self.seq = frame.seq
            op = frame.op
            if op == "note.update" and MARK in payload:
                self._timed(payload, now, self.fanout_metric)
                self.received += 1
            elif op in ("vote.cast", "redacted"):
                self.vote_events += 1
                if op == "vote.cast" and b'"mine":' in payload and self.pending_votes:
                    if self.counting:
                        self.stats.sample("vote", (now - self.pending_votes.popleft()) // 1000)
                    self.votes_seen += 1
                if self.spec.reveal_after and self.vote_events == self.spec.reveal_after:
                    self.send_reveal()
            elif op == "votes.reveal":
                totals = _totals.decode(frame.data).totals
                self._revealed(now, ",".join(f"{k}={v}" for k, v in sorted(totals.items())))
        elif kind in ("ack", "error"):
            if kind == "error":
                self.stats.errors[frame.code] += 1
            waiting = self._waiting.pop(frame.id or "", None)
            if waiting is not None:
                waiting.set_result(_json.decode(payload))
            else:
                self.answered += 1
        elif kind == "welcome":
            self.welcome_at, self.welcome_bytes = now, len(payload)
            self.welcome = welcome = _json.decode(payload)
            self.token = welcome["you"]["token"]
            self.seq = welcome["seq"]
            if self._welcomed is not None and not self._welcomed.done():
                self._welcomed.set_result(None)

    def _floor_frame(self, payload: bytes, now: int) -> None:
        if payload.startswith(b'{"type":"hello"'):
            if self._welcomed is not None and not self._welcomed.done() and f'"nonce":"{self.key}.'.encode() in payload:
                self.welcome_at, self.welcome_bytes = now, len(payload)
                self._welcomed.set_result(None)
            return
        if b'"op":"vote.cast"' in payload:
            self.vote_events += 1
            k = payload.find(MARK)
            own = payload.startswith(f"k={self.key}.".encode(), payload.index(b" ", k + 8) + 1)
            if own:
                self._timed(payload, now, "vote")
                self.votes_seen += 1
            if self.spec.reveal_after and self.vote_events == self.spec.reveal_after:
                self.send_reveal()
        elif b'"op":"votes.reveal"' in payload:
            self._revealed(now, "floor")
        elif MARK in payload:
            self._timed(payload, now, "fanout")
            self.received += 1

    def _revealed(self, now: int, digest: str) -> None:
        self.revealed_at = now
        if self.counting:
            self.stats.reveal_totals[digest] += 1
            if self.reveal_ref:
                self.stats.sample("reveal", (now - self.reveal_ref) // 1000)
