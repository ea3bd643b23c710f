// Coaching at a distance, the view: the facilitator's board shares which part of the board it
// shows — a rectangle in board units, not pixels, so a coach's screen of another size shows
// the same region — once it settles (SETTLE_MS after the last pan or zoom, and only when it
// moved meaningfully). A coach who turns on "Follow the facilitator" has their board fitted to
// that rectangle; a pan or zoom of their own pauses following until "Follow again".
//
// Only the canvas has a view to share: a facilitator in the list (phones) or in projector mode
// shares nothing, and the coach keeps the last view shared (docs/protocol.md, "Coaching at a
// distance"). The round and the spotlight need nothing here: everyone's board follows both.

import { storage } from "./core/connection.js";
import { $, app, code, myRole, scheduleRender as render, send, setText, show } from "./context.js";
import { BOARD_HEIGHT, BOARD_WIDTH, clamp } from "./core/state.js";
import { t } from "./i18n.js";
import { listShown } from "./list-view-mode.js";
import { projectorOn } from "./projector.js";
import { announce } from "./toasts.js";
import { MAX_SCALE, MIN_SCALE, setScale } from "./zoom.js";

// The elements this module works with.
const el = {
  again: $("follow-again"),
  bar: $("follow-bar"),
  boardScreen: $("board-screen"),
  canvas: $("canvas"),
  section: $("follow-section"),
  status: $("follow-status"),
  stop: $("follow-stop"),
  toggle: $("follow-toggle"),
  viewport: $("viewport"),
  zoomControls: document.querySelector(".zoom-controls"),
};

