// The facilitator's round stepper, in the facilitation panel: where the session is ("Round 2 of
// 3 · Løsning"), every round of the plan with its state, "Next round" (which offers the best of
// the round just finished to carry along, carry-dialog.js), "Go back" to any earlier round
// (its board comes back as it was left, after a confirmation), and the plan editor
// (rounds-plan.js). When a round starts, its suggested time is put in the timer's field; the
// timer itself starts only when the facilitator starts it. The server decides; this only asks.

import { openCarryDialog } from "./carry-dialog.js";
import { confirmAction } from "./confirm.js";
import { $, app, currentRoom, isFacilitator, send, setText, show } from "./context.js";
import { t, tn } from "./i18n.js";
import { activeIndex, hasRounds, roundPlace, roundSentence, roundTitle, roundsOf, summaryOf } from "./rounds.js";
import { openPlanEditor } from "./rounds-plan.js";
import { phaseLabel } from "./session-bar.js";
import { announce } from "./toasts.js";

const el = {
  section: $("rounds-section"),
  now: $("round-now"),
  steps: $("round-steps"),
  next: $("round-next"),
  last: $("round-last"),
  carry: $("round-carry"),
  plan: $("rounds-plan-open"),
  timerMinutes: $("timer-minutes"),
  phases: $("round-phases"),
  panel: $("facilitator-panel"),
};

let drawn = ""; // signature of the steps drawn
let prefilledFor = null; // the round whose suggested time is in the timer's field

/** "12 notes" for a round that was entered (staff see its summary), "" otherwise. Counted
 * without building the active round's summary: this runs on every drawing of a big board. */
function noteCount(room, round) {
  let count;
  if (round.id === room.round) {
    const hidden = Object.values(app.confirmed.hiddenCounts || {}).reduce((a, b) => a + b, 0);
    count = app.confirmed.notes.size + hidden;
  } else {
    const summary = round.summary;
    if (!summary || summary.entered === false) return "";
    count = (summary.notes || 0) + (summary.hidden || 0);
  }
  return tn("%(count)s note", "%(count)s notes", count, { count });
}

function stepItem(room, round, index, active) {
  const li = document.createElement("li");
  li.className = `round-step${index === active ? " is-active" : index < active ? " is-done" : ""}`;
  li.dataset.roundId = round.id;
  if (index === active) li.setAttribute("aria-current", "step");
  const number = document.createElement("span");
  number.className = "round-step-number";
  number.setAttribute("aria-hidden", "true");
  number.textContent = String(index + 1);
  const main = document.createElement("span");
  main.className = "round-step-main";
  const title = document.createElement("span");
  title.className = "round-step-title";
  title.textContent = roundTitle(round, index);
  const state = document.createElement("span");
  state.className = "round-step-state";
  const where = index === active ? t("Now") : index < active ? t("Earlier") : t("Later");
  const count = noteCount(room, round);
  state.textContent = count ? `${where} · ${count}` : where;
  const hidden = document.createElement("span");
  hidden.className = "visually-hidden";
  hidden.textContent = `${roundPlace(room, index)}: `;
  main.append(hidden, title, state);
  li.append(number, main);
  if (index < active) {
    const back = document.createElement("button");
    back.type = "button";
    back.className = "button small round-back";
    back.dataset.roundBack = round.id;
    const label = document.createElement("span");
    label.textContent = t("Go back");
    const which = document.createElement("span");
    which.className = "visually-hidden";
    which.textContent = ` ${t("to %(round)s", { round: roundTitle(round, index) })}`;
    back.append(label, which);
    li.append(back);
  }
  return li;
}

/** The suggested time of the round just started, in the timer's field (not started; not
 * while someone is typing in it). */
function prefillTimer(room) {
  const round = roundsOf(room)[activeIndex(room)];
  if (!round || prefilledFor === round.id) return;
  prefilledFor = round.id;
  if (round.timer_ms > 0 && document.activeElement !== el.timerMinutes) {
    el.timerMinutes.value = String(Math.round(round.timer_ms / 6000) / 10);
  }
}

