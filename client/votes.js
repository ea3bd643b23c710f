// Dot voting: the controls on each note and group ("Add a dot", "Remove a dot", my count), the
// + and − keys, and "Dots left" above the board. Each dot is one op, shown at once (never more
// than the budget); the server decides, and its refusals come back as toasts.

import {
  $,
  app,
  canVote,
  clusterName,
  currentRoom,
  dotsLeft,
  send,
  setAttr,
  setText,
  shortText,
  show,
  voteBlockedReason,
  voteSettings,
  votesOn,
} from "./context.js";
import { t, tn } from "./i18n.js";
import { noteWords } from "./photo-view.js";
import { toast } from "./toasts.js";

// The elements this module works with.
const el = {
  dotsLeft: $("dots-left"),
};

let bars = 0; // numbers the vote bars, for the ids of their "at most" lines

/** The idea's words for accessible names: the note's text or the group's name. */
function ideaLabel(target) {
  const note = app.view.get(target);
  if (note) return shortText(noteWords(note), 60);
  const cluster = app.clusterView.get(target);
  return cluster ? t("group “%(name)s”", { name: clusterName(cluster) }) : "";
}

/**
 * Whether notes and groups show their dot totals now: once the votes are revealed, and only
 * while voting or looking at the results. When the facilitator goes back to writing or
 * grouping, the earlier dots would steer what people write and group (they come back with the
 * vote or results phase; nothing is lost, and the server still sends them: they are no secret).
 */
export function dotsShown(room) {
  return Boolean(room && room.revealed && room.revealed.votes) && (room.phase === "vote" || room.phase === "results");
}

/** Whether `target` shows voting controls for this person now. */
export function votable(target) {
  if (!canVote()) return false;
  const note = app.view.get(target);
  if (note) {
    // Someone else cannot see a private or unsent note, so it cannot take dots yet.
    return votesOn("notes") && !note.hidden && app.confirmed.notes.has(target);
  }
  if (app.clusterView.has(target)) return votesOn("clusters") && app.confirmed.clusters.has(target);
  return false;
}

export function myDots(target) {
  return app.myVotes[target] || 0;
}

/** Add one of my dots to `target`; says why not when it cannot. */
export function castVote(target) {
  const blocked = voteBlockedReason();
  if (blocked) {
    toast(blocked, "info");
    return;
  }
  if (!votable(target)) return;
  const { budget, max } = voteSettings();
  if (dotsLeft() <= 0) {
    toast(t("You have used all %(budget)s dots.", { budget }), "info");
    return;
  }
  if (myDots(target) >= max) {
    toast(t("You can put at most %(max)s dots on one idea.", { max }), "info");
    return;
  }
  send("vote.cast", { target });
}

export function retractVote(target) {
  const blocked = voteBlockedReason();
  if (blocked) {
    toast(blocked, "info");
    return;
  }
  if (myDots(target) < 1) return;
  send("vote.retract", { target });
}

/** + and − on a focused note or group; true when the key was ours. */
export function voteKey(e, target) {
  const plus = e.key === "+" || e.key === "Add" || (e.key === "=" && !e.shiftKey);
  const minus = e.key === "-" || e.key === "−" || e.key === "Subtract";
  if (!plus && !minus) return false;
  if (!canVote()) return false;
  e.preventDefault();
  if (plus) castVote(target);
  else retractVote(target);
  return true;
}

/** "2 of your dots", "1 dot" and friends. */
export function mineText(n) {
  return t("%(count)s of your dots", { count: n });
}

/** "1 dot", "2 dots": the plural form of the page's language (client/i18n.js `tn`). */
export function totalText(n) {
  return tn("%(n)s dot", "%(n)s dots", n, { n });
}

// -- the controls on a note or group ----------------------------------------------------------

