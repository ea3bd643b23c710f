"""What the new-user walkthrough of a whole BLT workshop found, fixed, in real Chromium against a
real server: a facilitator who starts writing in the open is reminded (quietly, with the switch
right there) that everyone reads every note as it is typed; BLT's rounds start in private anyway;
the carry dialog ticks every idea tied at the cut-off and says so. Screenshots go to
test-artifacts/blt-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from tests.support.browser import (  # noqa: F401
    LAPTOP,
    PHONE,
    axe_violations,
    browser,
    contexts,
    join,
    open_panel,
    page_at,
    seed,
    server,
    shooter,
    start_phase,
    wait_until_sent,
)
from tests.support.servers import TavlaServer

pytestmark = pytest.mark.browser

shot = shooter("blt")


NUDGE = {
    "nb": "Alle ser lappene mens de skrives. Slå på «Skriv hver for seg», så kan alle skrive for seg selv først.",
    "sv": "Alla ser lapparna medan de skrivs. Slå på ”Skriv var för sig”, så kan alla skriva för sig själva först.",
    "en": "Everyone sees the notes as they are written. Turn on private writing to let people write on their own first.",
}


@pytest.mark.parametrize("language", ["nb", "sv", "en"])
def test_starting_to_write_in_the_open_shows_a_quiet_reminder_with_the_switch(
        browser: Browser, contexts: list[BrowserContext], server: TavlaServer, language: str) -> None:
    """A facilitator who starts the Write phase with private writing off and people in the room
    sees one short line under the phase buttons, and can turn private writing on right there."""
    room = server.create_room("Verksted", language, phase="lobby")
    kari = page_at(browser, contexts, room["urls"]["facilitator"], "laptop")
    join(kari, "Kari")
    open_panel(kari, "facilitator")
    nudge = kari.locator("#private-nudge")
    start_phase(kari, "write")
    expect(nudge).to_be_hidden()  # nobody to write yet: nothing to remind of
    ola = page_at(browser, contexts, room["urls"]["participant"], "phone")
    join(ola, "Ola", "Helse")
    expect(nudge).to_be_visible()
    expect(nudge.locator("#private-nudge-text")).to_have_text(NUDGE[language])
    expect(kari.locator("#private-toggle")).not_to_be_checked()
    assert kari.locator("dialog[open]").count() == 0  # quiet: not a dialog
    assert axe_violations(kari) == [], language
    nudge.scroll_into_view_if_needed()
    shot(kari, f"private-nudge-laptop-{language}")
    if language == "nb":
        kari.set_viewport_size(PHONE)
        people = kari.locator("#people-panel")
        if people.is_visible():  # on a phone one panel covers the screen
            people.locator(".panel-close").click()
            expect(people).to_be_hidden()
        nudge.scroll_into_view_if_needed()
        expect(nudge).to_be_visible()
        shot(kari, "private-nudge-phone-nb")
        kari.set_viewport_size(LAPTOP)

    kari.locator("#private-nudge-on").click()
    expect(kari.locator("#private-toggle")).to_be_checked()
    expect(nudge).to_be_hidden()
    expect(kari.locator("#phase-button-write")).to_be_focused()
    wait_until_sent(kari)
    expect(ola.locator("#private-notice")).to_be_visible()
    # Turned off again, with a participant's note on the board: the moment has passed.
    ola.locator("#list-add").click()
    ola.locator("#note-text").fill("Kortere ventetid")
    ola.locator("#note-save").click()
    wait_until_sent(ola)
    kari.locator("#private-toggle").click()
    expect(kari.locator("#private-toggle")).not_to_be_checked()
    kari.locator("#reveal-notes").click()
    wait_until_sent(kari)
    expect(kari.locator('[data-note-id]')).to_have_count(1)
    expect(nudge).to_be_hidden()


def test_a_blt_session_starts_its_writing_in_private(browser: Browser, contexts: list[BrowserContext],
                                                      server: TavlaServer) -> None:
    """In "Behov – Løsning – Test" private writing is on from the start: no reminder is needed,
    and a participant's need stays their own until the facilitator reveals it."""
    room = server.create_room("Bedre hjemmetjeneste", "nb", phase="lobby", template="need-solution-test")
    kari = page_at(browser, contexts, room["urls"]["facilitator"], "laptop")
    join(kari, "Kari")
    ola = page_at(browser, contexts, room["urls"]["participant"], "phone")
    join(ola, "Ola", "Innbygger")
    siv = page_at(browser, contexts, room["urls"]["participant"], "phone")
    join(siv, "Siv", "Pårørende")
    open_panel(kari, "facilitator")
    expect(kari.locator("#private-toggle")).to_be_checked()
    start_phase(kari, "write")
    expect(kari.locator("#private-nudge")).to_be_hidden()
    expect(ola.locator("#private-notice")).to_be_visible()
    ola.locator("#list-add").click()
    ola.locator("#note-text").fill("Kortere ventetid på svar")
    ola.locator("#note-save").click()
    wait_until_sent(ola)
    expect(kari.locator("#reveal-notes")).to_contain_text("1")
    expect(siv.locator("[data-list-note]")).to_have_count(0)
    shot(ola, "private-writing-phone")
    kari.locator("#reveal-notes").click()
    expect(siv.locator("[data-list-note]")).to_have_count(1)


