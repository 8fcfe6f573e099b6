"""The leaflets' fonts, and the characters they can show.

Fonts come from Python packages (fontpkg), never from the computer: Atkinson
Hyperlegible, made for readers with low vision; IBM Plex Sans Arabic, a static font
(with a variable Arabic font the text extracted from the PDF was not the text on
the page); and Noto Sans for the letters of other alphabets Atkinson Hyperlegible
lacks (Greek, Cyrillic, Vietnamese). A character none of them has would be drawn by
whatever font the computer has, or not at all; ``missing_glyphs`` makes it a problem.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

import fontpkg
import pikepdf
from fontTools.ttLib import TTFont

from careleaf import characters
from careleaf.markup import Article
from careleaf.problems import Problem, error


@dataclass(frozen=True)
class Font:
    family: str
    path: Path
    weight: int
    style: str

    @property
    def url(self) -> str:
        return self.path.as_uri()


@cache
def leaflet_fonts() -> tuple[Font, ...]:
    """The fonts leaflets are set in: static font files from fontpkg packages."""
    fonts = [
        Font("Atkinson Hyperlegible", fontpkg.path("Atkinson Hyperlegible", w, s), w, s)
        for w in (400, 700)
        for s in ("normal", "italic")
    ]
    fonts += [
        Font("IBM Plex Sans Arabic", fontpkg.path("IBM Plex Sans Arabic", w), w, "normal")
        for w in (400, 700)
    ]
    fonts += [  # one variable font file per style; bold comes from its weight axis
        Font("Noto Sans", fontpkg.path("Noto Sans", 400, s), 400, s) for s in ("normal", "italic")
    ]
    return tuple(fonts)


@cache
def covered_characters() -> frozenset[int]:
    """Every character some leaflet font has a glyph for."""
    covered: set[int] = set()
    for font in leaflet_fonts():
        with TTFont(font.path, lazy=True) as ttfont:
            covered.update(ttfont.getBestCmap())
    return frozenset(covered)


def missing_glyphs(article: Article) -> list[Problem]:
    """A character no leaflet font can show would come from the machine's fonts: refuse it."""
    covered = covered_characters()
    problems: list[Problem] = []
    m = article.manuscript
    sources = (f"{source.title} {source.url}" for source in m.sources)
    text = "\n".join((m.title, m.summary, article.text, *sources))
    seen: set[str] = set()
    for char in text:
        if ord(char) in covered or char in seen or not characters.needs_glyph(char):
            continue
        seen.add(char)
        lines = m.path.read_text(encoding="utf-8-sig").split("\n") if m.path.is_file() else []
        line = next((n for n, t in enumerate(lines, start=1) if char in t), 1)
        name = unicodedata.name(char, f"U+{ord(char):04X}")
        problems.append(
            error(
                m.path,
                line,
                "P603",
                f"the character '{char}' ({name}) is in none of the leaflet fonts",
                hint="write it another way, or ask for a font that has it",
            )
        )
    return problems


def foreign_fonts(pdf: bytes) -> list[str]:
    """Fonts of a rendered leaflet that are not careleaf's: the computer's fonts, which
    WeasyPrint falls back to for a character none of careleaf's fonts has (a character
    in the clinic's details or in a layout, where ``missing_glyphs`` does not look)."""
    families = "|".join(re.escape(f.family.replace(" ", "-")) for f in leaflet_fonts())
    ours = re.compile(rf"({families})(-Bold)?(-Italic)?")
    found = set()
    with pikepdf.open(BytesIO(pdf)) as document:
        for page in document.pages:
            resources = page.obj.get("/Resources", pikepdf.Dictionary())
            fonts = resources.get("/Font", pikepdf.Dictionary())
            for font in fonts.values():
                name = str(font.get("/BaseFont", "/"))[1:].split("+")[-1]
                if not ours.fullmatch(name):
                    found.add(name)
    return sorted(found)
