"""A script flooding one socket, end to end at the default limits: it is slowed down, then
closed, and nobody else in the room notices."""

from __future__ import annotations

import json

import websockets

from server.config import Settings
from tests.support.client import Participant
from tests.support.servers import TavlaServer

BURST = Settings().ops_burst  # the default the server runs with


async def test_a_flooding_socket_gets_rate_limited_then_closed_with_1008(tavla: TavlaServer) -> None:
    """Ten bursts' worth of ops sent at once: the first burst is served (a participant pasting
    many notes is fine), then `rate_limited`, then the 1008 close; the others carry on. (Two
    bursts would do on an idle machine; the rest is room for a token refilled while the server
    waits for the CPU, which forgives the strikes so far.)"""
    room = tavla.create_room()
    ola = Participant(tavla.ws, room["code"], "Ola")
    flooder = Participant(tavla.ws, room["code"], "Skript")
    await ola.connect()
    await flooder.connect()
    assert (await ola.create_note("n1", "Olas lapp"))["type"] == "ack"

    frames = [json.dumps({"type": "op", "id": f"f{i}", "op": "note.move", "args": {"id": "n1", "x": i, "y": i}})
              for i in range(10 * BURST)]
    for frame in frames:
        try:
            await flooder.send(frame)
        except websockets.ConnectionClosed:
            break  # closed for flooding while still sending
    code, reason = await flooder.wait_closed()
    assert code == 1008, (code, reason)

    answers = [f for f in flooder.frames if f["type"] in ("ack", "error")]
    acks = [f for f in answers if f["type"] == "ack"]
    limited = [f for f in answers if f["type"] == "error" and f["code"] == "rate_limited"]
    assert len(acks) >= BURST, "the burst itself is served"
    assert limited and all(f["id"].startswith("f") for f in limited)
    assert {f["code"] for f in answers if f["type"] == "error"} == {"rate_limited"}

    assert (await ola.op("note.move", id="n1", x=7, y=7))["type"] == "ack", "the room carries on"
    await ola.wait_for(lambda: ola.notes["n1"]["x"] == 7)
    await ola.close()
