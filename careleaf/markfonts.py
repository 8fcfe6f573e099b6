"""The fonts ``careleaf.marks`` redraws marks of: what it needs of each embedded Type0
font (widths, text, outlines, free empty glyph slots for ghost codes), read with
fontTools, and the ghost codes written back into the font's dictionaries.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

import pikepdf
from fontTools.pens.basePen import BasePen
from fontTools.ttLib import TTFont
from pikepdf import Array, Dictionary, Name, Operator
from pikepdf import ContentStreamInstruction as Instruction

from careleaf.tounicode import read_cmap, write_cmap


@dataclass
class MarkFont:
    """What lowering marks needs of one Type0 font: widths, text, outlines, ghosts."""

    pdf_font: Any
    widths: dict[int, float]
    default_width: float
    text: dict[int, str]
    program: TTFont | None
    free: list[int]  # empty, zero-width glyph slots no code of the font uses yet
    ghosts: dict[int, int] = field(default_factory=dict)  # mark code -> ghost code
    outlines: dict[int, list[Any]] = field(default_factory=dict)

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
    try:
        program = TTFont(BytesIO(stream.read_bytes()))
        order = program.getGlyphOrder()
        metrics = program["hmtx"].metrics
    except Exception:  # a font program fontTools cannot read: leave the font as it is
        return None
    text = read_cmap(font.ToUnicode.read_bytes())
    glyphs = program.getGlyphSet()
    free = [
        gid
        for gid, name in enumerate(order)
        if gid > 0 and gid not in text and metrics[name][0] == 0 and _empty(glyphs[name])
    ]
    widths = _widths(descendant.get("/W", Array()))
    return MarkFont(font, widths, float(descendant.get("/DW", 1000)), text, program, free)


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
