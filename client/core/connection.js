// The connection to the room: hello/welcome, reconnect with backoff, events in seq order,
// the persisted outbox of ops (client/core/outbox.js), and the clock offset. No DOM here.
//
// It talks through a transport (client/core/transports.js): a WebSocket when the network lets
// one through, else the HTTP fallback (Server-Sent Events + POST) with the same frames. It
// switches by itself when sockets cannot open or keep dying within seconds, and tries a socket
// again now and then (`limited` is true meanwhile: the page shows a small label).
//
// What a listener gets (all optional):
//   reset(state, you)      a welcome with a full state: replace all confirmed state
//   event(frame)           one event frame, in seq order, exactly once
//   welcome(you, msg)      after every welcome (state or resume); a second welcome with a state
//                          can come on an open socket when our role changed
//   presence(list)         the participants list, replaced
//   refused(error)         an `error` frame: {code, message, op} (op: the refused outbox entry)
//   closed(info)           the socket closed with a reason worth showing: {code, reason}
//   joinRefused(error)     the server refused our hello (e.g. no name): we stop and wait
//   outdated(message)      the server speaks another protocol version: we stop
//   gone(reason)           the room does not exist: we stop for good
//   lobby(you)             we wait in the "ask to join" lobby (you.token: who we are); the
//                          welcome comes on the same socket once a facilitator lets us in
//   removed(reason)        a facilitator removed us or turned us away (close 4403): we stop
//   change()               status, outbox or acknowledgements changed: re-render

import { makeId, Outbox, storage } from "./outbox.js";
import { SocketTransport, StreamTransport } from "./transports.js";

export const PROTOCOL_VERSION = 1;

const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 15000;
const STABLE_AFTER_MS = 10000;
const PING_EVERY_MS = 20000;
const SILENCE_LIMIT_MS = 50000;
const WELCOME_TIMEOUT_MS = 15000;
const RETRY_REFUSED_MS = 3000;
// A socket that closes before it was welcomed, or within this long after, is "in trouble";
// after SOCKET_TRIES of those in a row the fallback takes over.
const SOCKET_SHORT_LIFE_MS = 10000;
const SOCKET_TRIES = 3;
// While on the fallback, a socket is tried again after this long (doubling up to the cap); it
// counts as working once it has stayed open PROBE_HOLD_MS.
const PROBE_FIRST_MS = 5000;
const PROBE_CAP_MS = 300000;
const PROBE_HOLD_MS = 3000;
// A page loaded again within this long of using the fallback starts on it (and probes), instead
// of waiting for three more sockets to fail first.
const REMEMBER_FALLBACK_MS = 30 * 60 * 1000;
const FALLBACK_KEY = "tavla:fallback-since";
// Close codes the server chose (restart, policy, removed): they say nothing about the network.
const DELIBERATE = (code) => code === 1008 || code === 1009 || code === 1012 || code === 1013 || (code >= 4000 && code < 5000);
// Pace what we send below the server's per-connection rate limit (20 ops/s, burst 60), so that
// a long outbox sent after a reconnect is neither refused nor reordered.
const SEND_RATE_PER_S = 15;
const SEND_BURST = 40;

// Refusals that mean "not now" rather than "no": the op stays in the outbox and is sent again.
const RETRYABLE = new Set(["unavailable", "busy", "rate_limited", "rate_limit", "slow_down", "too_fast"]);
// Refusals of the hello that the person has to fix (their name); reconnecting would not help.
const JOIN_FIXABLE = new Set(["invalid", "too_long", "name_required"]);

export { makeId, Outbox, storage } from "./outbox.js";

