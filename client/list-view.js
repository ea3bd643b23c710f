// The board as a list: area → group → note, in real HTML (headings, lists, buttons), the
// default on phones and a choice on every device. It serves screen-reader users and rooms too
// big for a canvas as well. Drawn incrementally from the reducer's change sets: a row is
// redrawn only when its note changed (or what every row depends on did), rows are moved only
// when their place changed, and focus and scroll position survive live updates.

import { openClusterDialog } from "./cluster-dialog.js";
import {
  app,
  canEdit,
  canMove,
  canWrite,
  clusterName,
  colorLabel,
  currentRoom,
  editBlockedReason,
  isFacilitator,
  myRole,
  setAttr,
  setText,
  show,
} from "./context.js";
import { areaAt, areaOfNote } from "./areas.js";
import { hiddenNotesText, hiddenSummary } from "./empty-state.js";
import { locale, t, tn } from "./i18n.js";
import { dropPending, noteArrived } from "./list-view-announce.js";
import { planSentence } from "./rounds.js";
import { chooseView, listShown } from "./list-view-mode.js";
import { closeIfMoveNoteGone, openMoveSheet, setupMoveSheet } from "./list-view-move.js";
import { openNoteDialog } from "./note-dialog.js";
import { syncPhoto } from "./photo-view.js";
import { createVoteBar, dotsShown, totalText, updateVoteBar, votable } from "./votes.js";

const $ = (id) => document.getElementById(id);
const ui = {
  view: $("list-view"),
  body: $("list-body"),
  content: $("list-content"),
  summary: $("list-summary"),
  empty: $("list-empty"),
  add: $("list-add"),
  addGroup: $("list-add-group"),
  filterToggle: $("list-filter-toggle"),
  filters: $("list-filters"),
  filterCount: $("list-filter-count"),
  mine: $("list-filter-mine"),
  ungrouped: $("list-filter-ungrouped"),
  area: $("list-filter-area"),
  sort: $("list-sort"),
  showCanvas: $("show-canvas"),
  showList: $("show-list"),
  boardScreen: $("board-screen"),
  canvasAddGroup: $("add-group"), // the canvas's "New group": shown where groups are made (session-bar.js)
};

const HIGHLIGHT_MS = 2500;
// Rows per section before "Show N more notes": a section of 2,000 notes keeps 100 rows in the
// page (each new note is laid out among 100, not 2,000) until someone asks for the rest.
const PAGE = 100;

const rows = new Map(); // note id → {el, text, author, badges, actions, vote, move, edit, sig}
const sections = new Map(); // key → {el, head, title, count, list, tools, vote, edit, sig}
const seen = new Map(); // note id → when this device first saw it (for "newest first")
const known = new Set(); // notes the list has seen (a new one is announced)
const expanded = new Set(); // sections whose every note is shown ("Show N more notes" chosen)
let seenCount = 0;
let primed = false; // the first full drawing announces nothing: those notes were there already

/** Another round's board replaced this one: its notes were there already, not new (the round
 * itself is announced). */
export function quietNextDrawing() {
  primed = false;
  dropPending();
}
let stale = true; // the list was hidden while things changed: draw everything when shown
let drawnFor = "";
let shownBefore = null;
let highlight = null; // {id, until}
let scrolled = false; // the list is scrolled down (kept by its scroll event: reading scrollTop forces layout)
let uid = 0;
let ranking = false; // "Most dots first": one ranked list, each row names its group

// -- what goes where -------------------------------------------------------------------------


function authorName(note) {
  if (!note.author) return "";
  const p = app.confirmed.participants.get(note.author);
  if (p && p.name) return p.name;
  if (note.mine && app.me && app.me.name) return app.me.name;
  return "";
}

function filters() {
  const revealed = dotsShown(currentRoom());
  return {
    mine: ui.mine.checked,
    ungrouped: ui.ungrouped.checked,
    area: ui.area.value,
    sort: ui.sort.value === "dots" && revealed ? "dots" : "newest",
  };
}

/**
 * The list as it should be: sections (areas, then the groups and the notes in no group in each)
 * with their note ids in order. Pure over the view, so it is cheap to recompute: a few
 * milliseconds for 2,000 notes.
 */
let collator = null;

