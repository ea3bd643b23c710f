// The outbox: ops not yet acknowledged, persisted on this device, and sent again after any
// reconnect, over whichever transport carries the connection (client/core/transports.js). The
// op ids make a resend harmless: the server applies each op at most once.

/** A random id for ops and entities: `prefix` + base36, within [A-Za-z0-9_-]{1,40}. */
export function makeId(prefix) {
  const words = new Uint32Array(4);
  crypto.getRandomValues(words);
  return prefix + Array.from(words, (w) => w.toString(36).padStart(7, "0")).join("");
}

/** localStorage that never throws (private modes, quotas, disabled storage). */
export const storage = {
  get(key) {
    try {
      return window.localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  set(key, value) {
    try {
      window.localStorage.setItem(key, value);
      return true;
    } catch {
      return false;
    }
  },
  remove(key) {
    try {
      window.localStorage.removeItem(key);
    } catch {
      // nothing to do
    }
  },
};

/**
 * Ops not yet acknowledged, in the order they were made. Persisted on every change so that a
 * reload, a crash or a closed lid loses nothing. Reads and writes go through localStorage each
 * time (read–modify–write), so two tabs of the same room add to one list instead of
 * overwriting each other.
 */
export class Outbox {
  constructor(key) {
    this.key = key;
    this.cache = null;
    this.memory = []; // used when localStorage is unusable
    this.persistent = true;
  }

  _read() {
    if (!this.persistent) return this.memory.slice();
    const raw = storage.get(this.key);
    if (raw === null) return [];
    try {
      const parsed = JSON.parse(raw);
      if (!Array.isArray(parsed)) return [];
      return parsed.filter(
        (e) =>
          e && typeof e === "object" && typeof e.id === "string" && typeof e.op === "string" &&
          e.args && typeof e.args === "object",
      );
    } catch {
      return [];
    }
  }

  _write(list) {
    this.cache = list;
    this.memory = list.slice();
    if (!this.persistent) return;
    const ok = list.length ? storage.set(this.key, JSON.stringify(list)) : (storage.remove(this.key), true);
    if (!ok) this.persistent = false; // keep going in memory
  }

  list() {
    if (this.cache === null) this.cache = this._read();
    return this.cache;
  }

  get size() {
    return this.list().length;
  }

  get(id) {
    return this.list().find((e) => e.id === id) || null;
  }

  add(entry) {
    const list = this._read();
    list.push(entry);
    this._write(list);
  }

  /** Remove and return the entry with `id` (null when it is not there any more). */
  remove(id) {
    const list = this._read();
    const index = list.findIndex((e) => e.id === id);
    if (index < 0) {
      // Another tab may have removed it already; forget it here too.
      const cached = this.cache ? this.cache.find((e) => e.id === id) || null : null;
      this.cache = list;
      return cached;
    }
    const [found] = list.splice(index, 1);
    this._write(list);
    return found;
  }

  /** Another tab changed the stored list. */
  invalidate() {
    if (this.persistent) this.cache = null;
  }
}
