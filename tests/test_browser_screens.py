"""The board as people see it, on a phone, a laptop and a projector, saved to test-artifacts/
for a person to look at (after a change to the client: compare with the screenshots from
before). A seeded workshop in the vote phase: notes of every colour, two groups, dots cast,
the facilitator's panel open on the laptop and projector."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from tests.support.browser import browser, contexts, join, seed, server  # noqa: F401
from tests.support.servers import TavlaServer

pytestmark = pytest.mark.browser

ARTIFACTS = Path(os.environ.get("TAVLA_ARTIFACTS", Path(__file__).resolve().parent.parent / "test-artifacts"))
SIZES = {"phone": (390, 844), "laptop": (1366, 768), "projector": (1920, 1080)}
COLORS = ["yellow", "pink", "blue", "green", "orange", "purple"]
TEXTS = ["Shorter queues at the front desk", "A chat with the case worker", "Forms in plain language",
         "Opening hours after work", "Call back instead of waiting", "One contact person for each family",
         "Signs in more languages", "Book appointments online"]


def test_the_board_on_phone_laptop_and_projector(browser: Browser, contexts: list[BrowserContext],  # noqa: F811
                                                 server: TavlaServer) -> None:  # noqa: F811
    room = server.create_room("Home care services", phase="cluster")
    ops: list[tuple[str, dict]] = [  # type: ignore[type-arg]
        ("cluster.create", {"id": "g1", "title": "Waiting", "x": 60, "y": 60}),
        ("cluster.create", {"id": "g2", "title": "Talking to us", "x": 600, "y": 60}),
    ]
    for i, text in enumerate(TEXTS):
        ops.append(("note.create", {"id": f"n{i}", "text": text, "color": COLORS[i % len(COLORS)],
                                    "x": 80 + 260 * (i % 4), "y": 420 + 200 * (i // 4)}))
    ops += [("note.group", {"id": "n0", "cluster": "g1"}), ("note.group", {"id": "n4", "cluster": "g1"}),
            ("note.group", {"id": "n1", "cluster": "g2"}), ("phase.set", {"phase": "vote"}),
            ("vote.cast", {"target": "n0"}), ("vote.cast", {"target": "g2"})]
    seed(server, room, *ops)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, (width, height) in SIZES.items():
        phone = name == "phone"
        context = browser.new_context(viewport={"width": width, "height": height}, has_touch=phone, is_mobile=phone,
                                      reduced_motion="reduce")
        contexts.append(context)
        page = context.new_page()
        suffix = "" if phone else f"#key={room['facilitator_key']}"
        page.goto(f"{server.http}/r/{room['code']}{suffix}")
        join(page, "Kari" if phone else "Frida")
        expect(page.locator("#phase-banner")).to_have_attribute("data-phase", "vote")
        page.evaluate("document.fonts.ready")
        if phone:
            # A phone shows the list first (client/list-view.js); the canvas is one tap away.
            expect(page.locator("[data-list-note]")).to_have_count(len(TEXTS))
            page.screenshot(path=str(ARTIFACTS / "board-phone-list.png"))
            page.locator("#show-canvas").tap()
            expect(page.locator("#viewport")).to_be_visible()
        expect(page.locator(".note")).to_have_count(len(TEXTS))
        expect(page.locator(".cluster")).to_have_count(2)
        page.screenshot(path=str(ARTIFACTS / f"board-{name}.png"))
        assert page.locator(".note-text").first.is_visible()
