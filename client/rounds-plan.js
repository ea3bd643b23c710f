// The plan editor: the facilitator prepares the session's rounds (from the template's plan)
// before and during the workshop. Each round has a title, a question, its areas, the phases it
// goes through and a suggested time; rounds are added, removed and reordered with buttons
// (keyboard and screen reader first, no drag). Saving sends the whole plan as one
// `rounds.plan`; the server keeps the round that is in use and says why when it refuses. The
// form is the draft: what is typed stays until Save or Cancel, whatever arrives meanwhile.

import { $, app, currentRoom, limit, send, setFieldError, show } from "./context.js";
import { t } from "./i18n.js";
import { activeIndex, inUse, roundsOf, summaryOf } from "./rounds.js";
import { phaseLabel } from "./session-bar.js";
import { announce } from "./toasts.js";

/** The phases a round may go through, in order (the lobby belongs to the session). */
export const ROUND_PHASES = ["write", "cluster", "vote", "results"];
/** The longest suggested time, in minutes: the timer's own limit. */
function maxMinutes() {
  const most = limit("timer_ms");
  return most ? Math.floor(most / 60000) : 180;
}

const el = {
  dialog: $("plan-dialog"),
  form: $("plan-form"),
  list: $("plan-rounds"),
  add: $("plan-add"),
  error: $("plan-error"),
  status: $("plan-status"),
  cancel: $("plan-cancel"),
};

let serial = 0; // makes each card's element ids unique
let returnFocus = null;

function say(text) {
  // Inside the dialog: what is outside a modal dialog may not be read while it is open.
  el.status.textContent = "";
  setTimeout(() => {
    el.status.textContent = text;
  }, 50);
}

function newId() {
  const used = new Set(roundsOf(currentRoom()).map((r) => r.id));
  for (const li of el.list.children) used.add(li.dataset.roundId);
  let id = "";
  do id = `r${Math.random().toString(36).slice(2, 8)}`;
  while (used.has(id));
  return id;
}

function field(labelText, input, hintText) {
  const wrap = document.createElement("div");
  wrap.className = "field";
  const label = document.createElement("label");
  label.htmlFor = input.id;
  label.textContent = labelText;
  wrap.append(label, input);
  if (hintText) {
    const hint = document.createElement("p");
    hint.className = "hint";
    hint.id = `${input.id}-hint`;
    hint.textContent = hintText;
    input.setAttribute("aria-describedby", hint.id);
    wrap.append(hint);
  }
  return wrap;
}

function smallButton(text, className, hiddenText) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = `button small ${className}`;
  const label = document.createElement("span");
  label.textContent = text;
  button.append(label);
  if (hiddenText !== undefined) {
    const which = document.createElement("span");
    which.className = "visually-hidden plan-which";
    button.append(which);
  }
  return button;
}

function areaRow(area) {
  const li = document.createElement("li");
  li.className = "plan-area";
  if (area && area.id) li.dataset.areaId = area.id;
  const input = document.createElement("input");
  input.type = "text";
  input.id = `plan-area-${++serial}`;
  input.className = "plan-area-input";
  input.value = area ? area.title : "";
  input.autocomplete = "off";
  input.maxLength = limit("area_title") ?? 500; // an area may be a carried note, whole
  const label = document.createElement("label");
  label.className = "visually-hidden";
  label.htmlFor = input.id;
  const remove = smallButton(t("Remove"), "plan-area-remove", "");
  remove.dataset.action = "remove-area";
  li.append(label, input, remove);
  return li;
}

/** Names every area field and remove button after a change ("Area 2 of round 1"). */
function renumberAreas(card) {
  const rows = [...card.querySelectorAll(".plan-area")];
  const round = [...el.list.children].indexOf(card) + 1;
  rows.forEach((row, i) => {
    row.querySelector("label").textContent = t("Area %(number)s of round %(round)s", { number: i + 1, round });
    row.querySelector(".plan-which").textContent = ` ${t("area %(number)s", { number: i + 1 })}`;
  });
  card.querySelector(".plan-areas-empty").hidden = rows.length > 0;
}

