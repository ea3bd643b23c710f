// Photo notes in the client's reducer: `photo` and `alt` are kept through create, update, move
// and reveal, and only photo notes carry the two keys (as the server's projection does).
import { BoardState, Speculation } from "../../client/core/state.js";
const ok = (c, m) => { console.log(c ? "ok" : "FAIL", m); if (!c) process.exitCode = 1; };
const s = new BoardState();
s.reset({ room: { title: "T", phase: "write", settings: { private_writing: false } }, notes: [], participants: [] });
s.apply({ op: "note.create", data: { id: "p1", text: "", color: "blue", x: 1, y: 1, author: "me", mine: true, photo: "phABC", alt: "A sketch" } });
ok(s.notes.get("p1").photo === "phABC" && s.notes.get("p1").alt === "A sketch", "note.create keeps photo and alt");
s.apply({ op: "note.update", data: { id: "p1", text: "Caption" } });
s.apply({ op: "note.move", data: { id: "p1", x: 50, y: 60 } });
ok(s.notes.get("p1").photo === "phABC" && s.notes.get("p1").alt === "A sketch" && s.notes.get("p1").text === "Caption", "update and move keep them");
s.apply({ op: "note.create", data: { id: "n1", text: "Plain", color: "blue", x: 1, y: 1, author: "me", mine: true } });
ok(!("photo" in s.notes.get("n1")) && !("alt" in s.notes.get("n1")), "a plain note has neither key");
s.apply({ op: "notes.reveal", data: { notes: [{ id: "p2", text: "", color: "pink", x: 5, y: 5, author: "p9", hidden: false, photo: "phDEF", alt: "Paper app" }] } });
ok(s.notes.get("p2").photo === "phDEF" && s.notes.get("p2").alt === "Paper app", "a revealed photo note brings its photo and alt");
const view = new Speculation(s).rebase([{ op: "note.create", args: { id: "p3", text: "", color: "yellow", x: 0, y: 0, photo: "phGHI", alt: "Mine" } }], { id: "me" }).notes;
ok(view.get("p3").photo === "phGHI" && view.get("p3").alt === "Mine" && view.get("p3").pending, "a pending photo note shows its photo at once");
