// What an empty board says. Usually "No notes yet, add the first one"; but during private
// writing a facilitator's (or coach's) board is empty while participants are busy writing, so
// it says how many hidden notes from how many people exist — counts only, which the server sends
// to staff alone (`hidden_counts`), never the notes.

import { app, canWrite, currentRoom, isFacilitator, isStaff, setText, show } from "./context.js";
import { t, tn } from "./i18n.js";
import { planSentence } from "./rounds.js";

const hint = document.getElementById("empty-hint");

/** Hidden notes and their authors, as staff are told; null for anyone else. */
export function hiddenSummary() {
  const counts = isStaff() ? app.confirmed.hiddenCounts : null;
  if (!counts) return null;
  let notes = 0;
  let people = 0;
  for (const count of Object.values(counts)) {
    if (count > 0) {
      notes += count;
      people += 1;
    }
  }
  return { notes, people };
}

/** "8 hidden notes from 5 people." and what happens to them, for staff during private writing. */
export function hiddenNotesText(summary, facilitator) {
  if (summary.notes === 0) {
    return facilitator
      ? t("No notes yet. Participants' notes stay hidden until you reveal them.")
      : t("No notes yet. Participants' notes stay hidden until the facilitator reveals them.");
  }
  const notes = tn("%(count)s hidden note", "%(count)s hidden notes", summary.notes, { count: summary.notes });
  const people = tn("from %(count)s person", "from %(count)s people", summary.people, { count: summary.people });
  const then = facilitator
    ? t("Everyone sees them when you reveal the notes.")
    : t("Everyone sees them when the facilitator reveals the notes.");
  return `${t("%(notes)s %(people)s.", { notes, people })} ${then}`;
}

/** The empty board's sentence for this person now; "" when the board is not empty or says nothing. */
export function emptyStateText(view) {
  if (!app.conn || !app.conn.everWelcomed || view.size > 0 || app.clusterView.size > 0) return "";
  const room = currentRoom();
  const privateWriting = Boolean(room.settings && room.settings.private_writing);
  const summary = privateWriting ? hiddenSummary() : null;
  if (summary) return hiddenNotesText(summary, isFacilitator());
  if (room.phase === "lobby") return planSentence(room); // the agenda while people wait
  return canWrite() ? t("No notes yet. Choose “Add note” to write the first one.") : "";
}

export function renderEmptyState(view) {
  const text = emptyStateText(view);
  setText(hint, text);
  show(hint, Boolean(text));
  const summary = text ? hiddenSummary() : null;
  hint.classList.toggle("has-hidden-notes", Boolean(summary && summary.notes > 0));
}