function roundCard(round, state) {
  const k = ++serial;
  const li = document.createElement("li");
  li.className = "plan-round";
  li.dataset.roundId = round.id;
  if (state.active) li.dataset.active = "true";
  if (state.notes) li.dataset.notes = "true";

  const head = document.createElement("div");
  head.className = "plan-round-head";
  const heading = document.createElement("h3");
  heading.className = "plan-round-heading";
  heading.id = `plan-h-${k}`;
  heading.tabIndex = -1;
  const badge = document.createElement("span");
  badge.className = "plan-badge";
  badge.textContent = state.active ? t("Active now") : "";
  badge.hidden = !state.active;
  const tools = document.createElement("div");
  tools.className = "plan-round-tools";
  tools.setAttribute("role", "group");
  tools.setAttribute("aria-labelledby", heading.id);
  const up = smallButton(t("Move up"), "plan-up", "");
  up.dataset.action = "up";
  const down = smallButton(t("Move down"), "plan-down", "");
  down.dataset.action = "down";
  const remove = smallButton(t("Remove round"), "plan-remove danger-quiet", "");
  remove.dataset.action = "remove";
  if (state.active || state.notes) {
    remove.setAttribute("aria-disabled", "true");
    remove.setAttribute("aria-describedby", `plan-keep-${k}`);
  }
  tools.append(up, down, remove);
  head.append(heading, badge, tools);

  const grid = document.createElement("div");
  grid.className = "plan-grid";
  const title = document.createElement("input");
  title.type = "text";
  title.id = `plan-title-${k}`;
  title.className = "plan-title-input";
  title.value = round.title || "";
  title.required = true;
  title.autocomplete = "off";
  title.maxLength = limit("title") ?? 80;
  const titleError = document.createElement("p");
  titleError.className = "field-error";
  titleError.id = `plan-title-${k}-error`;
  titleError.hidden = true;
  const titleField = field(t("Title of the round"), title);
  title.setAttribute("aria-describedby", titleError.id);
  titleField.append(titleError);
  titleField.classList.add("plan-title-field");

  const minutes = document.createElement("input");
  minutes.type = "number";
  minutes.id = `plan-minutes-${k}`;
  minutes.className = "plan-minutes";
  minutes.inputMode = "numeric";
  minutes.min = "0";
  minutes.max = String(maxMinutes());
  minutes.step = "1";
  minutes.value = round.timer_ms ? String(Math.round((round.timer_ms / 60000) * 10) / 10) : "";
  const minutesField = field(t("Suggested time (minutes)"), minutes, t("Put in the timer when the round starts. Empty: no suggestion."));
  minutesField.classList.add("plan-minutes-field");

  const prompt = document.createElement("textarea");
  prompt.id = `plan-prompt-${k}`;
  prompt.className = "plan-prompt";
  prompt.rows = 3;
  prompt.value = round.prompt || "";
  prompt.maxLength = limit("prompt") ?? 500;
  const promptField = field(t("Question or task for everyone"), prompt);
  promptField.classList.add("plan-prompt-field");

  const areas = document.createElement("fieldset");
  areas.className = "plan-areas";
  const areasLegend = document.createElement("legend");
  areasLegend.textContent = t("Areas of the round");
  const areaList = document.createElement("ul");
  areaList.className = "plan-area-list";
  for (const area of round.areas || []) areaList.append(areaRow(area));
  const areasEmpty = document.createElement("p");
  areasEmpty.className = "hint plan-areas-empty";
  areasEmpty.textContent = t("No areas: the whole board is one space.");
  const addArea = smallButton(t("Add an area"), "plan-add-area", "");
  addArea.dataset.action = "add-area";
  areas.append(areasLegend, areaList, areasEmpty, addArea);

  const phases = document.createElement("fieldset");
  phases.className = "plan-phases";
  const phasesLegend = document.createElement("legend");
  phasesLegend.textContent = t("Phases of the round");
  const chosen = new Set(round.phases && round.phases.length ? round.phases : ROUND_PHASES);
  const boxes = document.createElement("div");
  boxes.className = "plan-phase-boxes";
  for (const phase of ROUND_PHASES) {
    const label = document.createElement("label");
    label.className = "choice";
    const box = document.createElement("input");
    box.type = "checkbox";
    box.value = phase;
    box.checked = chosen.has(phase);
    box.className = "plan-phase";
    label.append(box, ` ${phaseLabel(phase)}`);
    boxes.append(label);
  }
  const phasesError = document.createElement("p");
  phasesError.className = "field-error plan-phases-error";
  phasesError.hidden = true;
  phases.append(phasesLegend, boxes, phasesError);

  grid.append(titleField, minutesField, promptField, areas, phases);
  li.append(head, grid);
  if (state.active || state.notes) {
    const keep = document.createElement("p");
    keep.className = "hint plan-keep";
    keep.id = `plan-keep-${k}`;
    keep.textContent = state.active
      ? t("This round is in use now, so it cannot be removed.")
      : t("This round has notes or groups, so it cannot be removed.");
    li.append(keep);
  }
  return li;
}