export const SETTLE_MS = 600; // a view is shared this long after the last pan or zoom
const MEANINGFUL = 0.05; // …and only when an edge moved by more than this share of its size
const VIEW_MIN = 50; // the smallest view the server takes (rules.VIEW_MIN)
const DRAG_PX = 6; // a pointer that moves this far over the empty board is a pan
const KEY = `tavla:${code}:follow`;
const SCROLL_KEYS = new Set(["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "PageUp", "PageDown", "Home", "End", " "]);
const ITEMS = ".note, .cluster-handle, .vote-bar, button, a, input, select, textarea";

// -- the facilitator: share the view -------------------------------------------------------------

let settleTimer = null;
let lastSent = null; // the view this page shared last

/** The part of the board the viewport shows now, in board units, within the board. */
export function visibleRect() {
  const vp = el.viewport;
  const s = app.scale;
  if (!vp.clientWidth || !vp.clientHeight || !s) return null;
  const x0 = clamp(vp.scrollLeft / s, 0, BOARD_WIDTH);
  const y0 = clamp(vp.scrollTop / s, 0, BOARD_HEIGHT);
  const x1 = clamp((vp.scrollLeft + vp.clientWidth) / s, 0, BOARD_WIDTH);
  const y1 = clamp((vp.scrollTop + vp.clientHeight) / s, 0, BOARD_HEIGHT);
  const x = Math.floor(x0);
  const y = Math.floor(y0);
  const w = Math.min(Math.round(x1 - x), BOARD_WIDTH - x);
  const h = Math.min(Math.round(y1 - y), BOARD_HEIGHT - y);
  if (w < VIEW_MIN || h < VIEW_MIN) return null;
  return { x, y, w, h };
}

/** Whether `next` differs from `before` enough to be worth an event. */
function moved(before, next) {
  if (!before) return true;
  const dx = Math.max(Math.abs(next.x - before.x), Math.abs(next.x + next.w - before.x - before.w));
  const dy = Math.max(Math.abs(next.y - before.y), Math.abs(next.y + next.h - before.y - before.h));
  return dx > MEANINGFUL * Math.min(next.w, before.w) || dy > MEANINGFUL * Math.min(next.h, before.h);
}

function mayShare() {
  return (
    myRole() === "facilitator" && !el.boardScreen.hidden && !listShown() && !projectorOn() &&
    Boolean(app.conn) && app.conn.status === "connected" && document.visibilityState === "visible"
  );
}

function share() {
  settleTimer = null;
  if (!mayShare()) return;
  const rect = visibleRect();
  if (!rect) return;
  // Against what this page sent, or (after a reload) what the room already has from us.
  const confirmed = app.confirmed.sharedView;
  const before = lastSent || (confirmed && app.me && confirmed.by === app.me.id ? confirmed : null);
  if (!moved(before, rect)) return;
  lastSent = rect;
  send("view.share", rect);
}

/** The facilitator's view may have changed: share it once it has settled. */
function viewChanged() {
  if (myRole() !== "facilitator") return;
  clearTimeout(settleTimer);
  settleTimer = setTimeout(share, SETTLE_MS);
}

// -- the coach: follow it -------------------------------------------------------------------------

let following = storage.get(KEY) === "1";
let paused = false;
let applied = null; // the shared view this board was last fitted to
let fitting = false; // our own scroll and zoom: not the coach's
let press = null; // a pointer down on the empty board: {id, x, y}

function fit(view) {
  const vp = el.viewport;
  if (!vp.clientWidth || !vp.clientHeight) return false;
  fitting = true;
  setScale(clamp(Math.min(vp.clientWidth / view.w, vp.clientHeight / view.h), MIN_SCALE, MAX_SCALE));
  const s = app.scale;
  vp.scrollLeft = (view.x + view.w / 2) * s - vp.clientWidth / 2;
  vp.scrollTop = (view.y + view.h / 2) * s - vp.clientHeight / 2;
  requestAnimationFrame(() => {
    fitting = false;
  });
  return true;
}

function sharerName(view) {
  const p = view && app.confirmed.participants.get(view.by);
  return p && p.name ? p.name : t("the facilitator");
}

function setFollowing(on) {
  following = on;
  paused = false;
  applied = null;
  storage.set(KEY, on ? "1" : "0");
  renderFollow();
  announce(on ? t("You follow the facilitator's view.") : t("You no longer follow the facilitator's view."));
}

/** The coach moved or zoomed the board: following pauses until "Follow again". */
function manualMove() {
  if (myRole() !== "coach" || !following || paused || fitting) return;
  paused = true;
  renderFollow();
  announce(t("Following paused: you moved the board. Choose “Follow again” to go back."));
}

export function renderFollow() {
  const coach = myRole() === "coach";
  show(el.section, coach);
  if (!coach) {
    show(el.bar, false);
    return;
  }
  if (el.toggle.checked !== following) el.toggle.checked = following;
  const onBoard = !el.boardScreen.hidden;
  show(el.bar, following && onBoard);
  if (!following || !onBoard) return;
  const view = app.confirmed.sharedView;
  // The last view shared, as data (for tests and the curious; the status says it in words).
  const shared = view ? `${view.x},${view.y},${view.w},${view.h}` : "";
  if (el.bar.dataset.view !== shared) el.bar.dataset.view = shared;
  let state = "following";
  let text;
  if (listShown()) {
    state = "list";
    text = t("Following works on the canvas. Choose “Canvas” to see the facilitator's view.");
  } else if (!view) {
    state = "waiting";
    text = t("Following the facilitator: waiting for their view.");
  } else if (paused) {
    state = "paused";
    text = t("Following paused: you moved the board.");
  } else {
    if (view !== applied && fit(view)) applied = view;
    text = t("Following %(name)s's view", { name: sharerName(view) });
  }
  el.bar.dataset.state = state;
  setText(el.status, text);
  show(el.again, state === "paused");
  show(el.stop, state !== "paused");
}

export function setupFollow() {
  // The facilitator: every scroll, zoom (the canvas's transform) and resize may move the view.
  el.viewport.addEventListener("scroll", viewChanged, { passive: true });
  new MutationObserver(viewChanged).observe(el.canvas, { attributes: true, attributeFilter: ["style"] });
  new ResizeObserver(() => {
    viewChanged();
    if (myRole() === "coach" && following && !paused) {
      applied = null; // fit the same region to the new size
      render();
    }
  }).observe(el.viewport);
  document.addEventListener("visibilitychange", viewChanged);

  // The coach: their own pan or zoom pauses following (scrolls we make ourselves do not).
  el.viewport.addEventListener("wheel", manualMove, { passive: true });
  el.viewport.addEventListener("touchmove", (e) => {
    if (!(e.target.closest && e.target.closest(ITEMS))) manualMove(); // dragging a note is not a pan
  }, { passive: true });
  el.viewport.addEventListener("keydown", (e) => {
    if (e.target === el.viewport && SCROLL_KEYS.has(e.key)) manualMove();
  });
  el.viewport.addEventListener("pointerdown", (e) => {
    press = e.target.closest && e.target.closest(ITEMS) ? null : { id: e.pointerId, x: e.clientX, y: e.clientY };
  });
  el.viewport.addEventListener("pointermove", (e) => {
    if (press && press.id === e.pointerId && Math.hypot(e.clientX - press.x, e.clientY - press.y) > DRAG_PX) {
      press = null;
      manualMove();
    }
  });
  const release = () => {
    press = null;
  };
  el.viewport.addEventListener("pointerup", release);
  el.viewport.addEventListener("pointercancel", release);
  if (el.zoomControls) {
    el.zoomControls.addEventListener("click", (e) => {
      if (e.target.closest && e.target.closest("#zoom-in, #zoom-out, #zoom-fit")) manualMove();
    });
  }

  el.toggle.addEventListener("change", () => setFollowing(el.toggle.checked));
  el.stop.addEventListener("click", () => {
    setFollowing(false);
    el.viewport.focus({ preventScroll: true });
  });
  el.again.addEventListener("click", () => {
    paused = false;
    applied = null;
    renderFollow();
    announce(t("Following %(name)s's view", { name: sharerName(app.confirmed.sharedView) }));
    el.stop.focus({ preventScroll: true });
  });
}
