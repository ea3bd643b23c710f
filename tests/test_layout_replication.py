"""Two Tavla processes sharing one Redis agree on where everything is: people on both write notes
at the same spot at the same time, the reveal, groups, a merge, a tidy and its undo; a fresh
welcome from either process shows the same positions, and nothing overlaps."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from server.domain.layout import Rect, group_size, note_height, overlapping
from server.domain.model import NOTE_WIDTH
from tests.support.client import Participant
from tests.support.servers import TavlaServer

pytestmark = pytest.mark.redis


def board_of(welcome: dict[str, Any]) -> tuple[dict[str, tuple[float, float]], dict[str, tuple[float, float]]]:
    state = welcome["state"]
    return ({n["id"]: (n["x"], n["y"]) for n in state["notes"]}, {c["id"]: (c["x"], c["y"]) for c in state["clusters"]})


def assert_nothing_overlaps(welcome: dict[str, Any]) -> None:
    state = welcome["state"]
    loose = [Rect(n["x"], n["y"], NOTE_WIDTH, note_height(n["text"])) for n in state["notes"] if n["cluster"] is None]
    groups = []
    for c in state["clusters"]:
        members = [n for n in state["notes"] if n["cluster"] == c["id"]]
        groups.append(Rect(c["x"], c["y"], *group_size([note_height(n["text"]) for n in members])))
    assert overlapping(loose) == [] and overlapping(groups) == []
    assert not any(n.overlaps(g) for n in loose for g in groups)


async def fresh_welcome(server: TavlaServer, code: str, key: str) -> dict[str, Any]:
    viewer = Participant(server.ws, code, "Ser på", key=key)
    welcome = await viewer.connect()
    await viewer.close()
    return welcome


async def test_two_processes_agree_on_every_position(tavla_pair: tuple[TavlaServer, TavlaServer]) -> None:
    a, b = tavla_pair
    room = a.create_room("Plassering", "nb", phase="write", template="need-solution-test")
    code, key = room["code"], room["facilitator_key"]
    fac_a = Participant(a.ws, code, "Frida", key=key)
    fac_b = Participant(b.ws, code, "Fredrik", key=key)
    people = [Participant(server.ws, code, f"P{i}") for i, server in enumerate([a, b] * 3)]
    for person in (fac_a, fac_b, *people):
        await person.connect()
    assert (await fac_a.op("room.update", settings={"private_writing": True}))["type"] == "ack"

    async def write(i: int, person: Participant) -> None:
        for j in range(3):
            answer = await person.create_note(f"n{i}_{j}", f"Idé {j} fra {person.name}", x=300, y=400)
            assert answer["type"] == "ack", answer

    # Everyone at once, on both processes: appends conflict and are decided again.
    await asyncio.gather(*(write(i, p) for i, p in enumerate(people)))
    assert (await fac_b.op("notes.reveal"))["type"] == "ack"
    assert (await fac_a.op("phase.set", phase="cluster"))["type"] == "ack"
    await asyncio.gather(*(p.op("cluster.create", id=f"g{i}", title=f"G{i}", x=300, y=900)
                           for i, p in enumerate(people[:3])))
    for i in range(6):
        assert (await people[i].op("note.group", id=f"n{i}_0", cluster=f"g{i % 3}"))["type"] == "ack"
    assert (await fac_b.op("cluster.merge", id="g1", into="g0"))["type"] == "ack"
    before_tidy = await fresh_welcome(a, code, key)
    assert (await fac_a.op("board.tidy"))["type"] == "ack"

    tidied = [await fresh_welcome(s, code, key) for s in (a, b)]
    assert board_of(tidied[0]) == board_of(tidied[1]), "both processes hold the same board"
    for welcome in tidied:
        assert_nothing_overlaps(welcome)
    assert board_of(tidied[0]) != board_of(before_tidy)

    assert (await fac_b.op("board.undo"))["type"] == "ack"  # undone through the other process
    undone = [await fresh_welcome(s, code, key) for s in (a, b)]
    assert board_of(undone[0]) == board_of(undone[1]) == board_of(before_tidy)
    for person in (fac_a, fac_b, *people):
        await person.close()
