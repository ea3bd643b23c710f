"""What operators see: metrics, structured logs without personal data, request ids, limits."""

from __future__ import annotations

import json
import re

import httpx
import pytest
import redis
import websockets

from tests.support.client import Participant, connect_when_admitted
from tests.support.servers import RedisServer, TavlaServer, eventually, wait_until


async def metrics_text(server: TavlaServer) -> str:
    async with httpx.AsyncClient() as client:
        return (await client.get(f"{server.http}/metrics")).text


async def test_metrics_count_connections_ops_and_welcomes(tavla: TavlaServer) -> None:
    """/metrics shows open connections, ops by outcome, fan-out latency and resumes vs snapshots."""
    room = tavla.create_room()
    kari = Participant(tavla.ws, room["code"])
    await kari.connect()
    await kari.create_note("n1")
    await kari.op("note.delete", id="missing")
    await kari.close()
    await kari.connect()
    # The first socket's handler ends a moment after the client saw the close: wait for it.
    text = await eventually(lambda: metrics_text(tavla), lambda t: 'tavla_connections{transport="websocket"} 1.0' in t,
                            what="the closed socket to leave the gauge")
    assert 'tavla_ops_total{op="note.create",outcome="ack"} 1.0' in text
    assert 'tavla_ops_total{op="note.delete",outcome="not_found"} 1.0' in text
    assert 'tavla_welcomes_total{kind="events",reason="replay"} 1.0' in text
    assert 'tavla_welcomes_total{kind="state",reason="no_since"} 2.0' in text  # Setup and Kari
    assert 'tavla_welcomes_total{kind="state",reason="trimmed"} 0.0' in text
    assert "tavla_fanout_seconds_count" in text and 'tavla_store_seconds_count{call="append"}' in text


async def test_logs_are_json_and_hold_no_names_or_note_text(tavla: TavlaServer) -> None:
    """Every log line is a JSON object; no name, department or note text ever reaches the log."""
    room = tavla.create_room()
    kari = Participant(tavla.ws, room["code"], "Kari Nordmann", "Barnevernet")
    await kari.connect()
    await kari.create_note("n1", "Veldig personlig innhold")
    await kari.send("{broken")
    await kari.wait_closed()
    response = httpx.get(f"{tavla.http}/healthz", headers={"X-Request-ID": "trace-12345678"})
    assert response.headers["x-request-id"] == "trace-12345678"
    assert len(httpx.get(f"{tavla.http}/healthz").headers["x-request-id"]) == 16
    # The handler logs the close as it finishes, a moment after the client saw the close.
    wait_until(lambda: '"msg": "socket closed"' in tavla.output(), what="the socket closed log line")
    lines = [line for line in tavla.output().splitlines() if line.startswith("{")]
    assert any(json.loads(line)["msg"] == "socket closed" for line in lines)
    for secret in ("Kari Nordmann", "Barnevernet", "Veldig personlig", room["facilitator_key"]):
        assert secret not in tavla.output()


async def test_connections_per_address_are_limited() -> None:
    """One address cannot hold more sockets than the limit; the others are refused at the handshake."""
    server = TavlaServer(CONNECTIONS_PER_ADDRESS="2").start()
    try:
        room = server.create_room()
        people = [Participant(server.ws, room["code"], f"P{i}") for i in range(2)]
        for person in people:  # the setup socket of create_room may still hold a slot
            await connect_when_admitted(person)
        with pytest.raises(websockets.InvalidStatus):
            await websockets.connect(f"{server.ws}/r/{room['code']}/ws")
        await people[0].close()
        # The server frees the slot when its handler has finished, a moment after the client
        # saw the close: wait for that (a refusal until then is the limit working), not a sleep.
        again = Participant(server.ws, room["code"], "Again")
        await connect_when_admitted(again)
    finally:
        server.stop()


def test_privacy_page_says_what_is_stored_and_for_how_long(tavla: TavlaServer) -> None:
    """The privacy page names what is kept about a person and the retention time."""
    page = httpx.get(f"{tavla.http}/privacy?lang=nb")
    assert page.status_code == 200 and "30 dager" in page.text and "Ingen konto" in page.text
    assert "aldri selve adressen" in page.text and "ingen nettverksadresser" in page.text


async def test_logs_hold_no_client_addresses(tavla: TavlaServer) -> None:
    """Neither Tavla's lines nor uvicorn's own carry a client's address (and with it the room
    code of the socket): not for a socket that joins, one refused at the handshake, or one for
    an unknown room."""
    room = tavla.create_room()
    kari = Participant(tavla.ws, room["code"], "Kari")
    await kari.connect()
    assert kari.ws is not None
    port = kari.ws.local_address[1]
    with pytest.raises(websockets.InvalidStatus):
        await websockets.connect(f"{tavla.ws}/r/{room['code']}/ws", origin="https://evil.example")  # type: ignore[arg-type]
    async with websockets.connect(f"{tavla.ws}/r/ZZZZZZ/ws") as unknown:
        with pytest.raises(websockets.ConnectionClosed):
            await unknown.recv()
    await kari.close()
    wait_until(lambda: tavla.output().count('"msg": "socket closed"') >= 2, what="the closes to be logged (setup and Kari)")
    output = tavla.output()
    clients = re.findall(r"127\.0\.0\.1:(\d+)", output)
    assert set(clients) <= {str(tavla.port)}, f"client addresses in the log: {set(clients)}"
    assert f":{port}" not in output
    uvicorn_lines = [json.loads(line) for line in output.splitlines()
                     if line.startswith("{") and json.loads(line)["logger"].startswith("uvicorn")]
    assert uvicorn_lines and not any(room["code"] in line["msg"] for line in uvicorn_lines)


def test_limit_keys_in_redis_hold_no_client_address(redis_server: RedisServer) -> None:
    """The per-address limits (sessions per hour, unknown codes) are kept in Redis for up to an
    hour under a keyed hash of the address: no key or value there holds the address itself."""
    server = TavlaServer(redis_server.url).start()
    try:
        server.create_room()
        assert httpx.get(f"{server.http}/r/ZZZZZZ").status_code == 404
        httpx.post(f"{server.http}/api/rooms", json={"title": "t"}, headers={"X-Forwarded-For": "198.51.100.77"})
        client = redis.Redis.from_url(redis_server.url)
        limit_keys = [k for k in client.keys("tavla-limits*") if b"secret" not in k]
        assert len(limit_keys) >= 2
        stored = b" ".join(limit_keys + [b" ".join(map(bytes, client.lrange(k, 0, -1))) for k in limit_keys
                                         if client.type(k) == b"list"])
        for address in (b"127.0.0.1", b"198.51.100.77"):
            assert address not in stored
    finally:
        server.stop()
