"""Rounds over real sockets, two Tavla processes on one Redis: a switch made on one process is
seen on the other with each person's whole new board in the frame; a client that was away
across a switch resumes with the right board (a snapshot, not stale events); carrying items
forward and going back work through either process, and both processes hold the same room."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.client import Participant
from tests.support.servers import TavlaServer

pytestmark = pytest.mark.redis


def ok(answer: dict[str, Any]) -> None:
    assert answer["type"] == "ack", answer


async def fresh_state(server: TavlaServer, code: str, key: str | None = None) -> dict[str, Any]:
    viewer = Participant(server.ws, code, "Ser på", key=key)
    welcome = await viewer.connect()
    await viewer.close()
    return welcome["state"]


async def test_a_switch_on_one_process_is_seen_on_the_other_and_a_resume_gets_the_new_board(
    tavla_pair: tuple[TavlaServer, TavlaServer],
) -> None:
    a, b = tavla_pair
    room = a.create_room("BLT", "nb", phase="write", template="need-solution-test")
    code, key = room["code"], room["facilitator_key"]
    fac_a = Participant(a.ws, code, "Frida", key=key)
    fac_b = Participant(b.ws, code, "Fredrik", key=key)
    kari = Participant(b.ws, code, "Kari")
    ola = Participant(a.ws, code, "Ola")
    for person in (fac_a, fac_b, kari, ola):
        await person.connect()
    assert [r["title"] for r in kari.room["rounds"]] == ["Behov", "Løsning", "Test"]
    assert kari.room["round"] == "need" and "summary" not in kari.room["rounds"][0]
    assert "summary" in fac_a.room["rounds"][0]

    ok(await kari.create_note("n1", "Kortere ventetid", x=300, y=400))
    ok(await ola.create_note("n2", "Én kontaktperson", x=300, y=900))
    ok(await fac_a.op("notes.reveal"))  # BLT's rounds start with private writing
    await fac_a.wait_for(lambda: len(fac_a.notes) == 2, what="both needs")
    # Ola goes away before the switch and comes back after it.
    await ola.close()

    ok(await fac_a.op("round.go", round="solution"))
    switched = await kari.wait_for(
        lambda: next((f for f in kari.frames if f.get("op") == "round.switched"), None), what="the switch on B")
    state = switched["data"]["state"]
    assert switched["data"]["round"] == "solution" and switched["data"]["from"] == "need"
    assert state["room"]["round"] == "solution" and state["notes"] == []
    assert state["room"]["prompt"].startswith("Hvilke løsninger")
    assert [a["title"] for a in state["room"]["areas"]] == ["Små forbedringer", "Nye måter å gjøre det på"]
    assert kari.notes == {} and kari.room["round"] == "solution"  # the test client replaced its state

    welcome = await ola.connect()  # resumes from the seq it had: across the switch
    assert "state" in welcome and "events" not in welcome
    assert welcome["state"]["room"]["round"] == "solution" and welcome["state"]["notes"] == []

    # Carry the two needs into the solution round as its starting notes, through process B.
    ok(await fac_b.op("round.carry", **{"from": "need", "to": "solution", "items": ["n1", "n2"], "as": "notes"}))
    await ola.wait_for(lambda: sorted(n["text"] for n in ola.notes.values()) == ["Kortere ventetid", "Én kontaktperson"],
                       what="the carried notes on A")
    assert all(not n["hidden"] for n in ola.notes.values())
    ok(await ola.create_note("s1", "SMS når saken flytter seg", x=300, y=1500))
    ok(await fac_a.op("notes.reveal"))

    # Back to the needs, through B: the board is as it was left, on both processes.
    ok(await fac_b.op("round.go", round="need"))
    await kari.wait_for(lambda: kari.room.get("round") == "need" and set(kari.notes) == {"n1", "n2"}, what="back on B")
    await ola.wait_for(lambda: ola.room.get("round") == "need" and set(ola.notes) == {"n1", "n2"}, what="back on A")
    on_a, on_b = await fresh_state(a, code, key), await fresh_state(b, code, key)
    for state in (on_a, on_b):
        assert state["room"]["round"] == "need"
        assert sorted(n["text"] for n in state["notes"]) == ["Kortere ventetid", "Én kontaktperson"]
        solution = next(r for r in state["room"]["rounds"] if r["id"] == "solution")
        assert solution["summary"]["notes"] == 3
    assert on_a["notes"] == on_b["notes"] and on_a["room"]["rounds"] == on_b["room"]["rounds"]

    # A refusal over the socket is clear and changes nothing.
    refused = await kari.op("round.go", round="test")
    assert refused["type"] == "error" and refused["code"] == "forbidden"
    refused = await fac_a.op("round.go", round="nowhere")
    assert refused["type"] == "error" and refused["code"] == "not_found"
    refused = await fac_a.op("rounds.plan", rounds=[{"id": "test", "title": "Bare test"}])
    assert refused["type"] == "error" and refused["code"] == "round_in_use"
    assert (await fresh_state(b, code, key))["room"]["rounds"] == on_b["room"]["rounds"]
    for person in (fac_a, fac_b, kari, ola):
        await person.close()
