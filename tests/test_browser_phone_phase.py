"""What to do now, on a phone, in a real Chromium against a real server: a participant's 390×844
phone shows a few words of the phase's instruction beside "Phase: Group" / "Phase: Vote" in every
phase but the lobby, in every language (it was a screen-reader-only sentence: walkthrough 4,
finding 5), on one line, while the list still fills at least 65 % of the screen with the round and
its prompt showing; beside a running timer the words make the phase bar no taller. Voting, while
the question is still shown in full, the dots left take the words' place until it folds.
Screenshots go to test-artifacts/phone-phase-*.png."""

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
           "cluster": "Samle lapper som hører sammen.",
           "vote": "Trykk «Gi en prikk» på det viktigste.",
           "results": "Fasilitatoren viser resultatene."},
    "sv": {"write": "Skriv dina idéer, en per lapp.",
           "cluster": "Samla lappar som hör ihop.",
           "vote": "Tryck ”Ge en prick” på det viktigaste.",
           "results": "Facilitatorn visar resultatet."},
    "en": {"write": "Write your ideas, one per note.",
           "cluster": "Group the notes that belong together.",
           "vote": "Tap “Add a dot” on what matters most.",
           "results": "The facilitator shows the results."},
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
        expect(page.locator("#prompt-wrap")).to_have_class("prompt-wrap is-fresh")
        if phase == "vote":
            # The round's question in full and the dots left leave no room for a line more: the
            # dots left sit beside the phase's name, and the words come once the question folds.
            expect(tip).to_be_hidden()
            chip, dots = (page.locator(s).bounding_box() for s in (".phase-name", "#dots-left"))
            assert chip and dots and abs(chip["y"] - dots["y"]) < chip["height"], "the dots left took a line of their own"
            assert list_share(page) >= 0.65, f"vote: the list shows only {list_share(page):.0%} of the phone"
            shot(page, f"vote-fresh-{language}")
            page.locator("#list-body").hover()
            page.mouse.wheel(0, 200)
            expect(page.locator("#prompt-wrap")).not_to_have_class("prompt-wrap is-fresh")
        expect(tip).to_be_visible()
        shown = tip_shown(page)
        assert shown["width"] > 100 and shown["inside"], f"{phase}: the instruction is not shown ({shown})"
        assert shown["lines"] == 1 and not shown["cut"], f"{phase}: the instruction is cut or too long ({shown})"
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
