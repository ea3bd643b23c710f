"""The results page in a real Chromium, as people meet it: the public page once published and the
facilitator's view before that, at phone (390×844), laptop (1366×768) and projector (1920×1080)
size. axe finds no WCAG 2.1 AA violation (the department table's scrolling region can be reached
by keyboard; on a phone it is one card per idea, nothing cut off); the ranking panel on the board
uses plural forms; screenshots go to test-artifacts/ for a person to look at."""

from __future__ import annotations

import json
import uuid

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from websockets.sync.client import connect

from tests.support.browser import (  # noqa: F401
    PHONE,
    VIEWPORTS,
    assert_accessible,
    axe_violations,
    browser,
    contexts,
    join,
    open_page,
    open_panel,
    server_on_redis,  # the `server` fixture: Tavla on a real Redis
    shot,
)
from tests.support.servers import TavlaServer

pytestmark = pytest.mark.browser

PEOPLE = {"Kari": "Helse", "Per": "Helse", "Ida": "Helse", "Ola": "Skole", "Siv": "Skole", "Tor": "Skole",
          "Eva": "Kultur og fritid"}
NOTES = [  # id, text, x (which area: Behov, Løsning, Test), author
    ("n1", "Én fast kontaktperson for hver familie", 100, "Kari"),
    ("n2", "Felles kalender for hjemmetjenesten og skolen", 1500, "Ola"),
    ("n3", "Prøv ut i én bydel før sommeren", 2800, "Eva"),
    ("n4", "Kortere ventetid på telefon", 400, "Per"),
]
# Worked out by hand: n1 (Kari, Helse) gets 7 dots from Helse ×3 people and Skole ×3: supported
# by 2 departments, 1 beyond the author's. The group c1 (n2 by Ola, Skole) gets 4 dots from Skole
# ×3 and Eva: supported by Skole only, the author's own: 0 beyond; with n2's 1 dot it has 5 as an
# idea (n2 is listed under it only). n3 gets 2, n4 none.
VOTES = {"Kari": ["n1", "n3"], "Per": ["n1", "n1"], "Ida": ["n1"], "Ola": ["n1", "c1"], "Siv": ["n1", "c1", "n2"],
         "Tor": ["n1", "c1"], "Eva": ["c1", "n3"]}


def act(server: TavlaServer, code: str, hello: dict, ops: list[tuple[str, dict]]) -> str:  # type: ignore[type-arg]
    """Say hello as someone (a token says who) and apply `ops`, each acknowledged; their token."""
    with connect(f"{server.ws}/r/{code}/ws") as ws:
        ws.send(json.dumps({"type": "hello", "protocol": 1, **hello}))
        while (welcome := json.loads(ws.recv(timeout=10))).get("type") != "welcome":
            assert welcome.get("type") != "error", welcome
        for op, args in ops:
            op_id = uuid.uuid4().hex  # op ids are idempotency keys: a reused one is a duplicate
            ws.send(json.dumps({"type": "op", "id": op_id, "op": op, "args": args}))
            while (frame := json.loads(ws.recv(timeout=10))).get("id") != op_id:
                pass
            assert frame["type"] == "ack", (op, args, frame)
        return str(welcome["you"]["token"])


def workshop(server: TavlaServer) -> dict:  # type: ignore[type-arg]
    """A Behov – Løsning – Test session in Norwegian: seven people of three departments (and a
    coach) wrote, grouped, voted; the votes are revealed and it is the results phase."""
    room = server.create_room("Bedre hjemmetjeneste for barnefamilier", "nb", phase="write",
                              template="need-solution-test-board")
    code, fac = room["code"], {"name": "Setup", "key": room["facilitator_key"]}
    act(server, code, {"name": "Veileder", "key": room["coach_key"]}, [])
    tokens = {}
    for name, department in PEOPLE.items():
        mine = [("note.create", {"id": i, "text": t, "color": "yellow", "x": x, "y": 400})
                for i, t, x, author in NOTES if author == name]
        tokens[name] = act(server, code, {"name": name, "department": department}, mine)
    act(server, code, fac, [("cluster.create", {"id": "c1", "title": "Samarbeid", "x": 1500, "y": 1200}),
                            ("note.group", {"id": "n2", "cluster": "c1"}), ("phase.set", {"phase": "vote"})])
    for name, targets in VOTES.items():
        act(server, code, {"name": name, "token": tokens[name]}, [("vote.cast", {"target": t}) for t in targets])
    act(server, code, fac, [("votes.reveal", {}), ("phase.set", {"phase": "results"})])
    return room


