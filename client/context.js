// What every part of the board page shares: its elements, the page state, storage keys and
// a few small helpers. No event handlers here; each module wires its own in a setup function.

import { storage } from "./connection.js";
import { t } from "./i18n.js";
import { BOARD_HEIGHT, BOARD_WIDTH, BoardState, NOTE_MIN_HEIGHT, NOTE_WIDTH, clamp } from "./state.js";

export const $ = (id) => document.getElementById(id);

export const body = document.body;
export const code = (body.dataset.code || "").toUpperCase();

export const KEYS = {
  token: `tavla:${code}:token`,
  name: "tavla:name",
  department: "tavla:department",
  zoom: "tavla:zoom",
  color: "tavla:color",
  mute: "tavla:timer-mute",
};

export const el = {
  title: $("room-title"),
  prompt: $("room-prompt"),
  status: $("connection-status"),
  statusText: $("connection-text"),
  me: $("me"),
  meWrap: $("me-wrap"),
  copyLink: $("copy-link"),
  peopleToggle: $("people-toggle"),
  peopleCount: $("people-count"),
  changeName: $("change-name"),
  joinScreen: $("join-screen"),
  joinForm: $("join-form"),
  joinName: $("join-name"),
  joinNameError: $("join-name-error"),
  joinDepartment: $("join-department"),
  joinError: $("join-error"),
  joinCancel: $("join-cancel"),
  joinRoleNote: $("join-role-note"),
  departments: $("departments"),
  goneScreen: $("gone-screen"),
  boardScreen: $("board-screen"),
  viewport: $("viewport"),
  sizer: $("canvas-sizer"),
  canvas: $("canvas"),
  emptyHint: $("empty-hint"),
  zoomIn: $("zoom-in"),
  zoomOut: $("zoom-out"),
  zoomFit: $("zoom-fit"),
  zoomLevel: $("zoom-level"),
  addNote: $("add-note"),
  peoplePanel: $("people-panel"),
  peopleClose: $("people-close"),
  peopleSummary: $("people-summary"),
  peopleDepartments: $("people-departments"),
  peopleList: $("people-list"),
  toasts: $("toasts"),
  alertRegion: $("alert-region"),
  announcer: $("announcer"),
  dialog: $("note-dialog"),
  dialogTitle: $("note-dialog-title"),
  noteForm: $("note-form"),
  noteText: $("note-text"),
  noteCount: $("note-count"),
  noteTextError: $("note-text-error"),
  noteSave: $("note-save"),
  noteCancel: $("note-cancel"),
  noteDelete: $("note-delete"),
  noteSpotlight: $("note-spotlight"),
  // facilitation
  sessionBar: $("session-bar"),
  phaseBanner: $("phase-banner"),
  phaseName: $("phase-name"),
  phaseText: $("phase-text"),
  lockNotice: $("lock-notice"),
  timerBox: $("timer-box"),
  timer: $("timer"),
  timerState: $("timer-state"),
  timerMute: $("timer-mute"),
  timerUp: $("timer-up"),
  areas: $("areas"),
  spotlightBar: $("spotlight-bar"),
  spotlightText: $("spotlight-text"),
  spotlightBack: $("spotlight-back"),
  spotlightEndBar: $("spotlight-end-bar"),
  sidePanels: $("side-panels"),
  facilitatorToggle: $("facilitator-toggle"),
  facilitatorPanel: $("facilitator-panel"),
  facilitatorClose: $("facilitator-close"),
  promptForm: $("prompt-form"),
  promptInput: $("prompt-input"),
  privateToggle: $("private-toggle"),
  lockToggle: $("lock-toggle"),
  revealNotes: $("reveal-notes"),
  timerForm: $("timer-form"),
  timerMinutes: $("timer-minutes"),
  timerMinutesError: $("timer-minutes-error"),
  timerPause: $("timer-pause"),
  timerReset: $("timer-reset"),
  timerPlus: $("timer-plus"),
  timerMinus: $("timer-minus"),
  spotlightStatus: $("spotlight-status"),
  spotlightEnd: $("spotlight-end"),
  hintsToggle: $("hints-toggle"),
  hintsCount: $("hints-count"),
  hintsPanel: $("hints-panel"),
  hintsClose: $("hints-close"),
  hintForm: $("hint-form"),
  hintText: $("hint-text"),
  hintCount: $("hint-count"),
  hintError: $("hint-error"),
  hintsEmpty: $("hints-empty"),
  hintsList: $("hints-list"),
};

