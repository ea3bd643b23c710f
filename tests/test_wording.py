"""One word for the groups people join with. The join form asks "Which group are you part of?"
("Hvilken gruppe hører du til?"); the walkthrough found the results page and the people panel
saying "departments" ("avdelinger") for the same thing. Every sentence a person can meet (the
client's, the templates', the exports') says "group" in all three languages; the code and the
wire keep `department` (the protocol stays the same)."""

from __future__ import annotations

import re

import pytest

from server.i18n import Translations
from tests.test_translations import ui_messages

OTHER_WORDS = {"en": ("department",), "nb": ("avdeling",), "sv": ("avdelning", "förvaltning")}
# Placeholders are code, not words; a government agency's name is a name.
NOT_WORDS = re.compile(r"%\(\w+\)s|Myndigheten för digital förvaltning")


@pytest.mark.parametrize("language", ["en", "nb", "sv"])
def test_no_sentence_calls_the_joiners_group_a_department(language: str) -> None:
    translator = Translations().get(language)
    said = {english: english if language == "en" else translator.gettext(english) for english in ui_messages()}
    found = sorted(f"{english!r} → {text!r}" for english, text in said.items()
                   if any(word in NOT_WORDS.sub("", text).casefold() for word in OTHER_WORDS[language]))
    assert found == [], f"{language}:\n" + "\n".join(found)


@pytest.mark.parametrize(("language", "join", "results"), [
    ("en", "Which group are you part of? (optional)", "Participant groups"),
    ("nb", "Hvilken gruppe hører du til? (valgfritt)", "Deltakergrupper"),
    ("sv", "Vilken grupp tillhör du? (valfritt)", "Deltagargrupper"),
])
def test_the_join_form_and_the_results_use_the_same_word(language: str, join: str, results: str) -> None:
    translator = Translations().get(language)
    assert translator.gettext("Which group are you part of? (optional)") == join
    assert translator.gettext("Participant groups") == results
