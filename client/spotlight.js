// Spotlight: the facilitator puts one note in focus for everyone. Each board moves to it
// (smoothly unless the person prefers reduced motion) and highlights it; "Back to my view"
// returns to where the person was.

import {
  app,
  currentRoom,
  el,
  isFacilitator,
  prefersReducedMotion,
  send,
  setText,
  show,
} from "./context.js";
import { t } from "./i18n.js";
import { NOTE_MIN_HEIGHT, NOTE_WIDTH, clamp } from "./state.js";
import { announce, toast } from "./toasts.js";
import { setScale } from "./zoom.js";

let handled = null; // the spotlight target this page has moved to (or decided not to)
let mine = null; // a target this page set itself: no need to move there
let saved = null; // {scale, left, top} before the first move

function shortText(text) {
  const clean = text.replace(/\s+/g, " ").trim();
  return clean.length > 80 ? `${clean.slice(0, 79)}…` : clean;
}

/** Put note `id` in focus, or end the spotlight when it is already. */
export function toggleSpotlight(id) {
  if (!isFacilitator()) return;
  const target = currentRoom().spotlight === id ? null : id;
  const note = app.view.get(id);
  if (target && note && (note.hidden || note.pending)) {
    // Nobody else can see it yet, so it cannot be in focus for everyone.
    toast(
      note.hidden ? t("Only you can see this note. Reveal the notes first.") : t("This note is not sent yet."),
      "info",
    );
    return;
  }
  mine = target;
  send("spotlight", { target });
  announce(target ? t("The note is in focus for everyone.") : t("Spotlight ended."));
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

function moveTo(note) {
  const vp = el.viewport;
  if (!saved) saved = { scale: app.scale, left: vp.scrollLeft, top: vp.scrollTop };
  const fit = Math.min(vp.clientWidth / (NOTE_WIDTH * 2.2), vp.clientHeight / (NOTE_MIN_HEIGHT * 3));
  setScale(clamp(fit, 0.5, 1.2));
  const s = app.scale;
  const left = (note.x + NOTE_WIDTH / 2) * s - vp.clientWidth / 2;
  // A little above the middle: on phones the spotlight bar sits at the bottom.
  const top = (note.y + NOTE_MIN_HEIGHT / 2) * s - vp.clientHeight * 0.4;
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
  const note = target ? app.view.get(target) : null;
  if (target !== handled && (note || !target)) {
    handled = target;
    if (note && mine !== target) {
      moveTo(note);
      announce(t("In focus: %(text)s", { text: shortText(note.text) }));
    }
  }
  setText(el.spotlightText, note ? t("In focus: %(text)s", { text: shortText(note.text) }) : "");
  show(el.spotlightText, Boolean(note));
  show(el.spotlightBack, Boolean(saved));
  show(el.spotlightEndBar, Boolean(note) && isFacilitator());
  show(el.spotlightBar, Boolean(note) || Boolean(saved));

  // In the facilitator's panel.
  setText(el.spotlightStatus, note ? t("In focus: %(text)s", { text: shortText(note.text) }) : t("No note is in focus."));
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
