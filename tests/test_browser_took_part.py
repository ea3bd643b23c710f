"""Who took part and report back in a real Chromium (t14g), as people meet it.

A facilitator lists the groups to hear from when creating the session (chips, by keyboard);
two phones join, one picking a listed group, one "Other…" with its own; the facilitator's
people panel shows who was reached and who is missing, live (and follows an edit of the list);
the facilitator writes the report back, publishes, and a phone that opens its link sees the
report first. The results page printed to PDF (Chromium's page.pdf(), A4) has its sections,
read back with pypdf. axe finds no WCAG 2.1 AA violation on any new screen, in English,
Norwegian and Swedish; screenshots go to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.support.browser import (  # noqa: F401
    ARTIFACTS,
    LAPTOP,
    PHONE,
    assert_accessible,
    browser,
    contexts,
    open_page,
    open_panel,
    seed,
    server_on_redis,  # the `server` fixture: Tavla on a real Redis
    shooter,
    start_phase,
    wait_until_sent,
)
from tests.support.servers import TavlaServer

pytestmark = pytest.mark.browser

save = shooter("took-part")


def shot(page: Page, name: str, full: bool = False) -> None:
    """A screenshot without the focus ring of whatever was clicked last."""
    page.evaluate("document.activeElement?.blur()")
    save(page, name, full_page=full)


no_violations = assert_accessible


def ideas(server: TavlaServer, room: dict) -> None:  # type: ignore[type-arg]
    """Three ideas, one group, dots revealed, the results phase (set up over a socket)."""
    seed(server, room,
         ("phase.set", {"phase": "write"}),
         ("note.create", {"id": "n1", "text": "One contact person for each family", "color": "yellow", "x": 100, "y": 100}),
         ("note.create", {"id": "n2", "text": "A shared calendar", "color": "pink", "x": 600, "y": 100}),
         ("note.create", {"id": "n3", "text": "Try it in one district first", "color": "green", "x": 1100, "y": 100}),
         ("cluster.create", {"id": "c1", "title": "Working together", "x": 600, "y": 900}),
         ("note.group", {"id": "n2", "cluster": "c1"}),
         ("phase.set", {"phase": "vote"}),
         ("vote.cast", {"target": "n1"}), ("vote.cast", {"target": "n1"}), ("vote.cast", {"target": "n1"}),
         ("vote.cast", {"target": "c1"}),
         ("votes.reveal", {}),
         ("phase.set", {"phase": "results"}))


def join_with_group(page: Page, name: str, group: str | None = None, other: str | None = None) -> None:
    page.locator("#join-name").fill(name)
    if other is not None:
        page.locator("#join-group-other").check()
        expect(page.locator("#join-other")).to_be_visible()
        page.locator("#join-other").fill(other)
    elif group is not None:
        page.locator("#join-group").get_by_label(group, exact=True).check()
    page.locator("#join-submit").click()
    expect(page.locator("#connection-status")).to_have_attribute("data-status", "connected")


def test_groups_reach_and_report_back_end_to_end(browser: Browser, contexts: list[BrowserContext],
                                                 server: TavlaServer) -> None:
    # -- the facilitator lists the groups when creating the session (keyboard only) --
    landing = open_page(browser, contexts, f"{server.http}/?lang=en")
    landing.set_viewport_size(LAPTOP)
    landing.locator("#create-title").fill("Better home care for families")
    landing.locator("#create-language").select_option("en")
    field = landing.locator("#hear-from-input")
    for name in ("Residents", "Relatives", "Youth council", "Schools"):
        field.fill(name)
        field.press("Enter")
    field.fill("residents ")
    field.press("Enter")
    expect(landing.locator("#hear-from-error")).to_have_text("residents is already on the list.")
    field.fill("")
    field.press("Backspace")  # to the last chip's remove button
    expect(landing.locator("#hear-from-list .chip-remove").last).to_be_focused()
    landing.keyboard.press("Enter")  # removes "Schools"; the focus stays in the list
    chips = landing.locator("#hear-from-list .chip-label")
    expect(chips).to_have_text(["Residents", "Relatives", "Youth council"])
    no_violations(landing, "the create form with groups")
    landing.locator("#create-form").screenshot(path=str(ARTIFACTS / "took-part-create-laptop.png"))
    landing.locator("#create-submit").click()
    expect(landing.locator("#create-result")).to_be_visible()
    facilitator_url = landing.locator("#result-facilitator").input_value()
    participant_url = landing.locator("#result-participant").input_value()
    code = participant_url.rstrip("/").rsplit("/", 1)[-1]
    room = {"code": code, "facilitator_key": facilitator_url.split("#key=")[1]}

    fac = open_page(browser, contexts, facilitator_url)
    fac.set_viewport_size(LAPTOP)
    fac.locator("#join-name").fill("Frida")
    fac.locator("#join-submit").click()
    expect(fac.locator("#connection-status")).to_have_attribute("data-status", "connected")
    open_panel(fac, "people")
    summary = fac.locator("#reach-panel-summary")
    expect(summary).to_have_text("Reached 0 of 3 groups. Missing: Residents, Relatives, Youth council")

    # -- two phones join: one picks a listed group, one "Other…" --
    phone1 = open_page(browser, contexts, participant_url, phone=True, view="default")
    phone1.set_viewport_size(PHONE)
    expect(phone1.locator("#join-group")).to_be_visible()
    expect(phone1.locator("#join-department")).to_be_hidden()
    expect(phone1.locator("#join-group .group-option label")).to_have_text(
        ["Residents", "Relatives", "Youth council", "Other…"])
    no_violations(phone1, "the join form with groups (phone)")
    shot(phone1, "join-phone")
    join_with_group(phone1, "Kari", group="Residents")
    phone2 = open_page(browser, contexts, participant_url, phone=True, view="default")
    phone2.set_viewport_size(PHONE)
    phone2.locator("#join-name").fill("Ola")
    phone2.locator("#join-group-other").check()
    expect(phone2.locator("#join-other")).to_be_visible()
    no_violations(phone2, "the join form with Other… (phone)")
    shot(phone2, "join-other-phone")
    join_with_group(phone2, "Ola", other="Neighbours")

    # -- the people panel shows who was reached and who is missing, live --
    expect(summary).to_have_text("Reached 1 of 3 groups. Missing: Relatives, Youth council")
    items = fac.locator("#reach-panel-list .reach-item")
    expect(items.nth(0)).to_contain_text("Residents")
    expect(items.nth(0)).to_contain_text("1 joined, 1 online now")
    expect(items.nth(1)).to_have_class("reach-item is-missing")
    expect(items.nth(1)).to_contain_text("Missing: nobody from this group yet")  # in words, not by colour
    expect(fac.locator("#reach-panel-others")).to_have_text("Others (not on the list): Neighbours: 1")
    phone1.context.close()  # Kari leaves: still reached, no longer online
    expect(items.nth(0)).to_contain_text("1 joined, 0 online now")
    no_violations(fac, "the people panel with groups")
    shot(fac, "people-laptop")

    # The facilitator adds Neighbours to the list in the facilitation panel: reached at once.
    open_panel(fac, "facilitator")
    panel_field = fac.locator("#panel-hear-from-input")
    expect(fac.locator("#panel-hear-from-list .chip-label")).to_have_text(["Residents", "Relatives", "Youth council"])
    panel_field.fill("Neighbours")
    fac.locator("#panel-hear-from-add").click()
    wait_until_sent(fac)
    open_panel(fac, "people")
    expect(summary).to_have_text("Reached 2 of 4 groups. Missing: Relatives, Youth council")
    expect(fac.locator("#reach-panel-others")).to_be_hidden()

    # -- the facilitator writes the report back on the results --
    ideas(server, room)
    open_panel(fac, "facilitator")
    fac.locator("#report-open").click()
    dialog = fac.locator("#report-dialog")
    expect(dialog).to_be_visible()
    expect(fac.locator("#report-next-steps")).to_be_focused()
    labels = fac.locator("#report-owner-fields label")
    expect(labels).to_have_count(3)
    expect(labels.nth(0)).to_contain_text("One contact person for each family")  # most dots first
    expect(labels.nth(1)).to_contain_text("Working together")
    fac.locator("#report-next-steps").fill("The council decides on a pilot in March.\nWe test in one district from April.")
    fac.locator("#report-owner-0").fill("Family services team")
    fac.locator("#report-owner-1").fill("Service design lab")
    fac.locator("#report-hear-back").fill("By 15 March, by e-mail")
    no_violations(fac, "the report back dialog")
    shot(fac, "report-dialog-laptop")
    fac.set_viewport_size(PHONE)
    shot(fac, "report-dialog-phone")
    fac.set_viewport_size(LAPTOP)
    fac.locator("#report-save").click()
    expect(dialog).to_be_hidden()
    wait_until_sent(fac)
    expect(fac.locator("#report-status")).to_have_text("The report back is written.")
    fac.locator("#publish-toggle").check()
    wait_until_sent(fac)

    # -- a phone opens its link after the session: the report comes first --
    again = open_page(browser, contexts, participant_url, phone=True, view="default")
    again.set_viewport_size(PHONE)
    screen = again.locator("#report-screen")
    expect(screen).to_be_visible()
    expect(again.locator("#report-screen-heading")).to_be_focused()
    expect(screen.locator(".report-steps li")).to_have_text(
        ["The council decides on a pilot in March.", "We test in one district from April."])
    expect(screen.locator(".report-owners tbody tr").nth(0)).to_contain_text("Family services team")
    expect(screen.locator(".report-hear-back")).to_have_text("By 15 March, by e-mail")
    expect(again.locator("#join-screen")).to_be_hidden()
    no_violations(again, "the participants' report screen (phone)")
    shot(again, "report-screen-phone", full=True)
    again.locator("#report-screen-board").click()
    expect(screen).to_be_hidden()
    expect(again.locator("#join-screen")).to_be_visible()
    again.reload()  # this tab went on to the board: it stays there
    expect(again.locator("#join-screen")).to_be_visible()
    expect(screen).to_be_hidden()
    # The facilitator's own link is never held up by it.
    fac.reload()
    expect(fac.locator("#report-screen")).to_be_hidden()

    # -- the published results page, on screen and printed on A4 --
    results = open_page(browser, contexts, f"{server.http}/r/{code}/results")
    for size, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
        results.set_viewport_size(viewport)
        expect(results.locator("#report-heading")).to_have_text("What happens next")
        expect(results.locator(".reach-summary")).to_have_text("Reached 2 of 4 groups. Missing: Relatives, Youth council")
        no_violations(results, f"the results page with the report ({size})")
        shot(results, f"results-{size}", full=True)
        width = results.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"the results page scrolls sideways at {size} ({width} px)"
    results.set_viewport_size(LAPTOP)
    results.emulate_media(media="print")
    expect(results.locator(".results-exports")).to_be_hidden()
    expect(results.locator(".site-footer")).to_be_hidden()
    shot(results, "print-emulated", full=True)
    pdf = results.pdf(format="A4", print_background=True)
    (ARTIFACTS / "took-part-report.pdf").write_bytes(pdf)
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595.3) < 2 and abs(float(box.height) - 841.9) < 2, f"A4 portrait: {box}"
    for expected in ("Better home care for families", "What happens next", "Decisions and next steps",
                     "We test in one district from April.", "Who owns what", "Family services team",
                     "When you will hear from us", "By 15 March, by e-mail", "Who took part",
                     "Reached 2 of 4 groups.", "Missing: Relatives, Youth council", "Ideas, most dots",  # "first": a ligature in the PDF
                     "One contact person for each family"):
        assert expected in text, f"{expected!r} not in the printed report: {text[:2000]}"
    for absent in ("Download as", "Back to the board", "Privacy"):
        assert absent not in text, f"{absent!r} printed"
    for page in (fac, phone2, again, results, landing):
        assert page.errors == [], page.errors  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", ["nb", "sv"])
def test_every_new_screen_is_accessible_and_translated(browser: Browser, contexts: list[BrowserContext],
                                                      server: TavlaServer, lang: str) -> None:
    words = {"nb": {"other": "Annen …", "reach": "Nådde 1 av 2 grupper.", "next": "Hva skjer videre",
                    "write": "Skriv tilbakemeldingen"},
             "sv": {"other": "Annan …", "reach": "Nådde 1 av 2 grupper.", "next": "Vad händer härnäst",
                    "write": "Skriv återkopplingen"}}[lang]
    landing = open_page(browser, contexts, f"{server.http}/?lang={lang}")
    landing.locator("#hear-from-input").fill("Innbyggere")
    landing.locator("#hear-from-add").click()
    expect(landing.locator("#hear-from-list .chip")).to_have_count(1)
    no_violations(landing, f"the create form ({lang})")

    import httpx

    made = httpx.post(f"{server.http}/api/rooms", json={"title": "Hjemmetjenester", "language": lang,
                                                         "hear_from": ["Innbyggere", "Pårørende"]}).json()
    phone = open_page(browser, contexts, made["urls"]["participant"], phone=True, view="default")
    phone.set_viewport_size(PHONE)
    expect(phone.locator("#join-group-other + label")).to_have_text(words["other"])
    no_violations(phone, f"the join form ({lang})")
    join_with_group(phone, "Kari", group="Innbyggere")

    fac = open_page(browser, contexts, made["urls"]["facilitator"])
    fac.set_viewport_size(LAPTOP)
    fac.locator("#join-name").fill("Frida")
    fac.locator("#join-submit").click()
    open_panel(fac, "people")
    expect(fac.locator("#reach-panel-summary")).to_contain_text(words["reach"])
    no_violations(fac, f"the people panel ({lang})")
    ideas(server, made)
    open_panel(fac, "facilitator")
    expect(fac.locator("#report-open")).to_have_text(words["write"])
    fac.locator("#report-open").click()
    fac.locator("#report-next-steps").fill("Steg en")
    no_violations(fac, f"the report dialog ({lang})")
    fac.locator("#report-save").click()
    wait_until_sent(fac)
    fac.locator("#publish-toggle").check()
    wait_until_sent(fac)
    phone.reload()
    expect(phone.locator("#report-screen")).to_be_visible()
    expect(phone.locator("#report-heading")).to_have_text(words["next"])
    no_violations(phone, f"the report screen ({lang})")
    shot(phone, f"report-screen-phone-{lang}", full=True)
    phone.goto(f"{server.http}/r/{made['code']}/results")
    expect(phone.locator("#report-heading")).to_have_text(words["next"])
    no_violations(phone, f"the results page ({lang})")
    for page in (landing, phone, fac):
        assert page.errors == [], page.errors  # type: ignore[attr-defined]
