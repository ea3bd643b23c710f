// The compact frame on phones: the session's buttons (copy link, facilitation, people, …) in
// one menu behind a button in the header line, and the prompt folded to one line with a button
// to unfold it. On wider screens the same elements show as they always did (CSS decides; the
// state here is only whether the menu and the prompt are open).

import { currentRoom } from "./context.js";
import { t } from "./i18n.js";

const $ = (id) => document.getElementById(id);
const menuToggle = $("board-menu-toggle");
const menu = $("session-toolbar");
const promptWrap = $("prompt-wrap");
const prompt = $("room-prompt");
const promptToggle = $("prompt-toggle");

function setMenu(open, returnFocus = false) {
  document.body.classList.toggle("menu-open", open);
  menuToggle.setAttribute("aria-expanded", String(open));
  if (!open && returnFocus) menuToggle.focus();
}

function setPrompt(open) {
  promptWrap.classList.toggle("is-open", open);
  promptToggle.setAttribute("aria-expanded", String(open));
  promptToggle.querySelector(".visually-hidden").textContent = open ? t("Fold the prompt") : t("Show the whole prompt");
}

/** After each render: the prompt's fold button only where there is a prompt. */
export function renderPhoneFrame() {
  const has = Boolean(currentRoom().prompt) && !prompt.hidden;
  if (promptToggle.hidden === has) promptToggle.hidden = !has;
}

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
  promptToggle.addEventListener("click", () => setPrompt(!promptWrap.classList.contains("is-open")));
  // Folded to start with, as the template draws it (in the page's language: this runs before
  // the browser's catalogue has loaded, so a t() here would say it in English).
}
