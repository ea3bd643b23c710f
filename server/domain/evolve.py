"""Apply a durable event to a state. Deterministic: every replica that applies the same events
in `seq` order holds the same state."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec

from . import events as ev
from .templates import round_title
from .model import (
    BOARD_HEIGHT,
    BOARD_WIDTH,
    Area,
    Board,
    Cluster,
    Debrief,
    Event,
    EvaluationAnswer,
    Hint,
    Note,
    Participant,
    Phase,
    Report,
    Role,
    RoomInfo,
    Round,
    Settings,
    SharedView,
    State,
    Timer,
    Undo,
)


def initial_state(event: Event) -> State:
    """The state right after `room.create` (always seq 1)."""
    d = event.data
    if not isinstance(d, ev.RoomCreated):
        raise ValueError(f"Expected the first event to be 'room.create', got {event.op!r}")
    room = RoomInfo(
        code=d.code,
        title=d.title,
        language=d.language,
        template=d.template or "blank",
        prompt=d.prompt or "",
        areas=[_area(a) for a in d.areas],
        rounds=[_round(r) for r in d.rounds],
        round=d.rounds[0].id if d.rounds else "",
        hear_from=[] if d.hear_from is msgspec.UNSET else list(d.hear_from),
    )
    # A template whose first round starts with private writing has it on from the start.
    room.settings.private_writing = bool(d.rounds) and d.rounds[0].private_writing
    state = State(seq=event.seq, room=room)
    ensure_rounds(state)
    _sync_active(state)
    return state


def ensure_rounds(state: State) -> State:
    """A room from before rounds existed (its `room.create` or a snapshot without a plan) is
    one round `r1`, with the prompt and areas it had."""
    room = state.room
    if not room.rounds:
        room.rounds = [Round("r1", round_title(room.language, 1), room.prompt, list(room.areas))]
        room.round = "r1"
    return state


def _area(a: ev.AreaData) -> Area:
    return Area(a.id, a.title, a.x, a.y, a.w, a.h)


def _round(r: ev.RoundData) -> Round:
    return Round(r.id, r.title, r.prompt, [_area(a) for a in r.areas], [Phase(p) for p in r.phases], r.timer_ms,
                 r.private_writing)


def _sync_active(state: State) -> None:
    """The room's `prompt` and `areas` are the active round's, for every rule that reads them."""
    active = state.room.active_round()
    state.room.prompt = active.prompt
    state.room.areas = list(active.areas)


def fresh_board(round_: Round) -> Board:
    """A round's board the first time it is used: empty, in its first phase, its timer set to
    the suggested time (not running)."""
    timer = Timer("idle", round_.timer_ms, round_.timer_ms, None) if round_.timer_ms else Timer()
    return Board(phase=round_.phases[0] if round_.phases else Phase.WRITE, timer=timer)


def apply_event(state: State, event: Event) -> None:
    """Advance `state` by one event; the event must be the next `seq`."""
    if event.seq != state.seq + 1:
        raise ValueError(f"Expected event seq {state.seq + 1}, got {event.seq}")
    if type(event.data) is ev.EvaluationAnswered:
        _evaluation_answer(state, event.by, event.data)  # the one event applied by whom it is from
    else:
        _APPLY[type(event.data)](state, event.data)
    state.seq = event.seq


def _participant_join(state: State, d: ev.ParticipantJoined) -> None:
    state.waiting.pop(d.id, None)  # a key holder walks past the lobby
    state.participants[d.id] = Participant(id=d.id, name=d.name, department=d.department, role=Role(d.role))


def _lobby_knock(state: State, d: ev.LobbyKnocked) -> None:
    state.waiting[d.id] = Participant(id=d.id, name=d.name, department=d.department)


def _lobby_deny(state: State, d: ev.LobbyDenied) -> None:
    state.waiting.pop(d.participant, None)
    state.removed.add(d.participant)


def _participant_remove(state: State, d: ev.ParticipantRemoved) -> None:
    """Their notes, groups and dots stay; their place in the room and their token do not."""
    state.participants.pop(d.participant, None)
    state.removed.add(d.participant)


def _note_create(state: State, d: ev.NoteCreated) -> None:
    state.notes[d.id] = Note(
        id=d.id, text=d.text, color=d.color, x=d.x, y=d.y, author=d.author, cluster=d.cluster, hidden=d.hidden,
        photo=d.photo, alt=d.alt,
    )


def _note_update(state: State, d: ev.NoteUpdated) -> None:
    note = state.notes[d.id]
    if d.text is not None:
        note.text = d.text
    if d.color is not None:
        note.color = d.color


def _note_move(state: State, d: ev.NoteMoved) -> None:
    note = state.notes[d.id]
    note.x, note.y = d.x, d.y


def _note_delete(state: State, d: ev.NoteDeleted) -> None:
    del state.notes[d.id]
    _forget_target(state, d.id)


def _forget_target(state: State, target: str) -> None:
    """A note or cluster is gone: its dots go back to their voters, the spotlight moves off it."""
    for mine in state.votes.values():
        mine.pop(target, None)
    if state.room.spotlight == target:
        state.room.spotlight = None


def _note_group(state: State, d: ev.NoteGrouped) -> None:
    state.notes[d.id].cluster = d.cluster
    _place(state, d.layout)


def _place(state: State, layout: ev.LayoutData | None) -> None:
    """Put notes and groups where a layout decided (anything gone since is skipped)."""
    if layout is None:
        return
    for p in layout.notes:
        note = state.notes.get(p.id)
        if note is not None:
            note.x, note.y = p.x, p.y
    for p in layout.clusters:
        cluster = state.clusters.get(p.id)
        if cluster is not None:
            cluster.x, cluster.y = p.x, p.y


def _before(state: State, kind: str, layout: ev.LayoutData) -> Undo:
    """Where everything a layout is about to move is now: what `board.undo` puts back."""
    notes = {p.id: (state.notes[p.id].x, state.notes[p.id].y) for p in layout.notes if p.id in state.notes}
    clusters = {p.id: (state.clusters[p.id].x, state.clusters[p.id].y) for p in layout.clusters if p.id in state.clusters}
    return Undo(kind, notes, clusters)


def _cluster_create(state: State, d: ev.ClusterCreated) -> None:
    state.clusters[d.id] = Cluster(id=d.id, title=d.title, x=d.x, y=d.y, creator=d.creator)
    _place(state, d.layout)


def _cluster_update(state: State, d: ev.ClusterUpdated) -> None:
    cluster = state.clusters[d.id]
    if d.title is not None:
        cluster.title = d.title
    if d.x is not None and d.y is not None:
        dx, dy = d.dx or 0.0, d.dy or 0.0
        cluster.x, cluster.y = d.x, d.y
        for note in state.notes.values():
            if note.cluster == cluster.id:
                note.x = min(max(note.x + dx, 0.0), float(BOARD_WIDTH))
                note.y = min(max(note.y + dy, 0.0), float(BOARD_HEIGHT))
    _place(state, d.layout)


def _cluster_delete(state: State, d: ev.ClusterDeleted) -> None:
    del state.clusters[d.id]
    for note in state.notes.values():
        if note.cluster == d.id:
            note.cluster = None
    _forget_target(state, d.id)


def _cluster_merge(state: State, d: ev.ClusterMerged) -> None:
    gone = state.clusters[d.id]
    undo = _before(state, "merge", d.layout or ev.LayoutData())
    undo.cluster = Cluster(gone.id, gone.title, gone.x, gone.y, gone.creator)
    for note in state.notes.values():
        if note.cluster == d.id:
            note.cluster = d.into
            undo.members.append(note.id)
            undo.notes.setdefault(note.id, (note.x, note.y))
    del state.clusters[d.id]
    _forget_target(state, d.id)
    _place(state, d.layout)
    state.undo = undo


def _board_tidy(state: State, d: ev.BoardTidied) -> None:
    state.undo = _before(state, "tidy", d.layout)
    _place(state, d.layout)


def _board_undo(state: State, d: ev.LayoutUndone) -> None:
    if d.cluster is not None:
        c = d.cluster
        state.clusters[c.id] = Cluster(id=c.id, title=c.title, x=c.x, y=c.y, creator=c.creator)
        for note_id in d.regroup:
            if note_id in state.notes:
                state.notes[note_id].cluster = c.id
    _place(state, d.layout)
    state.undo = None


def _vote(state: State, d: ev.DotCast) -> None:
    mine = state.votes.setdefault(d.voter, {})
    if d.mine:
        mine[d.target] = d.mine
    else:
        mine.pop(d.target, None)


def _votes_reveal(state: State, d: ev.VotesRevealed) -> None:
    state.room.votes_revealed = True


def _votes_reset(state: State, d: ev.VotesCleared) -> None:
    state.votes.clear()
    state.room.votes_revealed = False


def _results_publish(state: State, d: ev.ResultsPublished) -> None:
    state.room.results_published = d.published


def _phase_set(state: State, d: ev.PhaseChanged) -> None:
    state.room.phase = Phase(d.phase)
    if d.timer is not None:
        t = d.timer
        state.timer = Timer(t.status, t.duration_ms, t.remaining_ms, t.ends_at)


def _room_update(state: State, d: ev.RoomUpdated) -> None:
    room = state.room
    if d.title is not None:
        room.title = d.title
    if d.prompt is not None:
        room.prompt = d.prompt
        room.active_round().prompt = d.prompt
    if d.locked is not None:
        room.locked = d.locked
    if d.settings is not None:
        s = d.settings
        room.settings = Settings(s.vote_budget, s.max_votes_per_target, s.private_writing, s.vote_on, s.lobby)
    for admitted in d.admitted or ():
        _participant_join(state, admitted)


def _notes_reveal(state: State, d: ev.NotesRevealed) -> None:
    state.room.settings.private_writing = False
    for revealed in d.notes:
        note = state.notes.get(revealed.id)
        if note is not None:
            note.hidden = False
            note.x, note.y = revealed.x, revealed.y


def _timer(state: State, d: ev.TimerChanged) -> None:
    t = d.timer
    state.timer = Timer(t.status, t.duration_ms, t.remaining_ms, t.ends_at)


def _role_grant(state: State, d: ev.RoleGranted) -> None:
    state.participants[d.participant].role = Role(d.role)


def _coach_hint(state: State, d: ev.CoachHinted) -> None:
    state.hints.append(Hint(id=d.id, text=d.text, by=d.by, at=d.at))
    del state.hints[:-HINTS_KEPT]


def _spotlight(state: State, d: ev.SpotlightSet) -> None:
    state.room.spotlight = d.target


def _hear_from_set(state: State, d: ev.HearFromSet) -> None:
    state.room.hear_from = list(d.groups)


def _report_update(state: State, d: ev.ReportUpdated) -> None:
    state.report = Report(d.next_steps, d.hear_back, dict(d.owners))
def _view_share(state: State, d: ev.ViewShared) -> None:
    state.view = SharedView(d.by, d.x, d.y, d.w, d.h)


def _coach_debrief(state: State, d: ev.DebriefWritten) -> None:
    state.debrief = Debrief(d.text, d.by, d.at) if d.text else None


def _evaluation_open(state: State, d: ev.EvaluationOpened) -> None:
    state.evaluation.open = True


def _evaluation_close(state: State, d: ev.EvaluationClosed) -> None:
    state.evaluation.open = False


def _evaluation_answer(state: State, by: str, d: ev.EvaluationAnswered) -> None:
    """Under the person's id: a second answer (another device, a change of mind) replaces the first."""
    state.evaluation.answers[by] = EvaluationAnswer(dict(d.scores), d.text)


