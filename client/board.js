// The board page: join form, notes on the canvas, drag and keyboard, the note dialog,
// presence, connection status. All user text is rendered with textContent only.

import { Connection, makeId, storage } from "./connection.js";
import { loadTranslations, locale, t } from "./i18n.js";
import {
  BOARD_HEIGHT,
  BOARD_WIDTH,
  BoardState,
  COLORS,
  MAX_TEXT,
  NOTE_MIN_HEIGHT,
  NOTE_WIDTH,
  clamp,
  viewNotes,
} from "./state.js";

const $ = (id) => document.getElementById(id);

const body = document.body;
const code = (body.dataset.code || "").toUpperCase();

const KEYS = {
  token: `tavla:${code}:token`,
  name: "tavla:name",
  department: "tavla:department",
  zoom: "tavla:zoom",
  color: "tavla:color",
};

const MIN_SCALE = 0.1;
const MAX_SCALE = 2;
const ZOOM_STEP = 1.25;
const KEY_STEP = 20;
const KEY_STEP_LARGE = 100;
const DRAG_THRESHOLD_PX = 6;
const EDGE_SCROLL_PX = 48;
const TOAST_MS = 9000;

const el = {
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
};

const app = {
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
  lastStatusText: "",
};

// -- helpers ---------------------------------------------------------------------------------

function readKey() {
  const hash = location.hash.replace(/^#/, "");
  if (!hash) return null;
  const key = new URLSearchParams(hash).get("key");
  return key ? key : null;
}

function roleLabel(role) {
  if (role === "facilitator") return t("Facilitator");
  if (role === "coach") return t("Coach");
  return t("Participant");
}

function colorLabel(color) {
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

function participantLink() {
  return `${location.origin}/r/${encodeURIComponent(code)}`;
}

function currentMe() {
  if (!app.me) return null;
  const known = app.confirmed.participants.get(app.me.id);
  return known ? { ...app.me, ...known } : app.me;
}

function canEdit(note) {
  const me = currentMe();
  return Boolean(note.mine || (me && me.role === "facilitator"));
}

function clampX(x) {
  return clamp(x, 0, BOARD_WIDTH - NOTE_WIDTH);
}

function clampY(y) {
  return clamp(y, 0, BOARD_HEIGHT - NOTE_MIN_HEIGHT);
}

function show(node, visible) {
  node.hidden = !visible;
}

// -- announcements and toasts ----------------------------------------------------------------

function announce(message) {
  // Clear first, so that the same message twice is read twice.
  el.announcer.textContent = "";
  setTimeout(() => {
    el.announcer.textContent = message;
  }, 50);
}

function toast(message, kind) {
  if (!message) return;
  // The same message already on screen (a retry loop, say): say it once.
  for (const existing of el.toasts.querySelectorAll(".toast-text")) {
    if (existing.textContent === message) return;
  }
  if (kind === "error") {
    el.alertRegion.textContent = "";
    setTimeout(() => {
      el.alertRegion.textContent = message;
    }, 50);
  } else {
    announce(message);
  }
  const item = document.createElement("div");
  item.className = `toast toast-${kind === "error" ? "error" : "info"}`;
  const icon = document.createElement("span");
  icon.className = "toast-icon";
  icon.setAttribute("aria-hidden", "true");
  icon.textContent = kind === "error" ? "!" : "i";
  const text = document.createElement("p");
  text.className = "toast-text";
  text.textContent = message;
  const close = document.createElement("button");
  close.type = "button";
  close.className = "toast-close";
  const closeText = document.createElement("span");
  closeText.className = "visually-hidden";
  closeText.textContent = t("Dismiss");
  const closeIcon = document.createElement("span");
  closeIcon.setAttribute("aria-hidden", "true");
  closeIcon.textContent = "×";
  close.append(closeIcon, closeText);
  close.addEventListener("click", () => item.remove());
  item.append(icon, text, close);
  el.toasts.append(item);
  while (el.toasts.children.length > 4) el.toasts.firstElementChild.remove();
  // Information fades; an error stays until it is dismissed (or pushed out by newer ones).
  if (kind !== "error") setTimeout(() => item.remove(), TOAST_MS);
}

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
        app.confirmed.reset(state);
        app.peopleDirty = true;
      },
      event(frame) {
        app.confirmed.apply(frame);
        if (frame.op === "participant.join") app.peopleDirty = true;
      },
      welcome(you) {
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
        app.peopleDirty = true;
      },
      presence(list) {
        app.confirmed.setParticipants(list);
        app.peopleDirty = true;
      },
      refused({ message, retrying }) {
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
      gone() {
        showGone();
      },
      change() {
        scheduleRender();
      },
    },
  });
  app.conn.start();
}

