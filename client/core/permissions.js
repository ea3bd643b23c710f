// What this person may do and the limits in force, as the server says (welcome.state.can and
// .limits, kept current by the events that change them; docs/protocol.md). For showing controls
// only: the server checks every op again. Pure: no DOM, no translations (context.js words the
// reasons).

/**
 * The code the server would refuse `op` with now, whatever its target: "forbidden", "phase",
 * "locked"; null when it is allowed; "not_joined" before the first welcome.
 * @param {{can: object|null}} state  a BoardState
 */
export function refusal(state, op) {
  const can = state.can;
  if (!can) return "not_joined";
  return typeof can[op] === "string" ? can[op] : null;
}

/** A limit in force on this server; null before the first welcome. */
export function limitOf(state, name) {
  const limits = state.limits;
  return limits && Number.isInteger(limits[name]) ? limits[name] : null;
}

/** Whose note it is depends on the note, so `can` leaves it to the op's check: the author or a
 * facilitator may change a note. */
export function mayEditNote(state, note, facilitator) {
  return refusal(state, "note.update") === null && (facilitator || Boolean(note && note.mine));
}

/** A group's creator or a facilitator may delete or merge it (the server checks the same). */
export function mayRemoveCluster(state, cluster, meId, facilitator) {
  if (!cluster || refusal(state, "cluster.delete") !== null) return false;
  return facilitator || Boolean(meId && cluster.creator === meId);
}
