// Notes on the canvas: drawing them from the view model, and moving them by keyboard, mouse,
// touch or pen; dropping one on a group puts it in that group, dragging it out takes it out.
// Opening the editor is the note dialog's job (passed in to setupNotesView).

import { areaOfNote } from "./areas.js";
import { itemKey } from "./board-input.js";
import { clusterAt, resizedNotes } from "./cluster-geometry.js";
import {
  $,
  app,
  canEdit,
  canMove,
  canWrite,
  clampX,
  clampY,
  clusterName,
  colorLabel,
  currentRoom,
  editBlockedReason,
  myRole,
  renderNow,
  scheduleRender,
  send,
  setAttr,
  show,
} from "./context.js";
import { inView, noteViewport, updateBounds } from "./culling.js";
import { makeDraggable } from "./draggable.js";
import { renderEmptyState } from "./empty-state.js";
import { t } from "./i18n.js";
import { NOTE_MIN_HEIGHT, NOTE_WIDTH } from "./core/state.js";
import { syncPhoto } from "./photo-view.js";
import { privateBadgeContent } from "./private-badge.js";
import { afterTap } from "./taps.js";
import { announce, toast } from "./toasts.js";
import { createVoteBar, dotsShown, totalText, updateVoteBar, votable } from "./votes.js";

// The elements this module works with.
const el = {
  canvas: $("canvas"),
  viewport: $("viewport"),
};

const EDGE_SCROLL_PX = 48;

let openEditor = () => {};
let onNoteGone = () => {};
let toggleSpotlight = () => {};
let movingGroup = () => null; // the group being moved ({id, dx, dy}): its notes go along
let markDropTarget = () => {}; // outline the group a dragged note would go into
let moves = { drag: () => null, keyMove: () => null, forget: () => {} }; // set up in setupNotesView
let scrolledToNotes = false; // the first drawing after joining scrolls to where the notes are

/** The note being dragged past the threshold (its drawing follows the pointer, not the view). */
function dragged(id) {
  const d = moves.drag();
  return Boolean(d && d.id === id && d.moved);
}

// Each grouped note's drawn height, for the boxes of groups (zoom does not change it: it is a
// transform).
const sizes =
  typeof ResizeObserver === "function"
    ? new ResizeObserver((entries) => {
        let changed = false;
        for (const entry of entries) {
          const item = app.noteEls.get(entry.target.dataset.noteId);
          if (!item || item.el !== entry.target) continue;
          const box = entry.borderBoxSize && entry.borderBoxSize[0];
          const h = Math.round(box ? box.blockSize : entry.target.offsetHeight);
          if (h && h !== item.h) {
            item.h = h;
            resizedNotes.add(entry.target.dataset.noteId);
            changed = true;
          }
        }
        if (changed) scheduleRender();
      })
    : null;

// -- drawing ---------------------------------------------------------------------------------

let uid = 0;

function createNoteEl(id) {
  const node = document.createElement("div");
  node.className = "note";
  node.dataset.noteId = id;
  node.tabIndex = 0;
  node.setAttribute("role", "button");
  node.setAttribute("aria-roledescription", t("note"));
  node.setAttribute("aria-describedby", "board-help");
  const key = `note-${++uid}`;
  const text = document.createElement("p");
  text.className = "note-text";
  text.id = `${key}-text`;
  const footer = document.createElement("p");
  footer.className = "note-footer";
  const author = document.createElement("span");
  author.className = "note-author";
  author.id = `${key}-author`;
  const badges = document.createElement("span");
  badges.className = "note-badges";
  badges.id = `${key}-badges`;
  footer.append(author, badges);
  const color = document.createElement("span");
  color.className = "visually-hidden";
  color.id = `${key}-about`;
  node.append(text, footer, color);
  return { el: node, key, text, author, badges, color, photo: null, vote: null, sig: "", x: null, y: null, z: null, cls: "", h: 0 };
}

function authorName(note) {
  if (!note.author) return "";
  const p = app.confirmed.participants.get(note.author);
  if (p && p.name) return p.name;
  if (note.mine && app.me && app.me.name) return app.me.name;
  return "";
}

