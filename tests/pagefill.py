"""How full each page of a leaflet is, measured from the PDF alone (pdfminer.six).

The body area of a page lies between the running header (the clinic's name, at the
foot of the top margin) and the running footer (the dates and page number, at the
head of the bottom margin): both are artifacts, found by their marked content. A
page's fill is how far down that area its lowest piece of content reaches (text,
pictures, rules and boxes alike), as a share of the area's height: 1.0 for a full
page, 0.3 for one whose content stops a third of the way down.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTChar
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage

HALF = 0.5  # a page (but the last) may not be less full than this


@dataclass(frozen=True)
class Drawn:
    """Something drawn on a page: its box (PDF units, y upwards) and whether it is an
    artifact, and if it is text."""

    x0: float
    y0: float
    x1: float
    y1: float
    artifact: bool
    text: bool


class _Device(PDFPageAggregator):  # type: ignore[misc]
    def __init__(self, manager: PDFResourceManager) -> None:
        super().__init__(manager, laparams=LAParams())
        self.marks: list[str] = []
        self.drawn: list[Drawn] = []

    def begin_tag(self, tag: Any, props: Any = None) -> None:
        self.marks.append(tag.name)

    def end_tag(self) -> None:
        if self.marks:
            self.marks.pop()

    def _note(self, text: bool) -> None:
        item = self.cur_item._objs[-1]
        if item.width <= 0 and item.height <= 0:
            return
        artifact = "Artifact" in self.marks
        self.drawn.append(Drawn(item.x0, item.y0, item.x1, item.y1, artifact, text))

    def render_char(self, *args: Any, **kwargs: Any) -> float:
        advance: float = super().render_char(*args, **kwargs)
        if (
            isinstance(self.cur_item._objs[-1], LTChar)
            and self.cur_item._objs[-1].get_text().strip()
        ):
            self._note(True)
        return advance

    def render_image(self, name: Any, stream: Any) -> None:
        super().render_image(name, stream)
        self._note(False)

    def paint_path(self, *args: Any, **kwargs: Any) -> None:
        count = len(self.cur_item._objs)
        super().paint_path(*args, **kwargs)
        if len(self.cur_item._objs) > count:
            self._note(False)


@dataclass(frozen=True)
class Page:
    number: int  # from 1
    height: float
    body_top: float  # y of the body area's top (under the running header)
    body_bottom: float  # y of its bottom (above the running footer)
    content_bottom: float  # y of the lowest content in the body area

    @property
    def fill(self) -> float:
        area = self.body_top - self.body_bottom
        return max(0.0, min(1.0, (self.body_top - self.content_bottom) / area))


def pages(path: Path) -> list[Page]:
    """Every page of the PDF at ``path``, with how far its content reaches."""
    manager = PDFResourceManager()
    device = _Device(manager)
    interpreter = PDFPageInterpreter(manager, device)
    found = []
    with path.open("rb") as stream:
        for number, page in enumerate(PDFPage.get_pages(stream), start=1):
            device.drawn = []
            interpreter.process_page(page)
            height = float(page.mediabox[3] - page.mediabox[1])
            found.append(_measure(number, height, device.drawn))
    return found


def _measure(number: int, height: float, drawn: list[Drawn]) -> Page:
    middle = height / 2
    running = [d for d in drawn if d.artifact and d.text]
    header = [d.y0 for d in running if d.y0 > middle]
    footer = [d.y1 for d in running if d.y1 < middle]
    top = min(header) if header else height
    bottom = max(footer) if footer else 0.0
    inside = [d for d in drawn if d.y1 > bottom + 0.5 and d.y0 < top - 0.5]
    lowest = min((d.y0 for d in inside), default=top)
    return Page(number, height, top, bottom, max(lowest, bottom))


def fills(path: Path) -> list[float]:
    return [page.fill for page in pages(path)]


def under_half(path: Path) -> list[int]:
    """The pages (numbered from 1), but the last, that are less than half full."""
    measured = pages(path)
    return [p.number for p in measured[:-1] if p.fill < HALF]


def sheets(pages: int) -> int:
    """Sheets of paper for a leaflet printed on both sides."""
    return math.ceil(pages / 2)
