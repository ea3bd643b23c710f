// The session's rounds as everyone sees them: which round is active ("Round 2 of 3: Løsning")
// in the prompt line above the board (one line on a phone, beside the prompt) and on the
// projector, and the polite announcement when the facilitator moves to another round. A
// session of one round says nothing about rounds. The plan editor (rounds-plan.js), the
// facilitator's stepper (round-stepper.js) and the carry dialog (carry-dialog.js) use these.

import { votesRevealed } from "./core/state.js";
import { t, tn } from "./i18n.js";

const $ = (id) => document.getElementById(id);

/** The rounds of the session's plan, in order (never empty once welcomed). */
export function roundsOf(room) {
  return room && Array.isArray(room.rounds) ? room.rounds : [];
}

/** The place of the active round in the plan (0 when unknown). */
export function activeIndex(room) {
  const rounds = roundsOf(room);
  const i = rounds.findIndex((r) => r.id === (room && room.round));
  return i < 0 ? 0 : i;
}

/** The active round, or null before the first welcome. */
export function activeRound(room) {
  const rounds = roundsOf(room);
  return rounds.length ? rounds[activeIndex(room)] : null;
}

/** Whether the session has more than one round (only then do rounds show anywhere). */
export function hasRounds(room) {
  return roundsOf(room).length > 1;
}

/** A round's name as shown: its title, or "Round 2" when it has none. */
export function roundTitle(round, index) {
  return round && round.title ? round.title : t("Round %(number)s", { number: index + 1 });
}

/**
 * What the board of the active round holds, in the shape of the staff summary the server sends
 * for the other rounds (room.rounds[i].summary; the active round's is null, its board is the
 * state itself): counts, and its groups and visible notes, most dots first once revealed.
 */
export function liveSummary(board) {
  const revealed = votesRevealed(board.room);
  const visible = [...board.notes.values()].filter((n) => !n.hidden);
  const hidden = board.notes.size - visible.length + Object.values(board.hiddenCounts || {}).reduce((a, b) => a + b, 0);
  const votes = (item) => (revealed ? (typeof item.votes === "number" ? item.votes : 0) : null);
  const members = new Map();
  for (const n of visible) if (n.cluster) members.set(n.cluster, (members.get(n.cluster) || 0) + 1);
  const items = [
    ...[...board.clusters.values()].map((c) => ({ id: c.id, kind: "group", text: c.title, notes: members.get(c.id) || 0, votes: votes(c) })),
    ...visible.map((n) => ({ id: n.id, kind: "note", text: n.text, cluster: n.cluster, votes: votes(n) })),
  ];
  if (revealed) items.sort((a, b) => b.votes - a.votes);
  return { entered: true, notes: visible.length, hidden, groups: board.clusters.size, revealed, items };
}

/** A round's summary: the server's for a round not active, the live board's for the active one. */
export function summaryOf(room, round, board) {
  if (!round) return null;
  return round.id === room.round && board ? liveSummary(board) : round.summary || null;
}

/** Whether a round's board has notes (then carried ideas cannot become its areas). */
export function hasNotes(summary) {
  return Boolean(summary && ((summary.notes || 0) > 0 || (summary.hidden || 0) > 0));
}

/** Whether a round's board has notes or groups (then it cannot be removed from the plan). */
export function inUse(summary) {
  return hasNotes(summary) || Boolean(summary && (summary.groups || 0) > 0);
}

/** "Round 2 of 3: Løsning" for the round at `index`. */
export function roundSentence(room, index = activeIndex(room)) {
  const rounds = roundsOf(room);
  return t("Round %(number)s of %(total)s: %(title)s", {
    number: index + 1,
    total: rounds.length,
    title: roundTitle(rounds[index], index),
  });
}

/** The agenda while people wait in the lobby: "Today: 3 rounds, Behov → Løsning → Test." */
export function planSentence(room) {
  if (!hasRounds(room)) return "";
  const rounds = roundsOf(room);
  const titles = rounds.map((r, i) => roundTitle(r, i)).join(" → ");
  return tn("Today: %(count)s round, %(rounds)s.", "Today: %(count)s rounds, %(rounds)s.", rounds.length, { count: rounds.length, rounds: titles });
}

/** "Round 2 of 3" (the title shown apart from it). */
export function roundPlace(room, index = activeIndex(room)) {
  return t("Round %(number)s of %(total)s", { number: index + 1, total: roundsOf(room).length });
}

function setLabel(node, room) {
  if (!node) return;
  const shown = hasRounds(room);
  if (node.hidden === shown) node.hidden = !shown;
  if (!shown) return;
  const i = activeIndex(room);
  const place = roundPlace(room, i);
  const title = roundTitle(roundsOf(room)[i], i);
  const sig = `${place}\u0000${title}`;
  if (node.dataset.sig === sig) return;
  node.dataset.sig = sig;
  const placeEl = document.createElement("span");
  placeEl.className = "round-place";
  placeEl.textContent = place;
  const sep = document.createElement("span");
  sep.className = "round-sep";
  sep.setAttribute("aria-hidden", "true");
  sep.textContent = " · ";
  const titleEl = document.createElement("span");
  titleEl.className = "round-title";
  titleEl.textContent = title;
  // Read as one sentence: "Round 2 of 3: Løsning".
  const spoken = document.createElement("span");
  spoken.className = "visually-hidden";
  spoken.textContent = ":";
  placeEl.append(spoken);
  node.replaceChildren(placeEl, sep, titleEl);
}

/** The active round beside the prompt, and on the projector. */
export function renderRoundLabels(room) {
  setLabel($("round-label"), room);
  setLabel($("projector-round"), room);
}
