"""Facilitation end to end: roles, phases, private writing, the timer, hints, templates —
enforced by the server, over real sockets, across two processes sharing one Redis."""

from __future__ import annotations

import pytest

from tests.support.client import Participant
from tests.support.servers import RedisServer, TavlaServer

FACILITATOR_OPS = [
    ("phase.set", {"phase": "vote"}),
    ("room.update", {"prompt": "Mitt spørsmål"}),
    ("room.update", {"locked": True}),
    ("room.update", {"settings": {"private_writing": True}}),
    ("notes.reveal", {}),
    ("timer.start", {"duration_ms": 60_000}),
    ("timer.add", {"ms": 60_000}),
    ("timer.reset", {}),
    ("role.grant", {"participant": "p_someone", "role": "facilitator"}),
    ("spotlight", {"target": None}),
]


async def test_participant_is_refused_every_facilitator_op(tavla: TavlaServer) -> None:
    """A participant who tries to run the session gets `forbidden` for each op, and nothing changes."""
    room = tavla.create_room(language="sv")
    ola = Participant(tavla.ws, room["code"], "Ola")
    await ola.connect()
    seq = ola.seq
    for op, args in FACILITATOR_OPS + [("coach.hint", {"text": "psst"})]:
        answer = await ola.op(op, **args)
        assert (answer["type"], answer["code"]) == ("error", "forbidden"), op
        assert answer["message"] == "Du har inte behörighet att göra det."
    assert ola.seq == seq


async def test_coach_is_refused_every_facilitator_op(tavla: TavlaServer) -> None:
    """A coach guides but does not run the session: each facilitator op with the coach key gets
    `forbidden`, and nothing changes for anyone."""
    room = tavla.create_room()
    coach = Participant(tavla.ws, room["code"], "Coach", key=room["coach_key"])
    kari = Participant(tavla.ws, room["code"], "Kari")
    await kari.connect()
    await coach.connect()
    assert coach.role == "coach"
    seq = coach.seq
    for op, args in FACILITATOR_OPS + [("role.grant", {"participant": kari.id, "role": "facilitator"}),
                                       ("votes.reveal", {}), ("votes.reset", {}),
                                       ("results.publish", {"published": True}), ("room.delete", {})]:
        answer = await coach.op(op, **args)
        assert (answer["type"], answer["code"]) == ("error", "forbidden"), op
    assert coach.seq == seq and kari.room["phase"] == "write" and kari.participants[kari.id]["role"] == "participant"
    assert (await coach.op("coach.hint", text="psst"))["type"] == "ack", "what a coach may do still works"


async def test_phases_and_lock_decide_who_may_write(tavla: TavlaServer) -> None:
    """In the lobby and when the board is locked participants cannot write; the facilitator can."""
    room = tavla.create_room(phase="lobby")
    fac = Participant(tavla.ws, room["code"], "Fasilitator", key=room["facilitator_key"])
    kari = Participant(tavla.ws, room["code"], "Kari")
    await fac.connect()
    await kari.connect()
    assert kari.room["phase"] == "lobby"
    assert (await kari.create_note("n1"))["code"] == "phase"
    assert (await fac.op("phase.set", phase="write"))["type"] == "ack"
    await kari.wait_for(lambda: kari.room["phase"] == "write")
    assert (await kari.create_note("n1"))["type"] == "ack"
    assert (await fac.op("room.update", locked=True))["type"] == "ack"
    await kari.wait_for(lambda: kari.room.get("locked"))
    locked = await kari.op("note.move", id="n1", x=5, y=5)
    assert locked["code"] == "locked" and locked["message"] == "The board is locked by the facilitator."
    assert (await fac.op("note.move", id="n1", x=5, y=5))["type"] == "ack"
    assert (await fac.op("phase.set", phase="vote"))["type"] == "ack"
    assert (await fac.op("room.update", locked=False))["type"] == "ack"
    assert (await kari.op("note.update", id="n1", text="later"))["code"] == "phase"


