// The board page's entry: connects the parts (connection, screens, notes, groups, dots,
// dialogs, panels, facilitation, ranking, zoom), draws the header and the connection status,
// and starts. Each part lives in its own module; all user text is rendered with textContent
// only.

import { renderLimitedConnection } from "./limited-connection.js";
import { Connection, storage } from "./core/connection.js";
import { renderAreas } from "./areas.js";
import {
  $,
  app,
  body,
  code,
  currentMe,
  isFacilitator,
  isStaff,
  KEYS,
  limit,
  myRole,
  participantLink,
  readKey,
  roleLabel,
  scheduleRender,
  setRenderer,
  show,
} from "./context.js";
import { copyText } from "./clipboard.js";
import { rememberCoachLink } from "./coach-links.js";
import { debriefArrived, renderDebrief, setupDebrief } from "./debrief.js";
import { renderFollow, setupFollow } from "./follow.js";
import { feedbackEvent, feedbackReset } from "./feedback.js";
import { closeIfClusterGone, openClusterDialog, setupClusterDialog } from "./cluster-dialog.js";
import { markDropTarget, movingGroup, renderClusters, setupClustersView } from "./clusters-view.js";
import { setupConfirm } from "./confirm.js";
import { renderFacilitatorPanel, setupFacilitatorPanel } from "./facilitator-panel.js";
import { renderEvaluationPanel, setupEvaluationPanel } from "./evaluation-panel.js";
import { renderEvaluationSheet, setupEvaluationSheet } from "./evaluation-sheet.js";
import { hintArrived, renderHints, setupHintsPanel } from "./hints-panel.js";
import { loadTranslations, t } from "./i18n.js";
import { closeIfNoteGone, openNoteDialog, setupNoteDialog } from "./note-dialog.js";
import { renderNotes, setupNotesView } from "./notes-view.js";
import { applyView, quietNextDrawing, renderList, setupListView } from "./list-view.js";
import { setupViewMode } from "./list-view-mode.js";
import { renderPhoneFrame, setupPhoneFrame } from "./phone-frame.js";
import { setPanelAvailable, setupPanels } from "./panels.js";
import { renderPeople } from "./people-panel.js";
import { renderReportBack, setupReportBack } from "./report-back.js";
import { renderTookPart, setupTookPart } from "./took-part.js";
import { renderProjector, setupProjector } from "./projector.js";
import { hideLobby, inLobby, showLobby, showRemoved } from "./lobby.js";
import { setupLobbyPanel } from "./lobby-panel.js";
import { renderResultsLink, renderResultsPanel } from "./results-panel.js";
import { hasJoined, markJoined, roomGone, setupJoinForm, showBoard, showGone, showJoin } from "./screens.js";
import { renderSessionBar } from "./session-bar.js";
import { carryDialogOpen, setupCarryDialog } from "./carry-dialog.js";
import { renderRoundLabels } from "./rounds.js";
import { setupPlanEditor } from "./rounds-plan.js";
import { announceRound, renderRoundStepper, setupRoundStepper } from "./round-stepper.js";
import { renderPrivateNotice } from "./private-notice.js";
import { renderSpotlight, setupSpotlight, spotlightEvent, toggleSpotlight } from "./spotlight.js";
import { Changes, emptyRoom } from "./core/state.js";
import { setupTaps } from "./taps.js";
import { renderTimer, setupTimer } from "./timer.js";
import { announce, toast } from "./toasts.js";
import { initialScale, setScale, setupZoom } from "./zoom.js";

// The elements this module works with.
const el = {
  boardScreen: $("board-screen"),
  clusterTitle: $("cluster-title"),
  copyLink: $("copy-link"),
  hintText: $("hint-text"),
  me: $("me"),
  meWrap: $("me-wrap"),
  noteText: $("note-text"),
  peoplePanel: $("people-panel"),
  prompt: $("room-prompt"),
  promptInput: $("prompt-input"),
  status: $("connection-status"),
  statusText: $("connection-text"),
  title: $("room-title"),
  viewport: $("viewport"),
};

// Events after which the list of people needs drawing again.
const PEOPLE_OPS = new Set([
  "participant.join", "role.grant", "hidden.count", "notes.reveal", "room.update",
  "participant.remove", "lobby.knock", "lobby.admit", "lobby.deny",
  // A new board (another round) comes with its own hidden counts.
  "rounds.planned", "round.switched", "round.carried",
]);

