"""Browser fixtures and steps shared by the Playwright tests (Debian's Chromium, never a download)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.support.servers import TavlaServer, require

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    chromium = require("chromium", "chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-gpu"],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server() -> Iterator[TavlaServer]:
    tavla = TavlaServer().start()
    yield tavla
    tavla.stop()


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def open_page(browser: Browser, contexts: list[BrowserContext], url: str, phone: bool = False) -> Page:
    options = {"viewport": {"width": 390, "height": 800}, "has_touch": True, "is_mobile": True} if phone else {
        "viewport": {"width": 1280, "height": 800}}
    context = browser.new_context(**options)
    contexts.append(context)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.errors = errors  # type: ignore[attr-defined]
    page.goto(url)
    return page


def join(page: Page, name: str, department: str = "") -> None:
    page.locator("#join-name").fill(name)
    page.locator("#join-department").fill(department)
    page.locator("#join-submit").click()
    expect(page.locator("#connection-status")).to_have_attribute("data-status", "connected")


def add_note(page: Page, text: str) -> None:
    """By id, so it works in every language (the English names are checked in the first test)."""
    page.locator("#add-note").click()
    page.locator("#note-text").fill(text)
    page.locator("#note-save").click()


def start_phase(page: Page, phase: str) -> None:
    """On a facilitator's page: open the facilitation panel if it is closed (as on a phone),
    choose `phase`, and wait until the server has it."""
    toggle = page.locator("#facilitator-toggle")
    expect(toggle).to_be_visible()  # the panel's default (open on a laptop) is settled by now
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    button = page.locator(f"#phase-button-{phase}")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#phase-banner")).to_have_attribute("data-phase", phase)
    wait_until_sent(page)


def wait_until_sent(page: Page) -> None:
    """Until the page's outbox is empty: every change it made is acknowledged by the server."""
    code = page.evaluate("document.body.dataset.code")
    page.wait_for_function(f"() => !localStorage.getItem('tavla:{code}:outbox')")
