// Rounds in the client's reducer: a `round.switched` replaces the board with the state it
// carries (the next round's notes, groups, dots, phase, areas and prompt), keeps what belongs
// to the session when the state leaves it out, and the plan (room.rounds, room.round) is kept
// clean whatever the server sends.
import { BoardState, Speculation } from "../../client/core/state.js";

const ok = (c, m) => { console.log(c ? "ok" : "FAIL", m); if (!c) process.exitCode = 1; };

const plan = [
  { id: "r1", title: "Behov", prompt: "Hva trenger brukeren?", phases: ["write", "vote"], timer_ms: 600000,
    areas: [{ id: "a1", title: "Behov", x: 40, y: 40, w: 1000, h: 1000 }], summary: { notes: 2, top: [{ id: "n1", kind: "note", text: "Kortere kø", votes: 3 }] } },
  { id: "r2", title: "Løsning", prompt: "Hvordan løser vi det?", phases: ["write", "bogus"], timer_ms: -5, areas: [] },
  { title: "no id" },
];
const s = new BoardState();
s.reset({
  room: { title: "BLT", phase: "vote", prompt: "Hva trenger brukeren?", rounds: plan, round: "r1",
    areas: [{ id: "a1", title: "Behov", x: 40, y: 40, w: 1000, h: 1000 }], revealed: { votes: true } },
  notes: [{ id: "n1", text: "Kortere kø", color: "yellow", x: 100, y: 100, votes: 3 }, { id: "n2", text: "Bedre info", x: 200, y: 100 }],
  clusters: [], my_votes: { n1: 2 }, participants: [{ id: "p1", name: "Kari", role: "facilitator" }, { id: "p2", name: "Ola" }],
  hints: [{ id: "h1", text: "Bra", by: "c", at: 1 }], limits: { note_text: 1000 }, can: { "round.go": null },
});
ok(s.room.rounds.length === 2 && s.room.round === "r1", "the plan: rounds without an id are dropped, the active round kept");
ok(s.room.rounds[1].phases.join() === "write" && s.room.rounds[1].timer_ms === 0, "a round's phases and time are cleaned");
ok(s.room.rounds[0].summary.top[0].votes === 3, "the staff summary is kept for the carry dialog");
s.takeChanges();

// The facilitator moves on: the frame carries this person's state after the switch.
const applied = s.apply({ op: "round.switched", seq: 9, data: { round: "r2", from: "r1", state: {
  room: { title: "BLT", phase: "write", prompt: "Hvordan løser vi det?", rounds: plan, round: "r2",
    areas: [{ id: "b1", title: "Kortere kø", x: 40, y: 40, w: 900, h: 900 }] },
  notes: [{ id: "m1", text: "Digital kølapp", color: "blue", x: 60, y: 60 }], clusters: [], my_votes: {},
  timer: { status: "idle", duration_ms: 0, remaining_ms: 0, ends_at: null },
} } });
ok(applied === true, "round.switched applies");
ok(s.room.round === "r2" && s.room.phase === "write" && s.room.prompt === "Hvordan løser vi det?", "the new round's room: active round, phase, prompt");
ok(s.notes.size === 1 && s.notes.has("m1") && !s.notes.has("n1"), "the new round's notes replace the old board's");
ok(s.room.areas.length === 1 && s.room.areas[0].title === "Kortere kø", "the new round's areas");
ok(Object.keys(s.myVotes).length === 0 && !s.room.revealed.votes, "dots are per round: none spent, nothing revealed");
ok(s.participants.size === 2 && s.hints.length === 1 && s.limits.note_text === 1000, "people, hints and limits stay when the state leaves them out");
ok(s.takeChanges().all, "everything is drawn again");

// Going back: the old board comes back as the server kept it.
s.apply({ op: "round.switched", data: { round: "r1", from: "r2", state: {
  room: { title: "BLT", phase: "vote", rounds: plan, round: "r1", revealed: { votes: true } },
  notes: [{ id: "n1", text: "Kortere kø", x: 100, y: 100, votes: 3 }, { id: "n2", text: "Bedre info", x: 200, y: 100, votes: 0 }],
  my_votes: { n1: 2 }, participants: [{ id: "p1", name: "Kari", role: "facilitator" }],
} } });
ok(s.room.round === "r1" && s.notes.get("n1").votes === 3 && s.myVotes.n1 === 2, "back to round 1: its notes, totals and my dots");
ok(s.participants.size === 1, "a state with people replaces them");
ok(s.apply({ op: "round.switched", data: { round: "r2" } }) === false && s.room.round === "r1", "a switch without a state changes nothing");

// A pending op of the old round is not shown on the new board when its note is gone.
const spec = new Speculation(s);
const view = spec.rebase([{ op: "note.update", args: { id: "m1", text: "x" } }], { id: "p1" });
ok(!view.notes.has("m1"), "a pending edit of a note of another round shows nothing");

// An old server (no rounds): the room still has a plan of none, and the reducer carries on.
const old = new BoardState();
old.reset({ room: { title: "T", phase: "write" }, notes: [] });
ok(Array.isArray(old.room.rounds) && old.room.rounds.length === 0 && old.room.round === "", "no plan: no rounds, nothing active");

// What the stepper and the carry dialog read (client/rounds.js): the active round's summary is
// made from the live board in the server's shape, the others are the server's.
const { liveSummary, summaryOf, hasNotes, roundSentence, activeIndex } = await import("../../client/rounds.js");
const live = new BoardState();
live.reset({
  room: { title: "BLT", phase: "vote", rounds: plan, round: "r1", revealed: { votes: true } },
  notes: [{ id: "n1", text: "Kortere kø", x: 1, y: 1, votes: 1, cluster: "c1" }, { id: "n2", text: "Bedre info", x: 2, y: 2, votes: 5 },
    { id: "n3", text: "Min private", x: 3, y: 3, hidden: true, mine: true }],
  clusters: [{ id: "c1", title: "Ventetid", x: 0, y: 0, votes: 3 }],
  hidden_counts: { p2: 2 },
});
const sum = liveSummary(live);
ok(sum.notes === 2 && sum.hidden === 3 && sum.groups === 1 && sum.revealed, "live summary: visible notes, hidden ones counted, groups");
ok(sum.items.map((i) => i.id).join() === "n2,c1,n1" && sum.items[1].kind === "group" && sum.items[1].notes === 1, "live summary: most dots first, a group with its notes");
ok(summaryOf(live.room, live.room.rounds[0], live).items.length === 3, "the active round's summary is the live board's");
ok(summaryOf(live.room, live.room.rounds[1], live) === null, "a round never entered has no summary");
ok(hasNotes(sum) && !hasNotes({ notes: 0, hidden: 0 }) && hasNotes({ notes: 0, hidden: 1 }), "a round has notes when any, even private ones");
ok(roundSentence(live.room) === "Round 1 of 2: Behov" && activeIndex({ rounds: plan, round: "nope" }) === 0, "Round 1 of 2: Behov");
live.apply({ op: "votes.reset", data: {} });
ok(liveSummary(live).items.every((i) => i.votes === null), "before the reveal the items are unranked");
