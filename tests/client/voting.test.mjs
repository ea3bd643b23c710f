// Groups (clusters) and dot voting in the client's state: every event of the voting issue, the
// dots given back when a note or group goes, groups moving their notes (kept on the board), and
// the optimistic view never showing more dots than the budget.
import { listeners, sockets } from "./browser-shim.mjs";

const { BoardState, Speculation, dotsUsed, rankResults } = await import("../../client/core/state.js");
const { Connection } = await import("../../client/core/connection.js");
// The view: the confirmed state with pending ops predicted and folded through the same apply.
const viewBoard = (s, pending, me) => new Speculation(s).rebase(pending, me);

const ok = (c, m) => { console.log(c ? "ok" : "FAIL", m); if (!c) process.exitCode = 1; };
const eq = (a, b) => JSON.stringify(a) === JSON.stringify(b);

function fresh(extra = {}) {
  const s = new BoardState();
  s.reset({
    room: { title: "T", phase: "vote", settings: { vote_budget: 5, max_votes_per_target: 3, private_writing: false, vote_on: "both" },
      revealed: { votes: false }, results_published: false, spotlight: null, ...extra.room },
    notes: [
      { id: "n1", text: "Kortere kø", color: "yellow", x: 100, y: 100, cluster: "c1", author: "p1", mine: true, hidden: false, votes: null },
      { id: "n2", text: "Chat", color: "blue", x: 3900, y: 2950, cluster: "c1", author: "p2", mine: false, hidden: false, votes: null },
      { id: "n3", text: "Skjema", color: "pink", x: 500, y: 500, cluster: null, author: "p2", mine: false, hidden: false, votes: null },
    ],
    clusters: [
      { id: "c1", title: "Ventetid", x: 50, y: 50, creator: "p1", votes: null },
      { id: "c2", title: "", x: 900, y: 50, creator: "p2", votes: null },
    ],
    my_votes: { n1: 2, c1: 1, bogus: 0 },
    participants: [],
    ...extra.state,
  });
  return s;
}

// welcome.state
let s = fresh();
ok(s.clusters instanceof Map && s.clusters.size === 2 && s.clusters.get("c1").title === "Ventetid", "welcome: clusters by id");
ok(s.clusters.get("c1").creator === "p1" && s.clusters.get("c1").votes === null, "welcome: creator kept, no totals before reveal");
ok(eq(s.myVotes, { n1: 2, c1: 1 }), "welcome: my_votes kept (zeros dropped)");
ok(s.room.settings.vote_on === "both" && s.room.revealed.votes === false && s.room.results_published === false, "welcome: settings.vote_on, revealed, results_published");
const older = new BoardState();
older.reset({ room: { title: "T" }, notes: [], participants: [] });
ok(older.clusters.size === 0 && eq(older.myVotes, {}) && older.room.settings.vote_on === "both", "welcome without voting fields: defaults");
const revealedWelcome = fresh({ room: { revealed: { votes: true } } });
ok(revealedWelcome.notes.get("n1").votes === 0 && revealedWelcome.clusters.get("c2").votes === 0, "welcome after reveal: null totals count as 0");

// note.group
s.apply({ op: "note.group", data: { id: "n3", cluster: "c2" } });
ok(s.notes.get("n3").cluster === "c2", "note.group puts a note in a group");
s.apply({ op: "note.group", data: { id: "n3", cluster: null } });
ok(s.notes.get("n3").cluster === null, "note.group null takes it out");
ok(s.apply({ op: "note.group", data: { id: "nope", cluster: "c1" } }) === false, "note.group of an unknown note changes nothing");

// cluster.create / update (title)
s.apply({ op: "cluster.create", data: { id: "c3", title: "Ny", x: 10, y: 20, creator: "p9" } });
ok(s.clusters.get("c3").title === "Ny" && s.clusters.get("c3").creator === "p9" && s.clusters.get("c3").votes === null, "cluster.create");
s.apply({ op: "cluster.update", data: { id: "c3", title: "Nytt navn" } });
ok(s.clusters.get("c3").title === "Nytt navn" && s.clusters.get("c3").x === 10, "cluster.update title only: position kept");

