"""The browser client's connection logic (seq order, gaps, resume, outbox) under Node with a
scripted socket: fast, deterministic, no browser."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.support.servers import require

SCRIPT = Path(__file__).parent / "client" / "connection.test.mjs"


def test_client_connection_logic() -> None:
    """Events apply in seq order, a gap reconnects with since, acks clear the outbox, 4404 stops."""
    node = require("node", "nodejs")
    result = subprocess.run([node, str(SCRIPT)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "FAIL" not in result.stdout and result.stdout.count("ok ") >= 20
