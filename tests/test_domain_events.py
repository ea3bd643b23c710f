"""Typed event data keeps the mapping face older callers read (`data["id"]`, `data.get(...)`),
and refuses data of the wrong type for an op instead of storing it under the wrong name."""

from __future__ import annotations

import pytest

from server.domain import Accepted
from server.domain import events as ev


def test_event_data_reads_like_a_mapping() -> None:
    data = ev.ClusterCreated("c1", "Ventetid", 1.0, 2.0, "p_kari")
    assert data.get("title") == "Ventetid" and data["id"] == "c1"
    assert data.get("missing") is None and data.get("missing", "standard") == "standard"
    assert data.get("x", 99) == 1.0


def test_data_of_another_op_is_refused_with_both_names() -> None:
    """A rule that builds the wrong event type fails where it is made, naming what went wrong."""
    wrong = ev.ClusterCreated("c1", "Ventetid", 1.0, 2.0, "p_kari")
    with pytest.raises(TypeError, match=r"^Expected NoteDeleted for 'note.delete', got ClusterCreated$"):
        Accepted("note.delete", wrong)
