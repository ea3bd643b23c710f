// What notes and groups share as things you move on the board: the arrow-key steps, the keys
// a focused item answers the same way (S puts it in focus, + and − vote), and pointer
// coordinates in board units at the current zoom.

import { $, app, isFacilitator } from "./context.js";
import { voteKey } from "./votes.js";

// The elements this module works with.
const el = {
  canvas: $("canvas"),
};

const KEY_STEP = 20;
const KEY_STEP_LARGE = 100;

/** The move an arrow key asks for ([dx, dy] in board units; Shift for big steps), or null. */
export function arrowDelta(e) {
  const step = e.shiftKey ? KEY_STEP_LARGE : KEY_STEP;
  const deltas = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
  return deltas[e.key] || null;
}

const HELD_KEY_REST_MS = 300;

/**
 * After an arrow key changed `move` (the pending key move of the focused item): a single press
 * sends at once; a held key only draws the item where it is going and sends one move when the
 * key is released or rests, so holding an arrow is one op, not thirty.
 */
export function stepOrHold(e, move, draw, flush) {
  if (e.repeat) {
    draw(move);
    clearTimeout(move.timer);
    move.timer = setTimeout(flush, HELD_KEY_REST_MS);
  } else {
    flush();
  }
  e.target.scrollIntoView({ block: "nearest", inline: "nearest" });
}

/** S (spotlight, facilitators) and + / − (dots) on the focused note or group `id`; true when
 * the key was one of them. */
export function itemKey(e, id, toggleSpotlight) {
  if ((e.key === "s" || e.key === "S") && !e.shiftKey && isFacilitator()) {
    e.preventDefault();
    toggleSpotlight(id);
    return true;
  }
  return voteKey(e, id);
}

/** The pointer's position on the board (board units, whatever the zoom). */
export function toBoard(e) {
  const rect = el.canvas.getBoundingClientRect();
  return { x: (e.clientX - rect.left) / app.scale, y: (e.clientY - rect.top) / app.scale };
}

/** Let go of a pointer capture that may already be gone (capture is a nicety). */
export function release(node, pointerId) {
  try {
    node.releasePointerCapture(pointerId);
  } catch {
    // already released
  }
}
