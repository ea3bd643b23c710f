// The facilitator's controls: phase, prompt, private writing and reveal, lock, the timer.
// Each control sends one op; what it shows comes from the room (with our pending changes), so a
// refused change springs back and a change by another facilitator shows here too.

import { app, currentRoom, el, isFacilitator, send, setAttr, setFieldError, setText } from "./context.js";
import { t } from "./i18n.js";
import { PHASES } from "./state.js";
import { remainingMs } from "./timer.js";
import { announce } from "./toasts.js";

const MINUTE = 60000;
const MAX_MINUTES = 180;

let promptShown = null; // the prompt last put in the field: edits by the person are kept

function phaseButtons() {
  return [...el.facilitatorPanel.querySelectorAll("button[data-phase]")];
}

function timerButtons() {
  return [...el.facilitatorPanel.querySelectorAll("button[data-minutes]")];
}

function setUsable(button, usable) {
  if (usable) button.removeAttribute("aria-disabled");
  else setAttr(button, "aria-disabled", "true");
}

function usable(button) {
  return button.getAttribute("aria-disabled") !== "true";
}

function hiddenTotal() {
  const counts = app.confirmed.hiddenCounts || {};
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

export function renderFacilitatorPanel() {
  if (!isFacilitator() || el.facilitatorPanel.hidden) return;
  const room = currentRoom();
  for (const button of phaseButtons()) {
    setAttr(button, "aria-pressed", String(button.dataset.phase === room.phase));
  }

  const prompt = room.prompt || "";
  if (promptShown === null || (el.promptInput.value === promptShown && document.activeElement !== el.promptInput)) {
    if (el.promptInput.value !== prompt) el.promptInput.value = prompt;
    promptShown = prompt;
  }

  const privateWriting = Boolean(room.settings && room.settings.private_writing);
  if (el.privateToggle.checked !== privateWriting) el.privateToggle.checked = privateWriting;
  if (el.lockToggle.checked !== room.locked) el.lockToggle.checked = room.locked;
  setText(el.revealNotes, t("Reveal all notes (%(count)s hidden)", { count: hiddenTotal() }));

  const status = timerStatus();
  setText(el.timerPause, status === "paused" ? t("Resume") : t("Pause"));
  setUsable(el.timerPause, status === "running" || status === "paused");
  setUsable(el.timerReset, status !== "idle");
  setUsable(el.timerPlus, status !== "idle");
  setUsable(el.timerMinus, status === "running" || status === "paused");
}

/** The timer's status as shown: a running timer whose end has passed is finished (the server
 * sends no event at zero; a `welcome` would say `finished`). */
function timerStatus() {
  const timer = app.confirmed.timer;
  if (!timer) return "idle";
  const now = app.conn ? app.conn.serverNow() : Date.now();
  if (timer.status === "running" && remainingMs(timer, now) <= 0) return "finished";
  return timer.status;
}

function startTimer(minutes) {
  send("timer.start", { duration_ms: Math.round(minutes * MINUTE) });
  announce(t("Timer started: %(count)s min.", { count: minutes }));
}

export function setupFacilitatorPanel() {
  for (const button of phaseButtons()) {
    button.addEventListener("click", () => {
      const phase = button.dataset.phase;
      if (!PHASES.includes(phase) || currentRoom().phase === phase) return;
      send("phase.set", { phase }); // the phase banner (a live region) says it
    });
  }

  el.promptForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const prompt = el.promptInput.value.trim();
    promptShown = prompt;
    el.promptInput.value = prompt;
    send("room.update", { prompt });
    announce(prompt ? t("Prompt saved.") : t("Prompt removed."));
  });

  el.privateToggle.addEventListener("change", () => {
    send("room.update", { settings: { private_writing: el.privateToggle.checked } });
  });

  el.lockToggle.addEventListener("change", () => {
    send("room.update", { locked: el.lockToggle.checked });
  });

  el.revealNotes.addEventListener("click", () => send("notes.reveal", {}));

  for (const button of timerButtons()) {
    button.addEventListener("click", () => startTimer(Number(button.dataset.minutes)));
  }

  el.timerForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const minutes = Number(el.timerMinutes.value);
    if (!Number.isFinite(minutes) || minutes <= 0 || minutes > MAX_MINUTES) {
      setFieldError(
        el.timerMinutes,
        el.timerMinutesError,
        t("Enter a number of minutes from 1 to %(max)s.", { max: MAX_MINUTES }),
      );
      el.timerMinutes.focus();
      return;
    }
    setFieldError(el.timerMinutes, el.timerMinutesError, "");
    startTimer(Math.round(minutes * 10) / 10);
  });
  el.timerMinutes.addEventListener("input", () => {
    if (!el.timerMinutesError.hidden) setFieldError(el.timerMinutes, el.timerMinutesError, "");
  });

  el.timerPause.addEventListener("click", () => {
    if (!usable(el.timerPause)) return;
    send(timerStatus() === "paused" ? "timer.resume" : "timer.pause", {});
  });
  el.timerReset.addEventListener("click", () => {
    if (usable(el.timerReset)) send("timer.reset", {});
  });
  el.timerPlus.addEventListener("click", () => {
    if (usable(el.timerPlus)) send("timer.add", { ms: MINUTE });
  });
  el.timerMinus.addEventListener("click", () => {
    if (usable(el.timerMinus)) send("timer.add", { ms: -MINUTE });
  });
}