// cluster.update with a move: its notes move by (dx, dy), clamped to 0..4000 × 0..3000
s.apply({ op: "cluster.update", data: { id: "c1", x: 250, y: 150, dx: 200, dy: 100 } });
ok(s.clusters.get("c1").x === 250 && s.clusters.get("c1").y === 150, "cluster.update moves the group");
ok(s.notes.get("n1").x === 300 && s.notes.get("n1").y === 200, "its notes move by dx, dy");
ok(s.notes.get("n2").x === 4000 && s.notes.get("n2").y === 3000, "a note at the edge is clamped to 4000 × 3000");
ok(s.notes.get("n3").x === 500 && s.notes.get("n3").y === 500, "notes of no group stay");
s.apply({ op: "cluster.update", data: { id: "c1", x: 0, y: 0, dx: -250, dy: -150 } });
ok(s.notes.get("n1").x === 50 && s.notes.get("n1").y === 50 && s.notes.get("n2").x === 3750, "moving back: clamped notes keep their new place");
s.apply({ op: "cluster.update", data: { id: "c1", x: 0, y: -400, dx: 0, dy: -400 } });
ok(s.notes.get("n1").y === 0 && s.clusters.get("c1").y === 0, "clamped at 0 too");
s.apply({ op: "cluster.update", data: { id: "c1", x: 100, y: 0 } });
ok(s.notes.get("n1").x === 150, "without dx in the event the offset is the change of position");

// my dots: vote.cast / vote.retract as the voter sees them (before reveal: no totals)
s = fresh();
s.apply({ op: "vote.cast", data: { target: "n3", mine: 1, left: 1, total: null } });
ok(s.myVotes.n3 === 1 && s.notes.get("n3").votes === null, "vote.cast (mine): my count, no total before reveal");
s.apply({ op: "vote.retract", data: { target: "n1", mine: 1, left: 2, total: null } });
ok(s.myVotes.n1 === 1, "vote.retract (mine)");
s.apply({ op: "vote.retract", data: { target: "n1", mine: 0, left: 3, total: null } });
ok(!("n1" in s.myVotes), "retracting the last dot drops the target");
ok(s.apply({ op: "redacted", data: {} }) && eq(s.myVotes, { c1: 1, n3: 1 }), "someone else's dot before reveal is a redacted event: nothing changes");

// votes.reveal: totals on every note and group, absent = 0
s.apply({ op: "votes.reveal", data: { totals: { n3: 4, c1: 2 } } });
ok(s.room.revealed.votes === true, "votes.reveal marks revealed");
ok(s.notes.get("n3").votes === 4 && s.notes.get("n1").votes === 0 && s.clusters.get("c1").votes === 2 && s.clusters.get("c2").votes === 0, "votes.reveal: totals, absent targets 0");
s.apply({ op: "vote.cast", by: null, data: { target: "n3", total: 5 } });
ok(s.notes.get("n3").votes === 5 && s.myVotes.n3 === 1, "someone else's dot after reveal: total only");
s.apply({ op: "vote.cast", data: { target: "c2", mine: 1, left: 2, total: 1 } });
ok(s.clusters.get("c2").votes === 1 && s.myVotes.c2 === 1, "my dot after reveal: count and total");
s.apply({ op: "note.create", data: { id: "n4", text: "sent", color: "green", x: 0, y: 0, author: "p3", mine: false, votes: null } });
ok(s.notes.get("n4").votes === 0, "a note added after reveal shows 0, not nothing");

// refunds: note.delete, cluster.delete, cluster.merge give my dots back
s.apply({ op: "note.delete", data: { id: "n3" } });
ok(!("n3" in s.myVotes) && dotsUsed(s.myVotes) === 2, "note.delete gives back my dots on it");
s.apply({ op: "spotlight", data: { target: "c1" } });
s.apply({ op: "cluster.delete", data: { id: "c1" } });
ok(!s.clusters.has("c1") && !("c1" in s.myVotes), "cluster.delete removes it and gives back my dots on it");
ok(s.notes.get("n1").cluster === null && s.notes.get("n2").cluster === null, "cluster.delete ungroups its notes (they stay)");
ok(s.room.spotlight === null, "a deleted group leaves the spotlight");
s = fresh();
s.apply({ op: "note.group", data: { id: "n3", cluster: "c2" } });
s.apply({ op: "vote.cast", data: { target: "c2", mine: 1, left: 1, total: null } });
s.apply({ op: "cluster.merge", data: { id: "c2", into: "c1" } });
ok(!s.clusters.has("c2") && s.notes.get("n3").cluster === "c1" && s.notes.get("n1").cluster === "c1", "cluster.merge moves its notes into the other group");
ok(!("c2" in s.myVotes) && s.myVotes.c1 === 1 && dotsUsed(s.myVotes) === 3, "cluster.merge gives back the dots on the merged group only");

