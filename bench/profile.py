"""`--profile`: sample the Tavla process with py-spy during a scenario's measured window, and
summarise where its time went (the top frames by own time and by time including callees).

py-spy runs outside the process (ptrace), in `--nonblocking` mode so it never pauses the
server it measures; `pip install py-spy` is enough, nothing changes in Tavla.
"""

from __future__ import annotations

import collections
import contextlib
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

OUT_DIR = Path(__file__).resolve().parent / "results"


def _py_spy() -> str | None:
    here = Path(sys.executable).parent / "py-spy"
    return str(here) if here.exists() else shutil.which("py-spy")


@contextlib.contextmanager
def sampled(pid: int, name: str, enabled: bool) -> Iterator[dict[str, object]]:
    """Sample `pid` while the block runs; the yielded dict gets `profile` (top frames) after."""
    found: dict[str, object] = {}
    binary = _py_spy() if enabled else None
    if binary is None:
        if enabled:
            found["profile"] = "py-spy not installed (.venv/bin/pip install py-spy)"
        yield found
        return
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    raw = OUT_DIR / f"profile-{name}.txt"
    spy = subprocess.Popen([binary, "record", "--pid", str(pid), "--format", "raw", "--output", str(raw),
                            "--rate", "250", "--nonblocking"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        yield found
    finally:
        spy.send_signal(signal.SIGINT)
        try:
            _, err = spy.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            spy.kill()
            _, err = spy.communicate()
        if raw.exists():
            found["profile"] = top_frames(raw)
            found["profile_file"] = str(raw)
        else:
            found["profile"] = f"py-spy failed: {err.decode(errors='replace')[-300:]}"


def top_frames(raw: Path, count: int = 15) -> dict[str, object]:
    """Collapsed stacks ("a;b;c 12") -> the frames with the most samples, own and inclusive."""
    own: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, n = line.rpartition(" ")
        if not stack or not n.isdigit():
            continue
        samples = int(n)
        total += samples
        frames = stack.split(";")
        own[frames[-1]] += samples
        for frame in set(frames):
            inclusive[frame] += samples

    def share(counter: collections.Counter[str]) -> list[str]:
        return [f"{100 * n / total:5.1f}%  {frame}" for frame, n in counter.most_common(count)]

    return {"samples": total, "own": share(own), "inclusive": share(inclusive)} if total else {"samples": 0}
