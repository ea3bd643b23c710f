// The viewport: zoom (buttons, Ctrl+wheel), "whole board", and panning the empty board with
// the mouse. Scale and scroll only; what is drawn on the canvas is someone else's job.

import { storage } from "./core/connection.js";
import { $, app, KEYS } from "./context.js";
import { locale, t } from "./i18n.js";
import { BOARD_HEIGHT, BOARD_WIDTH, clamp } from "./core/state.js";
import { announce } from "./toasts.js";
import { contentBounds } from "./board-bounds.js";

// The elements this module works with.
const el = {
  canvas: $("canvas"),
  sizer: $("canvas-sizer"),
  viewport: $("viewport"),
  zoomFit: $("zoom-fit"),
  zoomIn: $("zoom-in"),
  zoomLevel: $("zoom-level"),
  zoomOut: $("zoom-out"),
};

let pan = null; // a mouse drag on the empty board: {pointerId, x, y, left, top}

export const MIN_SCALE = 0.1;
export const MAX_SCALE = 2;
const ZOOM_STEP = 1.25;
const FIT_MARGIN = 24; // screen px around the content when fitting it

let percent = null; // made after the language is known

function formatPercent(value) {
  if (!percent) percent = new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: 0 });
  return percent.format(value);
}

/** Zoom to `next`, keeping the board point under `anchor` (viewport px; default the centre) still. */
export function setScale(next, anchor) {
  const vp = el.viewport;
  const old = app.scale;
  const scale = clamp(next, MIN_SCALE, MAX_SCALE);
  const ax = anchor ? anchor.x : vp.clientWidth / 2;
  const ay = anchor ? anchor.y : vp.clientHeight / 2;
  const cx = (vp.scrollLeft + ax) / old;
  const cy = (vp.scrollTop + ay) / old;
  app.scale = scale;
  el.sizer.style.width = `${BOARD_WIDTH * scale}px`;
  el.sizer.style.height = `${BOARD_HEIGHT * scale}px`;
  el.canvas.style.transform = `scale(${scale})`;
  vp.scrollLeft = cx * scale - ax;
  vp.scrollTop = cy * scale - ay;
  el.zoomLevel.textContent = formatPercent(scale);
  el.zoomOut.disabled = scale <= MIN_SCALE + 1e-6;
  el.zoomIn.disabled = scale >= MAX_SCALE - 1e-6;
  storage.set(KEYS.zoom, String(Math.round(scale * 1000) / 1000));
}

/** Fit what is on the board (every note and group), centred; the empty canvas when nothing is. */
export function fitContent() {
  const vp = el.viewport;
  const box = contentBounds();
  if (!box) {
    setScale(Math.min(vp.clientWidth / BOARD_WIDTH, vp.clientHeight / BOARD_HEIGHT));
    vp.scrollLeft = 0;
    vp.scrollTop = 0;
    announce(t("Showing the whole board."));
    return;
  }
  const room = (size) => Math.max(1, size - 2 * FIT_MARGIN);
  // Not larger than life: three notes fill a screen at 100 %, not 200 %.
  setScale(Math.min(1, room(vp.clientWidth) / box.w, room(vp.clientHeight) / box.h));
  const s = app.scale;
  vp.scrollLeft = box.x * s - (vp.clientWidth - box.w * s) / 2;
  vp.scrollTop = box.y * s - (vp.clientHeight - box.h * s) / 2;
  announce(t("Showing every note and group."));
}

/** The zoom this device last used in this room (kept per room code: a new session starts at
 * the default, not at the last room's "whole board" zoom). */
export function initialScale() {
  storage.remove("tavla:zoom"); // the one key all rooms once shared
  const stored = Number.parseFloat(storage.get(KEYS.zoom) || "");
  if (Number.isFinite(stored) && stored >= MIN_SCALE && stored <= MAX_SCALE) return stored;
  return window.matchMedia("(max-width: 40rem)").matches ? 0.7 : 0.8;
}

export function setupZoom() {
  el.zoomIn.addEventListener("click", () => setScale(app.scale * ZOOM_STEP));
  el.zoomOut.addEventListener("click", () => setScale(app.scale / ZOOM_STEP));
  el.zoomFit.addEventListener("click", fitContent);

  el.viewport.addEventListener(
    "wheel",
    (e) => {
      if (!e.ctrlKey && !e.metaKey) return;
      e.preventDefault();
      const rect = el.viewport.getBoundingClientRect();
      setScale(app.scale * (e.deltaY < 0 ? 1.1 : 1 / 1.1), { x: e.clientX - rect.left, y: e.clientY - rect.top });
    },
    { passive: false },
  );

  // Mouse drag on the empty board pans it (touch already scrolls natively).
  el.viewport.addEventListener("pointerdown", (e) => {
    if (e.pointerType !== "mouse" || e.button !== 0) return;
    if (e.target.closest && e.target.closest(".note, .cluster-handle, .vote-bar, button, a, input, select, textarea")) return;
    pan = { pointerId: e.pointerId, x: e.clientX, y: e.clientY, left: el.viewport.scrollLeft, top: el.viewport.scrollTop };
    el.viewport.classList.add("is-panning");
    try {
      el.viewport.setPointerCapture(e.pointerId);
    } catch {
      // fine
    }
  });

  el.viewport.addEventListener("pointermove", (e) => {
    const p = pan;
    if (!p || p.pointerId !== e.pointerId) return;
    el.viewport.scrollLeft = p.left - (e.clientX - p.x);
    el.viewport.scrollTop = p.top - (e.clientY - p.y);
  });

  const endPan = (e) => {
    if (!pan || pan.pointerId !== e.pointerId) return;
    pan = null;
    el.viewport.classList.remove("is-panning");
  };
  el.viewport.addEventListener("pointerup", endPan);
  el.viewport.addEventListener("pointercancel", endPan);
}