let peopleDirty = true; // the list of people needs drawing again
// A round.switched came since the last render: another board replaced this one whole.
let roundSwitch = false;
let lastStatusText = "";

// -- connection ------------------------------------------------------------------------------

function startConnection() {
  if (app.conn) {
    app.conn.restart();
    return;
  }
  app.conn = new Connection({
    code,
    identity: () => ({
      name: app.name,
      department: app.department,
      token: storage.get(KEYS.token),
      key: app.key,
    }),
    listener: {
      reset(state) {
        const before = app.confirmed.room ? app.confirmed.room.round : null;
        app.confirmed.reset(state);
        feedbackReset(app.confirmed.room); // results published or taken back while away
        peopleDirty = true;
        // A snapshot after being away across a round switch: the same as seeing the switch.
        if (before && app.confirmed.room.round && app.confirmed.room.round !== before) {
          roundSwitch = true;
          announceRound(app.confirmed.room);
        }
      },
      event(frame) {
        app.confirmed.apply(frame);
        if (PEOPLE_OPS.has(frame.op)) peopleDirty = true;
        if (frame.op === "coach.hint") hintArrived(frame.data);
        if (frame.op === "coach.debrief") debriefArrived(frame.data);
        if (frame.op === "lobby.knock" && isFacilitator() && frame.data) {
          const name = String(frame.data.name || "");
          // With the list open, a toast would only cover its buttons (on a phone it did).
          if (el.peoplePanel.hidden) toast(t("%(name)s is asking to join. Open “People” to let them in.", { name }), "info");
          else announce(t("%(name)s is asking to join.", { name }));
        }
        if (frame.op === "notes.reveal") announce(t("All notes are now visible to everyone."));
        if (frame.op === "votes.reveal") announce(t("The votes are revealed: every note and group shows its dots."));
        if (frame.op === "votes.reset") announce(t("The votes were reset. Everyone has all their dots again."));
        feedbackEvent(frame); // "Time is up" put away, results published
        if (frame.op === "room.delete") {
          // The socket closes next (4404); stop at once instead of waiting for it.
          showGone(true);
          setTimeout(() => app.conn && app.conn.markGone("room deleted"), 0);
        }
        spotlightEvent(frame, app.me ? app.me.id : null);
        if (frame.op === "round.switched") {
          roundSwitch = true;
          peopleDirty = true;
          announceRound(app.confirmed.room);
        }
      },
      welcome(you) {
        if (inLobby()) {
          hideLobby();
          showBoard();
          announce(t("You are in. Welcome!"));
        }
        const before = app.me ? myRole() : null;
        if (you) {
          app.me = you;
          if (typeof you.token === "string" && you.token) storage.set(KEYS.token, you.token);
          if (typeof you.name === "string" && you.name) {
            app.name = you.name;
            storage.set(KEYS.name, you.name);
          }
          if (typeof you.department === "string") {
            app.department = you.department;
            storage.set(KEYS.department, you.department);
          }
        }
        peopleDirty = true;
        const after = myRole();
        if (before && before !== after) {
          // A second welcome after role.grant: the state is new, and so are the controls.
          announce(t("You are now: %(role)s.", { role: roleLabel(after) }));
        }
      },
      permissions(can) {
        app.confirmed.setCan(can);
      },
      presence(list) {
        app.confirmed.setParticipants(list);
        peopleDirty = true;
      },
      refused({ code, message, retrying }) {
        if (code === "removed") return; // the removed screen says it, in full
        if (retrying) {
          if (message) toast(message, "info");
          return;
        }
        toast(message || t("Something went wrong. Please try again."), "error");
      },
      closed({ explained }) {
        if (!explained) toast(t("The server closed the connection. Connecting again…"), "error");
      },
      outdated(message) {
        toast(message || t("Please reload the page: this version of Tavla is out of date."), "error");
      },
      joinRefused({ message }) {
        showJoin(message || t("Please enter your name."));
      },
      lobby(you) {
        if (typeof you.token === "string" && you.token) storage.set(KEYS.token, you.token);
        showLobby(you);
      },
      removed(reason) {
        showRemoved(reason); // the token stays: a reload says the same instead of knocking anew
      },
      gone(reason) {
        showGone(reason === "room deleted");
      },
      change() {
        scheduleRender();
      },
    },
  });
  app.conn.start();
}

// -- rendering -------------------------------------------------------------------------------

