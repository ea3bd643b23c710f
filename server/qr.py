"""The QR code of a session's participant link, as SVG: what a facilitator projects so that a
room full of phones can join without typing. segno is a small pure-Python encoder with no
dependencies; the SVG it writes scales to any size and prints sharply."""

from __future__ import annotations

import io

import segno


def join_qr_svg(link: str, title: str) -> str:
    """An SVG of `link` with a four-module quiet zone, black on white (what every phone camera
    reads, in dark mode too), sized by its viewBox so CSS decides how large it is."""
    code = segno.make(link, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="svg", scale=1, border=4, dark="#000", light="#fff", xmldecl=False,
              omitsize=True, title=title, nl=False)
    return out.getvalue().decode("utf-8")
