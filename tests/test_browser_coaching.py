"""Coaching at a distance in real Chromium: a coach on a big screen follows a facilitator's
laptop view (the same region of the board, fitted to another size), pauses by moving the board
and follows again; writes a debrief the facilitator reads and a participant never sees; and finds
the sessions they coach on the landing page, remembered in this browser only."""

from __future__ import annotations

import re
from functools import partial

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.support.browser import (
    axe_violations,
    browser,  # noqa: F401  (fixture)
    contexts,  # noqa: F401  (fixture)
    device,
    join,
    open_panel,
    page_at,
    seed,
    server,  # noqa: F401  (fixture)
    shooter,
    wait_until_sent,
)
from tests.support.servers import TavlaServer

DEBRIEF = "Godt tempo i skriverunden.\nNeste gang: be om ett behov per lapp, og spør de stille først."

# Pages on the canvas (a phone's default is the list), with the board's motion as it is.
page_in = partial(page_at, view="canvas", reduced_motion=False)
shot = shooter("coaching")


VISIBLE = """() => {
  const vp = document.getElementById('viewport');
  const m = /scale\\(([0-9.]+)\\)/.exec(document.getElementById('canvas').style.transform);
  const s = m ? Number(m[1]) : 1;
  return {x: vp.scrollLeft / s, y: vp.scrollTop / s, w: vp.clientWidth / s, h: vp.clientHeight / s, s};
}"""


def visible(page: Page) -> dict[str, float]:
    """The part of the board the page's viewport shows, in board units."""
    return page.evaluate(VISIBLE)


def shows_the_same_region(coach: Page, facilitator: Page) -> bool:
    """The coach sees all of what the facilitator sees, centred on the same point, at a scale
    that fits it (not the whole board)."""
    f, c = visible(facilitator), visible(coach)
    centred = abs((c["x"] + c["w"] / 2) - (f["x"] + f["w"] / 2)) < 0.05 * f["w"] and \
        abs((c["y"] + c["h"] / 2) - (f["y"] + f["h"] / 2)) < 0.05 * f["h"]
    covers = c["x"] <= f["x"] + 0.02 * f["w"] and c["y"] <= f["y"] + 0.02 * f["h"] and \
        c["x"] + c["w"] >= f["x"] + f["w"] * 0.98 and c["y"] + c["h"] >= f["y"] + f["h"] * 0.98
    tight = c["w"] < 1.6 * f["w"] or c["h"] < 1.6 * f["h"]  # fitted, not merely zoomed out
    return centred and covers and tight


def wait_for_region(coach: Page, facilitator: Page) -> None:
    for _ in range(100):
        if shows_the_same_region(coach, facilitator):
            return
        coach.wait_for_timeout(100)
    raise AssertionError(f"coach {visible(coach)} does not show the facilitator's {visible(facilitator)}")


EMPTY = """() => {
  const r = document.getElementById('viewport').getBoundingClientRect();
  for (let fy = 0.3; fy < 0.9; fy += 0.05) for (let fx = 0.2; fx < 0.9; fx += 0.05) {
    const x = r.left + r.width * fx, y = r.top + r.height * fy;
    const e = document.elementFromPoint(x, y);
    if (e && (e.id === 'canvas' || e.id === 'viewport' || e.closest('#areas'))) return [x, y];
  }
  return null;
}"""


def empty_point(page: Page) -> tuple[float, float]:
    """A point on the coach's board with no note, group or button on it: where a drag pans."""
    point = page.evaluate(EMPTY)
    assert point, "no empty spot on the board"
    return point[0], point[1]


def look_at(page: Page, x: float, y: float, zoom_in: int) -> None:
    """The facilitator zooms in with the zoom buttons and scrolls to board point (x, y) at the top left."""
    for _ in range(zoom_in):
        page.locator("#zoom-in").click()
    scale = visible(page)["s"]
    page.evaluate("([l, t]) => { const vp = document.getElementById('viewport'); vp.scrollTo(l, t); }",
                  [x * scale, y * scale])


