"""A limit on unknown room codes per client address, over HTTP and the socket alike.

Room codes are the only thing between a stranger and a board, and each unknown code used to be
answered at once (404 / 4404): ~250 guesses a second over HTTP and ~560 over the socket per
process. Here every answer that a code does not exist counts against the asking address, in a
moving window shared through Redis when there is one (the `limits` storage of the app); past
the limit, *every* lookup of a code from that address is refused (429, or 403 at the socket
handshake) until the window moves on — known codes too, or the refusal itself would tell which
codes exist.

One place for every route under `/r/{code}`, as ASGI middleware, so a route added later is
covered without remembering to be: it watches the answers (a 404, or a socket closed 4404
before a single frame was sent) rather than knowing how each route looks a room up.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable

from redis.exceptions import RedisError
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .addresses import limit_key
from .pages import _language, _render  # the pages' own renderer and language choice

log = logging.getLogger("tavla.limits")

ROOM_PATH = re.compile(r"^/r/[^/]+(/|$)")
NO_ROOM_CLOSE = 4404


class LimitUnknownCodes:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or not ROOM_PATH.match(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        state = scope["app"].state
        limiter, limit = state.create_limiter, state.unknown_code_limit
        key = limit_key(scope, state)
        if not await _within(limiter.test(limit, "unknown-code", key)):
            await _refuse(scope, send)
            return
        missed = False
        sent_frames = False

        def watching_send(message: Message) -> Awaitable[None]:
            # Not a coroutine: it hands back `send`'s own awaitable, so the frames of a socket's
            # whole life pass through one plain call here, not one more coroutine each.
            nonlocal missed, sent_frames
            if not sent_frames:
                kind = message["type"]
                if kind == "http.response.start" and message["status"] == 404:
                    missed = True
                elif kind == "websocket.send":
                    sent_frames = True
                elif kind == "websocket.close" and message.get("code") == NO_ROOM_CLOSE:
                    missed = True  # not a deletion seen live: that close follows a welcome
            return send(message)

        try:
            await self.app(scope, receive, watching_send)
        finally:
            if missed:
                await _within(limiter.hit(limit, "unknown-code", key))


async def _within(check: Awaitable[bool]) -> bool:
    """The limiter's answer; True when its storage (Redis) cannot be reached. Failing open is
    the lesser harm: the store is then down too, so a guess learns nothing (lookups answer 503
    or come from rooms already live), while failing closed would break every board page."""
    try:
        return await check
    except (RedisError, OSError) as exc:
        log.warning("unknown-code limit not checked: %s", type(exc).__name__)
        return True


async def _refuse(scope: Scope, send: Send) -> None:
    if scope["type"] == "websocket":
        # Before the handshake completes: the browser sees a failed connection and backs off.
        await send({"type": "websocket.close", "code": 1008, "reason": "too many unknown codes"})
        return
    request = Request(scope)
    response = _render(request, "too_many_codes.html", _language(request), status=429)
    response.headers["retry-after"] = "60"
    await response(scope, _no_body, send)


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}
