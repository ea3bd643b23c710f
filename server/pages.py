"""HTML pages rendered with Jinja2 (autoescaped) and the browser's translation catalog."""

from __future__ import annotations

import dataclasses

import gzip
import weakref
from collections import OrderedDict
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec
from babel.dates import format_date
from babel.numbers import format_decimal
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.templating import Jinja2Templates

from . import exports
from .qr import join_qr_svg
from .codes import normalise_code, participant_link, site_address
from . import results_access
from .domain import reach, report, results
from .domain.rules import PHOTO_ALT_MAX
from . import report_text
from .domain.evaluation import summarise
from .i18n import LANGUAGE_NAMES, LANGUAGES, Translations
from .static import IMMUTABLE, StaticFile, accepted_encodings, encoded, respond
from .store import Unavailable

if TYPE_CHECKING:
    from .domain.report import ReportView
    from .metrics import Metrics
    from .rooms import LiveRoom

COMPRESS_FROM = 1024  # bytes; below this, gzip's header and a round of CPU are not worth it
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _language(request: Request) -> str:
    wanted = request.query_params.get("lang")
    if wanted in LANGUAGES:
        return wanted
    return request.app.state.translations.negotiate(request.headers.get("accept-language"))


def _render(request: Request, name: str, lang: str, status: int = 200, **context: object) -> Response:
    templates: Jinja2Templates = request.app.state.templates
    translator = request.app.state.translations.get(lang)
    catalog = request.app.state.browser_catalogs[translator.language]
    page = templates.TemplateResponse(
        request,
        name,
        {"_": translator.gettext, "ngettext": translator.ngettext, "lang": lang,
         "languages": list(LANGUAGE_NAMES.items()), "catalog_url": f"/{catalog.path}?v={catalog.version}", **context},
        status_code=status,
    )
    # Always asked again: a page names the versions of its scripts and styles (server/static.py),
    # so a page kept from before a deploy would ask for files this server no longer has.
    page.headers["Cache-Control"] = "no-cache"
    return compress_page(request, page)


def compress_page(request: Request, page: Response) -> Response:
    """gzip a rendered page when the browser takes it (the board page: 30 KB → 7 KB). Pages are
    made per request, so this is the one place that compresses per request (~0.3 ms); they
    carry no secret a compression side channel could reveal (keys travel in the address's
    fragment and in an HttpOnly cookie, never in a page)."""
    page.headers["Vary"] = "Accept-Encoding"
    if len(page.body) < COMPRESS_FROM or "gzip" not in accepted_encodings(request.headers.get("accept-encoding")):
        return page
    page.body = gzip.compress(page.body, compresslevel=6)
    page.headers["Content-Encoding"] = "gzip"
    page.headers["Content-Length"] = str(len(page.body))
    return page


class ReportCache:
    """The report back of each room as of its seq, for the pages that show it once results are
    published: the domain ranks the whole session for it (`results.compute_session`), which a
    room full of phones opening the board would otherwise redo per load. A room at the same seq
    has the same report, and every change is an event with a new seq, so one entry per room
    (its latest seq) is all that is worth keeping; beyond `size` rooms the least recently shown
    goes. An entry holds its room weakly: a room unloaded and made again under the same code
    (deleted, then the code given out anew) never reads another room's report."""

    def __init__(self, metrics: Metrics, size: int = 64) -> None:
        self._metrics = metrics
        self._size = size
        self._views: OrderedDict[str, tuple[weakref.ref[LiveRoom], int, ReportView]] = OrderedDict()

    def view(self, room: LiveRoom) -> ReportView:
        state = room.state
        found = self._views.get(room.code)
        if found is not None and found[0]() is room and found[1] == state.seq:
            self._views.move_to_end(room.code)
            self._metrics.reports.labels("cached").inc()
            return found[2]
        view = report.view(state, results.compute_session(state).rounds)
        self._metrics.reports.labels("computed").inc()
        self._views[room.code] = (weakref.ref(room), state.seq, view)
        self._views.move_to_end(room.code)
        while len(self._views) > self._size:
            self._views.popitem(last=False)
        return view


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
    state = room.state
    # t14g: joiners pick from the groups to hear from; once the results are published and the
    # session is over, the participants' link opens on the report back
    # (templates/took_part/_report_screen.html); published while rounds still go on, the board
    # says only that the results so far are published, with the link.
    published = state.room.results_published
    over = published and report.session_over(state)
    return _render(request, "board.html", lang, code=code, room_title=state.room.title,
                   join_address=site_address(request), limits=request.app.state.hub.limits,
                   photo_alt_max=PHOTO_ALT_MAX,
                   hear_from=list(state.room.hear_from), report_published=over,
                   results_published_early=published and not over,
                   report=request.app.state.reports.view(room) if published else None)