export const app = {
  confirmed: new BoardState(),
  conn: null,
  me: null, // welcome.you
  key: readKey(),
  name: storage.get(KEYS.name) || "",
  department: storage.get(KEYS.department) || "",
  view: new Map(),
  noteEls: new Map(), // id → {el, text, footer, author, badges, color, sig}
  scale: 1,
  drag: null,
  pan: null,
  keyMove: null,
  editing: null,
  renderQueued: false,
  peopleDirty: true,
  scrolledToNotes: false,
  joined: false,
  gone: false,
  peopleOpen: undefined,
  facilitatorOpen: undefined,
  hintsOpen: undefined,
  lastStatusText: "",
  room: null, // the confirmed room with our pending room changes (viewRoom), set on every render
};

// -- rendering -------------------------------------------------------------------------------

let renderer = () => {};

/** The function that draws the page; board.js registers it. */
export function setRenderer(fn) {
  renderer = fn;
}

export function scheduleRender() {
  if (app.renderQueued) return;
  app.renderQueued = true;
  const run = () => {
    if (!app.renderQueued) return;
    app.renderQueued = false;
    renderer();
  };
  requestAnimationFrame(run);
  setTimeout(run, 100); // background tabs get no animation frames
}

// -- helpers ---------------------------------------------------------------------------------

export function readKey() {
  const hash = location.hash.replace(/^#/, "");
  if (!hash) return null;
  const key = new URLSearchParams(hash).get("key");
  return key ? key : null;
}

export function roleLabel(role) {
  if (role === "facilitator") return t("Facilitator");
  if (role === "coach") return t("Coach");
  return t("Participant");
}

export function colorLabel(color) {
  return (
    {
      yellow: t("Yellow"),
      pink: t("Pink"),
      blue: t("Blue"),
      green: t("Green"),
      orange: t("Orange"),
      purple: t("Purple"),
    }[color] || color
  );
}

export function participantLink() {
  return `${location.origin}/r/${encodeURIComponent(code)}`;
}

export function currentMe() {
  if (!app.me) return null;
  const known = app.confirmed.participants.get(app.me.id);
  return known ? { ...app.me, ...known } : app.me;
}

// -- what this person may do ----------------------------------------------------------------
// For showing controls only: the server decides, and says why when it refuses.

const WRITING_PHASES = ["write", "cluster"];

export function currentRoom() {
  return app.room || app.confirmed.room || { phase: "lobby", locked: false, settings: {}, areas: [], spotlight: null };
}

export function myRole() {
  const me = currentMe();
  return me ? me.role : "participant";
}

export function isFacilitator() {
  return myRole() === "facilitator";
}

/** Facilitators and coaches: they see hidden-note counts and hints. */
export function isStaff() {
  const role = myRole();
  return role === "facilitator" || role === "coach";
}

/** Why this person cannot add, change or move notes now; "" when they can. */
export function editBlockedReason() {
  if (isFacilitator()) return "";
  const room = currentRoom();
  if (room.locked) return t("The board is locked.");
  if (!WRITING_PHASES.includes(room.phase)) {
    if (room.phase === "lobby") return t("The facilitator will start the session soon.");
    return t("Notes cannot be added or changed in this phase.");
  }
  return "";
}

export function canWrite() {
  return editBlockedReason() === "";
}

export function canEdit(note) {
  if (isFacilitator()) return true;
  return Boolean(note.mine) && canWrite();
}

export function canMove() {
  return canWrite();
}

export function clampX(x) {
  return clamp(x, 0, BOARD_WIDTH - NOTE_WIDTH);
}

export function clampY(y) {
  return clamp(y, 0, BOARD_HEIGHT - NOTE_MIN_HEIGHT);
}

export function show(node, visible) {
  if (node.hidden === !visible) return;
  node.hidden = !visible;
}

/** Set text only when it changes (no needless announcements in live regions). */
export function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

export function setAttr(node, name, value) {
  if (node.getAttribute(name) !== value) node.setAttribute(name, value);
}

export function prefersReducedMotion() {
  return window.matchMedia("(prefers-reduced-motion: reduce)").matches;
}

export function isNarrow() {
  return window.matchMedia("(max-width: 61.99rem)").matches;
}

export function setFieldError(input, errorEl, message) {
  errorEl.textContent = message;
  show(errorEl, Boolean(message));
  if (message) input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
}

export function send(op, args) {
  if (!app.conn) return null;
  return app.conn.send(op, args);
}
