"""The facilitator's way into unpublished results without a key in any URL.

A key in a query string ends up in browser history, proxy logs and on the projected address
bar. Instead the facilitation panel links to `/r/{code}/results#key=…`: the fragment never
leaves the browser, and a small script (client/results-access.js) posts the key here once and
removes it from the address bar. In return the browser gets a short-lived, HttpOnly cookie
scoped to that room's path, signed with the stored hash of the facilitator key, so every
process can check it (nothing new to share) and it stops working when it expires.
"""

from __future__ import annotations

import hashlib
import hmac
import time

import msgspec
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .codes import normalise_code
from .connection import role_for_key
from .domain import Role
from .store import Unavailable

COOKIE = "tavla_results"
LIFETIME_S = 30 * 60
MAX_BODY = 1024
NO_STORE = {"Cache-Control": "no-store"}


class Access(msgspec.Struct):
    key: str


_decoder = msgspec.json.Decoder(Access)


def grant(code: str, facilitator_hash: str, now: float) -> str:
    expires = int(now) + LIFETIME_S
    return f"{expires}.{_signature(code, facilitator_hash, expires)}"


def is_granted(token: str | None, code: str, facilitator_hash: str, now: float) -> bool:
    """Whether `token` is an unexpired grant for this room's results (signed with its key hash)."""
    expires_text, _, signature = (token or "").partition(".")
    if not expires_text.isdigit() or int(expires_text) < now:
        return False
    return hmac.compare_digest(signature, _signature(code, facilitator_hash, int(expires_text)))


def _signature(code: str, facilitator_hash: str, expires: int) -> str:
    return hmac.new(facilitator_hash.encode(), f"results:{code}:{expires}".encode(), hashlib.sha256).hexdigest()


async def _bounded_body(request: Request) -> bytes | None:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            return None
    return body


async def open_results(request: Request) -> Response:
    """POST `{"key": …}` (JSON, so a cross-site form cannot post it): the facilitator key of this
    room answers 204 with the cookie; anything else 403 and no cookie."""
    code = normalise_code(request.path_params["code"])
    if code is None:
        return JSONResponse({"error": "gone"}, status_code=404, headers=NO_STORE)
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        return JSONResponse({"error": "invalid"}, status_code=415, headers=NO_STORE)
    body = await _bounded_body(request)
    if body is None:
        return JSONResponse({"error": "too_large"}, status_code=413, headers=NO_STORE)
    try:
        key = _decoder.decode(body).key
    except msgspec.DecodeError:
        return JSONResponse({"error": "invalid"}, status_code=400, headers=NO_STORE)
    try:
        meta = await request.app.state.hub.store.meta(code)
    except Unavailable:
        return JSONResponse({"error": "unavailable"}, status_code=503, headers=NO_STORE)
    if meta is None:
        return JSONResponse({"error": "gone"}, status_code=404, headers=NO_STORE)
    if role_for_key(key, meta.facilitator_key_hash, meta.coach_key_hash) is not Role.FACILITATOR:
        return JSONResponse({"error": "forbidden"}, status_code=403, headers=NO_STORE)
    response = Response(status_code=204, headers=NO_STORE)
    response.set_cookie(COOKIE, grant(code, meta.facilitator_key_hash, time.time()), max_age=LIFETIME_S,
                        path=f"/r/{code}/", httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")
    return response


def is_facilitator(request: Request, code: str, facilitator_hash: str) -> bool:
    return is_granted(request.cookies.get(COOKIE), code, facilitator_hash, time.time())
