"""docs/protocol.md lists every op, every event and every error code there is, with every field
of each; a new op, event, field or code fails here until it is documented."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import msgspec
import pytest

from server import frames
from server.domain import COMMANDS, ErrorCode
from server.domain.events import EVENTS, PROJECTED_OPS
from tests.golden import generate

DOC = (Path(__file__).resolve().parent.parent / "docs" / "protocol.md").read_text(encoding="utf-8")
NAME = re.compile(r"`([a-z_]+(?:\.[a-z_]+)?)`")


def _table(heading: str) -> dict[str, str]:
    """The rows of the first table after `heading`: each op named in the first cell -> its row."""
    section = DOC[DOC.index(heading):]
    rows: dict[str, str] = {}
    started = False
    for line in section.splitlines()[2:]:  # after the heading and the |---| line
        if line.startswith("|"):
            started = True
            cells = line.split("|")
            for name in NAME.findall(cells[1]):
                rows[name] = line
        elif started:
            break
    return rows


OPS = _table("| op | args | who | refusals |")
EVENT_ROWS = _table("| `op` | `data` | who gets it |")


def test_every_op_is_documented_and_nothing_else() -> None:
    assert set(OPS) == set(COMMANDS)


@pytest.mark.parametrize("op", sorted(COMMANDS))
def test_every_arg_of_an_op_is_documented(op: str) -> None:
    command = COMMANDS[op]
    if issubclass(command, msgspec.Struct):  # a Struct renames Python keywords (`from_` is `from`)
        args = [f.encode_name for f in msgspec.structs.fields(command)]
    else:
        args = [f.name for f in dataclasses.fields(command)]
    row = OPS[op]
    missing = [a for a in args if f"`{a}" not in row]
    assert missing == [], f"{op}: args not in docs/protocol.md: {missing}"


def test_every_event_is_documented_and_nothing_else() -> None:
    assert set(EVENT_ROWS) == set(EVENTS) | set(PROJECTED_OPS)


@pytest.mark.parametrize("op", sorted(EVENTS))
def test_every_field_of_an_event_is_documented(op: str) -> None:
    fields = msgspec.structs.fields(EVENTS[op])
    row = EVENT_ROWS[op]
    missing = [f.encode_name for f in fields if not re.search(rf"\b{f.encode_name}\b", row)]
    assert missing == [], f"{op}: fields not in docs/protocol.md: {missing}"


def test_every_error_code_is_documented() -> None:
    section = DOC[DOC.index("Error codes (one enum"):DOC.index("An error that has details")]
    assert set(NAME.findall(section)) >= {code.value for code in ErrorCode}


def test_every_frame_a_golden_viewer_receives_is_a_typed_server_frame() -> None:
    """The event frames the domain projects fit the type in server/frames.py, field for field."""
    for path in sorted(generate.HERE.glob("*.json")):
        for viewer in json.loads(path.read_text(encoding="utf-8"))["viewers"]:
            for frame in viewer["frames"]:
                if frame["type"] == "event":
                    typed = msgspec.convert(frame, frames.EventFrame)
                    assert msgspec.to_builtins(typed) == {k: v for k, v in frame.items() if v is not None or k == "by"}
