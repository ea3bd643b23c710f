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
export const MAX_CLUSTER_TITLE = 80;
export const VOTE_ON = ["notes", "clusters", "both"];
export const MAX_VOTE_BUDGET = 50;

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
  return room;
}

/** Whether votes are revealed in `room` (totals are shown). */
export function votesRevealed(room) {
  return Boolean(room && room.revealed && room.revealed.votes);
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
    this.clusters = new Map(); // id → cluster; Map order is drawing order
    this.myVotes = {}; // target id → how many of my dots are on it
    this.participants = new Map();
    this.deleted = false; // the facilitator deleted the room (room.delete)
    // Facilitators and coaches only; null when the server did not send them (a participant).
    this.hiddenCounts = null; // author id → notes written privately, not revealed yet
    this.hints = null; // [{id, text, by, at}], oldest first
    this.waiting = null; // facilitators and coaches: id → {id, name, department} in the lobby
  }

  /** Replace everything with a `welcome.state`. */
  reset(state) {
    this.room = cleanRoom(state.room);
    this.timer = cleanTimer(state.timer);
    this.hiddenCounts =
      state.hidden_counts && typeof state.hidden_counts === "object" ? cleanCounts(state.hidden_counts) : null;
    this.hints = Array.isArray(state.hints) ? state.hints.map(cleanHint).filter(Boolean) : null;
    this.myVotes = cleanVotes(state.my_votes);
    this.waiting = Array.isArray(state.waiting)
      ? new Map(state.waiting.filter((p) => p && typeof p.id === "string").map((p) => [p.id, cleanParticipant(p)]))
      : null;
    this.notes = new Map();
    for (const note of Array.isArray(state.notes) ? state.notes : []) {
      if (note && typeof note.id === "string") this.notes.set(note.id, this._counted(cleanNote(note)));
    }
    this.clusters = new Map();
    for (const cluster of Array.isArray(state.clusters) ? state.clusters : []) {
      if (cluster && typeof cluster.id === "string") this.clusters.set(cluster.id, this._counted(cleanCluster(cluster)));
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
    }
    if (this.room && this.room.spotlight === target) this.room = { ...this.room, spotlight: null };
  }

  _setTotal(target, total) {
    if (typeof total !== "number") return;
    const note = this.notes.get(target);
    if (note) this.notes.set(target, { ...note, votes: total });
    const cluster = this.clusters.get(target);
    if (cluster) this.clusters.set(target, { ...cluster, votes: total });
  }

  /** Apply one event frame; returns false for ops this version does not know. */
  apply(frame) {
    const data = frame.data && typeof frame.data === "object" ? frame.data : {};
    const id = str(data.id);
    switch (frame.op) {
      case "participant.join":
      case "lobby.admit": {
        if (!id) return false;
        this.participants.set(id, cleanParticipant(data, this.participants.get(id)));
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
        return true;
      case "note.create":
        if (!id) return false;
        this.notes.delete(id);
        this.notes.set(id, this._counted(cleanNote(data)));
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
      case "note.delete": {
        const had = this.notes.delete(id);
        if (had) this._forget(id);
        return had;
      }
      case "note.group": {
        const note = this.notes.get(id);
        if (!note) return false;
        const cluster = typeof data.cluster === "string" && data.cluster ? data.cluster : null;
        this.notes.set(id, { ...note, cluster });
        return true;
      }
      case "cluster.create":
        if (!id) return false;
        this.clusters.delete(id);
        this.clusters.set(id, this._counted(cleanCluster(data)));
        return true;
      case "cluster.update": {
        const cluster = this.clusters.get(id);
        if (!cluster) return false;
        const next = { ...cluster };
        if (typeof data.title === "string") next.title = data.title;
        if (typeof data.x === "number" || typeof data.y === "number") {
          next.x = clamp(num(data.x, cluster.x), 0, BOARD_WIDTH);
          next.y = clamp(num(data.y, cluster.y), 0, BOARD_HEIGHT);
          // The event carries the offset; an older server may not: the change of position is it.
          const dx = num(data.dx, next.x - cluster.x);
          const dy = num(data.dy, next.y - cluster.y);
          this.notes = moveMembers(this.notes, id, dx, dy);
        }
        this.clusters.set(id, next);
        return true;
      }
      case "cluster.delete": {
        if (!this.clusters.delete(id)) return false;
        this.notes = regroup(this.notes, id, null);
        this._forget(id);
        return true;
      }
      case "cluster.merge": {
        const into = str(data.into);
        if (!this.clusters.has(id)) return false;
        this.notes = regroup(this.notes, id, this.clusters.has(into) ? into : null);
        this.clusters.delete(id);
        this._forget(id);
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
        return true;
      }
      case "votes.reset":
        if (!this.room) return false;
        this.room = { ...this.room, revealed: { votes: false } };
        this.myVotes = {};
        for (const [key, note] of this.notes) if (note.votes !== null) this.notes.set(key, { ...note, votes: null });
        for (const [key, c] of this.clusters) if (c.votes !== null) this.clusters.set(key, { ...c, votes: null });
        return true;
      case "results.publish":
        if (!this.room) return false;
        this.room = { ...this.room, results_published: Boolean(data.published) };
        return true;
      case "room.delete":
        this.deleted = true;
        return true;
      case "phase.set":
        if (!PHASES.includes(data.phase) || !this.room) return false;
        this.room = { ...this.room, phase: data.phase };
        return true;
      case "room.update":
        if (!this.room) return false;
        this.room = patchRoom(this.room, data);
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
          this.notes.set(raw.id, this._counted({ ...cleanNote(raw, previous), hidden: false }));
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
 * Whether a pending dot (`direction` +1 cast, -1 retract) is already in the confirmed count
 * `mine`. The server sends the voter's event before the ack, so between the two the op is both
 * confirmed and pending; dots are counts, not positions, and counting it twice would show one
 * dot too many (and refuse the next one as over the limit). The op remembers the count it
 * should leave (`expect.mine`, set when it was sent); once the count has reached it, it is in.
 */
function alreadyIn(entry, mine, direction) {
  const goal = entry.expect && Number.isInteger(entry.expect.mine) ? entry.expect.mine : null;
  if (goal === null) return false;
  return direction > 0 ? mine >= goal : mine <= goal;
}

/** Notes of group `id` moved by (dx, dy), kept on the board (the server clamps the same way). */
function moveMembers(notes, id, dx, dy) {
  if (!dx && !dy) return notes;
  const next = new Map();
  for (const [key, note] of notes) {
    next.set(
      key,
      note.cluster === id
        ? { ...note, x: clamp(note.x + dx, 0, BOARD_WIDTH), y: clamp(note.y + dy, 0, BOARD_HEIGHT) }
        : note,
    );
  }
  return next;
}

/** Notes of group `from` put into group `into` (null: no group). */
function regroup(notes, from, into) {
  const next = new Map();
  for (const [key, note] of notes) next.set(key, note.cluster === from ? { ...note, cluster: into } : note);
  return next;
}

/**
 * The room to show: the confirmed room with our pending room changes (phase, prompt, lock,
 * settings, spotlight, publishing) applied, so that a facilitator's controls answer at once.
 */
export function viewRoom(confirmed, pendingOps) {
  let room = confirmed.room || cleanRoom(null);
  for (const entry of pendingOps) {
    const args = entry.args || {};
    if (entry.op === "phase.set" && PHASES.includes(args.phase)) room = { ...room, phase: args.phase };
    else if (entry.op === "room.update") room = patchRoom(room, args);
    else if (entry.op === "spotlight") {
      room = { ...room, spotlight: typeof args.target === "string" && args.target ? args.target : null };
    } else if (entry.op === "results.publish" && typeof args.published === "boolean") {
      room = { ...room, results_published: args.published };
    } else if (entry.op === "votes.reset") {
      room = { ...room, revealed: { votes: false } };
    }
  }
  return room;
}

/**
 * What to draw: the confirmed notes, groups and my dots with our pending ops applied on top,
 * in order. Each shown note or group gets `pending: true` when an op of ours on it is not
 * confirmed yet. Pending dots never go over the budget or the limit per idea.
 *
 * @returns {{notes: Map, clusters: Map, myVotes: object}}
 */
export function viewBoard(confirmed, pendingOps, me, options = {}) {
  const privately = Boolean(options.privateWriting);
  const settings = (confirmed.room && confirmed.room.settings) || cleanSettings(null);
  const revealed = votesRevealed(confirmed.room);
  let notes = new Map(confirmed.notes);
  const clusters = new Map(confirmed.clusters);
  let myVotes = { ...confirmed.myVotes };
  let totalsShown = revealed;
  const forget = (target) => {
    if (target in myVotes) delete myVotes[target];
  };
  const bump = (target, delta) => {
    if (!totalsShown) return;
    const note = notes.get(target);
    if (note && typeof note.votes === "number") notes.set(target, { ...note, votes: Math.max(0, note.votes + delta) });
    const cluster = clusters.get(target);
    if (cluster && typeof cluster.votes === "number") {
      clusters.set(target, { ...cluster, votes: Math.max(0, cluster.votes + delta) });
    }
  };
  for (const entry of pendingOps) {
    const args = entry.args || {};
    const id = str(args.id);
    switch (entry.op) {
      case "note.create":
        if (id && !notes.has(id) && !clusters.has(id)) {
          notes.set(id, {
            ...cleanNote({ ...args, author: me ? me.id : null, mine: true, votes: totalsShown ? 0 : null, hidden: privately }),
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
        if (notes.delete(id)) forget(id);
        break;
      case "note.group": {
        const note = notes.get(id);
        if (!note) break;
        const cluster = typeof args.cluster === "string" && clusters.has(args.cluster) ? args.cluster : null;
        notes.set(id, { ...note, cluster, pending: true });
        break;
      }
      case "cluster.create":
        if (id && !clusters.has(id) && !notes.has(id)) {
          clusters.set(id, {
            ...cleanCluster({ ...args, creator: me ? me.id : null, votes: totalsShown ? 0 : null }),
            pending: true,
          });
        }
        break;
      case "cluster.update": {
        const cluster = clusters.get(id);
        if (!cluster) break;
        const next = { ...cluster, pending: true };
        if (typeof args.title === "string") next.title = args.title.trim();
        if (typeof args.x === "number" || typeof args.y === "number") {
          next.x = clamp(num(args.x, cluster.x), 0, BOARD_WIDTH);
          next.y = clamp(num(args.y, cluster.y), 0, BOARD_HEIGHT);
          notes = moveMembers(notes, id, next.x - cluster.x, next.y - cluster.y);
        }
        clusters.set(id, next);
        break;
      }
      case "cluster.delete":
        if (clusters.delete(id)) {
          notes = regroup(notes, id, null);
          forget(id);
        }
        break;
      case "cluster.merge": {
        const into = str(args.into);
        if (!clusters.has(id) || !clusters.has(into) || into === id) break;
        notes = regroup(notes, id, into);
        clusters.delete(id);
        forget(id);
        break;
      }
      case "vote.cast": {
        const target = str(args.target);
        if (!notes.has(target) && !clusters.has(target)) break;
        const used = Object.values(myVotes).reduce((sum, n) => sum + n, 0);
        const mine = myVotes[target] || 0;
        if (used >= settings.vote_budget || mine >= settings.max_votes_per_target) break;
        if (alreadyIn(entry, mine, 1)) break;
        myVotes[target] = mine + 1;
        bump(target, 1);
        break;
      }
      case "vote.retract": {
        const target = str(args.target);
        const mine = myVotes[target] || 0;
        if (mine < 1 || alreadyIn(entry, mine, -1)) break;
        if (mine === 1) delete myVotes[target];
        else myVotes[target] = mine - 1;
        bump(target, -1);
        break;
      }
      case "votes.reset":
        myVotes = {};
        totalsShown = false;
        for (const [key, note] of notes) if (note.votes !== null) notes.set(key, { ...note, votes: null });
        for (const [key, c] of clusters) if (c.votes !== null) clusters.set(key, { ...c, votes: null });
        break;
      default:
        break;
    }
  }
  return { notes, clusters, myVotes };
}

/** The notes to show (see viewBoard). */
export function viewNotes(confirmed, pendingOps, me, options = {}) {
  return viewBoard(confirmed, pendingOps, me, options).notes;
}

/** How many dots `votes` ({target: n}) uses. */
export function dotsUsed(votes) {
  return Object.values(votes || {}).reduce((sum, n) => sum + (Number.isInteger(n) && n > 0 ? n : 0), 0);
}

/**
 * Groups and visible notes ranked by dots, most first. Standard competition ranking: ties
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
  const visible = [...notes.values()].filter((n) => !n.hidden);
  return {
    clusters: rank([...clusters.values()], (c) => c.title),
    notes: rank(visible, (n) => n.text),
  };
}

export { clamp };
