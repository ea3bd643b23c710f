"""Secrets in the pure domain: someone else's private note does not exist for your ops or your
dots, and a coach's hint reaches facilitators and coaches only."""

from __future__ import annotations

import pytest

from server.domain import Accepted, Actor, Event, Limits, Refused, Role, State, apply_event, audience, decide
from server.domain import initial_state, join, project_event, project_state
from server.domain.commands import (
    ClusterCreate,
    CoachHint,
    Command,
    NoteCreate,
    NoteDelete,
    NoteGroup,
    NoteMove,
    NotesReveal,
    NoteUpdate,
    PhaseSet,
    RoomUpdate,
    SettingsPatch,
    Spotlight,
    VoteCast,
)
from tests.support.domain import commit as commit_at

LIMITS = Limits()
KARI = Actor("p_kari", Role.PARTICIPANT)
OLA = Actor("p_ola", Role.PARTICIPANT)
COACH = Actor("p_coach", Role.COACH)
FACILITATOR = Actor("p_faci", Role.FACILITATOR)
SECRET = "Kari sitt hemmelige forslag"


def commit(state: State, actor: Actor, command: object) -> Event:
    """Each step a second after the last, so timers and hint times differ."""
    return commit_at(state, actor, command, now=1000 * state.seq)


def silent_writing() -> State:
    """Kari has written a private note "secret" during silent writing; there is a group "c1"
    and an open note "open" of Ola's."""
    state = initial_state(Event(1, "room.create", "system", 0,
                                {"code": "K7MPQ2", "title": "Stille", "language": "nb", "template": "blank"}))
    for actor in (KARI, OLA, COACH, FACILITATOR):
        decision = join(state, actor.id, actor.id[2:], "Helse", actor.role, LIMITS)
        assert isinstance(decision, Accepted)
        apply_event(state, Event(state.seq + 1, decision.op, actor.id, 0, decision.data))
    commit(state, FACILITATOR, PhaseSet("write"))
    commit(state, OLA, NoteCreate("open", "Åpen idé", "blue", 10, 10))
    commit(state, FACILITATOR, ClusterCreate("c1", "Gruppe", 500, 500))
    commit(state, FACILITATOR, RoomUpdate(settings=SettingsPatch(private_writing=True)))
    commit(state, KARI, NoteCreate("secret", SECRET, "pink", 100, 100))
    assert state.notes["secret"].hidden
    return state


OPS_ON_THE_SECRET = [
    NoteMove("secret", 300, 300),
    NoteGroup("secret", "c1"),
    NoteGroup("secret", None),
    NoteUpdate("secret", text="Overskrevet"),
    NoteUpdate("secret", color="green"),
    NoteDelete("secret"),
]


def label(value: object) -> str:
    return value.id[2:] if isinstance(value, Actor) else type(value).__name__


@pytest.mark.parametrize("command", OPS_ON_THE_SECRET, ids=label)
@pytest.mark.parametrize("actor", [OLA, COACH, FACILITATOR], ids=label)
def test_someone_elses_private_note_is_not_found(actor: Actor, command: Command) -> None:
    """Moving, grouping, editing or deleting another person's private note gets `not_found`, the
    same answer as for a note that does not exist, so not even its existence is confirmed."""
    state = silent_writing()
    assert decide(state, actor, command, 0, LIMITS) == Refused("not_found", {"id": "secret"})


@pytest.mark.parametrize("command", OPS_ON_THE_SECRET, ids=label)
def test_the_author_may_change_their_private_note_and_it_stays_private(command: Command) -> None:
    """The author's own ops on it are accepted, and their events are marked for the author only."""
    state = silent_writing()
    event = commit(state, KARI, command)
    assert (event.data["hidden"], event.data["author"]) == (True, KARI.id)
    for viewer in (OLA, COACH, FACILITATOR):
        assert SECRET not in str(project_event(event, viewer))
        assert "Overskrevet" not in str(project_event(event, viewer))