def check(page: Page, name: str, what: str) -> None:
    """Screenshots at every size; at phone and laptop size axe finds nothing and the page does
    not scroll sideways (nothing cut off)."""
    for size, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        page.evaluate("document.activeElement?.blur()")
        shot(page, f"{name}-{size}", "results", full_page=True)
        if size == "projector":
            continue  # the laptop's layout, wider
        assert_accessible(page, f"{what} at {size}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{what} at {size}: the page scrolls sideways ({width} px)"


def test_results_page_at_every_size_for_the_facilitator_and_the_public(
        browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:
    """The facilitator's view (not published yet) and the published page: the department table
    as worked out by hand (n1: Helse and Skole, one beyond the author's; c1: Skole only, the
    author's own), areas, the date, plural forms; then the same at every size."""
    room = workshop(server)
    staff = browser.new_context()
    contexts.append(staff)
    assert staff.request.post(f"{server.http}/r/{room['code']}/results/access",
                              data={"key": room["facilitator_key"]}).status == 204
    page = staff.new_page()
    page.goto(f"{server.http}/r/{room['code']}/results")
    expect(page.locator(".results-unpublished")).to_be_visible()
    expect(page.locator(".results-voted")).to_have_text("7 av 7 deltakere stemte.")
    rows = page.locator(".departments-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator("th")).to_have_text("Én fast kontaktperson for hver familie")
    cells = [" ".join(c.split()) for c in rows.nth(0).locator("td").all_inner_texts()]
    assert cells == ["Brukerens behov", "2", "Helse, Skole", "1", "7"], cells
    expect(rows.nth(1).locator("th")).to_have_text("Samarbeid")
    cells = [" ".join(c.split()) for c in rows.nth(1).locator("td").all_inner_texts()]
    assert cells == ["Ideer til løsninger", "1", "Skole", "0", "5"], cells
    # One ranking of ideas (walkthrough 4): the 7-dot note is 1., the group (5 dots) 2., each
    # item says what it is; n2 is listed under its group, not again as an idea.
    expect(page.locator("#ideas-heading")).to_have_text("Ideer, flest prikker først")
    ideas = page.locator("#ideas-heading + .ranking > li")
    expect(ideas).to_have_count(4)  # n1, c1, n3, n4: not n2 again
    expect(ideas.nth(0).locator(".ranked-line")).to_contain_text("1. Lapp")
    expect(ideas.nth(0)).to_contain_text("7 prikker")
    expect(ideas.nth(1).locator(".ranked-line")).to_contain_text("2. Gruppe Samarbeid")
    expect(ideas.nth(1)).to_contain_text("5 prikker (4 på gruppen, 1 på lappene i den)")
    expect(ideas.nth(1).get_by_role("list", name="Lapper i gruppen Samarbeid").locator("li")).to_have_count(1)
    expect(page.locator("#groups-heading, #notes-heading")).to_have_count(0)  # no second ranking starting at 1.
    expect(page.get_by_text("Felles kalender for hjemmetjenesten og skolen")).to_have_count(1)
    expect(page.locator("main")).to_contain_text("1 prikk")
    region = page.get_by_role("region", name="Deltakergrupper som støtter hver idé")
    region.focus()
    expect(region).to_be_focused()
    check(page, "staff", "the facilitator's results page")

    act(server, room["code"], {"name": "Setup", "key": room["facilitator_key"]}, [("results.publish", {"published": True})])
    public = browser.new_context()
    contexts.append(public)
    page = public.new_page()
    page.goto(f"{server.http}/r/{room['code']}/results")
    expect(page.locator("h1")).to_have_text("Bedre hjemmetjeneste for barnefamilier")
    expect(page.locator(".results-unpublished")).to_have_count(0)
    page.set_viewport_size(PHONE)
    card = page.locator(".departments-table tbody tr").first
    expect(card.locator(".cell-label").first).to_be_visible()  # a card per idea, each value named
    box = card.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    check(page, "public", "the published results page")


def test_ranking_panel_uses_plural_forms(browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:
    """On the board (Norwegian), the ranking panel says "7 prikker" and "0 prikker", and ranks as
    the results page does: the group counts its own dots and its note's, and says so."""
    room = workshop(server)
    page = open_page(browser, contexts, room["urls"]["participant"], phone=True)
    join(page, "Lise", "Helse")
    open_panel(page, "results")
    # One list of ideas with the results page's ranks: the group is 2., between the notes.
    expect(page.locator("#ranking-ideas-heading")).to_have_text("Ideer, flest prikker først")
    items = page.locator("#ranking-ideas-list > li")
    expect(items).to_have_count(4)  # n2 is listed under its group only
    expect(items.nth(0)).to_contain_text("Lapp")
    expect(items.nth(0)).to_contain_text("7 prikker")
    group = items.nth(1)
    expect(group).to_contain_text("Gruppe")
    expect(group).to_contain_text("5 prikker")
    expect(group).to_contain_text("(4 på gruppen, 1 på lappene i den)")
    expect(group.locator(".ranking-members li")).to_have_count(1)
    expect(items.nth(2)).to_contain_text("2 prikker")
    expect(items.nth(3)).to_contain_text("0 prikker")
    expect(items.nth(3).locator(".ranking-rank")).to_have_text("4.")
    shot(page, "panel-phone", "results")
    assert axe_violations(page) == []
    assert page.errors == []  # type: ignore[attr-defined]
