// The participant's closing evaluation: while the facilitator has it open, a card at the bottom
// of the screen (never a modal: the board stays usable) invites them; "Answer" shows three
// questions as radio groups 1–5 and a line of text; "Send" saves it and thanks them; they may
// change it while it is open, or skip it ("Not now": the toolbar's "Evaluation" brings it back).
// The server keeps one answer per person (a second device with the same token replaces it) and
// never shows anyone who answered what (docs/architecture.md, "The closing evaluation").

import { storage } from "./core/connection.js";
import { QUESTIONS } from "./core/evaluation.js";
import { $, app, code, limit, myRole, send, setText, show } from "./context.js";
import { t } from "./i18n.js";
import { announce } from "./toasts.js";

// The elements this module works with.
const el = {
  change: $("evaluation-change"),
  done: $("evaluation-done"),
  error: $("evaluation-error"),
  form: $("evaluation-form"),
  invite: $("evaluation-invite"),
  later: $("evaluation-later"),
  main: $("main"),
  reopen: $("evaluation-reopen"),
  sheet: $("evaluation-sheet"),
  sheetHeading: $("evaluation-sheet-heading"),
  skip: $("evaluation-skip"),
  start: $("evaluation-start"),
  text: $("evaluation-text"),
  thanks: $("evaluation-thanks"),
  thanksHeading: $("evaluation-thanks-heading"),
};

const SKIPPED = `tavla:${code}:evaluation-skipped`;

// What the person chose to see: null lets the state decide (the invitation until they answer
// or skip), "form" while they answer, "thanks" after sending.
let step = null;
let wasOpen = null; // the evaluation's `open` when last drawn: null before the first welcome

function evaluation() {
  return (app.board.view && app.board.view.evaluation) || app.confirmed.evaluation || { open: false, mine: null };
}

function skipped() {
  return storage.get(SKIPPED) === "1";
}

function setSkipped(value) {
  if (value) storage.set(SKIPPED, "1");
  else storage.remove(SKIPPED);
}

/** Which part of the card to show now, or null for no card. */
function shownStep(current) {
  if (step) return step;
  if (current.mine || skipped()) return null;
  return "invite";
}

export function renderEvaluationSheet(board) {
  const current = evaluation();
  const participant = myRole() === "participant";
  const open = Boolean(board && participant && current.open);
  const known = app.confirmed.room !== null; // a welcome has come: `open` is the server's
  if (wasOpen !== null && known && participant && board && open !== wasOpen) {
    if (open) {
      setSkipped(false); // opened (again): asked afresh
      announce(t("The facilitator asks for a short evaluation. It is anonymous."));
    } else if (step === "form") {
      announce(t("The evaluation is closed. Thank you all the same!"));
    }
    if (!open) step = null;
  }
  if (known && board && participant) wasOpen = open;
  show(el.reopen, open);
  const shown = open ? shownStep(current) : null;
  show(el.sheet, shown !== null);
  if (shown === null) return;
  if (el.sheet.dataset.step !== shown) el.sheet.dataset.step = shown;
  show(el.invite, shown === "invite");
  show(el.form, shown === "form");
  show(el.thanks, shown === "thanks");
  const most = limit("evaluation_text");
  if (most !== null && el.text.maxLength !== most) el.text.maxLength = most;
}

function fill(mine) {
  for (const question of QUESTIONS) {
    const chosen = mine && mine.scores ? mine.scores[question] : undefined;
    for (const input of el.form.elements[question]) input.checked = Number(input.value) === chosen;
  }
  el.text.value = mine && typeof mine.text === "string" ? mine.text : "";
  setError("");
}

function setError(message) {
  setText(el.error, message);
  show(el.error, Boolean(message));
}

function goTo(next, focus) {
  step = next;
  renderEvaluationSheet(true);
  if (focus) focus.focus();
}

/** The card is put away: focus goes where the person can carry on. */
function putAway() {
  step = null;
  renderEvaluationSheet(true);
  if (!el.reopen.hidden && el.reopen.offsetParent !== null) el.reopen.focus();
  else el.main.focus();
}

function answer() {
  const args = {};
  for (const question of QUESTIONS) {
    const chosen = [...el.form.elements[question]].find((input) => input.checked);
    if (chosen) args[question] = Number(chosen.value);
  }
  const text = el.text.value.split(/\s+/).filter(Boolean).join(" ");
  if (text) args.text = text;
  return args;
}

export function setupEvaluationSheet() {
  el.start.addEventListener("click", () => {
    fill(evaluation().mine);
    goTo("form", el.form.elements[QUESTIONS[0]][0]);
  });
  el.skip.addEventListener("click", () => {
    setSkipped(true);
    putAway();
    announce(t("Skipped. You can answer later with “Evaluation” in the menu."));
  });
  el.later.addEventListener("click", () => {
    setSkipped(true);
    putAway();
  });
  el.change.addEventListener("click", () => {
    fill(evaluation().mine);
    goTo("form", el.form.elements[QUESTIONS[0]][0]);
  });
  el.done.addEventListener("click", putAway);
  el.reopen.addEventListener("click", () => {
    setSkipped(false);
    const mine = evaluation().mine;
    if (mine) goTo("thanks", el.thanksHeading);
    else {
      fill(null);
      goTo("form", el.form.elements[QUESTIONS[0]][0]);
    }
  });
  el.form.addEventListener("submit", (e) => {
    e.preventDefault();
    const args = answer();
    if (Object.keys(args).length === 0) {
      setError(t("Choose at least one answer, or write a line."));
      el.form.elements[QUESTIONS[0]][0].focus();
      return;
    }
    const most = limit("evaluation_text");
    if (args.text && most !== null && args.text.length > most) {
      setError(t("The text is too long (at most %(max)s characters).", { max: most }));
      el.text.focus();
      return;
    }
    setError("");
    send("evaluation.answer", args);
    goTo("thanks", el.thanksHeading);
  });
  el.form.addEventListener("change", () => setError(""));
  el.sheet.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !e.defaultPrevented && step !== "thanks") {
      setSkipped(true);
      putAway();
    } else if (e.key === "Escape" && !e.defaultPrevented) {
      putAway();
    }
  });
}