function badgeTexts(note, connected, spotlit) {
  const list = [];
  if (spotlit) list.push(["spotlight", t("In focus")]);
  if (note.pending && !connected) list.push(["pending", t("Not sent yet")]);
  if (note.hidden) list.push(["hidden", t("Only you can see this note until the facilitator reveals notes")]);
  if (typeof note.votes === "number" && dotsShown(currentRoom())) list.push(["votes", totalText(note.votes)]);
  return list;
}

export function placeNote(item, x, y) {
  const dx = Math.round(clampX(x));
  const dy = Math.round(clampY(y));
  if (item.x === dx && item.y === dy) return;
  item.x = dx;
  item.y = dy;
  item.el.style.transform = `translate(${dx}px, ${dy}px)`;
}

/** The title of the template area the note's middle is in ("" for none). */
function areaOf(note, areas) {
  const area = areaOfNote(note, areas);
  return area ? area.title : "";
}

function describe(note, area, group) {
  const color = colorLabel(note.color);
  const about = area ? t("%(color)s note in the area “%(area)s”", { color, area }) : t("%(color)s note", { color });
  return group ? `${about}. ${t("In the group “%(name)s”.", { name: group })}` : about;
}

/** Voting controls in the note: added in the vote phase, removed after. A note with controls
 * inside is a group of controls, not a button (a button may not hold other buttons). */
function updateVotes(item, note) {
  const voting = votable(note.id);
  if (voting && !item.vote) {
    item.vote = createVoteBar(note.id);
    item.el.append(item.vote.el);
  } else if (!voting && item.vote) {
    item.vote.el.remove();
    item.vote = null;
  }
  if (item.vote) {
    updateVoteBar(item.vote, note.id);
    setAttr(item.el, "role", "group");
    const photo = item.photo ? `${item.key}-photo ` : "";
    setAttr(item.el, "aria-labelledby", `${photo}${item.key}-text ${item.key}-author ${item.key}-badges ${item.key}-about`);
    setAttr(item.el, "aria-describedby", "board-help vote-help");
  } else {
    setAttr(item.el, "role", "button");
    item.el.removeAttribute("aria-labelledby");
    setAttr(item.el, "aria-describedby", "board-help");
  }
}

function updateNoteEl(item, note, z, connected, room) {
  const author = authorName(note);
  const spotlit = room.spotlight === note.id;
  const badges = badgeTexts(note, connected, spotlit);
  const area = areaOf(note, room.areas || []);
  const cluster = note.cluster ? app.clusterView.get(note.cluster) : null;
  const group = cluster ? clusterName(cluster) : "";
  const sig = JSON.stringify([note.text, author, note.color, badges, area, group]);
  if (sig !== item.sig) {
    item.sig = sig;
    item.text.textContent = note.text;
    item.author.textContent = author;
    const nodes = badges.map(([kind, label]) => {
      const badge = document.createElement("span");
      badge.className = `note-badge note-badge-${kind}`;
      if (kind === "hidden") {
        badge.title = label;
        badge.append(...privateBadgeContent(label));
      } else {
        badge.textContent = label;
      }
      return badge;
    });
    item.badges.replaceChildren(...nodes);
    item.color.textContent = describe(note, area, group);
  }
  const clusterId = cluster ? cluster.id : "";
  if ((item.el.dataset.cluster || "") !== clusterId) {
    if (clusterId) item.el.dataset.cluster = clusterId;
    else delete item.el.dataset.cluster;
    // Only a group's box needs its notes' heights: watching 2,000 notes costs every frame.
    if (sizes && clusterId) sizes.observe(item.el);
    else if (sizes) sizes.unobserve(item.el);
  }
  if (note.photo || item.photo) {
    item.photo = syncPhoto(item.el, item.text, item.photo, note, "note-photo");
    if (item.photo) item.photo.id = `${item.key}-photo`;
  }
  updateVotes(item, note);
  const movable = canMove(note);
  const cls = [
    "note",
    `note-${note.color}`,
    note.pending ? "is-pending" : "",
    note.mine ? "is-mine" : "",
    note.hidden ? "is-hidden" : "",
    spotlit ? "is-spotlight" : "",
    movable ? "" : "is-fixed",
    item.vote ? "has-votes" : "",
    cluster ? "in-cluster" : "",
    dragged(note.id) ? "is-dragging" : "",
  ]
    .filter(Boolean)
    .join(" ");
  if (cls !== item.cls) {
    item.cls = cls;
    item.el.className = cls;
  }
  if (item.z !== z) {
    item.z = z;
    item.el.style.zIndex = String(z);
  }
  if (dragged(note.id)) return;
  const carrier = movingGroup();
  const keys = moves.keyMove();
  if (carrier && note.cluster === carrier.id) placeNote(item, note.x + carrier.dx, note.y + carrier.dy);
  else if (keys && keys.id === note.id) placeNote(item, clampX(note.x) + keys.dx, clampY(note.y) + keys.dy);
  else placeNote(item, note.x, note.y);
}

