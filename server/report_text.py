"""Who took part and report back, in words: the sentences the results page, the board's report
screen and the exports share (t14g). Counts use the language's plural forms."""

from __future__ import annotations

from typing import Any

from .spreadsheet import Cell

from .domain.reach import Reach
from .domain.report import ReportView
from .i18n import Translator


def reached_sentence(reach: Reach, t: Translator) -> str:
    """"Reached 4 of 6 groups." (empty when the facilitator listed no groups)."""
    if not reach.wanted:
        return ""
    return t.ngettext("Reached %(reached)s of %(wanted)s group.", "Reached %(reached)s of %(wanted)s groups.",
                      len(reach.wanted)) % {"reached": reach.reached, "wanted": len(reach.wanted)}


def missing_sentence(reach: Reach, t: Translator) -> str:
    """"Missing: Relatives, Youth council" or "Every group took part."."""
    if not reach.wanted:
        return ""
    if not reach.missing:
        return t.gettext("Every group we wanted to hear from took part.")
    return t.gettext("Missing: %(groups)s") % {"groups": ", ".join(reach.missing)}


def people_text(n: int, t: Translator) -> str:
    return t.ngettext("%(n)s person", "%(n)s people", n) % {"n": n}


def as_json(reach: Reach, report: ReportView) -> dict[str, Any]:
    """For the JSON export: every group with its count, what is missing, and the report."""
    return {
        "reach": {
            "wanted": [{"group": g.name, "joined": g.joined} for g in reach.wanted],
            "reached": reach.reached,
            "missing": reach.missing,
            "others": [{"group": g.name, "joined": g.joined} for g in reach.others],
            "no_group": reach.unnamed,
        },
        "report": {
            "next_steps": report.next_steps,
            "hear_back": report.hear_back,
            "owners": [{"idea": o.idea, "owner": o.owner} for o in report.owners],
        },
    }


def markdown(reach: Reach, report: ReportView, t: Translator, md: Any) -> list[str]:
    """The Markdown sections (`md` escapes user text as the rest of the export does)."""
    lines: list[str] = []
    if not report.empty:
        lines += [f"## {t.gettext('What happens next')}", ""]
        lines += [f"- {md(line)}" for line in report.next_steps]
        if report.next_steps:
            lines.append("")
        if report.owners:
            lines += [f"### {t.gettext('Who owns what')}", ""]
            lines += [f"- {md(o.idea) or t.gettext('Untitled group')}: {md(o.owner)}" for o in report.owners]
            lines.append("")
        if report.hear_back:
            lines += [f"**{t.gettext('When you will hear from us:')}** {md(report.hear_back)}", ""]
    if reach.wanted or reach.others:
        lines += [f"## {t.gettext('Who took part')}", ""]
        if reach.wanted:
            lines += [f"{reached_sentence(reach, t)} {md(missing_sentence(reach, t))}", ""]
            lines += [f"- {md(g.name)}: {people_text(g.joined, t)}" for g in reach.wanted]
            lines.append("")
        if reach.others:
            lines += [f"{t.gettext('Other groups that took part:')}", ""]
            lines += [f"- {md(g.name)}: {people_text(g.joined, t)}" for g in reach.others]
            lines.append("")
    return lines


def sheets(reach: Reach, report: ReportView, t: Translator) -> list[tuple[str, list[list[Cell]]]]:
    """The .xlsx export's sheets after the ideas: who took part per group, and the report back."""
    took_part: list[list[Cell]] = [[t.gettext("Participant group"), t.gettext("On the list"),
                                    t.gettext("People who joined"), t.gettext("Reached")]]
    yes, no = t.gettext("Yes"), t.gettext("No")
    took_part += [[g.name, yes, g.joined, yes if g.joined else no] for g in reach.wanted]
    took_part += [[g.name, no, g.joined, yes] for g in reach.others]
    next_rows: list[list[Cell]] = [[t.gettext("Section"), t.gettext("Text"), t.gettext("Owner")]]
    next_rows += [[t.gettext("Decisions and next steps"), line, ""] for line in report.next_steps]
    next_rows += [[t.gettext("Who owns what"), o.idea or t.gettext("Untitled group"), o.owner] for o in report.owners]
    if report.hear_back:
        next_rows.append([t.gettext("When you will hear from us"), report.hear_back, ""])
    return [(t.gettext("Who took part"), took_part), (t.gettext("What happens next"), next_rows)]
