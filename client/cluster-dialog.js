// The group dialog: make a group, rename it, merge it into another, delete it, or (for a
// facilitator) put it in focus for everyone. Every group action is here, so a keyboard or a
// phone needs no dragging.

import { areaAt } from "./areas.js";
import { HEAD, MIN_BODY, MIN_WIDTH, clusterRect, membersByCluster } from "./cluster-geometry.js";
import { makeId } from "./core/connection.js";
import {
  $,
  app,
  canRemoveCluster,
  canWrite,
  clusterName,
  currentRoom,
  editBlockedReason,
  isFacilitator,
  limit,
  send,
  setFieldError,
  show,
} from "./context.js";
import { locale, t } from "./i18n.js";
import { BOARD_HEIGHT, BOARD_WIDTH, NOTE_MIN_HEIGHT, NOTE_WIDTH, clamp } from "./core/state.js";
import { announce, toast } from "./toasts.js";

// The elements this module works with.
const el = {
  addGroup: $("add-group"),
  addNote: $("add-note"),
  clusterCancel: $("cluster-cancel"),
  clusterDelete: $("cluster-delete"),
  clusterDialog: $("cluster-dialog"),
  clusterDialogTitle: $("cluster-dialog-title"),
  clusterForm: $("cluster-form"),
  clusterMerge: $("cluster-merge"),
  clusterMergeField: $("cluster-merge-field"),
  clusterMergeHint: $("cluster-merge-hint"),
  clusterMergeInto: $("cluster-merge-into"),
  clusterRemove: $("cluster-remove"),
  clusterSpotlight: $("cluster-spotlight"),
  clusterTitle: $("cluster-title"),
  clusterTitleError: $("cluster-title-error"),
  dialog: $("note-dialog"),
  viewport: $("viewport"),
};

// The group being edited in the dialog: {id (null for a new one), returnFocus, focusNew}.
let editingCluster = null;

let spotlightHook = () => {};

/** Groups other than `except`, by name, for a select. */
export function clusterOptions(except = null) {
  const collator = new Intl.Collator(locale(), { sensitivity: "base", numeric: true });
  const list = [...app.clusterView.values()].filter((c) => c.id !== except);
  // Each group says which area it is in (a note put in it moves there), area by area.
  const areas = currentRoom().areas || [];
  const areaOf = new Map(list.map((c) => [c.id, areaAt(areas, c.x + 20, c.y + 20)]));
  const rank = (c) => {
    const i = areas.indexOf(areaOf.get(c.id));
    return i < 0 ? areas.length : i;
  };
  list.sort((a, b) => rank(a) - rank(b) || collator.compare(clusterName(a), clusterName(b)));
  const areaTitle = (c) => (areaOf.get(c.id) ? areaOf.get(c.id).title : "");
  // Two groups with the same name still need telling apart.
  const seen = new Map();
  for (const c of list) seen.set(clusterName(c), (seen.get(clusterName(c)) || 0) + 1);
  const counter = new Map();
  return list.map((c) => {
    const name = clusterName(c);
    if (seen.get(name) < 2) return { id: c.id, label: name, area: areaTitle(c) };
    const n = (counter.get(name) || 0) + 1;
    counter.set(name, n);
    return { id: c.id, label: `${name} (${n})`, area: areaTitle(c) };
  });
}

/** `options` (from clusterOptions) as <option>s, inside an <optgroup> per area when the board
 * has areas, so a select says where each group is. */
export function groupOptionNodes(options) {
  const nodes = [];
  let group = null;
  for (const { id, label, area } of options) {
    const option = new Option(label, id);
    if (!area) {
      group = null;
      nodes.push(option);
      continue;
    }
    if (!group || group.label !== area) {
      group = document.createElement("optgroup");
      group.label = area;
      nodes.push(group);
    }
    group.append(option);
  }
  return nodes;
}

