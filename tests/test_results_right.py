"""The results page and the exports, right in every language, on a real server with real Redis:
"1 prikk" and "2 prikker" (plural forms from gettext), "N of M participants voted" that leaves
out the facilitator and the coach, the area each idea is in, and the session's date — on the
page and in the CSV, the .xlsx, the Markdown and the JSON."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import openpyxl
import pytest

from tests.support.client import Participant
from tests.support.servers import RedisServer, TavlaServer

# Where the notes go on the Behov – Løsning – Test board (three columns, each about 1280 wide).
IN_NEED, IN_SOLUTION = {"x": 100, "y": 400}, {"x": 1500, "y": 400}
AREAS = {
    "nb": ("Brukerens behov", "Ideer til løsninger"),
    "sv": ("Användarens behov", "Idéer till lösningar"),
    "en": ("The user's needs", "Ideas for solutions"),
}
# language -> (1 of 1 voted, 2 of 2, 1 of 2), (1 dot, 0 dots, 2 dots), the date's label
SAID = {
    "nb": (("1 av 1 deltaker stemte.", "2 av 2 deltakere stemte.", "1 av 2 deltakere stemte."), ("1 prikk", "0 prikker", "2 prikker"), "Dato:"),
    "sv": (("1 av 1 deltagare röstade.", "2 av 2 deltagare röstade.", "1 av 2 deltagare röstade."), ("1 prick", "0 prickar", "2 prickar"), "Datum:"),
    "en": (("1 of 1 participant voted.", "2 of 2 participants voted.", "1 of 2 participants voted."), ("1 dot", "0 dots", "2 dots"), "Date:"),
}


@pytest.fixture
def tavla_on_redis(redis_server: RedisServer) -> Iterator[TavlaServer]:
    server = TavlaServer(redis_server.url).start()
    yield server
    server.stop()


def text_of(page: str) -> str:
    """The page's text, tags out and spaces collapsed, as a reader meets it."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def dots_shown(page: str) -> list[str]:
    return [html.unescape(d) for d in re.findall(r'<span class="dots">([^<]*)</span>', page)]


def today_in_oslo() -> set[str]:
    """Today where the session is (the default TIME_ZONE); yesterday too, in case the test
    straddles midnight."""
    now = datetime.now(ZoneInfo("Europe/Oslo"))
    return {now.date().isoformat(), (now - timedelta(minutes=5)).date().isoformat()}


async def round_in(server: TavlaServer, language: str) -> tuple[dict, Participant, Participant]:  # type: ignore[type-arg]
    """A Behov – Løsning – Test session: facilitator and coach in the room, Kari (participant)
    wrote n1 in the first area and n2 in the second; Kari gave n1 one dot and the facilitator gave
    n2 one dot; votes revealed."""
    room = server.create_room("Bedre hjemmetjeneste", language, phase="write", template="need-solution-test-board")
    fac = Participant(server.ws, room["code"], "Fasilitator", "", key=room["facilitator_key"])
    coach = Participant(server.ws, room["code"], "Veileder", "", key=room["coach_key"])
    kari = Participant(server.ws, room["code"], "Kari", "Helse")
    for person in (fac, coach, kari):
        await person.connect()
    assert (await kari.create_note("n1", "Felles kalender", **IN_NEED))["type"] == "ack"
    assert (await kari.create_note("n2", "Én kontaktperson", **IN_SOLUTION))["type"] == "ack"
    assert (await fac.op("phase.set", phase="vote"))["type"] == "ack"
    assert (await kari.op("vote.cast", target="n1"))["type"] == "ack"
    assert (await fac.op("vote.cast", target="n2"))["type"] == "ack"
    assert (await fac.op("votes.reveal"))["type"] == "ack"
    assert (await fac.op("results.publish", published=True))["type"] == "ack"
    return room, fac, kari


