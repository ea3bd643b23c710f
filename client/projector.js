// Projector mode, for the facilitator's screen on the wall: the whole window (and full screen
// where the browser allows it), no panels, the notes and groups that exist laid out as a wall
// (one column per area, groups with their notes, then the notes in no group) with the largest
// text that still fits every note on the screen, never below 14 px. Every area of the round is a
// column, an empty one too (narrow, "No notes yet"), so the room sees where to write. The timer
// is large in one corner; the join code and QR code are a column of their own, large enough to
// scan and read from the back of the room, while people join and write (lobby, write), and
// smaller beside the heading once the wall matters more. Escape or the visible button leave it;
// `?projector=1` in the address opens it (full window only: full screen needs a click).
//
// Why a wall and not the canvas scaled down: 40 notes spread over three areas of the
// 4000 × 3000 board are 3–6 px tall when the canvas is fitted to a laptop; at 14 px they would
// not fit. The wall keeps what matters on a projector (which area, which group, the dots) and
// lets the text be as large as the room needs. In the results phase (votes shown) each column
// puts its most-dotted groups and notes first and the room's top 3 ideas say "No. 1" etc.

import { areaOfNote } from "./areas.js";
import { app, clusterName, currentRoom, isFacilitator, setAttr, setText, show } from "./context.js";
import { hiddenNotesText, hiddenSummary } from "./empty-state.js";
import { locale, t } from "./i18n.js";
import { rankResults } from "./core/state.js";
import { createPhotoEl, setPhoto } from "./photo-view.js";
import { phaseLabel } from "./session-bar.js";
import { formatClock, remainingMs, timeUpShown } from "./timer.js";
import { dotsShown, totalText } from "./votes.js";

export const MIN_TEXT_PX = 14; // note text on the wall never gets smaller than this
const MAX_TEXT_PX = 44;
const EMPTY_WALL_PX = 26; // the text of a wall of empty areas
const TICK_MS = 250;
const PARAM = "projector";

const $ = (id) => document.getElementById(id);
const ui = {
  toggle: $("projector-toggle"),
  root: $("projector"),
  join: $("projector-join"),
  title: $("projector-title"),
  prompt: $("projector-prompt"),
  phase: $("projector-phase"),
  timer: $("projector-timer"),
  clock: $("projector-clock"),
  timeUp: $("projector-time-up"),
  exit: $("projector-exit"),
  wall: $("projector-wall"),
  empty: $("projector-empty"),
};

let on = false;
let wantedByUrl = new URLSearchParams(location.search).get(PARAM) === "1";
let drawn = ""; // signature of what the wall shows
let fitted = ""; // the window size and content the text size was chosen for
let ticker = null;
let usedFullscreen = false;

/** Whether projector mode is on (toasts meant for staff only stay off a projected screen). */
export function projectorOn() {
  return on;
}

// -- what goes where ---------------------------------------------------------------------------

function areaIndex(item, areas) {
  return areas.indexOf(areaOfNote(item, areas)); // -1: in no area
}

const byPlace = (a, b) => a.y - b.y || a.x - b.x || String(a.id).localeCompare(String(b.id));

/** How much of the screen the join code and QR code take in `phase`: "lobby" (everyone is
 * joining, nothing to read yet: the most), "large" (people still join while they write) or
 * "compact" (grouping, voting, results: the wall matters more). */
export function joinSize(phase) {
  if (phase === "lobby") return "lobby";
  return phase === "write" ? "large" : "compact";
}

/**
 * The wall's columns: one per area of the board, empty ones too (the room sees where to write),
 * plus "Elsewhere" for what lies outside every area when something does; each with its groups
 * (and their notes) and its notes in no group, in reading order.
 */
export function wallColumns(notes, clusters, areas) {
  const columns = areas.map((area) => ({ title: area.title, groups: [], notes: [] }));
  const outside = { title: areas.length ? t("Elsewhere on the board") : "", groups: [], notes: [] };
  const column = (i) => (i >= 0 ? columns[i] : outside);
  const members = new Map();
  for (const note of notes.values()) {
    if (note.cluster && clusters.has(note.cluster)) {
      const list = members.get(note.cluster) || [];
      list.push(note);
      members.set(note.cluster, list);
    }
  }
  for (const cluster of clusters.values()) {
    const list = (members.get(cluster.id) || []).sort(byPlace);
    // A group belongs where most of it is: its first note, or its own corner when empty.
    const anchor = list[0] || cluster;
    const i = areaIndex(anchor, areas);
    column(i).groups.push({ cluster, notes: list });
  }
  for (const note of notes.values()) {
    if (note.cluster && clusters.has(note.cluster)) continue;
    column(areaIndex(note, areas)).notes.push(note);
  }
  for (const c of [...columns, outside]) {
    c.groups.sort((a, b) => byPlace(a.notes[0] || a.cluster, b.notes[0] || b.cluster));
    c.notes.sort(byPlace);
  }
  const used = [...columns];
  if (outside.groups.length || outside.notes.length || !areas.length) used.push(outside);
  return used;
}