async def join_qr(request: Request) -> Response:
    """The QR code of the participant link (never a key) of a session that exists."""
    code = normalise_code(request.path_params["code"])
    if code is None:
        return Response(status_code=404)
    try:
        room = await request.app.state.hub.open(code)
    except Unavailable:
        return Response("Service unavailable", status_code=503)
    if room is None:
        return Response(status_code=404)
    translator = request.app.state.translations.get(room.state.room.language)
    svg = join_qr_svg(participant_link(request, code), translator.gettext("QR code for joining the session"))
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "private, max-age=3600"})


def browser_catalogs(translations: Translations) -> dict[str, StaticFile]:
    """Each language's catalog for the browser, serialised, versioned and gzipped once. Counted
    messages are arrays of their forms under the singular msgid (client/i18n.js `tn`); a client
    that only knows strings skips them."""
    def body(lang: str) -> bytes:
        translator = translations.get(lang)
        return msgspec.json.encode({**translator.catalog, **{k: list(v) for k, v in translator.plurals.items()}})
    return {lang: encoded(f"i18n/{lang}.json", body(lang), "application/json") for lang in LANGUAGES}


async def translations(request: Request) -> Response:
    """The browser's catalog. Pages name it with its version (`data-catalog` on <body>), so like
    a static file it is kept for a year and an old version is a 404 (the client then shows
    English rather than a mix); without a version it is kept five minutes, then revalidated."""
    lang = request.path_params["lang"]
    if lang not in LANGUAGES:
        return JSONResponse({}, status_code=404)
    catalog: StaticFile = request.app.state.browser_catalogs[lang]
    wanted = request.query_params.get("v")
    if wanted is not None and wanted != catalog.version:
        return JSONResponse({}, status_code=404, headers={"Cache-Control": "no-store"})
    return respond(request, catalog, IMMUTABLE if wanted else "public, max-age=300")


async def _readable_results(request: Request) -> tuple[str, object, bool] | Response:
    """The room's results for whoever may read them: the facilitator (a results cookie, see
    `results_access`; a key in the URL opens nothing), or anyone once the facilitator has
    published them; before that a page that says so (403)."""
    code = normalise_code(request.path_params["code"])
    if code is None:
        return _render(request, "not_found.html", _language(request), status=404)
    hub = request.app.state.hub
    try:
        meta = await hub.store.meta(code)
        room = await hub.open(code) if meta is not None else None
    except Unavailable:
        return Response("Service unavailable", status_code=503)
    if room is None or meta is None:
        return _render(request, "not_found.html", _language(request), status=404)
    is_facilitator = results_access.is_facilitator(request, code, meta.facilitator_key_hash)
    if not (is_facilitator or room.state.room.results_published):
        lang = room.state.room.language
        page = _render(request, "results_unpublished.html", lang, status=403, code=code,
                       room_title=room.state.room.title)
        page.headers["Cache-Control"] = "no-store"
        return page
    held_on = session_date(meta.created_at, request.app.state.settings.time_zone)
    # The coach's debrief is for staff: on the page only with the facilitator's cookie, never
    # for whoever reads published results, and in no export.
    request.state.debrief = room.state.debrief if is_facilitator else None
    # The closing evaluation is the facilitator's, published results or not (t14e).
    # Left out where there is nothing to tell: never opened, nobody answered.
    evaluation = room.state.evaluation
    shared = is_facilitator and (evaluation.open or bool(evaluation.answers))
    request.state.evaluation = summarise(evaluation) if shared else None
    session = results.compute_session(room.state, held_on=held_on)
    return room.state.room.language, session, room.state.room.results_published


def session_date(created_at_ms: int, zone: str) -> date:
    """The day the session was created, where the workshop happens (`TIME_ZONE`)."""
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        tz = ZoneInfo("UTC")
    return datetime.fromtimestamp(created_at_ms / 1000, tz).date()


