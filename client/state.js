// Confirmed state (what the server said) and the view model (confirmed + our pending ops).
// A small mirror of how events change state, for display only: the server owns the rules.

export const BOARD_WIDTH = 4000;
export const BOARD_HEIGHT = 3000;
export const NOTE_WIDTH = 220;
export const NOTE_MIN_HEIGHT = 140;
export const MAX_TEXT = 500;
export const COLORS = ["yellow", "pink", "blue", "green", "orange", "purple"];
export const ROLES = ["participant", "facilitator", "coach"];

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

export class BoardState {
  constructor() {
    this.room = null;
    this.timer = null;
    this.notes = new Map(); // id → note; Map order is stacking order (last on top)
    this.clusters = [];
    this.myVotes = {};
    this.participants = new Map();
  }

  /** Replace everything with a `welcome.state`. */
  reset(state) {
    this.room = state.room && typeof state.room === "object" ? { ...state.room } : { title: "" };
    this.timer = state.timer || null;
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
      default:
        return false; // a newer server knows more ops; nothing to show for them yet
    }
  }
}

/**
 * The notes to show: confirmed notes with our pending ops applied on top, in order.
 * Each shown note gets `pending: true` when an op of ours on it is not confirmed yet.
 */
export function viewNotes(confirmed, pendingOps, me) {
  const notes = new Map(confirmed.notes);
  for (const entry of pendingOps) {
    const args = entry.args || {};
    const id = str(args.id);
    if (!id) continue;
    switch (entry.op) {
      case "note.create":
        if (!notes.has(id)) {
          notes.set(id, {
            ...cleanNote({ ...args, author: me ? me.id : null, mine: true, votes: null, hidden: false }),
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
