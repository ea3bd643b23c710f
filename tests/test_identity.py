"""Who someone is and what they may say: room codes, keys, participant ids, roles, origins,
rate limits and the language of the messages they read."""

from __future__ import annotations

import base64
import re
import string

import pytest
from starlette.types import Message
from starlette.websockets import WebSocket

from server.codes import ALPHABET, CODE_LENGTH, new_key, new_room_code, normalise_code
from server.connection import (
    TOKEN_PATTERN,
    hash_secret,
    new_token,
    origin_allowed,
    participant_id,
    role_for_key,
)
from server.domain import Role
from server.i18n import ERROR_MESSAGES, Translations
from server.ratelimit import TokenBucket

# --- room codes ------------------------------------------------------------------------------


def test_code_alphabet_has_no_lookalikes() -> None:
    """Codes never contain 0, O, 1 or I, which people confuse when reading a code aloud."""
    assert not set("0O1I") & set(ALPHABET)
    assert len(set(ALPHABET)) == len(ALPHABET) == 32
    assert set(ALPHABET) <= set(string.ascii_uppercase + string.digits)


def test_new_codes_are_six_characters_from_the_whole_alphabet() -> None:
    """Every new code is six characters from the alphabet, and codes use all of it."""
    codes = [new_room_code() for _ in range(300)]
    assert all(len(code) == CODE_LENGTH == 6 and set(code) <= set(ALPHABET) for code in codes)
    assert set("".join(codes)) == set(ALPHABET)
    assert all(normalise_code(code) == code for code in codes)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("K7MPQ2", "K7MPQ2"),
        ("k7m-pq2 ", "K7MPQ2"),
        (" k7m pq2\n", "K7MPQ2"),
        ("K-7-M-P-Q-2", "K7MPQ2"),
        ("k7mpq", None),
        ("k7mpq22", None),
        ("", None),
        ("K7MPQ0", None),
        ("K7MPQO", None),
        ("K7MPQ1", None),
        ("K7MPQI", None),
        ("K7MPQ!", None),
        ("K7M_PQ2", None),
        ("K7MPQ２", None),
    ],
)
def test_typed_code_is_normalised_or_rejected(typed: str, code: str | None) -> None:
    """What a person types is read as a code ignoring case, spaces and dashes, or rejected."""
    assert normalise_code(typed) == code


# --- secrets ---------------------------------------------------------------------------------


def test_keys_carry_128_random_bits() -> None:
    """A facilitator or coach key is 16 random bytes in base64url: 22 URL-safe characters, never repeated."""
    keys = [new_key() for _ in range(1000)]
    assert len(set(keys)) == len(keys)
    for key in keys:
        assert re.fullmatch(r"[A-Za-z0-9_-]{22}", key)
        assert len(base64.urlsafe_b64decode(key + "==")) == 16
    assert len(set("".join(keys))) == 64  # every base64url symbol turns up: no fixed or biased bits


def test_participant_tokens_are_accepted_on_reconnect() -> None:
    """The server's own participant tokens pass its token check, so a reload keeps identity."""
    tokens = {new_token() for _ in range(100)}
    assert len(tokens) == 100 and all(TOKEN_PATTERN.fullmatch(t) for t in tokens)


def test_participant_id_is_stable_and_does_not_reveal_the_token() -> None:
    """One token always gives the same public id, other tokens give other ids, and the id is not the token."""
    token = new_token()
    pid = participant_id(token)
    assert pid == participant_id(token)
    assert re.fullmatch(r"p_[0-9a-f]{20}", pid) and token not in pid
    assert len({participant_id(new_token()) for _ in range(1000)} | {pid}) == 1001


FACILITATOR_KEY, COACH_KEY = new_key(), new_key()


@pytest.mark.parametrize(
    ("key", "role"),
    [
        (FACILITATOR_KEY, Role.FACILITATOR),
        (COACH_KEY, Role.COACH),
        ("wrong-key", Role.PARTICIPANT),
        (FACILITATOR_KEY[:-1], Role.PARTICIPANT),
        (hash_secret(FACILITATOR_KEY), Role.PARTICIPANT),
        ("", Role.PARTICIPANT),
        (None, Role.PARTICIPANT),
    ],
    ids=["facilitator", "coach", "wrong", "truncated", "stored-hash", "empty", "none"],
)
def test_role_comes_only_from_the_right_key(key: str | None, role: Role) -> None:
    """Only the facilitator or coach key itself gives that role; anything else is a participant."""
    assert role_for_key(key, hash_secret(FACILITATOR_KEY), hash_secret(COACH_KEY)) is role


def test_stored_key_hash_is_not_the_key() -> None:
    """The store keeps a SHA-256 digest of a key, never the key itself."""
    digest = hash_secret(FACILITATOR_KEY)
    assert re.fullmatch(r"[0-9a-f]{64}", digest) and FACILITATOR_KEY not in digest
    assert digest == hash_secret(FACILITATOR_KEY) != hash_secret(COACH_KEY)


# --- rate limit ------------------------------------------------------------------------------


def test_bucket_allows_a_burst_then_refuses() -> None:
    """A client may send `burst` frames at once; the next one in the same instant is refused."""
    bucket = TokenBucket(rate=2, burst=3)
    assert [bucket.take(now=100.0) for _ in range(4)] == [True, True, True, False]


