"""Clustering, dot voting, results and exports end to end, on real processes and real Redis."""

from __future__ import annotations

import asyncio
import csv
import html
import io
import json
import re
from datetime import datetime

import httpx
import openpyxl
import redis

from tests.support.client import Participant
from tests.support.servers import RedisServer, TavlaServer


async def board_with_people(server: TavlaServer, room: dict, *people: tuple[str, str]) -> list[Participant]:  # type: ignore[type-arg]
    joined = []
    for name, department in people:
        person = Participant(server.ws, room["code"], name, department)
        await person.connect()
        joined.append(person)
    return joined


async def test_clusters_group_move_merge_and_delete(tavla: TavlaServer) -> None:
    """Notes go into a named group and out again; moving the group moves its notes; merging and
    deleting groups keep every note."""
    room = tavla.create_room(phase="cluster")
    kari, ola = await board_with_people(tavla, room, ("Kari", "Helse"), ("Ola", "Skole"))
    for i in range(3):
        await kari.create_note(f"n{i}", f"idé {i}", x=100 + 10 * i, y=100)
    assert (await kari.op("cluster.create", id="c1", title="Ventetid", x=50, y=50))["type"] == "ack"
    assert (await ola.op("cluster.create", id="c2", title="Skjema", x=900, y=50))["type"] == "ack"
    for note_id, cluster in (("n0", "c1"), ("n1", "c1"), ("n2", "c2")):
        assert (await ola.op("note.group", id=note_id, cluster=cluster))["type"] == "ack"
    assert (await kari.op("note.group", id="n0", cluster="nope"))["code"] == "not_found"
    await ola.wait_for(lambda: ola.seq == kari.seq)
    before = {k: (n["x"], n["y"]) for k, n in ola.notes.items()}
    group = (ola.clusters["c1"]["x"], ola.clusters["c1"]["y"])
    assert (await kari.op("cluster.update", id="c1", x=150, y=2250, title="Lang ventetid"))["type"] == "ack"
    await ola.wait_for(lambda: ola.seq == kari.seq)
    dx, dy = 150 - group[0], 2250 - group[1]
    assert (ola.notes["n0"]["x"], ola.notes["n0"]["y"]) == (before["n0"][0] + dx, before["n0"][1] + dy), \
        "the group's notes moved with it"
    assert (ola.notes["n2"]["x"], ola.notes["n2"]["y"]) == before["n2"], "notes of other groups stay"
    assert (await kari.op("cluster.delete", id="c2"))["code"] == "forbidden", "only its creator or a facilitator"
    assert (await ola.op("cluster.merge", id="c2", into="c1"))["type"] == "ack"
    await kari.wait_for(lambda: kari.seq == ola.seq)
    assert {n["cluster"] for n in kari.notes.values()} == {"c1"}
    assert (await kari.op("cluster.delete", id="c1"))["type"] == "ack"
    await ola.wait_for(lambda: ola.seq == kari.seq)
    assert len(ola.notes) == 3 and {n["cluster"] for n in ola.notes.values()} == {None}


async def test_no_one_learns_others_dots_before_reveal(tavla: TavlaServer) -> None:
    """Before reveal a voter sees only their own dots and what is left; nobody (not even the
    facilitator) receives another's dots or any total; after reveal everyone gets totals, and
    never who gave them."""
    room = tavla.create_room(phase="write")
    fac = Participant(tavla.ws, room["code"], "Fasilitator", key=room["facilitator_key"])
    await fac.connect()
    kari, ola = await board_with_people(tavla, room, ("Kari", "Helse"), ("Ola", "Skole"))
    await kari.create_note("n1", "Kortere kø")
    await ola.create_note("n2", "Chat")
    assert (await kari.op("vote.cast", target="n1"))["code"] == "phase"
    assert (await fac.op("phase.set", phase="vote"))["type"] == "ack"
    for person in (kari, ola):  # everyone has the phase change before we start listening for dots
        await person.wait_for(lambda person=person: person.seq == fac.seq)
    start = {p.name: len(p.raw) for p in (fac, kari, ola)}
    for _ in range(3):
        assert (await kari.op("vote.cast", target="n2"))["type"] == "ack"
    assert (await kari.op("vote.cast", target="n2"))["code"] == "vote_limit"
    own = [f for f in kari.frames if f["type"] == "event" and f["op"] == "vote.cast"]
    assert [f["data"] for f in own][-1] == {"target": "n2", "mine": 3, "left": 2, "total": None}
    await ola.wait_for(lambda: ola.seq == kari.seq)
    for person in (fac, ola):
        seen = [json.loads(raw) for raw in person.raw[start[person.name]:]]
        assert {f["op"] for f in seen if f["type"] == "event"} == {"redacted"}
        assert all(f.get("by") is None for f in seen if f["type"] == "event")
    late = Participant(tavla.ws, room["code"], "Sen")
    welcome = await late.connect()
    assert all(n["votes"] is None for n in welcome["state"]["notes"]) and welcome["state"]["my_votes"] == {}

    assert (await fac.op("votes.reveal"))["type"] == "ack"
    await ola.wait_for(lambda: ola.seq == fac.seq)
    reveal = next(f for f in ola.frames if f["type"] == "event" and f["op"] == "votes.reveal")
    assert reveal["data"] == {"totals": {"n2": 3}}
    assert (await ola.op("vote.cast", target="n2"))["type"] == "ack"
    await kari.wait_for(lambda: kari.seq == ola.seq)
    live = [f for f in kari.frames if f["type"] == "event" and f["op"] == "vote.cast"][-1]
    assert live["data"] == {"target": "n2", "total": 4} and live["by"] is None


