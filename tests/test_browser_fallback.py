"""A participant whose network refuses WebSockets (every socket of her browser is closed as soon
as it opens, as a proxy that drops the upgrade does) still takes part: the page switches to the
HTTP fallback by itself, says so with a small label, syncs with a participant on a socket,
survives a server restart, and a note written while the server was away arrives exactly once."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, WebSocketRoute, expect
from websockets.sync.client import connect

from tests.support.browser import (  # noqa: F401 (fixtures)
    LAPTOP, SIZES, VIEWPORTS, add_note, axe_violations, browser, contexts, join, open_page, page_at, server, shot)
from tests.support.servers import RedisServer, TavlaServer

pytestmark = [pytest.mark.browser, pytest.mark.redis]


def refuse(route: WebSocketRoute) -> None:
    """The socket opens and is closed at once, before a single frame gets through."""
    route.close(code=1011, reason="blocked by a proxy")


def open_blocked_page(browser: Browser, contexts: list[BrowserContext], url: str) -> Page:  # noqa: F811
    page = page_at(browser, contexts, None, "laptop", reduced_motion=False)
    page.context.route_web_socket(re.compile(r".*/ws$"), refuse)
    page.goto(url)
    return page


def script_errors(page: Page) -> list[str]:
    """The page's errors without the network's: the browser logs each refused socket and each
    cut response, which is what these tests do to it."""
    network = ("WebSocket connection", "net::ERR", "Failed to load resource")
    return [e for e in page.errors if not any(n in e for n in network)]  # type: ignore[attr-defined]


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

        for name in SIZES:
            kari.set_viewport_size(VIEWPORTS[name])
            if name == "phone" and kari.locator("#people-panel").is_visible():
                kari.locator("#people-close").click()  # on a phone it covers the board
                expect(kari.locator("#people-panel")).to_be_hidden()
            shot(kari, f"limited-{name}", "fallback")
            if name == "phone":  # the label takes a line of its own, the title keeps its room
                title = kari.locator(".room-heading h1").bounding_box()
                chip = kari.locator(".limited-connection").bounding_box()
                assert title and chip and title["width"] > 60 and chip["y"] >= title["y"] + title["height"] - 1
        kari.set_viewport_size(LAPTOP)
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
        assert not script_errors(kari) and not script_errors(ola)
    finally:
        tavla.stop()
        redis.stop()


@contextlib.contextmanager
def proxy_without_websockets(upstream_port: int, cut_after_s: float | None = None) -> Iterator[list[int]]:
    """An HTTP proxy in front of Tavla that answers every WebSocket upgrade with 403 and passes
    everything else on, as the municipal proxies the fallback is for do; with `cut_after_s`, it
    also closes every connection that long after it opened (proxies that limit response time).
    Yields [its port, how many connections it cut so far]."""
    loop = asyncio.new_event_loop()
    ready: list[int] = []
    started = threading.Event()

    async def pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, ConnectionError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, OSError):
            writer.close()
            return
        if b"upgrade: websocket" in head.lower():
            writer.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            await writer.drain()
            writer.close()
            return
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", upstream_port)
        up_writer.write(head)
        both = asyncio.gather(pump(reader, up_writer), pump(up_reader, writer))
        try:
            await asyncio.wait_for(both, cut_after_s)
        except asyncio.TimeoutError:
            ready[1] += 1
            for w in (writer, up_writer):
                w.transport.abort()

    stop = loop.create_future()

    async def serve() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        ready.extend([server.sockets[0].getsockname()[1], 0])
        started.set()
        await stop
        server.close()

    thread = threading.Thread(target=lambda: loop.run_until_complete(serve()), daemon=True)
    thread.start()
    started.wait(10)
    try:
        yield ready
    finally:
        loop.call_soon_threadsafe(stop.set_result, None)
        thread.join(5)


def test_behind_a_proxy_that_refuses_the_upgrade_the_board_still_works(
        browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:  # noqa: F811
    """Sockets that never open (HTTP 403 on the upgrade): the page moves to the fallback after a
    few tries, says so, and a note written there reaches someone on a socket."""
    room = server.create_room(language="sv")
    with proxy_without_websockets(server.port) as (port, _):
        url = room["urls"]["participant"].replace(f":{server.port}/", f":{port}/")
        kari = open_page(browser, contexts, url)
        join(kari, "Kari", "Vård")
        expect(kari.locator("#limited-connection")).to_have_text("Begränsad anslutning")
        ola = open_page(browser, contexts, room["urls"]["participant"])
        join(ola, "Ola")
        add_note(kari, "Bakom proxyn")
        expect(ola.locator("[data-note-id]", has_text="Bakom proxyn")).to_have_count(1)
        add_note(ola, "Till Kari")
        expect(kari.locator("[data-note-id]", has_text="Till Kari")).to_have_count(1)
        assert not script_errors(kari)


def test_a_proxy_that_cuts_every_response_after_two_seconds_loses_and_repeats_nothing(
        browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:  # noqa: F811
    """No sockets, and every connection (the event stream too) cut after 2 s: while Ola writes
    and Kari writes, each sees every note of the other exactly once."""
    room = server.create_room(language="en")
    with proxy_without_websockets(server.port, cut_after_s=2.0) as proxy:
        port = proxy[0]
        url = room["urls"]["participant"].replace(f":{server.port}/", f":{port}/")
        kari = open_page(browser, contexts, url)
        join(kari, "Kari")
        expect(kari.locator("#limited-connection")).to_be_visible()
        ola = open_page(browser, contexts, room["urls"]["participant"])
        join(ola, "Ola")
        for i in range(6):  # about 8 s of writing: several cuts on Kari's side
            add_note(ola, f"Ola {i}")
            add_note(kari, f"Kari {i}")
        for i in range(6):
            expect(kari.locator("[data-note-id]", has_text=f"Ola {i}")).to_have_count(1, timeout=15_000)
            expect(ola.locator("[data-note-id]", has_text=f"Kari {i}")).to_have_count(1, timeout=15_000)
        code = room["code"]
        kari.wait_for_function(f"() => !localStorage.getItem('tavla:{code}:outbox')", timeout=15_000)
        texts = board_texts(server, code)
        assert sorted(texts) == sorted([f"Ola {i}" for i in range(6)] + [f"Kari {i}" for i in range(6)]), texts
        expect(kari.locator("[data-note-id]")).to_have_count(12)
        assert proxy[1] >= 2, f"the proxy cut only {proxy[1]} connections"
        assert not script_errors(kari)
