"""What a voting round produced: a ranking with ties, and how support spread across departments.

Pure, like every rule: the results page, the exports and the tests all read this one shape.
Only what everyone may see goes in: no private note, no hint, and no dots until they are
revealed. Individual votes stay anonymous, even to someone who joins with a department and
votes to subtract their own dots (docs/reliability.md, "Department view"): no dot count is ever
split by department. An idea names a department as a supporter only where at least `MIN_VOTERS`
distinct people of that department gave it dots, and breadth is the number of such departments.
How far an idea reached beyond its own authors is told the same way: the supporting departments
other than the authors' own (`Breadth.outside`), never a dot count from outside them, which
could be subtracted just like a per-department count (docs/reliability.md).

"N of M participants voted" counts people with the participant role who are in the room:
facilitators and coaches are staff, and removed people are gone (their dots stay in the totals,
as the room's history). Someone who joined and closed their laptop is still a participant.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date

from .model import NOTE_MIN_HEIGHT, NOTE_WIDTH, Area, Role, State

MIN_VOTERS = 3


@dataclass(frozen=True, slots=True)
class RankedNote:
    id: str
    text: str
    color: str
    cluster: str | None
    votes: int
    rank: int
    departments: list[str] = field(default_factory=list)  # supporting departments, by name
    area: str = ""  # the title of the template area it is in ("" on a blank board or outside)
    outside: int = 0  # supporting departments that are not its author's
    photo: str | None = None  # a photo note's picture (its id) and text alternative
    alt: str = ""


@dataclass(frozen=True, slots=True)
class RankedCluster:
    id: str
    title: str
    votes: int  # the group's dots and its notes' dots: what the group as an idea got
    rank: int
    notes: list[RankedNote]  # its notes, most dots first: listed here, not again on their own
    departments: list[str] = field(default_factory=list)
    area: str = ""  # where most of its notes are (its own place when empty)
    outside: int = 0  # supporting departments that are not the department of any of its authors
    own_votes: int = 0  # of `votes`, the dots put on the group itself


@dataclass(frozen=True, slots=True)
class Breadth:
    """An idea and how many departments support it (the point of a cross-department workshop)."""

    id: str
    label: str
    departments: int  # how many departments support it (`MIN_VOTERS` distinct people each)
    votes: int  # all its dots, from everyone (the public total)
    names: list[str] = field(default_factory=list)
    outside: int = 0  # how many of those departments are not the department of an author of it
    area: str = ""


@dataclass(frozen=True, slots=True)
class Results:
    code: str
    title: str
    prompt: str
    language: str
    revealed: bool
    # The ranking people read is `ideas`; the three lists below stay for readers of the JSON
    # export written before it (their ranks are the old, separate ones).
    clusters: list[RankedCluster]  # the groups, each with its notes, ranked among the groups
    notes: list[RankedNote]  # every visible note, ranked among all notes (a flat list; see `compute`)
    unclustered: list[RankedNote]  # the notes in no group, ranked among themselves
    departments: list[str]  # departments named as supporters of some idea, by name
    voters: int  # participants (see the module's docstring) who gave at least one dot
    participants: int  # participants in the room: not facilitators, coaches or removed people
    broadest: list[Breadth]
    held_on: date | None = None  # the session's date, given by the caller (the domain has no clock)
    areas: list[str] = field(default_factory=list)  # the template's area titles, in board order
    round: str = ""  # the round these are the results of (its id) …
    round_title: str = ""  # … and its title
    phases: list[str] = field(default_factory=list)  # the phases it goes through (no vote: no "not revealed")
    # The one ranking: groups and notes in no group together, most dots first, each with its
    # rank among all of them (ties share a place, the next skips). A group's notes are under it
    # (`RankedCluster.notes`), not ranked on their own. This is what the page and exports show.
    ideas: list[RankedCluster | RankedNote] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Session:
    """The results of every round of a session, in the plan's order."""

    code: str
    title: str
    language: str
    held_on: date | None
    round: str  # the active round
    rounds: list[Results]
    planned: int = 0  # how many rounds the plan has (`rounds` may be one of them, for an export)


def compute_session(state: State, top: int = 10, held_on: date | None = None) -> Session:
    """Every round's results (each from its own board, shelved or active)."""
    room = state.room
    rounds = [compute(state, top, held_on, r.id) for r in room.rounds]
    return Session(room.code, room.title, room.language, held_on, room.round, rounds, len(rounds))


