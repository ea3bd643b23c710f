"""The golden event logs (tests/golden/*.json) replay through the domain to what they say.

The browser's reducer replays the same files (tests/client/golden.test.mjs), so the server's
projection and the client's state cannot drift apart without one of the two failing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from server.domain.events import EVENTS
from tests.golden import generate
from tests.golden.replay import decode_log, viewer_record

FIXTURES = sorted(Path(generate.HERE).glob("*.json"))


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_each_viewer_gets_the_recorded_welcome_frames_and_final_state(path: Path) -> None:
    """Replaying the stored log gives every viewer exactly the welcome, frames and final state on file."""
    golden = _load(path)
    events = decode_log(golden["log"])
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    for recorded in golden["viewers"]:
        assert viewer_record(events, recorded["id"], recorded["welcome_seq"]) == recorded, recorded["id"]


def test_fixtures_are_what_the_generator_writes() -> None:
    """The files are up to date: run `python -m tests.golden.generate` after changing events or projections."""
    expected = dict(generate.rendered())
    assert sorted(expected) == FIXTURES
    for path, text in expected.items():
        assert path.read_text(encoding="utf-8") == text, f"{path.name} is stale: python -m tests.golden.generate"


def test_fixtures_cover_every_event_type() -> None:
    """Every kind of event the log can hold appears in some fixture (room.delete ends a room, so it is left out)."""
    seen = {raw["op"] for path in FIXTURES for raw in _load(path)["log"]}
    assert set(EVENTS) - seen == {"room.delete"}
