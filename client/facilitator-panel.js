// The facilitator's controls: phase, prompt, private writing and reveal, lock, the timer, dot
// voting (settings, reveal, reset), results (link, publishing) and deleting the session.
// Each control sends one op; what it shows comes from the room (with our pending changes), so a
// refused change springs back and a change by another facilitator shows here too.

import { confirmAction } from "./confirm.js";
import {
  $,
  app,
  code,
  currentRoom,
  isFacilitator,
  limit,
  mayOpenResults,
  refusal,
  resultsUrl,
  send,
  setAttr,
  setFieldError,
  setText,
  show,
} from "./context.js";
import { t } from "./i18n.js";
import { PHASES, VOTE_ON, votesRevealed } from "./core/state.js";
import { roomGone } from "./screens.js";
import { remainingMs } from "./timer.js";
import { announce } from "./toasts.js";

// The elements this module works with.
const el = {
  deleteCancel: $("delete-cancel"),
  deleteCode: $("delete-code"),
  deleteCodeError: $("delete-code-error"),
  deleteDialog: $("delete-dialog"),
  deleteForm: $("delete-form"),
  deleteSession: $("delete-session"),
  facilitatorPanel: $("facilitator-panel"),
  joinDialog: $("join-dialog"),
  lockToggle: $("lock-toggle"),
  panelResultsLink: $("panel-results-link"),
  privateNudge: $("private-nudge"),
  privateNudgeOn: $("private-nudge-on"),
  privateToggle: $("private-toggle"),
  promptForm: $("prompt-form"),
  promptInput: $("prompt-input"),
  publishToggle: $("publish-toggle"),
  resetVotes: $("reset-votes"),
  revealNotes: $("reveal-notes"),
  revealVotes: $("reveal-votes"),
  showJoin: $("show-join"),
  timerForm: $("timer-form"),
  timerMinus: $("timer-minus"),
  timerMinutes: $("timer-minutes"),
  timerMinutesError: $("timer-minutes-error"),
  timerPause: $("timer-pause"),
  timerPlus: $("timer-plus"),
  timerReset: $("timer-reset"),
  voteBudget: $("vote-budget"),
  voteMax: $("vote-max"),
  voteSettingsError: $("vote-settings-error"),
  voteSettingsForm: $("vote-settings-form"),
  votesStatus: $("votes-status"),
};

const MINUTE = 60000;
const MAX_MINUTES = 180;

let promptShown = null; // the prompt last put in the field: edits by the person are kept
let settingsShown = null; // the voting settings last put in the form, likewise

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

/** Writing has begun in the open: the Write phase, private writing off, participants in the
 * room and none of them has written yet (once they have, or after a reveal, the reminder is
 * past its moment and stays quiet). */
function needsPrivateNudge(room, privateWriting) {
  if (room.phase !== "write" || privateWriting) return false;
  const participants = new Set();
  for (const p of app.confirmed.participants.values()) if (p.role === "participant" && p.online) participants.add(p.id);
  if (participants.size === 0) return false;
  for (const note of app.confirmed.notes.values()) if (participants.has(note.author)) return false;
  return true;
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
  show(el.privateNudge, needsPrivateNudge(room, privateWriting));
  const undo = document.getElementById("board-undo");
  if (undo) setUsable(undo, refusal("board.undo") === null);

  renderVoting(room);
  const link = resultsUrl();
  if (el.panelResultsLink.getAttribute("href") !== link) el.panelResultsLink.setAttribute("href", link);
  show(el.panelResultsLink.parentElement, mayOpenResults());
  if (el.publishToggle.checked !== Boolean(room.results_published)) el.publishToggle.checked = Boolean(room.results_published);

  const status = timerStatus();
  setText(el.timerPause, status === "paused" ? t("Resume") : t("Pause"));
  setUsable(el.timerPause, status === "running" || status === "paused");
  setUsable(el.timerReset, status !== "idle");
  setUsable(el.timerPlus, status !== "idle");
  setUsable(el.timerMinus, status === "running" || status === "paused");
  // The preset whose length is running (or paused, or just ran out) shows as chosen.
  const duration = status === "idle" ? 0 : app.confirmed.timer.duration_ms;
  for (const button of timerButtons()) {
    setAttr(button, "aria-pressed", String(Math.round(Number(button.dataset.minutes) * MINUTE) === duration));
  }
}

function voteOnInputs() {
  return [...el.voteSettingsForm.querySelectorAll('input[name="vote_on"]')];
}

function renderVoting(room) {
  const settings = room.settings || {};
  const shown = JSON.stringify([settings.vote_budget, settings.max_votes_per_target, settings.vote_on]);
  const editing = el.voteSettingsForm.contains(document.activeElement);
  if (settingsShown !== shown && !editing) {
    settingsShown = shown;
    el.voteBudget.value = String(settings.vote_budget ?? 5);
    el.voteMax.value = String(settings.max_votes_per_target ?? 3);
    for (const input of voteOnInputs()) input.checked = input.value === (settings.vote_on || "both");
  }
  const revealed = votesRevealed(room);
  setText(
    el.votesStatus,
    revealed
      ? t("Votes are revealed: everyone sees the totals.")
      : t("Votes are hidden: each person sees only their own dots."),
  );
  el.votesStatus.classList.toggle("is-revealed", revealed);
  setUsable(el.revealVotes, !revealed);
}

