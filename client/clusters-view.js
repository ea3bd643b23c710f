// Groups (clusters) on the canvas: labelled boxes behind their notes. The header is the handle:
// drag it (mouse, touch, pen) or use the arrow keys to move the group and its notes (one
// `cluster.update` on drop); Enter or a tap opens the group dialog; + and − give dots.

import { itemKey } from "./board-input.js";
import { clusterRect, members, membersByCluster, resizedNotes } from "./cluster-geometry.js";
import {
  $,
  app,
  canMove,
  clusterName,
  currentRoom,
  editBlockedReason,
  scheduleRender,
  send,
  setAttr,
  setText,
  show,
} from "./context.js";
import { makeDraggable } from "./draggable.js";
import { t, tn } from "./i18n.js";
import { placeNote } from "./notes-view.js";
import { BOARD_HEIGHT, BOARD_WIDTH, clamp } from "./core/state.js";
import { afterTap } from "./taps.js";
import { toast } from "./toasts.js";
import { createVoteBar, dotsShown, totalText, updateVoteBar, votable } from "./votes.js";

// The elements this module works with.
const el = {
  clusters: $("clusters"),
  viewport: $("viewport"),
};

let openDialog = () => {};
let headsResized = false; // a header's measured height changed: its box follows
let drawnFor = ""; // what every group's drawing depends on besides the groups and their notes
const membership = new Map(); // note id → its group, as last drawn
let toggleSpotlight = () => {};
let moves = { drag: () => null, keyMove: () => null, forget: () => {} }; // set up in setupClustersView
let dropTarget = null; // the group a dragged note would go into (outlined)

/** The group being moved now, by pointer or by keys: {id, dx, dy}; its notes go along. */
export function movingGroup() {
  const d = moves.drag();
  return d && d.moved ? d : moves.keyMove();
}

/** Outline group `id` (null: none) as where a dragged note would go. */
export function markDropTarget(id) {
  if (dropTarget === id) return;
  const before = dropTarget && app.clusterEls.get(dropTarget);
  if (before) before.el.classList.remove("is-drop-target");
  dropTarget = id;
  const now = id && app.clusterEls.get(id);
  if (now) now.el.classList.add("is-drop-target");
}

// Each header's drawn height: the notes of a group sit below it.
const sizes =
  typeof ResizeObserver === "function"
    ? new ResizeObserver((entries) => {
        let changed = false;
        for (const entry of entries) {
          const item = app.clusterEls.get(entry.target.dataset.headOf);
          if (!item) continue;
          const box = entry.borderBoxSize && entry.borderBoxSize[0];
          const h = Math.round(box ? box.blockSize : entry.target.offsetHeight);
          if (h && h !== item.headH) {
            item.headH = h;
            headsResized = true;
            changed = true;
          }
        }
        if (changed) scheduleRender();
      })
    : null;

function createClusterEl(id) {
  const li = document.createElement("li");
  li.className = "cluster";
  li.dataset.clusterId = id;
  const head = document.createElement("div");
  head.className = "cluster-head";
  head.dataset.headOf = id;
  const handle = document.createElement("div");
  handle.className = "cluster-handle";
  handle.tabIndex = 0;
  handle.setAttribute("role", "button");
  handle.setAttribute("aria-roledescription", t("group"));
  handle.setAttribute("aria-describedby", "cluster-help");
  handle.dataset.clusterHandle = id;
  const grip = document.createElement("span");
  grip.className = "cluster-grip";
  grip.setAttribute("aria-hidden", "true");
  const title = document.createElement("span");
  title.className = "cluster-title";
  const meta = document.createElement("span");
  meta.className = "cluster-meta";
  const count = document.createElement("span");
  count.className = "cluster-count";
  const badges = document.createElement("span");
  badges.className = "cluster-badges";
  meta.append(count, badges);
  handle.append(grip, title, meta);
  head.append(handle);
  li.append(head);
  if (sizes) sizes.observe(head);
  return { el: li, head, handle, title, count, badges, vote: null, sig: "", cls: "", box: "", headH: 0 };
}

function countText(n) {
  return tn("%(count)s note", "%(count)s notes", n, { count: n });
}

