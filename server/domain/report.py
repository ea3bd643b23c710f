"""Report back: what happens next, as the facilitator wrote it, ready to show and print.

Helsingborg's marks of a good citizen dialogue end with "we reported back to those who took
part". The facilitator writes, on the results, the decisions and next steps, who owns each of
the top ideas, and when the participants will hear again (`ReportUpdate`, see `rules`). This
module turns the stored `Report` into what the results page, the board's report screen and the
exports show: the ideas named by their current text, in the order of the ranking.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .model import Cluster, Note, Phase, State
from .results import Results


@dataclass(frozen=True, slots=True)
class Owner:
    idea: str  # the note's text or the group's title, as it is now
    owner: str


@dataclass(frozen=True, slots=True)
class ReportView:
    next_steps: list[str] = field(default_factory=list)  # the facilitator's lines, blank ones dropped
    hear_back: str = ""
    owners: list[Owner] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.next_steps or self.hear_back or self.owners)


def boards(state: State) -> list[tuple[dict[str, Note], dict[str, Cluster]]]:
    """The notes and groups of every board in the session: the active one, and (once rounds
    exist) the boards of the other rounds, kept in `state.shelved`."""
    found = [(state.notes, state.clusters)]
    for board in getattr(state, "shelved", {}).values():
        found.append((getattr(board, "notes", {}), getattr(board, "clusters", {})))
    return found


def idea_label(state: State, idea: str) -> str | None:
    """The text of a note or the title of a group anyone may see, in any round; None if there
    is no such idea (or it is someone's private note, which does not exist for the report)."""
    for notes, clusters in boards(state):
        note = notes.get(idea)
        if note is not None and not note.hidden:
            return note.text
        cluster = clusters.get(idea)
        if cluster is not None:
            return cluster.title
    return None


def view(state: State, results: Results | Sequence[Results] | None = None) -> ReportView:
    """The report as people read it. With `results` (one round's, or every round's in the
    plan's order), owners follow the ranking: round by round, most dots first, groups and notes
    together. Owners of ideas that no longer exist are left out."""
    report = state.report
    order: dict[str, int] = {}
    for one in [results] if isinstance(results, Results) else results or []:
        # Most dots first, groups and notes together (as the facilitator's dialog lists them).
        ideas = [(c.votes, c.title, c.id) for c in one.clusters] + [(n.votes, n.text, n.id) for n in one.notes]
        for _, _, idea in sorted(ideas, key=lambda i: (-i[0], i[1].casefold())):
            order.setdefault(idea, len(order))
    owners = []
    for idea, owner in report.owners.items():
        label = idea_label(state, idea)
        if label is not None and owner:
            owners.append((order.get(idea, len(order)), label.casefold(), Owner(label, owner)))
    owners.sort(key=lambda o: (o[0], o[1]))
    lines = [line.strip() for line in report.next_steps.splitlines()]
    return ReportView([line for line in lines if line], report.hear_back, [o[2] for o in owners])


def session_over(state: State) -> bool:
    """Whether the workshop has reached its end: the last round of the plan is in its last phase
    (results, for a round that has it). Results published after round 1 say nothing about this:
    the facilitator may publish early and go on, and then the participants' link must not say
    the session is over (the board page shows the report screen only when this is true)."""
    room = state.room
    if not room.rounds:
        return room.phase == Phase.RESULTS
    active = room.active_round()
    last_phase = active.phases[-1] if active.phases else Phase.RESULTS
    return active is room.rounds[-1] and room.phase in (last_phase, Phase.RESULTS)
