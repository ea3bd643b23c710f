// The note dialog: write a new note, or edit or delete one.

import { makeId, storage } from "./connection.js";
import {
  KEYS,
  app,
  canEdit,
  currentRoom,
  editBlockedReason,
  el,
  isFacilitator,
  send,
  setFieldError,
  show,
} from "./context.js";
import { t } from "./i18n.js";
import { COLORS, MAX_TEXT } from "./state.js";
import { deleteNote, newNotePosition } from "./notes-view.js";
import { announce, toast } from "./toasts.js";

function colorInputs() {
  return [...el.noteForm.querySelectorAll('input[name="color"]')];
}

function updateCount() {
  const length = el.noteText.value.length;
  el.noteCount.textContent = t("%(count)s of %(max)s characters", { count: length, max: MAX_TEXT });
}

/** Open the editor for note `id` (null: a new note); focus returns to `returnFocus`. */
export function openNoteDialog(id, returnFocus) {
  if (el.dialog.open) return;
  const note = id ? app.view.get(id) : null;
  if (id && !note) return;
  if (note && !canEdit(note)) {
    toast(note.mine ? editBlockedReason() : t("You can only change your own notes."), "info");
    return;
  }
  if (!note && editBlockedReason()) {
    toast(editBlockedReason(), "info");
    return;
  }
  app.editing = { id: id || null, returnFocus: returnFocus || document.activeElement };
  el.dialogTitle.textContent = note ? t("Edit note") : t("New note");
  el.noteText.value = note ? note.text : "";
  const chosen = note ? note.color : COLORS.includes(storage.get(KEYS.color)) ? storage.get(KEYS.color) : "yellow";
  for (const input of colorInputs()) input.checked = input.value === chosen;
  show(el.noteDelete, Boolean(note));
  const spotlit = Boolean(note) && currentRoom().spotlight === note.id;
  show(el.noteSpotlight, Boolean(note) && isFacilitator() && !note.hidden);
  el.noteSpotlight.textContent = spotlit ? t("End spotlight") : t("Spotlight");
  setFieldError(el.noteText, el.noteTextError, "");
  updateCount();
  el.dialog.showModal();
  el.noteText.focus();
  if (note) el.noteText.setSelectionRange(el.noteText.value.length, el.noteText.value.length);
}

/** After the notes are drawn: the note being edited may have been deleted by someone else. */
export function closeIfNoteGone(view) {
  if (app.editing && app.editing.id && !view.has(app.editing.id) && el.dialog.open) {
    app.editing.returnFocus = el.addNote;
    el.dialog.close();
    toast(t("This note was deleted."), "info");
  }
}

function onSubmit(e) {
  e.preventDefault();
  const text = el.noteText.value.trim();
  if (!text) {
    setFieldError(el.noteText, el.noteTextError, t("Please write something on the note."));
    el.noteText.focus();
    return;
  }
  if (text.length > MAX_TEXT) {
    setFieldError(el.noteText, el.noteTextError, t("The text is too long (at most %(max)s characters).", { max: MAX_TEXT }));
    el.noteText.focus();
    return;
  }
  const checked = colorInputs().find((input) => input.checked);
  const color = checked && COLORS.includes(checked.value) ? checked.value : "yellow";
  const editing = app.editing || { id: null };
  if (editing.id) {
    const note = app.view.get(editing.id);
    if (!note) {
      el.dialog.close();
      toast(t("This note was deleted."), "info");
      return;
    }
    const args = { id: editing.id };
    if (text !== note.text) args.text = text;
    if (color !== note.color) args.color = color;
    if (Object.keys(args).length > 1) {
      send("note.update", args);
      announce(t("Note saved."));
    }
  } else {
    const { x, y } = newNotePosition();
    send("note.create", { id: makeId("n_"), text, color, x, y });
    storage.set(KEYS.color, color);
    announce(t("Note added."));
  }
  el.dialog.close();
}

/** @param {{spotlight: (id: string) => void}} hooks  put a note in focus, or end it */
export function setupNoteDialog({ spotlight }) {
  el.noteSpotlight.addEventListener("click", () => {
    const id = app.editing && app.editing.id;
    if (!id) return;
    app.editing.returnFocus = app.noteEls.get(id)?.el || el.addNote;
    el.dialog.close();
    spotlight(id);
  });

  el.dialog.addEventListener("close", () => {
    const target = app.editing && app.editing.returnFocus;
    app.editing = null;
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
    const id = app.editing && app.editing.id;
    if (!id) return;
    app.editing.returnFocus = el.addNote;
    el.dialog.close();
    deleteNote(id);
  });

  el.addNote.addEventListener("click", () => openNoteDialog(null, el.addNote));
}
