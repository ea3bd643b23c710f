import { BoardState, Speculation } from "../../client/core/state.js";
const predicted = (s, pending, me = null) => new Speculation(s).rebase(pending, me);
const ok = (c, m) => { console.log(c ? "ok" : "FAIL", m); if (!c) process.exitCode = 1; };
const s = new BoardState();
s.reset({ room: { title: "T", phase: "lobby", settings: { private_writing: false }, areas: [{ id: "a", title: "A", x: 0, y: 0, w: 10, h: 10 }, { id: "bad" }] },
  timer: { status: "idle", duration_ms: 0, remaining_ms: 0, ends_at: null }, notes: [], participants: [{ id: "p1", name: "Kari", role: "participant" }],
  hidden_counts: { p1: 2 }, hints: [{ id: "h1", text: "hi", by: "c", at: 1 }] });
ok(s.room.areas.length === 1 && s.hiddenCounts.p1 === 2 && s.hints.length === 1, "reset keeps areas, counts, hints");
s.apply({ op: "phase.set", data: { phase: "write" } }); ok(s.room.phase === "write", "phase.set");
s.apply({ op: "room.update", data: { prompt: "P", locked: true, settings: { vote_budget: 5, max_votes_per_target: 3, private_writing: true } } });
ok(s.room.prompt === "P" && s.room.locked && s.room.settings.private_writing, "room.update");
s.apply({ op: "note.create", data: { id: "n1", text: "x", color: "blue", x: 1, y: 1, author: "me", mine: true, hidden: true } });
ok(s.notes.get("n1").hidden, "hidden note.create");
s.apply({ op: "hidden.count", data: { author: "p1", count: 3 } }); ok(s.hiddenCounts.p1 === 3, "hidden.count");
s.apply({ op: "notes.reveal", data: { notes: [{ id: "n1", text: "x", color: "blue", x: 1, y: 1, author: "me", mine: true, hidden: true }, { id: "n2", text: "y", color: "pink", x: 5, y: 5, author: "p1", mine: false, hidden: true }] } });
ok(!s.notes.get("n1").hidden && !s.notes.get("n2").hidden && Object.keys(s.hiddenCounts).length === 0, "reveal shows notes, clears counts");
s.apply({ op: "timer.start", data: { timer: { status: "running", duration_ms: 60000, remaining_ms: 60000, ends_at: 123 } } });
ok(s.timer.status === "running" && s.timer.ends_at === 123, "timer replaced");
s.apply({ op: "role.grant", data: { participant: "p1", role: "facilitator" } }); ok(s.participants.get("p1").role === "facilitator", "role.grant");
s.apply({ op: "coach.hint", data: { id: "h2", text: "more", by: "c", at: 2 } }); ok(s.hints.length === 2, "coach.hint");
s.apply({ op: "spotlight", data: { target: "n2" } }); ok(s.room.spotlight === "n2", "spotlight");
ok(s.apply({ op: "redacted", data: {} }) === true, "redacted applies as nothing");
const r = predicted(s, [{ op: "phase.set", args: { phase: "vote" } }, { op: "room.update", args: { settings: { private_writing: false } } }]);
ok(r.room.phase === "vote" && r.room.settings.private_writing === false && r.room.settings.vote_budget === 5 && s.room.phase === "write", "pending room ops predicted on top, partial settings");
ok(r.room.phase === "vote", "the room of the view");
s.apply({ op: "room.update", data: { settings: { private_writing: true } } });
const v = predicted(s, [{ op: "note.create", args: { id: "n3", text: "z", color: "green", x: 0, y: 0 } }], { id: "me" }).notes;
ok(v.get("n3").hidden && v.get("n3").pending, "pending note hidden while writing privately");

// Rules from the server: limits and can come with the welcome, and an event that changes what
// this person may do carries the new can; a predicted event never changes it.
const rules = new BoardState();
rules.reset({ room: { title: "T", phase: "lobby" }, notes: [], participants: [], limits: { note_text: 1000, hint: 300 },
  can: { "note.create": "phase", "vote.cast": "phase" } });
