"""Feedback where people look, in a real Chromium against a real Tavla process: "Time is up"
goes away with a new phase, a reset, a restart or a dismissal; during private writing the
facilitator's and coach's empty board says how many hidden notes from how many people exist
(and no participant's socket ever carries those counts); toasts for a coach's hint (staff only,
never on a projected screen), published results (with the link) and a note moved to a group; the
small private badge. Screenshots of each state go to test-artifacts/."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from websockets.sync.client import connect

from tests.support.browser import (  # noqa: F401
    add_note,
    axe_violations,
    browser,
    close_panel,
    contexts,
    join,
    open_panel,
    page_at,
    seed,
    server,
    shot,
    start_phase,
    wait_until_sent,
)
from tests.support.servers import TavlaServer

pytestmark = pytest.mark.browser





def write_as(server: TavlaServer, room: dict, name: str, *texts: str) -> None:  # type: ignore[type-arg]
    """A participant named `name` writes `texts` over a plain socket; each note acknowledged."""
    with connect(f"{server.ws}/r/{room['code']}/ws") as ws:
        ws.send(json.dumps({"type": "hello", "protocol": 1, "name": name}))
        for i, text in enumerate(texts):
            op_id = f"{name}-{i}"
            ws.send(json.dumps({"type": "op", "id": op_id, "op": "note.create",
                                "args": {"id": f"{name}{i}", "text": text, "color": "blue", "x": 200 + 240 * i, "y": 300}}))
            while (frame := json.loads(ws.recv(timeout=10))).get("id") != op_id:
                pass
            assert frame["type"] == "ack", frame


def run_out(server: TavlaServer, room: dict) -> None:  # type: ignore[type-arg]
    """A one-minute timer, then a minute taken off: time is up now."""
    seed(server, room, ("timer.start", {"duration_ms": 60_000}), ("timer.add", {"ms": -60_000}))


def test_time_is_up_clears_with_phase_reset_restart_and_dismiss(browser: Browser, contexts: list[BrowserContext],  # noqa: F811
                                                                server: TavlaServer) -> None:  # noqa: F811
    room = server.create_room("Tid", phase="write")
    facilitator = page_at(browser, contexts, room["urls"]["facilitator"], "laptop")
    join(facilitator, "Kari")
    phone = page_at(browser, contexts, room["urls"]["participant"], "phone")
    join(phone, "Ola")
    pages = (facilitator, phone)

    def up_everywhere() -> None:
        for page in pages:
            expect(page.locator("#timer-up")).to_be_visible()
            expect(page.locator("#timer-up .timer-up-text")).to_have_text("Time is up")

    # A new phase: "Time is up" belonged to the one before, on every device and for late joiners.
    run_out(server, room)
    up_everywhere()
    shot(phone, "feedback-time-up-phone")
    shot(facilitator, "feedback-time-up-laptop")
    assert axe_violations(phone) == []
    start_phase(facilitator, "cluster")
    for page in pages:
        expect(page.locator("#timer-up")).to_be_hidden()
        expect(page.locator("#timer-box")).to_be_hidden()
    late = page_at(browser, contexts, room["urls"]["participant"], "laptop")
    join(late, "Per")
    expect(late.locator("#phase-banner")).to_have_attribute("data-phase", "cluster")
    expect(late.locator("#timer-up")).to_be_hidden()
    pages = (facilitator, phone, late)

    # Reset.
    run_out(server, room)
    up_everywhere()
    open_panel(facilitator, "facilitator")
    facilitator.locator("#timer-reset").click()
    for page in pages:
        expect(page.locator("#timer-up")).to_be_hidden()

    # Started again.
    run_out(server, room)
    up_everywhere()
    facilitator.locator("#timer-preset-1").click()
    for page in pages:
        expect(page.locator("#timer-up")).to_be_hidden()
        expect(page.locator("#timer")).to_have_text(re.compile(r"^0[01]:\d{2}$"))

    # Dismissed on one phone: gone there (also after a reload), still on the others; the timer
    # itself still says 00:00. The next time it runs out, it says so again.
    run_out(server, room)
    up_everywhere()
    dismiss = phone.get_by_role("button", name="Dismiss “Time is up”")
    expect(dismiss).to_be_visible()
    dismiss.click()
    expect(phone.locator("#timer-up")).to_be_hidden()
    expect(phone.locator("#timer")).to_have_text("00:00")
    expect(facilitator.locator("#timer-up")).to_be_visible()
    phone.reload()
    expect(phone.locator("#connection-status")).to_have_attribute("data-status", "connected")
    expect(phone.locator("#timer")).to_have_text("00:00")
    expect(phone.locator("#timer-up")).to_be_hidden()
    run_out(server, room)
    expect(phone.locator("#timer-up")).to_be_visible()
    assert all(p.errors == [] for p in pages), [p.errors for p in pages]  # type: ignore[attr-defined]


def test_staff_see_how_many_hidden_notes_exist_and_participants_never_get_the_counts(
        browser: Browser, contexts: list[BrowserContext], server: TavlaServer) -> None:  # noqa: F811
    room = server.create_room("Skolevei", "nb", phase="lobby")
    seed(server, room, ("room.update", {"settings": {"private_writing": True}}), ("phase.set", {"phase": "write"}))
    frames: list[str] = []
    participant = page_at(browser, contexts, room["urls"]["participant"], "phone", frames, view="canvas")
    join(participant, "Siri")
    facilitator = page_at(browser, contexts, room["urls"]["facilitator"], "laptop")
    join(facilitator, "Kari")
    coach = page_at(browser, contexts, room["urls"]["coach"], "laptop")
    join(coach, "Cecilie")
    hint = {page: page.locator("#empty-hint") for page in (participant, facilitator, coach)}

    expect(hint[facilitator]).to_have_text("Ingen lapper ennå. Deltakernes lapper er skjult til du viser dem.")
    write_as(server, room, "Ola", "Lys i krysset")
    expect(hint[facilitator]).to_have_text("1 skjult lapp fra 1 person. Alle ser dem når du viser lappene.")
    write_as(server, room, "Per", "Fartsdump", "Gangfelt ved skolen")
    write_as(server, room, "Liv", "Skolepatrulje", "Bedre brøyting")
    expect(hint[facilitator]).to_have_text("5 skjulte lapper fra 3 personer. Alle ser dem når du viser lappene.")
    expect(hint[coach]).to_have_text("5 skjulte lapper fra 3 personer. Alle ser dem når fasilitatoren viser lappene.")
    expect(hint[participant]).to_have_text("Ingen lapper ennå. Velg «Legg til lapp» for å skrive den første.")
    shot(facilitator, "feedback-hidden-notes-laptop")
    # A facilitator on a phone sees the list, and the list says the same; it follows new notes.
    pocket = page_at(browser, contexts, room["urls"]["facilitator"], "phone", view="list")
    join(pocket, "Kari")
    expect(pocket.locator("#list-empty")).to_have_text("5 skjulte lapper fra 3 personer. Alle ser dem når du viser lappene.")
    write_as(server, room, "Nils", "Refleksvester")
    expect(pocket.locator("#list-empty")).to_have_text("6 skjulte lapper fra 4 personer. Alle ser dem når du viser lappene.")
    shot(pocket, "feedback-hidden-notes-list-phone")
    assert axe_violations(facilitator) == []

    # The participant's own private note: a lock and "Privat" on the note, the sentence for
    # screen readers; the badge takes a small part of the note.
    add_note(participant, "Voksne i krysset")
    mine = participant.locator("[data-note-id].is-mine")
    badge = mine.locator(".note-badge-hidden")
    expect(badge).to_be_visible()
    expect(badge).to_have_text(re.compile(r"^Privat"))
    expect(badge.locator(".visually-hidden")).to_have_text("Bare du ser denne lappen til fasilitatoren viser lappene")
    badge_box, note_box = badge.bounding_box(), mine.bounding_box()
    assert badge_box and note_box and badge_box["width"] * badge_box["height"] < 0.12 * note_box["width"] * note_box["height"]
    expect(mine).to_have_accessible_name(re.compile("Bare du ser denne lappen"))
    expect(hint[participant]).to_be_hidden()
    shot(participant, "feedback-private-badge-phone")
    expect(hint[facilitator]).to_have_text("7 skjulte lapper fra 5 personer. Alle ser dem når du viser lappene.")

    # On the projector the same counts, large.
    facilitator.set_viewport_size({"width": 1920, "height": 1080})
    facilitator.locator("#projector-toggle").click()
    expect(facilitator.locator("#projector-empty")).to_have_text(
        "7 skjulte lapper fra 5 personer. Alle ser dem når fasilitatoren viser lappene.")
    shot(facilitator, "feedback-hidden-notes-projector")
    facilitator.keyboard.press("Escape")

    wait_until_sent(participant)
    participant.reload()
    expect(participant.locator("#connection-status")).to_have_attribute("data-status", "connected")
    expect(participant.locator("[data-note-id]")).to_have_count(1)
    joined = "\n".join(frames)
    assert frames and "welcome" in joined
    for secret in ("hidden_counts", "hidden.count", "Lys i krysset", "Fartsdump", "Skolepatrulje", "Refleksvester"):
        assert secret not in joined, secret


def test_toasts_reach_the_right_people(browser: Browser, contexts: list[BrowserContext],  # noqa: F811
                                       server: TavlaServer) -> None:  # noqa: F811
    room = server.create_room("Skolevei", phase="cluster")
    seed(server, room, ("cluster.create", {"id": "g1", "title": "Trygg kryssing", "x": 80, "y": 80}))
    facilitator = page_at(browser, contexts, room["urls"]["facilitator"], "laptop")
    join(facilitator, "Kari")
    coach = page_at(browser, contexts, room["urls"]["coach"], "laptop")
    join(coach, "Cecilie")
    other_coach = page_at(browser, contexts, room["urls"]["coach"], "laptop")
    join(other_coach, "Carl")
    phone = page_at(browser, contexts, room["urls"]["participant"], "phone", view="canvas")
    join(phone, "Ola")
    everyone = (facilitator, coach, other_coach, phone)

    def toast(page: Page, text: str):  # type: ignore[no-untyped-def]
        return page.locator("#toasts .toast", has_text=text)

    # A coach's hint: a toast for the facilitator and the other coach (when not reading the
    # hints already: a coach's page opens with them), none for its writer or for participants
    # (whose sockets never carry hints).
    close_panel(other_coach, "hints")
    open_panel(coach, "hints")
    coach.locator("#hint-text").fill("Spør de stille først")
    coach.locator("#hint-send").click()
    expect(toast(facilitator, "Spør de stille først")).to_be_visible()
    expect(toast(other_coach, "Spør de stille først")).to_be_visible()
    shot(facilitator, "feedback-hint-toast-laptop")
    wait_until_sent(coach)
    for page in (coach, phone):
        expect(toast(page, "Spør de stille først")).to_have_count(0)

    # In projector mode a hint is no toast: the room would read it. Screen readers still hear it.
    facilitator.locator("#projector-toggle").click()
    expect(facilitator.locator("#projector")).to_be_visible()
    coach.locator("#hint-text").fill("Husk pausen")
    coach.locator("#hint-send").click()
    expect(toast(other_coach, "Husk pausen")).to_be_visible()
    expect(facilitator.locator("#announcer")).to_contain_text("Husk pausen")
    expect(toast(facilitator, "Husk pausen")).to_have_count(0)
    facilitator.get_by_role("button", name="Exit projector mode").click()

    # A note moved to a group: a toast for the person who moved it, and no one else.
    add_note(phone, "Lys i fotgjengerfeltet")
    mine = phone.locator("[data-note-id].is-mine")
    wait_until_sent(phone)
    mine.tap()
    phone.get_by_label("Move to group").select_option(label="Trygg kryssing")
    phone.locator("#note-save").click()
    expect(toast(phone, "Note put in the group “Trygg kryssing”.")).to_be_visible()
    shot(phone, "feedback-moved-toast-phone")
    wait_until_sent(phone)
    for page in (facilitator, coach):
        expect(page.locator(f"[data-note-id='{mine.get_attribute('data-note-id')}']")).to_have_attribute("data-cluster", "g1")
        expect(toast(page, "Note put in the group")).to_have_count(0)

    # Results published: participants and coaches get a toast with the link; the facilitator
    # who published them does not.
    open_panel(facilitator, "facilitator")
    facilitator.locator("#publish-toggle").check()
    for page in (phone, coach, other_coach):
        published = toast(page, "The results are published.")
        expect(published).to_be_visible()
        link = published.get_by_role("link", name=re.compile("^Open the results"))
        expect(link).to_have_attribute("href", f"/r/{room['code']}/results")
        expect(link).to_have_attribute("target", "_blank")
    shot(phone, "feedback-results-toast-phone")
    assert axe_violations(phone) == []
    wait_until_sent(facilitator)
    expect(toast(facilitator, "The results are published.")).to_have_count(0)
    assert all(p.errors == [] for p in everyone), [p.errors for p in everyone]  # type: ignore[attr-defined]
