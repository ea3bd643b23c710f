// Report back (t14g). The facilitator writes what happens next in a dialog opened from the
// facilitation panel (decisions and next steps, an owner per top idea, when the participants
// will hear again) and it is sent as `report.update`. After the session, the participants'
// link opens on the report (templates/took_part/_report_screen.html, rendered by the server);
// this module keeps that screen away from facilitators and coaches and lets a participant go
// on to the board. (A participant on the board hears of the publishing from feedback.js.)

import { $, app, clusterName, code, currentRoom, isFacilitator, isStaff, send, setFieldError, shortText, show, setText } from "./context.js";
import { hasRounds, roundTitle, roundsOf } from "./rounds.js";
import { locale, t } from "./i18n.js";
import { rankResults } from "./core/state.js";
import { announce } from "./toasts.js";

const TOP_IDEAS = 10;

// The elements this module works with.
const el = {
  cancel: $("report-cancel"),
  dialog: $("report-dialog"),
  error: $("report-error"),
  form: $("report-form"),
  hearBack: $("report-hear-back"),
  nextSteps: $("report-next-steps"),
  open: $("report-open"),
  ownerFields: $("report-owner-fields"),
  ownersEmpty: $("report-owners-empty"),
  screen: $("report-screen"),
  screenBoard: $("report-screen-board"),
  status: $("report-status"),
};

let returnFocus = null;

/** The active round's ideas by dots: its groups and the notes in no group. */
function activeIdeas(collator) {
  const { clusters, notes } = rankResults(app.confirmed.notes, app.confirmed.clusters, collator);
  return [
    ...clusters.map((c) => ({ id: c.id, label: clusterName(c), votes: c.votes })),
    ...notes.map((n) => ({ id: n.id, label: n.text, votes: n.votes })),
  ];
}

/** Another round's ideas, from the staff summary of its board (groups, and notes in no group). */
function shelvedIdeas(summary) {
  const items = summary && Array.isArray(summary.items) ? summary.items : [];
  const groups = new Set(items.filter((i) => i.kind === "group").map((i) => i.id));
  return items
    .filter((i) => i.kind === "group" || !i.cluster || !groups.has(i.cluster))
    .map((i) => ({ id: i.id, label: i.text || "", votes: i.votes || 0 }));
}

/** The ideas that may get an owner: each round's top groups and loose notes by dots (every
 * round of the session, in the plan's order, so the winners of Behov and Løsning can get an
 * owner too), and any idea that has an owner already (so it can be changed or cleared). */
function ideas() {
  const collator = new Intl.Collator(locale(), { sensitivity: "base", numeric: true });
  const owners = (app.confirmed.report && app.confirmed.report.owners) || {};
  const room = currentRoom();
  const rounds = hasRounds(room) ? roundsOf(room) : [null];
  const top = [];
  rounds.forEach((round, index) => {
    const active = !round || round.id === room.round;
    if (!active && !(round.summary && round.summary.entered)) return;
    const all = active ? activeIdeas(collator) : shelvedIdeas(round.summary);
    all.sort((a, b) => b.votes - a.votes || collator.compare(a.label, b.label));
    const perRound = rounds.length > 1 ? Math.ceil(TOP_IDEAS / 2) : TOP_IDEAS;
    const chosen = all.slice(0, perRound);
    for (const idea of all.slice(perRound)) if (owners[idea.id]) chosen.push(idea);
    chosen.forEach((idea, rank) => top.push({ ...idea, rank, round: round ? roundTitle(round, index) : "" }));
  });
  return top;
}

function ownerField(idea, index, owner) {
  const wrap = document.createElement("div");
  wrap.className = "field report-owner-field";
  const label = document.createElement("label");
  label.htmlFor = `report-owner-${index}`;
  const place = document.createElement("span");
  place.className = "report-owner-rank";
  place.textContent = `${idea.rank + 1}.`;
  label.append(place, " ", shortText(idea.round ? `${idea.round}: ${idea.label}` : idea.label, 120));
  const input = document.createElement("input");
  input.type = "text";
  input.id = `report-owner-${index}`;
  input.dataset.idea = idea.id;
  input.maxLength = (app.confirmed.limits && app.confirmed.limits.report_owner) || 80;
  input.autocomplete = "off";
  input.placeholder = t("Owner, for example a team or a person");
  input.value = owner || "";
  wrap.append(label, input);
  return wrap;
}

function openDialog() {
  if (el.dialog.open) return;
  returnFocus = document.activeElement;
  const report = app.confirmed.report || { next_steps: "", hear_back: "", owners: {} };
  el.nextSteps.value = report.next_steps;
  el.hearBack.value = report.hear_back;
  const list = ideas();
  el.ownerFields.replaceChildren(...list.map((idea, i) => ownerField(idea, i, report.owners[idea.id])));
  show(el.ownersEmpty, list.length === 0);
  setFieldError(el.nextSteps, el.error, "");
  el.dialog.showModal();
  el.nextSteps.focus({ preventScroll: true });
  el.dialog.scrollTop = 0; // the title first, on a phone too
}

function closeDialog() {
  if (el.dialog.open) el.dialog.close();
  if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
}

function save(e) {
  e.preventDefault();
  const owners = {};
  for (const input of el.ownerFields.querySelectorAll("input[data-idea]")) owners[input.dataset.idea] = input.value.trim();
  const sent = send("report.update", { next_steps: el.nextSteps.value, hear_back: el.hearBack.value.trim(), owners });
  if (sent === null) {
    el.error.textContent = t("Not connected. Please try again in a moment.");
    show(el.error, true);
    return;
  }
  closeDialog();
  announce(t("Report saved. It is shown on the results page once the results are published."));
}

// -- the participants' report screen ---------------------------------------------------------

let screenDecided = false;
const SEEN = `tavla:${code}:report-seen`; // this tab went on to the board: a reload stays there

function seen() {
  try {
    return sessionStorage.getItem(SEEN) === "1";
  } catch {
    return false;
  }
}

function leaveScreen() {
  try {
    sessionStorage.setItem(SEEN, "1");
  } catch {
    // private mode without storage: the report shows again after a reload, nothing worse
  }
  document.body.classList.remove("shows-report");
  show(el.screen, false);
  const target = $("join-screen").hidden ? $("add-note") : $("join-name");
  if (target) target.focus();
}

export function setupReportBack() {
  if (el.open) el.open.addEventListener("click", openDialog);
  el.form.addEventListener("submit", save);
  el.cancel.addEventListener("click", closeDialog);
  el.dialog.addEventListener("close", () => {
    if (returnFocus && document.contains(returnFocus) && !el.dialog.contains(document.activeElement)) returnFocus.focus();
  });
  el.screenBoard.addEventListener("click", leaveScreen);
  // Staff open the board with a key in the address: never the participants' report screen.
  if (!el.screen.hidden && !app.key && !seen()) {
    document.body.classList.add("shows-report");
    screenDecided = true;
    $("report-screen-heading").focus();
  } else {
    show(el.screen, false);
  }
}

export function renderReportBack() {
  if (screenDecided && isStaff()) {
    // A key holder who came back without the key in the address (a stored token): the board.
    screenDecided = false;
    document.body.classList.remove("shows-report");
    show(el.screen, false);
  }
  if (isFacilitator()) {
    const report = app.confirmed.report;
    const written = report && (report.next_steps || report.hear_back || Object.keys(report.owners).length);
    setText(el.status, written ? t("The report back is written.") : t("Not written yet."));
  }
}
