"""JSON endpoints: create a room, health and readiness."""

from __future__ import annotations

import time

import msgspec
from redis.exceptions import RedisError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from . import codec
from .addresses import limit_key
from .bodylimit import BodyTooLarge, read_limited
from .codes import new_key, new_room_code, participant_link
from .connection import hash_secret
from .domain import Accepted, Event, Refused, new_room
from .store import RoomMeta, Unavailable


class CreateRoom(msgspec.Struct):
    title: str
    language: str = "nb"
    template: str = "blank"
    # The groups the facilitator wants to hear from (t14g; see `domain.reach`).
    hear_from: list[str] = []


_create_decoder = msgspec.json.Decoder(CreateRoom)
MAX_CREATE_BYTES = 8192  # a title and up to 20 groups to hear from, in any script


def _refusal(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": code, "message": message}, status_code=status)


async def create_room(request: Request) -> Response:
    app = request.app
    settings = app.state.settings
    client = limit_key(request.scope, app.state)
    try:
        allowed = await app.state.create_limiter.hit(app.state.create_limit, "create-room", client)
    except (RedisError, OSError):  # the limits share the store's Redis: no room could be made now
        translations = app.state.translations
        translator = translations.get(translations.negotiate(request.headers.get("accept-language")))
        return _refusal(503, "unavailable", translator.error("unavailable"))
    if not allowed:
        return _refusal(429, "rate_limited", "Too many sessions created from this address. Try again later.")
    try:
        body = await read_limited(request.stream(), MAX_CREATE_BYTES)
    except BodyTooLarge:
        return _refusal(413, "too_large", "Request too large.")
    try:
        wanted = _create_decoder.decode(body)
    except msgspec.DecodeError as exc:
        return _refusal(400, "invalid", str(exc))
    translator = app.state.translations.get(wanted.language)
    facilitator_key, coach_key = new_key(), new_key()
    now = int(time.time() * 1000)
    for _ in range(5):
        code = new_room_code()
        decision = new_room(code, wanted.title, wanted.language, wanted.template, settings.limits, wanted.hear_from)
        if isinstance(decision, Refused):
            return _refusal(400, decision.code, translator.error(decision.code, decision.params))
        assert isinstance(decision, Accepted)
        first = Event(1, decision.op, "system", now, decision.data)
        meta = RoomMeta(code, hash_secret(facilitator_key), hash_secret(coach_key), now)
        try:
            created = await app.state.store.create_room(meta, codec.encode_event(first))
        except Unavailable:
            return _refusal(503, "unavailable", translator.error("unavailable"))
        if created:
            break
    else:
        return _refusal(503, "busy", translator.error("busy"))
    board = participant_link(request, code)
    return JSONResponse(
        {
            "code": code,
            "facilitator_key": facilitator_key,
            "coach_key": coach_key,
            "urls": {
                "participant": board,
                "facilitator": f"{board}#key={facilitator_key}",
                "coach": f"{board}#key={coach_key}",
                "results": f"{board}/results",
            },
        },
        status_code=201,
    )


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    ready = await request.app.state.store.ping()
    return JSONResponse({"status": "ready" if ready else "unavailable"}, status_code=200 if ready else 503)



async def metrics(request: Request) -> Response:
    registry = request.app.state.metrics
    return Response(registry.render(), media_type=registry.content_type)