async def test_one_person_on_two_devices_cannot_exceed_the_budget(tavla_pair: tuple[TavlaServer, TavlaServer]) -> None:
    """A phone and a laptop of the same person, on different server processes, tapping at the
    same moment: never more dots than the budget."""
    a, b = tavla_pair
    room = a.create_room(phase="write")
    fac = Participant(a.ws, room["code"], "Fasilitator", key=room["facilitator_key"])
    await fac.connect()
    phone = Participant(a.ws, room["code"], "Kari", "Helse")
    await phone.connect()
    for i in range(6):
        await phone.create_note(f"n{i}", f"idé {i}")
    await fac.op("room.update", settings={"vote_budget": 5, "max_votes_per_target": 3})
    await fac.op("phase.set", phase="vote")
    laptop = Participant(b.ws, room["code"], "Kari", "Helse")
    laptop.token = phone.token  # the same person: the same token on a second device
    await laptop.connect()
    assert laptop.id == phone.id

    async def tap(device: Participant, target: str, n: int) -> list[str]:
        answers = await asyncio.gather(*(device.op("vote.cast", target=target) for _ in range(n)))
        return [x.get("code", "ack") for x in answers]

    outcomes = await asyncio.gather(tap(phone, "n0", 3), tap(phone, "n1", 3), tap(laptop, "n2", 3), tap(laptop, "n3", 3))
    flat = [x for answers in outcomes for x in answers]
    assert flat.count("ack") == 5 and set(flat) <= {"ack", "vote_budget"}
    fresh = Participant(b.ws, room["code"], "Kari", "Helse")
    fresh.token = phone.token
    welcome = await fresh.connect(resume=False)
    assert sum(welcome["state"]["my_votes"].values()) == 5