function updateClusterEl(item, cluster, list, room) {
  const spotlit = room.spotlight === cluster.id;
  const name = clusterName(cluster);
  const badges = [];
  if (spotlit) badges.push(["spotlight", t("In focus")]);
  if (typeof cluster.votes === "number" && dotsShown(room)) badges.push(["votes", totalText(cluster.votes)]);
  const sig = JSON.stringify([name, Boolean(cluster.title.trim()), list.length, badges]);
  if (sig !== item.sig) {
    item.sig = sig;
    setText(item.title, name);
    item.title.classList.toggle("is-untitled", !cluster.title.trim());
    setText(item.count, countText(list.length));
    item.badges.replaceChildren(
      ...badges.map(([kind, label]) => {
        const badge = document.createElement("span");
        badge.className = `note-badge note-badge-${kind}`;
        badge.textContent = label;
        return badge;
      }),
    );
  }

  const voting = votable(cluster.id);
  if (voting && !item.vote) {
    item.vote = createVoteBar(cluster.id);
    item.head.append(item.vote.el);
  } else if (!voting && item.vote) {
    item.vote.el.remove();
    item.vote = null;
  }
  if (item.vote) updateVoteBar(item.vote, cluster.id);
  setAttr(item.handle, "aria-describedby", item.vote ? "cluster-help vote-help" : "cluster-help");

  const drag = moves.drag();
  const keys = moves.keyMove();
  const dragging = Boolean(drag && drag.id === cluster.id && drag.moved);
  const cls = [
    "cluster",
    cluster.pending ? "is-pending" : "",
    spotlit ? "is-spotlight" : "",
    canMove() ? "" : "is-fixed",
    dragging ? "is-dragging" : "",
    dropTarget === cluster.id ? "is-drop-target" : "",
  ]
    .filter(Boolean)
    .join(" ");
  if (cls !== item.cls) {
    item.cls = cls;
    item.el.className = cls;
  }
  const offset = dragging
    ? { dx: drag.dx, dy: drag.dy }
    : keys && keys.id === cluster.id
      ? { dx: keys.dx, dy: keys.dy }
      : { dx: 0, dy: 0 };
  place(item, clusterRect(cluster, list, offset));
}

function place(item, rect) {
  const box = `${Math.round(rect.x)},${Math.round(rect.y)},${Math.round(rect.w)},${Math.round(rect.h)}`;
  if (box === item.box) return;
  item.box = box;
  item.el.style.transform = `translate(${Math.round(rect.x)}px, ${Math.round(rect.y)}px)`;
  item.el.style.width = `${Math.round(rect.w)}px`;
  item.el.style.height = `${Math.round(rect.h)}px`;
}

/** Whether anything a group's box or header shows changed since the last drawing. */
function groupsChanged(changes) {
  const room = currentRoom();
  const drag = moves.drag();
  const keys = moves.keyMove();
  const context = JSON.stringify([
    app.conn && app.conn.status, canMove(), room.phase, room.locked, room.settings, room.revealed, room.spotlight,
    drag ? [drag.id, drag.moved, drag.dx, drag.dy] : null, keys ? [keys.id, keys.dx, keys.dy] : null, dropTarget,
  ]);
  let changed = changes.all || context !== drawnFor || headsResized || changes.clusters.size > 0;
  drawnFor = context;
  headsResized = false;
  if (changes.all) {
    membership.clear();
    for (const note of app.view.values()) if (note.cluster) membership.set(note.id, note.cluster);
    return true;
  }
  for (const id of changes.notes) {
    const note = app.view.get(id);
    const now = note ? note.cluster : null;
    if (membership.get(id) || now) changed = true;
    if (now) membership.set(id, now);
    else membership.delete(id);
  }
  for (const id of resizedNotes) if (membership.has(id)) changed = true;
  resizedNotes.clear();
  return changed;
}

/** Draw the groups when something they show changed (`changes`: app.board.takeChanges()). */
export function renderClusters(changes) {
  if (!groupsChanged(changes)) return;
  const room = currentRoom();
  const view = app.clusterView;
  const groups = membersByCluster(app.view);
  for (const cluster of view.values()) {
    let item = app.clusterEls.get(cluster.id);
    if (!item) {
      item = createClusterEl(cluster.id);
      app.clusterEls.set(cluster.id, item);
      el.clusters.append(item.el);
    }
    updateClusterEl(item, cluster, groups.get(cluster.id) || [], room);
  }
  for (const [id, item] of app.clusterEls) {
    if (view.has(id)) continue;
    const hadFocus = item.el.contains(document.activeElement);
    moves.forget(id);
    if (sizes) sizes.unobserve(item.head);
    item.el.remove();
    app.clusterEls.delete(id);
    if (hadFocus) {
      const other = el.clusters.querySelector(".cluster-handle");
      (other || el.viewport).focus({ preventScroll: false });
    }
  }
  show(el.clusters, view.size > 0);
}