def round_state(state: State, round_id: str) -> State:
    """`state` as it would be with `round_id` active: the same session (people, settings) with
    that round's board, prompt and areas. A view for reading only; it shares `state`'s dicts."""
    if round_id == state.room.round:
        return state
    target = state.room.find_round(round_id)
    if target is None:
        raise KeyError(round_id)
    board = state.board_of(round_id)
    room = replace(state.room, prompt=target.prompt, areas=list(target.areas), phase=board.phase,
                   votes_revealed=board.votes_revealed, spotlight=board.spotlight, round=round_id)
    return replace(state, room=room, notes=board.notes, clusters=board.clusters, votes=board.votes,
                   undo=board.undo, timer=board.timer)


def compute(state: State, top: int = 10, held_on: date | None = None, round_id: str | None = None) -> Results:
    """The results of one round (`round_id`, default the active one) as of `state`; `held_on`
    is the session's date, which the caller knows."""
    state = round_state(state, round_id or state.room.round)
    this_round = state.room.find_round(state.room.round)
    revealed = state.room.votes_revealed
    totals = state.vote_totals() if revealed else {}
    support = _supporting_departments(state) if revealed else {}
    areas = state.room.areas
    authors = _author_departments(state)

    def outside(target: str) -> int:
        return sum(1 for name in support.get(target, []) if _department_key(name) not in authors.get(target, set()))

    notes = [n for n in state.notes.values() if not n.hidden]
    note_votes = {n.id: totals.get(n.id, 0) for n in notes}
    ranked_notes = [
        RankedNote(n.id, n.text, n.color, n.cluster, note_votes[n.id],
                   _rank(note_votes[n.id], note_votes.values()), support.get(n.id, []),
                   area_at(n.x + NOTE_WIDTH / 2, n.y + NOTE_MIN_HEIGHT / 2, areas), outside(n.id), n.photo, n.alt)
        for n in notes
    ]
    ranked_notes.sort(key=lambda r: (r.rank, r.text.casefold()))

    # The ranking people read is groups and the notes in no group: a note in a group is part of
    # that idea (listed under it), so its dots count for the group and it is not ranked again on
    # its own. `notes` stays every note, for a reader that wants them all (the JSON export).
    members_of = {c.id: [r for r in ranked_notes if r.cluster == c.id] for c in state.clusters.values()}
    cluster_votes = {c.id: totals.get(c.id, 0) + sum(r.votes for r in members_of[c.id]) for c in state.clusters.values()}
    clusters = []
    for c in state.clusters.values():
        members = members_of[c.id]
        clusters.append(RankedCluster(
            c.id, c.title, cluster_votes[c.id], _rank(cluster_votes[c.id], cluster_votes.values()), members,
            support.get(c.id, []),
            _most_common_area(members, areas) or area_at(c.x + NOTE_WIDTH / 2, c.y + NOTE_MIN_HEIGHT / 2, areas),
            outside(c.id), totals.get(c.id, 0)))
    clusters.sort(key=lambda r: (r.rank, r.title.casefold()))
    loose = [r for r in ranked_notes if r.cluster is None or r.cluster not in state.clusters]
    unclustered = [replace(r, rank=_rank(r.votes, [o.votes for o in loose])) for r in loose]
    ideas = _one_ranking(clusters, loose)

    labels = {r.id: r.text or r.alt for r in ranked_notes} | {c.id: c.title for c in clusters}
    idea_areas = {r.id: r.area for r in ranked_notes} | {c.id: c.area for c in clusters}
    idea_votes = {r.id: r.votes for r in ranked_notes} | {c.id: c.votes for c in clusters}
    broadest = sorted(
        (Breadth(target, labels[target], len(names), idea_votes[target], names, outside(target), idea_areas[target])
         for target, names in support.items() if target in labels),
        key=lambda b: (-b.departments, -b.votes, b.label.casefold()),
    )[:top]
    participants = {p.id for p in state.participants.values() if p.role is Role.PARTICIPANT}
    voters = sum(1 for voter, mine in state.votes.items() if voter in participants and any(mine.values()))
    return Results(
        code=state.room.code,
        title=state.room.title,
        prompt=state.room.prompt,
        language=state.room.language,
        revealed=revealed,
        clusters=clusters,
        notes=ranked_notes,
        unclustered=unclustered,
        departments=sorted({d for names in support.values() for d in names}, key=str.casefold),
        voters=voters if revealed else 0,
        participants=len(participants),
        broadest=broadest,
        held_on=held_on,
        areas=[a.title for a in areas],
        round=state.room.round,
        round_title=this_round.title if this_round is not None else "",
        phases=[p.value for p in this_round.phases] if this_round is not None else [],
        ideas=ideas,
    )