def test_bucket_refills_at_its_rate_up_to_the_burst() -> None:
    """Tokens come back at `rate` per second, fractions add up, and no more than `burst` are saved."""
    bucket = TokenBucket(rate=2, burst=3)
    assert [bucket.take(now=0.0) for _ in range(3)] == [True] * 3
    assert bucket.take(now=0.25) is False  # half a token so far
    assert bucket.take(now=0.5) is True  # the second half makes one
    assert bucket.take(now=0.5) is False
    assert [bucket.take(now=60.0) for _ in range(4)] == [True, True, True, False]


# --- origin ----------------------------------------------------------------------------------


async def _receive() -> Message:
    raise AssertionError("the origin check does not read from the socket")


async def _send(message: Message) -> None:
    raise AssertionError("the origin check does not write to the socket")


def handshake(origin: str | None, host: str = "example.org", scheme: str = "ws", **extra: str) -> WebSocket:
    headers = [(b"host", host.encode())]
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    headers += [(name.replace("_", "-").encode(), value.encode()) for name, value in extra.items()]
    scope = {
        "type": "websocket", "headers": headers, "scheme": scheme, "path": "/r/K7MPQ2/ws",
        "query_string": b"", "server": (host.split(":")[0], 80),
    }  # fmt: skip
    return WebSocket(scope, _receive, _send)


ALLOWED = ("https://intranett.kommune.no",)


@pytest.mark.parametrize(
    ("ws", "allowed"),
    [
        (handshake("http://example.org"), True),
        (handshake("https://example.org"), True),
        (handshake("https://example.org", scheme="wss"), True),
        (handshake("http://localhost:8000", host="localhost:8000"), True),
        (handshake("https://example.org", x_forwarded_proto="https"), True),
        (handshake(None), True),
        (handshake("https://intranett.kommune.no"), True),
        (handshake("http://evil.example"), False),
        (handshake("http://example.org.evil.example"), False),
        (handshake("http://example.org:8080"), False),
        (handshake("http://example.org", scheme="wss"), False),
        (handshake("http://intranett.kommune.no"), False),
        (handshake("null"), False),
    ],
    ids=[
        "same-origin", "same-host-https", "wss-https", "with-port", "behind-proxy", "no-origin",
        "configured", "foreign", "suffix-trick", "other-port", "downgraded", "configured-other-scheme",
        "null",
    ],
)  # fmt: skip
def test_origin_check(ws: WebSocket, allowed: bool) -> None:
    """Sockets from this site, a configured origin or a non-browser client are let in; other sites are not."""
    assert origin_allowed(ws, ALLOWED) is allowed


def test_an_empty_allow_list_admits_this_site_only() -> None:
    """Without ALLOWED_ORIGINS (the default) no other site is let in: an empty list is not "any"."""
    assert origin_allowed(handshake("https://example.org"), ()) is True
    assert origin_allowed(handshake(None), ()) is True
    for foreign in ("http://evil.example", "https://intranett.kommune.no", "null", ""):
        assert origin_allowed(handshake(foreign), ()) is False, foreign


# --- languages -------------------------------------------------------------------------------

TRANSLATIONS = Translations()


@pytest.mark.parametrize(
    ("language", "code", "params", "message"),
    [
        ("nb", "forbidden", None, "Du har ikke lov til å gjøre det."),
        ("sv", "forbidden", None, "Du har inte behörighet att göra det."),
        ("en", "forbidden", None, "You are not allowed to do that."),
        ("de", "forbidden", None, "You are not allowed to do that."),
        ("", "forbidden", None, "You are not allowed to do that."),
        ("nb", "too_long", {"max": 500}, "Teksten er for lang (høyst 500 tegn)."),
        ("en", "too_long", {"max": 500}, "The text is too long (at most 500 characters)."),
        ("en", "room_full", {"max": 300, "unused": 1}, "The room is full (at most 300 participants)."),
        ("en", "too_long", None, "The text is too long (at most %(max)s characters)."),
        ("nb", "no_such_code", None, "no_such_code"),
    ],
)
def test_error_messages_in_the_rooms_language(
    language: str, code: str, params: dict[str, object] | None, message: str
) -> None:
    """People read refusals in the room's language (English without a catalog), with limits filled in."""
    assert TRANSLATIONS.get(language).error(code, params) == message


@pytest.mark.parametrize("language", ["nb", "sv"])
@pytest.mark.parametrize("code", sorted(ERROR_MESSAGES))
def test_every_error_is_translated_with_the_same_placeholders(language: str, code: str) -> None:
    """Every refusal has a translation, and it uses the same %(name)s placeholders as the English."""
    english = ERROR_MESSAGES[code]
    translated = TRANSLATIONS.get(language).gettext(english)
    assert translated != english
    placeholders = re.compile(r"%\((\w+)\)s")
    assert sorted(placeholders.findall(translated)) == sorted(placeholders.findall(english))


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("nb-NO,nb;q=0.9,en;q=0.8", "nb"),
        ("sv-SE", "sv"),
        ("sv-FI,sv;q=0.9", "sv"),
        ("en-GB,en;q=0.9", "en"),
        ("de", "en"),
        ("de-DE,sv;q=0.5", "sv"),
        ("no", "nb"),
        ("nn", "nb"),
        ("nn-NO,en;q=0.5", "nb"),
        ("*", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_language_negotiation(header: str | None, language: str) -> None:
    """The browser's Accept-Language picks nb, sv or en; Nynorsk and generic Norwegian read bokmål."""
    assert TRANSLATIONS.negotiate(header) == language
