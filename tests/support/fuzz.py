"""How hard the property tests push: fixed and repeatable on every CI run, longer on request.

    make test                                  # CI: derandomized, the example counts in the tests
    TAVLA_FUZZ=20 make test PYTEST_ARGS="-k 'random or arbitrary or keep_every'"   # 20x, random seeds

With TAVLA_FUZZ set, runs are randomized (new seeds each time) and failures are kept in
.hypothesis/ so a found case replays first next time.
"""

from __future__ import annotations

import os

from hypothesis import settings

FACTOR = int(os.environ.get("TAVLA_FUZZ", "0") or 0)

settings.register_profile("ci", derandomize=True, database=None, deadline=None)
settings.register_profile("long", derandomize=False, deadline=None)
settings.load_profile("long" if FACTOR else "ci")


def scaled(examples: int) -> int:
    return examples * max(1, FACTOR)
