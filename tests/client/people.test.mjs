// Who is in the room, as the client sees it: the lobby frame, the welcome on the same socket
// after being let in, the 4403 close that stops for good, and the board state's waiting list.
import { sockets } from "./browser-shim.mjs";

const { Connection } = await import("../../client/core/connection.js");
const { BoardState } = await import("../../client/core/state.js");
const assert = (c, m) => { if (!c) { console.error("FAIL", m); process.exitCode = 1; } else console.log("ok", m); };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const log = [];
const conn = new Connection({
  code: "LOBBY1",
  identity: () => ({ name: "Ola", department: "Skole", token: null, key: null }),
  listener: {
    lobby: (you) => log.push("lobby:" + you.token),
    welcome: () => log.push("welcome"),
    reset: () => log.push("reset"),
    removed: (reason) => log.push("removed:" + reason),
    change: () => {},
  },
});
conn.start();
const ws = sockets.at(-1);
ws._open();
ws._msg({ type: "lobby", you: { id: "p_ola", name: "Ola", department: "Skole", token: "tok-ola" } });
assert(log.includes("lobby:tok-ola") && conn.status === "waiting", "a lobby frame: waiting, with the token");
ws._msg({ type: "welcome", protocol: 1, you: { id: "p_ola", token: "tok-ola", role: "participant" }, seq: 7, server_time: Date.now(),
  state: { room: { title: "T" }, notes: [], participants: [], clusters: [], my_votes: {} } });
assert(log.includes("welcome") && conn.status === "connected" && sockets.at(-1) === ws, "let in: the welcome comes on the same socket");
ws._close(4403, "removed by the facilitator");
assert(log.includes("removed:removed by the facilitator") && conn.status === "removed", "4403: removed");
await sleep(700);
assert(sockets.at(-1) === ws, "no reconnect after 4403");

const s = new BoardState();
s.reset({ room: { title: "T", settings: { lobby: true } }, notes: [], clusters: [], my_votes: {},
  participants: [{ id: "p_fac", name: "Kari", role: "facilitator" }, { id: "p_per", name: "Per", role: "participant" }],
  waiting: [{ id: "p_ola", name: "Ola", department: "Skole" }] });
assert(s.room.settings.lobby === true && s.waiting.get("p_ola").name === "Ola", "reset: lobby setting and who waits");
s.apply({ op: "lobby.knock", data: { id: "p_siri", name: "Siri", department: "" } });
assert(s.waiting.size === 2, "lobby.knock adds to the waiting list");
s.apply({ op: "lobby.admit", data: { id: "p_ola", name: "Ola", department: "Skole", role: "participant" } });
assert(!s.waiting.has("p_ola") && s.participants.get("p_ola").name === "Ola", "lobby.admit: from waiting to participants");
s.apply({ op: "lobby.deny", data: { participant: "p_siri" } });
assert(s.waiting.size === 0, "lobby.deny: off the waiting list");
s.apply({ op: "participant.remove", data: { participant: "p_per" } });
assert(!s.participants.has("p_per"), "participant.remove: gone from the list");
s.apply({ op: "lobby.knock", data: { id: "p_x", name: "X", department: "" } });
s.apply({ op: "room.update", data: { settings: { lobby: false }, admitted: [{ id: "p_x", name: "X", department: "", role: "participant" }] } });
assert(s.room.settings.lobby === false && s.participants.has("p_x") && !s.waiting.has("p_x"), "lobby off lets the waiting in");
console.log("done");
process.exit();