async def test_private_notes_never_leave_the_server_before_reveal(tavla_pair: tuple[TavlaServer, TavlaServer]) -> None:
    """Silent writing across two processes: nobody but the author receives a private note's text
    — not live, not in a welcome, not on resume — the facilitator and coach see only counts, and
    after reveal everyone sees every note."""
    a, b = tavla_pair
    room = a.create_room()
    fac = Participant(a.ws, room["code"], "Fasilitator", key=room["facilitator_key"])
    coach = Participant(b.ws, room["code"], "Coach", key=room["coach_key"])
    kari = Participant(b.ws, room["code"], "Kari")
    ola = Participant(a.ws, room["code"], "Ola")
    late = Participant(b.ws, room["code"], "Sen")
    for person in (fac, coach, kari, ola, late):
        await person.connect()
    await late.close()
    assert (await fac.op("room.update", settings={"private_writing": True}))["type"] == "ack"
    await kari.wait_for(lambda: kari.room["settings"]["private_writing"])

    secrets = ["HEMMELIG-EN", "HEMMELIG-TO", "HEMMELIG-TRE"]
    for i, text in enumerate(secrets[:2]):
        assert (await kari.create_note(f"k{i}", text))["type"] == "ack"
    assert (await kari.op("note.update", id="k1", text=secrets[2]))["type"] == "ack"
    assert (await kari.op("note.move", id="k0", x=900, y=900))["type"] == "ack"
    assert (await ola.create_note("o1", "Olas egen"))["type"] == "ack"
    for person in (fac, coach):
        await person.wait_for(lambda p=person: p.hidden_counts == {kari.id: 2, ola.id: 1}, what="counts")
    await ola.wait_for(lambda: ola.seq == kari.seq)
    assert set(kari.notes) == {"k0", "k1"} and kari.notes["k0"]["hidden"]
    await late.connect()  # resumes across the private events
    fresh = Participant(a.ws, room["code"], "Ny")
    await fresh.connect()  # a full welcome while notes are private
    for person in (fac, coach, ola, late, fresh):
        leaked = [raw for raw in person.raw if any(secret in raw for secret in secrets)]
        assert leaked == [], f"{person.name} received private text"
        assert not set(person.notes) & {"k0", "k1"}
    assert {f["op"] for f in ola.frames if f["type"] == "event" and f["seq"] > ola.event_seqs[0]} >= {"redacted"}

    assert (await fac.op("notes.reveal"))["type"] == "ack"
    for person in (fac, coach, ola, late, fresh, kari):
        await person.wait_for(lambda p=person: {"k0", "k1", "o1"} <= set(p.notes), what="revealed notes")
        # the latest text, and the place the reveal gave it (the same for everyone)
        assert person.notes["k1"]["text"] == secrets[2]
        assert (person.notes["k0"]["x"], person.notes["k0"]["y"]) == (fac.notes["k0"]["x"], fac.notes["k0"]["y"])
        assert person.notes["k0"]["mine"] is (person is kari)


async def test_coach_hints_reach_facilitators_and_coaches_only(tavla_pair: tuple[TavlaServer, TavlaServer]) -> None:
    """A coach's hint reaches the facilitator on the other process, never a participant — live,
    in a welcome, or on resume."""
    a, b = tavla_pair
    room = a.create_room()
    fac = Participant(a.ws, room["code"], "Fasilitator", key=room["facilitator_key"])
    coach = Participant(b.ws, room["code"], "Coach", key=room["coach_key"])
    ola = Participant(a.ws, room["code"], "Ola")
    away = Participant(b.ws, room["code"], "Borte")
    for person in (fac, coach, ola, away):
        await person.connect()
    await away.close()
    assert (await coach.op("coach.hint", text="TIPS: spør om behovet først"))["type"] == "ack"
    await fac.wait_for(lambda: [h["text"] for h in fac.hints] == ["TIPS: spør om behovet først"])
    assert (await fac.op("coach.hint", text="svar"))["code"] == "forbidden"
    await away.connect()
    newcomer = Participant(b.ws, room["code"], "Ny")
    await newcomer.connect()
    late_facilitator = Participant(b.ws, room["code"], "Fasilitator 2", key=room["facilitator_key"])
    await late_facilitator.connect()
    assert [h["text"] for h in late_facilitator.hints] == ["TIPS: spør om behovet først"]
    await ola.wait_for(lambda: ola.seq == fac.seq)
    for person in (ola, away, newcomer):
        assert not [raw for raw in person.raw if "TIPS" in raw], person.name
        assert person.hints == []


async def test_timer_is_the_same_for_a_reconnecting_client_and_one_that_stayed(tavla: TavlaServer) -> None:
    """Mid-countdown, a phone that reconnects gets the same end time as one that stayed, and
    paused, resumed and extended timers agree too."""
    room = tavla.create_room()
    fac = Participant(tavla.ws, room["code"], "Fasilitator", key=room["facilitator_key"])
    stayed = Participant(tavla.ws, room["code"], "Kari")
    phone = Participant(tavla.ws, room["code"], "Ola")
    for person in (fac, stayed, phone):
        await person.connect()
    assert (await fac.op("timer.start", duration_ms=300_000))["type"] == "ack"
    await stayed.wait_for(lambda: stayed.timer.get("status") == "running")
    await phone.wait_for(lambda: phone.timer.get("status") == "running")
    await phone.close()
    assert (await fac.op("timer.add", ms=60_000))["type"] == "ack"
    await phone.connect()
    await stayed.wait_for(lambda: stayed.seq == fac.seq)
    assert phone.timer["ends_at"] == stayed.timer["ends_at"] == fac.timer["ends_at"]
    assert phone.timer["duration_ms"] == 300_000

    await phone.close()
    assert (await fac.op("timer.pause"))["type"] == "ack"
    full = Participant(tavla.ws, room["code"], "Ny")
    await full.connect()
    await phone.connect()
    await stayed.wait_for(lambda: stayed.timer["status"] == "paused")
    assert phone.timer == stayed.timer == full.timer
    assert 0 < full.timer["remaining_ms"] <= 360_000 and full.timer["ends_at"] is None
    assert (await fac.op("timer.resume"))["type"] == "ack"
    await stayed.wait_for(lambda: stayed.timer["status"] == "running")
    assert (await fac.op("timer.add", ms=-10_000_000))["type"] == "ack"
    finished = Participant(tavla.ws, room["code"], "Sist")
    welcome = await finished.connect()
    assert welcome["state"]["timer"]["status"] == "finished" and welcome["state"]["timer"]["remaining_ms"] == 0
    assert welcome["state"]["room"]["phase"] == "write", "the timer never changes the phase"


