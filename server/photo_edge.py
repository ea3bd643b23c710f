"""Prototype photos over HTTP: upload one (`POST /r/{code}/photos`), show one
(`GET /r/{code}/photos/{id}`). The note that carries a photo is made over the ordinary op path
afterwards (`note.create` with `photo` and `alt`), so the rules, the log, acks and fan-out stay
where they are; an image is too big for a frame and has no business in the event log.

**Who may upload.** The participant's own token (`X-Tavla-Token`), the secret their client
holds for this room: its hash is their participant id, as in `hello`. They must have joined and
may write a note now (the domain's `permissions`, so the phase, the lock and later the round
decide, not this module). A custom header cannot be sent by a cross-site form, and the Origin is
checked as on the socket, so no other site can post in someone's name.

**Who may see.** A photo id is 128 random bits, and the server serves a photo only while a
note that the asker may see carries it (`domain.photo_visible`): during private writing that is
its author alone (who proves it with the same header: their client fetches its own private
photos with it); once notes are visible, everyone who knows the id, which is everyone who sees
the note (the board, the list, the published results). An uploaded photo no note uses, and the
photo of a deleted note, are served to nobody. Answers never say which: no such room, no such
photo and not yours are all 404.

**Bad input** is refused with a stable code and nothing stored (docs/protocol.md, "Photos").
"""

from __future__ import annotations

import asyncio
import logging

from limits import parse as parse_limit
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from . import photos
from .bodylimit import BodyTooLarge, read_limited
from .codes import normalise_code
from .connection import TOKEN_PATTERN, origin_allowed, participant_id
from .domain import Actor, permissions, photo_visible
from .domain.rules import ID_PATTERN
from .store import Gone, PhotoLimit, Unavailable

log = logging.getLogger("tavla.photos")

TOKEN_HEADER = "x-tavla-token"
# How many photos one process decodes at once: each may take ~75 MB while it is decoded.
DECODING_AT_ONCE = 2
# A photo never changes under its id; whether someone may see it is asked again only when the
# browser's copy has gone. `private`: no shared cache keeps what was checked per person.
CACHE = "private, max-age=31536000, immutable"

# English messages (translated in server/locale/*/photos.po); the client shows its own by code.
MESSAGES = {
    "unsupported_type": "Only photos (JPEG, PNG, WebP or GIF) can be added.",
    "type_mismatch": "The file is not the kind of picture it says it is.",
    "not_an_image": "This file is not a picture Tavla can read.",
    "too_large": "The photo is too large.",
    "too_many_pixels": "The picture is too large (too many pixels).",
    "too_many_photos": "This session has as many photos as it can take.",
    "photos_full": "This session has no more room for photos.",
    "rate_limited": "Too many photos in a short time. Wait a minute and try again.",
    "forbidden": "Join the session before you add a photo.",
    "unavailable": "The server cannot store the photo right now. Try again in a moment.",
    "no_room": "This session does not exist any more.",
}
_STATUS = {"unsupported_type": 415, "type_mismatch": 415, "not_an_image": 422, "too_large": 413,
           "too_many_pixels": 413, "too_many_photos": 409, "photos_full": 409, "rate_limited": 429,
           "forbidden": 403, "unavailable": 503, "no_room": 404, "origin": 403}


def _refuse(request: Request, code: str, language: str = "en", **params: object) -> JSONResponse:
    translator = request.app.state.translations.get(language)
    english = MESSAGES.get(code)
    message = translator.gettext(english) if english else translator.error(code, params)
    return JSONResponse({"error": code, "message": message, **params}, status_code=_STATUS.get(code, 403))


def _slots(request: Request) -> asyncio.Semaphore:
    app = request.app
    slots = getattr(app.state, "photo_slots", None)
    if slots is None:
        slots = app.state.photo_slots = asyncio.Semaphore(DECODING_AT_ONCE)
    return slots


