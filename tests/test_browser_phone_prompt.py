"""The round's question on a phone, in a real Chromium against a real server: when a round or a
phase starts, or the facilitator changes the prompt, a participant's 390×844 phone shows it in
full up to three lines (longer: three lines and "Show more"), while the list still fills at
least 65 % of the screen; once the person scrolls or taps the notes it folds to one line, and
"Show more" / "Show less" open and fold it. Screenshots go to test-artifacts/phone-prompt-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.support.browser import axe_violations, browser, contexts, join, open_page, seed, server, shooter  # noqa: F401
from tests.support.servers import TavlaServer
from tests.test_browser_list import list_share, notes

pytestmark = pytest.mark.browser

NEED_PROMPT = "Hva trenger brukeren egentlig? Skriv ett behov per lapp, med brukerens ord."
LONG_PROMPT = ("Tenk på en innbygger som søker om hjemmetjenester for første gang. Hva trenger hun å vite før "
               "hun søker, mens hun venter på svar, og når tjenesten starter? Skriv ett behov per lapp, med "
               "hennes egne ord, og ta gjerne med det som går galt i dag.")


shot = shooter("phone-prompt")


def prompt_lines(page: Page) -> dict:  # type: ignore[type-arg]
    """How many lines of the prompt are drawn, and whether some of it is cut off."""
    return page.evaluate(
        """() => {
            const p = document.getElementById('room-prompt');
            const line = parseFloat(getComputedStyle(p).lineHeight);
            const pad = parseFloat(getComputedStyle(p).paddingTop) + parseFloat(getComputedStyle(p).paddingBottom);
            return {lines: Math.round((p.clientHeight - pad) / line),
                    cut: p.scrollHeight > p.clientHeight + 1 || p.scrollWidth > p.clientWidth + 1};
        }"""
    )


def test_the_prompt_shows_in_full_when_a_round_or_phase_starts(browser: Browser, contexts: list[BrowserContext],  # noqa: F811
                                                               server: TavlaServer) -> None:  # noqa: F811
    room = server.create_room("Hjemmetjenesten", "nb", phase="write", template="need-solution-test")
    seed(server, room, *notes(14, "Behov"))
    page = open_page(browser, contexts, room["urls"]["participant"], size="phone", view="default")
    join(page, "Ola", "Skole")
    expect(page.locator("[data-list-note]")).to_have_count(14)
    prompt = page.locator("#room-prompt")
    toggle = page.locator("#prompt-toggle")

    # Round 1 has started: the whole question, over two or three lines, no button needed.
    expect(prompt).to_have_text(NEED_PROMPT)
    expect(page.locator("#prompt-wrap")).to_have_class("prompt-wrap is-fresh")
    shown = prompt_lines(page)
    assert shown == {"lines": shown["lines"], "cut": False} and 2 <= shown["lines"] <= 3, shown
    expect(toggle).to_be_hidden()
    assert list_share(page) >= 0.65, f"the list shows only {list_share(page):.0%} of the phone"
    shot(page, "round-start")
    assert axe_violations(page) == []

    # Scrolling the notes folds it to one line, with "Show more" beside it.
    page.locator("#list-body").hover()
    page.mouse.wheel(0, 300)
    expect(page.locator("#prompt-wrap")).not_to_have_class("prompt-wrap is-fresh")
    assert prompt_lines(page) == {"lines": 1, "cut": True}
    expect(toggle).to_be_visible()
    expect(toggle).to_have_text("Vis mer")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    shot(page, "folded")

    # A new phase: the question is back in full.
    seed(server, room, ("phase.set", {"phase": "cluster"}))
    expect(page.locator("#phase-banner")).to_have_attribute("data-phase", "cluster")
    expect(page.locator("#prompt-wrap")).to_have_class("prompt-wrap is-fresh")
    assert prompt_lines(page)["cut"] is False

    # A tap on the list folds it; a long new prompt comes back as three lines and "Show more".
    page.locator("#list-body").tap()
    expect(page.locator("#prompt-wrap")).not_to_have_class("prompt-wrap is-fresh")
    seed(server, room, ("room.update", {"prompt": LONG_PROMPT}))
    expect(prompt).to_have_text(LONG_PROMPT)
    expect(toggle).to_be_visible()
    assert prompt_lines(page) == {"lines": 3, "cut": True}
    assert list_share(page) >= 0.65, f"the list shows only {list_share(page):.0%} of the phone"
    shot(page, "long-prompt")
    toggle.tap()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(toggle).to_have_text("Vis mindre")
    assert prompt_lines(page)["cut"] is False
    shot(page, "long-prompt-open")
    toggle.tap()
    assert prompt_lines(page) == {"lines": 1, "cut": True}

    # The next round: its label on the first line, its question in full under it.
    seed(server, room, ("round.go", {"round": "solution"}))
    expect(page.locator("#round-label .round-title")).to_have_text("Løsning")
    expect(page.locator("#prompt-wrap")).to_have_class("prompt-wrap is-fresh")
    assert prompt_lines(page)["cut"] is False
    assert list_share(page) >= 0.65, f"the list shows only {list_share(page):.0%} of the phone"
    shot(page, "next-round")
    assert axe_violations(page) == []
    assert page.errors == []  # type: ignore[attr-defined]
