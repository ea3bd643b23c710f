// The automatic fallback: sockets that cannot open make the connection switch to the HTTP
// fallback (EventSource + POST) by itself; the outbox goes out over it exactly as over a socket;
// a socket that opens and stays open later takes over again.
import { sockets, store } from "./browser-shim.mjs";

const streams = [];
class FakeEventSource {
  constructor(url) { this.url = url; this.l = {}; this.closed = false; streams.push(this); }
  addEventListener(t, f) { (this.l[t] ||= []).push(f); }
  close() { this.closed = true; }
  _emit(type, data) { (this.l[type] || []).forEach((f) => f({ data: typeof data === "string" ? data : JSON.stringify(data) })); }
}
globalThis.EventSource = FakeEventSource;
const posts = [];
globalThis.fetch = async (url, init) => {
  posts.push({ url, headers: init.headers, frames: JSON.parse(init.body) });
  return { status: 202, json: async () => ({ accepted: 1 }) };
};

const { Connection } = await import("../../client/core/connection.js");
const ok = (c, m) => { if (!c) { console.error("FAIL", m); process.exitCode = 1; } else console.log("ok", m); };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const until = async (cond, ms = 5000) => { for (let i = 0; i < ms / 20 && !cond(); i++) await sleep(20); return cond(); };
const st = { room: { title: "T" }, notes: [], participants: [], clusters: [], my_votes: {} };

const conn = new Connection({ code: "ABCDEF", identity: () => ({ name: "Kari", token: "tok" }), probeAfterMs: 200,
  listener: { reset: () => {}, event: () => {}, change: () => {} } });
conn.send("note.create", { id: "n1", text: "a", color: "yellow", x: 1, y: 2 });
conn.start();
// Three sockets that never open (a proxy that drops the upgrade).
for (let i = 0; i < 3; i++) {
  ok(await until(() => sockets.length === i + 1), `socket attempt ${i + 1}`);
  sockets.at(-1)._close(1006);
}
ok(await until(() => streams.length === 1), "the fallback takes over after three sockets that could not open");
ok(conn.mode === "sse" && !conn.limited && streams[0].url === "/r/ABCDEF/events", "on the event stream (not limited before its welcome)");
const es = streams[0];
es._emit("session", { session: "p.s" });
ok(await until(() => posts.length >= 1), "hello posted");
ok(posts[0].url === "/r/ABCDEF/send" && posts[0].headers["X-Tavla-Session"] === "p.s", "POST carries the session");
ok(posts[0].frames[0].type === "hello" && posts[0].frames[0].since === null, "the hello, as on a socket");
es._emit("message", { type: "welcome", protocol: 1, you: { id: "p1", token: "tok" }, seq: 5, server_time: Date.now(), state: st });
ok(conn.status === "connected" && conn.limited, "connected over the fallback, and limited");
ok(await until(() => posts.some((p) => p.frames.some((f) => f.type === "op" && f.args.id === "n1"))), "the outbox goes out over POST");
const opId = posts.flatMap((p) => p.frames).find((f) => f.type === "op").id;
es._emit("message", [{ type: "event", seq: 6, op: "note.create", by: "p1", at: 1, data: { id: "n1" } }, { type: "ack", id: opId, seq: 6 }]);
ok(conn.outbox.size === 0 && conn.lastSeq === 6, "acked over the stream: outbox empty");
// A proxy ends the stream: a new one resumes from the last seq.
es._emit("error", "");
ok(await until(() => streams.length === 2), "a new stream after the old one ended");
streams[1]._emit("session", { session: "p.t" });
ok(await until(() => posts.some((p) => p.headers["X-Tavla-Session"] === "p.t")), "hello on the new session");
const hello = posts.find((p) => p.headers["X-Tavla-Session"] === "p.t").frames[0];
ok(hello.type === "hello" && hello.since === 6, "resume since the last seq");
streams[1]._emit("message", { type: "welcome", protocol: 1, you: { id: "p1", token: "tok" }, seq: 6, server_time: Date.now(), events: [] });
// The probe: a socket that opens and stays open brings the connection back to sockets.
ok(await until(() => sockets.length === 4), "a socket is tried again now and then");
const before = sockets.length;
sockets.at(-1)._open();
ok(await until(() => sockets.length === before + 1, 6000), "a socket that stayed open takes over");
ok(conn.mode === "websocket" && streams[1].closed, "the stream is closed");
sockets.at(-1)._open();
ok(sockets.at(-1).sent[0].type === "hello" && sockets.at(-1).sent[0].since === 6, "resumes over the socket");
sockets.at(-1)._msg({ type: "welcome", protocol: 1, you: { id: "p1", token: "tok" }, seq: 6, server_time: Date.now(), events: [] });
ok(!conn.limited && conn.status === "connected", "no longer limited once the socket is welcomed");

// A stream that cannot open because the room is gone: told apart from a network error.
globalThis.fetch = async (url, init) => ({ status: init && init.method === "POST" ? 202 : 404, json: async () => ({}) });
let gone = null;
const lost = new Connection({ code: "GONE12", identity: () => ({ name: "Kari", token: "tok" }),
  listener: { gone: (reason) => { gone = reason; }, change: () => {} } });
lost.mode = "sse";
lost.start();
ok(await until(() => streams.length === 3), "a stream for the gone room");
streams[2]._emit("error", "");
ok(await until(() => gone !== null), "a room that does not exist stops the connection (as 4404 on a socket)");
ok(lost.status === "gone", "status gone");
process.exit();
