// How the node replays compare a client state with the server's projection.

/** What a state shows, in a form to compare: presence is not in the log, so `online` is left
 * out; notes by id, without their stacking number (stacking is the client's: a note revealed to it
 * comes on top). */
export function comparable(state) {
  const byId = (items) => Object.fromEntries([...items].sort((a, b) => (a.id < b.id ? -1 : 1)).map(({ z, ...x }) => [x.id, x]));
  return JSON.parse(JSON.stringify({
    room: state.room,
    timer: state.timer,
    notes: byId(state.notes.values()),
    clusters: byId(state.clusters.values()),
    my_votes: state.myVotes,
    participants: byId([...state.participants.values()].map(({ online, ...p }) => p)),
    hidden_counts: state.hiddenCounts,
    hints: state.hints,
    limits: state.limits,
    can: state.can,
    evaluation: state.evaluation,
  }));
}