// -- screens ---------------------------------------------------------------------------------

function showJoin(errorMessage) {
  show(el.goneScreen, false);
  show(el.boardScreen, false);
  show(el.joinScreen, true);
  show(el.changeName, false);
  show(el.peopleToggle, false);
  el.joinName.value = app.name;
  el.joinDepartment.value = app.department;
  show(el.joinRoleNote, Boolean(app.key));
  show(el.joinCancel, app.joined && !errorMessage);
  setFieldError(el.joinName, el.joinNameError, "");
  show(el.joinError, Boolean(errorMessage));
  el.joinError.textContent = errorMessage || "";
  el.joinName.focus();
  scheduleRender();
}

function showBoard() {
  show(el.joinScreen, false);
  show(el.goneScreen, false);
  show(el.boardScreen, true);
  show(el.changeName, true);
  show(el.peopleToggle, true);
  setPeopleOpen(app.peopleOpen ?? window.matchMedia("(min-width: 62rem)").matches);
  scheduleRender();
}

function showGone() {
  app.gone = true;
  show(el.joinScreen, false);
  show(el.boardScreen, false);
  show(el.changeName, false);
  show(el.peopleToggle, false);
  show(el.goneScreen, true);
  if (el.dialog.open) el.dialog.close();
  scheduleRender();
  const heading = el.goneScreen.querySelector("h2");
  if (heading) heading.focus();
}

function setFieldError(input, errorEl, message) {
  errorEl.textContent = message;
  show(errorEl, Boolean(message));
  if (message) input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
}

el.joinForm.addEventListener("submit", (e) => {
  e.preventDefault();
  const name = el.joinName.value.trim();
  const department = el.joinDepartment.value.trim();
  if (!name) {
    setFieldError(el.joinName, el.joinNameError, t("Please enter your name."));
    el.joinName.focus();
    return;
  }
  setFieldError(el.joinName, el.joinNameError, "");
  const changed = name !== app.name || department !== app.department;
  app.name = name;
  app.department = department;
  storage.set(KEYS.name, name);
  storage.set(KEYS.department, department);
  const first = !app.joined;
  app.joined = true;
  showBoard();
  if (first || changed || !app.conn || app.conn.status === "joining") startConnection();
  el.addNote.focus();
});

el.joinCancel.addEventListener("click", () => {
  showBoard();
  if (app.peopleOpen) el.changeName.focus();
  else el.peopleToggle.focus();
});

el.changeName.addEventListener("click", () => showJoin(""));

// -- rendering -------------------------------------------------------------------------------

function scheduleRender() {
  if (app.renderQueued) return;
  app.renderQueued = true;
  const run = () => {
    if (!app.renderQueued) return;
    app.renderQueued = false;
    render();
  };
  requestAnimationFrame(run);
  setTimeout(run, 100); // background tabs get no animation frames
}

function render() {
  renderHeader();
  renderStatus();
  if (!el.boardScreen.hidden) renderNotes();
  if (app.peopleDirty) {
    app.peopleDirty = false;
    renderPeople();
  }
}

function renderHeader() {
  const room = app.confirmed.room;
  if (room && typeof room.title === "string" && room.title) {
    if (el.title.textContent !== room.title) el.title.textContent = room.title;
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
    case "gone":
      return t("This session does not exist.");
    case "outdated":
      return t("Please reload the page: this version of Tavla is out of date.");
    default:
      return t("Not joined yet.");
  }
}