@pytest.mark.parametrize("language", ["nb", "sv", "en"])
async def test_counts_and_plural_forms_on_the_results_page(tavla_on_redis: TavlaServer, language: str) -> None:
    """One participant voted (the facilitator and the coach do not count): singular forms; a
    second participant votes: plural forms. The facilitator's dot still counts in the totals."""
    server = tavla_on_redis
    room, fac, kari = await round_in(server, language)
    (one_voted, two_voted, one_of_two), (one_dot, no_dots, two_dots), date_label = SAID[language]
    url = f"{server.http}/r/{room['code']}/results"

    page = httpx.get(url).text
    assert one_voted in text_of(page)
    assert dots_shown(page) == [one_dot, one_dot]

    ola = Participant(server.ws, room["code"], "Ola", "Skole")
    await ola.connect()
    assert (await ola.op("vote.cast", target="n1"))["type"] == "ack"
    page = httpx.get(url).text
    shown = text_of(page)
    assert two_voted in shown
    assert dots_shown(page) == [two_dots, one_dot], "n1 first with 2 dots, then n2 with the facilitator's 1"

    assert (await ola.op("vote.retract", target="n1"))["type"] == "ack"
    assert (await ola.op("vote.cast", target="n2"))["type"] == "ack"
    assert (await fac.op("vote.retract", target="n2"))["type"] == "ack"
    assert (await kari.op("vote.retract", target="n1"))["type"] == "ack"
    page = httpx.get(url).text
    assert dots_shown(page) == [one_dot, no_dots], "zero takes the plural form"
    assert one_of_two in text_of(page), "Kari took her dot back: one of two participants voted"

    need, solution = AREAS[language]
    assert re.search(rf"Felles kalender.*{re.escape(need)}", shown), "each note says which area it is in"
    assert re.search(rf"Én kontaktperson.*{re.escape(solution)}", shown)
    held_on = re.search(r'<time datetime="(\d{4}-\d\d-\d\d)">([^<]+)</time>', page)
    assert held_on and held_on.group(1) in today_in_oslo()
    assert f"{date_label} {held_on.group(2)}" in shown
    day = date.fromisoformat(held_on.group(1))
    assert str(day.year) in held_on.group(2) and str(day.day) in held_on.group(2), "the date in words"


async def test_every_export_carries_area_and_date(tavla_on_redis: TavlaServer) -> None:
    """CSV (parsed as Nordic Excel reads it), .xlsx (a real date cell), Markdown and JSON."""
    server = tavla_on_redis
    room, _fac, _kari = await round_in(server, "nb")
    base = f"{server.http}/r/{room['code']}"
    data = httpx.get(f"{base}/export.json").json()
    held_on = data["held_on"]
    assert held_on in today_in_oslo()
    assert {n["text"]: n["area"] for n in data["notes"]} == {"Felles kalender": "Brukerens behov",
                                                            "Én kontaktperson": "Ideer til løsninger"}
    assert (data["voters"], data["participants"]) == (1, 1)

    exported = httpx.get(f"{base}/export.csv").text.lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(exported, newline=""), delimiter=";"))
    assert {(r["Tekst"], r["Område"], r["Dato"]) for r in rows} == {
        ("Felles kalender", "Brukerens behov", held_on), ("Én kontaktperson", "Ideer til løsninger", held_on)}

    sheet = openpyxl.load_workbook(io.BytesIO(httpx.get(f"{base}/export.xlsx").content)).active
    header, *body = [[c.value for c in row] for row in sheet.iter_rows()]
    found = [dict(zip(header, row)) for row in body]
    assert {(r["Tekst"], r["Område"]) for r in found} == {("Felles kalender", "Brukerens behov"),
                                                          ("Én kontaktperson", "Ideer til løsninger")}
    assert {r["Dato"] for r in found} == {datetime.fromisoformat(held_on)}, "a date cell, not text"
    assert sheet.cell(row=2, column=header.index("Dato") + 1).number_format == "yyyy-mm-dd"

    markdown = httpx.get(f"{base}/export.md").text
    assert f"Dato: {held_on}" in markdown
    assert "Felles kalender (Brukerens behov) — 1 prikk" in markdown
    assert "1 av 1 deltaker stemte." in markdown


def test_the_browser_catalogue_carries_plural_forms(tavla_on_redis: TavlaServer) -> None:
    """/i18n/nb.json has the forms of a counted message as a list under its singular msgid."""
    for language, forms, results in (("nb", ["%(n)s prikk", "%(n)s prikker"], "Resultater"),
                                     ("sv", ["%(n)s prick", "%(n)s prickar"], "Resultat")):
        catalogue = httpx.get(f"{tavla_on_redis.http}/i18n/{language}.json").json()
        assert catalogue["%(n)s dot"] == forms
        assert catalogue["Results"] == results, "plain messages stay plain strings"
