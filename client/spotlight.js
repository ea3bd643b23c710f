// Spotlight: the facilitator puts one note or group in focus for everyone. Each board moves to
// it (smoothly unless the person prefers reduced motion) and highlights it; "Back to my view"
// returns to where the person was.

import { clusterRect, members } from "./cluster-geometry.js";
import {
  $,
  app,
  clusterName,
  currentRoom,
  isFacilitator,
  prefersReducedMotion,
  send,
  setText,
  shortText,
  show,
} from "./context.js";
import { t } from "./i18n.js";
import { NOTE_MIN_HEIGHT, NOTE_WIDTH, clamp } from "./core/state.js";
import { noteWords } from "./photo-view.js";
import { announce, toast } from "./toasts.js";
import { setScale } from "./zoom.js";

// The elements this module works with.
const el = {
  spotlightBack: $("spotlight-back"),
  spotlightBar: $("spotlight-bar"),
  spotlightEnd: $("spotlight-end"),
  spotlightEndBar: $("spotlight-end-bar"),
  spotlightStatus: $("spotlight-status"),
  spotlightText: $("spotlight-text"),
  viewport: $("viewport"),
};

let handled = null; // the spotlight target this page has moved to (or decided not to)
let mine = null; // a target this page set itself: no need to move there
let saved = null; // {scale, left, top} before the first move

/** What is in focus: a note or a group, with its box on the board; null when neither. */
function focusOf(target) {
  if (!target) return null;
  const note = app.view.get(target);
  if (note) {
    const item = app.noteEls.get(target);
    return {
      text: t("In focus: %(text)s", { text: shortText(noteWords(note)) }),
      box: { x: note.x, y: note.y, w: NOTE_WIDTH, h: item && item.h ? item.h : NOTE_MIN_HEIGHT },
    };
  }
  const cluster = app.clusterView.get(target);
  if (cluster) {
    return {
      text: t("In focus: the group “%(name)s”", { name: shortText(clusterName(cluster)) }),
      box: clusterRect(cluster, members(app.view, cluster.id)),
    };
  }
  return null;
}

/** Put note or group `id` in focus, or end the spotlight when it is already. */
export function toggleSpotlight(id) {
  if (!isFacilitator()) return;
  const target = currentRoom().spotlight === id ? null : id;
  const note = app.view.get(id);
  const cluster = app.clusterView.get(id);
  if (target && note && (note.hidden || note.pending)) {
    // Nobody else can see it yet, so it cannot be in focus for everyone.
    toast(
      note.hidden ? t("Only you can see this note. Reveal the notes first.") : t("This note is not sent yet."),
      "info",
    );
    return;
  }
  if (target && cluster && !app.confirmed.clusters.has(id)) {
    toast(t("This group is not sent yet."), "info");
    return;
  }
  mine = target;
  send("spotlight", { target });
  if (!target) announce(t("Spotlight ended."));
  else announce(cluster ? t("The group is in focus for everyone.") : t("The note is in focus for everyone."));
}

export function endSpotlight() {
  mine = null;
  send("spotlight", { target: null });
  announce(t("Spotlight ended."));
}

/** An event from the server: a spotlight this person set needs no move. */
export function spotlightEvent(frame, meId) {
  if (frame.op !== "spotlight") return;
  const target = frame.data && typeof frame.data.target === "string" ? frame.data.target : null;
  if (frame.by === meId && target) mine = target;
}

function moveTo(box) {
  const vp = el.viewport;
  if (!saved) saved = { scale: app.scale, left: vp.scrollLeft, top: vp.scrollTop };
  const w = Math.max(box.w, NOTE_WIDTH);
  const h = Math.max(box.h, NOTE_MIN_HEIGHT);
  const fit = Math.min(vp.clientWidth / (w * 1.1 + NOTE_WIDTH * 1.1), vp.clientHeight / (h + NOTE_MIN_HEIGHT * 2));
  setScale(clamp(fit, 0.2, 1.2));
  const s = app.scale;
  const left = (box.x + w / 2) * s - vp.clientWidth / 2;
  // A little above the middle: on phones the spotlight bar sits at the bottom.
  const top = (box.y + h / 2) * s - vp.clientHeight * 0.4;
  vp.scrollTo({ left: Math.max(0, left), top: Math.max(0, top), behavior: prefersReducedMotion() ? "auto" : "smooth" });
}

function backToMyView() {
  if (!saved) return;
  const { scale, left, top } = saved;
  saved = null;
  setScale(scale);
  el.viewport.scrollTo({ left, top, behavior: "auto" });
  announce(t("Back to your view."));
  render();
  el.viewport.focus({ preventScroll: true });
}

function render() {
  const target = currentRoom().spotlight;
  const focus = focusOf(target);
  if (target !== handled && (focus || !target)) {
    handled = target;
    if (focus && mine !== target) {
      moveTo(focus.box);
      announce(focus.text);
    }
  }
  setText(el.spotlightText, focus ? focus.text : "");
  show(el.spotlightText, Boolean(focus));
  show(el.spotlightBack, Boolean(saved));
  show(el.spotlightEndBar, Boolean(focus) && isFacilitator());
  show(el.spotlightBar, Boolean(focus) || Boolean(saved));

  // In the facilitator's panel.
  setText(el.spotlightStatus, focus ? focus.text : t("Nothing is in focus."));
  show(el.spotlightEnd, Boolean(target));
}

export { render as renderSpotlight };

export function setupSpotlight() {
  el.spotlightBack.addEventListener("click", backToMyView);
  el.spotlightEndBar.addEventListener("click", () => {
    endSpotlight();
    el.viewport.focus({ preventScroll: true });
  });
  el.spotlightEnd.addEventListener("click", () => {
    endSpotlight();
    el.spotlightStatus.focus?.();
  });
}
