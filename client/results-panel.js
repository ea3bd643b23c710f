// The ranking: groups and notes by dots, most first, ties sharing a rank (as on the printable
// results page), and the link to that page for whoever may open it. Drawn only when open.

import {
  $,
  app,
  clusterName,
  currentRoom,
  isFacilitator,
  mayOpenResults,
  resultsUrl,
  setText,
  show,
} from "./context.js";
import { locale, t } from "./i18n.js";
import { rankResults, votesRevealed } from "./core/state.js";
import { noteWords } from "./photo-view.js";
import { totalText } from "./votes.js";

// The elements this module works with.
const el = {
  rankingGroups: $("ranking-groups"),
  rankingGroupsList: $("ranking-groups-list"),
  rankingNotesHeading: $("ranking-notes-heading"),
  rankingNotesEmpty: $("ranking-notes-empty"),
  rankingNotesList: $("ranking-notes-list"),
  resultsLink: $("results-link"),
  resultsPageLink: $("results-page-link"),
  resultsPageWrap: $("results-page-wrap"),
  resultsPanel: $("results-panel"),
  resultsSummary: $("results-summary"),
};

let drawn = "";

function row(rank, label, votes, revealed, detail) {
  const li = document.createElement("li");
  li.className = "ranking-item";
  const rankEl = document.createElement("span");
  rankEl.className = "ranking-rank";
  rankEl.textContent = revealed ? `${rank}.` : "–";
  const main = document.createElement("span");
  main.className = "ranking-main";
  const text = document.createElement("span");
  text.className = "ranking-text";
  text.textContent = label;
  main.append(text);
  if (detail) {
    const extra = document.createElement("span");
    extra.className = "ranking-detail";
    extra.textContent = detail;
    main.append(extra);
  }
  li.append(rankEl, main);
  if (revealed) {
    const dots = document.createElement("span");
    dots.className = "ranking-dots";
    dots.textContent = totalText(votes);
    li.append(dots);
    // Said as one sentence: "Rank 2: … – 3 dots".
    rankEl.setAttribute("aria-hidden", "true");
    const said = document.createElement("span");
    said.className = "visually-hidden";
    said.textContent = t("Rank %(rank)s:", { rank });
    li.prepend(said);
  }
  return li;
}

export function renderResultsPanel() {
  const link = resultsUrl();
  if (el.resultsPageLink.getAttribute("href") !== link) el.resultsPageLink.setAttribute("href", link);
  show(el.resultsPageWrap, mayOpenResults());
  if (el.resultsPanel.hidden) return;

  const revealed = votesRevealed(app.confirmed.room);
  const collator = new Intl.Collator(locale(), { sensitivity: "base", numeric: true });
  const { clusters, notes } = rankResults(app.confirmed.notes, app.confirmed.clusters, collator);
  const sig = JSON.stringify([
    revealed,
    clusters.map((c) => [c.id, c.title, c.votes, c.own_votes, c.rank]),
    notes.map((n) => [n.id, n.text, n.votes, n.rank]),
  ]);
  setText(
    el.resultsSummary,
    revealed
      ? t("Ranked by dots. Ideas with the same number of dots share a place.")
      : t("The votes have not been revealed yet."),
  );
  if (sig === drawn) return;
  drawn = sig;
  // As the results page: a group's dots are its own and its notes', said apart when both exist.
  const split = (c) =>
    revealed && c.own_votes && c.own_votes !== c.votes
      ? t("(%(group)s on the group, %(notes)s on its notes)", { group: c.own_votes, notes: c.votes - c.own_votes })
      : "";
  el.rankingGroupsList.replaceChildren(...clusters.map((c) => row(c.rank, clusterName(c), c.votes, revealed, split(c))));
  show(el.rankingGroups, clusters.length > 0);
  setText(el.rankingNotesHeading, clusters.length ? t("Notes in no group") : t("Notes"));
  el.rankingNotesList.replaceChildren(...notes.map((n) => row(n.rank, noteWords(n), n.votes, revealed, "")));
  show(el.rankingNotesEmpty, notes.length === 0);
  show(el.rankingNotesList, notes.length > 0);
}

/** The toolbar's "Results" link to the printable page, once the facilitator has published it
 * (a facilitator has theirs, with the key, in the facilitation panel). */
export function renderResultsLink(boardShown) {
  const link = resultsUrl();
  if (el.resultsLink.getAttribute("href") !== link) el.resultsLink.setAttribute("href", link);
  show(el.resultsLink, boardShown && !isFacilitator() && Boolean(currentRoom().results_published));
}
