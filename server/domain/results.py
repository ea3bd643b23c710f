"""What a voting round produced: a ranking with ties, and how support spread across departments.

Pure, like every rule: the results page, the exports and the tests all read this one shape.
Only what everyone may see goes in: no private note, no hint, and no dots until they are
revealed. Individual votes stay anonymous, even to someone who joins with a department and
votes to subtract their own dots (docs/reliability.md, "Department view"): no dot count is ever
split by department. An idea names a department as a supporter only where at least `MIN_VOTERS`
distinct people of that department gave it dots, and breadth is the number of such departments.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import State

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


@dataclass(frozen=True, slots=True)
class RankedCluster:
    id: str
    title: str
    votes: int
    rank: int
    notes: list[RankedNote]
    departments: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Breadth:
    """An idea and how many departments support it (the point of a cross-department workshop)."""

    id: str
    label: str
    departments: int
    votes: int
    names: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Results:
    code: str
    title: str
    prompt: str
    language: str
    revealed: bool
    clusters: list[RankedCluster]
    notes: list[RankedNote]  # every visible note, ranked
    unclustered: list[RankedNote]
    departments: list[str]  # departments named as supporters of some idea, by name
    voters: int
    participants: int
    broadest: list[Breadth]


def compute(state: State, top: int = 10) -> Results:
    revealed = state.room.votes_revealed
    totals = state.vote_totals() if revealed else {}
    support = _supporting_departments(state) if revealed else {}

    notes = [n for n in state.notes.values() if not n.hidden]
    note_votes = {n.id: totals.get(n.id, 0) for n in notes}
    ranked_notes = [
        RankedNote(n.id, n.text, n.color, n.cluster, note_votes[n.id],
                   _rank(note_votes[n.id], note_votes.values()), support.get(n.id, []))
        for n in notes
    ]
    ranked_notes.sort(key=lambda r: (r.rank, r.text.casefold()))

    cluster_votes = {c.id: totals.get(c.id, 0) for c in state.clusters.values()}
    clusters = [
        RankedCluster(c.id, c.title, cluster_votes[c.id], _rank(cluster_votes[c.id], cluster_votes.values()),
                      [r for r in ranked_notes if r.cluster == c.id], support.get(c.id, []))
        for c in state.clusters.values()
    ]
    clusters.sort(key=lambda r: (r.rank, r.title.casefold()))

    labels = {r.id: r.text for r in ranked_notes} | {c.id: c.title for c in clusters}
    broadest = sorted(
        (Breadth(target, labels[target], len(names), totals.get(target, 0), names)
         for target, names in support.items() if target in labels),
        key=lambda b: (-b.departments, -b.votes, b.label.casefold()),
    )[:top]
    voters = sum(1 for mine in state.votes.values() if any(mine.values()))
    return Results(
        code=state.room.code,
        title=state.room.title,
        prompt=state.room.prompt,
        language=state.room.language,
        revealed=revealed,
        clusters=clusters,
        notes=ranked_notes,
        unclustered=[r for r in ranked_notes if r.cluster is None or r.cluster not in state.clusters],
        departments=sorted({d for names in support.values() for d in names}, key=str.casefold),
        voters=voters if revealed else 0,
        participants=len(state.participants),
        broadest=broadest,
    )


def _rank(votes: int, all_votes: object) -> int:
    """Standard competition ranking: ties share a rank (1, 2, 2, 4)."""
    return 1 + sum(1 for other in all_votes if other > votes)  # type: ignore[attr-defined]


def _supporting_departments(state: State) -> dict[str, list[str]]:
    """For each idea, the departments in which at least `MIN_VOTERS` distinct people gave it dots.

    Only names, never counts: a count per department minus one's own dots gives the others' dots
    back, and so does the total minus the shown counts. A name appears or not; someone who toggles
    their own dot learns at most that exactly `MIN_VOTERS - 1` others of their department chose
    the idea, never what one other person did."""
    voters: dict[str, dict[str, int]] = {}
    for voter, mine in state.votes.items():
        participant = state.participants.get(voter)
        department = participant.department.strip() if participant else ""
        if not department:
            continue
        for target, n in mine.items():
            if n > 0:
                per_target = voters.setdefault(target, {})
                per_target[department] = per_target.get(department, 0) + 1
    return {
        target: sorted((d for d, n in counts.items() if n >= MIN_VOTERS), key=str.casefold)
        for target, counts in voters.items()
        if any(n >= MIN_VOTERS for n in counts.values())
    }
