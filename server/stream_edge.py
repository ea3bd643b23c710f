"""The HTTP fallback edge, for networks whose proxies strip the WebSocket upgrade or cut long
sockets: Server-Sent Events carry the server's frames (`GET /r/{code}/events`), and POSTs carry
the client's (`POST /r/{code}/send`, a JSON array of frames). The connection behind it is the
same `connection.serve` the socket runs: hello, lobby, welcome, rate limits, acks, visibility.

A stream is a *session*: its first event names it (`{"session": "<process>.<secret>"}`), and
every POST carries that value in the `X-Tavla-Session` header. The value is the CSRF token as
well: only a page that can read the stream (same origin: an event stream is not readable across
origins without CORS, which Tavla never grants) learns it, and a custom header cannot be set by
a cross-site form, so a forged POST is refused before anything else looks at it. The Origin
header is checked as on the socket.

Any process can take a POST. The session names the process holding its stream: the POST hands
its frames to that process through the store (`Store.send_to_process`, a Redis PUBLISH on the
process's own channel; a direct call with the embedded store), where they join the session's
inbound queue exactly as frames read from a socket would. So ordering, the per-connection rate
limit and acks stay with the one connection. Redis answers how many processes received a
message: none means the stream is gone, and the POST says `no_session` (404); the client opens
a new stream and resends its outbox, which the op ids make idempotent.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import secrets
import weakref
from collections import deque

import msgspec
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import Message, Receive, Scope, Send

from .connection import (
    Close,
    Disconnected,
    origin_allowed,
    release_address_slot,
    serve,
    take_address_slot,
)
from .store import RoomMeta, Unavailable

log = logging.getLogger("tavla.stream")

SESSION_HEADER = "x-tavla-session"
SESSION_PATTERN = re.compile(r"([0-9a-f]{32})\.([A-Za-z0-9_-]{32})")
# A client that queues more frames than this without the connection reading them is flooding
# (the socket's equivalent is a TCP window that stays full: its reader stops, then it times out).
MAX_INBOUND_FRAMES = 1024
# How long an EventSource waits before it reconnects by itself (the `retry:` field), for a client
# that leaves reconnecting to the browser.
RECONNECT_MS = 1000
STREAM_HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    # no-transform: no proxy may recompress (and so buffer) it; X-Accel-Buffering: nginx and
    # the proxies that copy it pass each event on at once.
    (b"cache-control", b"no-cache, no-store, no-transform"),
    (b"x-accel-buffering", b"no"),
]
_EVENT_SEQ = re.compile(r'\{"type":"event","seq":(\d+)')
_WELCOME = '"type":"welcome"'


class _SeqOnly(msgspec.Struct):
    type: str = ""
    seq: int | None = None


_seq_decoder = msgspec.json.Decoder(_SeqOnly | list[_SeqOnly])
_frames_decoder = msgspec.json.Decoder(list[msgspec.Raw])


def last_seq_of(message: str) -> int | None:
    """The highest `seq` a client has applied once it has applied `message` (an event, a
    welcome, or a batch of frames), for the SSE `id:` field; None when it carries none (an ack,
    a pong, presence). An ack's `seq` is not applied by its receipt, so it never counts."""
    found = [int(m) for m in _EVENT_SEQ.findall(message)]
    if _WELCOME in message:
        decoded = _seq_decoder.decode(message)
        for frame in decoded if isinstance(decoded, list) else [decoded]:
            if frame.type == "welcome" and frame.seq is not None:
                found.append(frame.seq)
    return max(found) if found else None


def parse_frames(body: bytes) -> list[str] | None:
    """A POST body as frames: a JSON array of frame objects (or one object); None when the body
    is not JSON at all. Each frame is passed on as its own text, as if read from a socket."""
    try:
        stripped = body.lstrip()
        if stripped[:1] == b"{":
            return [body.decode()]
        return [bytes(raw).decode() for raw in _frames_decoder.decode(body)]
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        return None