async def results_page(request: Request) -> Response:
    found = await _readable_results(request)
    if isinstance(found, Response):
        return found
    lang, session, published = found
    translator = request.app.state.translations.get(lang)
    held_on_text = format_date(session.held_on, format="long", locale="en_GB" if lang == "en" else lang) if session.held_on else ""  # type: ignore[attr-defined]
    # One round: the page as it always was (`results` is that round); more: a section per round
    # (templates/results/_round.html), each with its title.
    rounds = [(r, exports.voted_sentence(r, translator)) for r in session.rounds]  # type: ignore[attr-defined]
    outcome = session.rounds[0]  # type: ignore[attr-defined]
    page = _render(request, "results.html", lang, results=outcome, session=session, rounds=rounds,
                   published=published, voted=rounds[0][1], held_on_text=held_on_text,
                   debrief=getattr(request.state, "debrief", None),
                   evaluation=request.state.evaluation, question_labels=exports.question_labels(translator),
                   too_few=exports.too_few_text(request.state.evaluation, translator) if request.state.evaluation else "",
                   decimal=lambda value: format_decimal(value, locale="en_GB" if lang == "en" else lang),
                   **await _took_part_and_report(request, translator))
    page.headers["Cache-Control"] = "no-store"  # what a facilitator's cookie unlocks must not stay in a cache
    return page


async def export(request: Request) -> Response:
    found = await _readable_results(request)
    if isinstance(found, Response):
        return found
    lang, session, _published = found
    translator = request.app.state.translations.get(lang)
    fmt = request.path_params["format"]
    name = f"tavla-{session.code}"  # type: ignore[attr-defined]
    wanted = request.query_params.get("round")
    if wanted is not None:
        # One round of the session (`?round=<id>`): the same formats, with only its rows.
        chosen = [r for r in session.rounds if r.round == wanted]  # type: ignore[attr-defined]
        if not chosen:
            return Response("No such round", status_code=404, headers={"Cache-Control": "no-store"})
        session = dataclasses.replace(session, rounds=chosen, round=wanted)  # type: ignore[type-var]
        name = f"{name}-{wanted}"
    # The evaluation is about the whole session: in its exports, not in one round's (t14e).
    evaluation = request.state.evaluation if wanted is None else None
    extras = await _took_part_and_report(request, translator)  # t14g: who took part, report back
    if fmt == "json":
        body, media = exports.session_to_json(session, evaluation, extras["reach"], extras["report"]), "application/json"  # type: ignore[arg-type]
    elif fmt == "csv":
        body, media = exports.session_to_csv(session, translator, evaluation), "text/csv; charset=utf-8"  # type: ignore[arg-type]
    elif fmt == "xlsx":
        body, media = exports.session_to_xlsx(session, translator, evaluation, extras["reach"], extras["report"]), XLSX  # type: ignore[arg-type]
    elif fmt == "md":
        body, media = (exports.session_to_markdown(session, translator, evaluation, extras["reach"], extras["report"]).encode(),  # type: ignore[arg-type]
                       "text/markdown; charset=utf-8")
    else:
        return Response("Unknown format", status_code=404)
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"', "Cache-Control": "no-store"})


async def _took_part_and_report(request: Request, translator: object) -> dict[str, object]:
    """Who took part and the report back (t14g), for a room `_readable_results` already let
    this request read: the page's and the exports' context."""
    room = await request.app.state.hub.open(normalise_code(request.path_params["code"]))
    state = room.state
    took_part = reach.compute(state)
    return {
        "reach": took_part,
        "report": request.app.state.reports.view(room),
        "reached_text": report_text.reached_sentence(took_part, translator),  # type: ignore[arg-type]
        "missing_text": report_text.missing_sentence(took_part, translator),  # type: ignore[arg-type]
        "people_text": lambda n: report_text.people_text(n, translator),  # type: ignore[arg-type]
    }


# The day the accessibility statement was last assessed against WCAG 2.1 AA; change it (and
# the statement, templates/accessibility.html) when the assessment is made again.
STATEMENT_DATE = date(2026, 11, 29)


async def accessibility(request: Request) -> Response:
    """The accessibility statement (tilgjengelighetserklæring / tillgänglighetsredogörelse),
    with the hosting organisation's contact from the configuration."""
    lang = _language(request)
    return _render(request, "accessibility.html", lang, contact=request.app.state.settings.accessibility,
                   statement_date=format_date(STATEMENT_DATE, format="long", locale=lang))


async def privacy(request: Request) -> Response:
    settings = request.app.state.settings
    return _render(request, "privacy.html", _language(request), ttl_days=max(1, settings.room_ttl_s // 86400))
