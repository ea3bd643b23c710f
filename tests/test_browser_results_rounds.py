"""The results page of a three-round session (Behov – Løsning – Test) in a real Chromium: each
round under its own numbered heading with its prompt, who voted and its ideas; axe finds nothing
at phone and laptop size and nothing scrolls sideways; screenshots in test-artifacts/."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from tests.support.browser import browser, contexts, server_on_redis  # noqa: F401 (fixtures; `server` on Redis)
from tests.support.servers import TavlaServer
from tests.test_browser_results import act, check

pytestmark = pytest.mark.browser


def test_each_round_has_its_section(browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:  # noqa: F811
    room = server.create_room("Bedre hjemmetjeneste for barnefamilier", "nb", phase="write",
                              template="need-solution-test")
    code, fac = room["code"], {"name": "Setup", "key": room["facilitator_key"]}
    kari = act(server, code, {"name": "Kari", "department": "Helse"}, [
        ("note.create", {"id": "n1", "text": "Én fast kontaktperson for hver familie", "color": "yellow", "x": 100, "y": 400}),
        ("note.create", {"id": "n2", "text": "Vite hva som skjer med søknaden", "color": "blue", "x": 2200, "y": 400}),
    ])
    ola = act(server, code, {"name": "Ola", "department": "Skole"}, [
        ("note.create", {"id": "n3", "text": "Kortere ventetid på telefon", "color": "pink", "x": 100, "y": 800}),
    ])
    act(server, code, fac, [("notes.reveal", {}), ("phase.set", {"phase": "vote"})])  # BLT writes in private first
    act(server, code, {"name": "Kari", "token": kari}, [("vote.cast", {"target": "n1"}), ("vote.cast", {"target": "n2"})])
    act(server, code, {"name": "Ola", "token": ola}, [("vote.cast", {"target": "n1"})])
    act(server, code, fac, [
        ("votes.reveal", {}),
        ("round.carry", {"from": "need", "to": "solution", "items": ["n1", "n2"], "as": "areas"}),
        ("round.go", {"round": "solution"}),
    ])
    act(server, code, {"name": "Ola", "token": ola}, [
        ("note.create", {"id": "s1", "text": "Én telefonlinje for alle spørsmål", "color": "green", "x": 100, "y": 400}),
    ])
    act(server, code, fac, [("notes.reveal", {}), ("results.publish", {"published": True})])

    page = browser.new_context()
    contexts.append(page)
    tab = page.new_page()
    tab.goto(f"{server.http}/r/{code}/results")
    headings = tab.locator(".results-round-title")
    expect(headings).to_have_count(3)
    assert [" ".join(h.split()) for h in headings.all_inner_texts()] == ["1. Behov", "2. Løsning", "3. Test"]
    need = tab.locator(".results-round").nth(0)
    expect(need.locator(".results-voted")).to_have_text("2 av 2 deltakere stemte.")
    expect(need.locator(".ranking li").first).to_contain_text("Én fast kontaktperson for hver familie")
    expect(need.locator(".ranking li").first).to_contain_text("2 prikker")
    solution = tab.locator(".results-round").nth(1)
    expect(solution.locator(".results-notice")).to_have_text("Stemmene er ikke vist ennå.")
    expect(solution).to_contain_text("Én telefonlinje for alle spørsmål")
    expect(solution.locator(".area-tag")).to_contain_text("Én fast kontaktperson for hver familie")
    test = tab.locator(".results-round").nth(2)
    expect(test).to_contain_text("Ingen lapper ennå.")
    expect(test.locator(".results-notice")).to_have_count(0)  # the test round has no vote
    check(tab, "rounds", "the results page of a three-round session")
