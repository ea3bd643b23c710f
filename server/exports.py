"""Results as Markdown, CSV, .xlsx and JSON: the same `domain.results.Results`, four formats.

Every format carries the session's date and the area each idea is in, so a file read on its own
later still says when and where on the board an idea came from. Counts use the language's
plural forms (`Translator.ngettext`)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import msgspec

from . import report_text, spreadsheet
from .domain.evaluation import Summary
from .domain.reach import Reach
from .domain.report import ReportView
from .domain.results import RankedCluster, RankedNote, Results, Session
from .i18n import Translator
from .spreadsheet import Cell


def to_json(results: Results, evaluation: Summary | None = None) -> bytes:
    """Everything in `Results`; the date as ISO 8601 (YYYY-MM-DD) or null; and for the
    facilitator the closing evaluation's summary (never who answered, see `evaluation_rows`)."""
    data = _as_dict(results)
    if evaluation is not None:
        data["evaluation"] = evaluation.as_dict()
    return msgspec.json.encode(data)


def _as_dict(results: Results) -> dict[str, Any]:
    """`Results` for JSON. `ideas`, the one ranking people read, is given as its order: for each
    idea its kind ("group" or "note"), id, rank and dots; the ideas themselves are in `clusters`
    (a group with its notes) and `unclustered`, as before (their `rank` is the older, separate
    one: among the groups, among the notes in no group)."""
    data: dict[str, Any] = asdict(results)
    data["ideas"] = [{"kind": "group" if isinstance(i, RankedCluster) else "note", "id": i.id, "rank": i.rank,
                      "votes": i.votes} for i in results.ideas]
    return data


# --- a whole session (all its rounds), or one round of it (t14r) --------------------------------


def session_to_json(session: Session, evaluation: Summary | None = None, reach: Reach | None = None,
                    report: ReportView | None = None) -> bytes:
    """The session's rounds (`rounds`, each as `to_json` writes one, in the plan's order). The
    top level also holds the active round's results as they always were there, so a reader
    written before rounds keeps working. With `reach` and `report` (t14g): who took part per
    group and the report back, under their own keys."""
    active = next((r for r in session.rounds if r.round == session.round), session.rounds[0])
    data: dict[str, Any] = {**_as_dict(active), "rounds": [_as_dict(r) for r in session.rounds]}
    if evaluation is not None:
        data["evaluation"] = evaluation.as_dict()  # the session's, for the facilitator (t14e)
    if reach is not None and report is not None:
        data.update(report_text.as_json(reach, report))
    return msgspec.json.encode(data)


def session_table(session: Session, t: Translator) -> list[list[Cell]]:
    """One table for every round: a "Round" column first (the round's title), then `table`'s.
    A session of one round (`Session.planned`) has no such column (it would say the same on
    every row): just `table`'s columns, as before rounds."""
    round_column = session.planned > 1
    rows: list[list[Cell]] = []
    for results in session.rounds:
        header, *body = table(results, t)
        if not rows:
            rows.append([t.gettext("Round"), *header] if round_column else header)
        rows += [[results.round_title, *row] if round_column else row for row in body]
    return rows


def session_to_csv(session: Session, t: Translator, evaluation: Summary | None = None) -> bytes:
    rows = session_table(session, t)
    if evaluation is not None:
        rows += [[], *evaluation_rows(evaluation, t)]
    return spreadsheet.to_csv(rows)


def session_to_xlsx(session: Session, t: Translator, evaluation: Summary | None = None, reach: Reach | None = None,
                    report: ReportView | None = None) -> bytes:
    """The ideas' table; the evaluation's sheet (t14e); with `reach` and `report` (t14g) two more
    sheets: who took part, and what happens next (the CSV stays the one table of ideas)."""
    more = [] if evaluation is None else [(t.gettext("Evaluation"), evaluation_rows(evaluation, t))]
    if reach is not None and report is not None:
        more += report_text.sheets(reach, report, t)
    return spreadsheet.to_xlsx(session_table(session, t), t.gettext("Results"), more)


