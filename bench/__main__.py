"""`python -m bench`: start the servers, run the scenarios against Tavla and the floor, report.

    python -m bench                      # the full run behind docs/performance.md (~15 min)
    python -m bench --quick              # the CI smoke run (~1 min): small, every scenario
    python -m bench --scenario big_room --repeat 1

Exits 1 when a message was lost or anything errored (a refused op, a gap, a disconnect, a
scenario that raised); never because of a timing. Timings and targets are in the report.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from . import participant, report, scenarios
from .load import Harness
from .servers import BENCH_ENV, BenchTavla, deploy, has_redis

SCENARIOS: dict[str, tuple[Any, list[str]]] = {
    "big_room": (scenarios.big_room, ["floor", "tavla-embedded", "tavla-redis-1", "tavla-redis-wait1"]),
    "split": (scenarios.big_room, ["floor", "tavla-redis-2"]),
    "fallback": (scenarios.big_room_fallback, ["floor", "tavla-embedded"]),
    "vote_storm": (scenarios.vote_storm, ["floor", "tavla-embedded"]),
    "many_rooms": (scenarios.many_rooms, ["floor", "tavla-embedded"]),
    "join": (scenarios.join_big_room, ["floor", "tavla-embedded", "tavla-redis-1"]),
    "memory": (scenarios.memory, ["floor", "tavla-embedded"]),
}
DISTURBED = 0.25  # other processes' share of the machine above which a run is repeated
DOC = Path(__file__).resolve().parent.parent / "docs" / "performance.md"
BEGIN, END = "<!-- bench:results:begin -->", "<!-- bench:results:end -->"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="the CI smoke run: small sizes, one repeat")
    parser.add_argument("--repeat", type=int, default=None, help="repeats (default 3; 1 with --quick)")
    parser.add_argument("--scenario", action="append", choices=list(SCENARIOS), help="run only these (repeatable)")
    parser.add_argument("--out", default="bench/results/latest.json", help="where the JSON goes")
    parser.add_argument("--workers", type=int, default=2, help="load-generator processes")
    parser.add_argument("--no-redis", action="store_true", help="skip the Redis deployments")
    parser.add_argument("--write-doc", action="store_true", help="replace the results block of docs/performance.md")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--retries", type=int, default=None,
                        help="re-runs of a run disturbed by other processes (default 2; 0 with --quick)")
    parser.add_argument("--retry-budget", type=float, default=14 * 60,
                        help="no re-runs after this many seconds")
    parser.add_argument("--profile", action="store_true",
                        help="sample Tavla with py-spy during each measured run (top frames in the JSON)")
    parser.add_argument("--server-env", action="append", default=[], metavar="KEY=VALUE",
                        help="extra environment for the Tavla processes (repeatable)")
    parser.add_argument("--server-root", type=Path, default=None,
                        help="run Tavla from this checkout instead (for before/after comparisons)")
    parser.add_argument("--no-batch", action="store_true",
                        help="Tavla's clients do not ask for batches (hello.batch), for a before/after")
    args = parser.parse_args(argv)

    if args.server_root is not None:
        BenchTavla.root = args.server_root.resolve()
    scenarios.PROFILE = args.profile
    if args.no_batch:
        os.environ["BENCH_NO_BATCH"] = "1"  # before the load-generator processes start
        participant.BATCH = False
    BENCH_ENV.update(dict(item.split("=", 1) for item in args.server_env))
    params = scenarios.QUICK if args.quick else scenarios.FULL
    repeat = args.repeat or (1 if args.quick else 3)
    if args.retries is None:
        args.retries = 0 if args.quick else 2
    chosen = args.scenario or list(SCENARIOS)
    use_redis = has_redis() and not args.no_redis
    if not use_redis:
        print("redis-server not found (or --no-redis): skipping the Redis deployments", file=sys.stderr)

    runs: report.Runs = {name: {} for name in chosen}
    began = time.monotonic()
    harness = Harness(args.workers)
    try:
        for rep in range(repeat):
            for name in chosen:
                fn, deployments = SCENARIOS[name]
                for dep_name in deployments:
                    if dep_name.startswith("tavla-redis") and not use_redis:
                        continue
                    if name == "split" and dep_name == "floor" and "big_room" in chosen:
                        continue  # the same floor run serves both tables
                    attempts: list[dict[str, Any]] = []
                    while True:
                        rng = random.Random(args.seed * 1000 + rep)
                        t0 = time.monotonic()
                        print(f"[{time.monotonic() - began:6.1f}s] repeat {rep + 1}/{repeat} {name} on {dep_name} ...",
                              file=sys.stderr, flush=True)
                        result = _run_one(harness, fn, dep_name, params, rng)
                        result["elapsed_s"] = round(time.monotonic() - t0, 1)
                        print(f"           {_brief(result)}", file=sys.stderr, flush=True)
                        attempts.append(result)
                        # The machine is shared: a run that other processes disturbed (they used
                        # over a quarter of it) is run again, within a bounded budget.
                        if (result.get("other_cpu_share", 0) <= DISTURBED or len(attempts) > args.retries
                                or time.monotonic() - began > args.retry_budget):
                            break
                        print("           disturbed by other processes: again", file=sys.stderr, flush=True)
                    best = min(attempts, key=lambda r: r.get("other_cpu_share", 0))
                    best["attempts"] = len(attempts)
                    runs[name].setdefault(dep_name, []).append(best)
    finally:
        harness.close()

    found = report.problems(runs)
    tables = report.markdown(runs, params)
    meta = {
        "command": "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:]),
        "quick": args.quick, "repeat": repeat, "workers": args.workers,
        "nproc": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
        "cpu": _cpu_model(), "server_env": BENCH_ENV, "elapsed_s": round(time.monotonic() - began, 1),
        "redis": use_redis, "server_root": str(BenchTavla.root), "batch": participant.BATCH,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"meta": meta, "problems": found, "runs": _clean(runs)}, indent=1, default=str))
    print(tables)
    print(f"\nproblems: {found}   elapsed: {meta['elapsed_s']} s   json: {out}")
    if args.write_doc:
        _write_doc(tables, meta)
    return 1 if any(found.values()) else 0


def _run_one(harness: Harness, fn: Any, dep_name: str, params: scenarios.Params, rng: random.Random) -> dict[str, Any]:
    try:
        with deploy(dep_name) as dep:
            result = fn(harness, dep, params, rng)
            if not dep.alive():
                result["server_alive"] = False
            return result
    except Exception as exc:
        traceback.print_exc()
        try:
            harness.close_clients()
        except Exception:
            pass
        return {"exception": repr(exc)}


def _brief(result: dict[str, Any]) -> str:
    if "exception" in result:
        return f"FAILED: {result['exception']}"
    lat = result.get("latency", {})
    bits = [f"{m} p50/p99/max {v.get('p50')}/{v.get('p99')}/{v.get('max')} ms (n={v.get('n')})"
            for m, v in lat.items() if m != "sendlag"]
    for key in ("lost", "gaps", "disconnects", "errors", "kib_per_connection", "cpu_ms_per_1000_deliveries",
                "generator_cpu_share", "other_cpu_share", "quiet_before", "elapsed_s"):
        if key in result:
            bits.append(f"{key}={result[key]}")
    for part in ("join", "resume"):
        if part in result:
            r = result[part]
            bits.append(f"{part} p50/p99 {r['latency'].get('p50')}/{r['latency'].get('p99')} ms {r['kinds']} {r['events']} errors={r['errors']}")
    return "; ".join(bits)


def _clean(runs: report.Runs) -> report.Runs:
    return {s: {d: [{k: v for k, v in r.items() if not k.startswith("_")} for r in reps] for d, reps in by.items()}
            for s, by in runs.items()}


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def _write_doc(tables: str, meta: dict[str, Any]) -> None:
    text = DOC.read_text() if DOC.exists() else f"# Performance\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text:
        text += f"\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    block = (f"{BEGIN}\n_Generated by `{meta['command'].strip()}` on {time.strftime('%Y-%m-%d')}: "
             f"{meta['nproc']} cores ({meta['cpu']}), Python {meta['python']}, {meta['repeat']} repeats, "
             f"{meta['workers']} load-generator processes, {meta['elapsed_s']:.0f} s in all._\n\n{tables}\n{END}")
    DOC.write_text(head + block + tail)


if __name__ == "__main__":
    sys.exit(main())
