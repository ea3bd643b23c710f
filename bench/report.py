"""Medians over repeats, ratios to the floor, targets met or not, as JSON and Markdown.

Each figure in a table is the median over the repeats of that figure in each repeat (so a
p99 is the median of the per-repeat p99s); a ratio is median(Tavla) / median(floor) of the
same figure, with the floor measured in the same invocation.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from typing import Any

Runs = dict[str, dict[str, list[dict[str, Any]]]]  # scenario -> deployment -> one dict per repeat


def pick(run: dict[str, Any], path: str) -> Any:
    value: Any = run
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def median(runs: list[dict[str, Any]], path: str) -> float | None:
    values = [v for v in (pick(r, path) for r in runs) if isinstance(v, (int, float)) and not isinstance(v, bool)]
    return statistics.median(values) if values else None


def total(runs: list[dict[str, Any]], path: str) -> int:
    return sum(v for v in (pick(r, path) for r in runs) if isinstance(v, int) and not isinstance(v, bool))


def fmt(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}" if isinstance(value, float) else f"{value:,}"


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a is not None and b else None


def problems(runs: Runs) -> dict[str, int]:
    """What makes the run fail (never timing): lost messages and errors of any kind."""
    counts = {"lost": 0, "gaps": 0, "errors": 0, "disconnects": 0, "failed_runs": 0, "missing_reveal": 0}
    for by_dep in runs.values():
        for reps in by_dep.values():
            for r in reps:
                if "exception" in r:
                    counts["failed_runs"] += 1
                    continue
                counts["lost"] += r.get("lost", 0)
                counts["gaps"] += r.get("gaps", 0)
                counts["missing_reveal"] += r.get("missing_reveal", 0)
                counts["disconnects"] += r.get("disconnects", 0)
                counts["errors"] += sum(r.get("errors", {}).values()) + r.get("unanswered", 0)
                for part in ("join", "resume"):
                    counts["errors"] += pick(r, f"{part}.errors") or 0
                if r.get("server_alive") is False:
                    counts["errors"] += 1
                if r.get("totals_agree") is False:
                    counts["errors"] += 1
    return counts


def _lat_rows(runs: Runs, scenario: str, metric: str, deps: list[str], floor_from: str | None = None,
              target: Callable[[float | None, float | None], tuple[str, bool | None]] | None = None,
              floor_metric: str | None = None) -> list[str]:
    floor_runs = runs.get(floor_from or scenario, {}).get("floor", [])
    f = {q: median(floor_runs, f"latency.{floor_metric or metric}.{q}") for q in ("p50", "p99", "max")}
    lines = ["| server | p50 ms | p99 ms | max ms | p99 / floor p99 | lost | errors | target | met |",
             "|---|---:|---:|---:|---:|---:|---:|---|---|"]
    lines.append(f"| floor | {fmt(f['p50'])} | {fmt(f['p99'])} | {fmt(f['max'])} | 1.00 | "
                 f"{total(floor_runs, 'lost')} | {_errs(floor_runs)} | | |")
    for dep in deps:
        reps = runs.get(scenario, {}).get(dep, [])
        if not reps:
            continue
        t = {q: median(reps, f"latency.{metric}.{q}") for q in ("p50", "p99", "max")}
        r = ratio(t["p99"], f["p99"])
        text, met = target(t["p99"], f["p99"]) if target else ("", None)
        lines.append(f"| {dep} | {fmt(t['p50'])} | {fmt(t['p99'])} | {fmt(t['max'])} | {fmt(r, 2)} | "
                     f"{total(reps, 'lost')} | {_errs(reps)} | {text} | {_met(met)} |")
    return lines


def _errs(reps: list[dict[str, Any]]) -> int:
    """Everything but lost messages that went wrong: error frames, unanswered ops, gaps,
    disconnects, failed runs."""
    found = problems({"": {"": reps}})
    return found["errors"] + found["failed_runs"] + found["disconnects"] + found["gaps"] + found["missing_reveal"]


def _met(met: bool | None) -> str:
    return "" if met is None else ("**yes**" if met else "**no**")


def _within(factor: float) -> Callable[[float | None, float | None], tuple[str, bool | None]]:
    def check(tavla: float | None, floor: float | None) -> tuple[str, bool | None]:
        if tavla is None or floor is None:
            return f"p99 ≤ {factor}× floor", None
        return f"p99 ≤ {factor}× floor ({factor * floor:.1f} ms)", tavla <= factor * floor
    return check


def markdown(runs: Runs, p: Any) -> str:
    """Every scenario's table (`p`: the scenarios' Params); the same text goes into
    docs/performance.md."""
    out: list[str] = []
    if "big_room" in runs:
        out += [f"### 1. Big room: {p.participants} participants, {p.rate:g} note ops/s for {p.duration_s:g} s "
                "(fan-out latency at every receiver)", ""]
        out += _lat_rows(runs, "big_room", "fanout", ["tavla-embedded", "tavla-redis-1"], target=_within(1.5))
        out += _lat_rows(runs, "big_room", "fanout", ["tavla-redis-wait1"])[3:]  # WAIT 1: no target, a cost
        out += ["", _extra(runs, "big_room", ["floor", "tavla-embedded", "tavla-redis-1", "tavla-redis-wait1"]), ""]
    if "split" in runs:
        src = "big_room" if "floor" in runs.get("big_room", {}) else "split"
        out += ["### 2. Two processes + Redis: the same room split over both", ""]
        out += _lat_rows(runs, "split", "fanout", ["tavla-redis-2"], floor_from=src, target=_within(2.0))
        out += ["", _extra(runs, "split", ["tavla-redis-2"]), ""]
    if "fallback" in runs:
        out += _fallback(runs, p)
    if "vote_storm" in runs:
        out += _vote(runs, p)
    if "many_rooms" in runs:
        out += _many(runs, p)
    if "join" in runs:
        out += _join(runs, p)
    if "memory" in runs:
        out += _memory(runs, p)
    return "\n".join(out)


def _fallback(runs: Runs, p: Any) -> list[str]:
    """The big room with half its participants on the HTTP fallback: both transports' fan-out
    latency from the same run, against the floor's bare socket broadcast of the same load."""
    out = [f"### 1b. Big room, half on the HTTP fallback (SSE + POST): {p.participants} participants, "
           f"{p.rate:g} note ops/s for {p.duration_s:g} s", ""]
    rows = _lat_rows(runs, "fallback", "fanout", ["tavla-embedded"])
    rows[3] = rows[3].replace("| tavla-embedded |", "| tavla-embedded, socket receivers |", 1) if len(rows) > 3 else ""
    sse = _lat_rows(runs, "fallback", "fanout_sse", ["tavla-embedded"], floor_metric="fanout")[3:]
    rows += [line.replace("| tavla-embedded |", "| tavla-embedded, fallback receivers |", 1) for line in sse]
    # `lost` and `errors` count the whole run (both transports); each row repeats them.
    out += [r for r in rows if r]
    out += ["", _extra(runs, "fallback", ["floor", "tavla-embedded"]), ""]
    return out


