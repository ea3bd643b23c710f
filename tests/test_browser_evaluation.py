"""The closing evaluation in a real Chromium: the facilitator opens it on a laptop; two phones
get a card (not a modal), answer three radio groups and a line in a handful of taps, get a
thank-you and can change their answer; the facilitator and the coach see the distribution live
(first "too few answers"), and the results page shows it to the facilitator only. Screenshots
(phone 390×844, laptop 1366×768) go to test-artifacts/; axe finds no WCAG 2.1 AA violation on
the new screens in English, Norwegian and Swedish."""

from __future__ import annotations

import json
import re
import time

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from websockets.sync.client import connect

from tests.support.browser import (  # noqa: F401
    LAPTOP,
    PHONE,
    assert_accessible,
    browser,
    contexts,
    join,
    open_menu,
    open_page,
    open_panel,
    server,
    shooter,
)
from tests.support.servers import TavlaServer

pytestmark = pytest.mark.browser



save = shooter("evaluation")


def shot(page: Page, name: str, what: str, full_page: bool = False) -> None:
    """A screenshot, and axe finds nothing on the screen (`what`)."""
    save(page, name, full_page=full_page)
    assert_accessible(page, what)


def answer_over_socket(server: TavlaServer, code: str, name: str, **scores: object) -> None:
    """A participant who answers from a plain socket (the third answer, quickly)."""
    with connect(f"{server.ws}/r/{code}/ws") as ws:
        ws.send(json.dumps({"type": "hello", "protocol": 1, "name": name}))
        while json.loads(ws.recv(timeout=10)).get("type") != "welcome":
            pass
        ws.send(json.dumps({"type": "op", "id": "a1", "op": "evaluation.answer", "args": scores}))
        while (frame := json.loads(ws.recv(timeout=10))).get("id") != "a1":
            pass
        assert frame["type"] == "ack", frame


def phone(browser: Browser, contexts: list[BrowserContext], room: dict, name: str) -> Page:  # type: ignore[type-arg]
    page = open_page(browser, contexts, room["urls"]["participant"], size="phone", view="list")
    join(page, name, "Skole")
    return page


def answer_on_phone(page: Page, clear: str, heard: str, outcome: str, text: str = "") -> int:
    """Answer with taps as a person would; returns the number of taps and keystroke runs."""
    taps = 0
    page.get_by_role("button", name="Answer").tap()
    taps += 1
    for legend, value in (("The question we worked on was clear", clear), ("I was heard", heard),
                          ("I believe something will come of this", outcome)):
        group = page.get_by_role("group", name=legend)
        group.get_by_role("radio", name=value, exact=False).first.tap()
        taps += 1
    if text:
        page.get_by_label("Anything else you want to say? (optional)").fill(text)
        taps += 1
    page.get_by_role("button", name="Send").tap()
    taps += 1
    expect(page.locator("#evaluation-thanks")).to_be_visible()
    return taps


