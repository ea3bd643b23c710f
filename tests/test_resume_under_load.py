"""A reconnecting herd under live load, end to end: two server processes on one Redis, people
writing without pause while dozens of others drop off and come back at once with `since`.

Issue 15: a resume whose events were still in the log got a full `state` when events arrived
while the server was building the welcome. Every one of these resumes must be a replay."""

from __future__ import annotations

import asyncio
import random

import httpx

from tests.support.client import Participant
from tests.support.servers import RedisServer, TavlaServer

WRITERS = 4
RESUMERS = 40
ROUNDS = 3


async def test_a_herd_resuming_while_others_write_gets_replays_and_converges(redis_server: RedisServer) -> None:
    """40 people leave and come back at once, three times, half of them on the other process,
    while 4 others keep writing back to back: every welcome holds events (never a state), every
    client's seq stays gap-free, and all boards end the same."""
    # Writers send as fast as their acks come back, faster than the default per-connection rate.
    env = {"OPS_PER_SECOND": "1000", "OPS_BURST": "1000"}
    a = TavlaServer(redis_server.url, **env).start()
    b = TavlaServer(redis_server.url, **env).start()
    try:
        await _herd(a, b)
        for server in (a, b):
            metrics = httpx.get(f"{server.http}/metrics").text
            assert 'tavla_welcomes_total{kind="state",reason="other"} 0.0' in metrics
            assert 'tavla_welcomes_total{kind="state",reason="trimmed"} 0.0' in metrics
    finally:
        a.stop()
        b.stop()


async def _herd(a: TavlaServer, b: TavlaServer) -> None:
    room = a.create_room()
    code = room["code"]
    servers = (a, b)
    writers = [Participant(servers[i % 2].ws, code, f"W{i}") for i in range(WRITERS)]
    herd = [Participant(servers[i % 2].ws, code, f"R{i}", batch=i % 4 == 0) for i in range(RESUMERS)]
    for person in writers + herd:
        await person.connect()

    written = 0
    stop = asyncio.Event()

    async def write(person: Participant) -> None:
        nonlocal written
        rng = random.Random(person.name)
        j = 0
        while not stop.is_set():
            if j % 3 == 0:
                answer = await person.create_note(f"{person.name}-{j}", f"{person.name} {j}")
            else:  # mostly moves: the room stays well under its note limit however long this runs
                answer = await person.op("note.move", id=f"{person.name}-{j - j % 3}",
                                         x=rng.randint(0, 3000), y=rng.randint(0, 2000))
            assert answer["type"] == "ack", answer
            j += 1
            written += 1

    writing = [asyncio.create_task(write(w)) for w in writers]
    welcomes: list[tuple[str, dict]] = []
    try:
        for round_ in range(ROUNDS):
            await writers[0].wait_for(lambda: written >= 30 * (2 * round_ + 1), timeout=30, what="writing under way")
            await asyncio.gather(*(p.close() for p in herd))
            await writers[0].wait_for(lambda: written >= 30 * (2 * round_ + 2), timeout=30, what="events to miss")
            for i, person in enumerate(herd):  # half of them come back on the other process
                where = (i + round_ + 1) % 2 if i % 4 < 2 else i % 2
                person.url = f"{servers[where].ws}/r/{code}/ws"
            answers = await asyncio.gather(*(p.connect() for p in herd))
            welcomes.extend((p.name, w) for p, w in zip(herd, answers))
        await writers[0].wait_for(lambda: written >= 30 * (2 * ROUNDS + 1), timeout=30, what="writing after the herd")
    finally:
        stop.set()
        await asyncio.gather(*writing, return_exceptions=True)
    for task in writing:
        task.result()  # every op was acknowledged

    states = [name for name, welcome in welcomes if "state" in welcome]
    assert not states, f"{len(states)} of {len(welcomes)} resumes got a full state: {states}"
    assert all(welcome["events"] for _, welcome in welcomes), "every resume missed something"

    everyone = writers + herd
    head = max(p.seq for p in everyone)
    for person in everyone:
        await person.wait_for(lambda p=person: p.seq == head, timeout=30, what=f"{person.name} at seq {head}")
    board = {k: {**v, "mine": False} for k, v in writers[0].notes.items()}
    assert len(board) >= WRITERS
    for person in everyone:
        assert {k: {**v, "mine": False} for k, v in person.notes.items()} == board, person.name
        seqs = person.event_seqs
        assert seqs == list(range(seqs[0], seqs[-1] + 1)), f"{person.name}: a gap or a duplicate"
    for person in everyone:
        await person.close()