def session_to_markdown(session: Session, t: Translator, evaluation: Summary | None = None,
                        reach: Reach | None = None, report: ReportView | None = None) -> str:
    """One round: exactly `to_markdown`. More: the title and date once, then each round under
    its own heading (its prompt, who voted, its groups and notes one level down). With `reach`
    and `report` (t14g): "What happens next" and "Who took part" after the rounds."""
    if reach is not None and report is not None:
        extra = report_text.markdown(reach, report, t, _md)
        return session_to_markdown(session, t, evaluation) + ("\n" + "\n".join(extra) if extra else "")
    if len(session.rounds) == 1:
        return to_markdown(session.rounds[0], t, evaluation)
    lines = [f"# {_md(session.title)}", ""]
    if session.held_on is not None:
        lines += [f"{t.gettext('Date:')} {session.held_on.isoformat()}", ""]
    for results in session.rounds:
        body = to_markdown(results, t).split("\n")
        body = body[2:]  # its own title line and the blank after it
        if results.held_on is not None:
            body = body[2:]  # and the date, said once above
        lines += [f"## {_md(results.round_title)}", ""]
        lines += [f"#{line}" if line.startswith("## ") else line for line in body]
    if evaluation is not None:
        lines += evaluation_markdown(evaluation, t)
    return "\n".join(lines)


def table(results: Results, t: Translator) -> list[list[Cell]]:
    """One row per note and group under a header: the CSV and the .xlsx export. As on the results
    page, one ranking of ideas (`Results.ideas`), most dots first: groups (with their notes'
    dots) and notes in no group ranked together, each group followed by its notes (named with
    the group, not ranked on their own). The date is on every row, so rows copied into another
    sheet keep it."""
    rows: list[list[Cell]] = [[t.gettext("Kind"), t.gettext("Rank"), t.gettext("Dots"), t.gettext("Text"),
                               t.gettext("Group"), t.gettext("Area"), t.gettext("Participant groups"),
                               t.gettext("Supported by"), t.gettext("Other than the author's"), t.gettext("Date")]]
    titles = {c.id: c.title for c in results.clusters}
    held_on: Cell = results.held_on if results.held_on is not None else ""
    def note_row(note: RankedNote, rank: Cell) -> list[Cell]:
        return [t.gettext("Note"), rank, _dots(note.votes, results), note_text(note, t),
                titles.get(note.cluster or "", ""), note.area, len(note.departments),
                ", ".join(note.departments), note.outside, held_on]

    for idea in results.ideas:
        if isinstance(idea, RankedCluster):
            rows.append([t.gettext("Group"), idea.rank, _dots(idea.votes, results), idea.title, "", idea.area,
                         len(idea.departments), ", ".join(idea.departments), idea.outside, held_on])
            rows += [note_row(note, "") for note in idea.notes]
        else:
            rows.append(note_row(idea, idea.rank))
    return rows


def to_csv(results: Results, t: Translator, evaluation: Summary | None = None) -> bytes:
    rows = table(results, t)
    if evaluation is not None:
        rows += [[], *evaluation_rows(evaluation, t)]
    return spreadsheet.to_csv(rows)


def to_xlsx(results: Results, t: Translator, evaluation: Summary | None = None) -> bytes:
    more = [] if evaluation is None else [(t.gettext("Evaluation"), evaluation_rows(evaluation, t))]
    return spreadsheet.to_xlsx(table(results, t), t.gettext("Results"), more)


# --- the closing evaluation (t14e) ------------------------------------------------------------


def question_labels(t: Translator) -> dict[str, str]:
    """The evaluation's questions in the room's language, by id (the same words as on the phone)."""
    return {
        "clear": t.gettext("The question we worked on was clear"),
        "heard": t.gettext("I was heard"),
        "outcome": t.gettext("I believe something will come of this"),
    }


