"""The closing evaluation in every export: distributions and the text lines, sorted; never a
person, and nothing that follows the order people answered in (the same answers in another
order give the same bytes). A formula typed into the text line stays text."""

from __future__ import annotations

import io
import json

import openpyxl

from server.domain import Accepted, Event, initial_state, join, new_room
from server.domain.commands import EvaluationAnswer, EvaluationOpen
from server.domain.evaluation import summarise
from server.domain.model import Role, State
from server.domain.results import compute
from server.domain.rules import Actor
from server.exports import to_csv, to_json, to_markdown, to_xlsx
from server.i18n import Translations
from tests.support.domain import LIMITS, append, commit

PEOPLE = [("p_kari", "Kari Nordmann"), ("p_ola", "Ola Hansen"), ("p_liv", "Liv Berg"), ("p_per", "Per Olsen")]
ANSWERS = {
    "p_kari": EvaluationAnswer(clear=5, heard=4, outcome=3, text="Zebra: for lite tid"),
    "p_ola": EvaluationAnswer(clear=2, heard=2, text="=HYPERLINK(\"http://x.example\")"),
    "p_liv": EvaluationAnswer(clear=4, heard=5, outcome=4, text="Alfa: gode grupper"),
    "p_per": EvaluationAnswer(clear=3, outcome=1),
}


def session(order: list[str]) -> State:
    created = new_room("K7MPQ2", "Hjemmehjelp", "nb", "blank", LIMITS)
    assert isinstance(created, Accepted)
    state = initial_state(Event(1, created.op, "system", 0, created.data))
    for pid, name in [("p_faci", "Frida"), *PEOPLE]:
        role = Role.FACILITATOR if pid == "p_faci" else Role.PARTICIPANT
        joined = join(state, pid, name, "Helse", role, LIMITS)
        assert isinstance(joined, Accepted)
        append(state, joined.op, pid, joined.data)
    commit(state, Actor("p_faci", Role.FACILITATOR), EvaluationOpen())
    for pid in order:
        commit(state, Actor(pid, Role.PARTICIPANT), ANSWERS[pid])
    return state


def exports(state: State) -> dict[str, bytes]:
    t = Translations().get("nb")
    results, summary = compute(state), summarise(state.evaluation)
    return {
        "json": to_json(results, summary),
        "csv": to_csv(results, t, summary),
        "xlsx": _xlsx_values(to_xlsx(results, t, summary)),
        "md": to_markdown(results, t, summary).encode(),
    }


def _xlsx_values(data: bytes) -> bytes:
    """The cells of every sheet (the file itself carries a creation time)."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    return json.dumps({ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book.worksheets},
                      ensure_ascii=False, default=str).encode()


def test_no_export_names_a_person_or_follows_the_order_of_answers() -> None:
    first = exports(session(["p_kari", "p_ola", "p_liv", "p_per"]))
    again = exports(session(["p_per", "p_liv", "p_ola", "p_kari"]))
    assert first == again, "the same answers in another order: the same files"
    for fmt, body in first.items():
        text = body.decode("utf-8")
        for pid, name in PEOPLE:
            assert pid not in text and name not in text, (fmt, name)
    data = json.loads(first["json"])["evaluation"]
    assert data["answers"] == 4
    assert data["texts"] == ["=HYPERLINK(\"http://x.example\")", "Alfa: gode grupper", "Zebra: for lite tid"]
    assert data["questions"][0] == {"id": "clear", "answered": 4, "counts": [0, 1, 1, 1, 1], "median": 3.5}


def test_the_evaluation_sheet_and_the_csv_rows_read_as_a_person_would() -> None:
    files = exports(session(["p_kari", "p_ola", "p_liv", "p_per"]))
    sheets = json.loads(files["xlsx"])
    assert list(sheets) == ["Resultater", "Evaluering"]
    rows = sheets["Evaluering"]
    assert rows[0][:2] == ["Evaluering (anonym)", "4 personer svarte på evalueringen."]
    assert rows[2][:8] == ["Spørsmålet vi jobbet med, var tydelig", 4, 0, 1, 1, 1, 1, 3.5]
    assert ["=HYPERLINK(\"http://x.example\")"] == [r[0] for r in rows if r[0] and r[0].startswith("=")], "text, never a formula"
    csv_text = files["csv"].decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text, "the CSV neutralises a formula in the text line"
    assert "Kommentarer (i alfabetisk rekkefølge" in csv_text


def test_too_few_answers_show_only_how_many() -> None:
    files = exports(session(["p_kari", "p_ola"]))
    text = files["md"].decode()
    assert "2 personer svarte på evalueringen." in text
    assert "2 svar så langt – resultatene vises ved 3. Svarene vises når 3 personer har svart" in text
    assert "Zebra" not in text and "HYPERLINK" not in text
    assert json.loads(files["json"])["evaluation"]["texts"] == []
