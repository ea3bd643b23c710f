// Carrying ideas forward: when the facilitator moves to the next round (or later, from the
// stepper), the top-voted groups and notes of the round just finished are offered (from the
// staff summary the server keeps per round, room.rounds[i].summary), the best three chosen;
// they come into the next round as its areas (each a column to write in) or as its starting
// notes. One `round.carry`, then (moving on) one `round.go`, in that order: the next round
// opens with what was carried already on it.

import { $, currentRoom, send, setFieldError, shortText, show } from "./context.js";
import { t, tn } from "./i18n.js";
import { roundTitle, roundsOf } from "./rounds.js";
import { announce } from "./toasts.js";
import { totalText } from "./votes.js";

const PRESELECTED = 3;

const el = {
  dialog: $("carry-dialog"),
  form: $("carry-form"),
  title: $("carry-title"),
  intro: $("carry-intro"),
  fromField: $("carry-from-field"),
  from: $("carry-from"),
  itemsSet: $("carry-items-set"),
  items: $("carry-items"),
  none: $("carry-none"),
  asSet: $("carry-as-set"),
  asAreas: $("carry-as-areas-label"),
  asNotes: $("carry-as-notes-label"),
  error: $("carry-error"),
  go: $("carry-go"),
  cancel: $("carry-cancel"),
};

let current = null; // {mode: "next" | "carry", from, to, returnFocus}

/**
 * The ranked items of a round's summary, most dots first: [{id, kind: "cluster"|"note", label,
 * votes}]. The summary holds them once that round's votes were revealed; before, none.
 */
export function topItems(summary) {
  if (!summary || typeof summary !== "object") return [];
  const raw = Array.isArray(summary.top) ? summary.top : Array.isArray(summary.items) ? summary.items : [];
  const items = [];
  for (const item of raw) {
    if (!item || typeof item !== "object" || typeof item.id !== "string") continue;
    const kind = item.kind === "cluster" || item.kind === "group" || item.type === "cluster" ? "cluster" : "note";
    const label = String(item.title ?? item.text ?? item.label ?? "").trim();
    const votes = Number.isInteger(item.votes) ? item.votes : Number.isInteger(item.total) ? item.total : 0;
    items.push({ id: item.id, kind, label, votes });
  }
  return items.sort((a, b) => b.votes - a.votes);
}

function indexOf(id) {
  return roundsOf(currentRoom()).findIndex((r) => r.id === id);
}

function titleOf(id) {
  const i = indexOf(id);
  return i < 0 ? "" : roundTitle(roundsOf(currentRoom())[i], i);
}

function itemRow(item, checked) {
  const li = document.createElement("li");
  li.className = "carry-item";
  const label = document.createElement("label");
  label.className = "carry-choice";
  const box = document.createElement("input");
  box.type = "checkbox";
  box.name = "carry_item";
  box.value = item.id;
  box.checked = checked;
  const text = document.createElement("span");
  text.className = "carry-item-text";
  text.textContent = item.label ? shortText(item.label, 120) : item.kind === "cluster" ? t("Untitled group") : t("Empty note");
  const meta = document.createElement("span");
  meta.className = "carry-item-meta";
  const dots = totalText(item.votes);
  meta.textContent = item.kind === "cluster" ? t("Group · %(dots)s", { dots }) : t("Note · %(dots)s", { dots });
  label.append(box, text, meta);
  li.append(label);
  return li;
}

/** The rounds one may carry from into `to`: every other round that has ranked items. */
function sources(to) {
  return roundsOf(currentRoom()).filter((r) => r.id !== to && topItems(r.summary).length > 0);
}

function fillItems() {
  const from = current.from;
  const round = roundsOf(currentRoom()).find((r) => r.id === from);
  const items = topItems(round && round.summary);
  el.items.replaceChildren(...items.map((item, i) => itemRow(item, i < PRESELECTED)));
  show(el.items, items.length > 0);
  show(el.none, items.length === 0);
  el.none.textContent = t("“%(title)s” has no ranked ideas to carry: its votes were not revealed, or nobody voted.", { title: titleOf(from) });
  show(el.asSet, items.length > 0);
  el.itemsSet.querySelector("legend").textContent = t("The ideas with the most dots in “%(title)s”", { title: titleOf(from) });
}