// What every note's drawing depends on besides the note itself: when it changes, every note is
// drawn again; otherwise only the notes an event or a prediction changed.
let drawnFor = "";
const redraw = new Set(); // notes to draw again whatever changed (a drag let go, a key move)

/** Draw note `id` again on the next render (its drag or key move ended without an op). */
export function redrawNote(id) {
  redraw.add(id);
  scheduleRender();
}

function drawingContext(connected, room) {
  const me = app.me;
  return JSON.stringify([
    connected, me && me.id, me && me.name, myRole(), canWrite(), room.phase, room.locked, room.settings,
    room.revealed, room.areas, movingGroup()?.id ?? null,
  ]);
}

/**
 * Draw the notes `changes` (from app.board.takeChanges) names, or every note when what they
 * all depend on changed. Nothing walks the whole board for an event that changed one note.
 */
export function renderNotes(changes) {
  const view = app.view;
  const connected = app.conn ? app.conn.status === "connected" : false;
  const room = currentRoom();
  const context = drawingContext(connected, room);
  const scrolled = updateBounds();
  if (changes.all || context !== drawnFor || scrolled) {
    drawnFor = context;
    for (const note of view.values()) drawNote(note, connected, room);
    for (const id of app.noteEls.keys()) if (!view.has(id)) removeNote(id);
  } else {
    for (const id of changes.notes) drawOrRemove(id, connected, room);
    for (const id of redraw) if (!changes.notes.has(id)) drawOrRemove(id, connected, room);
  }
  redraw.clear();
  renderEmptyState(view);

  if (!scrolledToNotes && app.conn && app.conn.everWelcomed) {
    scrolledToNotes = true;
    scrollToNotes(view);
  }
  onNoteGone(view);
}

function drawOrRemove(id, connected, room) {
  const note = app.view.get(id);
  if (note) drawNote(note, connected, room);
  else if (app.noteEls.has(id)) removeNote(id);
}

function drawNote(note, connected, room) {
  let item = app.noteEls.get(note.id);
  if (!shown(note, item, room)) {
    // Far off screen on a big board: not drawn until it comes near the view.
    if (item && !item.el.hidden) item.el.hidden = true;
    return;
  }
  if (item && item.el.hidden) item.el.hidden = false;
  if (!item) {
    item = createNoteEl(note.id);
    app.noteEls.set(note.id, item);
    el.canvas.append(item.el);
  }
  updateNoteEl(item, note, note.z || 1, connected, room);
}

/** Whether to draw `note` now: near the view, or focused, dragged, moved by keys or spotlit. */
function shown(note, item, room) {
  if (inView(note.x, note.y)) return true;
  if (room.spotlight === note.id) return true;
  const d = moves.drag();
  const keys = moves.keyMove();
  if ((d && d.id === note.id) || (keys && keys.id === note.id)) return true;
  return Boolean(item && document.activeElement === item.el);
}

function removeNote(id) {
  const item = app.noteEls.get(id);
  const hadFocus = document.activeElement === item.el;
  const neighbour = hadFocus ? neighbourNote(item.el) : null;
  moves.forget(id);
  if (sizes) sizes.unobserve(item.el);
  item.el.remove();
  app.noteEls.delete(id);
  if (hadFocus) (neighbour || el.viewport).focus({ preventScroll: false });
}

function neighbourNote(node) {
  let next = node.nextElementSibling;
  while (next && !next.matches(".note")) next = next.nextElementSibling;
  if (next) return next;
  let prev = node.previousElementSibling;
  while (prev && !prev.matches(".note")) prev = prev.previousElementSibling;
  return prev;
}

function scrollToNotes(view) {
  if (view.size === 0 && app.clusterView.size === 0) return;
  let minX = Infinity;
  let minY = Infinity;
  // Groups too: their headers sit above their notes.
  for (const item of [...view.values(), ...app.clusterView.values()]) {
    minX = Math.min(minX, item.x);
    minY = Math.min(minY, item.y);
  }
  el.viewport.scrollLeft = Math.max(0, (minX - 40) * app.scale);
  el.viewport.scrollTop = Math.max(0, (minY - 40) * app.scale);
}

