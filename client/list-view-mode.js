// Which view of the board this device shows: the list (the default under ~700 px wide) or the
// canvas. A person's choice is remembered on the device (localStorage); without one the width
// decides, and follows it when the window is resized or the phone turned.

import { storage } from "./core/connection.js";
import { scheduleRender } from "./context.js";

const KEY = "tavla:view";
const NARROW = "(max-width: 43.75rem)"; // 700 px at the default text size

let narrow = null;

/** "list" or "canvas": the person's choice, else the list on narrow screens. */
export function currentView() {
  const chosen = storage.get(KEY);
  if (chosen === "list" || chosen === "canvas") return chosen;
  return narrow && narrow.matches ? "list" : "canvas";
}

export function listShown() {
  return currentView() === "list";
}

/** Remember `view` on this device and draw it. */
export function chooseView(view) {
  if (view !== "list" && view !== "canvas") return;
  storage.set(KEY, view);
  scheduleRender();
}

export function setupViewMode() {
  narrow = window.matchMedia(NARROW);
  narrow.addEventListener("change", () => scheduleRender());
}
