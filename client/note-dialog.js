// The note dialog: write a new note, or edit or delete one, and put it in a group ("Move to
// group"; no dragging needed). Someone else's note can be put in a group too, in the phases
// where the board may be changed: then only the group can be chosen.

import { areaOfNote } from "./areas.js";
import { clusterOptions, groupOptionNodes } from "./cluster-dialog.js";
import { slotIn } from "./cluster-geometry.js";
import { makeId, storage } from "./core/connection.js";
import {
  $,
  app,
  canEdit,
  canMove,
  clusterName,
  currentRoom,
  editBlockedReason,
  isFacilitator,
  KEYS,
  limit,
  send,
  setFieldError,
  show,
} from "./context.js";
import { t } from "./i18n.js";
import { COLORS } from "./core/state.js";
import { listShown } from "./list-view-mode.js";
import { deleteNote, newNotePosition } from "./notes-view.js";
import { announce, toast } from "./toasts.js";

// The elements this module works with.
const el = {
  addNote: $("add-note"),
  clusterDialog: $("cluster-dialog"),
  dialog: $("note-dialog"),
  dialogTitle: $("note-dialog-title"),
  noteCancel: $("note-cancel"),
  listArea: $("list-filter-area"),
  noteArea: $("note-area"),
  noteAreaField: $("note-area-field"),
  noteColors: $("note-colors"),
  noteCount: $("note-count"),
  noteDelete: $("note-delete"),
  noteForm: $("note-form"),
  noteGroup: $("note-group"),
  noteGroupField: $("note-group-field"),
  noteQuote: $("note-quote"),
  noteSpotlight: $("note-spotlight"),
  noteText: $("note-text"),
  noteTextError: $("note-text-error"),
  noteTextField: $("note-text-field"),
};

// A wished place this far inside an area's corner is below its title.
const AREA_INSET = 80;

// The note being edited in the dialog: {id (null for a new one), groupOnly, returnFocus}.
let editing = null;

function colorInputs() {
  return [...el.noteForm.querySelectorAll('input[name="color"]')];
}

function updateCount() {
  const length = el.noteText.value.length;
  el.noteCount.textContent = t("%(count)s of %(max)s characters", { count: length, max: limit("note_text") ?? "" });
}

function fillGroups(current) {
  const none = document.createElement("option");
  none.value = "";
  none.textContent = t("No group");
  const options = clusterOptions();
  el.noteGroup.replaceChildren(none, ...groupOptionNodes(options));
  el.noteGroup.value = current && app.clusterView.has(current) ? current : "";
  return options.length > 0;
}

/** A new note's area: offered when the board has areas. Preselected is the area the list is
 * filtered to, else the one in the middle of the canvas's view, else the first. */
function fillAreas(isNew) {
  const areas = isNew ? currentRoom().areas || [] : [];
  show(el.noteAreaField, areas.length > 0);
  if (!areas.length) return;
  el.noteArea.replaceChildren(...areas.map((a) => new Option(a.title, a.id)));
  const hint = newNotePosition();
  const inView = areaOfNote(hint, areas);
  const filtered = listShown() && el.listArea && areas.find((a) => a.id === el.listArea.value);
  el.noteArea.value = (filtered || inView || areas[0]).id;
}

/** Where a new note is wished: the middle of the view, or the chosen area's top-left corner when
 * the view is elsewhere. The server finds the free place nearest to it (server/domain/layout.py). */
function newNoteHint() {
  const hint = newNotePosition();
  const areas = currentRoom().areas || [];
  const chosen = !el.noteAreaField.hidden && areas.find((a) => a.id === el.noteArea.value);
  if (!chosen || areaOfNote(hint, [chosen])) return hint;
  return { x: chosen.x + AREA_INSET, y: chosen.y + AREA_INSET };
}

/** Open the editor for note `id` (null: a new note); focus returns to `returnFocus`. */
export function openNoteDialog(id, returnFocus) {
  if (el.dialog.open || el.clusterDialog.open) return;
  const note = id ? app.view.get(id) : null;
  if (id && !note) return;
  // Someone else's note: only its group can be changed (when the board may be changed).
  const groupOnly = Boolean(note) && !canEdit(note) && canMove() && !note.hidden;
  if (note && !canEdit(note) && !groupOnly) {
    toast(note.mine ? editBlockedReason() : t("You can only change your own notes."), "info");
    return;
  }
  if (!note && editBlockedReason()) {
    toast(editBlockedReason(), "info");
    return;
  }
  editing = { id: id || null, groupOnly, returnFocus: returnFocus || document.activeElement };
  el.dialogTitle.textContent = groupOnly ? t("Put the note in a group") : note ? t("Edit note") : t("New note");
  el.noteText.value = note ? note.text : "";
  el.noteQuote.textContent = groupOnly ? note.text : "";
  show(el.noteQuote, groupOnly);
  show(el.noteTextField, !groupOnly);
  show(el.noteColors, !groupOnly);
  const chosen = note ? note.color : COLORS.includes(storage.get(KEYS.color)) ? storage.get(KEYS.color) : "yellow";
  for (const input of colorInputs()) input.checked = input.value === chosen;
  fillAreas(!note);
  const groups = fillGroups(note ? note.cluster : null);
  show(el.noteGroupField, groups);
  show(el.noteDelete, Boolean(note) && !groupOnly);
  const spotlit = Boolean(note) && currentRoom().spotlight === note.id;
  show(el.noteSpotlight, Boolean(note) && isFacilitator() && !note.hidden);
  el.noteSpotlight.textContent = spotlit ? t("End spotlight") : t("Spotlight");
  setFieldError(el.noteText, el.noteTextError, "");
  updateCount();
  el.dialog.showModal();
  if (groupOnly) {
    el.noteGroup.focus();
    return;
  }
  el.noteText.focus();
  if (note) el.noteText.setSelectionRange(el.noteText.value.length, el.noteText.value.length);
}