# --- rounds (t14r) --------------------------------------------------------------------------


def _rounds_planned(state: State, d: ev.RoundsPlanned) -> None:
    state.room.rounds = [_round(r) for r in d.rounds]
    kept = {r.id for r in state.room.rounds}
    for gone in [k for k in state.shelved if k not in kept]:
        del state.shelved[gone]  # the rules removed only rounds without notes
    _sync_active(state)


def _round_switched(state: State, d: ev.RoundSwitched) -> None:
    room = state.room
    leaving = state.board_of(room.round)
    if d.paused is not None:
        t = d.paused
        leaving.timer = Timer(t.status, t.duration_ms, t.remaining_ms, t.ends_at)
    state.shelved[d.from_] = leaving
    target = room.find_round(d.round)
    assert target is not None
    board = state.shelved.pop(d.round, None) or fresh_board(target)
    room.round = d.round
    room.phase, room.votes_revealed, room.spotlight = board.phase, board.votes_revealed, board.spotlight
    state.notes, state.clusters, state.votes = board.notes, board.clusters, board.votes
    state.undo, state.timer = board.undo, board.timer
    if d.private_writing:
        room.settings.private_writing = True
    _sync_active(state)


def _round_carried(state: State, d: ev.RoundCarried) -> None:
    target = state.room.find_round(d.to)
    assert target is not None
    if d.to == state.room.round:
        notes = state.notes
    else:
        board = state.shelved.get(d.to)
        if board is None:
            board = state.shelved[d.to] = fresh_board(target)
        notes = board.notes
    for n in d.notes:
        notes[n.id] = Note(id=n.id, text=n.text, color=n.color, x=n.x, y=n.y, author=d.author, cluster=None)
    if d.as_ == "areas":
        target.areas = [_area(a) for a in d.areas]
    _sync_active(state)