async def upload_photo(request: Request) -> Response:
    """Store one photo for the room; answers 201 `{"photo": id, "width", "height"}`."""
    app = request.app
    settings = app.state.settings
    code = normalise_code(request.path_params["code"])
    if code is None:
        return _refuse(request, "no_room")
    if not origin_allowed(request, settings.allowed_origins):
        return _refuse(request, "origin")
    token = request.headers.get(TOKEN_HEADER, "")
    if not TOKEN_PATTERN.fullmatch(token):
        return _refuse(request, "forbidden")
    try:
        room = await app.state.hub.open(code)
    except Unavailable:
        return _refuse(request, "unavailable")
    if room is None:
        return _refuse(request, "no_room")
    state = room.state
    language = state.room.language
    pid = participant_id(token)
    person = state.participants.get(pid)
    if person is None:
        return _refuse(request, "forbidden", language)
    # A photo is for a note: whoever may not write one now (phase, lock) may not upload one.
    closed = permissions(state, Actor(pid, person.role)).get("note.create")
    if closed is not None:
        return _refuse(request, closed, language)
    if photos.declared_format(request.headers.get("content-type")) is None:
        return _refuse(request, "unsupported_type", language)
    limit = app.state.photo_limit
    if not await app.state.create_limiter.hit(limit, "photo", pid):
        return _refuse(request, "rate_limited", language)
    try:
        data = await read_limited(request.stream(), settings.photo_upload_bytes)
    except BodyTooLarge:
        return _refuse(request, "too_large", language, max=settings.photo_upload_bytes)
    async with _slots(request):
        made = await asyncio.to_thread(photos.process, data, request.headers.get("content-type"),
                                       settings.photo_max_pixels)
    if isinstance(made, photos.PhotoRefused):
        params = {"max": made.max} if made.max is not None else {}
        return _refuse(request, made.code, language, **params)
    photo_id = photos.new_photo_id()
    try:
        stored = await app.state.store.add_photo(code, photo_id, made.data, settings.photos_per_room,
                                                 settings.photo_bytes_per_room)
    except Unavailable:
        return _refuse(request, "unavailable", language)
    if isinstance(stored, Gone):
        return _refuse(request, "no_room", language)
    if isinstance(stored, PhotoLimit):
        if stored.what == "count":
            return _refuse(request, "too_many_photos", language, max=settings.photos_per_room)
        return _refuse(request, "photos_full", language, max=settings.photo_bytes_per_room)
    log.info("photo stored", extra={"fields": {"room": code, "bytes": len(made.data), "photos": stored.count}})
    return JSONResponse({"photo": photo_id, "width": made.width, "height": made.height}, status_code=201)


async def serve_photo(request: Request) -> Response:
    """The photo's JPEG, to whoever may see a note that carries it; else 404."""
    code = normalise_code(request.path_params["code"])
    photo_id = request.path_params["photo"]
    if code is None or not ID_PATTERN.fullmatch(photo_id):
        return Response(status_code=404)
    hub = request.app.state.hub
    try:
        room = await hub.open(code)
        if room is None:
            return Response(status_code=404)
        token = request.headers.get(TOKEN_HEADER, "")
        viewer = participant_id(token) if TOKEN_PATTERN.fullmatch(token) else None
        if not photo_visible(room.state, photo_id, viewer):
            return Response(status_code=404, headers={"Cache-Control": "no-store"})
        data = await hub.store.photo(code, photo_id)
    except Unavailable:
        return Response("Service unavailable", status_code=503)
    if data is None:
        return Response(status_code=404, headers={"Cache-Control": "no-store"})
    return Response(data, media_type=photos.CONTENT_TYPE, headers={
        "Cache-Control": CACHE,
        # Only this site's pages may show it (no hotlinking a workshop's photos elsewhere).
        "Cross-Origin-Resource-Policy": "same-origin",
        "Content-Disposition": "inline",
        "Vary": "X-Tavla-Token",
    })


def photo_limit(per_minute: int):  # type: ignore[no-untyped-def]
    return parse_limit(f"{per_minute}/minute")
