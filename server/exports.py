"""Results as Markdown, CSV and JSON: the same `domain.results.Results`, three formats."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict
from typing import Any

import msgspec

from .domain.results import Results
from .i18n import Translator


def to_json(results: Results) -> bytes:
    data: dict[str, Any] = asdict(results)
    return msgspec.json.encode(data)


def to_csv(results: Results, t: Translator) -> str:
    """One row per idea (clusters, then notes), with the departments that support it."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([t.gettext("Kind"), t.gettext("Rank"), t.gettext("Dots"), t.gettext("Text"),
                     t.gettext("Group"), t.gettext("Departments"), t.gettext("Supported by")])
    titles = {c.id: c.title for c in results.clusters}
    for cluster in results.clusters:
        writer.writerow([t.gettext("Group"), cluster.rank, _dots(cluster.votes, results), _cell(cluster.title), "",
                         len(cluster.departments), _cell(", ".join(cluster.departments))])
    for note in results.notes:
        writer.writerow([t.gettext("Note"), note.rank, _dots(note.votes, results), _cell(note.text),
                         _cell(titles.get(note.cluster or "", "")),
                         len(note.departments), _cell(", ".join(note.departments))])
    return out.getvalue()


def _cell(text: str) -> str:
    """Spreadsheets run a cell that starts with = + - @ as a formula: make user text plain text.
    See https://owasp.org/www-community/attacks/CSV_Injection"""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


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
