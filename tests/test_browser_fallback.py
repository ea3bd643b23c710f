"""A participant whose network refuses WebSockets (every socket of her browser is closed as soon
as it opens, as a proxy that drops the upgrade does) still takes part: the page switches to the
HTTP fallback by itself, says so with a small label, syncs with a participant on a socket,
survives a server restart, and a note written while the server was away arrives exactly once."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, WebSocketRoute, expect
from websockets.sync.client import connect

from tests.support.browser import (  # noqa: F401 (fixtures)
    add_note, axe_violations, browser, close_panel, contexts, join, open_page)
from tests.support.servers import RedisServer, TavlaServer

pytestmark = [pytest.mark.browser, pytest.mark.redis]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
SIZES = {"phone": (390, 844), "laptop": (1366, 768), "projector": (1920, 1080)}


def refuse(route: WebSocketRoute) -> None:
    """The socket opens and is closed at once, before a single frame gets through."""
    route.close(code=1011, reason="blocked by a proxy")


def open_blocked_page(browser: Browser, contexts: list[BrowserContext], url: str) -> Page:  # noqa: F811
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    contexts.append(context)
    context.route_web_socket(re.compile(r".*/ws$"), refuse)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors  # type: ignore[attr-defined]
    page.goto(url)
    return page


def board_texts(server: TavlaServer, code: str) -> list[str]:
    """Every note's text on the board, as the server has it (a fresh socket's welcome)."""
    with connect(f"{server.ws}/r/{code}/ws") as ws:
        ws.send(json.dumps({"type": "hello", "protocol": 1, "name": "Kontroll"}))
        while (frame := json.loads(ws.recv(timeout=10)))["type"] != "welcome":
            pass
    return sorted(note["text"] for note in frame["state"]["notes"])


def test_the_board_works_where_websockets_are_blocked(browser: Browser, contexts: list[BrowserContext]) -> None:  # noqa: F811
    redis = RedisServer().start()
    tavla = TavlaServer(redis.url).start()
    try:
        room = tavla.create_room(language="nb")
        kari = open_blocked_page(browser, contexts, room["urls"]["participant"])
        join(kari, "Kari", "Helse")
        label = kari.locator("#limited-connection")
        expect(label).to_be_visible()
        expect(label).to_have_text("Begrenset tilkobling")
        ola = open_page(browser, contexts, room["urls"]["participant"])
        join(ola, "Ola", "Skole")
        expect(ola.locator("#limited-connection")).to_be_hidden()

        add_note(kari, "Fra Kari via reserveveien")
        expect(ola.locator("[data-note-id]", has_text="Fra Kari via reserveveien")).to_have_count(1)
        add_note(ola, "Fra Ola via socket")
        expect(kari.locator("[data-note-id]", has_text="Fra Ola via socket")).to_have_count(1)

        ARTIFACTS.mkdir(exist_ok=True)
        for name, (width, height) in SIZES.items():
            kari.set_viewport_size({"width": width, "height": height})
            if name == "phone":
                close_panel(kari, "people")  # on a phone it covers the board
            kari.screenshot(path=str(ARTIFACTS / f"fallback-limited-{name}.png"))
        kari.set_viewport_size({"width": 1366, "height": 768})
        assert axe_violations(kari) == []

        # The server restarts; meanwhile Kari writes a note that cannot be sent yet.
        tavla.stop()
        status = kari.locator("#connection-status")
        expect(status).not_to_have_attribute("data-status", "connected", timeout=15_000)
        add_note(kari, "Skrevet mens serveren var borte")
        tavla.start()
        expect(status).to_have_attribute("data-status", "connected", timeout=30_000)
        expect(label).to_be_visible()
        expect(ola.locator("[data-note-id]", has_text="Skrevet mens serveren var borte")).to_have_count(1, timeout=15_000)
        code = room["code"]
        kari.wait_for_function(f"() => !localStorage.getItem('tavla:{code}:outbox')")
        texts = board_texts(tavla, code)
        assert texts.count("Skrevet mens serveren var borte") == 1, texts
        assert texts.count("Fra Kari via reserveveien") == 1, texts
        # Still live after the restart, both ways.
        add_note(ola, "Etter omstarten")
        expect(kari.locator("[data-note-id]", has_text="Etter omstarten")).to_have_count(1, timeout=15_000)
        assert not kari.errors  # type: ignore[attr-defined]
        # Ola's browser logs the sockets that could not connect while the server was away.
        assert not [e for e in ola.errors if "net::ERR" not in e and "WebSocket connection" not in e]  # type: ignore[attr-defined]
    finally:
        tavla.stop()
        redis.stop()