function plan(room, f) {
  const areas = room.areas || [];
  if (!collator) collator = new Intl.Collator(locale(), { sensitivity: "base", numeric: true });
  const byDots = (a, b) => (b.votes || 0) - (a.votes || 0) || seen.get(b.id) - seen.get(a.id);
  const newest = (a, b) => seen.get(b.id) - seen.get(a.id);
  const order = f.sort === "dots" ? byDots : newest;

  const areaKey = (area) => (area ? area.id : "");
  const buckets = new Map(); // area key → {area, groups: Map(cluster id → notes), loose: notes}
  const bucket = (area) => {
    const key = areaKey(area);
    if (!buckets.has(key)) buckets.set(key, { area, groups: new Map(), loose: [] });
    return buckets.get(key);
  };
  for (const area of areas) bucket(area);
  const clusterArea = new Map();
  for (const cluster of app.clusterView.values()) {
    const area = areaAt(areas, cluster.x + 20, cluster.y + 20);
    clusterArea.set(cluster.id, area);
    if (!f.mine && !f.ungrouped) bucket(area).groups.set(cluster.id, []);
  }
  let total = 0;
  let shown = 0;
  for (const note of app.view.values()) {
    total += 1;
    if (f.mine && !note.mine) continue;
    const cluster = note.cluster && app.clusterView.has(note.cluster) ? note.cluster : null;
    if (f.ungrouped && cluster) continue;
    const area = cluster ? clusterArea.get(cluster) : areaOfNote(note, areas);
    if (f.area && areaKey(area) !== f.area) continue;
    shown += 1;
    const b = bucket(area);
    if (cluster) {
      if (!b.groups.has(cluster)) b.groups.set(cluster, []);
      b.groups.get(cluster).push(note);
    } else {
      b.loose.push(note);
    }
  }
  if (f.sort === "dots") return ranked(buckets, areas, f, order, total, shown);
  const out = [];
  const keys = [...areas.map((a) => a.id), ""];
  for (const key of keys) {
    const b = buckets.get(key);
    if (!b) continue;
    if (f.area && key !== f.area) continue;
    const groups = [...b.groups.entries()].map(([id, notes]) => ({ cluster: app.clusterView.get(id), notes: notes.sort(order) }));
    if (f.sort === "dots") groups.sort((a, c) => (c.cluster.votes || 0) - (a.cluster.votes || 0));
    else groups.sort((a, c) => collator.compare(clusterName(a.cluster), clusterName(c.cluster)));
    const count = groups.reduce((sum, g) => sum + g.notes.length, 0) + b.loose.length;
    if (!b.area && count === 0 && areas.length) continue; // no "elsewhere" section when empty
    out.push({ area: b.area, groups, loose: b.loose.sort(order), count });
  }
  return { sections: out, total, shown };
}

/**
 * "Most dots first" is a ranking, and a person expects the idea with the most dots on top:
 * so the list becomes one ranked list of the notes of the whole board (or of the area
 * chosen in the filter), each note by its own dots, whatever group it is in — the same order
 * as the notes' ranking on the results page. Each row names its group; a group's own dots stay
 * on its heading in the other order and in the results' ranking of groups.
 */
function ranked(buckets, areas, f, order, total, shown) {
  const notes = [];
  for (const b of buckets.values()) {
    for (const list of b.groups.values()) notes.push(...list);
    notes.push(...b.loose);
  }
  const area = f.area ? areas.find((a) => a.id === f.area) || null : null;
  return { sections: [{ area, groups: [], loose: notes.sort(order), count: notes.length, ranked: true }], total, shown };
}

// -- rows ------------------------------------------------------------------------------------

function button(className, text) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = `button small ${className}`;
  b.textContent = text;
  return b;
}

