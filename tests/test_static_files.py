"""Static files (server/static.py) over a real uvicorn process: compressed when the browser
asks, kept for a year under versioned URLs, a new URL for a changed file, never an old
version's URL answered with the current file, revalidation (ETag → 304) for plain URLs, and
pages that are always asked again."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from posixpath import dirname, normpath

import brotli
import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Route

from server.static import IMMUTABLE, StaticCatalog, accepted_encodings
from tests.support.browser import server  # noqa: F401  (one server for the module)
from tests.support.servers import TavlaServer, wait_until

ROOT = Path(__file__).resolve().parent.parent
STATIC_URL = re.compile(r"""(?:src|href)="(/static/[^"]+)\"""")
IMPORT = re.compile(r"""(?:import|export)\s[^"';]*?from\s*["'](\.{1,2}/[^"']+)["']|import\s*["'](\.{1,2}/[^"']+)["']""")


def page_static_urls(server: TavlaServer, path: str) -> list[str]:
    return STATIC_URL.findall(httpx.get(f"{server.http}{path}").text)


def import_map(server: TavlaServer, path: str = "/") -> dict[str, str]:
    text = httpx.get(f"{server.http}{path}").text
    (found,) = re.findall(r'<script type="importmap">(.*?)</script>', text, re.DOTALL)
    return json.loads(found)["imports"]


def test_every_script_and_style_a_page_names_is_versioned_compressed_and_immutable(server: TavlaServer) -> None:
    """On every page, each stylesheet and script is linked by a versioned URL; asked with gzip
    (or Brotli) it comes compressed, asked without it comes as is, the same bytes either way,
    cacheable for a year."""
    room = server.create_room()
    urls = {u for path in ("/", f"/r/{room['code']}", "/privacy", "/accessibility") for u in page_static_urls(server, path)}
    assert any(u.endswith(".js") or ".js?" in u for u in urls) and any(".css?" in u for u in urls)
    sizes: list[tuple[int, int]] = []
    for url in urls:
        assert re.fullmatch(r"/static/[\w./-]+\?v=[0-9a-f]{12}", url), url
        plain = httpx.get(f"{server.http}{url}", headers={"Accept-Encoding": "identity"})
        assert plain.status_code == 200 and "content-encoding" not in plain.headers, url
        assert plain.headers["cache-control"] == IMMUTABLE == "public, max-age=31536000, immutable"
        assert plain.headers["vary"] == "Accept-Encoding"
        zipped = httpx.get(f"{server.http}{url}", headers={"Accept-Encoding": "gzip"})
        assert zipped.headers["content-encoding"] == "gzip", url
        assert int(zipped.headers["content-length"]) < len(plain.content), url
        sizes.append((int(zipped.headers["content-length"]), len(plain.content)))
        assert zipped.content == plain.content  # httpx decodes gzip: the same file
        assert zipped.headers["etag"] != plain.headers["etag"]  # another representation, another tag
        assert zipped.headers["cache-control"] == IMMUTABLE
    assert sum(z for z, _ in sizes) < 0.4 * sum(p for _, p in sizes)  # scripts and styles compress well


