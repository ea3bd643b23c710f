"""Who took part: the groups a facilitator wants to hear from, and which of them came.

The first mark of a good citizen dialogue is "we had dialogue with those we meant to". The
facilitator lists the groups (departments, "residents", "relatives", …) when creating the
session or in the lobby; a joiner picks one of them as their department, or types another.
This module says, for a state, how many people of each listed group joined, which listed
groups nobody came from, and which other groups people named.

Counts of people per group are not votes: they say who was in the room, which everyone in
the room could see in the list of people anyway. No dot is ever counted here (the anonymity
rules of `domain.results` are untouched). Only people with the participant role count:
facilitators and coaches run the session, they are not who it wants to hear from. Someone who
joined and closed their phone was reached; someone removed by the facilitator was not.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from .model import Role, State


def group_key(name: str) -> str:
    """One group however it was typed: "Pårørende", " pårørende" and "PÅRØRENDE" are one."""
    return " ".join(name.split()).casefold()


def clean_groups(names: Iterable[str]) -> list[str]:
    """The list as the facilitator meant it: each name trimmed (inner runs of spaces made one),
    empty ones dropped, a name that differs from an earlier one only in case or spacing
    dropped. The first spelling wins; the order is kept (it is the order joiners see)."""
    seen: set[str] = set()
    kept: list[str] = []
    for raw in names:
        name = " ".join(raw.split())
        key = name.casefold()
        if not key or key in seen:
            continue
        seen.add(key)
        kept.append(name)
    return kept


@dataclass(frozen=True, slots=True)
class GroupReach:
    name: str
    joined: int  # people of this group who joined (participants still in the session)


@dataclass(frozen=True, slots=True)
class Reach:
    wanted: list[GroupReach]  # the facilitator's list, in its order
    others: list[GroupReach] = field(default_factory=list)  # groups people named that were not listed
    unnamed: int = 0  # participants who gave no group

    @property
    def reached(self) -> int:
        return sum(1 for g in self.wanted if g.joined > 0)

    @property
    def missing(self) -> list[str]:
        return [g.name for g in self.wanted if g.joined == 0]


def compute(state: State) -> Reach:
    """Who of the wanted groups joined, as of `state` (see the module's docstring)."""
    wanted = {group_key(name): name for name in state.room.hear_from}
    joined: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    unnamed = 0
    for person in state.participants.values():
        if person.role is not Role.PARTICIPANT:
            continue
        key = group_key(person.department)
        if not key:
            unnamed += 1
            continue
        joined[key] += 1
        if key not in wanted:
            spellings.setdefault(key, Counter())[" ".join(person.department.split())] += 1
    others = [
        GroupReach(min(names, key=lambda n: (-names[n], n)), joined[key]) for key, names in spellings.items()
    ]
    others.sort(key=lambda g: (-g.joined, g.name.casefold()))
    return Reach([GroupReach(name, joined[key]) for key, name in wanted.items()], others, unnamed)
