"""The board as people see it, on a phone, a laptop and a projector, saved to test-artifacts/
for a person to look at (after a change to the client: compare with the screenshots from
before). A seeded workshop in the vote phase: notes of every colour, two groups, dots cast,
the facilitator's panel open on the laptop and projector."""

from __future__ import annotations


import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from tests.support.browser import SIZES, browser, contexts, join, page_at, seed, server, shot  # noqa: F401
from tests.support.servers import TavlaServer

pytestmark = pytest.mark.browser

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
    for name in SIZES:
        phone = name == "phone"
        suffix = "" if phone else f"#key={room['facilitator_key']}"
        page = page_at(browser, contexts, f"{server.http}/r/{room['code']}{suffix}", name)
        join(page, "Kari" if phone else "Frida")
        expect(page.locator("#phase-banner")).to_have_attribute("data-phase", "vote")
        page.evaluate("document.fonts.ready")
        if phone:
            # A phone shows the list first (client/list-view.js); the canvas is one tap away.
            expect(page.locator("[data-list-note]")).to_have_count(len(TEXTS))
            shot(page, "phone-list", "board")
            page.locator("#show-canvas").tap()
            expect(page.locator("#viewport")).to_be_visible()
        expect(page.locator(".note")).to_have_count(len(TEXTS))
        expect(page.locator(".cluster")).to_have_count(2)
        shot(page, name, "board")
        assert page.locator(".note-text").first.is_visible()
