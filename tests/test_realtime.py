"""The real-time board end to end: real uvicorn processes, real Redis, real websocket clients."""

from __future__ import annotations

import asyncio
import random

import httpx
import pytest

from tests.support.client import Participant
from tests.support.servers import RedisServer, TavlaServer


async def test_two_participants_see_each_others_notes(tavla: TavlaServer) -> None:
    """A note written by one participant appears, moved and edited, on the other's board."""
    room = tavla.create_room()
    kari = Participant(tavla.ws, room["code"], "Kari", "Helse")
    ola = Participant(tavla.ws, room["code"], "Ola", "Skole")
    await kari.connect()
    await ola.connect()

    assert (await kari.create_note("n1", "Kortere ventetid"))["type"] == "ack"
    await ola.wait_for(lambda: ola.texts() == {"n1": "Kortere ventetid"}, what="Kari's note")
    assert (await ola.op("note.move", id="n1", x=300, y=200))["type"] == "ack"
    await kari.wait_for(lambda: kari.notes["n1"]["x"] == 300, what="Ola's move")
    assert (await kari.op("note.update", id="n1", text="Kortere ventetid på legevakt", color="pink"))["type"] == "ack"
    await ola.wait_for(lambda: ola.notes["n1"]["color"] == "pink", what="Kari's edit")

    assert kari.notes == {k: {**v, "mine": True} for k, v in ola.notes.items()}
    assert ola.notes["n1"]["author"] == kari.id and not ola.notes["n1"]["mine"]
    await kari.close()
    await ola.close()


async def test_ack_comes_after_the_event_with_its_seq(tavla: TavlaServer) -> None:
    """The author gets its own event and then an ack naming the same seq."""
    room = tavla.create_room()
    kari = Participant(tavla.ws, room["code"])
    await kari.connect()
    ack = await kari.create_note("n1")
    event = next(f for f in kari.frames if f["type"] == "event" and f["op"] == "note.create")
    assert ack == {"type": "ack", "id": ack["id"], "seq": event["seq"]}
    assert kari.frames.index(event) < kari.frames.index(ack)
    await kari.close()


async def test_reconnecting_participant_receives_exactly_what_it_missed(tavla: TavlaServer) -> None:
    """While one participant is away, others keep editing; it comes back with `since` and gets
    exactly the missed events, in order, and ends with the same board."""
    room = tavla.create_room()
    kari = Participant(tavla.ws, room["code"], "Kari")
    ola = Participant(tavla.ws, room["code"], "Ola")
    await kari.connect()
    await ola.connect()
    await kari.create_note("n1", "first")
    await ola.wait_for(lambda: "n1" in ola.notes)
    left_at = ola.seq
    await ola.close()

    await kari.create_note("n2", "while away")
    await kari.op("note.move", id="n1", x=500, y=500)
    await kari.op("note.delete", id="n2")
    await kari.create_note("n3", "still away")

    welcome = await ola.connect()
    assert "state" not in welcome
    assert [e["seq"] for e in welcome["events"]] == list(range(left_at + 1, kari.seq + 1))
    assert [e["op"] for e in welcome["events"]] == ["note.create", "note.move", "note.delete", "note.create"]
    assert ola.texts() == kari.texts() == {"n1": "first", "n3": "still away"}
    assert ola.notes["n1"]["x"] == 500
    assert welcome["you"]["id"] == ola.id, "the token keeps the same identity"
    await kari.close()
    await ola.close()


async def test_a_retried_op_is_applied_once(tavla: TavlaServer) -> None:
    """Sending the same op id again (a retry after a lost ack) gives the same ack, no second note."""
    room = tavla.create_room()
    kari = Participant(tavla.ws, room["code"])
    await kari.connect()
    first = await kari.create_note("n1", op_id="retry-me")
    seq_after_first = kari.seq
    await kari.close()

    await kari.connect()
    kari.frames.clear()
    second = await kari.create_note("n1", op_id="retry-me")
    assert second == first
    assert kari.seq == seq_after_first
    assert not [f for f in kari.frames if f["type"] == "event"]
    # A different op id with the same note id is a real conflict, and says so.
    refused = await kari.create_note("n1", op_id="other")
    assert refused["type"] == "error" and refused["code"] == "exists"
    await kari.close()