def _extra(runs: Runs, scenario: str, deps: list[str]) -> str:
    parts = []
    for dep in deps:
        reps = runs.get(scenario, {}).get(dep, [])
        if reps:
            parts.append(
                f"{dep}: {fmt(median(reps, 'frames'), 0)} frames delivered"
                + (f" ({fmt(median(reps, 'batches'), 0)} messages held a batch)" if median(reps, 'batches') else "")
                + ", server CPU "
                f"{fmt(median(reps, 'server_cpu_s'), 2)} s ({fmt(median(reps, 'cpu_ms_per_1000_deliveries'), 2)} ms "
                f"per 1,000 deliveries)" + (f", redis-server CPU {fmt(median(reps, 'redis_cpu_s'), 2)} s"
                                             if dep.startswith("tavla-redis") else "")
                + f", generator send lag p99 {fmt(median(reps, 'latency.sendlag.p99'))} ms")
    return "Medians: " + "; ".join(parts) + "." if parts else ""


def _vote(runs: Runs, p: Any) -> list[str]:
    by = runs["vote_storm"]
    out = [f"### 3. Vote storm: {p.participants} participants × {p.votes_each} dots within {p.vote_window_s:g} s", "",
           "Reveal: from the last vote's intended send time to each client's copy of the reveal "
           "(the facilitator reveals as soon as it has seen every vote event).", "",
           "| server | reveal p50 ms | reveal p99 ms | all clients by (max) ms | vote → own event p99 ms | "
           "totals agree | disconnects | lost | target | met |",
           "|---|---:|---:|---:|---:|---|---:|---:|---|---|"]
    for dep in ("floor", "tavla-embedded", "tavla-redis-1"):
        reps = by.get(dep, [])
        if not reps:
            continue
        mx = median(reps, "latency.reveal.max")
        agree = all(r.get("totals_agree") for r in reps)
        agreement = "n/a (relays only)" if dep == "floor" else ("yes" if agree else "no")
        disc = total(reps, "disconnects")
        met = None if dep == "floor" else (mx is not None and mx <= 1000 and agree and disc == 0)
        out.append(f"| {dep} | {fmt(median(reps, 'latency.reveal.p50'))} | {fmt(median(reps, 'latency.reveal.p99'))} | "
                   f"{fmt(mx)} | {fmt(median(reps, 'latency.vote.p99'))} | {agreement} | {disc} | "
                   f"{total(reps, 'lost')} | {'' if dep == 'floor' else 'all within 1,000 ms, same totals, 0 disconnects'} | {_met(met)} |")
    f, t = median(by.get("floor", []), "latency.reveal.max"), median(by.get("tavla-embedded", []), "latency.reveal.max")
    out += ["", f"Ratio of the last client's reveal time, Tavla / floor: {fmt(ratio(t, f), 2)}. "
            + _extra(runs, "vote_storm", ["floor", "tavla-embedded"]), ""]
    return out