def test_brotli_when_asked_and_ready_and_gzip_when_brotli_is_refused(server: TavlaServer) -> None:
    url = page_static_urls(server, "/")[0]
    plain = httpx.get(f"{server.http}{url}", headers={"Accept-Encoding": "identity"}).content

    def brotli_served() -> bool:
        raw = httpx.get(f"{server.http}{url}", headers={"Accept-Encoding": "gzip, deflate, br"})
        return raw.headers.get("content-encoding") == "br"

    wait_until(brotli_served, timeout=20, what="Brotli copies made after start-up")
    with httpx.stream("GET", f"{server.http}{url}", headers={"Accept-Encoding": "br, gzip"}) as raw:
        body = b"".join(raw.iter_raw())
    assert brotli.decompress(body) == plain
    refused = httpx.get(f"{server.http}{url}", headers={"Accept-Encoding": "br;q=0, gzip"})
    assert refused.headers["content-encoding"] == "gzip"
    nothing = httpx.get(f"{server.http}{url}", headers={"Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in nothing.headers and nothing.content == plain


def test_every_module_import_resolves_to_a_versioned_url_through_the_import_map(server: TavlaServer) -> None:
    """A module imported by another (`./context.js`) carries no version in its own URL; the
    page's import map gives every client module its versioned URL, so no import is left to an
    unversioned (and, with a long cache, possibly stale) copy."""
    mapping = import_map(server)
    for module in (ROOT / "client").rglob("*.js"):
        here = "/static/" + module.relative_to(ROOT / "client").as_posix()
        assert here in mapping, here
        for a, b in IMPORT.findall(module.read_text(encoding="utf-8")):
            target = normpath(f"{dirname(here)}/{a or b}")
            assert target in mapping, f"{here} imports {target}, which the import map does not version"
    for plain, versioned in mapping.items():
        answer = httpx.get(f"{server.http}{versioned}")
        assert answer.status_code == 200 and answer.headers["cache-control"] == IMMUTABLE, versioned
        assert versioned.startswith(plain + "?v=")


def test_plain_urls_are_revalidated_with_an_etag(server: TavlaServer) -> None:
    """Without a version (an old bookmark, a browser without import maps) a file is always
    checked with the server: `no-cache` and an ETag, answered 304 while it is unchanged."""
    first = httpx.get(f"{server.http}/static/board.js", headers={"Accept-Encoding": "gzip"})
    assert first.status_code == 200 and first.headers["cache-control"] == "no-cache"
    again = httpx.get(f"{server.http}/static/board.js",
                      headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == first.headers["etag"]
    stale = httpx.get(f"{server.http}/static/board.js", headers={"Accept-Encoding": "gzip", "If-None-Match": '"0ld"'})
    assert stale.status_code == 200 and stale.content == first.content


def test_an_old_or_unknown_version_is_a_404_never_the_current_file(server: TavlaServer) -> None:
    """A page from before a deploy asks for a version this server no longer has: it gets 404
    (not cached), never today's file under yesterday's URL, which would mix two versions."""
    url = next(u for u in page_static_urls(server, "/") if ".css?" in u)
    old = re.sub(r"v=[0-9a-f]+", "v=000000000000", url)
    answer = httpx.get(f"{server.http}{old}")
    assert answer.status_code == 404 and answer.headers["cache-control"] == "no-store"
    assert "Reload the page" in answer.text
    for missing in ("/static/nothing.js", "/static/../server/app.py", "/static/%2e%2e/pyproject.toml"):
        assert httpx.get(f"{server.http}{missing}").status_code == 404, missing


def test_pages_are_always_asked_again(server: TavlaServer) -> None:
    """A page names the versions of its files, so it must never come from a cache after a deploy."""
    room = server.create_room()
    for path in ("/", f"/r/{room['code']}", "/privacy", "/accessibility", "/r/ZZZZZZ"):
        assert httpx.get(f"{server.http}{path}").headers["cache-control"] == "no-cache", path


async def test_a_changed_file_gets_a_new_url_and_the_old_url_stops_working(tmp_path: Path) -> None:
    """Two start-ups of the catalog over a folder in which one file changed in between (a
    deploy): that file's URL changes, the others' stay (the browser keeps them), and the new
    server answers the changed file's old URL with 404."""
    (tmp_path / "core").mkdir()
    (tmp_path / "app.js").write_text('import { x } from "./core/x.js";\nconsole.log(x);\n' * 20)
    (tmp_path / "core" / "x.js").write_text("export const x = 1;\n")
    (tmp_path / "site.css").write_text("body { color: black; }\n" * 20)
    before = StaticCatalog(tmp_path)
    (tmp_path / "core" / "x.js").write_text("export const x = 2;\n")
    after = StaticCatalog(tmp_path)
    assert after.url("core/x.js") != before.url("core/x.js")
    assert after.url("app.js") == before.url("app.js") and after.url("site.css") == before.url("site.css")
    assert json.loads(after.import_map)["imports"]["/static/core/x.js"] == after.url("core/x.js")
    assert after.import_map_csp != before.import_map_csp
    app = Starlette(routes=[Route("/static/{path:path}", after.serve)])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://tavla") as client:
        assert (await client.get(before.url("core/x.js"))).status_code == 404
        current = await client.get(after.url("core/x.js"))
        assert current.status_code == 200 and current.text == "export const x = 2;\n"
        assert (await client.get(before.url("app.js"))).status_code == 200


def test_the_catalog_skips_hidden_files_and_caches() -> None:
    catalog = StaticCatalog(ROOT / "client")
    assert all(not part.startswith(".") and part != "__pycache__" for path in catalog.files for part in path.split("/"))
    with pytest.raises(KeyError):
        catalog.url("no-such-file.css")


@pytest.mark.parametrize(("header", "allowed"), [
    (None, set()),
    ("", set()),
    ("gzip", {"gzip"}),
    ("gzip, deflate, br, zstd", {"gzip", "deflate", "br", "zstd"}),
    ("br;q=0, gzip;q=0.5", {"gzip"}),
    ("GZIP ; q=1.0", {"gzip"}),
    ("*", {"br", "gzip"}),
    ("identity", {"identity"}),
    ("gzip;q=abc", set()),
])
def test_accept_encoding_is_read_with_its_weights(header: str | None, allowed: set[str]) -> None:
    assert accepted_encodings(header) == allowed


def test_gzip_copies_are_made_once_and_decompress_to_the_file() -> None:
    catalog = StaticCatalog(ROOT / "client")
    for item in catalog.files.values():
        if "gzip" in item.encoded:
            assert gzip.decompress(item.encoded["gzip"]) == item.body
    assert any("gzip" in item.encoded for item in catalog.files.values())


def test_pages_and_the_browser_catalog_come_compressed(server: TavlaServer) -> None:  # noqa: F811
    """The board page and /i18n/<lang>.json are the other big downloads of a first visit."""
    room = server.create_room()
    board = httpx.get(f"{server.http}/r/{room['code']}", headers={"Accept-Encoding": "gzip"})
    assert board.headers["content-encoding"] == "gzip" and board.headers["vary"] == "Accept-Encoding"
    assert int(board.headers["content-length"]) < len(board.content) / 3 and "board.js" in board.text
    plain = httpx.get(f"{server.http}/r/{room['code']}", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.text == board.text
    catalog = httpx.get(f"{server.http}/i18n/nb.json", headers={"Accept-Encoding": "gzip"})
    assert catalog.headers["content-encoding"] == "gzip" and catalog.json()["Add a dot"] == "Gi en prikk"
    assert catalog.headers["cache-control"] == "public, max-age=300"
    again = httpx.get(f"{server.http}/i18n/nb.json",
                      headers={"Accept-Encoding": "gzip", "If-None-Match": catalog.headers["etag"]})
    assert again.status_code == 304
    assert httpx.get(f"{server.http}/i18n/xx.json").status_code == 404
    # Pages name the catalog of their language with its version: kept for a year like a script.
    named = re.search(r'data-catalog="([^"]+)"', httpx.get(f"{server.http}/?lang=nb").text)
    assert named is not None and re.fullmatch(r"/i18n/nb\.json\?v=[0-9a-f]{12}", named.group(1))
    versioned = httpx.get(f"{server.http}{named.group(1)}", headers={"Accept-Encoding": "gzip"})
    assert versioned.headers["cache-control"] == IMMUTABLE and versioned.json() == catalog.json()
    old = httpx.get(f"{server.http}/i18n/nb.json?v=000000000000")
    assert old.status_code == 404 and old.headers["cache-control"] == "no-store"


def test_templates_name_static_files_through_the_static_function() -> None:
    """A plain `/static/x.css` in a template would still load, but unversioned: revalidated on
    every visit instead of kept. Write `{{ static('css/x.css') }}`; it also fails loudly on a typo."""
    plain = [f"{path.name}: {m}" for path in (ROOT / "templates").glob("*.html")
             for m in re.findall(r"""(?:src|href)=["']/static/[^"']*""", path.read_text(encoding="utf-8"))]
    assert plain == [], "use {{ static('<path under client/>') }} instead of:\n" + "\n".join(plain)
