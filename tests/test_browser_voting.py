"""Groups, dot voting, results and deleting a session, in a real Chromium against a real Tavla
process: a phone puts a note in a group without dragging, groups move their notes everywhere,
dots count down and never exceed the budget, nobody sees totals before reveal, results open
for the facilitator and (once published) for everyone, also without JavaScript, and a deleted
session leaves every open page on the "was deleted" screen. Everything is checked with axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.support.browser import (  # noqa: F401
    add_note,
    assert_accessible,
    browser,
    close_panel,
    contexts,
    group,
    join,
    note,
    open_page,
    open_panel,
    seed,
    server,
    start_phase,
    wait_until_sent,
)
from tests.support.servers import TavlaServer

pytestmark = pytest.mark.browser


def inside(page: Page, note_id: str, cluster_id: str) -> bool:
    """The note is drawn within the group's box."""
    n = note(page, note_id).bounding_box()
    g = group(page, cluster_id).bounding_box()
    assert n and g
    return (g["x"] <= n["x"] and n["x"] + n["width"] <= g["x"] + g["width"] + 1
            and g["y"] <= n["y"] and n["y"] + n["height"] <= g["y"] + g["height"] + 1)


def my_dots(page: Page) -> int:
    """How many of my dots the page shows, summed over every note and group."""
    return page.evaluate("""() => [...document.querySelectorAll('.vote-count')]
        .filter(e => !e.closest('[hidden]'))
        .reduce((sum, e) => sum + parseInt(e.textContent, 10), 0)""")


def dots_left(page: Page) -> str:
    return page.locator("#dots-left").inner_text().strip()


def totals(page: Page) -> dict[str, str]:
    """The total badge on every note and group, by id ("" where there is none)."""
    return page.evaluate("""() => Object.fromEntries(
        [...document.querySelectorAll('[data-note-id], [data-cluster-id]')].map(e => {
            const badge = e.querySelector('.note-badge-votes');
            return [e.dataset.noteId || e.dataset.clusterId, badge ? badge.textContent : ''];
        }))""")


check_axe = assert_accessible