/** Numbers, headings and the move buttons' availability after any change of order. */
function renumber() {
  const cards = [...el.list.children];
  cards.forEach((card, i) => {
    const title = card.querySelector(".plan-title-input").value.trim();
    const name = t("Round %(number)s", { number: i + 1 });
    card.querySelector(".plan-round-heading").textContent = title ? `${name}: ${title}` : name;
    for (const which of card.querySelectorAll(".plan-round-tools .plan-which")) which.textContent = ` (${name})`;
    card.querySelector(".plan-add-area .plan-which").textContent = ` (${name})`;
    const up = card.querySelector(".plan-up");
    const down = card.querySelector(".plan-down");
    if (i === 0) up.setAttribute("aria-disabled", "true");
    else up.removeAttribute("aria-disabled");
    if (i === cards.length - 1) down.setAttribute("aria-disabled", "true");
    else down.removeAttribute("aria-disabled");
    renumberAreas(card);
    const areas = card.querySelectorAll(".plan-area").length;
    card.querySelector(".plan-add-area").hidden = areas >= (limit("areas_per_round") ?? 8);
  });
  show(el.add, cards.length < (limit("rounds_per_room") ?? 12));
}

/** Open the editor with the plan as the server has it. */
export function openPlanEditor(from) {
  if (el.dialog.open) return;
  returnFocus = from || null;
  const room = currentRoom();
  const rounds = roundsOf(room);
  const active = activeIndex(room);
  el.list.replaceChildren(
    ...rounds.map((round, i) =>
      roundCard(round, { active: i === active, notes: inUse(summaryOf(room, round, app.confirmed)) }),
    ),
  );
  show(el.error, false);
  renumber();
  el.dialog.showModal();
  const first = el.list.querySelector(".plan-title-input") || el.add;
  first.focus();
}

function move(card, by) {
  const cards = [...el.list.children];
  const from = cards.indexOf(card);
  const to = from + by;
  if (to < 0 || to >= cards.length) return;
  if (by < 0) el.list.insertBefore(card, cards[to]);
  else el.list.insertBefore(card, cards[to].nextSibling);
  renumber();
  say(t("Round moved to place %(number)s of %(total)s.", { number: to + 1, total: cards.length }));
}

function onClick(e) {
  const button = e.target.closest("button[data-action]");
  if (!button || !el.list.contains(button)) return;
  const card = button.closest(".plan-round");
  const action = button.dataset.action;
  const disabled = button.getAttribute("aria-disabled") === "true";
  if (action === "up" || action === "down") {
    if (disabled) return;
    move(card, action === "up" ? -1 : 1);
    const again = button.getAttribute("aria-disabled") === "true" ? card.querySelector(action === "up" ? ".plan-down" : ".plan-up") : button;
    again.focus();
  } else if (action === "remove") {
    if (disabled) {
      say(card.querySelector(".plan-keep").textContent);
      return;
    }
    const next = card.nextElementSibling || card.previousElementSibling;
    const title = card.querySelector(".plan-round-heading").textContent;
    card.remove();
    renumber();
    say(t("%(round)s removed.", { round: title }));
    (next ? next.querySelector(".plan-round-heading") : el.add).focus();
  } else if (action === "add-area") {
    const row = areaRow(null);
    card.querySelector(".plan-area-list").append(row);
    renumber();
    row.querySelector("input").focus();
  } else if (action === "remove-area") {
    const row = button.closest(".plan-area");
    const next = row.nextElementSibling || row.previousElementSibling;
    row.remove();
    renumber();
    (next ? next.querySelector("input") : card.querySelector(".plan-add-area")).focus();
    say(t("Area removed."));
  }
}