def _nothing(state: State, d: ev.EventData) -> None:
    """The room's creation is `initial_state`; its deletion leaves the store to forget it."""


HINTS_KEPT = 200

_APPLY: dict[type[ev.EventData], Callable[[State, Any], None]] = {
    ev.RoomCreated: _nothing,
    ev.ParticipantJoined: _participant_join,
    ev.LobbyKnocked: _lobby_knock,
    ev.LobbyAdmitted: _participant_join,
    ev.LobbyDenied: _lobby_deny,
    ev.ParticipantRemoved: _participant_remove,
    ev.NoteCreated: _note_create,
    ev.NoteUpdated: _note_update,
    ev.NoteMoved: _note_move,
    ev.NoteDeleted: _note_delete,
    ev.PhaseChanged: _phase_set,
    ev.RoomUpdated: _room_update,
    ev.NotesRevealed: _notes_reveal,
    ev.TimerStarted: _timer,
    ev.TimerPaused: _timer,
    ev.TimerResumed: _timer,
    ev.TimerRewound: _timer,
    ev.TimerAdded: _timer,
    ev.RoleGranted: _role_grant,
    ev.CoachHinted: _coach_hint,
    ev.SpotlightSet: _spotlight,
    ev.NoteGrouped: _note_group,
    ev.ClusterCreated: _cluster_create,
    ev.ClusterUpdated: _cluster_update,
    ev.ClusterDeleted: _cluster_delete,
    ev.ClusterMerged: _cluster_merge,
    ev.BoardTidied: _board_tidy,
    ev.LayoutUndone: _board_undo,
    ev.DotCast: _vote,
    ev.DotRetracted: _vote,
    ev.VotesRevealed: _votes_reveal,
    ev.VotesCleared: _votes_reset,
    ev.ResultsPublished: _results_publish,
    ev.RoomDeleted: _nothing,
    ev.HearFromSet: _hear_from_set,
    ev.ReportUpdated: _report_update,
    ev.ViewShared: _view_share,
    ev.DebriefWritten: _coach_debrief,
    ev.EvaluationOpened: _evaluation_open,
    ev.EvaluationClosed: _evaluation_close,
    ev.RoundsPlanned: _rounds_planned,
    ev.RoundSwitched: _round_switched,
    ev.RoundCarried: _round_carried,
}
