import { listeners, sockets, store } from "./browser-shim.mjs";

const { Connection } = await import("../../client/core/connection.js");
const { BoardState, Speculation } = await import("../../client/core/state.js");
const viewNotes = (s, pending, me) => new Speculation(s).rebase(pending, me).notes;
const ok = (c, m) => { if (!c) { console.error("FAIL", m); process.exitCode = 1; } else console.log("ok", m); };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const st = { room: { title: "T" }, notes: [], participants: [], clusters: [], my_votes: {} };
const seen = [];
const conn = new Connection({ code: "ABCDEF", identity: () => ({ name: "Kari", token: "tok" }),
  listener: { reset: (s, you) => seen.push("reset:" + (you && you.role)), event: (f) => seen.push("ev" + f.seq + f.op), welcome: (you) => seen.push("welcome:" + you.role), change: () => {} } });
conn.start();
let ws = sockets.at(-1); ws._open();
ws._msg({ type: "welcome", protocol: 1, you: { id: "p1", role: "participant" }, seq: 5, server_time: Date.now(), state: st });
ws._msg({ type: "event", seq: 6, op: "redacted", by: null, at: 1, data: {} });
ok(conn.lastSeq === 6, "redacted advances seq");
// second welcome on the open socket after role.grant
ws._msg({ type: "event", seq: 7, op: "role.grant", by: "f", at: 1, data: { participant: "p1", role: "facilitator" } });
ws._msg({ type: "welcome", protocol: 1, you: { id: "p1", role: "facilitator" }, seq: 7, server_time: Date.now(), state: st });
ok(sockets.at(-1) === ws && conn.status === "connected" && seen.includes("reset:facilitator") && seen.at(-1) === "welcome:facilitator", "second welcome replaces state on the same socket");
ws._msg({ type: "event", seq: 8, op: "phase.set", by: "f", at: 1, data: { phase: "write" } });
ok(conn.lastSeq === 8, "events continue after a second welcome");
// resume with a gap → fresh snapshot
ws._close(1006);
await sleep(600);
let ws2 = sockets.at(-1); ws2._open();
ok(ws2.sent[0].since === 8, "resume since 8");
ws2._msg({ type: "welcome", protocol: 1, you: { id: "p1", role: "facilitator" }, seq: 11, server_time: Date.now(), events: [
  { type: "event", seq: 9, op: "redacted", data: {} }, { type: "event", seq: 11, op: "phase.set", data: { phase: "vote" } }] });
await sleep(5);
const ws3 = sockets.at(-1);
ok(ws3 !== ws2 && !seen.includes("ev11phase.set"), "a gap in a resume is not replayed");
ws3._open();
ok(ws3.sent[0].since === null, "and a snapshot is asked for instead");
// resume that stops short of the head
ws3._msg({ type: "welcome", protocol: 1, you: { id: "p1", role: "facilitator" }, seq: 11, server_time: Date.now(), state: st });
ws3._close(1006);
for (let i = 0; i < 40 && sockets.at(-1) === ws3; i++) await sleep(100);
const ws4 = sockets.at(-1); ok(ws4 !== ws3, "reconnected"); ws4._open();
ok(ws4.sent[0].since === 11, "resume since 11");
ws4._msg({ type: "welcome", protocol: 1, you: { id: "p1" }, seq: 14, server_time: Date.now(), events: [{ type: "event", seq: 12, op: "redacted", data: {} }] });
await sleep(5);
ok(sockets.at(-1) !== ws4, "a resume ending before the head asks for a snapshot");
process.exit();
