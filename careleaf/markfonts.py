"""The fonts ``careleaf.marks`` redraws marks of: what it needs of each embedded Type0
font (widths, text, outlines, free empty glyph slots for ghost codes), read with
fontTools, and the ghost codes written back into the font's dictionaries.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from io import BytesIO
from typing import Any

import pikepdf
from fontTools.pens.basePen import BasePen
from fontTools.ttLib import TTFont
from pikepdf import Array, Dictionary, Name, Operator
from pikepdf import ContentStreamInstruction as Instruction

from careleaf.tounicode import read_cmap, write_cmap

# Vowel signs drawn before the consonant they follow in the text (Devanagari's i, and
# those of other Indic scripts)
PREBASE = frozenset("\u093f\u09bf\u09c7\u09c8\u0a3f\u0abf\u0b47\u0b48\u0bc6\u0bc7\u0bc8"
                    "\u0d46\u0d47\u0d48\u0dd9\u0dda\u0ddb")  # fmt: skip


@dataclass
class MarkFont:
    """What lowering marks needs of one Type0 font: widths, text, outlines, ghosts. The
    font program is read (and its free glyph slots found) only when a mark is redrawn:
    most leaflets have none, and reading every font of every page cost a third of a
    leaflet's time."""

    pdf_font: Any
    widths: dict[int, float]
    default_width: float
    text: dict[int, str]
    data: bytes  # the embedded font program
    ghosts: dict[int, int] = field(default_factory=dict)  # mark code -> ghost code
    outlines: dict[int, list[Any]] = field(default_factory=dict)

    @cached_property
    def program(self) -> TTFont | None:
        try:
            program = TTFont(BytesIO(self.data))
            program.getGlyphOrder()
            program["hmtx"]
        except Exception:  # a font program fontTools cannot read: leave the font as it is
            return None
        return program

    @cached_property
    def marks(self) -> bool:
        """Whether the font draws anything ``careleaf.marks`` redraws: a combining mark
        or a vowel sign drawn before its consonant (without one, its program is never
        read)."""
        return any(self.is_mark(code) or text in PREBASE for code, text in self.text.items())

    @cached_property
    def free(self) -> list[int]:
        """Empty, zero-width glyph slots no code of the font uses yet."""
        if self.program is None:
            return []
        order, metrics = self.program.getGlyphOrder(), self.program["hmtx"].metrics
        glyphs = self.program.getGlyphSet()
        return [
            gid
            for gid, name in enumerate(order)
            if gid > 0 and gid not in self.text and metrics[name][0] == 0 and _empty(glyphs[name])
        ]

    def width(self, code: int) -> float:
        return self.widths.get(code, self.default_width)

    def is_mark(self, code: int) -> bool:
        text = self.text.get(code, "")
        return (
            bool(text)
            and self.width(code) == 0
            and all(unicodedata.category(c) in ("Mn", "Me") for c in text)
        )

    def ghost(self, code: int) -> int | None:
        if code not in self.ghosts:
            if not self.free:
                return None
            self.ghosts[code] = self.free.pop(0)
        return self.ghosts[code]

    def outline(self, code: int) -> list[Any]:
        """The glyph's outline as PDF path operators, in font units."""
        if code not in self.outlines:
            assert self.program is not None
            glyphs = self.program.getGlyphSet()
            pen = _PathPen(glyphs)
            glyphs[self.program.getGlyphOrder()[code]].draw(pen)
            self.outlines[code] = pen.parts
        return self.outlines[code]


class _PathPen(BasePen):  # type: ignore[misc]
    """Records a glyph's outline as PDF path operators (quadratic curves made cubic)."""

    def __init__(self, glyph_set: Any) -> None:
        super().__init__(glyph_set)
        self.parts: list[Any] = []

    def _add(self, operator: str, *points: tuple[float, float]) -> None:
        numbers = [coordinate(v) for point in points for v in point]
        self.parts.append(Instruction(numbers, Operator(operator)))

    def _moveTo(self, point: tuple[float, float]) -> None:
        self._add("m", point)

    def _lineTo(self, point: tuple[float, float]) -> None:
        self._add("l", point)

    def _curveToOne(self, p1: Any, p2: Any, p3: Any) -> None:
        self._add("c", p1, p2, p3)

    def _closePath(self) -> None:
        self._add("h")


def coordinate(value: float) -> float:
    """A coordinate with three decimals (the same bytes every time)."""
    return round(float(value), 3) + 0.0


def load_font(pdf: pikepdf.Pdf, font: Any) -> MarkFont | None:
    """A Type0 font with an Identity glyph map and an embedded TrueType/OpenType program."""
    if font.get("/Subtype") != Name.Type0 or "/ToUnicode" not in font:
        return None
    descendant = font.DescendantFonts[0]
    if descendant.get("/CIDToGIDMap", Name.Identity) != Name.Identity:
        return None
    descriptor = descendant.get("/FontDescriptor", Dictionary())
    stream = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
    if stream is None:
        return None
    text = read_cmap(font.ToUnicode.read_bytes())
    widths = _widths(descendant.get("/W", Array()))
    default = float(descendant.get("/DW", 1000))
    return MarkFont(font, widths, default, text, bytes(stream.read_bytes()))


def _empty(glyph: Any) -> bool:
    pen = _PathPen(None)
    try:
        glyph.draw(pen)
    except Exception:
        return False
    return not pen.parts


def _widths(array: Any) -> dict[int, float]:
    widths: dict[int, float] = {}
    items = list(array)
    index = 0
    while index < len(items) - 1:
        first = int(items[index])
        if isinstance(items[index + 1], Array):
            for offset, width in enumerate(items[index + 1]):
                widths[first + offset] = float(width)
            index += 2
        else:
            last, width = int(items[index + 1]), float(items[index + 2])
            for code in range(first, last + 1):
                widths[code] = width
            index += 3
    return widths


def add_ghosts(pdf: pikepdf.Pdf, font: MarkFont) -> None:
    """The ghost codes' text (the marks) and widths (none) in the font's dictionaries."""
    text = read_cmap(font.pdf_font.ToUnicode.read_bytes())
    for mark, ghost in font.ghosts.items():
        text[ghost] = font.text[mark]
    font.pdf_font.ToUnicode = pdf.make_stream(write_cmap(text))
    descendant = font.pdf_font.DescendantFonts[0]
    widths = list(descendant.get("/W", Array()))
    for ghost in sorted(font.ghosts.values()):
        widths += [ghost, Array([0])]
    descendant.W = Array(widths)
