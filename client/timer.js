// The shared timer: mm:ss from the server's clock, and when it reaches zero a clear "Time is up"
// on every device, a short sound (Web Audio, no files; can be muted) and an assertive
// announcement. The timer never changes the phase; only the facilitator does. "Time is up"
// goes away when the timer is reset or started again, when the phase changes (the server
// rewinds a timer that ran out), and on this device when someone dismisses it.

import { storage } from "./core/connection.js";
import { $, app, code, KEYS, scheduleRender, setAttr, setText, show } from "./context.js";
import { t } from "./i18n.js";
import { announceAssertive } from "./toasts.js";

// The elements this module works with.
const el = {
  timer: $("timer"),
  timerBox: $("timer-box"),
  timerMute: $("timer-mute"),
  timerState: $("timer-state"),
  timerUp: $("timer-up"),
};

const TICK_MS = 250;

let audio = null; // AudioContext, made on the first gesture (browsers allow sound only after one)
let armed = false; // we saw this timer run with time left: reaching zero is news
const DISMISSED = `tavla:${code}:time-up-dismissed`; // the run whose "Time is up" was dismissed here

/** Milliseconds left, by the server's clock. */
export function remainingMs(timer, serverNow) {
  if (!timer) return 0;
  switch (timer.status) {
    case "running":
      return typeof timer.ends_at === "number" ? Math.max(0, timer.ends_at - serverNow) : timer.remaining_ms;
    case "paused":
      return timer.remaining_ms;
    case "finished":
      return 0;
    default:
      return timer.duration_ms;
  }
}

/** 65 000 ms → "01:05"; a started second counts as a whole one. */
export function formatClock(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${String(minutes).padStart(2, "0")}:${String(seconds).padStart(2, "0")}`;
}

function muted() {
  return storage.get(KEYS.mute) === "1";
}

function unlockAudio() {
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!Context) return;
  try {
    if (!audio) audio = new Context();
    if (audio.state === "suspended") audio.resume().catch(() => {});
  } catch {
    audio = null;
  }
}

/** Three short tones, rising: noticeable, not alarming. */
function chime() {
  if (muted() || !audio) return;
  try {
    if (audio.state === "suspended") audio.resume().catch(() => {});
    const start = audio.currentTime + 0.05;
    [660, 880, 1046.5].forEach((frequency, i) => {
      const at = start + i * 0.28;
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.type = "sine";
      osc.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.25, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.25);
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start(at);
      osc.stop(at + 0.27);
    });
  } catch {
    // no sound is better than a broken page
  }
}

/** One run of the timer: a new start, more time or a reset makes a new one. */
function runKey(timer) {
  return timer ? `${timer.duration_ms}:${timer.ends_at}` : "";
}

function timerIsUp(timer, now) {
  const status = timer ? timer.status : "idle";
  return status === "finished" || (status === "running" && remainingMs(timer, now) <= 0);
}

/** Whether "Time is up" is shown on this device now (for the projector's copy of it too). */
export function timeUpShown() {
  const timer = app.confirmed.timer;
  const now = app.conn ? app.conn.serverNow() : Date.now();
  return timerIsUp(timer, now) && storage.get(DISMISSED) !== runKey(timer);
}

/** Hide "Time is up" on this device until the timer runs out again. */
export function dismissTimeUp() {
  const timer = app.confirmed.timer;
  if (!timer) return;
  storage.set(DISMISSED, runKey(timer));
  scheduleRender();
}

/** A frame that changes the phase: whatever ran out belongs to the phase before. */
export function timerEvent(frame) {
  if (frame.op !== "phase.set") return;
  const now = app.conn ? app.conn.serverNow() : Date.now();
  if (timerIsUp(app.confirmed.timer, now)) dismissTimeUp();
}

function renderMute() {
  setAttr(el.timerMute, "aria-pressed", String(muted()));
}

export function renderTimer() {
  const timer = app.confirmed.timer;
  const now = app.conn ? app.conn.serverNow() : Date.now();
  const status = timer ? timer.status : "idle";
  const left = remainingMs(timer, now);
  const up = timerIsUp(timer, now);
  const active = status !== "idle";

  show(el.timerBox, active);
  setAttr(el.timerBox, "data-status", up ? "up" : status);
  setText(el.timer, formatClock(active ? left : 0));
  const stateText = up ? "" : status === "paused" ? t("Paused") : "";
  setText(el.timerState, stateText);
  show(el.timerState, Boolean(stateText));
  show(el.timerUp, up && timeUpShown());

  // Signal once per run that we watched with time left (not for a timer that ended long ago
  // before this page opened); a run started again, or given more time, arms it again.
  if (!active) armed = false;
  else if (!up && left > 0) armed = true;
  else if (up && armed) {
    armed = false;
    announceAssertive(t("Time is up"));
    chime();
    scheduleRender(); // controls that depend on the timer (the facilitator's) change now
  }
}

export function setupTimer() {
  renderMute();
  document.getElementById("timer-up-dismiss").addEventListener("click", () => {
    dismissTimeUp();
    // The button goes with the message: put focus somewhere that stays.
    const main = document.getElementById("main");
    if (main) main.focus({ preventScroll: true });
  });
  el.timerMute.addEventListener("click", () => {
    if (muted()) storage.remove(KEYS.mute);
    else storage.set(KEYS.mute, "1");
    renderMute();
  });
  // Another tab of the same board changed it.
  window.addEventListener("storage", (e) => {
    if (e.key === KEYS.mute) renderMute();
  });
  const unlock = () => unlockAudio();
  window.addEventListener("pointerdown", unlock, { capture: true, passive: true });
  window.addEventListener("keydown", unlock, { capture: true });
  setInterval(() => {
    const timer = app.confirmed.timer;
    if (timer && timer.status === "running") renderTimer();
  }, TICK_MS);
}