function renderStatus() {
  const status = app.gone ? "gone" : app.conn ? app.conn.status : "idle";
  const pending = app.conn ? app.conn.pendingCount : 0;
  const text = statusText(status, pending);
  if (el.status.dataset.status !== status) el.status.dataset.status = status;
  if (app.lastStatusText !== text) {
    app.lastStatusText = text;
    el.statusText.textContent = text;
  }
}

function createNoteEl(id) {
  const node = document.createElement("div");
  node.className = "note";
  node.dataset.noteId = id;
  node.tabIndex = 0;
  node.setAttribute("role", "button");
  node.setAttribute("aria-roledescription", t("note"));
  node.setAttribute("aria-describedby", "board-help");
  const text = document.createElement("p");
  text.className = "note-text";
  const footer = document.createElement("p");
  footer.className = "note-footer";
  const author = document.createElement("span");
  author.className = "note-author";
  const badges = document.createElement("span");
  badges.className = "note-badges";
  footer.append(author, badges);
  const color = document.createElement("span");
  color.className = "visually-hidden";
  node.append(text, footer, color);
  return { el: node, text, author, badges, color, sig: "", x: null, y: null, z: null, cls: "" };
}

function authorName(note) {
  if (!note.author) return "";
  const p = app.confirmed.participants.get(note.author);
  if (p && p.name) return p.name;
  if (note.mine && app.me && app.me.name) return app.me.name;
  return "";
}

function badgeTexts(note, connected) {
  const list = [];
  if (note.pending && !connected) list.push(["pending", t("Not sent yet")]);
  if (note.hidden) list.push(["hidden", t("Only you can see this")]);
  if (typeof note.votes === "number") list.push(["votes", t("Votes: %(count)s", { count: note.votes })]);
  return list;
}

function placeNote(item, x, y) {
  const dx = Math.round(clampX(x));
  const dy = Math.round(clampY(y));
  if (item.x === dx && item.y === dy) return;
  item.x = dx;
  item.y = dy;
  item.el.style.transform = `translate(${dx}px, ${dy}px)`;
}

function updateNoteEl(item, note, z, connected) {
  const author = authorName(note);
  const badges = badgeTexts(note, connected);
  const sig = JSON.stringify([note.text, author, note.color, badges]);
  if (sig !== item.sig) {
    item.sig = sig;
    item.text.textContent = note.text;
    item.author.textContent = author;
    const nodes = badges.map(([kind, label]) => {
      const badge = document.createElement("span");
      badge.className = `note-badge note-badge-${kind}`;
      badge.textContent = label;
      return badge;
    });
    item.badges.replaceChildren(...nodes);
    item.color.textContent = t("%(color)s note", { color: colorLabel(note.color) });
  }
  const cls = [
    "note",
    `note-${note.color}`,
    note.pending ? "is-pending" : "",
    note.mine ? "is-mine" : "",
    note.hidden ? "is-hidden" : "",
    app.drag && app.drag.id === note.id && app.drag.moved ? "is-dragging" : "",
  ]
    .filter(Boolean)
    .join(" ");
  if (cls !== item.cls) {
    item.cls = cls;
    item.el.className = cls;
  }
  if (item.z !== z) {
    item.z = z;
    item.el.style.zIndex = String(z);
  }
  const dragging = app.drag && app.drag.id === note.id && app.drag.moved;
  if (dragging) return;
  if (app.keyMove && app.keyMove.id === note.id) placeNote(item, app.keyMove.x, app.keyMove.y);
  else placeNote(item, note.x, note.y);
}

