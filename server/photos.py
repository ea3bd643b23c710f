"""Prototype photos: what the server makes of an uploaded image before anyone else sees it.

A phone's photo carries more than the picture: GPS position, the phone's make and serial, the
time it was taken, an orientation flag, colour profiles, thumbnails. None of it is kept. The
upload is decoded with Pillow (only the four formats a browser sends), its orientation is
applied to the pixels, and a fresh JPEG is encoded from the pixels alone, no longer than
`MAX_SIDE` on its long side. What cannot be decoded, says it is something it is not, or would
take more memory to decode than a photo should (a decompression bomb: a small file that claims
a huge canvas) is refused with a stable code before anything is stored.

Pure in the sense that matters here: bytes in, bytes (or a refusal) out, no I/O; the caller
runs it in a worker thread, since decoding a few megapixels takes tens of milliseconds.
"""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

# What a browser sends (the client re-encodes to JPEG; the others come when it cannot), and the
# Pillow format each must turn out to be. Nothing else is even tried: Pillow's other decoders
# (TIFF, PSD, EPS, …) are attack surface a workshop photo does not need.
CONTENT_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP", "image/gif": "GIF"}
FORMATS = tuple(CONTENT_TYPES.values())

# The long side of a stored photo: sharp on a projector, ~150–400 KB as JPEG.
MAX_SIDE = 1600
JPEG_QUALITY = 82
# Most pixels an upload may claim: 25 MP (a 6000 × 4000 camera image) decodes in ~75 MB; a
# PNG that claims 30000 × 30000 would take 3.6 GB and is refused from its header alone.
MAX_PIXELS = 25_000_000
# Pillow's own bomb check (a warning above this, an error above twice this) agrees with ours,
# so a bomb is refused here even by code that forgot to ask `MAX_PIXELS`.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

CONTENT_TYPE = "image/jpeg"  # of every stored photo


@dataclass(frozen=True, slots=True)
class Photo:
    """A re-encoded photo, ready to store: JPEG bytes with no metadata."""

    data: bytes
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class PhotoRefused:
    """Why an upload was refused: a stable `code` (docs/protocol.md, "Photos") and the limit
    it broke, when there is one."""

    code: str
    max: int | None = None


def new_photo_id() -> str:
    """128 random bits, URL-safe: an id nobody can guess (see `server.photo_edge` for why that
    matters), inside the domain's id pattern."""
    return "ph" + secrets.token_urlsafe(16)


def declared_format(content_type: str | None) -> str | None:
    """The Pillow format a request's Content-Type promises, or None for a type not taken."""
    if not content_type:
        return None
    return CONTENT_TYPES.get(content_type.split(";", 1)[0].strip().lower())


def process(data: bytes, content_type: str | None, max_pixels: int = MAX_PIXELS) -> Photo | PhotoRefused:
    """Check and re-encode one upload. The first frame of an animation is taken (a GIF of a
    paper prototype is still a picture of it); transparency becomes white, as on paper."""
    wanted = declared_format(content_type)
    if wanted is None:
        return PhotoRefused("unsupported_type")
    try:
        with Image.open(io.BytesIO(data), formats=FORMATS) as image:
            if image.format != wanted:
                return PhotoRefused("type_mismatch")
            width, height = image.size
            if width * height > max_pixels or width <= 0 or height <= 0:
                return PhotoRefused("too_many_pixels", max_pixels)
            if image.format == "JPEG":
                # Decode at 1/2, 1/4 or 1/8 scale when that still covers MAX_SIDE on the long
                # side: a 12 MP photo then costs a quarter of the memory and time.
                scale = min(1.0, MAX_SIDE / max(width, height))
                image.draft("RGB", (max(1, int(width * scale)), max(1, int(height * scale))))
            image.seek(0)
            upright = ImageOps.exif_transpose(image)  # the orientation flag applied to the pixels
            flat = _on_white(upright)
            flat.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            # Only the pixels: no exif=, no icc_profile=, no comment — nothing of the original's
            # metadata is written.
            flat.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
            return Photo(out.getvalue(), flat.width, flat.height)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return PhotoRefused("too_many_pixels", max_pixels)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        # Not an image, a truncated or corrupt one, or one Pillow cannot decode.
        return PhotoRefused("not_an_image")


def _on_white(image: Image.Image) -> Image.Image:
    """RGB pixels; whatever was transparent is white."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return image.convert("RGB")
