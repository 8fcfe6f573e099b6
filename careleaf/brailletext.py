"""Braille as data: the runs of text and the blocks a braille file is made of.

The parent reads an article into ``Block``s (``careleaf.braillehtml``), each a run of
text in one braille table with its place on the line: the indentation of its first
line and of the lines after it (BANA's "3-1" paragraph, "1-3" list item, "7-5" note),
centred or not. ``careleaf.braillepages`` translates and lays them out in the worker.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace

LINE_BREAK = "\u2028"  # a run of this alone is a line break (``<br>``)
BOLD = "bold"
ITALIC = "italic"
BOX_TOP = "\u2836"  # dots 2356: the opening box line (BANA Braille Formats, boxed material)
BOX_BOTTOM = "\u281b"  # dots 1245: the closing box line
_SPACE = re.compile(r"\s+")
_GUILLEMETS = (re.compile(r"«\s+"), re.compile(r"\s+»"))


def braille_name(slug: str) -> str:
    """The article's braille file in the output folder."""
    return f"braille/{slug}.brf"


@dataclass(frozen=True)
class Run:
    """Text in one braille table."""

    text: str  # LINE_BREAK alone: a line break (``<br>``)
    table: str
    emphasis: str = ""  # BOLD, ITALIC or ""
    generated: bool = False  # careleaf's own words: a character the table lacks is replaced quietly
    address: bool = False  # a web or mail address: may be divided after / . @ and such


@dataclass(frozen=True)
class Block:
    """A paragraph, heading, list item, note or line of the braille file.

    A block without runs and without ``fill`` is a blank line (blank lines next to each
    other are one; none starts a page)."""

    runs: tuple[Run, ...] = ()
    first: int = 0  # blank cells before the first line (2: the text starts in cell 3)
    runover: int = 0  # blank cells before the lines after it
    centred: bool = False
    keep: bool = False  # kept on a page with the first line of the next block (headings)
    fill: str = ""  # a line of this cell across the page (box lines)
    new_page: bool = False  # starts a new page

    @property
    def blank(self) -> bool:
        return not self.runs and not self.fill and not self.new_page


BLANK = Block()


def clean(text: str) -> str:
    """Text as braille tables read it: composed (NFC), without the invisible characters
    print needs and braille does not (joiners, direction marks, soft hyphens,
    variation selectors), every kind of space a space; a French guillemet touches its
    word, as braille writes it."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(
        " " if char.isspace() else char
        for char in text
        if unicodedata.category(char) != "Cf" and not _selector(char)
    )
    text = _GUILLEMETS[0].sub("«", text)
    return _GUILLEMETS[1].sub("»", text)


def _selector(char: str) -> bool:
    code = ord(char)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def tidy(runs: Iterable[Run]) -> tuple[Run, ...]:
    """Runs with their spaces as HTML shows them: each run of white space one space,
    none at the start or end of the block or of a line, empty runs left out."""
    result: list[Run] = []
    at_start = True
    for run in runs:
        if run.text == LINE_BREAK:
            if result and result[-1].text != LINE_BREAK:
                result[-1] = replace(result[-1], text=result[-1].text.rstrip(" "))
            result.append(run)
            at_start = True
            continue
        text = _SPACE.sub(" ", clean(run.text))
        if at_start or (result and result[-1].text.endswith(" ")):
            text = text.lstrip(" ")
        if text:
            result.append(replace(run, text=text))
            at_start = False
    while result and (result[-1].text == LINE_BREAK or not result[-1].text.strip(" ")):
        result.pop()
    if result:
        result[-1] = replace(result[-1], text=result[-1].text.rstrip(" "))
    return tuple(run for run in result if run.text)


def text_of(runs: Iterable[Run]) -> str:
    return "".join(run.text for run in runs)