def test_phone_moves_a_note_into_a_group_and_the_group_carries_it(browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:
    """A participant on a phone puts her note into a group with "Move to group" (no dragging);
    the facilitator's laptop shows it inside that group. Moving the group (keys, then the mouse)
    moves the note on the phone too, and it stays inside."""
    room = server.create_room("Skolevei", phase="cluster")
    laptop = open_page(browser, contexts, room["urls"]["facilitator"])
    join(laptop, "Kari", "Helse")
    phone = open_page(browser, contexts, room["urls"]["participant"], phone=True)
    join(phone, "Ola", "Skole")

    laptop.get_by_role("button", name="New group").click()
    expect(laptop.locator("#cluster-dialog")).to_be_visible()
    laptop.get_by_label("Name of the group").fill("Trygg kryssing")
    laptop.locator("#cluster-save").click()
    expect(phone.locator("[data-cluster-id]")).to_have_count(1)
    cluster_id = phone.locator("[data-cluster-id]").get_attribute("data-cluster-id")
    assert cluster_id
    expect(group(phone, cluster_id).get_by_role("button", name=re.compile("^Trygg kryssing"))).to_be_visible()

    add_note(phone, "Lys i fotgjengerfeltet")
    mine = phone.locator("[data-note-id].is-mine")
    expect(mine).to_have_count(1)
    note_id = mine.get_attribute("data-note-id")
    assert note_id
    wait_until_sent(phone)
    mine.tap()
    expect(phone.locator("#note-dialog")).to_be_visible()
    phone.get_by_label("Move to group").select_option(label="Trygg kryssing")
    phone.locator("#note-save").click()
    expect(phone.locator("#note-dialog")).to_be_hidden()

    on_laptop = note(laptop, note_id)
    expect(on_laptop).to_have_attribute("data-cluster", cluster_id)
    expect(on_laptop).to_have_class(re.compile(r"\bnote-yellow\b"))  # the tap did not click a colour
    expect(on_laptop).to_contain_text("In the group “Trygg kryssing”")
    expect(group(laptop, cluster_id)).to_contain_text("1 note")
    laptop.wait_for_function("([n, c]) => { const a = document.querySelector(`[data-note-id=\"${n}\"]`).getBoundingClientRect();"
                             " const b = document.querySelector(`[data-cluster-id=\"${c}\"]`).getBoundingClientRect();"
                             " return a.left >= b.left && a.right <= b.right + 1 && a.top >= b.top && a.bottom <= b.bottom + 1; }",
                             arg=[note_id, cluster_id])
    assert inside(laptop, note_id, cluster_id)

    # Keys: the group and its note move, here and on the phone.
    on_phone = note(phone, note_id)
    before = on_phone.evaluate("e => e.style.transform")
    handle = group(laptop, cluster_id).locator(".cluster-handle")
    handle.focus()
    laptop.keyboard.press("Shift+ArrowRight")
    laptop.keyboard.press("Shift+ArrowDown")
    expect(on_phone).not_to_have_attribute("style", re.compile(re.escape(before)))
    wait_until_sent(laptop)
    expect(on_phone).to_have_attribute("style", re.compile(re.escape(on_laptop.evaluate("e => e.style.transform"))))

    # The mouse: drag the group by its header.
    before = on_phone.evaluate("e => e.style.transform")
    box = handle.bounding_box()
    assert box is not None
    laptop.mouse.move(box["x"] + 20, box["y"] + box["height"] / 2)
    laptop.mouse.down()
    laptop.mouse.move(box["x"] + 220, box["y"] + box["height"] / 2 + 90, steps=8)
    laptop.mouse.up()
    expect(on_phone).not_to_have_attribute("style", re.compile(re.escape(before)))
    wait_until_sent(laptop)
    expect(on_phone).to_have_attribute("style", re.compile(re.escape(on_laptop.evaluate("e => e.style.transform"))))
    phone.wait_for_timeout(300)  # the phone draws the group box in its next frame
    assert inside(phone, note_id, cluster_id)
    expect(laptop.locator("#cluster-dialog")).to_be_hidden()  # a drag is not a click

    # And out again with "No group".
    mine.tap()
    phone.get_by_label("Move to group").select_option(label="No group")
    phone.locator("#note-save").click()
    expect(on_laptop).not_to_have_attribute("data-cluster", cluster_id)
    expect(group(laptop, cluster_id)).to_contain_text("0 notes")
    assert laptop.errors == [] and phone.errors == []  # type: ignore[attr-defined]


def test_group_actions_by_keyboard(browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:
    """Everything a group can do, with the keyboard only: rename, spotlight for everyone (S),
    merge into another group (its notes move over) and delete (its notes stay)."""
    room = server.create_room("Grupper", phase="cluster")
    seed(server, room,
         ("note.create", {"id": "n1", "text": "Kø", "color": "yellow", "x": 100, "y": 400}),
         ("note.create", {"id": "n2", "text": "Skjema", "color": "blue", "x": 900, "y": 400}),
         ("cluster.create", {"id": "c1", "title": "Ventetid", "x": 60, "y": 200}),
         ("cluster.create", {"id": "c2", "title": "Papir", "x": 860, "y": 200}),
         ("note.group", {"id": "n1", "cluster": "c1"}), ("note.group", {"id": "n2", "cluster": "c2"}))
    facilitator = open_page(browser, contexts, room["urls"]["facilitator"])
    join(facilitator, "Kari")
    watcher = open_page(browser, contexts, room["urls"]["participant"], phone=True)
    join(watcher, "Ola")

    handle = group(facilitator, "c2").locator(".cluster-handle")
    handle.focus()
    facilitator.keyboard.press("Enter")
    expect(facilitator.locator("#cluster-dialog")).to_be_visible()
    expect(facilitator.get_by_label("Name of the group")).to_be_focused()
    facilitator.keyboard.press("Control+a")
    facilitator.keyboard.type("Skjema og papir")
    facilitator.keyboard.press("Enter")
    expect(group(watcher, "c2")).to_contain_text("Skjema og papir")
    expect(handle).to_be_focused()

    facilitator.keyboard.press("s")
    expect(group(watcher, "c2")).to_have_class(re.compile(r"\bis-spotlight\b"))
    expect(watcher.locator("#spotlight-text")).to_contain_text("Skjema og papir")
    facilitator.keyboard.press("s")
    expect(group(watcher, "c2")).not_to_have_class(re.compile(r"\bis-spotlight\b"))

    facilitator.keyboard.press("Enter")
    facilitator.get_by_label("Merge into…").select_option(label="Ventetid")
    facilitator.get_by_role("button", name="Merge", exact=True).click()
    expect(group(watcher, "c2")).to_have_count(0)
    expect(note(watcher, "n2")).to_have_attribute("data-cluster", "c1")
    expect(group(facilitator, "c1").locator(".cluster-handle")).to_be_focused()

    facilitator.keyboard.press("Enter")
    facilitator.get_by_role("button", name="Delete group").click()
    expect(watcher.locator("[data-cluster-id]")).to_have_count(0)
    expect(watcher.locator("[data-note-id]")).to_have_count(2)
    expect(note(watcher, "n1")).not_to_have_attribute("data-cluster", "c1")
    assert facilitator.errors == [] and watcher.errors == []  # type: ignore[attr-defined]


def test_dot_voting_with_keys_and_taps(browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:
    """With 3 dots per person and at most 2 per idea: dots left count down, + and − work on a
    focused note and group, taps on a phone never go over the budget, nobody sees a total
    before reveal (and a coach sees no voting controls), and after "Reveal votes" every page
    shows the same totals."""
    room = server.create_room("Skolevei", phase="cluster")
    seed(server, room,
         ("note.create", {"id": "n1", "text": "Lys i krysset", "color": "yellow", "x": 100, "y": 400}),
         ("note.create", {"id": "n2", "text": "Gangfelt ved skolen", "color": "blue", "x": 400, "y": 400}),
         ("note.create", {"id": "n3", "text": "Voksne langs veien", "color": "green", "x": 700, "y": 400}),
         ("cluster.create", {"id": "c1", "title": "Trafikk", "x": 80, "y": 60}))
    facilitator = open_page(browser, contexts, room["urls"]["facilitator"])
    join(facilitator, "Kari")
    open_panel(facilitator, "facilitator")
    facilitator.get_by_label("Dots per person").fill("3")
    facilitator.get_by_label("Most dots on one idea").fill("2")
    facilitator.get_by_label("Notes and groups").check()
    facilitator.get_by_role("button", name="Save voting settings").click()
    wait_until_sent(facilitator)
    start_phase(facilitator, "vote")

    laptop = open_page(browser, contexts, room["urls"]["participant"])
    join(laptop, "Siri", "Helse")
    phone = open_page(browser, contexts, room["urls"]["participant"], phone=True)
    join(phone, "Ola", "Skole")
    coach = open_page(browser, contexts, room["urls"]["coach"])
    join(coach, "Cecilie")
    for page in (laptop, phone):
        expect(page.locator("#dots-left")).to_have_text("Dots left: 3 of 3")
        expect(page.locator("#dots-left")).to_have_attribute("role", "status")
        expect(page.locator(".vote-bar")).to_have_count(4)

    # Keyboard on the laptop.
    note(laptop, "n1").focus()
    laptop.keyboard.press("+")
    expect(laptop.locator("#dots-left")).to_have_text("Dots left: 2 of 3")
    laptop.keyboard.press("+")
    expect(laptop.locator("#dots-left")).to_have_text("Dots left: 1 of 3")
    expect(note(laptop, "n1")).to_contain_text("2 of your dots")
    laptop.keyboard.press("+")  # at most 2 on one idea
    expect(laptop.locator(".toast-text").last).to_have_text("You can put at most 2 dots on one idea.")
    expect(laptop.locator("#dots-left")).to_have_text("Dots left: 1 of 3")
    laptop.keyboard.press("-")
    expect(laptop.locator("#dots-left")).to_have_text("Dots left: 2 of 3")
    group(laptop, "c1").locator(".cluster-handle").focus()
    laptop.keyboard.press("+")
    expect(group(laptop, "c1")).to_contain_text("1 of your dots")
    laptop.get_by_role("button", name="Add a dot to “Voksne langs veien”").click()
    expect(laptop.locator("#dots-left")).to_have_text("Dots left: 0 of 3")
    used_up = laptop.get_by_role("button", name="Add a dot to “Gangfelt ved skolen”")
    expect(used_up).to_have_attribute("aria-disabled", "true")  # still focusable, and says why
    used_up.click(force=True)
    expect(laptop.locator(".toast-text").last).to_have_text("You have used all 3 dots.")
    assert dots_left(laptop) == "Dots left: 0 of 3" and my_dots(laptop) == 3

    # Taps on the phone, fast: never more than the budget on screen.
    add_n1 = phone.get_by_role("button", name="Add a dot to “Lys i krysset”")
    add_n3 = phone.get_by_role("button", name="Add a dot to “Voksne langs veien”")
    for button in (add_n1, add_n1, add_n1, add_n3, add_n3, add_n3):
        button.tap(force=True)  # as fast as a thumb, used-up buttons too
        assert my_dots(phone) <= 3
    expect(phone.locator("#dots-left")).to_have_text("Dots left: 0 of 3")
    assert my_dots(phone) == 3
    expect(note(phone, "n1")).to_contain_text("2 of your dots")
    phone.get_by_role("button", name="Remove a dot from “Voksne langs veien”").tap()
    expect(phone.locator("#dots-left")).to_have_text("Dots left: 1 of 3")
    phone.get_by_role("button", name="Add a dot to “Voksne langs veien”").tap()
    expect(phone.locator("#dots-left")).to_have_text("Dots left: 0 of 3")

    # Before reveal: no totals anywhere, and the coach votes on nothing.
    wait_until_sent(laptop)
    wait_until_sent(phone)
    for page in (laptop, phone, facilitator, coach):
        assert all(v == "" for v in totals(page).values()), totals(page)
    expect(coach.locator(".vote-bar")).to_have_count(0)
    expect(coach.locator("#dots-left")).to_be_hidden()
    note(coach, "n1").focus()
    coach.keyboard.press("+")
    assert coach.locator(".vote-bar").count() == 0

    open_panel(facilitator, "facilitator")
    facilitator.get_by_role("button", name="Reveal votes").click()
    expected = {"n1": "3 dots", "n2": "0 dots", "n3": "2 dots", "c1": "1 dot"}
    for page in (laptop, phone, facilitator, coach):
        expect(note(page, "n1").locator(".note-badge-votes")).to_have_text("3 dots")
        assert totals(page) == expected, totals(page)
    expect(laptop.locator("#announcer")).to_contain_text("The votes are revealed")

    # A dot after reveal updates every total.
    laptop.get_by_role("button", name="Remove a dot from “Lys i krysset”").click()
    for page in (phone, facilitator):
        expect(note(page, "n1").locator(".note-badge-votes")).to_have_text("2 dots")
    pages = (facilitator, laptop, phone, coach)
    assert all(p.errors == [] for p in pages), [p.errors for p in pages]  # type: ignore[attr-defined]


def test_results_page_from_the_panel_published_and_without_javascript(browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:
    """The facilitator opens the printable results from the panel (with the key); once published
    a participant gets a "Results" link that works; the page works without JavaScript and axe
    finds no WCAG 2.1 AA violation on it. In the results phase everyone sees the ranking, ties
    sharing a place."""
    room = server.create_room("Skolevei", "en", phase="vote")
    seed(server, room,
         ("note.create", {"id": "n1", "text": "Lys i krysset", "color": "yellow", "x": 100, "y": 400}),
         ("note.create", {"id": "n2", "text": "Gangfelt ved skolen", "color": "blue", "x": 400, "y": 400}),
         ("note.create", {"id": "n3", "text": "Voksne langs veien", "color": "green", "x": 700, "y": 400}),
         ("cluster.create", {"id": "c1", "title": "Trafikk", "x": 80, "y": 60}),
         ("note.group", {"id": "n1", "cluster": "c1"}),
         ("vote.cast", {"target": "n1"}), ("vote.cast", {"target": "n1"}),
         ("vote.cast", {"target": "n2"}), ("vote.cast", {"target": "n2"}),
         ("vote.cast", {"target": "n3"}))
    facilitator = open_page(browser, contexts, room["urls"]["facilitator"])
    join(facilitator, "Kari")
    participant = open_page(browser, contexts, room["urls"]["participant"])
    join(participant, "Ola")
    expect(participant.locator("#results-link")).to_be_hidden()

    open_panel(facilitator, "facilitator")
    facilitator.get_by_role("button", name="Reveal votes").click()
    start_phase(facilitator, "results")
    for page in (participant, facilitator):
        open_panel(page, "results")
        # As on the results page: one ranking of ideas; n1 is listed under its group "Trafikk"
        # (which counts its 2 dots) and the group shares 1. with the 2-dot note.
        expect(page.locator("#ranking-ideas-heading")).to_have_text("Ideas, most dots first")
        items = page.locator("#ranking-ideas-list > li")
        expect(items).to_have_count(3)
        expect(items.nth(0)).to_contain_text("1.")
        expect(items.nth(0)).to_contain_text("Gangfelt ved skolen")
        expect(items.nth(0)).to_contain_text("2 dots")
        expect(items.nth(1)).to_contain_text("1.")
        expect(items.nth(1)).to_contain_text("Group")
        expect(items.nth(1)).to_contain_text("Trafikk")
        expect(items.nth(1)).to_contain_text("2 dots")
        expect(items.nth(2)).to_contain_text("3.")
        expect(items.nth(2)).to_contain_text("Voksne langs veien")
    expect(participant.locator("#results-page-wrap")).to_be_hidden()  # not published yet

    open_panel(facilitator, "facilitator")
    link = facilitator.locator("#panel-results-link")
    expect(link).to_have_attribute("href", re.compile(r"/results#key="))
    expect(link).to_have_attribute("target", "_blank")
    with facilitator.context.expect_page() as opened:
        link.click()
    results = opened.value
    results.wait_for_load_state()
    expect(results.locator("h1")).to_have_text("Skolevei")
    expect(results.locator("main")).to_contain_text("Voksne langs veien")

    facilitator.get_by_label("Publish results for participants").check()
    expect(participant.locator("#results-link")).to_be_visible()
    expect(participant.locator("#results-page-wrap")).to_be_visible()
    with participant.context.expect_page() as opened:
        participant.locator("#results-link").click()
    public = opened.value
    public.wait_for_load_state()
    expect(public.locator("h1")).to_have_text("Skolevei")
    assert "key=" not in public.url
    for width in (1280, 320):
        public.set_viewport_size({"width": width, "height": 800})
        check_axe(public, f"results page at {width} px")

    no_js = browser.new_context(java_script_enabled=False)
    contexts.append(no_js)
    page = no_js.new_page()
    response = page.goto(f"{server.http}/r/{room['code']}/results")
    assert response is not None and response.status == 200
    expect(page.locator("h1")).to_have_text("Skolevei")
    expect(page.locator("main")).to_contain_text("Trafikk")
    expect(page.locator("main")).to_contain_text("2 dots")
    expect(page.get_by_role("link", name="Download as CSV (spreadsheet)")).to_be_visible()
    assert facilitator.errors == [] and participant.errors == []  # type: ignore[attr-defined]


def test_deleting_the_session_takes_everyone_off(browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:
    """The facilitator must type the session code; then every open page (laptop and phone)
    shows that the session was deleted, and stays there."""
    room = server.create_room("Skal slettes", phase="write")
    facilitator = open_page(browser, contexts, room["urls"]["facilitator"])
    join(facilitator, "Kari")
    laptop = open_page(browser, contexts, room["urls"]["participant"])
    join(laptop, "Siri")
    phone = open_page(browser, contexts, room["urls"]["participant"], phone=True)
    join(phone, "Ola")
    add_note(phone, "Noe å slette")
    expect(facilitator.locator("[data-note-id]")).to_have_count(1)

    open_panel(facilitator, "facilitator")
    facilitator.locator("#delete-heading").click()  # folded away (tpol): opened first
    facilitator.get_by_role("button", name="Delete this session and all its data").click()
    dialog = facilitator.locator("#delete-dialog")
    expect(dialog).to_be_visible()
    facilitator.get_by_label(re.compile("^Type the session code to confirm")).fill("WRONG1")
    facilitator.locator("#delete-confirm").click()
    expect(facilitator.locator("#delete-code-error")).to_have_text("That is not the code of this session.")
    expect(dialog).to_be_visible()
    facilitator.locator("#delete-cancel").click()
    expect(dialog).to_be_hidden()
    expect(laptop.locator("#board-screen")).to_be_visible()

    facilitator.get_by_role("button", name="Delete this session and all its data").click()
    facilitator.get_by_label(re.compile("^Type the session code to confirm")).fill(room["code"].lower())
    facilitator.locator("#delete-confirm").click()
    for page in (facilitator, laptop, phone):
        expect(page.locator("#gone-screen")).to_be_visible()
        expect(page.locator("#gone-heading")).to_have_text("This session was deleted.")
        expect(page.locator("#board-screen")).to_be_hidden()
        expect(page.locator("#connection-status")).to_have_attribute("data-status", "gone")
    phone.wait_for_timeout(1500)  # no reconnecting: still gone, nothing queued
    for page in (facilitator, laptop, phone):
        expect(page.locator("#gone-screen")).to_be_visible()
        assert page.evaluate(f"localStorage.getItem('tavla:{room['code']}:outbox')") is None
    laptop.reload()
    expect(laptop.locator("body")).not_to_contain_text("Noe å slette")


@pytest.mark.parametrize("phone", [False, True], ids=["laptop", "phone"])
def test_voting_meets_wcag_21_aa(browser: Browser, contexts: list[BrowserContext], server: TavlaServer, phone: bool) -> None:
    """axe-core finds no WCAG 2.1 A/AA violation with groups on the board, in the vote phase
    with dots placed, with the facilitator's voting controls and dialogs open, after reveal,
    and with the ranking in the results phase."""
    room = server.create_room("Tilgjengelighet", "nb", phase="cluster")
    seed(server, room,
         ("note.create", {"id": "n1", "text": "Lys i krysset", "color": "yellow", "x": 60, "y": 300}),
         ("note.create", {"id": "n2", "text": "Gangfelt ved skolen", "color": "pink", "x": 330, "y": 300}),
         ("cluster.create", {"id": "c1", "title": "Trafikk", "x": 40, "y": 40}),
         ("cluster.create", {"id": "c2", "title": "", "x": 700, "y": 40}),
         ("note.group", {"id": "n1", "cluster": "c1"}))
    participant = open_page(browser, contexts, room["urls"]["participant"], phone=phone)
    join(participant, "Ola", "Skole")
    expect(participant.locator("[data-cluster-id]")).to_have_count(2)
    check_axe(participant, "groups on the board")
    participant.locator("[data-note-id='n2']").focus()
    participant.keyboard.press("Enter")
    expect(participant.locator("#note-dialog")).to_be_visible()
    check_axe(participant, "note dialog with “Move to group”")
    participant.keyboard.press("Escape")

    facilitator = open_page(browser, contexts, room["urls"]["facilitator"], phone=phone)
    join(facilitator, "Kari", "Helse")
    if phone:
        close_panel(facilitator, "people")
    group(facilitator, "c1").locator(".cluster-handle").focus()
    facilitator.keyboard.press("Enter")
    expect(facilitator.locator("#cluster-dialog")).to_be_visible()
    expect(facilitator.locator("#cluster-merge-into")).to_be_visible()
    check_axe(facilitator, "group dialog")
    facilitator.keyboard.press("Escape")
    start_phase(facilitator, "vote")

    expect(participant.locator("#dots-left")).to_be_visible()
    participant.locator("[data-note-id='n1'] .vote-add").click()
    participant.locator("[data-note-id='n1'] .vote-add").click()
    expect(participant.locator("#dots-left")).to_contain_text("3 av 5")
    check_axe(participant, "vote phase with dots placed")
    open_panel(facilitator, "facilitator")
    check_axe(facilitator, "facilitation panel in the vote phase")
    facilitator.locator("#reset-votes").click()
    expect(facilitator.locator("#confirm-dialog")).to_be_visible()
    check_axe(facilitator, "confirm reset")
    facilitator.locator("#confirm-cancel").click()
    facilitator.locator("#delete-heading").click()  # folded away (tpol): opened first
    facilitator.locator("#delete-session").click()
    expect(facilitator.locator("#delete-dialog")).to_be_visible()
    check_axe(facilitator, "delete dialog")
    facilitator.locator("#delete-cancel").click()

    facilitator.locator("#reveal-votes").click()
    expect(participant.locator("[data-note-id='n1'] .note-badge-votes")).to_have_text("2 prikker")
    check_axe(participant, "after reveal")
    check_axe(facilitator, "facilitator after reveal")

    start_phase(facilitator, "results")
    open_panel(participant, "results")
    ideas = participant.locator("#ranking-ideas-list > li")
    expect(ideas).to_have_count(3)  # c1, c2, n2: n1 is listed in its group, not ranked on its own
    expect(ideas.filter(has_text="Gruppe").first).to_contain_text("2 prikker")
    check_axe(participant, "ranking in the results phase")