function addRound() {
  const card = roundCard({ id: newId(), title: "", prompt: "", areas: [], phases: ROUND_PHASES, timer_ms: 0 }, {});
  card.dataset.new = "true";
  el.list.append(card);
  renumber();
  const title = card.querySelector(".plan-title-input");
  title.focus();
  title.scrollIntoView({ block: "center" });
  say(t("Round %(number)s added.", { number: el.list.children.length }));
}

/** The plan as typed, or null (with the first problem shown and focused). */
function readPlan() {
  const rounds = [];
  let problem = null;
  for (const card of el.list.children) {
    const title = card.querySelector(".plan-title-input");
    const titleError = card.querySelector(".plan-title-field .field-error");
    const text = title.value.trim();
    setFieldError(title, titleError, text ? "" : t("Give the round a title."));
    if (!text) problem ||= title;
    const phases = [...card.querySelectorAll(".plan-phase:checked")].map((box) => box.value);
    const phasesError = card.querySelector(".plan-phases-error");
    phasesError.textContent = phases.length ? "" : t("Choose at least one phase.");
    phasesError.hidden = phases.length > 0;
    if (!phases.length) problem ||= card.querySelector(".plan-phase");
    const minutesInput = card.querySelector(".plan-minutes");
    const minutes = minutesInput.value.trim() === "" ? 0 : Number(minutesInput.value);
    const least = (limit("timer_min_ms") ?? 1000) / 60000;
    const badMinutes = !Number.isFinite(minutes) || minutes < 0 || minutes > maxMinutes() || (minutes > 0 && minutes < least);
    if (badMinutes) problem ||= minutesInput;
    if (badMinutes) minutesInput.setAttribute("aria-invalid", "true");
    else minutesInput.removeAttribute("aria-invalid");
    const areas = [...card.querySelectorAll(".plan-area")]
      .map((row) => {
        const areaTitle = row.querySelector("input").value.trim();
        return row.dataset.areaId ? { id: row.dataset.areaId, title: areaTitle } : { title: areaTitle };
      })
      .filter((a) => a.title);
    rounds.push({
      id: card.dataset.roundId,
      title: text,
      prompt: card.querySelector(".plan-prompt").value.trim(),
      areas,
      phases,
      timer_ms: badMinutes ? 0 : Math.round(minutes * 60000),
    });
  }
  if (problem) {
    el.error.textContent = t("Please check the marked fields.");
    show(el.error, true);
    problem.focus();
    // Clear of the sticky Save bar at the dialog's foot.
    problem.scrollIntoView({ block: "center" });
    return null;
  }
  if (!rounds.length) {
    el.error.textContent = t("A session needs at least one round.");
    show(el.error, true);
    el.add.focus();
    return null;
  }
  show(el.error, false);
  return rounds;
}

function onSubmit(e) {
  e.preventDefault();
  const rounds = readPlan();
  if (!rounds) return;
  send("rounds.plan", { rounds });
  el.dialog.close();
  announce(t("The plan is saved."));
}

export function setupPlanEditor() {
  el.list.addEventListener("click", onClick);
  el.list.addEventListener("input", (e) => {
    if (e.target.classList.contains("plan-title-input")) renumber();
  });
  el.add.addEventListener("click", addRound);
  el.form.addEventListener("submit", onSubmit);
  el.cancel.addEventListener("click", () => el.dialog.close());
  el.dialog.addEventListener("close", () => {
    const back = returnFocus;
    returnFocus = null;
    if (back && back.isConnected) back.focus();
  });
}
