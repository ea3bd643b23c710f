"""The projector as the room sees it, in a real Chromium against a real Tavla process: the join
code and QR code large enough to read and scan from the back while people join and write (and
still readable, smaller, once the wall matters more), and every area of the round shown as a
column with its title even before anyone writes in it, without taking the full columns' room.
Screenshots (1920×1080 and 1366×768) go to test-artifacts/ for a person to judge."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.support.browser import ARTIFACTS, axe_violations, browser, contexts, seed, server  # noqa: F401
from tests.support.servers import TavlaServer
from tests.test_browser_projector import (
    AREA_X,
    COLORS,
    MIN_TEXT_PX,
    SIZES,
    TEXTS,
    facilitator_page,
    readable_and_on_screen,
    workshop_ops,
)

pytestmark = pytest.mark.browser

AREAS_NB = ["Brukerens behov", "Ideer til løsninger", "Slik tester vi i det små"]


def join_box(page: Page) -> dict:  # type: ignore[type-arg]
    """The QR code's and the code's drawn sizes as shares of the screen's height, and whether
    both are wholly on screen and clear of every note."""
    page.wait_for_function("() => document.querySelector('.projector-qr').naturalWidth > 0")
    return page.evaluate(
        """() => {
            const vw = innerWidth, vh = innerHeight;
            const qr = document.querySelector('.projector-qr').getBoundingClientRect();
            const code = document.querySelector('.projector-code');
            const c = code.getBoundingClientRect();
            const inside = (r) => r.left >= 0 && r.top >= 0 && r.right <= vw + 0.5 && r.bottom <= vh + 0.5;
            const hits = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
            const covered = [...document.querySelectorAll('.projector-note')].filter((n) => {
                const r = n.getBoundingClientRect();
                return hits(r, qr) || hits(r, c);
            }).length;
            const join = document.querySelector('.projector-join').getBoundingClientRect();
            const within = c.left >= join.left - 0.5 && c.right <= join.right + 0.5;
            return {qr_w: qr.width / vh, within, qr_h: qr.height / vh, code_px: parseFloat(getComputedStyle(code).fontSize) / vh,
                    code_color: getComputedStyle(code).color, on_screen: inside(qr) && inside(c), covered,
                    code_text: code.textContent};
        }"""
    )


@pytest.mark.parametrize("size_name", SIZES)
def test_the_join_code_and_qr_read_from_the_back_while_people_write(browser: Browser, contexts: list[BrowserContext],  # noqa: F811
                                                                   server: TavlaServer, size_name: str) -> None:  # noqa: F811
    """Writing, with 40 notes already up: the QR code is at least 22 % of the screen's height
    and the code 5–8 %, both on screen and over no note; every note still fits at ≥ 14 px. In
    the vote the QR code gives the wall room (smaller, still on screen) and the code stays large."""
    room = server.create_room("Hjemmetjenesten", "nb", phase="write", template="need-solution-test-board")
    seed(server, room, *workshop_ops())
    page = facilitator_page(browser, contexts, server, room, size_name, "?projector=1")
    expect(page.locator("#projector-wall .projector-note")).to_have_count(40)
    page.evaluate("document.fonts.ready")
    box = join_box(page)
    assert box["code_text"] == room["code"]
    assert box["qr_w"] >= 0.22 and box["qr_h"] >= 0.22, box
    assert 0.05 <= box["code_px"] <= 0.085, box
    assert box["code_color"] == "rgb(28, 33, 38)", box  # --text on the page's light background
    assert box["on_screen"] and box["within"] and box["covered"] == 0, box
    measured = readable_and_on_screen(page)
    assert measured["outside"] == [] and round(measured["smallest"], 2) >= MIN_TEXT_PX, measured
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"wall-join-write-{size_name}.png"))
    assert axe_violations(page) == []

    seed(server, room, ("phase.set", {"phase": "vote"}))
    expect(page.locator("#projector")).to_have_attribute("data-join", "compact")
    box = join_box(page)
    assert 0.1 <= box["qr_h"] < 0.22, box
    assert box["code_px"] >= 0.05, box
    assert box["on_screen"] and box["covered"] == 0, box
    measured = readable_and_on_screen(page)
    assert measured["outside"] == [] and round(measured["smallest"], 2) >= MIN_TEXT_PX, measured
    page.screenshot(path=str(ARTIFACTS / f"wall-join-vote-{size_name}.png"))
    assert page.errors == []  # type: ignore[attr-defined]


def columns(page: Page) -> list[dict]:  # type: ignore[type-arg]
    return page.evaluate(
        """() => [...document.querySelectorAll('#projector-wall .projector-column')].map((c) => {
            const r = c.getBoundingClientRect();
            const wall = document.getElementById('projector-wall').getBoundingClientRect();
            const title = c.querySelector('.projector-area-title');
            return {title: title ? title.textContent : '', width: r.width / wall.width,
                    notes: c.querySelectorAll('.projector-note').length,
                    empty: (c.querySelector('.projector-column-empty') || {}).textContent || '',
                    visible: r.width > 0 && r.height > 0 && r.right <= innerWidth + 0.5};
        })"""
    )


@pytest.mark.parametrize("size_name", SIZES)
def test_every_area_is_a_column_even_when_empty(browser: Browser, contexts: list[BrowserContext],  # noqa: F811
                                                server: TavlaServer, size_name: str) -> None:  # noqa: F811
    """Before anyone writes, the wall shows the three areas' titles, each saying "No notes
    yet."; with 20 notes in the first area only, the two empty areas stay as narrow columns with
    their titles and the full one keeps most of the width, every note on screen at ≥ 14 px."""
    room = server.create_room("Hjemmetjenesten", "nb", phase="write", template="need-solution-test-board")
    page = facilitator_page(browser, contexts, server, room, size_name, "?projector=1")
    expect(page.locator("#projector-wall .projector-area-title")).to_have_text(AREAS_NB)
    expect(page.locator("#projector-wall .projector-column-empty")).to_have_text(["Ingen lapper ennå."] * 3)
    expect(page.locator("#projector-empty")).to_be_hidden()
    assert all(c["visible"] for c in columns(page))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"wall-empty-areas-{size_name}.png"))
    assert axe_violations(page) == []

    seed(server, room, *[("note.create", {"id": f"n{i}", "text": TEXTS[i % len(TEXTS)], "color": COLORS[i % 6],
                                          "x": AREA_X[0] + 40 + 250 * (i % 5), "y": 300 + 200 * (i // 5)})
                         for i in range(20)])
    expect(page.locator("#projector-wall .projector-note")).to_have_count(20)
    expect(page.locator("#projector-wall .projector-area-title")).to_have_text(AREAS_NB)
    page.screenshot(path=str(ARTIFACTS / f"wall-one-full-area-{size_name}.png"))
    cols = columns(page)
    assert [c["notes"] for c in cols] == [20, 0, 0], cols
    assert [c["empty"] for c in cols] == ["", "Ingen lapper ennå.", "Ingen lapper ennå."], cols
    assert all(c["visible"] for c in cols), cols
    assert cols[0]["width"] >= 0.6, cols  # shares of the wall's width: the full column keeps its room
    assert all(c["width"] <= 0.2 for c in cols[1:]), cols
    measured = readable_and_on_screen(page)
    assert measured["outside"] == [] and round(measured["smallest"], 2) >= MIN_TEXT_PX, measured
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("size_name", SIZES)
def test_the_lobby_shows_the_join_code_large_and_the_rounds_areas(browser: Browser, contexts: list[BrowserContext],  # noqa: F811
                                                                  server: TavlaServer, size_name: str) -> None:  # noqa: F811
    """While people arrive (the lobby of a Behov – Løsning – Test session): the QR code and the
    code at their largest, the first round's two areas as empty columns beside them."""
    room = server.create_room("Hjemmetjenesten", "nb", phase="lobby", template="need-solution-test")
    page = facilitator_page(browser, contexts, server, room, size_name, "?projector=1")
    expect(page.locator("#projector")).to_have_attribute("data-join", "lobby")
    expect(page.locator("#projector-wall .projector-area-title")).to_have_text(
        ["Slik opplever brukeren det i dag", "Det brukeren trenger"])
    box = join_box(page)
    assert box["qr_h"] >= 0.3 and box["code_px"] >= 0.07 and box["on_screen"] and box["within"], box
    # Two empty areas share the wall's width.
    assert all(0.4 <= c["width"] <= 0.6 for c in columns(page)), columns(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"wall-lobby-{size_name}.png"))
    assert axe_violations(page) == []
    assert page.errors == []  # type: ignore[attr-defined]
