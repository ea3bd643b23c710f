// Hints from a remote coach to the facilitator. Facilitators and coaches see them (the server
// never sends them to anyone else); coaches write them. A new hint gets a badge for
// facilitators and a toast for facilitators and the other coaches.

import { $, app, coachName, limit, myRole, send, setFieldError, show, showCharacterCount } from "./context.js";
import { locale, t } from "./i18n.js";
import { isPanelOpen } from "./panels.js";
import { announce, toast } from "./toasts.js";

// The elements this module works with.
const el = {
  hintCount: $("hint-count"),
  hintError: $("hint-error"),
  hintForm: $("hint-form"),
  hintText: $("hint-text"),
  hintsCount: $("hints-count"),
  hintsEmpty: $("hints-empty"),
  hintsList: $("hints-list"),
};

let unread = 0;
let drawn = "";
let timeFormat = null;

function formatTime(ms) {
  if (!timeFormat) timeFormat = new Intl.DateTimeFormat(locale(), { hour: "2-digit", minute: "2-digit" });
  try {
    return timeFormat.format(new Date(ms));
  } catch {
    return "";
  }
}

function updateCount() {
  showCharacterCount(el.hintText, el.hintCount, "hint");
}

/** A `coach.hint` event (only staff are sent one): a toast for facilitators and the other
 * coaches, unless they are reading the hints already (then the list shows it). */
export function hintArrived(data) {
  const role = myRole();
  if ((role !== "facilitator" && role !== "coach") || !data || typeof data.text !== "string") return;
  if (app.me && data.by === app.me.id) return;
  const reading = isPanelOpen("hints") && document.visibilityState === "visible";
  const message = t("New hint from the coach: %(text)s", { text: data.text });
  if (reading) {
    announce(message);
    return;
  }
  if (role === "facilitator") unread += 1;
  toast(message, "info", { staffOnly: true });
}

export function renderHints() {
  updateCount();
  const hints = app.confirmed.hints || [];
  const open = isPanelOpen("hints");
  if (open && document.visibilityState === "visible") unread = 0;
  if (el.hintsCount.dataset.count !== String(unread)) {
    el.hintsCount.dataset.count = String(unread);
    if (unread > 0) {
      const number = document.createElement("span");
      number.setAttribute("aria-hidden", "true");
      number.textContent = String(unread);
      const words = document.createElement("span");
      words.className = "visually-hidden";
      words.textContent = t("(%(count)s new)", { count: unread });
      el.hintsCount.replaceChildren(number, words);
    } else {
      el.hintsCount.replaceChildren();
    }
  }

  show(el.hintForm, myRole() === "coach");
  if (!open) return;
  const sig = JSON.stringify(hints.map((h) => [h.id, h.text, h.by, coachName(h.by)]));
  if (sig === drawn) return;
  drawn = sig;
  show(el.hintsEmpty, hints.length === 0);
  const items = [...hints].reverse().map((hint) => {
    const li = document.createElement("li");
    li.className = "hint-item";
    const text = document.createElement("p");
    text.className = "hint-text";
    text.textContent = hint.text;
    const meta = document.createElement("p");
    meta.className = "hint-meta";
    const time = formatTime(hint.at);
    meta.textContent = time
      ? t("%(name)s at %(time)s", { name: coachName(hint.by), time })
      : coachName(hint.by);
    li.append(text, meta);
    return li;
  });
  el.hintsList.replaceChildren(...items);
}

export function setupHintsPanel() {
  updateCount();
  el.hintText.addEventListener("input", () => {
    updateCount();
    if (!el.hintError.hidden && el.hintText.value.trim()) setFieldError(el.hintText, el.hintError, "");
  });
  el.hintForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = el.hintText.value.trim();
    if (!text) {
      setFieldError(el.hintText, el.hintError, t("Please write the hint first."));
      el.hintText.focus();
      return;
    }
    if (limit("hint") !== null && text.length > limit("hint")) {
      setFieldError(el.hintText, el.hintError, t("The text is too long (at most %(max)s characters).", { max: limit("hint") }));
      el.hintText.focus();
      return;
    }
    setFieldError(el.hintText, el.hintError, "");
    send("coach.hint", { text });
    el.hintText.value = "";
    updateCount();
    announce(t("Hint sent to the facilitator."));
  });
}
