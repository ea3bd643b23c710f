"""The stylesheets: colours from one palette (base.css), and a live note kept cheap — no `:has()`
is anchored on an element that holds the board's notes (the canvas, the list, or anything around
them up to <body>).

Chrome cannot tell which insertions such a `:has()` depends on, so it restyles the anchor's whole
subtree whenever a node is added below it. One `body:has(#board-screen[hidden]) …` rule made every
note added to a 2,000-note board restyle the whole page (1,600 elements; issue 10's benchmark,
docs/performance.md). Style by a class the script sets instead (`mirrorShown` in
client/context.js), or anchor the `:has()` on a part of the page without notes."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CSS = sorted((ROOT / "client" / "css").glob("*.css"))
NOTE_HOLDERS = ("canvas", "list-content")  # the elements notes and list rows are added to
BODY_CLASS = re.compile(r"""(?:body\.classList\.(?:add|toggle|remove)\(|mirrorShown\([^,()]+,)\s*["']([\w-]+)["']""")


class _Ancestors(HTMLParser):
    """Ids and classes of the elements around the note holders in templates/board.html."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str, list[str]]] = []
        self.found: list[tuple[str, str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        entry = (tag, a.get("id") or "", (a.get("class") or "").split())
        if tag in self.VOID:
            return
        self.stack.append(entry)
        if entry[1] in NOTE_HOLDERS:
            self.found.extend(self.stack)

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break


def forbidden_anchors() -> tuple[set[str], set[str], set[str]]:
    """Tags, ids and classes of the note holders and their ancestors (body's classes included:
    the page's, and those the client's scripts put on body)."""
    parser = _Ancestors()
    parser.feed((ROOT / "templates" / "board.html").read_text())
    assert {e[1] for e in parser.found} >= set(NOTE_HOLDERS), "the note holders moved: update NOTE_HOLDERS"
    tags = {"html", "body", "main"}
    ids = {e[1] for e in parser.found if e[1]}
    classes = {c for e in parser.found for c in e[2] if "{" not in c}
    classes |= {"page-board"}
    for script in (ROOT / "client").rglob("*.js"):
        classes |= set(BODY_CLASS.findall(script.read_text()))
    return tags, ids, classes


def has_anchors(css: str) -> list[str]:
    """Each selector's compound that carries a `:has(` (its anchor), without the argument."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    anchors = []
    for selectors in re.findall(r"([^{}]*)\{", css):
        for selector in selectors.split(","):
            for match in re.finditer(r"([^\s>+~()]*):has\(", selector):
                anchors.append(match.group(1) or "*")
    return anchors


def test_no_has_selector_is_anchored_on_what_holds_the_notes() -> None:
    tags, ids, classes = forbidden_anchors()
    bad = []
    for path in CSS:
        for anchor in has_anchors(path.read_text()):
            tag = re.match(r"[a-z]+", anchor)
            if (
                anchor in ("*", ":root")
                or anchor.startswith(":root")
                or (tag and tag.group(0) in tags)
                or set(re.findall(r"#([\w-]+)", anchor)) & ids
                or set(re.findall(r"\.([\w-]+)", anchor)) & classes
            ):
                bad.append(f"{path.name}: {anchor}:has(…)")
    assert not bad, "a :has() anchored around the notes restyles the page on every new note:\n" + "\n".join(bad)


def test_the_check_sees_the_rule_that_slowed_the_board() -> None:
    """The guard above would have caught the rule issue 10's benchmark found."""
    tags, ids, classes = forbidden_anchors()
    (anchor,) = has_anchors("body:has(#board-screen[hidden]) #session-toolbar { display: none }")
    assert anchor == "body" and "body" in tags
    assert "board-screen" in ids and "viewport" in ids and "list-view" in ids
    assert {"page-board", "view-canvas", "on-board"} <= classes
    assert has_anchors(".topbar:has(.toolbar .badge:not(:empty)) .menu {}") == [".topbar"]


COLOUR_LITERAL = re.compile(r"#[0-9a-fA-F]{3,8}\b|\b(?:rgb|rgba|hsl|hsla)\(")


def test_colours_come_only_from_the_custom_properties_in_base_css() -> None:
    """One palette (client/css/base.css): a contrast fix or a theme is one edit, not a hunt."""
    literals = []
    for path in CSS:
        if path.name == "base.css":
            continue
        css = re.sub(r"/\*.*?\*/", "", path.read_text(), flags=re.DOTALL)
        for number, line in enumerate(css.splitlines(), 1):
            if COLOUR_LITERAL.search(line):
                literals.append(f"{path.name}:{number}: {line.strip()}")
    assert not literals, "colour literals outside base.css:\n" + "\n".join(literals)