export class Connection {
  /**
   * @param {object} options
   * @param {string} options.code      room code
   * @param {() => {name: string, department: string, token: string|null, key: string|null}} options.identity
   * @param {object} options.listener  callbacks, see the top of this file
   * @param {number} [options.probeAfterMs]  first wait before trying a socket again from the fallback
   */
  constructor({ code, identity, listener, probeAfterMs = PROBE_FIRST_MS }) {
    this.code = code;
    this.identity = identity;
    this.listener = listener || {};
    this.outbox = new Outbox(`tavla:${code}:outbox`);
    this.awaiting = new Map(); // op id → {entry, seq}: acknowledged, event not applied yet
    // Op ids whose event has been applied while their ack is still on its way (the server sends
    // the sender's event first): they are in the confirmed state and no longer predicted.
    this.inEvent = new Set();
    this.transport = null; // SocketTransport | StreamTransport while connecting or connected
    this.mode = "websocket"; // which transport the next connection uses
    this.welcomedKind = null; // the transport of the last welcome: "websocket" | "sse"
    this.socketTrouble = 0; // sockets in a row that died young
    this.probe = null;
    this.probeTimer = null;
    this.probeFirstMs = probeAfterMs;
    const since = Number(storage.get(FALLBACK_KEY));
    if (since && Date.now() - since < REMEMBER_FALLBACK_MS) this.mode = "sse";
    this.probeDelay = probeAfterMs;
    this.welcomed = false;
    this.everWelcomed = false;
    this.stopped = false;
    this.isGone = false;
    this.lastSeq = null; // last applied seq; null until the first welcome
    this.attempt = 0;
    this.retryTimer = null;
    this.welcomeTimer = null;
    this.pingTimer = null;
    this.resendTimer = null;
    this.welcomedAt = 0;
    this.lastHeard = 0;
    this.sent = new Set(); // op ids sent on the current socket
    this.sentBefore = new Set(); // op ids sent on any socket (their event may come in a resume)
    this.you = null;
    this.clockSamples = [];
    this.clockOffset = 0; // server time − local time, ms
    this.lastClose = null;
    this.joinError = null;
    this.outdated = null;
    this.lastErrorAt = 0;
    this.held = false; // the server answered "not now" (e.g. its store is down) since the last ack
    this.tokens = SEND_BURST;
    this.tokensAt = Date.now();
    this.flushTimer = null;

    this._onOnline = () => this.connectNow();
    this._onOffline = () => {
      // The browser knows the network is gone: a socket that looks open is dead.
      if (this.transport) this._reconnect(false);
      else this._changed();
    };
    this._onVisible = () => {
      if (document.visibilityState !== "visible") return;
      if (!this.transport) this.connectNow();
      else this._ping();
    };
    this._onStorage = (e) => {
      if (e.key !== this.outbox.key) return;
      this.outbox.invalidate();
      this._flush();
      this._changed();
    };
  }

  // -- lifecycle -----------------------------------------------------------------------------

  start() {
    this.stopped = false;
    window.addEventListener("online", this._onOnline);
    window.addEventListener("offline", this._onOffline);
    document.addEventListener("visibilitychange", this._onVisible);
    window.addEventListener("pageshow", this._onVisible);
    window.addEventListener("storage", this._onStorage);
    this._connect();
    this._scheduleProbe();
  }

