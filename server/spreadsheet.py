"""A table of results as a spreadsheet: CSV for Nordic Excel, and .xlsx (XlsxWriter).

CSV cells are plain text to us, but a spreadsheet evaluates a cell that starts with a formula
sign, and which characters start a cell depends on how it splits the file: Norwegian and Swedish
Excel split on ';', others on ',', a paste on tabs and newlines. So every piece of a cell that
*could* start a cell is neutralised (OWASP, https://owasp.org/www-community/attacks/CSV_Injection).
An .xlsx cell has a type: text written with `write_string` is never a formula, and needs no
apostrophe, so the .xlsx export carries the text exactly as written.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from datetime import date, datetime, time

import xlsxwriter  # type: ignore[import-untyped]

Cell = str | int | float | date
# = + - @ and their full-width (＝ ＋ － ＠) and small (﹦ ﹢ ﹣ ﹫) forms, which some spreadsheets fold
# to ASCII before deciding whether a cell is a formula.
_FORMULA_SIGNS = "=+\\-@\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b"
# Where a spreadsheet may start a new cell inside our cell's text: the start, either separator,
# a tab, a line break. Leading whitespace does not help (several spreadsheets trim it).
_CELL_START = re.compile(rf"(^|[;,\t\r\n])([^\S\t\r\n]*)(?=[{_FORMULA_SIGNS}])")


def neutralise(text: str) -> str:
    """`text` with an apostrophe before every place a spreadsheet could read a formula from, and
    before a leading tab or carriage return (OWASP lists both)."""
    safe = _CELL_START.sub(lambda m: f"{m.group(1)}'{m.group(2)}", text)
    return "'" + safe if safe[:1] in ("\t", "\r") else safe


def to_csv(rows: Sequence[Sequence[Cell]]) -> bytes:
    """UTF-8 with a BOM and ';' between cells, text always quoted: what Excel in Norway and
    Sweden opens with a double-click, with æ, ø, å and ä intact."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    for row in rows:
        writer.writerow([neutralise(c) if isinstance(c, str) else c.isoformat() if isinstance(c, date) else c
                         for c in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(rows: Sequence[Sequence[Cell]], sheet: str,
            more: Sequence[tuple[str, Sequence[Sequence[Cell]]]] = ()) -> bytes:
    """One sheet (and one per entry of `more`, each `(name, rows)`), a bold frozen header with a
    filter, text as text, numbers as numbers and dates as dates (YYYY-MM-DD, which Excel in
    Norway and Sweden reads the same way)."""
    out = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
               "strings_to_numbers": False}
    workbook = xlsxwriter.Workbook(out, options)
    for name, table in ((sheet, rows), *more):
        _write_sheet(workbook, name, table)
    workbook.close()
    return out.getvalue()


def _write_sheet(workbook: xlsxwriter.Workbook, name: str, rows: Sequence[Sequence[Cell]]) -> None:
    worksheet = workbook.add_worksheet(_sheet_name(name))
    bold = workbook.add_format({"bold": True})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    day = workbook.add_format({"num_format": "yyyy-mm-dd", "valign": "top"})
    widths: dict[int, int] = {}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str):
                worksheet.write_string(r, c, value, bold if r == 0 else wrap)
                widths[c] = max(widths.get(c, 0), min(60, len(value)))
            elif isinstance(value, date):
                worksheet.write_datetime(r, c, datetime.combine(value, time()), day)
                widths[c] = max(widths.get(c, 0), 10)
            else:
                worksheet.write_number(r, c, value, bold if r == 0 else None)
                widths[c] = max(widths.get(c, 0), 6)
    for c, width in widths.items():
        worksheet.set_column(c, c, width + 2)
    if rows:
        worksheet.freeze_panes(1, 0)
        worksheet.autofilter(0, 0, max(0, len(rows) - 1), max(0, max(len(row) for row in rows) - 1))


def _sheet_name(name: str) -> str:
    """Excel's rules for a sheet name: at most 31 characters, none of []:*?/\\."""
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", name).strip()[:31]
    return cleaned or "Sheet1"