def _one_ranking(clusters: list[RankedCluster], loose: list[RankedNote]) -> list[RankedCluster | RankedNote]:
    """Groups and the notes in no group as one ranking by dots (a group's dots: its own and its
    notes'), so a group with 1 dot never reads "1." above a note with 5. Ties share a place and
    are ordered by title or text, a group before a note of the same words."""
    every = [c.votes for c in clusters] + [n.votes for n in loose]
    ranked: list[RankedCluster | RankedNote] = [replace(c, rank=_rank(c.votes, every)) for c in clusters]
    ranked += [replace(n, rank=_rank(n.votes, every)) for n in loose]
    return sorted(ranked, key=lambda i: (i.rank, _label(i).casefold(), isinstance(i, RankedNote)))


def _label(idea: RankedCluster | RankedNote) -> str:
    return idea.title if isinstance(idea, RankedCluster) else (idea.text or idea.alt)


def area_at(x: float, y: float, areas: list[Area]) -> str:
    """The title of the first area that holds the point (a note's centre), or "" if none does."""
    for area in areas:
        if area.x <= x <= area.x + area.w and area.y <= y <= area.y + area.h:
            return area.title
    return ""


def _most_common_area(notes: list[RankedNote], areas: list[Area]) -> str:
    """The area most of a group's notes are in; a tie goes to the area that comes first."""
    counts = Counter(n.area for n in notes if n.area)
    if not counts:
        return ""
    order = {a.title: i for i, a in enumerate(areas)}
    return min(counts, key=lambda title: (-counts[title], order.get(title, len(order))))


def _department_key(name: str) -> str:
    """One department however it was typed: "Helse", "helse " and "HELSE" are the same."""
    return " ".join(name.split()).casefold()


def _author_departments(state: State) -> dict[str, set[str]]:
    """For each note and group, the departments of the people who wrote it (a group: of its
    notes); an author without a department, or no longer in the room, adds none. A private note
    adds nothing: the results must not hint that it exists. (Every note on the board shows its
    author's name, so this tells a reader of the results nothing the room did not see.)"""
    def department(person: str) -> str:
        participant = state.participants.get(person)
        return _department_key(participant.department) if participant else ""

    found: dict[str, set[str]] = {}
    for note in state.notes.values():
        if note.hidden:
            continue
        mine = {department(note.author)} - {""}
        found[note.id] = mine
        if note.cluster is not None:
            found.setdefault(note.cluster, set()).update(mine)
    return found


def _rank(votes: int, all_votes: object) -> int:
    """Standard competition ranking: ties share a rank (1, 2, 2, 4)."""
    return 1 + sum(1 for other in all_votes if other > votes)  # type: ignore[attr-defined]


def _supporting_departments(state: State) -> dict[str, list[str]]:
    """For each idea, the departments in which at least `MIN_VOTERS` distinct people gave it dots.

    Only names, never counts: a count per department minus one's own dots gives the others' dots
    back, and so does the total minus the shown counts. A name appears or not; someone who toggles
    their own dot learns at most that exactly `MIN_VOTERS - 1` others of their department chose
    the idea, never what one other person did. A department is one however its people typed it
    (`_department_key`), and is shown as most of them wrote it."""
    spellings: dict[str, Counter[str]] = {}
    voters: dict[str, dict[str, int]] = {}
    for voter, mine in state.votes.items():
        participant = state.participants.get(voter)
        written = " ".join(participant.department.split()) if participant else ""
        key = _department_key(written)
        if not key:
            continue
        spellings.setdefault(key, Counter())[written] += 1
        for target, n in mine.items():
            if n > 0:
                per_target = voters.setdefault(target, {})
                per_target[key] = per_target.get(key, 0) + 1
    shown = {key: min(names, key=lambda name: (-names[name], name)) for key, names in spellings.items()}
    return {
        target: sorted((shown[d] for d, n in counts.items() if n >= MIN_VOTERS), key=str.casefold)
        for target, counts in voters.items()
        if any(n >= MIN_VOTERS for n in counts.values())
    }
