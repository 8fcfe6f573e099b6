"""The fonts of one project's leaflets, and what they cover: careleaf's own
(``careleaf.glyphs``), then the clinic's (``[[fonts]]`` in careleaf.toml,
``careleaf.clinicfonts``). Every place that asks which fonts leaflets have asks the
project's ``FontSet``: the checks of characters no font has (P603, ``check`` and
``build`` alike), the stylesheet's font stacks, the fonts each leaflet is given, and
its job's digest.

Order of precedence: text in a language a clinic's font is given (its ``languages``)
starts with that font, before careleaf's own, even where careleaf has a font for the
language (a clinic may prefer its own Arabic font). All other text starts with
careleaf's fonts (``FIRST_FONTS``, then the Latin stack), and the clinic's fonts come
after them, for the characters careleaf's fonts lack.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from typing import TYPE_CHECKING

from careleaf.glyphs import FIRST_FONTS, Font, leaflet_fonts, needs_glyph

if TYPE_CHECKING:
    from careleaf.clinicfonts import ClinicFont
    from careleaf.config import Config
    from careleaf.layouts import Layouts
    from careleaf.records import Article

_PLAIN = frozenset(map(chr, (*range(0x20, 0x7F), *range(0xA0, 0x100)))) | {"\t", "\n", "\r"}
_LANG = re.compile(r'\slang="([^"]+)"')


@dataclass(frozen=True)
class FontSet:
    """careleaf's fonts and a clinic's (none: careleaf's alone)."""

    clinic: tuple[ClinicFont, ...] = ()

    @cached_property
    def fonts(self) -> tuple[Font, ...]:
        """Every face, in the order of the font stack for text in any other language."""
        return (*leaflet_fonts(), *(face for font in self.clinic for face in font.faces))

    @cached_property
    def first_fonts(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """(family, languages whose text starts with it): careleaf's, then the clinic's,
        which the stylesheet writes later, so that they win."""
        clinic = tuple((font.family, font.languages) for font in self.clinic if font.languages)
        return (*FIRST_FONTS.items(), *clinic)

    def families(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(font.family for font in self.fonts))

    def first_font(self, lang: str) -> str:
        """The family text in ``lang`` is set in first ('' for the Latin stack)."""
        clinic = next((font.family for font in self.clinic if font.serves(lang)), "")
        primary = lang.split("-")[0].lower()
        own = (family for family, langs in FIRST_FONTS.items() if primary in langs)
        return clinic or next(own, "")

    @cached_property
    def covered(self) -> frozenset[int]:
        """Every character some leaflet font has a glyph for."""
        return self.own_covered.union(*(font.covers for font in self.clinic))

    @cached_property
    def own_covered(self) -> frozenset[int]:
        return frozenset().union(*(font.covers() for font in leaflet_fonts()))

    @cached_property
    def _own_static(self) -> frozenset[int]:
        return frozenset().union(*(f.covers() for f in leaflet_fonts() if not f.generated))

    @cached_property
    def coverage_digest(self) -> str:
        """What the checks of characters depend on besides careleaf ('' for its fonts alone)."""
        if not self.clinic:
            return ""
        from careleaf.fingerprint import digest

        return digest(*(",".join(map(str, sorted(font.covers))) for font in self.clinic))

    def uncovered(self, text: str) -> list[str]:
        """The characters of ``text`` no leaflet font has, once each, in order. (Text of
        plain Latin-1 letters, which Atkinson Hyperlegible has, needs no font opened.)"""
        if _PLAIN.issuperset(text):
            return []
        covered = self.covered
        return [c for c in dict.fromkeys(text) if ord(c) not in covered and needs_glyph(c)]

    def fonts_for(self, text: str, clinic: Collection[Font] = ()) -> tuple[Font, ...]:
        """The fonts a leaflet of ``text`` is set in: careleaf's static fonts; a made one
        (a static instance of a variable font, which takes up to two seconds to make)
        only when the text has a character of its script (Hebrew, Devanagari), or one no
        static font has and it has (an emoji); Noto Emoji also for the emoji selector
        U+FE0F (⚠️), which only it draws; and of the clinic's, those in ``clinic``
        (``clinic_for``, decided before the leaflet is rendered)."""
        codes = {ord(c) for c in set(text) if needs_glyph(c)}
        missing = codes - self._own_static
        emoji = "\ufe0f" in text
        own = tuple(
            font
            for font in leaflet_fonts()
            if not font.generated
            or (codes if font.unicode_range else missing) & font.covers()
            or (emoji and font.family == "careleaf Noto Emoji")
        )
        return own + tuple(face for face in self.fonts[len(leaflet_fonts()) :] if face in clinic)

    def clinic_for(self, text: str, langs: Collection[str]) -> tuple[Font, ...]:
        """The clinic's fonts a leaflet that prints (at most) ``text`` needs: those given
        one of ``langs``, and those that have a character careleaf's fonts lack."""
        if not self.clinic:
            return ()
        missing = {ord(c) for c in set(text) if needs_glyph(c)} - self.own_covered
        return tuple(
            face
            for font in self.clinic
            if any(font.serves(lang) for lang in langs) or missing & font.covers
            for face in font.faces
        )


@cache
def font_set(clinic: tuple[ClinicFont, ...] = ()) -> FontSet:
    """The project's fonts (one object per set, so what it works out is kept)."""
    return FontSet(clinic)


def leaflet_clinic_fonts(
    article: Article, related: Sequence[Article], config: Config, layouts: Layouts
) -> tuple[Font, ...]:
    """The clinic's fonts the article's leaflets use, decided from what they can print
    (without rendering them), so that a job's digest holds those fonts' digests: the
    article's text, its dates, the titles of its related reading, the clinic's details,
    the leaflet layouts and the clinic's translations into its language."""
    fonts = font_set(config.fonts)
    if not fonts.clinic:
        return ()
    from careleaf.i18n import long_date

    m = article.manuscript
    langs = {article.lang, config.collection.language, *_LANG.findall(article.body)}
    langs |= {other.lang for other in related}
    dates = f"{long_date(m.published, m.lang)} {long_date(m.review_due, m.lang)}"
    printed = [m.title, m.summary, *m.authors, *(f"{s.title} {s.url}" for s in m.sources)]
    printed += [dates, article.text, *(f"{o.title} {o.manuscript.summary}" for o in related)]
    text = "\n".join([*printed, _settings_text(config, layouts, article.lang)])
    return fonts.clinic_for(text, langs)


@cache
def _settings_text(config: Config, layouts: Layouts, lang: str) -> str:
    """What every leaflet in ``lang`` may print of the settings and layouts (their whole
    text: more than is printed, never less)."""
    clinic = config.clinic
    parts = [clinic.name, clinic.phone, clinic.email, clinic.address, clinic.website]
    files = [layouts.path("leaflet.html"), layouts.path("leaflet.css")]
    if layouts.locales is not None:
        files.append(layouts.locales / lang / "LC_MESSAGES" / "messages.po")
    for path in files:
        try:
            parts.append(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError):
            continue
    return "\n".join(parts)
