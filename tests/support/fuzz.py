"""How hard the property tests push: fixed and repeatable on every CI run, longer on request.

    make test                                  # CI: derandomized, the example counts in the tests
    TAVLA_FUZZ=20 make test PYTEST_ARGS="-k 'random or arbitrary or keep_every'"   # 20x, random seeds

With TAVLA_FUZZ set, runs are randomized (new seeds each time) and failures are kept in
.hypothesis/ so a found case replays first next time.
"""

from __future__ import annotations

import os

from hypothesis import Phase, settings

FACTOR = int(os.environ.get("TAVLA_FUZZ", "0") or 0)
# `make mutate` (mutmut) sets this before it imports the tests. A mutant the property tests
# catch needs no minimal example, and shrinking one can take longer than the whole run of a
# surviving mutant.
UNDER_MUTATION = "MUTANT_UNDER_TEST" in os.environ

settings.register_profile("ci", derandomize=True, database=None, deadline=None)
settings.register_profile("long", derandomize=False, deadline=None)
settings.register_profile("mutation", derandomize=True, database=None, deadline=None,
                          phases=(Phase.explicit, Phase.generate))
settings.load_profile("mutation" if UNDER_MUTATION else "long" if FACTOR else "ci")


def scaled(examples: int) -> int:
    if UNDER_MUTATION:
        # Each mutant reruns the property tests that reach it: a tenth of the examples keeps a
        # full `make mutate` in minutes; the example-based tests pin the rules one by one.
        return max(10, examples // 10)
    return examples * max(1, FACTOR)