async def test_refused_op_changes_nothing_and_keeps_the_connection(tavla: TavlaServer) -> None:
    """A participant cannot delete someone else's note: a clear error, the board unchanged."""
    room = tavla.create_room(language="nb")
    kari = Participant(tavla.ws, room["code"], "Kari")
    ola = Participant(tavla.ws, room["code"], "Ola")
    await kari.connect()
    await ola.connect()
    await kari.create_note("n1", "mine")
    await ola.wait_for(lambda: "n1" in ola.notes)
    seq = ola.seq

    error = await ola.op("note.delete", id="n1")
    assert error["code"] == "forbidden"
    assert error["message"] == "Du har ikke lov til å gjøre det.", "the message is in the room's language"
    for bad in ({"id": "n2", "text": "", "color": "yellow", "x": 1, "y": 1},
                {"id": "n2", "text": "x" * 501, "color": "yellow", "x": 1, "y": 1},
                {"id": "n2", "text": "ok", "color": "chartreuse", "x": 1, "y": 1},
                {"id": "bad id!", "text": "ok", "color": "yellow", "x": 1, "y": 1},
                {"id": "n2", "text": "ok", "color": "yellow", "x": -5, "y": 1},
                {"id": "n2", "text": 42, "color": "yellow", "x": 1, "y": 1}):
        assert (await ola.op("note.create", **bad))["type"] == "error", bad
    assert (await ola.op("note.fly", id="n1"))["code"] == "unknown_op"
    assert (await ola.op("note.move", id="n1", x=10, y=10))["type"] == "ack", "the socket is still usable"
    assert ola.seq == seq + 1
    await kari.wait_for(lambda: kari.seq == ola.seq)
    await kari.close()
    await ola.close()


async def test_a_broken_client_is_closed_without_hurting_others(tavla: TavlaServer) -> None:
    """Non-JSON gets 1008 for the sender only; the other participant keeps working."""
    room = tavla.create_room()
    kari = Participant(tavla.ws, room["code"], "Kari")
    broken = Participant(tavla.ws, room["code"], "Broken")
    await kari.connect()
    await broken.connect()
    await broken.send("{not json")
    code, reason = await broken.wait_closed()
    assert code == 1008 and reason == "not JSON"
    assert (await kari.create_note("n1"))["type"] == "ack"


async def test_socket_needs_hello_first_and_a_real_room(tavla: TavlaServer) -> None:
    """An op before hello is a protocol violation; an unknown room closes with 4404."""
    room = tavla.create_room()
    early = Participant(tavla.ws, room["code"])
    import websockets

    async with websockets.connect(early.url) as ws:
        await ws.send('{"type": "op", "id": "x", "op": "note.delete", "args": {"id": "n"}}')
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 5)
        assert closed.value.rcvd.code == 1008

    async with websockets.connect(f"{tavla.ws}/r/ZZZZZZ/ws") as ws:
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 5)
        assert closed.value.rcvd.code == 4404


async def test_foreign_origin_is_refused_before_any_room_data(tavla: TavlaServer) -> None:
    """A page on another site cannot open a socket to a room."""
    import websockets

    room = tavla.create_room()
    with pytest.raises(websockets.InvalidStatus) as refused:
        await websockets.connect(f"{tavla.ws}/r/{room['code']}/ws", additional_headers={"Origin": "https://evil.example"})
    assert refused.value.response.status_code == 403
    same = Participant(tavla.ws, room["code"], origin=tavla.http)
    await same.connect()
    await same.close()


async def test_facilitator_key_gives_the_role_and_a_wrong_key_does_not(tavla: TavlaServer) -> None:
    """The facilitator link makes a facilitator, who may delete anyone's note; a guessed key
    makes a plain participant."""
    room = tavla.create_room()
    ola = Participant(tavla.ws, room["code"], "Ola")
    fac = Participant(tavla.ws, room["code"], "Fasilitator", key=room["facilitator_key"])
    guess = Participant(tavla.ws, room["code"], "Guess", key="A" * 22)
    coach = Participant(tavla.ws, room["code"], "Coach", key=room["coach_key"])
    await ola.connect()
    await fac.connect()
    await guess.connect()
    await coach.connect()
    assert (ola.role, fac.role, guess.role, coach.role) == ("participant", "facilitator", "participant", "coach")
    await ola.create_note("n1")
    assert (await fac.op("note.delete", id="n1"))["type"] == "ack"


async def test_state_survives_a_restart_with_redis(redis_server: RedisServer) -> None:
    """Stop the only server; a new one on the same Redis serves the same board."""
    first = TavlaServer(redis_server.url).start()
    room = first.create_room()
    kari = Participant(first.ws, room["code"])
    await kari.connect()
    for i in range(5):
        await kari.create_note(f"n{i}", f"idea {i}")
    await kari.close()
    first.stop()

    second = TavlaServer(redis_server.url).start()
    try:
        again = Participant(second.ws, room["code"])
        welcome = await again.connect()
        assert len(welcome["state"]["notes"]) == 5
    finally:
        second.stop()