function fillFrom() {
  const options = sources(current.to);
  if (!options.some((r) => r.id === current.from) && current.mode === "carry" && options.length) current.from = options[0].id;
  const rounds = roundsOf(currentRoom());
  el.from.replaceChildren(...options.map((r) => new Option(roundTitle(r, rounds.indexOf(r)), r.id)));
  el.from.value = current.from;
  show(el.fromField, current.mode === "carry" && options.length > 1);
}

/**
 * Open the dialog. `mode` "next": moving on from `from` to the next round `to` (carrying is
 * optional); "carry": bring ideas of an earlier round into round `to` without moving.
 */
export function openCarryDialog({ mode, from, to, returnFocus }) {
  if (el.dialog.open) return;
  current = { mode, from, to, returnFocus };
  const toIndex = indexOf(to);
  const target = titleOf(to);
  el.title.textContent =
    mode === "next"
      ? t("Go to round %(number)s: %(title)s", { number: toIndex + 1, title: target })
      : t("Carry ideas into “%(title)s”", { title: target });
  el.intro.textContent =
    mode === "next"
      ? t("You can bring the best ideas of “%(from)s” along. Everyone's screen moves to the next round; the board of “%(from)s” is kept and you can go back to it.", { from: titleOf(from) })
      : t("Bring the best ideas of an earlier round into this one.");
  el.asAreas.textContent = t("As areas of “%(title)s”: each idea becomes a column to write in", { title: target });
  el.asNotes.textContent = t("As starting notes of “%(title)s”", { title: target });
  el.form.querySelector('input[name="carry_as"][value="areas"]').checked = true;
  setFieldError(el.from, el.error, "");
  fillFrom();
  fillItems();
  updateGo();
  el.dialog.showModal();
  const first = el.items.querySelector("input") || el.go;
  first.focus();
}

function chosen() {
  return [...el.items.querySelectorAll('input[name="carry_item"]:checked')].map((box) => box.value);
}

function updateGo() {
  if (!current) return;
  const count = chosen().length;
  const toIndex = indexOf(current.to);
  if (current.mode === "next") {
    el.go.textContent = count
      ? tn("Carry %(count)s idea and go to round %(number)s", "Carry %(count)s ideas and go to round %(number)s", count, { count, number: toIndex + 1 })
      : t("Go to round %(number)s without carrying", { number: toIndex + 1 });
  } else {
    el.go.textContent = tn("Carry %(count)s idea", "Carry %(count)s ideas", count, { count });
  }
}

function submit(e) {
  e.preventDefault();
  if (!current) return;
  const items = chosen();
  const as = el.form.querySelector('input[name="carry_as"]:checked')?.value === "notes" ? "notes" : "areas";
  if (current.mode === "carry" && !items.length) {
    el.error.textContent = t("Choose at least one idea to carry.");
    show(el.error, true);
    (el.items.querySelector("input") || el.cancel).focus();
    return;
  }
  const { mode, from, to } = current;
  if (items.length) send("round.carry", { from, to, items, as });
  if (mode === "next") send("round.go", { round: to });
  else announce(tn("%(count)s idea carried into “%(title)s”.", "%(count)s ideas carried into “%(title)s”.", items.length, { count: items.length, title: titleOf(to) }));
  el.dialog.close();
}

export function setupCarryDialog() {
  el.form.addEventListener("submit", submit);
  el.form.addEventListener("change", (e) => {
    if (e.target.name === "carry_item") {
      show(el.error, false);
      updateGo();
    }
  });
  el.from.addEventListener("change", () => {
    current.from = el.from.value;
    fillItems();
    updateGo();
  });
  el.cancel.addEventListener("click", () => el.dialog.close());
  el.dialog.addEventListener("close", () => {
    const back = current && current.returnFocus;
    current = null;
    if (back && back.isConnected && !back.closest("[hidden]")) back.focus();
  });
}

/** Is the dialog open (a round switch redraws the panel under it)? */
export function carryDialogOpen() {
  return el.dialog.open;
}
