"""The accessibility statement and the footer that links it (issue 11 item 7), and what a
returning browser loads (item 8): every page's footer links the privacy page and the statement
in the page's language; the statement names the contact the hosting organisation configured
and the enforcement body of its country; axe finds nothing at phone and laptop size; a second
visit to the board in Chromium asks the network for no unchanged script or style."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from server.config import parse_accessibility
from tests.support.browser import SIZES, axe_violations, browser, contexts, join, page_at, seed, server, shot  # noqa: F401
from tests.support.servers import TavlaServer

LINKS = {"nb": ("Personvern", "Tilgjengelighetserklæring"), "sv": ("Integritet", "Tillgänglighetsredogörelse"),
         "en": ("Privacy", "Accessibility statement")}
CONTACT = {"ACCESSIBILITY_ORGANISATION": "Bergen kommune", "ACCESSIBILITY_EMAIL": "uu@bergen.kommune.no",
           "ACCESSIBILITY_URL": "https://www.bergen.kommune.no/tilbakemelding", "ACCESSIBILITY_COUNTRY": "NO"}


@pytest.fixture(scope="module")
def configured() -> Iterator[TavlaServer]:
    """A Tavla whose host filled in the statement's contact (a Norwegian municipality)."""
    tavla = TavlaServer(**CONTACT).start()
    yield tavla
    tavla.stop()


def footer(html: str) -> str:
    (found,) = re.findall(r'<footer class="site-footer">(.*?)</footer>', html, re.DOTALL)
    return found


@pytest.mark.parametrize("lang", ["nb", "sv", "en"])
def test_every_page_links_privacy_and_the_statement_in_its_footer(server: TavlaServer, lang: str) -> None:  # noqa: F811
    """Landing, board, results (published and not yet), privacy, the statement itself and
    "no such session": each has the two links in its footer, in the page's language."""
    room = server.create_room("Bibliotek", language=lang, phase="results")
    published = server.create_room("Bibliotek", language=lang, phase="results")
    seed(server, published, ("results.publish", {"published": True}))
    pages = {
        "landing": f"/?lang={lang}",
        "board": f"/r/{room['code']}",
        "results": f"/r/{published['code']}/results",
        "results not published": f"/r/{room['code']}/results",
        "privacy": f"/privacy?lang={lang}",
        "statement": f"/accessibility?lang={lang}",
        "not found": f"/r/ZZZZZZ?lang={lang}",
    }
    privacy, statement = LINKS[lang]
    for name, path in pages.items():
        page = httpx.get(f"{server.http}{path}")
        assert page.status_code in (200, 403, 404), (name, page.status_code)
        assert f'<html lang="{lang}">' in page.text, name
        links = footer(page.text)
        assert f'<a href="/privacy?lang={lang}">{privacy}</a>' in links, name
        assert f'<a href="/accessibility?lang={lang}">{statement}</a>' in links, name


def test_the_statement_names_the_configured_contact_and_enforcement_body(configured: TavlaServer) -> None:
    nb = httpx.get(f"{configured.http}/accessibility?lang=nb").text
    assert "Bergen kommune driver Tavla" in nb
    assert '<a id="accessibility-email" href="mailto:uu@bergen.kommune.no">uu@bergen.kommune.no</a>' in nb
    assert 'id="accessibility-url" href="https://www.bergen.kommune.no/tilbakemelding"' in nb
    assert "Uutilsynet" in nb and "DIGG" not in nb  # hosted in Norway: the Norwegian body only
    assert "Erklæringen ble laget 29. november 2026." in nb
    assert "accessibility-no-contact" not in nb
    sv = httpx.get(f"{configured.http}/accessibility", headers={"Accept-Language": "sv-SE"}).text
    assert '<html lang="sv">' in sv and "Redogörelsen togs fram den 29 november 2026." in sv


def test_without_a_contact_the_statement_says_so_and_names_both_bodies(server: TavlaServer) -> None:  # noqa: F811
    page = httpx.get(f"{server.http}/accessibility?lang=en").text
    assert 'id="accessibility-no-contact"' in page and "ACCESSIBILITY_EMAIL" in page
    assert "mailto:" not in page
    assert "Uutilsynet" in page and "DIGG" in page
    assert "The organisation that runs this server is responsible for Tavla." in page


@pytest.mark.parametrize(("field", "value"), [("email", "not an address"), ("email", "mailto:a@b.no"),
                                             ("url", "javascript:alert(1)"), ("country", "DK")])
def test_a_wrong_contact_setting_stops_start_up_with_its_name(field: str, value: str) -> None:
    settings = {"organisation": "", "email": "", "url": "", "country": "", field: value}
    with pytest.raises(ValueError, match=f"ACCESSIBILITY_{field.upper()}"):
        parse_accessibility(**settings)