class StreamEdge:
    """A connection's frames over one event stream (out) and the POSTs of its session (in)."""

    transport = "sse"

    def __init__(self, send: Send, session: str, code: str) -> None:
        self._send = send
        self.session = session
        self.code = code
        self.inbound: deque[str | None] = deque()  # None: the stream is gone
        self._arrived = asyncio.Event()
        self._lock = asyncio.Lock()
        self.ended = False
        self._closing: asyncio.Task[None] | None = None

    # -- in: frames from POSTs ---------------------------------------------------------------

    def feed(self, frames: list[str]) -> bool:
        """Queue frames from a POST; False (and the stream ends) when the client floods."""
        if self.ended:
            return False
        if len(self.inbound) + len(frames) > MAX_INBOUND_FRAMES:
            self.end(Close.POLICY, "flooding")
            return False
        self.inbound.extend(frames)
        self._arrived.set()
        return True

    def disconnected(self) -> None:
        self.ended = True
        self.inbound.append(None)
        self._arrived.set()

    async def receive(self) -> str:
        while not self.inbound:
            self._arrived.clear()
            await self._arrived.wait()
        frame = self.inbound.popleft()
        if frame is None:
            self.inbound.appendleft(None)  # every later receive fails too
            raise Disconnected()
        return frame

    # -- out: the event stream ----------------------------------------------------------------

    async def write(self, chunk: str) -> None:
        if self.ended:
            raise Disconnected()
        async with self._lock:
            await self._send({"type": "http.response.body", "body": chunk.encode(), "more_body": True})

    async def send(self, text: str) -> None:
        seq = last_seq_of(text)
        # `id:` is the seq the client has applied after this message: the browser sends it back
        # as Last-Event-ID when it reconnects, which resumes exactly after it.
        await self.write(f"id: {seq}\ndata: {text}\n\n" if seq is not None else f"data: {text}\n\n")

    async def close(self, code: Close, reason: str) -> None:
        """The socket's close frame as a last `close` event: the same code and reason."""
        try:
            await self.write(f"event: close\ndata: {json.dumps({'code': int(code), 'reason': reason})}\n\n")
        except (Disconnected, OSError, RuntimeError):
            pass
        self.disconnected()  # the reader stops; the response ends

    def end(self, code: Close, reason: str) -> None:
        """Close from outside the connection (flooding, the server stopping): a last `close`
        event, then the connection sees the client gone and cleans up as for a socket."""
        if self._closing is None and not self.ended:
            self._closing = asyncio.ensure_future(self.close(code, reason))

    async def heartbeat(self, every_s: float) -> None:
        """A comment now and then: proxies that close idle responses see traffic, and the client
        learns that a silent stream is still alive."""
        while not self.ended:
            await asyncio.sleep(every_s)
            try:
                await self.write(": heartbeat\n\n")
            except (Disconnected, OSError, RuntimeError):
                return


class Streams:
    """This process's open event streams, by session."""

    def __init__(self, process_id: str) -> None:
        self.process_id = process_id
        self.sessions: dict[str, StreamEdge] = {}
        _every_registry.add(self)

    def new_session(self) -> str:
        return f"{self.process_id}.{secrets.token_urlsafe(24)}"

    def deliver(self, session: str, code: str, frames: list[str]) -> bool:
        edge = self.sessions.get(session)
        if edge is None or edge.code != code:
            return False
        edge.feed(frames)
        return True

    def on_message(self, message: bytes) -> None:
        """A POST taken by another process, for a session of ours: `session\\ncode\\n[frames]`."""
        try:
            session, code, body = message.split(b"\n", 2)
            frames = [bytes(raw).decode() for raw in _frames_decoder.decode(body)]
        except (ValueError, msgspec.DecodeError, UnicodeDecodeError):
            log.warning("malformed message for a stream")
            return
        self.deliver(session.decode(), code.decode(), frames)

    def end_all(self) -> None:
        """The server stops: every stream ends with 1012, as every socket does, so clients come
        back at once (to another process) instead of waiting out the shutdown grace."""
        for edge in list(self.sessions.values()):
            edge.end(Close.RESTART, "server restarting")


_every_registry: weakref.WeakSet[Streams] = weakref.WeakSet()


def end_all_streams() -> None:
    for streams in list(_every_registry):
        streams.end_all()


def _refuse(status: int, error: str, message: str) -> JSONResponse:
    return JSONResponse({"error": error, "message": message}, status_code=status)


