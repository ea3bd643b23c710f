// Off-screen notes cost nothing until seen: on a big board, a note far from what the viewport
// shows is not drawn at all (display: none), so adding one note lays out, paints and composites
// what is near the view, not 2,000 notes. Small boards draw everything (nothing to gain, and
// every note stays in the tab order). The focused, dragged or spotlit note is always drawn.

import { $, app } from "./context.js";
import { NOTE_MIN_HEIGHT, NOTE_WIDTH } from "./core/state.js";

// The elements this module works with.
const el = {
  viewport: $("viewport"),
};

export const CULL_FROM = 300; // notes on the board before far ones are left undrawn
// Of the viewport's size, drawn around it so scrolling shows notes at once. Every drawn note
// costs the browser pre-paint and layerisation work in every frame that changes anything, so
// half a screen each way (4 screens drawn in all, not 6.25 as with 0.75).
const MARGIN = 0.5;

let bounds = null; // board units: {left, top, right, bottom} drawn around the view; null: all
// The viewport's scroll position and size, read when they change (scroll, resize), never while
// drawing: reading them then would force a layout in the middle of a frame.
const seen = { left: 0, top: 0, width: 0, height: 0 };

/** Remember where the viewport is; call from its scroll and resize events. */
export function noteViewport() {
  const vp = el.viewport;
  seen.left = vp.scrollLeft;
  seen.top = vp.scrollTop;
  seen.width = vp.clientWidth;
  seen.height = vp.clientHeight;
}

/** Recompute the drawn area from the scroll position and zoom; true when it changed. */
export function updateBounds() {
  const before = bounds;
  if (app.view.size < CULL_FROM) {
    bounds = null;
  } else {
    if (!seen.width) noteViewport();
    const s = app.scale || 1;
    const w = seen.width / s;
    const h = seen.height / s;
    const left = seen.left / s;
    const top = seen.top / s;
    bounds = { left: left - w * MARGIN, top: top - h * MARGIN, right: left + w * (1 + MARGIN), bottom: top + h * (1 + MARGIN) };
  }
  return JSON.stringify(before) !== JSON.stringify(bounds);
}

/** Whether a note at (x, y) is drawn. */
export function inView(x, y) {
  if (!bounds) return true;
  return x + NOTE_WIDTH >= bounds.left && x <= bounds.right && y + NOTE_MIN_HEIGHT * 2 >= bounds.top && y <= bounds.bottom;
}
