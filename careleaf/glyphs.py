"""The leaflets' fonts, and the characters they can show: the one place that decides.

Fonts come from Python packages, never from the computer: Atkinson Hyperlegible, made
for readers with low vision; Noto Sans for the letters of other alphabets Atkinson
Hyperlegible lacks (Greek, Cyrillic, Vietnamese); IBM Plex Sans Arabic, a static font
(with a variable Arabic font the text extracted from the PDF was not the text on the
page), for Arabic, Persian and Urdu; DejaVu Sans (static, from matplotlib's data) for
symbols: arrows, ticks and crosses, check boxes, the warning sign, the telephone, list
markers; Heebo for Hebrew and Noto Sans Devanagari for Hindi, Marathi and Nepali; and
Noto Emoji (monochrome, from manimgx-fonts) for emoji. Heebo, Noto Sans Devanagari and
Noto Emoji are variable fonts: leaflets use static instances of them, made for the two
weights leaflets use (``careleaf.instances``) when a leaflet needs them. A clinic adds
fonts of its own in careleaf.toml (``careleaf.clinicfonts``); ``careleaf.fontset``
puts careleaf's fonts and the clinic's together into one project's answer: the font
stack, which fonts a leaflet needs, and what they cover.

Each language has its font stack: its own script's font first (``FIRST_FONTS``), so
that a word never changes style in the middle (Vietnamese and Cyrillic letters are in
Noto Sans, not in Atkinson Hyperlegible), then the others. A character none of the
fonts has would be drawn by whatever font the computer has, or not at all:
``careleaf.coverage`` makes it a problem before anything is rendered, and
``foreign_fonts`` finds one in a rendered leaflet.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from careleaf import characters, instances

if TYPE_CHECKING:
    import pikepdf
from careleaf.fetcher import FONTS_URL

# DejaVu Sans serves only symbols: letters, digits and punctuation stay in the fonts
# before it, and Arabic letters in IBM Plex Sans Arabic after it.
SYMBOLS = "U+2010-2BFF, U+2E00-2E7F"
HEBREW = "U+0590-05FF, U+FB1D-FB4F"
DEVANAGARI = "U+0900-097F, U+1CD0-1CFF, U+A8E0-A8FF"
# Default-ignorable code points (Unicode's DerivedCoreProperties): shaping draws them
# as nothing (the zero-width joiner and non-joiner, variation selectors, direction
# marks, the soft hyphen), so they never need a glyph of their own.
_IGNORABLE = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160),
    (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)  # fmt: skip
_IGNORABLE_CODES = frozenset(c for low, high in _IGNORABLE for c in range(low, high + 1))


@dataclass(frozen=True)
class Font:
    """One face: a static font file of a package, or (``axes`` given) a static instance
    made in memory from the variable font at ``path``."""

    family: str
    path: Path
    weight: int
    style: str
    unicode_range: str = ""  # empty: every character the font has
    axes: tuple[tuple[str, float], ...] = ()
    source: str = ""  # the file's SHA-256 as the build read it (a clinic's font), if known

    @property
    def generated(self) -> bool:
        return bool(self.axes)

    @property
    def url(self) -> str:
        """The address WeasyPrint reads the font from; a made font's names its digest."""
        if not self.generated:
            return self.path.as_uri()
        stem = re.sub(r"[^A-Za-z0-9]+", "-", self.path.stem).strip("-")
        return f"{FONTS_URL}{stem}-{self.weight}-{self.digest[:16]}.ttf"

    @property
    def digest(self) -> str:
        """What identifies the font: its file, and for a made one the instancing settings
        (not the result, so nothing has to be made to know it)."""
        return _digest(self.path, self.axes, self.source)

    def data(self, cache: Path | None = None) -> bytes:
        """The font's bytes (a made font is made once, on first use, and kept in
        ``cache``, the output folder's font cache, for the next build)."""
        if not self.generated:
            return self.path.read_bytes()
        return instances.instance(self.path, self.axes, self.digest, cache)

    def covers(self) -> frozenset[int]:
        return _cmap(self.path, self.unicode_range, self.source)