function createRow(id) {
  const key = `list-note-${++uid}`;
  const li = document.createElement("li");
  li.className = "list-note";
  li.dataset.listNote = id;
  li.tabIndex = -1; // a place for the focus to land (after "Show more"), not a tab stop
  const text = document.createElement("p");
  text.className = "list-note-text";
  text.id = `${key}-text`;
  const meta = document.createElement("p");
  meta.className = "list-note-meta";
  const swatch = document.createElement("span");
  swatch.className = "list-swatch";
  swatch.setAttribute("aria-hidden", "true");
  const author = document.createElement("span");
  author.className = "list-note-author";
  const colour = document.createElement("span");
  colour.className = "visually-hidden";
  const badges = document.createElement("span");
  badges.className = "list-note-badges";
  meta.append(swatch, author, colour, badges);
  const actions = document.createElement("div");
  actions.className = "list-note-actions";
  li.append(text, meta, actions);
  // "Move to group" and "Edit" are made when first allowed (updateRow): on a big board most
  // rows are other people's notes, and every element of a row costs style and layout.
  return { id, el: li, text, author, colour, badges, actions, move: null, edit: null, photo: null, vote: null, sig: "", cls: "" };
}

function moveButton(row) {
  const move = button("list-move", t("Move to group"));
  move.setAttribute("aria-haspopup", "dialog");
  move.setAttribute("aria-describedby", row.text.id);
  move.addEventListener("click", () => openMoveSheet(row.id, move));
  return move;
}

function editButton(row) {
  const edit = button("list-edit", t("Edit"));
  edit.setAttribute("aria-describedby", row.text.id);
  edit.addEventListener("click", () => openNoteDialog(row.id, edit));
  return edit;
}

/** Show the row's "Move to group" and "Edit" when allowed, in that order after any vote bar. */
function updateActions(row, movable, editable) {
  if (movable && !row.move) {
    row.move = moveButton(row);
    if (row.edit) row.edit.before(row.move);
    else row.actions.append(row.move);
  }
  if (editable && !row.edit) {
    row.edit = editButton(row);
    row.actions.append(row.edit);
  }
  if (row.move) show(row.move, movable);
  if (row.edit) show(row.edit, editable);
}

function badgeTexts(note, connected, spotlit) {
  const list = [];
  if (spotlit) list.push(["spotlight", t("In focus")]);
  if (note.pending && !connected) list.push(["pending", t("Not sent yet")]);
  if (note.hidden) list.push(["hidden", t("Only you can see this")]);
  if (ranking && note.cluster && app.clusterView.has(note.cluster)) {
    list.push(["group", t("Group: %(name)s", { name: clusterName(app.clusterView.get(note.cluster)) })]);
  }
  if (typeof note.votes === "number" && dotsShown(currentRoom())) list.push(["votes", totalText(note.votes)]);
  return list;
}

function updateRow(row, note, connected, room) {
  const author = authorName(note);
  const spotlit = room.spotlight === note.id;
  const badges = badgeTexts(note, connected, spotlit);
  const movable = canMove() && !note.hidden;
  const editable = canEdit(note);
  const sig = JSON.stringify([note.text, author, note.color, badges, movable, editable]);
  if (sig !== row.sig) {
    row.sig = sig;
    row.text.textContent = note.text;
    row.author.textContent = author || t("Anonymous");
    row.colour.textContent = `, ${colorLabel(note.color)}`;
    row.badges.replaceChildren(
      ...badges.map(([kind, label]) => {
        const badge = document.createElement("span");
        badge.className = `list-badge list-badge-${kind}`;
        badge.textContent = label;
        return badge;
      }),
    );
    updateActions(row, movable, editable);
  }
  if (note.photo || row.photo) {
    row.photo = syncPhoto(row.el, row.text, row.photo, note, "list-photo");
    const about = row.photo ? `${row.text.id}-photo ${row.text.id}` : row.text.id;
    if (row.photo) row.photo.id = `${row.text.id}-photo`;
    if (row.move) row.move.setAttribute("aria-describedby", about);
    if (row.edit) row.edit.setAttribute("aria-describedby", about);
  }
  const voting = votable(note.id);
  if (voting && !row.vote) {
    row.vote = createVoteBar(note.id);
    row.actions.prepend(row.vote.el);
  } else if (!voting && row.vote) {
    row.vote.el.remove();
    row.vote = null;
  }
  if (row.vote) updateVoteBar(row.vote, note.id);
  // No empty strip under a note with nothing to do on it.
  show(row.actions, Boolean(row.vote || (row.move && !row.move.hidden) || (row.edit && !row.edit.hidden)));
  const lit = highlight && highlight.id === note.id && Date.now() < highlight.until;
  const cls = ["list-note", `list-note-${note.color}`, note.mine ? "is-mine" : "", note.pending ? "is-pending" : "", lit ? "is-moved" : "", spotlit ? "is-spotlight" : ""]
    .filter(Boolean)
    .join(" ");
  if (cls !== row.cls) {
    row.cls = cls;
    row.el.className = cls;
  }
}

