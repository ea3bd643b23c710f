"""Facilitator control over who is in the room, across two processes on one Redis: a removed
participant's sockets close wherever they are and their token is refused; with "ask to join"
on, a newcomer waits until a facilitator on another process lets them in; and one address
cannot mint identities without limit."""

from __future__ import annotations

import asyncio

from tests.support.client import Participant
from tests.support.servers import RedisServer, TavlaServer


async def test_removing_on_one_process_closes_the_socket_on_the_other_and_refuses_the_token(
        tavla_pair: tuple[TavlaServer, TavlaServer]) -> None:
    """Kari (on B) is removed by the facilitator (on A): both her sockets close with 4403 and a
    reason, her note stays, her token is refused on either process, and her place is free."""
    a, b = tavla_pair
    room = a.create_room()
    fac = Participant(a.ws, room["code"], "Fasilitator", key=room["facilitator_key"])
    await fac.connect()
    kari = Participant(b.ws, room["code"], "Kari")
    await kari.connect()
    kari_laptop = Participant(a.ws, room["code"], "Kari")
    await kari.create_note("n1", "Kortere kø")
    kari_laptop.token = kari.token
    await kari_laptop.connect()
    await fac.wait_for(lambda: kari.id in fac.participants and "n1" in fac.notes)

    assert (await kari.op("participant.remove", participant=fac.id))["code"] == "forbidden"
    assert (await fac.op("participant.remove", participant=kari.id))["type"] == "ack"
    assert await kari.wait_closed() == (4403, "removed by the facilitator")
    assert (await kari_laptop.wait_closed())[0] == 4403
    await fac.wait_for(lambda: kari.id not in fac.participants)
    assert fac.notes["n1"]["text"] == "Kortere kø", "her notes stay"

    for server in (a, b):
        again = Participant(server.ws, room["code"], "Kari")
        again.token = kari.token
        answer = await again.knock()
        assert answer["type"] == "error" and answer["code"] == "removed"
        assert (await again.wait_closed())[0] == 4403


async def test_lobby_admit_on_one_process_lets_the_waiting_client_in_on_the_other(
        tavla_pair: tuple[TavlaServer, TavlaServer]) -> None:
    """With "ask to join" on, Ola (on B) waits and sees nothing of the board; the facilitator (on
    A) sees him waiting and admits him: Ola's same socket gets its welcome and can write. Per is
    turned away: his socket closes and he cannot knock again with that token."""
    a, b = tavla_pair
    room = a.create_room()
    fac = Participant(a.ws, room["code"], "Fasilitator", key=room["facilitator_key"])
    await fac.connect()
    await fac.create_note("n1", "Synlig bare for de som er inne")
    assert (await fac.op("room.update", settings={"lobby": True}))["type"] == "ack"

    ola = Participant(b.ws, room["code"], "Ola", "Skole")
    lobby = await ola.knock()
    assert lobby["type"] == "lobby" and lobby["you"]["name"] == "Ola"
    assert all("Synlig" not in raw for raw in ola.raw), "nothing of the board before admission"
    await fac.wait_for(lambda: any(e.get("op") == "lobby.knock" for e in fac.frames if e["type"] == "event"))
    knock = next(e for e in fac.frames if e.get("op") == "lobby.knock")
    assert knock["data"] == {"id": ola.id, "name": "Ola", "department": "Skole"}
    assert (await ola.op("note.create", id="x", text="x", color="yellow", x=1, y=1))["code"] == "waiting"

    assert (await fac.op("lobby.admit", participant=ola.id))["type"] == "ack"
    welcome = await ola.wait_for_welcome()
    assert welcome["you"]["role"] == "participant" and "n1" in ola.notes
    assert (await ola.create_note("n2", "Inne nå"))["type"] == "ack"

    per = Participant(b.ws, room["code"], "Per")
    await per.knock()
    await fac.wait_for(lambda: any(e.get("op") == "lobby.knock" and e["data"]["id"] == per.id
                                   for e in fac.frames if e["type"] == "event"))
    assert (await fac.op("lobby.deny", participant=per.id))["type"] == "ack"
    assert await per.wait_closed() == (4403, "turned away")
    again = Participant(a.ws, room["code"], "Per")
    again.token = per.token
    assert (await again.knock())["code"] == "removed"


async def test_turning_the_lobby_off_lets_the_waiting_in(tavla_pair: tuple[TavlaServer, TavlaServer]) -> None:
    a, b = tavla_pair
    room = a.create_room()
    fac = Participant(a.ws, room["code"], "Fasilitator", key=room["facilitator_key"])
    await fac.connect()
    await fac.op("room.update", settings={"lobby": True})
    waiting = [Participant(b.ws, room["code"], f"P{i}") for i in range(3)]
    await asyncio.gather(*(p.knock() for p in waiting))
    assert (await fac.op("room.update", settings={"lobby": False}))["type"] == "ack"
    await asyncio.gather(*(p.wait_for_welcome() for p in waiting))


async def test_new_identities_per_address_are_limited(redis_server: RedisServer) -> None:
    """Hellos without a token from one address, across two processes: past the limit they are
    refused with a clear error, while someone who already joined comes back freely."""
    a = TavlaServer(redis_server.url, IDENTITIES_PER_MINUTE="5").start()
    b = TavlaServer(redis_server.url, IDENTITIES_PER_MINUTE="5").start()
    try:
        room = a.create_room()  # the setup facilitator is the first identity
        people = [Participant((a, b)[i % 2].ws, room["code"], f"P{i}") for i in range(4)]
        for person in people:
            await person.connect()
        squatter = Participant(b.ws, room["code"], "Squatter")
        answer = await squatter.knock()
        assert answer["type"] == "error" and answer["code"] == "join_limited"
        assert (await squatter.wait_closed())[0] == 1008
        await people[0].close()
        await people[0].connect()
    finally:
        a.stop()
        b.stop()
