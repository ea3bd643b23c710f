"""A whole BLT workshop in one session, in real Chromium against a real server: the facilitator
on a laptop plans the rounds, the participants on two phones write needs in Behov and vote, the
facilitator moves on to Løsning carrying the top needs as its areas, everyone writes, the
facilitator goes back to Behov (its board comes back as it was, on every screen) and forward
again, then to the Test round; the results page shows each round. The new screens (the plan
editor, the stepper, the carry dialog, the round beside the prompt) meet WCAG 2.1 AA in nb, sv
and en. Screenshots (phone 390×844, laptop 1366×768, projector 1920×1080) go to
test-artifacts/rounds-*.png."""

from __future__ import annotations

import re
from functools import partial

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.support.browser import (  # noqa: F401
    LAPTOP,
    PHONE,
    PROJECTOR,
    axe_violations,
    browser,
    contexts,
    join,
    list_share,
    open_page,
    open_panel,
    seed,
    server,
    shooter,
    start_phase,
    wait_until_sent,
)
from tests.support.browser import list_row as row
from tests.support.servers import TavlaServer

pytestmark = pytest.mark.browser

# The needs the phones write in Behov, and the dots they get: 4, 2, 1, 0.
NEEDS = ["Kortere ventetid på svar", "Vite hvem som har saken min", "Slippe å gjenta historien", "Søknad som virker på mobil"]

shot = shooter("rounds")
# A 390×844 phone with its own default view (the list); a 1366×768 laptop.
phone = partial(open_page, size="phone", view="default")
laptop = partial(open_page, size="laptop")


def write(page: Page, text: str) -> None:
    """A note written in the list, as a participant on a phone does."""
    page.locator("#list-add").click()
    page.locator("#note-text").fill(text)
    page.locator("#note-save").click()
    expect(row(page, text)).to_have_count(1)


def dot(page: Page, text: str, times: int = 1) -> None:
    for _ in range(times):
        row(page, text).locator(".vote-add").click()
    wait_until_sent(page)


def reveal(page: Page) -> None:
    """The facilitator shows every private note (each BLT round starts in private writing)."""
    page.locator("#reveal-notes").click()
    wait_until_sent(page)
    expect(page.locator("#private-toggle")).not_to_be_checked()


def in_round(page: Page, number: int, title: str) -> None:
    """The page shows round `number` of 3, titled `title`, beside the prompt."""
    label = page.locator("#round-label")
    expect(label).to_be_visible()
    expect(label.locator(".round-place")).to_contain_text(f"{number} av 3")
    expect(label.locator(".round-title")).to_have_text(title)