function renderNotes() {
  const pending = app.conn ? app.conn.pendingOps() : [];
  const view = viewNotes(app.confirmed, pending, currentMe());
  app.view = view;
  const connected = app.conn ? app.conn.status === "connected" : false;
  let z = 1;
  for (const note of view.values()) {
    let item = app.noteEls.get(note.id);
    if (!item) {
      item = createNoteEl(note.id);
      app.noteEls.set(note.id, item);
      el.canvas.append(item.el);
    }
    updateNoteEl(item, note, z++, connected);
  }
  for (const [id, item] of app.noteEls) {
    if (view.has(id)) continue;
    const hadFocus = document.activeElement === item.el;
    const neighbour = neighbourNote(item.el);
    if (app.drag && app.drag.id === id) app.drag = null;
    item.el.remove();
    app.noteEls.delete(id);
    if (hadFocus) (neighbour || el.viewport).focus({ preventScroll: false });
  }
  show(el.emptyHint, view.size === 0 && Boolean(app.conn && app.conn.everWelcomed));

  if (!app.scrolledToNotes && app.conn && app.conn.everWelcomed) {
    app.scrolledToNotes = true;
    scrollToNotes(view);
  }
  if (app.editing && app.editing.id && !view.has(app.editing.id) && el.dialog.open) {
    app.editing.returnFocus = el.addNote;
    el.dialog.close();
    toast(t("This note was deleted."), "info");
  }
}

function neighbourNote(node) {
  let next = node.nextElementSibling;
  while (next && !next.matches(".note")) next = next.nextElementSibling;
  if (next) return next;
  let prev = node.previousElementSibling;
  while (prev && !prev.matches(".note")) prev = prev.previousElementSibling;
  return prev;
}

function scrollToNotes(view) {
  if (view.size === 0) return;
  let minX = Infinity;
  let minY = Infinity;
  for (const note of view.values()) {
    minX = Math.min(minX, note.x);
    minY = Math.min(minY, note.y);
  }
  el.viewport.scrollLeft = Math.max(0, (minX - 40) * app.scale);
  el.viewport.scrollTop = Math.max(0, (minY - 40) * app.scale);
}

function renderPeople() {
  const participants = [...app.confirmed.participants.values()];
  const me = currentMe();
  const rank = { facilitator: 0, coach: 1, participant: 2 };
  participants.sort(
    (a, b) =>
      Number(b.online) - Number(a.online) ||
      (rank[a.role] ?? 3) - (rank[b.role] ?? 3) ||
      a.name.localeCompare(b.name, locale()),
  );
  const online = participants.filter((p) => p.online).length;
  el.peopleCount.textContent = String(online);
  el.peopleSummary.textContent = t("Online: %(count)s of %(total)s", { count: online, total: participants.length });

  const items = participants.map((p) => {
    const li = document.createElement("li");
    li.className = `person ${p.online ? "is-online" : "is-offline"}`;
    const dot = document.createElement("span");
    dot.className = "person-dot";
    dot.setAttribute("aria-hidden", "true");
    const main = document.createElement("span");
    main.className = "person-main";
    const name = document.createElement("span");
    name.className = "person-name";
    name.textContent = me && p.id === me.id ? t("%(name)s (you)", { name: p.name }) : p.name;
    main.append(name);
    if (p.department) {
      const dept = document.createElement("span");
      dept.className = "person-department";
      dept.textContent = p.department;
      main.append(dept);
    }
    const meta = document.createElement("span");
    meta.className = "person-meta";
    if (p.role !== "participant") {
      const role = document.createElement("span");
      role.className = `role-badge role-${p.role}`;
      role.textContent = roleLabel(p.role);
      meta.append(role);
    }
    const state = document.createElement("span");
    state.className = "person-state";
    state.textContent = p.online ? t("Online") : t("Offline");
    meta.append(state);
    li.append(dot, main, meta);
    return li;
  });
  el.peopleList.replaceChildren(...items);

  const departments = [...new Set(participants.map((p) => p.department.trim()).filter(Boolean))].sort((a, b) =>
    a.localeCompare(b, locale()),
  );
  el.departments.replaceChildren(
    ...departments.map((d) => {
      const option = document.createElement("option");
      option.value = d;
      return option;
    }),
  );
}

