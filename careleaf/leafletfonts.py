"""The fonts of a leaflet: each as its stylesheet names it (``FontFace``, served from
memory by its digest), the ones every worker gets once (``shared_fonts``), the ones a
leaflet is set in (``faces_for``) and the static instances made of variable fonts for
it (``made_fonts``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from careleaf.fetcher import FONTS_URL
from careleaf.fontset import FontSet
from careleaf.glyphs import Font
from careleaf.library import Library
from careleaf.output import INTERNAL
from careleaf.problems import Problem, error

CLINIC_FONT_HINT = "use the font's static files (one per weight), or another copy of the font"


class FontFace:
    """A leaflet font as the stylesheet names it: served from memory by its digest."""

    def __init__(self, font: Font) -> None:
        self.font = font
        self.family, self.weight, self.style = font.family, font.weight, font.style
        self.unicode_range = font.unicode_range
        self.digest = font.digest  # of its file (and instancing settings): nothing is made
        self.url = FONTS_URL + self.digest


@cache
def font_faces(fonts: FontSet) -> tuple[FontFace, ...]:
    """Every leaflet font, in the order of the font stack."""
    return tuple(FontFace(font) for font in fonts.fonts)


def shared_fonts(fonts: FontSet) -> dict[str, bytes]:
    """The fonts every worker gets once, by digest: the static ones (a font made from a
    variable one, Noto Emoji, travels with the few leaflets that use it)."""
    faces = font_faces(fonts)
    return {face.digest: face.font.data() for face in faces if not face.font.generated}


def faces_for(fonts: FontSet, html: str, clinic: tuple[Font, ...] = ()) -> tuple[FontFace, ...]:
    """The fonts a leaflet of ``html`` is set in (``careleaf.fontset.FontSet.fonts_for``;
    of the clinic's fonts, ``clinic``)."""
    wanted = set(fonts.fonts_for(html, clinic))
    return tuple(face for face in font_faces(fonts) if face.font in wanted)


def made_fonts(
    library: Library, faces: tuple[FontFace, ...]
) -> tuple[tuple[tuple[str, bytes], ...], list[Problem]]:
    """The bytes of the leaflet's made fonts (static instances of variable ones, made once
    and kept in the output folder's cache for the next build), by digest; a clinic's
    font that cannot be made static is C111 at its careleaf.toml line."""
    cache = library.output / INTERNAL / "fonts"
    made: list[tuple[str, bytes]] = []
    problems: list[Problem] = []
    for face in faces:
        if not face.font.generated:
            continue
        try:
            made.append((face.digest, face.font.data(cache)))
        except Exception as exc:  # fontTools' instancer raises many kinds for a damaged font
            clinic = next((c for c in library.config.fonts if face.font in c.faces), None)
            if clinic is None:  # careleaf's own fonts are made in its tests
                raise
            path = library.config.path or Path("careleaf.toml")
            message = f"the font '{face.family}' could not be made static: {exc}"[:300]
            problems.append(error(path, clinic.line, "C111", message, hint=CLINIC_FONT_HINT))
    return tuple(made), problems