  /** Stop for good (the room is gone, or the page is leaving). */
  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.resendTimer);
    this._dropSocket();
    this._stopProbe();
    window.removeEventListener("online", this._onOnline);
    window.removeEventListener("offline", this._onOffline);
    document.removeEventListener("visibilitychange", this._onVisible);
    window.removeEventListener("pageshow", this._onVisible);
    window.removeEventListener("storage", this._onStorage);
    this._changed();
  }

  /** Reconnect now, skipping any backoff wait (network back, tab visible, new name). */
  connectNow() {
    if (this.stopped) return;
    if (this.transport) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.attempt = 0;
    this._connect();
  }

  /** Close and open again, e.g. to send a new hello after the name changed. */
  restart() {
    if (this.stopped && this.isGone) return;
    this.stopped = false;
    this.joinError = null;
    this._dropSocket();
    this.connectNow();
  }

  /**
   * connecting (never welcomed yet) | connected | waiting (connected, but the server cannot
   * save ops now: they stay in the outbox) | reconnecting | offline | joining (hello refused,
   * waiting for the person) | gone
   */
  get status() {
    if (this.isGone) return "gone";
    if (this.removedReason) return "removed";
    if (this.waiting && !this.welcomed) return "waiting";
    if (this.outdated) return "outdated";
    if (this.joinError) return "joining";
    if (this.welcomed) return this.held && this.outbox.size ? "unsaved" : "connected";
    if (typeof navigator !== "undefined" && navigator.onLine === false) return "offline";
    return this.everWelcomed ? "reconnecting" : "connecting";
  }

  /** On the HTTP fallback: everything works, a little slower (the page says so, quietly). */
  get limited() {
    return this.welcomedKind === "sse";
  }

  get pendingCount() {
    return this.outbox.size;
  }

  /** Ops to predict on top of the confirmed state, in order: acknowledged ops whose event has
   * not reached us yet, and the outbox without the ops whose event already has. */
  pendingOps() {
    const acked = [...this.awaiting.values()].map((a) => a.entry);
    const waiting = this.outbox.list();
    return acked.concat(this.inEvent.size ? waiting.filter((e) => !this.inEvent.has(e.id)) : waiting);
  }

  /**
   * Our own event `frame` arrived: the op it confirms is the oldest op sent on this socket,
   * not yet matched, of the same kind and target (the server applies one socket's ops in
   * order). Until its ack comes it is not predicted again, so nothing counts twice (a dot).
   * The ack settles it either way.
   */
  _matchOwnEvent(frame) {
    if (!this.you || frame.by !== this.you.id) return;
    const data = frame.data && typeof frame.data === "object" ? frame.data : {};
    const target = (x) => (x && (x.target || x.id)) || null;
    for (const entry of this.outbox.list()) {
      if (!this.sentBefore.has(entry.id) || this.inEvent.has(entry.id)) continue;
      if (entry.op === frame.op && target(entry.args) === target(data)) {
        this.inEvent.add(entry.id);
        return;
      }
    }
  }

  /** The server's clock, corrected by the offset learned from `pong`. */
  serverNow() {
    return Date.now() + this.clockOffset;
  }

  // -- ops -------------------------------------------------------------------------------------

  /** Queue an op: persisted first, then sent if the socket is ready. Returns the op id. */
  send(op, args) {
    const entry = { id: makeId("o_"), op, args, at: Date.now() };
    this.outbox.add(entry);
    this._flush(); // in order: earlier ops may still be waiting for their turn
    this._changed();
    return entry.id;
  }

  _sendEntry(entry) {
    if (!this.welcomed || !this.transport || !this.transport.isOpen) return false;
    if (this.sent.has(entry.id)) return true;
    if (!this._takeToken()) {
      if (!this.flushTimer) {
        this.flushTimer = setTimeout(() => {
          this.flushTimer = null;
          this._flush();
        }, 1000 / SEND_RATE_PER_S);
      }
      return false;
    }
    if (!this.transport.send(JSON.stringify({ type: "op", id: entry.id, op: entry.op, args: entry.args }))) return false;
    this.sent.add(entry.id);
    this.sentBefore.add(entry.id);
    return true;
  }

  _takeToken() {
    const now = Date.now();
    this.tokens = Math.min(SEND_BURST, this.tokens + ((now - this.tokensAt) / 1000) * SEND_RATE_PER_S);
    this.tokensAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Send every outbox op not yet sent on this socket, in order. */
  _flush() {
    for (const entry of this.outbox.list()) {
      if (!this._sendEntry(entry)) break;
    }
  }

  // -- socket ----------------------------------------------------------------------------------

  _socketUrl() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    return `${scheme}//${location.host}/r/${encodeURIComponent(this.code)}/ws`;
  }

  _connect() {
    if (this.stopped || this.transport) return;
    let transport = null;
    const handlers = {
      open: () => {
        if (transport === this.transport) this._sendHello();
      },
      message: (data) => {
        if (transport === this.transport) this._onMessage(data);
      },
      close: (info) => {
        if (transport === this.transport) this._onClose(info, transport.kind);
      },
    };
    try {
      transport = this.mode === "sse"
        ? new StreamTransport(`/r/${encodeURIComponent(this.code)}`, handlers)
        : new SocketTransport(this._socketUrl(), handlers);
    } catch {
      if (this.mode === "websocket") this._socketInTrouble({ code: 1006 }, 0);
      this._scheduleReconnect(false);
      return;
    }
    this.transport = transport;
    this.welcomed = false;
    this.sent = new Set();
    this.lastHeard = Date.now();
    clearTimeout(this.welcomeTimer);
    this.welcomeTimer = setTimeout(() => {
      if (transport === this.transport && !this.welcomed) this._reconnect(false);
    }, WELCOME_TIMEOUT_MS);
    this._changed();
  }

  _sendHello() {
    const me = this.identity();
    this.transport.send(
      JSON.stringify({
        type: "hello",
        protocol: PROTOCOL_VERSION,
        name: me.name || "",
        department: me.department || "",
        token: me.token || null,
        key: me.key || null,
        since: this.lastSeq,
        batch: true, // frames that pile up for us may arrive as one array (docs/protocol.md)
      }),
    );
  }

  // -- choosing the transport ----------------------------------------------------------------

  /** A socket closed after living `lived` ms welcomed: does the network keep sockets from us? */
  _socketInTrouble(info, lived) {
    const online = typeof navigator === "undefined" || navigator.onLine !== false;
    if (!online || DELIBERATE(info.code)) return false;
    if (lived >= SOCKET_SHORT_LIFE_MS) {
      this.socketTrouble = 0;
      return false;
    }
    this.socketTrouble += 1;
    if (this.socketTrouble < SOCKET_TRIES) return false;
    this.mode = "sse";
    this.socketTrouble = 0;
    this.probeDelay = this.probeFirstMs;
    return true;
  }

  _scheduleProbe() {
    clearTimeout(this.probeTimer);
    this.probeTimer = null;
    if (this.stopped || this.mode !== "sse" || this.probe) return;
    this.probeTimer = setTimeout(() => this._probeSocket(), this.probeDelay * (0.75 + Math.random() * 0.5));
  }

  /** Try a socket on the side; only one that opens and stays open takes over from the fallback. */
  _probeSocket() {
    this.probeTimer = null;
    if (this.stopped || this.mode !== "sse") return;
    let ws;
    try {
      ws = new WebSocket(this._socketUrl());
    } catch {
      this._probeFailed();
      return;
    }
    this.probe = ws;
    let hold = null;
    ws.addEventListener("open", () => {
      hold = setTimeout(() => {
        if (this.probe !== ws) return;
        this.probe = null;
        try {
          ws.close(1000);
        } catch {
          // closing anyway
        }
        this.mode = "websocket";
        this.probeDelay = this.probeFirstMs;
        this._reconnect(true);
      }, PROBE_HOLD_MS);
    });
    ws.addEventListener("close", () => {
      clearTimeout(hold);
      if (this.probe !== ws) return;
      this.probe = null;
      this._probeFailed();
    });
  }

  _probeFailed() {
    this.probeDelay = Math.min(this.probeDelay * 2, PROBE_CAP_MS);
    this._scheduleProbe();
  }

  _stopProbe() {
    clearTimeout(this.probeTimer);
    this.probeTimer = null;
    const ws = this.probe;
    this.probe = null;
    if (ws) {
      try {
        ws.close(1000);
      } catch {
        // closing anyway
      }
    }
  }

  /** Forget the current socket without waiting for its close event. */
  _dropSocket() {
    const transport = this.transport;
    clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.transport = null;
    this.welcomed = false;
    clearTimeout(this.welcomeTimer);
    clearInterval(this.pingTimer);
    this.pingTimer = null;
    if (transport) transport.close();
  }

  _reconnect(immediate) {
    this._dropSocket();
    this._scheduleReconnect(immediate);
    this._changed();
  }

  _scheduleReconnect(immediate) {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    // Full jitter: a random wait up to an exponentially growing ceiling, so that 300 phones
    // that lost the same Wi-Fi do not all come back in the same millisecond.
    const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** this.attempt);
    const delay = immediate ? 0 : Math.random() * ceiling;
    if (!immediate) this.attempt = Math.min(this.attempt + 1, 16);
    this._scheduleDelay(delay);
  }

  _scheduleDelay(delay) {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this._connect();
    }, delay);
  }

  _onClose(e, kind) {
    const wasWelcomed = this.welcomed;
    const lived = wasWelcomed ? Date.now() - this.welcomedAt : 0;
    const stable = wasWelcomed && lived >= STABLE_AFTER_MS;
    this._dropSocket();
    if (stable) this.attempt = 0;
    const code = e.code;
    const reason = e.reason || "";
    this.lastClose = { code, reason };
    if (kind === "sse" && !e.opened && this.welcomedKind !== "sse") {
      // The fallback cannot open either: the server is away, not the socket blocked. Keep
      // trying the socket first, so a restart does not leave everyone on the fallback.
      this.mode = "websocket";
      this._stopProbe();
    }
    if (kind === "websocket" && this._socketInTrouble(e, lived)) {
      // Sockets do not get through here: carry on over the fallback at once.
      this.attempt = 0;
      this._scheduleDelay(Math.random() * 300);
      this._scheduleProbe();
      this._changed();
      return;
    }

    if (code === 4404) {
      this._gone(reason);
      return;
    }
    if (code === 4403) {
      // Removed or turned away: this identity cannot come back, so neither do we.
      this.stopped = true;
      this.removedReason = reason || "removed";
      this.outbox._write([]);
      if (this.listener.removed) this.listener.removed(reason);
      this._changed();
      return;
    }
    if (this.joinError || this.outdated) {
      // The server refused who we said we are (or our version); wait for the person.
      this.stopped = true;
      this._changed();
      return;
    }
    if (code === 1008 || code === 1009 || (code >= 4000 && code < 5000)) {
      // The error frame sent just before the close (if any) already said why.
      const explained = Date.now() - this.lastErrorAt < 3000;
      if (this.listener.closed) this.listener.closed({ code, reason, explained });
    }
    if ((code === 1012 && wasWelcomed) || (e.ended && lived >= 1000)) {
      // The server restarts, or a proxy ended a healthy stream (some do, every N seconds):
      // come back at once, from the last seq (a little jitter spreads a full room).
      this._scheduleDelay(Math.random() * 300);
    } else {
      this._scheduleReconnect(false);
    }
    this._changed();
  }

  _gone(reason) {
    if (this.isGone) return;
    this.isGone = true;
    // Nothing unsent can ever arrive: the room and everything in it is gone.
    this.outbox._write([]);
    this.awaiting.clear();
    this.stop();
    if (this.listener.gone) this.listener.gone(reason);
  }

  /** The room was deleted (a `room.delete` event): stop now, without waiting for the close. */
  markGone(reason) {
    this._gone(reason);
  }

  // -- frames ----------------------------------------------------------------------------------

  _onMessage(data) {
    let msg;
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    if (Array.isArray(msg)) {
      // A batch: frames that were waiting for us together, in order.
      const transport = this.transport;
      for (const frame of msg) {
        if (this.transport !== transport) break; // a frame of the batch ended this socket (a gap, gone)
        this._onFrame(frame);
      }
      return;
    }
    this._onFrame(msg);
  }

  _onFrame(msg) {
    if (!msg || typeof msg !== "object") return;
    this.lastHeard = Date.now();
    switch (msg.type) {
      case "welcome":
        this._onWelcome(msg);
        break;
      case "event":
        if (this.welcomed) this._onEvent(msg);
        break;
      case "ack":
        this._onAck(msg);
        break;
      case "error":
        this._onError(msg);
        break;
      case "presence":
        if (Array.isArray(msg.participants) && this.listener.presence) {
          this.listener.presence(msg.participants);
          this._changed();
        }
        break;
      case "pong":
        this._onPong(msg);
        break;
      case "lobby":
        // Waiting to be let in: the welcome comes when it comes, on this socket.
        clearTimeout(this.welcomeTimer);
        this.waiting = true;
        if (!this.pingTimer) this.pingTimer = setInterval(() => this._ping(), PING_EVERY_MS); // keep proxies from closing it
        if (this.listener.lobby) this.listener.lobby(msg.you && typeof msg.you === "object" ? msg.you : {});
        this._changed();
        break;
      default:
        break; // a newer server: ignore what we do not know
    }
  }

  _onWelcome(msg) {
    const you = msg.you && typeof msg.you === "object" ? msg.you : null;
    if (you) this.you = you;
    if (typeof msg.server_time === "number" && this.clockSamples.length === 0) {
      this.clockOffset = msg.server_time - Date.now();
    }
    const head = Number.isInteger(msg.seq) ? msg.seq : null;

    if (msg.state && typeof msg.state === "object") {
      this.listener.reset && this.listener.reset(msg.state, you);
      this.lastSeq = head;
      this.awaiting.clear();
    } else if (Array.isArray(msg.events) && this.lastSeq !== null) {
      // Every seq reaches every client (an event we may not see comes as `redacted`), so a
      // resume runs gap-free from our last seq up to the head.
      let complete = true;
      for (const frame of msg.events) {
        if (!frame || !Number.isInteger(frame.seq) || frame.seq <= this.lastSeq) continue;
        if (frame.seq !== this.lastSeq + 1) {
          complete = false;
          break;
        }
        this._matchOwnEvent(frame);
        this.listener.event && this.listener.event(frame);
        this.lastSeq = frame.seq;
      }
      if (head !== null && head > this.lastSeq) complete = false;
      if (complete && msg.can && this.listener.permissions) this.listener.permissions(msg.can);
      if (!complete) {
        // Something is missing: replaying on would show a wrong board. Start from a snapshot.
        this.lastSeq = null;
        this._reconnect(true);
        return;
      }
      this._pruneAwaiting();
    } else {
      // A resume we cannot use (we have nothing to resume from): start from a snapshot.
      this.lastSeq = null;
      this._reconnect(true);
      return;
    }

    clearTimeout(this.welcomeTimer);
    this.welcomed = true;
    if (this.transport) this.welcomedKind = this.transport.kind;
    if (this.welcomedKind === "sse") storage.set(FALLBACK_KEY, String(Date.now()));
    else if (this.welcomedKind === "websocket") storage.remove(FALLBACK_KEY);
    this.waiting = false;
    this.everWelcomed = true;
    this.joinError = null;
    this.welcomedAt = Date.now();
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => this._ping(), PING_EVERY_MS);
    if (this.listener.welcome) this.listener.welcome(you, msg);
    this._ping();
    this._flush();
    this._changed();
  }

  _onEvent(frame) {
    if (!Number.isInteger(frame.seq)) return;
    if (this.lastSeq !== null && frame.seq <= this.lastSeq) return; // already applied
    if (this.lastSeq !== null && frame.seq !== this.lastSeq + 1) {
      // A gap: something was lost on the way. Resume from what we have.
      this._reconnect(true);
      return;
    }
    this._matchOwnEvent(frame);
    if (this.listener.event) this.listener.event(frame);
    this.lastSeq = frame.seq;
    this._pruneAwaiting();
    this._changed();
  }

  _pruneAwaiting() {
    for (const [id, item] of this.awaiting) {
      if (this.lastSeq !== null && item.seq <= this.lastSeq) this.awaiting.delete(id);
    }
  }

  _onAck(msg) {
    if (typeof msg.id !== "string") return;
    const entry = this.outbox.remove(msg.id);
    this.inEvent.delete(msg.id);
    this.sentBefore.delete(msg.id);
    this.held = false;
    if (entry && Number.isInteger(msg.seq) && this.lastSeq !== null && msg.seq > this.lastSeq) {
      // Keep showing it until its event arrives, so that nothing flickers.
      this.awaiting.set(msg.id, { entry, seq: msg.seq });
    }
    this._changed();
  }

  _onError(msg) {
    const code = typeof msg.code === "string" ? msg.code : "error";
    const message = typeof msg.message === "string" ? msg.message : "";
    this.lastErrorAt = Date.now();
    if (typeof msg.id === "string" && msg.id) {
      if (RETRYABLE.has(code)) {
        // Not refused, only postponed: keep the op and send it again a little later.
        this.held = true;
        this.sent.delete(msg.id);
        clearTimeout(this.resendTimer);
        this.resendTimer = setTimeout(() => this._flush(), RETRY_REFUSED_MS + Math.random() * RETRY_REFUSED_MS);
        if (this.listener.refused) this.listener.refused({ code, message, op: null, retrying: true });
        this._changed();
        return;
      }
      const op = this.outbox.remove(msg.id);
      this.inEvent.delete(msg.id);
      this.sentBefore.delete(msg.id);
      if (this.listener.refused) this.listener.refused({ code, message, op });
      this._changed();
      return;
    }
    if (code === "gone" || code === "not_found_room" || code === "room_not_found") {
      this._gone(message);
      return;
    }
    if (code === "protocol") {
      this.outdated = { code, message };
      this.stopped = true;
      this._dropSocket();
      clearTimeout(this.retryTimer);
      if (this.listener.outdated) this.listener.outdated(message);
      this._changed();
      return;
    }
    if (!this.welcomed && JOIN_FIXABLE.has(code)) {
      this.joinError = { code, message };
      this.stopped = true;
      this._dropSocket();
      clearTimeout(this.retryTimer);
      if (this.listener.joinRefused) this.listener.joinRefused({ code, message });
      this._changed();
      return;
    }
    if (this.listener.refused) this.listener.refused({ code, message, op: null });
  }

  _onPong(msg) {
    const now = Date.now();
    if (typeof msg.t !== "number" || typeof msg.server_time !== "number") return;
    const rtt = now - msg.t;
    if (rtt < 0 || rtt > 60000) return;
    this.clockSamples.push({ rtt, offset: msg.server_time + rtt / 2 - now });
    if (this.clockSamples.length > 8) this.clockSamples.shift();
    // The sample with the shortest round trip has the smallest error.
    const best = this.clockSamples.reduce((a, b) => (b.rtt < a.rtt ? b : a));
    this.clockOffset = best.offset;
  }

  _ping() {
    const transport = this.transport;
    if (!transport || !transport.isOpen) return;
    if (this.welcomed && Date.now() - this.lastHeard > SILENCE_LIMIT_MS) {
      // A socket that hears nothing for this long is dead, even if the browser has not noticed.
      this._reconnect(false);
      return;
    }
    transport.send(JSON.stringify({ type: "ping", t: Date.now() })); // a failure shows as a close
  }

  _changed() {
    if (this.listener.change) this.listener.change();
  }
}