def test_two_phones_answer_and_staff_see_the_distribution(browser: Browser, contexts: list[BrowserContext],
                                                           server: TavlaServer) -> None:
    room = server.create_room("Bedre skolevei", phase="results")
    facilitator = open_page(browser, contexts, room["urls"]["facilitator"])
    facilitator.set_viewport_size(LAPTOP)
    join(facilitator, "Frida", "Skole")
    coach = open_page(browser, contexts, room["urls"]["coach"])
    coach.set_viewport_size(LAPTOP)
    join(coach, "Conny")
    kari = phone(browser, contexts, room, "Kari")
    ola = phone(browser, contexts, room, "Ola")
    expect(kari.locator("#evaluation-sheet")).to_be_hidden()

    open_panel(facilitator, "evaluation")
    expect(facilitator.locator("#evaluation-status")).to_have_text("Not opened yet.")
    # Said before opening: the first answers show nothing, and why.
    threshold = "Answers show once 3 people have answered, so nobody's answer can be singled out."
    expect(facilitator.locator("#evaluation-threshold")).to_have_text(threshold)
    expect(facilitator.locator("#evaluation-few")).to_be_hidden()
    shot(facilitator, "before-open-laptop", "the evaluation panel before opening")
    facilitator.get_by_role("button", name="Open the evaluation").click()
    expect(facilitator.locator("#evaluation-status")).to_have_text("Open: participants are asked to answer now.")
    expect(facilitator.locator("#evaluation-count")).to_have_text("0 of 2 participants have answered.")
    expect(facilitator.locator("#evaluation-few")).to_have_text("0 answers so far — results show at 3")
    open_panel(coach, "evaluation")
    expect(coach.locator("#evaluation-status")).to_have_text("Open: participants are asked to answer now.")
    expect(coach.locator("#evaluation-threshold")).to_have_text(threshold)
    expect(coach.locator("#evaluation-switch")).to_be_hidden()

    # The phones: a card at the bottom, the board still there and usable behind it.
    for page in (kari, ola):
        expect(page.locator("#evaluation-sheet")).to_be_visible()
        expect(page.locator("#evaluation-invite-text")).to_have_text(
            "How was this session? Three quick questions, under a minute, anonymous.")
        expect(page.locator("#board-screen")).to_be_visible()
    shot(kari, "invite-phone", "the invitation on a phone")
    kari.set_viewport_size(LAPTOP)
    shot(kari, "invite-laptop", "the invitation on a laptop")
    kari.set_viewport_size(PHONE)
    kari.get_by_role("button", name="Answer").tap()
    expect(kari.get_by_role("group", name="I was heard")).to_be_visible()
    shot(kari, "form-phone", "the questions on a phone")
    kari.get_by_role("button", name="Not now").tap()
    expect(kari.locator("#evaluation-sheet")).to_be_hidden()
    open_menu(kari)
    kari.locator("#evaluation-reopen").tap()
    expect(kari.locator("#evaluation-form")).to_be_visible()
    kari.get_by_role("button", name="Not now").tap()
    open_menu(kari)
    kari.locator("#evaluation-reopen").tap()
    kari.get_by_role("button", name="Not now").tap()

    started = time.monotonic()
    open_menu(kari)
    kari.locator("#evaluation-reopen").tap()
    kari.get_by_role("radio", name="4").first.tap()
    kari.get_by_role("group", name="I was heard").get_by_role("radio", name="5 (strongly agree)").tap()
    kari.get_by_role("group", name="I believe something will come of this").get_by_role("radio", name="3").tap()
    kari.get_by_label("Anything else you want to say? (optional)").fill("Mer tid til gruppene")
    kari.get_by_role("button", name="Send").tap()
    expect(kari.locator("#evaluation-thanks")).to_be_visible()
    taps = answer_on_phone(ola, "2", "3", "1 (strongly disagree)", "Bra start")
    elapsed = time.monotonic() - started
    print(f"two phones answered in {elapsed:.1f} s of test time; Ola needed {taps} taps")
    assert taps <= 6
    shot(ola, "thanks-phone", "the thank-you on a phone")

    # Two answers: the staff see how many, not yet what.
    expect(facilitator.locator("#evaluation-count")).to_have_text("2 of 2 participants have answered.")
    expect(facilitator.locator("#evaluation-few")).to_have_text("2 answers so far — results show at 3")
    expect(facilitator.locator("#evaluation-badge")).to_contain_text("2")
    expect(facilitator.locator(".evaluation-question")).to_have_count(0)
    shot(facilitator, "too-few-laptop", "too few answers, facilitator")

    answer_over_socket(server, room["code"], "Liv", clear=5, heard=4, outcome=4, text="Alfa og omega")
    for staff in (facilitator, coach):
        expect(staff.locator("#evaluation-count")).to_have_text("3 of 3 participants have answered.")
        expect(staff.locator("#evaluation-few")).to_be_hidden()
        clear = staff.locator(".evaluation-question").nth(0)
        expect(clear.locator("h3")).to_have_text("The question we worked on was clear")
        expect(clear.locator(".evaluation-stats")).to_have_text("3 answers · Median: 4")
        expect(clear.locator("tbody td.num")).to_have_text(["0", "1", "0", "1", "1"])
        expect(staff.locator("#evaluation-texts li")).to_have_text(["Alfa og omega", "Bra start", "Mer tid til gruppene"])
    shot(facilitator, "distribution-laptop", "the distribution, facilitator")
    shot(coach, "distribution-coach-laptop", "the distribution, coach")

    # Kari changes her answer: still three answers, her new values.
    kari.get_by_role("button", name="Change my answer").tap()
    expect(kari.get_by_role("group", name="I was heard").get_by_role("radio", name="5 (strongly agree)")).to_be_checked()
    expect(kari.get_by_label("Anything else you want to say? (optional)")).to_have_value("Mer tid til gruppene")
    kari.get_by_role("group", name="The question we worked on was clear").get_by_role("radio", name="5 (strongly agree)").tap()
    kari.get_by_role("button", name="Send").tap()
    expect(kari.locator("#evaluation-thanks")).to_be_visible()
    clear = facilitator.locator(".evaluation-question").nth(0)
    expect(clear.locator(".evaluation-stats")).to_have_text("3 answers · Median: 5")
    expect(facilitator.locator("#evaluation-count")).to_have_text("3 of 3 participants have answered.")
    kari.get_by_role("button", name="Close").tap()
    expect(kari.locator("#evaluation-sheet")).to_be_hidden()

    # A phone-sized staff panel, and the close.
    coach.set_viewport_size(PHONE)
    coach.locator("#evaluation-questions").scroll_into_view_if_needed()
    shot(coach, "distribution-coach-phone", "the distribution on a coach's phone")
    facilitator.get_by_role("button", name="Close the evaluation").click()
    expect(ola.locator("#evaluation-sheet")).to_be_hidden()
    expect(ola.locator("#evaluation-reopen")).to_be_hidden()
    expect(facilitator.locator("#evaluation-status")).to_have_text(
        "Closed. Participants can no longer answer or change their answers.")

    # The results page: the facilitator's link gets the results cookie and opens it.
    with facilitator.context.expect_page() as opened:
        facilitator.get_by_role("link", name="The evaluation on the results page").click()
    results = opened.value
    results.set_viewport_size(LAPTOP)
    expect(results.locator("#evaluation-heading")).to_have_text("Evaluation (anonymous)")
    expect(results.locator(".evaluation-texts li")).to_have_text(["Alfa og omega", "Bra start", "Mer tid til gruppene"])
    results.locator("#evaluation-heading").scroll_into_view_if_needed()
    shot(results, "results-laptop", "the evaluation on the results page")
    results.set_viewport_size(PHONE)
    results.locator("#evaluation-heading").scroll_into_view_if_needed()
    shot(results, "results-phone", "the evaluation on the results page, phone")
    # Participants never see it, published or not.
    facilitator.goto(room["urls"]["facilitator"])
    published = kari.context.new_page()
    published.goto(f"{server.http}/r/{room['code']}/results")
    expect(published.locator("#evaluation-heading")).to_have_count(0)
    for page in (facilitator, coach, kari, ola):
        assert [e for e in page.errors if "evaluation" in e.lower()] == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(("language", "words"), [
    ("nb", {"answer": "Svar", "send": "Send", "heard": "Jeg ble hørt", "open": "Åpne evalueringen",
            "results": "Evaluering (anonym)", "link": "Evalueringen på resultatsiden"}),
    ("sv", {"answer": "Svara", "send": "Skicka", "heard": "Jag blev lyssnad på", "open": "Öppna utvärderingen",
            "results": "Utvärdering (anonym)", "link": "Utvärderingen på resultatsidan"}),
])
def test_the_evaluation_in_norwegian_and_swedish(browser: Browser, contexts: list[BrowserContext], server: TavlaServer,
                                                 language: str, words: dict[str, str]) -> None:
    room = server.create_room("Hjemmetjenesten", language=language, phase="results")
    facilitator = open_page(browser, contexts, room["urls"]["facilitator"])
    facilitator.set_viewport_size(LAPTOP)
    join(facilitator, "Frida")
    person = phone(browser, contexts, room, "Kari")
    open_panel(facilitator, "evaluation")
    facilitator.get_by_role("button", name=words["open"]).click()
    shot(facilitator, f"open-{language}-laptop", f"the open evaluation panel ({language})")
    expect(person.locator("#evaluation-sheet")).to_be_visible()
    shot(person, f"invite-{language}-phone", f"the invitation ({language})")
    person.get_by_role("button", name=words["answer"], exact=True).tap()
    expect(person.get_by_role("group", name=words["heard"])).to_be_visible()
    shot(person, f"form-{language}-phone", f"the questions ({language})")
    person.get_by_role("group", name=words["heard"]).get_by_role("radio").nth(3).tap()
    person.get_by_role("button", name=words["send"], exact=True).tap()
    expect(person.locator("#evaluation-thanks")).to_be_visible()
    shot(person, f"thanks-{language}-phone", f"the thank-you ({language})")
    for name, scores in (("Ola", {"clear": 2, "heard": 3, "text": "Første linje"}), ("Liv", {"clear": 5, "outcome": 4})):
        answer_over_socket(server, room["code"], name, **scores)
    expect(facilitator.locator(".evaluation-question")).to_have_count(3)
    shot(facilitator, f"distribution-{language}-laptop", f"the distribution ({language})")
    with facilitator.context.expect_page() as opened:
        facilitator.get_by_role("link", name=words["link"]).click()
    results = opened.value
    results.set_viewport_size(LAPTOP)
    expect(results.locator("#evaluation-heading")).to_have_text(words["results"])
    results.locator("#evaluation-heading").scroll_into_view_if_needed()
    shot(results, f"results-{language}-laptop", f"the results page's evaluation ({language})")