@cache
def _digest(path: Path, axes: tuple[tuple[str, float], ...], source: str = "") -> str:
    """The font file's bytes (or ``source``, their digest, when the build read them
    already), and for a made font the settings and the instancer's version (a new
    fontTools may make other bytes)."""
    from fontTools import version

    if source and not axes:
        return source
    digest = hashlib.sha256(source.encode() if source else path.read_bytes())
    if axes:
        digest.update(f"{axes!r} fonttools {version}".encode())
    return digest.hexdigest()


@cache
def _cmap(path: Path, unicode_range: str, source: str = "") -> frozenset[int]:
    """(``source``, the file's digest when known, tells a changed file apart.)"""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        codes = set(font.getBestCmap())
    if unicode_range:
        ranges = [_range(part) for part in unicode_range.split(",")]
        codes = {c for c in codes if any(low <= c <= high for low, high in ranges)}
    return frozenset(codes)


def _range(text: str) -> tuple[int, int]:
    low, _, high = text.strip().removeprefix("U+").partition("-")
    return int(low, 16), int(high or low, 16)


def _dejavu() -> Path:
    """matplotlib's folder of DejaVu fonts, found without importing matplotlib."""
    spec = find_spec("matplotlib")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("matplotlib (careleaf's DejaVu Sans) is not installed")
    return Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf"


def _static(
    family: str, path: Path, axes: tuple[tuple[str, float], ...] = (), unicode_range: str = ""
) -> list[Font]:
    """Regular and bold faces of a variable font, as static instances."""
    return [
        Font(family, path, w, "normal", unicode_range, (*axes, ("wght", float(w))))
        for w in (400, 700)
    ]


