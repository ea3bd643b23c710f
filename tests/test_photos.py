"""Prototype photos end to end: real images made by Pillow, a real server on a real Redis.

Each refusal is checked for its stable code AND for nothing stored (the room's photos hash in
Redis is as it was). What is stored is a fresh JPEG without the original's metadata.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterator

import httpx
import pytest
import redis
from PIL import Image

from tests.support.client import Participant
from tests.support.servers import RedisServer, TavlaServer, wait_until

MAX_UPLOAD = 400_000
MAX_PHOTOS = 3


@pytest.fixture(scope="module")
def redis_db() -> Iterator[RedisServer]:
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def server(redis_db: RedisServer) -> Iterator[TavlaServer]:
    tavla = TavlaServer(redis_db.url, MAX_PHOTO_UPLOAD_BYTES=str(MAX_UPLOAD), MAX_PHOTOS_PER_ROOM=str(MAX_PHOTOS),
                        PHOTOS_PER_MINUTE="100").start()
    yield tavla
    tavla.stop()


def photos_in_redis(redis_db: RedisServer, code: str) -> dict[bytes, bytes]:
    client = redis.Redis.from_url(redis_db.url)
    try:
        return client.hgetall(f"room:{{{code}}}:photos")
    finally:
        client.close()


def jpeg_with_gps(size: tuple[int, int] = (64, 32), orientation: int = 6) -> bytes:
    """A landscape JPEG whose EXIF says: rotate 90° to show it, taken at 59.9 N 10.7 E, by a
    phone called TestPhone XR-7."""
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, size[0] // 2, size[1]))  # left half blue
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "TestPhone XR-7"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (59.0, 54.0, 36.0), "E", (10.0, 45.0, 0.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def png(size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, (0, 128, 0, 128)).save(out, "PNG")
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A real, tiny PNG whose header claims `width` × `height` pixels (a decompression bomb's
    first line: the decoder would allocate for the claim)."""
    data = bytearray(png((1, 1)))
    ihdr = 8 + 8  # signature, then the IHDR chunk's length and type
    data[ihdr:ihdr + 8] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[ihdr - 4:ihdr + 13])) & 0xFFFFFFFF
    data[ihdr + 13:ihdr + 17] = struct.pack(">I", crc)
    return bytes(data)


def animated_gif() -> bytes:
    frames = [Image.new("P", (20, 20), i) for i in (1, 2, 3)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return out.getvalue()


async def joined(server: TavlaServer, room: dict, name: str = "Kari", **kw) -> Participant:  # type: ignore[type-arg]
    person = Participant(server.ws, room["code"], name=name, **kw)
    await person.connect()
    return person


def upload(server: TavlaServer, code: str, token: str | None, body: bytes, content_type: str) -> httpx.Response:
    headers = {"Content-Type": content_type}
    if token is not None:
        headers["X-Tavla-Token"] = token
    return httpx.post(f"{server.http}/r/{code}/photos", content=body, headers=headers, timeout=20)


async def test_a_phone_photo_is_stored_upright_without_its_metadata(server: TavlaServer, redis_db: RedisServer) -> None:
    """A JPEG with GPS, a maker and an orientation flag: the stored photo is turned the way the
    flag said, and has no EXIF at all; the note that carries it shows it with its alt."""
    room = server.create_room()
    kari = await joined(server, room)
    original = jpeg_with_gps()
    assert b"TestPhone" in original and Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)
    answer = upload(server, room["code"], kari.token, original, "image/jpeg")
    assert answer.status_code == 201, answer.text
    photo_id = answer.json()["photo"]
    assert (answer.json()["width"], answer.json()["height"]) == (32, 64)  # turned upright

    stored = photos_in_redis(redis_db, room["code"])[photo_id.encode()]
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG" and image.size == (32, 64)
    assert not image.getexif() and "exif" not in image.info and "icc_profile" not in image.info
    assert b"TestPhone" not in stored and b"Exif" not in stored

    ack = await kari.create_note("p1", text="", photo=photo_id, alt="A paper prototype of the booking form")
    assert ack["type"] == "ack", ack
    assert kari.notes["p1"]["photo"] == photo_id and kari.notes["p1"]["alt"].startswith("A paper")
    served = httpx.get(f"{server.http}/r/{room['code']}/photos/{photo_id}")
    assert served.status_code == 200 and served.content == stored
    assert served.headers["content-type"] == "image/jpeg"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert "immutable" in served.headers["cache-control"]
    await kari.close()


