// The side panels: facilitation (left), ranking, hints and people (right). Each has a toggle in the top
// bar. On wide screens they sit beside the board; on phones they are drawers over it, one at a
// time, closed with × or Escape. The links to the board ("Skip to the board" at the top of the
// page and of the facilitation panel, "Back to the board" at the end of the right-hand panels)
// put the keyboard on the board as it is shown: the list or the canvas.

import { $, isNarrow, setAttr, show } from "./context.js";

// The elements this module works with.
const el = {
  boardScreen: $("board-screen"),
  facilitatorClose: $("facilitator-close"),
  facilitatorPanel: $("facilitator-panel"),
  facilitatorToggle: $("facilitator-toggle"),
  hintsClose: $("hints-close"),
  hintsPanel: $("hints-panel"),
  hintsToggle: $("hints-toggle"),
  peopleClose: $("people-close"),
  peoplePanel: $("people-panel"),
  peopleToggle: $("people-toggle"),
  resultsClose: $("results-close"),
  resultsPanel: $("results-panel"),
  resultsToggle: $("results-toggle"),
  sidePanels: $("side-panels"),
  evaluationClose: $("evaluation-close"),
  evaluationPanel: $("evaluation-panel"),
  evaluationToggle: $("evaluation-toggle"),
};

const WIDE = "(min-width: 62rem)";

const PANELS = {
  facilitator: () => ({ panel: el.facilitatorPanel, toggle: el.facilitatorToggle, close: el.facilitatorClose }),
  results: () => ({ panel: el.resultsPanel, toggle: el.resultsToggle, close: el.resultsClose }),
  hints: () => ({ panel: el.hintsPanel, toggle: el.hintsToggle, close: el.hintsClose }),
  people: () => ({ panel: el.peoplePanel, toggle: el.peopleToggle, close: el.peopleClose }),
  evaluation: () => ({ panel: el.evaluationPanel, toggle: el.evaluationToggle, close: el.evaluationClose }),
};

const state = {
  facilitator: { open: false, available: false, chosen: false },
  results: { open: false, available: false, chosen: false },
  hints: { open: false, available: false, chosen: false },
  people: { open: null, available: true, chosen: false }, // null: not set yet (the default applies)
  evaluation: { open: false, available: false, chosen: false },
};

let onOpenChange = () => {};

export function isPanelOpen(name) {
  return Boolean(state[name].open && state[name].available);
}

function apply() {
  for (const [name, parts] of Object.entries(PANELS)) {
    const { panel, toggle } = parts();
    const s = state[name];
    const open = Boolean(s.open && s.available);
    show(panel, open);
    setAttr(toggle, "aria-expanded", String(open));
  }
  show(el.sidePanels, isPanelOpen("people") || isPanelOpen("hints") || isPanelOpen("results") || isPanelOpen("evaluation"));
  onOpenChange();
}

/** Open or close a panel; on phones opening one closes the others. */
export function setPanelOpen(name, open, chosen = true) {
  state[name].open = open;
  if (chosen) state[name].chosen = true;
  if (open && isNarrow()) {
    for (const other of Object.keys(state)) if (other !== name) state[other].open = false;
  }
  apply();
}

/** Whether the people panel is meant to be open (shown only on the board screen). */
export function peopleOpen() {
  return state.people.open ?? defaultPeopleOpen();
}

export function setPeopleOpen(open) {
  setPanelOpen("people", open, false);
}

/** Open on wide screens, closed on phones, unless the person chose. */
export function defaultPeopleOpen() {
  return window.matchMedia(WIDE).matches;
}

/**
 * Which panels this person may use (by role). A panel that becomes available opens by itself
 * on a wide screen when `openByDefault`; one that stops being available closes.
 */
export function setPanelAvailable(name, available, openByDefault) {
  const s = state[name];
  const { toggle } = PANELS[name]();
  show(toggle, available && !el.boardScreen.hidden);
  if (s.available === available) return;
  s.available = available;
  if (available && !s.chosen) s.open = Boolean(openByDefault) && window.matchMedia(WIDE).matches && !isNarrow();
  if (!available) s.open = false;
  apply();
}

/** Toggles follow the board screen: no panel toggles on the join form. */
export function syncToggles(boardShown) {
  for (const [name, parts] of Object.entries(PANELS)) {
    const { toggle } = parts();
    show(toggle, boardShown && state[name].available);
  }
}

/** The keyboard on the board as it is shown now (the list or the canvas); on a phone the
 * drawer the person came from closes first, or it would cover what gets the focus. */
function toBoard(link) {
  const from = link.closest(".side-panel");
  const name = from && Object.keys(PANELS).find((n) => PANELS[n]().panel === from);
  if (name && isNarrow()) setPanelOpen(name, false);
  const list = $("list-view");
  const target = list && !list.hidden ? $("list-body") : $("viewport");
  if (target && target.offsetParent !== null) {
    target.focus();
    target.scrollIntoView({ block: "nearest" });
  } else {
    $("main").focus(); // no board yet (the join form): the page's main content
  }
}

/** @param {{changed?: () => void}} hooks  called after panels open or close */
export function setupPanels({ changed } = {}) {
  onOpenChange = changed || (() => {});
  for (const [name, parts] of Object.entries(PANELS)) {
    const { panel, toggle, close } = parts();
    toggle.addEventListener("click", () => {
      const open = !isPanelOpen(name);
      setPanelOpen(name, open);
      if (open && isNarrow()) close.focus();
    });
    close.addEventListener("click", () => {
      setPanelOpen(name, false);
      toggle.focus();
    });
    panel.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && isNarrow() && !e.defaultPrevented) {
        setPanelOpen(name, false);
        toggle.focus();
      }
    });
  }
  document.addEventListener("click", (e) => {
    const link = e.target.closest && e.target.closest("a[data-to-board]");
    if (!link) return;
    e.preventDefault();
    toBoard(link);
  });
  apply();
}
