"""Results as Markdown, CSV, .xlsx and JSON: the same `domain.results.Results`, four formats."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import msgspec

from . import spreadsheet
from .domain.results import Results
from .i18n import Translator
from .spreadsheet import Cell


def to_json(results: Results) -> bytes:
    data: dict[str, Any] = asdict(results)
    return msgspec.json.encode(data)


def table(results: Results, t: Translator) -> list[list[Cell]]:
    """One row per idea (clusters, then notes) under a header: the CSV and the .xlsx export."""
    rows: list[list[Cell]] = [[t.gettext("Kind"), t.gettext("Rank"), t.gettext("Dots"), t.gettext("Text"),
                               t.gettext("Group"), t.gettext("Departments"), t.gettext("Supported by")]]
    titles = {c.id: c.title for c in results.clusters}
    for cluster in results.clusters:
        rows.append([t.gettext("Group"), cluster.rank, _dots(cluster.votes, results), cluster.title, "",
                     len(cluster.departments), ", ".join(cluster.departments)])
    for note in results.notes:
        rows.append([t.gettext("Note"), note.rank, _dots(note.votes, results), note.text,
                     titles.get(note.cluster or "", ""), len(note.departments), ", ".join(note.departments)])
    return rows


def to_csv(results: Results, t: Translator) -> bytes:
    return spreadsheet.to_csv(table(results, t))


def to_xlsx(results: Results, t: Translator) -> bytes:
    return spreadsheet.to_xlsx(table(results, t), t.gettext("Results"))


def to_markdown(results: Results, t: Translator) -> str:
    lines = [f"# {_md(results.title)}", ""]
    if results.prompt:
        lines += [f"> {_md(results.prompt)}", ""]
    if not results.revealed:
        lines += [t.gettext("The votes have not been revealed yet."), ""]
    else:
        lines += [t.gettext("%(voters)s of %(participants)s participants voted.")
                  % {"voters": results.voters, "participants": results.participants}, ""]
    if results.clusters:
        lines += [f"## {t.gettext('Groups')}", ""]
        for cluster in results.clusters:
            lines.append(f"{cluster.rank}. **{_md(cluster.title) or t.gettext('Untitled group')}**"
                         f"{_dots_md(cluster.votes, results, t)}")
            lines += [f"   - {_md(n.text)}{_dots_md(n.votes, results, t)}" for n in cluster.notes]
        lines.append("")
    lines += [f"## {t.gettext('Notes')}", ""]
    lines += [f"{n.rank}. {_md(n.text)}{_dots_md(n.votes, results, t)}" for n in results.notes]
    lines.append("")
    if results.broadest:
        lines += [f"## {t.gettext('Support across departments')}", ""]
        header = [t.gettext("Idea"), t.gettext("Departments"), t.gettext("Supported by"), t.gettext("Dots")]
        lines += ["| " + " | ".join(_md(h) for h in header) + " |", "|" + "---|" * len(header)]
        for b in results.broadest:
            cells = [_md(b.label), str(b.departments), _md(", ".join(b.names)), str(b.votes)]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


def _dots(votes: int, results: Results) -> int | str:
    return votes if results.revealed else ""


def _dots_md(votes: int, results: Results, t: Translator) -> str:
    return f" — {t.gettext('%(n)s dots') % {'n': votes}}" if results.revealed else ""


def _md(text: str) -> str:
    """Markdown-escape user text so a note cannot inject links, images or HTML into a report."""
    escaped = text.replace("\\", "\\\\")
    for ch in "`*_{}[]()#+-.!|<>":
        escaped = escaped.replace(ch, "\\" + ch)
    return " ".join(escaped.split())
