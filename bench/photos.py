"""What one prototype photo costs the server: `server.photos.process` (decode, turn upright,
scale to 1600 px, re-encode without metadata) on the two inputs it meets — the JPEG the
browser sends (already ~1600 px) and a phone's original when the browser could not shrink it
(12 MP) — plus a PNG screenshot and a decompression bomb (refused from its header). Time per
photo (median and worst of N), the stored size, and the process's peak resident memory.

    .venv/bin/python -m bench.photos [--repeat 10]

Numbers go in docs/performance.md ("Prototype photos"); nothing here is asserted by a test.
"""

from __future__ import annotations

import argparse
import io
import random
import resource
import statistics
import struct
import time
import zlib

from PIL import Image, ImageDraw

from server import photos


def phone_photo(width: int, height: int, seed: int = 1) -> bytes:
    """A photo-like JPEG (paper, pen strokes, noise: JPEG cannot shrink it to nothing)."""
    rng = random.Random(seed)
    image = Image.effect_noise((width, height), 24).convert("RGB")
    paper = Image.new("RGB", (width, height), (238, 232, 218))
    image = Image.blend(paper, image, 0.25)
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y = rng.randrange(width), rng.randrange(height)
        draw.line((x, y, x + rng.randrange(-width // 4, width // 4), y + rng.randrange(-200, 200)),
                  fill=(30, 40, 120), width=max(2, width // 300))
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


def screenshot_png(width: int = 1920, height: int = 1080) -> bytes:
    image = Image.new("RGB", (width, height), (250, 250, 250))
    draw = ImageDraw.Draw(image)
    for i in range(0, height, 40):
        draw.rectangle((100, i + 5, 100 + (i * 7) % 1500, i + 30), fill=(60, 90, 160))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def bomb_png(width: int = 30_000, height: int = 30_000) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1, 1)).save(out, "PNG")
    data = bytearray(out.getvalue())
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])) & 0xFFFFFFFF)
    return bytes(data)


def measure(name: str, data: bytes, content_type: str, repeat: int) -> dict[str, object]:
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = photos.process(data, content_type)
        times.append((time.perf_counter() - start) * 1000)
    stored = f"{len(result.data) / 1024:.0f} KB {result.width}×{result.height}" if isinstance(result, photos.Photo) \
        else f"refused: {result.code}"  # type: ignore[union-attr]
    return {"input": name, "bytes in": f"{len(data) / 1024:.0f} KB", "median ms": round(statistics.median(times), 1),
            "max ms": round(max(times), 1), "stored": stored}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    cases = [
        ("browser-shrunk JPEG 1600×1200", phone_photo(1600, 1200), "image/jpeg"),
        ("phone original JPEG 4032×3024 (12 MP)", phone_photo(4032, 3024), "image/jpeg"),
        ("PNG screenshot 1920×1080", screenshot_png(), "image/png"),
        ("PNG bomb claiming 30000×30000", bomb_png(), "image/png"),
    ]
    rows = [measure(name, data, kind, args.repeat) for name, data, kind in cases]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("| input | bytes in | median ms | max ms | stored |")
    print("|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(str(v) for v in row.values()) + " |")
    print(f"\npeak resident memory of the process: {peak_mb:.0f} MB (repeat={args.repeat})")


if __name__ == "__main__":
    main()