def _many(runs: Runs, p: Any) -> list[str]:
    by = runs["many_rooms"]
    out = [f"### 4. Many rooms: {p.rooms} rooms × {p.per_room} participants on one process, {p.many_duration_s:g} s "
           f"({p.rooms - p.voting_rooms} rooms writing, one op per participant per {p.period_s:g} s; "
           f"{p.voting_rooms} rooms voting in staggered bursts of {p.votes_each} dots each within {p.burst_window_s:g} s)", "",
           "| server | p50 ms | p99 ms | max ms | p99 / floor | note fan-out p99 | vote p99 | deliveries/s | "
           "server CPU ms per 1,000 deliveries | lost | errors | target | met |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"]
    fp99 = median(by.get("floor", []), "latency.all.p99")
    for dep in ("floor", "tavla-embedded"):
        reps = by.get(dep, [])
        if not reps:
            continue
        p99 = median(reps, "latency.all.p99")
        met = None if dep == "floor" else (p99 is not None and p99 <= 50)
        rate = median(reps, "deliveries_per_s")
        out.append(f"| {dep} | {fmt(median(reps, 'latency.all.p50'))} | {fmt(p99)} | {fmt(median(reps, 'latency.all.max'))} | "
                   f"{fmt(ratio(p99, fp99), 2)} | {fmt(median(reps, 'latency.fanout.p99'))} | {fmt(median(reps, 'latency.vote.p99'))} | "
                   f"{fmt(rate, 0)} | {fmt(median(reps, 'cpu_ms_per_1000_deliveries'), 2)} | {total(reps, 'lost')} | {_errs(reps)} | "
                   f"{'' if dep == 'floor' else 'p99 ≤ 50 ms'} | {_met(met)} |")
    out += ["", _extra(runs, "many_rooms", ["floor", "tavla-embedded"]), ""]
    return out


