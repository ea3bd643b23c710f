"""Photo notes in the pure domain: what a note with a photo needs, who may see its photo, and
that a photo note's taller footprint keeps the board free of overlaps."""

from __future__ import annotations

from server import codec
from server.domain import Refused, decide, photo_visible, project_event, project_state
from server.domain.commands import NoteCreate, NoteDelete, NotesReveal, NoteUpdate
from server.domain.layout import Rect, note_height, overlapping
from server.domain.model import NOTE_WIDTH
from server.domain.results import compute
from server.domain.rules import PHOTO_ALT_MAX
from tests.support.domain import commit as do
from tests.test_domain_layout import FAC, LIMITS, PEOPLE, room

KARI, OLA = PEOPLE[0], PEOPLE[1]


def photo_note(note_id: str, photo: str, alt: str = "A paper prototype", text: str = "", x: float = 100,
               y: float = 200) -> NoteCreate:
    return NoteCreate(note_id, text, "yellow", x, y, photo=photo, alt=alt)


def test_a_photo_note_needs_no_text_but_an_alt() -> None:
    state = room(private=False)
    event = do(state, KARI, photo_note("p1", "phAAAA", alt="  Skisse av timebestilling  "))
    assert state.notes["p1"].photo == "phAAAA" and state.notes["p1"].alt == "Skisse av timebestilling"
    assert event.data.photo == "phAAAA"
    for alt in (None, "", "   "):
        refused = decide(state, KARI, photo_note("p2", "phBBBB", alt=alt), 0, LIMITS)  # type: ignore[arg-type]
        assert refused == Refused("invalid", {"field": "alt"})
    too_long = decide(state, KARI, photo_note("p2", "phBBBB", alt="x" * (PHOTO_ALT_MAX + 1)), 0, LIMITS)
    assert too_long == Refused("too_long", {"field": "alt", "max": PHOTO_ALT_MAX})
    # A note without a photo still needs its text, and cannot carry an alt alone.
    assert decide(state, KARI, NoteCreate("n1", " ", "yellow", 1, 1), 0, LIMITS) == Refused("invalid", {"field": "text"})
    assert decide(state, KARI, NoteCreate("n1", "Tekst", "yellow", 1, 1, alt="x"), 0, LIMITS) == Refused("invalid", {"field": "alt"})


def test_a_photo_is_on_one_note_only_and_its_id_is_checked() -> None:
    state = room(private=False)
    do(state, KARI, photo_note("p1", "phAAAA"))
    assert decide(state, OLA, photo_note("p2", "phAAAA"), 0, LIMITS) == Refused("invalid", {"field": "photo"})
    assert decide(state, OLA, photo_note("p2", "../../etc"), 0, LIMITS) == Refused("invalid", {"field": "photo"})


def test_a_photo_notes_caption_may_be_emptied_but_a_text_note_may_not() -> None:
    state = room(private=False)
    do(state, KARI, photo_note("p1", "phAAAA", text="Forside"))
    do(state, KARI, NoteUpdate("p1", text=""))
    assert state.notes["p1"].text == ""
    do(state, KARI, NoteCreate("n1", "Tekst", "yellow", 1, 1))
    assert decide(state, KARI, NoteUpdate("n1", text=""), 0, LIMITS) == Refused("invalid", {"field": "text"})


def test_a_private_photo_is_seen_by_its_author_only_until_the_reveal() -> None:
    state = room(private=True)
    event = do(state, KARI, photo_note("p1", "phAAAA"))
    assert photo_visible(state, "phAAAA", KARI.id)
    assert not photo_visible(state, "phAAAA", OLA.id) and not photo_visible(state, "phAAAA", None)
    assert not photo_visible(state, "phAAAA", FAC.id)  # staff see a count of private notes, not them
    assert "phAAAA" not in str(project_event(event, OLA)) and "phAAAA" not in str(project_state(state, OLA))
    assert "phAAAA" not in str(project_state(state, FAC))
    mine = project_state(state, KARI)["notes"]
    assert [(n["photo"], n["alt"]) for n in mine if n["id"] == "p1"] == [("phAAAA", "A paper prototype")]

    reveal = do(state, FAC, NotesReveal())
    (revealed,) = [n for n in project_event(reveal, OLA)["data"]["notes"] if n["id"] == "p1"]
    assert (revealed["photo"], revealed["alt"]) == ("phAAAA", "A paper prototype")
    assert photo_visible(state, "phAAAA", None) and photo_visible(state, "phAAAA", OLA.id)

    do(state, KARI, NoteDelete("p1"))
    assert not photo_visible(state, "phAAAA", KARI.id)
    assert not photo_visible(state, "phNONE", KARI.id)


def test_a_photo_note_keeps_its_photo_through_a_snapshot_and_in_the_results() -> None:
    state = room(private=False)
    do(state, KARI, photo_note("p1", "phAAAA", text="Forside"))
    again = codec.decode_state(codec.encode_state(state))
    assert again.notes["p1"].photo == "phAAAA" and again.notes["p1"].alt == "A paper prototype"
    (ranked,) = [n for n in compute(state).notes if n.id == "p1"]
    assert (ranked.photo, ranked.alt, ranked.text) == ("phAAAA", "A paper prototype", "Forside")


def test_photo_notes_are_taller_and_never_overlap() -> None:
    """A photo note's footprint holds its picture; many of them written at the same spot, with
    text notes among them, still land apart."""
    assert note_height("", photo=True) > note_height("Kort")
    assert note_height("Kort tekst", photo=True) > note_height("", photo=True)
    state = room(private=False)
    for i in range(12):
        person = PEOPLE[i % len(PEOPLE)]
        command = photo_note(f"p{i}", f"ph{i:04d}") if i % 2 == 0 else NoteCreate(f"n{i}", "Tekst " * i, "blue", 100, 200)
        do(state, person, command)
    rects = [Rect(n.x, n.y, NOTE_WIDTH, note_height(n.text, n.photo is not None)) for n in state.notes.values()]
    assert not overlapping(rects)


def test_a_photo_on_an_earlier_rounds_board_is_still_shown_and_carried_as_its_words() -> None:
    """Rounds: a photo note shelved with its round is still served (the results page shows
    every round) and its id stays taken; carried into the next round it becomes a text note
    with the photo's description (the picture stays where it was taken)."""
    from server.domain.commands import NotesReveal, PhaseSet, RoundCarry, RoundGo
    from tests.test_domain_rounds import FACI, KARI as RKARI, blt

    state = blt()
    do(state, RKARI, photo_note("p1", "phAAAA", alt="Skisse av skjema"))
    do(state, FACI, NotesReveal())  # BLT's rounds start with private writing
    do(state, FACI, RoundGo("solution"))
    assert "p1" not in state.notes
    assert photo_visible(state, "phAAAA", None)
    do(state, FACI, PhaseSet("write"))
    assert decide(state, RKARI, photo_note("p2", "phAAAA"), 0, LIMITS) == Refused("invalid", {"field": "photo"})
    carried = do(state, FACI, RoundCarry("need", "solution", ("p1",)))
    (note,) = carried.data.notes
    assert note.text == "Skisse av skjema"
    assert all(n.photo is None for n in state.notes.values())
