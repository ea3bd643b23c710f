"""HTTP routes over a real uvicorn process: pages, room creation, headers."""

from __future__ import annotations

import base64
import hashlib
import re
import select
import socket

import httpx
import pytest
import websockets

from tests.support.servers import RedisServer, TavlaServer


def test_landing_page_speaks_the_visitors_language(tavla: TavlaServer) -> None:
    """The front page follows ?lang= and Accept-Language, and sets <html lang>."""
    for lang in ("nb", "sv", "en"):
        page = httpx.get(f"{tavla.http}/?lang={lang}")
        assert page.status_code == 200
        assert f'<html lang="{lang}">' in page.text
    swedish = httpx.get(f"{tavla.http}/", headers={"Accept-Language": "sv-SE,sv;q=0.9"})
    assert '<html lang="sv">' in swedish.text
    assert httpx.get(f"{tavla.http}/?lang=nb").text != httpx.get(f"{tavla.http}/?lang=en").text


def test_pages_forbid_inline_script_and_third_parties(tavla: TavlaServer) -> None:
    """Every page carries a CSP that allows only this origin, and no page loads anything else.
    The one inline script is the import map (data, not code), allowed by its exact hash."""
    room = tavla.create_room()
    for path in ("/", f"/r/{room['code']}"):
        page = httpx.get(f"{tavla.http}{path}")
        csp = page.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "default-src 'self'" in csp and "unsafe-inline" not in csp
        assert page.headers["x-content-type-options"] == "nosniff"
        (import_map,) = re.findall(r'<script type="importmap">(.*?)</script>', page.text, re.S)
        digest = base64.b64encode(hashlib.sha256(import_map.encode()).digest()).decode()
        assert f"script-src 'self' 'sha256-{digest}';" in csp
        without_map = page.text.replace(f'<script type="importmap">{import_map}</script>', "")
        assert not re.search(r"<script(?![^>]*\bsrc=)", without_map), "no other inline script"
        # Links to other sites (the enforcement bodies) are fine; loading from them is not.
        assert not re.search(r"""(\bsrc=|<link[^>]*\bhref=)["']https?://""", page.text), "nothing from another origin"
        assert " style=" not in page.text


def test_create_room_returns_code_keys_and_links(tavla: TavlaServer) -> None:
    """A new session has a readable code, two different 128-bit keys, and links with the key in the fragment."""
    room = tavla.create_room("Bedre skolevei", "nb")
    assert re.fullmatch(r"[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{6}", room["code"])
    assert room["facilitator_key"] != room["coach_key"]
    assert all(len(room[k]) >= 22 for k in ("facilitator_key", "coach_key"))
    urls = room["urls"]
    assert urls["participant"] == f"{tavla.http}/r/{room['code']}"
    assert urls["facilitator"] == f"{urls['participant']}#key={room['facilitator_key']}"
    assert urls["coach"] == f"{urls['participant']}#key={room['coach_key']}"
    assert room["facilitator_key"] not in urls["participant"] + urls["results"]
    board = httpx.get(urls["participant"])
    assert board.status_code == 200 and "Bedre skolevei" in board.text and '<html lang="nb">' in board.text


def test_create_room_refuses_bad_input(tavla: TavlaServer) -> None:
    """Bad bodies get a clear 4xx with a code and a message, and create nothing."""
    cases = [
        (b"not json", 400),
        (b'{"title": ""}', 400),
        (b'{"title": "x", "language": "de"}', 400),
        (b'{"title": 5}', 400),
        (b'{"title": "' + b"x" * 9000 + b'"}', 413),  # over 8 KiB (t14g: room for the groups to hear from)
    ]
    for body, status in cases:
        response = httpx.post(f"{tavla.http}/api/rooms", content=body)
        assert response.status_code == status, body[:40]
        assert set(response.json()) == {"error", "message"}


def test_room_creation_is_rate_limited_per_address() -> None:
    """One address cannot create sessions without end."""
    server = TavlaServer(ROOMS_PER_HOUR="3").start()
    try:
        statuses = [httpx.post(f"{server.http}/api/rooms", json={"title": "t"}).status_code for _ in range(5)]
        assert statuses == [201, 201, 201, 429, 429]
    finally:
        server.stop()