// votes.reset, results.publish, room.delete
s = fresh({ room: { revealed: { votes: true } } });
s.apply({ op: "votes.reset", data: {} });
ok(eq(s.myVotes, {}) && s.room.revealed.votes === false, "votes.reset: my dots back, not revealed");
ok([...s.notes.values(), ...s.clusters.values()].every((x) => x.votes === null), "votes.reset: no totals anywhere");
s.apply({ op: "results.publish", data: { published: true } });
ok(s.room.results_published === true, "results.publish");
s.apply({ op: "results.publish", data: { published: false } });
ok(s.room.results_published === false, "results.publish false");
s.apply({ op: "room.update", data: { settings: { vote_budget: 8, max_votes_per_target: 2, private_writing: false, vote_on: "clusters" } } });
ok(s.room.settings.vote_on === "clusters" && s.room.settings.vote_budget === 8, "room.update carries vote_on");
ok(s.apply({ op: "room.delete", data: {} }) && s.deleted === true, "room.delete marks the room deleted");

// the optimistic view
s = fresh();
const me = { id: "p1" };
let v = viewBoard(s, [
  { op: "vote.cast", args: { target: "n3" } },
  { op: "vote.cast", args: { target: "n3" } },
  { op: "vote.cast", args: { target: "n3" } }, // budget 5: 3 used + 2 → the third is not shown
], me);
ok(v.myVotes.n3 === 2 && dotsUsed(v.myVotes) === 5, "pending dots never go over the budget");
v = viewBoard(s, [{ op: "vote.cast", args: { target: "n1" } }, { op: "vote.cast", args: { target: "n1" } }], me);
ok(v.myVotes.n1 === 3, "nor over the limit per idea (3)");
v = viewBoard(s, [{ op: "vote.retract", args: { target: "n1" } }, { op: "vote.retract", args: { target: "c2" } }], me);
ok(v.myVotes.n1 === 1 && !("c2" in v.myVotes), "pending retract; retracting where I have none shows nothing");
ok(s.myVotes.n1 === 2, "the confirmed state is untouched");
// The server sends the voter's event before the ack: for a moment the dot is both confirmed
// and pending. It must count once (else the next dot looks over the limit and is refused).
{
  const board = new Speculation();
  const conn = new Connection({
    code: "VOTE01",
    identity: () => ({ name: "Kari", department: "", token: "tok", key: null }),
    listener: { reset: (st) => board.confirmed.reset(st), event: (f) => board.confirmed.apply(f), change: () => {} },
  });
  conn.start();
  const ws = sockets.at(-1);
  ws._open();
  const st = { room: { title: "T", phase: "vote", settings: { vote_budget: 5, max_votes_per_target: 3 } },
    notes: [{ id: "n1", text: "a", color: "yellow", x: 0, y: 0, author: "p2" }], clusters: [], my_votes: { n1: 1 }, participants: [] };
  ws._msg({ type: "welcome", protocol: 1, you: { id: "p1", token: "tok" }, seq: 10, server_time: Date.now(), state: st });
  const shown = () => board.rebase(conn.pendingOps(), { id: "p1" }).myVotes.n1 || 0;
  conn.send("vote.cast", { target: "n1" });
  conn.send("vote.cast", { target: "n1" });
  ok(shown() === 3, "two pending dots predicted on top of the confirmed one");
  const [first, second] = ws.sent.filter((f) => f.type === "op");
  ws._msg({ type: "event", seq: 11, op: "vote.cast", by: "p1", at: 1, data: { target: "n1", mine: 2 } });
  ok(shown() === 3, "a cast whose event arrived before its ack counts once");
  ws._msg({ type: "ack", id: first.id, seq: 11 });
  ok(shown() === 3 && conn.pendingOps().length === 1, "after its ack: the first is in, the second still pending");
  ws._msg({ type: "event", seq: 12, op: "vote.cast", by: "p2", at: 1, data: { target: "n1" } });
  ok(shown() === 3, "someone else's dot on the same note is not taken for ours");
  ws._msg({ type: "event", seq: 13, op: "vote.cast", by: "p1", at: 1, data: { target: "n1", mine: 3 } });
  ws._msg({ type: "ack", id: second.id, seq: 13 });
  ok(shown() === 3 && conn.pendingOps().length === 0, "both confirmed: three dots, nothing pending");
  conn.send("vote.retract", { target: "n1" });
  ok(shown() === 2, "a pending retract");
  const retract = ws.sent.filter((f) => f.type === "op").at(-1);
  ws._msg({ type: "event", seq: 14, op: "vote.retract", by: "p1", at: 1, data: { target: "n1", mine: 2 } });
  ok(shown() === 2, "a retract whose event arrived before its ack counts once");
  ws._msg({ type: "ack", id: retract.id, seq: 14 });
  ok(shown() === 2 && conn.pendingOps().length === 0, "a retract confirmed");
  conn.stop && conn.stop();
  void listeners;
}
v = viewBoard(s, [
  { op: "cluster.create", args: { id: "c9", title: "Ny gruppe", x: 1000, y: 1000 } },
  { op: "note.group", args: { id: "n3", cluster: "c9" } },
  { op: "cluster.update", args: { id: "c9", x: 1100, y: 900 } },
], me);
ok(v.clusters.get("c9").pending && v.clusters.get("c9").creator === "p1", "pending group shown as mine");
ok(v.notes.get("n3").cluster === "c9" && v.notes.get("n3").x === 600 && v.notes.get("n3").y === 400, "pending group move moves its notes");
v = viewBoard(s, [{ op: "cluster.delete", args: { id: "c1" } }, { op: "note.delete", args: { id: "n1" } }], me);
ok(!v.clusters.has("c1") && !("c1" in v.myVotes) && !("n1" in v.myVotes) && v.notes.get("n2").cluster === null, "pending deletes give dots back");
v = viewBoard(s, [{ op: "cluster.merge", args: { id: "c1", into: "c2" } }], me);
ok(!v.clusters.has("c1") && v.notes.get("n2").cluster === "c2", "pending merge");
const revealed = fresh({ room: { revealed: { votes: true } } });
v = viewBoard(revealed, [{ op: "vote.cast", args: { target: "n3" } }], me);
ok(v.notes.get("n3").votes === 1, "after reveal a pending dot counts in the total");
v = viewBoard(revealed, [{ op: "votes.reset", args: {} }], me);
ok(eq(v.myVotes, {}) && v.notes.get("n3").votes === null, "pending reset hides totals");
ok(viewBoard(s, [{ op: "results.publish", args: { published: true } }], me).room.results_published === true, "pending publish");

