// What every part of the board page shares: the board's state (confirmed and as shown), who
// I am, storage keys and a few small helpers. Elements are looked up by the module that uses
// them; drag, panel and dialog state lives in its own module. No event handlers here; each
// module wires its own in a setup function.

import { storage } from "./core/connection.js";
import { limitOf, mayEditNote, mayRemoveCluster, refusal as refusalOf } from "./core/permissions.js";
import { t } from "./i18n.js";
import { BOARD_HEIGHT, BOARD_WIDTH, NOTE_MIN_HEIGHT, NOTE_WIDTH, Speculation, clamp, dotsUsed } from "./core/state.js";

/** The page element with this id (each module looks up its own). */
export const $ = (id) => document.getElementById(id);

export const body = document.body;
export const code = (body.dataset.code || "").toUpperCase();

export const KEYS = {
  token: `tavla:${code}:token`,
  name: "tavla:name",
  department: "tavla:department",
  zoom: `tavla:${code}:zoom`, // per room: a new session starts at the default zoom
  color: "tavla:color",
  mute: "tavla:timer-mute",
};

const board = new Speculation();

export const app = {
  board, // the confirmed state and the view (confirmed + our pending ops, predicted)
  confirmed: board.confirmed,
  conn: null,
  me: null, // welcome.you
  key: readKey(),
  name: storage.get(KEYS.name) || "",
  department: storage.get(KEYS.department) || "",
  view: new Map(),
  clusterView: new Map(), // the groups to draw: confirmed + our pending ops
  myVotes: {}, // my dots as shown: confirmed + our pending ops, never over the budget
  room: null, // the room as shown: confirmed + our pending ops (app.board.view.room), set on every render
  noteEls: new Map(), // id → {el, text, footer, author, badges, color, sig}
  clusterEls: new Map(), // id → {el, handle, title, …}
  scale: 1, // the board's zoom
};

// -- rendering -------------------------------------------------------------------------------

let renderer = () => {};

/** The function that draws the page; board.js registers it. */
export function setRenderer(fn) {
  renderer = fn;
}

let renderQueued = false;

export function scheduleRender() {
  if (renderQueued) return;
  renderQueued = true;
  const run = () => {
    if (!renderQueued) return;
    renderQueued = false;
    renderer();
  };
  requestAnimationFrame(run);
  setTimeout(run, 100); // background tabs get no animation frames
}

/** Draw now what is queued, so that code about to read `app.view` sees the ops just sent (a
 * note's second arrow-key move must start where the first one, sent a moment ago, put it). */
export function renderNow() {
  if (!renderQueued) return;
  renderQueued = false;
  renderer();
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
// For showing controls only, from the server's own answer (welcome.state.can, kept current by
// the events that change it): the server decides again on every op, and says why it refuses.

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

/** The code the server would refuse `op` with now whatever its target; null when allowed. */
export function refusal(op) {
  return refusalOf(app.confirmed, op);
}

/** A limit in force on this server (welcome.state.limits); null before the first welcome. */
export function limit(name) {
  return limitOf(app.confirmed, name);
}

/** "12 of 500 characters" under `field`, from the server's limit `name`. Before the welcome the
 * limit is unknown (and the language may not be loaded yet): say nothing rather than "0 of
 * characters"; the caller writes it again once both are there. */
export function showCharacterCount(field, counter, name) {
  const max = limit(name);
  const text = max === null || max === undefined ? "" : t("%(count)s of %(max)s characters", { count: field.value.length, max });
  if (counter.textContent !== text) counter.textContent = text;
}

/** The name of the coach (or anyone) who wrote a hint or a debrief, as the room knows them. */
export function coachName(id) {
  const p = app.confirmed.participants.get(id);
  return p && p.name ? p.name : t("Coach");
}

function reasonText(code) {
  if (!code) return "";
  if (code === "locked") return t("The board is locked.");
  if (code === "not_joined") return t("Not joined yet.");
  if (currentRoom().phase === "lobby") return t("The facilitator will start the session soon.");
  return t("Notes cannot be added or changed in this phase.");
}

/** Why this person cannot add, change or move notes now; "" when they can. */
export function editBlockedReason() {
  return reasonText(refusal("note.create"));
}

export function canWrite() {
  return refusal("note.create") === null;
}

export function canEdit(note) {
  return mayEditNote(app.confirmed, note, isFacilitator());
}

export function canMove() {
  return refusal("note.move") === null;
}

/** May this person delete or merge group `cluster`: its creator or a facilitator. */
export function canRemoveCluster(cluster) {
  return mayRemoveCluster(app.confirmed, cluster, app.me && app.me.id, isFacilitator());
}

/** Why this person cannot vote now; "" when they can. */
export function voteBlockedReason() {
  const code = refusal("vote.cast");
  if (!code) return "";
  if (code === "locked") return t("The board is locked.");
  if (code === "not_joined") return t("Not joined yet.");
  if (code === "forbidden" && myRole() === "coach") return t("Coaches do not vote.");
  return t("That is not possible in this phase of the session.");
}

export function canVote() {
  return voteBlockedReason() === "";
}

/** Whether `kind` ("notes" or "clusters") takes dots under the room's settings. */
export function votesOn(kind) {
  const on = (currentRoom().settings || {}).vote_on || "both";
  return on === "both" || on === kind;
}

export function voteSettings() {
  const settings = currentRoom().settings || {};
  return {
    budget: Number.isInteger(settings.vote_budget) ? settings.vote_budget : 5,
    max: Number.isInteger(settings.max_votes_per_target) ? settings.max_votes_per_target : 3,
  };
}

/** Dots I have left, as shown (never below 0, even when the budget was lowered). */
export function dotsLeft() {
  return Math.max(0, voteSettings().budget - dotsUsed(app.myVotes));
}

/** The results page for this person. Before they are published a facilitator's key goes in
 * the fragment, which the browser never sends: the "not published" page's script turns it into
 * a results cookie (client/results-access.js). */
export function resultsUrl() {
  const base = `/r/${encodeURIComponent(code)}/results`;
  const locked = !currentRoom().results_published;
  return locked && app.key && isFacilitator() ? `${base}#key=${encodeURIComponent(app.key)}` : base;
}

/** May this person open the results page now: a facilitator with the key, or anyone once published. */
export function mayOpenResults() {
  return Boolean((app.key && isFacilitator()) || currentRoom().results_published);
}

/** "Untitled group" for a group with no name. */
export function clusterName(cluster) {
  const title = cluster && typeof cluster.title === "string" ? cluster.title.trim() : "";
  return title || t("Untitled group");
}

export function shortText(text, max = 80) {
  const clean = String(text || "").replace(/\s+/g, " ").trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
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

/**
 * Keep class `name` on <body> while `node` is shown, whoever shows or hides it. The page's CSS
 * styles by such classes instead of `body:has(#node:not([hidden]))`: Chrome cannot tell which
 * insertions a :has() on <body> depends on, so with one every note added restyled the whole
 * page (1,600 elements, 4 ms a note on a 2,000-note board, 16 ms on a phone).
 */
export function mirrorShown(node, name) {
  const sync = () => document.body.classList.toggle(name, !node.hidden);
  sync();
  new MutationObserver(sync).observe(node, { attributes: true, attributeFilter: ["hidden"] });
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
