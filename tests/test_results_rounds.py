"""Results per round and for the whole session: the domain computes each round from its own
board (shelved or active); the results page shows every round under its title; every export
defaults to the whole session with a round column and takes `?round=<id>` for one round."""

from __future__ import annotations

import csv
import html
import io
import re

import httpx
import openpyxl
import pytest

from server.domain.commands import NoteCreate, NotesReveal, PhaseSet, RoundGo, VoteCast, VotesReveal
from server.domain.results import compute, compute_session
from tests.support.client import Participant
from tests.support.domain import commit
from tests.support.servers import TavlaServer
from tests.test_domain_rounds import FACI, KARI, OLA, blt


def test_each_round_is_computed_from_its_own_board() -> None:
    state = blt()
    commit(state, KARI, NoteCreate("n1", "Kortere ventetid", "yellow", 100, 300))
    commit(state, FACI, NotesReveal())  # BLT's rounds start with private writing
    commit(state, FACI, PhaseSet("vote"))
    commit(state, KARI, VoteCast("n1"))
    commit(state, FACI, VotesReveal())
    commit(state, FACI, RoundGo("solution"))
    commit(state, OLA, NoteCreate("s1", "SMS når saken flytter seg", "green", 100, 300))
    commit(state, FACI, NotesReveal())

    need = compute(state, round_id="need")
    assert (need.round, need.round_title, need.revealed) == ("need", "Behov", True)
    assert [(n.text, n.votes) for n in need.notes] == [("Kortere ventetid", 1)]
    assert need.prompt.startswith("Hva trenger brukeren") and need.areas[0] == "Slik opplever brukeren det i dag"
    assert (need.voters, need.participants) == (1, 2)
    active = compute(state)
    assert (active.round, active.revealed) == ("solution", False)
    assert [n.text for n in active.notes] == ["SMS når saken flytter seg"]

    session = compute_session(state)
    assert [(r.round, r.round_title, len(r.notes)) for r in session.rounds] == [
        ("need", "Behov", 1), ("solution", "Løsning", 1), ("test", "Test", 0)]
    assert session.round == "solution"
    # Reading a shelved round's results changes nothing.
    assert state.room.round == "solution" and set(state.notes) == {"s1"}


@pytest.mark.redis
async def test_the_results_page_and_exports_per_round_and_for_the_session(tavla: TavlaServer) -> None:
    room = tavla.create_room("BLT", "nb", phase="write", template="need-solution-test")
    code = room["code"]
    fac = Participant(tavla.ws, code, "Frida", key=room["facilitator_key"])
    kari = Participant(tavla.ws, code, "Kari", "Helse")
    for person in (fac, kari):
        await person.connect()
    assert (await kari.create_note("n1", "Kortere ventetid", x=300, y=400))["type"] == "ack"
    assert (await fac.op("notes.reveal"))["type"] == "ack"  # BLT's rounds start with private writing
    assert (await fac.op("phase.set", phase="vote"))["type"] == "ack"
    assert (await kari.op("vote.cast", target="n1"))["type"] == "ack"
    assert (await fac.op("votes.reveal"))["type"] == "ack"
    assert (await fac.op("round.carry", **{"from": "need", "to": "solution", "items": ["n1"]}))["type"] == "ack"
    assert (await fac.op("round.go", round="solution"))["type"] == "ack"
    assert (await kari.create_note("s1", "SMS når saken flytter seg", x=300, y=900))["type"] == "ack"
    assert (await fac.op("notes.reveal"))["type"] == "ack"
    assert (await fac.op("results.publish", published=True))["type"] == "ack"
    base = f"{tavla.http}/r/{code}"

    page = httpx.get(f"{base}/results").text
    shown = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    titles = re.findall(r'<h2 id="round-heading-(\w+)"', page)
    assert titles == ["need", "solution", "test"]
    assert re.search(r"1\. Behov .*Kortere ventetid .*1 prikk.* 2\. Løsning .*SMS når saken flytter seg.* 3\. Test", shown)
    assert "Stemmene er ikke vist ennå" in shown  # the solution round's votes are not revealed
    assert len(re.findall(r'id="ideas-heading-\w+"', page)) == 3  # one per round, ids unique

    rows = list(csv.DictReader(io.StringIO(httpx.get(f"{base}/export.csv").content.decode("utf-8-sig"), newline=""),
                               delimiter=";"))
    assert {(r["Runde"], r["Tekst"]) for r in rows} == {
        ("Behov", "Kortere ventetid"), ("Løsning", "Kortere ventetid"), ("Løsning", "SMS når saken flytter seg")}
    one = list(csv.DictReader(io.StringIO(httpx.get(f"{base}/export.csv?round=need").content.decode("utf-8-sig"),
                                          newline=""), delimiter=";"))
    assert [(r["Runde"], r["Tekst"], r["Prikker"]) for r in one] == [("Behov", "Kortere ventetid", "1")]

    sheet = openpyxl.load_workbook(io.BytesIO(httpx.get(f"{base}/export.xlsx").content)).active
    header, *body = [[c.value for c in row] for row in sheet.iter_rows()]
    assert header[0] == "Runde" and {row[0] for row in body} == {"Behov", "Løsning"}

    data = httpx.get(f"{base}/export.json").json()
    assert [r["round_title"] for r in data["rounds"]] == ["Behov", "Løsning", "Test"]
    assert data["round"] == "solution"  # the top level is the active round, as before rounds
    only = httpx.get(f"{base}/export.json?round=test").json()
    assert [r["round"] for r in only["rounds"]] == ["test"] and only["notes"] == []

    markdown = httpx.get(f"{base}/export.md").text
    assert markdown.index("## Behov") < markdown.index("## Løsning") < markdown.index("## Test")
    assert "### " in markdown and markdown.count("# BLT") == 1

    missing = httpx.get(f"{base}/export.csv?round=nowhere")
    assert missing.status_code == 404
    for person in (fac, kari):
        await person.close()
