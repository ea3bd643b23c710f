"""Facilitation in a real Chromium against a real Tavla process: phases, prompt, private writing
and reveal, the shared timer, lock, spotlight, roles, coach hints, templates, accessibility."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.support.browser import (  # noqa: F401
    add_note,
    axe_violations,
    browser,
    close_panel,
    contexts,
    join,
    open_page,
    open_panel,
    page_at,
    server,
    shot,
    start_phase,
    wait_until_sent,
)
from tests.support.servers import TavlaServer, wait_until

pytestmark = pytest.mark.browser

CLOCK = re.compile(r"^(\d{2}):(\d{2})$")


def seconds_shown(page: Page) -> int:
    """The timer's mm:ss as seconds."""
    text = page.locator("#timer").inner_text().strip()
    match = CLOCK.match(text)
    assert match, f"not mm:ss: {text!r}"
    return int(match.group(1)) * 60 + int(match.group(2))


def person(page: Page, name: str):  # type: ignore[no-untyped-def]
    return page.locator("#people-list li", has=page.locator(".person-name", has_text=name))


def test_facilitator_runs_a_private_writing_round(browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:
    """Participants wait in the lobby with the prompt; in a private write phase a note is seen
    only by its author while the facilitator sees "1 hidden note"; after reveal everyone sees it."""
    room = server.create_room("Skolevei", phase="lobby")
    facilitator = open_page(browser, contexts, room["urls"]["facilitator"])
    join(facilitator, "Kari", "Helse")
    ola = open_page(browser, contexts, room["urls"]["participant"], phone=True)
    join(ola, "Ola", "Skole")
    siri = open_page(browser, contexts, room["urls"]["participant"])
    join(siri, "Siri", "Helse")

    for page in (ola, siri):
        expect(page.locator("#phase-banner")).to_contain_text("The facilitator will start the session soon")
        expect(page.locator("#add-note")).to_have_attribute("aria-disabled", "true")
    expect(person(facilitator, "Ola")).to_be_visible()
    expect(facilitator.locator("#people-departments")).to_contain_text("Helse: 1")
    expect(facilitator.locator("#people-departments")).to_contain_text("Skole: 1")

    open_panel(facilitator, "facilitator")
    facilitator.locator("#prompt-input").fill("Hva gjør skoleveien trygg?")
    facilitator.locator("#prompt-save").click()
    for page in (ola, siri):
        expect(page.locator("#room-prompt")).to_have_text("Hva gjør skoleveien trygg?")

    facilitator.locator("#private-toggle").check()
    wait_until_sent(facilitator)
    start_phase(facilitator, "write")
    expect(ola.locator("#phase-banner")).to_contain_text(
        "Write your ideas, one per note. Only you can see your notes until the facilitator reveals them.")
    expect(ola.locator("#add-note")).not_to_have_attribute("aria-disabled", "true")

    add_note(ola, "Lys i krysset")
    mine = ola.locator("[data-note-id]")
    expect(mine).to_have_count(1)
    expect(mine).to_contain_text("Only you can see this note until the facilitator reveals notes")
    expect(mine.locator(".note-badge-hidden")).to_be_visible()
    expect(person(facilitator, "Ola").locator(".person-hidden")).to_have_text(re.compile(r"^1\b"))
    expect(facilitator.locator("#reveal-notes")).to_contain_text("1")
    wait_until_sent(ola)
    assert siri.locator("[data-note-id]").count() == 0
    assert facilitator.locator("[data-note-id]").count() == 0
    assert "Lys i krysset" not in siri.content() and "Lys i krysset" not in facilitator.content()

    facilitator.locator("#reveal-notes").click()
    for page in (siri, facilitator):
        expect(page.locator("[data-note-id]")).to_have_count(1)
        expect(page.locator("[data-note-id]")).to_contain_text("Lys i krysset")
    expect(mine.locator(".note-badge-hidden")).to_have_count(0)
    expect(person(facilitator, "Ola").locator(".person-hidden")).to_have_count(0)
    expect(siri.locator("#alert-region")).not_to_contain_text("Lys")
    assert all(p.errors == [] for p in (facilitator, ola, siri)), [p.errors for p in (facilitator, ola, siri)]  # type: ignore[attr-defined]


def test_shared_timer_counts_down_alike_and_says_time_is_up(browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:
    """A 1-minute timer shows the same mm:ss on every device (also after a reload), and taking a
    minute off makes "Time is up" appear everywhere without changing the phase."""
    room = server.create_room(phase="lobby")
    facilitator = open_page(browser, contexts, room["urls"]["facilitator"])
    join(facilitator, "Kari")
    phone = open_page(browser, contexts, room["urls"]["participant"], phone=True)
    join(phone, "Ola")
    laptop = open_page(browser, contexts, room["urls"]["participant"])
    join(laptop, "Siri")
    start_phase(facilitator, "write")

    facilitator.locator("#timer-preset-1").click()
    for page in (facilitator, phone, laptop):
        expect(page.locator("#timer")).to_be_visible()
        expect(page.locator("#timer")).to_have_attribute("role", "timer")
    expect(phone.locator("#timer")).to_have_text(re.compile(r"^0[01]:\d{2}$"))

    def alike(pages: tuple[Page, ...]) -> None:
        """Every page shows the same second (±1) of a running minute, within a few seconds."""
        def agree() -> bool:
            shown = [seconds_shown(p) for p in pages]
            return 50 <= shown[0] <= 60 and max(shown) - min(shown) <= 1
        wait_until(agree, timeout=5, what="pages showing the same remaining time")

    alike((facilitator, phone, laptop))
    laptop.reload()
    expect(laptop.locator("#connection-status")).to_have_attribute("data-status", "connected")
    expect(laptop.locator("#timer")).to_be_visible()
    alike((facilitator, laptop))
    expect(phone.locator("#timer-up")).to_be_hidden()

    facilitator.locator("#timer-minus").click()
    for page in (facilitator, phone, laptop):
        expect(page.locator("#timer-up")).to_be_visible()
        expect(page.locator("#timer-up .timer-up-text")).to_have_text("Time is up")
        expect(page.locator("#timer")).to_have_text("00:00")
        expect(page.locator("#alert-region")).to_have_text("Time is up")
        expect(page.locator("#phase-banner")).to_have_attribute("data-phase", "write")

    # A page opened after time ran out still shows it (without announcing old news).
    late = open_page(browser, contexts, room["urls"]["participant"])
    join(late, "Per")
    expect(late.locator("#timer-up")).to_be_visible()

    facilitator.locator("#timer-reset").click()
    for page in (facilitator, phone, laptop, late):
        expect(page.locator("#timer-up")).to_be_hidden()
        expect(page.locator("#timer-box")).to_be_hidden()


def test_mute_toggle_is_remembered(browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:
    """The timer's "Mute sound" toggle stays pressed after a reload."""
    room = server.create_room()
    facilitator = open_page(browser, contexts, room["urls"]["facilitator"])
    join(facilitator, "Kari")
    open_panel(facilitator, "facilitator")
    facilitator.locator("#timer-preset-3").click()
    mute = facilitator.locator("#timer-mute")
    expect(mute).to_have_attribute("aria-pressed", "false")
    mute.click()
    expect(mute).to_have_attribute("aria-pressed", "true")
    facilitator.reload()
    expect(facilitator.locator("#timer-mute")).to_have_attribute("aria-pressed", "true")


def test_timer_preset_fills_the_minutes_field_and_shows_as_chosen(browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:
    """"3 min" puts 3 in the "Minutes" field, so pressing "Start" next runs 3 minutes too, not
    the field's old value; the running preset is marked chosen (pressed, outlined, ✓)."""
    room = server.create_room()
    facilitator = page_at(browser, contexts, room["urls"]["facilitator"], "laptop")
    join(facilitator, "Kari")
    open_panel(facilitator, "facilitator")
    minutes = facilitator.locator("#timer-minutes")
    minutes.fill("15")
    facilitator.locator("#timer-preset-3").click()
    expect(minutes).to_have_value("3")
    expect(facilitator.locator("#timer-preset-3")).to_have_attribute("aria-pressed", "true")
    for other in (1, 5, 10):
        expect(facilitator.locator(f"#timer-preset-{other}")).to_have_attribute("aria-pressed", "false")
    facilitator.locator("#timer-start").click()
    wait_until(lambda: 170 <= seconds_shown(facilitator) <= 180, timeout=5, what="a 3-minute timer after Start")
    expect(facilitator.locator("#timer-preset-3")).to_have_attribute("aria-pressed", "true")
    chosen = facilitator.locator("#timer-preset-3")
    assert chosen.evaluate("b => getComputedStyle(b).opacity") == "1", "the chosen preset must not look disabled"
    facilitator.mouse.move(0, 0)
    section = facilitator.locator("section[aria-labelledby='timer-heading']")
    section.scroll_into_view_if_needed()
    section.screenshot(path=str(shot(facilitator, "timer-preset-chosen", prefix="facilitation")))

    facilitator.locator("#timer-reset").click()
    expect(chosen).to_have_attribute("aria-pressed", "false")


def test_participant_does_not_see_facilitator_controls(browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:
    """A participant has no facilitation panel, no hints and no role buttons, until the
    facilitator makes them a facilitator, and loses them again when that is taken back."""
    room = server.create_room()
    facilitator = open_page(browser, contexts, room["urls"]["facilitator"])
    join(facilitator, "Kari")
    participant = open_page(browser, contexts, room["urls"]["participant"])
    join(participant, "Ola")
    open_panel(participant, "people")
    for selector in ("#facilitator-toggle", "#facilitator-panel", "#hints-toggle", "#hints-panel", "#phase-button-write"):
        expect(participant.locator(selector)).to_be_hidden()
    expect(participant.locator("#people-list button")).to_have_count(0)

    open_panel(facilitator, "people")
    make = person(facilitator, "Ola").get_by_role("button", name=re.compile("^Make facilitator"))
    make.click()
    expect(participant.locator("#me")).to_contain_text("Facilitator")
    expect(participant.locator("#facilitator-toggle")).to_be_visible()
    open_panel(participant, "facilitator")
    expect(participant.locator("#phase-button-write")).to_be_visible()

    person(facilitator, "Ola").get_by_role("button", name=re.compile("^Remove facilitator")).click()
    expect(participant.locator("#me")).to_contain_text("Participant")
    expect(participant.locator("#facilitator-toggle")).to_be_hidden()
    expect(participant.locator("#facilitator-panel")).to_be_hidden()


def test_locked_board_and_spotlight(browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:
    """A locked board says so and cannot be written on; a spotlighted note is outlined and
    labelled "In focus" on a participant's phone, with a way back to their own view."""
    room = server.create_room()
    facilitator = open_page(browser, contexts, room["urls"]["facilitator"])
    join(facilitator, "Kari")
    phone = open_page(browser, contexts, room["urls"]["participant"], phone=True)
    join(phone, "Ola")
    add_note(facilitator, "Felles idé")
    expect(phone.locator("[data-note-id]")).to_have_count(1)

    open_panel(facilitator, "facilitator")
    facilitator.locator("#lock-toggle").check()
    expect(phone.locator("#lock-notice")).to_contain_text("The board is locked")
    expect(phone.locator("#add-note")).to_have_attribute("aria-disabled", "true")
    facilitator.locator("#lock-toggle").uncheck()
    expect(phone.locator("#lock-notice")).to_be_hidden()

    facilitator.locator("[data-note-id]").focus()
    facilitator.keyboard.press("s")
    note = phone.locator("[data-note-id]")
    expect(note).to_have_class(re.compile(r"\bis-spotlight\b"))
    expect(note).to_contain_text("In focus")
    expect(phone.locator("#spotlight-text")).to_contain_text("Felles idé")
    expect(note).to_be_in_viewport()
    back = phone.locator("#spotlight-back")
    expect(back).to_be_visible()
    back.click()
    expect(back).to_be_hidden()

    facilitator.locator("#spotlight-end").click()
    expect(note).not_to_have_class(re.compile(r"\bis-spotlight\b"))
    expect(phone.locator("#spotlight-bar")).to_be_hidden()


def test_coach_sends_hints_that_participants_never_see(browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:
    """A coach writes a hint; the facilitator gets a badge and reads it; a participant's page
    never contains it, not even after a reload."""
    room = server.create_room()
    facilitator = open_page(browser, contexts, room["urls"]["facilitator"])
    join(facilitator, "Kari")
    coach = open_page(browser, contexts, room["urls"]["coach"])
    join(coach, "Cecilie")
    participant = open_page(browser, contexts, room["urls"]["participant"])
    join(participant, "Ola")
    expect(coach.locator("#me")).to_contain_text("Coach")

    secret = "Spør de stille deltakerne først"
    open_panel(coach, "hints")
    coach.locator("#hint-text").fill(secret)
    coach.locator("#hint-send").click()
    expect(coach.locator("#hints-list li").first).to_contain_text(secret)
    expect(coach.locator("#hint-text")).to_have_value("")

    expect(facilitator.locator("#hints-count")).to_contain_text("1")
    expect(facilitator.locator("#announcer")).to_contain_text(secret)
    open_panel(facilitator, "hints")
    expect(facilitator.locator("#hints-list li").first).to_contain_text(secret)
    expect(facilitator.locator("#hints-list li").first).to_contain_text("Cecilie")
    expect(facilitator.locator("#hint-form")).to_be_hidden()  # only coaches write hints
    expect(facilitator.locator("#hints-count")).to_have_text("")

    coach.locator("#hint-text").fill("Husk pausen")
    coach.locator("#hint-send").click()
    expect(facilitator.locator("#hints-list li").first).to_contain_text("Husk pausen")  # newest first

    wait_until_sent(coach)
    for _ in range(2):
        expect(participant.locator("#hints-panel")).to_be_hidden()
        expect(participant.locator("#hints-toggle")).to_be_hidden()
        assert secret not in participant.content()
        assert participant.locator("#hints-list li").count() == 0
        participant.reload()
        expect(participant.locator("#connection-status")).to_have_attribute("data-status", "connected")


def test_template_areas_from_the_landing_page(browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:
    """Choosing "User journey" on the landing page gives a board with its five labelled areas."""
    landing = open_page(browser, contexts, f"{server.http}/?lang=en")
    expect(landing.get_by_role("radio", name="Blank board")).to_be_checked()
    landing.locator("#create-title").fill("Hjemmehjelp")
    landing.get_by_role("radio", name="User journey").check()
    landing.locator("#create-submit").click()
    landing.locator("#open-facilitator").click()
    join(landing, "Kari")
    areas = landing.locator("#areas .area")
    expect(areas).to_have_count(5)
    expect(areas.first.locator(".area-title")).to_have_text("Finds out")
    expect(landing.locator("#room-prompt")).to_contain_text("What does the user experience")


def test_after_create_the_form_gives_way_until_create_another(browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:
    """After "Create session" the form is replaced by a line naming the session and "Create
    another session" (no second click on a still-active "Create session" makes a second one);
    the ready card names the board's real button for the large QR code ("Projector mode");
    "Create another session" gives an empty form, and the next session replaces the card."""
    landing = page_at(browser, contexts, f"{server.http}/?lang=en", "laptop")
    landing.locator("#create-title").fill("Hjemmehjelp")
    landing.locator("#create-submit").click()
    code = landing.locator("#result-code")
    expect(code).to_have_text(re.compile(r"^[A-Z2-9]{6}$"))
    first = code.inner_text().strip()
    expect(landing.locator("#create-form")).to_be_hidden()
    expect(landing.locator("#create-submit")).to_be_hidden()
    expect(landing.locator("#create-done-text")).to_have_text("“Hjemmehjelp” is created. Its code and links are below.")
    expect(landing.locator(".result-qr figcaption")).to_contain_text("On the board, “Projector mode” shows it large.")
    landing.wait_for_function("() => document.querySelector('#result-qr').naturalWidth > 0")
    shot(landing, "after-create", prefix="landing", full_page=True)
    assert axe_violations(landing) == []

    landing.get_by_role("button", name="Create another session").click()
    expect(landing.locator("#create-form")).to_be_visible()
    expect(landing.locator("#create-title")).to_have_value("")
    expect(landing.locator("#create-title")).to_be_focused()
    expect(landing.locator("#create-done")).to_be_hidden()
    landing.locator("#create-title").fill("Skolevei")
    landing.locator("#create-submit").click()
    expect(landing.locator("#create-done-text")).to_have_text("“Skolevei” is created. Its code and links are below.")
    expect(code).not_to_have_text(first)

    # The button the card names is there on the board.
    landing.locator("#open-facilitator").click()
    join(landing, "Kari")
    expect(landing.get_by_role("button", name="Projector mode")).to_be_visible()


def test_the_phone_timer_sound_toggle_has_a_visible_word(browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:
    """On a phone the timer's sound toggle shows a word ("Mute"), not a bare "♪", keeps the
    name "Mute sound" for screen readers and says what it does as a tooltip."""
    room = server.create_room()
    facilitator = open_page(browser, contexts, room["urls"]["facilitator"])
    join(facilitator, "Kari")
    phone = page_at(browser, contexts, room["urls"]["participant"], "phone")
    join(phone, "Ola")
    open_panel(facilitator, "facilitator")
    facilitator.locator("#timer-preset-3").click()
    mute = phone.get_by_role("button", name="Mute sound")
    expect(mute).to_be_visible()
    expect(mute.locator(".mute-short")).to_be_visible()
    expect(mute.locator(".mute-short")).to_have_text("Mute")
    hidden = mute.locator(".mute-text").bounding_box()
    assert hidden and hidden["width"] <= 1, hidden  # the long words only for screen readers here
    expect(mute).to_have_attribute("title", "Mute the sound when time is up")
    box = mute.bounding_box()
    assert box and box["height"] >= 44 and box["x"] + box["width"] <= 390, box
    shot(phone, "timer-mute-phone", prefix="facilitation")
    mute.tap()
    expect(mute).to_have_attribute("aria-pressed", "true")
    shot(phone, "timer-muted-phone", prefix="facilitation")
    # The laptop keeps the whole words.
    expect(facilitator.locator("#timer-mute .mute-text")).to_be_visible()
    expect(facilitator.locator("#timer-mute .mute-short")).to_be_hidden()


def test_people_join_from_a_projected_qr_code(browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:
    """The landing page shows the new session's QR code; on the board the facilitator shows the
    code, the address and the QR code large (for a projector), and closing it returns focus.
    axe finds nothing to fix in either."""
    landing = open_page(browser, contexts, f"{server.http}/?lang=en")
    landing.locator("#create-title").fill("Hjemmehjelp")
    landing.locator("#create-submit").click()
    expect(landing.locator("#result-code")).to_have_text(re.compile(r"^[A-Z2-9]{6}$"))
    code = landing.locator("#result-code").inner_text().strip()
    qr = landing.get_by_role("img", name="QR code for joining the session")
    expect(qr).to_be_visible()
    expect(qr).to_have_attribute("src", f"/r/{code}/qr.svg")
    landing.wait_for_function("() => document.querySelector('#result-qr').naturalWidth > 0")
    assert axe_violations(landing) == []

    landing.locator("#open-facilitator").click()
    join(landing, "Kari")
    open_panel(landing, "facilitator")
    landing.get_by_role("button", name="Show the code and QR code").click()
    dialog = landing.locator("#join-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".join-code")).to_have_text(code)
    expect(dialog.locator(".join-address")).to_have_text(server.http)
    landing.wait_for_function("() => document.querySelector('#join-qr').naturalWidth > 0")
    assert axe_violations(landing) == []
    landing.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(landing.locator("#show-join")).to_be_focused()


@pytest.mark.parametrize("phone", [False, True], ids=["laptop", "phone"])
def test_facilitation_meets_wcag_21_aa(browser: Browser, contexts: list[BrowserContext], server: TavlaServer, phone: bool) -> None:
    """axe-core finds no WCAG 2.1 A/AA violation with the facilitation panel open (timer running,
    private writing, a spotlight), with the hints panel open for a facilitator and a coach, or on
    a participant's board in the lobby and with time up."""
    def check(page: Page, what: str) -> None:
        violations = axe_violations(page)
        assert violations == [], f"{what}: {violations}"

    room = server.create_room("Tilgjengelighet", "nb", phase="lobby", template="need-solution-test")
    participant = open_page(browser, contexts, room["urls"]["participant"], phone=phone)
    join(participant, "Ola", "Skole")
    check(participant, "participant in the lobby")

    facilitator = open_page(browser, contexts, room["urls"]["facilitator"], phone=phone)
    join(facilitator, "Kari", "Helse")
    open_panel(facilitator, "facilitator")
    facilitator.locator("#private-toggle").check()
    start_phase(facilitator, "write")
    add_note(participant, "Privat lapp")
    expect(person(facilitator, "Ola").locator(".person-hidden")).to_have_count(1)
    facilitator.locator("#timer-preset-5").click()
    expect(facilitator.locator("#timer")).to_be_visible()
    check(facilitator, "facilitation panel")
    check(participant, "participant with a private note and a timer")

    facilitator.locator("#reveal-notes").click()
    expect(facilitator.locator("[data-note-id]")).to_have_count(1)
    close_panel(facilitator, "facilitator")
    facilitator.locator("[data-note-id]").first.focus()
    facilitator.keyboard.press("s")
    expect(participant.locator("#spotlight-bar")).to_be_visible()
    check(participant, "participant with a spotlight")
    check(facilitator, "facilitator with a spotlight")

    coach = open_page(browser, contexts, room["urls"]["coach"], phone=phone)
    join(coach, "Cecilie")
    open_panel(coach, "hints")
    coach.locator("#hint-text").fill("Bra tempo!")
    coach.locator("#hint-send").click()
    expect(coach.locator("#hints-list li")).to_have_count(1)
    check(coach, "hints panel (coach)")

    expect(facilitator.locator("#hints-count")).to_contain_text("1")
    open_panel(facilitator, "hints")
    expect(facilitator.locator("#hints-list li")).to_have_count(1)
    check(facilitator, "hints panel (facilitator)")

    open_panel(facilitator, "facilitator")
    facilitator.locator("#lock-toggle").check()
    facilitator.locator("#timer-minus").click()
    facilitator.locator("#timer-minus").click()
    facilitator.locator("#timer-minus").click()
    facilitator.locator("#timer-minus").click()
    facilitator.locator("#timer-minus").click()
    expect(participant.locator("#timer-up")).to_be_visible()
    check(participant, "participant with time up on a locked board")