/** The notes, groups, dots and room to draw: confirmed, with our pending ops predicted on top. */
function refreshView() {
  const view = app.board.rebase(app.conn ? app.conn.pendingOps() : [], currentMe());
  app.room = view.room || emptyRoom();
  app.view = view.notes;
  app.clusterView = view.clusters;
  app.myVotes = view.myVotes;
}

let canvasStale = false; // something changed while the list was shown instead of the canvas

/** Before drawing a new round's board: dialogs about notes and groups of the old board close
 * (quietly: the round's announcement says why), and so does a carry dialog planned for it. */
function leaveOldRound() {
  closeIfNoteGone(app.view, true);
  closeIfClusterGone(true);
  quietNextDrawing();
  if (carryDialogOpen()) document.getElementById("carry-dialog").close();
}

/** After drawing a new round's board: a keyboard whose note (or dialog about it) went with
 * the old board lands on the new board, not on the page's start. */
function keepFocusOnBoard() {
  const active = document.activeElement;
  // A dialog just closed keeps its focus until the browser's next focus fix-up: lost as well.
  const lost = !active || active === document.body || !active.isConnected || active.closest("dialog:not([open]), [hidden]");
  if (!lost) return;
  const list = document.getElementById("list-body");
  (list && list.offsetParent ? list : el.viewport).focus({ preventScroll: true });
}

function render() {
  refreshView();
  const switched = roundSwitch;
  roundSwitch = false;
  if (switched) leaveOldRound();
  renderLimits();
  renderHeader();
  renderPhoneFrame();
  renderStatus();
  const board = !el.boardScreen.hidden;
  setPanelAvailable("facilitator", board && isFacilitator(), true);
  setPanelAvailable("hints", board && isStaff(), myRole() === "coach");
  setPanelAvailable("results", board && app.room.phase === "results", true);
  setPanelAvailable("evaluation", board && isStaff(), false);
  renderSessionBar();
  renderPrivateNotice();
  renderTimer();
  if (board) {
    const changes = app.board.takeChanges();
    renderAreas();
    if (applyView()) {
      // The canvas is not drawn while the list is shown; it is drawn whole when it comes back.
      canvasStale = true;
      closeIfNoteGone(app.view);
    } else {
      const canvasChanges = canvasStale ? Object.assign(new Changes().merge(changes), { all: true }) : changes;
      canvasStale = false;
      renderNotes(canvasChanges);
      renderClusters(canvasChanges);
    }
    renderList(changes);
    closeIfClusterGone();
    renderSpotlight();
  }
  renderRoundLabels(app.room);
  renderRoundStepper();
  renderFacilitatorPanel();
  renderResultsPanel();
  renderResultsLink(board);
  renderHints();
  renderFollow();
  renderDebrief();
  rememberCoach();
  renderEvaluationPanel();
  renderEvaluationSheet(board);
  renderProjector();
  renderTookPart(); // t14g: groups to hear from, participation per group
  renderReportBack(); // t14g: report back
  if (peopleDirty) {
    peopleDirty = false;
    renderPeople();
  }
  if (switched) keepFocusOnBoard();
}

/** The fields' maxlength: the limits the server says are in force. */
function renderLimits() {
  const fields = [[el.noteText, "note_text"], [el.hintText, "hint"], [el.clusterTitle, "cluster_title"], [el.promptInput, "prompt"]];
  for (const [field, name] of fields) {
    const most = limit(name);
    if (most !== null && field.maxLength !== most) field.maxLength = most;
  }
}

function renderHeader() {
  const room = app.confirmed.room;
  if (room && typeof room.title === "string" && room.title) {
    if (el.title.textContent !== room.title) {
      el.title.textContent = room.title;
      el.title.title = room.title; // the header shows two lines of a long title; this is all of it
    }
    const pageTitle = `${room.title} – Tavla`;
    if (document.title !== pageTitle) document.title = pageTitle;
  }
  const prompt = room && typeof room.prompt === "string" ? room.prompt : "";
  if (el.prompt.textContent !== prompt) el.prompt.textContent = prompt;
  show(el.prompt, Boolean(prompt));

  const me = currentMe();
  if (me && me.name) {
    const text = t("You: %(name)s (%(role)s)", { name: me.name, role: roleLabel(me.role) });
    if (el.me.textContent !== text) el.me.textContent = text;
    show(el.meWrap, true);
  } else {
    show(el.meWrap, false);
  }
}

