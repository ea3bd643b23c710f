// The two ways the same protocol frames travel (docs/protocol.md, "The HTTP fallback"):
//
//   SocketTransport   one WebSocket: a text message each way.
//   StreamTransport   for networks that block WebSockets: Server-Sent Events from the server
//                     (GET /r/{code}/events) and POSTs of frames to it (POST /r/{code}/send,
//                     with the stream's session in X-Tavla-Session).
//
// Both take the same handlers and offer the same methods, so client/core/connection.js does not
// know which one it talks through:
//   handlers.open()                      ready: send the hello
//   handlers.message(text)               one message (a frame, or a batch as a JSON array)
//   handlers.close({code, reason, opened, ended})
//                                        gone for good; `opened`: it had been ready;
//                                        `ended`: the server or a proxy ended a healthy stream
//   transport.send(text) → boolean       queued for sending (false: not ready)
//   transport.close()                    stop; no close handler call follows
//   transport.isOpen                     ready to send
//   transport.kind                       "websocket" | "sse"

const MAX_POST_BYTES = 32 * 1024; // well under the server's 64 KiB: a frame is at most a few KiB
const POST_TIMEOUT_MS = 15000;

export class SocketTransport {
  constructor(url, handlers) {
    this.kind = "websocket";
    this.handlers = handlers;
    this.opened = false;
    this.done = false;
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.addEventListener("open", () => {
      if (this.done) return;
      this.opened = true;
      handlers.open();
    });
    ws.addEventListener("message", (e) => {
      if (!this.done) handlers.message(e.data);
    });
    ws.addEventListener("close", (e) => {
      if (this.done) return;
      this.done = true;
      handlers.close({ code: e.code, reason: e.reason || "", opened: this.opened, ended: false });
    });
  }

  get isOpen() {
    return !this.done && this.ws.readyState === WebSocket.OPEN;
  }

  send(text) {
    if (!this.isOpen) return false;
    try {
      this.ws.send(text);
      return true;
    } catch {
      return false;
    }
  }

  close() {
    this.done = true;
    try {
      this.ws.close(1000);
    } catch {
      // already closing
    }
  }
}

export class StreamTransport {
  constructor(base, handlers) {
    this.kind = "sse";
    this.base = base; // "/r/CODE"
    this.handlers = handlers;
    this.session = null;
    this.done = false;
    this.queue = []; // frames waiting for the POST in flight
    this.posting = false;
    const es = new EventSource(`${base}/events`);
    this.es = es;
    es.addEventListener("session", (e) => {
      if (this.done) return;
      let info;
      try {
        info = JSON.parse(e.data);
      } catch {
        return;
      }
      if (this.session) {
        // The browser reconnected the stream by itself: that is a new connection on the server,
        // and the hello must come again. End this one; connection.js opens the next.
        this._end({ code: 1006, reason: "stream ended", ended: true });
        return;
      }
      this.session = info.session;
      handlers.open();
    });
    es.addEventListener("message", (e) => {
      if (!this.done) handlers.message(e.data);
    });
    es.addEventListener("close", (e) => {
      // The server's close frame, as an event: the same code and reason as on a socket.
      let info = {};
      try {
        info = JSON.parse(e.data);
      } catch {
        // keep the defaults
      }
      this._end({ code: Number(info.code) || 1006, reason: String(info.reason || ""), ended: false });
    });
    es.addEventListener("error", () => {
      // The stream ended (a proxy's time limit, a restart) or never opened.
      if (this.session) this._end({ code: 1006, reason: "", ended: true });
      else this._diagnose();
    });
  }

  get isOpen() {
    return !this.done && this.session !== null;
  }

  send(text) {
    if (!this.isOpen) return false;
    this.queue.push(text);
    if (!this.posting) this._post();
    return true;
  }

  /** POST what is queued (several frames per request), one request at a time: order kept. */
  async _post() {
    if (this.done || !this.queue.length) return;
    this.posting = true;
    const frames = [];
    let size = 2;
    while (this.queue.length && (frames.length === 0 || size + this.queue[0].length + 1 <= MAX_POST_BYTES)) {
      const next = this.queue.shift();
      size += next.length + 1;
      frames.push(next);
    }
    const controller = typeof AbortController === "function" ? new AbortController() : null;
    const timer = setTimeout(() => controller && controller.abort(), POST_TIMEOUT_MS);
    let response = null;
    try {
      response = await fetch(`${this.base}/send`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Tavla-Session": this.session },
        body: `[${frames.join(",")}]`,
        credentials: "same-origin",
        cache: "no-store",
        signal: controller ? controller.signal : undefined,
      });
    } catch {
      response = null;
    } finally {
      clearTimeout(timer);
    }
    this.posting = false;
    if (this.done) return;
    if (!response || response.status === 410 || response.status >= 500) {
      // Lost on the way, or the stream is gone: a new connection resends what is unacknowledged.
      this._end({ code: 1006, reason: "", ended: Boolean(response) });
      return;
    }
    if (response.status !== 202) {
      let info = {};
      try {
        info = await response.json();
      } catch {
        // keep the defaults
      }
      // Refused as a whole (too large, wrong type): what a socket closes with 1008/1009 for.
      this._end({ code: response.status === 413 ? 1009 : 1008, reason: String(info.error || response.status), ended: false });
      return;
    }
    this._post();
  }

  /** The stream did not open, and EventSource does not say why: ask once, so that a room
   * that does not exist is told apart (4404, as a socket would be closed) from a network that
   * is down. */
  async _diagnose() {
    if (this.done) return;
    this.es.close(); // no retries of its own meanwhile
    let info = { code: 1006, reason: "", ended: false };
    try {
      const controller = new AbortController();
      const response = await fetch(`${this.base}/events`, { cache: "no-store", signal: controller.signal });
      controller.abort(); // only the status was wanted
      if (response.status === 404) info = { code: 4404, reason: "no such room", ended: false };
    } catch {
      // the network: keep 1006
    }
    this._end(info);
  }

  _end(info) {
    if (this.done) return;
    this.done = true;
    this.es.close();
    this.queue = [];
    this.handlers.close({ ...info, opened: this.session !== null });
  }

  close() {
    this.done = true;
    this.queue = [];
    this.es.close();
  }
}
