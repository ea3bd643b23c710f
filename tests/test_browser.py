"""The board in a real Chromium (Debian's, driven by Playwright) against a real Tavla process."""

from __future__ import annotations

import re
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.support.browser import (  # noqa: F401
    add_note,
    axe_violations,
    browser,
    contexts,
    join,
    open_page,
    server,
    start_phase,
    wait_until_sent,
)
from tests.support.servers import TavlaServer

pytestmark = pytest.mark.browser

def test_two_browsers_see_each_others_notes_move_live(browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:
    """A facilitator on a laptop and a participant on a phone see each other's notes appear,
    move and change, and text is shown as text, never as markup."""
    room = server.create_room("Bedre skolevei", phase="lobby")
    laptop = open_page(browser, contexts, room["urls"]["facilitator"])
    join(laptop, "Kari", "Helse")
    phone = open_page(browser, contexts, room["urls"]["participant"], phone=True)
    join(phone, "Ola", "Skole")
    expect(laptop.locator("#me")).to_contain_text("Facilitator")
    start_phase(laptop, "write")

    laptop.get_by_role("button", name="Add note", exact=True).click()
    laptop.get_by_label("Note text").fill("Trygg <b>kryssing</b> & lys")
    laptop.get_by_role("button", name="Save", exact=True).click()
    note = phone.locator("[data-note-id]")
    expect(note).to_have_count(1)
    expect(note).to_contain_text("Trygg <b>kryssing</b> & lys")
    assert phone.locator("[data-note-id] b").count() == 0
    note_id = note.get_attribute("data-note-id")

    add_note(phone, "Fra mobilen")
    expect(laptop.locator("[data-note-id]")).to_have_count(2)

    mine = laptop.locator(f'[data-note-id="{note_id}"]')
    theirs = phone.locator(f'[data-note-id="{note_id}"]')
    before = theirs.evaluate("e => e.style.transform")
    mine.focus()
    laptop.keyboard.press("Shift+ArrowRight")
    laptop.keyboard.press("Shift+ArrowDown")
    wait_until_sent(laptop)  # both moves acknowledged: the laptop shows where the note is now
    moved = mine.evaluate("e => e.style.transform")
    assert moved != before
    expect(theirs).to_have_attribute("style", re.compile(re.escape(moved)))

    box = mine.bounding_box()
    assert box is not None
    laptop.mouse.move(box["x"] + 40, box["y"] + 30)
    laptop.mouse.down()
    laptop.mouse.move(box["x"] + 240, box["y"] + 130, steps=8)
    laptop.mouse.up()
    expect(theirs).to_have_attribute("style", re.compile(re.escape(mine.evaluate("e => e.style.transform"))))

    mine.dblclick()
    laptop.get_by_label("Note text").fill("Trygg kryssing ved skolen")
    laptop.get_by_role("button", name="Save", exact=True).click()
    expect(theirs).to_contain_text("Trygg kryssing ved skolen")
    assert laptop.errors == [] and phone.errors == []  # type: ignore[attr-defined]


def test_notes_written_offline_arrive_once(browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:
    """A phone that loses its connection keeps what it writes and sends it, exactly once, when back."""
    room = server.create_room(phase="lobby")
    facilitator = open_page(browser, contexts, room["urls"]["facilitator"])
    join(facilitator, "Kari")
    start_phase(facilitator, "write")
    watcher = open_page(browser, contexts, room["urls"]["participant"])
    join(watcher, "Watcher")
    phone = open_page(browser, contexts, room["urls"]["participant"], phone=True)
    join(phone, "Per")

    phone.context.set_offline(True)
    expect(phone.locator("#connection-status")).not_to_have_attribute("data-status", "connected")
    add_note(phone, "skrevet uten nett")
    add_note(phone, "også uten nett")
    expect(phone.locator("[data-note-id]")).to_have_count(2)
    expect(watcher.locator("[data-note-id]")).to_have_count(0)

    phone.context.set_offline(False)
    expect(watcher.locator("[data-note-id]")).to_have_count(2, timeout=20_000)
    expect(phone.locator("#connection-status")).to_have_attribute("data-status", "connected")
    outbox = phone.evaluate(f"localStorage.getItem('tavla:{room['code']}:outbox')")
    assert outbox in (None, "[]")
    phone.reload()
    expect(phone.locator("#connection-status")).to_have_attribute("data-status", "connected")
    expect(phone.locator("[data-note-id]")).to_have_count(2)
    expect(watcher.locator("[data-note-id]")).to_have_count(2)


def test_reload_keeps_the_same_person(browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:
    """Reloading the page does not ask for the name again and keeps authorship of notes."""
    room = server.create_room(phase="lobby")
    facilitator = open_page(browser, contexts, room["urls"]["facilitator"])
    join(facilitator, "Kari")
    start_phase(facilitator, "write")
    page = open_page(browser, contexts, room["urls"]["participant"])
    join(page, "Lise", "NAV")
    add_note(page, "min idé")
    expect(page.locator("[data-note-id].is-mine")).to_have_count(1)
    page.reload()
    expect(page.locator("#connection-status")).to_have_attribute("data-status", "connected")
    expect(page.locator("#join-screen")).to_be_hidden()
    expect(page.locator("#me")).to_contain_text("Lise")
    expect(page.locator("[data-note-id].is-mine")).to_have_count(1)


@pytest.mark.parametrize("lang", ["nb", "sv", "en"])
def test_pages_meet_wcag_21_aa(browser: Browser, contexts: list[BrowserContext], server: TavlaServer, lang: str) -> None:
    """axe-core finds no WCAG 2.1 A/AA violation on the landing page, the join form, the board
    with notes, and the note dialog, in every language, on a phone and a laptop."""
    def check(page: Page, what: str) -> None:
        violations = axe_violations(page)
        assert violations == [], f"{what} ({lang}): {violations}"

    landing = open_page(browser, contexts, f"{server.http}/?lang={lang}")
    check(landing, "landing")
    room = server.create_room("Tilgjengelighet", lang, phase="lobby")
    facilitator = open_page(browser, contexts, room["urls"]["facilitator"])
    join(facilitator, "Kari", "Helse")
    start_phase(facilitator, "write")
    for phone in (False, True):
        page = open_page(browser, contexts, room["urls"]["participant"], phone=phone)
        check(page, "join form")
        join(page, f"Person {int(phone)}", "Kultur")
        add_note(page, "En lapp")
        expect(page.locator("[data-note-id]").first).to_be_visible()
        check(page, "board")
        page.locator("[data-note-id].is-mine").first.dblclick()
        expect(page.locator("#note-dialog")).to_be_visible()
        check(page, "note dialog")


def test_zoom_is_remembered_per_room(browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:
    """The facilitator zooms out in one session; a reload keeps that zoom, but a new session on
    the same laptop opens at the default zoom, and the first session still has its own."""
    first = server.create_room("Første")
    second = server.create_room("Andre")
    laptop = open_page(browser, contexts, first["urls"]["facilitator"])
    join(laptop, "Kari")
    level = laptop.locator("#zoom-level")
    expect(level).to_have_text("80%")
    laptop.locator("#zoom-out").click()
    laptop.locator("#zoom-out").click()
    expect(level).to_have_text("51%")
    laptop.reload()
    expect(laptop.locator("#zoom-level")).to_have_text("51%")

    laptop.goto(second["urls"]["facilitator"])
    join(laptop, "Kari")
    expect(laptop.locator("#zoom-level")).to_have_text("80%")
    laptop.goto(first["urls"]["facilitator"])
    expect(laptop.locator("#zoom-level")).to_have_text("51%")