// -- sections --------------------------------------------------------------------------------

function createSection(kind, key) {
  const id = `list-section-${++uid}`;
  const section = document.createElement("section");
  section.className = `list-section list-${kind}`;
  section.dataset.listSection = key;
  section.setAttribute("aria-labelledby", `${id}-title`);
  const head = document.createElement("div");
  head.className = "list-section-head";
  const heading = document.createElement(kind === "area" ? "h3" : "h4");
  heading.id = `${id}-title`;
  const title = document.createElement("span");
  title.className = "list-section-title";
  const count = document.createElement("span");
  count.className = "list-section-count";
  heading.append(title, " ", count);
  head.append(heading);
  section.append(head);
  const item = { el: section, head, heading, title, count, list: null, children: null, vote: null, edit: null, sig: "" };
  if (kind === "area") {
    item.children = document.createElement("div");
    item.children.className = "list-area-body";
    section.append(item.children);
  } else {
    item.list = document.createElement("ul");
    item.list.className = "list-notes";
    item.list.setAttribute("aria-labelledby", `${id}-title`);
    item.more = button("list-more", "");
    item.more.hidden = true;
    item.more.addEventListener("click", () => {
      // The button goes away: the focus goes to the first row it brought.
      const last = item.list.lastElementChild;
      expanded.add(`${kind}:${key}`);
      refilter();
      requestAnimationFrame(() => {
        const next = last ? last.nextElementSibling : item.list.firstElementChild;
        if (next) next.focus();
      });
    });
    section.append(item.list, item.more);
  }
  return item;
}

function section(kind, key) {
  const full = `${kind}:${key}`;
  let item = sections.get(full);
  if (!item) {
    item = createSection(kind, key);
    sections.set(full, item);
  }
  item.used = true;
  return item;
}

function notesText(n) {
  return tn("%(count)s note", "%(count)s notes", n, { count: n });
}

/** A group's heading: its name, its notes, its dots; voting and renaming where allowed. */
function updateGroupHead(item, cluster, n) {
  setText(item.title, clusterName(cluster));
  const total = typeof cluster.votes === "number" && dotsShown(currentRoom()) ? ` · ${totalText(cluster.votes)}` : "";
  setText(item.count, `(${notesText(n)}${total})`);
  const voting = app.confirmed.clusters.has(cluster.id) && votable(cluster.id);
  if (voting && !item.vote) {
    item.vote = createVoteBar(cluster.id);
    item.head.append(item.vote.el);
  } else if (!voting && item.vote) {
    item.vote.el.remove();
    item.vote = null;
  }
  if (item.vote) updateVoteBar(item.vote, cluster.id);
  const renamable = canWrite() && app.confirmed.clusters.has(cluster.id);
  if (renamable && !item.edit) {
    item.edit = button("list-edit-group", t("Edit group"));
    item.edit.setAttribute("aria-describedby", item.heading.id);
    item.edit.addEventListener("click", () => openClusterDialog(item.el.dataset.listSection, item.edit));
    item.head.append(item.edit);
  } else if (!renamable && item.edit) {
    item.edit.remove();
    item.edit = null;
  }
}

/** Put `wanted` (nodes) into `parent` in this order, moving only what is out of place. */
function reconcile(parent, wanted) {
  let cursor = parent.firstChild;
  for (const node of wanted) {
    if (node === cursor) {
      cursor = cursor.nextSibling;
      continue;
    }
    parent.insertBefore(node, cursor);
  }
  while (cursor) {
    const next = cursor.nextSibling;
    cursor.remove();
    cursor = next;
  }
}

// -- drawing ---------------------------------------------------------------------------------

function context(connected, room) {
  const me = app.me;
  return JSON.stringify([
    connected, me && me.id, me && me.name, myRole(), canWrite(), canMove(), room.phase, room.locked,
    room.settings, room.revealed, room.areas, room.spotlight,
  ]);
}

