// Messages for people: polite announcements for screen readers, and toasts on screen.

import { $ } from "./context.js";
import { t } from "./i18n.js";

// The elements this module works with.
const el = {
  alertRegion: $("alert-region"),
  announcer: $("announcer"),
  toasts: $("toasts"),
};

const TOAST_MS = 9000;

function speak(region, message) {
  // Clear first, so that the same message twice is read twice.
  region.textContent = "";
  setTimeout(() => {
    region.textContent = message;
  }, 50);
}

/** Say `message` to screen readers, politely (after what they are reading now). */
export function announce(message) {
  speak(el.announcer, message);
}

/** Say `message` to screen readers at once, interrupting (for what cannot wait). */
export function announceAssertive(message) {
  speak(el.alertRegion, message);
}

/**
 * Show `message` for a while (an error until dismissed) and say it to screen readers.
 * `options.link` ({href, text, newTab}) adds a link after the message (the results page);
 * `options.staffOnly` keeps it off a projected screen (a coach's hint is not for the room):
 * there it is only said to screen readers.
 */
export function toast(message, kind, options = {}) {
  if (!message) return;
  const link = options.link;
  if (options.staffOnly && document.body.classList.contains("is-projector")) {
    announce(message);
    return;
  }
  // The same message already on screen (a retry loop, say): say it once.
  for (const existing of el.toasts.querySelectorAll(".toast")) {
    if (existing.dataset.message === message) return;
  }
  if (kind === "error") announceAssertive(message);
  else announce(message);
  const item = document.createElement("div");
  item.className = `toast toast-${kind === "error" ? "error" : "info"}`;
  item.dataset.message = message;
  const icon = document.createElement("span");
  icon.className = "toast-icon";
  icon.setAttribute("aria-hidden", "true");
  icon.textContent = kind === "error" ? "!" : "i";
  const text = document.createElement("p");
  text.className = "toast-text";
  text.textContent = message;
  if (link && link.href && link.text) {
    const a = document.createElement("a");
    a.className = "toast-link";
    a.href = link.href;
    a.textContent = link.text;
    if (link.newTab) {
      a.target = "_blank";
      a.rel = "noopener";
      const note = document.createElement("span");
      note.className = "visually-hidden";
      note.textContent = ` ${t("(opens in a new tab)")}`;
      a.append(note);
    }
    text.append(" ", a);
  }
  const close = document.createElement("button");
  close.type = "button";
  close.className = "toast-close";
  const closeText = document.createElement("span");
  closeText.className = "visually-hidden";
  closeText.textContent = t("Dismiss");
  const closeIcon = document.createElement("span");
  closeIcon.setAttribute("aria-hidden", "true");
  closeIcon.textContent = "×";
  close.append(closeIcon, closeText);
  close.addEventListener("click", () => item.remove());
  item.append(icon, text, close);
  el.toasts.append(item);
  while (el.toasts.children.length > 4) el.toasts.firstElementChild.remove();
  // Information fades; an error stays until it is dismissed (or pushed out by newer ones).
  if (kind !== "error") setTimeout(() => item.remove(), TOAST_MS);
}
