// Where the content of the board is: the box around every note and group that exists, in board
// units. "Whole board" fits this box, not the 4000 × 3000 canvas, which is mostly empty.

import { app } from "./context.js";
import { clusterRect, membersByCluster } from "./cluster-geometry.js";
import { NOTE_MIN_HEIGHT, NOTE_WIDTH } from "./core/state.js";

function noteHeight(id) {
  const item = app.noteEls.get(id);
  if (!item) return NOTE_MIN_HEIGHT;
  return item.h || item.el.offsetHeight || NOTE_MIN_HEIGHT;
}

/** {x, y, w, h} around every note and group shown; null on an empty board. */
export function contentBounds() {
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  const add = (x, y, w, h) => {
    left = Math.min(left, x);
    top = Math.min(top, y);
    right = Math.max(right, x + w);
    bottom = Math.max(bottom, y + h);
  };
  for (const note of app.view.values()) add(note.x, note.y, NOTE_WIDTH, noteHeight(note.id));
  const groups = membersByCluster(app.view);
  for (const cluster of app.clusterView.values()) {
    const r = clusterRect(cluster, groups.get(cluster.id) || []);
    add(r.x, r.y, r.w, r.h);
  }
  if (!Number.isFinite(left)) return null;
  return { x: left, y: top, w: right - left, h: bottom - top };
}