// -- changes ---------------------------------------------------------------------------------

/** A free spot near the centre of what the person sees: new notes tile instead of piling up. */
export function newNotePosition() {
  const vp = el.viewport;
  const s = app.scale;
  const cx = (vp.scrollLeft + vp.clientWidth / 2) / s - NOTE_WIDTH / 2;
  const cy = (vp.scrollTop + vp.clientHeight / 2) / s - NOTE_MIN_HEIGHT / 2;
  const notes = [...app.view.values()];
  const gapX = NOTE_WIDTH + 24;
  const gapY = NOTE_MIN_HEIGHT + 24;
  const free = (x, y) =>
    !notes.some((n) => Math.abs(clampX(n.x) - x) < gapX - 8 && Math.abs(clampY(n.y) - y) < gapY - 8);
  // Rings of candidate spots around the centre, nearest first.
  for (let ring = 0; ring <= 6; ring++) {
    const spots = [];
    for (let i = -ring; i <= ring; i++) {
      for (let j = -ring; j <= ring; j++) {
        if (Math.max(Math.abs(i), Math.abs(j)) !== ring) continue;
        spots.push([cx + i * gapX, cy + j * gapY]);
      }
    }
    spots.sort((a, b) => Math.hypot(a[0] - cx, a[1] - cy) - Math.hypot(b[0] - cx, b[1] - cy));
    for (const [x, y] of spots) {
      const px = clampX(x);
      const py = clampY(y);
      if (px !== x || py !== y) continue; // off the board
      if (free(px, py)) return { x: Math.round(px), y: Math.round(py) };
    }
  }
  // A crowded board: near the centre, a little offset so it is still visible.
  const jitter = () => Math.random() * 60 - 30;
  return { x: Math.round(clampX(cx + jitter())), y: Math.round(clampY(cy + jitter())) };
}

/** Say why a change is not possible now; true when it is. */
function allowed(ok, note) {
  if (ok) return true;
  const reason = editBlockedReason() || (note && !note.mine ? t("You can only change your own notes.") : "");
  if (reason) toast(reason, "info");
  return false;
}

export function deleteNote(id) {
  const note = app.view.get(id);
  if (!note) return;
  if (!allowed(canEdit(note), note)) return;
  send("note.delete", { id });
  announce(t("Note deleted."));
}

/**
 * A note let go at (x, y), the pointer at (px, py): into the group under the pointer, out of
 * its group when dropped outside it, and moved there. Into a group it is only grouped: the
 * domain lays it out in the group's grid (as "Move to group" does); a move to the drop point
 * after that would put it back on top of the group's notes. Dropped in its own group it goes
 * back to its place in the grid.
 */
function dropNote(id, x, y, px, py) {
  const note = app.view.get(id);
  if (!note) return;
  const target = clusterAt(px, py, id);
  const into = target ? target.id : null;
  if (into !== (note.cluster || null)) {
    send("note.group", { id, cluster: into });
    toast(into ? t("Note put in the group “%(name)s”.", { name: clusterName(target) }) : t("Note taken out of its group."), "info");
  }
  // In a group (new or its own) the note keeps the place the domain gave it in the grid.
  if (into) return;
  moveNote(id, x, y);
}

function moveNote(id, x, y) {
  const note = app.view.get(id);
  if (!note) return;
  const nx = Math.round(clampX(x));
  const ny = Math.round(clampY(y));
  if (nx === Math.round(note.x) && ny === Math.round(note.y)) return;
  send("note.move", { id, x: nx, y: ny });
}

// Keyboard: arrows move (held keys send one move when released), Enter edits, Delete deletes,
// S spotlights, + and − vote. Pointer: drag a note (mouse, touch, pen), one move on drop; a
// tap on touch opens the editor. The shared part is client/draggable.js.

function onKey(e, id, node) {
  if (itemKey(e, id, toggleSpotlight)) return;
  if (e.key === "Enter" || e.key === " " || e.key === "F2") {
    e.preventDefault();
    openEditor(id, node);
    return;
  }
  if (e.key === "Delete" || e.key === "Backspace") {
    e.preventDefault();
    deleteNote(id);
  }
}

