"""Room codes people can read aloud and type on a phone, secret keys nobody can guess, and the
link a code stands for."""

from __future__ import annotations

import re
import secrets

from starlette.requests import Request

# No 0/O, 1/I: they are confused when read aloud or handwritten on a flip chart.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6  # 32**6 ≈ 10**9 codes: guessing a live one is impractical with rate limits
CODE_PATTERN = re.compile(f"[{ALPHABET}]{{{CODE_LENGTH}}}")


def new_room_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str | None:
    """What a person typed ("k7m-pq2 ") as a code, or None if it cannot be one."""
    code = re.sub(r"[\s-]", "", typed).upper()
    return code if CODE_PATTERN.fullmatch(code) else None


def new_key() -> str:
    """A facilitator or coach key: 128 random bits, URL-safe."""
    return secrets.token_urlsafe(16)


def site_address(request: Request) -> str:
    """This server's address as the people in the room reach it (the proxy's, behind one)."""
    return str(request.base_url).rstrip("/")


def participant_link(request: Request, code: str) -> str:
    """The link participants open."""
    return f"{site_address(request)}/r/{code}"