def evaluation_rows(summary: Summary, t: Translator) -> list[list[Cell]]:
    """The evaluation as rows: per question how many answered, people per score 1–5 and the
    median; then the text lines, sorted. No row is about a person, and nothing is in the order
    people answered. With fewer than three answers only their number (docs/architecture.md)."""
    answered = t.ngettext("%(n)s person answered the evaluation.", "%(n)s people answered the evaluation.",
                          summary.answers) % {"n": summary.answers}
    rows: list[list[Cell]] = [[t.gettext("Evaluation (anonymous)"), answered]]
    if not summary.shown:
        rows.append([too_few_text(summary, t)])
        return rows
    rows.append([t.gettext("Question"), t.gettext("Answered"), t.gettext("1 (strongly disagree)"), "2", "3", "4",
                 t.gettext("5 (strongly agree)"), t.gettext("Median")])
    labels = question_labels(t)
    for q in summary.questions:
        if q.counts is None or q.median is None:
            rows.append([labels.get(q.id, q.id), q.answered, t.gettext("Too few answers to show")])
        else:
            rows.append([labels.get(q.id, q.id), q.answered, *q.counts, q.median])
    if summary.texts:
        rows += [[], [t.gettext("Comments (sorted alphabetically, not in the order they came)")]]
        rows += [[line] for line in summary.texts]
    return rows


def too_few_text(summary: Summary, t: Translator) -> str:
    """"2 answers so far — results show at 3. Answers show once 3 people …" (also on the page)."""
    return f"{so_far_text(summary.answers, summary.min_answers, t)}. {threshold_text(summary.min_answers, t)}"


def so_far_text(answers: int, min_answers: int, t: Translator) -> str:
    return t.ngettext("%(n)s answer so far — results show at %(min)s", "%(n)s answers so far — results show at %(min)s",
                      answers) % {"n": answers, "min": min_answers}


def threshold_text(min_answers: int, t: Translator) -> str:
    """Why the first answers show nothing, said before they come (the results page, the panel)."""
    return t.gettext("Answers show once %(min)s people have answered, so nobody's answer can be singled out.") % {
        "min": min_answers}


def evaluation_markdown(summary: Summary, t: Translator) -> list[str]:
    lines = [f"## {t.gettext('Evaluation (anonymous)')}", ""]
    lines += [t.ngettext("%(n)s person answered the evaluation.", "%(n)s people answered the evaluation.",
                         summary.answers) % {"n": summary.answers}, ""]
    if not summary.shown:
        return [*lines, too_few_text(summary, t), ""]
    labels = question_labels(t)
    header = [t.gettext("Question"), t.gettext("Answered"), t.gettext("1 (strongly disagree)"), "2", "3", "4",
              t.gettext("5 (strongly agree)"), t.gettext("Median")]
    lines += ["| " + " | ".join(_md(h) for h in header) + " |", "|" + "---|" * len(header)]
    for q in summary.questions:
        counts = [str(c) for c in q.counts] if q.counts is not None else ["–"] * 5
        median = _number(q.median) if q.median is not None else "–"
        lines.append("| " + " | ".join([_md(labels.get(q.id, q.id)), str(q.answered), *counts, median]) + " |")
    lines.append("")
    if summary.texts:
        lines += [f"### {t.gettext('Comments (sorted alphabetically, not in the order they came)')}", ""]
        lines += [f"- {_md(text)}" for text in summary.texts]
        lines.append("")
    return lines


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)