export function renderRoundStepper() {
  if (!el.section) return;
  const facilitator = isFacilitator();
  show(el.section, facilitator && Boolean(app.confirmed.room));
  // Drawn while the panel is open (it is drawn whole when it opens).
  if (!facilitator || !app.confirmed.room || el.panel.hidden) return;
  const room = currentRoom();
  const rounds = roundsOf(room);
  const active = activeIndex(room);
  prefillTimer(room);
  setText(el.now, rounds.length > 1 ? roundSentence(room, active) : t("This session has one round. Plan more rounds to run the workshop step by step."));
  const sig = JSON.stringify([active, rounds.map((r) => [r.id, r.title, noteCount(room, r)])]);
  if (sig !== drawn) {
    drawn = sig;
    const focused = el.steps.contains(document.activeElement) ? document.activeElement.dataset.roundBack : null;
    el.steps.replaceChildren(...rounds.map((r, i) => stepItem(room, r, i, active)));
    show(el.steps, rounds.length > 1);
    if (focused) {
      const again = el.steps.querySelector(`[data-round-back="${CSS.escape(focused)}"]`) || el.next;
      again.focus();
    }
  }
  const next = rounds[active + 1];
  // The last round reached from "Next round": the keyboard stays in the stepper.
  const nextHadFocus = document.activeElement === el.next;
  show(el.next, Boolean(next));
  if (nextHadFocus && !next) el.plan.focus();
  if (next) setText(el.next, t("Next round: %(title)s", { title: roundTitle(next, active + 1) }));
  // The big blue button is the next step only once this round has reached its last planned
  // phase; before that the next step is a phase, and moving on is a quieter choice.
  const plannedPhases = rounds[active] && rounds[active].phases.length ? rounds[active].phases : ["results"];
  const roundDone = room.phase === plannedPhases[plannedPhases.length - 1];
  el.next.classList.toggle("primary", roundDone);
  show(el.last, rounds.length > 1 && !next);
  show(el.carry, rounds.length > 1);
  // The phases the plan gives this round, under the phase buttons (a plan, not a rule).
  const planned = rounds[active] && rounds[active].phases.length ? rounds[active].phases : [];
  show(el.phases, rounds.length > 1 && planned.length > 0);
  setText(el.phases, t("This round's plan: %(phases)s", { phases: planned.map(phaseLabel).join(" → ") }));
}

async function goBack(roundId) {
  const room = currentRoom();
  const rounds = roundsOf(room);
  const index = rounds.findIndex((r) => r.id === roundId);
  if (index < 0) return;
  const title = roundTitle(rounds[index], index);
  const sure = await confirmAction({
    title: t("Go back to round %(number)s: %(title)s?", { number: index + 1, title }),
    text: t("The board of round %(number)s comes back as you left it, for everyone. This round's board is kept as it is and comes back when you return to it.", { number: index + 1 }),
    ok: t("Go back"),
    danger: false,
  });
  if (!sure) return;
  send("round.go", { round: roundId });
}

export function setupRoundStepper() {
  if (!el.section) return;
  el.steps.addEventListener("click", (e) => {
    const button = e.target.closest("[data-round-back]");
    if (button) goBack(button.dataset.roundBack);
  });
  el.next.addEventListener("click", () => {
    const room = currentRoom();
    const rounds = roundsOf(room);
    const active = activeIndex(room);
    const next = rounds[active + 1];
    if (!next) return;
    // A round already entered (we went back from it) comes back as it was left: offering to
    // carry the same ideas into it again would add them twice. "Bring ideas forward" stays.
    const summary = summaryOf(room, next);
    if (summary && summary.entered) {
      send("round.go", { round: next.id });
      return;
    }
    openCarryDialog({ mode: "next", from: rounds[active].id, to: next.id, returnFocus: el.next });
  });
  el.carry.addEventListener("click", () => {
    const room = currentRoom();
    const rounds = roundsOf(room);
    const active = activeIndex(room);
    const from = active > 0 ? rounds[active - 1].id : rounds[active + 1] ? rounds[active].id : null;
    if (!from) return;
    const to = active > 0 ? rounds[active].id : rounds[active + 1].id;
    openCarryDialog({ mode: "carry", from, to, returnFocus: el.carry });
  });
  el.plan.addEventListener("click", () => openPlanEditor(el.plan));
}

/** After a `round.switched`: say which round everyone is in now. */
export function announceRound(room) {
  if (hasRounds(room)) announce(roundSentence(room));
}
