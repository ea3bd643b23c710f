"""The browser client's logic under Node with a scripted socket: fast, deterministic, no browser.
i18n.test.mjs: plural forms; connection.test.mjs: seq order, gaps, resume, acks and the outbox, 4404; resume.test.mjs:
redacted placeholders, a second welcome, snapshot on a broken resume; state.test.mjs: how each
event changes the client's board; photos.test.mjs: photo notes keep their photo and alt;
rounds.test.mjs: a round switch replaces the board with the state it carries."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.support.servers import require

SCRIPTS = sorted((Path(__file__).parent / "client").glob("*.test.mjs"))


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_client_logic(script: Path) -> None:
    """Every check in the script passes."""
    node = require("node", "nodejs")
    result = subprocess.run([node, str(script)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "FAIL" not in result.stdout and result.stdout.count("ok ") >= 5
