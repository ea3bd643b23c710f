"""Results published after round 1 while the workshop goes on, in a real Chromium against a real
server: a participant's phone opening the board link sees the board with one line saying the
results so far are published (and the link to them), not "The session is over"; only at the end
of the last round does the link open on the report back. Screenshots go to test-artifacts/."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from tests.support.browser import LAPTOP, PHONE, axe_violations, browser, contexts, join, open_page, seed, server, shot  # noqa: F401
from tests.support.servers import TavlaServer
from tests.test_browser_list import list_share

pytestmark = pytest.mark.browser


def test_results_published_mid_session_do_not_say_the_session_is_over(browser: Browser, contexts: list[BrowserContext],  # noqa: F811
                                                                      server: TavlaServer) -> None:  # noqa: F811
    room = server.create_room("Hjemmetjenesten", "nb", phase="results", template="need-solution-test")
    seed(server, room, ("results.publish", {"published": True}), ("round.go", {"round": "solution"}))
    phone = open_page(browser, contexts, room["urls"]["participant"], size="phone", view="default")
    expect(phone.locator("#report-screen")).to_be_hidden()
    expect(phone.get_by_text("Økten er over")).to_be_hidden()
    notice = phone.locator("#published-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Resultatene så langt er publisert.")
    link = notice.get_by_role("link", name="Se resultatene (åpnes i ny fane)")
    expect(link).to_have_attribute("href", f"/r/{room['code']}/results")
    join(phone, "Ola", "Skole")
    expect(phone.locator("#round-label .round-title")).to_have_text("Løsning")
    expect(notice).to_be_visible()
    shot(phone, "phone", "published-early")
    assert list_share(phone) >= 0.65, f"the list shows only {list_share(phone):.0%} of the phone"
    assert axe_violations(phone) == []
    phone.set_viewport_size(LAPTOP)
    expect(notice).to_be_visible()
    shot(phone, "laptop", "published-early")
    phone.set_viewport_size(PHONE)

    # Taken back: the line goes, on the open page too.
    seed(server, room, ("results.publish", {"published": False}))
    expect(notice).to_be_hidden()

    # The end of the last round, published: now the link opens on the report back.
    seed(server, room, ("round.go", {"round": "test"}), ("phase.set", {"phase": "results"}),
         ("results.publish", {"published": True}))
    later = open_page(browser, contexts, room["urls"]["participant"], size="phone", view="default")
    expect(later.locator("#report-screen")).to_be_visible()
    expect(later.locator(".report-screen-kicker")).to_have_text("Økten er over")
    expect(later.locator("#published-notice")).to_have_count(0)
    assert phone.errors == [] and later.errors == []  # type: ignore[attr-defined]