def test_after_reveal_others_may_move_and_group_the_note() -> None:
    """Once revealed, the note is an ordinary note: others may move and group it."""
    state = silent_writing()
    commit(state, FACILITATOR, NotesReveal())
    commit(state, OLA, NoteMove("secret", 1300, 1300))
    assert (state.notes["secret"].x, state.notes["secret"].y) == (1300, 1300)
    commit(state, OLA, NoteGroup("secret", "c1"))
    assert state.notes["secret"].cluster == "c1"


def test_the_spotlight_cannot_point_at_a_private_note() -> None:
    """Not even the facilitator can put someone's private note on the projector."""
    state = silent_writing()
    assert decide(state, FACILITATOR, Spotlight("secret"), 0, LIMITS) == Refused("not_found", {"id": "secret"})
    assert isinstance(decide(state, FACILITATOR, Spotlight("open"), 0, LIMITS), Accepted)


@pytest.mark.parametrize("voter", [OLA, FACILITATOR, KARI], ids=label)
def test_no_dot_on_a_note_that_is_still_private(voter: Actor) -> None:
    """In the vote phase a note nobody revealed takes no dots, from anyone: to others it does not
    exist (`not_found`), and a dot on it would tell them it does."""
    state = silent_writing()
    commit(state, FACILITATOR, PhaseSet("vote"))
    assert decide(state, voter, VoteCast("secret"), 0, LIMITS) == Refused("not_found", {"id": "secret"})
    assert isinstance(decide(state, voter, VoteCast("open"), 0, LIMITS), Accepted)
    commit(state, FACILITATOR, NotesReveal())
    assert isinstance(decide(state, voter, VoteCast("secret"), 0, LIMITS), Accepted)


# --- coach hints ------------------------------------------------------------------------------


@pytest.mark.parametrize(("viewer", "expected"), [
    (COACH, "staff"),
    (Actor("p_coach2", Role.COACH), "staff"),
    (FACILITATOR, "staff"),
    (KARI, "redacted"),
    (OLA, "redacted"),
], ids=lambda v: label(v) if isinstance(v, Actor) else v)
def test_coach_hint_audience(viewer: Actor, expected: str) -> None:
    """A hint goes to facilitators and coaches (including another coach), never to a participant."""
    state = silent_writing()
    event = commit(state, COACH, CoachHint("Spør om behovet først"))
    assert audience(event, viewer) == expected
    frame = project_event(event, viewer)
    if expected == "staff":
        assert (frame["op"], frame["data"]["text"], frame["by"]) == ("coach.hint", "Spør om behovet først", COACH.id)
        assert [h["text"] for h in project_state(state, viewer)["hints"]] == ["Spør om behovet først"]
    else:
        assert frame == {"type": "event", "seq": event.seq, "op": "redacted", "by": None, "at": event.at, "data": {}}
        assert "hints" not in project_state(state, viewer)


@pytest.mark.parametrize(("actor", "ok"), [(COACH, True), (FACILITATOR, False), (KARI, False)], ids=label)
def test_only_a_coach_sends_hints(actor: Actor, ok: bool) -> None:
    decision = decide(silent_writing(), actor, CoachHint("Tips"), 0, LIMITS)
    assert isinstance(decision, Accepted) if ok else decision == Refused("forbidden")


@pytest.mark.parametrize(("text", "refusal"), [
    ("   ", Refused("invalid", {"field": "text"})),
    ("x" * (LIMITS.hint + 1), Refused("too_long", {"field": "text", "max": LIMITS.hint})),
])
def test_empty_or_overlong_hint_is_refused(text: str, refusal: Refused) -> None:
    assert decide(silent_writing(), COACH, CoachHint(text), 0, LIMITS) == refusal


def test_hint_is_trimmed_and_stamped_with_coach_time_and_its_seq() -> None:
    state = silent_writing()
    decision = decide(state, COACH, CoachHint("  " + "x" * LIMITS.hint + "\n"), 4242, LIMITS)
    assert decision == Accepted("coach.hint", {"id": f"h{state.seq + 1}", "text": "x" * LIMITS.hint,
                                               "by": COACH.id, "at": 4242})
