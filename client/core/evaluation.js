// The closing evaluation as the client keeps it (part of the one reducer, client/core/state.js).
// What the server sends depends on who you are: a participant gets whether it is open and their
// own answer (`mine`); facilitators and coaches get the `summary` (counts per value, how many
// answered, the median, the text lines sorted): never who answered, never in which order.

export const QUESTIONS = ["clear", "heard", "outcome"];
export const SCALE = [1, 2, 3, 4, 5];

function cleanScores(data) {
  const scores = {};
  if (!data || typeof data !== "object") return scores;
  for (const question of QUESTIONS) {
    const value = data[question];
    if (Number.isInteger(value) && value >= 1 && value <= 5) scores[question] = value;
  }
  return scores;
}

/** One's own answer ({scores, text}) or null. */
export function cleanAnswer(data) {
  if (!data || typeof data !== "object") return null;
  return { scores: cleanScores(data.scores), text: typeof data.text === "string" ? data.text : "" };
}

function cleanQuestion(data) {
  if (!data || typeof data !== "object" || !QUESTIONS.includes(data.id)) return null;
  const counts = Array.isArray(data.counts) && data.counts.length === SCALE.length && data.counts.every(Number.isInteger)
    ? [...data.counts]
    : null;
  return {
    id: data.id,
    answered: Number.isInteger(data.answered) ? data.answered : 0,
    counts,
    median: counts && typeof data.median === "number" && Number.isFinite(data.median) ? data.median : null,
  };
}

/** What staff see: {open, answers, shown, min_answers, questions, texts}, or null. */
export function cleanSummary(data) {
  if (!data || typeof data !== "object") return null;
  return {
    open: Boolean(data.open),
    answers: Number.isInteger(data.answers) ? data.answers : 0,
    shown: Boolean(data.shown),
    min_answers: Number.isInteger(data.min_answers) ? data.min_answers : 3,
    questions: Array.isArray(data.questions) ? data.questions.map(cleanQuestion).filter(Boolean) : [],
    texts: Array.isArray(data.texts) ? data.texts.filter((line) => typeof line === "string") : [],
  };
}

/** The evaluation of a `welcome.state` (absent from an older server: closed). */
export function cleanEvaluation(data) {
  const value = data && typeof data === "object" ? data : {};
  const evaluation = { open: Boolean(value.open), mine: cleanAnswer(value.mine), summary: cleanSummary(value.summary) };
  if (evaluation.summary) evaluation.summary.open = evaluation.open;
  return evaluation;
}

/** `evaluation` after an evaluation.* event frame; null for an op that is not about it. */
export function applyEvaluation(evaluation, op, data) {
  const current = evaluation || cleanEvaluation(null);
  switch (op) {
    case "evaluation.open":
    case "evaluation.close": {
      const open = op === "evaluation.open";
      return { ...current, open, summary: current.summary ? { ...current.summary, open } : null };
    }
    case "evaluation.answer": {
      const next = { ...current };
      if (data.mine !== undefined) next.mine = cleanAnswer(data.mine);
      if (data.summary !== undefined) {
        const summary = cleanSummary(data.summary);
        next.summary = summary ? { ...summary, open: current.open } : current.summary;
      }
      return next;
    }
    default:
      return null;
  }
}
