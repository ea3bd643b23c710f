"""HTML pages rendered with Jinja2 (autoescaped) and the browser's translation catalog."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.templating import Jinja2Templates

from .codes import normalise_code
from .i18n import LANGUAGE_NAMES, LANGUAGES
from .store import Unavailable


def _language(request: Request) -> str:
    wanted = request.query_params.get("lang")
    if wanted in LANGUAGES:
        return wanted
    return request.app.state.translations.negotiate(request.headers.get("accept-language"))


def _render(request: Request, name: str, lang: str, status: int = 200, **context: object) -> Response:
    templates: Jinja2Templates = request.app.state.templates
    translator = request.app.state.translations.get(lang)
    return templates.TemplateResponse(
        request,
        name,
        {"_": translator.gettext, "lang": lang, "languages": list(LANGUAGE_NAMES.items()), **context},
        status_code=status,
    )


async def landing(request: Request) -> Response:
    return _render(request, "landing.html", _language(request))


async def board(request: Request) -> Response:
    code = normalise_code(request.path_params["code"])
    if code is None:
        return _render(request, "not_found.html", _language(request), status=404)
    if code != request.path_params["code"]:
        return RedirectResponse(f"/r/{code}", status_code=308)
    try:
        room = await request.app.state.hub.open(code)
    except Unavailable:
        return Response("Service unavailable", status_code=503)
    if room is None:
        return _render(request, "not_found.html", _language(request), status=404)
    lang = room.state.room.language
    return _render(request, "board.html", lang, code=code, room_title=room.state.room.title)


async def translations(request: Request) -> Response:
    lang = request.path_params["lang"]
    if lang not in LANGUAGES:
        return JSONResponse({}, status_code=404)
    catalog = request.app.state.translations.get(lang).catalog
    return JSONResponse(dict(catalog), headers={"Cache-Control": "public, max-age=300"})
