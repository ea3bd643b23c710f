// "Are you sure?" for actions that cannot be undone: a modal dialog with the action named on
// its button, Cancel focused first. Focus returns to where it was.

import { $ } from "./context.js";

// The elements this module works with.
const el = {
  confirmDialog: $("confirm-dialog"),
  confirmOk: $("confirm-ok"),
  confirmText: $("confirm-text"),
  confirmTitle: $("confirm-title"),
};

let pending = null; // {resolve, returnFocus}

/** Ask; resolves true when the person chose the action. `danger: false` for an action that
 * loses nothing (going back to an earlier round): its button is the primary one, not red. */
export function confirmAction({ title, text, ok, danger = true }) {
  if (el.confirmDialog.open) return Promise.resolve(false);
  el.confirmTitle.textContent = title;
  el.confirmText.textContent = text;
  el.confirmOk.textContent = ok;
  el.confirmOk.classList.toggle("danger", danger);
  el.confirmOk.classList.toggle("primary", !danger);
  el.confirmDialog.returnValue = "";
  return new Promise((resolve) => {
    pending = { resolve, returnFocus: document.activeElement };
    el.confirmDialog.showModal();
    el.confirmDialog.querySelector("#confirm-cancel").focus();
  });
}

export function setupConfirm() {
  el.confirmDialog.addEventListener("close", () => {
    const done = pending;
    pending = null;
    if (!done) return;
    const target = done.returnFocus;
    if (target && target.isConnected && typeof target.focus === "function") target.focus();
    done.resolve(el.confirmDialog.returnValue === "ok");
  });
}