/** A free place for a new group near the middle of what the person sees. */
function newClusterPosition() {
  const vp = el.viewport;
  const s = app.scale;
  const w = MIN_WIDTH;
  const h = HEAD + MIN_BODY;
  const cx = (vp.scrollLeft + vp.clientWidth / 2) / s - w / 2;
  const cy = (vp.scrollTop + vp.clientHeight / 2) / s - h / 2;
  const groups = membersByCluster(app.view);
  const boxes = [...app.clusterView.values()].map((c) => clusterRect(c, groups.get(c.id) || []));
  for (const note of app.view.values()) boxes.push({ x: note.x, y: note.y, w: NOTE_WIDTH, h: NOTE_MIN_HEIGHT });
  const free = (x, y) => !boxes.some((b) => x < b.x + b.w + 16 && b.x < x + w + 16 && y < b.y + b.h + 16 && b.y < y + h + 16);
  for (let ring = 0; ring <= 8; ring++) {
    const spots = [];
    for (let i = -ring; i <= ring; i++) {
      for (let j = -ring; j <= ring; j++) {
        if (Math.max(Math.abs(i), Math.abs(j)) === ring) spots.push([cx + i * (w + 24), cy + j * (h + 24)]);
      }
    }
    spots.sort((a, b) => Math.hypot(a[0] - cx, a[1] - cy) - Math.hypot(b[0] - cx, b[1] - cy));
    for (const [x, y] of spots) {
      if (x < 0 || y < 0 || x + w > BOARD_WIDTH || y + h > BOARD_HEIGHT) continue;
      if (free(x, y)) return { x: Math.round(x), y: Math.round(y) };
    }
  }
  return {
    x: Math.round(clamp(cx, 0, BOARD_WIDTH - w)),
    y: Math.round(clamp(cy, 0, BOARD_HEIGHT - h)),
  };
}

/** Open the dialog for group `id` (null: a new group); focus returns to `returnFocus`. */
export function openClusterDialog(id, returnFocus) {
  if (el.clusterDialog.open || el.dialog.open) return;
  const cluster = id ? app.clusterView.get(id) : null;
  if (id && !cluster) return;
  if (!canWrite()) {
    toast(editBlockedReason(), "info");
    return;
  }
  editingCluster = { id: id || null, returnFocus: returnFocus || document.activeElement };
  el.clusterDialogTitle.textContent = cluster ? t("Edit group") : t("New group");
  el.clusterTitle.value = cluster ? cluster.title : "";
  setFieldError(el.clusterTitle, el.clusterTitleError, "");

  const spotlit = Boolean(cluster) && currentRoom().spotlight === cluster.id;
  show(el.clusterSpotlight, Boolean(cluster) && isFacilitator() && app.confirmed.clusters.has(cluster.id));
  el.clusterSpotlight.textContent = spotlit ? t("End spotlight") : t("Spotlight");

  const removable = Boolean(cluster) && canRemoveCluster(cluster);
  show(el.clusterRemove, removable);
  if (removable) {
    const options = clusterOptions(cluster.id);
    // No group chosen in advance: merging cannot be undone by the person who did it, so they
    // pick the group themselves, and "Merge" waits until they have.
    const none = new Option(t("Choose a group…"), "");
    el.clusterMergeInto.replaceChildren(none, ...groupOptionNodes(options));
    el.clusterMergeInto.value = "";
    el.clusterMerge.disabled = true;
    show(el.clusterMergeField, options.length > 0);
    show(el.clusterMergeHint, options.length > 0);
  }
  el.clusterDialog.showModal();
  el.clusterTitle.focus();
}

/** After drawing: the group being edited may have been deleted or merged by someone else. */
export function closeIfClusterGone() {
  const editing = editingCluster;
  if (editing && editing.id && !app.clusterView.has(editing.id) && el.clusterDialog.open) {
    editing.returnFocus = el.addGroup.hidden ? el.addNote : el.addGroup;
    el.clusterDialog.close();
    toast(t("This group was deleted."), "info");
  }
}