/** Put note `id` into group `cluster` (null: out of its group); into a free place inside it. */
export function regroup(id, cluster) {
  const note = app.view.get(id);
  const current = note ? note.cluster || null : null;
  if (!note || current === cluster) return false;
  send("note.group", { id, cluster });
  const target = cluster ? app.clusterView.get(cluster) : null;
  if (target) {
    const { x, y } = slotIn(target, id);
    send("note.move", { id, x, y });
  }
  // A toast, not only an announcement: on a small screen the note leaves the view.
  toast(target ? t("Note put in the group “%(name)s”.", { name: clusterName(target) }) : t("Note taken out of its group."), "info");
  return true;
}

/** After the notes are drawn: the note being edited may have been deleted by someone else. */
export function closeIfNoteGone(view) {
  if (editing && editing.id && !view.has(editing.id) && el.dialog.open) {
    editing.returnFocus = el.addNote;
    el.dialog.close();
    toast(t("This note was deleted."), "info");
  }
}

function onSubmit(e) {
  e.preventDefault();
  const chosenGroup = !el.noteGroupField.hidden && el.noteGroup.value ? el.noteGroup.value : null;
  if (editing && editing.groupOnly) {
    regroup(editing.id, chosenGroup);
    el.dialog.close();
    return;
  }
  const text = el.noteText.value.trim();
  if (!text) {
    setFieldError(el.noteText, el.noteTextError, t("Please write something on the note."));
    el.noteText.focus();
    return;
  }
  if (limit("note_text") !== null && text.length > limit("note_text")) {
    setFieldError(el.noteText, el.noteTextError, t("The text is too long (at most %(max)s characters).", { max: limit("note_text") }));
    el.noteText.focus();
    return;
  }
  const checked = colorInputs().find((input) => input.checked);
  const color = checked && COLORS.includes(checked.value) ? checked.value : "yellow";
  const current = editing || { id: null };
  if (current.id) {
    const note = app.view.get(current.id);
    if (!note) {
      el.dialog.close();
      toast(t("This note was deleted."), "info");
      return;
    }
    const args = { id: current.id };
    if (text !== note.text) args.text = text;
    if (color !== note.color) args.color = color;
    if (Object.keys(args).length > 1) {
      send("note.update", args);
      announce(t("Note saved."));
    }
    if (!el.noteGroupField.hidden) regroup(current.id, chosenGroup);
  } else {
    const id = makeId("n_");
    const target = chosenGroup ? app.clusterView.get(chosenGroup) : null;
    const { x, y } = target ? slotIn(target) : newNoteHint();
    send("note.create", { id, text, color, x, y });
    if (target) send("note.group", { id, cluster: target.id });
    storage.set(KEYS.color, color);
    announce(t("Note added."));
  }
  el.dialog.close();
}

/** @param {{spotlight: (id: string) => void}} hooks  put a note in focus, or end it */
export function setupNoteDialog({ spotlight }) {
  el.noteSpotlight.addEventListener("click", () => {
    const id = editing && editing.id;
    if (!id) return;
    editing.returnFocus = app.noteEls.get(id)?.el || el.addNote;
    el.dialog.close();
    spotlight(id);
  });

  el.dialog.addEventListener("close", () => {
    const target = editing && editing.returnFocus;
    editing = null;
    const fallback = el.addNote;
    const focusable = target && target.isConnected && !target.hidden ? target : fallback;
    if (focusable && typeof focusable.focus === "function") focusable.focus();
  });

  el.noteText.addEventListener("input", () => {
    updateCount();
    if (!el.noteTextError.hidden && el.noteText.value.trim()) setFieldError(el.noteText, el.noteTextError, "");
  });

  el.noteForm.addEventListener("submit", onSubmit);
  el.noteCancel.addEventListener("click", () => el.dialog.close());

  el.noteDelete.addEventListener("click", () => {
    const id = editing && editing.id;
    if (!id) return;
    editing.returnFocus = el.addNote;
    el.dialog.close();
    deleteNote(id);
  });

  el.addNote.addEventListener("click", () => openNoteDialog(null, el.addNote));
}