@pytest.mark.parametrize(
    ("name", "body", "content_type", "status", "code"),
    [
        ("a text file named .jpg", b"these are my notes, not a picture\n" * 20, "image/jpeg", 422, "not_an_image"),
        ("a PNG declared as a GIF", png(), "image/gif", 415, "type_mismatch"),
        ("a PDF", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "application/pdf", 415, "unsupported_type"),
        ("a bomb: a small PNG that claims 30000 x 30000", png_claiming(30_000, 30_000), "image/png", 413, "too_many_pixels"),
        ("a truncated JPEG", jpeg_with_gps()[:200], "image/jpeg", 422, "not_an_image"),
        ("an oversized file", b"\xff\xd8\xff" + bytes(MAX_UPLOAD + 10), "image/jpeg", 413, "too_large"),
    ],
    ids=lambda v: v if isinstance(v, str) and " " in v else None,
)
async def test_bad_uploads_are_refused_with_a_code_and_nothing_stored(
    server: TavlaServer, redis_db: RedisServer, name: str, body: bytes, content_type: str, status: int, code: str
) -> None:
    room = server.create_room()
    kari = await joined(server, room)
    answer = upload(server, room["code"], kari.token, body, content_type)
    assert answer.status_code == status, (name, answer.text)
    assert answer.json()["error"] == code
    assert answer.json()["message"]
    assert photos_in_redis(redis_db, room["code"]) == {}
    await kari.close()


async def test_only_a_participant_who_may_write_may_upload(server: TavlaServer, redis_db: RedisServer) -> None:
    """No token, someone else's made-up token, or a closed board: refused, nothing stored."""
    room = server.create_room()
    assert upload(server, room["code"], None, png(), "image/png").json()["error"] == "forbidden"
    assert upload(server, room["code"], "x" * 32, png(), "image/png").json()["error"] == "forbidden"
    lobby = server.create_room(phase="lobby")
    kari = await joined(server, lobby)
    answer = upload(server, lobby["code"], kari.token, png(), "image/png")
    assert answer.status_code == 403 and answer.json()["error"] == "phase"
    assert upload(server, "ZZZZZZ", kari.token, png(), "image/png").status_code in (403, 404)
    assert photos_in_redis(redis_db, room["code"]) == {} and photos_in_redis(redis_db, lobby["code"]) == {}
    await kari.close()


async def test_a_room_takes_only_so_many_photos(server: TavlaServer, redis_db: RedisServer) -> None:
    room = server.create_room()
    kari = await joined(server, room)
    for _ in range(MAX_PHOTOS):
        assert upload(server, room["code"], kari.token, png(), "image/png").status_code == 201
    answer = upload(server, room["code"], kari.token, png(), "image/png")
    assert answer.status_code == 409 and answer.json() | {"message": ""} == {"error": "too_many_photos", "max": MAX_PHOTOS, "message": ""}
    assert len(photos_in_redis(redis_db, room["code"])) == MAX_PHOTOS
    await kari.close()


async def test_an_animation_keeps_its_first_frame(server: TavlaServer, redis_db: RedisServer) -> None:
    room = server.create_room()
    kari = await joined(server, room)
    answer = upload(server, room["code"], kari.token, animated_gif(), "image/gif")
    assert answer.status_code == 201, answer.text
    stored = Image.open(io.BytesIO(photos_in_redis(redis_db, room["code"])[answer.json()["photo"].encode()]))
    assert stored.format == "JPEG" and getattr(stored, "n_frames", 1) == 1
    await kari.close()


async def test_a_private_photo_is_shown_to_its_author_only_until_the_reveal(server: TavlaServer,
                                                                            redis_db: RedisServer) -> None:
    """During private writing nobody else can load the photo, even knowing its id; the author
    can (with their token); after the reveal everyone can. A photo no note uses is served to
    nobody; a deleted note's photo is gone from the store."""
    room = server.create_room()
    fac = await joined(server, room, name="Fac", key=room["facilitator_key"])
    assert (await fac.op("room.update", settings={"private_writing": True}))["type"] == "ack"
    kari = await joined(server, room)
    ola = await joined(server, room, name="Ola")
    photo_id = upload(server, room["code"], kari.token, png(), "image/png").json()["photo"]
    url = f"{server.http}/r/{room['code']}/photos/{photo_id}"
    assert httpx.get(url).status_code == 404  # uploaded, not on a note yet
    assert (await kari.create_note("p1", text="Skisse", photo=photo_id, alt="Skisse av skjema"))["type"] == "ack"
    assert "p1" not in ola.notes
    assert httpx.get(url).status_code == 404
    assert httpx.get(url, headers={"X-Tavla-Token": ola.token}).status_code == 404
    assert httpx.get(url, headers={"X-Tavla-Token": kari.token}).status_code == 200

    assert (await fac.op("notes.reveal"))["type"] == "ack"
    await ola.wait_for(lambda: "p1" in ola.notes, what="the revealed photo note")
    assert ola.notes["p1"]["photo"] == photo_id and ola.notes["p1"]["alt"] == "Skisse av skjema"
    assert httpx.get(url).status_code == 200

    assert (await kari.op("note.delete", id="p1"))["type"] == "ack"
    assert httpx.get(url).status_code == 404
    wait_until(lambda: photo_id.encode() not in photos_in_redis(redis_db, room["code"]),
               what="the deleted note's photo leaving the store")
    for person in (fac, kari, ola):
        await person.close()


