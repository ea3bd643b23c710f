// Notes on the canvas: drawing them from the view model, and moving them by keyboard, mouse,
// touch or pen. Opening the editor is the note dialog's job (passed in to setupNotesView).

import {
  app,
  canEdit,
  canMove,
  canWrite,
  clampX,
  clampY,
  colorLabel,
  currentMe,
  currentRoom,
  editBlockedReason,
  el,
  isFacilitator,
  scheduleRender,
  send,
  show,
} from "./context.js";
import { t } from "./i18n.js";
import { NOTE_MIN_HEIGHT, NOTE_WIDTH, viewNotes } from "./state.js";
import { announce, toast } from "./toasts.js";

const KEY_STEP = 20;
const KEY_STEP_LARGE = 100;
const DRAG_THRESHOLD_PX = 6;
const EDGE_SCROLL_PX = 48;

let openEditor = () => {};
let onNoteGone = () => {};
let toggleSpotlight = () => {};

// -- drawing ---------------------------------------------------------------------------------

function createNoteEl(id) {
  const node = document.createElement("div");
  node.className = "note";
  node.dataset.noteId = id;
  node.tabIndex = 0;
  node.setAttribute("role", "button");
  node.setAttribute("aria-roledescription", t("note"));
  node.setAttribute("aria-describedby", "board-help");
  const text = document.createElement("p");
  text.className = "note-text";
  const footer = document.createElement("p");
  footer.className = "note-footer";
  const author = document.createElement("span");
  author.className = "note-author";
  const badges = document.createElement("span");
  badges.className = "note-badges";
  footer.append(author, badges);
  const color = document.createElement("span");
  color.className = "visually-hidden";
  node.append(text, footer, color);
  return { el: node, text, author, badges, color, sig: "", x: null, y: null, z: null, cls: "" };
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
  if (typeof note.votes === "number") list.push(["votes", t("Votes: %(count)s", { count: note.votes })]);
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
  const cx = note.x + NOTE_WIDTH / 2;
  const cy = note.y + NOTE_MIN_HEIGHT / 2;
  for (const area of areas) {
    if (cx >= area.x && cx < area.x + area.w && cy >= area.y && cy < area.y + area.h) return area.title;
  }
  return "";
}

function describe(note, area) {
  const color = colorLabel(note.color);
  return area ? t("%(color)s note in the area “%(area)s”", { color, area }) : t("%(color)s note", { color });
}

