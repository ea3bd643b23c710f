"""`python -m bench.layout`: what the domain's layout costs per op, on boards of growing size.

Pure domain, no server: `decide` for ops that place something (`note.create`, `note.group`,
`cluster.create`, `board.tidy`, `notes.reveal`) against `note.update` on the same board (which
places nothing: the baseline of a decide). Median of a few runs, in milliseconds; the numbers
go to docs/performance.md ("Layout in the domain"). Timings only, no assertions.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable

from server.domain import Accepted, Actor, Event, Limits, Role, State, apply_event, decide, initial_state, join
from server.domain import events as ev
from server.domain.commands import (
    BoardTidy,
    ClusterCreate,
    Command,
    NoteCreate,
    NoteGroup,
    NotesReveal,
    NoteUpdate,
)

LIMITS = Limits()
FAC = Actor("p_fac", Role.FACILITATOR)
AREAS = [{"id": a, "title": a, "x": 40 + i * 1320, "y": 40, "w": 1280, "h": 2920} for i, a in enumerate(("need", "solution", "test"))]


def board(notes: int, groups: int, hidden: bool, seed: int = 1) -> State:
    """A board of `notes` notes at random places (private ones with `hidden`) and `groups` groups
    of five notes each, built from events (what a replica would hold)."""
    rng = random.Random(seed)
    state = initial_state(Event(1, "room.create", "system", 0,
                                {"code": "BENCH1", "title": "Bench", "language": "nb", "template": "need-solution-test",
                                 "areas": AREAS}))
    decision = join(state, FAC.id, "Frida", "", Role.FACILITATOR, LIMITS)
    assert isinstance(decision, Accepted)
    apply_event(state, Event(2, decision.op, FAC.id, 0, decision.data))
    for i in range(notes):
        data = ev.NoteCreated(f"n{i}", f"Idea {i}: shorter queues at the front desk", "yellow",
                              float(rng.randint(0, 3780)), float(rng.randint(0, 2860)), None, FAC.id, hidden=hidden)
        apply_event(state, Event(state.seq + 1, "note.create", FAC.id, 0, data))
    for g in range(groups):
        apply_event(state, Event(state.seq + 1, "cluster.create", FAC.id, 0,
                                 ev.ClusterCreated(f"g{g}", f"G{g}", float(rng.randint(0, 3000)), float(rng.randint(0, 2000)), FAC.id)))
        for k in range(5):
            n = f"n{(g * 5 + k) % max(notes, 1)}"
            if n in state.notes:
                apply_event(state, Event(state.seq + 1, "note.group", FAC.id, 0, ev.NoteGrouped(n, f"g{g}")))
    return state


def timed(state: State, command: Callable[[], Command], runs: int) -> float:
    samples = []
    for _ in range(runs):
        cmd = command()
        start = time.perf_counter()
        decide(state, FAC, cmd, 0, LIMITS)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,300,1000,1990")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    print("| notes | note.update (baseline) | note.create | note.group | cluster.create | board.tidy | notes.reveal (all private) |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for size in (int(s) for s in args.sizes.split(",")):
        state = board(size, groups=min(20, size // 10), hidden=False)
        rng = random.Random(2)
        counter = iter(range(10**6))
        row = [
            timed(state, lambda: NoteUpdate("n0", text="changed"), args.runs),
            timed(state, lambda: NoteCreate(f"x{next(counter)}", "new", "yellow", rng.randint(0, 3780), rng.randint(0, 2860)), args.runs),
            timed(state, lambda: NoteGroup(f"n{rng.randrange(size)}", "g0"), args.runs),
            timed(state, lambda: ClusterCreate(f"c{next(counter)}", "G", rng.randint(0, 3000), rng.randint(0, 2000)), args.runs),
            timed(state, BoardTidy, max(1, args.runs // 2)),
            timed(board(size, 0, hidden=True), NotesReveal, max(1, args.runs // 2)),
        ]
        print(f"| {size} | " + " | ".join(f"{ms:.1f}" for ms in row) + " |")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
