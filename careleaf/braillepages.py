"""Braille blocks made into pages of Braille Ready Format (BRF), with liblouis.

Runs in the worker: each block's runs are translated with liblouis into braille cells
(as Unicode braille patterns, ``unicode.dis``), a character a table cannot write is
replaced (its Latin-letter spelling, from anyascii) or left out and reported; the
cells are wrapped on ``cells`` per line (words are never divided, except one longer
than a line: an address after a / . @ - where it can, else where the line ends),
and the lines are set on pages of ``lines`` lines, the first line of each holding
the braille page number at the right. A heading is never the last line of a page;
a page never starts with a blank line. Cells are written as North American ASCII
braille (0x20-0x5F), lines end with CR LF, and a form feed separates pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from anyascii import anyascii

from careleaf.brailletext import BOLD, ITALIC, LINE_BREAK, Block, Run

BLANK_CELL = "\u2800"
# North American ASCII braille: the character of each six-dot cell, by its dots as bits
# (dot 1 = 1, dot 2 = 2, ... dot 6 = 32).
ASCII_BRAILLE = " A1B'K2L@CIF/MSP\"E3H9O6R^DJG>NTQ,*5<-U8V.%[$+X!&;:4\\0Z7(_?W]#Y)="
LINE_END = "\r\n"
PAGE_BREAK = "\f"
_BREAK_AFTER = frozenset("/.@-_?&=#:")  # an address may be divided after a run of these
_WORD = re.compile(f"\n|[^{BLANK_CELL}\n]+")
_SEPARATION = 3  # blank cells between a centred heading and either margin


@dataclass(frozen=True)
class Layout:
    cells: int = 40
    lines: int = 25
    number_table: str = ""  # the table page numbers are written in


@dataclass
class Translator:
    """liblouis for one task; ``missing`` collects the characters no table could write."""

    louis: Any
    display: str
    missing: dict[tuple[str, str], str] = field(default_factory=dict)

    def cells(self, runs: Sequence[Run]) -> tuple[str, frozenset[int]]:
        """The runs as braille cells ("\\n" for a line break), and the places inside a
        word (cell indexes) where the line may be broken."""
        out: list[str] = []
        breaks: set[int] = set()
        group: list[Run] = []
        for run in (*runs, None):
            if run is not None and run.text != LINE_BREAK and (not group or _same(group[-1], run)):
                group.append(run)
                continue
            if group:
                braille, places = self._translate(group)
                breaks.update(len("".join(out)) + place for place in places)
                out.append(braille)
                group = []
            if run is not None and run.text == LINE_BREAK:
                out.append("\n")
            elif run is not None:
                group = [run]
        return "".join(out), frozenset(breaks)

    def _translate(self, runs: Sequence[Run]) -> tuple[str, list[int]]:
        table = runs[0].table
        text, typeform, address = "", [], []
        for run in runs:
            written = self.writable(run, table)
            text += written
            typeform += [_typeform(self.louis, run.emphasis)] * len(written)
            address += [run.address] * len(written)
        if not text:
            return "", []
        result = self.louis.translate([self.display, table], text, typeform=typeform)
        braille, positions = result[0], result[2]
        places = [
            positions[index + 1]
            for index, char in enumerate(text[:-1])
            if char in _BREAK_AFTER
            and text[index + 1] not in _BREAK_AFTER
            and address[index]
            and 0 < positions[index + 1] < len(braille)
        ]
        return braille.replace(" ", BLANK_CELL), places

    def writable(self, run: Run, table: str) -> str:
        """The run's text with each character the table cannot write replaced."""
        text = run.text
        for char in set(text):
            if char == " " or _defined(self.louis, self.display, table, char):
                continue
            spelled = anyascii(char).strip(":").replace("_", " ")
            if not all(c == " " or _defined(self.louis, self.display, table, c) for c in spelled):
                spelled = ""
            if not run.generated:
                self.missing.setdefault((char, table), spelled)
            text = text.replace(char, spelled)
        return text


def _same(a: Run, b: Run) -> bool:
    return a.table == b.table


def _typeform(louis: Any, emphasis: str) -> int:
    return {BOLD: louis.bold, ITALIC: louis.italic}.get(emphasis, louis.plain_text)  # type: ignore[no-any-return]


@lru_cache(maxsize=16384)
def _defined(louis: Any, display: str, table: str, char: str) -> bool:
    """Whether ``table`` writes ``char`` in six-dot cells (an undefined character comes
    out as its code point in eight-dot cells, ``'\\x4e2d'``)."""
    braille = louis.translateString([display, table], char)
    return bool(braille) and all(0x2800 <= ord(cell) <= 0x283F or cell == " " for cell in braille)