def test_a_group_under_three_is_told_before_opening(browser: Browser, contexts: list[BrowserContext],
                                                    server: TavlaServer) -> None:
    """With two participants the answers can never show (three are needed, scores and comments
    alike), so the facilitator is told so beside "Open the evaluation", with what to do instead;
    once a third participant is in the room the hint goes."""
    room = server.create_room("Liten gruppe", phase="results")
    facilitator = open_page(browser, contexts, room["urls"]["facilitator"], size="laptop")
    join(facilitator, "Frida")
    phone(browser, contexts, room, "Kari")
    phone(browser, contexts, room, "Ola")
    open_panel(facilitator, "evaluation")
    hint = ("Fewer than 3 participants are here. Answers, both scores and comments, show only once 3 have"
            " answered, so nobody can be singled out. With a group this small, ask out loud instead.")
    small = facilitator.locator("#evaluation-small")
    expect(small).to_be_visible()
    expect(small).to_have_text(hint)
    switch = facilitator.get_by_role("button", name="Open the evaluation")
    expect(switch).to_have_accessible_description(re.compile(re.escape(hint)))
    shot(facilitator, "small-group-laptop", "the evaluation panel with two participants")

    phone(browser, contexts, room, "Liv")
    expect(facilitator.locator("#evaluation-count")).to_have_text("0 of 3 participants have answered.")
    expect(small).to_be_hidden()

