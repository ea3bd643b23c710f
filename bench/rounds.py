"""`python -m bench.rounds`: what a round switch costs the process that fans it out.

A `round.switched` frame carries each recipient's whole state (docs/protocol.md, "Rounds"), so
the hub projects and encodes one frame per recipient, synchronously, as `Hub._fan_out` does.
This times exactly that work, pure domain and encoder, no sockets: per recipient without the
shared pieces (`project_event` alone) and with them (`visibility.SharedViews`, what the hub
uses), against the bare-broadcast baseline of the same run (a `phase.set` to every recipient:
one encoding shared by all). Median of a few runs, in milliseconds; the numbers go to
docs/performance.md ("Round switches"). Timings only, no assertions.
"""

from __future__ import annotations

import argparse
import statistics
import time

from server import protocol
from server.domain import Actor, Event, Role, State, apply_event, decide, frame_class, initial_state, join
from server.domain import events as ev
from server.domain.commands import PhaseSet, RoundGo
from server.domain.rules import Limits, new_room
from server.domain.visibility import SharedViews, project_event

LIMITS = Limits()


def session(people: int, notes: int) -> tuple[State, list[Actor]]:
    """A BLT session with `people` joined (the first the facilitator) and `notes` notes in the
    needs round, then switched to the solution round: the next switch brings them all back."""
    created = new_room("BENCH1", "Bench", "nb", "need-solution-test", LIMITS)
    state = initial_state(Event(1, created.op, "system", 0, created.data))  # type: ignore[union-attr]

    def apply(op: str, by: str, data: object) -> None:
        apply_event(state, Event(state.seq + 1, op, by, 0, data))  # type: ignore[arg-type]

    actors = []
    for i in range(people):
        role = Role.FACILITATOR if i == 0 else Role.PARTICIPANT
        joined = join(state, f"p{i}", f"Person {i}", "Helse", role, LIMITS)
        apply(joined.op, f"p{i}", joined.data)  # type: ignore[union-attr]
        actors.append(Actor(f"p{i}", role))
    fac = actors[0]
    for command in (PhaseSet("write"),):
        decided = decide(state, fac, command, 0, LIMITS)
        apply(decided.op, fac.id, decided.data)  # type: ignore[union-attr]
    for i in range(notes):
        author = actors[i % people].id
        apply("note.create", author, ev.NoteCreated(f"n{i}", f"Idé nummer {i} om noe viktig", "yellow",
                                                    float((i * 37) % 3800), float((i * 53) % 2800), None, author))
    decided = decide(state, fac, RoundGo("solution"), 0, LIMITS)
    apply(decided.op, fac.id, decided.data)  # type: ignore[union-attr]
    return state, actors


def fan_out(event: Event, state: State, actors: list[Actor], shared: bool) -> int:
    """The hub's fan-out: one encoding per frame class; the bytes sent in all."""
    online = [a.id for a in actors]
    views = SharedViews(state, online, LIMITS) if shared else None
    encoded: dict[object, str] = {}
    sent = 0
    for actor in actors:
        cls = frame_class(event, actor)
        frame = encoded.get(cls)
        if frame is None:
            frame = encoded[cls] = protocol.encode(project_event(event, actor, state, online, 0, LIMITS, views))
        sent += len(frame)
    return sent


def measure(people: int, notes: int, runs: int) -> dict[str, float]:
    state, actors = session(people, notes)
    fac = actors[0]
    back = decide(state, fac, RoundGo("need"), 0, LIMITS)
    switch = Event(state.seq + 1, back.op, fac.id, 0, back.data)  # type: ignore[union-attr]
    apply_event(state, switch)
    phase = Event(state.seq + 1, "phase.set", fac.id, 0, ev.PhaseChanged("cluster"))
    timings: dict[str, list[float]] = {"broadcast": [], "plain": [], "shared": []}
    size = 0
    for _ in range(runs):
        for name, work in (("broadcast", lambda: fan_out(phase, state, actors, False)),
                           ("plain", lambda: fan_out(switch, state, actors, False)),
                           ("shared", lambda: fan_out(switch, state, actors, True))):
            start = time.perf_counter()
            sent = work()
            timings[name].append((time.perf_counter() - start) * 1000)
            if name == "shared":
                size = sent
    result = {name: statistics.median(values) for name, values in timings.items()}
    result["kb_per_frame"] = size / people / 1000
    result["mb_total"] = size / 1e6
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print("| recipients | notes | broadcast (baseline) | switch, per recipient | switch, shared (the hub) | per frame | all frames |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for people, notes in ((30, 150), (100, 500), (300, 2000)):
        r = measure(people, notes, args.runs)
        print(f"| {people} | {notes} | {r['broadcast']:.1f} ms | {r['plain']:.0f} ms | {r['shared']:.0f} ms "
              f"| {r['kb_per_frame']:.0f} kB | {r['mb_total']:.1f} MB |")


if __name__ == "__main__":
    main()
