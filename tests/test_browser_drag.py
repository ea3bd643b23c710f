"""Moving notes and groups with the one drag helper (client/draggable.js), in a real Chromium
against a real Tavla process: a note dragged onto a group goes into it (the group is outlined
while it would), dragged out it leaves it, Escape puts a dragged note back and sends nothing,
a held arrow key sends one move that lands where the key took it, and on a locked board a
drag of a note or a group says why and moves nothing."""

from __future__ import annotations

import re

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
    shot,
    wait_until_sent,
)

pytestmark = pytest.mark.browser



def transform(page: Page, note_id: str) -> str:
    return note(page, note_id).evaluate("e => e.style.transform")


def press_and_move(page: Page, node, dx: float, dy: float) -> None:  # type: ignore[no-untyped-def]
    """Mouse down in the node's top-left part and move by (dx, dy), not letting go."""
    box = node.bounding_box()
    assert box is not None
    x, y = box["x"] + 20, box["y"] + 14
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y + dy, steps=8)


def test_note_into_and_out_of_a_group_escape_and_held_keys(browser, contexts, server) -> None:  # type: ignore[no-untyped-def]
    room = server.create_room("Flytt", phase="cluster")
    seed(server, room,
         ("note.create", {"id": "n1", "text": "Kø ved skranken", "color": "yellow", "x": 80, "y": 420}),
         ("cluster.create", {"id": "c1", "title": "Ventetid", "x": 520, "y": 120}))
    laptop = open_page(browser, contexts, room["urls"]["participant"])
    join(laptop, "Kari")
    watcher = open_page(browser, contexts, room["urls"]["participant"])
    join(watcher, "Ola")
    expect(note(watcher, "n1")).to_be_visible()

    # Onto the group: outlined while the note is over it, in it after the drop, everywhere.
    target = group(laptop, "c1").bounding_box()
    start = note(laptop, "n1").bounding_box()
    assert target and start
    press_and_move(laptop, note(laptop, "n1"),
                   target["x"] + target["width"] / 2 - start["x"] - 20, target["y"] + target["height"] / 2 - start["y"])
    expect(note(laptop, "n1")).to_have_class(re.compile(r"\bis-dragging\b"))
    expect(group(laptop, "c1")).to_have_class(re.compile(r"\bis-drop-target\b"))
    shot(laptop, "into-group-laptop", "drag")  # the outline while dragging
    laptop.mouse.up()
    expect(group(laptop, "c1")).not_to_have_class(re.compile(r"\bis-drop-target\b"))
    expect(note(laptop, "n1")).not_to_have_class(re.compile(r"\bis-dragging\b"))
    expect(note(watcher, "n1")).to_have_attribute("data-cluster", "c1")
    expect(group(watcher, "c1")).to_contain_text("1 note")

    # Out again: dropped on the empty board.
    wait_until_sent(laptop)
    # Left of the group, clear of it and above the board's tool bar (the note sits in the
    # group's first place, top left: the domain laid it out there).
    press_and_move(laptop, note(laptop, "n1"), -330, 150)
    expect(group(laptop, "c1")).not_to_have_class(re.compile(r"\bis-drop-target\b"))
    laptop.mouse.up()
    expect(note(watcher, "n1")).not_to_have_attribute("data-cluster", "c1")
    expect(group(watcher, "c1")).to_contain_text("0 notes")
    wait_until_sent(laptop)
    expect(note(watcher, "n1")).to_have_attribute("style", re.compile(re.escape(transform(laptop, "n1"))))

    # Escape while dragging: back where it was, nothing sent.
    before = transform(laptop, "n1")
    press_and_move(laptop, note(laptop, "n1"), 160, 60)
    expect(note(laptop, "n1")).not_to_have_attribute("style", re.compile(re.escape(before)))
    laptop.keyboard.press("Escape")
    expect(note(laptop, "n1")).to_have_attribute("style", re.compile(re.escape(before)))
    laptop.mouse.up()
    expect(note(laptop, "n1")).not_to_have_class(re.compile(r"\bis-dragging\b"))
    expect(note(laptop, "n1")).to_have_attribute("style", re.compile(re.escape(before)))
    assert laptop.evaluate("() => !localStorage.getItem(`tavla:${document.body.dataset.code}:outbox`)")

    # A held arrow key: drawn as it goes, one move on release, landing where the key took it.
    x, y = (float(v) for v in re.findall(r"-?[\d.]+", transform(watcher, "n1"))[:2])
    note(laptop, "n1").focus()
    for _ in range(5):
        laptop.keyboard.down("ArrowRight")  # the first is a press, the rest repeats
    laptop.keyboard.up("ArrowRight")
    wait_until_sent(laptop)
    expect(note(watcher, "n1")).to_have_attribute("style", re.compile(re.escape(f"translate({round(x + 100)}px, {round(y)}px)")))
    expect(note(laptop, "n1")).to_be_focused()
    assert laptop.errors == [] and watcher.errors == []  # type: ignore[attr-defined]


def test_locked_board_refuses_drags_with_a_reason(browser, contexts, server) -> None:  # type: ignore[no-untyped-def]
    room = server.create_room("Låst", phase="cluster")
    seed(server, room,
         ("note.create", {"id": "n1", "text": "Skjema", "color": "blue", "x": 80, "y": 420}),
         ("cluster.create", {"id": "c1", "title": "Papir", "x": 520, "y": 120}),
         ("room.update", {"locked": True}))
    laptop = open_page(browser, contexts, room["urls"]["participant"])
    join(laptop, "Kari")
    before = transform(laptop, "n1")
    press_and_move(laptop, note(laptop, "n1"), 200, 80)
    expect(laptop.locator("#toasts")).to_contain_text("The board is locked.")
    laptop.mouse.up()
    expect(note(laptop, "n1")).to_have_attribute("style", re.compile(re.escape(before)))
    expect(note(laptop, "n1")).not_to_have_class(re.compile(r"\bis-dragging\b"))

    box = group(laptop, "c1").evaluate("e => e.style.transform")
    handle = group(laptop, "c1").locator(".cluster-handle")
    press_and_move(laptop, handle, 200, 80)
    laptop.mouse.up()
    expect(group(laptop, "c1")).not_to_have_class(re.compile(r"\bis-dragging\b"))
    assert group(laptop, "c1").evaluate("e => e.style.transform") == box
    handle.focus()
    laptop.keyboard.press("ArrowDown")
    assert group(laptop, "c1").evaluate("e => e.style.transform") == box
    expect(laptop.locator("#cluster-dialog")).to_be_hidden()  # a refused drag is not a click
    assert laptop.errors == []  # type: ignore[attr-defined]