function statusText(status, pending) {
  switch (status) {
    case "connected":
      return t("Connected");
    case "unsaved":
      return t("Connected, but changes cannot be saved right now. Unsent changes: %(count)s. They are saved on this device and will be sent.", { count: pending });
    case "connecting":
      return t("Connecting…");
    case "reconnecting":
      return pending
        ? t("Reconnecting… Unsent changes: %(count)s. They are saved on this device and will be sent.", { count: pending })
        : t("Reconnecting… Your changes are saved on this device and will be sent.");
    case "offline":
      return pending
        ? t("Offline. Unsent changes: %(count)s. They are saved on this device and will be sent when you are back online.", { count: pending })
        : t("Offline. Changes you make are saved on this device and will be sent when you are back online.");
    case "joining":
      return t("Not connected. Enter your name to join.");
    case "waiting":
      return t("Waiting to be let in…");
    case "removed":
      return t("Not connected: you are no longer in this session.");
    case "gone":
      return roomGone() === "deleted" ? t("This session was deleted.") : t("This session does not exist.");
    case "outdated":
      return t("Please reload the page: this version of Tavla is out of date.");
    default:
      return t("Not joined yet.");
  }
}

function renderStatus() {
  const status = roomGone() ? "gone" : app.conn ? app.conn.status : "idle";
  const pending = app.conn ? app.conn.pendingCount : 0;
  const text = statusText(status, pending);
  if (el.status.dataset.status !== status) el.status.dataset.status = status;
  if (lastStatusText !== text) {
    lastStatusText = text;
    el.statusText.textContent = text;
  }
  renderLimitedConnection(app.conn);
}

// -- coach links ---------------------------------------------------------------------------

let rememberedAs = ""; // the coach link and title this page last remembered

/** A coach's link is remembered in this browser for the landing page (never sent anywhere). */
function rememberCoach() {
  const room = app.confirmed.room;
  if (myRole() !== "coach" || !app.key || !room || !room.title) return;
  const seen = `${app.key}|${room.title}`;
  if (seen === rememberedAs) return;
  rememberedAs = seen;
  rememberCoachLink({ code, title: room.title, key: app.key });
}

// -- copy link -------------------------------------------------------------------------------

function setupCopyLink() {
  el.copyLink.addEventListener("click", async () => {
    const link = participantLink();
    if (await copyText(link)) toast(t("Link copied: %(link)s", { link }), "info");
    else toast(t("Could not copy. The link is: %(link)s", { link }), "info");
  });
}

// -- start -----------------------------------------------------------------------------------

function setup() {
  setRenderer(render);
  setupJoinForm(startConnection);
  setupPanels({ changed: scheduleRender });
  setupCopyLink();
  setupZoom();
  setupConfirm();
  setupTaps();
  setupNoteDialog({ spotlight: toggleSpotlight });
  setupNotesView({
    open: openNoteDialog,
    afterRender: closeIfNoteGone,
    spotlight: toggleSpotlight,
    movingGroup,
    dropTarget: markDropTarget,
  });
  setupClusterDialog({ spotlight: toggleSpotlight });
  setupClustersView({ open: openClusterDialog, spotlight: toggleSpotlight });
  setupFacilitatorPanel();
  setupRoundStepper();
  setupPlanEditor();
  setupCarryDialog();
  setupLobbyPanel();
  setupHintsPanel();
  setupFollow();
  setupDebrief();
  setupEvaluationPanel();
  setupEvaluationSheet();
  setupSpotlight();
  setupTimer();
  setupViewMode();
  setupListView({ render: scheduleRender });
  setupPhoneFrame();
  setupProjector({ changed: scheduleRender });
  setupTookPart();
  setupReportBack();
  window.addEventListener("hashchange", () => {
    const key = readKey();
    if (key !== app.key) {
      app.key = key;
      if (app.conn && hasJoined()) app.conn.restart();
    }
  });
}

async function main() {
  setup();
  await loadTranslations(body.dataset.lang || document.documentElement.lang || "en");
  app.scale = 1;
  setScale(initialScale());
  el.viewport.scrollLeft = 0;
  el.viewport.scrollTop = 0;
  if (!/^[A-Z0-9]{4,12}$/.test(code)) {
    showGone();
    return;
  }
  const token = storage.get(KEYS.token);
  if (token && app.name) {
    markJoined();
    showBoard();
    startConnection();
  } else {
    showJoin("");
  }
  render();
}

main();
