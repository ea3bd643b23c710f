"""`python -m bench.client`: how the browser client keeps up in a big room, on a slow phone.

    python -m bench.client                          # 300 notes @ 10/s and 2,000 @ 20/s, 3 repeats
    python -m bench.client --row 2000:20 --repeat 1 --no-throttle
    python -m bench.client --server-root /tmp/before  # another checkout's client (before/after)
    python -m bench.client --row 2000:20 --repeat 1 --trace  # where the main thread's time goes
    python -m bench.client --row 2000:20 --view list --feed paced --throttle 1 --seconds 10 --trace
                                                    # CPU per note, the client alone (busy machine)

Chromium (Debian's, through Playwright) with a phone profile (390×844, touch, mobile) and the
CPU slowed 4× through the DevTools protocol (`Emulation.setCPUThrottlingRate`), the usual
stand-in for a mid-range phone. Tavla runs with the embedded store. Per row:

1. A facilitator's socket fills a new room with N notes before the phone comes.
2. The phone joins; **join → drawn** is from the join form's submit to the first animation
   frame in which every note within the viewport is in the DOM and displayed (the client may
   leave notes far off screen undrawn).
3. A second client (a websocket, not a browser) writes new notes at a fixed rate for the
   window, where the phone looks (within its viewport), each stamped with its send time in the text; **send → DOM** is from that stamp to the
   moment a MutationObserver in the phone sees the text (same machine, same clock).
   **arrive → DOM** is the phone's own share of it: from the socket message that carried the
   note reaching the page to the same moment (a busy machine slows the server and the writer
   too; this part is the client's alone).
4. During the window the page records **frame times** (deltas between requestAnimationFrame
   callbacks) and **long tasks** (PerformanceObserver 'longtask', their summed duration).

The machine is shared: each run records the machine's load (busy share of all cores during the
window, measured from /proc/stat) and the report gives medians over repeats. Nothing here fails
on a timing; the exit code is 1 only when notes were lost or something errored.

`--trace` adds what the renderer's main thread did in the window, from a DevTools trace: wall
ms per event name, and thread CPU ms (the trace's `tdur`) per second and per drawn frame for
script, style, layout, pre-paint, paint, layerisation and commit; CPU time is much less
sensitive to other work on the machine than wall time, so compare those between runs.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import websockets

from .servers import BENCH_ENV, BenchTavla, machine_busy_seconds

CHROMIUM = "/usr/bin/chromium"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True,
         "has_touch": True}
CLIENT_ENV = {**BENCH_ENV, "MAX_NOTES_PER_ROOM": "10000"}  # the fill plus what the writer adds

# Installed before any page script: the probes the measurements read.
PROBE = r"""
(() => {
  const b = (window.__bench = { frames: [], longtasks: [], latencies: [], recording: false,
                                submitAt: null, seen: 0 });
  document.addEventListener("submit", () => { b.submitAt = performance.now(); }, true);
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (b.recording) b.longtasks.push([e.startTime, e.duration]);
    }).observe({ type: "longtask", buffered: false });
  } catch (e) { b.noLongtask = String(e); }
  let last = null;
  const frame = (now) => {
    if (b.recording && last !== null) b.frames.push(now - last);
    last = now;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  const stamp = /bench t=(\d+(?:\.\d+)?)/;
  const seen = new Set();
  // When each stamped note's frame reached the page (the socket's message event, before the
  // client's own listener): "arrive → DOM" is the client's share of send → DOM, apart from the
  // server and the network (which a busy machine slows).
  const arrived = new Map();
  b.arrivals = [];
  const Native = window.WebSocket;
  const stamps = /bench t=(\d+(?:\.\d+)?)/g;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      b.socket = this;
      this.addEventListener("message", (e) => {
        if (typeof e.data === "string" && e.data.includes("bench t=")) b.sample = e.data;
        if (!b.recording || typeof e.data !== "string" || !e.data.includes("bench t=")) return;
        const now = performance.timeOrigin + performance.now();
        for (const m of e.data.matchAll(stamps)) if (!arrived.has(m[1])) arrived.set(m[1], now);
      });
    }
  };
  b.observe = () => {
    const canvas = document.getElementById(localStorage.getItem("tavla:view") === "list" ? "list-content" : "canvas");
    new MutationObserver((records) => {
      const now = performance.timeOrigin + performance.now();
      for (const r of records) {
        const node = r.type === "characterData" ? r.target.parentNode : r.target;
        // A list row arrives whole (its text set before it is inserted): read the added nodes.
        const inList = r.type === "childList" && node && node.closest && node.closest("#list-content");
        const nodes = inList ? [...r.addedNodes] : [node];
        for (const one of nodes) {
          const text = one && one.textContent;
          const m = text && stamp.exec(text);
          if (!m || seen.has(m[1])) continue;
          seen.add(m[1]);
          b.latencies.push(now - Number(m[1]));
          if (arrived.has(m[1])) b.arrivals.push(now - arrived.get(m[1]));
        }
      }
    }).observe(canvas, { childList: true, subtree: true, characterData: true });
  };
  // `--feed page`: the page plays the writer's part itself. From one real frame of a live note
  // (b.sample), it makes `count` more at `rate` per second, each with the next seq, a new id and
  // its own stamp, and hands them to the client as its socket would. The server and the writer
  // are then out of the measurement (a busy machine starves them first).
  // `--feed paced`: the same notes one at a time, the next only after two animation frames
  // (the client has drawn it and the page is idle again): every note gets a render of its own
  // whatever the machine's load, so CPU per note compares between runs.
  const nextFrame = () => new Promise((r) => requestAnimationFrame(() => r()));
  b.feedPaced = async (count, area) => {
    const parsed = JSON.parse(b.sample);
    const template = (Array.isArray(parsed) ? parsed : [parsed]).find((f) => f.type === "event");
    let seq = template.seq;
    for (let i = 0; i < count; i++) {
      const frame = structuredClone(template);
      frame.seq = ++seq;
      const data = frame.data.note || frame.data;
      data.id = `q${i}`;
      data.text = `bench t=${(performance.timeOrigin + performance.now()).toFixed(1)} live note ${i}`;
      data.x = Math.round(area.left + Math.random() * Math.max(0, area.right - 220 - area.left));
      data.y = Math.round(area.top + Math.random() * Math.max(0, area.bottom - 140 - area.top));
      b.socket.dispatchEvent(new MessageEvent("message", { data: JSON.stringify(frame) }));
      await nextFrame();
      await nextFrame();
    }
    return count;
  };
  b.feed = (count, rate, area) => new Promise((resolve) => {
    const parsed = JSON.parse(b.sample);
    const template = (Array.isArray(parsed) ? parsed : [parsed]).find((f) => f.type === "event");
    let seq = template.seq;
    const begin = performance.timeOrigin + performance.now();
    let i = 0;
    const next = () => {
      const intended = begin + (i * 1000) / rate;
      const frame = structuredClone(template);
      frame.seq = ++seq;
      const data = frame.data.note || frame.data;
      data.id = `p${i}`;
      data.text = `bench t=${intended.toFixed(1)} live note ${i}`;
      data.x = Math.round(area.left + Math.random() * Math.max(0, area.right - 220 - area.left));
      data.y = Math.round(area.top + Math.random() * Math.max(0, area.bottom - 140 - area.top));
      b.socket.dispatchEvent(new MessageEvent("message", { data: JSON.stringify(frame) }));
      i += 1;
      if (i >= count) return resolve(count);
      setTimeout(next, Math.max(0, begin + (i * 1000) / rate - (performance.timeOrigin + performance.now())));
    };
    next();
  });
  // Resolves on the first animation frame in which every note of `notes` ([id, x, y] in board
  // units) that lies within the viewport is in the DOM and displayed (a client may leave notes
  // far off screen undrawn; one that draws them all is measured the same way).
  b.drawn = (notes) => new Promise((resolve) => {
    const check = (now) => {
      if (localStorage.getItem("tavla:view") === "list") {
        // The list: drawn when it counts every note (its summary, "N notes") and shows its rows
        // (the first page of each section).
        const summary = document.getElementById("list-summary");
        const rows = document.querySelectorAll("[data-list-note]").length;
        if (summary && summary.textContent.startsWith(`${notes.length} `) && rows > 0) return resolve(now);
        return requestAnimationFrame(check);
      }
      const canvas = document.getElementById("canvas");
      const viewport = document.getElementById("viewport");
      const drawn = document.getElementsByClassName("note");
      if (canvas && viewport && drawn.length) {
        const c = canvas.getBoundingClientRect();
        const v = viewport.getBoundingClientRect();
        const s = c.width / 4000;
        const left = (v.left - c.left) / s, top = (v.top - c.top) / s;
        const right = left + v.width / s, bottom = top + v.height / s;
        const byId = new Map();
        for (const node of drawn) byId.set(node.dataset.noteId, node);
        let seen = 0;
        let missing = false;
        for (const [id, x, y] of notes) {
          if (x + 220 < left || x > right || y + 140 < top || y > bottom) continue;
          seen++;
          const node = byId.get(id);
          if (!node || node.offsetParent === null) { missing = true; break; }
        }
        if (seen && !missing) return resolve(now);
      }
      requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });
})();
"""


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


class Facilitator:
    """A websocket with the facilitator key: fills the room, then writes at a fixed rate."""

    def __init__(self, ws_url: str, key: str) -> None:
        self.url, self.key = ws_url, key
        self.ws: Any = None
        self.waiting: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self.errors: list[dict[str, Any]] = []
        self.n = 0

    async def connect(self) -> None:
        self.ws = await websockets.connect(self.url, max_size=None)
        await self.ws.send(json.dumps({"type": "hello", "protocol": 1, "name": "Writer", "department": "",
                                       "token": None, "key": self.key, "since": None}))
        while True:
            frame = json.loads(await self.ws.recv())
            if frame.get("type") == "welcome":
                break
            if frame.get("type") == "error":
                raise RuntimeError(f"hello refused: {frame}")
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            async for raw in self.ws:
                msg = json.loads(raw)
                for frame in msg if isinstance(msg, list) else [msg]:
                    if frame.get("type") in ("ack", "error"):
                        if frame.get("type") == "error":
                            self.errors.append(frame)
                        future = self.waiting.pop(frame.get("id"), None)
                        if future is not None and not future.done():
                            future.set_result(frame)

    async def op(self, op: str, args: dict[str, Any], wait: bool = True) -> None:
        self.n += 1
        op_id = f"b{self.n}"
        future = asyncio.get_running_loop().create_future()
        self.waiting[op_id] = future
        await self.ws.send(json.dumps({"type": "op", "id": op_id, "op": op, "args": args}))
        if wait:
            await asyncio.wait_for(future, 60)

    async def fill(self, count: int, rng: random.Random, window: int = 100) -> list[tuple[str, int, int]]:
        """N notes at random places; returns [id, x, y] of each."""
        placed = [(f"n{i}", rng.randint(0, 3780), rng.randint(0, 2860)) for i in range(count)]
        for start in range(0, count, window):
            await asyncio.gather(*(self.op("note.create", {
                "id": note_id, "text": f"Idea {note_id}: shorter queues at the front desk", "color": "yellow",
                "x": x, "y": y}) for note_id, x, y in placed[start:start + window]))
        return placed

    async def write(self, rate: float, seconds: float, rng: random.Random, area: dict[str, float]) -> int:
        """New notes at a fixed rate from a schedule, where the phone looks (`area`, board units);
        the text carries the intended send time."""
        count = int(rate * seconds)
        begin = time.time()
        self.late_ms: list[float] = []  # how late each send was (a starved writer, not the phone)
        for i in range(count):
            intended = begin + i / rate
            delay = intended - time.time()
            if delay > 0:
                await asyncio.sleep(delay)
            self.late_ms.append(max(0.0, (time.time() - intended) * 1000))
            x = rng.uniform(area["left"], max(area["left"], area["right"] - 220))
            y = rng.uniform(area["top"], max(area["top"], area["bottom"] - 140))
            await self.op("note.create", {"id": f"w{i}", "text": f"bench t={intended * 1000:.1f} live note {i}",
                                          "color": "blue", "x": round(x), "y": round(y)}, wait=False)
        return count

    async def close(self) -> None:
        await self.ws.close()
        self.reader.cancel()


def top_functions(profile: dict[str, Any], n: int = 15) -> list[tuple[str, float]]:
    """Self time per function (ms) from a CDP CPU profile, largest first."""
    nodes = {node["id"]: node for node in profile["nodes"]}
    deltas = profile.get("timeDeltas", [])
    self_ms: dict[str, float] = {}
    for sample, delta in zip(profile.get("samples", []), deltas[1:] + [0]):
        frame = nodes[sample]["callFrame"]
        name = f"{frame['functionName'] or '(anonymous)'} {frame['url'].rsplit('/', 1)[-1]}:{frame['lineNumber'] + 1}"
        self_ms[name] = self_ms.get(name, 0.0) + delta / 1000
    return sorted(self_ms.items(), key=lambda kv: -kv[1])[:n]


# What the renderer's main thread spends its time on, by trace event (Chrome's own names):
# style (UpdateLayoutTree), layout, pre-paint, paint, layerisation, script and the rest.
TRACE_CATEGORIES = "devtools.timeline,disabled-by-default-devtools.timeline,blink,v8.execute"
TRACE_PHASES = ("UpdateLayoutTree", "Layout", "PrePaint", "Paint", "Layerize", "UpdateLayer", "Commit",
                "HitTest", "IntersectionObserverController::computeIntersections", "ParseHTML",
                "FunctionCall", "EventDispatch", "TimerFire", "FireAnimationFrame", "v8.run", "RunMicrotasks",
                "ScheduleStyleRecalculation", "InvalidateLayout", "UpdateLayerTree", "Document::updateStyle",
                "LocalFrameView::RunPostLifecycleSteps", "ResizeObserverController::DeliverObservations",
                "DisplayLockContext::UpdateActivation", "ProxyMain::BeginMainFrame", "ThreadControllerImpl::RunTask",
                "MainThreadAnimation", "PaintArtifactCompositor::Update", "ContentVisibilityAutoObserver")


# The lifecycle phases reported per second and per frame by `trace_breakdown` (Chrome's event names).
FRAME_PHASES = {"script": ("FunctionCall", "FireAnimationFrame", "TimerFire", "EventDispatch", "RunMicrotasks"),
                "style": ("UpdateLayoutTree",), "layout": ("Layout",), "prepaint": ("PrePaint",),
                "paint": ("Paint",), "layerize": ("Layerize",), "commit": ("Commit",)}


async def trace_breakdown(cdp: Any, seconds: float, save: Path | None = None) -> dict[str, Any]:
    """Stop the trace and sum the main thread's complete events by name (ms; nested events
    count inside their parents too, so the rows overlap: read them as "where", not a sum).

    Besides wall time (`dur`, which a busy machine and the CPU throttle stretch) the trace
    carries each event's thread CPU time (`tdur`): what the page itself cost, far less
    sensitive to the machine's load. `per_second` gives the main thread's CPU ms per second of
    the window by phase; `per_frame` the CPU ms per drawn frame (BeginMainFrame)."""
    events: list[dict[str, Any]] = []
    done = asyncio.get_running_loop().create_future()
    cdp.on("Tracing.dataCollected", lambda p: events.extend(p["value"]))
    cdp.on("Tracing.tracingComplete", lambda p: done.done() or done.set_result(True))
    await cdp.send("Tracing.end")
    await asyncio.wait_for(done, 120)
    if save is not None:
        save.parent.mkdir(parents=True, exist_ok=True)
        save.write_text(json.dumps({"traceEvents": events}))
    main = {(e["pid"], e["tid"]) for e in events
            if e.get("ph") == "M" and e.get("name") == "thread_name" and e["args"].get("name") == "CrRendererMain"}
    totals: dict[str, float] = {}
    cpu: dict[str, float] = {}
    counts: dict[str, int] = {}
    for e in events:
        if (e.get("pid"), e.get("tid")) not in main or e.get("ph") != "X":
            continue
        totals[e["name"]] = totals.get(e["name"], 0.0) + e.get("dur", 0) / 1000
        cpu[e["name"]] = cpu.get(e["name"], 0.0) + e.get("tdur", 0) / 1000
        counts[e["name"]] = counts.get(e["name"], 0) + 1
    top = sorted(totals.items(), key=lambda kv: -kv[1])[:25]
    frames = max(1, counts.get("WebFrameWidgetImpl::BeginMainFrame", counts.get("BeginMainFrame", 0)))
    phases = {phase: sum(cpu.get(n, 0.0) for n in names) for phase, names in FRAME_PHASES.items()}
    phases["tasks"] = cpu.get("RunTask", 0.0)  # everything the main thread ran (outermost)
    return {
        "wall_ms_count": {name: [round(ms, 1), counts[name]] for name, ms in top},
        "cpu_ms_per_second": {k: round(v / seconds, 1) for k, v in phases.items()},
        "cpu_ms_per_frame": {k: round(v / frames, 2) for k, v in phases.items()},
        "frames": frames,
    }


async def one_run(browser: Any, server: BenchTavla, notes: int, rate: float, seconds: float,
                  throttle: float, seed: int, profile: bool = False, trace: bool = False,
                  view: str = "canvas", trace_file: Path | None = None, feed: str = "socket",
                  join_with: str = "tap") -> dict[str, Any]:
    rng = random.Random(seed)
    room = httpx.post(f"{server.http}/api/rooms", json={"title": "Bench client", "language": "en"}, timeout=30).json()
    writer = Facilitator(f"{server.ws}/r/{room['code']}/ws", room["facilitator_key"])
    await writer.connect()
    await writer.op("phase.set", {"phase": "write"})
    placed = await writer.fill(notes, rng)

    context = await browser.new_context(**PHONE)
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    # The phone's view, chosen as a person would (a phone shows the list unless told otherwise).
    await context.add_init_script(f"localStorage.setItem('tavla:view', {json.dumps(view)})")
    await context.add_init_script(PROBE)
    cdp = await context.new_cdp_session(page)
    if throttle > 1:
        await cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    await page.goto(f"{server.http}/r/{room['code']}")
    await page.locator("#join-name").fill("Phone")
    # A finger, as on a phone: no mouse pointer left hovering over the board (with `--join-with
    # click`, as before 2026-11-30, the pointer stays over the list or canvas and every note that
    # slides under it costs a hit test and a hover restyle).
    if join_with == "tap":
        await page.locator("#join-submit").tap()
    else:
        await page.locator("#join-submit").click()
    drawn_at = await page.evaluate("(notes) => window.__bench.drawn(notes)", placed)
    submit_at = await page.evaluate("window.__bench.submitAt")
    join_ms = drawn_at - submit_at
    # Let the join settle (fonts, the first scroll) before the window opens.
    await page.wait_for_timeout(1000)
    if profile:
        await cdp.send("Profiler.enable")
        await cdp.send("Profiler.start")
    if trace:
        await cdp.send("Tracing.start", {"categories": TRACE_CATEGORIES, "transferMode": "ReportEvents"})
    await page.evaluate("window.__bench.observe(); window.__bench.recording = true;")
    area = {"left": 0, "top": 0, "right": 4000, "bottom": 3000} if view == "list" else await page.evaluate("""() => {
      const c = document.getElementById("canvas").getBoundingClientRect();
      const v = document.getElementById("viewport").getBoundingClientRect();
      const s = c.width / 4000;
      const left = Math.max(0, (v.left - c.left) / s), top = Math.max(0, (v.top - c.top) / s);
      return {left, top, right: Math.min(4000, left + v.width / s), bottom: Math.min(3000, top + v.height / s)};
    }""")
    busy_before, wall_before = machine_busy_seconds(), time.monotonic()
    if feed in ("page", "paced"):
        # One real live note gives the page the frame it copies (not measured: not recording).
        await page.evaluate("window.__bench.recording = false;")
        await writer.write(1, 1, rng, area)
        deadline = time.monotonic() + 30
        while not await page.evaluate("Boolean(window.__bench.sample)"):  # (the page's CSP forbids wait_for_function)
            if time.monotonic() > deadline:
                raise RuntimeError("the live note never reached the phone")
            await asyncio.sleep(0.1)
        await page.evaluate("window.__bench.recording = true;")
        sent = await page.evaluate("([n, r, a, paced]) => paced ? window.__bench.feedPaced(n, a) : window.__bench.feed(n, r, a)",
                                   [int(rate * seconds), rate, area, feed == "paced"])
    else:
        sent = await writer.write(rate, seconds, rng, area)
    await page.evaluate("window.__bench.recording = false;")
    cpu_profile = (await cdp.send("Profiler.stop"))["profile"] if profile else None
    top = top_functions(cpu_profile) if cpu_profile else []
    if cpu_profile and trace_file is not None:
        trace_file.parent.mkdir(parents=True, exist_ok=True)
        trace_file.with_suffix(".cpuprofile").write_text(json.dumps(cpu_profile))
    window_s = time.monotonic() - wall_before
    phases = await trace_breakdown(cdp, window_s, trace_file) if trace else {}
    if phases and sent:
        # With `--feed paced` every note has a render of its own: CPU per note compares between runs.
        phases["cpu_ms_per_note"] = {k: round(v * window_s / sent, 2) for k, v in phases["cpu_ms_per_second"].items()}
    busy = (machine_busy_seconds() - busy_before) / (os.cpu_count() or 1) / window_s
    # Drain: every live note must arrive, however late (a lost one is an error).
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if await page.evaluate("window.__bench.latencies.length") >= sent:
            break
        await asyncio.sleep(0.25)
    data = await page.evaluate("({frames: __bench.frames, longtasks: __bench.longtasks, "
                               "latencies: __bench.latencies, arrivals: __bench.arrivals, noLongtask: __bench.noLongtask || null})")
    await writer.close()
    await context.close()
    latencies, frames = data["latencies"], data["frames"]
    long_ms = sum(d for _, d in data["longtasks"])
    return {
        "notes": notes, "rate": rate, "view": view, "feed": feed, "join_with": join_with, "seconds": round(window_s, 2), "throttle": throttle,
        "join_ms": round(join_ms, 1),
        "send_dom_p50": percentile(latencies, 0.5), "send_dom_p95": percentile(latencies, 0.95),
        "arrive_dom_p50": percentile(data["arrivals"], 0.5), "arrive_dom_p95": percentile(data["arrivals"], 0.95),
        "frame_p50": percentile(frames, 0.5), "frame_p95": percentile(frames, 0.95),
        "longtask_s": round(long_ms / 1000, 2), "longtask_share": round(long_ms / 1000 / window_s, 3),
        "writer_late_p95": percentile(writer.late_ms, 0.95),
        "sent": sent, "seen": len(latencies), "lost": max(0, sent - len(latencies)),
        "errors": errors + [json.dumps(e) for e in writer.errors] + ([data["noLongtask"]] if data["noLongtask"] else []),
        "machine_busy": round(busy, 2), "load1": os.getloadavg()[0],
        **({"profile_top_self_ms": top} if profile else {}),
        **({"trace": phases} if trace else {}),
    }


def median_of(runs: list[dict[str, Any]], key: str) -> float | None:
    values = [r[key] for r in runs if r.get(key) is not None]
    return round(statistics.median(values), 3) if values else None


def table(rows: list[dict[str, Any]]) -> str:
    lines = ["| board | join → all drawn | send → DOM p50 / p95 | arrive → DOM p50 / p95 | frame p50 / p95 "
             "| long tasks in window | lost | machine busy (others + us) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        runs = row["runs"]
        secs = median_of(runs, "seconds")
        lines.append(
            f"| {row['notes']:,} notes, {row['rate']:g} new/s{'' if row['throttle'] > 1 else ', CPU not slowed'} "
            f"| {median_of(runs, 'join_ms') / 1000:.2f} s "
            f"| {median_of(runs, 'send_dom_p50'):.0f} / {median_of(runs, 'send_dom_p95'):.0f} ms "
            f"| {median_of(runs, 'arrive_dom_p50') or 0:.0f} / {median_of(runs, 'arrive_dom_p95') or 0:.0f} ms "
            f"| {median_of(runs, 'frame_p50'):.0f} / {median_of(runs, 'frame_p95'):.0f} ms "
            f"| {median_of(runs, 'longtask_s'):.2f} s of {secs:.0f} s ({100 * median_of(runs, 'longtask_share') / 1:.0f} %) "
            f"| {sum(r['lost'] for r in runs)} "
            f"| {', '.join(format(r['machine_busy'], '.0%') for r in runs)} |")
    return "\n".join(lines)


async def main_async(args: argparse.Namespace) -> int:
    from playwright.async_api import async_playwright

    if args.server_root is not None:
        BenchTavla.root = args.server_root.resolve()
    server = BenchTavla(None, **CLIENT_ENV).start()
    rows: list[dict[str, Any]] = []
    failed = False
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=[
                "--no-sandbox", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"])
            for spec in args.row:
                notes, rate = (int(x) for x in spec.split(":"))
                runs = []
                for i in range(args.repeat):
                    run = await one_run(browser, server, notes, rate, args.seconds, args.throttle, args.seed + i,
                                        args.profile, args.trace, args.view,
                                        Path(f"{args.trace_file}.{notes}-{i}.json") if args.trace_file else None,
                                        args.feed, args.join_with)
                    print(json.dumps(run), file=sys.stderr)
                    failed |= bool(run["lost"] or run["errors"])
                    runs.append(run)
                rows.append({"notes": notes, "rate": rate, "throttle": args.throttle, "runs": runs})
            await browser.close()
    finally:
        server.stop()
    print(table(rows))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"when": time.strftime("%Y-%m-%d %H:%M"), "rows": rows}, indent=1))
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.client", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--row", action="append", help="NOTES:RATE (repeatable; default 300:10 and 2000:20)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=18.0, help="the measured window")
    parser.add_argument("--throttle", type=float, default=4.0, help="CPU slow-down (1: none)")
    parser.add_argument("--no-throttle", dest="throttle", action="store_const", const=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--view", choices=["canvas", "list"], default="canvas",
                        help="the phone's view of the board (the list is a phone's default; the canvas is measured by default)")
    parser.add_argument("--server-root", type=Path, default=None,
                        help="serve Tavla (and so its client) from this checkout instead")
    parser.add_argument("--out", default="bench/results/client.json")
    parser.add_argument("--profile", action="store_true",
                        help="sample the page's JavaScript during the window (CDP Profiler; top self times in the JSON)")
    parser.add_argument("--trace", action="store_true",
                        help="record a DevTools trace during the window; the renderer main thread's time per "
                             "event (style, layout, paint, script…) goes into the JSON")
    parser.add_argument("--join-with", choices=["tap", "click"], default="tap",
                        help="how the phone presses Join: a tap (default), or a mouse click that leaves the pointer "
                             "over the board (how runs before 2026-11-30 joined)")
    parser.add_argument("--feed", choices=["socket", "page", "paced"], default="socket",
                        help="who writes the live notes: a second client through the server (socket, the "
                             "measurement) or the page itself, copying one real event frame (page: the "
                             "client alone, for comparing client changes on a busy machine); paced: as page, "
                             "but each note only after the last is drawn (CPU per note, from --trace)")
    parser.add_argument("--trace-file", default=None,
                        help="with --trace: also save each run's raw trace as FILE.<notes>-<repeat>.json "
                             "(opens in Chrome's DevTools Performance panel); with --profile, the CPU "
                             "profile as FILE.<notes>-<repeat>.cpuprofile")
    args = parser.parse_args(argv)
    args.row = args.row or ["300:10", "2000:20"]
    if not re.fullmatch(r"\d+", str(args.repeat)):
        parser.error("--repeat")
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