def notes_everywhere(server: TavlaServer, room: dict) -> None:  # type: ignore[type-arg]  # noqa: F811
    texts = ["Kortere ventetid", "Ett skjema", "Chat med saksbehandler", "Bedre skilting", "Ringe tilbake",
             "Enklere språk", "Hjelp på biblioteket", "Svar på SMS", "Pårørende med", "Prøve i én bydel"]
    ops = [("note.create", {"id": f"n{i}", "text": text, "color": ["yellow", "blue", "green", "pink"][i % 4],
                            "x": 100 + (i % 5) * 780, "y": 200 + (i // 5) * 1200}) for i, text in enumerate(texts)]
    seed(server, room, *ops)


def test_a_coach_follows_the_facilitators_view_pauses_and_follows_again(
    browser: Browser, contexts: list[BrowserContext], server: TavlaServer,  # noqa: F811
) -> None:
    room = server.create_room(title="Hjemmetjenester", language="nb", template="need-solution-test")
    notes_everywhere(server, room)
    facilitator = page_in(browser, contexts, room["urls"]["facilitator"], "laptop")
    shares: list[str] = []
    facilitator.on("websocket", lambda ws: ws.on("framesent", lambda payload: shares.append(payload)
                                                 if '"view.share"' in str(payload) else None))
    join(facilitator, "Kari")
    coach = page_in(browser, contexts, room["urls"]["coach"], "projector")
    join(coach, "Conny")
    participant = page_in(browser, contexts, room["urls"]["participant"], "laptop")
    join(participant, "Ola")

    # Off by default: the coach's board stays where it is until they choose to follow.
    open_panel(coach, "hints")
    toggle = coach.locator("#follow-toggle")
    expect(toggle).not_to_be_checked()
    expect(coach.locator("#follow-bar")).to_be_hidden()
    coach.get_by_label("Følg fasilitatorens visning").check()
    expect(coach.locator("#follow-bar")).to_be_visible()

    # The facilitator zooms in on the solution area; the coach's bigger screen shows that region.
    look_at(facilitator, 1500, 100, zoom_in=2)
    wait_for_region(coach, facilitator)
    expect(coach.locator("#follow-status")).to_have_text("Følger visningen til Kari")
    shot(facilitator, "facilitator-laptop")
    shot(coach, "coach-following-projector")

    # The coach pans with the mouse: following pauses, and the coach's view stays theirs.
    start = empty_point(coach)
    coach.mouse.move(*start)
    coach.mouse.down()
    coach.mouse.move(start[0] + 200, start[1] - 150, steps=8)
    coach.mouse.up()
    expect(coach.locator("#follow-bar")).to_have_attribute("data-state", "paused")
    expect(coach.locator("#follow-again")).to_be_visible()
    expect(coach.locator("#follow-status")).to_contain_text("pause")
    shot(coach, "coach-paused-projector")
    paused_at = visible(coach)
    look_at(facilitator, 2700, 1800, zoom_in=0)  # the facilitator moves on to the test area
    moved_to = int(visible(facilitator)["x"])
    coach.wait_for_function("x => Number((document.getElementById('follow-bar').dataset.view || '').split(',')[0]) === x",
                            arg=moved_to)  # the coach has the new view…
    assert abs(visible(coach)["x"] - paused_at["x"]) < 1 and abs(visible(coach)["y"] - paused_at["y"]) < 1  # …and stays

    # A pan of twenty small scroll steps is one share once it settles, not twenty.
    before = len(shares)
    for step in range(20):
        facilitator.evaluate("d => document.getElementById('viewport').scrollBy(d, 0)", -15)
        facilitator.wait_for_timeout(30)  # a hand's pace, not a wait for an assertion
    moved_to = int(visible(facilitator)["x"])
    coach.wait_for_function("x => Number((document.getElementById('follow-bar').dataset.view || '').split(',')[0]) === x",
                            arg=moved_to)
    assert len(shares) == before + 1, shares[before:]

    # "Follow again": the coach's board goes to where the facilitator is now.
    coach.locator("#follow-again").click()
    wait_for_region(coach, facilitator)
    expect(coach.locator("#follow-bar")).to_have_attribute("data-state", "following")
    expect(coach.locator("#follow-stop")).to_be_focused()

    # Turned off from the bar: the coach's board stays, the bar goes.
    coach.locator("#follow-stop").click()
    expect(coach.locator("#follow-bar")).to_be_hidden()
    expect(toggle).not_to_be_checked()

    # The participant's page knows nothing of any of it.
    assert participant.evaluate("() => document.getElementById('follow-section').hidden")
    expect(participant.locator("#follow-bar")).to_be_hidden()
    for page in (facilitator, coach, participant):
        assert page.errors == [], page.errors  # type: ignore[attr-defined]


def test_the_facilitator_in_the_list_shares_nothing(
    browser: Browser, contexts: list[BrowserContext], server: TavlaServer,  # noqa: F811
) -> None:
    """A facilitator on a phone in the list view has no board view: no `view.share` is sent,
    and a following coach is told it waits for one."""
    room = server.create_room(title="Liste", language="en")
    facilitator = page_in(browser, contexts, room["urls"]["facilitator"], "phone", view="list")
    join(facilitator, "Kari")
    coach = page_in(browser, contexts, room["urls"]["coach"], "phone", view="canvas")
    join(coach, "Conny")
    open_panel(coach, "hints")
    coach.get_by_label("Follow the facilitator's view").check()
    coach.locator("#hints-close").click()
    expect(coach.locator("#follow-status")).to_have_text("Following the facilitator: waiting for their view.")
    facilitator.wait_for_timeout(1500)  # longer than the settle time: nothing may be sent
    expect(coach.locator("#follow-status")).to_have_text("Following the facilitator: waiting for their view.")
    shot(coach, "coach-waiting-phone")


def test_the_coach_writes_a_debrief_the_facilitator_reads_and_a_participant_never_sees(
    browser: Browser, contexts: list[BrowserContext], server: TavlaServer,  # noqa: F811
) -> None:
    room = server.create_room(title="Hjemmetjenester", language="nb", phase="results")
    facilitator = page_in(browser, contexts, room["urls"]["facilitator"], "laptop")
    join(facilitator, "Kari")
    coach = page_in(browser, contexts, room["urls"]["coach"], "laptop")
    join(coach, "Conny")
    participant = page_in(browser, contexts, room["urls"]["participant"], "phone", view="list")
    join(participant, "Ola")

    open_panel(coach, "hints")
    field = coach.get_by_label("Hva gikk bra, og hva kan prøves neste gang")
    coach.locator("#debrief-save").click()  # nothing written yet: said so, nothing sent
    expect(coach.locator("#debrief-error")).to_have_text("Skriv oppsummeringen først.")
    field.fill("Utkast")
    coach.locator("#debrief-save").click()
    expect(coach.locator("#debrief-saved")).to_contain_text("Lagret")
    field.fill(DEBRIEF)
    expect(coach.locator("#debrief-saved")).to_have_text("")
    coach.locator("#debrief-save").click()
    expect(coach.locator("#debrief-saved")).to_contain_text("Lagret")
    coach.locator("#debrief-section").scroll_into_view_if_needed()
    shot(coach, "coach-debrief-laptop")

    # The facilitator reads the latest, at the top of "Facilitation", with who wrote it.
    open_panel(facilitator, "facilitator")
    read = facilitator.locator("#debrief-read")
    expect(read).to_be_visible()
    expect(facilitator.locator("#debrief-read-text")).to_have_text(DEBRIEF)
    expect(facilitator.locator("#debrief-read-meta")).to_contain_text("Conny")
    expect(facilitator.locator("#debrief-section")).to_be_hidden()  # only a coach writes it
    shot(facilitator, "facilitator-debrief-laptop")

    # After a reload the coach's field holds the debrief as saved, ready to edit.
    coach.reload()
    expect(coach.locator("#connection-status")).to_have_attribute("data-status", "connected")
    open_panel(coach, "hints")
    expect(coach.locator("#debrief-text")).to_have_value(DEBRIEF)

    # The facilitator's results page shows it; the participant's never does.
    facilitator.goto(f"{server.http}/r/{room['code']}/results#key={room['facilitator_key']}")
    expect(facilitator.locator(".results-debrief")).to_contain_text("Neste gang")
    shot(facilitator, "results-debrief-laptop")
    wait_until_sent(coach)
    for _ in range(2):
        expect(participant.locator("#connection-status")).to_have_attribute("data-status", "connected")
        assert "Neste gang" not in participant.content()
        assert participant.evaluate("() => document.getElementById('debrief-read').hidden")
        participant.reload()


def test_the_landing_page_lists_the_sessions_a_browser_coaches(
    browser: Browser, contexts: list[BrowserContext], server: TavlaServer,  # noqa: F811
) -> None:
    first = server.create_room(title="Hjemmetjenester i Bærum", language="nb")
    second = server.create_room(title="Bibliotekets åpningstider", language="nb")
    other = server.create_room(title="Bare deltaker", language="nb")
    context = browser.new_context(**device("laptop", reduced_motion=False))  # type: ignore[arg-type]
    contexts.append(context)
    page = context.new_page()
    sent: list[str] = []
    page.on("request", lambda r: sent.append(f"{r.url} {r.post_data or ''}"))
    for room in (first, second):
        page.goto(room["urls"]["coach"])
        join(page, "Conny")
    page.goto(other["urls"]["participant"])  # a participant link is not a coach link
    join(page, "Conny")

    page.goto(f"{server.http}/?lang=nb")
    items = page.locator("#coach-links-list li")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("Bibliotekets åpningstider")  # the latest first
    expect(items.nth(1)).to_contain_text("Hjemmetjenester i Bærum")
    expect(items.nth(1)).to_contain_text(first["code"])
    shot(page, "landing-coach-links-laptop")
    keys = [first["coach_key"], second["coach_key"]]
    assert not [r for r in sent if "/r/" not in r.split(" ")[0] and any(k in r for k in keys)], "a key left the page"
    assert not [r for r in sent if any(k in r.split(" ", 1)[1] for k in keys)], "a key was posted"

    # Forget one: the list keeps the other, and focus stays in the list.
    items.nth(1).get_by_role("button", name="Glem").click()
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("Bibliotekets åpningstider")
    expect(items.first.get_by_role("button", name="Glem")).to_be_focused()
    expect(page.locator("#announcer")).to_contain_text("Hjemmetjenester i Bærum")

    # "Open" goes to the board as coach.
    items.first.get_by_role("link", name="Åpne").click()
    expect(page).to_have_url(re.compile(rf"/r/{second['code']}#key="))
    expect(page.locator("#me")).to_contain_text("Veileder")

    # Forget the last one: the section goes away.
    page.goto(f"{server.http}/?lang=nb")
    items.first.get_by_role("button", name="Glem").click()
    expect(page.locator("#coach-links")).to_be_hidden()


@pytest.mark.parametrize("language", ["nb", "sv", "en"])
def test_the_coaching_screens_are_accessible(
    browser: Browser, contexts: list[BrowserContext], server: TavlaServer, language: str,  # noqa: F811
) -> None:
    """axe finds nothing on the coach's tools (follow, debrief), the follow bar, the facilitator's
    debrief and the landing page's list, in each language; screenshots on phone, laptop, projector."""
    room = server.create_room(title="Tilgjengelig", language=language, template="need-solution-test")
    facilitator = page_in(browser, contexts, room["urls"]["facilitator"], "laptop")
    join(facilitator, "Kari")
    look_at(facilitator, 1400, 300, zoom_in=1)
    for name in ("projector", "phone", "laptop"):
        coach = page_in(browser, contexts, room["urls"]["coach"], name)
        join(coach, "Conny")
        open_panel(coach, "hints")
        coach.locator("#follow-toggle").check()
        coach.locator("#debrief-text").fill("Godt jobbet.")
        coach.locator("#debrief-save").click()
        expect(coach.locator("#debrief-saved")).not_to_have_text("")
        coach.locator("#follow-section").scroll_into_view_if_needed()
        assert axe_violations(coach) == [], (language, name)
        shot(coach, f"coach-tools-{language}-{name}")
        if name == "phone":
            coach.locator("#hints-close").click()
        expect(coach.locator("#follow-bar")).to_be_visible()
        assert axe_violations(coach) == [], (language, name, "follow bar")
        shot(coach, f"coach-bar-{language}-{name}")

        landing = coach.context.new_page()
        landing.goto(f"{server.http}/?lang={language}")
        expect(landing.locator("#coach-links-list li")).to_have_count(1)
        assert axe_violations(landing) == [], (language, name, "landing")
        landing.locator("#coach-links").scroll_into_view_if_needed()
        shot(landing, f"landing-{language}-{name}")
        landing.close()

    open_panel(facilitator, "facilitator")
    expect(facilitator.locator("#debrief-read")).to_be_visible()
    assert axe_violations(facilitator) == [], (language, "facilitator")
    shot(facilitator, f"facilitator-debrief-{language}-laptop")
