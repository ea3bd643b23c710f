// Which screen shows: the join form, the board, or "this session does not exist".
// The join form is here too: it is what decides when to connect.

import { storage } from "./core/connection.js";
import { $, app, KEYS, mirrorShown, scheduleRender, setFieldError, show } from "./context.js";
import { t } from "./i18n.js";
import { peopleOpen, setPeopleOpen, syncToggles } from "./panels.js";
import { hideLobby } from "./lobby.js";
import { syncJoinGroup } from "./took-part.js";

// The elements this module works with.
const el = {
  addNote: $("add-note"),
  boardScreen: $("board-screen"),
  changeName: $("change-name"),
  clusterDialog: $("cluster-dialog"),
  confirmDialog: $("confirm-dialog"),
  deleteDialog: $("delete-dialog"),
  dialog: $("note-dialog"),
  goneHeading: $("gone-heading"),
  goneScreen: $("gone-screen"),
  goneText: $("gone-text"),
  joinCancel: $("join-cancel"),
  joinDepartment: $("join-department"),
  joinError: $("join-error"),
  joinForm: $("join-form"),
  joinName: $("join-name"),
  joinNameError: $("join-name-error"),
  joinRoleNote: $("join-role-note"),
  joinScreen: $("join-screen"),
  peopleToggle: $("people-toggle"),
};

// The header's board tools show only with the board (before-joining.css).
mirrorShown(el.boardScreen, "on-board");

let gone = null; // the room is gone: "deleted" (by its facilitator) or "missing"; the one place that says so
let joined = false; // this person has given a name (or has a token): the board, not the join form

/** Why the room is gone ("deleted" or "missing"), or null while it is there. */
export function roomGone() {
  return gone;
}

export function hasJoined() {
  return joined;
}

/** Joined with a token from an earlier visit: no join form. */
export function markJoined() {
  joined = true;
}

export function showJoin(errorMessage) {
  hideLobby();
  show(el.goneScreen, false);
  show(el.boardScreen, false);
  show(el.joinScreen, true);
  show(el.changeName, false);
  syncToggles(false);
  el.joinName.value = app.name;
  el.joinDepartment.value = app.department;
  syncJoinGroup(); // t14g: the department as a choice among the groups to hear from
  show(el.joinRoleNote, Boolean(app.key));
  show(el.joinCancel, joined && !errorMessage);
  setFieldError(el.joinName, el.joinNameError, "");
  show(el.joinError, Boolean(errorMessage));
  el.joinError.textContent = errorMessage || "";
  el.joinName.focus();
  scheduleRender();
}

export function showBoard() {
  hideLobby();
  show(el.joinScreen, false);
  show(el.goneScreen, false);
  show(el.boardScreen, true);
  show(el.changeName, true);
  syncToggles(true);
  setPeopleOpen(peopleOpen());
  scheduleRender();
}

/** "This session does not exist", or, when the facilitator deleted it, "was deleted". */
export function showGone(deleted = false) {
  // Once deleted, it stays deleted (the socket's 4404 that follows says only "gone").
  gone = deleted || gone === "deleted" ? "deleted" : "missing";
  if (gone === "deleted") {
    el.goneHeading.textContent = t("This session was deleted.");
    el.goneText.textContent = t("The facilitator deleted the session and everything in it: notes, groups, votes and names.");
  }
  for (const dialog of [el.clusterDialog, el.confirmDialog, el.deleteDialog]) if (dialog.open) dialog.close();
  hideLobby();
  show(el.joinScreen, false);
  show(el.boardScreen, false);
  show(el.changeName, false);
  syncToggles(false);
  show(el.goneScreen, true);
  if (el.dialog.open) el.dialog.close();
  scheduleRender();
  const heading = el.goneScreen.querySelector("h2");
  if (heading) heading.focus();
}

/** @param {() => void} connect  start (or restart) the connection */
export function setupJoinForm(connect) {
  el.joinForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const name = el.joinName.value.trim();
    const department = el.joinDepartment.value.trim();
    if (!name) {
      setFieldError(el.joinName, el.joinNameError, t("Please enter your name."));
      el.joinName.focus();
      return;
    }
    setFieldError(el.joinName, el.joinNameError, "");
    const changed = name !== app.name || department !== app.department;
    app.name = name;
    app.department = department;
    storage.set(KEYS.name, name);
    storage.set(KEYS.department, department);
    const first = !joined;
    joined = true;
    showBoard();
    if (first || changed || !app.conn || app.conn.status === "joining") connect();
    el.addNote.focus();
  });

  el.joinCancel.addEventListener("click", () => {
    showBoard();
    if (peopleOpen()) el.changeName.focus();
    else el.peopleToggle.focus();
  });

  el.changeName.addEventListener("click", () => showJoin(""));
}