def wrap(cells: str, breaks: frozenset[int], block: Block, width: int) -> list[str]:
    """A block's cells as lines of at most ``width`` cells."""
    if block.fill:
        return [block.fill * width]
    if not cells.strip(BLANK_CELL + "\n"):
        return []
    if block.centred:
        inner = max(width - 2 * _SEPARATION, width // 2)
        lines = _fill(cells, breaks, 0, 0, inner)
        return [BLANK_CELL * ((width - len(line)) // 2) + line for line in lines]
    return _fill(cells, breaks, block.first, block.runover, width)


def _fill(cells: str, breaks: frozenset[int], first: int, runover: int, width: int) -> list[str]:
    lines: list[str] = []
    line, margin = BLANK_CELL * first, first
    start = 0
    for word_start, word in _words(cells):
        if word == "\n":
            lines.append(line)
            line, margin = BLANK_CELL * runover, runover
            continue
        gap = 1 if len(line) > margin else 0
        if len(line) + gap + len(word) <= width:
            line += BLANK_CELL * gap + word
            continue
        if len(word) <= width - runover:  # it fits on a line of its own
            lines.append(line)
            line, margin = BLANK_CELL * runover + word, runover
            continue
        # longer than a line: divided where it may be, else where the line ends
        start = word_start
        while word:
            room = width - len(line) - gap
            if len(word) <= room:
                line += BLANK_CELL * gap + word
                break
            cut = _cut(start, breaks, room)
            if not cut and len(line) > margin:  # no place to divide it here: a new line
                lines.append(line)
                line, margin, gap = BLANK_CELL * runover, runover, 0
                continue
            cut = cut or room
            line += BLANK_CELL * gap + word[:cut]
            word, start = word[cut:], start + cut
            lines.append(line)
            line, margin, gap = BLANK_CELL * runover, runover, 0
    lines.append(line)
    return [line.rstrip(BLANK_CELL) for line in lines]


def _words(cells: str) -> list[tuple[int, str]]:
    """The words of a block's cells with where each starts; a line break is a word."""
    return [(found.start(), found.group()) for found in _WORD.finditer(cells)]


def _cut(start: int, breaks: frozenset[int], room: int) -> int:
    """The longest part of a word starting at ``start`` that ends where the word may be
    divided and fits in ``room`` cells (0: none does)."""
    return max((p - start for p in breaks if 0 < p - start <= room), default=0)


Translate = Callable[[Sequence[Run]], tuple[str, frozenset[int]]]


def paginate(blocks: Sequence[Block], layout: Layout, translate: Translate) -> list[list[str]]:
    """The blocks set on pages: each page its lines of cells (without the number line)."""
    height = layout.lines - 1  # the first line holds the page number
    laid = [(block, wrap(*translate(block.runs), block, layout.cells)) for block in blocks]
    pages: list[list[str]] = [[]]
    blank = False
    for index, (block, lines) in enumerate(laid):
        if block.new_page:
            if pages[-1]:
                pages.append([])
            blank = False
            continue
        if block.blank:
            blank = bool(pages[-1])
            continue
        if not lines:
            continue
        needed = len(lines) + (1 if blank else 0)
        if block.keep:  # a heading stays with the first line after it
            needed += _following(laid[index + 1 :])
        if len(pages[-1]) + needed > height and pages[-1] and needed <= height:
            pages.append([])
            blank = False
        if blank:
            pages[-1].append("")
            blank = False
        for line in lines:
            if len(pages[-1]) >= height:
                pages.append([])
            pages[-1].append(line)
    return [page for page in pages if page]


def _following(rest: Sequence[tuple[Block, list[str]]]) -> int:
    """The lines a heading (or a box line) needs below it on its page: the blank line,
    if any, and the first line of what follows (all of it, and what it needs in turn,
    when that is kept with the next too)."""
    gap = 0
    for index, (block, lines) in enumerate(rest):
        if block.blank:
            gap = 1
        elif block.new_page:
            return 0
        elif lines and block.keep:
            return gap + len(lines) + _following(rest[index + 1 :])
        elif lines:
            return gap + 1
    return 0


def brf(pages: Sequence[Sequence[str]], layout: Layout, number: Callable[[int], str]) -> bytes:
    """The pages as a BRF file: the braille page number at the top right of each."""
    written = []
    for index, page in enumerate(pages, start=1):
        label = number(index)[: layout.cells]
        lines = [BLANK_CELL * (layout.cells - len(label)) + label, *page]
        written.append("".join(ascii_braille(line).rstrip(" ") + LINE_END for line in lines))
    return PAGE_BREAK.join(written).encode("ascii")


def ascii_braille(cells: str) -> str:
    """Unicode braille patterns as North American ASCII braille (dots 7 and 8 dropped)."""
    return "".join(
        ASCII_BRAILLE[(ord(cell) - 0x2800) & 0x3F] if 0x2800 <= ord(cell) <= 0x28FF else " "
        for cell in cells
    )
