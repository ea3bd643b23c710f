"""The closing evaluation over real sockets, two processes on one Redis: one person answering
from two devices (the same token) counts once; no frame to anyone — staff, the author's
co-participants, a resume, a welcome — carries who answered; the exports carry distributions
and sorted lines, never a person and never the order of answers."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import httpx

from tests.support.client import Participant
from tests.support.servers import TavlaServer


def _evaluation_frames(person: Participant) -> list[dict]:  # type: ignore[type-arg]
    return [f for f in person.frames if f.get("type") == "event" and f["op"].startswith("evaluation.")]


def _summary(person: Participant) -> dict | None:  # type: ignore[type-arg]
    """The newest summary this staff client was sent (a welcome's or an event's)."""
    for frame in reversed(person.frames):
        if frame.get("type") == "event" and frame["op"] == "evaluation.answer":
            return frame["data"]["summary"]
        if frame.get("type") == "welcome" and "state" in frame:
            return frame["state"]["evaluation"]["summary"]
    return None


async def test_one_person_on_two_devices_counts_once_and_no_frame_names_anyone(
        tavla_pair: tuple[TavlaServer, TavlaServer]) -> None:
    a, b = tavla_pair
    room = a.create_room(phase="results")
    code = room["code"]
    fac = Participant(a.ws, code, "Frida", key=room["facilitator_key"])
    coach = Participant(b.ws, code, "Conny", key=room["coach_key"])
    await fac.connect()
    await coach.connect()
    kari_phone = Participant(a.ws, code, "Kari", "Helse")
    ola = Participant(b.ws, code, "Ola", "Skole")
    liv = Participant(a.ws, code, "Liv", "Skole")
    for person in (kari_phone, ola, liv):
        await person.connect()
    kari_laptop = Participant(b.ws, code, "Kari", "Helse")
    kari_laptop.token = kari_phone.token
    await kari_laptop.connect()
    assert kari_laptop.id == kari_phone.id, "the same token is the same person"

    assert (await kari_phone.op("evaluation.answer", clear=4))["code"] == "evaluation_closed"
    assert (await fac.op("evaluation.answer", clear=4))["code"] == "forbidden"
    assert (await fac.op("evaluation.open"))["type"] == "ack"
    await coach.wait_for(lambda: coach.can.get("evaluation.open") == "forbidden" and _evaluation_frames(coach))
    await ola.wait_for(lambda: ola.can.get("evaluation.answer") is None, what="ola may answer")

    assert (await kari_phone.op("evaluation.answer", clear=1, heard=1, outcome=1, text="Fra telefonen"))["type"] == "ack"
    await kari_laptop.wait_for(lambda: any(f["op"] == "evaluation.answer" for f in _evaluation_frames(kari_laptop)),
                               what="Kari's laptop learns her answer")
    assert (await ola.op("evaluation.answer", clear=2, heard=3, text="Alfa fra Ola"))["type"] == "ack"
    assert (await liv.op("evaluation.answer", clear=5, heard=5, outcome=4, text="Zulu fra Liv"))["type"] == "ack"
    # The coach drops off; meanwhile Kari changes her mind on her laptop (the other process):
    # one answer, the new one. The coach's resume across it is a fresh state with the summary.
    await coach.wait_for(lambda: (_summary(coach) or {}).get("answers") == 3, what="three answers")
    await coach.close()
    assert (await kari_laptop.op("evaluation.answer", clear=4, heard=4, outcome=3, text="Fra laptopen"))["type"] == "ack"
    resumed = await coach.connect()
    assert "state" in resumed and resumed["state"]["evaluation"]["summary"]["texts"] == [
        "Alfa fra Ola", "Fra laptopen", "Zulu fra Liv"]
    assert (await fac.op("evaluation.close"))["type"] == "ack"

    for staff in (fac, coach):
        await staff.wait_for(lambda s=staff: _evaluation_frames(s)[-1]["op"] == "evaluation.close",
                             what=f"{staff.name} sees the close")
        summary = _summary(staff)
        assert summary is not None and summary["answers"] == 3, summary
        clear = summary["questions"][0]
        assert clear == {"id": "clear", "answered": 3, "counts": [0, 1, 0, 1, 1], "median": 4.0}
        assert summary["texts"] == ["Alfa fra Ola", "Fra laptopen", "Zulu fra Liv"]

    ids = {p.id for p in (kari_phone, ola, liv)}
    names = {"Kari", "Ola", "Liv"}
    everyone = (fac, coach, kari_phone, kari_laptop, ola, liv)
    for person in everyone:
        for frame in _evaluation_frames(person):
            assert frame["by"] is None or frame["op"] != "evaluation.answer", frame
            text = json.dumps(frame, ensure_ascii=False)
            assert not any(pid in text for pid in ids), (person.name, frame)
        # Co-participants learn nothing: an answer of someone else is a placeholder.
        if person in (ola, liv):
            mine = [f for f in _evaluation_frames(person) if f["op"] == "evaluation.answer"]
            assert len(mine) == 1 and set(mine[0]["data"]) == {"mine"}

    # A resume and a fresh welcome of each role: the answer never comes with a person.
    for person in (fac, ola, kari_laptop):
        await person.close()
        welcome = await person.connect()
        state = welcome.get("state")
        if state is not None:
            evaluation = json.dumps(state["evaluation"], ensure_ascii=False)
            assert not any(pid in evaluation for pid in ids)
            assert not any(f'"{name}"' in evaluation for name in names)
        for event in welcome.get("events") or []:
            assert event["by"] is None or event["op"] != "evaluation.answer"
    kari_state = (await _fresh(a, code, kari_phone.token, "Kari"))["state"]["evaluation"]
    assert kari_state == {"open": False, "mine": {"scores": {"clear": 4, "heard": 4, "outcome": 3}, "text": "Fra laptopen"}}

    # The exports: distributions and sorted lines, no person, no order.
    access = httpx.post(f"{a.http}/r/{code}/results/access", json={"key": room["facilitator_key"]})
    assert access.status_code == 204
    cookies = access.cookies
    exported = httpx.get(f"{b.http}/r/{code}/export.json", cookies=cookies).json()
    assert exported["evaluation"]["answers"] == 3
    assert exported["evaluation"]["texts"] == ["Alfa fra Ola", "Fra laptopen", "Zulu fra Liv"]
    body = json.dumps(exported["evaluation"], ensure_ascii=False)
    assert not any(pid in body for pid in ids) and not any(f'"{n}"' in body for n in names)
    rows = list(csv.reader(io.StringIO(httpx.get(f"{a.http}/r/{code}/export.csv", cookies=cookies).text.lstrip("\ufeff")),
                           delimiter=";"))
    flat = [cell for row in rows for cell in row]
    assert "Fra laptopen" in flat and "Fra telefonen" not in flat and not any(pid in flat for pid in ids)
    xlsx = httpx.get(f"{b.http}/r/{code}/export.xlsx", cookies=cookies).content
    with zipfile.ZipFile(io.BytesIO(xlsx)) as book:
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
        # ideas, who took part, what happens next, and the evaluation
        assert len(sheets) == 4, sheets
        strings = book.read("xl/sharedStrings.xml").decode()
    assert "Fra laptopen" in strings and not any(pid in strings for pid in ids)
    # Published results are for everyone; the evaluation stays with the facilitator.
    assert (await fac.op("results.publish", published=True))["type"] == "ack"
    public = httpx.get(f"{a.http}/r/{code}/export.json").json()
    assert "evaluation" not in public
    assert "Fra laptopen" not in httpx.get(f"{b.http}/r/{code}/results").text
    assert "Fra laptopen" in httpx.get(f"{b.http}/r/{code}/results", cookies=cookies).text

    for person in (fac, coach, kari_phone, kari_laptop, ola, liv):
        await person.close()


async def _fresh(server: TavlaServer, code: str, token: str | None, name: str) -> dict:  # type: ignore[type-arg]
    person = Participant(server.ws, code, name)
    person.token = token
    welcome = await person.connect(resume=False)
    await person.close()
    return welcome
