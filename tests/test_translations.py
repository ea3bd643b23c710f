"""Every sentence a person can meet is in Norwegian and Swedish: each `t("…")` of the browser
client and each `_("…")` of the templates has a translation in both catalogs, with the same
%(name)s placeholders (a missing one would show English in a Norwegian workshop, a wrong one
would show the raw template)."""

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
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def ui_messages() -> dict[str, str]:
    """English message → the file it appears in."""
    found: dict[str, str] = {}
    for pattern, files in ((CLIENT_CALL, (ROOT / "client").rglob("*.js")),
                           (TEMPLATE_CALL, (ROOT / "templates").glob("*.html"))):
        for path in files:
            for raw in pattern.findall(path.read_text(encoding="utf-8")):
                found.setdefault(json.loads(f'"{raw}"'), path.name)
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
