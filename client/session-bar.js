// Above the board: the phase and one sentence of what to do now (for this person's role),
// whether the board is locked, and what that means for the editing controls.

import {
  $,
  app,
  canWrite,
  currentRoom,
  editBlockedReason,
  isFacilitator,
  myRole,
  mirrorShown,
  setAttr,
  setText,
  show,
} from "./context.js";
import { t } from "./i18n.js";
import { renderDotsLeft } from "./votes.js";

// The elements this module works with.
const el = {
  addGroup: $("add-group"),
  addNote: $("add-note"),
  boardScreen: $("board-screen"),
  lockNotice: $("lock-notice"),
  phaseBanner: $("phase-banner"),
  phaseName: $("phase-name"),
  phaseText: $("phase-text"),
  phaseTip: $("phase-tip"),
  sessionBar: $("session-bar"),
};

// Floating toasts keep clear of "New group" while it shows (toasts.css).
mirrorShown(el.addGroup, "shows-add-group");

export function phaseLabel(phase) {
  return (
    {
      lobby: t("Lobby"),
      write: t("Write"),
      cluster: t("Group"),
      vote: t("Vote"),
      results: t("Results"),
    }[phase] || phase
  );
}

/** What to do now, for this role, in one sentence. */
export function phaseSentence(phase, role, privateWriting) {
  const facilitator = role === "facilitator";
  if (role === "coach") return coachSentence(phase, privateWriting);
  switch (phase) {
    case "lobby":
      return facilitator
        ? t("Participants see the prompt and wait. Choose “Write” when you want them to start.")
        : t("The facilitator will start the session soon.");
    case "write":
      if (facilitator) {
        return privateWriting
          ? t("Participants write their ideas privately. Reveal the notes when everyone is done.")
          : t("Participants write their ideas, one per note.");
      }
      return privateWriting
        ? t("Write your ideas, one per note. Only you can see your notes until the facilitator reveals them.")
        : t("Write your ideas, one per note.");
    case "cluster":
      return facilitator
        ? t("Everyone puts notes that belong together in groups. Choose “New group” to make one.")
        : t("Put notes that belong together in a group: drag a note onto it, or open the note and choose the group.");
    case "vote":
      if (facilitator) return t("Everyone puts dots on the ideas that matter most. Reveal the votes when everyone is done.");
      return t("Put your dots on the ideas that matter most to you: choose “Add a dot” on a note or group.");
    case "results":
      return facilitator
        ? t("Go through the results together.")
        : t("Thank you! The facilitator goes through the results with you.");
    default:
      return "";
  }
}

/** The phase's sentence in a few words, for a phone's narrow phase bar (css/phone-frame.css
 * shows it there on one line beside the phase's name; screen readers hear the whole sentence
 * instead). For participants only: none in the lobby, where there is nothing to do yet and the
 * list says the facilitator will start soon; a facilitator or coach has the panels. */
export function phaseTip(phase, role) {
  if (role !== "participant") return "";
  switch (phase) {
    case "write":
      return t("Write your ideas, one per note.");
    case "cluster":
      return t("Group the notes that belong together.");
    case "vote":
      return t("Tap “Add a dot” on what matters most.");
    case "results":
      return t("The facilitator shows the results.");
    default:
      return "";
  }
}

/** What is happening now, for a coach: an observer, not a participant being told what to do
 * (a coach may add notes while people write and group, as the domain allows, but never votes). */
function coachSentence(phase, privateWriting) {
  switch (phase) {
    case "lobby":
      return t("Participants see the prompt and wait for the facilitator to start.");
    case "write":
      return privateWriting
        ? t("Participants write their ideas privately: you see how many, and the notes once the facilitator reveals them.")
        : t("Participants write their ideas, one per note. You may add notes too.");
    case "cluster":
      return t("Participants put notes that belong together in groups.");
    case "vote":
      return t("Participants put dots on the ideas that matter most. Coaches do not vote.");
    case "results":
      return t("The facilitator goes through the results with the participants.");
    default:
      return "";
  }
}

export function renderSessionBar() {
  const welcomed = Boolean(app.conn && app.conn.everWelcomed && app.confirmed.room);
  show(el.sessionBar, welcomed && !el.boardScreen.hidden);
  if (!welcomed) return;
  const room = currentRoom();
  const role = myRole();
  const privateWriting = Boolean(room.settings && room.settings.private_writing);
  setAttr(el.phaseBanner, "data-phase", room.phase);
  setText(el.phaseName, t("Phase: %(name)s", { name: phaseLabel(room.phase) }));
  setText(el.phaseText, phaseSentence(room.phase, role, privateWriting));
  setText(el.phaseTip, phaseTip(room.phase, role));
  const lockText = room.locked
    ? role === "facilitator"
      ? t("The board is locked for participants.")
      : t("The board is locked. You can look, but not change notes.")
    : "";
  setText(el.lockNotice, lockText);
  show(el.lockNotice, Boolean(lockText));

  // Voting and results are not for writing (as in the list): only a facilitator, who always
  // may, keeps the button then.
  show(el.addNote, isFacilitator() || (room.phase !== "vote" && room.phase !== "results"));
  // The add button stays focusable when it cannot be used, and says why when chosen.
  const blocked = editBlockedReason();
  if (blocked) {
    setAttr(el.addNote, "aria-disabled", "true");
    setAttr(el.addNote, "aria-describedby", "phase-text");
  } else {
    el.addNote.removeAttribute("aria-disabled");
    el.addNote.removeAttribute("aria-describedby");
  }
  document.body.classList.toggle("board-locked", Boolean(blocked));

  // "New group" where groups are made: writing and grouping (a facilitator may tidy up later).
  const groupPhase = room.phase === "write" || room.phase === "cluster" || (isFacilitator() && room.phase === "vote");
  show(el.addGroup, groupPhase);
  if (canWrite()) {
    el.addGroup.removeAttribute("aria-disabled");
    el.addGroup.removeAttribute("aria-describedby");
  } else {
    setAttr(el.addGroup, "aria-disabled", "true");
    setAttr(el.addGroup, "aria-describedby", "phase-text");
  }
  renderDotsLeft();
}
