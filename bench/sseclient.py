"""A minimal HTTP-fallback client for the load generator, with `WsClient`'s interface: the event
stream (`GET /r/{code}/events`, chunked, Server-Sent Events) read by an asyncio protocol, and
frames sent as POSTs (`/r/{code}/send`) on one keep-alive connection, one request at a time,
with what queued up meanwhile in the next one (as the browser's `StreamTransport` does).

`on_text(payload, received_ns)` runs for every message with the time of the read that
completed it, exactly as for a socket, so the two transports' latencies compare directly.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import deque
from collections.abc import Callable

TextHandler = Callable[[bytes, int], None]
CloseHandler = Callable[[int | None, str], None]
MAX_POST_BYTES = 32 * 1024


class HandshakeError(Exception):
    pass


class SseClient(asyncio.Protocol):
    def __init__(self, host: str, port: int, path: str, on_text: TextHandler,
                 on_close: CloseHandler | None = None) -> None:
        self.host, self.port = host, port
        self.base = path.rsplit("/", 1)[0]  # "/r/CODE/ws" → "/r/CODE"
        self.on_text = on_text
        self.on_close = on_close
        self.transport: asyncio.Transport | None = None
        self._raw = bytearray()  # as received (chunked)
        self._text = bytearray()  # de-chunked event stream
        self._head = False
        self.session: str | None = None
        loop = asyncio.get_running_loop()
        self.opened: asyncio.Future[None] = loop.create_future()
        self.closed: asyncio.Future[None] = loop.create_future()
        self.close_code: int | None = None
        self.close_reason = ""
        self._queue: deque[bytes] = deque()
        self._poster: asyncio.Task[None] | None = None
        self._post_conn: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        self._closing = False

    @classmethod
    async def connect(cls, host: str, port: int, path: str, on_text: TextHandler,
                      on_close: CloseHandler | None = None, timeout: float = 15.0) -> SseClient:
        loop = asyncio.get_running_loop()
        _, client = await asyncio.wait_for(
            loop.create_connection(lambda: cls(host, port, path, on_text, on_close), host, port), timeout)
        await asyncio.wait_for(asyncio.shield(client.opened), timeout)
        client._post_conn = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
        return client

    # -- the stream ------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        transport.write(f"GET {self.base}/events HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"  # type: ignore[attr-defined]
                        "Accept: text/event-stream\r\n\r\n".encode())

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.opened.done():
            self.opened.set_exception(HandshakeError(f"stream lost before its session: {exc!r}"))
        if not self.closed.done():
            self.closed.set_result(None)
            if self.on_close is not None:
                self.on_close(self.close_code, self.close_reason)
        if self._post_conn is not None:
            self._post_conn[1].close()

    def data_received(self, data: bytes) -> None:
        now = time.monotonic_ns()
        raw = self._raw
        raw += data
        if not self._head:
            end = raw.find(b"\r\n\r\n")
            if end < 0:
                return
            status = bytes(raw[:end]).split(b"\r\n", 1)[0]
            if b" 200 " not in status:
                self.opened.set_exception(HandshakeError(status.decode("latin-1")))
                assert self.transport is not None
                self.transport.close()
                return
            self._head = True
            del raw[: end + 4]
        # De-chunk what is complete.
        while True:
            line_end = raw.find(b"\r\n")
            if line_end < 0:
                break
            size = int(bytes(raw[:line_end]).split(b";", 1)[0], 16)
            if size == 0:
                break
            if len(raw) < line_end + 2 + size + 2:
                break
            self._text += raw[line_end + 2 : line_end + 2 + size]
            del raw[: line_end + 2 + size + 2]
        text = self._text
        while (end := text.find(b"\n\n")) >= 0:
            block = bytes(text[:end])
            del text[: end + 2]
            self._event(block, now)

    def _event(self, block: bytes, now: int) -> None:
        event, data = b"message", []
        for line in block.split(b"\n"):
            if line.startswith(b":"):
                continue
            name, _, value = line.partition(b":")
            value = value[1:] if value.startswith(b" ") else value
            if name == b"event":
                event = value
            elif name == b"data":
                data.append(value)
        if not data:
            return
        payload = b"\n".join(data)
        if event == b"message":
            self.on_text(payload, now)
        elif event == b"session":
            self.session = json.loads(payload)["session"]
            self.opened.set_result(None)
        elif event == b"close":
            info = json.loads(payload)
            self.close_code, self.close_reason = info["code"], info["reason"]
            assert self.transport is not None
            self.transport.close()

    # -- sending ---------------------------------------------------------------------------

    def send_text(self, text: str | bytes) -> None:
        if not self.is_open:
            raise ConnectionError("stream is not open")
        self._queue.append(text.encode() if isinstance(text, str) else text)
        if self._poster is None or self._poster.done():
            self._poster = asyncio.ensure_future(self._post_all())

    async def _post_all(self) -> None:
        assert self._post_conn is not None and self.session is not None
        try:
            while self._queue:
                frames, size = [], 2
                while self._queue and (not frames or size + len(self._queue[0]) + 1 <= MAX_POST_BYTES):
                    frame = self._queue.popleft()
                    frames.append(frame)
                    size += len(frame) + 1
                body = b"[" + b",".join(frames) + b"]"
                try:
                    status, answer = await self._post(body)
                except (OSError, asyncio.IncompleteReadError):
                    # The server closed the idle keep-alive connection (uvicorn does after 5 s),
                    # as a browser would find too: open another and send again (op ids make a
                    # repeat harmless).
                    self._post_conn[1].close()
                    self._post_conn = await asyncio.open_connection(self.host, self.port)
                    status, answer = await self._post(body)
                if " 202 " not in status:
                    self.close_code, self.close_reason = 1008, f"POST refused: {status} {answer[:100]!r}"
                    self.abort()
                    return
        except (OSError, asyncio.IncompleteReadError) as exc:
            self.close_code, self.close_reason = 1006, f"POST failed: {exc!r}"
            self.abort()

    async def _post(self, body: bytes) -> tuple[str, bytes]:
        assert self._post_conn is not None
        reader, writer = self._post_conn
        writer.write(f"POST {self.base}/send HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                     f"Content-Type: application/json\r\nX-Tavla-Session: {self.session}\r\n"
                     f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:] if x)}
        return lines[0], await reader.readexactly(int(headers.get("content-length", "0")))

    @property
    def is_open(self) -> bool:
        return self.session is not None and not self.closed.done() and not self._closing

    async def close(self, timeout: float = 3.0) -> None:
        self._closing = True
        if self.transport is not None:
            self.transport.close()
        if self._post_conn is not None:
            self._post_conn[1].close()
        try:
            await asyncio.wait_for(asyncio.shield(self.closed), timeout)
        except asyncio.TimeoutError:
            self.abort()

    def abort(self) -> None:
        if self.transport is not None:
            self.transport.abort()