async def test_two_processes_on_one_redis_converge_gap_free(tavla_pair: tuple[TavlaServer, TavlaServer]) -> None:
    """Participants split across two server processes edit concurrently; everyone receives
    every event once, in seq order, and all boards end the same (half of them take batches,
    as the browser does)."""
    a, b = tavla_pair
    room = a.create_room()
    people = [Participant((a if i % 2 else b).ws, room["code"], f"P{i}", "Dept", batch=i < 3) for i in range(6)]
    for person in people:
        await person.connect()

    async def write(person: Participant, n: int) -> None:
        for j in range(n):
            note_id = f"{person.name}-{j}"
            answer = await person.create_note(note_id, f"{person.name} {j}")
            assert answer["type"] == "ack", answer
            assert (await person.op("note.move", id=note_id, x=10 * j, y=5 * j))["type"] == "ack"

    await asyncio.gather(*(write(p, 10) for p in people))
    head = max(p.seq for p in people)
    for person in people:
        await person.wait_for(lambda person=person: person.seq == head, what=f"{person.name} reaching seq {head}")
    boards = [p.notes for p in people]
    assert all(len(board) == 60 for board in boards)
    assert all({k: {**v, "mine": False} for k, v in board.items()} ==
               {k: {**v, "mine": False} for k, v in boards[0].items()} for board in boards)
    for person in people:
        seqs = person.event_seqs
        assert seqs == list(range(seqs[0], seqs[-1] + 1)), "no gaps, no duplicates"


async def test_a_burst_reaches_batching_and_plain_clients_alike() -> None:
    """A facilitator pipelines 300 notes without waiting (a long offline outbox). A client that
    takes batches and one that does not see the same events, once each and in order; only
    the one that asked ever gets an array, and arrays hold whole frames."""
    tavla = TavlaServer(OPS_PER_SECOND="100000", OPS_BURST="100000").start()
    try:
        await _burst_to_batching_and_plain(tavla)
    finally:
        tavla.stop()


async def _burst_to_batching_and_plain(tavla: TavlaServer) -> None:
    room = tavla.create_room()
    writer = Participant(tavla.ws, room["code"], "Writer", key=room["facilitator_key"])
    batching = Participant(tavla.ws, room["code"], "Phone", batch=True)
    plain = Participant(tavla.ws, room["code"], "Laptop")
    for person in (writer, batching, plain):
        await person.connect()
    for i in range(300):
        await writer.send({"type": "op", "id": f"burst-{i}", "op": "note.create",
                           "args": {"id": f"n{i}", "text": f"idea {i}", "color": "yellow", "x": i, "y": i}})
    await writer.wait_for(lambda: all(writer.answer(f"burst-{i}") for i in range(300)), what="every ack")
    head = writer.seq
    for person in (batching, plain):
        await person.wait_for(lambda person=person: person.seq == head, what=f"{person.name} at seq {head}")
        assert person.event_seqs == list(range(person.event_seqs[0], head + 1))
        assert len(person.notes) == 300
    assert batching.notes == plain.notes
    assert plain.batches == 0 and all(raw.startswith("{") for raw in plain.raw)


async def test_resume_on_the_other_process(tavla_pair: tuple[TavlaServer, TavlaServer]) -> None:
    """A phone that drops off one process and comes back on the other gets exactly what it missed."""
    a, b = tavla_pair
    room = a.create_room()
    kari = Participant(a.ws, room["code"], "Kari")
    ola = Participant(a.ws, room["code"], "Ola")
    await kari.connect()
    await ola.connect()
    await kari.create_note("n1")
    await ola.wait_for(lambda: "n1" in ola.notes)
    await ola.close()
    await kari.create_note("n2")
    await kari.create_note("n3")

    ola.url = f"{b.ws}/r/{room['code']}/ws"
    welcome = await ola.connect()
    assert [e["data"]["id"] for e in welcome["events"]] == ["n2", "n3"]
    assert ola.texts() == kari.texts()


async def test_resume_from_before_the_log_gets_a_snapshot(redis_server: RedisServer) -> None:
    """When the log no longer reaches back to `since`, the client gets the whole state."""
    server = TavlaServer(redis_server.url, SNAPSHOT_EVERY="10", LOG_KEEP_EVENTS="5").start()
    try:
        room = server.create_room()
        kari = Participant(server.ws, room["code"], "Kari")
        ola = Participant(server.ws, room["code"], "Ola")
        await kari.connect()
        await ola.connect()
        await ola.close()
        for i in range(30):
            await kari.create_note(f"n{i}")
        welcome = await ola.connect()
        assert "state" in welcome and "events" not in welcome
        assert ola.texts() == kari.texts() and len(ola.notes) == 30
        # ...and a recent `since` still gets events.
        await ola.close()
        await kari.create_note("late")
        welcome = await ola.connect()
        assert [e["data"]["id"] for e in welcome["events"]] == ["late"]
    finally:
        server.stop()


