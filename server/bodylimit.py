"""Request bodies are refused while they arrive, never buffered first and measured after.

A route that did `await request.body()` and then checked the length held every byte a client
chose to send: two parallel 256 MiB posts took a process from 209 to 918 MiB. Here a body is
refused with 413 from its `Content-Length` before a byte is read, or, when it comes without one
(chunked), as soon as what arrived passes the limit; the connection is then closed, so the rest
is never read either. Pure ASGI (Starlette's `BaseHTTPMiddleware` would buffer).
"""

from __future__ import annotations

import json

from .protocol import MAX_FRAME_BYTES

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Every route that takes a body takes a small JSON object; this is the most any may send.
MAX_BODY_BYTES = 16 * 1024
# Except the HTTP fallback's POST of frames (`/r/{code}/send`): as much as one socket frame, so
# that anything a socket may send, the fallback may too (several smaller frames per body).
FRAMES_BODY_BYTES = MAX_FRAME_BYTES
FRAMES_PATH_SUFFIX = "/send"
# And the upload of a prototype photo (`POST /r/{code}/photos`): the deployment's
# `photo_upload_bytes`, given when the middleware is made.
PHOTOS_PATH_SUFFIX = "/photos"


class BodyTooLarge(Exception):
    """Raised from `receive` (and so from `request.body()`/`request.stream()`) once a body
    passes its limit; the middleware answers 413."""


async def read_limited(stream, limit: int) -> bytes:  # type: ignore[no-untyped-def]
    """The body from `request.stream()`, refused as soon as it passes `limit` bytes (a route's
    own limit, smaller than `MAX_BODY_BYTES`)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in stream:
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


class LimitRequestBody:
    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES, photo_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.photo_bytes = photo_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        limit = (FRAMES_BODY_BYTES if path.endswith(FRAMES_PATH_SUFFIX)
                 else self.photo_bytes if path.endswith(PHOTOS_PATH_SUFFIX) else self.max_bytes)
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _refuse(send)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if started:
                raise
            await _refuse(send)


async def _refuse(send: Send) -> None:
    body = json.dumps({"error": "too_large", "message": "Request too large."}).encode()
    await send({
        "type": "http.response.start",
        "status": 413,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),  # the server stops reading what is left of the body
        ],
    })
    await send({"type": "http.response.body", "body": body})
