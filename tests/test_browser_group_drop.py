"""A note dropped into a group by a drag, in a real Chromium against a real Tavla process: the
group lays it out in its grid like "Move to group" does, so it covers none of the notes already
in the group, on the screen that dragged and on everyone else's. Once by mouse on a laptop, once
by a touch drag on a phone's canvas (walkthrough 4, finding 8); dropped within its own group it
goes back to its place in the grid. Screenshots go to
test-artifacts/group-drop-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import (  # noqa: F401
    browser,
    contexts,
    group,
    join,
    note,
    open_page,
    seed,
    server,
    shooter,
    wait_until_sent,
)

pytestmark = pytest.mark.browser

shot = shooter("group-drop")


def overlaps(page: Page) -> list[list[str]]:
    """Pairs of notes whose boxes overlap, in board coordinates (as drawn: transform and size)."""
    return page.evaluate(  # type: ignore[no-any-return]
        """() => {
            const boxes = [...document.querySelectorAll('[data-note-id]')].map((e) => {
                const [x, y] = (e.style.transform.match(/-?[\\d.]+/g) || [0, 0]).map(Number);
                return {id: e.dataset.noteId, x, y, w: e.offsetWidth, h: e.offsetHeight};
            });
            const pairs = [];
            for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
                const a = boxes[i], b = boxes[j];
                if (a.x < b.x + b.w - 1 && b.x < a.x + a.w - 1 && a.y < b.y + b.h - 1 && b.y < a.y + a.h - 1) pairs.push([a.id, b.id]);
            }
            return pairs;
        }"""
    )


def settled(sender: Page, other: Page, note_id: str) -> None:
    """The drop is acknowledged and both screens draw the note at the same place."""
    wait_until_sent(sender)
    expect(note(other, note_id)).to_have_attribute("data-cluster", "c1")
    expect(note(sender, note_id)).to_have_attribute("data-cluster", "c1")
    place = note(other, note_id).evaluate("e => e.style.transform")
    sender.wait_for_function(
        "([id, t]) => document.querySelector(`[data-note-id=\"${id}\"]`).style.transform === t", arg=[note_id, place])
    for page in (sender, other):  # the notes glide to their places: shoot them there
        page.wait_for_function("() => document.getAnimations().length === 0")


def center(page: Page, locator) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    box = locator.bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_a_note_dropped_into_a_group_is_laid_out_beside_its_notes(browser, contexts, server) -> None:  # type: ignore[no-untyped-def]
    room = server.create_room("Samle", phase="cluster")
    seed(server, room,
         ("cluster.create", {"id": "c1", "title": "Kontakt", "x": 120, "y": 120}),
         ("note.create", {"id": "n1", "text": "Én fast kontaktperson", "color": "yellow", "x": 700, "y": 700}),
         ("note.create", {"id": "n2", "text": "Svar på SMS", "color": "pink", "x": 980, "y": 700}),
         ("note.create", {"id": "n3", "text": "Vite hvem som kommer", "color": "blue", "x": 160, "y": 560}),
         ("note.create", {"id": "n4", "text": "Ringe tilbake samme dag", "color": "green", "x": 160, "y": 760}),
         ("note.group", {"id": "n1", "cluster": "c1"}),
         ("note.group", {"id": "n2", "cluster": "c1"}))
    laptop = open_page(browser, contexts, room["urls"]["facilitator"], size="laptop")
    join(laptop, "Kari")
    phone = open_page(browser, contexts, room["urls"]["participant"], size="phone", view="canvas")
    join(phone, "Siri")
    for page in (laptop, phone):
        expect(note(page, "n4")).to_be_visible()
        assert overlaps(page) == []

    # By mouse on the laptop: n3 dropped right on top of n1, in the group.
    x, y = center(laptop, note(laptop, "n3"))
    tx, ty = center(laptop, note(laptop, "n1"))
    laptop.mouse.move(x, y)
    laptop.mouse.down()
    laptop.mouse.move(tx, ty, steps=10)
    laptop.mouse.up()
    settled(laptop, phone, "n3")
    shot(laptop, "mouse-laptop")
    shot(phone, "mouse-phone")
    assert overlaps(laptop) == [], "laptop: the dropped note covers another"
    assert overlaps(phone) == [], "phone: the dropped note covers another"

    # By touch on the phone's canvas: n4 dragged onto the group's notes.
    x, y = center(phone, note(phone, "n4"))
    tx, ty = center(phone, note(phone, "n1"))
    cdp = phone.context.new_cdp_session(phone)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for i in range(1, 13):
        cdp.send("Input.dispatchTouchEvent",
                 {"type": "touchMove", "touchPoints": [{"x": x + (tx - x) * i / 12, "y": y + (ty - y) * i / 12}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    settled(phone, laptop, "n4")
    shot(phone, "touch-phone")
    shot(laptop, "touch-laptop")
    assert overlaps(phone) == [], "phone: the dropped note covers another"
    assert overlaps(laptop) == [], "laptop: the dropped note covers another"
    expect(group(laptop, "c1")).to_contain_text("4 notes")

    # Within its own group: dropped on another of its notes, it goes back to its place.
    wait_until_sent(laptop)
    before = note(laptop, "n3").evaluate("e => e.style.transform")
    x, y = center(laptop, note(laptop, "n3"))
    tx, ty = center(laptop, note(laptop, "n2"))
    laptop.mouse.move(x, y)
    laptop.mouse.down()
    laptop.mouse.move(tx, ty + 10, steps=10)
    laptop.mouse.up()
    settled(laptop, phone, "n3")
    assert note(laptop, "n3").evaluate("e => e.style.transform") == before
    assert overlaps(laptop) == [] and overlaps(phone) == []
    assert laptop.errors == [] and phone.errors == []  # type: ignore[attr-defined]
