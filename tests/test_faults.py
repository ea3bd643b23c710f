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

from tests.support.client import Participant, connect_when_admitted
from tests.support.servers import RedisServer, TavlaServer, eventually, wait_until


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
    """While Redis is unreachable the server stays up, /readyz says not ready, a live room's
    board still opens, ops get a clear `unavailable` (never an ack), and the same op succeeds
    once Redis is back."""
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
        # The board of a room this process has live still opens (the per-address limits,
        # kept in Redis too, let requests through while they cannot count).
        assert httpx.get(f"{server.http}/r/{room['code']}").status_code == 200
        creating = httpx.post(f"{server.http}/api/rooms", json={"title": "t"})
        assert (creating.status_code, creating.json()["error"]) == (503, "unavailable")
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


async def _busy_socket_that_vanishes(server: TavlaServer, code: str, name: str, until: float) -> None:
    """A participant who sends edits just under the rate limit while not reading (so the
    server's queue for it is long and its writer is stuck in a send), then vanishes (TCP reset,
    as when a phone loses its network)."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.setblocking(False)
    await asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", server.port))
    ws = await websockets.connect(f"{server.ws}/r/{code}/ws", sock=sock, max_queue=1, max_size=2**24)
    await ws.send(json.dumps({"type": "hello", "protocol": 1, "name": name}))
    await ws.send(json.dumps({"type": "op", "id": "c", "op": "note.create",
                              "args": {"id": name, "text": "x", "color": "yellow", "x": 1, "y": 1}}))
    loop = asyncio.get_running_loop()
    i = 0
    try:
        while loop.time() < until:
            i += 1
            text = (f"{name} {i} " * 2000)[:15_000]  # a long note: every event fills buffers fast
            await ws.send(json.dumps({"type": "op", "id": f"u{i}", "op": "note.update", "args": {"id": name, "text": text}}))
            await asyncio.sleep(1 / 15)  # 15 ops/s, under the 20/s limit
    except websockets.ConnectionClosed:
        pass  # the server gave up on it first (too slow to read): as good a way to go
    ws.transport.abort()


async def test_sockets_that_vanish_while_their_queues_are_long_leave_nothing_behind(redis_server: RedisServer) -> None:
    """Many sockets on two processes send just under the rate while the server cannot write to
    them, then vanish. Every handler ends: the connections gauge is back to zero on both
    processes, no one is shown online who is not there, the address gets its socket slots back,
    and SIGTERM then stops each process within its grace period (no SIGKILL needed)."""
    env = {"MAX_NOTE_TEXT": "16000", "SEND_QUEUE_FRAMES": "200", "SEND_TIMEOUT_SECONDS": "120",
           "CONNECTIONS_PER_ADDRESS": "12"}
    servers = [TavlaServer(redis_server.url, **env).start(), TavlaServer(redis_server.url, **env).start()]
    try:
        room = servers[0].create_room()
        until = asyncio.get_running_loop().time() + 4.0
        await asyncio.gather(*(_busy_socket_that_vanishes(servers[i % 2], room["code"], f"p{i}", until)
                               for i in range(20)))

        async def gauge(server: TavlaServer) -> str:
            async with httpx.AsyncClient() as client:
                text = (await client.get(f"{server.http}/metrics")).text
            return next(line for line in text.splitlines() if line.startswith('tavla_connections{transport="websocket"}'))

        for server in servers:
            await eventually(lambda: gauge(server), lambda line: line.endswith(" 0.0"), timeout=30,
                             what="every handler to finish")

        # Every slot of the address is free again, and only the people really there are online.
        observers = [Participant(servers[i % 2].ws, room["code"], f"Observer{i}") for i in range(24)]
        for observer in observers:
            await connect_when_admitted(observer)
        for observer in observers[:2]:
            await observer.wait_for(
                lambda o=observer: {p["name"] for p in o.participants.values() if p.get("online")}
                == {f"Observer{i}" for i in range(24)}, timeout=20, what="presence without ghosts")
        for observer in observers:
            await observer.close()

        for server in servers:
            assert server.proc is not None
            server.proc.send_signal(signal.SIGTERM)
        for server in servers:
            server.proc.wait(timeout=15)  # would raise TimeoutExpired if a handler held it up
    finally:
        for server in servers:
            server.stop()


async def test_a_server_started_while_redis_is_away_serves_once_it_is_back() -> None:
    """A process may start before its Redis (a restart of both, a compose file): it comes up,
    is not ready, and serves rooms once Redis answers — its per-address limits included."""
    redis_server = RedisServer()  # not started yet
    server = TavlaServer(redis_server.url).start()
    try:
        assert httpx.get(f"{server.http}/readyz").status_code == 503
        redis_server.start()
        wait_until(lambda: httpx.get(f"{server.http}/readyz").status_code == 200, what="ready")
        room = server.create_room()
        kari = Participant(server.ws, room["code"])
        await kari.connect()
        assert (await kari.create_note("n1"))["type"] == "ack"
        await kari.close()
    finally:
        server.stop()
        redis_server.stop()
