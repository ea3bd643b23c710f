// The golden event logs (tests/golden/*.json, written by the server's domain) replayed through
// the client's one reducer: every viewer starts from its `initial` welcome state, applies its
// frames in order (events, and a fresh welcome after its own role.grant), and must end with the
// state a fresh welcome would carry (`final`). pytest replays the same files through the
// domain (tests/test_golden.py), so client and server cannot drift apart silently.
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { BoardState } from "../../client/core/state.js";
import { comparable } from "./golden-compare.mjs";

const ok = (c, m) => { console.log(c ? "ok" : "FAIL", m); if (!c) process.exitCode = 1; };
const dir = process.env.GOLDEN_DIR || join(dirname(fileURLToPath(import.meta.url)), "..", "golden");

function diff(a, b, path = "") {
  if (JSON.stringify(a) === JSON.stringify(b)) return null;
  if (a && b && typeof a === "object" && typeof b === "object") {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = diff(a[key], b[key], `${path}.${key}`);
      if (d) return d;
    }
  }
  return `${path}: ${JSON.stringify(a)} != ${JSON.stringify(b)}`;
}

const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
ok(files.length >= 5, `golden fixtures found in ${dir}: ${files.join(", ")}`);
for (const file of files) {
  const fixture = JSON.parse(readFileSync(join(dir, file), "utf8"));
  for (const viewer of fixture.viewers) {
    const state = new BoardState();
    state.reset(viewer.initial);
    let unknown = [];
    for (const frame of viewer.frames) {
      if (frame.type === "welcome") state.reset(frame.state);
      else if (!state.apply(frame)) unknown.push(`${frame.seq} ${frame.op}`);
    }
    const expected = new BoardState();
    expected.reset(viewer.final);
    const d = diff(comparable(state), comparable(expected));
    ok(d === null, `${fixture.name}, as ${viewer.id} (${viewer.role}): replayed state equals the server's${d ? ` — ${d}` : ""}`);
    ok(unknown.length === 0, `${fixture.name}, as ${viewer.id}: every frame applies${unknown.length ? ` — refused: ${unknown.join(", ")}` : ""}`);
  }
}
