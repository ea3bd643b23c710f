// Carrying ideas forward: when the facilitator moves to the next round (or later, from the
// stepper), the top-voted groups and notes of the round just finished are offered (from the
// staff summary the server keeps per round, room.rounds[i].summary), the best three chosen;
// they come into the next round as its areas (each a column to write in) or as its starting
// notes. One `round.carry`, then (moving on) one `round.go`, in that order: the next round
// opens with what was carried already on it.

import { $, app, currentRoom, limit, send, setFieldError, shortText, show } from "./context.js";
import { t, tn } from "./i18n.js";
import { inUse, roundTitle, roundsOf, summaryOf } from "./rounds.js";
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
  areasFull: $("carry-areas-full"),
  unranked: $("carry-unranked"),
  ties: $("carry-ties"),
  error: $("carry-error"),
  go: $("carry-go"),
  cancel: $("carry-cancel"),
};

let current = null; // {mode: "next" | "carry", from, to, returnFocus}

/**
 * The items of a round's summary (groups and visible notes), most dots first once its votes
 * were revealed: [{id, kind: "cluster"|"note", label, votes (null: not revealed)}].
 */
export function topItems(summary) {
  if (!summary || typeof summary !== "object" || !Array.isArray(summary.items)) return [];
  const items = [];
  for (const item of summary.items) {
    if (!item || typeof item !== "object" || typeof item.id !== "string") continue;
    const kind = item.kind === "group" || item.kind === "cluster" ? "cluster" : "note";
    const label = String(item.title ?? item.text ?? "").trim();
    const votes = Number.isInteger(item.votes) ? item.votes : null;
    items.push({ id: item.id, kind, label, votes, notes: Number.isInteger(item.notes) ? item.notes : 1 });
  }
  if (items.some((item) => item.votes !== null)) items.sort((a, b) => (b.votes || 0) - (a.votes || 0));
  return items;
}

/**
 * How many of `items` (most dots first) to tick: the best three with dots, and every idea tied
 * with the third on top (cutting a tie in two would choose for the facilitator, silently).
 * Returns {count, tiedFrom}: tick the first `count`; `tiedFrom` (1-based) is where the tie at
 * the cut-off starts when it made the count larger than three, else null.
 */
export function preselection(items) {
  const dotted = items.filter((item) => item.votes > 0).length;
  if (dotted <= PRESELECTED) return { count: dotted, tiedFrom: null };
  const cut = items[PRESELECTED - 1].votes;
  const count = items.filter((item) => item.votes >= cut).length;
  if (count === PRESELECTED) return { count, tiedFrom: null };
  return { count, tiedFrom: items.findIndex((item) => item.votes === cut) + 1 };
}

function summaryFor(id) {
  const room = currentRoom();
  return summaryOf(room, roundsOf(room).find((r) => r.id === id), app.confirmed);
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
  if (item.votes === null) {
    meta.textContent =
      item.kind === "cluster"
        ? tn("Group of %(count)s note", "Group of %(count)s notes", item.notes, { count: item.notes })
        : t("One note");
  } else {
    const dots = totalText(item.votes);
    meta.textContent = item.kind === "cluster" ? t("Group · %(dots)s", { dots }) : t("Note · %(dots)s", { dots });
  }
  label.append(box, text, meta);
  li.append(label);
  return li;
}

/** The rounds one may carry from into `to`: every other round with notes or groups. */
function sources(to) {
  return roundsOf(currentRoom()).filter((r) => r.id !== to && topItems(summaryFor(r.id)).length > 0);
}

function fillItems() {
  const from = current.from;
  const items = topItems(summaryFor(from));
  const ranked = items.some((item) => item.votes !== null);
  // The best three when the dots say which (and every idea tied with the third); otherwise the
  // facilitator chooses.
  const { count, tiedFrom } = ranked ? preselection(items) : { count: 0, tiedFrom: null };
  el.items.replaceChildren(...items.map((item, i) => itemRow(item, i < count)));
  show(el.ties, tiedFrom !== null);
  el.ties.textContent = tiedFrom === null ? "" : t("Ideas %(first)s–%(last)s have the same number of dots, so all of them are ticked.", { first: tiedFrom, last: count });
  show(el.items, items.length > 0);
  show(el.none, items.length === 0);
  el.none.textContent = t("“%(title)s” has no notes or groups to carry.", { title: titleOf(from) });
  show(el.asSet, items.length > 0);
  show(el.unranked, items.length > 0 && !ranked);
  el.itemsSet.querySelector("legend").textContent = ranked
    ? t("The ideas with the most dots in “%(title)s”", { title: titleOf(from) })
    : t("The groups and notes of “%(title)s”", { title: titleOf(from) });
}

/** Areas only into a round with nothing on it yet (areas under notes and groups would move
 * what people placed). */
function fillAs() {
  const full = inUse(summaryFor(current.to));
  const areas = el.form.querySelector('input[name="carry_as"][value="areas"]');
  const notes = el.form.querySelector('input[name="carry_as"][value="notes"]');
  areas.disabled = full;
  (full ? notes : areas).checked = true;
  show(el.areasFull, full);
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
      : t("Bring the best ideas of another round into “%(title)s”, without moving on.", { title: target });
  el.asAreas.textContent = t("As areas of “%(title)s”: each idea becomes a column to write in", { title: target });
  el.asNotes.textContent = t("As starting notes of “%(title)s”", { title: target });
  setFieldError(el.from, el.error, "");
  fillFrom();
  fillItems();
  fillAs();
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
  const most = limit("areas_per_round");
  if (as === "areas" && most !== null && items.length > most) {
    el.error.textContent = t("A round has at most %(max)s areas: choose fewer ideas, or bring them in as notes.", { max: most });
    show(el.error, true);
    el.items.querySelector("input:checked").focus();
    return;
  }
  const { mode, from, to } = current;
  const carried = tn("%(count)s idea carried into “%(title)s”.", "%(count)s ideas carried into “%(title)s”.", items.length, { count: items.length, title: titleOf(to) });
  el.dialog.close(); // first: the keyboard is back in the stepper before the new round arrives
  if (items.length) send("round.carry", { from, to, items, as });
  if (mode === "next") send("round.go", { round: to });
  else announce(carried);
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