// -- people panel ----------------------------------------------------------------------------

function setPeopleOpen(open) {
  app.peopleOpen = open;
  show(el.peoplePanel, open);
  el.peopleToggle.setAttribute("aria-expanded", String(open));
  el.boardScreen.classList.toggle("people-open", open);
}

el.peopleToggle.addEventListener("click", () => {
  const open = !app.peopleOpen;
  setPeopleOpen(open);
  if (open && window.matchMedia("(max-width: 61.99rem)").matches) el.peopleClose.focus();
});

el.peopleClose.addEventListener("click", () => {
  setPeopleOpen(false);
  el.peopleToggle.focus();
});

el.peoplePanel.addEventListener("keydown", (e) => {
  if (e.key === "Escape" && window.matchMedia("(max-width: 61.99rem)").matches) {
    setPeopleOpen(false);
    el.peopleToggle.focus();
  }
});

// -- copy link -------------------------------------------------------------------------------

async function copyText(text) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the old way
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.className = "offscreen";
  document.body.append(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

el.copyLink.addEventListener("click", async () => {
  const link = participantLink();
  if (await copyText(link)) toast(t("Link copied: %(link)s", { link }), "info");
  else toast(t("Could not copy. The link is: %(link)s", { link }), "info");
});

// -- zoom ------------------------------------------------------------------------------------

let percent = null; // made after the language is known

function formatPercent(value) {
  if (!percent) percent = new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: 0 });
  return percent.format(value);
}

