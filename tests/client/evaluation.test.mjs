// The closing evaluation in the client's reducer: what a participant and staff keep, the
// prediction of one's own answer, and that bad data from a server is cleaned, not trusted.
import { BoardState, Speculation } from "../../client/core/state.js";
const ok = (c, m) => { console.log(c ? "ok" : "FAIL", m); if (!c) process.exitCode = 1; };
const base = { room: { title: "T", phase: "results", settings: {} }, timer: {}, notes: [], participants: [] };

const kari = new BoardState();
kari.reset({ ...base, evaluation: { open: false, mine: null } });
ok(kari.evaluation.open === false && kari.evaluation.mine === null && kari.evaluation.summary === null, "closed, nothing of mine");
ok(new Speculation(kari).rebase([{ op: "evaluation.answer", args: { clear: 4 } }], { id: "me" }).evaluation.mine === null,
  "no prediction while closed");
kari.apply({ op: "evaluation.open", data: {} });
ok(kari.evaluation.open, "evaluation.open");
const view = new Speculation(kari).rebase([{ op: "evaluation.answer", args: { clear: 4, heard: 9, outcome: 2.5, text: "  Fin \n dag " } }], { id: "me" });
ok(JSON.stringify(view.evaluation.mine) === JSON.stringify({ scores: { clear: 4 }, text: "Fin dag" }), "one's own answer predicted, cleaned");
ok(kari.evaluation.mine === null, "the confirmed state waits for the server");
ok(kari.apply({ op: "evaluation.answer", by: null, data: { mine: { scores: { clear: 5, heard: 0 }, text: "Bra" } } }), "the author's frame applies");
ok(kari.evaluation.mine.scores.clear === 5 && !("heard" in kari.evaluation.mine.scores), "out-of-range scores dropped");
ok(kari.apply({ op: "redacted", data: {} }), "someone else's answer is a placeholder");
kari.apply({ op: "evaluation.close", data: {} });
ok(!kari.evaluation.open && kari.evaluation.mine.text === "Bra", "closed: my answer kept");

const staff = new BoardState();
staff.reset({ ...base, evaluation: { open: true, summary: { open: true, answers: 2, shown: false, min_answers: 3, questions: [], texts: [] } } });
ok(staff.evaluation.summary.answers === 2 && !staff.evaluation.summary.shown, "staff: too few, only the number");
staff.apply({ op: "evaluation.answer", by: null, data: { summary: { open: true, answers: 3, shown: true, min_answers: 3,
  questions: [{ id: "clear", answered: 3, counts: [0, 1, 0, 1, 1], median: 4 }, { id: "bogus", answered: 1 }, { id: "heard", answered: 2, counts: null, median: null }],
  texts: ["Alfa", 7, "Beta"] } } });
const s = staff.evaluation.summary;
ok(s.shown && s.questions.length === 2 && s.questions[0].median === 4 && s.questions[1].counts === null, "staff: distributions, unknown questions dropped");
ok(JSON.stringify(s.texts) === JSON.stringify(["Alfa", "Beta"]), "staff: only text lines kept");
staff.apply({ op: "evaluation.close", data: {} });
ok(!staff.evaluation.open && staff.evaluation.summary.open === false && staff.evaluation.summary.answers === 3, "staff: close keeps the summary");

const old = new BoardState();
old.reset(base);
ok(old.evaluation.open === false, "a welcome without `evaluation` (an older server): closed");
