"""Who took part and report back over real sockets, two server processes sharing one Redis:
the groups given at creation reach joiners, a facilitator's edit reaches everyone live, the
report back reaches staff only (a participant gets a `redacted` placeholder, never its text),
a bad report is refused with a clear error and changes nothing, and once published the results
page and the exports say who was reached and what happens next."""

from __future__ import annotations

import httpx

from tests.support.client import Participant
from tests.support.servers import TavlaServer

SECRET_PLAN = "UTKAST-neste-steg"


def create(server: TavlaServer, hear_from: list[str]) -> dict:  # type: ignore[type-arg]
    response = httpx.post(f"{server.http}/api/rooms", json={"title": "Hjemmehjelp", "language": "nb",
                                                            "hear_from": hear_from})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_groups_and_report_back_across_two_processes(tavla_pair: tuple[TavlaServer, TavlaServer]) -> None:
    a, b = tavla_pair
    room = create(a, ["Beboere", " pårørende ", "BEBOERE", "Helse"])
    code = room["code"]
    fac = Participant(a.ws, code, "Frida", "Tjenestedesign", key=room["facilitator_key"])
    coach = Participant(b.ws, code, "Conny", "", key=room["coach_key"])
    kari = Participant(b.ws, code, "Kari", "beboere")
    ola = Participant(a.ws, code, "Ola", "Skole")
    for person in (fac, coach, kari, ola):
        await person.connect()
    assert kari.room["hear_from"] == ["Beboere", "pårørende", "Helse"]

    # The board page offers the groups to pick from, before anyone has a socket.
    page = httpx.get(f"{b.http}/r/{code}")
    assert page.status_code == 200 and 'value="pårørende"' in page.text

    # The facilitator edits the list: everyone sees the new one; a participant may not.
    assert (await fac.op("hear_from.set", groups=["Beboere", "Pårørende", "Ungdomsrådet"]))["type"] == "ack"
    await kari.wait_for(lambda: any(f.get("op") == "hear_from.set" for f in kari.frames), what="the new list")
    shown = next(f for f in kari.frames if f.get("op") == "hear_from.set")
    assert shown["data"] == {"groups": ["Beboere", "Pårørende", "Ungdomsrådet"]}
    refused = await kari.op("hear_from.set", groups=["Mine"])
    assert refused["code"] == "forbidden"
    too_long = await fac.op("hear_from.set", groups=["x" * 61])
    assert too_long["code"] == "too_long" and too_long["params"]["field"] == "hear_from"

    # Ideas to own.
    assert (await fac.op("phase.set", phase="write"))["type"] == "ack"
    assert (await kari.create_note("n1", "Kortere skjema"))["type"] == "ack"

    # The report back: staff see it, a participant only a placeholder.
    saved = await fac.op("report.update", next_steps=f"{SECRET_PLAN}\nVi tester i april", hear_back="I juni",
                         owners={"n1": "Skjemateamet"})
    assert saved["type"] == "ack"
    await coach.wait_for(lambda: any(f.get("op") == "report.update" for f in coach.frames), what="report to coach")
    await kari.wait_for(lambda: kari.seq >= saved["seq"], what="kari catches up")
    assert not [raw for raw in kari.raw + ola.raw if SECRET_PLAN in raw]
    assert [f["op"] for f in kari.frames if f.get("seq") == saved["seq"] and f["type"] == "event"] == ["redacted"]

    # A bad report is refused, clearly, and changes nothing (a fresh welcome shows the old one).
    bad = await fac.op("report.update", owners={"no-such-idea": "Noen"})
    assert bad["type"] == "error" and bad["code"] == "not_found" and bad["message"]
    too_much = await fac.op("report.update", hear_back="x" * 201)
    assert too_much["code"] == "too_long"
    late_coach = Participant(b.ws, code, "Conny 2", "", key=room["coach_key"])
    welcome = await late_coach.connect()
    assert welcome["state"]["report"] == {"next_steps": f"{SECRET_PLAN}\nVi tester i april", "hear_back": "I juni",
                                          "owners": {"n1": "Skjemateamet"}}
    fresh = Participant(a.ws, code, "Ny", "Pårørende")
    welcome = await fresh.connect()
    assert "report" not in welcome["state"]

    # Before publishing, the results page is closed to participants (and so is the report).
    assert httpx.get(f"{a.http}/r/{code}/results").status_code == 403
    assert (await fac.op("results.publish", published=True))["type"] == "ack"
    results = httpx.get(f"{b.http}/r/{code}/results")
    assert results.status_code == 200
    text = results.text
    assert "Vi tester i april" in text and "Skjemateamet" in text and "I juni" in text
    # Kari (beboere) and Ny (Pårørende) came, Ungdomsrådet did not; Ola's Skole is another group.
    assert "Nådde 2 av 3 grupper." in text and "Mangler: Ungdomsrådet" in text
    assert "Skole" in text
    # The participants' link now opens on the report.
    board = httpx.get(f"{a.http}/r/{code}").text
    assert 'id="report-screen"' in board and "Skjemateamet" in board
    exported = httpx.get(f"{a.http}/r/{code}/export.json").json()
    assert exported["reach"]["missing"] == ["Ungdomsrådet"] and exported["reach"]["reached"] == 2
    assert exported["report"]["owners"] == [{"idea": "Kortere skjema", "owner": "Skjemateamet"}]
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(httpx.get(f"{b.http}/r/{code}/export.xlsx").content))
    assert book.sheetnames[1:] == ["Hvem var med", "Hva skjer videre"]
    took_part = [[c.value for c in row] for row in book["Hvem var med"].iter_rows()]
    assert ["Ungdomsrådet", "Ja", 0, "Nei"] in took_part and ["Skole", "Nei", 1, "Ja"] in took_part
    next_rows = [[c.value for c in row] for row in book["Hva skjer videre"].iter_rows()]
    assert ["Hvem har ansvar for hva", "Kortere skjema", "Skjemateamet"] in next_rows
    markdown = httpx.get(f"{a.http}/r/{code}/export.md").text
    assert "## Hva skjer videre" in markdown and "Mangler: Ungdomsrådet" in markdown
    for person in (fac, coach, kari, ola, late_coach, fresh):
        await person.close()