async def test_presence_shows_who_is_online_across_processes(tavla_pair: tuple[TavlaServer, TavlaServer]) -> None:
    """Who is online is the same on both processes, and someone leaving shows as offline."""
    a, b = tavla_pair
    room = a.create_room()
    kari = Participant(a.ws, room["code"], "Kari", "Helse")
    ola = Participant(b.ws, room["code"], "Ola", "Skole")
    await kari.connect()
    await ola.connect()

    def online(p: Participant) -> set[str]:
        return {x["name"] for x in p.participants.values() if x.get("online")}

    await kari.wait_for(lambda: online(kari) == {"Kari", "Ola"}, what="Ola online")
    await ola.close()
    await kari.wait_for(lambda: online(kari) == {"Kari"}, what="Ola offline")


def test_health_and_readiness(tavla: TavlaServer) -> None:
    """/healthz answers; /readyz says the store is reachable."""
    assert httpx.get(f"{tavla.http}/healthz").json() == {"status": "ok"}
    assert httpx.get(f"{tavla.http}/readyz").status_code == 200


async def test_a_frame_over_64_kib_closes_with_1009(tavla: TavlaServer) -> None:
    """An oversized frame closes that socket with 1009; the room carries on."""
    room = tavla.create_room()
    big = Participant(tavla.ws, room["code"], "Big")
    kari = Participant(tavla.ws, room["code"], "Kari")
    await big.connect()
    await kari.connect()
    await big.send('{"type": "ping", "t": 1, "pad": "' + "x" * 70_000 + '"}')
    code, _ = await big.wait_closed()
    assert code == 1009
    assert (await kari.create_note("n1"))["type"] == "ack"


def malformed_frames(seed: int, count: int) -> list[dict[str, object]]:
    """Op frames broken in the ways clients break them: wrong types, missing or unknown fields,
    unknown ops, absurd values. Seeded, so every run sends the same frames."""
    rng = random.Random(seed)
    # Each of these is wrong for every field it can land in: a wrong type, too long, off the board.
    junk: list[object] = [None, True, [], {}, {"a": [1, {"b": None}]}, 1e308, "x" * 600]
    valid = {"note.create": {"id": "n9", "text": "ok", "color": "yellow", "x": 1, "y": 1},
             "note.move": {"id": "n1", "x": 1, "y": 1}, "note.update": {"id": "n1", "text": "ny"},
             "vote.cast": {"target": "n1"}, "cluster.create": {"id": "c9", "title": "t", "x": 1, "y": 1}}
    frames = []
    for i in range(count):
        op = rng.choice([*valid, "note.explode", "", "NOTE.CREATE"])
        args = dict(valid.get(op, {"id": "n1"}))
        broken = rng.choice(list(args))
        args[broken] = rng.choice(junk)
        for key in [k for k in args if k != broken]:
            if rng.random() < 0.3:
                del args[key]
        frames.append({"type": "op", "id": f"bad{i}", "op": op, "args": args})
    return frames


async def test_malformed_ops_get_errors_and_change_nothing() -> None:
    """Hundreds of broken op frames each get an `error`, the socket stays open, and the board
    does not change by a single event for anyone (rate limits raised to let them all in)."""
    tavla = TavlaServer(OPS_PER_SECOND="100000", OPS_BURST="100000").start()
    try:
        await _send_malformed(tavla)
    finally:
        tavla.stop()


async def _send_malformed(tavla: TavlaServer) -> None:
    room = tavla.create_room()
    fuzzer = Participant(tavla.ws, room["code"], "Fuzzer")
    watcher = Participant(tavla.ws, room["code"], "Watcher")
    await fuzzer.connect()
    await fuzzer.create_note("n1", "stays as it is")
    await watcher.connect()
    seq = watcher.seq
    frames = malformed_frames(seed=2026, count=300)
    for frame in frames:
        await fuzzer.send(frame)
    await fuzzer.wait_for(lambda: all(fuzzer.answer(str(f["id"])) for f in frames), what="every answer")
    assert {fuzzer.answer(str(f["id"]))["type"] for f in frames} == {"error"}
    await fuzzer.send({"type": "ping", "t": 1})
    await fuzzer.wait_for(lambda: fuzzer.frames[-1]["type"] == "pong", what="pong: still open")
    assert fuzzer.seq == watcher.seq == seq and fuzzer.notes["n1"]["text"] == "stays as it is"