async def test_timer_survives_a_server_restart(redis_server: RedisServer) -> None:
    """A running round keeps its end time when the server process is replaced."""
    first = TavlaServer(redis_server.url).start()
    room = first.create_room()
    fac = Participant(first.ws, room["code"], "Fasilitator", key=room["facilitator_key"])
    await fac.connect()
    await fac.op("timer.start", duration_ms=600_000)
    ends_at = fac.timer["ends_at"]
    await fac.close()
    first.kill()
    second = TavlaServer(redis_server.url).start()
    try:
        again = Participant(second.ws, room["code"], "Kari")
        welcome = await again.connect()
        assert welcome["state"]["timer"]["ends_at"] == ends_at
        assert welcome["state"]["timer"]["status"] == "running"
    finally:
        second.stop()


async def test_granting_facilitation_lets_a_second_facilitator_run_the_session(tavla_pair: tuple[TavlaServer, TavlaServer]) -> None:
    """The facilitator makes a participant on the other process a co-facilitator: they get a new
    welcome with the facilitator's view at once and can run phases; revoking takes it back."""
    a, b = tavla_pair
    room = a.create_room()
    fac = Participant(a.ws, room["code"], "Fasilitator", key=room["facilitator_key"])
    kari = Participant(b.ws, room["code"], "Kari")
    await fac.connect()
    await kari.connect()
    assert (await kari.op("phase.set", phase="cluster"))["code"] == "forbidden"
    assert (await fac.op("role.grant", participant=kari.id, role="facilitator"))["type"] == "ack"
    await kari.wait_for(lambda: kari.role == "facilitator", what="a new welcome")
    assert "hidden_counts" in kari.frames[-1]["state"]
    assert (await kari.op("phase.set", phase="cluster"))["type"] == "ack"
    await kari.close()
    await kari.connect()
    assert kari.role == "facilitator", "the granted role survives a reconnect without a key"
    assert (await fac.op("role.grant", participant=fac.id, role="participant"))["code"] == "forbidden"
    assert (await fac.op("role.grant", participant=kari.id, role="participant"))["type"] == "ack"
    await kari.wait_for(lambda: kari.role == "participant")
    assert (await kari.op("phase.set", phase="vote"))["code"] == "forbidden"


async def test_prompt_and_spotlight_reach_everyone(tavla: TavlaServer) -> None:
    """The facilitator's question and spotlight show up for every participant."""
    room = tavla.create_room()
    fac = Participant(tavla.ws, room["code"], "Fasilitator", key=room["facilitator_key"])
    ola = Participant(tavla.ws, room["code"], "Ola")
    await fac.connect()
    await ola.connect()
    await ola.create_note("n1", "Se på meg")
    assert (await fac.op("room.update", prompt="Hva hindrer deg i å søke?"))["type"] == "ack"
    assert (await fac.op("spotlight", target="n1"))["type"] == "ack"
    await ola.wait_for(lambda: ola.room.get("spotlight") == "n1" and ola.room["prompt"] == "Hva hindrer deg i å søke?")
    assert (await fac.op("spotlight", target="missing"))["code"] == "not_found"
    assert (await fac.op("spotlight", target=None))["type"] == "ack"
    await ola.wait_for(lambda: ola.room.get("spotlight") is None)


@pytest.mark.parametrize(("template", "language", "first_area", "areas"), [
    ("need-solution-test-board", "nb", "Brukerens behov", 3),
    ("need-solution-test", "nb", "Slik opplever brukeren det i dag", 2),  # the Behov round of three
    ("works-doesnt", "sv", "Det här fungerar", 3),
    ("user-journey", "en", "Finds out", 5),
    ("blank", "nb", None, 0),
])
async def test_templates_set_areas_and_a_first_prompt(tavla: TavlaServer, template: str, language: str,
                                                      first_area: str | None, areas: int) -> None:
    """A session made from a template starts with its labelled areas and question, in the room's language."""
    room = tavla.create_room(language=language, template=template)
    kari = Participant(tavla.ws, room["code"], "Kari")
    welcome = await kari.connect()
    state = welcome["state"]["room"]
    assert state["template"] == template and len(state["areas"]) == areas
    if first_area:
        assert state["areas"][0]["title"] == first_area and state["prompt"]
        for area in state["areas"]:
            assert 0 <= area["x"] and area["x"] + area["w"] <= 4000 and area["y"] + area["h"] <= 3000
