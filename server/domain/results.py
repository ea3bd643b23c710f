"""What a voting round produced: a ranking with ties, and how support spread across departments.

Pure, like every rule: the results page, the exports and the tests all read this one shape.
Only what everyone may see goes in: no private note, no hint, and no dots until they are
revealed. Individual votes stay anonymous: a department's dots are shown only where at least
`MIN_VOTERS` people of it voted; smaller ones are folded into "other", which is itself shown
only when it holds at least `MIN_VOTERS` voters.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import State

MIN_VOTERS = 2
OTHER = ""  # the folded department; pages and exports name it in the reader's language


@dataclass(frozen=True, slots=True)
class RankedNote:
    id: str
    text: str
    color: str
    cluster: str | None
    votes: int
    rank: int
    departments: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RankedCluster:
    id: str
    title: str
    votes: int
    rank: int
    notes: list[RankedNote]
    departments: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Breadth:
    """An idea and how many departments gave it dots (the point of a cross-department workshop)."""

    id: str
    label: str
    departments: int
    votes: int


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
    departments: list[str]  # shown departments, most voters first; OTHER last if shown
    voters: int
    participants: int
    broadest: list[Breadth]


def compute(state: State, top: int = 10) -> Results:
    revealed = state.room.votes_revealed
    totals = state.vote_totals() if revealed else {}
    shown, fold = _departments(state) if revealed else ([], {})
    by_department = _dots_by_department(state, fold) if revealed else {}

    notes = [n for n in state.notes.values() if not n.hidden]
    note_votes = {n.id: totals.get(n.id, 0) for n in notes}
    ranked_notes = [
        RankedNote(n.id, n.text, n.color, n.cluster, note_votes[n.id],
                   _rank(note_votes[n.id], note_votes.values()), by_department.get(n.id, {}))
        for n in notes
    ]
    ranked_notes.sort(key=lambda r: (r.rank, r.text.casefold()))

    cluster_votes = {c.id: totals.get(c.id, 0) for c in state.clusters.values()}
    clusters = [
        RankedCluster(c.id, c.title, cluster_votes[c.id], _rank(cluster_votes[c.id], cluster_votes.values()),
                      [r for r in ranked_notes if r.cluster == c.id], by_department.get(c.id, {}))
        for c in state.clusters.values()
    ]
    clusters.sort(key=lambda r: (r.rank, r.title.casefold()))

    labels = {r.id: r.text for r in ranked_notes} | {c.id: c.title for c in clusters}
    broadest = sorted(
        (Breadth(target, labels[target], len([d for d in dots if dots[d]]), totals.get(target, 0))
         for target, dots in by_department.items() if target in labels),
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
        departments=shown,
        voters=voters if revealed else 0,
        participants=len(state.participants),
        broadest=broadest,
    )


def _rank(votes: int, all_votes: object) -> int:
    """Standard competition ranking: ties share a rank (1, 2, 2, 4)."""
    return 1 + sum(1 for other in all_votes if other > votes)  # type: ignore[attr-defined]


def _departments(state: State) -> tuple[list[str], dict[str, str | None]]:
    """Departments to show, and where each voter's department goes (itself, OTHER, or None:
    counted in totals only, because even "other" would be one identifiable person)."""
    voters_by_department: dict[str, int] = {}
    for voter, mine in state.votes.items():
        if any(mine.values()) and voter in state.participants:
            dept = state.participants[voter].department.strip() or OTHER
            voters_by_department[dept] = voters_by_department.get(dept, 0) + 1
    big = {d for d, n in voters_by_department.items() if n >= MIN_VOTERS and d != OTHER}
    folded = sum(n for d, n in voters_by_department.items() if d not in big)
    fold: dict[str, str | None] = {d: d if d in big else (OTHER if folded >= MIN_VOTERS else None)
                                   for d in voters_by_department}
    shown = sorted(big, key=lambda d: (-voters_by_department[d], d.casefold()))
    if folded >= MIN_VOTERS:
        shown.append(OTHER)
    return shown, fold


def _dots_by_department(state: State, fold: dict[str, str | None]) -> dict[str, dict[str, int]]:
    dots: dict[str, dict[str, int]] = {}
    for voter, mine in state.votes.items():
        participant = state.participants.get(voter)
        if participant is None:
            continue
        dept = fold.get(participant.department.strip() or OTHER)
        if dept is None:
            continue
        for target, n in mine.items():
            if n:
                per_target = dots.setdefault(target, {})
                per_target[dept] = per_target.get(dept, 0) + n
    return dots