// ranking with ties
s = fresh({ room: { revealed: { votes: true } } });
s.apply({ op: "votes.reveal", data: { totals: { n1: 3, n2: 3, n3: 1, c2: 2 } } });
const ranked = rankResults(s.notes, s.clusters);
ok(eq(ranked.notes.map((n) => [n.text, n.rank, n.votes]), [["Skjema", 1, 1]]), "a note in a group is ranked within its group only, as on the results page");
ok(eq(ranked.clusters.map((c) => [c.id, c.rank, c.votes, c.own_votes]), [["c1", 1, 6, 0], ["c2", 2, 2, 2]]), "a group counts its own dots and its notes' dots");
s.apply({ op: "votes.reveal", data: { totals: { n1: 1, n2: 1, n3: 2, c1: 1, c2: 2 } } });
const tied = rankResults(s.notes, s.clusters);
ok(eq(tied.clusters.map((c) => [c.id, c.rank, c.votes]), [["c1", 1, 3], ["c2", 2, 2]]), "group totals rank the groups");
s.apply({ op: "votes.reveal", data: { totals: { n1: 1, c2: 2 } } });
ok(eq(rankResults(s.notes, s.clusters).clusters.map((c) => [c.id, c.rank, c.votes]), [["c2", 1, 2], ["c1", 2, 1]]), "a group with fewer dots on its notes ranks below");

// one ranking of ideas: groups and notes in no group together (as Results.ideas)
s = fresh({ room: { revealed: { votes: true } } });
s.apply({ op: "votes.reveal", data: { totals: { n3: 5, n2: 1 } } });
const one = rankResults(s.notes, s.clusters).ideas;
ok(one[0].kind === "note" && one[0].rank === 1 && one[0].votes === 5, "a 5-dot note ranks above a group whose notes have 1 dot");
ok(eq(one.map((i) => i.rank), one.map((i) => 1 + one.filter((o) => o.votes > i.votes).length)), "ranks are over all ideas");
ok(one.filter((i) => i.kind === "group").every((g) => Array.isArray(g.members)), "a group carries its notes");
ok(!one.some((i) => i.kind === "note" && i.cluster && s.clusters.has(i.cluster)), "a grouped note is not ranked on its own");
