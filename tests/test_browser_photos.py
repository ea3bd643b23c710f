"""A prototype photo from a phone, in a real Chromium against a real server: the phone picks a
picture (a sketch with EXIF and GPS, made by Pillow), sees it shrunk and sent, is asked to
describe it before the note is saved, and the photo shows with that description as its alt on
the laptop's board, in the phone's list, on the projector's wall and on the published results
page. axe finds nothing on any of them; screenshots go to test-artifacts/ (phone 390×844,
laptop 1366×768, projector 1920×1080)."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.support.browser import (  # noqa: F401
    browser,
    contexts,
    LAPTOP,
    PHONE,
    PROJECTOR,
    assert_accessible,
    join,
    open_page,
    seed,
    server,
    shooter,
    wait_until_sent,
)
from tests.support.servers import TavlaServer

pytestmark = pytest.mark.browser

ALT = "Papirskisse av en timebestilling: tre knapper og et felt for telefonnummer"


shot = shooter("photos")


def sketch_jpeg() -> bytes:
    """A 2400 × 1800 'photo of a paper prototype' with the camera's EXIF and a GPS position."""
    image = Image.new("RGB", (2400, 1800), (250, 248, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((300, 200, 2100, 1600), outline=(30, 30, 30), width=18)
    for i, y in enumerate((450, 800, 1150)):
        draw.rounded_rectangle((500, y, 1900, y + 240), radius=40, outline=(40, 60, 160), width=14)
        draw.line((600, y + 120, 1000 + 200 * i, y + 120), fill=(40, 60, 160), width=20)
    exif = Image.Exif()
    exif[0x010F] = "TestPhone XR-7"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (59.0, 54.0, 36.0), "E", (10.0, 45.0, 0.0)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


def photo_loaded(page: Page, selector: str) -> None:
    """The picture is loaded and decoded (so a screenshot shows it, not a blank box)."""
    page.wait_for_function("s => { const i = document.querySelector(s); return i && i.complete && i.naturalWidth > 0; }",
                           arg=selector)
    page.evaluate("s => document.querySelector(s).decode()", selector)


def test_a_phone_adds_a_photo_that_everyone_sees_with_its_alt(browser: Browser, contexts: list[BrowserContext],  # noqa: F811
                                                             server: TavlaServer) -> None:  # noqa: F811
    room = server.create_room("Test av timebestilling", "nb", phase="write", template="need-solution-test")
    seed(server, room, ("note.create", {"id": "n_a", "text": "Ring heller enn å skrive", "color": "blue", "x": 2800, "y": 200}),
         ("room.update", {"settings": {"private_writing": False}}))  # BLT starts in private; this is about photos
    laptop = open_page(browser, contexts, room["urls"]["facilitator"], size="laptop")
    join(laptop, "Fasilitator")

    phone = open_page(browser, contexts, room["urls"]["participant"], size="phone", view="default")
    join(phone, "Kari", "Helse")

    phone.locator("#list-add").click()
    dialog = phone.locator("#note-dialog")
    expect(dialog).to_be_visible()
    expect(phone.locator("#note-photo-camera-label")).to_be_visible()  # a phone offers the camera too
    phone.locator("#note-photo-file").set_input_files(
        files=[{"name": "skisse.jpg", "mimeType": "image/jpeg", "buffer": sketch_jpeg()}])
    expect(phone.locator("#note-photo-status")).to_have_text("Bildet er sendt. Beskriv det, og lagre lappen.")
    expect(phone.locator("#note-alt")).to_be_visible()
    expect(phone.locator("#note-text-label")).to_have_text("Bildetekst (valgfri)")
    photo_loaded(phone, "#note-photo-img")
    shot(phone, "phone-dialog")
    assert_accessible(phone, "phone note dialog with a photo")

    # Saving without a description: asked for one, and nothing is sent.
    phone.locator("#note-save").click()
    expect(phone.locator("#note-alt-error")).to_be_visible()
    expect(phone.locator("#note-alt")).to_be_focused()
    expect(phone.locator("#note-alt")).to_have_attribute("aria-invalid", "true")
    shot(phone, "phone-alt-asked")
    phone.locator("#note-alt").fill(ALT)
    phone.locator("#note-save").click()
    expect(dialog).to_be_hidden()
    wait_until_sent(phone)

    # The phone's list: a thumbnail with the alt.
    thumb = phone.locator(".list-photo")
    expect(thumb).to_have_count(1)
    expect(thumb).to_have_attribute("alt", ALT)
    photo_loaded(phone, ".list-photo")
    shot(phone, "phone-list")
    assert_accessible(phone, "phone list with a photo note")

    # The laptop's board: the photo on the note, with the alt; the note is no shorter than its
    # photo and text (the server's layout kept room for it: it overlaps nothing).
    on_board = laptop.locator(".note .note-photo")
    expect(on_board).to_have_count(1)
    expect(on_board).to_have_attribute("alt", ALT)
    photo_loaded(laptop, ".note .note-photo")
    overlaps = laptop.evaluate(
        """() => {
            const boxes = [...document.querySelectorAll('.note')].map((n) => n.getBoundingClientRect());
            let hits = 0;
            for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
              const a = boxes[i], b = boxes[j];
              if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) hits++;
            }
            return hits;
        }"""
    )
    assert overlaps == 0
    photo_note = laptop.locator(".note", has=laptop.locator(".note-photo"))
    photo_note.scroll_into_view_if_needed()
    photo_loaded(laptop, ".note .note-photo")
    shot(laptop, "laptop-board")
    assert_accessible(laptop, "laptop board with a photo note")

    # A laptop offers files only (no camera button where there is no touch camera).
    laptop.locator("#add-note").click()
    expect(laptop.locator("#note-photo-file")).to_be_attached()
    expect(laptop.locator("#note-photo-camera-label")).to_be_hidden()
    shot(laptop, "laptop-dialog")
    assert_accessible(laptop, "laptop note dialog")
    laptop.keyboard.press("Escape")
    expect(laptop.locator("#note-dialog")).to_be_hidden()

    # The projector's wall, 1920 × 1080.
    laptop.set_viewport_size(PROJECTOR)
    laptop.locator("#projector-toggle").click()
    expect(laptop.locator("#projector")).to_be_visible()
    wall = laptop.locator("#projector-wall .projector-photo")
    expect(wall).to_have_attribute("alt", ALT)
    photo_loaded(laptop, "#projector-wall .projector-photo")
    shot(laptop, "projector")
    assert_accessible(laptop, "projector wall with a photo")

    # The published results page.
    seed(server, room, ("results.publish", {"published": True}))
    results = open_page(browser, contexts, f"{server.http}/r/{room['code']}/results")
    results.set_viewport_size(LAPTOP)
    on_results = results.locator(".results-photo")
    expect(on_results).to_have_attribute("alt", ALT)
    photo_loaded(results, ".results-photo")
    shot(results, "results-laptop")
    assert_accessible(results, "results page with a photo")
    results.set_viewport_size(PHONE)
    shot(results, "results-phone")

    for page in (phone, laptop, results):
        assert page.errors == [], page.errors  # type: ignore[attr-defined]


def test_a_picture_the_server_refuses_says_why(browser: Browser, contexts: list[BrowserContext],  # noqa: F811
                                               server: TavlaServer) -> None:  # noqa: F811
    """A text file passed off as a picture: the phone says it cannot be read, no photo is
    attached, and a plain note can still be written."""
    room = server.create_room("Test", "en", phase="write")
    phone = open_page(browser, contexts, room["urls"]["participant"], size="phone", view="default")
    join(phone, "Ola")
    phone.locator("#list-add").click()
    phone.locator("#note-photo-file").set_input_files(
        files=[{"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"not a picture at all\n" * 50}])
    expect(phone.locator("#note-photo-error")).to_have_text("This file is not a picture Tavla can read.")
    expect(phone.locator("#note-photo-preview")).to_be_hidden()
    shot(phone, "phone-refused")
    phone.locator("#note-text").fill("A plain note")
    phone.locator("#note-save").click()
    expect(phone.locator(".list-note-text", has_text="A plain note")).to_have_count(1)


def test_a_private_photo_shows_to_its_author_after_a_reload(browser: Browser, contexts: list[BrowserContext],  # noqa: F811
                                                            server: TavlaServer) -> None:  # noqa: F811
    """During private writing only the author may load the photo: after a reload their page
    fetches it with their token (a blob: address), and nobody else's page gets it at all."""
    room = server.create_room("Stille skriving", "sv", phase="write")
    seed(server, room, ("room.update", {"settings": {"private_writing": True}}))
    phone = open_page(browser, contexts, room["urls"]["participant"], size="phone", view="default")
    join(phone, "Kari")
    phone.locator("#list-add").click()
    phone.locator("#note-photo-file").set_input_files(
        files=[{"name": "skiss.jpg", "mimeType": "image/jpeg", "buffer": sketch_jpeg()}])
    expect(phone.locator("#note-photo-status")).to_have_text("Bilden är skickad. Beskriv den och spara lappen.")
    phone.locator("#note-alt").fill("Skiss av ett formulär")
    phone.locator("#note-save").click()
    wait_until_sent(phone)
    phone.reload()
    expect(phone.locator("#connection-status")).to_have_attribute("data-status", "connected")
    thumb = phone.locator(".list-photo")
    expect(thumb).to_have_attribute("alt", "Skiss av ett formulär")
    photo_loaded(phone, ".list-photo")
    assert thumb.get_attribute("src").startswith("blob:")
    shot(phone, "phone-private")

    other = open_page(browser, contexts, room["urls"]["participant"], size="phone", view="default")
    join(other, "Ola")
    expect(other.locator(".list-photo")).to_have_count(0)
    assert phone.errors == [] and other.errors == [], (phone.errors, other.errors)  # type: ignore[attr-defined]


@pytest.mark.parametrize("language", ["en", "sv"])
def test_the_photo_note_dialog_is_axe_clean_in_english_and_swedish(browser: Browser,  # noqa: F811
                                                                  contexts: list[BrowserContext],  # noqa: F811
                                                                  server: TavlaServer, language: str) -> None:  # noqa: F811
    """The nb run above checks every screen; the dialog's new words in en and sv get axe too,
    with a photo chosen and with the missing description flagged."""
    room = server.create_room("Prototype test", language, phase="write")
    phone = open_page(browser, contexts, room["urls"]["participant"], size="phone", view="default")
    join(phone, "Kari")
    phone.locator("#list-add").click()
    phone.locator("#note-photo-file").set_input_files(
        files=[{"name": "sketch.jpg", "mimeType": "image/jpeg", "buffer": sketch_jpeg()}])
    expect(phone.locator("#note-alt")).to_be_visible()
    photo_loaded(phone, "#note-photo-img")
    assert_accessible(phone, f"phone note dialog with a photo ({language})")
    phone.locator("#note-save").click()
    expect(phone.locator("#note-alt-error")).to_be_visible()
    assert_accessible(phone, f"phone note dialog asking for a description ({language})")
    shot(phone, f"phone-dialog-{language}")
    assert phone.errors == [], phone.errors  # type: ignore[attr-defined]
