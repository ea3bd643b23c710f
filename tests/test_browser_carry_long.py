"""A long need carried into the next round as an area (walkthrough 4, finding 2): the solution
round's column is headed by the need as it was written, not "…de samme opplysnin…", on the
projector (1920×1080), on a phone's list and in its new-note dialog's area choice (390×844), and
on the laptop's board (1366×768), where a long title is set smaller in the area's title band and
shows whole on hover. Screenshots: test-artifacts/carry-long-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from tests.support.browser import (  # noqa: F401
    browser, contexts, join, open_panel, page_at, server, shooter, wait_until_sent)
from tests.support.servers import TavlaServer
from tests.test_browser_results import act
from tests.test_domain_rounds import LONG_NEED

pytestmark = pytest.mark.browser

shot = shooter("carry-long")
SHORT_NEED = "Trenger å se hvor i køen søknaden ligger"


def test_a_long_need_carried_as_an_area_is_whole_on_every_screen(browser: Browser, contexts: list[BrowserContext],  # noqa: F811
                                                                  server: TavlaServer) -> None:  # noqa: F811
    room = server.create_room("Hjemmehjelp", "nb", phase="write", template="need-solution-test")
    code, fac = room["code"], {"name": "Kari", "key": room["facilitator_key"]}
    act(server, code, {"name": "Ola", "department": "Innbyggere"}, [
        ("note.create", {"id": "n1", "text": LONG_NEED, "color": "yellow", "x": 100, "y": 400}),
        ("note.create", {"id": "n2", "text": SHORT_NEED, "color": "pink", "x": 100, "y": 800}),
    ])
    act(server, code, fac, [
        ("notes.reveal", {}),
        ("round.carry", {"from": "need", "to": "solution", "items": ["n1", "n2"], "as": "areas"}),
        ("round.go", {"round": "solution"}),
    ])

    projector = page_at(browser, contexts, f"{server.http}/r/{code}?projector=1#key={room['facilitator_key']}", "projector")
    join(projector, "Projektor")
    titles = projector.locator(".projector-area-title")
    expect(titles).to_have_text([LONG_NEED, SHORT_NEED])
    shot(projector, "projector")

    phone = page_at(browser, contexts, room["urls"]["participant"], "phone", view="list")
    join(phone, "Siri", "Pårørende")
    expect(phone.locator(".list-area .list-section-title").first).to_have_text(LONG_NEED)
    shot(phone, "phone-list")
    phone.locator("#list-add").click()
    expect(phone.locator("#note-area option").first).to_have_text(LONG_NEED)
    shot(phone, "phone-add-dialog")
    phone.locator("#note-text").fill("Ett kort skjema")
    phone.locator("#note-area").select_option(label=LONG_NEED)
    phone.locator("#note-save").click()
    area = phone.locator(".list-area", has=phone.locator(".list-section-title", has_text=LONG_NEED))
    expect(area.get_by_text("Ett kort skjema")).to_be_visible()

    laptop = page_at(browser, contexts, room["urls"]["participant"], "laptop", view="canvas")
    join(laptop, "Per", "Helse")
    title = laptop.locator("#areas .area-title").first
    expect(title).to_have_text(LONG_NEED)
    expect(title).to_have_attribute("title", LONG_NEED)
    # Set smaller, it stays in the area's title band above the first row of notes (96 board px).
    band = title.evaluate("t => t.offsetTop + t.offsetHeight")
    assert band <= 110, band
    shot(laptop, "laptop-board")
    # The facilitator's plan editor holds the whole title, and the plan saves as it is.
    kari = page_at(browser, contexts, room["urls"]["facilitator"], "laptop")
    join(kari, "Kari")
    open_panel(kari, "facilitator")
    kari.locator("#rounds-plan-open").click()
    plan = kari.locator("#plan-dialog")
    expect(plan.locator(".plan-round").nth(1).locator(".plan-area-input").first).to_have_value(LONG_NEED)
    shot(kari, "laptop-plan-editor")
    kari.locator("#plan-save").click()
    expect(plan).to_be_hidden()
    wait_until_sent(kari)
    expect(kari.locator("#plan-error")).to_be_hidden()
    expect(title).to_have_text(LONG_NEED)
    for page in (projector, phone, laptop, kari):
        assert page.errors == []  # type: ignore[attr-defined]
