// Coaching at a distance, the debrief: after the session (or any time) the coach writes a short
// debrief for the facilitator. Only facilitators and coaches are ever sent it (the server keeps
// it in the log as a staff-only event); saving again replaces it, an empty text removes it.
// The coach writes it in the hints panel; the facilitator reads it at the top of "Facilitation"
// and on the results page.

import { $, app, coachName, limit, myRole, send, setFieldError, setText, show, showCharacterCount } from "./context.js";
import { locale, t } from "./i18n.js";
import { isPanelOpen } from "./panels.js";
import { announce, toast } from "./toasts.js";

// The elements this module works with.
const el = {
  count: $("debrief-count"),
  error: $("debrief-error"),
  form: $("debrief-form"),
  read: $("debrief-read"),
  readMeta: $("debrief-read-meta"),
  readText: $("debrief-read-text"),
  saved: $("debrief-saved"),
  section: $("debrief-section"),
  text: $("debrief-text"),
};

let dirty = false; // the coach has typed since the field last showed the saved debrief
let shown = null; // the debrief the field was last filled from
let sending = null; // the text the coach saved, until the server's event says it is kept
let timeFormat = null;

function formatTime(ms) {
  if (!timeFormat) {
    timeFormat = new Intl.DateTimeFormat(locale(), { day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" });
  }
  try {
    return timeFormat.format(new Date(ms));
  } catch {
    return "";
  }
}

function updateCount() {
  showCharacterCount(el.text, el.count, "debrief");
}

/** A `coach.debrief` event (only staff are sent one): the facilitator hears of it. */
export function debriefArrived(data) {
  if (myRole() !== "facilitator" || !data || typeof data.text !== "string" || !data.text) return;
  if (isPanelOpen("facilitator") && document.visibilityState === "visible") {
    announce(t("The coach wrote a debrief for you."));
    return;
  }
  toast(t("The coach wrote a debrief for you. It is at the top of “Facilitation”."), "info", { staffOnly: true });
}

export function renderDebrief() {
  const role = myRole();
  const debrief = app.confirmed.debrief;

  // The facilitator reads it.
  const reading = role === "facilitator" && Boolean(debrief);
  show(el.read, reading);
  if (reading) {
    setText(el.readText, debrief.text);
    const time = formatTime(debrief.at);
    setText(el.readMeta, time ? t("From %(name)s, %(time)s", { name: coachName(debrief.by), time }) : coachName(debrief.by));
  }

  // The coach writes it.
  const coach = role === "coach";
  show(el.section, coach);
  if (!coach) return;
  if (el.text.maxLength !== limit("debrief") && limit("debrief") !== null) el.text.maxLength = limit("debrief");
  if (!dirty && debrief !== shown) {
    shown = debrief;
    el.text.value = debrief ? debrief.text : "";
  }
  updateCount();
  if (sending !== null && (debrief ? debrief.text === sending : sending === "")) {
    sending = null;
    dirty = false;
    shown = debrief;
    const time = debrief ? formatTime(debrief.at) : "";
    const message = !debrief ? t("The debrief is removed.") : time ? t("Saved: %(time)s.", { time }) : t("Saved.");
    setText(el.saved, message); // a status region: read out where it is shown
  }
}

export function setupDebrief() {
  el.text.addEventListener("input", () => {
    dirty = true;
    setText(el.saved, "");
    updateCount();
    if (!el.error.hidden) setFieldError(el.text, el.error, "");
  });
  el.form.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = el.text.value.trim();
    const max = limit("debrief");
    if (!text && !app.confirmed.debrief) {
      setFieldError(el.text, el.error, t("Please write the debrief first."));
      el.text.focus();
      return;
    }
    if (max !== null && text.length > max) {
      setFieldError(el.text, el.error, t("The text is too long (at most %(max)s characters).", { max }));
      el.text.focus();
      return;
    }
    setFieldError(el.text, el.error, "");
    sending = text;
    setText(el.saved, t("Saving…"));
    send("coach.debrief", { text });
  });
}
