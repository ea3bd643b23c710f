// Moved to core/connection.js (the socket and the outbox); this re-export keeps older imports working.
export * from "./core/connection.js";