/** The row the reader is looking at (or working in), and where it is, to keep it in place. */
function anchor() {
  const active = document.activeElement;
  const inside = active && active !== ui.body && ui.body.contains(active);
  // At the top with nothing focused there is nothing to keep, and no layout to force.
  if (!scrolled && !inside) return { node: null, top: 0, focus: null };
  const box = ui.body.getBoundingClientRect();
  if (active && ui.body.contains(active) && active !== ui.body) {
    const r = active.getBoundingClientRect();
    if (r.bottom > box.top && r.top < box.bottom) return { node: active, top: r.top, focus: active };
  }
  const focus = active && ui.body.contains(active) ? active : null;
  if (!scrolled) return { node: null, top: 0, focus };
  // The row at the top edge of the list: one hit test, not a walk over 2,000 rows.
  const hit = document.elementFromPoint(box.left + box.width / 2, box.top + 8);
  const node = hit && ui.body.contains(hit) ? hit.closest(".list-note, .list-section-head") : null;
  return node ? { node, top: node.getBoundingClientRect().top, focus } : { node: null, top: 0, focus };
}

function restore(kept) {
  if (kept.focus && kept.focus.isConnected && document.activeElement !== kept.focus) {
    kept.focus.focus({ preventScroll: true });
  } else if (kept.focus && !kept.focus.isConnected) {
    ui.body.focus({ preventScroll: true }); // its note was deleted: stay in the list, not on <body>
  }
  if (kept.node && kept.node.isConnected) {
    const delta = kept.node.getBoundingClientRect().top - kept.top;
    if (Math.abs(delta) >= 1) ui.body.scrollTop += delta;
  }
}

function renderChrome(room) {
  // "Add note" and "New group" as on the canvas: focusable when blocked, saying why when chosen.
  if (editBlockedReason()) setAttr(ui.add, "aria-disabled", "true");
  else ui.add.removeAttribute("aria-disabled");
  // Voting and results are not for writing: the button would only take room from the notes.
  show(ui.add, room.phase !== "vote" && room.phase !== "results");
  show(ui.addGroup, !ui.canvasAddGroup.hidden);
  if (canWrite()) ui.addGroup.removeAttribute("aria-disabled");
  else setAttr(ui.addGroup, "aria-disabled", "true");

  const areas = room.areas || [];
  const sig = JSON.stringify(areas.map((a) => [a.id, a.title]));
  if (ui.area.dataset.sig !== sig) {
    ui.area.dataset.sig = sig;
    const chosen = ui.area.value;
    const options = [ui.area.options[0], ...areas.map((a) => new Option(a.title, a.id))];
    ui.area.replaceChildren(...options);
    ui.area.value = areas.some((a) => a.id === chosen) ? chosen : "";
  }
  show(ui.area.closest(".list-field"), areas.length > 0);
  const revealed = dotsShown(room);
  if (ui.sort.options[1].disabled === revealed) ui.sort.options[1].disabled = !revealed;
  // In the results phase, with the dots shown, the list opens on the winners: most dots first
  // (walkthrough 4 found the phone in the order the notes came). Until the person picks an
  // order themselves; leaving the results phase gives the usual order back.
  if (!sortChosen) {
    const want = room.phase === "results" && revealed ? "dots" : "newest";
    if (ui.sort.value !== want) ui.sort.value = want;
  }
  show($("list-sort-hint"), !revealed);
  const active = [ui.mine.checked, ui.ungrouped.checked, Boolean(ui.area.value)].filter(Boolean).length;
  setText(ui.filterCount, active ? String(active) : "");
}

/** Show the list or the canvas (body.view-list / body.view-canvas); true for the list. Call
 * before drawing either, so the canvas is measured at its real size when it comes back. */
export function applyView() {
  const shown = listShown() && !ui.boardScreen.hidden;
  if (shown !== shownBefore) {
    shownBefore = shown;
    document.body.classList.toggle("view-list", shown);
    document.body.classList.toggle("view-canvas", !shown);
  }
  show(ui.view, shown);
  return shown;
}

let sortChosen = false; // the person picked the list's order (else the phase picks it)
let drawnTotal = -1; // notes in the list when it was last drawn

/** What an empty list says: during private writing staff learn how many hidden notes from how
 * many people exist (empty-state.js, as on the canvas); otherwise how to begin. */
