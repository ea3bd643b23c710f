"""The board as it is today follows a round switch made elsewhere (the facilitator's socket):
the other round's prompt, areas and notes replace the old ones on a laptop (canvas) and a phone
(list), and going back brings the first board back. The stepper and the carry dialog are the
client's own work (t14c); this checks the reducer keeps every existing view right."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from tests.support.browser import browser, contexts, join, note, open_page, server, shot  # noqa: F401
from tests.support.servers import TavlaServer
from tests.test_browser_results import act

pytestmark = pytest.mark.browser


def test_the_board_follows_the_active_round(browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:  # noqa: F811
    room = server.create_room("Skolevei", "nb", phase="write", template="need-solution-test")
    code, fac = room["code"], {"name": "Frida", "key": room["facilitator_key"]}
    act(server, code, {"name": "Ola", "department": "Skole"}, [
        ("note.create", {"id": "n1", "text": "Trygg kryssing ved skolen", "color": "yellow", "x": 100, "y": 400}),
    ])
    act(server, code, fac, [("notes.reveal", {})])  # BLT writes in private first
    laptop = open_page(browser, contexts, room["urls"]["participant"])
    join(laptop, "Kari", "Helse")
    phone = open_page(browser, contexts, room["urls"]["participant"], phone=True, view="list")
    join(phone, "Per", "Skole")
    expect(laptop.locator("#room-prompt")).to_contain_text("Hva trenger brukeren egentlig?")
    expect(note(laptop, "n1")).to_be_visible()
    expect(phone.get_by_text("Trygg kryssing ved skolen")).to_be_visible()

    act(server, code, fac, [("round.go", {"round": "solution"})])
    for page in (laptop, phone):
        expect(page.locator("#room-prompt")).to_contain_text("Hvilke løsninger kan møte de viktigste behovene?")
        expect(page.get_by_text("Trygg kryssing ved skolen")).to_have_count(0)
    expect(laptop.get_by_text("Små forbedringer").first).to_be_visible()
    shot(laptop, "follow-laptop", "rounds")
    shot(phone, "follow-phone", "rounds")

    act(server, code, fac, [("round.go", {"round": "need"})])
    expect(note(laptop, "n1")).to_be_visible()
    expect(phone.get_by_text("Trygg kryssing ved skolen")).to_be_visible()
    expect(laptop.locator("#room-prompt")).to_contain_text("Hva trenger brukeren egentlig?")
    assert laptop.errors == [] and phone.errors == []  # type: ignore[attr-defined]
