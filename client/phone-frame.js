// The compact frame on phones: the session's buttons (copy link, facilitation, people, …) in
// one menu behind a button in the header line, and the prompt above the list. On wider screens
// the same elements show as they always did (CSS decides; the state here is only whether the
// menu is open and how much of the prompt shows).
//
// The prompt has three states on a phone: *fresh* — up to three lines, when a round or a phase
// starts or the prompt changes, so people read what to write about; *folded* — one line, once
// the person scrolls or taps the board (the notes get the room back); *open* — all of it, by
// "Show more". A three-line prompt still leaves the list ≥ 65 % of a 390×844 screen, but a
// person reading the list needs it less than the notes, hence the fold.

import { currentRoom } from "./context.js";
import { t } from "./i18n.js";
import { activeIndex } from "./rounds.js";

const $ = (id) => document.getElementById(id);
const menuToggle = $("board-menu-toggle");
const menu = $("session-toolbar");
const promptWrap = $("prompt-wrap");
const prompt = $("room-prompt");
const promptToggle = $("prompt-toggle");
const promptToggleText = promptToggle.querySelector(".prompt-toggle-text");

let promptKey = null; // round, phase and prompt the prompt was last shown fresh for
let measureQueued = false;
const PHONE = window.matchMedia("(max-width: 43.75rem)"); // css/phone-frame.css's compact frame

function setMenu(open, returnFocus = false) {
  document.body.classList.toggle("menu-open", open);
  menuToggle.setAttribute("aria-expanded", String(open));
  if (!open && returnFocus) menuToggle.focus();
}

/** "fresh" (up to three lines), "folded" (one line) or "open" (all of it). */
function setPrompt(state) {
  promptWrap.classList.toggle("is-open", state === "open");
  promptWrap.classList.toggle("is-fresh", state === "fresh");
  promptToggle.setAttribute("aria-expanded", String(state === "open"));
  const text = state === "open" ? t("Show less") : t("Show more");
  if (promptToggleText.textContent !== text) promptToggleText.textContent = text;
  queueMeasure();
}

const promptState = () =>
  promptWrap.classList.contains("is-open") ? "open" : promptWrap.classList.contains("is-fresh") ? "fresh" : "folded";

/** The fold button where there is more to show (or, open, something to fold). */
function measure() {
  measureQueued = false;
  const has = Boolean(currentRoom().prompt) && !prompt.hidden;
  // Fresh, a prompt that fits its three lines needs no button; folded, one line always may hide
  // some. (Measured on a phone only: elsewhere the CSS shows the whole prompt and no button.)
  const more = has && (promptState() !== "fresh" || (PHONE.matches && prompt.scrollHeight > prompt.clientHeight + 1));
  if (promptToggle.hidden === more) promptToggle.hidden = !more;
}

function queueMeasure() {
  if (measureQueued) return;
  measureQueued = true;
  requestAnimationFrame(measure); // after the render has drawn the prompt and the round's label
}

/** After each render: the prompt shown fresh when the round, the phase or the prompt changed. */
export function renderPhoneFrame() {
  const room = currentRoom();
  const key = `${activeIndex(room)}\u0000${room.phase}\u0000${room.prompt || ""}`;
  if (key !== promptKey) {
    promptKey = key;
    if (promptState() !== "open") setPrompt("fresh");
  }
  queueMeasure();
}

/** The person scrolled or tapped the notes: they have read the prompt, the notes get the room. */
function foldFresh() {
  if (promptState() === "fresh") setPrompt("folded");
}

const SCROLL_KEYS = new Set(["ArrowDown", "ArrowUp", "PageDown", "PageUp", "Home", "End", " "]);

export function setupPhoneFrame() {
  menuToggle.addEventListener("click", () => setMenu(menuToggle.getAttribute("aria-expanded") !== "true"));
  // Choosing something in the menu closes it (a panel or dialog opens in its place).
  menu.addEventListener("click", (e) => {
    if (e.target.closest("button, a")) setMenu(false);
  });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && document.body.classList.contains("menu-open")) {
      e.preventDefault();
      setMenu(false, true);
    }
  });
  document.addEventListener("pointerdown", (e) => {
    if (!document.body.classList.contains("menu-open")) return;
    if (!menu.contains(e.target) && !menuToggle.contains(e.target)) setMenu(false);
  });
  promptToggle.addEventListener("click", () => setPrompt(promptState() === "open" ? "folded" : "open"));
  // Never on a press: folding moves everything below the prompt up, and the button under the
  // finger would no longer be there when the press ends. A tap folds it once its click has
  // done its work; a scroll by touch once the finger lifts; a wheel or a key at once.
  const list = $("list-body");
  let swiped = false;
  list.addEventListener("wheel", foldFresh, { passive: true });
  list.addEventListener("touchmove", () => { swiped = true; }, { passive: true });
  list.addEventListener("touchend", () => {
    if (swiped) foldFresh();
    swiped = false;
  }, { passive: true });
  list.addEventListener("keydown", (e) => {
    if (SCROLL_KEYS.has(e.key) && e.target === list) foldFresh();
  });
  for (const area of [list, $("viewport")]) area.addEventListener("click", () => setTimeout(foldFresh), true);
  window.addEventListener("resize", queueMeasure);
  // Folded to start with, as the template draws it (in the page's language: this runs before
  // the browser's catalogue has loaded, so a t() here would say it in English).
}
