"""The Starlette application: routes, security headers, and the lifespan that owns every
resource (store, hub, translations). Nothing is created at import time."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import re
import secrets
import time
from collections.abc import AsyncIterator

from limits import parse as parse_limit
from limits.aio.strategies import MovingWindowRateLimiter
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route, WebSocketRoute
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import api, logs, pages, photo_edge, results_access
from .addresses import LimitSecret
from .assets import asset_dir
from .bodylimit import LimitRequestBody
from .probing import LimitUnknownCodes
from .config import Settings, load_settings
from .socket_edge import serve_socket
from .stream_edge import EventsEndpoint, Streams, send_frames
from .i18n import Translations
from .metrics import Metrics
from .ratelimit import FailOpenLimiter
from .rooms import Hub
from .static import StaticCatalog
from .store import describe_store, open_limit_storage, open_store


def content_security_policy(script_hashes: tuple[str, ...] = ()) -> str:
    """Only this origin; inline scripts only where their hash is listed (the import map). Images:
    this origin (photos are served from it), data: (icons), and blob: for the photo a person
    has just chosen and for their own private photos, which their client fetches with its token
    (server/photo_edge.py)."""
    scripts = " ".join(("'self'", *script_hashes))
    return (
        f"default-src 'self'; script-src {scripts}; style-src 'self'; img-src 'self' data: blob:; "
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    )


def security_headers(script_hashes: tuple[str, ...] = ()) -> list[tuple[bytes, bytes]]:
    return [
        (b"content-security-policy", content_security_policy(script_hashes).encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    ]


class SecurityHeaders:
    """Pure ASGI middleware (BaseHTTPMiddleware would buffer and break websockets): security
    headers on every response, and a request id for logs and the `X-Request-ID` header."""

    def __init__(self, app: ASGIApp, script_hashes: tuple[str, ...] = ()) -> None:
        self.app = app
        self.headers = security_headers(script_hashes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        incoming = dict(scope.get("headers", [])).get(b"x-request-id", b"").decode("latin-1")
        rid = incoming if REQUEST_ID.fullmatch(incoming) else secrets.token_hex(8)
        logs.request_id.set(rid)
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = [(b"x-request-id", rid.encode())]
                message["headers"] = list(message.get("headers", [])) + self.headers + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)


REQUEST_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")


# Young-generation threshold of the cycle collector (CPython's default is 700); see below.
GC_GEN0_THRESHOLD = 20_000


def tune_garbage_collector() -> None:
    """Keep full garbage collections rare. Each socket holds ~200 objects the collector tracks
    (coroutines of its tasks, futures, buffers), so 3,000 sockets make a heap that a full
    collection walks in 0.3–1 s on a small machine — a pause every connection feels. With
    the default threshold, every collection during a fan-out burst finds frames in flight,
    promotes them, and the old generation fills with promoted objects until a full
    collection runs every few seconds (docs/performance.md, scenario 4). A larger young
    generation lets in-flight objects die by reference counting before a collection sees
    them; freezing what start-up allocated (modules, classes, templates) keeps it out of every
    collection. Cycles are still collected; only less often."""
    gc.freeze()
    _, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(GC_GEN0_THRESHOLD, gen1, gen2)


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or load_settings()
    # Read and gzipped here, not in the lifespan: the CSP needs the import map's hash.
    static = StaticCatalog(asset_dir("client"))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        store = open_store(settings)
        await store.start()
        metrics = Metrics()
        hub = Hub(store, settings.limits, clock=lambda: int(time.time() * 1000),
                  snapshot_every=settings.snapshot_every, metrics=metrics)
        await hub.start()
        app.state.settings = settings
        app.state.store = store
        app.state.hub = hub
        app.state.metrics = metrics
        app.state.connections_by_address = {}
        app.state.streams = Streams(store.process_id)
        store.listen_process(app.state.streams.on_message)
        app.state.translations = Translations()
        app.state.templates = Jinja2Templates(directory=str(asset_dir("templates")))
        app.state.templates.env.globals.update(static=static.url, import_map=static.import_map)
        app.state.static = static
        app.state.browser_catalogs = pages.browser_catalogs(app.state.translations)
        app.state.reports = pages.ReportCache(metrics)
        # Brotli copies in a worker thread: start-up does not wait ~0.3 s for them.
        compressing = asyncio.create_task(asyncio.to_thread(static.compress_more), name="compress-static")
        limit_storage = open_limit_storage(settings)
        app.state.create_limiter = FailOpenLimiter(MovingWindowRateLimiter(limit_storage))
        app.state.create_limit = parse_limit(f"{settings.rooms_per_hour}/hour")
        app.state.unknown_code_limit = parse_limit(f"{settings.unknown_codes_per_minute}/minute")
        app.state.identity_limit = parse_limit(f"{settings.identities_per_minute}/minute")
        app.state.photo_limit = photo_edge.photo_limit(settings.photos_per_minute)
        app.state.limit_secret = LimitSecret()
        sharing = None
        if settings.redis_url or settings.redis_sentinels:
            sharing = asyncio.create_task(app.state.limit_secret.share(settings), name="limit-secret")
            # Usually done in a millisecond; a Redis that is away must not keep the process down.
            await asyncio.wait([sharing], timeout=3.0)
        logging.getLogger("tavla").info("started with %s store", describe_store(settings))
        tune_garbage_collector()
        try:
            yield
        finally:
            if sharing is not None:
                sharing.cancel()
            with contextlib.suppress(Exception):  # a failed Brotli pass leaves gzip, which is enough
                await compressing
            await hub.stop()
            await store.close()

    routes = [
        Route("/", pages.landing),
        Route("/api/rooms", api.create_room, methods=["POST"]),
        Route("/healthz", api.healthz),
        Route("/readyz", api.readyz),
        Route("/metrics", api.metrics),
        Route("/privacy", pages.privacy),
        Route("/accessibility", pages.accessibility),
        Route("/i18n/{lang}.json", pages.translations),
        Route("/r/{code}", pages.board),
        Route("/r/{code}/results", pages.results_page),
        Route("/r/{code}/results/access", results_access.open_results, methods=["POST"]),
        Route("/r/{code}/qr.svg", pages.join_qr),
        Route("/r/{code}/export.{format}", pages.export),
        Route("/r/{code}/photos", photo_edge.upload_photo, methods=["POST"]),
        Route("/r/{code}/photos/{photo}", photo_edge.serve_photo),
        WebSocketRoute("/r/{code}/ws", serve_socket),
        # The HTTP fallback for networks that block WebSockets (server/stream_edge.py).
        Route("/r/{code}/events", EventsEndpoint()),
        Route("/r/{code}/send", send_frames, methods=["POST"]),
        Route("/static/{path:path}", static.serve, name="static"),
    ]
    middleware = [Middleware(SecurityHeaders, script_hashes=(static.import_map_csp,)),
                  Middleware(LimitRequestBody, photo_bytes=settings.photo_upload_bytes), Middleware(LimitUnknownCodes)]
    return Starlette(routes=routes, lifespan=lifespan, middleware=middleware)
