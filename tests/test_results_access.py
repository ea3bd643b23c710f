"""Unpublished results open for the facilitator without the key in any URL: a key posted once
gives a short-lived HttpOnly cookie for that room only, a key in a query string opens nothing,
and nothing a key unlocks is kept by a cache."""

from __future__ import annotations

import httpx

from server.results_access import LIFETIME_S, grant, is_granted
from tests.support.servers import TavlaServer

FORMATS = ("md", "csv", "xlsx", "json")


def unlocked(server: TavlaServer, code: str, key: str) -> httpx.Client:
    """A browser-like client that posted the key once, the way the results page's script does."""
    client = httpx.Client(base_url=server.http)
    answer = client.post(f"/r/{code}/results/access", json={"key": key})
    assert answer.status_code == 204, answer.text
    return client


def test_a_key_in_the_query_string_opens_nothing(tavla: TavlaServer) -> None:
    """The old `?key=` links (in a history or a proxy log) show only "not published yet"."""
    room = tavla.create_room("Skolevei")
    base = f"{tavla.http}/r/{room['code']}"
    for path in ("/results", *(f"/export.{fmt}" for fmt in FORMATS)):
        answer = httpx.get(base + path, params={"key": room["facilitator_key"]})
        assert answer.status_code == 403, path
        assert answer.headers["cache-control"] == "no-store", path


def test_the_facilitator_key_posted_once_opens_results_and_exports_uncached(tavla_pair: tuple[TavlaServer, TavlaServer]) -> None:
    """Posting the facilitator key sets an HttpOnly, SameSite=Strict cookie for this room's
    path; with it the results page and every export open (also on the other process), each
    with `Cache-Control: no-store`."""
    a, b = tavla_pair
    room = a.create_room("Skolevei")
    code = room["code"]
    client = unlocked(a, code, room["facilitator_key"])
    cookie = client.cookies.jar
    set_cookie = httpx.post(f"{a.http}/r/{code}/results/access", json={"key": room["facilitator_key"]}).headers["set-cookie"]
    for attribute in ("HttpOnly", "SameSite=strict", f"Path=/r/{code}/", f"Max-Age={LIFETIME_S}"):
        assert attribute.lower() in set_cookie.lower(), (attribute, set_cookie)
    assert room["facilitator_key"] not in set_cookie
    for server in (a, b):
        other = httpx.Client(base_url=server.http, cookies=cookie)
        for path in ("/results", *(f"/export.{fmt}" for fmt in FORMATS)):
            answer = other.get(f"/r/{code}{path}")
            assert answer.status_code == 200, (server.http, path)
            assert answer.headers["cache-control"] == "no-store", path
    page = client.get(f"/r/{code}/results").text
    assert "Skolevei" in page
    # The facilitator is told that only they see it, so nobody projects it believing it shared.
    assert "Not published yet" in page or "Ikke publisert" in page or "Inte publicerat" in page


def test_only_the_facilitator_key_of_that_room_gets_a_cookie(tavla: TavlaServer) -> None:
    """The coach key, a wrong key, a form post and an oversized body get no cookie; a cookie of
    one room does not open another."""
    room, other_room = tavla.create_room(), tavla.create_room()
    access = f"{tavla.http}/r/{room['code']}/results/access"
    for body, status in (({"key": room["coach_key"]}, 403), ({"key": "nope"}, 403),
                         ({"key": other_room["facilitator_key"]}, 403)):
        answer = httpx.post(access, json=body)
        assert answer.status_code == status and "set-cookie" not in answer.headers
    assert httpx.post(access, data={"key": room["facilitator_key"]}).status_code == 415
    assert httpx.post(access, content=b"x" * 5000, headers={"content-type": "application/json"}).status_code == 413
    assert httpx.post(f"{tavla.http}/r/ZZZZZZ/results/access", json={"key": "x"}).status_code == 404

    client = unlocked(tavla, room["code"], room["facilitator_key"])
    token = next(c.value for c in client.cookies.jar)
    foreign = httpx.get(f"{tavla.http}/r/{other_room['code']}/results", cookies={"tavla_results": token})
    assert foreign.status_code == 403


def test_a_results_cookie_expires_and_cannot_be_forged() -> None:
    """A grant holds for its lifetime and for its room only; a changed expiry breaks the signature."""
    token = grant("ABCDEF", "hash", now=1000)
    assert is_granted(token, "ABCDEF", "hash", now=1000 + LIFETIME_S)
    assert not is_granted(token, "ABCDEF", "hash", now=1001 + LIFETIME_S)
    assert not is_granted(token, "ABCDEG", "hash", now=1000)
    assert not is_granted(token, "ABCDEF", "other hash", now=1000)
    expires, signature = token.split(".")
    assert not is_granted(f"{int(expires) + 3600}.{signature}", "ABCDEF", "hash", now=1000)
    assert not is_granted(None, "ABCDEF", "hash", now=1000) and not is_granted("garbage", "ABCDEF", "hash", now=1000)
