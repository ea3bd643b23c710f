// A scripted browser for client modules under Node: localStorage, window events and a
// WebSocket whose frames the test delivers by hand (no timers, no network).
// Minimal browser globals for connection.js
export const store = new Map();
export const listeners = {};
globalThis.window = {
  localStorage: { getItem: (k) => (store.has(k) ? store.get(k) : null), setItem: (k, v) => store.set(k, String(v)), removeItem: (k) => store.delete(k) },
  addEventListener: (t, f) => ((listeners[t] ||= []).push(f)),
  removeEventListener: () => {},
};
globalThis.document = { visibilityState: "visible", addEventListener: () => {}, removeEventListener: () => {} };
globalThis.location = { protocol: "http:", host: "x" };
Object.defineProperty(globalThis, "navigator", { value: { onLine: true }, configurable: true });
export const sockets = [];
class FakeWS {
  static OPEN = 1;
  constructor(url) { this.url = url; this.readyState = 0; this.sent = []; this.l = {}; sockets.push(this); }
  addEventListener(t, f) { (this.l[t] ||= []).push(f); }
  send(d) { this.sent.push(JSON.parse(d)); }
  close() { this.readyState = 3; }
  _open() { this.readyState = 1; this.l.open.forEach((f) => f()); }
  _msg(m) { this.l.message.forEach((f) => f({ data: JSON.stringify(m) })); }
  _close(code, reason = "") { this.readyState = 3; this.l.close.forEach((f) => f({ code, reason })); }
}
globalThis.WebSocket = FakeWS;
