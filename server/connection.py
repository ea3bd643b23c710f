"""One participant's connection, whatever carries it: `hello`, the lobby, then one loop that
parses each frame once and hands typed values to the hub. A bounded send queue per connection
keeps one slow phone from stalling a room: when it overflows, that connection is closed (the
client resumes with `since`).

Only the edge differs between transports (`Edge`: receive a text frame, send one, close): the
WebSocket (`server.socket_edge`) and the HTTP fallback, Server-Sent Events plus POST
(`server.stream_edge`). Everything about rooms, limits, acks and visibility is here, once.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import re
import secrets
import time
from collections import deque
from enum import Enum
from typing import Protocol

from starlette.requests import HTTPConnection

from . import frames, protocol
from .addresses import limit_key
from .domain import Actor, Refused, Role
from .i18n import Translator
from .protocol import Hello, Malformed, NotJson, OpFrame, Ping
from .ratelimit import TokenBucket
from .rooms import Ack, Hub, LiveRoom, Waiting
from .store import RoomMeta, Unavailable

log = logging.getLogger("tavla.socket")


TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{22,64}")


class Close(int, Enum):
    POLICY = 1008  # protocol violation: not JSON, no hello, flooding
    TOO_BIG = 1009
    INTERNAL = 1011  # a bug on our side: logged, the client reconnects with backoff
    RESTART = 1012  # server going away or resync: reconnect at once
    TRY_AGAIN = 1013  # the client did not read fast enough: reconnect and resume
    REMOVED = 4403  # removed by a facilitator, or turned away from the lobby: do not come back
    NO_ROOM = 4404


class Disconnected(Exception):
    """The client went away (the socket closed, the event stream ended)."""


class Edge(Protocol):
    """What one transport does for a connection; nothing else about it differs."""

    transport: str  # the `transport` label of the metrics: "websocket" or "sse"

    async def receive(self) -> str:
        """The next text frame from the client; raises `Disconnected` when it is gone."""

    async def send(self, text: str) -> None:
        """Send one message (a frame, or a batch as a JSON array); raises `Disconnected`,
        `OSError` or `RuntimeError` when it cannot."""

    async def close(self, code: Close, reason: str) -> None:
        """Tell the client why it ends (a close frame; a last `close` event), then end."""


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def participant_id(token: str) -> str:
    """The public id derived from the secret token (80 bits of its hash): nothing to store,
    and knowing the id does not give the token."""
    return "p_" + hashlib.sha256(token.encode()).hexdigest()[:20]


def new_token() -> str:
    return secrets.token_urlsafe(24)


def role_for_key(key: str | None, facilitator_hash: str, coach_hash: str) -> Role:
    if not key:
        return Role.PARTICIPANT
    digest = hash_secret(key)
    # compare_digest against both, always, so timing says nothing about which one matched.
    is_facilitator = hmac.compare_digest(digest, facilitator_hash)
    is_coach = hmac.compare_digest(digest, coach_hash)
    if is_facilitator:
        return Role.FACILITATOR
    if is_coach:
        return Role.COACH
    return Role.PARTICIPANT


# A batch is what is waiting, up to these bounds: a phone on a slow link gets its backlog in a
# few messages rather than a frame each, and no message grows past what a client parses at once.
BATCH_MAX_FRAMES = 256
BATCH_MAX_BYTES = 256 * 1024


def take_batch(first: str, queue: deque[str | Close]) -> str:
    """`first` and the frames queued behind it (never a close) as one JSON array. Nothing waits
    to fill a batch: it holds only what piled up while the previous send was in flight, so
    batching costs no latency and saves a message, a task switch and a write per frame when a
    room is busy (docs/performance.md, the vote storm)."""
    frames = [first]
    size = len(first)
    while queue and len(frames) < BATCH_MAX_FRAMES and size < BATCH_MAX_BYTES:
        nxt = queue[0]
        if isinstance(nxt, Close):
            break
        frames.append(queue.popleft())  # type: ignore[arg-type]
        size += len(nxt)
    if len(frames) == 1:
        return first
    return "[" + ",".join(frames) + "]"


class Connection:
    """One participant's connection, as the hub sees it (`rooms.Recipient`)."""

    def __init__(self, edge: Edge, queue_size: int, send_timeout_s: float = 10.0) -> None:
        self.edge = edge
        self.owner = asyncio.current_task()  # the endpoint: cancelled to drop a stuck client
        self.send_timeout_s = send_timeout_s
        self.aborted = False
        self.id = secrets.token_hex(6)
        self.actor = Actor("", Role.PARTICIPANT)
        self.token = ""
        # A deque and one future rather than an asyncio.Queue: fan-out appends to hundreds of
        # these per event, and the Queue's getter bookkeeping was most of the cost of a wake-up.
        self.queue: deque[str | Close] = deque()
        self.queue_size = queue_size
        self.closing = False
        self.close_reason = ""
        self.close_code: Close | None = None
        self.high_water = max(1, queue_size // 2)
        self._drained = asyncio.Event()
        self._wakeup: asyncio.Future[None] | None = None
        self._writer: asyncio.Task[None] | None = None
        self._send_started: float | None = None  # loop time the send in progress began
        self._watchdog: asyncio.TimerHandle | None = None
        self.batch = False  # the client takes a JSON array of frames in one message
        self.admission: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    @property
    def presence_member(self) -> str:
        return f"{self.actor.id}|{self.id}"

    def deliver(self, frame: str) -> None:
        if self.closing:
            return
        if len(self.queue) >= self.queue_size:
            self.close(Close.TRY_AGAIN, "too slow: resume with since", drop_queue=True)
            return
        self._put(frame)

    def _put(self, item: str | Close) -> None:
        self.queue.append(item)
        wakeup = self._wakeup
        if wakeup is not None and not wakeup.done():
            wakeup.set_result(None)

    def reset(self) -> None:
        self.close(Close.RESTART, "resync")

    def gone(self) -> None:
        self.close(Close.NO_ROOM, "room deleted")

    def removed(self, reason: str) -> None:
        self.close(Close.REMOVED, reason)
        if not self.admission.done():
            self.admission.set_result(None)  # stop waiting in the lobby; `closing` says why

    def admitted(self) -> None:
        if not self.admission.done():
            self.admission.set_result(None)

    def close(self, code: Close, reason: str = "", drop_queue: bool = False) -> None:
        """Stop accepting frames and close once what is queued is sent; a slow client's
        queue is dropped instead (it resumes from its last seq)."""
        if self.closing:
            return
        self.closing = True
        if drop_queue:
            self.queue.clear()
        self.close_reason = reason or code.name.lower().replace("_", " ")
        self.close_code = code
        self._put(code)
        self._drained.set()  # a reader held back by backpressure stops waiting: nothing more to read

    async def wait_writable(self) -> None:
        """Backpressure for this client's own frames: stop reading its ops while its replies
        are piling up. A client that pipelines faster than it reads is slowed down, not
        disconnected; only events from others can overflow the queue (see `deliver`).

        Returns as soon as the connection is closing or its writer has ended for any reason:
        a reader waiting here for a queue that no one drains any more would never finish
        (its connection counted, its presence kept alive, its address slot held, shutdown
        blocked)."""
        while len(self.queue) >= self.high_water and not self.closing:
            self._drained.clear()
            await self._drained.wait()

    def abort(self) -> None:
        """Drop the connection without a closing handshake: the client stopped reading, so not
        even a close frame would get through. Ending the endpoint makes uvicorn close the TCP
        connection; the client resumes with `since` when it wakes up."""
        self.aborted = self.closing = True
        if self.owner is not None:
            self.owner.cancel()

    async def write_forever(self) -> None:
        """Send queued frames in order. A send that cannot finish within `send_timeout_s`
        means the client's TCP window stayed full: it is aborted rather than allowed to hold
        buffers (or its room) hostage (see `_watch_send`)."""
        loop = asyncio.get_running_loop()
        self._writer = asyncio.current_task()
        queue = self.queue
        try:
            while True:
                if not queue:
                    self._wakeup = loop.create_future()
                    await self._wakeup
                    self._wakeup = None
                    continue
                item = queue.popleft()
                if self.batch and queue and not isinstance(item, Close):
                    item = take_batch(item, queue)
                if len(queue) < self.high_water:
                    self._drained.set()
                self._send_started = loop.time()
                if self._watchdog is None:
                    self._watchdog = loop.call_at(self._send_started + self.send_timeout_s, self._watch_send)
                try:
                    if isinstance(item, Close):
                        await self.edge.close(item, self.close_reason or item.name.lower())
                        return
                    await self.edge.send(item)
                except (Disconnected, RuntimeError, OSError):
                    return  # the reader notices the disconnect and cleans up
                finally:
                    self._send_started = None
        except asyncio.CancelledError:
            if self.aborted:
                return  # the watchdog gave up on this client
            raise
        finally:
            if self._watchdog is not None:
                self._watchdog.cancel()
                self._watchdog = None
            self._writer_ended()

    def _writer_ended(self) -> None:
        """Nothing will be sent on this connection again (the close went out, a send failed,
        or the writer was cancelled): stop taking frames and wake the reader if backpressure
        holds it, so the endpoint finishes and cleans up."""
        if not self.closing:
            self.closing = True
            self.close_reason = self.close_reason or "send failed"
        self.queue.clear()
        self._drained.set()

    def _watch_send(self) -> None:
        """The send timeout, as one timer per connection that is re-armed only when it fires
        (at most once per `send_timeout_s`), instead of a timer armed and cancelled around
        every frame: per frame, in a fan-out to hundreds, that was a fifth of the send path.
        Fires at the deadline of the send in progress; a send older than the timeout aborts
        the client, exactly as a per-send timeout would."""
        self._watchdog = None
        started = self._send_started
        if started is None:
            return  # idle: the next send arms it again
        loop = asyncio.get_running_loop()
        deadline = started + self.send_timeout_s
        if loop.time() < deadline:
            self._watchdog = loop.call_at(deadline, self._watch_send)
            return
        self.abort()
        if self._writer is not None:
            self._writer.cancel()


def take_address_slot(app, address: str) -> bool:  # type: ignore[no-untyped-def]
    """One more connection from `address`, unless it has CONNECTIONS_PER_ADDRESS already (a
    classroom behind one NAT address is fine at the default; a script opening thousands of
    connections is not). Counted across transports: a stream is a connection like a socket."""
    per_address: dict[str, int] = app.state.connections_by_address
    if per_address.get(address, 0) >= app.state.settings.connections_per_address:
        return False
    per_address[address] = per_address.get(address, 0) + 1
    return True


def release_address_slot(app, address: str) -> None:  # type: ignore[no-untyped-def]
    per_address: dict[str, int] = app.state.connections_by_address
    per_address[address] -= 1
    if not per_address[address]:
        del per_address[address]


async def serve(edge: Edge, peer: HTTPConnection, meta: RoomMeta, since_default: int | None = None) -> None:
    """Everything after the edge accepted a client for an existing room: hello, lobby, welcome,
    the frame loop, and the clean-up, identical for every transport. `since_default` is the
    resume point the edge learned on its own (an event stream's `Last-Event-ID`), used when the
    hello does not name one."""
    app = peer.app
    code = meta.code
    hub: Hub = app.state.hub
    settings = app.state.settings
    conn = Connection(edge, settings.send_queue, settings.send_timeout_s)
    writer = asyncio.create_task(conn.write_forever(), name=f"writer-{conn.id}")
    metrics = hub.metrics
    metrics.connections.labels(edge.transport).inc()
    log.info("socket open", extra={"fields": {"conn": conn.id, "room": code, "transport": edge.transport}})
    room: LiveRoom | None = None
    try:
        hello = await _receive_hello(edge, conn, settings.hello_timeout_s)
        if hello is None:
            return
        room = await hub.open(code)
        if room is None:
            conn.close(Close.NO_ROOM, "no such room")
            return
        translator: Translator = app.state.translations.get(room.state.room.language)
        if hello.protocol != protocol.PROTOCOL_VERSION:
            _send_error(conn, translator, None, "protocol")
            conn.close(Close.POLICY, "unsupported protocol")
            return
        token = hello.token if hello.token and TOKEN_PATTERN.fullmatch(hello.token) else new_token()
        pid = participant_id(token)
        role = role_for_key(hello.key, meta.facilitator_key_hash, meta.coach_key_hash)
        if not await _may_be_new(app, peer, room, pid):
            _send_error(conn, translator, None, "join_limited")
            conn.close(Close.POLICY, "too many new identities")
            return
        joined = await hub.join(room, pid, hello.name, hello.department, role)
        if isinstance(joined, Refused):
            code_ = "name_required" if joined.params.get("field") == "name" else joined.code
            _send_error(conn, translator, None, code_, joined.params)
            conn.close(Close.REMOVED if code_ == "removed" else Close.POLICY, "hello refused")
            return
        conn.actor, conn.token = joined.actor, token
        conn.batch = hello.batch
        first: asyncio.Future[str] | None = None
        if isinstance(joined, Waiting):
            first = await _wait_in_lobby(edge, conn, hub, room, hello, translator)
            if first is None:
                return
            conn.actor = Actor(pid, room.state.participants[pid].role)
        since = hello.since if hello.since is not None or not hello.token else since_default
        await hub.welcome(room, conn, since)
        await _serve_frames(edge, conn, hub, room, translator, settings, first)
    except Disconnected:
        pass
    except asyncio.CancelledError:
        if not conn.aborted:
            raise  # shutdown, not our doing
    except Unavailable:
        conn.close(Close.RESTART, "store unavailable")
    except Exception:
        # One connection's failure is logged and ends that connection only.
        log.exception("socket handler failed")
        conn.close(Close.INTERNAL, "internal error")
    finally:
        metrics.connections.labels(edge.transport).dec()
        if conn.close_code is not None and conn.close_code is not Close.RESTART:
            metrics.dropped.labels(conn.close_code.name.lower()).inc()
        log.info("socket closed", extra={"fields": {
            "conn": conn.id, "room": code, "transport": edge.transport,
            "reason": "aborted" if conn.aborted else conn.close_reason or "client"}})
        if room is not None:
            await hub.detach(room, conn)
        conn.close(Close.RESTART, "bye")  # no-op when already closing; lets the writer finish
        try:
            # Let queued frames (a final error, the close) go out, then stop.
            await asyncio.wait_for(writer, timeout=2.0)
        except (asyncio.TimeoutError, Exception):
            writer.cancel()


async def _may_be_new(app, peer: HTTPConnection, room: LiveRoom, pid: str) -> bool:  # type: ignore[no-untyped-def]
    """New identities per address per minute (IDENTITIES_PER_MINUTE): someone known to the room
    comes back freely; a script minting tokens to fill a room or its lobby is slowed down."""
    if pid in room.state.participants or pid in room.state.waiting:
        return True
    return bool(await app.state.create_limiter.hit(app.state.identity_limit, "new-identity", limit_key(peer.scope, app.state)))


async def _wait_in_lobby(edge: Edge, conn: Connection, hub: Hub, room: LiveRoom, hello: Hello,
                         translator: Translator) -> asyncio.Future[str] | None:
    """Tell the client it waits (with its token, so it comes back as the same person), answer its
    pings, and return once a facilitator admits it: with the read in progress, which the frame
    loop takes over. None when it was turned away or left."""
    me = room.state.waiting.get(conn.actor.id)
    conn.deliver(protocol.encode(frames.Lobby(frames.Waiter(
        conn.actor.id, me.name if me else hello.name, me.department if me else hello.department, conn.token))))
    hub.wait_in_lobby(room, conn)
    bucket = TokenBucket(rate=1.0, burst=10)  # a waiting client only pings
    reader: asyncio.Future[str] = asyncio.ensure_future(edge.receive())
    try:
        while True:
            either: set[asyncio.Future[object]] = {reader, conn.admission}  # type: ignore[arg-type]
            await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
            if conn.closing:
                return None
            if conn.admission.done():
                pending, reader = reader, None  # type: ignore[assignment]
                return pending
            raw = reader.result()  # a disconnect raises here
            if len(raw) > protocol.MAX_FRAME_BYTES or not bucket.take(time.monotonic()):
                conn.close(Close.TOO_BIG if len(raw) > protocol.MAX_FRAME_BYTES else Close.POLICY, "flooding the lobby")
                return None
            frame = protocol.parse_frame(raw)
            if isinstance(frame, Ping):
                conn.deliver(protocol.encode(frames.Pong(frame.t, hub.clock())))
            elif not isinstance(frame, NotJson):
                _send_error(conn, translator, protocol.op_id_of(raw), "waiting")
            reader = asyncio.ensure_future(edge.receive())
    finally:
        hub.leave_lobby(room, conn)
        if reader is not None and not reader.done():
            reader.cancel()


async def _receive_hello(edge: Edge, conn: Connection, timeout_s: float) -> Hello | None:
    try:
        raw = await asyncio.wait_for(edge.receive(), timeout=timeout_s)
    except asyncio.TimeoutError:
        conn.close(Close.POLICY, "no hello")
        return None
    frame = protocol.parse_frame(raw)
    if not isinstance(frame, Hello):
        conn.close(Close.POLICY, "expected hello")
        return None
    return frame


async def _serve_frames(edge: Edge, conn: Connection, hub: Hub, room: LiveRoom, translator: Translator, settings,  # type: ignore[no-untyped-def]
                        first: asyncio.Future[str] | None = None) -> None:
    bucket = TokenBucket(rate=settings.ops_per_second, burst=settings.ops_burst)
    strikes = 0
    while not conn.closing:
        await conn.wait_writable()
        raw = await first if first is not None else await edge.receive()
        first = None
        if len(raw) > protocol.MAX_FRAME_BYTES:
            conn.close(Close.TOO_BIG, "frame too large")
            return
        if not bucket.take(time.monotonic()):
            # A burst past the limit is refused; a client that keeps going is flooding.
            strikes += 1
            if strikes > settings.ops_burst:
                conn.close(Close.POLICY, "flooding")
                return
            _send_error(conn, translator, protocol.op_id_of(raw), "rate_limited")
            continue
        strikes = 0
        frame = protocol.parse_frame(raw)
        if isinstance(frame, NotJson):
            conn.close(Close.POLICY, "not JSON")
            return
        if isinstance(frame, Malformed):
            conn.deliver(_error_frame(frame.op_id, frame.code, frame.detail))
            continue
        if isinstance(frame, Ping):
            conn.deliver(protocol.encode(frames.Pong(frame.t, hub.clock())))
            continue
        if isinstance(frame, Hello):
            conn.deliver(_error_frame(None, "invalid", "hello was already received"))
            continue
        assert isinstance(frame, OpFrame)
        command = protocol.parse_command(frame)
        if isinstance(command, Malformed):
            message = translator.error(command.code) if command.code != "invalid" else command.detail
            conn.deliver(_error_frame(frame.id, command.code, message))
            continue
        try:
            outcome = await hub.submit(room, conn.actor, frame.id, command)
        except Unavailable:
            hub.metrics.ops.labels(frame.op, "unavailable").inc()
            _send_error(conn, translator, frame.id, "unavailable")
            continue
        if isinstance(outcome, Ack):
            hub.metrics.ops.labels(frame.op, "ack").inc()
            conn.deliver(protocol.encode(frames.Ack(frame.id, outcome.seq)))
        else:
            hub.metrics.ops.labels(frame.op, outcome.code).inc()
            _send_error(conn, translator, frame.id, outcome.code, outcome.detail)


def _send_error(conn: Connection, translator: Translator, op_id: str | None, code: str, params: dict[str, object] | None = None) -> None:
    conn.deliver(_error_frame(op_id, code, translator.error(code, params), params))


def _error_frame(op_id: str | None, code: str, message: str, params: dict[str, object] | None = None) -> str:
    """An `error` frame; `params` (field, max, what, …) only when the refusal has any."""
    return protocol.encode(frames.Error(op_id, code, message, dict(params) if params else None))


def origin_allowed(peer: HTTPConnection, allowed: tuple[str, ...]) -> bool:
    """The request's Origin must be this server itself or one configured in ALLOWED_ORIGINS.

    Browsers always send Origin on websockets and on POSTs; a missing one is a non-browser
    client, which cross-site request forgery cannot ride on, so it is let in.
    """
    origin = peer.headers.get("origin")
    if origin is None:
        return True
    if origin in allowed:
        return True
    host = peer.headers.get("host", "")
    scheme = "https" if peer.url.scheme in ("wss", "https") else "http"
    forwarded = peer.headers.get("x-forwarded-proto")
    schemes = {scheme, forwarded} if forwarded else {scheme, "https"}
    return origin in {f"{s}://{host}" for s in schemes if s}