function renderEmpty(room, total, count) {
  let empty = "";
  if (total === 0) {
    const summary = room.settings && room.settings.private_writing ? hiddenSummary() : null;
    if (room.phase === "lobby") empty = [t("The facilitator will start the session soon."), planSentence(room)].filter(Boolean).join(" ");
    else if (summary) empty = hiddenNotesText(summary, isFacilitator());
    else if (canWrite()) empty = t("No notes yet. Choose “Add note” to write the first one.");
    else empty = t("No notes yet.");
  } else if (count === 0) {
    empty = t("No notes match the filter.");
  }
  setText(ui.empty, empty);
  show(ui.empty, Boolean(empty));
}

/** Draw the list from what `changes` (app.board.takeChanges) says changed. */
export function renderList(changes) {
  const shown = applyView();
  if (!shown) {
    if (!changes.empty) stale = true;
    return;
  }
  const room = currentRoom();
  renderChrome(room);
  const connected = Boolean(app.conn && app.conn.status === "connected");
  const ctx = context(connected, room);
  const everything = stale || changes.all || ctx !== drawnFor;
  if (!everything && changes.empty && !highlightDue()) {
    if (drawnTotal === 0) renderEmpty(room, 0, 0); // staff's hidden-note counts change with no note
    return;
  }
  stale = false;
  drawnFor = ctx;

  for (const id of app.view.keys()) if (!seen.has(id)) seen.set(id, ++seenCount);
  const chosen = filters();
  ranking = chosen.sort === "dots";
  const { sections: planned, total, shown: count } = plan(room, chosen);
  const kept = anchor();

  const welcomed = Boolean(app.conn && app.conn.everWelcomed && app.confirmed.room);
  const update = everything ? app.view.keys() : changes.notes;
  for (const id of update) {
    const note = app.view.get(id);
    if (!note) continue;
    if (!known.has(id)) {
      known.add(id);
      if (primed && !note.mine && !note.pending) noteArrived((areaOfNote(note, room.areas || []) || {}).title || "");
    }
    const row = rows.get(id);
    if (row) updateRow(row, note, connected, room);
  }
  if (welcomed) primed = true;
  for (const id of everything ? [...known] : changes.notes) {
    if (app.view.has(id)) continue;
    known.delete(id);
    seen.delete(id);
  }
  // A row is drawn when its note is shown (rowFor); notes kept in view whatever the paging:
  // the one just moved, the one in the spotlight, the one with the focus.
  const focusRow = document.activeElement && document.activeElement.closest ? document.activeElement.closest("[data-list-note]") : null;
  const pinned = new Set([highlight && highlight.id, room.spotlight, focusRow && focusRow.dataset.listNote].filter(Boolean));
  const rowFor = (note) => {
    let row = rows.get(note.id);
    if (!row) {
      row = createRow(note.id);
      rows.set(note.id, row);
      updateRow(row, note, connected, room);
    }
    return row.el;
  };
  const page = (item, key, notes) => {
    let end = expanded.has(key) ? notes.length : Math.min(PAGE, notes.length);
    if (end < notes.length) notes.forEach((n, i) => { if (pinned.has(n.id) && i >= end) end = i + 1; });
    reconcile(item.list, notes.slice(0, end).map(rowFor));
    const more = notes.length - end;
    show(item.more, more > 0);
    if (more > 0) setText(item.more, tn("Show %(count)s more note", "Show %(count)s more notes", more, { count: more }));
  };

  for (const item of sections.values()) item.used = false;
  const areaNodes = [];
  const single = !(room.areas || []).length;
  for (const part of planned) {
    const area = section("area", part.ranked ? "ranked" : part.area ? part.area.id : "");
    if (part.ranked) setText(area.title, part.area ? part.area.title : t("The whole board"));
    else setText(area.title, part.area ? part.area.title : single ? t("All notes") : t("Elsewhere on the board"));
    setText(area.count, `(${notesText(part.count)})`);
    const children = [];
    for (const g of part.groups) {
      const group = section("group", g.cluster.id);
      updateGroupHead(group, g.cluster, g.notes.length);
      page(group, `group:${g.cluster.id}`, g.notes);
      group.el.classList.toggle("is-empty", g.notes.length === 0);
      children.push(group.el);
    }
    if (part.loose.length) {
      const key = part.ranked ? "ranked" : part.area ? part.area.id : "";
      const loose = section("loose", key);
      setText(loose.title, part.ranked ? t("Most dots first") : part.groups.length ? t("Not in a group yet") : t("Notes"));
      setText(loose.count, `(${notesText(part.loose.length)})`);
      page(loose, `loose:${key}`, part.loose);
      children.push(loose.el);
    }
    reconcile(area.children, children);
    areaNodes.push(area.el);
  }
  reconcile(ui.content, areaNodes);
  for (const [key, item] of sections) if (!item.used) sections.delete(key);
  // Rows not shown (filtered, paged, deleted) are let go: drawn afresh when shown again.
  for (const [id, row] of rows) if (!row.el.isConnected) rows.delete(id);

  setText(ui.summary, count === total ? notesText(total) : t("Showing %(shown)s of %(count)s notes", { shown: count, count: total }));
  drawnTotal = total;
  renderEmpty(room, total, count);
  restore(kept);
  closeIfMoveNoteGone();
  showHighlight();
  followSpotlight(room.spotlight || null);
}

