// Where groups are on the board. A group's (x, y) is its top-left corner when it is empty; it
// grows to hold its notes (measured heights where known), with its header always on top.
// Board units throughout (the canvas is 4000 × 3000; zoom is a transform on top).

import { app } from "./context.js";
import { BOARD_HEIGHT, BOARD_WIDTH, NOTE_MIN_HEIGHT, NOTE_WIDTH, clamp } from "./core/state.js";

export const PAD = 20; // around the notes inside a group
export const GAP = 16; // between notes placed into a group
export const HEAD = 88; // header height before it is measured
export const MIN_WIDTH = NOTE_WIDTH + 2 * PAD;
export const MIN_BODY = NOTE_MIN_HEIGHT + 2 * PAD;
const COLUMNS = 3;

/** Notes whose drawn height changed since the groups were last drawn (their boxes follow). */
export const resizedNotes = new Set();

/** A note's drawn height (measured by the notes view; the minimum until then). */
export function noteHeight(id) {
  const item = app.noteEls.get(id);
  return item && item.h ? item.h : NOTE_MIN_HEIGHT;
}

/** A group's header height (measured by the groups view). */
export function headHeight(id) {
  const item = app.clusterEls.get(id);
  return item && item.headH ? item.headH : HEAD;
}

function displayX(x) {
  return clamp(x, 0, BOARD_WIDTH - NOTE_WIDTH);
}

function displayY(y) {
  return clamp(y, 0, BOARD_HEIGHT - NOTE_MIN_HEIGHT);
}

/** The notes of group `id` in `notes` (a Map), without `exclude`. */
export function members(notes, id, exclude = null) {
  const list = [];
  for (const note of notes.values()) if (note.cluster === id && note.id !== exclude) list.push(note);
  return list;
}

/** Every group's notes at once (one pass over the notes): group id → notes. */
export function membersByCluster(notes, exclude = null) {
  const groups = new Map();
  for (const note of notes.values()) {
    if (!note.cluster || note.id === exclude) continue;
    const list = groups.get(note.cluster);
    if (list) list.push(note);
    else groups.set(note.cluster, [note]);
  }
  return groups;
}

/**
 * The box of `cluster` holding `list` (its notes): {x, y, w, h}. `offset` shifts the notes
 * (a group being dragged moves them all alike).
 */
export function clusterRect(cluster, list, offset = { dx: 0, dy: 0 }) {
  const head = headHeight(cluster.id);
  let left = cluster.x + offset.dx;
  let top = cluster.y + offset.dy;
  let right = left + MIN_WIDTH;
  let bottom = top + head + MIN_BODY;
  for (const note of list) {
    const x = displayX(note.x + offset.dx);
    const y = displayY(note.y + offset.dy);
    left = Math.min(left, x - PAD);
    top = Math.min(top, y - PAD - head);
    right = Math.max(right, x + NOTE_WIDTH + PAD);
    bottom = Math.max(bottom, y + noteHeight(note.id) + PAD);
  }
  left = Math.max(0, left);
  top = Math.max(0, top);
  return { x: left, y: top, w: right - left, h: bottom - top };
}

function contains(rect, x, y) {
  return x >= rect.x && x < rect.x + rect.w && y >= rect.y && y < rect.y + rect.h;
}

/**
 * The group under board point (x, y), leaving note `exclude` out of every group's box (a note
 * being dragged must not hold its own group open). The one drawn last (on top) wins.
 */
export function clusterAt(x, y, exclude = null) {
  let found = null;
  const groups = membersByCluster(app.view, exclude);
  for (const cluster of app.clusterView.values()) {
    if (contains(clusterRect(cluster, groups.get(cluster.id) || []), x, y)) found = cluster;
  }
  return found;
}

/** The header height the server lays groups out with (limits.group_head; server/domain/layout.py). */
function layoutHead() {
  const limits = app.confirmed && app.confirmed.limits;
  return limits && Number.isFinite(limits.group_head) ? limits.group_head : 150;
}

/**
 * A free place for a note inside `cluster`: the first empty cell of a grid under its header.
 * Only a prediction: the server decides (and its `note.group` event says) where the note goes.
 */
export function slotIn(cluster, exclude = null) {
  const list = members(app.view, cluster.id, exclude);
  const head = Math.max(headHeight(cluster.id), layoutHead());
  const originX = cluster.x + PAD;
  const originY = cluster.y + head + PAD;
  const stepX = NOTE_WIDTH + GAP;
  const stepY = NOTE_MIN_HEIGHT + GAP;
  // A cell is taken when a note (at its measured height) overlaps it.
  const taken = (x, y) =>
    list.some((n) => {
      const nx = displayX(n.x);
      const ny = displayY(n.y);
      return x < nx + NOTE_WIDTH + GAP / 2 && nx < x + NOTE_WIDTH + GAP / 2 &&
        y < ny + noteHeight(n.id) + GAP / 2 && ny < y + NOTE_MIN_HEIGHT + GAP / 2;
    });
  for (let row = 0; row < 40; row++) {
    for (let col = 0; col < COLUMNS; col++) {
      const x = displayX(originX + col * stepX);
      const y = displayY(originY + row * stepY);
      if (!taken(x, y)) return { x: Math.round(x), y: Math.round(y) };
    }
  }
  return { x: Math.round(displayX(originX)), y: Math.round(displayY(originY)) };
}
