"""What to do now, on a phone, in a real Chromium against a real server: a participant's 390×844
phone shows a few words of the phase's instruction beside "Phase: Group" / "Phase: Vote" in every
phase and language (it was a screen-reader-only sentence: walkthrough 4, finding 5), in at most
two lines, while the list still fills at least 65 % of the screen with the round, its prompt and
the dots left showing; beside a running timer the words make the phase bar no taller. Screenshots go to test-artifacts/phone-phase-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.support.browser import (  # noqa: F401
    axe_violations,
    browser,
    contexts,
    join,
    list_share,
    open_page,
    seed,
    server,
    shooter,
)
from tests.support.servers import TavlaServer
from tests.test_browser_list import notes

pytestmark = pytest.mark.browser

shot = shooter("phone-phase")

LOBBY = {"nb": "Fasilitatoren starter økten snart.", "sv": "Facilitatorn startar sessionen snart.",
         "en": "The facilitator will start the session soon."}
TIPS = {
    "nb": {"write": "Skriv ideene dine, én per lapp.",
           "cluster": "Dra en lapp til en gruppe, eller åpne den og velg.",
           "vote": "Trykk «Gi en prikk» på det viktigste.",
           "results": "Fasilitatoren går gjennom resultatene."},
    "sv": {"write": "Skriv dina idéer, en per lapp.",
           "cluster": "Dra en lapp till en grupp, eller öppna den och välj.",
           "vote": "Tryck ”Ge en prick” på det viktigaste.",
           "results": "Facilitatorn går igenom resultatet."},
    "en": {"write": "Write your ideas, one per note.",
           "cluster": "Drag a note into a group, or open it to choose one.",
           "vote": "Tap “Add a dot” on what matters most.",
           "results": "The facilitator goes through the results."},
}


def tip_shown(page: Page) -> dict:  # type: ignore[type-arg]
    """The phase line as a sighted person sees it: its size, lines, and whether any of it is cut."""
    return page.evaluate(
        """() => {
            const line = document.querySelector('.phase-line');
            const tip = document.getElementById('phase-tip').getBoundingClientRect();
            const height = parseFloat(getComputedStyle(line).lineHeight);
            return {width: Math.round(tip.width), lines: Math.round(line.clientHeight / height),
                    cut: line.scrollHeight > line.clientHeight + 1, inside: tip.bottom <= innerHeight && tip.top >= 0};
        }"""
    )


@pytest.mark.parametrize("language", ["nb", "sv", "en"])
def test_a_phone_shows_what_to_do_in_every_phase(browser: Browser, contexts: list[BrowserContext],  # noqa: F811
                                                 server: TavlaServer, language: str) -> None:  # noqa: F811
    room = server.create_room("Hjemmetjenesten", language, phase="lobby", template="need-solution-test")
    page = open_page(browser, contexts, room["urls"]["participant"], size="phone", view="default")
    join(page, "Ola", "Skole")
    tip = page.locator("#phase-tip")
    # The lobby: nothing to do yet, and the list says so; the phase bar is its name alone.
    expect(page.locator("#list-body")).to_contain_text(LOBBY[language])
    expect(tip).to_be_empty()
    for phase in ("write", "cluster", "vote", "results"):
        if phase == "write":
            seed(server, room, ("phase.set", {"phase": "write"}), *notes(8, "Behov"))
        elif phase == "cluster":  # as in a workshop: the notes revealed, then grouped
            seed(server, room, ("notes.reveal", {}), ("phase.set", {"phase": "cluster"}))

        else:
            seed(server, room, ("phase.set", {"phase": phase}))
        expect(page.locator("#phase-banner")).to_have_attribute("data-phase", phase)
        expect(tip).to_have_text(TIPS[language][phase])
        expect(tip).to_be_visible()
        shown = tip_shown(page)
        assert shown["width"] > 100 and shown["inside"], f"{phase}: the instruction is not shown ({shown})"
        assert shown["lines"] <= 2 and not shown["cut"], f"{phase}: the instruction is cut or too long ({shown})"
        # The whole sentence is still what a screen reader hears (the short one is not read twice).
        expect(tip).to_have_attribute("aria-hidden", "true")
        expect(page.locator("#phase-text")).not_to_be_empty()
        shot(page, f"{phase}-{language}")
        share = list_share(page)
        assert share >= 0.65, f"{phase}: the list shows only {share:.0%} of the phone in {language}"
        if phase == "vote":
            # The timer beside the phase: the words wrap in the room it leaves, and the bar is
            # no taller than the timer makes it anyway (its mute button is a tap high).
            seed(server, room, ("timer.start", {"duration_ms": 600_000}))
            expect(page.locator("#timer-box")).to_be_visible()
            shown = tip_shown(page)
            assert shown["lines"] <= 2 and not shown["cut"] and shown["width"] > 100, f"with the timer: {shown}"
            line, timer = (page.locator(s).bounding_box()["height"] for s in (".phase-line", "#timer-box"))  # type: ignore[index]
            assert line <= timer, f"the phase's words ({line} px) make the bar taller than the timer ({timer} px)"
            shot(page, f"vote-timer-{language}")
            seed(server, room, ("timer.reset", {}))
            expect(page.locator("#timer-box")).to_be_hidden()
    assert axe_violations(page) == []
    assert page.errors == []  # type: ignore[attr-defined]


def test_a_laptop_shows_the_whole_sentence_not_the_short_one(browser: Browser, contexts: list[BrowserContext],  # noqa: F811
                                                             server: TavlaServer) -> None:  # noqa: F811
    room = server.create_room("Hjemmetjenesten", "nb", phase="cluster")
    page = open_page(browser, contexts, room["urls"]["participant"], size="laptop")
    join(page, "Ola")
    expect(page.locator("#phase-text")).to_have_text(
        "Samle lapper som hører sammen i en gruppe: dra lappen inn i gruppen, eller åpne lappen og velg gruppe.")
    expect(page.locator("#phase-text")).to_be_visible()
    expect(page.locator("#phase-tip")).to_be_hidden()
