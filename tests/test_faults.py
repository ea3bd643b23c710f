"""Faults with real processes: a server killed mid-burst, Redis killed or away, a client that
stops reading, a graceful restart. What a user would notice: nothing acknowledged is lost."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import signal
import socket

import httpx
import websockets

from tests.support.client import Participant
from tests.support.servers import RedisServer, TavlaServer, wait_until


async def test_sigterm_closes_sockets_with_service_restart(tavla: TavlaServer) -> None:
    """On SIGTERM every client is told 1012 (service restart), so it reconnects at once."""
    room = tavla.create_room()
    kari = Participant(tavla.ws, room["code"])
    await kari.connect()
    assert tavla.proc is not None
    tavla.proc.send_signal(signal.SIGTERM)
    code, _ = await kari.wait_closed()
    assert code == 1012


def sleeping_client(port: int, code: str) -> socket.socket:
    """A raw websocket client that says hello and then never reads again (a phone whose app was
    frozen in the background): a tiny receive buffer, no library reading on its behalf."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET /r/{code}/ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                  f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    response = b""
    while b"\r\n\r\n" not in response:
        response += sock.recv(1)
    assert response.startswith(b"HTTP/1.1 101"), response
    payload = json.dumps({"type": "hello", "protocol": 1, "name": "Sleeper"}).encode()
    mask = os.urandom(4)
    assert len(payload) < 126
    sock.sendall(bytes([0x81, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
    return sock


async def test_a_client_that_stops_reading_is_dropped_and_others_are_not_slowed() -> None:
    """A phone that stops reading (its TCP window full) is disconnected; the people still
    reading get every event and every ack."""
    server = TavlaServer(SEND_QUEUE_FRAMES="50", SEND_TIMEOUT_SECONDS="2", OPS_PER_SECOND="100000",
                         OPS_BURST="100000").start()
    try:
        room = server.create_room()
        writer = Participant(server.ws, room["code"], "Writer")
        watcher = Participant(server.ws, room["code"], "Watcher")
        await writer.connect()
        await watcher.connect()
        sleeper = sleeping_client(server.port, room["code"])
        await watcher.wait_for(lambda: any(p["name"] == "Sleeper" and p.get("online") for p in watcher.participants.values()))

        await writer.create_note("n1", "start")
        text = "x" * 480

        def sleeper_online() -> bool:
            return any(p["name"] == "Sleeper" and p.get("online") for p in watcher.participants.values())

        # Keep writing until the kernel buffers towards the sleeper are full and the server
        # gives up on it (a bounded number of ops: ~6 MB at most).
        sent = 0
        while sleeper_online() and sent < 10_000:
            for i in range(sent, sent + 500):
                await writer.send({"type": "op", "id": f"u{i}", "op": "note.update",
                                   "args": {"id": "n1", "text": f"{i}{text}"}})
            sent += 500
            await writer.wait_for(lambda: writer.answer(f"u{sent - 1}") is not None, timeout=60, what="acks")
            await watcher.wait_for(lambda: watcher.seq == writer.seq, timeout=30, what="watcher keeping up")
        await watcher.wait_for(lambda: not sleeper_online(), timeout=30, what="the sleeper dropped")
        assert all(writer.answer(f"u{i}")["type"] == "ack" for i in range(sent))
        assert watcher.notes["n1"]["text"].startswith(f"{sent - 1}x")
        sleeper.close()
    finally:
        server.stop()


async def test_killing_one_of_two_servers_mid_burst_loses_nothing_acknowledged(redis_server: RedisServer) -> None:
    """kill -9 of one process while people write: its clients move to the other process,
    resume and re-send; every acknowledged note is there exactly once and all boards agree."""
    a = TavlaServer(redis_server.url).start()
    b = TavlaServer(redis_server.url).start()
    try:
        room = a.create_room()
        on_a = [Participant(a.ws, room["code"], f"A{i}") for i in range(3)]
        on_b = [Participant(b.ws, room["code"], f"B{i}") for i in range(2)]
        for person in on_a + on_b:
            await person.connect()
        acked: dict[str, set[str]] = {p.name: set() for p in on_a + on_b}

        async def write(person: Participant, count: int) -> None:
            for j in range(count):
                note_id = f"{person.name}-{j}"
                op_id = f"op-{note_id}"
                while True:
                    try:
                        answer = await person.create_note(note_id, note_id, op_id=op_id)
                        break
                    except (AssertionError, websockets.ConnectionClosed):
                        # Our server died (noticed while waiting, or while sending): move to the
                        # survivor, resume, re-send the same op.
                        person.url = f"{b.ws}/r/{room['code']}/ws"
                        await person.connect()
                assert answer["type"] == "ack", answer
                acked[person.name].add(note_id)

        burst = asyncio.gather(*(write(p, 40) for p in on_a + on_b))
        await on_a[0].wait_for(lambda: len(acked["A0"]) >= 5, what="the burst under way")
        a.kill()
        await burst
        everyone = on_a + on_b
        head = max(p.seq for p in everyone)
        for person in everyone:
            await person.wait_for(lambda p=person: p.seq >= head, what="catching up")
        expected = set().union(*acked.values())
        for person in everyone:
            assert set(person.notes) == expected
        check = Participant(b.ws, room["code"], "Check")
        welcome = await check.connect()
        ids = [n["id"] for n in welcome["state"]["notes"]]
        assert sorted(ids) == sorted(expected) and len(ids) == len(set(ids)) == 200
    finally:
        a.stop()
        b.stop()


async def test_acknowledged_ops_survive_a_redis_crash_with_appendfsync_always() -> None:
    """kill -9 of Redis (append-only file, fsync always) and a restart: every acked op is there."""
    redis_server = RedisServer("--appendonly", "yes", "--appendfsync", "always").start()
    server = TavlaServer(redis_server.url).start()
    try:
        room = server.create_room()
        kari = Participant(server.ws, room["code"])
        await kari.connect()
        for i in range(30):
            assert (await kari.create_note(f"n{i}", f"idé {i}"))["type"] == "ack"
        redis_server.kill()
        redis_server.start()
        fresh = TavlaServer(redis_server.url).start()
        try:
            check = Participant(fresh.ws, room["code"], "Check")
            welcome = await check.connect()
            assert {n["id"] for n in welcome["state"]["notes"]} == {f"n{i}" for i in range(30)}
        finally:
            fresh.stop()
    finally:
        server.stop()
        redis_server.stop()


async def test_redis_away_means_not_ready_and_refused_ops_until_it_returns() -> None:
    """While Redis is unreachable the server stays up, /readyz says not ready, ops get a clear
    `unavailable` (never an ack), and the same op succeeds once Redis is back."""
    redis_server = RedisServer("--appendonly", "yes", "--appendfsync", "always").start()
    server = TavlaServer(redis_server.url).start()
    try:
        room = server.create_room()
        kari = Participant(server.ws, room["code"])
        await kari.connect()
        await kari.create_note("n1", "før")
        redis_server.kill()
        wait_until(lambda: httpx.get(f"{server.http}/readyz").status_code == 503, what="not ready")
        assert httpx.get(f"{server.http}/healthz").status_code == 200
        refused = await kari.create_note("n2", "under", op_id="keep-me")
        assert (refused["type"], refused["code"]) == ("error", "unavailable")
        redis_server.start()
        wait_until(lambda: httpx.get(f"{server.http}/readyz").status_code == 200, what="ready again")
        if kari.closed is not None:
            await kari.connect()
        kari.frames.clear()
        again = await kari.create_note("n2", "under", op_id="keep-me")
        assert again["type"] == "ack"
        await kari.wait_for(lambda: set(kari.notes) == {"n1", "n2"})
    finally:
        server.stop()
        redis_server.stop()
