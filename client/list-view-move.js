// "Move to group" from the list: a menu of the groups in a bottom sheet (a modal dialog: focus
// goes in, Escape closes, focus comes back to the row's button). Choosing a group does what the
// note dialog's group field does (regroup), and the list highlights the note in its new place.

import { clusterOptions } from "./cluster-dialog.js";
import { app, shortText } from "./context.js";
import { t } from "./i18n.js";
import { regroup } from "./note-dialog.js";

const $ = (id) => document.getElementById(id);
const sheet = $("move-sheet");
const note = $("move-sheet-note");
const list = $("move-sheet-list");
const cancel = $("move-sheet-cancel");

let target = null; // {id, returnFocus}
let moved = () => {};

function option(label, cluster, current, area = "") {
  const li = document.createElement("li");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button move-option";
  button.textContent = label;
  if (area) {
    // Which area the group is in: a note put in it moves there.
    const where = document.createElement("span");
    where.className = "move-area";
    where.textContent = t("in %(area)s", { area });
    button.append(" ", where);
  }
  if (current) {
    button.setAttribute("aria-current", "true");
    const mark = document.createElement("span");
    mark.className = "move-current";
    mark.textContent = t("(now)");
    button.append(" ", mark);
  }
  button.addEventListener("click", () => {
    const id = target && target.id;
    sheet.close();
    if (id && !current && regroup(id, cluster)) moved(id);
  });
  li.append(button);
  return li;
}

/** Open the menu for note `id`; focus returns to `returnFocus` when it closes. */
export function openMoveSheet(id, returnFocus) {
  const item = app.view.get(id);
  if (!item || sheet.open) return;
  target = { id, returnFocus };
  note.textContent = shortText(item.text, 120);
  const current = item.cluster || null;
  const groups = clusterOptions();
  const items = groups.map(({ id: cluster, label, area }) => option(label, cluster, cluster === current, area));
  // Out of every group, always offered ("now" for a note in none), so the choice is plain.
  if (groups.length) items.push(option(t("No group"), null, !current));
  if (!items.length) {
    const li = document.createElement("li");
    li.className = "hint";
    li.textContent = t("There are no groups yet. Make one with “New group”.");
    items.push(li);
  }
  list.replaceChildren(...items);
  sheet.showModal();
  const first = list.querySelector("button:not([aria-current])") || cancel;
  first.focus();
}

/** @param {{moved: (id: string) => void}} hooks  a note was put in another group */
export function setupMoveSheet(hooks) {
  moved = hooks.moved;
  cancel.addEventListener("click", () => sheet.close());
  sheet.addEventListener("close", () => {
    // The close event comes a moment later; the browser gives focus back at once, so the
    // sheet may already be open again for the next note: then this one is over already.
    if (sheet.open) return;
    const back = target && target.returnFocus;
    target = null;
    if (back && back.isConnected) back.focus();
  });
  // A tap on the dimmed backdrop closes the sheet, as on every phone.
  sheet.addEventListener("click", (e) => {
    if (e.target !== sheet) return;
    const r = sheet.getBoundingClientRect();
    const inside = e.clientX >= r.left && e.clientX <= r.right && e.clientY >= r.top && e.clientY <= r.bottom;
    if (!inside) sheet.close();
  });
}

/** After drawing: the note in the menu may have been deleted by someone else. */
export function closeIfMoveNoteGone() {
  if (sheet.open && target && !app.view.has(target.id)) sheet.close();
}