ok(rules.limits.note_text === 1000 && rules.can["note.create"] === "phase", "welcome.state: limits and can");
rules.takeChanges();
rules.apply({ op: "phase.set", data: { phase: "write" }, can: { "note.create": null, "vote.cast": "phase" } });
ok(rules.can["note.create"] === null && rules.takeChanges().all, "an event's can replaces it, and every note is drawn again");
rules.apply({ op: "note.create", data: { id: "n1", text: "x", color: "blue", x: 1, y: 1 } });
ok(rules.can["note.create"] === null && rules.can["vote.cast"] === "phase", "an event without can leaves it");
const predictedRules = predicted(rules, [{ op: "phase.set", args: { phase: "vote" } }], { id: "me" });
ok(predictedRules.can["vote.cast"] === "phase", "a prediction never changes can (the server says)");

// permissions from the server's can (core/permissions.js)
const { refusal, limitOf, mayEditNote, mayRemoveCluster } = await import("../../client/core/permissions.js");
const perm = { can: { "note.update": null, "cluster.delete": "locked" }, limits: { note_text: 1000 } };
ok(refusal(perm, "note.update") === null && refusal(perm, "cluster.delete") === "locked" && refusal({ can: null }, "note.create") === "not_joined", "refusal: null, the server's code, or not joined yet");
ok(limitOf(perm, "note_text") === 1000 && limitOf({ limits: null }, "note_text") === null, "limits from the server, none before the welcome");
ok(mayEditNote(perm, { mine: true }, false) && !mayEditNote(perm, { mine: false }, false) && mayEditNote(perm, { mine: false }, true), "a note: its author or a facilitator");
ok(!mayRemoveCluster(perm, { creator: "p1" }, "p1", true), "nobody removes a group when the server says no");

// Who took part and report back (t14g): the groups to hear from for everyone, the report for staff.
{
  const g = new BoardState();
  g.reset({ room: { title: "T", phase: "lobby", hear_from: ["Beboere", 5, "", "Pårørende"] }, timer: {}, notes: [], participants: [] });
  ok(JSON.stringify(g.room.hear_from) === '["Beboere","Pårørende"]', "welcome: hear_from, strings only");
  ok(g.report === null, "no report for a participant");
  g.apply({ op: "hear_from.set", data: { groups: ["Ungdomsrådet"] } });
  ok(g.room.hear_from.length === 1 && g.room.hear_from[0] === "Ungdomsrådet", "hear_from.set replaces the list");
  const seen = predicted(g, [{ op: "hear_from.set", args: { groups: ["A", "B"] } }]);
  ok(seen.room.hear_from.length === 2 && g.room.hear_from.length === 1, "a pending list edit is shown at once");
  g.reset({ room: { title: "T" }, timer: {}, notes: [], participants: [], report: { next_steps: "Steg", hear_back: "Juni", owners: { n1: "Kari", n2: 3 } } });
  ok(g.report.next_steps === "Steg" && g.report.owners.n1 === "Kari" && !("n2" in g.report.owners), "welcome: the report for staff");
  g.apply({ op: "report.update", data: { next_steps: "Nytt", hear_back: "", owners: {} } });
  ok(g.report.next_steps === "Nytt" && Object.keys(g.report.owners).length === 0, "report.update replaces the report");
}
// Coaching at a distance: the facilitator's shared view and the coach's debrief (staff only).
const staff = new BoardState();
staff.reset({ room: { title: "T", phase: "write" }, notes: [], participants: [],
  view: { by: "f", x: 10, y: 20, w: 800, h: 450 }, debrief: { text: "Godt", by: "c", at: 5 } });
ok(staff.sharedView.w === 800 && staff.debrief.text === "Godt", "welcome.state: view and debrief");
ok(staff.apply({ op: "view.share", data: { by: "f", x: 0, y: 0, w: 1366, h: 768 } }) && staff.sharedView.w === 1366, "view.share replaces the view");
staff.apply({ op: "view.share", data: { by: "f", x: 0, y: 0, w: "wide", h: 768 } });
ok(staff.sharedView.w === 1366, "a view that is not numbers is ignored");
staff.apply({ op: "coach.debrief", data: { text: "Bedre", by: "c", at: 9 } }); ok(staff.debrief.text === "Bedre", "the latest debrief wins");
staff.apply({ op: "coach.debrief", data: { text: "", by: "c", at: 10 } }); ok(staff.debrief === null, "an empty debrief removes it");
const plain = new BoardState();
plain.reset({ room: { title: "T", phase: "write" }, notes: [], participants: [] });
ok(plain.sharedView === null && plain.debrief === null, "a participant's welcome has neither");