/** Keep a key move of note `id` by (dx, dy) on the board. */
function limitKeyMove(id, dx, dy) {
  const note = app.view.get(id);
  const x = clampX(note.x);
  const y = clampY(note.y);
  return [clampX(x + dx) - x, clampY(y + dy) - y];
}

function drawKeyMove(move) {
  const note = app.view.get(move.id);
  const item = app.noteEls.get(move.id);
  if (note && item) placeNote(item, clampX(note.x) + move.dx, clampY(note.y) + move.dy);
}

function sendKeyMove(id, dx, dy) {
  renderNow(); // the view must hold a move sent by the first press before we add to it
  const note = app.view.get(id);
  if (note) moveNote(id, clampX(note.x) + dx, clampY(note.y) + dy);
  redrawNote(id);
}

function edgeScroll(e) {
  const rect = el.viewport.getBoundingClientRect();
  const speed = 18;
  if (e.clientX < rect.left + EDGE_SCROLL_PX) el.viewport.scrollLeft -= speed;
  else if (e.clientX > rect.right - EDGE_SCROLL_PX) el.viewport.scrollLeft += speed;
  if (e.clientY < rect.top + EDGE_SCROLL_PX) el.viewport.scrollTop -= speed;
  else if (e.clientY > rect.bottom - EDGE_SCROLL_PX) el.viewport.scrollTop += speed;
}

/** Where in the note it was grabbed, so it does not jump to the pointer. */
function grab(id, point) {
  const note = app.view.get(id);
  return { grabX: point.x - clampX(note.x), grabY: point.y - clampY(note.y), x: clampX(note.x), y: clampY(note.y) };
}

function follow(d, point, e) {
  edgeScroll(e);
  d.x = clampX(point.x - d.grabX);
  d.y = clampY(point.y - d.grabY);
  const item = app.noteEls.get(d.id);
  if (item) placeNote(item, d.x, d.y);
  const over = clusterAt(point.x, point.y, d.id);
  markDropTarget(over ? over.id : null);
}

function drop(d, commit) {
  markDropTarget(null);
  d.node.classList.remove("is-dragging");
  if (commit) dropNote(d.id, d.x, d.y, d.x + d.grabX, d.y + d.grabY);
  const item = app.noteEls.get(d.id);
  if (item) item.cls = ""; // force the class list to be rewritten
  redrawNote(d.id);
}

/**
 * @param {object} hooks
 * @param {(id: string, returnFocus: Element) => void} hooks.open  open the editor for a note
 * @param {(view: Map) => void} hooks.afterRender                   after every drawing of notes
 * @param {(id: string) => void} hooks.spotlight                     S on a note (facilitators)
 * @param {() => ({id, dx, dy}|null)} hooks.movingGroup             the group being moved now
 * @param {(id: string|null) => void} hooks.dropTarget               outline the group under a dragged note
 */
export function setupNotesView({ open, afterRender, spotlight, movingGroup: moving, dropTarget }) {
  openEditor = open;
  onNoteGone = afterRender || (() => {});
  toggleSpotlight = spotlight || (() => {});
  movingGroup = moving || (() => null);
  markDropTarget = dropTarget || (() => {});
  const moved = () => {
    noteViewport();
    scheduleRender();
  };
  el.viewport.addEventListener("scroll", moved, { passive: true });
  window.addEventListener("resize", moved);
  moves = makeDraggable({
    container: el.canvas,
    handle: ".note",
    idOf: (node) => node.dataset.noteId,
    exists: (id) => app.view.has(id),
    movable: (id) => canMove(app.view.get(id)),
    refuse: () => allowed(false, null),
    ignore: (e) => Boolean(e.target.closest("button, .vote-bar")), // the note's own controls
    grab,
    lift: (d) => d.node.classList.add("is-dragging"),
    follow,
    drop,
    tap: (d) => {
      if (d.type !== "mouse") afterTap(d.node, () => openEditor(d.id, d.node));
    },
    limit: limitKeyMove,
    drawKeys: drawKeyMove,
    moveBy: sendKeyMove,
    key: onKey,
  });
  el.canvas.addEventListener("dblclick", (e) => {
    const node = e.target.closest && e.target.closest(".note");
    if (node && !e.target.closest("button, .vote-bar")) openEditor(node.dataset.noteId, node);
  });
}
