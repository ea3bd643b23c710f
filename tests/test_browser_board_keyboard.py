"""The board by keyboard, in a real Chromium against a real server, counted in real Tab presses:
from the top of the page, a facilitator reaches the board in three presses ("Skip to the board",
visible when focused); from the Facilitation toggle, past the facilitation panel's forty-odd
controls, in a handful (its own "Skip to the board" at the top); from the people panel, after
the board in the tab order, by "Back to the board"; and a phone's list the same way. In nb, with
screenshots of the focused links (laptop 1366×768, phone 390×844) in test-artifacts/."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.support.browser import (  # noqa: F401
    axe_violations, browser, contexts, join, open_page, seed, server, shooter)
from tests.support.servers import TavlaServer

pytestmark = pytest.mark.browser

save = shooter("keyboard")
WHERE = """() => {
    const a = document.activeElement;
    const r = a ? a.getBoundingClientRect() : null;
    return {on_board: Boolean(a && a.closest('#viewport, #list-body')),
            to_board: Boolean(a && a.matches('a[data-to-board]')), text: a ? (a.textContent || '').trim().slice(0, 40) : '',
            seen: Boolean(r && r.width > 20 && r.height > 10 && r.top >= 0 && r.bottom <= innerHeight && r.left >= 0)};
}"""


def presses_to_board(page: Page, limit: int = 90, shot: str = "") -> tuple[int, list[str]]:
    """Real Tab presses from where the focus is, with Enter on a link to the board when one gets
    the focus (each counted), until the keyboard is on the board; and the way it went."""
    way: list[str] = []
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        where = page.evaluate(WHERE)
        way.append(where["text"])
        if where["on_board"]:
            return presses, way
        if where["to_board"]:
            assert where["seen"], f"the link {where['text']!r} is not visible while it has the focus"
            if shot:
                save(page, shot)
            page.keyboard.press("Enter")
            way.append("Enter")
            assert page.evaluate(WHERE)["on_board"], way
            return presses + 1, way
    return limit + 1, way


def test_a_facilitator_reaches_the_board_in_a_few_tab_presses(browser: Browser, contexts: list[BrowserContext],  # noqa: F811
                                                              server: TavlaServer) -> None:  # noqa: F811
    room = server.create_room("Skolevei", "nb", phase="write", template="need-solution-test")
    seed(server, room, *[("note.create", {"id": f"n{i}", "text": f"Lys i krysset {i}", "color": "yellow",
                                          "x": 100 + 240 * i, "y": 300}) for i in range(3)])
    page = open_page(browser, contexts, room["urls"]["facilitator"], size="laptop")
    join(page, "Kari")
    expect(page.locator("#facilitator-panel")).to_be_visible()
    expect(page.locator("#people-panel")).to_be_visible()
    expect(page.locator(".note")).to_have_count(3)

    # From the top of the page (a fresh load: the keyboard starts before everything).
    page.reload()
    expect(page.locator("#connection-status")).to_have_attribute("data-status", "connected")
    expect(page.locator(".note")).to_have_count(3)
    presses, way = presses_to_board(page, shot="page-top-laptop")
    assert way[-2] == "Hopp til tavlen", way
    assert presses <= 3, way
    expect(page.locator("#viewport")).to_be_focused()

    # From the Facilitation toggle: past the panel by its own skip link, not 40-odd controls.
    page.locator("#facilitator-toggle").focus()
    presses, way = presses_to_board(page, shot="facilitation-panel-laptop")
    assert presses <= 15, way
    assert "Hopp til tavlen" in way, way

    # From the people panel, after the board in the tab order: "Back to the board" at its end.
    first = page.evaluate("""() => {
        const all = [...document.querySelectorAll('#people-panel a[href], #people-panel button, #people-panel input, #people-panel [tabindex="0"]')];
        const shown = all.filter((e) => e.getClientRects().length > 0);
        shown[0].focus();
        return [document.activeElement === shown[0], shown.length];
    }""")
    assert first[0], first
    presses, way = presses_to_board(page, shot="people-panel-laptop")
    assert presses <= 10, way
    assert "Tilbake til tavlen" in way, way
    expect(page.locator("#viewport")).to_be_focused()

    # The evaluation panel ends with the same link.
    page.locator("#evaluation-toggle").click()
    back = page.locator("#evaluation-panel a[data-to-board]")
    expect(back).to_have_text("Tilbake til tavlen")
    back.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#viewport")).to_be_focused()
    assert axe_violations(page) == []
    assert page.errors == []  # type: ignore[attr-defined]


def test_a_phone_reaches_the_list_in_a_few_tab_presses(browser: Browser, contexts: list[BrowserContext],  # noqa: F811
                                                       server: TavlaServer) -> None:  # noqa: F811
    room = server.create_room("Skolevei", "nb", phase="write", template="need-solution-test")
    seed(server, room, ("note.create", {"id": "n1", "text": "Lys i krysset", "color": "yellow", "x": 100, "y": 300}))
    page = open_page(browser, contexts, room["urls"]["participant"], size="phone", view="default")
    join(page, "Ola")
    expect(page.locator("[data-list-note]")).to_have_count(1)
    page.reload()
    expect(page.locator("[data-list-note]")).to_have_count(1)
    presses, way = presses_to_board(page, shot="page-top-phone")
    assert presses <= 3, way
    expect(page.locator("#list-body")).to_be_focused()
    assert page.errors == []  # type: ignore[attr-defined]
