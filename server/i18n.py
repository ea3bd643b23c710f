"""Translations from gettext catalogs (server/locale/<lang>/LC_MESSAGES/*.po), read
with Babel at start-up: one source for templates, server messages and the browser client
(`/i18n/<lang>.json`), and no compiled .mo files to keep in step."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.messages.pofile import read_po
from babel.plural import PluralRule

LANGUAGES = ("nb", "sv", "en")
LANGUAGE_NAMES = {"nb": "Norsk bokmål", "sv": "Svenska", "en": "English"}
_LOCALE_DIR = Path(__file__).parent / "locale"

# What a refusal says to people, by its stable code (English msgids; see the .po files).
ERROR_MESSAGES = {
    "invalid": "That change is not valid (%(field)s).",
    "too_long": "The text is too long (at most %(max)s characters).",
    "not_found": "That note no longer exists.",
    "exists": "That note already exists.",
    "forbidden": "You are not allowed to do that.",
    "limit": "The board is full (at most %(max)s notes).",
    "room_full": "The room is full (at most %(max)s participants).",
    "unknown_op": "This version of Tavla does not know that action.",
    "unavailable": "The server cannot save changes right now. Your changes are kept on your device and will be sent again.",
    "rate_limited": "Too many changes at once. Please slow down.",
    "busy": "The room is very busy. Please try again.",
    "gone": "This session does not exist.",
    "protocol": "Please reload the page: this version of Tavla is out of date.",
    "name_required": "Please enter your name.",
    "phase": "That is not possible in this phase of the session.",
    "locked": "The board is locked by the facilitator.",
    "vote_budget": "You have used all %(budget)s dots.",
    "vote_limit": "You can put at most %(max)s dots on one idea.",
    "removed": "The facilitator has removed you from this session.",
    "join_limited": "Too many people joined from this network just now. Please try again in a minute.",
    "waiting": "Please wait until the facilitator lets you in.",
    "evaluation_closed": "The evaluation is closed. Thank you all the same!",
    "round_in_use": "That round has notes or is the active round, so it cannot be removed or given new areas.",
}


# A refusal about a thing other than a note says so (`Refused.what`); notes use the messages above.
THING_MESSAGES = {
    ("not_found", "group"): "That group no longer exists.",
    ("not_found", "person"): "That person is not in this session.",
    ("not_found", "idea"): "That idea no longer exists.",
    ("not_found", "dot"): "You have no dot there to take back.",
    ("exists", "group"): "That group already exists.",
    ("limit", "group"): "The board has all the groups it can hold (at most %(max)s).",
    # t14g: the groups to hear from, and owners in the report back
    ("limit", "participant_group"): "The list has all the groups it can hold (at most %(max)s).",
    ("limit", "owner"): "The report has an owner for all the ideas it can hold (at most %(max)s).",
    ("not_found", "round"): "That round is not in the session's plan.",
    ("exists", "round"): "Two rounds in the plan have the same id.",
    ("limit", "round"): "The plan has all the rounds it can hold (at most %(max)s).",
    ("limit", "area"): "A round can have at most %(max)s areas.",
    ("limit", "idea"): "Choose at most %(max)s items to carry forward.",
}


# CLDR's plural categories in the order gettext numbers a language's forms (msgstr[0], [1], …):
# the same order Babel writes Plural-Forms in, and the order the browser client uses
# (client/i18n.js), so one catalogue entry serves the templates, the exports and the client.
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")


def plural_index(language: str, n: int) -> int:
    """Which of a language's gettext forms fits `n` ("1 prikk" is form 0, "2 prikker" form 1)."""
    rule, used = _plural_rule(language)
    return used.index(rule(n))


@lru_cache(maxsize=None)
def _plural_rule(language: str) -> tuple[PluralRule, tuple[str, ...]]:
    rule: PluralRule = Locale.parse(language).plural_form
    return rule, tuple(tag for tag in PLURAL_CATEGORIES if tag in rule.tags or tag == "other")


@dataclass(frozen=True, slots=True)
class Translator:
    language: str
    catalog: Mapping[str, str]
    # singular msgid -> its forms (msgstr[0], msgstr[1], …), for messages with a msgid_plural
    plurals: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def gettext(self, message: str) -> str:
        return self.catalog.get(message) or message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The form of a counted message that fits `n` in this language; English (or a missing
        translation) falls back to the msgids, as gettext does. The caller fills %(n)s."""
        index = plural_index(self.language, n)
        forms = self.plurals.get(singular)
        if forms and index < len(forms) and forms[index]:
            return forms[index]
        return singular if index == 0 else plural

    def error(self, code: str, params: Mapping[str, object] | None = None) -> str:
        what = (params or {}).get("what")
        english = THING_MESSAGES.get((str(code), str(what))) or ERROR_MESSAGES.get(code, code)
        template = self.gettext(english)
        try:
            return template % dict(params or {})
        except (KeyError, TypeError, ValueError):
            return template


def _read(language: str) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """Every gettext domain of a language (messages.po for the board, results.po for results
    and exports, …), merged: one catalog per language at run time, and the plural entries
    (msgid_plural) by their singular msgid."""
    merged: dict[str, str] = {}
    plurals: dict[str, tuple[str, ...]] = {}
    for path in sorted((_LOCALE_DIR / language / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as f:
            catalog = read_po(f, locale=language)
        for m in catalog:
            if not m.id or not m.string or m.fuzzy:
                continue
            if m.pluralizable:
                forms = tuple(str(form) for form in m.string)
                if all(forms):
                    plurals[str(m.id[0])] = forms
            else:
                merged[str(m.id)] = str(m.string)
    return merged, plurals


class Translations:
    """All catalogs, loaded once in the app's lifespan."""

    def __init__(self) -> None:
        self._by_language = {lang: Translator(lang, *_read(lang)) for lang in LANGUAGES}

    def get(self, language: str) -> Translator:
        return self._by_language.get(language) or self._by_language["en"]

    def negotiate(self, accept_language: str | None) -> str:
        """The best of our languages for an Accept-Language header; Norwegian variants
        (no, nn) read bokmål more easily than English."""
        if not accept_language:
            return "en"
        preferred = [part.split(";")[0].strip().replace("-", "_") for part in accept_language.split(",")]
        preferred = [p for p in preferred if p and p != "*"]
        aliases = {"nb": ["nb", "no", "nn"], "sv": ["sv"], "en": ["en"]}
        available = [alias for lang in LANGUAGES for alias in aliases[lang]]
        found = Locale.negotiate(preferred, available, sep="_")
        if found is None:
            return "en"
        return "nb" if found.language in ("nb", "no", "nn") else found.language
