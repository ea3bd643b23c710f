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

export function toast(message, kind) {
  if (!message) return;
  // The same message already on screen (a retry loop, say): say it once.
  for (const existing of el.toasts.querySelectorAll(".toast-text")) {
    if (existing.textContent === message) return;
  }
  if (kind === "error") announceAssertive(message);
  else announce(message);
  const item = document.createElement("div");
  item.className = `toast toast-${kind === "error" ? "error" : "info"}`;
  const icon = document.createElement("span");
  icon.className = "toast-icon";
  icon.setAttribute("aria-hidden", "true");
  icon.textContent = kind === "error" ? "!" : "i";
  const text = document.createElement("p");
  text.className = "toast-text";
  text.textContent = message;
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
