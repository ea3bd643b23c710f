"""Coaching at a distance over real sockets, across two processes sharing one Redis: the
facilitator's shared view and the coach's debrief reach staff on the other process, live, in a
welcome and on resume; a participant gets only `redacted` placeholders, and the debrief is on the
facilitator's results page but never on the published one or in an export."""

from __future__ import annotations

import httpx

from tests.support.client import Participant
from tests.support.servers import TavlaServer

DEBRIEF = "DEBRIEF: godt tempo, men spør om behovet før løsningene."
FORMATS = ("json", "csv", "md", "xlsx")


def views(person: Participant) -> list[dict]:  # type: ignore[type-arg]
    return [f["data"] for f in person.frames if f.get("type") == "event" and f.get("op") == "view.share"]


def secret_frames(person: Participant) -> list[str]:
    """Frames that carry a debrief's text, a view's numbers or one of the two events at all
    (the op names alone are in everyone's `can`, as every op is)."""
    return [raw for raw in person.raw
            if "DEBRIEF" in raw or "1366" in raw or '"op":"view.share"' in raw or '"op":"coach.debrief"' in raw]


async def test_a_shared_view_and_a_debrief_reach_staff_on_the_other_process_only(
    tavla_pair: tuple[TavlaServer, TavlaServer],
) -> None:
    a, b = tavla_pair
    room = a.create_room(language="nb")
    code = room["code"]
    fac = Participant(a.ws, code, "Kari", key=room["facilitator_key"])
    coach = Participant(b.ws, code, "Conny", key=room["coach_key"])
    ola = Participant(a.ws, code, "Ola")
    liv = Participant(b.ws, code, "Liv")
    away = Participant(b.ws, code, "Borte")
    for person in (fac, coach, ola, liv, away):
        await person.connect()
    await away.close()

    # The facilitator on A shares a view; the coach on B gets it as it was sent.
    assert (await fac.op("view.share", x=400, y=300, w=1366, h=768))["type"] == "ack"
    await coach.wait_for(lambda: views(coach), what="the shared view")
    assert views(coach) == [{"by": fac.id, "x": 400, "y": 300, "w": 1366, "h": 768}]

    # Nobody else may share a view; a view off the board is refused; neither appends anything.
    head = fac.seq
    assert (await coach.op("view.share", x=0, y=0, w=800, h=600))["code"] == "forbidden"
    assert (await ola.op("view.share", x=0, y=0, w=800, h=600))["code"] == "forbidden"
    refused = await fac.op("view.share", x=3900, y=0, w=800, h=600)
    assert (refused["code"], refused["message"]) == ("invalid", "Endringen er ikke gyldig (view).")

    # The coach writes a debrief and edits it; the facilitator on A reads the latest.
    assert (await fac.op("coach.debrief", text="svar"))["code"] == "forbidden"
    assert (await coach.op("coach.debrief", text="utkast"))["type"] == "ack"
    assert (await coach.op("coach.debrief", text=DEBRIEF))["type"] == "ack"
    assert (await coach.op("coach.debrief", text="x" * 2001))["code"] == "too_long"
    await fac.wait_for(lambda: fac.seq == head + 2, what="both debriefs")
    debriefs = [f["data"]["text"] for f in fac.frames if f.get("op") == "coach.debrief"]
    assert debriefs == ["utkast", DEBRIEF]

    # Welcomes: a late coach and facilitator on B get both in their state; a participant neither.
    late_coach = Participant(b.ws, code, "Conny 2", key=room["coach_key"])
    welcome = await late_coach.connect()
    assert welcome["state"]["view"] == {"by": fac.id, "x": 400, "y": 300, "w": 1366, "h": 768}
    assert welcome["state"]["debrief"]["text"] == DEBRIEF
    newcomer = Participant(a.ws, code, "Ny")
    welcome = await newcomer.connect()
    assert "view" not in welcome["state"] and "debrief" not in welcome["state"]

    # A participant who was away resumes across all of it: placeholders, no gap, nothing else.
    welcome = await away.connect()
    assert "events" in welcome, "a resume, not a new state"
    for person in (ola, liv, away):
        await person.wait_for(lambda p=person: p.seq == fac.seq, what=f"{person.name} caught up")
        assert secret_frames(person) == [], person.name
        events = [e for f in person.frames for e in (f.get("events") or [f])]  # live, or in a resume
        redacted = [e for e in events if e.get("op") == "redacted"]
        assert len(redacted) >= 3  # one view, two debriefs
        assert all(f["by"] is None and f["data"] == {} for f in redacted)


async def test_the_debrief_is_on_the_facilitators_results_page_only(tavla_pair: tuple[TavlaServer, TavlaServer]) -> None:
    a, b = tavla_pair
    room = a.create_room(language="en")
    code = room["code"]
    fac = Participant(a.ws, code, "Kari", key=room["facilitator_key"])
    coach = Participant(b.ws, code, "Conny", key=room["coach_key"])
    for person in (fac, coach):
        await person.connect()
    assert (await coach.op("coach.debrief", text=DEBRIEF))["type"] == "ack"
    assert (await fac.op("results.publish", published=True))["type"] == "ack"

    with httpx.Client(base_url=b.http) as staff:
        assert staff.post(f"/r/{code}/results/access", json={"key": room["facilitator_key"]}).status_code == 204
        page = staff.get(f"/r/{code}/results").text
        assert "Debrief from the coach" in page and DEBRIEF in page
        for fmt in FORMATS:  # the downloads are the participants' too: never the debrief
            assert DEBRIEF.encode() not in staff.get(f"/r/{code}/export.{fmt}").content, fmt

    with httpx.Client(base_url=a.http) as anyone:  # published: anyone may read, nobody sees the debrief
        page = anyone.get(f"/r/{code}/results")
        assert page.status_code == 200
        assert DEBRIEF not in page.text and "Debrief from the coach" not in page.text
        # the coach key opens no results cookie
        assert anyone.post(f"/r/{code}/results/access", json={"key": room["coach_key"]}).status_code == 403
