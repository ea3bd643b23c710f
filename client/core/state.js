// The client's one reducer: `BoardState.apply` folds an event frame into the board. Confirmed
// events (what the server said) and predicted events (our pending ops, see `predict`) go
// through the same `apply`; `Speculation` keeps the confirmed state and the view (confirmed +
// predictions) and rebases the predictions whenever the confirmed state or the pending ops
// change. For display only: the server owns the rules and has the last word.

import { applyEvaluation, cleanEvaluation } from "./evaluation.js";

export const BOARD_WIDTH = 4000;
export const BOARD_HEIGHT = 3000;
export const NOTE_WIDTH = 220;
export const NOTE_MIN_HEIGHT = 140;
export const COLORS = ["yellow", "pink", "blue", "green", "orange", "purple"];
export const ROLES = ["participant", "facilitator", "coach"];
export const PHASES = ["lobby", "write", "cluster", "vote", "results"];
export const TIMER_STATUSES = ["idle", "running", "paused", "finished"];
export const VOTE_ON = ["notes", "clusters", "both"];

// note.z stays below the layers of a focused (9000), spotlit (8000) or dragged note (client/css/notes.css).
const MAX_STACK = 7000;

const clamp = (value, low, high) => Math.min(high, Math.max(low, value));

function str(value, fallback = "") {
  return typeof value === "string" ? value : fallback;
}