// -- the facilitator's spotlight: the list shows what is in focus ----------------------------

let followed = null; // the spotlight's target the list last scrolled to

function followSpotlight(target) {
  if (target === followed) return;
  const before = followed && sections.get(`group:${followed}`);
  if (before) before.el.classList.remove("is-spotlight");
  followed = target;
  if (!target) return;
  const group = sections.get(`group:${target}`);
  if (group) group.el.classList.add("is-spotlight");
  const node = group ? group.el : rows.has(target) ? rows.get(target).el : null;
  if (!node) return;
  const reduce = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  node.scrollIntoView({ block: group ? "start" : "center", behavior: reduce ? "auto" : "smooth" });
}

// -- "a note moved to a group stays visible in its new place" --------------------------------

function highlightDue() {
  return Boolean(highlight && !highlight.shown);
}

function showHighlight() {
  if (!highlight || highlight.shown) return;
  const row = rows.get(highlight.id);
  if (!row) return;
  highlight.shown = true;
  row.el.classList.add("is-moved");
  row.cls = row.el.className;
  const reduce = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  row.el.scrollIntoView({ block: "nearest", behavior: reduce ? "auto" : "smooth" });
  const id = highlight.id;
  setTimeout(() => {
    if (highlight && highlight.id === id) highlight = null;
    const r = rows.get(id);
    if (r) {
      r.el.classList.remove("is-moved");
      r.cls = r.el.className;
    }
  }, HIGHLIGHT_MS);
}

function moved(id) {
  highlight = { id, until: Date.now() + HIGHLIGHT_MS, shown: false };
  stale = true; // its place changed: draw the whole list once
}

// -- setup -----------------------------------------------------------------------------------

function refilter() {
  stale = true;
  renderAgain();
}

let renderAgain = () => {};

/** @param {{render: () => void}} hooks  schedule a render of the page */
export function setupListView({ render }) {
  renderAgain = render;
  setupMoveSheet({ moved });
  ui.body.addEventListener("scroll", () => {
    scrolled = ui.body.scrollTop > 0;
  }, { passive: true });
  ui.add.addEventListener("click", () => openNoteDialog(null, ui.add));
  ui.addGroup.addEventListener("click", () => openClusterDialog(null, ui.addGroup));
  ui.filterToggle.addEventListener("click", () => {
    const open = ui.filters.hidden;
    ui.filters.hidden = !open;
    ui.filterToggle.setAttribute("aria-expanded", String(open));
  });
  for (const input of [ui.mine, ui.ungrouped, ui.area, ui.sort]) input.addEventListener("change", refilter);
  ui.sort.addEventListener("change", () => {
    sortChosen = true;
  });
  ui.showCanvas.addEventListener("click", () => {
    chooseView("canvas");
    requestAnimationFrame(() => ui.showList.focus());
  });
  ui.showList.addEventListener("click", () => {
    chooseView("list");
    stale = true;
    requestAnimationFrame(() => requestAnimationFrame(() => ui.showCanvas.focus()));
  });
}
