"""What a new user tripped over in the second walkthrough, checked where a person would notice,
in Chromium against a real Tavla process: nothing covers notes, area titles or the list (board
tools, the empty board's sentence, toasts); phones say that writing is private; "Most dots
first" puts the top idea first and its select shows its words; a coach is offered only what a
coach may do; dots are not shown while people write again; the Tab order keeps the red delete
button away; the merge dialog makes the person choose; the move sheet names areas and offers
"No group"; the unpublished results page has the site header; no session buttons before joining.
Screenshots (phone 390×844, laptop 1366×768, projector 1920×1080) go to test-artifacts/polish-*.png."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from websockets.sync.client import connect

from tests.support.browser import (  # noqa: F401
    axe_violations,
    browser,
    contexts,
    join,
    open_menu,
    open_panel,
    page_at,
    seed,
    server,
    shooter,
    wait_until_sent,
)
from tests.support.servers import TavlaServer

pytestmark = pytest.mark.browser


# Every element of `selector` whose visible part (inside `container` and the window) is covered
# at one of five points (corners and middle) by something that is not the element itself. Every
# box is made hit-testable for the test (pointer-events), so an overlay that lets clicks through
# — the empty board's bubble, say — still counts as covering.
COVERED_JS = """([selector, container, centreOnly]) => {
  // A constructed sheet: the page's Content-Security-Policy refuses an injected <style>.
  const sheet = new CSSStyleSheet();
  sheet.replaceSync('* { pointer-events: auto !important; }');
  const before = document.adoptedStyleSheets;
  document.adoptedStyleSheets = [...before, sheet];
  try {
    const box = document.querySelector(container).getBoundingClientRect();
    const covered = [];
    for (const el of document.querySelectorAll(selector)) {
      if (!el.getClientRects().length) continue;
      const r = el.getBoundingClientRect();
      const l = Math.max(r.left, box.left), t = Math.max(r.top, box.top);
      const rr = Math.min(r.right, box.right, innerWidth), b = Math.min(r.bottom, box.bottom, innerHeight);
      if (rr - l < 10 || b - t < 10) continue;  // scrolled out of sight: not covered
      const middle = [(l + rr) / 2, (t + b) / 2];
      const points = centreOnly ? [middle] : [[l + 4, t + 4], [rr - 4, t + 4], [l + 4, b - 4], [rr - 4, b - 4], middle];
      for (const [x, y] of points) {
        const hit = document.elementFromPoint(x, y);
        if (!hit || !(hit === el || el.contains(hit))) {
          covered.push([el.dataset.noteId || el.dataset.listNote || el.textContent.trim().slice(0, 40),
                        Math.round(x), Math.round(y), hit ? (hit.id || String(hit.className)) : null]);
          break;
        }
      }
    }
    return covered;
  } finally {
    document.adoptedStyleSheets = before;
  }
}"""

# Scroll the board so that each note in turn sits in the viewport's bottom-right, bottom-left
# and top corners (where the tools used to float), and collect the notes covered there.
NOTES_IN_CORNERS_JS = """(coveredJs) => {
  const covered = eval(coveredJs);
  const vp = document.getElementById('viewport');
  const found = [];
  for (const note of document.querySelectorAll('[data-note-id]')) {
    for (const [fx, fy] of [[1, 1], [0, 1], [0.5, 0]]) {
      const v = vp.getBoundingClientRect(), r = note.getBoundingClientRect();
      vp.scrollLeft += (r.left - v.left) - fx * (vp.clientWidth - r.width);
      vp.scrollTop += (r.top - v.top) - fy * (vp.clientHeight - r.height);
      for (const c of covered([`[data-note-id="${note.dataset.noteId}"]`, '#viewport', false])) found.push(c);
    }
  }
  return found;
}"""




shot = shooter("polish")


def covered(page: Page, selector: str, container: str, centre_only: bool = False) -> list:  # type: ignore[type-arg]
    return page.evaluate(COVERED_JS, [selector, container, centre_only])  # type: ignore[no-any-return]


def nothing_covered(page: Page, selector: str, container: str, centre_only: bool = False) -> None:
    """Wait until nothing covers `selector` (notes glide to their places); say what does if it
    does. `centre_only` for round buttons, whose corners are not theirs."""
    args = json.dumps([selector, container, centre_only])
    try:
        page.wait_for_function(f"() => ({COVERED_JS})({args}).length === 0", timeout=15_000)
    except Exception:  # noqa: BLE001 - report what covers what, not a timeout
        raise AssertionError(f"covered {selector}: {covered(page, selector, container, centre_only)}") from None


def as_coach(server: TavlaServer, room: dict, text: str) -> None:  # type: ignore[type-arg]
    """A coach sends a hint over a plain socket (a toast on the facilitator's screen)."""
    with connect(f"{server.ws}/r/{room['code']}/ws") as ws:
        ws.send(json.dumps({"type": "hello", "protocol": 1, "name": "Cecilie", "key": room["coach_key"]}))
        ws.send(json.dumps({"type": "op", "id": "hint", "op": "coach.hint", "args": {"text": text}}))
        while (frame := json.loads(ws.recv(timeout=10))).get("id") != "hint":
            pass
        assert frame["type"] == "ack", frame


def notes(count: int, prefix: str, x: int = 100, y: int = 200) -> list[tuple[str, dict]]:  # type: ignore[type-arg]
    return [("note.create", {"id": f"{prefix}{i}", "text": f"{prefix} idé {i}: kortere ventetid og et fast kontaktpunkt",
                             "color": "yellow", "x": x + (i % 4) * 240, "y": y + (i // 4) * 170}) for i in range(count)]


@pytest.mark.parametrize("size", ["laptop", "projector"])
def test_nothing_covers_area_titles_notes_or_their_text(browser: Browser, contexts: list[BrowserContext],
                                                        server: TavlaServer, size: str) -> None:
    room = server.create_room("Hvordan kan vi gjøre det enklere å søke om hjemmehjelp for eldre i bydelen?", "nb",
                              phase="write", template="need-solution-test")
    page = page_at(browser, contexts, room["urls"]["facilitator"], size)
    join(page, "Kari", "Helse og omsorg")
    open_panel(page, "people")  # the walkthrough's laptop: both side panels open, the board narrow

    # The empty board: its sentence is there, and hides no area title.
    expect(page.locator("#empty-hint")).to_be_visible()
    expect(page.locator(".area-title").first).to_be_visible()
    nothing_covered(page, ".area-title", "#viewport")
    assert axe_violations(page) == [], f"empty board at {size}"
    shot(page, f"empty-{size}")

    # Notes all over the first area and a group: none is covered wherever the board is scrolled,
    # by the zoom, "New group" and "Add note".
    seed(server, room, *notes(12, "n"), ("cluster.create", {"id": "g1", "title": "Kontakt", "x": 100, "y": 900}),
         ("note.group", {"id": "n0", "cluster": "g1"}), ("note.group", {"id": "n1", "cluster": "g1"}))
    expect(page.locator("[data-note-id]")).to_have_count(12)
    expect(page.locator("#add-group")).to_be_visible()
    nothing_covered(page, "[data-note-id]", "#viewport")
    assert page.evaluate(NOTES_IN_CORNERS_JS, COVERED_JS) == []

    # A toast (a coach's hint) takes its own strip: the notes and the board's buttons stay clear.
    as_coach(server, room, "Spør de stille først")
    toast = page.locator("#toasts .toast", has_text="Spør de stille først")
    expect(toast).to_be_visible()
    assert page.evaluate(NOTES_IN_CORNERS_JS, COVERED_JS) == []
    nothing_covered(page, "#add-note, #add-group, #zoom-fit, #show-list", "body", centre_only=True)
    shot(page, f"toast-{size}")

    # The header: a long title takes at most two lines and no line starts with a stray "·".
    title = page.locator("#room-title")
    lines = page.evaluate("(e) => Math.round(e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight))",
                          title.element_handle())
    assert lines <= 2, f"the title takes {lines} lines"
    expect(title).to_have_attribute("title", re.compile("eldre i bydelen"))
    expect(page.locator(".room-meta .sep")).to_be_hidden()
    assert page.errors == []  # type: ignore[attr-defined]


def test_a_phone_says_writing_is_private_and_toasts_cover_no_note(browser: Browser, contexts: list[BrowserContext],
                                                                  server: TavlaServer) -> None:
    room = server.create_room("Bedre skolevei", "nb", phase="lobby", template="need-solution-test")
    seed(server, room, ("room.update", {"settings": {"private_writing": True}}), ("phase.set", {"phase": "write"}))
    phone = page_at(browser, contexts, room["urls"]["participant"], "phone")
    join(phone, "Ola", "Skole")
    notice = phone.locator("#private-notice")
    expect(notice).to_be_visible()
    expect(notice).to_have_text("Nye lapper ser bare du, til fasilitatoren viser dem.")
    # One small line: the list still fills most of the screen (the rule of test_browser_list).
    share = phone.evaluate("""() => { const r = document.getElementById('list-body').getBoundingClientRect();
                                      return (Math.min(r.bottom, innerHeight) - Math.max(r.top, 0)) / innerHeight; }""")
    assert share >= 0.65, f"the list shows only {share:.0%} of the screen"
    assert phone.evaluate("document.getElementById('private-notice').getBoundingClientRect().height") <= 40
    assert axe_violations(phone) == [], "private writing on a phone"
    shot(phone, "private-phone")

    # On the canvas too; and the facilitator (whose notes are not private) sees no such line.
    phone.locator("#show-canvas").click()
    expect(notice).to_be_visible()
    shot(phone, "private-canvas-phone")
    phone.locator("#show-list").click()
    laptop = page_at(browser, contexts, room["urls"]["facilitator"], "laptop")
    join(laptop, "Kari")
    expect(laptop.locator("#phase-text")).to_contain_text("hver for seg")
    expect(laptop.locator("#private-notice")).to_be_hidden()

    # Revealed: the line goes. Then a note moved to a group: its toast covers no row of the list.
    seed(server, room, ("notes.reveal", {}), *notes(6, "b"), ("phase.set", {"phase": "cluster"}),
         ("cluster.create", {"id": "g1", "title": "Trygg kryssing", "x": 100, "y": 1200}))
    expect(notice).to_be_hidden()
    expect(phone.locator("[data-list-note]")).to_have_count(6)
    row = phone.locator("[data-list-note]").first
    row.locator(".list-move").click()
    phone.locator("#move-sheet .move-option", has_text="Trygg kryssing").click()
    expect(phone.locator("#toasts .toast")).to_be_visible()
    nothing_covered(phone, "[data-list-note]", "#list-body")
    nothing_covered(phone, "#list-add, #list-filter-toggle, #show-canvas", "body", centre_only=True)
    shot(phone, "toast-phone")
    assert phone.errors == [] and laptop.errors == []  # type: ignore[attr-defined]


def test_most_dots_first_ranks_the_whole_board(browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:
    """The note with the most dots is first, though it is in no group and the groups come first
    in the other order; each row names its group; the select shows all of its words."""
    room = server.create_room("Skolevei", "nb", phase="write", template="need-solution-test")
    seed(server, room, *notes(5, "n"), ("cluster.create", {"id": "g1", "title": "Ventetid", "x": 100, "y": 1200}),
         ("note.group", {"id": "n0", "cluster": "g1"}), ("note.group", {"id": "n1", "cluster": "g1"}),
         ("phase.set", {"phase": "vote"}),
         ("vote.cast", {"target": "n4"}), ("vote.cast", {"target": "n4"}), ("vote.cast", {"target": "n4"}),
         ("vote.cast", {"target": "n1"}), ("vote.cast", {"target": "n1"}), ("votes.reveal", {}), ("phase.set", {"phase": "results"}))
    phone = page_at(browser, contexts, room["urls"]["participant"], "phone")
    join(phone, "Ola", "Skole")
    expect(phone.locator("[data-list-note]")).to_have_count(5)
    phone.locator("#list-filter-toggle").click()
    sort = phone.locator("#list-sort")
    sort.select_option("dots")
    texts = phone.locator("[data-list-note] .list-note-text")
    expect(texts.nth(0)).to_contain_text("n idé 4")
    expect(texts.nth(1)).to_contain_text("n idé 1")
    expect(phone.locator("[data-list-note]").nth(1).locator(".list-badge-group")).to_have_text("Gruppe: Ventetid")
    expect(phone.locator("[data-list-note]").nth(0).locator(".list-badge-votes")).to_have_text("3 prikker")
    # The select is wide enough for "Flest prikker først" (its text, measured in its own font).
    fits = sort.evaluate("""(s) => { const c = document.createElement('canvas').getContext('2d');
        const st = getComputedStyle(s); c.font = `${st.fontWeight} ${st.fontSize} ${st.fontFamily}`;
        const text = c.measureText(s.options[s.selectedIndex].text).width;
        return s.clientWidth - parseFloat(st.paddingLeft) - parseFloat(st.paddingRight) - 20 >= text; }""")
    assert fits, "the sort select cuts its words off"
    shot(phone, "sorted-phone")
    # Back to the usual order: the group again first, within its area.
    sort.select_option("newest")
    expect(phone.locator(".list-group").first).to_contain_text("Ventetid")
    assert phone.errors == []  # type: ignore[attr-defined]


def test_a_coach_gets_an_observers_words_and_only_what_a_coach_may_do(browser: Browser, contexts: list[BrowserContext],
                                                                     server: TavlaServer) -> None:
    room = server.create_room("Skolevei", "nb", phase="write", template="need-solution-test")
    coach = page_at(browser, contexts, room["urls"]["coach"], "laptop")
    join(coach, "Cecilie", "Veiledning")
    # The domain lets a coach add notes while people write (docs/protocol.md: "board"), so it is offered.
    expect(coach.locator("#add-note")).to_be_visible()
    # BLT writes in private first: the coach is told what they will see of it.
    expect(coach.locator("#phase-text")).to_have_text(
        "Deltakerne skriver hver for seg: du ser hvor mange lapper det er, og lappene når fasilitatoren viser dem.")
    for phase, words in (("vote", "Veiledere stemmer ikke"), ("results", "Fasilitatoren går gjennom resultatene med deltakerne.")):
        seed(server, room, ("phase.set", {"phase": phase}))
        expect(coach.locator("#phase-banner")).to_have_attribute("data-phase", phase)
        expect(coach.locator("#phase-text")).to_contain_text(words)
        expect(coach.locator("#add-note")).to_be_hidden()
        shot(coach, f"coach-{phase}-laptop")
    assert coach.errors == []  # type: ignore[attr-defined]


def test_dots_are_not_shown_while_people_write_again(browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:
    room = server.create_room("Skolevei", "nb", phase="write", template="need-solution-test")
    seed(server, room, *notes(3, "n"), ("phase.set", {"phase": "vote"}), ("vote.cast", {"target": "n0"}),
         ("votes.reveal", {}), ("timer.start", {"duration_ms": 300_000}))
    laptop = page_at(browser, contexts, room["urls"]["facilitator"], "laptop")
    join(laptop, "Kari")
    phone = page_at(browser, contexts, room["urls"]["participant"], "phone")
    join(phone, "Ola")
    # Voting with a timer on a phone: the dots chip takes its own line, over nobody's phase name.
    expect(phone.locator("#dots-left")).not_to_be_empty()
    nothing_covered(phone, "#phase-name, #dots-left, #timer", "body")
    shot(phone, "vote-timer-phone")
    expect(laptop.locator('[data-note-id="n0"]')).to_contain_text("1 prikk")
    expect(phone.locator(".list-badge-votes", has_text="1 prikk")).to_have_count(1)
    seed(server, room, ("phase.set", {"phase": "write"}))
    for page in (laptop, phone):
        expect(page.locator("#phase-banner")).to_have_attribute("data-phase", "write")
    expect(laptop.locator('[data-note-id="n0"]')).not_to_contain_text("prikk")
    expect(phone.locator(".list-badge-votes")).to_have_count(0)
    shot(laptop, "write-again-laptop")
    shot(phone, "write-again-phone")
    seed(server, room, ("phase.set", {"phase": "results"}))
    expect(laptop.locator('[data-note-id="n0"]')).to_contain_text("1 prikk")
    expect(phone.locator(".list-badge-votes", has_text="1 prikk")).to_have_count(1)


def test_the_red_delete_button_is_no_neighbour_in_the_tab_order(browser: Browser, contexts: list[BrowserContext],
                                                               server: TavlaServer) -> None:
    room = server.create_room("Skolevei", "nb", phase="write", template="need-solution-test")
    laptop = page_at(browser, contexts, room["urls"]["facilitator"], "laptop")
    join(laptop, "Kari")
    expect(laptop.locator("#facilitator-panel")).to_be_visible()
    delete = laptop.locator("#delete-session")
    expect(delete).to_be_hidden()  # folded away under its heading
    # From the board backwards, and from "Publish" forwards: never the red button.
    laptop.locator("#viewport").focus()
    laptop.keyboard.press("Shift+Tab")
    assert laptop.evaluate("document.activeElement.id") != "delete-session"
    laptop.locator("#publish-toggle").focus()
    laptop.keyboard.press("Tab")
    assert laptop.evaluate("document.activeElement.id") != "delete-session"
    # The folded heading comes later in the panel (after the report back and the evaluation).
    laptop.locator("summary.danger-summary").focus()
    shot(laptop, "delete-folded-laptop")
    laptop.keyboard.press("Enter")
    expect(delete).to_be_visible()
    delete.click()
    expect(laptop.locator("#delete-dialog")).to_be_visible()
    laptop.locator("#delete-cancel").click()


def test_merging_and_moving_say_where_and_choose_nothing_in_advance(browser: Browser, contexts: list[BrowserContext],
                                                                    server: TavlaServer) -> None:
    room = server.create_room("Skolevei", "nb", phase="write", template="need-solution-test")
    seed(server, room, *notes(2, "n"), ("phase.set", {"phase": "cluster"}),
         ("cluster.create", {"id": "g1", "title": "Ventetid", "x": 100, "y": 900}),
         ("cluster.create", {"id": "g2", "title": "Språk", "x": 100, "y": 1400}),
         ("cluster.create", {"id": "g3", "title": "Prøv i bydelen", "x": 3000, "y": 900}),
         ("note.group", {"id": "n0", "cluster": "g1"}))
    laptop = page_at(browser, contexts, room["urls"]["facilitator"], "laptop")
    join(laptop, "Kari")
    laptop.locator('[data-cluster-id="g1"] .cluster-handle').focus()
    laptop.keyboard.press("Enter")
    merge = laptop.locator("#cluster-merge-into")
    expect(merge).to_be_visible()
    expect(merge).to_have_value("")
    expect(laptop.locator("#cluster-merge")).to_be_disabled()
    titles = laptop.evaluate("() => [...document.querySelectorAll('.area-title')].map((t) => t.textContent.trim())")
    labels = merge.evaluate("(s) => [...s.querySelectorAll('optgroup')].map((g) => g.label)")
    assert labels and set(labels) <= set(titles), (labels, titles)  # the groups are listed under their areas
    assert axe_violations(laptop) == [], "merge dialog"
    shot(laptop, "merge-laptop")
    merge.select_option("g2")
    expect(laptop.locator("#cluster-merge")).to_be_enabled()
    laptop.keyboard.press("Escape")

    phone = page_at(browser, contexts, room["urls"]["participant"], "phone")
    join(phone, "Ola")
    loose = phone.locator("[data-list-note]", has_text="n idé 1")
    loose.locator(".list-move").click()
    options = phone.locator("#move-sheet .move-option")
    expect(options).to_have_count(4)
    for i in range(3):  # each group says its area
        text = options.nth(i).inner_text()
        assert any(f"i {title}" in text for title in titles), (text, titles)
    expect(options.last).to_contain_text("Ingen gruppe")
    expect(options.last).to_have_attribute("aria-current", "true")
    shot(phone, "move-sheet-phone")
    phone.keyboard.press("Escape")


def test_pages_before_the_board(browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:
    """The join screen offers no session buttons; the unpublished results have the site's
    header; the created session's card is in view at once."""
    room = server.create_room("Skolevei", "nb", phase="write", template="need-solution-test")
    phone = page_at(browser, contexts, room["urls"]["participant"], "phone")
    expect(phone.locator("#join-screen")).to_be_visible()
    expect(phone.locator("#board-menu-toggle")).to_be_hidden()
    expect(phone.locator("#copy-link")).to_be_hidden()
    shot(phone, "join-phone")
    join(phone, "Ola")
    expect(phone.locator("#board-menu-toggle")).to_be_visible()

    results = page_at(browser, contexts, f"{server.http}/r/{room['code']}/results", "phone")
    expect(results.locator(".site-header .brand")).to_be_visible()
    expect(results.locator("h1")).to_have_text("Resultatene er ikke publisert ennå.")
    expect(results.locator(".notice-title")).to_have_text("Skolevei")
    assert axe_violations(results) == [], "unpublished results"
    card = results.locator(".card").bounding_box()
    assert card and card["y"] >= 16, card
    shot(results, "unpublished-phone")

    laptop = page_at(browser, contexts, f"{server.http}/?lang=nb", "laptop")
    laptop.locator("#create-title").fill("Hvordan kan vi gjøre det enklere å søke om hjemmehjelp?")
    laptop.locator("#create-form button[type=submit]").click()
    expect(laptop.locator("#create-result")).to_be_visible()
    box = laptop.locator("#create-result").bounding_box()
    assert box and 0 <= box["y"] <= 40, box
    expect(laptop.locator("#result-code")).to_be_in_viewport()
    shot(laptop, "created-laptop")
