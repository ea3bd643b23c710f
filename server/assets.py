"""Where the pages and the browser's files are: `templates/` and `client/` sit beside the
package in a checkout (edited in place, no build step) and inside it, as `server/templates`
and `server/client`, in an installed wheel (pyproject.toml maps them there)."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def asset_dir(name: str) -> Path:
    """The installed copy when there is one, else the checkout's; fails loudly at start-up."""
    for candidate in (PACKAGE / name, PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise RuntimeError(f"Expected a {name}/ directory in {PACKAGE} or {PACKAGE.parent}; is Tavla installed whole?")
