"""Coming back after being away must not tell anyone more than being there would have: private
notes, coach hints and undisclosed dots stay secret on resume, whether the missed events are
replayed (from the other process) or the log no longer reaches back and a snapshot is sent."""

from __future__ import annotations

import pytest

from tests.support.client import Participant
from tests.support.servers import RedisServer, TavlaServer

SECRET = "HEMMELIG-LAPP"
HINT = "TIPS-TIL-FASILITATOR"

PATHS = {
    "replayed": {},
    "snapshot": {"LOG_KEEP_EVENTS": "5", "SNAPSHOT_EVERY": "10"},
}


@pytest.mark.parametrize("path", sorted(PATHS))
async def test_resume_keeps_private_notes_hints_and_dots_secret(redis_server: RedisServer, path: str) -> None:
    """A participant and a second coach leave; while they are away a participant writes private
    notes, the coach sends a hint and a dot is cast. Back on the other process, the participant
    learns none of it and the coach learns the hint and a count, never the private text or the dot."""
    servers = [TavlaServer(redis_server.url, **PATHS[path]).start() for _ in range(2)]
    try:
        a, b = servers
        room = a.create_room()
        fac = Participant(a.ws, room["code"], "Fasilitator", key=room["facilitator_key"])
        coach = Participant(a.ws, room["code"], "Coach", key=room["coach_key"])
        kari = Participant(a.ws, room["code"], "Kari")
        ola = Participant(a.ws, room["code"], "Ola")
        coach2 = Participant(a.ws, room["code"], "Coach 2", key=room["coach_key"])
        for person in (fac, coach, kari, ola, coach2):
            await person.connect()
        await ola.close()
        await coach2.close()

        assert (await fac.op("room.update", settings={"private_writing": True}))["type"] == "ack"
        await kari.wait_for(lambda: kari.room["settings"]["private_writing"])
        for i in range(12 if path == "snapshot" else 2):  # enough to trim the log past `since`
            assert (await kari.create_note(f"k{i}", f"{SECRET}-{i}"))["type"] == "ack"
        assert (await coach.op("coach.hint", text=HINT))["type"] == "ack"
        assert (await fac.create_note("f1", "Eksempel"))["type"] == "ack"
        assert (await fac.op("phase.set", phase="vote"))["type"] == "ack"
        await kari.wait_for(lambda: kari.room["phase"] == "vote")
        assert (await kari.op("vote.cast", target="f1"))["type"] == "ack"
        await fac.wait_for(lambda: fac.seq == kari.seq)

        welcomes = {}
        for person in (ola, coach2):
            person.url = f"{b.ws}/r/{room['code']}/ws"
            welcome = welcomes[person.name] = await person.connect()
            assert ("state" in welcome) is (path == "snapshot"), "the path this case means to test"
            await person.wait_for(lambda p=person: p.seq == kari.seq, what="caught up")
            assert not [raw for raw in person.raw if SECRET in raw], f"{person.name} got a private note"
            assert not {n for n in person.notes if n.startswith("k")}
            assert person.my_votes == {} and person.notes["f1"].get("votes") is None
            resumed_votes = [e for e in welcome.get("events", []) if e["op"] == "vote.cast"]
            assert resumed_votes == [], f"{person.name} learned of Kari's dot"

        assert not [raw for raw in ola.raw if HINT in raw] and ola.hints == []
        assert "hidden_counts" not in welcomes["Ola"].get("state", {})
        assert [h["text"] for h in coach2.hints] == [HINT]
        assert coach2.hidden_counts == {kari.id: 12 if path == "snapshot" else 2}
    finally:
        for server in servers:
            server.stop()