def test_board_page_for_unknown_and_sloppy_codes(tavla: TavlaServer) -> None:
    """An unknown code gets a 404 page that says so; a code typed in lower case is corrected."""
    missing = httpx.get(f"{tavla.http}/r/ZZZZZZ")
    assert missing.status_code == 404
    room = tavla.create_room()
    sloppy = httpx.get(f"{tavla.http}/r/{room['code'].lower()}", follow_redirects=False)
    assert sloppy.status_code == 308 and sloppy.headers["location"] == f"/r/{room['code']}"


def test_translation_catalog_for_the_browser(tavla: TavlaServer) -> None:
    """The browser gets its strings from the same catalogs as the server."""
    nb = httpx.get(f"{tavla.http}/i18n/nb.json").json()
    assert nb["You are not allowed to do that."] == "Du har ikke lov til å gjøre det."
    assert httpx.get(f"{tavla.http}/i18n/xx.json").status_code == 404


def test_join_qr_code_is_the_participant_link(tavla: TavlaServer) -> None:
    """The QR code a facilitator projects encodes the participant link — never a key — and
    exists only for a session that exists."""
    from server.qr import join_qr_svg

    room = tavla.create_room(language="nb")
    response = httpx.get(f"{tavla.http}/r/{room['code']}/qr.svg")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert response.text == join_qr_svg(room["urls"]["participant"], "QR-kode for å bli med i økten")
    assert room["facilitator_key"] not in response.text and room["coach_key"] not in response.text
    assert httpx.get(f"{tavla.http}/r/ZZZZZZ/qr.svg").status_code == 404
    assert httpx.get(f"{tavla.http}/r/not-a-code/qr.svg").status_code == 404


SPOOFED = ["203.0.113.1", "203.0.113.2", "203.0.113.3", "198.51.100.7"]


@pytest.mark.parametrize("procfile", [False, True], ids=["python-m-server", "procfile"])
async def test_a_spoofed_forwarded_for_from_an_untrusted_peer_changes_nothing(procfile: bool) -> None:
    """Only the configured proxy may say who the client is. From any other peer, a made-up
    X-Forwarded-For is ignored: every request still counts against the peer's own address, for
    rooms per hour and sockets per address alike — whether started as `python -m server` or
    by the Procfile."""
    server = TavlaServer(procfile=procfile, FORWARDED_ALLOW_IPS="192.0.2.10",  # a proxy that is not us
                         ROOMS_PER_HOUR="2", CONNECTIONS_PER_ADDRESS="2").start()
    try:
        responses = [httpx.post(f"{server.http}/api/rooms", json={"title": "t"}, headers={"X-Forwarded-For": ip})
                     for ip in SPOOFED]
        assert [r.status_code for r in responses] == [201, 201, 429, 429]
        assert httpx.post(f"{server.http}/api/rooms", json={"title": "t"}).json()["error"] == "rate_limited"

        # Sockets that have not said hello yet hold their slot (up to HELLO_TIMEOUT_SECONDS).
        url = f"{server.ws}/r/{responses[0].json()['code']}/ws"
        held = []
        for ip in SPOOFED[:2]:
            held.append(await websockets.connect(url, additional_headers={"X-Forwarded-For": ip}))
        with pytest.raises(websockets.InvalidStatus) as refused:
            await websockets.connect(url, additional_headers={"X-Forwarded-For": SPOOFED[2]})
        assert refused.value.response.status_code == 403
        for ws in held:
            await ws.close()
    finally:
        server.stop()


def test_forwarded_for_from_the_trusted_proxy_is_the_client_address_or_its_ipv6_network() -> None:
    """Behind the configured proxy (default: loopback, a proxy on the same host), each client
    is counted by the address the proxy saw, so one busy client does not block the others."""
    server = TavlaServer(ROOMS_PER_HOUR="1").start()
    try:
        statuses = [httpx.post(f"{server.http}/api/rooms", json={"title": "t"},
                               headers={"X-Forwarded-For": ip}).status_code for ip in SPOOFED[:3] + SPOOFED[:1]]
        assert statuses == [201, 201, 201, 429]
        # An IPv6 client may use any address of its /64: the /64 is what is counted.
        same_network = ["2001:db8:5:6::1", "2001:db8:5:6:ffff::2", "2001:db8:5:7::1"]
        statuses = [httpx.post(f"{server.http}/api/rooms", json={"title": "t"},
                               headers={"X-Forwarded-For": ip}).status_code for ip in same_network]
        assert statuses == [201, 429, 201]
    finally:
        server.stop()


