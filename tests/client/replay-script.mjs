// Replays one scripted session (JSON on stdin, written by tests/test_client_property.py from
// the real server domain) through the browser client's Connection and its one reducer, with a
// scripted socket. Prints one JSON line: the checks that failed (empty when all held).
//
// Script: {me, welcome: {seq, state}, steps: [...]}; a step is one of
//   {send: {op, args}}                 the person does something (conn.send)
//   {frame: {...}}                     an event frame arrives
//   {ack: k, seq} / {error: k, code}   the answer to the k-th send
//   {check: state, seq, view: bool}    the confirmed state must equal `state` (the server's
//                                      projection at `seq`); with view, so must the view
//                                      (confirmed + predictions)
//   {check, seq, view, only_view}      only the view: what the person sees now (with pending
//                                      ops predicted) is what the server will have at `seq`
import { sockets } from "./browser-shim.mjs";
import { comparable } from "./golden-compare.mjs";

const { Connection } = await import("../../client/core/connection.js");
const { BoardState, Speculation } = await import("../../client/core/state.js");

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const script = JSON.parse(Buffer.concat(chunks).toString("utf8"));

const board = new Speculation();
const conn = new Connection({
  code: "PROP01",
  identity: () => ({ name: "Me", department: "", token: "tok", key: null }),
  listener: { reset: (st) => board.confirmed.reset(st), event: (f) => board.confirmed.apply(f), change: () => {} },
});
conn.start();
const ws = sockets.at(-1);
ws._open();
ws._msg({ type: "welcome", protocol: 1, you: { id: script.me, token: "tok" }, seq: script.welcome.seq, server_time: Date.now(), state: script.welcome.state });

const unpend = (state) => {
  for (const [k, v] of state.notes) if (v.pending) state.notes.set(k, { ...v, pending: undefined });
  for (const [k, v] of state.clusters) if (v.pending) state.clusters.set(k, { ...v, pending: undefined });
  return state;
};
const failures = [];
const ids = [];
script.steps.forEach((step, i) => {
  if (step.send) {
    conn.send(step.send.op, step.send.args);
    ids.push(ws.sent.filter((f) => f.type === "op").at(-1).id);
  } else if (step.frame) {
    ws._msg(step.frame);
  } else if ("ack" in step) {
    ws._msg({ type: "ack", id: ids[step.ack], seq: step.seq });
  } else if ("error" in step) {
    ws._msg({ type: "error", id: ids[step.error], code: step.code, message: "" });
  } else if (step.check) {
    const expected = new BoardState();
    expected.reset(step.check);
    const want = JSON.stringify(comparable(expected));
    const got = JSON.stringify(comparable(board.confirmed));
    if (got !== want && !step.only_view) failures.push({ step: i, seq: step.seq, what: "confirmed", got, want });
    if (step.view) {
      const view = unpend(board.rebase(conn.pendingOps(), { id: script.me }).clone());
      const shown = JSON.stringify(comparable(view));
      if (shown !== want) failures.push({ step: i, seq: step.seq, what: "view", pending: conn.pendingOps().map((e) => e.op), got: shown, want });
    }
  }
});
conn.stop();
console.log(JSON.stringify(failures));
process.exit(0);
