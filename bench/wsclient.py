"""A small RFC 6455 websocket client on `asyncio.Protocol`, for the load generator only.

Why not the `websockets` client the tests use: on a 2-core machine the load generator shares
the cores with the servers it measures, and in the vote storm 300 clients receive ~270,000
frames within seconds. The library's client spends tens of microseconds of Python per frame
(a sans-I/O generator, an assembler, a task wake-up per message); this one slices frames out of
one buffer in `data_received` and takes one clock reading per read, so the time a frame arrived
is the time it came off the socket, not the time our own Python got round to it.

It is a real websocket client: HTTP/1.1 upgrade with a checked `Sec-WebSocket-Accept`, masked
client frames (C masking from `websockets.speedups`), answers to pings, the closing handshake.
It offers no extensions: no permessage-deflate (see docs/performance.md), no fragments on send.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import random
import struct
import time
from collections.abc import Callable

try:
    from websockets.speedups import apply_mask
except ImportError:  # pure-Python fallback: one big-int XOR, still C-speed for small frames
    def apply_mask(data: bytes, mask: bytes) -> bytes:
        n = len(data)
        key = (mask * (n // 4 + 1))[:n]
        return (int.from_bytes(data, "little") ^ int.from_bytes(key, "little")).to_bytes(n, "little")

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
TextHandler = Callable[[bytes, int], None]
CloseHandler = Callable[[int | None, str], None]


class HandshakeError(Exception):
    pass


def _frame(opcode: int, payload: bytes) -> bytes:
    """One masked client frame."""
    mask = random.randbytes(4)
    n = len(payload)
    if n < 126:
        head = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
    elif n < 65536:
        head = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
    return head + mask + apply_mask(payload, mask)


class WsClient(asyncio.Protocol):
    """One connection. `on_text(payload, received_ns)` runs for every text message, with the
    monotonic time of the read that completed it."""

    def __init__(self, host: str, port: int, path: str, on_text: TextHandler,
                 on_close: CloseHandler | None = None) -> None:
        self.host, self.port, self.path = host, port, path
        self.on_text = on_text
        self.on_close = on_close
        self.transport: asyncio.Transport | None = None
        self._buf = bytearray()
        self._fragments: list[bytes] | None = None
        self._key = base64.b64encode(random.randbytes(16))
        self._open = False
        self._close_sent = False
        loop = asyncio.get_running_loop()
        self.opened: asyncio.Future[None] = loop.create_future()
        self.closed: asyncio.Future[None] = loop.create_future()
        self.close_code: int | None = None
        self.close_reason = ""

    # -- life cycle ----------------------------------------------------------------------

    @classmethod
    async def connect(cls, host: str, port: int, path: str, on_text: TextHandler,
                      on_close: CloseHandler | None = None, timeout: float = 15.0) -> WsClient:
        loop = asyncio.get_running_loop()
        _, client = await asyncio.wait_for(
            loop.create_connection(lambda: cls(host, port, path, on_text, on_close), host, port), timeout)
        await asyncio.wait_for(asyncio.shield(client.opened), timeout)
        return client

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # uvloop's is not an asyncio.Transport
        transport.write(
            f"GET {self.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {self._key.decode()}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n".encode()
        )

    def connection_lost(self, exc: Exception | None) -> None:
        self._open = False
        if not self.opened.done():
            self.opened.set_exception(HandshakeError(f"connection lost during handshake: {exc!r}"))
        if not self.closed.done():
            self.closed.set_result(None)
            if self.on_close is not None:
                self.on_close(self.close_code, self.close_reason)

    async def close(self, timeout: float = 3.0) -> None:
        """The closing handshake: send 1000, wait for the server's close, drop the TCP."""
        if self.transport is None or self.closed.done():
            return
        if self._open and not self._close_sent:
            self._close_sent = True
            self.transport.write(_frame(0x8, struct.pack("!H", 1000)))
        try:
            await asyncio.wait_for(asyncio.shield(self.closed), timeout)
        except asyncio.TimeoutError:
            self.transport.abort()

    def abort(self) -> None:
        if self.transport is not None:
            self.transport.abort()

    # -- sending -------------------------------------------------------------------------

    def send_text(self, text: str | bytes) -> None:
        if not self._open or self._close_sent or self.transport is None:
            raise ConnectionError("socket is not open")
        self.transport.write(_frame(0x1, text.encode() if isinstance(text, str) else text))

    @property
    def is_open(self) -> bool:
        return self._open and not self._close_sent

    # -- receiving -----------------------------------------------------------------------

    def data_received(self, data: bytes) -> None:
        now = time.monotonic_ns()
        buf = self._buf
        buf += data
        if not self._open:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                return
            self._check_handshake(bytes(buf[:end]))
            del buf[: end + 4]
            if not self._open:
                return
        self._parse(buf, now)

    def _check_handshake(self, head: bytes) -> None:
        lines = head.decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        accept = base64.b64encode(hashlib.sha1(self._key + GUID).digest()).decode()
        if not lines[0].startswith("HTTP/1.1 101") or headers.get("sec-websocket-accept") != accept:
            self.opened.set_exception(HandshakeError(lines[0]))
            assert self.transport is not None
            self.transport.close()
            return
        self._open = True
        self.opened.set_result(None)

    def _parse(self, buf: bytearray, now: int) -> None:
        pos, size = 0, len(buf)
        while size - pos >= 2:
            b0, b1 = buf[pos], buf[pos + 1]
            length, head = b1 & 0x7F, 2
            if length == 126:
                if size - pos < 4:
                    break
                length, head = int.from_bytes(buf[pos + 2 : pos + 4], "big"), 4
            elif length == 127:
                if size - pos < 10:
                    break
                length, head = int.from_bytes(buf[pos + 2 : pos + 10], "big"), 10
            if b1 & 0x80 or b0 & 0x70:
                self._fail(1002, "masked or extended frame from server")
                return
            end = pos + head + length
            if end > size:
                break
            payload = bytes(buf[pos + head : end])
            pos = end
            self._frame_received(b0 & 0x80, b0 & 0x0F, payload, now)
            if self.transport is None or self.transport.is_closing():
                break
        if pos:
            del buf[:pos]

    def _frame_received(self, fin: int, opcode: int, payload: bytes, now: int) -> None:
        if opcode == 0x1:
            if fin:
                self.on_text(payload, now)
            else:
                self._fragments = [payload]
        elif opcode == 0x0 and self._fragments is not None:
            self._fragments.append(payload)
            if fin:
                whole, self._fragments = b"".join(self._fragments), None
                self.on_text(whole, now)
        elif opcode == 0x9:
            if self._open and not self._close_sent and self.transport is not None:
                self.transport.write(_frame(0xA, payload))
        elif opcode == 0xA:
            pass
        elif opcode == 0x8:
            self.close_code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None
            self.close_reason = payload[2:].decode("utf-8", "replace")
            if not self._close_sent and self.transport is not None:
                self._close_sent = True
                self.transport.write(_frame(0x8, payload[:2]))
            assert self.transport is not None
            self.transport.close()
        else:
            self._fail(1003, f"unexpected opcode {opcode}")

    def _fail(self, code: int, reason: str) -> None:
        self.close_code, self.close_reason = code, reason
        if self.transport is not None:
            self.transport.abort()
