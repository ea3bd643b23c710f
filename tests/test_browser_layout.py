"""Placement that never overlaps, as people see it in Chromium against a real Tavla process:
ten phones write privately, and after the reveal no note covers another on the facilitator's
laptop and every phone can tap each of its own notes; groups created, filled, merged and moved
never overlap or cover each other's buttons; Tidy and Undo. Screenshots (laptop 1366×768,
projector 1920×1080, a phone 390×844) go to test-artifacts/layout-*.png."""

from __future__ import annotations

import os
from functools import partial

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.support.browser import (  # noqa: F401
    add_note,
    browser,
    contexts,
    join,
    note,
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

PHONES = int(os.environ.get("TAVLA_LAYOUT_PHONES", "10"))

# Every pair of boxes (client pixels) of `selector` that overlap by more than half a pixel.
OVERLAPS_JS = """(selector) => {
  const boxes = [...document.querySelectorAll(selector)].map((el) => {
    const r = el.getBoundingClientRect();
    return {id: el.dataset.noteId || el.dataset.clusterId, l: r.left, t: r.top, r: r.right, b: r.bottom};
  });
  const pairs = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (a.l < b.r - 0.5 && b.l < a.r - 0.5 && a.t < b.b - 0.5 && b.t < a.b - 0.5) pairs.push([a.id, b.id]);
  }
  return pairs;
}"""

# Buttons inside groups whose centre is covered by something else (after scrolling each into view).
COVERED_BUTTONS_JS = """() => {
  const covered = [];
  for (const button of document.querySelectorAll('.cluster button')) {
    if (!button.offsetParent) continue;
    button.scrollIntoView({block: 'center', inline: 'center'});
    const r = button.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    if (!hit || !(hit === button || button.contains(hit))) {
      covered.push([button.closest('.cluster').dataset.clusterId, button.textContent.trim(),
                    hit ? (hit.closest('[data-note-id]') || hit).className : null]);
    }
  }
  return covered;
}"""

# Where every note and group is drawn (board units, from their transforms).
LAYOUT_JS = """() => Object.fromEntries(
  [...document.querySelectorAll('[data-note-id], [data-cluster-id]')].map(
    (el) => [el.dataset.noteId || 'group:' + el.dataset.clusterId, el.style.transform]))"""


def same_layout(page: Page, expected: dict[str, str]) -> None:
    """Wait until the drawn layout is `expected`."""
    page.wait_for_function(
        f"""(b) => {{ const now = ({LAYOUT_JS})();
                     return Object.keys(b).length === Object.keys(now).length
                       && Object.keys(b).every((k) => now[k] === b[k]); }}""",
        arg=expected, timeout=20_000)


# Pages with the board's motion as it is (notes glide to their places); a phone on the canvas,
# which is what this test is about (a phone's default is the list).
open_at = partial(page_at, reduced_motion=False)


def no_overlaps(page: Page, selector: str) -> None:
    """Wait until no two `selector` boxes overlap (notes glide to their places); say which if they do."""
    try:
        page.wait_for_function(f"() => ({OVERLAPS_JS})({selector!r}).length === 0", timeout=20_000)
    except Exception:  # noqa: BLE001 - report the pairs, not a timeout
        pairs = page.evaluate(OVERLAPS_JS, selector)
        raise AssertionError(f"overlapping {selector}: {pairs}") from None


def settled(page: Page) -> dict[str, str]:
    """The drawn layout once it stops changing (two reads a frame apart agree)."""
    page.wait_for_function(
        f"""() => new Promise((done) => {{
              const a = JSON.stringify(({LAYOUT_JS})());
              requestAnimationFrame(() => requestAnimationFrame(() => done(a === JSON.stringify(({LAYOUT_JS})()))));
            }})""",
        timeout=20_000,
    )
    return page.evaluate(LAYOUT_JS)  # type: ignore[no-any-return]


def fit(page: Page) -> None:
    page.locator("#zoom-fit").click()


shot = shooter("layout")


def test_ten_phones_write_privately_and_after_the_reveal_nothing_overlaps(
    browser: Browser, contexts: list[BrowserContext], server: TavlaServer
) -> None:
    room = server.create_room("Tjenestereisen", "nb", phase="lobby", template="need-solution-test")
    laptop = open_at(browser, contexts, room["urls"]["facilitator"], "laptop")
    join(laptop, "Frida", "Tjenestedesign")
    open_panel(laptop, "facilitator")
    laptop.locator("#private-toggle").check()
    wait_until_sent(laptop)
    start_phase(laptop, "write")

    phones: list[tuple[Page, list[str]]] = []
    for i in range(PHONES):
        phone = open_at(browser, contexts, room["urls"]["participant"], "phone", view="canvas")
        join(phone, f"Deltaker {i}", "Helse")
        texts = [f"Idé {j + 1} fra telefon {i}" for j in range(3)]
        for text in texts:
            add_note(phone, text)
        expect(phone.locator("[data-note-id]")).to_have_count(3)
        wait_until_sent(phone)
        phones.append((phone, texts))
    total = 3 * PHONES
    expect(laptop.locator("#reveal-notes")).to_contain_text(str(total))

    laptop.locator("#reveal-notes").click()
    wait_until_sent(laptop)
    assert laptop.errors == [], laptop.errors  # type: ignore[attr-defined]
    expect(laptop.locator("[data-note-id]")).to_have_count(total, timeout=20_000)
    fit(laptop)
    no_overlaps(laptop, "[data-note-id]")
    settled(laptop)
    shot(laptop, "reveal-laptop")

    projector = open_at(browser, contexts, room["urls"]["facilitator"], "projector")
    join(projector, "Projektor")
    expect(projector.locator("[data-note-id]")).to_have_count(total, timeout=20_000)
    fit(projector)
    no_overlaps(projector, "[data-note-id]")
    settled(projector)
    shot(projector, "reveal-projector")

    for n, (phone, texts) in enumerate(phones):
        expect(phone.locator("[data-note-id]")).to_have_count(total, timeout=20_000)
        no_overlaps(phone, "[data-note-id]")
        for text in texts:
            note = phone.locator("[data-note-id]", has_text=text)
            note.scroll_into_view_if_needed()
            # Playwright's own check: the tap would land on this note, nothing covers it (no force).
            note.click(trial=True, timeout=15_000)
        if n == 0:
            settled(phone)
            shot(phone, "reveal-phone")
    assert all(p.errors == [] for p in [laptop, projector] + [p for p, _ in phones]), "script errors"  # type: ignore[attr-defined]


def test_groups_never_overlap_nor_cover_buttons_and_tidy_undo_restores(
    browser: Browser, contexts: list[BrowserContext], server: TavlaServer
) -> None:
    room = server.create_room("Gruppering", "nb", phase="write", template="need-solution-test")
    # Nine notes and three groups, each asked for at the same spot: the domain spreads them.
    seed(server, room,
         *[("note.create", {"id": f"n{i}", "text": f"Lapp nummer {i}" + (" – og en tekst som går over flere linjer" if i % 2 else ""),
                            "color": "yellow", "x": 300, "y": 400})
           for i in range(9)],
         ("phase.set", {"phase": "cluster"}),
         *[("cluster.create", {"id": f"g{i}", "title": f"Gruppe {i}", "x": 300, "y": 900}) for i in range(3)],
         *[("note.group", {"id": f"n{i}", "cluster": f"g{i % 3}"}) for i in range(9)])
    laptop = open_at(browser, contexts, room["urls"]["facilitator"], "laptop")
    join(laptop, "Frida", "Tjenestedesign")
    expect(laptop.locator("[data-cluster-id]")).to_have_count(3)
    no_overlaps(laptop, "[data-cluster-id]")

    # Merge g1 into g0 (it grows), then drop g2 right on top of g0.
    seed(server, room, ("cluster.merge", {"id": "g1", "into": "g0"}))
    expect(laptop.locator("[data-cluster-id]")).to_have_count(2)
    before_move = settled(laptop)
    seed(server, room, ("cluster.update", {"id": "g2", "x": 320, "y": 150}))
    laptop.wait_for_function(f"() => ({LAYOUT_JS})()['group:g2'] !== {before_move['group:g2']!r}")
    no_overlaps(laptop, "[data-cluster-id]")
    seed(server, room, ("phase.set", {"phase": "vote"}))  # the groups' "Give a dot" buttons
    expect(laptop.locator(".cluster button:not([hidden])").first).to_be_visible()
    # Voting makes every note taller (its dot controls); the layout kept room for them.
    note(laptop, "n1").locator(".vote-add").click()
    expect(note(laptop, "n1").locator(".vote-mine")).to_be_visible()
    # The grown note is measured after it is drawn; its group's frame follows a frame later.
    laptop.wait_for_function(
        "() => { const g = document.querySelector('[data-cluster-id=\"g0\"]'), n = document.querySelector('[data-note-id=\"n1\"]');"
        " const gr = g.getBoundingClientRect(), nr = n.getBoundingClientRect(); return nr.bottom <= gr.bottom; }")
    assert laptop.evaluate(COVERED_BUTTONS_JS) == []
    no_overlaps(laptop, "[data-note-id]")
    no_overlaps(laptop, "[data-cluster-id]")
    # The page itself never scrolls (the top bar stays in view): only the board and the panels do.
    assert laptop.evaluate("() => [document.scrollingElement.scrollTop, document.scrollingElement.scrollHeight - innerHeight]") == [0, 0]
    fit(laptop)
    shot(laptop, "vote-groups-laptop")

    # Tidy the board, then Undo: everything back where it was.
    fit(laptop)
    before = settled(laptop)
    open_panel(laptop, "facilitator")
    undo = laptop.locator("#board-undo")
    expect(undo).not_to_have_attribute("aria-disabled", "true")  # the merge can be undone
    laptop.locator("#board-tidy").click()
    laptop.wait_for_function(f"(b) => ({LAYOUT_JS})()['group:g0'] !== b", arg=before["group:g0"])
    tidied = settled(laptop)
    assert tidied != before
    no_overlaps(laptop, "[data-cluster-id]")
    no_overlaps(laptop, "[data-note-id]")
    assert laptop.evaluate(COVERED_BUTTONS_JS) == []
    fit(laptop)
    shot(laptop, "tidy-laptop")
    projector = open_at(browser, contexts, room["urls"]["facilitator"], "projector")
    join(projector, "Projektor")
    expect(projector.locator("[data-cluster-id]")).to_have_count(2)
    fit(projector)
    same_layout(projector, tidied)  # the projector shows the same board
    shot(projector, "tidy-projector")

    undo.click()
    expect(undo).to_have_attribute("aria-disabled", "true")  # only the last one, once
    same_layout(laptop, before)
    same_layout(projector, before)  # undone on every screen
    assert laptop.errors == [] and projector.errors == []  # type: ignore[attr-defined]
