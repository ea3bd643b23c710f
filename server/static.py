"""The browser's files (client/): read once at start-up, compressed once, and served under
versioned URLs that browsers may keep for a year.

Every file gets a version, the start of the SHA-256 of its bytes; pages link to
`/static/<path>?v=<version>` (the `static` template function). Such a response is
`immutable`: a second visit loads nothing that did not change, and a deploy that changed a file
changes its URL, so no browser mixes an old file into a new page. ES modules import each other
by relative paths (`./context.js`), which carry no version; the page's import map (generated
here, from the same versions) maps each module's plain URL to its versioned one, so every
import is versioned as well. A browser without import maps asks for the plain URL, which is
served `no-cache` with an ETag: always current, revalidated with a 304.

A request for a version that is not the current one (a page from before a deploy, a rolling
deploy's other half) gets 404, never the current file under the old URL (a silent mix of two
versions) and never a cached copy of the old one: reloading the page fixes it.

Compressed copies (gzip always; Brotli when the `brotli` package is installed) are made once:
gzip while loading, Brotli in a worker thread after start-up (it takes ~0.3 s for the whole
client), so a request never compresses anything and start-up is not slower. Until Brotli is
ready, browsers get gzip.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import mimetypes
import re
from dataclasses import dataclass, field
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response

try:  # Brotli is optional: a missing wheel costs ~15 % more bytes on the wire, nothing else
    import brotli
except ImportError:  # pragma: no cover - depends on the environment
    brotli = None

PREFIX = "/static/"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
VERSION_CHARS = 12  # 48 bits of SHA-256: a collision between two versions of one file is not a concern

MEDIA_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".woff2": "font/woff2",
    ".png": "image/png",
    ".ico": "image/x-icon",
}
COMPRESSIBLE = ("text/", "application/json", "image/svg+xml")
# Preferred first: Brotli is ~15 % smaller than gzip on our scripts.
ENCODINGS = ("br", "gzip")
ETAG_SUFFIX = {"br": "-br", "gzip": "-gz", "identity": ""}


@dataclass(slots=True)
class StaticFile:
    path: str  # relative to client/, with forward slashes
    version: str
    media_type: str
    body: bytes
    encoded: dict[str, bytes] = field(default_factory=dict)  # encoding -> bytes, only when smaller

    @property
    def compressible(self) -> bool:
        return self.media_type.startswith(COMPRESSIBLE)


def _media_type(path: Path) -> str:
    return MEDIA_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def encoded(path: str, body: bytes, media_type: str) -> StaticFile:
    """A file with its version and its gzip copy (when that is smaller)."""
    item = StaticFile(path=path, version=hashlib.sha256(body).hexdigest()[:VERSION_CHARS], media_type=media_type, body=body)
    if item.compressible:
        zipped = gzip.compress(body, compresslevel=9, mtime=0)
        if len(zipped) < len(body):
            item.encoded["gzip"] = zipped
    return item


def _load(root: Path, path: Path) -> StaticFile:
    return encoded(path.relative_to(root).as_posix(), path.read_bytes(), _media_type(path))


def _visible(root: Path, path: Path) -> bool:
    parts = path.relative_to(root).parts
    return path.is_file() and not any(p.startswith(".") or p == "__pycache__" for p in parts)


def accepted_encodings(header: str | None) -> set[str]:
    """The content codings an Accept-Encoding header allows (q > 0); `*` allows every one."""
    allowed: set[str] = set()
    for part in (header or "").split(","):
        name, _, params = part.strip().partition(";")
        name = name.strip().lower()
        q = 1.0
        match = re.search(r"q\s*=\s*([^\s;,]*)", params)
        if match:
            try:
                q = float(match.group(1))
            except ValueError:
                q = 0.0
        if name and q > 0:
            allowed.update(ENCODINGS if name == "*" else (name,))
    return allowed


def _etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    if header.strip() == "*":
        return True
    return any(candidate.strip().removeprefix("W/") == etag for candidate in header.split(","))


class StaticCatalog:
    """Every file under `root`, versioned and compressed, as read at start-up. Files added or
    edited later are not seen until the server restarts (a deploy restarts it anyway)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files = {item.path: item for item in
                      (_load(root, p) for p in sorted(root.rglob("*")) if _visible(root, p))}
        self.import_map = self._import_map()
        # CSP source allowing exactly this import map (an inline script) and nothing else inline.
        digest = hashlib.sha256(self.import_map.encode()).digest()
        self.import_map_csp = f"'sha256-{base64.b64encode(digest).decode()}'"

    def url(self, path: str) -> str:
        """The versioned URL of a file under client/; an unknown path fails loudly (a typo in a
        template is a 500 in the first test, not a page without its styles)."""
        item = self.files[path]
        return f"{PREFIX}{item.path}?v={item.version}"

    def _import_map(self) -> str:
        modules = {f"{PREFIX}{p}": self.url(p) for p, item in self.files.items() if item.media_type.startswith("text/javascript")}
        # `<` escaped so that the JSON can never close the <script> element it sits in.
        return json.dumps({"imports": modules}, separators=(",", ":"), sort_keys=True).replace("<", "\\u003c")

    def compress_more(self) -> None:
        """Brotli copies of every compressible file (slow: run it in a thread). Each copy is
        published with one dictionary assignment, so a request sees it whole or not at all."""
        if brotli is None:
            return
        for item in list(self.files.values()):
            if item.compressible:
                squeezed = brotli.compress(item.body, quality=11)
                if len(squeezed) < len(item.encoded.get("gzip", item.body)):
                    item.encoded["br"] = squeezed

    async def serve(self, request: Request) -> Response:
        path = request.path_params["path"]
        item = self.files.get(path)
        if item is None:
            return Response("Not found", status_code=404, media_type="text/plain", headers={"Cache-Control": "no-store"})
        wanted = request.query_params.get("v")
        if wanted is not None and wanted != item.version:
            # A page from another version of Tavla: better a missing file than a mix of two versions.
            return Response("This file has changed since the page was loaded. Reload the page.", status_code=404,
                            media_type="text/plain", headers={"Cache-Control": "no-store"})
        return respond(request, item, IMMUTABLE if wanted else REVALIDATE)


def respond(request: Request, item: StaticFile, cache_control: str) -> Response:
    """`item` in the best encoding the browser takes, with its ETag; 304 when the browser has it."""
    accepted = accepted_encodings(request.headers.get("accept-encoding"))
    encoding = next((e for e in ENCODINGS if e in item.encoded and e in accepted), "identity")
    etag = f'"{item.version}{ETAG_SUFFIX[encoding]}"'
    headers = {"Cache-Control": cache_control, "ETag": etag}
    if item.compressible:
        headers["Vary"] = "Accept-Encoding"
    if _etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    if encoding != "identity":
        headers["Content-Encoding"] = encoding
    return Response(item.encoded.get(encoding, item.body), media_type=item.media_type, headers=headers)