/** A toolbar of two buttons and my count; `target` is read from the element when clicked. */
export function createVoteBar(target) {
  const bar = document.createElement("div");
  bar.className = "vote-bar";
  bar.dataset.voteTarget = target;
  bar.setAttribute("role", "group");
  const mine = document.createElement("p");
  mine.className = "vote-mine";
  const pips = document.createElement("span");
  pips.className = "vote-pips";
  pips.setAttribute("aria-hidden", "true");
  const count = document.createElement("span");
  count.className = "vote-count";
  mine.append(pips, count);
  const buttons = document.createElement("div");
  buttons.className = "vote-buttons";
  const remove = document.createElement("button");
  remove.type = "button";
  remove.className = "vote-button vote-remove";
  const removeIcon = document.createElement("span");
  removeIcon.setAttribute("aria-hidden", "true");
  removeIcon.textContent = "−";
  remove.append(removeIcon);
  const add = document.createElement("button");
  add.type = "button";
  add.className = "vote-button vote-add";
  const addIcon = document.createElement("span");
  addIcon.className = "vote-icon";
  addIcon.setAttribute("aria-hidden", "true");
  addIcon.textContent = "+";
  const addText = document.createElement("span");
  add.append(addIcon, addText);
  buttons.append(remove, add);
  // Why "Add a dot" is greyed out while dots are left: the limit per idea, said next to it.
  const limit = document.createElement("p");
  limit.className = "vote-limit";
  limit.id = `vote-limit-${++bars}`;
  limit.hidden = true;
  bar.append(mine, buttons, limit);
  remove.addEventListener("click", () => retractVote(bar.dataset.voteTarget));
  add.addEventListener("click", () => castVote(bar.dataset.voteTarget));
  return { el: bar, mine, pips, count, add, addText, remove, limit, sig: "" };
}

/** Draw `bar` for `target` (my count, what is possible); cheap when nothing changed. */
export function updateVoteBar(bar, target) {
  const n = myDots(target);
  const { max } = voteSettings();
  const left = dotsLeft();
  const idea = ideaLabel(target);
  const sig = JSON.stringify([n, max, left, idea]);
  if (sig === bar.sig) return;
  bar.sig = sig;
  setAttr(bar.el, "aria-label", t("Dots for %(idea)s", { idea }));
  show(bar.mine, n > 0);
  setText(bar.pips, "●".repeat(Math.min(n, 10)));
  setText(bar.count, mineText(n));
  show(bar.remove, n > 0);
  setText(bar.addText, t("Add a dot"));
  setAttr(bar.add, "aria-label", t("Add a dot to “%(idea)s”", { idea }));
  setAttr(bar.remove, "aria-label", t("Remove a dot from “%(idea)s”", { idea }));
  setAttr(bar.remove, "title", t("Remove a dot"));
  // Still focusable and explained when used up (a toast says why), so the keyboard stays put.
  if (left <= 0 || n >= max) setAttr(bar.add, "aria-disabled", "true");
  else bar.add.removeAttribute("aria-disabled");
  // At the limit for this idea: say so under the button and as its description ("Dots left"
  // above may still say there are dots to give, for other ideas).
  const atLimit = n >= max;
  setText(bar.limit, atLimit ? tn("At most %(n)s dot on one idea", "At most %(n)s dots on one idea", max, { n: max }) : "");
  show(bar.limit, atLimit);
  if (atLimit) setAttr(bar.add, "aria-describedby", bar.limit.id);
  else bar.add.removeAttribute("aria-describedby");
}

// -- "Dots left: 3 of 5" ----------------------------------------------------------------------

export function renderDotsLeft() {
  const room = currentRoom();
  const voting = room.phase === "vote" && canVote();
  const { budget } = voteSettings();
  const text = voting ? t("Dots left: %(left)s of %(budget)s", { left: dotsLeft(), budget }) : "";
  // The element is a polite live region: it stays in the page, only its text changes.
  setText(el.dotsLeft, text);
  el.dotsLeft.classList.toggle("is-empty", !text);
  el.dotsLeft.classList.toggle("is-spent", Boolean(text) && dotsLeft() === 0);
}