class EventsEndpoint:
    """`GET /r/{code}/events`: one connection's server → client half (a pure ASGI app: the
    response is written as the connection sends, never buffered)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        if request.method != "GET":
            await JSONResponse({"error": "method", "message": "Use GET."}, status_code=405,
                               headers={"Allow": "GET"})(scope, receive, send)
            return
        app = request.app
        settings = app.state.settings
        code = request.path_params["code"].upper()
        if not origin_allowed(request, settings.allowed_origins):
            await _refuse(403, "origin", "Origin not allowed.")(scope, receive, send)
            return
        address = request.client.host if request.client else "unknown"
        if not take_address_slot(app, address):
            refusal = _refuse(403, "too_many_connections", "Too many connections from this address.")
            await refusal(scope, receive, send)
            return
        try:
            try:
                meta = await app.state.hub.store.meta(code)
            except Unavailable:
                await _refuse(503, "unavailable", "Try again in a moment.")(scope, receive, send)
                return
            if meta is None:
                await _refuse(404, "no_room", "No such room.")(scope, receive, send)
                return
            last = request.headers.get("last-event-id", "")
            since = int(last) if last.isdigit() and len(last) < 16 else None
            await self._stream(request, send, meta, since)
        finally:
            release_address_slot(app, address)

    async def _stream(self, request: Request, send: Send, meta: RoomMeta, since: int | None) -> None:
        app = request.app
        streams: Streams = app.state.streams
        session = streams.new_session()
        edge = StreamEdge(send, session, meta.code)
        streams.sessions[session] = edge
        await send({"type": "http.response.start", "status": 200, "headers": STREAM_HEADERS})
        tasks: list[asyncio.Task[None]] = []
        try:
            heartbeat_ms = int(app.state.settings.stream_heartbeat_s * 1000)
            hello = json.dumps({"session": session, "heartbeat_ms": heartbeat_ms})
            await edge.write(f"retry: {RECONNECT_MS}\nevent: session\ndata: {hello}\n\n")
            tasks.append(asyncio.create_task(_watch_disconnect(request.receive, edge)))
            tasks.append(asyncio.create_task(edge.heartbeat(app.state.settings.stream_heartbeat_s)))
            await serve(edge, request, meta, since)
        except Disconnected:
            pass
        finally:
            streams.sessions.pop(session, None)
            edge.ended = True
            for task in tasks:
                task.cancel()
            try:
                await send({"type": "http.response.body", "body": b"", "more_body": False})
            except (OSError, RuntimeError):
                pass


async def _watch_disconnect(receive: Receive, edge: StreamEdge) -> None:
    while True:
        message: Message = await receive()
        if message["type"] == "http.disconnect":
            edge.disconnected()
            return


async def send_frames(request: Request) -> JSONResponse:
    """`POST /r/{code}/send`: one or more client frames for the session's connection. Answers
    202 once they are queued there; what they lead to (welcome, ack, error) comes on the stream."""
    app = request.app
    settings = app.state.settings
    code = request.path_params["code"].upper()
    if not origin_allowed(request, settings.allowed_origins):
        return _refuse(403, "origin", "Origin not allowed.")
    session = request.headers.get(SESSION_HEADER, "")
    matched = SESSION_PATTERN.fullmatch(session)
    if matched is None:
        return _refuse(403, "csrf", "Missing or malformed X-Tavla-Session header: open the stream first.")
    content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if content_type != "application/json":
        return _refuse(415, "content_type", "Send frames as application/json.")
    body = await request.body()  # at most FRAMES_BODY_BYTES: LimitRequestBody refuses more with 413
    frames = parse_frames(body)
    if frames is None:
        frames = ["\x00not json"]  # the connection closes with 1008 "not JSON", as a socket's would
    if not frames:
        return _refuse(400, "invalid", "No frames.")
    streams: Streams = app.state.streams
    process = matched.group(1)
    if process == streams.process_id:
        delivered = streams.deliver(session, code, frames)
    else:
        message = b"\n".join([session.encode(), code.encode(), b"[" + ",".join(frames).encode() + b"]"])
        try:
            delivered = await app.state.hub.store.send_to_process(process, message)
        except Unavailable:
            return _refuse(503, "unavailable", "Try again in a moment.")
    if not delivered:
        return _refuse(410, "no_session", "This stream has ended: open a new one.")
    if frames == ["\x00not json"]:
        return _refuse(400, "not_json", "The body is not JSON.")
    return JSONResponse({"accepted": len(frames)}, status_code=202)