function setScale(next, anchor) {
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

el.zoomIn.addEventListener("click", () => setScale(app.scale * ZOOM_STEP));
el.zoomOut.addEventListener("click", () => setScale(app.scale / ZOOM_STEP));
el.zoomFit.addEventListener("click", () => {
  const vp = el.viewport;
  const fit = Math.min(vp.clientWidth / BOARD_WIDTH, vp.clientHeight / BOARD_HEIGHT);
  setScale(fit);
  vp.scrollLeft = 0;
  vp.scrollTop = 0;
  announce(t("Showing the whole board."));
});

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

function initialScale() {
  const stored = Number.parseFloat(storage.get(KEYS.zoom) || "");
  if (Number.isFinite(stored) && stored >= MIN_SCALE && stored <= MAX_SCALE) return stored;
  return window.matchMedia("(max-width: 40rem)").matches ? 0.7 : 0.8;
}

// -- notes: create, edit, delete, move -------------------------------------------------------

function send(op, args) {
  if (!app.conn) return null;
  return app.conn.send(op, args);
}

/** A free spot near the centre of what the person sees: new notes tile instead of piling up. */
function newNotePosition() {
  const vp = el.viewport;
  const s = app.scale;
  const cx = (vp.scrollLeft + vp.clientWidth / 2) / s - NOTE_WIDTH / 2;
  const cy = (vp.scrollTop + vp.clientHeight / 2) / s - NOTE_MIN_HEIGHT / 2;
  const notes = [...app.view.values()];
  const gapX = NOTE_WIDTH + 24;
  const gapY = NOTE_MIN_HEIGHT + 24;
  const free = (x, y) =>
    !notes.some((n) => Math.abs(clampX(n.x) - x) < gapX - 8 && Math.abs(clampY(n.y) - y) < gapY - 8);
  // Rings of candidate spots around the centre, nearest first.
  for (let ring = 0; ring <= 6; ring++) {
    const spots = [];
    for (let i = -ring; i <= ring; i++) {
      for (let j = -ring; j <= ring; j++) {
        if (Math.max(Math.abs(i), Math.abs(j)) !== ring) continue;
        spots.push([cx + i * gapX, cy + j * gapY]);
      }
    }
    spots.sort((a, b) => Math.hypot(a[0] - cx, a[1] - cy) - Math.hypot(b[0] - cx, b[1] - cy));
    for (const [x, y] of spots) {
      const px = clampX(x);
      const py = clampY(y);
      if (px !== x || py !== y) continue; // off the board
      if (free(px, py)) return { x: Math.round(px), y: Math.round(py) };
    }
  }
  // A crowded board: near the centre, a little offset so it is still visible.
  const jitter = () => Math.random() * 60 - 30;
  return { x: Math.round(clampX(cx + jitter())), y: Math.round(clampY(cy + jitter())) };
}

function colorInputs() {
  return [...el.noteForm.querySelectorAll('input[name="color"]')];
}

function updateCount() {
  const length = el.noteText.value.length;
  el.noteCount.textContent = t("%(count)s of %(max)s characters", { count: length, max: MAX_TEXT });
}

function openNoteDialog(id, returnFocus) {
  if (el.dialog.open) return;
  const note = id ? app.view.get(id) : null;
  if (id && !note) return;
  if (note && !canEdit(note)) {
    toast(t("You can only change your own notes."), "info");
    return;
  }
  app.editing = { id: id || null, returnFocus: returnFocus || document.activeElement };
  el.dialogTitle.textContent = note ? t("Edit note") : t("New note");
  el.noteText.value = note ? note.text : "";
  const chosen = note ? note.color : COLORS.includes(storage.get(KEYS.color)) ? storage.get(KEYS.color) : "yellow";
  for (const input of colorInputs()) input.checked = input.value === chosen;
  show(el.noteDelete, Boolean(note));
  setFieldError(el.noteText, el.noteTextError, "");
  updateCount();
  el.dialog.showModal();
  el.noteText.focus();
  if (note) el.noteText.setSelectionRange(el.noteText.value.length, el.noteText.value.length);
}

el.dialog.addEventListener("close", () => {
  const target = app.editing && app.editing.returnFocus;
  app.editing = null;
  const fallback = el.addNote;
  const focusable = target && target.isConnected && !target.hidden ? target : fallback;
  if (focusable && typeof focusable.focus === "function") focusable.focus();
});

el.noteText.addEventListener("input", () => {
  updateCount();
  if (!el.noteTextError.hidden && el.noteText.value.trim()) setFieldError(el.noteText, el.noteTextError, "");
});

el.noteForm.addEventListener("submit", (e) => {
  e.preventDefault();
  const text = el.noteText.value.trim();
  if (!text) {
    setFieldError(el.noteText, el.noteTextError, t("Please write something on the note."));
    el.noteText.focus();
    return;
  }
  if (text.length > MAX_TEXT) {
    setFieldError(el.noteText, el.noteTextError, t("The text is too long (at most %(max)s characters).", { max: MAX_TEXT }));
    el.noteText.focus();
    return;
  }
  const checked = colorInputs().find((input) => input.checked);
  const color = checked && COLORS.includes(checked.value) ? checked.value : "yellow";
  const editing = app.editing || { id: null };
  if (editing.id) {
    const note = app.view.get(editing.id);
    if (!note) {
      el.dialog.close();
      toast(t("This note was deleted."), "info");
      return;
    }
    const args = { id: editing.id };
    if (text !== note.text) args.text = text;
    if (color !== note.color) args.color = color;
    if (Object.keys(args).length > 1) {
      send("note.update", args);
      announce(t("Note saved."));
    }
  } else {
    const { x, y } = newNotePosition();
    send("note.create", { id: makeId("n_"), text, color, x, y });
    storage.set(KEYS.color, color);
    announce(t("Note added."));
  }
  el.dialog.close();
});

el.noteCancel.addEventListener("click", () => el.dialog.close());

el.noteDelete.addEventListener("click", () => {
  const id = app.editing && app.editing.id;
  if (!id) return;
  app.editing.returnFocus = el.addNote;
  el.dialog.close();
  deleteNote(id);
});

function deleteNote(id) {
  if (!app.view.has(id)) return;
  send("note.delete", { id });
  announce(t("Note deleted."));
}

el.addNote.addEventListener("click", () => openNoteDialog(null, el.addNote));

function moveNote(id, x, y) {
  const note = app.view.get(id);
  if (!note) return;
  const nx = Math.round(clampX(x));
  const ny = Math.round(clampY(y));
  if (nx === Math.round(note.x) && ny === Math.round(note.y)) return;
  send("note.move", { id, x: nx, y: ny });
}

// Keyboard: arrows move (held keys send one move when released), Enter edits, Delete deletes.
function flushKeyMove() {
  const km = app.keyMove;
  if (!km) return;
  clearTimeout(km.timer);
  app.keyMove = null;
  moveNote(km.id, km.x, km.y);
  scheduleRender();
}

el.canvas.addEventListener("keydown", (e) => {
  const node = e.target.closest && e.target.closest(".note");
  if (!node || node !== e.target) return;
  const id = node.dataset.noteId;
  const note = app.view.get(id);
  if (!note) return;
  if (e.altKey || e.ctrlKey || e.metaKey) return;
  const step = e.shiftKey ? KEY_STEP_LARGE : KEY_STEP;
  const deltas = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
  if (deltas[e.key]) {
    e.preventDefault();
    const [dx, dy] = deltas[e.key];
    if (app.keyMove && app.keyMove.id !== id) flushKeyMove();
    const base = app.keyMove || { id, x: clampX(note.x), y: clampY(note.y), timer: null };
    const km = { id, x: clampX(base.x + dx), y: clampY(base.y + dy), timer: base.timer };
    app.keyMove = km;
    if (e.repeat) {
      const item = app.noteEls.get(id);
      if (item) placeNote(item, km.x, km.y);
      clearTimeout(km.timer);
      km.timer = setTimeout(flushKeyMove, 300);
    } else {
      flushKeyMove();
    }
    node.scrollIntoView({ block: "nearest", inline: "nearest" });
    return;
  }
  if (e.key === "Enter" || e.key === " " || e.key === "F2") {
    e.preventDefault();
    openNoteDialog(id, node);
    return;
  }
  if (e.key === "Delete" || e.key === "Backspace") {
    e.preventDefault();
    deleteNote(id);
  }
});

el.canvas.addEventListener("keyup", (e) => {
  if (e.key.startsWith("Arrow") && app.keyMove) flushKeyMove();
});

el.canvas.addEventListener("focusout", (e) => {
  if (app.keyMove && e.target.dataset && e.target.dataset.noteId === app.keyMove.id) flushKeyMove();
});

// Pointer: drag a note (mouse, touch, pen), one move on drop. A tap on touch opens the editor.
function toBoard(e) {
  const rect = el.canvas.getBoundingClientRect();
  return { x: (e.clientX - rect.left) / app.scale, y: (e.clientY - rect.top) / app.scale };
}

function edgeScroll(e) {
  const rect = el.viewport.getBoundingClientRect();
  const speed = 18;
  if (e.clientX < rect.left + EDGE_SCROLL_PX) el.viewport.scrollLeft -= speed;
  else if (e.clientX > rect.right - EDGE_SCROLL_PX) el.viewport.scrollLeft += speed;
  if (e.clientY < rect.top + EDGE_SCROLL_PX) el.viewport.scrollTop -= speed;
  else if (e.clientY > rect.bottom - EDGE_SCROLL_PX) el.viewport.scrollTop += speed;
}

el.canvas.addEventListener("pointerdown", (e) => {
  const node = e.target.closest && e.target.closest(".note");
  if (!node || app.drag) return;
  if (e.pointerType === "mouse" && e.button !== 0) return;
  const id = node.dataset.noteId;
  const note = app.view.get(id);
  if (!note) return;
  if (app.keyMove) flushKeyMove();
  const point = toBoard(e);
  app.drag = {
    id,
    node,
    pointerId: e.pointerId,
    type: e.pointerType,
    startX: e.clientX,
    startY: e.clientY,
    grabX: point.x - clampX(note.x),
    grabY: point.y - clampY(note.y),
    x: clampX(note.x),
    y: clampY(note.y),
    moved: false,
  };
  try {
    node.setPointerCapture(e.pointerId);
  } catch {
    // capture is a nicety
  }
});

el.canvas.addEventListener("pointermove", (e) => {
  const d = app.drag;
  if (!d || e.pointerId !== d.pointerId) return;
  if (!d.moved) {
    if (Math.hypot(e.clientX - d.startX, e.clientY - d.startY) < DRAG_THRESHOLD_PX) return;
    d.moved = true;
    d.node.classList.add("is-dragging");
  }
  e.preventDefault();
  edgeScroll(e);
  const point = toBoard(e);
  d.x = clampX(point.x - d.grabX);
  d.y = clampY(point.y - d.grabY);
  const item = app.noteEls.get(d.id);
  if (item) placeNote(item, d.x, d.y);
});

function endDrag(e, commit) {
  const d = app.drag;
  if (!d || e.pointerId !== d.pointerId) return;
  app.drag = null;
  d.node.classList.remove("is-dragging");
  try {
    d.node.releasePointerCapture(e.pointerId);
  } catch {
    // already released
  }
  if (d.moved) {
    if (commit) moveNote(d.id, d.x, d.y);
    const item = app.noteEls.get(d.id);
    if (item) item.cls = ""; // force the class list to be rewritten
    scheduleRender();
  } else if (commit && d.type !== "mouse") {
    openNoteDialog(d.id, d.node);
  }
}

el.canvas.addEventListener("pointerup", (e) => endDrag(e, true));
el.canvas.addEventListener("pointercancel", (e) => endDrag(e, false));
el.canvas.addEventListener("lostpointercapture", (e) => endDrag(e, true));

el.canvas.addEventListener("dblclick", (e) => {
  const node = e.target.closest && e.target.closest(".note");
  if (node) openNoteDialog(node.dataset.noteId, node);
});

window.addEventListener("keydown", (e) => {
  if (e.key === "Escape" && app.drag) {
    const d = app.drag;
    endDrag({ pointerId: d.pointerId }, false);
  }
});

// Mouse drag on the empty board pans it (touch already scrolls natively).
el.viewport.addEventListener("pointerdown", (e) => {
  if (e.pointerType !== "mouse" || e.button !== 0) return;
  if (e.target.closest && e.target.closest(".note")) return;
  app.pan = { pointerId: e.pointerId, x: e.clientX, y: e.clientY, left: el.viewport.scrollLeft, top: el.viewport.scrollTop };
  el.viewport.classList.add("is-panning");
  try {
    el.viewport.setPointerCapture(e.pointerId);
  } catch {
    // fine
  }
});

el.viewport.addEventListener("pointermove", (e) => {
  const p = app.pan;
  if (!p || p.pointerId !== e.pointerId) return;
  el.viewport.scrollLeft = p.left - (e.clientX - p.x);
  el.viewport.scrollTop = p.top - (e.clientY - p.y);
});

function endPan(e) {
  if (!app.pan || app.pan.pointerId !== e.pointerId) return;
  app.pan = null;
  el.viewport.classList.remove("is-panning");
}

el.viewport.addEventListener("pointerup", endPan);
el.viewport.addEventListener("pointercancel", endPan);

// -- start -----------------------------------------------------------------------------------

window.addEventListener("hashchange", () => {
  const key = readKey();
  if (key !== app.key) {
    app.key = key;
    if (app.conn && app.joined) app.conn.restart();
  }
});

async function main() {
  await loadTranslations(body.dataset.lang || document.documentElement.lang || "en");
  app.scale = 1;
  setScale(initialScale());
  el.viewport.scrollLeft = 0;
  el.viewport.scrollTop = 0;
  app.peopleOpen = window.matchMedia("(min-width: 62rem)").matches;
  if (!/^[A-Z0-9]{4,12}$/.test(code)) {
    showGone();
    return;
  }
  const token = storage.get(KEYS.token);
  if (token && app.name) {
    app.joined = true;
    showBoard();
    startConnection();
  } else {
    showJoin("");
  }
  render();
}

main();