function handleOf(id) {
  const item = app.clusterEls.get(id);
  return item ? item.handle : null;
}

function onSubmit(e) {
  e.preventDefault();
  const title = el.clusterTitle.value.trim();
  if (limit("cluster_title") !== null && title.length > limit("cluster_title")) {
    setFieldError(el.clusterTitle, el.clusterTitleError, t("The text is too long (at most %(max)s characters).", { max: limit("cluster_title") }));
    el.clusterTitle.focus();
    return;
  }
  const editing = editingCluster || { id: null };
  if (editing.id) {
    const cluster = app.clusterView.get(editing.id);
    if (!cluster) {
      el.clusterDialog.close();
      return;
    }
    if (title !== cluster.title) {
      send("cluster.update", { id: editing.id, title });
      announce(t("Group renamed."));
    }
  } else {
    const { x, y } = newClusterPosition();
    const id = makeId("c_");
    send("cluster.create", { id, title, x, y });
    announce(t("Group added: %(name)s.", { name: title || t("Untitled group") }));
    editing.focusNew = id;
  }
  el.clusterDialog.close();
}

/** @param {{spotlight: (id: string) => void}} hooks */
export function setupClusterDialog({ spotlight }) {
  spotlightHook = spotlight || (() => {});
  el.clusterForm.addEventListener("submit", onSubmit);
  el.clusterCancel.addEventListener("click", () => el.clusterDialog.close());
  el.clusterTitle.addEventListener("input", () => {
    if (!el.clusterTitleError.hidden) setFieldError(el.clusterTitle, el.clusterTitleError, "");
  });

  el.clusterDialog.addEventListener("close", () => {
    const editing = editingCluster;
    editingCluster = null;
    let target = editing && editing.returnFocus;
    if (editing && editing.focusNew) {
      // A new group: go to it, so the keyboard can move it or put dots on it at once.
      const id = editing.focusNew;
      requestAnimationFrame(() => {
        const handle = handleOf(id);
        if (handle) handle.focus();
      });
    }
    const fallback = el.addGroup.hidden ? el.addNote : el.addGroup;
    const focusable = target && target.isConnected && !target.hidden ? target : fallback;
    if (focusable && typeof focusable.focus === "function") focusable.focus();
  });

  el.clusterSpotlight.addEventListener("click", () => {
    const id = editingCluster && editingCluster.id;
    if (!id) return;
    editingCluster.returnFocus = handleOf(id) || el.addNote;
    el.clusterDialog.close();
    spotlightHook(id);
  });

  el.clusterMergeInto.addEventListener("change", () => {
    el.clusterMerge.disabled = !el.clusterMergeInto.value;
  });

  el.clusterMerge.addEventListener("click", () => {
    const id = editingCluster && editingCluster.id;
    const into = el.clusterMergeInto.value;
    const from = id && app.clusterView.get(id);
    const target = into && app.clusterView.get(into);
    if (!from || !target) return;
    editingCluster.returnFocus = handleOf(into) || el.addNote;
    el.clusterDialog.close();
    send("cluster.merge", { id, into });
    announce(t("“%(from)s” merged into “%(into)s”.", { from: clusterName(from), into: clusterName(target) }));
  });

  el.clusterDelete.addEventListener("click", () => {
    const id = editingCluster && editingCluster.id;
    const cluster = id && app.clusterView.get(id);
    if (!cluster) return;
    editingCluster.returnFocus = el.addGroup.hidden ? el.addNote : el.addGroup;
    el.clusterDialog.close();
    send("cluster.delete", { id });
    announce(t("Group “%(name)s” deleted. Its notes stay on the board.", { name: clusterName(cluster) }));
  });

  el.addGroup.addEventListener("click", () => openClusterDialog(null, el.addGroup));
}

