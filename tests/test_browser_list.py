"""The board as a list, phone first, in a real Chromium against a real server: on a 390×844
phone the list (not the header, the prompt or the phase bar) fills at least 65 % of the screen
in every phase; a participant writes, groups and votes without ever seeing the canvas, by
tapping and by keyboard alone; a note from someone else keeps the phone's focus and scroll
position and is announced, batched, in the list's live region; the view switch is remembered;
axe finds no WCAG 2.1 AA violation for any role at phone or laptop size. Screenshots of each
phase and role go to test-artifacts/."""

from __future__ import annotations

import re
from functools import partial

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
    wait_until_sent,
)
from tests.support.browser import list_row as row
from tests.support.servers import TavlaServer

pytestmark = pytest.mark.browser

NEED = "The user's needs"  # the first area of the Need – Solution – Test template

shot = shooter("list")
# A 390×844 phone with the device's own default view (the list, under 700 px).
phone_page = partial(open_page, size="phone", view="default")


def notes(count: int, prefix: str, area_x: int = 100) -> list[tuple[str, dict]]:  # type: ignore[type-arg]
    colors = ["yellow", "pink", "blue", "green", "orange", "purple"]
    return [
        ("note.create", {"id": f"n_{prefix}{i}", "text": f"{prefix} idé nummer {i}: kortere ventetid og bedre informasjon",
                         "color": colors[i % 6], "x": area_x + (i % 4) * 240, "y": 100 + (i // 4) * 170})
        for i in range(count)
    ]


def test_the_list_fills_a_phone_in_every_phase(browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:
    room = server.create_room("Bedre skolevei for alle barn i kommunen", phase="lobby", template="need-solution-test-board")
    seed(server, room, ("timer.start", {"duration_ms": 300_000}))
    pages = {
        "participant": phone_page(browser, contexts, room["urls"]["participant"]),
        "facilitator": phone_page(browser, contexts, room["urls"]["facilitator"]),
        "coach": phone_page(browser, contexts, room["urls"]["coach"]),
    }
    for role, page in pages.items():
        join(page, {"participant": "Ola", "facilitator": "Kari", "coach": "Siv"}[role], "Skole")
        expect(page.locator("#list-view")).to_be_visible()
        expect(page.locator("#viewport")).to_be_hidden()
    for phase in ("lobby", "write", "cluster", "vote", "results"):
        if phase == "write":
            seed(server, room, ("phase.set", {"phase": "write"}), *notes(6, "Behov"), *notes(3, "Losning", 1400),
                 ("cluster.create", {"id": "c_vent", "title": "Ventetid", "x": 100, "y": 1200}),
                 ("note.group", {"id": "n_Behov0", "cluster": "c_vent"}), ("note.group", {"id": "n_Behov1", "cluster": "c_vent"}))
        elif phase == "results":
            seed(server, room, ("vote.cast", {"target": "n_Behov2"}), ("votes.reveal", {}), ("phase.set", {"phase": phase}))
        else:
            seed(server, room, ("phase.set", {"phase": phase}))
        for role, page in pages.items():
            expect(page.locator("#phase-banner")).to_have_attribute("data-phase", phase)
            if phase != "lobby":
                expect(page.locator("[data-list-note]")).to_have_count(9)
            share = list_share(page)
            assert share >= 0.65, f"{role} in {phase}: the list shows only {share:.0%} of the screen"
            shot(page, f"{phase}-{role}-phone")
    # Votes revealed, results phase: the list opens on most dots first by itself (walkthrough 4:
    # the phone showed the notes in the order they came), the note with a dot first; a person
    # who picks another order keeps it.
    participant = pages["participant"]
    participant.locator("#list-filter-toggle").click()
    expect(participant.locator("#list-sort")).to_have_value("dots")
    first = participant.locator(".list-loose").first.locator("[data-list-note]").first
    expect(first.locator(".list-note-text")).to_contain_text("Behov idé nummer 2")
    expect(first.locator(".list-badge-votes")).to_have_text("1 dot")
    shot(participant, "results-sorted-participant-phone")
    participant.locator("#list-sort").select_option("newest")  # redraws the list, which keeps it
    expect(participant.locator("#list-sort")).to_have_value("newest")
    expect(participant.locator(".list-loose").first.locator("[data-list-note]").first.locator(".list-note-text")).not_to_contain_text("nummer 2")
    for page in pages.values():
        assert page.errors == []  # type: ignore[attr-defined]


def write_group_and_vote(page: Page, server: TavlaServer, room: dict, keyboard: bool) -> None:  # type: ignore[type-arg]
    """Write a note, make a group, put the note in it, then give it a dot and take it back —
    in the list only, by tapping or by keyboard alone."""

    def press(selector_or_locator, key: str = "Enter") -> None:  # type: ignore[no-untyped-def]
        target = page.locator(selector_or_locator) if isinstance(selector_or_locator, str) else selector_or_locator
        if keyboard:
            target.focus()
            page.keyboard.press(key)
        else:
            target.tap()

    text = "Trygg kryssing ved skolen" + (" (tastatur)" if keyboard else "")
    press("#list-add")
    expect(page.locator("#note-dialog")).to_be_visible()
    expect(page.locator("#note-text")).to_be_focused()
    if keyboard:
        page.keyboard.type(text)
        page.keyboard.press("Escape")  # Escape closes the sheet, and nothing is written
        expect(page.locator("#note-dialog")).to_be_hidden()
        expect(page.locator("#list-add")).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.locator("#note-text")).to_be_focused()
        page.keyboard.type(text)
        for _ in range(20):  # Tab to "Save"
            if page.evaluate("document.activeElement.id") == "note-save":
                break
            page.keyboard.press("Tab")
        page.keyboard.press("Enter")
    else:
        page.locator("#note-text").fill(text)
        page.locator("#note-save").tap()
    expect(page.locator("#note-dialog")).to_be_hidden()
    expect(page.locator("#list-add")).to_be_focused()
    mine = row(page, text)
    expect(mine).to_have_count(1)

    group = "Skoleveien" + (" K" if keyboard else "")
    press("#list-add-group")
    expect(page.locator("#cluster-title")).to_be_focused()
    if keyboard:
        page.keyboard.type(group)
        page.keyboard.press("Enter")
    else:
        page.locator("#cluster-title").fill(group)
        page.locator("#cluster-save").tap()
    section = page.locator(".list-group", has=page.locator("h4", has_text=group))
    expect(section).to_have_count(1)
    wait_until_sent(page)

    move = mine.locator(".list-move")
    press(move)
    sheet = page.locator("#move-sheet")
    expect(sheet).to_be_visible()
    option = sheet.locator(".move-option", has_text=group)
    if keyboard:
        page.keyboard.press("Escape")
        expect(sheet).to_be_hidden()
        expect(move).to_be_focused()
        page.keyboard.press("Enter")
        expect(sheet).to_be_visible()
        for _ in range(20):
            if option.evaluate("b => b === document.activeElement"):
                break
            page.keyboard.press("Tab")
        page.keyboard.press("Enter")
    else:
        option.tap()
    expect(sheet).to_be_hidden()
    # Still visible, in its new place, briefly highlighted, and the focus is still on it.
    moved = section.locator("[data-list-note]", has_text=text)
    expect(moved).to_be_visible()
    expect(moved).to_have_class(re.compile(r"\bis-moved\b"))
    expect(moved).to_be_in_viewport()
    expect(move).to_be_focused()
    wait_until_sent(page)

    seed(server, room, ("phase.set", {"phase": "vote"}))
    expect(page.locator("#phase-banner")).to_have_attribute("data-phase", "vote")
    add = moved.locator(".vote-add")
    press(add)
    expect(moved.locator(".vote-count")).to_have_text("1 of your dots")
    expect(page.locator("#dots-left")).to_contain_text("4 of 5")
    press(add)
    expect(moved.locator(".vote-count")).to_have_text("2 of your dots")
    press(moved.locator(".vote-remove"))
    expect(moved.locator(".vote-count")).to_have_text("1 of your dots")
    wait_until_sent(page)
    expect(page.locator("#viewport")).to_be_hidden()  # never the canvas


@pytest.mark.parametrize("keyboard", [False, True], ids=["tap", "keyboard"])
def test_a_participant_writes_groups_and_votes_in_the_list(browser: Browser, contexts: list[BrowserContext], server: TavlaServer, keyboard: bool) -> None:
    room = server.create_room("Skolevei", phase="write", template="need-solution-test-board")
    page = phone_page(browser, contexts, room["urls"]["participant"])
    join(page, "Ola", "Skole")
    write_group_and_vote(page, server, room, keyboard)
    shot(page, f"wrote-grouped-voted-{'keyboard' if keyboard else 'tap'}-phone")
    assert page.errors == []  # type: ignore[attr-defined]


def test_live_updates_keep_focus_and_place_and_are_announced(browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:
    room = server.create_room("Skolevei", phase="write", template="need-solution-test-board")
    seed(server, room, *notes(24, "Behov"))
    page = phone_page(browser, contexts, room["urls"]["participant"])
    join(page, "Ola", "Skole")
    expect(page.locator("[data-list-note]")).to_have_count(24)
    target = row(page, "Behov idé nummer 8:")
    page.evaluate("document.getElementById('list-body').scrollTop = 1200")
    target.scroll_into_view_if_needed()
    button = target.locator(".list-move")
    button.focus()
    before = target.evaluate("r => r.getBoundingClientRect().top")
    scroll_before = page.evaluate("document.getElementById('list-body').scrollTop")
    # Someone else writes three notes: newest first, so they land above what the phone reads.
    seed(server, room, *[(op, {**args, "id": f"{args['id']}x"}) for op, args in notes(3, "Ny")])
    expect(page.locator("[data-list-note]")).to_have_count(27)
    expect(button).to_be_focused()
    after = target.evaluate("r => r.getBoundingClientRect().top")
    assert abs(after - before) <= 2, f"the row in view jumped from {before} to {after}"
    assert page.evaluate("document.getElementById('list-body').scrollTop") > scroll_before  # the list kept its place
    expect(page.locator("#list-announcer")).to_have_text(f"3 new notes in {NEED}")
    assert page.errors == []  # type: ignore[attr-defined]


def test_the_view_switch_is_remembered(browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:
    room = server.create_room("Skolevei", phase="write")
    seed(server, room, *notes(2, "Ide"))
    page = phone_page(browser, contexts, room["urls"]["participant"])
    join(page, "Ola")
    page.locator("#show-canvas").tap()
    expect(page.locator("#viewport")).to_be_visible()
    expect(page.locator("#list-view")).to_be_hidden()
    expect(page.locator("#show-list")).to_be_focused()
    page.reload()
    expect(page.locator("#connection-status")).to_have_attribute("data-status", "connected")
    expect(page.locator("[data-note-id]").first).to_be_visible()
    expect(page.locator("#list-view")).to_be_hidden()
    page.locator("#show-list").tap()
    expect(page.locator("#list-view")).to_be_visible()
    expect(page.locator("#show-canvas")).to_be_focused()
    # A laptop shows the canvas by default, and switches to the list the same way.
    laptop = open_page(browser, contexts, room["urls"]["participant"], size="laptop")
    join(laptop, "Kari")
    expect(laptop.locator("#viewport")).to_be_visible()
    shot(laptop, "canvas-laptop")
    laptop.locator("#show-list").click()
    expect(laptop.locator("[data-list-note]")).to_have_count(2)
    shot(laptop, "list-laptop")


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_the_list_meets_wcag_21_aa_for_every_role(browser: Browser, contexts: list[BrowserContext], server: TavlaServer, size: str) -> None:
    room = server.create_room("Skolevei", phase="write", template="need-solution-test-board")
    seed(server, room, *notes(5, "Behov"), *notes(2, "Test", 2700),
         ("cluster.create", {"id": "c_vent", "title": "Ventetid", "x": 100, "y": 1200}),
         ("note.group", {"id": "n_Behov0", "cluster": "c_vent"}), ("phase.set", {"phase": "vote"}))
    for role, name in (("participant", "Ola"), ("facilitator", "Kari"), ("coach", "Siv")):
        page = open_page(browser, contexts, room["urls"][role], size=size, view="list")
        join(page, name, "Skole")
        expect(page.locator("[data-list-note]")).to_have_count(7)
        if role == "participant":
            expect(page.locator("[data-list-note] .vote-add").first).to_be_visible()
        page.locator("#list-filter-toggle").click()
        expect(page.locator("#list-filters")).to_be_visible()
        violations = axe_violations(page)
        assert violations == [], f"{role} at {size}: {violations}"
        shot(page, f"axe-{role}-{size}")
        if size == "phone":
            page.locator("#board-menu-toggle").click()
            expect(page.locator("#session-toolbar")).to_be_visible()
            assert axe_violations(page) == [], f"{role}'s menu at {size}"
            shot(page, f"menu-{role}-phone")
            page.keyboard.press("Escape")
            expect(page.locator("#session-toolbar")).to_be_hidden()
            expect(page.locator("#board-menu-toggle")).to_be_focused()
        move = row(page, "Behov idé nummer 2").locator(".list-move")
        if role != "facilitator":
            expect(move).to_be_hidden()  # nobody but the facilitator moves notes while people vote
            continue
        move.click()
        expect(page.locator("#move-sheet")).to_be_visible()
        assert axe_violations(page) == [], f"{role}'s group menu at {size}"
        shot(page, f"move-sheet-{role}-{size}")
        page.keyboard.press("Escape")
        expect(page.locator("#move-sheet")).to_be_hidden()


@pytest.mark.parametrize("language", ["nb", "sv"])
def test_the_phone_frame_fits_in_norwegian_and_swedish(browser: Browser, contexts: list[BrowserContext], server: TavlaServer, language: str) -> None:
    """The longer words of nb and sv still give one header line, one row of list buttons and the
    screen to the notes; the counts say "1 lapp" and "N lapper/lappar"."""
    room = server.create_room("Bedre skolevei", language=language, phase="write", template="need-solution-test-board")
    seed(server, room, *notes(4, "Behov"), ("cluster.create", {"id": "c_vent", "title": "Ventetid", "x": 100, "y": 1200}),
         ("note.group", {"id": "n_Behov0", "cluster": "c_vent"}))
    page = phone_page(browser, contexts, room["urls"]["participant"])
    join(page, "Ola", "Skole")
    expect(page.locator("[data-list-note]")).to_have_count(4)
    shot(page, f"write-participant-phone-{language}")
    boxes = page.evaluate("""() => ['list-add', 'list-add-group', 'list-filter-toggle', 'show-canvas']
        .map((id) => document.getElementById(id).getBoundingClientRect())
        .map((r) => ({top: Math.round(r.top), height: Math.round(r.height), right: Math.round(r.right)}))""")
    assert max(b["top"] for b in boxes) - min(b["top"] for b in boxes) <= 8, f"the list's buttons wrap in {language}: {boxes}"
    assert all(b["height"] <= 45 and b["right"] <= 390 for b in boxes), f"a button's words wrap in {language}: {boxes}"
    header = page.evaluate("document.querySelector('.topbar').getBoundingClientRect().height")
    assert header <= 56, f"the header is {header} px high in {language}"
    assert list_share(page) >= 0.65
    counts = page.locator(".list-section-count")
    expect(counts.filter(has_text="(1 lapp)")).to_have_count(1)
    expect(counts.filter(has_text=re.compile(r"\(3 lapp(er|ar)\)"))).to_have_count(1)
    page.locator("#board-menu-toggle").click()
    shot(page, f"menu-participant-phone-{language}")


def test_the_list_follows_the_spotlight(browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:
    """The facilitator puts a note far down the list in focus: the phone's list scrolls to it,
    and its row says "In focus"."""
    room = server.create_room("Skolevei", phase="cluster", template="need-solution-test-board")
    seed(server, room, *notes(16, "Behov"))
    page = phone_page(browser, contexts, room["urls"]["participant"])
    join(page, "Ola")
    target = row(page, "Behov idé nummer 0:")  # the oldest: last in the list
    expect(target).not_to_be_in_viewport()
    seed(server, room, ("spotlight", {"target": "n_Behov0"}))
    expect(target).to_be_in_viewport()
    expect(target.locator(".list-badge-spotlight")).to_have_text("In focus")
    shot(page, "spotlight-participant-phone")


def test_a_long_section_shows_a_page_and_then_the_rest(browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:
    """130 notes in one section: the first 100 (newest) are rows, a button shows the other 30 and
    the focus lands on the first of them; the keyboard never meets a dead end. A blank board is
    one section whatever the layout does (an area of a template holds about 85 notes side by
    side; more spill into the next area)."""
    room = server.create_room("Stort rom", phase="write", template="blank")
    many = [("note.create", {"id": f"n_m{i}", "text": f"Notat {i}", "color": "blue", "x": 60 + (i % 5) * 240,
                             "y": 60 + (i // 5) * 100}) for i in range(130)]
    seed(server, room, *many[:65])  # two sockets: one would meet the per-connection rate limit
    seed(server, room, *many[65:])
    page = phone_page(browser, contexts, room["urls"]["participant"])
    join(page, "Ola")
    expect(page.locator("[data-list-note]")).to_have_count(100)
    more = page.locator(".list-more:visible")
    expect(more).to_have_text("Show 30 more notes")
    expect(page.locator(".list-area .list-section-count").first).to_have_text("(130 notes)")
    more.focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-list-note]")).to_have_count(130)
    expect(page.locator(".list-more:visible")).to_have_count(0)
    expect(page.locator("[data-list-note]").nth(100)).to_be_focused()
    expect(page.locator("[data-list-note]").nth(100)).to_contain_text("Notat 29")
    assert page.errors == []  # type: ignore[attr-defined]


def test_a_note_written_in_the_list_lands_in_the_area_chosen(browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:
    """The list has no canvas view to say where a note goes: the note sheet asks for the area,
    preselected from the list's area filter (else the first area)."""
    room = server.create_room("Skolevei", phase="write", template="need-solution-test-board")
    page = phone_page(browser, contexts, room["urls"]["participant"])
    join(page, "Ola", "Skole")

    def write(text: str, area: str | None, expected_choice: str) -> None:
        page.locator("#list-add").tap()
        expect(page.locator("#note-area")).to_be_visible()
        expect(page.locator("#note-area option:checked")).to_have_text(expected_choice)
        if area:
            page.locator("#note-area").select_option(label=area)
        page.locator("#note-text").fill(text)
        page.locator("#note-save").tap()
        expect(page.locator("#note-dialog")).to_be_hidden()

    def section(title: str):  # type: ignore[no-untyped-def]
        return page.locator("section", has=page.locator("h3", has_text=title))

    write("Ring ti foreldre", "How we test it small", NEED)
    expect(section("How we test it small").locator("[data-list-note]", has_text="Ring ti foreldre")).to_have_count(1)

    page.locator("#list-filter-toggle").tap()
    page.locator("#list-filter-area").select_option(label="Ideas for solutions")
    write("Gangfelt med lys", None, "Ideas for solutions")
    expect(section("Ideas for solutions").locator("[data-list-note]", has_text="Gangfelt med lys")).to_have_count(1)
    shot(page, "note-in-chosen-area-phone")

    wait_until_sent(page)
    assert page.errors == []  # type: ignore[attr-defined]
