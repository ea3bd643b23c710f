"""Where notes and groups go on the board, so that nothing is ever on top of anything else.

Pure and deterministic: the rules call these functions at decide time and put the positions
they return into the event, so every client, every resume and every late joiner applies the
same numbers instead of computing their own. No I/O, no clock, no randomness; every loop runs
over items in an order fixed by their positions and ids, never by dict order.

The board is the fixed logical canvas of `model` (4000 × 3000). A note is `NOTE_WIDTH` wide
and at least `NOTE_MIN_HEIGHT` tall; its real height depends on its text and the screen's
fonts, which the domain cannot know, so `note_height` estimates it on the generous side. A
group's box is its header (`GROUP_HEAD`) above a grid of its notes, `GROUP_COLUMNS` wide, and
grows to fit them; the client draws the same box from the same numbers (see `limits`).

What a function may look at is what its author may see: `Board.of(state, viewer)` leaves out
other people's private notes, so a place chosen for someone never tells them where anybody
else's hidden notes are.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from .model import BOARD_HEIGHT, BOARD_WIDTH, NOTE_MIN_HEIGHT, NOTE_WIDTH, Area, Cluster, Note, State

GAP = 24  # between two things on the board
GROUP_PAD = 20  # inside a group's frame, around its notes
GROUP_GAP = 16  # between the notes in a group
GROUP_HEAD = 150  # a group's header (title, count, buttons) above its notes
GROUP_COLUMNS = 3
_TITLE_LINE = 32  # one more line of a group's title
GROUP_MARGIN = 40  # between two groups, so their frames and buttons never touch
AREA_HEAD = 96  # an area's title band, above the first row of notes
MARGIN = 40  # between the board's edge and anything on it
# Text metrics of a note (CSS: 18 px text, 1.35 line height, 188 px of it per line).
_CHARS_PER_LINE = 17
_LINE = 25
_NOTE_CHROME = 64  # padding, gap and the footer with the author's name
# The dot controls a note carries in the vote phase ("1 of your dots", − and "+ Give a dot"):
# room is kept for them in every phase, so nothing has to move, or overlap, when voting starts.
_VOTE_BAR = 96
STEP_X = NOTE_WIDTH + GAP
STEP_Y = NOTE_MIN_HEIGHT + GAP


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    def overlaps(self, other: Rect, gap: float = 0) -> bool:
        """True when the two boxes, kept `gap` apart, would touch."""
        return (
            self.x < other.x + other.w + gap
            and other.x < self.x + self.w + gap
            and self.y < other.y + other.h + gap
            and other.y < self.y + self.h + gap
        )

    def contains_point(self, x: float, y: float) -> bool:
        return self.x <= x < self.x + self.w and self.y <= y < self.y + self.h

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.w / 2, self.y + self.h / 2


BOARD = Rect(0, 0, BOARD_WIDTH, BOARD_HEIGHT)


@functools.lru_cache(maxsize=8192)
def note_height(text: str) -> float:
    """A note's height estimated from its text (enough lines for it, never less than the minimum)
    and its dot controls, which it has in the vote phase."""
    lines = sum(max(1, math.ceil(len(part) / _CHARS_PER_LINE)) for part in text.split("\n"))
    return float(max(NOTE_MIN_HEIGHT, _NOTE_CHROME + lines * _LINE) + _VOTE_BAR)


def _rows(heights: list[float]) -> list[list[float]]:
    return [heights[i : i + GROUP_COLUMNS] for i in range(0, len(heights), GROUP_COLUMNS)]


def _width(count: int) -> float:
    columns = max(1, min(count, GROUP_COLUMNS))
    return float(2 * GROUP_PAD + columns * NOTE_WIDTH + (columns - 1) * GROUP_GAP)


def group_head(title: str, count: int) -> float:
    """A group's header height: `GROUP_HEAD` holds a one-line title; each further line of a long
    title (in a frame as wide as `count` notes make it) adds one (26 px bold text, ~15 px a
    character, the frame's borders, padding and grip taking 70)."""
    per_line = max(1, int((_width(count) - 70) // 15))
    lines = max(1, math.ceil(len(title) / per_line))
    return float(GROUP_HEAD + (lines - 1) * _TITLE_LINE)


def group_size(heights: list[float], title: str = "") -> tuple[float, float]:
    """The frame of a group holding notes of these heights (in order), header included."""
    head = group_head(title, len(heights))
    if not heights:
        return NOTE_WIDTH + 2 * GROUP_PAD, head + NOTE_MIN_HEIGHT + 2 * GROUP_PAD
    rows = _rows(heights)
    height = head + 2 * GROUP_PAD + sum(max(r) for r in rows) + (len(rows) - 1) * GROUP_GAP
    return _width(len(heights)), float(height)


def group_slots(x: float, y: float, heights: list[float], title: str = "") -> list[tuple[float, float]]:
    """Where the notes of a group at (x, y) go, in order: rows of `GROUP_COLUMNS` under its header."""
    slots: list[tuple[float, float]] = []
    top = y + group_head(title, len(heights)) + GROUP_PAD
    for row in _rows(heights):
        for column in range(len(row)):
            slots.append((x + GROUP_PAD + column * (NOTE_WIDTH + GROUP_GAP), top))
        top += max(row) + GROUP_GAP
    return slots


def _clamp(value: float, low: float, high: float) -> float:
    return float(min(max(value, low), max(low, high)))


def _lattice(bounds: Rect, w: float, h: float, top: float = 0) -> list[tuple[float, float]]:
    """Candidate top-left corners for a w × h box in `bounds`, on the board's note grid."""
    left = bounds.x + GAP / 2 if bounds is not BOARD else MARGIN
    first = bounds.y + top if bounds is not BOARD else MARGIN
    right = min(bounds.x + bounds.w, BOARD_WIDTH) - w
    bottom = min(bounds.y + bounds.h, BOARD_HEIGHT) - h
    spots: list[tuple[float, float]] = []
    y = first
    while y <= bottom:
        x = left
        while x <= right:
            spots.append((float(round(x)), float(round(y))))
            x += STEP_X
        y += STEP_Y / 2
    return spots


class Obstacles:
    """Boxes to keep clear of, bucketed by a coarse grid so a free check looks only at the
    boxes nearby: a placement on a full board stays cheap."""

    CELL = 256

    def __init__(self, rects: Iterable[Rect] = (), gap: float = GAP) -> None:
        self.gap = gap
        self._cells: dict[tuple[int, int], list[Rect]] = {}
        for r in rects:
            self.add(r)

    def _span(self, r: Rect) -> tuple[int, int, int, int]:
        g, c = self.gap, self.CELL
        return int((r.x - g) // c), int((r.x + r.w + g) // c), int((r.y - g) // c), int((r.y + r.h + g) // c)

    def add(self, r: Rect) -> None:
        cells = self._cells
        i0, i1, j0, j1 = self._span(r)
        for i in range(i0, i1 + 1):
            for j in range(j0, j1 + 1):
                bucket = cells.get((i, j))
                if bucket is None:
                    cells[(i, j)] = [r]
                else:
                    bucket.append(r)

    def free(self, box: Rect) -> bool:
        cells, gap = self._cells, self.gap
        i0, i1, j0, j1 = self._span(box)
        for i in range(i0, i1 + 1):
            for j in range(j0, j1 + 1):
                for o in cells.get((i, j), ()):
                    if box.overlaps(o, gap):
                        return False
        return True


def _free(box: Rect, obstacles: Iterable[Rect], gap: float) -> bool:
    return not any(box.overlaps(o, gap) for o in obstacles)


def _inside(bounds: Rect, top: float, x: float, y: float, w: float, h: float) -> bool:
    if bounds is BOARD:
        return 0 <= x <= BOARD_WIDTH - w and 0 <= y <= BOARD_HEIGHT - h
    return (
        bounds.x <= x and x + w <= bounds.x + bounds.w and bounds.y + top <= y
        and y + h <= min(bounds.y + bounds.h, BOARD_HEIGHT)
    )


def _index(obstacles: Obstacles | Iterable[Rect], gap: float) -> Obstacles:
    if isinstance(obstacles, Obstacles) and obstacles.gap == gap:
        return obstacles
    return Obstacles(obstacles if not isinstance(obstacles, Obstacles) else (), gap)


def search(
    w: float, h: float, hint: tuple[float, float], obstacles: Obstacles | Iterable[Rect], bounds: Rect, gap: float,
    top: float,
) -> tuple[float, float] | None:
    """The free place for a w × h box in `bounds` nearest to `hint` (its wished top-left
    corner): the hint itself when it is free, else the nearest free point of the note grid."""
    index = _index(obstacles, gap)
    hx, hy = float(round(hint[0])), float(round(hint[1]))
    if _inside(bounds, top, hx, hy, w, h) and index.free(Rect(hx, hy, w, h)):
        return hx, hy
    spots = _lattice(bounds, w, h, top)
    spots.sort(key=lambda p: ((p[0] - hx) ** 2 + (p[1] - hy) ** 2, p[1], p[0]))
    for x, y in spots:
        if index.free(Rect(x, y, w, h)):
            return x, y
    return None


def nearest_free(
    w: float, h: float, hint: tuple[float, float], obstacles: Obstacles | Iterable[Rect], bounds: Rect = BOARD,
    gap: float = GAP, top: float = 0, full: set[tuple[Rect, float, float]] | None = None,
) -> tuple[float, float]:
    """`search` in `bounds`, then on the whole board; on a full board, the hint itself.

    `full` remembers, across calls of one layout whose obstacles only grow, where a box of this
    size found no room, so a crowded board is searched once, not once per note."""
    if isinstance(obstacles, Obstacles) and obstacles.gap == gap:
        near = everything = obstacles
    else:
        rects = list(obstacles)
        near = Obstacles((), gap)
        far: list[Rect] = []
        for o in rects:
            (near.add if o.overlaps(bounds, gap) else far.append)(o)
        everything = near if bounds is BOARD else None
    found = None
    for where, head in ((bounds, top), (BOARD, 0)) if bounds is not BOARD else ((BOARD, 0),):
        if full is not None and (where, w, h) in full:
            continue
        if where is BOARD and everything is None:
            for o in far:  # the area's index grows to the whole board's
                near.add(o)
            everything = near
        found = search(w, h, hint, near if where is bounds else everything, where, gap, head)  # type: ignore[arg-type]
        if found is not None:
            break
        if full is not None:
            full.add((where, w, h))
    if found is None:
        found = _clamp(round(hint[0]), 0, BOARD_WIDTH - w), _clamp(round(hint[1]), 0, BOARD_HEIGHT - h)
    return found


def first_free(
    w: float, h: float, obstacles: Obstacles | Iterable[Rect], bounds: Rect, top: float,
    full: set[tuple[Rect, float, float]] | None = None,
) -> tuple[float, float]:
    """The first free place in reading order (rows, left to right) inside `bounds`: a tidy grid."""
    index = _index(obstacles, GAP)
    if full is None or (bounds, w, h) not in full:
        for x, y in _lattice(bounds, w, h, top):
            if index.free(Rect(x, y, w, h)):
                return x, y
    return nearest_free(w, h, (bounds.x, bounds.y + top), index, bounds, top=top, full=full)


# --- the board as the layout sees it ---------------------------------------------------------


@dataclass(slots=True)
class NoteBox:
    x: float
    y: float
    h: float
    cluster: str | None
    visible: bool  # to whoever the layout is for; an invisible note is never an obstacle or moved

    def rect(self) -> Rect:
        return Rect(self.x, self.y, NOTE_WIDTH, self.h)


@dataclass(frozen=True, slots=True)
class Placement:
    """What a layout changed: note id -> (x, y), group id -> (x, y)."""

    notes: dict[str, tuple[float, float]] = field(default_factory=dict)
    clusters: dict[str, tuple[float, float]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.notes or self.clusters)


@dataclass(slots=True)
class Board:
    """A working copy of the positions one layout may look at and change."""

    notes: dict[str, NoteBox]
    clusters: dict[str, tuple[float, float]]
    areas: list[Area]
    titles: dict[str, str] = field(default_factory=dict)
    _start: dict[str, tuple[float, float]] = field(default_factory=dict)
    _cluster_start: dict[str, tuple[float, float]] = field(default_factory=dict)

    @classmethod
    def of(cls, state: State, viewer: str | None = None) -> Board:
        """The board as `viewer` sees it: other people's private notes are left out (None: everyone's view)."""
        return cls.of_parts(state.notes.values(), state.clusters.values(), state.room.areas, viewer)

    @classmethod
    def of_parts(
        cls, notes_in: Iterable[Note], clusters_in: Iterable[Cluster], areas: Iterable[Area], viewer: str | None = None
    ) -> Board:
        """Like `of`, for any round's board (a shelved one has no `State` of its own)."""
        notes_in, clusters_in = list(notes_in), list(clusters_in)
        notes = {
            n.id: NoteBox(n.x, n.y, note_height(n.text), n.cluster, not n.hidden or n.author == viewer)
            for n in notes_in
        }
        clusters = {c.id: (c.x, c.y) for c in clusters_in}
        board = cls(notes, clusters, list(areas), {c.id: c.title for c in clusters_in})
        board._start = {k: (v.x, v.y) for k, v in notes.items()}
        board._cluster_start = dict(clusters)
        return board

    # -- reading ------------------------------------------------------------------------------

    def members(self, cluster_id: str) -> list[str]:
        """A group's visible notes in the order they sit in it (rows, then columns, then id)."""
        return self.all_members().get(cluster_id, [])

    def all_members(self) -> dict[str, list[str]]:
        """Every group's visible notes at once (one pass over the notes), each in sitting order."""
        groups: dict[str, list[str]] = {}
        for k, n in self.notes.items():
            if n.cluster is not None and n.visible:
                groups.setdefault(n.cluster, []).append(k)
        for ids in groups.values():
            ids.sort(key=lambda k: (self.notes[k].y, self.notes[k].x, k))
        return groups

    def group_rect(self, cluster_id: str, members: dict[str, list[str]] | None = None) -> Rect:
        x, y = self.clusters[cluster_id]
        ids = (self.all_members() if members is None else members).get(cluster_id, [])
        w, h = group_size([self.notes[k].h for k in ids], self.titles.get(cluster_id, ""))
        return Rect(x, y, w, h)

    def group_rects(self, but: str | None = None) -> list[Rect]:
        members = self.all_members()
        return [self.group_rect(c, members) for c in sorted(self.clusters) if c != but]

    def loose(self) -> list[str]:
        """Visible notes in no group, in reading order."""
        ids = [k for k, n in self.notes.items() if n.visible and n.cluster is None]
        return sorted(ids, key=lambda k: (self.notes[k].y, self.notes[k].x, k))

    def note_rects(self, but: Iterable[str] = ()) -> list[Rect]:
        skip = set(but)
        return [self.notes[k].rect() for k in self.loose() if k not in skip]

    def area_of(self, x: float, y: float) -> Rect:
        """The area holding the point, or the board; a point between areas goes to the nearest."""
        if not self.areas:
            return BOARD
        for a in self.areas:
            if Rect(a.x, a.y, a.w, a.h).contains_point(x, y):
                return Rect(a.x, a.y, a.w, a.h)
        nearest = min(self.areas, key=lambda a: (abs(a.x + a.w / 2 - x), a.x))
        return Rect(nearest.x, nearest.y, nearest.w, nearest.h)

    def top_of(self, bounds: Rect) -> float:
        return 0 if bounds is BOARD else AREA_HEAD

    # -- changing -----------------------------------------------------------------------------

    def place_note(self, note_id: str, hint: tuple[float, float]) -> tuple[float, float]:
        """Put a loose note in the free place nearest `hint`, in the area `hint` is in."""
        box = self.notes[note_id]
        bounds = self.area_of(hint[0] + NOTE_WIDTH / 2, hint[1] + box.h / 2)
        obstacles = self.note_rects(but=[note_id]) + self.group_rects()
        box.x, box.y = nearest_free(NOTE_WIDTH, box.h, hint, obstacles, bounds, top=self.top_of(bounds))
        return box.x, box.y

    def arrange_group(self, cluster_id: str, order: list[str] | None = None) -> None:
        """Lay a group's notes out in its grid, then make room for it: move it off other groups,
        and loose notes out from under it."""
        ids = self.members(cluster_id) if order is None else order
        x, y = self.clusters[cluster_id]
        heights = [self.notes[k].h for k in ids]
        title = self.titles.get(cluster_id, "")
        w, h = group_size(heights, title)
        others = self.group_rects(but=cluster_id)
        if not _free(Rect(x, y, w, h), others, GROUP_MARGIN):
            x, y = nearest_free(w, h, (x, y), others, BOARD, gap=GROUP_MARGIN)
            self.clusters[cluster_id] = (x, y)
        for k, (nx, ny) in zip(ids, group_slots(x, y, heights, title), strict=True):
            self.notes[k].x, self.notes[k].y = nx, ny
        self.clear_under(Rect(x, y, w, h))

    def clear_under(self, frame: Rect) -> None:
        """Loose notes on a group's frame move to the free place nearest to where they were."""
        loose = self.loose()
        under = [k for k in loose if self.notes[k].rect().overlaps(frame, GAP / 2)]
        if not under:
            return
        moving = set(under)
        index = Obstacles([self.notes[k].rect() for k in loose if k not in moving] + self.group_rects())
        full: set[tuple[Rect, float, float]] = set()
        for k in under:
            box = self.notes[k]
            bounds = self.area_of(*box.rect().centre)
            box.x, box.y = nearest_free(
                NOTE_WIDTH, box.h, (box.x, box.y), index, bounds, top=self.top_of(bounds), full=full
            )
            index.add(box.rect())

    def place_group(self, cluster_id: str, hint: tuple[float, float], avoid_notes: bool) -> tuple[float, float]:
        """A group (new or moved) at the free place nearest `hint`, off every other group; a new
        one also between the loose notes if its area has room. Loose notes under it make way."""
        w, h = group_size([self.notes[k].h for k in self.members(cluster_id)], self.titles.get(cluster_id, ""))
        bounds = self.area_of(hint[0] + NOTE_WIDTH / 2, hint[1] + GROUP_HEAD / 2)
        top = self.top_of(bounds)
        others = self.group_rects(but=cluster_id)
        found = None
        if avoid_notes:
            found = search(w, h, hint, others + self.note_rects(), bounds, GROUP_MARGIN, top)
        if found is None:
            found = nearest_free(w, h, hint, others, bounds, gap=GROUP_MARGIN, top=top)
        dx, dy = found[0] - self.clusters[cluster_id][0], found[1] - self.clusters[cluster_id][1]
        self.clusters[cluster_id] = found
        for k in self.members(cluster_id):
            box = self.notes[k]
            box.x, box.y = box.x + dx, box.y + dy
        self.clear_under(Rect(found[0], found[1], w, h))
        return found

    def tidy(self) -> None:
        """Every area as a grid: its groups first, then its loose notes, in reading order."""
        regions: dict[Rect, list[tuple[str, str]]] = {}
        order = [self.area_of(a.x + 1, a.y + 1) for a in self.areas] or [BOARD]
        for region in order:
            regions[region] = []
        groups = sorted(self.clusters, key=lambda c: (self.clusters[c][1], self.clusters[c][0], c))
        for c in groups:
            x, y = self.clusters[c]
            regions[self.area_of(x + NOTE_WIDTH / 2, y + GROUP_HEAD / 2)].append(("group", c))
        for k in self.loose():
            regions[self.area_of(*self.notes[k].rect().centre)].append(("note", k))
        members = self.all_members()
        placed = Obstacles(gap=GROUP_MARGIN)
        overflow: list[tuple[Rect, str, str]] = []
        for region in order:
            overflow += self._shelve(region, regions[region], members, placed)
        # What did not fit in its area goes to the free place nearest the area's bottom edge.
        full: set[tuple[Rect, float, float]] = set()
        for region, kind, key in overflow:
            w, h = self._size(kind, key, members)
            hint = (region.x + GAP / 2, min(region.y + region.h, BOARD_HEIGHT) - h)
            x, y = nearest_free(w, h, hint, placed, BOARD, gap=GROUP_MARGIN, full=full)
            self._put(kind, key, x, y, members)
            placed.add(Rect(x, y, w, h))

    def _size(self, kind: str, key: str, members: dict[str, list[str]]) -> tuple[float, float]:
        if kind == "group":
            return group_size([self.notes[k].h for k in members.get(key, [])], self.titles.get(key, ""))
        return NOTE_WIDTH, self.notes[key].h

    def _put(self, kind: str, key: str, x: float, y: float, members: dict[str, list[str]]) -> None:
        x, y = float(round(x)), float(round(y))
        if kind == "group":
            ids = members.get(key, [])
            self.clusters[key] = (x, y)
            heights = [self.notes[k].h for k in ids]
            for k, (nx, ny) in zip(ids, group_slots(x, y, heights, self.titles.get(key, "")), strict=True):
                self.notes[k].x, self.notes[k].y = nx, ny
        else:
            self.notes[key].x, self.notes[key].y = x, y

    def _shelve(
        self, region: Rect, items: list[tuple[str, str]], members: dict[str, list[str]], placed: Obstacles
    ) -> list[tuple[Rect, str, str]]:
        """Pack `items` left to right in rows across `region` (shelf packing); returns those that
        do not fit above its bottom edge."""
        left = region.x + GAP / 2 if region is not BOARD else MARGIN
        right = region.x + region.w if region is not BOARD else BOARD_WIDTH - MARGIN
        bottom = min(region.y + region.h, BOARD_HEIGHT) if region is not BOARD else BOARD_HEIGHT - MARGIN
        x, y = left, region.y + (self.top_of(region) if region is not BOARD else MARGIN)
        shelf = 0.0
        overflow: list[tuple[Rect, str, str]] = []
        for kind, key in items:
            w, h = self._size(kind, key, members)
            gap = GROUP_MARGIN if kind == "group" else GAP
            if x > left and x + w > right:
                x, y, shelf = left, y + shelf, 0.0
            if y + h > bottom:
                overflow.append((region, kind, key))
                continue
            self._put(kind, key, x, y, members)
            placed.add(Rect(round(x), round(y), w, h))
            x += w + gap
            shelf = max(shelf, h + gap)
        return overflow

    def placement(self) -> Placement:
        """What changed since `of`: only visible notes (an invisible one is never moved)."""
        notes = {
            k: (b.x, b.y)
            for k, b in sorted(self.notes.items())
            if b.visible and self._start.get(k) != (b.x, b.y)
        }
        clusters = {k: v for k, v in sorted(self.clusters.items()) if self._cluster_start.get(k) != v}
        return Placement(notes, clusters)

    def reveal(self, revealed: list[str]) -> None:
        """Private notes made visible, in the order given: loose ones in a tidy grid in their
        area, grouped ones in the next places of their group's grid. Only these notes move."""
        ids = list(revealed)
        grouped: dict[str, list[str]] = {}
        for k in ids:
            cluster = self.notes[k].cluster
            if cluster is not None and cluster in self.clusters:
                grouped.setdefault(cluster, []).append(k)
        in_groups = {m for members in grouped.values() for m in members}
        index = Obstacles([self.notes[p].rect() for p in self.loose()] + self.group_rects())
        full: set[tuple[Rect, float, float]] = set()
        for k in ids:
            if k in in_groups:
                continue
            box = self.notes[k]
            box.visible = True
            bounds = self.area_of(*box.rect().centre)
            box.x, box.y = first_free(NOTE_WIDTH, box.h, index, bounds, self.top_of(bounds), full)
            index.add(box.rect())
        for cluster, new in sorted(grouped.items()):
            ids_before = self.members(cluster)
            heights = [self.notes[k].h for k in ids_before + new]
            slots = group_slots(*self.clusters[cluster], heights, self.titles.get(cluster, ""))[len(ids_before):]
            for k, (x, y) in zip(new, slots, strict=True):
                self.notes[k].x, self.notes[k].y, self.notes[k].visible = x, y, True


def overlapping(rects: list[Rect]) -> list[tuple[int, int]]:
    """Pairs of boxes that overlap (for tests and checks)."""
    return [(i, j) for i in range(len(rects)) for j in range(i + 1, len(rects)) if rects[i].overlaps(rects[j])]


def columns(count: int) -> list[Rect]:
    """`count` equal areas side by side across the board, with a margin: how areas given only
    by their titles (a round's plan, carried-forward items) are laid out."""
    margin, gap = 40, 40
    width = (BOARD_WIDTH - 2 * margin - gap * (count - 1)) / count
    return [Rect(float(margin + i * (width + gap)), float(margin), float(width), float(BOARD_HEIGHT - 2 * margin))
            for i in range(count)]
