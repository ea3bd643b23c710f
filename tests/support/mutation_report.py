"""`make mutate`'s report: the kill ratio and every mutant the domain tests let through, with
its diff, in mutants/report.md (ignored). See docs/testing.md for what survives on purpose."""

from __future__ import annotations

import collections
import subprocess
import sys
from pathlib import Path

MUTMUT = str(Path(sys.executable).with_name("mutmut"))
DETECTED = {"killed", "timeout", "caught by type check"}


def statuses() -> dict[str, str]:
    out = subprocess.run([MUTMUT, "results", "--all", "true"], capture_output=True, text=True, check=True).stdout
    found = {}
    for line in out.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and name.startswith("server."):
            found[name] = status
    return found


def diff_of(name: str) -> str:
    """The mutant's diff, in this process (one `mutmut show` per survivor costs a second each)."""
    try:
        from mutmut.mutation.diff_apply import find_mutant, get_diff_for_mutant

        return get_diff_for_mutant(name, path=find_mutant(name).path).strip()
    except ImportError:  # a mutmut whose internals moved: ask the command line
        return subprocess.run([MUTMUT, "show", name], capture_output=True, text=True).stdout.strip()


def main() -> int:
    found = statuses()
    counts = collections.Counter(found.values())
    detected = sum(n for status, n in counts.items() if status in DETECTED)
    total = len(found)
    ratio = detected / total if total else 0.0
    survivors = sorted(name for name, status in found.items() if status not in DETECTED)
    lines = [
        "# Mutation testing of server/domain",
        "",
        f"Kill ratio: **{ratio:.1%}** ({detected} of {total} mutants detected).",
        "",
        *(f"- {status}: {n}" for status, n in sorted(counts.items())),
        "",
        "## Not detected",
        "",
    ]
    for name in survivors:
        lines += [f"### {name} ({found[name]})", "", "```diff", diff_of(name), "```", ""]
    report = Path("mutants/report.md")
    report.write_text("\n".join(lines))
    print(f"kill ratio {ratio:.1%} ({detected}/{total}); {len(survivors)} not detected, listed in {report}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