// -- drawing -----------------------------------------------------------------------------------

function noteItem(note, spotlight, revealed) {
  const li = document.createElement("li");
  li.className = `projector-note note-${note.color}${spotlight === note.id ? " is-spotlight" : ""}`;
  li.dataset.wallNote = note.id; // not data-note-id: that is a note on the canvas
  const text = document.createElement("p");
  text.className = "projector-note-text";
  text.textContent = note.text;
  if (note.photo) {
    const img = createPhotoEl("projector-photo");
    setPhoto(img, note);
    li.append(img);
  }
  li.append(text);
  // No author: the wall is about the ideas, in front of everyone (the board still says who).
  const dots = revealed && typeof note.votes === "number" && note.votes > 0 ? totalText(note.votes) : "";
  const place = topPlace(note.id);
  if (dots || place) {
    const meta = document.createElement("p");
    meta.className = "projector-note-meta";
    if (place) meta.append(place);
    if (dots) {
      const count = document.createElement("span");
      count.className = "projector-dots";
      count.textContent = dots;
      meta.append(count);
    }
    li.append(meta);
  }
  return li;
}

// -- the results phase: the most-dotted ideas first, the top 3 marked ------------------------

const TOP = 3;
let ranking = null; // id → {rank, votes} of each idea (groups and notes in no group), in the results phase

/** The ideas' ranking as on the results page (`rankResults`), or null outside the results phase. */
function resultsRanking(room, revealed) {
  if (room.phase !== "results" || !revealed) return null;
  const collator = new Intl.Collator(locale(), { sensitivity: "base", numeric: true });
  const { ideas } = rankResults(app.view, app.clusterView, collator);
  return new Map(ideas.map((i) => [i.id, { rank: i.rank, votes: i.votes || 0 }]));
}

/** "No. 1" for an idea in the top 3 (with at least one dot), said in words, not by colour. */
function topPlace(id) {
  const idea = ranking && ranking.get(id);
  if (!idea || idea.rank > TOP || idea.votes <= 0) return null;
  const badge = document.createElement("span");
  badge.className = "projector-top";
  badge.textContent = t("No. %(rank)s", { rank: idea.rank });
  return badge;
}

/** Each column's groups and notes, most dots first (a group by its own and its notes' dots). */
function byDotsFirst(columns) {
  const dots = (id, fallback) => (ranking.has(id) ? ranking.get(id).votes : fallback || 0);
  const most = (a, b) => (b.votes || 0) - (a.votes || 0);
  return columns.map((c) => ({
    ...c,
    groups: c.groups
      .map((g) => ({ ...g, notes: [...g.notes].sort(most) }))
      .sort((a, b) => dots(b.cluster.id) - dots(a.cluster.id)),
    notes: [...c.notes].sort((a, b) => dots(b.id, b.votes) - dots(a.id, a.votes)),
  }));
}

function noteList(notes, spotlight, revealed, label) {
  const ul = document.createElement("ul");
  ul.className = "projector-notes";
  if (label) ul.setAttribute("aria-label", label);
  ul.append(...notes.map((n) => noteItem(n, spotlight, revealed)));
  return ul;
}

function groupBlock({ cluster, notes }, spotlight, revealed) {
  const section = document.createElement("section");
  section.className = `projector-group${spotlight === cluster.id ? " is-spotlight" : ""}`;
  section.dataset.wallGroup = cluster.id;
  const head = document.createElement("h4");
  head.className = "projector-group-title";
  const name = document.createElement("span");
  name.textContent = clusterName(cluster);
  const place = topPlace(cluster.id);
  if (place) head.append(place, " ");
  head.append(name);
  // In the results phase a group's dots are the idea's: its own and its notes' (as ranked).
  const votes = ranking && ranking.has(cluster.id) ? ranking.get(cluster.id).votes : cluster.votes;
  if (revealed && typeof votes === "number" && votes > 0) {
    const dots = document.createElement("span");
    dots.className = "projector-dots";
    dots.textContent = totalText(votes);
    head.append(" ", dots);
  }
  section.append(head);
  if (notes.length) section.append(noteList(notes, spotlight, revealed, ""));
  return section;
}

