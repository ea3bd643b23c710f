"""Page weight of the board page: requests and bytes on the wire for a first visit (empty
cache) and a second visit (same browser, same cache), measured in Debian's Chromium through
the DevTools protocol, against a Tavla started here (or any running one with --url).

    python -m bench.pageweight                 # starts Tavla from this checkout
    python -m bench.pageweight --url http://127.0.0.1:8000 --server-root ../other-checkout

"On the wire" is what Chromium reports as received for each response (`encodedDataLength`:
headers plus the body as sent, compressed or not). A response served from the browser's cache
is not a request on the network and costs nothing; a revalidation (304) is a request.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import Browser, sync_playwright


@dataclass
class Visit:
    requests: list[dict[str, Any]] = field(default_factory=list)
    from_cache: list[str] = field(default_factory=list)
    ready_ms: float = 0.0

    def summary(self) -> dict[str, Any]:
        kinds: dict[str, dict[str, int]] = {}
        for r in self.requests:
            kind = kinds.setdefault(r["kind"], {"requests": 0, "bytes": 0})
            kind["requests"] += 1
            kind["bytes"] += r["bytes"]
        return {
            "requests": len(self.requests),
            "bytes": sum(r["bytes"] for r in self.requests),
            "by_kind": kinds,
            "from_cache": len(self.from_cache),
            "statuses": sorted({r["status"] for r in self.requests}),
            "ready_ms": round(self.ready_ms),
        }


def _kind(url: str, mime: str) -> str:
    if "javascript" in mime:
        return "script"
    if "css" in mime:
        return "style"
    if "html" in mime:
        return "html"
    if "json" in mime:
        return "json"
    return mime or url.rsplit(".", 1)[-1]


def visit(browser_context: Any, url: str, latency_ms: float = 0) -> Visit:
    """Open `url` in a new tab of the context and record every response until the network is
    idle; with `latency_ms`, every request waits that long (a round trip on a mobile network)."""
    page = browser_context.new_page()
    cdp = browser_context.new_cdp_session(page)
    cdp.send("Network.enable")
    if latency_ms:
        cdp.send("Network.emulateNetworkConditions",
                 {"offline": False, "latency": latency_ms, "downloadThroughput": -1, "uploadThroughput": -1})
    seen: dict[str, dict[str, Any]] = {}
    result = Visit()

    def on_response(event: dict[str, Any]) -> None:
        response = event["response"]
        cached = response.get("fromDiskCache") or response.get("fromPrefetchCache") or response.get("fromServiceWorker")
        seen[event["requestId"]] = {"url": response["url"], "status": response["status"], "cached": bool(cached),
                                    "kind": _kind(response["url"], response.get("mimeType", ""))}

    def on_finished(event: dict[str, Any]) -> None:
        entry = seen.get(event["requestId"])
        if entry is None or entry["url"].startswith("data:"):
            return
        if entry["cached"]:
            result.from_cache.append(entry["url"])
        else:
            result.requests.append({**entry, "bytes": int(event["encodedDataLength"])})

    cdp.on("Network.responseReceived", on_response)
    cdp.on("Network.requestServedFromCache", lambda e: seen.get(e["requestId"], {}).update(cached=True))
    cdp.on("Network.loadingFinished", on_finished)
    page.goto(url, wait_until="networkidle")
    if "/r/" in url:  # the board: until its script has run (the join form or the board shows) ...
        page.wait_for_selector("#join-screen:not([hidden]), #board-screen:not([hidden])")
        page.wait_for_load_state("networkidle")  # ... and its catalog has arrived
    # Module scripts are deferred: DOMContentLoaded waits until every module is loaded and run.
    result.ready_ms = page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
    page.close()
    return result


def measure(browser: Browser, url: str, latency_ms: float = 0) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        first = visit(context, url, latency_ms)
        second = visit(context, url, latency_ms)
    finally:
        context.close()
    return {"url": url, "first": first.summary(), "second": second.summary(),
            "second_requests": [f"{r['status']} {r['url']}" for r in second.requests]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pageweight", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running Tavla (default: start one from this checkout)")
    parser.add_argument("--json", action="store_true", help="print the raw figures as JSON")
    parser.add_argument("--latency-ms", type=float, default=0, help="added to every request (DevTools emulation)")
    args = parser.parse_args(argv)

    from tests.support.servers import TavlaServer

    server = None
    base = args.url
    if base is None:
        server = TavlaServer().start()
        base = server.http
    try:
        import httpx

        room = httpx.post(f"{base}/api/rooms", json={"title": "Page weight", "language": "nb"}).json()
        chromium = shutil.which("chromium") or "/usr/bin/chromium"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium,
                                        args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"])
            results = [measure(browser, f"{base}/r/{room['code']}", args.latency_ms),
                       measure(browser, f"{base}/", args.latency_ms)]
            browser.close()
    finally:
        if server is not None:
            server.stop()
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print("| page | visit | requests | KB on the wire | scripts | styles | html | other | served from cache | DOMContentLoaded ms |")
    print("|---|---|---:|---:|---|---|---|---|---:|---:|")
    for r in results:
        for name in ("first", "second"):
            s = r[name]

            def cell(kind: str, s: dict[str, Any] = s) -> str:
                k = s["by_kind"].get(kind)
                return f"{k['requests']} / {k['bytes'] / 1024:.1f} KB" if k else "0"

            other = {k: v for k, v in s["by_kind"].items() if k not in ("script", "style", "html")}
            other_cell = ", ".join(f"{k} {v['requests']} / {v['bytes'] / 1024:.1f} KB" for k, v in other.items()) or "0"
            print(f"| {r['url'].split('/', 3)[-1] or '/'} | {name} | {s['requests']} | {s['bytes'] / 1024:.1f} | "
                  f"{cell('script')} | {cell('style')} | {cell('html')} | {other_cell} | {s['from_cache']} | {s['ready_ms']} |")
    for r in results:
        print(f"\nsecond visit of /{r['url'].split('/', 3)[-1]}: " + ("; ".join(r["second_requests"]) or "no requests"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
