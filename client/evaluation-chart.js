// The closing evaluation's words and its distributions as DOM, shared by the staff panel
// (client/evaluation-panel.js) and nothing else on the board. User text only via textContent.
// Bars are SVG rectangles sized by attribute (the page's Content-Security-Policy allows no
// inline styles); they are decoration: the numbers are in the table.

import { locale, t, tn } from "./i18n.js";

const SVG = "http://www.w3.org/2000/svg";

/** The question, in the room's language (the same words as on the participant's card). */
export function questionLabel(id) {
  if (id === "clear") return t("The question we worked on was clear");
  if (id === "heard") return t("I was heard");
  if (id === "outcome") return t("I believe something will come of this");
  return id;
}

const SCALE_SIZE = 5;

/** "(strongly disagree)" for 1, "(strongly agree)" for 5. */
function endLabel(value) {
  return value === 1 ? t("(strongly disagree)") : t("(strongly agree)");
}

let numberFormat = null;
let numberLocale = "";

export function formatMedian(value) {
  if (numberLocale !== locale()) {
    numberFormat = new Intl.NumberFormat(locale(), { maximumFractionDigits: 1 });
    numberLocale = locale();
  }
  return numberFormat.format(value);
}

function node(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

/** A bar as long as the share of the people who answered the question (not of the largest
 * count, which would draw one answer of three as a full bar). */
function bar(count, answered) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("class", "evaluation-bar");
  svg.setAttribute("viewBox", "0 0 100 10");
  svg.setAttribute("preserveAspectRatio", "none");
  svg.setAttribute("focusable", "false");
  const track = document.createElementNS(SVG, "rect");
  track.setAttribute("class", "evaluation-track");
  for (const [name, value] of [["x", "0"], ["y", "0"], ["width", "100"], ["height", "10"]]) track.setAttribute(name, value);
  svg.append(track);
  const rect = document.createElementNS(SVG, "rect");
  rect.setAttribute("x", "0");
  rect.setAttribute("y", "0");
  rect.setAttribute("height", "10");
  rect.setAttribute("width", String(answered ? Math.round((1000 * count) / answered) / 10 : 0));
  svg.append(rect);
  return svg;
}

/** One question's block: its words, how many answered and the median, and people per score. */
export function questionBlock(question, idPrefix, minAnswers = 3) {
  const block = node("div", "evaluation-question");
  const headingId = `${idPrefix}-${question.id}`;
  const heading = node("h3", "", questionLabel(question.id));
  heading.id = headingId;
  block.append(heading);
  if (!question.counts) {
    block.append(node("p", "evaluation-few", soFarText(question.answered, minAnswers)));
    return block;
  }
  const stats = `${tn("%(n)s answer", "%(n)s answers", question.answered, { n: question.answered })} · ${t("Median: %(median)s", { median: formatMedian(question.median) })}`;
  block.append(node("p", "evaluation-stats", stats));
  const table = node("table", "evaluation-table");
  table.setAttribute("aria-labelledby", headingId);
  const head = node("thead");
  const headRow = node("tr");
  const score = node("th", "", t("Score"));
  score.scope = "col";
  const people = node("th", "num", t("People"));
  people.scope = "col";
  const share = node("th");
  share.scope = "col";
  share.append(node("span", "visually-hidden", t("Share")));
  headRow.append(score, people, share);
  head.append(headRow);
  const body = node("tbody");
  question.counts.forEach((count, index) => {
    const row = node("tr");
    // The number, with the scale's end said to screen readers (and in the key above the table).
    const label = node("th", "", String(index + 1));
    label.scope = "row";
    if (index === 0 || index === SCALE_SIZE - 1) label.append(node("span", "visually-hidden", ` ${endLabel(index + 1)}`));
    const cell = node("td", "evaluation-bar-cell");
    cell.setAttribute("aria-hidden", "true");
    cell.append(bar(count, question.answered));
    row.append(label, node("td", "num", String(count)), cell);
    body.append(row);
  });
  table.append(head, body);
  block.append(table);
  return block;
}

/** The scale's key, once above the questions (each table's row headers say it to screen readers). */
export function scaleKey() {
  const key = node("p", "evaluation-key", t("1 = strongly disagree, 5 = strongly agree"));
  key.setAttribute("aria-hidden", "true");
  return key;
}

/** Said before any answer comes in: why the first answers show nothing. */
export function thresholdText(minAnswers) {
  return t("Answers show once %(min)s people have answered, so nobody's answer can be singled out.", { min: minAnswers });
}

/** "2 answers so far — results show at 3": while too few answered to show anything. */
export function soFarText(answers, minAnswers) {
  return tn("%(n)s answer so far — results show at %(min)s", "%(n)s answers so far — results show at %(min)s",
    answers, { n: answers, min: minAnswers });
}