function drawWall(columns, room) {
  const revealed = dotsShown(room);
  ranking = resultsRanking(room, revealed);
  if (ranking) columns = byDotsFirst(columns);
  const spotlight = room.spotlight || null;
  const allEmpty = columns.every((c) => !c.notes.length && !c.groups.length);
  const nodes = columns.map((c) => {
    const col = document.createElement("section");
    const empty = !c.notes.length && !c.groups.length;
    // Narrow only beside fuller columns: a wall of empty areas shares the width evenly.
    col.className = `projector-column${empty && !allEmpty ? " is-empty" : ""}`;
    // Wider columns for fuller areas: the text can then stay large everywhere. An empty area
    // takes only the room its title needs (CSS), never a share of the full ones'.
    if (!empty) col.style.flexGrow = String(c.notes.length + c.groups.reduce((n, g) => n + g.notes.length + 1, 0));
    if (c.title) {
      const h = document.createElement("h3");
      h.className = "projector-area-title";
      h.textContent = c.title;
      col.append(h);
    }
    if (ranking) {
      // The results phase: groups and notes in no group in one order, most dots first, so a
      // group with 1 dot does not stand above a note with 5 (runs of notes share one list).
      const votes = (id) => (ranking.has(id) ? ranking.get(id).votes : 0);
      const items = [
        ...c.groups.map((g) => ({ group: g, votes: votes(g.cluster.id) })),
        ...c.notes.map((n) => ({ note: n, votes: votes(n.id) })),
      ].sort((a, b) => b.votes - a.votes);
      let run = [];
      const flush = () => {
        if (run.length) col.append(noteList(run, spotlight, revealed, c.groups.length ? t("Notes in no group") : ""));
        run = [];
      };
      for (const item of items) {
        if (item.note) {
          run.push(item.note);
          continue;
        }
        flush();
        col.append(groupBlock(item.group, spotlight, revealed));
      }
      flush();
    } else {
      for (const group of c.groups) col.append(groupBlock(group, spotlight, revealed));
      if (c.notes.length) col.append(noteList(c.notes, spotlight, revealed, c.groups.length ? t("Notes in no group") : ""));
    }
    if (empty) {
      const none = document.createElement("p");
      none.className = "projector-column-empty";
      none.textContent = t("No notes yet.");
      col.append(none);
    }
    return col;
  });
  ui.wall.replaceChildren(...nodes);
}

/** The largest note text (whole px, MIN_TEXT_PX..MAX) at which the wall needs no scrolling. */
function fitText() {
  const wall = ui.wall;
  const fits = (px) => {
    wall.style.setProperty("--wall-text", `${px}px`);
    return wall.scrollHeight <= wall.clientHeight + 1 && wall.scrollWidth <= wall.clientWidth + 1;
  };
  let lo = MIN_TEXT_PX;
  let hi = Math.max(MIN_TEXT_PX, Math.min(MAX_TEXT_PX, Math.floor(window.innerHeight / 18)));
  // Only empty areas: their titles at a heading's size, not shouting "No notes yet." at the room.
  if (!wall.querySelector(".projector-note, .projector-group")) hi = Math.min(hi, EMPTY_WALL_PX);
  if (!fits(lo)) {
    // More than a screen even at the smallest readable size: the wall scrolls instead (and can
    // be scrolled with the keyboard).
    wall.classList.add("is-overflowing");
    wall.tabIndex = 0;
    wall.setAttribute("aria-label", t("All notes"));
    return lo;
  }
  wall.classList.remove("is-overflowing");
  wall.removeAttribute("tabindex");
  wall.removeAttribute("aria-label");
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  fits(lo);
  return lo;
}

function wallSignature(room, emptyText) {
  const notes = [...app.view.values()].map((n) => [n.id, n.text, n.color, n.x, n.y, n.cluster, n.votes]);
  const clusters = [...app.clusterView.values()].map((c) => [c.id, c.title, c.x, c.y, c.votes]);
  return JSON.stringify([notes, clusters, room.areas, room.spotlight, dotsShown(room), emptyText, room.phase === "results"]);
}

function renderTimerCorner() {
  const timer = app.confirmed.timer;
  const status = timer ? timer.status : "idle";
  const now = app.conn ? app.conn.serverNow() : Date.now();
  const up = timeUpShown();
  const running = status === "running" || status === "paused";
  show(ui.timer, running || up);
  setAttr(ui.timer, "data-status", up ? "up" : status);
  setText(ui.clock, formatClock(status === "idle" ? 0 : remainingMs(timer, now)));
  show(ui.timeUp, up);
}

