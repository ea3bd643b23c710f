"""Write the golden event logs in tests/golden/*.json from scripted sessions.

Run `python -m tests.golden.generate` after a change to events or projections, and review the
diff: it is the wire format changing. Every step goes through the real `decide` (a refusal
stops the script), so a fixture is a history the server can actually produce.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from server.domain import (
    Accepted,
    Actor,
    Event,
    Role,
    apply_event,
    decide,
    initial_state,
    join,
    new_room,
)
from server.domain.commands import (
    BoardTidy,
    BoardUndo,
    ClusterCreate,
    ClusterDelete,
    ClusterMerge,
    ClusterUpdate,
    CoachDebrief,
    CoachHint,
    Command,
    EvaluationAnswer,
    EvaluationClose,
    EvaluationOpen,
    LobbyAdmit,
    LobbyDeny,
    NoteCreate,
    NoteDelete,
    NoteGroup,
    NoteMove,
    NotesReveal,
    NoteUpdate,
    ParticipantRemove,
    PhaseSet,
    ResultsPublish,
    AreaPlan,
    RoleGrant,
    RoomUpdate,
    RoundCarry,
    RoundGo,
    RoundPlan,
    RoundsPlan,
    SettingsPatch,
    Spotlight,
    TimerAdd,
    TimerPause,
    TimerReset,
    TimerResume,
    TimerStart,
    VoteCast,
    VoteRetract,
    VotesReset,
    VotesReveal,
    ViewShare,
)

from server.domain.commands import HearFromSet, ReportUpdate

from .replay import LIMITS, encode_log, viewer_record

HERE = Path(__file__).parent
START = 1_764_000_000_000  # a fixed clock: every step is one second after the previous one

KARI, OLA, FACI, COACH, LIV = "p_kari", "p_ola", "p_faci", "p_coach", "p_liv"
PER, SIV = "p_per", "p_siv"


@dataclass(frozen=True)
class Join:
    pid: str
    name: str
    department: str = "Helse"
    role: Role = Role.PARTICIPANT


@dataclass(frozen=True)
class Golden:
    name: str
    description: str
    steps: tuple[Join | tuple[str, Command], ...]
    viewers: tuple[tuple[str, int], ...]  # (participant, the seq they are welcomed at; 0: right after joining)
    template: str = "blank"
    hear_from: tuple[str, ...] = ()  # the groups to hear from, given at creation (t14g)


def _team() -> tuple[Join, ...]:
    return (Join(FACI, "Frida", "Tjenestedesign", Role.FACILITATOR), Join(KARI, "Kari"),
            Join(OLA, "Ola", "Skole"), Join(COACH, "Conny", "", Role.COACH))


SETUP = 5  # room.create and the four joins of `_team`

GOLDENS = (
    Golden(
        "private-writing",
        "Silent writing: private notes, edits, a delete, a facilitator's visible note, then the reveal.",
        (
            *_team(),
            (FACI, RoomUpdate(settings=SettingsPatch(private_writing=True))),
            (FACI, PhaseSet("write")),
            (FACI, NoteCreate("n_example", "Eksempel: kortere ventetid", "blue", 40, 40)),
            (KARI, NoteCreate("n_k1", "Kortere skjema", "yellow", 100, 80)),
            (OLA, NoteCreate("n_o1", "Bedre skilting", "pink", 400, 80)),
            (KARI, NoteCreate("n_k2", "Chat med saksbehandler", "green", 100, 300)),
            (KARI, NoteUpdate("n_k1", text="Kortere søknadsskjema")),
            (KARI, NoteMove("n_k2", 120.5, 320)),
            (OLA, NoteDelete("n_o1")),
            (COACH, NoteCreate("n_c1", "Hva med pårørende?", "orange", 700, 80)),
            Join(LIV, "Liv", "Skole"),
            (FACI, NotesReveal()),
            (OLA, NoteCreate("n_o2", "Åpent etter reveal", "purple", 400, 400)),
            (KARI, NoteUpdate("n_k2", color="blue")),
        ),
        ((KARI, SETUP), (OLA, SETUP), (FACI, SETUP), (COACH, SETUP), (LIV, 0)),
    ),
    Golden(
        "groups",
        "Clustering: groups created, notes grouped, a group moved (its notes with it), merged, deleted.",
        (
            *_team(),
            (FACI, PhaseSet("write")),
            (KARI, NoteCreate("n1", "Kortere skjema", "yellow", 100, 100)),
            (OLA, NoteCreate("n2", "Digital søknad", "pink", 400, 100)),
            (KARI, NoteCreate("n3", "Chat", "green", 3900, 2950)),
            (FACI, PhaseSet("cluster")),
            (KARI, ClusterCreate("g1", "  Skjema  ", 80, 60)),
            (OLA, ClusterCreate("g2", "Digitalt", 380, 60)),
            (KARI, NoteGroup("n1", "g1")),
            (OLA, NoteGroup("n2", "g2")),
            (KARI, NoteGroup("n3", "g2")),
            (OLA, ClusterUpdate("g2", x=480, y=160)),
            (KARI, ClusterUpdate("g1", title="Enklere skjema")),
            (OLA, ClusterMerge("g2", "g1")),
            (KARI, NoteGroup("n3", None)),
            (FACI, ClusterCreate("g3", "Tomt", 900, 900)),
            (FACI, ClusterDelete("g3")),
        ),
        ((KARI, SETUP), (OLA, SETUP), (FACI, SETUP)),
    ),
    Golden(
        "votes",
        "Dot voting: settings, dots cast and taken back, totals hidden until revealed, reset, publish.",
        (
            *_team(),
            (FACI, PhaseSet("write")),
            (KARI, NoteCreate("n1", "Kortere skjema", "yellow", 100, 100)),
            (OLA, NoteCreate("n2", "Digital søknad", "pink", 400, 100)),
            (FACI, ClusterCreate("g1", "Skjema", 80, 60)),
            (FACI, RoomUpdate(settings=SettingsPatch(vote_budget=3, max_votes_per_target=2, vote_on="both"))),
            (FACI, PhaseSet("vote")),
            (KARI, VoteCast("n1")),
            (KARI, VoteCast("n1")),
            (OLA, VoteCast("n1")),
            (OLA, VoteCast("g1")),
            (KARI, VoteCast("n2")),
            (KARI, VoteRetract("n2")),
            (FACI, VotesReveal()),
            (OLA, VoteCast("n2")),
            (FACI, Spotlight("n1")),
            (FACI, PhaseSet("results")),
            (FACI, ResultsPublish(True)),
            (FACI, PhaseSet("vote")),
            (FACI, VotesReset()),
            (KARI, VoteCast("g1")),
            (FACI, Spotlight(None)),
        ),
        ((KARI, SETUP), (OLA, SETUP), (FACI, SETUP), (COACH, SETUP)),
    ),
    Golden(
        "roles",
        "Role changes: a participant made coach then facilitator (each followed by a fresh welcome), a rename, a late joiner.",
        (
            *_team(),
            (FACI, PhaseSet("write")),
            (KARI, NoteCreate("n1", "Kortere skjema", "yellow", 100, 100)),
            (FACI, RoleGrant(OLA, "coach")),
            (OLA, CoachHint("Spør om pårørende")),
            (COACH, CoachHint("Husk tidsrammen")),
            Join(KARI, "Kari Nordmann", "Helse og omsorg"),
            (FACI, RoleGrant(OLA, "facilitator")),
            (OLA, RoomUpdate(locked=True)),
            Join(LIV, "Liv"),
            (FACI, RoleGrant(KARI, "coach")),
            (OLA, RoomUpdate(locked=False)),
        ),
        ((KARI, SETUP), (OLA, SETUP), (COACH, SETUP), (LIV, 0)),
    ),
    Golden(
        "timer",
        "The facilitator's timer and room settings: start, pause, resume, add, reset; title, prompt, lock, phases; a new phase rewinds a timer that ran out.",
        (
            *_team(),
            (FACI, RoomUpdate(title="Hjemmetjenesten 2027", prompt="Hva gjør søknaden vanskelig?")),
            (FACI, PhaseSet("write")),
            (FACI, TimerStart(300_000)),
            (FACI, TimerPause()),
            (FACI, TimerResume()),
            (FACI, TimerAdd(60_000)),
            (FACI, TimerAdd(-30_000)),
            (FACI, RoomUpdate(locked=True)),
            (FACI, TimerReset()),
            (FACI, TimerAdd(120_000)),
            (FACI, RoomUpdate(locked=False)),
            (FACI, PhaseSet("cluster")),
            (FACI, TimerStart(2_000)),
            (FACI, RoomUpdate(locked=True)),
            (FACI, RoomUpdate(locked=False)),
            (FACI, PhaseSet("vote")),
        ),
        ((KARI, SETUP), (FACI, SETUP)),
    ),
    Golden(
        "coach-hints",
        "A coach's hints: facilitators and coaches read them, participants get placeholders.",
        (
            *_team(),
            (COACH, CoachHint("Be alle skrive minst to lapper")),
            (FACI, PhaseSet("write")),
            (COACH, CoachHint("  Snart tid for å gruppere  ")),
            (KARI, NoteCreate("n1", "Kortere skjema", "yellow", 100, 100)),
        ),
        ((KARI, SETUP), (FACI, SETUP), (COACH, SETUP)),
    ),
    Golden(
        "coaching",
        "Coaching at a distance: the facilitator shares their view twice, the coach writes a debrief and edits it; staff only, participants get placeholders.",
        (
            *_team(),
            (FACI, ViewShare(0, 0, 1366, 768)),
            (FACI, PhaseSet("write")),
            (COACH, CoachDebrief("Godt tempo")),
            (FACI, ViewShare(800.5, 400, 960, 540)),
            (COACH, CoachDebrief("  Godt tempo. Neste gang: ett behov per lapp.  ")),
        ),
        ((KARI, SETUP), (FACI, SETUP), (COACH, 8)),
    ),
    Golden(
        "people",
        "Ask to join and removal: three knock, one let in, one turned away, a participant removed (their note stays), the lobby turned off lets the last one in.",
        (
            *_team(),
            (FACI, RoomUpdate(settings=SettingsPatch(lobby=True))),
            Join(LIV, "Liv", "Skole"),
            Join(PER, "Per", "Teknisk"),
            Join(SIV, "Siv", "Helse"),
            (FACI, LobbyAdmit(LIV)),
            (FACI, LobbyDeny(PER)),
            (FACI, PhaseSet("write")),
            (OLA, NoteCreate("n1", "Bedre skilting", "pink", 400, 80)),
            (FACI, ParticipantRemove(OLA)),
            (FACI, RoomUpdate(settings=SettingsPatch(lobby=False))),
        ),
        ((KARI, SETUP), (FACI, SETUP), (COACH, SETUP), (LIV, 0)),
    ),
    Golden(
        "layout",
        "Placement by the domain: notes asked for at one spot land side by side (private ones only "
        "beside what their author sees), the reveal lays them out per area, groups in free space, "
        "a merge grows a group, a move makes loose notes give way; tidy, and undo of a merge and of a tidy.",
        (
            *_team(),
            (FACI, RoomUpdate(settings=SettingsPatch(private_writing=True))),
            (FACI, PhaseSet("write")),
            (KARI, NoteCreate("k1", "Kortere skjema", "yellow", 300, 300)),
            (KARI, NoteCreate("k2", "Chat med saksbehandler", "green", 300, 300)),
            (OLA, NoteCreate("o1", "Bedre skilting", "pink", 300, 300)),
            (OLA, NoteCreate("o2", "Kan vi teste med fem brukere?", "blue", 2900, 400)),
            (FACI, NoteCreate("f1", "Eksempel", "orange", 300, 300)),
            (FACI, NotesReveal()),
            Join(LIV, "Liv", "Skole"),
            (FACI, PhaseSet("cluster")),
            (KARI, ClusterCreate("g1", "Skjema", 300, 900)),
            (OLA, ClusterCreate("g2", "Skilting", 300, 900)),
            (KARI, NoteGroup("k1", "g1")),
            (KARI, NoteGroup("k2", "g1")),
            (OLA, NoteGroup("o1", "g2")),
            (OLA, ClusterUpdate("g2", x=300, y=200)),
            (FACI, ClusterMerge("g2", "g1")),
            (FACI, BoardUndo()),
            (FACI, BoardTidy()),
            (FACI, BoardUndo()),
        ),
        ((KARI, SETUP), (OLA, SETUP), (FACI, SETUP), (LIV, 0)),
        "need-solution-test",
    ),
    Golden(
        "report",
        "Who took part and report back (t14g): groups to hear from given at creation and edited, "
        "the facilitator writes the report (staff only), publishes the results.",
        (
            *_team(),
            (FACI, HearFromSet(["Helse", " skole ", "Pårørende", "helse"])),
            (FACI, PhaseSet("write")),
            (KARI, NoteCreate("n1", "Kortere skjema", "yellow", 100, 100)),
            (OLA, NoteCreate("n2", "Digital søknad", "pink", 400, 100)),
            (FACI, PhaseSet("results")),
            (FACI, ReportUpdate(next_steps="Vi tester skjemaet i april.\n\nSvar innen mai.",
                                hear_back="  I juni  ", owners={"n1": "Skjemateamet"})),
            (FACI, ReportUpdate(owners={"n2": "Digitaliseringsenheten", "n1": ""})),
            (FACI, ResultsPublish(True)),
        ),
        ((KARI, SETUP), (FACI, SETUP), (COACH, SETUP)),
        hear_from=("Helse", "Skole", "Beboere"),
    ),
    Golden(
        "rounds",
        "Behov – Løsning – Test as rounds: needs written, grouped and voted; the top items carried "
        "into the solution round as its areas and into the test round as notes; the plan edited; "
        "the next round and back (each frame carries the viewer's whole state); a private note "
        "stays private across the switch; a late joiner.",
        (
            *_team(),
            (FACI, RoomUpdate(settings=SettingsPatch(private_writing=True))),
            (FACI, PhaseSet("write")),
            (KARI, NoteCreate("n1", "Kortere ventetid", "yellow", 300, 300)),
            (OLA, NoteCreate("n2", "Én kontaktperson", "pink", 300, 300)),
            (OLA, NoteCreate("n3", "Vite hva som skjer", "blue", 300, 300)),
            (FACI, NotesReveal()),
            (FACI, PhaseSet("cluster")),
            (FACI, ClusterCreate("g1", "Informasjon", 2200, 300)),
            (FACI, NoteGroup("n3", "g1")),
            (FACI, PhaseSet("vote")),
            (KARI, VoteCast("g1")),
            (OLA, VoteCast("n1")),
            (FACI, VotesReveal()),
            (FACI, RoundCarry("need", "solution", ("g1", "n1"), "areas")),
            (FACI, RoundCarry("need", "test", ("n2",))),
            (FACI, RoundGo("solution")),
            (FACI, RoomUpdate(settings=SettingsPatch(private_writing=True))),
            (KARI, NoteCreate("s1", "SMS når saken flytter seg", "green", 300, 300)),
            (OLA, NoteCreate("s2", "Felles innboks", "blue", 300, 300)),
            (FACI, RoundsPlan((
                RoundPlan("need", "Behov"),
                RoundPlan("solution", "Løsning", "Hvordan møter vi behovene?",
                          (AreaPlan("Informasjon", "a1"), AreaPlan("Kortere ventetid", "a2"))),
                RoundPlan("test", "Test i det små", phases=("write", "results")),
            ))),
            Join(LIV, "Liv", "Skole"),
            (FACI, RoundGo("need")),
            (FACI, RoundGo("solution")),
            (KARI, NoteUpdate("s1", text="SMS hver gang saken flytter seg")),
        ),
        # One of each kind of eyes: a participant with a private note (who never sees Ola's), a
        # facilitator (the shelved rounds' summaries) and a late joiner. Every switch, carry and
        # plan frame carries each viewer's whole state, so more of the same kind (Ola, the coach)
        # only made the file larger: it was 374 kB with them.
        ((KARI, SETUP), (FACI, SETUP), (LIV, 0)),
        "need-solution-test",
    ),
    Golden(
        "photos",
        "Prototype photos: a private photo note (its author alone sees photo and alt), a caption "
        "emptied, the reveal bringing photo and alt to everyone, a late joiner welcomed with them.",
        (
            *_team(),
            (FACI, RoomUpdate(settings=SettingsPatch(private_writing=True))),
            (FACI, PhaseSet("write")),
            (KARI, NoteCreate("p1", "Forside", "yellow", 100, 100, photo="phGoldenPhotoOne000001",
                              alt="Papirskisse av en timebestilling")),
            (OLA, NoteCreate("n1", "Kortere ventetid", "pink", 100, 100)),
            (KARI, NoteUpdate("p1", text="")),
            (FACI, NotesReveal()),
            Join(LIV, "Liv", "Skole"),
            (FACI, NoteCreate("p2", "", "blue", 600, 100, photo="phGoldenPhotoTwo000002", alt="Tre knapper på en skjerm")),
        ),
        ((KARI, SETUP), (OLA, SETUP), (FACI, SETUP), (COACH, SETUP), (LIV, 0)),
    ),
    Golden(
        "evaluation",
        "The closing evaluation (anonymous): opened, answered by four, one person answers again from "
        "another device (it replaces the first), closed and opened again; staff see only distributions "
        "and sorted lines, each participant only their own answer, nobody a `by`.",
        (
            *_team(),
            Join(LIV, "Liv", "Skole"),
            (FACI, PhaseSet("results")),
            (FACI, EvaluationOpen()),
            (KARI, EvaluationAnswer(clear=5, heard=4, outcome=3, text="Fin dag")),
            (OLA, EvaluationAnswer(clear=2, heard=2)),
            (LIV, EvaluationAnswer(clear=4, heard=5, outcome=4, text="  Mer tid til  grupper ")),
            (KARI, EvaluationAnswer(clear=4, heard=4, outcome=2, text="Bra, men for kort")),
            (FACI, EvaluationClose()),
            (FACI, EvaluationOpen()),
            (OLA, EvaluationAnswer(clear=3, heard=3, outcome=1)),
        ),
        ((KARI, SETUP), (OLA, SETUP), (FACI, SETUP), (COACH, SETUP), (LIV, 0)),
    ),
)


def run(golden: Golden) -> list[Event]:
    """The log the steps make, each decided by the real rules at its own moment."""
    created = new_room("K7MPQ2", "Hjemmehjelp", "nb", golden.template, LIMITS, golden.hear_from)
    assert isinstance(created, Accepted), created
    events = [Event(1, created.op, "system", START, created.data)]
    state = initial_state(events[0])
    for step in golden.steps:
        now = START + 1000 * state.seq
        if isinstance(step, Join):
            decision = join(state, step.pid, step.name, step.department, step.role, LIMITS)
            by = step.pid
        else:
            by, command = step
            decision = decide(state, Actor(by, state.participants[by].role), command, now, LIMITS)
        if not isinstance(decision, Accepted):
            raise AssertionError(f"{golden.name}: step {step!r} gave {decision!r}")
        event = Event(state.seq + 1, decision.op, by, now, decision.data, f"op{state.seq + 1}")
        apply_event(state, event)
        events.append(event)
    return events


def fixture(golden: Golden) -> dict[str, Any]:
    events = run(golden)
    return {
        "name": golden.name,
        "description": golden.description,
        "log": encode_log(events),
        "viewers": [viewer_record(events, pid, seq or _joined_at(events, pid)) for pid, seq in golden.viewers],
    }


def _joined_at(events: list[Event], pid: str) -> int:
    """The seq of `pid`'s first join (or admission from the lobby): they are welcomed right after it."""
    return next(e.seq for e in events if e.op in ("participant.join", "lobby.admit") and e.data["id"] == pid)


def rendered() -> Iterator[tuple[Path, str]]:
    for golden in GOLDENS:
        text = json.dumps(fixture(golden), ensure_ascii=False, indent=1) + "\n"
        yield HERE / f"{golden.name}.json", text


def main() -> int:
    for path, text in rendered():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