def no_axe_violations(page: Page, what: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{what}: {violations}"


def test_a_three_round_blt_session_end_to_end(browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:
    room = server.create_room("Bedre hjemmetjeneste", "nb", phase="lobby", template="need-solution-test")
    kari = laptop(browser, contexts, room["urls"]["facilitator"])
    join(kari, "Kari", "Helse")
    ola = phone(browser, contexts, room["urls"]["participant"])
    join(ola, "Ola", "Innbygger")
    siv = phone(browser, contexts, room["urls"]["participant"])
    join(siv, "Siv", "Pårørende")
    for page in (kari, ola, siv):
        in_round(page, 1, "Behov")
    # While they wait, the phones show the day's agenda.
    expect(ola.locator("#list-empty")).to_contain_text("I dag: 3 runder, Behov → Løsning → Test.")
    shot(ola, "lobby-phone")

    # The plan, from the template: three rounds. The Test round gets a suggested time of 7 min.
    open_panel(kari, "facilitator")
    expect(kari.locator("#round-now")).to_have_text("Runde 1 av 3: Behov")
    expect(kari.locator("#round-steps li")).to_have_count(3)
    kari.locator("#rounds-plan-open").click()
    plan = kari.locator("#plan-dialog")
    expect(plan).to_be_visible()
    cards = plan.locator(".plan-round")
    expect(cards).to_have_count(3)
    expect(cards.nth(0).locator(".plan-title-input")).to_have_value("Behov")
    expect(cards.nth(0).locator(".plan-badge")).to_have_text("Aktiv nå")
    # Reorder by keyboard and back: the moved round keeps the keyboard, the order is spoken.
    test_card = cards.nth(2)
    test_card.locator(".plan-up").focus()
    kari.keyboard.press("Enter")
    expect(cards.nth(1).locator(".plan-title-input")).to_have_value("Test")
    expect(kari.locator("#plan-status")).to_have_text("Runden er flyttet til plass 2 av 3.")
    expect(cards.nth(1).locator(".plan-up")).to_be_focused()
    cards.nth(1).locator(".plan-down").click()
    expect(cards.nth(2).locator(".plan-title-input")).to_have_value("Test")
    cards.nth(2).locator(".plan-minutes").fill("7")
    shot(kari, "plan-editor-laptop")
    kari.locator("#plan-save").click()
    expect(plan).to_be_hidden()
    wait_until_sent(kari)
    expect(kari.locator("#rounds-plan-open")).to_be_focused()

    # Behov: the phones write needs, then vote; the facilitator reveals.
    start_phase(kari, "write")
    # BLT writes in private first: each phone sees its own needs until the facilitator reveals.
    expect(kari.locator("#private-toggle")).to_be_checked()
    for page, texts in ((ola, NEEDS[:2]), (siv, NEEDS[2:])):
        for text in texts:
            write(page, text)
        wait_until_sent(page)
    expect(ola.locator("[data-list-note]")).to_have_count(2)
    reveal(kari)
    for page in (ola, siv):
        expect(page.locator("[data-list-note]")).to_have_count(4)
        assert list_share(page) >= 0.65, f"the list shows only {list_share(page):.0%} of the phone"
    shot(ola, "behov-write-phone")
    start_phase(kari, "vote")
    dot(ola, NEEDS[0], 2)
    dot(ola, NEEDS[1])
    dot(siv, NEEDS[0], 2)
    dot(siv, NEEDS[1])
    dot(siv, NEEDS[2])
    kari.locator("#reveal-votes").click()
    for page in (ola, siv):
        expect(row(page, NEEDS[0]).locator(".list-badge-votes")).to_have_text("4 prikker")
    shot(kari, "behov-voted-laptop")

    # On to Løsning, carrying the top three needs as its areas.
    kari.locator("#round-next").click()
    carry = kari.locator("#carry-dialog")
    expect(carry).to_be_visible()
    expect(carry.locator("#carry-title")).to_have_text("Gå til runde 2: Løsning")
    boxes = carry.locator('input[name="carry_item"]')
    expect(boxes).to_have_count(4)
    texts = carry.locator(".carry-item-text")
    expect(texts).to_have_text(NEEDS)  # most dots first
    expect(carry.locator(".carry-item-meta").first).to_have_text("Lapp · 4 prikker")
    assert [boxes.nth(i).is_checked() for i in range(4)] == [True, True, True, False]
    expect(carry.locator("#carry-as-areas")).to_be_checked()
    expect(carry.locator("#carry-go")).to_have_text("Ta med 3 ideer og gå til runde 2")
    shot(kari, "carry-dialog-laptop")
    carry.locator("#carry-go").click()
    expect(carry).to_be_hidden()
    for page in (kari, ola, siv):
        in_round(page, 2, "Løsning")
    for page in (ola, siv):
        expect(page.locator("[data-list-note]")).to_have_count(0)
        areas = page.locator(".list-area > .list-section-head .list-section-title")
        expect(areas).to_have_text(NEEDS[:3])  # the needs are the solution round's areas
        expect(page.locator("#phase-banner")).to_have_attribute("data-phase", "write")
        expect(page.locator("#announcer")).to_have_text("Runde 2 av 3: Løsning")
        assert list_share(page) >= 0.65
    expect(kari.locator("#round-now")).to_have_text("Runde 2 av 3: Løsning")
    expect(kari.locator("#private-toggle")).to_be_checked()  # each round starts in private
    write(ola, "Digital kølapp med varsel på SMS")
    write(siv, "Én fast kontaktperson")
    for page in (ola, siv):
        wait_until_sent(page)
    reveal(kari)
    for page in (ola, siv):
        expect(page.locator("[data-list-note]")).to_have_count(2)
    shot(ola, "losning-phone")
    shot(kari, "losning-laptop")

    # Back to Behov: its board comes back as it was left, on every screen.
    kari.locator('[data-round-back="need"]').click()
    confirm = kari.locator("#confirm-dialog")
    expect(confirm).to_be_visible()
    expect(kari.locator("#confirm-text")).to_contain_text("Tavlen i runde 1 kommer tilbake slik du forlot den")
    shot(kari, "go-back-confirm-laptop")
    kari.locator("#confirm-ok").click()
    for page in (kari, ola, siv):
        in_round(page, 1, "Behov")
    for page in (ola, siv):
        expect(page.locator("[data-list-note]")).to_have_count(4)
        expect(page.locator("#phase-banner")).to_have_attribute("data-phase", "vote")
        expect(row(page, NEEDS[0]).locator(".list-badge-votes")).to_have_text("4 prikker")
        expect(row(page, NEEDS[3]).locator(".list-badge-votes")).to_have_text("0 prikker")
    expect(row(ola, NEEDS[0]).locator(".vote-count")).to_have_text("2 av prikkene dine")
    shot(siv, "behov-again-phone")

    # Forward again: Løsning was entered before, so it simply comes back as it was left; the
    # needs already carried into it are not offered (nor added) a second time.
    kari.locator("#round-next").click()
    expect(carry).to_be_hidden()
    for page in (ola, siv):
        in_round(page, 2, "Løsning")
        expect(page.locator("[data-list-note]")).to_have_count(2)
        expect(page.locator(".list-area > .list-section-head .list-section-title")).to_have_text(NEEDS[:3])
    # Bringing more of Behov into Løsning by hand: it has notes now, so not as areas.
    kari.locator("#round-carry").click()
    expect(carry).to_be_visible()
    expect(carry.locator("#carry-as-areas")).to_be_disabled()
    expect(carry.locator("#carry-areas-full")).to_be_visible()
    kari.keyboard.press("Escape")
    expect(carry).to_be_hidden()

    # The Test round: Løsning's votes were never revealed, so its ideas come unranked.
    kari.locator("#round-next").click()
    expect(carry.locator("#carry-unranked")).to_be_visible()
    expect(carry.locator('input[name="carry_item"]:checked')).to_have_count(0)
    carry.locator("#carry-go").click()
    for page in (kari, ola, siv):
        in_round(page, 3, "Test")
    expect(kari.locator("#timer-minutes")).to_have_value("7")  # the round's suggested time
    expect(kari.locator("#round-next")).to_be_hidden()
    expect(kari.locator("#round-last")).to_be_visible()
    expect(kari.locator("#rounds-plan-open")).to_be_focused()  # the keyboard stays in the stepper
    write(ola, "Prøv kølappen i én bydel i to uker")
    wait_until_sent(ola)
    reveal(kari)
    expect(kari.locator("#rounds-plan-open")).to_be_visible()
    shot(kari, "stepper-laptop")

    # From the stepper: an idea of Løsning carried into the Test round as a starting note.
    kari.locator("#round-carry").click()
    expect(carry.locator("#carry-title")).to_have_text("Ta med ideer inn i «Test»")
    expect(carry.locator("#carry-as-notes")).to_be_checked()  # Test has a note: no new areas
    carry.locator("#carry-go").click()
    expect(kari.locator("#carry-error")).to_have_text("Velg minst én idé å ta med.")
    carry.locator(".carry-choice", has_text="Én fast kontaktperson").click()
    expect(carry.locator("#carry-go")).to_have_text("Ta med 1 idé")
    carry.locator("#carry-go").click()
    expect(carry).to_be_hidden()
    expect(kari.locator("#round-carry")).to_be_focused()
    for page in (ola, siv):
        expect(row(page, "Én fast kontaktperson")).to_have_count(1)
        in_round(page, 3, "Test")

    # The projector names the round.
    kari.locator("#projector-toggle").click()
    kari.set_viewport_size(PROJECTOR)
    expect(kari.locator("#projector-round .round-title")).to_have_text("Test")
    expect(kari.locator("#projector-wall")).to_contain_text("Prøv kølappen")
    shot(kari, "test-projector")
    kari.keyboard.press("Escape")
    kari.set_viewport_size(LAPTOP)

    # The report back offers owners for the winners of every round, not only the Test round's.
    open_panel(kari, "facilitator")
    kari.locator("#report-open").click()
    owners = kari.locator("#report-owner-fields")
    expect(owners).to_contain_text(f"Behov: {NEEDS[0]}")
    expect(owners).to_contain_text("Test: Prøv kølappen i én bydel i to uker")
    kari.locator("#report-cancel").click()

    # The results show each round.
    kari.locator("#publish-toggle").check()
    wait_until_sent(kari)
    ola.goto(f"{server.http}/r/{room['code']}/results")
    for title in ("Behov", "Løsning", "Test"):
        expect(ola.locator("main")).to_contain_text(title)
    for text in (NEEDS[0], "Digital kølapp med varsel på SMS", "Prøv kølappen i én bydel i to uker"):
        expect(ola.locator("main")).to_contain_text(text)
    shot(ola, "results-phone")
    for page in (kari, siv):
        assert page.errors == [], page.errors  # type: ignore[attr-defined]


@pytest.mark.parametrize("language", ["nb", "sv", "en"])
def test_the_rounds_screens_meet_wcag_21_aa(browser: Browser, contexts: list[BrowserContext], server: TavlaServer, language: str) -> None:
    """The stepper, the plan editor and the carry dialog on a laptop and a phone, and the round
    beside a participant's prompt, in each language."""
    room = server.create_room("Tjenestedesign", language, phase="write", template="need-solution-test")
    seed(server, room,
         ("note.create", {"id": "n_wait", "text": "Shorter waiting times", "color": "yellow", "x": 100, "y": 200}),
         ("note.create", {"id": "n_know", "text": "Know who has my case", "color": "blue", "x": 100, "y": 400}),
         ("cluster.create", {"id": "c_contact", "title": "Contact", "x": 600, "y": 200}),
         ("note.group", {"id": "n_know", "cluster": "c_contact"}),
         ("phase.set", {"phase": "vote"}), ("votes.reveal", {}))
    kari = laptop(browser, contexts, room["urls"]["facilitator"])
    join(kari, "Kari")
    ola = phone(browser, contexts, room["urls"]["participant"])
    join(ola, "Ola")
    expect(ola.locator("#round-label")).to_be_visible()
    # The round just started: the round on one line, its question in full (up to three lines)
    # under it; the header stays one line, the list keeps its room.
    assert ola.evaluate("document.querySelector('.topbar').getBoundingClientRect().height") <= 56
    prompt_line = ola.evaluate("document.getElementById('prompt-wrap').getBoundingClientRect().height")
    assert prompt_line <= 115, f"the round and prompt are {prompt_line} px high in {language}"
    assert list_share(ola) >= 0.65, f"the list shows only {list_share(ola):.0%} of the phone in {language}"
    shot(ola, f"participant-phone-round-start-{language}")
    # Once Ola scrolls the notes, the round shares the prompt's one line.
    ola.locator("#list-body").hover()
    ola.mouse.wheel(0, 200)
    expect(ola.locator("#prompt-wrap")).not_to_have_class(re.compile(r"\bis-fresh\b"))
    prompt_line = ola.evaluate("document.getElementById('prompt-wrap').getBoundingClientRect().height")
    assert prompt_line <= 40, f"the round and prompt line is {prompt_line} px high in {language}"
    no_axe_violations(ola, f"participant's phone with the round ({language})")
    shot(ola, f"participant-phone-{language}")

    open_panel(kari, "facilitator")
    expect(kari.locator("#round-steps li")).to_have_count(3)
    no_axe_violations(kari, f"stepper ({language})")
    kari.locator("#rounds-plan-open").click()
    expect(kari.locator("#plan-dialog")).to_be_visible()
    no_axe_violations(kari, f"plan editor ({language})")
    shot(kari, f"plan-editor-laptop-{language}")
    kari.locator("#plan-add").click()
    expect(kari.locator(".plan-round")).to_have_count(4)
    expect(kari.locator(".plan-round").nth(3).locator(".plan-title-input")).to_be_focused()
    kari.locator("#plan-save").click()  # the new round has no title: the form says so
    expect(kari.locator("#plan-error")).to_be_visible()
    expect(kari.locator(".plan-round").nth(3).locator(".plan-title-input")).to_be_focused()
    no_axe_violations(kari, f"plan editor with an error ({language})")
    shot(kari, f"plan-editor-error-laptop-{language}")
    new_round = kari.locator(".plan-round").nth(3)
    new_round.locator(".plan-title-input").fill("Oppsummering")
    new_round.locator(".plan-add-area").click()
    expect(new_round.locator(".plan-area-input")).to_be_focused()
    kari.keyboard.type("Neste steg")
    kari.locator("#plan-save").click()
    expect(kari.locator("#plan-dialog")).to_be_hidden()
    expect(kari.locator("#round-steps li")).to_have_count(4)  # the server took the new round
    expect(kari.locator("#round-steps li").nth(3)).to_contain_text("Oppsummering")
    expect(ola.locator("#round-label .round-place")).to_contain_text("4")  # "1 of 4"

    kari.locator("#round-next").click()
    expect(kari.locator("#carry-dialog")).to_be_visible()
    expect(kari.locator(".carry-item")).to_have_count(3)
    no_axe_violations(kari, f"carry dialog ({language})")
    shot(kari, f"carry-dialog-laptop-{language}")
    kari.keyboard.press("Escape")
    expect(kari.locator("#carry-dialog")).to_be_hidden()
    expect(kari.locator("#round-next")).to_be_focused()

    # The facilitator's phone: the stepper and the plan editor fit and pass too.
    phone_kari = phone(browser, contexts, room["urls"]["facilitator"])
    join(phone_kari, "Kari")
    open_panel(phone_kari, "facilitator")
    no_axe_violations(phone_kari, f"stepper on a phone ({language})")
    shot(phone_kari, f"stepper-phone-{language}")
    expect(phone_kari.locator("#round-steps li")).to_have_count(4)
    phone_kari.locator("#rounds-plan-open").click()
    expect(phone_kari.locator("#plan-dialog")).to_be_visible()
    no_axe_violations(phone_kari, f"plan editor on a phone ({language})")
    shot(phone_kari, f"plan-editor-phone-{language}")
    width = phone_kari.evaluate("document.getElementById('plan-dialog').scrollWidth")
    assert width <= PHONE["width"], f"the plan editor is {width} px wide on a phone"
    phone_kari.locator("#plan-cancel").click()
    phone_kari.locator("#round-next").click()
    expect(phone_kari.locator("#carry-dialog")).to_be_visible()
    no_axe_violations(phone_kari, f"carry dialog on a phone ({language})")
    shot(phone_kari, f"carry-dialog-phone-{language}")
    phone_kari.locator("#carry-cancel").click()
    expect(phone_kari.locator("#round-next")).to_be_focused()
    for page in (kari, ola, phone_kari):
        assert page.errors == [], page.errors  # type: ignore[attr-defined]


def test_a_participant_keeps_the_keyboard_on_the_board_across_a_switch(browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:
    """A participant with an area filter on and the group menu of a note open when the
    facilitator moves on: the menu closes, the keyboard stays in the list, the filter of an area
    that is gone is let go, the new round is announced; coming back, the old board's notes are
    not announced as new (a note written after is, alone)."""
    room = server.create_room("Tastatur", "nb", phase="write", template="need-solution-test")
    seed(server, room, ("note.create", {"id": "n_one", "text": "Første behov", "color": "yellow", "x": 100, "y": 200}))
    ola = phone(browser, contexts, room["urls"]["participant"])
    join(ola, "Ola")
    expect(row(ola, "Første behov")).to_have_count(1)
    ola.locator("#list-filter-toggle").click()
    ola.locator("#list-filter-area").select_option("today")  # an area of Behov only
    expect(ola.locator("#list-filter-count")).to_have_text("1")
    ola.locator("#list-filter-toggle").click()
    row(ola, "Første behov").locator(".list-move").click()
    expect(ola.locator("#move-sheet")).to_be_visible()
    seed(server, room, ("round.go", {"round": "solution"}))
    in_round(ola, 2, "Løsning")
    expect(ola.locator("#move-sheet")).to_be_hidden()
    expect(ola.locator("#announcer")).to_have_text("Runde 2 av 3: Løsning")
    expect(ola.locator("#list-body")).to_be_focused()
    expect(ola.locator("#toasts")).not_to_contain_text("slettet")  # no "This note was deleted."
    # The filter's area is gone with its round: all of the new board is shown.
    expect(ola.locator("#list-filter-area")).to_have_value("")
    expect(ola.locator("#list-filter-count")).to_have_text("")
    seed(server, room, ("note.create", {"id": "n_sol", "text": "En løsning", "color": "green", "x": 100, "y": 200}))
    expect(row(ola, "En løsning")).to_have_count(1)

    seed(server, room, ("round.go", {"round": "need"}))
    in_round(ola, 1, "Behov")
    expect(row(ola, "Første behov")).to_have_count(1)
    seed(server, room, ("note.create", {"id": "n_two", "text": "Andre behov", "color": "pink", "x": 100, "y": 600}))
    expect(ola.locator("#list-announcer")).to_have_text(re.compile(r"^1 ny lapp i Slik opplever brukeren det i dag$"))
    assert ola.errors == [], ola.errors  # type: ignore[attr-defined]
