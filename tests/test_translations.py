"""Every sentence a person can meet is in Norwegian and Swedish: each `t("…")` of the browser
client, each `_("…")` of the templates and each `t.gettext("…")` of the exports has a
translation in both catalogs, with the same %(name)s placeholders (a missing one would show
English in a Norwegian workshop, a wrong one would show the raw template). Counted messages
(`tn("…", "…", n)` in the client, `ngettext("…", "…", n)` in templates and exports) have every
plural form of the language, each with the placeholders of its msgids."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from server.i18n import Translations

ROOT = Path(__file__).resolve().parent.parent
STRING = r'"((?:[^"\\]|\\.)*)"'
CLIENT_CALL = re.compile(r"\bt\(\s*" + STRING)
TEMPLATE_CALL = re.compile(r"\b_\(\s*" + STRING)
SERVER_CALL = re.compile(r"\bt\.gettext\(\s*(?:" + STRING + r"|'((?:[^'\\]|\\.)*)')")  # either quote (f-strings)
CLIENT_PLURAL = re.compile(r"\btn\(\s*" + STRING + r"\s*,\s*" + STRING)
SERVER_PLURAL = re.compile(r"\bngettext\(\s*" + STRING + r"\s*,\s*" + STRING)
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
SERVER_FILES = ("exports.py", "report_text.py")  # Python modules whose `t.gettext`/`ngettext` strings people read


def ui_messages() -> dict[str, str]:
    """English message → the file it appears in."""
    found: dict[str, str] = {}
    for pattern, files in ((CLIENT_CALL, list((ROOT / "client").rglob("*.js"))),
                           (TEMPLATE_CALL, list((ROOT / "templates").rglob("*.html"))),  # includes in subfolders too
                           (TEMPLATE_CALL, list((ROOT / "templates").rglob("*.html"))),
                           (SERVER_CALL, [ROOT / "server" / name for name in SERVER_FILES])):
        for path in files:
            for raw in pattern.findall(path.read_text(encoding="utf-8")):
                raw = "".join(raw) if isinstance(raw, tuple) else raw  # the one quote that matched
                found.setdefault(json.loads(f'"{raw}"'), path.name)
    return found


def plural_messages() -> dict[tuple[str, str], str]:
    """(singular, plural) English msgids → the file they appear in."""
    found: dict[tuple[str, str], str] = {}
    for pattern, files in ((CLIENT_PLURAL, list((ROOT / "client").rglob("*.js"))),
                           (SERVER_PLURAL, [*(ROOT / "templates").rglob("*.html"),
                                            *(ROOT / "server" / name for name in SERVER_FILES)])):
        for path in files:
            for one, many in pattern.findall(path.read_text(encoding="utf-8")):
                found.setdefault((json.loads(f'"{one}"'), json.loads(f'"{many}"')), path.name)
    return found


def test_the_scan_finds_the_interface() -> None:
    messages = ui_messages()
    assert len(messages) > 300
    assert "Add a dot" in messages and "Reveal votes" in messages


@pytest.mark.parametrize("language", ["nb", "sv"])
def test_every_interface_sentence_is_translated(language: str) -> None:
    catalog = Translations().get(language).catalog
    missing = [f"{where}: {english!r}" for english, where in sorted(ui_messages().items()) if not catalog.get(english)]
    assert missing == [], f"untranslated in {language}:\n" + "\n".join(missing)
    wrong = [f"{english!r} → {catalog[english]!r}" for english in ui_messages()
             if sorted(PLACEHOLDER.findall(catalog[english])) != sorted(PLACEHOLDER.findall(english))]
    assert wrong == [], f"placeholders differ in {language}:\n" + "\n".join(wrong)


def test_the_scan_finds_the_counted_messages() -> None:
    plurals = plural_messages()
    assert plurals[("%(n)s dot", "%(n)s dots")] == "votes.js"
    assert plurals[("%(voters)s of %(participants)s participant voted.",
                    "%(voters)s of %(participants)s participants voted.")] == "exports.py"


@pytest.mark.parametrize("language", ["nb", "sv"])
def test_every_counted_message_has_every_plural_form(language: str) -> None:
    translator = Translations().get(language)
    missing = [f"{where}: {one!r}" for (one, _many), where in sorted(plural_messages().items())
               if len(translator.plurals.get(one, ())) != 2]  # nb and sv: one, other
    assert missing == [], f"plural forms missing in {language}:\n" + "\n".join(missing)
    wrong = [f"{one!r} → {form!r}" for (one, many) in plural_messages() for form in translator.plurals[one]
             if sorted(set(PLACEHOLDER.findall(form))) != sorted(set(PLACEHOLDER.findall(one + many)))]
    assert wrong == [], f"placeholders differ in {language}:\n" + "\n".join(wrong)


@pytest.mark.parametrize(("language", "one", "two"), [("nb", "1 prikk", "2 prikker"), ("sv", "1 prick", "2 prickar"),
                                                      ("en", "1 dot", "2 dots")])
def test_counts_take_the_plural_form_of_the_language(language: str, one: str, two: str) -> None:
    translator = Translations().get(language)
    assert [translator.ngettext("%(n)s dot", "%(n)s dots", n) % {"n": n} for n in (1, 2)] == [one, two]