/** Draw projector mode from the board's state (called on every render; cheap when nothing changed). */
export function renderProjector() {
  const allowed = isFacilitator() && Boolean(app.conn && app.conn.everWelcomed);
  show(ui.toggle, allowed);
  if (wantedByUrl && allowed) {
    wantedByUrl = false;
    enter(false);
  }
  if (on && !allowed) leave();
  if (!on) return;

  const room = currentRoom();
  const confirmed = app.confirmed.room || {};
  setText(ui.title, confirmed.title || "");
  const prompt = typeof confirmed.prompt === "string" ? confirmed.prompt : "";
  setText(ui.prompt, prompt);
  show(ui.prompt, Boolean(prompt));
  setText(ui.phase, t("Phase: %(name)s", { name: phaseLabel(room.phase) }));
  const join = joinSize(room.phase);
  if (ui.root.dataset.join !== join) {
    ui.root.dataset.join = join;
    fitted = ""; // the wall's room changed
  }
  renderTimerCorner();

  const nothing = app.view.size === 0 && app.clusterView.size === 0;
  const privateWriting = Boolean(room.settings && room.settings.private_writing);
  const summary = nothing && privateWriting ? hiddenSummary() : null;
  // Said to the room, not to the facilitator: "…when the facilitator reveals the notes".
  // With areas the wall is drawn even when empty: its columns show where to write, and the
  // sentence sits above them (each column says "No notes yet." itself, so only the hidden notes'
  // count is worth a line there).
  const areas = room.areas || [];
  const wallShown = !nothing || areas.length > 0;
  const emptyText = nothing ? (summary ? hiddenNotesText(summary, false) : wallShown ? "" : t("No notes yet.")) : "";
  setText(ui.empty, emptyText);
  show(ui.empty, Boolean(emptyText));
  ui.empty.classList.toggle("is-strip", wallShown);
  show(ui.wall, wallShown);

  const sig = wallSignature(room, emptyText);
  if (sig !== drawn) {
    drawn = sig;
    drawWall(wallShown ? wallColumns(app.view, app.clusterView, areas) : [], room);
    fitted = "";
  }
  const size = `${window.innerWidth}x${window.innerHeight}`;
  if (wallShown && fitted !== size) {
    fitted = size;
    fitText();
  }
}

// -- in and out --------------------------------------------------------------------------------

function setUrlFlag(value) {
  const url = new URL(location.href);
  if (value) url.searchParams.set(PARAM, "1");
  else url.searchParams.delete(PARAM);
  history.replaceState(history.state, "", url.pathname + url.search + url.hash);
}

function enter(fullscreen) {
  if (on) return;
  on = true;
  drawn = "";
  fitted = "";
  document.body.classList.add("is-projector");
  ui.root.hidden = false;
  setUrlFlag(true);
  if (fullscreen && document.documentElement.requestFullscreen && !document.fullscreenElement) {
    usedFullscreen = true;
    document.documentElement.requestFullscreen({ navigationUI: "hide" }).catch(() => {
      usedFullscreen = false; // not allowed here: the full window is what we have
    });
  }
  ticker = setInterval(renderTimerCorner, TICK_MS);
  renderProjector();
  ui.exit.focus({ preventScroll: true });
}

function leave() {
  if (!on) return;
  on = false;
  clearInterval(ticker);
  ticker = null;
  document.body.classList.remove("is-projector");
  ui.root.hidden = true;
  ui.wall.replaceChildren();
  drawn = "";
  setUrlFlag(false);
  if (document.fullscreenElement && document.exitFullscreen) document.exitFullscreen().catch(() => {});
  usedFullscreen = false;
  if (!ui.toggle.hidden) ui.toggle.focus({ preventScroll: true });
}

/** @param {{changed: () => void}} hooks  `changed`: draw the page again (the board comes back) */
export function setupProjector({ changed }) {
  ui.toggle.addEventListener("click", () => {
    enter(true);
    changed();
  });
  ui.exit.addEventListener("click", () => {
    leave();
    changed();
  });
  window.addEventListener("keydown", (e) => {
    if (on && e.key === "Escape" && !e.defaultPrevented) {
      e.preventDefault();
      leave();
      changed();
    }
  });
  // Escape in full screen is the browser's: it leaves full screen, and we leave with it.
  document.addEventListener("fullscreenchange", () => {
    if (on && usedFullscreen && !document.fullscreenElement) {
      usedFullscreen = false;
      leave();
      changed();
    }
  });
  window.addEventListener("resize", () => {
    if (on) renderProjector();
  });
}
