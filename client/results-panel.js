// The ranking: one list of ideas (groups and notes in no group together) by dots, most first,
// ties sharing a rank (as on the printable results page), and the link to that page for whoever may open it. Drawn only when open.

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
  rankingEmpty: $("ranking-ideas-empty"),
  rankingHeading: $("ranking-ideas-heading"),
  rankingList: $("ranking-ideas-list"),
  resultsLink: $("results-link"),
  resultsPageLink: $("results-page-link"),
  resultsPageWrap: $("results-page-wrap"),
  resultsPanel: $("results-panel"),
  resultsSummary: $("results-summary"),
};

let drawn = "";

function row(rank, kind, label, votes, revealed, detail, members) {
  const li = document.createElement("li");
  li.className = `ranking-item ranking-${kind}`;
  const rankEl = document.createElement("span");
  rankEl.className = "ranking-rank";
  rankEl.textContent = revealed ? `${rank}.` : "–";
  const main = document.createElement("span");
  main.className = "ranking-main";
  // Said in words whether it is a group or a note (not by looks only).
  const kindEl = document.createElement("span");
  kindEl.className = "ranking-kind";
  kindEl.textContent = kind === "group" ? t("Group") : t("Note");
  const text = document.createElement("span");
  text.className = "ranking-text";
  text.textContent = label;
  main.append(kindEl, text);
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
  // A group's notes under it, not ranked on their own.
  if (members && members.length) {
    const list = document.createElement("ul");
    list.className = "ranking-members";
    list.setAttribute("aria-label", t("Notes in the group %(title)s", { title: label }));
    for (const note of members) {
      const item = document.createElement("li");
      item.textContent = noteWords(note);
      if (revealed && note.votes) {
        const d = document.createElement("span");
        d.className = "ranking-dots";
        d.textContent = totalText(note.votes);
        item.append(" ", d);
      }
      list.append(item);
    }
    li.append(list);
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
  const { ideas } = rankResults(app.confirmed.notes, app.confirmed.clusters, collator);
  const sig = JSON.stringify([
    revealed,
    ideas.map((i) => [i.kind, i.id, i.title, i.text, i.votes, i.own_votes, i.rank,
      (i.members || []).map((n) => [n.id, n.text, n.votes])]),
  ]);
  setText(
    el.resultsSummary,
    revealed
      ? t("Ranked by dots. Ideas with the same number of dots share a place.")
      : t("The votes have not been revealed yet."),
  );
  if (sig === drawn) return;
  drawn = sig;
  // As the results page: one ranking of ideas, groups and notes in no group together; a
  // group's dots are its own and its notes', said apart when both exist.
  const split = (c) =>
    revealed && c.own_votes && c.own_votes !== c.votes
      ? t("(%(group)s on the group, %(notes)s on its notes)", { group: c.own_votes, notes: c.votes - c.own_votes })
      : "";
  setText(el.rankingHeading, revealed ? t("Ideas, most dots first") : t("Ideas"));
  el.rankingList.replaceChildren(
    ...ideas.map((i) =>
      i.kind === "group"
        ? row(i.rank, "group", clusterName(i), i.votes, revealed, split(i), i.members)
        : row(i.rank, "note", noteWords(i), i.votes, revealed, "", null),
    ),
  );
  show(el.rankingEmpty, ideas.length === 0);
  show(el.rankingList, ideas.length > 0);
}

/** The toolbar's "Results" link to the printable page, once the facilitator has published it
 * (a facilitator has theirs, with the key, in the facilitation panel). */
export function renderResultsLink(boardShown) {
  const link = resultsUrl();
  if (el.resultsLink.getAttribute("href") !== link) el.resultsLink.setAttribute("href", link);
  show(el.resultsLink, boardShown && !isFacilitator() && Boolean(currentRoom().results_published));
}