def _noto_emoji() -> Path:
    spec = find_spec("manimgx_fonts")
    if spec is None or spec.submodule_search_locations is None:
        raise FileNotFoundError("manimgx-fonts (careleaf's Noto Emoji) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "NotoEmoji[wght].ttf"


@cache
def leaflet_fonts() -> tuple[Font, ...]:
    """The fonts leaflets are set in, in the order of the Latin font stack."""
    import fontpkg

    fonts = [
        Font("Atkinson Hyperlegible", fontpkg.path("Atkinson Hyperlegible", w, s), w, s)
        for w in (400, 700)
        for s in ("normal", "italic")
    ]
    # Hebrew and Devanagari letters from fonts made for them (Noto Sans has Devanagari
    # too, and comes after): a word in either script is set in one font
    fonts += _static("careleaf Heebo", fontpkg.path("Heebo"), unicode_range=HEBREW)
    devanagari = fontpkg.path("Noto Sans Devanagari")
    fonts += _static("careleaf Noto Sans Devanagari", devanagari, (("wdth", 100.0),), DEVANAGARI)
    fonts += [  # one variable font file per style; bold comes from its weight axis
        Font("Noto Sans", fontpkg.path("Noto Sans", 400, s), 400, s) for s in ("normal", "italic")
    ]
    faces = {"": (400, "normal"), "-Bold": (700, "normal"), "-Oblique": (400, "italic")}
    faces["-BoldOblique"] = (700, "italic")
    fonts += [  # a distinct family name: a computer's own DejaVu Sans is told apart
        Font("careleaf DejaVu Sans", _dejavu() / f"DejaVuSans{face}.ttf", w, s, SYMBOLS)
        for face, (w, s) in faces.items()
    ]
    fonts += [
        Font("IBM Plex Sans Arabic", fontpkg.path("IBM Plex Sans Arabic", w), w, "normal")
        for w in (400, 700)
    ]
    fonts += _static("careleaf Noto Emoji", _noto_emoji())
    return tuple(fonts)


# The font a language's text is set in first (its own script's letters all come from
# it, and its digits and punctuation match them); other languages start with Atkinson
# Hyperlegible (Hebrew and Devanagari letters come from their fonts in any language).
# A clinic's font comes first for the languages it is given (careleaf.fontset).
FIRST_FONTS = {
    "IBM Plex Sans Arabic": ("ar", "fa", "ur", "ps", "ckb", "sd", "ug", "ks"),
    "Noto Sans": (
        *("vi", "uk", "ru", "be", "bg", "sr", "mk", "kk", "ky", "tg", "mn", "el"),
        # African languages in Latin letters Atkinson Hyperlegible lacks (ɛ ɔ ŋ ɓ ɗ ẹ ọ ṣ)
        # and tone marks over them: a word in one font, its marks where they belong
        *("yo", "ig", "ha", "ee", "ak", "tw", "bm", "ff", "ln", "wo", "lg", "kab"),
    ),
}


def families(fonts: Iterable[Font] = ()) -> tuple[str, ...]:
    """The families of ``fonts`` (careleaf's own when none are given), in order, once each."""
    return tuple(dict.fromkeys(font.family for font in (fonts or leaflet_fonts())))


def ignorable(char: str) -> bool:
    """A default-ignorable character: drawn as nothing, never a glyph of its own."""
    return ord(char) in _IGNORABLE_CODES


def needs_glyph(char: str) -> bool:
    """Whether a character of the text is drawn (controls and non-characters are dropped
    before the leaflet is made; default-ignorable ones are drawn as nothing)."""
    category = unicodedata.category(char)
    return category not in characters.UNPRINTABLE_CATEGORIES and not ignorable(char)


# Emoji made of several characters: black-and-white Noto Emoji cannot show a flag or a
# skin tone, and a PDF gives back one text per glyph, so a sequence drawn as one glyph
# (joined emoji, keycaps) would not read back as written. They are refused (P606).
_PICTURE = "\u00a9\u00ae\u203c-\u3299\U0001f000-\U0001faff"
_SEQUENCES = re.compile(
    rf"(?P<joined>[{_PICTURE}][\ufe0e\ufe0f\U0001f3fb-\U0001f3ff]*"
    rf"(?:\u200d[{_PICTURE}][\ufe0e\ufe0f\U0001f3fb-\U0001f3ff]*)+)"
    r"|(?P<flag>[\U0001f1e6-\U0001f1ff]{1,2}|\U0001f3f4[\U000e0020-\U000e007f]+)"
    r"|(?P<keycap>[0-9#*]\ufe0f?\u20e3)"
    rf"|(?P<skin>[{_PICTURE}]?[\U0001f3fb-\U0001f3ff])"
)
SEQUENCE_KINDS = {
    "joined": "joined emoji",
    "flag": "flag",
    "keycap": "keycap",
    "skin": "emoji with a skin tone",
}


def emoji_sequences(text: str) -> list[tuple[str, str]]:
    """The emoji sequences of ``text`` leaflets cannot print as written, once each, in
    order: (the sequence, its kind, a key of ``SEQUENCE_KINDS``)."""
    found: dict[str, str] = {}
    for match in _SEQUENCES.finditer(text):
        kind = match.lastgroup or "joined"
        found.setdefault(match.group(0), kind)
    return list(found.items())


def foreign_fonts(pdf: bytes | pikepdf.Pdf, ours: Sequence[str] = ()) -> dict[str, str]:
    """Fonts of a rendered leaflet that are not the leaflet's own (the families ``ours``;
    careleaf's when none are given), each with the characters it drew (from its
    ToUnicode map): the computer's fonts, which WeasyPrint falls back to for a
    character none of the leaflet's fonts has. (An open document is only read.)"""
    import pikepdf

    if isinstance(pdf, bytes):
        with pikepdf.open(BytesIO(pdf)) as document:
            return foreign_fonts(document, ours)
    names = "|".join(re.escape(family.replace(" ", "-")) for family in ours or families())
    # (Pango puts a comma after a family whose last word is a style's: "Thai Regular,")
    own = re.compile(rf"({names}),?(-Bold)?(-Italic)?")
    found: dict[str, str] = {}
    for page in pdf.pages:
        resources = page.obj.get("/Resources", pikepdf.Dictionary())
        fonts = resources.get("/Font", pikepdf.Dictionary())
        for font in fonts.values():
            name = str(font.get("/BaseFont", "/"))[1:].split("+")[-1]
            if not own.fullmatch(name):
                drawn = _drawn(font)
                found[name] = "".join(dict.fromkeys(found.get(name, "") + drawn))
    return dict(sorted(found.items()))


_ENTRY = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")


def _drawn(font: pikepdf.Object) -> str:
    """The characters a PDF font's ToUnicode map names (bfchar entries)."""
    if "/ToUnicode" not in font:
        return ""
    text = []
    for _gid, value in _ENTRY.findall(font.ToUnicode.read_bytes()):
        try:
            text.append(bytes.fromhex(value.decode()).decode("utf-16-be"))
        except (ValueError, UnicodeDecodeError):
            continue
    return "".join(dict.fromkeys("".join(text)))
