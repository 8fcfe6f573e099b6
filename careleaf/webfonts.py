"""Atkinson Hyperlegible for the web pages: its four faces as WOFF2, with its licence.

The fonts come from the ``fontpkg-atkinson-hyperlegible`` package, as the leaflets'
and the e-book's do. Each face is compressed to WOFF2 with fontTools (Brotli): about
23 KB a face instead of 55 KB, every glyph kept (the whole font covers Latin scripts;
subsetting it further saved little). A browser loads only the faces a page uses, and
shows the system's own font meanwhile (``font-display: swap``); Arabic and other
scripts the font lacks come from the system's fonts. The SIL Open Font License travels
with them, as it asks: ``html/fonts/OFL.txt``.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import fontpkg

FAMILY = "Atkinson Hyperlegible"
FACES = (  # file name in html/fonts/, weight, style
    ("atkinson-hyperlegible-regular.woff2", 400, "normal"),
    ("atkinson-hyperlegible-italic.woff2", 400, "italic"),
    ("atkinson-hyperlegible-bold.woff2", 700, "normal"),
    ("atkinson-hyperlegible-bold-italic.woff2", 700, "italic"),
)
LICENCE = "OFL.txt"


def _source(weight: int, style: str) -> Path:
    return Path(fontpkg.path(FAMILY, weight, style))


@cache
def woff2(weight: int, style: str) -> bytes:
    """One face of the font, compressed as WOFF2 (the same bytes for the same font)."""
    from fontTools.ttLib import TTFont

    font = TTFont(_source(weight, style), recalcTimestamp=False)
    font.flavor = "woff2"
    buffer = io.BytesIO()
    font.save(buffer, reorderTables=True)
    return buffer.getvalue()


def licence() -> bytes:
    """The font's licence, as its package ships it."""
    return (_source(400, "normal").parent.parent / "LICENSE").read_bytes()


def source_digest() -> str:
    """What the WOFF2 files are made from: the font files' names and sizes (their
    package's version is part of every build's context)."""
    return ";".join(f"{_source(w, s).name}:{_source(w, s).stat().st_size}" for _, w, s in FACES)