async def test_results_page_and_exports_match_the_board(tavla: TavlaServer) -> None:
    """After a round, the printable results and each export show the same ranking, ties as ties,
    and a department named on an idea only where three of its people gave it dots."""
    room = tavla.create_room("Bedre hjemmetjeneste", "nb", phase="write")
    fac = Participant(tavla.ws, room["code"], "Fasilitator", "Helse", key=room["facilitator_key"])
    await fac.connect()
    people = await board_with_people(tavla, room, ("A", "Helse"), ("B", "Helse"), ("C", "Skole"),
                                     ("D", "Skole"), ("E", "Kultur"))
    await fac.op("room.update", prompt="Hva savner du?")
    await people[0].create_note("n1", "=SUM(A1) kortere kø")
    await people[1].create_note("n2", "Chat på nett")
    await people[2].create_note("n3", "Én kontaktperson")
    await fac.op("cluster.create", id="c1", title="Tilgjengelighet", x=10, y=10)
    await fac.op("note.group", id="n2", cluster="c1")
    await fac.op("phase.set", phase="vote")
    votes = {"A": ["n1", "n1", "c1"], "B": ["n1", "c1"], "C": ["n2", "n2", "n1"], "D": ["n2", "n1"], "E": ["n3"],
             "Fasilitator": ["n1"]}
    for person in (*people, fac):
        for target in votes[person.name]:
            assert (await person.op("vote.cast", target=target))["type"] == "ack"

    base = f"{tavla.http}/r/{room['code']}"
    assert httpx.get(f"{base}/results").status_code == 403
    assert httpx.get(f"{base}/export.json").status_code == 403
    assert httpx.post(f"{base}/results/access", json={"key": room["coach_key"]}).status_code == 403
    facilitator = httpx.Client()
    assert facilitator.post(f"{base}/results/access", json={"key": room["facilitator_key"]}).status_code == 204
    before = facilitator.get(f"{base}/export.json").json()
    assert before["revealed"] is False and all(n["votes"] == 0 for n in before["notes"])

    await fac.op("votes.reveal")
    data = facilitator.get(f"{base}/export.json").json()
    ranks = {n["text"]: (n["rank"], n["votes"]) for n in data["notes"]}
    assert ranks == {"=SUM(A1) kortere kø": (1, 6), "Chat på nett": (2, 3), "Én kontaktperson": (3, 1)}
    # The group carries its notes' dots (2 on it, 3 on "Chat på nett"); the ranking of notes is
    # of those in no group, and "Chat på nett" is listed under its group only.
    assert [(c["title"], c["votes"], c["own_votes"], c["rank"]) for c in data["clusters"]] == [("Tilgjengelighet", 5, 2, 1)]
    assert [(n["text"], n["rank"]) for n in data["clusters"][0]["notes"]] == [("Chat på nett", 2)]
    assert [(n["text"], n["rank"], n["votes"]) for n in data["unclustered"]] == [
        ("=SUM(A1) kortere kø", 1, 6), ("Én kontaktperson", 2, 1)]
    assert [(i["kind"], i["id"], i["rank"], i["votes"]) for i in data["ideas"]] == [
        ("note", "n1", 1, 6), ("group", data["clusters"][0]["id"], 2, 5), ("note", "n3", 3, 1)]
    assert data["departments"] == ["Helse"], "three people of Helse chose n1; two of Skole are not enough"
    note1 = next(n for n in data["notes"] if n["id"] == "n1")
    assert note1["departments"] == ["Helse"]
    assert data["broadest"][0]["label"] == "=SUM(A1) kortere kø" and data["broadest"][0]["departments"] == 1
    assert (data["voters"], data["participants"]) == (5, 5), "the facilitator's dot counts in totals, not as a participant"
    held_on = data["held_on"]

    page = facilitator.get(f"{base}/results")
    assert page.status_code == 200
    assert not re.search(r'<script(?![^>]*type="importmap")', page.text), "no script runs: the import map is data"
    for text in ("Bedre hjemmetjeneste", "Hva savner du?", "Tilgjengelighet", "Støtte på tvers av deltakergrupper"):
        assert text in page.text, text
    spreadsheet = facilitator.get(f"{base}/export.csv")
    assert spreadsheet.content.startswith("\ufeff".encode()), "a BOM, so Excel reads UTF-8"
    rows = list(csv.reader(io.StringIO(spreadsheet.text.lstrip("\ufeff"), newline=""), delimiter=";"))
    assert ["Lapp", "1", "6", "'=SUM(A1) kortere kø", "", "", "1", "Helse", "0", held_on] in rows, "formulas are neutralised"
    workbook = facilitator.get(f"{base}/export.xlsx")
    assert workbook.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content)).active
    day = datetime.fromisoformat(held_on)
    assert ["Lapp", 1, 6, "=SUM(A1) kortere kø", "", "", 1, "Helse", 0, day] in [[c.value for c in r] for r in sheet.iter_rows()]
    markdown = facilitator.get(f"{base}/export.md").text
    assert markdown.startswith(f"# Bedre hjemmetjeneste\n\nDato: {held_on}\n\n> Hva savner du?\n\n5 av 5 deltakere stemte.")
    assert "1. Lapp: =SUM\\(A1\\) kortere kø — 6 prikker" in markdown, "user text is escaped, not markup"
    # One ranking of ideas (walkthrough 4): the group is 2., between the notes, not a "1." of its own.
    assert markdown.count("Chat på nett") == 1 and "2. Gruppe: **Tilgjengelighet** — 5 prikker (2 på gruppen, 3 på lappene i den)" in markdown
    assert "## Ideer, flest prikker først" in markdown and "3. Lapp: Én kontaktperson — 1 prikk" in markdown
    assert "## Lapper utenfor grupper" not in markdown
    assert ["Lapp", "", "3", "Chat på nett", "Tilgjengelighet"] == next(r[:5] for r in rows if r[3] == "Chat på nett")
    assert [(r[0], r[1]) for r in rows[1:4]] == [("Lapp", "1"), ("Gruppe", "2"), ("Lapp", "")], "one ranking, the group's note under it"
    assert sum(1 for r in rows if r[3] == "Chat på nett") == 1
    shown = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page.text)).split())
    assert shown.count("Chat på nett") == 1, "a grouped note is listed under its group only"

    await fac.op("results.publish", published=True)
    assert httpx.get(f"{base}/results").status_code == 200
    assert httpx.get(f"{base}/export.md").status_code == 200
    await fac.op("results.publish", published=False)
    assert httpx.get(f"{base}/results").status_code == 403


async def test_deleting_a_room_removes_every_key_and_closes_every_socket(redis_server: RedisServer) -> None:
    """The facilitator deletes the session: everyone on both processes is told it is gone, and
    Redis holds no key of it."""
    a = TavlaServer(redis_server.url).start()
    b = TavlaServer(redis_server.url).start()
    try:
        room = a.create_room()
        fac = Participant(a.ws, room["code"], "Fasilitator", key=room["facilitator_key"])
        kari = Participant(b.ws, room["code"], "Kari")
        await fac.connect()
        await kari.connect()
        await kari.create_note("n1")
        assert (await kari.op("room.delete"))["code"] == "forbidden"
        await fac.send({"type": "op", "id": "bye", "op": "room.delete", "args": {}})
        assert (await kari.wait_closed()) == (4404, "room deleted")
        assert (await fac.wait_closed())[0] == 4404
        client = redis.Redis.from_url(redis_server.url)
        assert client.keys(f"*{room['code']}*") == []
        assert httpx.get(f"{a.http}/r/{room['code']}").status_code == 404
    finally:
        a.stop()
        b.stop()
