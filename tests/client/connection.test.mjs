import { listeners, sockets, store } from "./browser-shim.mjs";

const { Connection } = await import("../../client/core/connection.js");
const { BoardState, Speculation } = await import("../../client/core/state.js");
const viewNotes = (s, pending, me) => new Speculation(s).rebase(pending, me).notes;
const assert = (c, m) => { if (!c) { console.error("FAIL", m); process.exitCode = 1; } else console.log("ok", m); };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const state = new BoardState();
const log = [];
const conn = new Connection({
  code: "ABCDEF",
  identity: () => ({ name: "Kari", department: "", token: "tok", key: null }),
  listener: {
    reset: (s) => { state.reset(s); log.push("reset"); },
    event: (f) => { state.apply(f); log.push("ev" + f.seq); },
    refused: (e) => log.push("refused:" + e.code),
    closed: (e) => log.push("closed:" + e.code),
    gone: () => log.push("gone"),
    change: () => {},
  },
});
// op made before connecting goes to the outbox
conn.send("note.create", { id: "n1", text: "a", color: "yellow", x: 1, y: 2 });
assert(JSON.parse(store.get("tavla:ABCDEF:outbox")).length === 1, "op persisted before connect");
conn.start();
let ws = sockets.at(-1);
ws._open();
assert(ws.sent[0].type === "hello" && ws.sent[0].since === null && ws.sent[0].token === "tok", "hello sent");
const st = { room: { title: "T" }, notes: [], participants: [], clusters: [], my_votes: {} };
ws._msg({ type: "welcome", protocol: 1, you: { id: "p1", token: "tok" }, seq: 5, server_time: Date.now(), state: st });
assert(conn.status === "connected", "connected");
assert(ws.sent.some((f) => f.type === "op" && f.args.id === "n1"), "outbox flushed after welcome");
const opId = ws.sent.find((f) => f.type === "op").id;
// ack before event: still shown
ws._msg({ type: "ack", id: opId, seq: 6 });
assert(conn.outbox.size === 0, "ack removes from outbox");
assert(viewNotes(state, conn.pendingOps(), { id: "p1" }).has("n1"), "acked op still shown until its event");
ws._msg({ type: "event", seq: 6, op: "note.create", by: "p1", at: 1, data: { id: "n1", text: "a", color: "yellow", x: 1, y: 2, cluster: null, author: "p1", mine: true, votes: null } });
assert(conn.pendingOps().length === 0 && state.notes.has("n1"), "event confirms; awaiting cleared");
// duplicate
ws._msg({ type: "event", seq: 6, op: "note.delete", by: "p1", at: 1, data: { id: "n1" } });
assert(state.notes.has("n1"), "seq <= last ignored");
// unknown op
ws._msg({ type: "event", seq: 7, op: "timer.start", by: "p1", at: 1, data: {} });
assert(conn.lastSeq === 7, "unknown op advances seq");
assert(ws.sent[0].batch === true, "hello asks for batches");
// a batch: frames that waited together arrive as one array, applied in order
const before = conn.lastSeq;
ws._msg([
  { type: "event", seq: before + 1, op: "note.move", by: "p2", at: 1, data: { id: "n1", x: 10, y: 20 } },
  { type: "event", seq: before + 2, op: "note.move", by: "p2", at: 1, data: { id: "n1", x: 30, y: 40 } },
  { type: "pong", t: 1, server_time: Date.now() },
]);
assert(conn.lastSeq === before + 2 && state.notes.get("n1").x === 30, "a batch is applied frame by frame");
ws._msg([{ type: "event", seq: before + 2, op: "note.delete", by: "p2", at: 1, data: { id: "n1" } }]);
assert(state.notes.has("n1"), "a repeated seq inside a batch is ignored too");
// gap
ws._msg({ type: "event", seq: 11, op: "note.delete", by: "p1", at: 1, data: { id: "n1" } });
assert(state.notes.has("n1"), "gap event not applied");
await sleep(5);
const ws2 = sockets.at(-1);
assert(ws2 !== ws, "gap reconnects");
ws2._open();
assert(ws2.sent[0].since === 9, "resume with since=9");
ws2._msg({ type: "welcome", protocol: 1, you: { id: "p1", token: "tok" }, seq: 11, server_time: Date.now(), events: [
  { type: "event", seq: 10, op: "note.move", by: "p2", at: 1, data: { id: "n1", x: 50, y: 60 } },
  { type: "event", seq: 11, op: "note.delete", by: "p2", at: 1, data: { id: "n1" } },
] });
assert(!state.notes.has("n1") && conn.lastSeq === 11, "resume events applied");
// refused op
conn.send("note.update", { id: "zz", text: "b" });
const upd = ws2.sent.at(-1);
ws2._msg({ type: "error", id: upd.id, code: "not_found", message: "gone" });
assert(conn.outbox.size === 0 && log.includes("refused:not_found"), "refused op removed and reported");
// retryable
conn.send("note.create", { id: "n2", text: "c", color: "blue", x: 0, y: 0 });
const c2 = ws2.sent.at(-1);
ws2._msg({ type: "error", id: c2.id, code: "unavailable", message: "later" });
assert(conn.outbox.size === 1, "retryable op kept");
assert(conn.status === "unsaved", "connected but the server cannot save: the page says changes are waiting");
// offline: ops queue, then close
ws2._close(1006);
assert(conn.status === "reconnecting", "reconnecting after drop");
conn.send("note.move", { id: "n2", x: 5, y: 5 });
assert(conn.outbox.size === 2, "offline op queued");
await sleep(600);
const ws3 = sockets.at(-1);
assert(ws3 !== ws2, "reconnect after backoff");
ws3._open();
ws3._msg({ type: "welcome", protocol: 1, you: { id: "p1", token: "tok" }, seq: 11, server_time: Date.now(), events: [] });
const ops = ws3.sent.filter((f) => f.type === "op").map((f) => f.op);
assert(JSON.stringify(ops) === '["note.create","note.move"]', "outbox resent in order: " + ops);
assert(ws3.sent.filter((f) => f.type === "op")[0].id === c2.id, "same op id on resend");
ws3._msg({ type: "ack", id: c2.id, seq: 12 });
assert(conn.status === "connected", "an ack ends the waiting");
// pacing: 100 ops
const burstStart = Date.now();
for (let i = 0; i < 100; i++) conn.send("note.move", { id: "n2", x: i, y: 0 });
// 40 at once, then 15 a second: on a loaded machine the loop itself takes a while.
const refilled = Math.ceil(((Date.now() - burstStart) / 1000) * 15);
const sentNow = ws3.sent.filter((f) => f.type === "op").length;
assert(sentNow <= 42 + refilled, "paced burst: " + sentNow + " (refilled " + refilled + ")");
await sleep(1100);
const later = ws3.sent.filter((f) => f.type === "op").length;
assert(later > sentNow && later < sentNow + 20, "paced rate: " + later);
// 4404
ws3._close(4404, "no such room");
assert(conn.status === "gone" && log.includes("gone"), "4404 stops");
await sleep(700);
assert(sockets.at(-1) === ws3, "no reconnect after 4404");
// join refused
const c2conn = new Connection({ code: "QQQQQQ", identity: () => ({ name: "" }), listener: { joinRefused: (e) => log.push("join:" + e.code) } });
c2conn.start();
const w = sockets.at(-1); w._open();
w._msg({ type: "error", id: null, code: "name_required", message: "Please enter your name." });
w._close(1008, "policy");
assert(c2conn.status === "joining" && log.includes("join:name_required"), "hello refused → join form");
await sleep(700);
assert(sockets.at(-1) === w, "no reconnect while waiting for a name");
console.log("done");
process.exit();
