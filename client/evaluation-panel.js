// The closing evaluation for facilitators and coaches: the facilitator opens and closes it; both
// see, live, how many answered and (from three answers on) the distribution per question and
// the comments, sorted. The server sends staff nothing else (no person, no order), so nothing
// else can be shown. The facilitator's link to the results page gets its results cookie first
// (as the "not published" page does), because the published page carries no script.

import { $, app, code, isFacilitator, send, setAttr, setText, show } from "./context.js";
import { questionBlock, scaleKey, soFarText, thresholdText } from "./evaluation-chart.js";
import { t, tn } from "./i18n.js";
import { isPanelOpen } from "./panels.js";

// The elements this module works with.
const el = {
  about: $("evaluation-about"),
  badge: $("evaluation-badge"),
  controls: $("evaluation-controls"),
  count: $("evaluation-count"),
  few: $("evaluation-few"),
  pageLink: $("evaluation-page-link"),
  pageWrap: $("evaluation-page-wrap"),
  questions: $("evaluation-questions"),
  small: $("evaluation-small"),
  status: $("evaluation-status"),
  switchButton: $("evaluation-switch"),
  texts: $("evaluation-texts"),
  textsWrap: $("evaluation-texts-wrap"),
  threshold: $("evaluation-threshold"),
};

let drawn = "";
let badgeDrawn = "";

function participantsCount() {
  let n = 0;
  for (const person of app.confirmed.participants.values()) if (person.role === "participant") n += 1;
  return n;
}

function renderBadge(summary) {
  // The number of answers on the toolbar button while the evaluation is open.
  const n = summary && summary.open ? summary.answers : 0;
  const sig = String(n);
  if (badgeDrawn === sig) return;
  badgeDrawn = sig;
  if (n > 0) {
    const number = document.createElement("span");
    number.setAttribute("aria-hidden", "true");
    number.textContent = String(n);
    const words = document.createElement("span");
    words.className = "visually-hidden";
    words.textContent = tn("(%(n)s answer)", "(%(n)s answers)", n, { n });
    el.badge.replaceChildren(number, words);
  } else {
    el.badge.replaceChildren();
  }
}

export function renderEvaluationPanel() {
  const evaluation = app.confirmed.evaluation || { open: false, summary: null };
  const summary = evaluation.summary;
  renderBadge(summary);
  if (!isPanelOpen("evaluation") || !summary) return;
  const facilitator = isFacilitator();
  const participants = participantsCount();
  const sig = JSON.stringify([summary, evaluation.open, facilitator, participants, app.confirmed.room && app.confirmed.room.language]);
  if (sig === drawn) return;
  drawn = sig;

  el.status.dataset.open = String(evaluation.open);
  setText(el.status, evaluation.open
    ? t("Open: participants are asked to answer now.")
    : summary.answers > 0 ? t("Closed. Participants can no longer answer or change their answers.") : t("Not opened yet."));
  show(el.controls, facilitator);
  setText(el.switchButton, evaluation.open ? t("Close the evaluation") : t("Open the evaluation"));
  el.switchButton.classList.toggle("primary", !evaluation.open);
  setText(el.count, tn("%(n)s of %(total)s participant has answered.", "%(n)s of %(total)s participants have answered.",
    participants, { n: summary.answers, total: participants }));
  // Said up front, before the first answer: nothing shows until enough people answered.
  setText(el.threshold, thresholdText(summary.min_answers));
  // Fewer participants than the threshold: the answers (scores and comments alike) cannot show,
  // so the facilitator hears it before opening, with what to do instead.
  const tooFew = participants < summary.min_answers && !summary.shown;
  setText(el.small, tooFew
    ? t("Fewer than %(min)s participants are here. Answers, both scores and comments, show only once %(min)s have answered, so nobody can be singled out. With a group this small, ask out loud instead.", { min: summary.min_answers })
    : "");
  show(el.small, tooFew);
  show(el.few, !summary.shown && (evaluation.open || summary.answers > 0));
  setText(el.few, summary.shown ? "" : soFarText(summary.answers, summary.min_answers));
  const blocks = summary.shown ? summary.questions.map((q) => questionBlock(q, "evaluation-panel-q", summary.min_answers)) : [];
  const anyShown = summary.shown && summary.questions.some((q) => q.counts);
  el.questions.replaceChildren(...(anyShown ? [scaleKey(), ...blocks] : blocks));
  const texts = summary.shown ? summary.texts : [];
  el.texts.replaceChildren(...texts.map((line) => {
    const li = document.createElement("li");
    li.textContent = line;
    return li;
  }));
  show(el.textsWrap, texts.length > 0);
  show(el.pageWrap, facilitator && Boolean(app.key) && summary.answers > 0);
}

/** The results cookie for this facilitator's key, then the results page in a new tab. */
async function openResults(event) {
  if (!app.key) return;
  event.preventDefault();
  const href = el.pageLink.href;
  const opened = window.open("about:blank", "_blank");
  try {
    await fetch(`/r/${encodeURIComponent(code)}/results/access`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ key: app.key }),
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch {
    // The page then says it is not published yet, as it would without the cookie.
  }
  if (opened) {
    opened.opener = null;
    opened.location.href = href;
  } else {
    window.location.href = href;
  }
}

export function setupEvaluationPanel() {
  el.switchButton.addEventListener("click", () => {
    const open = Boolean(app.confirmed.evaluation && app.confirmed.evaluation.open);
    send(open ? "evaluation.close" : "evaluation.open", {});
  });
  el.pageLink.addEventListener("click", openResults);
  setAttr(el.pageLink, "rel", "noopener");
}
