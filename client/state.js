// Moved to core/state.js (the reducer); this re-export keeps older imports working.
export * from "./core/state.js";