function saveVoteSettings(e) {
  e.preventDefault();
  const budget = Number(el.voteBudget.value);
  const max = Number(el.voteMax.value);
  const most = limit("vote_budget") ?? Infinity;
  if (!Number.isInteger(budget) || budget < 1 || budget > most) {
    setFieldError(el.voteBudget, el.voteSettingsError, t("Dots per person: a whole number from 1 to %(max)s.", { max: limit("vote_budget") }));
    el.voteBudget.focus();
    return;
  }
  setFieldError(el.voteBudget, el.voteSettingsError, "");
  if (!Number.isInteger(max) || max < 1 || max > budget) {
    setFieldError(el.voteMax, el.voteSettingsError, t("Most dots on one idea: a whole number from 1 to %(max)s.", { max: budget }));
    el.voteMax.focus();
    return;
  }
  setFieldError(el.voteMax, el.voteSettingsError, "");
  const chosen = voteOnInputs().find((input) => input.checked);
  const voteOn = chosen && VOTE_ON.includes(chosen.value) ? chosen.value : "both";
  settingsShown = null; // show what the server keeps
  send("room.update", { settings: { vote_budget: budget, max_votes_per_target: max, vote_on: voteOn } });
  announce(t("Voting settings saved."));
}

// -- deleting the session -------------------------------------------------------------------

function openDeleteDialog() {
  el.deleteCode.value = "";
  setFieldError(el.deleteCode, el.deleteCodeError, "");
  el.deleteDialog.showModal();
  el.deleteCode.focus();
}

function confirmDelete(e) {
  e.preventDefault();
  const typed = el.deleteCode.value.replace(/[\s-]/g, "").toUpperCase();
  if (typed !== code) {
    setFieldError(
      el.deleteCode,
      el.deleteCodeError,
      typed ? t("That is not the code of this session.") : t("Type the session code to delete it."),
    );
    el.deleteCode.focus();
    return;
  }
  el.deleteDialog.close();
  send("room.delete", {});
  announce(t("Deleting the session…"));
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

  el.privateNudgeOn.addEventListener("click", () => {
    send("room.update", { settings: { private_writing: true } });
    el.privateToggle.checked = true;
    // The button goes with the reminder: the keyboard stays where it was, on the Write phase.
    document.getElementById("phase-button-write")?.focus();
    announce(t("Private writing is on: each person sees only their own notes until you reveal them."));
  });

  el.lockToggle.addEventListener("change", () => {
    send("room.update", { locked: el.lockToggle.checked });
  });

  el.revealNotes.addEventListener("click", () => send("notes.reveal", {}));

  // Arranging: tidy every area, and take back the last merge or tidy (the server says whether
  // there is one to take back, in `can`).
  const tidy = document.getElementById("board-tidy");
  const undo = document.getElementById("board-undo");
  if (tidy && undo) {
    tidy.addEventListener("click", () => {
      send("board.tidy", {});
      announce(t("The board is tidied. Undo puts everything back."));
    });
    undo.addEventListener("click", () => {
      if (!usable(undo)) {
        announce(t("There is no merge or tidy to undo."));
        return;
      }
      send("board.undo", {});
      announce(t("Undone."));
    });
  }

  for (const button of timerButtons()) {
    button.addEventListener("click", () => {
      // The field follows the preset, so "Start" afterwards runs the same length.
      el.timerMinutes.value = button.dataset.minutes;
      setFieldError(el.timerMinutes, el.timerMinutesError, "");
      startTimer(Number(button.dataset.minutes));
    });
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

  el.voteSettingsForm.addEventListener("submit", saveVoteSettings);
  for (const input of [el.voteBudget, el.voteMax]) {
    input.addEventListener("input", () => {
      if (!el.voteSettingsError.hidden) setFieldError(input, el.voteSettingsError, "");
    });
  }
  el.revealVotes.addEventListener("click", () => {
    if (!usable(el.revealVotes)) {
      announce(t("Votes are revealed: everyone sees the totals."));
      return;
    }
    send("votes.reveal", {});
    announce(t("Votes revealed."));
  });
  el.resetVotes.addEventListener("click", async () => {
    const sure = await confirmAction({
      title: t("Reset all votes?"),
      text: t("Every dot is taken off and given back, and the totals are hidden again. This cannot be undone."),
      ok: t("Reset votes"),
    });
    if (!sure) return;
    send("votes.reset", {});
    announce(t("Votes reset. Everyone has all their dots again."));
  });
  el.publishToggle.addEventListener("change", () => {
    const published = el.publishToggle.checked;
    send("results.publish", { published });
    announce(published ? t("Results published for participants.") : t("Results are no longer published."));
  });
  el.deleteSession.addEventListener("click", openDeleteDialog);
  el.deleteForm.addEventListener("submit", confirmDelete);
  el.deleteCancel.addEventListener("click", () => el.deleteDialog.close());
  el.deleteCode.addEventListener("input", () => {
    if (!el.deleteCodeError.hidden) setFieldError(el.deleteCode, el.deleteCodeError, "");
  });
  el.deleteDialog.addEventListener("close", () => {
    if (!roomGone() && el.deleteSession.isConnected) el.deleteSession.focus();
  });
  // The code, the address and the QR code, large, for the projector at the start of a session.
  el.showJoin.addEventListener("click", () => {
    if (!el.joinDialog.open) el.joinDialog.showModal();
  });
  el.joinDialog.addEventListener("close", () => el.showJoin.focus());
}