def test_the_carry_dialog_ticks_every_idea_tied_at_the_cut_off_and_says_so(
        browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:
    """Dots 4, 3, 2, 2, 1: the third and fourth idea are tied, so both are ticked (four in all)
    and a line beside the list says why; without a tie the best three are ticked, nothing said."""
    room = server.create_room("Bedre hjemmetjeneste", "nb", phase="write", template="need-solution-test")
    needs = {"n_a": "Kortere ventetid", "n_b": "Vite hvem som har saken", "n_c": "Slippe å gjenta seg",
             "n_d": "Søknad på mobil", "n_e": "Svar på SMS"}
    dots = {"n_a": 4, "n_b": 3, "n_c": 2, "n_d": 2, "n_e": 1}
    seed(server, room,
         *[("note.create", {"id": i, "text": text, "color": "yellow", "x": 100, "y": 200 + 200 * n})
           for n, (i, text) in enumerate(needs.items())],
         ("room.update", {"settings": {"vote_budget": 20, "max_votes_per_target": 10}}),
         ("phase.set", {"phase": "vote"}),
         *[("vote.cast", {"target": i}) for i, n in dots.items() for _ in range(n)],
         ("votes.reveal", {}))
    kari = page_at(browser, contexts, room["urls"]["facilitator"], "laptop")
    join(kari, "Kari")
    open_panel(kari, "facilitator")
    kari.locator("#round-next").click()
    carry = kari.locator("#carry-dialog")
    expect(carry).to_be_visible()
    texts = carry.locator(".carry-item-text")
    expect(texts).to_have_count(5)
    checked = carry.locator('input[name="carry_item"]:checked')
    expect(checked).to_have_count(4)
    for text in ("Slippe å gjenta seg", "Søknad på mobil"):
        expect(carry.locator(".carry-choice", has_text=text).locator("input")).to_be_checked()
    expect(carry.locator(".carry-choice", has_text="Svar på SMS").locator("input")).not_to_be_checked()
    ties = carry.locator("#carry-ties")
    expect(ties).to_be_visible()
    expect(ties).to_have_text("Ideene 3–4 har like mange prikker, så alle er krysset av.")
    expect(carry.locator("#carry-go")).to_have_text("Ta med 4 ideer og gå til runde 2")
    assert axe_violations(kari) == []
    shot(kari, "carry-ties-laptop")

    # One more dot breaks the tie: the best three, and nothing to explain.
    kari.keyboard.press("Escape")
    expect(carry).to_be_hidden()
    seed(server, room, ("vote.cast", {"target": "n_c"}))
    expect(kari.locator('[data-note-id="n_c"]')).to_contain_text("3 prikker")  # the dot has arrived
    kari.locator("#round-next").click()
    expect(carry).to_be_visible()
    expect(checked).to_have_count(3)
    expect(carry.locator(".carry-choice", has_text="Søknad på mobil").locator("input")).not_to_be_checked()
    expect(ties).to_be_hidden()
