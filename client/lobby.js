// Who may be in the room, as the person themselves sees it: the waiting screen of the "ask to
// join" lobby, and the screen for someone a facilitator removed or turned away. The board
// comes back by itself when the facilitator lets someone in (the welcome arrives on the same
// socket); a removed person is not connected again.

import { t } from "./i18n.js";

const $ = (id) => document.getElementById(id);

const SCREENS = ["join-screen", "board-screen", "gone-screen", "lobby-screen", "removed-screen"];

function only(id) {
  for (const screen of SCREENS) {
    const node = $(screen);
    if (node) node.hidden = screen !== id;
  }
  for (const toggle of document.querySelectorAll(".toolbar [aria-controls]")) toggle.hidden = true;
  const changeName = $("change-name");
  if (changeName) changeName.hidden = true;
}

/** @param {{name?: string, department?: string}} you */
export function showLobby(you) {
  const alreadyShown = !$("lobby-screen").hidden;
  only("lobby-screen");
  const name = you && typeof you.name === "string" ? you.name : "";
  const department = you && typeof you.department === "string" ? you.department : "";
  $("lobby-you").textContent = department
    ? t("You: %(name)s, %(department)s", { name, department })
    : t("You: %(name)s", { name });
  if (!alreadyShown) $("lobby-screen-heading").focus();
}

export function inLobby() {
  return !$("lobby-screen").hidden;
}

export function hideLobby() {
  $("lobby-screen").hidden = true;
  $("removed-screen").hidden = true;
}

/** @param {string} reason  the close reason: "turned away" or "removed by the facilitator" */
export function showRemoved(reason) {
  for (const dialog of document.querySelectorAll("dialog[open]")) dialog.close();
  only("removed-screen");
  if (reason === "turned away") {
    $("removed-heading").textContent = t("The facilitator did not let you in.");
    $("removed-text").textContent = t("Ask the facilitator if you think this was a mistake.");
  }
  $("removed-heading").focus();
}