def test_the_statement_on_a_phone_and_a_laptop(browser: Browser, contexts: list[BrowserContext],  # noqa: F811
                                               configured: TavlaServer) -> None:
    """axe finds no WCAG 2.1 A/AA violation at either size; the long Norwegian heading stays
    on the screen; screenshots for a person to look at."""
    for name in ("phone", "laptop"):
        width = SIZES[name][0]
        page = page_at(browser, contexts, f"{configured.http}/accessibility?lang=nb", name, reduced_motion=False)
        heading = page.locator("h1")
        expect(heading).to_contain_text("for Tavla")
        box = heading.bounding_box()
        assert box is not None and box["x"] + box["width"] <= width
        assert page.evaluate("document.documentElement.scrollWidth") <= width, "nothing runs off the side"
        expect(page.locator("#accessibility-email")).to_be_visible()
        assert axe_violations(page) == [], name
        page.evaluate("document.fonts.ready")
        shot(page, name, "statement")
        shot(page, f"{name}-full", "statement", full_page=True)


def test_the_statement_without_a_contact_passes_axe_in_swedish(browser: Browser, contexts: list[BrowserContext],  # noqa: F811
                                                               server: TavlaServer) -> None:  # noqa: F811
    page = page_at(browser, contexts, f"{server.http}/accessibility?lang=sv", "phone", reduced_motion=False)
    expect(page.locator("#accessibility-no-contact")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(page) == []
    shot(page, "no-contact-sv-phone-full", "statement", full_page=True)


def test_the_board_footer_leads_to_the_statement(browser: Browser, contexts: list[BrowserContext],  # noqa: F811
                                                 server: TavlaServer) -> None:  # noqa: F811
    """On a phone in a workshop, the statement is one tap from the board (in the board's language)."""
    room = server.create_room("Helse", language="sv")
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    contexts.append(context)
    page = context.new_page()
    page.goto(f"{server.http}/r/{room['code']}")
    join(page, "Kari")
    link = page.locator("footer a", has_text="Tillgänglighetsredogörelse")
    expect(link).to_be_visible()
    link.click()
    expect(page.locator("h1")).to_contain_text("för Tavla")
    assert page.url.endswith("/accessibility?lang=sv")


class NetworkLog:
    """What Chromium fetched from the network (not from its cache), through the DevTools protocol."""

    def __init__(self, context: BrowserContext, page: Any) -> None:
        self.fetched: dict[str, dict[str, Any]] = {}
        self.cached: set[str] = set()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.requestServedFromCache", lambda e: self.cached.add(e["requestId"]))

    def _response(self, event: dict[str, Any]) -> None:
        response = event["response"]
        if not response.get("fromDiskCache") and event["requestId"] not in self.cached:
            self.fetched[response["url"]] = response


def test_a_second_visit_fetches_no_unchanged_script_style_or_catalog(browser: Browser, contexts: list[BrowserContext],  # noqa: F811
                                                             server: TavlaServer) -> None:  # noqa: F811
    """The first visit gets every script, style and the catalog compressed; the second (same
    browser, a new tab) gets the page and nothing else of ours from the network: no request, not
    even a 304."""
    room = server.create_room("Skole", language="nb")
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    contexts.append(context)
    first_tab = context.new_page()
    first = NetworkLog(context, first_tab)
    first_tab.goto(f"{server.http}/r/{room['code']}")
    join(first_tab, "Frida")
    statics = {url: r for url, r in first.fetched.items() if "/static/" in url or "/i18n/" in url}
    assert any("/i18n/nb.json?v=" in url for url in statics), "the board's catalog, versioned"
    assert len([u for u in statics if ".js?v=" in u]) >= 10 and any(".css?v=" in u for u in statics)
    for url, response in statics.items():
        headers = {k.lower(): v for k, v in response["headers"].items()}
        assert "?v=" in url, f"{url} was loaded without a version"
        assert headers.get("content-encoding") in ("br", "gzip"), url
        assert headers["cache-control"] == "public, max-age=31536000, immutable", url
    first_tab.close()

    second_tab = context.new_page()
    second = NetworkLog(context, second_tab)
    second_tab.goto(f"{server.http}/r/{room['code']}")
    expect(second_tab.locator("#connection-status")).to_have_attribute("data-status", "connected")
    again = [url for url in second.fetched if "/static/" in url or "/i18n/" in url]
    assert again == [], f"fetched again: {again}"
    assert any(url.endswith(f"/r/{room['code']}") for url in second.fetched), "the page itself is asked again"
