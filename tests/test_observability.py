"""What operators see: metrics, structured logs without personal data, request ids, limits."""

from __future__ import annotations

import json

import httpx
import pytest
import websockets

from tests.support.client import Participant
from tests.support.servers import TavlaServer


async def test_metrics_count_connections_ops_and_welcomes(tavla: TavlaServer) -> None:
    """/metrics shows open connections, ops by outcome, fan-out latency and resumes vs snapshots."""
    room = tavla.create_room()
    kari = Participant(tavla.ws, room["code"])
    await kari.connect()
    await kari.create_note("n1")
    await kari.op("note.delete", id="missing")
    await kari.close()
    await kari.connect()
    text = httpx.get(f"{tavla.http}/metrics").text
    assert "tavla_connections 1.0" in text
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
        for person in people:
            await person.connect()
        with pytest.raises(websockets.InvalidStatus):
            await websockets.connect(f"{server.ws}/r/{room['code']}/ws")
        await people[0].close()
        again = Participant(server.ws, room["code"], "Again")
        await again.connect()
    finally:
        server.stop()


def test_privacy_page_says_what_is_stored_and_for_how_long(tavla: TavlaServer) -> None:
    """The privacy page names what is kept about a person and the retention time."""
    page = httpx.get(f"{tavla.http}/privacy?lang=nb")
    assert page.status_code == 200 and "30 dager" in page.text and "Ingen konto" in page.text