function num(value, fallback = 0) {
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

function cleanNote(data, previous) {
  const base = previous || {};
  // A photo note's picture and its text alternative (only photo notes carry the two keys, as
  // in the server's projection; a photo never changes once the note is made).
  const photo = typeof data.photo === "string" && data.photo ? data.photo : base.photo;
  const picture = photo ? { photo, alt: str(data.alt, base.alt || "") } : {};
  return {
    ...picture,
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

function cleanCluster(data, previous) {
  const base = previous || {};
  return {
    id: str(data.id),
    title: str(data.title, base.title || ""),
    x: clamp(num(data.x, base.x || 0), 0, BOARD_WIDTH),
    y: clamp(num(data.y, base.y || 0), 0, BOARD_HEIGHT),
    creator: data.creator === undefined ? base.creator ?? null : data.creator ?? null,
    votes: typeof data.votes === "number" ? data.votes : data.votes === undefined ? base.votes ?? null : null,
  };
}

function cleanVotes(data) {
  const votes = {};
  if (!data || typeof data !== "object") return votes;
  for (const [target, n] of Object.entries(data)) {
    if (Number.isInteger(n) && n > 0) votes[target] = n;
  }
  return votes;
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
  const base = previous || { vote_budget: 5, max_votes_per_target: 3, private_writing: false, vote_on: "both", lobby: false };
  const value = data && typeof data === "object" ? data : {};
  return {
    vote_budget: Number.isInteger(value.vote_budget) ? value.vote_budget : base.vote_budget,
    max_votes_per_target: Number.isInteger(value.max_votes_per_target)
      ? value.max_votes_per_target
      : base.max_votes_per_target,
    private_writing: typeof value.private_writing === "boolean" ? value.private_writing : base.private_writing,
    vote_on: VOTE_ON.includes(value.vote_on) ? value.vote_on : base.vote_on || "both",
    lobby: typeof value.lobby === "boolean" ? value.lobby : Boolean(base.lobby),
  };
}

function cleanArea(data) {
  if (!data || typeof data !== "object" || typeof data.id !== "string") return null;
  const w = num(data.w);
  const h = num(data.h);
  if (w <= 0 || h <= 0) return null;
  return { id: data.id, title: str(data.title), x: num(data.x), y: num(data.y), w, h };
}

/** A round of the session's plan (room.rounds[i]); its summary is for staff only. */
function cleanRound(data) {
  if (!data || typeof data !== "object" || typeof data.id !== "string" || !data.id) return null;
  const areas = Array.isArray(data.areas)
    ? data.areas.filter((a) => a && typeof a === "object").map((a) => ({ ...a, id: str(a.id), title: str(a.title) }))
    : [];
  return {
    ...data,
    id: data.id,
    title: str(data.title),
    prompt: str(data.prompt),
    areas,
    phases: Array.isArray(data.phases) ? data.phases.filter((p) => PHASES.includes(p)) : [],
    timer_ms: Math.max(0, num(data.timer_ms)),
    summary: data.summary && typeof data.summary === "object" ? data.summary : null,
  };
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
  room.revealed = { votes: Boolean(room.revealed && room.revealed.votes) };
  room.results_published = Boolean(room.results_published);
  room.rounds = Array.isArray(room.rounds) ? room.rounds.map(cleanRound).filter(Boolean) : [];
  room.round = typeof room.round === "string" ? room.round : room.rounds.length ? room.rounds[0].id : "";
  room.hear_from = cleanGroupList(room.hear_from); // t14g: the groups to hear from
  return room;
}

/** The groups to hear from (t14g): strings only. */
function cleanGroupList(list) {
  return Array.isArray(list) ? list.filter((g) => typeof g === "string" && g.trim()) : [];
}

/** The report back (t14g), staff only: null when the server did not send it. */
function cleanReport(data) {
  if (!data || typeof data !== "object") return null;
  const owners = {};
  if (data.owners && typeof data.owners === "object") {
    for (const [idea, owner] of Object.entries(data.owners)) if (typeof owner === "string" && owner) owners[idea] = owner;
  }
  return { next_steps: str(data.next_steps), hear_back: str(data.hear_back), owners };
}

/** The room before the first welcome: every field with its default. */
export function emptyRoom() {
  return cleanRoom(null);
}

/** Whether votes are revealed in `room` (totals are shown). */
export function votesRevealed(room) {
  return Boolean(room && room.revealed && room.revealed.votes);
}

/** A room with a `room.update` (the whole or a partial settings object) applied. */
function patchRoom(room, data) {
  const next = { ...room };
  if (typeof data.title === "string" && data.title) next.title = data.title;
  if (typeof data.prompt === "string") {
    next.prompt = data.prompt;
    // The prompt is the active round's: the plan says so too (docs/protocol.md, "Rounds").
    if (Array.isArray(room.rounds)) next.rounds = room.rounds.map((r) => (r && r.id === room.round ? { ...r, prompt: data.prompt } : r));
  }
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

/** The facilitator's shared view (a board rectangle); null unless it is a sane one. */
function cleanSharedView(data) {
  if (!data || typeof data !== "object") return null;
  const [x, y, w, h] = [data.x, data.y, data.w, data.h].map((v) => (typeof v === "number" && Number.isFinite(v) ? v : NaN));
  if ([x, y, w, h].some(Number.isNaN) || w <= 0 || h <= 0) return null;
  return { by: str(data.by), x, y, w, h };
}

/** The coach's debrief; null when there is none (an empty text removed it). */
function cleanDebrief(data) {
  if (!data || typeof data !== "object" || typeof data.text !== "string" || !data.text) return null;
  return { text: data.text, by: str(data.by), at: num(data.at) };
}

function cleanCounts(data) {
  const counts = {};
  for (const [author, count] of Object.entries(data)) {
    if (typeof count === "number" && Number.isFinite(count) && count > 0) counts[author] = count;
  }
  return counts;
}

/**
 * What an `apply` changed, for drawing only what changed: note and group ids, `raised` (notes
 * that came to the top: created or moved), and `all` when the change reaches every note
 * (a reveal, a phase, a role, my dots against the budget).
 */
export class Changes {
  constructor() {
    this.notes = new Set();
    this.clusters = new Set();
    this.raised = new Set();
    this.all = false;
  }

  get empty() {
    return !this.all && this.notes.size === 0 && this.clusters.size === 0;
  }

  /** Add `other`'s changes to these. */
  merge(other) {
    if (!other) return this;
    if (other.all) this.all = true;
    for (const id of other.notes) this.notes.add(id);
    for (const id of other.clusters) this.clusters.add(id);
    for (const id of other.raised) this.raised.add(id);
    return this;
  }
}

export class BoardState {
  constructor() {
    this.room = null;
    this.timer = cleanTimer(null);
    this.notes = new Map(); // id → note; Map order is stacking order (last on top)
    this.clusters = new Map(); // id → cluster; Map order is drawing order
    this.myVotes = {}; // target id → how many of my dots are on it
    this.participants = new Map();
    this.deleted = false; // the facilitator deleted the room (room.delete)
    // Facilitators and coaches only; null when the server did not send them (a participant).
    this.hiddenCounts = null; // author id → notes written privately, not revealed yet
    this.hints = null; // [{id, text, by, at}], oldest first
    this.sharedView = null; // {by, x, y, w, h}: the board rectangle the facilitator last showed
    this.debrief = null; // {text, by, at}: the coach's debrief
    this.changes = new Changes(); // since the last takeChanges()
    this.stack = 0; // the highest note.z: a note created or moved comes on top (z = ++stack)
    // Rules from the server (welcome.state): the limits in force, and per op null (allowed now)
    // or the code it would be refused with. null until the first welcome.
    this.limits = null;
    this.can = null;
    this.waiting = null; // facilitators and coaches: id → {id, name, department} in the lobby
    this.report = null; // facilitators and coaches: {next_steps, hear_back, owners} (t14g)
    this.evaluation = cleanEvaluation(null); // the closing evaluation (client/core/evaluation.js)
  }

  /** A new `can` (an event frame's, or a resume welcome's). */
  setCan(can) {
    if (!can || typeof can !== "object") return;
    this.can = { ...can };
    this.changes.all = true; // controls on every note
  }

  /** A copy to fold predictions into; notes and groups are shared (never changed in place). */
  clone() {
    const copy = new BoardState();
    Object.assign(copy, this);
    copy.notes = new Map(this.notes);
    copy.clusters = new Map(this.clusters);
    copy.participants = new Map(this.participants);
    copy.changes = new Changes();
    return copy;
  }

  /** What changed since the last call. */
  takeChanges() {
    const changes = this.changes;
    this.changes = new Changes();
    return changes;
  }

  _note(id, note, raise = false) {
    if (raise) {
      this.notes.delete(id);
      this.changes.raised.add(id);
      if (this.stack >= MAX_STACK) this._restack();
      note = { ...note, z: ++this.stack };
    }
    this.notes.set(id, note);
    this.changes.notes.add(id);
  }

  /** Stacking numbers 1…n again, in stacking order (they stay below the focus and drag layers). */
  _restack() {
    this.stack = 0;
    for (const [key, note] of this.notes) this.notes.set(key, { ...note, z: ++this.stack });
    this.changes.all = true;
  }

  _cluster(id, cluster) {
    this.clusters.set(id, cluster);
    this.changes.clusters.add(id);
  }

  /** Replace everything with a `welcome.state`. */
  reset(state) {
    this.room = cleanRoom(state.room);
    this.timer = cleanTimer(state.timer);
    this.hiddenCounts =
      state.hidden_counts && typeof state.hidden_counts === "object" ? cleanCounts(state.hidden_counts) : null;
    this.hints = Array.isArray(state.hints) ? state.hints.map(cleanHint).filter(Boolean) : null;
    this.sharedView = cleanSharedView(state.view);
    this.debrief = cleanDebrief(state.debrief);
    this.myVotes = cleanVotes(state.my_votes);
    this.limits = state.limits && typeof state.limits === "object" ? { ...state.limits } : null;
    this.can = state.can && typeof state.can === "object" ? { ...state.can } : null;
    this.waiting = Array.isArray(state.waiting)
      ? new Map(state.waiting.filter((p) => p && typeof p.id === "string").map((p) => [p.id, cleanParticipant(p)]))
      : null;
    this.report = cleanReport(state.report);
    this.evaluation = cleanEvaluation(state.evaluation);
    this.notes = new Map();
    this.stack = 0;
    for (const note of Array.isArray(state.notes) ? state.notes : []) {
      if (note && typeof note.id === "string") this.notes.set(note.id, { ...this._counted(cleanNote(note)), z: ++this.stack });
    }
    this.clusters = new Map();
    for (const cluster of Array.isArray(state.clusters) ? state.clusters : []) {
      if (cluster && typeof cluster.id === "string") this.clusters.set(cluster.id, this._counted(cleanCluster(cluster)));
    }
    this.setParticipants(Array.isArray(state.participants) ? state.participants : []);
    this.changes.all = true;
  }

  setParticipants(list) {
    const next = new Map();
    for (const p of list) {
      if (p && typeof p.id === "string") next.set(p.id, cleanParticipant(p));
    }
    for (const [id, p] of next) {
      const before = this.participants.get(id);
      if (!before || before.name !== p.name || before.role !== p.role) this.changes.all = true; // authors' names
    }
    this.participants = next;
  }

  /** Once votes are revealed every note and group has a total (0 when nobody chose it). */
  _counted(item) {
    if (!votesRevealed(this.room)) return { ...item, votes: null };
    return typeof item.votes === "number" ? item : { ...item, votes: 0 };
  }

  /** A note or group is gone: its dots go back to me, the spotlight moves off it. */
  _forget(target) {
    if (target in this.myVotes) {
      const votes = { ...this.myVotes };
      delete votes[target];
      this.myVotes = votes;
      this.changes.all = true; // dots left, on every vote bar
    }
    if (this.room && this.room.spotlight === target) this.room = { ...this.room, spotlight: null };
  }

  _setTotal(target, total) {
    if (typeof total !== "number") return;
    const note = this.notes.get(target);
    if (note) this._note(target, { ...note, votes: total });
    const cluster = this.clusters.get(target);
    if (cluster) this._cluster(target, { ...cluster, votes: total });
  }

  /** Notes of group `id` moved by (dx, dy), kept on the board (the server clamps the same way). */
  _moveMembers(id, dx, dy) {
    if (!dx && !dy) return;
    for (const [key, note] of this.notes) {
      if (note.cluster !== id) continue;
      this._note(key, { ...note, x: clamp(note.x + dx, 0, BOARD_WIDTH), y: clamp(note.y + dy, 0, BOARD_HEIGHT) });
    }
  }

  /**
   * Notes and groups put where the server's layout decided (`data.layout` of note.group,
   * cluster.create/update/merge, board.tidy, board.undo): the same numbers on every device.
   */
  _place(layout) {
    if (!layout || typeof layout !== "object") return;
    for (const p of Array.isArray(layout.notes) ? layout.notes : []) {
      const note = p && this.notes.get(p.id);
      if (!note) continue;
      this._note(p.id, { ...note, x: clamp(num(p.x, note.x), 0, BOARD_WIDTH), y: clamp(num(p.y, note.y), 0, BOARD_HEIGHT) });
      if (note.cluster) this.changes.clusters.add(note.cluster);
    }
    for (const p of Array.isArray(layout.clusters) ? layout.clusters : []) {
      const cluster = p && this.clusters.get(p.id);
      if (!cluster) continue;
      this._cluster(p.id, { ...cluster, x: clamp(num(p.x, cluster.x), 0, BOARD_WIDTH), y: clamp(num(p.y, cluster.y), 0, BOARD_HEIGHT) });
    }
  }

  /** Notes of group `from` put into group `into` (null: no group). */
  _regroup(from, into) {
    for (const [key, note] of this.notes) if (note.cluster === from) this._note(key, { ...note, cluster: into });
  }

  /** Notes of group `id`, whose descriptions name it. */
  _touchMembers(id) {
    for (const [key, note] of this.notes) if (note.cluster === id) this.changes.notes.add(key);
  }

  /** Apply one event frame (confirmed or predicted); returns false for ops this version does not know. */
  apply(frame) {
    if (frame.can) this.setCan(frame.can); // what this person may do after this event
    const data = frame.data && typeof frame.data === "object" ? frame.data : {};
    const id = str(data.id);
    switch (frame.op) {
      case "participant.join":
      case "lobby.admit": {
        if (!id) return false;
        const before = this.participants.get(id);
        const after = cleanParticipant(data, before);
        if (!before || before.name !== after.name) this.changes.all = true; // authors' names
        this.participants.set(id, after);
        if (this.waiting) this.waiting.delete(id);
        return true;
      }
      case "lobby.knock": {
        if (!id) return false;
        if (!this.waiting) this.waiting = new Map();
        this.waiting.set(id, cleanParticipant(data));
        return true;
      }
      case "lobby.deny":
        if (this.waiting) this.waiting.delete(str(data.participant));
        return true;
      case "participant.remove":
        this.participants.delete(str(data.participant));
        this.changes.all = true; // authors' names on their notes
        return true;
      case "note.create":
        if (!id) return false;
        this._note(id, this._counted(cleanNote(data)), true);
        return true;
      case "note.update": {
        const note = this.notes.get(id);
        if (!note) return false;
        const patch = {};
        if (typeof data.text === "string") patch.text = data.text;
        if (COLORS.includes(data.color)) patch.color = data.color;
        this._note(id, { ...note, ...patch });
        return true;
      }
      case "note.move": {
        const note = this.notes.get(id);
        if (!note) return false;
        // A moved note comes to the top, on every client alike.
        this._note(id, {
          ...note,
          x: clamp(num(data.x, note.x), 0, BOARD_WIDTH),
          y: clamp(num(data.y, note.y), 0, BOARD_HEIGHT),
        }, true);
        return true;
      }
      case "note.delete": {
        const had = this.notes.delete(id);
        if (had) {
          this.changes.notes.add(id);
          this._forget(id);
        }
        return had;
      }
      case "note.group": {
        const note = this.notes.get(id);
        if (!note) return false;
        const cluster = typeof data.cluster === "string" && data.cluster ? data.cluster : null;
        this._note(id, { ...note, cluster });
        if (note.cluster) this.changes.clusters.add(note.cluster);
        if (cluster) this.changes.clusters.add(cluster);
        this._place(data.layout);
        return true;
      }
      case "cluster.create":
        if (!id) return false;
        this.clusters.delete(id);
        this._cluster(id, this._counted(cleanCluster(data)));
        this._place(data.layout);
        return true;
      case "cluster.update": {
        const cluster = this.clusters.get(id);
        if (!cluster) return false;
        const next = { ...cluster };
        if (typeof data.title === "string") {
          next.title = data.title;
          this._touchMembers(id);
        }
        if (typeof data.x === "number" || typeof data.y === "number") {
          next.x = clamp(num(data.x, cluster.x), 0, BOARD_WIDTH);
          next.y = clamp(num(data.y, cluster.y), 0, BOARD_HEIGHT);
          // The event carries the offset; an older server may not: the change of position is it.
          const dx = num(data.dx, next.x - cluster.x);
          const dy = num(data.dy, next.y - cluster.y);
          this._moveMembers(id, dx, dy);
        }
        this._cluster(id, next);
        this._place(data.layout);
        return true;
      }
      case "cluster.delete": {
        if (!this.clusters.delete(id)) return false;
        this.changes.clusters.add(id);
        this._regroup(id, null);
        this._forget(id);
        return true;
      }
      case "cluster.merge": {
        const into = str(data.into);
        if (!this.clusters.has(id)) return false;
        this._regroup(id, this.clusters.has(into) ? into : null);
        this.clusters.delete(id);
        this.changes.clusters.add(id);
        if (this.clusters.has(into)) this.changes.clusters.add(into);
        this._forget(id);
        this._place(data.layout);
        return true;
      }
      case "board.tidy":
        this._place(data.layout);
        return true;
      case "board.undo": {
        // The group a merge took away comes back, with its notes, and everything to where it was.
        const back = data.cluster && typeof data.cluster.id === "string" ? data.cluster : null;
        if (back && !this.clusters.has(back.id)) this._cluster(back.id, this._counted(cleanCluster(back)));
        for (const key of back && Array.isArray(data.regroup) ? data.regroup : []) {
          const note = this.notes.get(key);
          if (note) {
            if (note.cluster) this.changes.clusters.add(note.cluster);
            this._note(key, { ...note, cluster: back.id });
          }
        }
        this._place(data.layout);
        return true;
      }
      case "vote.cast":
      case "vote.retract": {
        const target = str(data.target);
        if (!target) return false;
        if (typeof data.mine === "number") {
          // Our own dot (from this device or another of ours).
          const votes = { ...this.myVotes };
          if (data.mine > 0) votes[target] = data.mine;
          else delete votes[target];
          this.myVotes = votes;
          this.changes.all = true; // dots left, on every vote bar
        }
        if (votesRevealed(this.room)) this._setTotal(target, data.total);
        return true;
      }
      case "votes.reveal": {
        if (!this.room) return false;
        const totals = data.totals && typeof data.totals === "object" ? data.totals : {};
        const count = (key) => (Number.isInteger(totals[key]) ? totals[key] : 0);
        this.room = { ...this.room, revealed: { votes: true } };
        for (const [key, note] of this.notes) this.notes.set(key, { ...note, votes: count(key) });
        for (const [key, cluster] of this.clusters) this.clusters.set(key, { ...cluster, votes: count(key) });
        this.changes.all = true;
        return true;
      }
      case "votes.reset":
        if (!this.room) return false;
        this.room = { ...this.room, revealed: { votes: false } };
        this.myVotes = {};
        for (const [key, note] of this.notes) if (note.votes !== null) this.notes.set(key, { ...note, votes: null });
        for (const [key, c] of this.clusters) if (c.votes !== null) this.clusters.set(key, { ...c, votes: null });
        this.changes.all = true;
        return true;
      case "results.publish":
        if (!this.room) return false;
        this.room = { ...this.room, results_published: Boolean(data.published) };
        return true;
      case "room.delete":
        this.deleted = true;
        return true;
      case "rounds.planned":
      case "round.switched":
      case "round.carried": {
        // Another round's board, or a changed plan: the frame carries this person's whole
        // state after it (as a welcome does; docs/protocol.md, "Rounds"), which replaces the
        // board whole, so nothing is derived here.
        const next = data.state && typeof data.state === "object" ? data.state : null;
        if (!next || !next.room || typeof next.room !== "object") return false;
        // Who is here, the hints and the limits belong to the session, not the round: a state
        // that leaves one out keeps ours.
        const keep = {
          participants: [...this.participants.values()],
          hints: this.hints,
          limits: this.limits,
          can: this.can,
          waiting: this.waiting ? [...this.waiting.values()] : null,
        };
        const merged = { ...next };
        for (const [key, value] of Object.entries(keep)) if (merged[key] === undefined && value !== null) merged[key] = value;
        this.reset(merged);
        if (frame.can) this.setCan(frame.can);
        return true;
      }
      case "phase.set":
        if (!PHASES.includes(data.phase) || !this.room) return false;
        this.room = { ...this.room, phase: data.phase };
        // A timer that had run out is rewound with the phase ("Time is up" belongs to the old one).
        if (data.timer && typeof data.timer === "object") this.timer = cleanTimer(data.timer);
        this.changes.all = true; // vote bars, what may move
        return true;
      case "room.update":
        if (!this.room) return false;
        this.room = patchRoom(this.room, data);
        this.changes.all = true; // the lock, vote settings
        for (const p of Array.isArray(data.admitted) ? data.admitted : []) {
          if (!p || typeof p.id !== "string") continue;
          this.participants.set(p.id, cleanParticipant(p, this.participants.get(p.id)));
          if (this.waiting) this.waiting.delete(p.id);
        }
        return true;
      case "notes.reveal": {
        // Private writing is over: every note anyone can see is visible to all.
        for (const [key, note] of this.notes) if (note.hidden) this.notes.set(key, { ...note, hidden: false });
        for (const raw of Array.isArray(data.notes) ? data.notes : []) {
          if (!raw || typeof raw.id !== "string") continue;
          const previous = this.notes.get(raw.id);
          const z = previous ? previous.z : ++this.stack;
          this.notes.set(raw.id, { ...this._counted({ ...cleanNote(raw, previous), hidden: false }), z });
        }
        if (this.hiddenCounts) this.hiddenCounts = {};
        // Revealing ends private writing on the server too.
        if (this.room && this.room.settings) {
          this.room = { ...this.room, settings: { ...this.room.settings, private_writing: false } };
        }
        this.changes.all = true;
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
        this.changes.all = true; // what may move
        return true;
      }
      case "coach.hint": {
        const hint = cleanHint(data);
        if (!hint) return false;
        this.hints = (this.hints || []).filter((h) => h.id !== hint.id).concat([hint]);
        return true;
      }
      case "view.share": {
        const view = cleanSharedView(data);
        if (!view) return false; // not a view: keep the last one
        this.sharedView = view;
        return true;
      }
      case "coach.debrief":
        this.debrief = cleanDebrief(data);
        return true;
      case "spotlight": {
        if (!this.room) return false;
        const before = this.room.spotlight;
        const target = typeof data.target === "string" && data.target ? data.target : null;
        this.room = { ...this.room, spotlight: target };
        for (const key of [before, target]) {
          if (key && this.notes.has(key)) this.changes.notes.add(key);
          if (key && this.clusters.has(key)) this.changes.clusters.add(key);
        }
        return true;
      }
      case "hidden.count": {
        const author = str(data.author);
        if (!author) return false;
        const counts = { ...(this.hiddenCounts || {}) };
        if (typeof data.count === "number" && data.count > 0) counts[author] = data.count;
        else delete counts[author];
        this.hiddenCounts = counts;
        return true;
      }
      case "hear_from.set": // t14g
        if (!this.room) return false;
        this.room = { ...this.room, hear_from: cleanGroupList(data.groups) };
        return true;
      case "report.update": // t14g (staff only)
        this.report = cleanReport(data);
        return true;
      case "evaluation.open":
      case "evaluation.close":
      case "evaluation.answer":
        this.evaluation = applyEvaluation(this.evaluation, frame.op, data);
        return true;
      case "redacted":
        return true; // an event this client may not see: only its seq counts
      default:
        return false; // a newer server knows more ops; nothing to show for them yet
    }
  }
}

/**
 * The event the server would send us for our pending op `entry` ({op, args}) on `state`, or
 * null when nothing is to be shown for it (an op the server would refuse on this state, or one
 * whose effect only the server knows, like the timer). Folded through the same
 * `BoardState.apply` as confirmed events.
 *
 * @param {BoardState} state  the view so far: confirmed events and earlier predictions
 * @param {{op: string, args: object}} entry
 * @param {{id: string}|null} me
 * @returns {{op: string, data: object}|null}
 */
export function predict(state, entry, me) {
  const args = entry.args && typeof entry.args === "object" ? entry.args : {};
  const id = str(args.id);
  const room = state.room || cleanRoom(null);
  const settings = room.settings || cleanSettings(null);
  const revealed = votesRevealed(room);
  const event = (data) => ({ op: entry.op, data });
  switch (entry.op) {
    case "note.create":
      if (!id || state.notes.has(id) || state.clusters.has(id)) return null;
      return event({
        ...args, cluster: null, author: me ? me.id : null, mine: true,
        hidden: Boolean(settings.private_writing), votes: revealed ? 0 : null,
      });
    case "note.update":
    case "note.move":
    case "note.delete":
      return state.notes.has(id) ? event(args) : null;
    case "note.group": {
      if (!state.notes.has(id)) return null;
      const cluster = typeof args.cluster === "string" && state.clusters.has(args.cluster) ? args.cluster : null;
      return event({ id, cluster });
    }
    case "cluster.create":
      if (!id || state.clusters.has(id) || state.notes.has(id)) return null;
      return event({
        ...args, title: str(args.title).trim(), creator: me ? me.id : null, votes: revealed ? 0 : null,
      });
    case "cluster.update": {
      const cluster = state.clusters.get(id);
      if (!cluster) return null;
      const data = { id };
      if (typeof args.title === "string") data.title = args.title.trim();
      if (typeof args.x === "number" || typeof args.y === "number") {
        data.x = clamp(num(args.x, cluster.x), 0, BOARD_WIDTH);
        data.y = clamp(num(args.y, cluster.y), 0, BOARD_HEIGHT);
        data.dx = data.x - cluster.x;
        data.dy = data.y - cluster.y;
      }
      return event(data);
    }
    case "cluster.delete":
      return state.clusters.has(id) ? event({ id }) : null;
    case "cluster.merge": {
      const into = str(args.into);
      if (!state.clusters.has(id) || !state.clusters.has(into) || into === id) return null;
      return event({ id, into });
    }
    case "vote.cast": {
      const target = str(args.target);
      if (!state.notes.has(target) && !state.clusters.has(target)) return null;
      const mine = state.myVotes[target] || 0;
      // Never over the budget or the limit per idea on screen.
      if (dotsUsed(state.myVotes) >= settings.vote_budget || mine >= settings.max_votes_per_target) return null;
      return event({ target, mine: mine + 1, total: revealed ? totalOf(state, target) + 1 : null });
    }
    case "vote.retract": {
      const target = str(args.target);
      const mine = state.myVotes[target] || 0;
      if (mine < 1) return null;
      return event({ target, mine: mine - 1, total: revealed ? Math.max(0, totalOf(state, target) - 1) : null });
    }
    case "room.update": {
      const data = { ...args };
      for (const key of ["title", "prompt"]) if (typeof data[key] === "string") data[key] = data[key].trim();
      return event(data);
    }
    case "votes.reset":
    case "phase.set":
    case "spotlight":
      return event(args);
    case "results.publish":
      return typeof args.published === "boolean" ? event(args) : null;
    case "hear_from.set": // t14g: the list as the facilitator edits it, before the server's echo
      return Array.isArray(args.groups) ? event({ groups: args.groups }) : null;
    case "evaluation.answer": {
      // Our own answer shows as sent (the thank-you) while it waits to be confirmed.
      if (!state.evaluation || !state.evaluation.open) return null;
      const scores = {};
      for (const question of ["clear", "heard", "outcome"]) if (Number.isInteger(args[question])) scores[question] = args[question];
      return event({ mine: { scores, text: str(args.text).split(/\s+/).filter(Boolean).join(" ") } });
    }
    default:
      return null;
  }
}

function totalOf(state, target) {
  const item = state.notes.get(target) || state.clusters.get(target);
  return item && typeof item.votes === "number" ? item.votes : 0;
}

/**
 * The confirmed state and the view: confirmed plus our pending ops as predicted events, each
 * shown note or group marked `pending: true` while an op of ours on it is not confirmed.
 * `rebase` runs whenever a confirmed event arrives or the pending ops change; with nothing
 * pending the view is the confirmed state itself (no copy).
 */
export class Speculation {
  constructor(confirmed = new BoardState()) {
    this.confirmed = confirmed;
    this.view = this.confirmed;
    this.predicted = new Changes(); // what the current predictions changed
    this.changes = new Changes(); // for the renderer, since its last takeChanges()
  }

  /**
   * @param {Array<{op: string, args: object}>} pending  in the order they were made
   * @param {{id: string}|null} me
   */
  rebase(pending, me) {
    this.changes.merge(this.confirmed.takeChanges()).merge(this.predicted);
    if (!pending.length) {
      this.view = this.confirmed;
      this.predicted = new Changes();
      return this.view;
    }
    const view = this.confirmed.clone();
    for (const entry of pending) {
      const frame = predict(view, entry, me);
      if (!frame) continue;
      view.apply(frame);
      const touched = [str(frame.data.id), str(frame.data.target)];
      for (const key of touched) {
        if (key && view.notes.has(key)) view.notes.set(key, { ...view.notes.get(key), pending: true });
        if (key && view.clusters.has(key)) view.clusters.set(key, { ...view.clusters.get(key), pending: true });
      }
    }
    this.predicted = view.takeChanges();
    this.changes.merge(this.predicted);
    this.view = view;
    return view;
  }

  /** What to draw again since the last call. */
  takeChanges() {
    const changes = this.changes;
    this.changes = new Changes();
    return changes;
  }
}

/** How many dots `votes` ({target: n}) uses. */
export function dotsUsed(votes) {
  return Object.values(votes || {}).reduce((sum, n) => sum + (Number.isInteger(n) && n > 0 ? n : 0), 0);
}

/**
 * Groups and visible notes ranked by dots, most first (see `ideas` below). Standard competition ranking: ties
 * share a rank and the next rank skips (1, 2, 2, 4), as on the printable results page.
 * Ties are ordered by title or text. Before reveal every total is 0, so everything ties.
 */
export function rankResults(notes, clusters, collator) {
  const compare = collator ? collator.compare : (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  const rank = (items, label) => {
    const counted = items.map((item) => ({ ...item, votes: typeof item.votes === "number" ? item.votes : 0 }));
    const ranked = counted.map((item) => ({
      ...item,
      rank: 1 + counted.filter((other) => other.votes > item.votes).length,
    }));
    ranked.sort((a, b) => a.rank - b.rank || compare(label(a).toLowerCase(), label(b).toLowerCase()));
    return ranked;
  };
  // As the results page (server/domain/results.py): a note in a group is part of that idea, so
  // its dots count for the group and it is not ranked again on its own; `notes` are the notes in
  // no group, ranked among themselves. `own_votes`: the dots put on the group itself.
  const visible = [...notes.values()].filter((n) => !n.hidden);
  const dots = (item) => (typeof item.votes === "number" ? item.votes : 0);
  const groups = [...clusters.values()].map((c) => {
    const members = visible.filter((n) => n.cluster === c.id);
    const counted = typeof c.votes === "number" || members.some((n) => typeof n.votes === "number");
    return { ...c, own_votes: dots(c), votes: counted ? dots(c) + members.reduce((sum, n) => sum + dots(n), 0) : c.votes };
  });
  const loose = visible.filter((n) => !n.cluster || !clusters.has(n.cluster));
  // `ideas`: the one ranking people read (as `Results.ideas`): groups and notes in no group
  // together, each with its rank among all of them and its `kind`; a group carries its notes
  // (`members`, most dots first), which are not ranked on their own. `clusters` and `notes` keep
  // their separate ranks for readers that want one kind only.
  const byDots = (a, b) => dots(b) - dots(a) || compare((a.text || "").toLowerCase(), (b.text || "").toLowerCase());
  const ideas = rank(
    [
      ...groups.map((c) => ({ ...c, kind: "group", members: visible.filter((n) => n.cluster === c.id).sort(byDots) })),
      ...loose.map((n) => ({ ...n, kind: "note" })),
    ],
    (i) => (i.kind === "group" ? i.title || "" : i.text || ""),
  );
  return {
    clusters: rank(groups, (c) => c.title),
    notes: rank(loose, (n) => n.text),
    ideas,
  };
}

export { clamp };