def _post_without_end(port: int, headers: str, chunk: bytes, most: int) -> tuple[bytes, int]:
    """POST /api/rooms over a raw socket, sending `chunk` after `chunk` (up to `most` bytes, never
    the end of the body) and reading between sends: the response, and how much was sent when
    it came. A server that buffers the body before answering sends nothing back."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"POST /api/rooms HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n{headers}\r\n".encode())
        sent = 0
        response = b""
        while sent < most:
            try:
                sock.sendall(chunk)
                sent += len(chunk)
            except OSError:
                break  # the server closed its end after answering
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                break
        sock.settimeout(10)
        try:
            while b"\r\n\r\n" not in response:
                data = sock.recv(65536)
                if not data:
                    break
                response += data
        except (TimeoutError, OSError):
            pass
        return response, sent


@pytest.mark.parametrize("framing", ["content-length", "chunked"])
def test_an_oversized_body_is_refused_while_it_is_still_arriving(tavla: TavlaServer, framing: str) -> None:
    """A 256 MiB post (of which the client sends up to 64 MiB) is answered 413 long before the client has sent it: from its declared
    length at once, or, sent chunked, as soon as it passes the limit; nothing is buffered first."""
    if framing == "content-length":
        headers, chunk = f"Content-Length: {256 * 1024 * 1024}\r\n", b"x" * 65536
    else:
        headers, chunk = "Transfer-Encoding: chunked\r\n", b"2000\r\n" + b"x" * 0x2000 + b"\r\n"
    response, sent = _post_without_end(tavla.port, headers, chunk, most=64 * 1024 * 1024)
    assert response.startswith(b"HTTP/1.1 413"), response[:200]
    assert sent < 8 * 1024 * 1024, f"the client had to send {sent} bytes before being refused"


async def test_unknown_codes_are_limited_per_address_over_http_and_the_socket_across_processes(redis_server: RedisServer) -> None:
    """Guessing room codes: each unknown code (a page, the QR code, a socket) counts against the
    address, on every process alike (the count is in Redis). Past the limit every code is
    refused from that address — a real one too, or the refusal would tell which codes exist —
    while a few typos stay harmless."""
    a = TavlaServer(redis_server.url, UNKNOWN_CODES_PER_MINUTE="5").start()
    b = TavlaServer(redis_server.url, UNKNOWN_CODES_PER_MINUTE="5").start()
    try:
        room = a.create_room()
        assert httpx.get(f"{b.http}/r/{room['code']}").status_code == 200  # known codes never count
        assert [httpx.get(f"{a.http}/r/ZZZZZ{d}").status_code for d in "234"] == [404, 404, 404]
        assert httpx.get(f"{b.http}/r/{room['code']}/qr.svg").status_code == 200
        for d in "56":
            async with websockets.connect(f"{b.ws}/r/ZZZZZ{d}/ws") as ws:
                with pytest.raises(websockets.ConnectionClosed) as closed:
                    await ws.recv()
                assert closed.value.rcvd is not None and closed.value.rcvd.code == 4404
        for server in (a, b):
            for path in ("ZZZZZ7", room["code"], f"{room['code']}/qr.svg"):
                refused = httpx.get(f"{server.http}/r/{path}", headers={"Accept-Language": "nb"})
                assert refused.status_code == 429 and "Vent et minutt" in refused.text and "<html lang=\"nb\">" in refused.text
                assert refused.headers["retry-after"] == "60"
            for code in ("ZZZZZ8", room["code"]):
                with pytest.raises(websockets.InvalidStatus) as handshake:
                    await websockets.connect(f"{server.ws}/r/{code}/ws")
                assert handshake.value.response.status_code == 403
        # Another address is not affected (the only other address here: the trusted proxy's client).
        other = httpx.get(f"{a.http}/r/{room['code']}", headers={"X-Forwarded-For": "198.51.100.20"})
        assert other.status_code == 200
    finally:
        a.stop()
        b.stop()