def to_markdown(results: Results, t: Translator, evaluation: Summary | None = None) -> str:
    lines = [f"# {_md(results.title)}", ""]
    if results.held_on is not None:
        lines += [f"{t.gettext('Date:')} {results.held_on.isoformat()}", ""]
    if results.prompt:
        lines += [f"> {_md(results.prompt)}", ""]
    if not results.revealed:
        if not results.phases or "vote" in results.phases:  # a round without a vote has nothing to reveal
            lines += [t.gettext("The votes have not been revealed yet."), ""]
    else:
        lines += [voted_sentence(results, t), ""]
    # One ranking of ideas, as on the results page: groups and notes in no group together, most
    # dots first; a group's notes under it. Each item says what it is ("Group:", "Note:").
    lines += [f"## {t.gettext('Ideas, most dots first') if results.revealed else t.gettext('Ideas')}", ""]
    for idea in results.ideas:
        if isinstance(idea, RankedCluster):
            split = ""
            if results.revealed and idea.own_votes and idea.own_votes != idea.votes:
                split = " " + t.gettext("(%(group)s on the group, %(notes)s on its notes)") % {
                    "group": idea.own_votes, "notes": idea.votes - idea.own_votes}
            lines.append(f"{idea.rank}. {t.gettext('Group')}: **{_md(idea.title) or t.gettext('Untitled group')}**"
                         f"{_area_md(idea.area)}{_dots_md(idea.votes, results, t)}{split}")
            lines += [f"   - {_md(note_text(n, t))}{_area_md(n.area)}{_dots_md(n.votes, results, t)}" for n in idea.notes]
        else:
            lines.append(f"{idea.rank}. {t.gettext('Note')}: {_md(note_text(idea, t))}{_area_md(idea.area)}"
                         f"{_dots_md(idea.votes, results, t)}")
    if not results.ideas:
        lines.append(t.gettext("No notes yet."))
    lines.append("")
    if results.broadest:
        lines += [f"## {t.gettext('Support across participant groups')}", ""]
        header = [t.gettext("Idea"), t.gettext("Area"), t.gettext("Participant groups"), t.gettext("Supported by"),
                  t.gettext("Other than the author's"), t.gettext("Dots")]
        lines += ["| " + " | ".join(_md(h) for h in header) + " |", "|" + "---|" * len(header)]
        for b in results.broadest:
            cells = [_md(b.label), _md(b.area), str(b.departments), _md(", ".join(b.names)), str(b.outside), str(b.votes)]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
        lines += [t.gettext("A participant group counts for an idea only where at least three of its people gave the idea dots. Dots are never counted per group, so nobody can work out how one person voted."), ""]
    if evaluation is not None:
        lines += evaluation_markdown(evaluation, t)
    return "\n".join(lines)


def note_text(note: RankedNote, t: Translator) -> str:
    """A note's text as a file tells it; a photo note's picture by its text alternative (the
    bytes stay with the room: the JSON export has the photo's id, `/r/{code}/photos/{id}`)."""
    if note.photo is None:
        return note.text
    described = t.gettext("Photo: %(alt)s") % {"alt": note.alt}
    return f"{note.text} ({described})" if note.text else described


def voted_sentence(results: Results, t: Translator) -> str:
    """"3 of 5 participants voted." with the plural form the count needs (also on the page)."""
    return t.ngettext("%(voters)s of %(participants)s participant voted.",
                      "%(voters)s of %(participants)s participants voted.", results.participants) % {
        "voters": results.voters, "participants": results.participants}


def dots_text(votes: int, t: Translator) -> str:
    """"1 dot", "2 dots" in the plural form of the language."""
    return t.ngettext("%(n)s dot", "%(n)s dots", votes) % {"n": votes}


def _dots(votes: int, results: Results) -> int | str:
    return votes if results.revealed else ""


def _dots_md(votes: int, results: Results, t: Translator) -> str:
    return f" — {dots_text(votes, t)}" if results.revealed else ""


def _area_md(area: str) -> str:
    return f" ({_md(area)})" if area else ""


def _md(text: str) -> str:
    """Markdown-escape user text so a note cannot inject links, images or HTML into a report."""
    escaped = text.replace("\\", "\\\\")
    for ch in "`*_{}[]()#+-.!|<>":
        escaped = escaped.replace(ch, "\\" + ch)
    return " ".join(escaped.split())
