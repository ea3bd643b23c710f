// Confirmed state (what the server said) and the view model (confirmed + our pending ops).
// A small mirror of how events change state, for display only: the server owns the rules.

export const BOARD_WIDTH = 4000;
export const BOARD_HEIGHT = 3000;
export const NOTE_WIDTH = 220;
export const NOTE_MIN_HEIGHT = 140;
export const MAX_TEXT = 500;
export const COLORS = ["yellow", "pink", "blue", "green", "orange", "purple"];
export const ROLES = ["participant", "facilitator", "coach"];
export const PHASES = ["lobby", "write", "cluster", "vote", "results"];
export const TIMER_STATUSES = ["idle", "running", "paused", "finished"];
export const MAX_HINT = 500;

const clamp = (value, low, high) => Math.min(high, Math.max(low, value));

function str(value, fallback = "") {
  return typeof value === "string" ? value : fallback;
}

function num(value, fallback = 0) {
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

function cleanNote(data, previous) {
  const base = previous || {};
  return {
    id: str(data.id),
    text: str(data.text, base.text || ""),
    color: COLORS.includes(data.color) ? data.color : base.color || "yellow",
    x: clamp(num(data.x, base.x || 0), 0, BOARD_WIDTH),
    y: clamp(num(data.y, base.y || 0), 0, BOARD_HEIGHT),
    cluster: data.cluster === undefined ? base.cluster ?? null : data.cluster ?? null,
    author: data.author === undefined ? base.author ?? null : data.author ?? null,
    mine: data.mine === undefined ? Boolean(base.mine) : Boolean(data.mine),
    hidden: data.hidden === undefined ? Boolean(base.hidden) : Boolean(data.hidden),
    votes: typeof data.votes === "number" ? data.votes : data.votes === undefined ? base.votes ?? null : null,
  };
}

function cleanParticipant(data, previous) {
  return {
    id: str(data.id),
    name: str(data.name, previous ? previous.name : ""),
    department: str(data.department, previous ? previous.department : ""),
    role: ROLES.includes(data.role) ? data.role : previous ? previous.role : "participant",
    online: typeof data.online === "boolean" ? data.online : previous ? previous.online : true,
  };
}

function cleanSettings(data, previous) {
  const base = previous || { vote_budget: 5, max_votes_per_target: 3, private_writing: false };
  const value = data && typeof data === "object" ? data : {};
  return {
    vote_budget: Number.isInteger(value.vote_budget) ? value.vote_budget : base.vote_budget,
    max_votes_per_target: Number.isInteger(value.max_votes_per_target)
      ? value.max_votes_per_target
      : base.max_votes_per_target,
    private_writing: typeof value.private_writing === "boolean" ? value.private_writing : base.private_writing,
  };
}

function cleanArea(data) {
  if (!data || typeof data !== "object" || typeof data.id !== "string") return null;
  const w = num(data.w);
  const h = num(data.h);
  if (w <= 0 || h <= 0) return null;
  return { id: data.id, title: str(data.title), x: num(data.x), y: num(data.y), w, h };
}

/** The room as the client shows it; unknown fields are kept as they came. */
function cleanRoom(data) {
  const room = data && typeof data === "object" ? { ...data } : {};
  room.title = str(room.title);
  room.prompt = str(room.prompt);
  room.phase = PHASES.includes(room.phase) ? room.phase : "lobby";
  room.locked = Boolean(room.locked);
  room.settings = cleanSettings(room.settings);
  room.areas = Array.isArray(room.areas) ? room.areas.map(cleanArea).filter(Boolean) : [];
  room.spotlight = typeof room.spotlight === "string" && room.spotlight ? room.spotlight : null;
  return room;
}

/** A room with a `room.update` (the whole or a partial settings object) applied. */
function patchRoom(room, data) {
  const next = { ...room };
  if (typeof data.title === "string" && data.title) next.title = data.title;
  if (typeof data.prompt === "string") next.prompt = data.prompt;
  if (typeof data.locked === "boolean") next.locked = data.locked;
  if (data.settings && typeof data.settings === "object") next.settings = cleanSettings(data.settings, room.settings);
  return next;
}

export function cleanTimer(data) {
  const value = data && typeof data === "object" ? data : {};
  return {
    status: TIMER_STATUSES.includes(value.status) ? value.status : "idle",
    duration_ms: Math.max(0, num(value.duration_ms)),
    remaining_ms: Math.max(0, num(value.remaining_ms)),
    ends_at: typeof value.ends_at === "number" && Number.isFinite(value.ends_at) ? value.ends_at : null,
  };
}

function cleanHint(data) {
  if (!data || typeof data !== "object" || typeof data.id !== "string") return null;
  return { id: data.id, text: str(data.text), by: str(data.by), at: num(data.at) };
}

function cleanCounts(data) {
  const counts = {};
  for (const [author, count] of Object.entries(data)) {
    if (typeof count === "number" && Number.isFinite(count) && count > 0) counts[author] = count;
  }
  return counts;
}

export class BoardState {
  constructor() {
    this.room = null;
    this.timer = cleanTimer(null);
    this.notes = new Map(); // id → note; Map order is stacking order (last on top)
    this.clusters = [];
    this.myVotes = {};
    this.participants = new Map();
    // Facilitators and coaches only; null when the server did not send them (a participant).
    this.hiddenCounts = null; // author id → notes written privately, not revealed yet
    this.hints = null; // [{id, text, by, at}], oldest first
  }

  /** Replace everything with a `welcome.state`. */
  reset(state) {
    this.room = cleanRoom(state.room);
    this.timer = cleanTimer(state.timer);
    this.hiddenCounts =
      state.hidden_counts && typeof state.hidden_counts === "object" ? cleanCounts(state.hidden_counts) : null;
    this.hints = Array.isArray(state.hints) ? state.hints.map(cleanHint).filter(Boolean) : null;
    this.clusters = Array.isArray(state.clusters) ? state.clusters : [];
    this.myVotes = state.my_votes && typeof state.my_votes === "object" ? state.my_votes : {};
    this.notes = new Map();
    for (const note of Array.isArray(state.notes) ? state.notes : []) {
      if (note && typeof note.id === "string") this.notes.set(note.id, cleanNote(note));
    }
    this.setParticipants(Array.isArray(state.participants) ? state.participants : []);
  }

  setParticipants(list) {
    const next = new Map();
    for (const p of list) {
      if (p && typeof p.id === "string") next.set(p.id, cleanParticipant(p));
    }
    this.participants = next;
  }

  /** Apply one event frame; returns false for ops this version does not know. */
  apply(frame) {
    const data = frame.data && typeof frame.data === "object" ? frame.data : {};
    const id = str(data.id);
    switch (frame.op) {
      case "participant.join": {
        if (!id) return false;
        this.participants.set(id, cleanParticipant(data, this.participants.get(id)));
        return true;
      }
      case "note.create":
        if (!id) return false;
        this.notes.delete(id);
        this.notes.set(id, cleanNote(data));
        return true;
      case "note.update": {
        const note = this.notes.get(id);
        if (!note) return false;
        const patch = {};
        if (typeof data.text === "string") patch.text = data.text;
        if (COLORS.includes(data.color)) patch.color = data.color;
        this.notes.set(id, { ...note, ...patch });
        return true;
      }
      case "note.move": {
        const note = this.notes.get(id);
        if (!note) return false;
        // A moved note comes to the top, on every client alike.
        this.notes.delete(id);
        this.notes.set(id, {
          ...note,
          x: clamp(num(data.x, note.x), 0, BOARD_WIDTH),
          y: clamp(num(data.y, note.y), 0, BOARD_HEIGHT),
        });
        return true;
      }
      case "note.delete":
        return this.notes.delete(id);
      case "phase.set":
        if (!PHASES.includes(data.phase) || !this.room) return false;
        this.room = { ...this.room, phase: data.phase };
        return true;
      case "room.update":
        if (!this.room) return false;
        this.room = patchRoom(this.room, data);
        return true;
      case "notes.reveal": {
        // Private writing is over: every note anyone can see is visible to all.
        for (const [key, note] of this.notes) if (note.hidden) this.notes.set(key, { ...note, hidden: false });
        for (const raw of Array.isArray(data.notes) ? data.notes : []) {
          if (!raw || typeof raw.id !== "string") continue;
          const previous = this.notes.get(raw.id);
          this.notes.set(raw.id, { ...cleanNote(raw, previous), hidden: false });
        }
        if (this.hiddenCounts) this.hiddenCounts = {};
        // Revealing ends private writing on the server too.
        if (this.room && this.room.settings) {
          this.room = { ...this.room, settings: { ...this.room.settings, private_writing: false } };
        }
        return true;
      }
      case "timer.start":
      case "timer.pause":
      case "timer.resume":
      case "timer.reset":
      case "timer.add":
        if (!data.timer || typeof data.timer !== "object") return false;
        this.timer = cleanTimer(data.timer);
        return true;
      case "role.grant": {
        const who = this.participants.get(str(data.participant));
        if (!who || !ROLES.includes(data.role)) return false;
        this.participants.set(who.id, { ...who, role: data.role });
        return true;
      }
      case "coach.hint": {
        const hint = cleanHint(data);
        if (!hint) return false;
        this.hints = (this.hints || []).filter((h) => h.id !== hint.id).concat([hint]);
        return true;
      }
      case "spotlight":
        if (!this.room) return false;
        this.room = { ...this.room, spotlight: typeof data.target === "string" && data.target ? data.target : null };
        return true;
      case "hidden.count": {
        const author = str(data.author);
        if (!author) return false;
        const counts = { ...(this.hiddenCounts || {}) };
        if (typeof data.count === "number" && data.count > 0) counts[author] = data.count;
        else delete counts[author];
        this.hiddenCounts = counts;
        return true;
      }
      case "redacted":
        return true; // an event this client may not see: only its seq counts
      default:
        return false; // a newer server knows more ops; nothing to show for them yet
    }
  }
}

/**
 * The room to show: the confirmed room with our pending room changes (phase, prompt, lock,
 * settings, spotlight) applied, so that a facilitator's controls answer at once.
 */
export function viewRoom(confirmed, pendingOps) {
  let room = confirmed.room || cleanRoom(null);
  for (const entry of pendingOps) {
    const args = entry.args || {};
    if (entry.op === "phase.set" && PHASES.includes(args.phase)) room = { ...room, phase: args.phase };
    else if (entry.op === "room.update") room = patchRoom(room, args);
    else if (entry.op === "spotlight") {
      room = { ...room, spotlight: typeof args.target === "string" && args.target ? args.target : null };
    }
  }
  return room;
}

/**
 * The notes to show: confirmed notes with our pending ops applied on top, in order.
 * Each shown note gets `pending: true` when an op of ours on it is not confirmed yet.
 */
export function viewNotes(confirmed, pendingOps, me, options = {}) {
  const privately = Boolean(options.privateWriting);
  const notes = new Map(confirmed.notes);
  for (const entry of pendingOps) {
    const args = entry.args || {};
    const id = str(args.id);
    if (!id) continue;
    switch (entry.op) {
      case "note.create":
        if (!notes.has(id)) {
          notes.set(id, {
            ...cleanNote({ ...args, author: me ? me.id : null, mine: true, votes: null, hidden: privately }),
            pending: true,
          });
        }
        break;
      case "note.update": {
        const note = notes.get(id);
        if (!note) break;
        const patch = { pending: true };
        if (typeof args.text === "string") patch.text = args.text;
        if (COLORS.includes(args.color)) patch.color = args.color;
        notes.set(id, { ...note, ...patch });
        break;
      }
      case "note.move": {
        const note = notes.get(id);
        if (!note) break;
        notes.delete(id);
        notes.set(id, {
          ...note,
          x: clamp(num(args.x, note.x), 0, BOARD_WIDTH),
          y: clamp(num(args.y, note.y), 0, BOARD_HEIGHT),
          pending: true,
        });
        break;
      }
      case "note.delete":
        notes.delete(id);
        break;
      default:
        break;
    }
  }
  return notes;
}

export { clamp };