async def test_groups_are_checked_when_the_room_is_created(tavla: TavlaServer) -> None:
    too_many = httpx.post(f"{tavla.http}/api/rooms", json={"title": "T", "hear_from": [f"G{i}" for i in range(21)]})
    assert too_many.status_code == 400 and too_many.json()["error"] == "limit"
    wrong_type = httpx.post(f"{tavla.http}/api/rooms", json={"title": "T", "hear_from": "Beboere"})
    assert wrong_type.status_code == 400
    none = httpx.post(f"{tavla.http}/api/rooms", json={"title": "T"})
    assert none.status_code == 201


def report_views(server: TavlaServer) -> dict[str, float]:
    """tavla_report_views_total by source, from the server's /metrics."""
    text = httpx.get(f"{server.http}/metrics").text
    return {source: float(next(line.split()[-1] for line in text.splitlines()
                               if line.startswith(f'tavla_report_views_total{{source="{source}"}}')))
            for source in ("computed", "cached")}


async def test_the_board_page_works_out_the_report_once_per_change(tavla: TavlaServer) -> None:
    """Once results are published, every load of the board page shows the report back; loads at
    the same point of the session reuse it, and the facilitator's next change shows at once."""
    room = create(tavla, ["Beboere"])
    code = room["code"]
    fac = Participant(tavla.ws, code, "Frida", "", key=room["facilitator_key"])
    await fac.connect()
    assert (await fac.op("phase.set", phase="write"))["type"] == "ack"
    assert (await fac.create_note("n1", "Kortere skjema"))["type"] == "ack"
    assert (await fac.op("report.update", hear_back="I juni", owners={"n1": "Skjemateamet"}))["type"] == "ack"
    assert (await fac.op("results.publish", published=True))["type"] == "ack"
    before = report_views(tavla)

    for _ in range(3):
        board = httpx.get(f"{tavla.http}/r/{code}").text
        assert 'id="report-screen"' in board and "Skjemateamet" in board and "I juni" in board
    after = report_views(tavla)
    assert after["computed"] - before["computed"] == 1 and after["cached"] - before["cached"] == 2

    assert (await fac.op("report.update", hear_back="I august", owners={"n1": "Skjemateamet"}))["type"] == "ack"
    board = httpx.get(f"{tavla.http}/r/{code}").text
    assert "I august" in board and "I juni" not in board
    assert report_views(tavla)["computed"] - before["computed"] == 2
    await fac.close()