function updateNoteEl(item, note, z, connected, room) {
  const author = authorName(note);
  const spotlit = room.spotlight === note.id;
  const badges = badgeTexts(note, connected, spotlit);
  const area = areaOf(note, room.areas || []);
  const sig = JSON.stringify([note.text, author, note.color, badges, area]);
  if (sig !== item.sig) {
    item.sig = sig;
    item.text.textContent = note.text;
    item.author.textContent = author;
    const nodes = badges.map(([kind, label]) => {
      const badge = document.createElement("span");
      badge.className = `note-badge note-badge-${kind}`;
      badge.textContent = label;
      return badge;
    });
    item.badges.replaceChildren(...nodes);
    item.color.textContent = describe(note, area);
  }
  const movable = canMove(note);
  const cls = [
    "note",
    `note-${note.color}`,
    note.pending ? "is-pending" : "",
    note.mine ? "is-mine" : "",
    note.hidden ? "is-hidden" : "",
    spotlit ? "is-spotlight" : "",
    movable ? "" : "is-fixed",
    app.drag && app.drag.id === note.id && app.drag.moved ? "is-dragging" : "",
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
  const dragging = app.drag && app.drag.id === note.id && app.drag.moved;
  if (dragging) return;
  if (app.keyMove && app.keyMove.id === note.id) placeNote(item, app.keyMove.x, app.keyMove.y);
  else placeNote(item, note.x, note.y);
}

export function renderNotes() {
  const pending = app.conn ? app.conn.pendingOps() : [];
  const privateWriting = Boolean(currentRoom().settings && currentRoom().settings.private_writing);
  const view = viewNotes(app.confirmed, pending, currentMe(), { privateWriting });
  app.view = view;
  const connected = app.conn ? app.conn.status === "connected" : false;
  const room = currentRoom();
  let z = 1;
  for (const note of view.values()) {
    let item = app.noteEls.get(note.id);
    if (!item) {
      item = createNoteEl(note.id);
      app.noteEls.set(note.id, item);
      el.canvas.append(item.el);
    }
    updateNoteEl(item, note, z++, connected, room);
  }
  for (const [id, item] of app.noteEls) {
    if (view.has(id)) continue;
    const hadFocus = document.activeElement === item.el;
    const neighbour = neighbourNote(item.el);
    if (app.drag && app.drag.id === id) app.drag = null;
    item.el.remove();
    app.noteEls.delete(id);
    if (hadFocus) (neighbour || el.viewport).focus({ preventScroll: false });
  }
  show(el.emptyHint, view.size === 0 && canWrite() && Boolean(app.conn && app.conn.everWelcomed));

  if (!app.scrolledToNotes && app.conn && app.conn.everWelcomed) {
    app.scrolledToNotes = true;
    scrollToNotes(view);
  }
  onNoteGone(view);
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
  if (view.size === 0) return;
  let minX = Infinity;
  let minY = Infinity;
  for (const note of view.values()) {
    minX = Math.min(minX, note.x);
    minY = Math.min(minY, note.y);
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

function moveNote(id, x, y) {
  const note = app.view.get(id);
  if (!note) return;
  const nx = Math.round(clampX(x));
  const ny = Math.round(clampY(y));
  if (nx === Math.round(note.x) && ny === Math.round(note.y)) return;
  send("note.move", { id, x: nx, y: ny });
}

// Keyboard: arrows move (held keys send one move when released), Enter edits, Delete deletes.
function flushKeyMove() {
  const km = app.keyMove;
  if (!km) return;
  clearTimeout(km.timer);
  app.keyMove = null;
  moveNote(km.id, km.x, km.y);
  scheduleRender();
}

function onKeyDown(e) {
  const node = e.target.closest && e.target.closest(".note");
  if (!node || node !== e.target) return;
  const id = node.dataset.noteId;
  const note = app.view.get(id);
  if (!note) return;
  if (e.altKey || e.ctrlKey || e.metaKey) return;
  if ((e.key === "s" || e.key === "S") && !e.shiftKey && isFacilitator()) {
    e.preventDefault();
    toggleSpotlight(id);
    return;
  }
  const step = e.shiftKey ? KEY_STEP_LARGE : KEY_STEP;
  const deltas = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
  if (deltas[e.key]) {
    e.preventDefault();
    if (!e.repeat && !allowed(canMove(note), null)) return;
    if (!canMove(note)) return;
    const [dx, dy] = deltas[e.key];
    if (app.keyMove && app.keyMove.id !== id) flushKeyMove();
    const base = app.keyMove || { id, x: clampX(note.x), y: clampY(note.y), timer: null };
    const km = { id, x: clampX(base.x + dx), y: clampY(base.y + dy), timer: base.timer };
    app.keyMove = km;
    if (e.repeat) {
      const item = app.noteEls.get(id);
      if (item) placeNote(item, km.x, km.y);
      clearTimeout(km.timer);
      km.timer = setTimeout(flushKeyMove, 300);
    } else {
      flushKeyMove();
    }
    node.scrollIntoView({ block: "nearest", inline: "nearest" });
    return;
  }
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

// Pointer: drag a note (mouse, touch, pen), one move on drop. A tap on touch opens the editor.
function toBoard(e) {
  const rect = el.canvas.getBoundingClientRect();
  return { x: (e.clientX - rect.left) / app.scale, y: (e.clientY - rect.top) / app.scale };
}

function edgeScroll(e) {
  const rect = el.viewport.getBoundingClientRect();
  const speed = 18;
  if (e.clientX < rect.left + EDGE_SCROLL_PX) el.viewport.scrollLeft -= speed;
  else if (e.clientX > rect.right - EDGE_SCROLL_PX) el.viewport.scrollLeft += speed;
  if (e.clientY < rect.top + EDGE_SCROLL_PX) el.viewport.scrollTop -= speed;
  else if (e.clientY > rect.bottom - EDGE_SCROLL_PX) el.viewport.scrollTop += speed;
}

function onPointerDown(e) {
  const node = e.target.closest && e.target.closest(".note");
  if (!node || app.drag) return;
  if (e.pointerType === "mouse" && e.button !== 0) return;
  const id = node.dataset.noteId;
  const note = app.view.get(id);
  if (!note) return;
  if (app.keyMove) flushKeyMove();
  const point = toBoard(e);
  app.drag = {
    id,
    node,
    pointerId: e.pointerId,
    type: e.pointerType,
    startX: e.clientX,
    startY: e.clientY,
    grabX: point.x - clampX(note.x),
    grabY: point.y - clampY(note.y),
    x: clampX(note.x),
    y: clampY(note.y),
    moved: false,
    fixed: !canMove(note),
  };
  try {
    node.setPointerCapture(e.pointerId);
  } catch {
    // capture is a nicety
  }
}

function onPointerMove(e) {
  const d = app.drag;
  if (!d || e.pointerId !== d.pointerId) return;
  if (!d.moved) {
    if (Math.hypot(e.clientX - d.startX, e.clientY - d.startY) < DRAG_THRESHOLD_PX) return;
    if (d.fixed) {
      // Not movable now: say why once, and let go (touch scrolls the board instead).
      app.drag = null;
      try {
        d.node.releasePointerCapture(d.pointerId);
      } catch {
        // already released
      }
      allowed(false, null);
      return;
    }
    d.moved = true;
    d.node.classList.add("is-dragging");
  }
  e.preventDefault();
  edgeScroll(e);
  const point = toBoard(e);
  d.x = clampX(point.x - d.grabX);
  d.y = clampY(point.y - d.grabY);
  const item = app.noteEls.get(d.id);
  if (item) placeNote(item, d.x, d.y);
}

function endDrag(e, commit) {
  const d = app.drag;
  if (!d || e.pointerId !== d.pointerId) return;
  app.drag = null;
  d.node.classList.remove("is-dragging");
  try {
    d.node.releasePointerCapture(e.pointerId);
  } catch {
    // already released
  }
  if (d.moved) {
    if (commit) moveNote(d.id, d.x, d.y);
    const item = app.noteEls.get(d.id);
    if (item) item.cls = ""; // force the class list to be rewritten
    scheduleRender();
  } else if (commit && d.type !== "mouse") {
    openEditor(d.id, d.node);
  }
}

/**
 * @param {object} hooks
 * @param {(id: string, returnFocus: Element) => void} hooks.open  open the editor for a note
 * @param {(view: Map) => void} hooks.afterRender                   after every drawing of notes
 * @param {(id: string) => void} hooks.spotlight                     S on a note (facilitators)
 */
export function setupNotesView({ open, afterRender, spotlight }) {
  openEditor = open;
  onNoteGone = afterRender || (() => {});
  toggleSpotlight = spotlight || (() => {});
  el.canvas.addEventListener("keydown", onKeyDown);
  el.canvas.addEventListener("keyup", (e) => {
    if (e.key.startsWith("Arrow") && app.keyMove) flushKeyMove();
  });
  el.canvas.addEventListener("focusout", (e) => {
    if (app.keyMove && e.target.dataset && e.target.dataset.noteId === app.keyMove.id) flushKeyMove();
  });
  el.canvas.addEventListener("pointerdown", onPointerDown);
  el.canvas.addEventListener("pointermove", onPointerMove);
  el.canvas.addEventListener("pointerup", (e) => endDrag(e, true));
  el.canvas.addEventListener("pointercancel", (e) => endDrag(e, false));
  el.canvas.addEventListener("lostpointercapture", (e) => endDrag(e, true));
  el.canvas.addEventListener("dblclick", (e) => {
    const node = e.target.closest && e.target.closest(".note");
    if (node) openEditor(node.dataset.noteId, node);
  });
  window.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && app.drag) {
      const d = app.drag;
      endDrag({ pointerId: d.pointerId }, false);
    }
  });
}