async def test_a_photo_note_needs_its_alt_text(server: TavlaServer) -> None:
    room = server.create_room()
    kari = await joined(server, room)
    photo_id = upload(server, room["code"], kari.token, png(), "image/png").json()["photo"]
    refused = await kari.create_note("p1", text="", photo=photo_id, alt="  ")
    assert refused["type"] == "error" and refused["code"] == "invalid" and refused["params"]["field"] == "alt"
    assert "p1" not in kari.notes
    await kari.close()


async def test_photos_are_gone_from_redis_when_the_room_is_deleted(server: TavlaServer, redis_db: RedisServer) -> None:
    room = server.create_room()
    fac = await joined(server, room, name="Fac", key=room["facilitator_key"])
    photo_id = upload(server, room["code"], fac.token, png(), "image/png").json()["photo"]
    assert photos_in_redis(redis_db, room["code"])
    client = redis.Redis.from_url(redis_db.url)
    assert 0 < client.ttl(f"room:{{{room['code']}}}:photos") <= client.ttl(f"room:{{{room['code']}}}:meta") + 1
    assert (await fac.create_note("p1", text="", photo=photo_id, alt="A sketch"))["type"] == "ack"
    await fac.send({"type": "op", "id": "bye", "op": "room.delete", "args": {}})
    await fac.wait_closed()
    assert photos_in_redis(redis_db, room["code"]) == {}
    assert client.keys(f"*{room['code']}*") == []
    client.close()
    assert httpx.get(f"{server.http}/r/{room['code']}/photos/{photo_id}").status_code == 404


def test_uploaded_on_one_process_served_by_another(tavla_pair: tuple[TavlaServer, TavlaServer]) -> None:
    """Two processes, one Redis: a photo uploaded through A and put on a note through A is
    served by B, which has never seen the room before."""
    import asyncio

    a, b = tavla_pair

    async def run() -> None:
        room = a.create_room()
        kari = await joined(a, room)
        answer = upload(a, room["code"], kari.token, jpeg_with_gps(), "image/jpeg")
        assert answer.status_code == 201, answer.text
        photo_id = answer.json()["photo"]
        assert (await kari.create_note("p1", text="", photo=photo_id, alt="A sketch"))["type"] == "ack"
        served = httpx.get(f"{b.http}/r/{room['code']}/photos/{photo_id}")
        assert served.status_code == 200 and served.headers["content-type"] == "image/jpeg"
        assert Image.open(io.BytesIO(served.content)).size == (32, 64)
        await kari.close()

    asyncio.run(run())


async def test_exports_name_a_photo_by_its_alt_and_id_never_its_bytes(server: TavlaServer) -> None:
    room = server.create_room()
    fac = await joined(server, room, name="Fac", key=room["facilitator_key"])
    photo_id = upload(server, room["code"], fac.token, jpeg_with_gps(), "image/jpeg").json()["photo"]
    assert (await fac.create_note("p1", text="Forside", photo=photo_id, alt="Skisse av forsiden"))["type"] == "ack"
    assert (await fac.op("results.publish", published=True))["type"] == "ack"
    base = f"{server.http}/r/{room['code']}/export"
    markdown = httpx.get(f"{base}.md").text
    assert "Forside \\(Photo: Skisse av forsiden\\)" in markdown  # Markdown-escaped
    csv = httpx.get(f"{base}.csv").content.decode("utf-8-sig")
    assert "Forside (Photo: Skisse av forsiden)" in csv
    exported = httpx.get(f"{base}.json")
    assert photo_id in exported.text and "Skisse av forsiden" in exported.text
    assert len(exported.content) < 20_000  # ids and words, not a JPEG
    page = httpx.get(f"{server.http}/r/{room['code']}/results").text
    assert f'src="/r/{room["code"]}/photos/{photo_id}" alt="Skisse av forsiden"' in page
    await fac.close()