def _join(runs: Runs, p: Any) -> list[str]:
    by = runs["join"]
    out = [f"### 5. Joining a room of {p.notes:,} notes ({p.joins} joins at {p.join_rate:g}/s), and resuming "
           f"after {p.missed:,} missed events ({p.resumers} resumes at {p.resume_rate:g}/s)", "",
           "Timed from the intended connect time (TCP connect, upgrade, hello) to the read that completed "
           "the welcome. The floor has no state: its row is connect + hello + echo, the transport's share.", "",
           "| server | welcome p50 ms | welcome p99 ms | welcome bytes | resume p50 ms | resume p99 ms | "
           "resume bytes | resumed by | target | met |",
           "|---|---:|---:|---:|---:|---:|---:|---|---|---|"]
    for dep in ("floor", "tavla-embedded", "tavla-redis-1"):
        reps = by.get(dep, [])
        if not reps:
            continue
        w, rs = median(reps, "join.latency.p99"), median(reps, "resume.latency.p99")
        kinds = sorted({k for r in reps for k in pick(r, "resume.kinds") or []})
        events = sorted({k for r in reps for k in pick(r, "resume.events") or []})
        met = None if dep == "floor" else (w is not None and rs is not None and w <= 100 and rs <= 500)
        out.append(f"| {dep} | {fmt(median(reps, 'join.latency.p50'))} | {fmt(w)} | {fmt(median(reps, 'join.bytes'), 0)} | "
                   f"{fmt(median(reps, 'resume.latency.p50'))} | {fmt(rs)} | {fmt(median(reps, 'resume.bytes'), 0)} | "
                   f"{', '.join(kinds)} {events if dep != 'floor' else ''} | {'' if dep == 'floor' else 'welcome ≤ 100, resume ≤ 500'} | {_met(met)} |")
    return out + [""]


def _memory(runs: Runs, p: Any) -> list[str]:
    by = runs["memory"]
    out = ["### 6. Memory", "",
           "| server | idle connections | RSS before MiB | RSS after MiB | KiB per idle connection | ratio | target | met |",
           "|---|---:|---:|---:|---:|---:|---|---|"]
    f = median(by.get("floor", []), "kib_per_connection")
    for dep in ("floor", "tavla-embedded", "tavla-redis-1"):
        reps = by.get(dep, [])
        if not reps:
            continue
        k = median(reps, "kib_per_connection")
        met = None if dep == "floor" else (k is not None and k <= 40)
        mib = 1024 * 1024
        out.append(f"| {dep} | {fmt(median(reps, 'connections'), 0)} | {fmt((median(reps, 'rss_before') or 0) / mib)} | "
                   f"{fmt((median(reps, 'rss_after') or 0) / mib)} | {fmt(k)} | {fmt(ratio(k, f), 2)} | "
                   f"{'' if dep == 'floor' else '≤ 40 KiB'} | {_met(met)} |")
    reds = runs.get("join", {}).get("tavla-redis-1", [])
    if reds:
        suffixes = [k for k in reds[0].get("redis_room_bytes_after_missed") or reds[0].get("redis_room_bytes", {})
                    if k != "total"]
        out += ["", "A room in Redis (`MEMORY USAGE key SAMPLES 0` of every key `SCAN` finds for "
                "`room:{CODE}:*`), bytes, median over repeats:", "",
                "| room | total | " + " | ".join(suffixes) + " |", "|---|---:|" + "---:|" * len(suffixes)]
        for label, key in ((f"{p.notes:,} notes", "redis_room_bytes"),
                           (f"{p.notes:,} notes + {p.missed:,} moves", "redis_room_bytes_after_missed")):
            sizes = [r.get(key, {}) for r in reds]
            out.append(f"| {label} | {fmt(median(sizes, 'total'), 0)} | "
                       + " | ".join(fmt(median(sizes, s), 0) for s in suffixes) + " |")
    return out + [""]