// -- moving a group ---------------------------------------------------------------------------

/** Move group `id` by (dx, dy): one op; the server moves its notes the same way. */
function moveCluster(id, dx, dy) {
  const cluster = app.clusterView.get(id);
  if (!cluster) return;
  const x = Math.round(clamp(cluster.x + dx, 0, BOARD_WIDTH));
  const y = Math.round(clamp(cluster.y + dy, 0, BOARD_HEIGHT));
  if (x === Math.round(cluster.x) && y === Math.round(cluster.y)) return;
  send("cluster.update", { id, x, y });
}

/** Draw group `id` and its notes shifted by (dx, dy) while it is being moved. */
function drawShifted(id, dx, dy) {
  const cluster = app.clusterView.get(id);
  const item = app.clusterEls.get(id);
  if (!cluster || !item) return;
  const list = members(app.view, id);
  place(item, clusterRect(cluster, list, { dx, dy }));
  for (const note of list) {
    const noteItem = app.noteEls.get(note.id);
    if (noteItem) placeNote(noteItem, note.x + dx, note.y + dy);
  }
}

function say(reason) {
  if (reason) toast(reason, "info");
}

function onKey(e, id, handle) {
  if (itemKey(e, id, toggleSpotlight)) return;
  if (e.key === "Enter" || e.key === " " || e.key === "F2") {
    e.preventDefault();
    openDialog(id, handle);
  }
}

function follow(d, point) {
  const cluster = app.clusterView.get(d.id);
  if (!cluster) return;
  // Keep the group's corner on the board.
  d.dx = clamp(point.x - d.boardX, -cluster.x, BOARD_WIDTH - cluster.x);
  d.dy = clamp(point.y - d.boardY, -cluster.y, BOARD_HEIGHT - cluster.y);
  drawShifted(d.id, d.dx, d.dy);
}

/** Let go of a group: no longer drawn as dragged; its notes drawn again where the view says. */
function drop(d, commit) {
  const item = app.clusterEls.get(d.id);
  if (item) {
    item.el.classList.remove("is-dragging");
    item.cls = "";
    item.box = "";
  }
  if (commit) moveCluster(d.id, d.dx, d.dy);
  for (const note of members(app.view, d.id)) {
    const noteItem = app.noteEls.get(note.id);
    if (noteItem) noteItem.x = null; // draw again where the view says
  }
  scheduleRender();
}

/**
 * @param {object} hooks
 * @param {(id: string, returnFocus: Element) => void} hooks.open  open the group dialog
 * @param {(id: string) => void} hooks.spotlight                    S on a group (facilitators)
 */
export function setupClustersView({ open, spotlight }) {
  openDialog = open;
  toggleSpotlight = spotlight || (() => {});
  moves = makeDraggable({
    container: el.clusters,
    handle: ".cluster-handle",
    idOf: (handle) => handle.dataset.clusterHandle,
    exists: (id) => app.clusterView.has(id),
    movable: () => canMove(),
    refuse: () => say(editBlockedReason()),
    grab: (id, point, e) => {
      e.stopPropagation(); // not a pan of the board
      return { boardX: point.x, boardY: point.y, dx: 0, dy: 0 };
    },
    lift: (d) => {
      const item = app.clusterEls.get(d.id);
      if (item) item.el.classList.add("is-dragging");
    },
    follow,
    drop,
    tap: (d) => {
      if (d.type === "mouse") openDialog(d.id, d.node);
      else afterTap(d.node, () => openDialog(d.id, d.node));
    },
    drawKeys: (move) => drawShifted(move.id, move.dx, move.dy),
    moveBy: (id, dx, dy) => {
      moveCluster(id, dx, dy);
      scheduleRender();
    },
    key: onKey,
  });
}
