"""The benchmark's smoke run: every scenario, small, against Tavla (embedded and Redis) and
the floor. It fails only if a message was lost or the run errored — never on a timing, which
on a shared CI machine would say more about the neighbours than about Tavla."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.support.servers import ROOT, require


def test_quick_benchmark_loses_nothing_and_errors_nowhere(tmp_path: Path) -> None:
    require("redis-server", "redis-server")  # the Redis deployments are part of the run
    out = tmp_path / "quick.json"
    run = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=240,  # a hang guard: ~60 s alone, twice that under load
    )
    assert out.exists(), run.stderr[-3000:]
    result = json.loads(out.read_text())
    problems = result["problems"]
    runs = result["runs"]
    assert set(runs) == {"big_room", "split", "fallback", "vote_storm", "many_rooms", "join", "memory"}
    ran = {dep for by_dep in runs.values() for dep in by_dep}
    assert ran == {"floor", "tavla-embedded", "tavla-redis-1", "tavla-redis-2", "tavla-redis-wait1"}, ran
    assert problems == {"lost": 0, "gaps": 0, "errors": 0, "disconnects": 0, "failed_runs": 0,
                        "missing_reveal": 0}, (problems, run.stderr[-3000:])
    assert run.returncode == 0, run.stderr[-3000:]
