"""Who is in the room, in a real Chromium: the facilitator turns on "Ask to join" with the
keyboard, a phone waits on the waiting screen, the facilitator lets her in from the People panel,
then removes her; her page says so and stays there, also after a reload. Screenshots of each
screen at phone and laptop size go to test-artifacts/; axe finds no WCAG 2.1 AA violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect
from playwright.sync_api import Error as PlaywrightError

from tests.support.browser import (  # noqa: F401
    LAPTOP,
    PHONE,
    VIEWPORTS,
    assert_accessible,
    browser,
    contexts,
    join,
    open_page,
    open_panel,
    server,
    shot,
)
from tests.support.servers import TavlaServer

pytestmark = pytest.mark.browser



def shots(page: Page, name: str, what: str, show: Locator | None = None) -> None:
    """A screenshot at phone and laptop size (with `show` scrolled into view), and axe at each."""
    for size in ("phone", "laptop"):
        page.set_viewport_size(VIEWPORTS[size])
        if show is not None:
            scroll_to(show)
        shot(page, f"{name}-{size}", "people")
        assert_accessible(page, f"{what} at {size}")


def scroll_to(show: Locator) -> None:
    """Scroll `show` into view. The People list is drawn anew when presence changes, so the
    element found may be replaced while Playwright waits for it to be stable: find it again."""
    for attempt in range(3):
        try:
            show.scroll_into_view_if_needed(timeout=10_000)
            return
        except PlaywrightError:
            if attempt == 2:
                raise


def person(page: Page, name: str):  # type: ignore[no-untyped-def]
    return page.locator("#people-list li", has=page.locator(".person-name", has_text=name))


def test_ask_to_join_let_in_and_remove_with_the_keyboard(browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:
    room = server.create_room("Bedre skolevei", phase="write")
    facilitator = open_page(browser, contexts, room["urls"]["facilitator"])
    facilitator.set_viewport_size(LAPTOP)
    join(facilitator, "Kari", "Helse")
    open_panel(facilitator, "people")
    toggle = facilitator.locator("#lobby-toggle")
    toggle.focus()
    facilitator.keyboard.press("Space")
    expect(toggle).to_be_checked()
    expect(facilitator.locator("#waiting-empty")).to_have_text("Nobody is waiting.")

    ola = open_page(browser, contexts, room["urls"]["participant"], phone=True)
    ola.set_viewport_size(PHONE)
    ola.locator("#join-name").fill("Ola Nordmann")
    ola.locator("#join-department").fill("Skole")
    ola.locator("#join-submit").press("Enter")
    expect(ola.locator("#lobby-screen")).to_be_visible()
    expect(ola.locator("#lobby-screen-heading")).to_have_text("Waiting for the facilitator to let you in")
    expect(ola.locator("#lobby-you")).to_have_text("You: Ola Nordmann, Skole")
    expect(ola.locator("#board-screen")).to_be_hidden()
    expect(ola.locator("#connection-status")).to_have_text("Waiting to be let in…")
    shots(ola, "lobby-waiting", "the waiting screen")

    waiting = facilitator.locator("#waiting-list li")
    expect(waiting).to_have_count(1)
    expect(waiting).to_contain_text("Ola Nordmann")
    expect(facilitator.locator("#waiting-count")).to_have_text("1")
    # The People button itself says someone waits, so a missed toast does not hide them.
    expect(facilitator.locator("#people-count")).to_contain_text("1 waiting")
    shots(facilitator, "admit-list", "the waiting list", show=facilitator.get_by_role("button", name="Turn away (Ola Nordmann, Skole)"))
    facilitator.set_viewport_size(LAPTOP)
    open_panel(facilitator, "people")

    let_in = facilitator.get_by_role("button", name="Let in (Ola Nordmann, Skole)")
    let_in.focus()
    facilitator.keyboard.press("Enter")
    expect(ola.locator("#board-screen")).to_be_visible()
    expect(ola.locator("#connection-status")).to_have_attribute("data-status", "connected")
    expect(person(facilitator, "Ola Nordmann")).to_be_visible()
    expect(facilitator.locator("#waiting-list li")).to_have_count(0)
    ola.locator("#add-note").click()
    ola.locator("#note-text").fill("Lys i krysset")
    ola.locator("#note-save").click()
    expect(facilitator.locator(".note", has_text="Lys i krysset")).to_be_visible()

    remove = facilitator.get_by_role("button", name="Remove (Ola Nordmann, Skole)")
    expect(facilitator.get_by_role("button", name="Remove (Kari")).to_have_count(0)
    shots(facilitator, "panel-with-remove", "the People panel with Remove", show=remove)
    facilitator.set_viewport_size(LAPTOP)
    open_panel(facilitator, "people")
    remove.focus()
    facilitator.keyboard.press("Enter")
    dialog = facilitator.locator("#confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Remove Ola Nordmann from the session?")
    dialog.get_by_role("button", name="Remove").click()

    expect(ola.locator("#removed-screen")).to_be_visible()
    expect(ola.locator("#removed-heading")).to_have_text("You were removed from this session.")
    expect(ola.locator("#board-screen")).to_be_hidden()
    expect(ola.locator("#connection-status")).to_have_attribute("data-status", "removed")
    expect(person(facilitator, "Ola Nordmann")).to_have_count(0)
    expect(facilitator.locator(".note", has_text="Lys i krysset")).to_be_visible()
    shots(ola, "removed", "the removed screen")

    ola.reload()
    expect(ola.locator("#removed-screen")).to_be_visible()
    # Said once, by the removed screen: no toast repeating it after a reload.
    expect(ola.locator(".toast")).to_have_count(0)
    assert facilitator.errors == [], facilitator.errors  # type: ignore[attr-defined]
