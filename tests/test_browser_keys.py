"""The facilitator key never travels in a URL: a facilitator who opens the board, the unpublished
results from the panel and downloads an export makes no request with the key in its path or
query (nor any header), and every response the key unlocks says `Cache-Control: no-store`."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from playwright.sync_api import Browser, BrowserContext, Request, Response, expect

from tests.support.browser import browser, contexts, device, join, open_page, open_panel, seed, server  # noqa: F401
from tests.support.servers import TavlaServer

pytestmark = pytest.mark.browser


def test_no_request_carries_the_key_and_unlocked_responses_are_not_stored(browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:
    """From the board to the results page to an .xlsx download: the key is in no request line,
    the address bar loses the fragment, and the results page and export are no-store."""
    room = server.create_room("Skolevei", "en", phase="vote")
    key = room["facilitator_key"]
    seed(server, room, ("note.create", {"id": "n1", "text": "Lys i krysset", "color": "yellow", "x": 100, "y": 400}),
         ("vote.cast", {"target": "n1"}), ("votes.reveal", {}))
    requests: list[Request] = []
    responses: list[Response] = []
    context = browser.new_context(**device("laptop", reduced_motion=False), accept_downloads=True)  # type: ignore[arg-type]
    contexts.append(context)
    context.on("request", lambda r: requests.append(r))
    context.on("response", lambda r: responses.append(r))
    facilitator = context.new_page()
    facilitator.goto(room["urls"]["facilitator"])
    join(facilitator, "Kari")
    open_panel(facilitator, "facilitator")

    link = facilitator.locator("#panel-results-link")
    href = link.get_attribute("href") or ""
    assert "?" not in href and href.endswith(f"#key={key}"), href
    with context.expect_page() as opened:
        link.click()
    results = opened.value
    expect(results.locator("h1")).to_have_text("Skolevei")
    expect(results.locator("main")).to_contain_text("Lys i krysset")
    assert "key" not in results.url, "the fragment is gone from the address bar"
    with results.expect_download() as downloading:
        results.get_by_role("link", name="Download as Excel (.xlsx)").click()
    assert downloading.value.suggested_filename.endswith(".xlsx")

    for request in requests:
        assert key not in unquote(request.url), request.url
        assert not any(key in v for v in request.headers.values()), (request.url, request.headers)
    unlocked = [r for r in responses if r.url.split("?")[0].endswith(("/results", "/results/access", "/export.xlsx"))]
    assert {r.url.rsplit("/", 1)[-1] for r in unlocked} >= {"results", "access", "export.xlsx"}
    for response in unlocked:
        assert response.headers.get("cache-control") == "no-store", response.url
