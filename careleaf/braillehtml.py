"""An article's sanitised HTML as braille blocks, laid out the way BANA's Braille Formats
and UKAAF lay out braille: paragraphs in cell 3 with runovers in cell 1 (3-1), major
headings centred, minor ones in cell 5 and cell 7, list items 1-3 with each level of
a nested list two cells further in, tables row by row with their headers,
footnotes as notes (7-5) after the paragraph that calls them, pictures as their alt
text in a transcriber's note (7-5), callouts between box lines, links as their text.
Every web, mail and phone address the links point at is collected for the list of
web addresses at the end of the file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial

from lxml import etree, html

from careleaf import brailletables
from careleaf.brailletext import (
    BLANK,
    BOLD,
    BOX_BOTTOM,
    BOX_TOP,
    ITALIC,
    LINE_BREAK,
    Block,
    Run,
    text_of,
    tidy,
)

INDENT_STEP = 2  # each level of a nested list starts two cells further in
_HEADING = {"h1": (0, True), "h2": (0, True), "h3": (4, False)}  # else cell 7
_BLOCKS = {
    "address", "blockquote", "caption", "dd", "details", "div", "dl", "dt", "figcaption",
    "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
_EMPHASIS = {"strong": BOLD, "b": BOLD, "em": ITALIC, "i": ITALIC}


@dataclass
class Reader:
    """Reads one article's body; ``blocks`` and ``addresses`` are what it found."""

    table_of: Callable[[str], str]  # a language tag -> its braille table
    note_label: str  # "Transcriber's note", in the article's language
    address_of: Callable[[str], str]  # a link's href -> the address to list ('' for none)
    address_table: str
    cells: int = 40
    blocks: list[Block] = field(default_factory=list)
    addresses: list[tuple[tuple[Run, ...], str]] = field(default_factory=list)
    _notes: dict[str, etree._Element] = field(default_factory=dict)
    _pending: list[Block] = field(default_factory=list)

    def read(self, body: str, lang: str) -> None:
        root = html.fragment_fromstring(body, create_parent="div")
        for section in root.xpath(".//*[@role='doc-endnotes']"):
            for item in section.iter("li"):
                self._notes[item.get("id", "")] = item
            parent = section.getparent()
            if parent is not None:
                parent.remove(section)
        self.flow(root, lang, 0)

    # Blocks

    def emit(self, block: Block) -> None:
        """A block, then the notes and pictures its text called for."""
        if block.runs:
            block = replace(block, runs=tidy(block.runs))
            if not block.runs:
                return
        self.blocks.append(block)
        while self._pending:
            self.blocks.append(self._pending.pop(0))

    def indent(self, cells: int) -> int:
        return min(cells, self.cells // 2)

    def flow(
        self, parent: etree._Element, lang: str, depth: int, first: tuple[Run, ...] = ()
    ) -> None:
        """The children of ``parent``: loose text and inline elements make paragraphs.
        ``first``: a list item's marker, which starts its first paragraph (1-3); the
        item's other paragraphs and blocks stand one level further in."""
        lang = parent.get("lang") or lang
        margin = self.indent(depth * INDENT_STEP)
        runs: list[Run] = list(first)
        opened = False  # the item's first paragraph is out

        def paragraph() -> None:
            nonlocal runs, opened
            if tidy(runs):
                inner = self.indent(margin + INDENT_STEP)
                if first and not opened:
                    place = (margin, inner)
                elif first:
                    place = (self.indent(inner + 2), inner)
                else:
                    place = (self.indent(margin + 2), margin)
                self.emit(Block(tuple(runs), *place))
                opened = True
            runs = []

        runs += self.text(parent.text, lang)
        for child in parent:
            if isinstance(child.tag, str) and child.tag in _BLOCKS:
                if child.tag == "p" and first and not opened and tidy(runs) == tidy(first):
                    runs += self.inline(child, lang)  # a loose list's first paragraph
                    paragraph()
                else:
                    paragraph()
                    self.block(child, lang, depth + (1 if first else 0))
            elif isinstance(child.tag, str):
                runs += self.inline(child, lang)
            runs += self.text(child.tail, lang)
        paragraph()

    def block(self, element: etree._Element, lang: str, depth: int) -> None:
        tag = element.tag
        lang = element.get("lang") or lang
        margin = self.indent(depth * INDENT_STEP)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            cells, centred = _HEADING.get(tag, (6, False))
            runs = tuple(self.inline(element, lang, plain=True))
            self.emit(BLANK)
            self.emit(Block(runs, cells, cells, centred=centred, keep=True))
            if centred:
                self.emit(BLANK)
        elif tag == "p":
            self.emit(Block(tuple(self.inline(element, lang)), margin + 2, margin))
        elif tag in ("ul", "ol"):
            self.listing(element, lang, depth)
        elif tag == "table":
            self.table(element, lang)
        elif tag == "figure":
            for image in element.iter("img"):
                self.picture(image, lang, now=True)
            for caption in element.iter("figcaption"):
                self.emit(Block(tuple(self.inline(caption, lang)), margin + 2, margin))
        elif tag == "div" and "callout" in element.get("class", "").split():
            self.callout(element, lang, depth)
        elif tag == "dl":
            for item in element:
                if item.tag in ("dt", "dd"):
                    cells = margin if item.tag == "dt" else margin + INDENT_STEP
                    self.emit(Block(tuple(self.inline(item, lang)), cells, margin + INDENT_STEP))
        elif tag == "pre":
            for line in "".join(element.itertext()).split("\n"):
                self.emit(Block((Run(line, self.table_of(lang)),), margin, margin + INDENT_STEP))
        elif tag == "hr":
            self.emit(BLANK)
        elif tag == "blockquote":
            self.emit(BLANK)
            self.flow(element, lang, depth)
            self.emit(BLANK)
        else:  # div, section, details, summary, address...: their content
            self.flow(element, lang, depth)

    def listing(self, element: etree._Element, lang: str, depth: int) -> None:
        if depth == 0:
            self.emit(BLANK)
        items = [child for child in element if child.tag == "li"]
        number = _start(element, len(items))
        step = -1 if element.get("reversed") is not None else 1
        for item in items:
            if element.tag == "ol":
                number = _int(item.get("value"), number)
                marker = f"{number}. "
                number += step
            else:
                marker = "\u2022 "
            table = self.table_of(item.get("lang") or lang)
            self.flow(item, lang, depth, first=(Run(marker, table, generated=True),))
        if depth == 0:
            self.emit(BLANK)

    def table(self, element: etree._Element, lang: str) -> None:
        """Linear format, each row one block (1-3): see ``careleaf.brailletables``."""
        self.emit(BLANK)
        for caption in element.findall("caption"):
            self.emit(Block(tuple(self.inline(caption, lang)), 2, 0))
        table = self.table_of(lang)
        read: dict[tuple[etree._Element, bool], tuple[Run, ...]] = {}  # each cell read once

        def runs_of(cell: etree._Element, plain: bool = False) -> tuple[Run, ...]:
            if (cell, plain) not in read:
                read[cell, plain] = tidy(self.inline(cell, lang, plain=plain))
            return read[cell, plain]

        for row in brailletables.rows(element):
            runs: list[Run] = []
            for entry in row:
                content = runs_of(entry.element)
                if not content:
                    continue
                if runs:
                    runs.append(Run("; ", table, generated=True))
                label = brailletables.labelled(entry, partial(runs_of, plain=True), lang, table)
                if label:
                    runs += [*label, Run(": ", table, generated=True)]
                runs += content
            self.emit(Block(tuple(runs), 0, INDENT_STEP))
        self.emit(BLANK)

    def callout(self, element: etree._Element, lang: str, depth: int) -> None:
        self.emit(Block(fill=BOX_TOP, keep=True))
        for child in element:
            if child.tag == "p" and "callout-title" in child.get("class", "").split():
                title = tuple(self.inline(child, lang, plain=True))
                self.emit(Block(title, centred=True, keep=True))
                element.remove(child)
                break
        self.flow(element, lang, 0)
        self.emit(Block(fill=BOX_BOTTOM))

    def picture(self, image: etree._Element, lang: str, now: bool = False) -> None:
        """A picture's alt text, in a transcriber's note (7-5)."""
        alt = image.get("alt", "").strip()
        if not alt:
            return
        table = self.table_of(lang)
        runs = (Run(f"{self.note_label}: ", self.table_of(lang), generated=True), Run(alt, table))
        note = Block(runs, 6, 4)
        if now:
            self.emit(note)
        else:
            self._pending.append(replace(note, runs=tidy(note.runs)))

    # Text

    def text(self, text: str | None, lang: str) -> list[Run]:
        return [Run(text, self.table_of(lang))] if text else []

    def inline(
        self, element: etree._Element, lang: str, emphasis: str = "", plain: bool = False
    ) -> list[Run]:
        """The text of ``element`` and what is in it, as runs."""
        lang = element.get("lang") or lang
        tag = element.tag
        if not plain:
            emphasis = _EMPHASIS.get(tag, emphasis) if isinstance(tag, str) else emphasis
        table = self.table_of(lang)
        if tag == "br":
            return [Run(LINE_BREAK, table)]
        if tag == "img":
            self.picture(element, lang)
            return []
        if tag == "a" and "footnote-backref" in element.get("class", ""):
            return []
        if tag == "a" and "footnote-ref" in element.get("class", ""):
            return self.note_call(element, lang)
        runs = [Run(element.text, table, emphasis)] if element.text else []
        for child in element:
            if isinstance(child.tag, str):
                spaced = child.tag in _BLOCKS
                runs += [Run(" ", table)] if spaced else []
                runs += self.inline(child, lang, emphasis, plain)
                runs += [Run(" ", table)] if spaced else []
            if child.tail:
                runs.append(Run(child.tail, table, emphasis))
        if tag == "a":
            self.link(element.get("href", ""), runs)
        return runs

    def link(self, href: str, runs: list[Run]) -> None:
        address = self.address_of(href)
        text = tidy(replace(run, emphasis="") for run in runs)
        if address and (text, address) not in self.addresses and not _same(text, address):
            self.addresses.append((text, address))

    def note_call(self, anchor: etree._Element, lang: str) -> list[Run]:
        """A footnote's number in brackets; its note follows the paragraph (7-5)."""
        number = "".join(anchor.itertext()).strip()
        table = self.table_of(lang)
        target = anchor.get("href", "").lstrip("#")
        note = self._notes.pop(target, None)
        if note is not None:
            runs = [Run(f"[{number}] ", table, generated=True), *self.inline(note, lang)]
            self._pending.append(Block(tidy(runs), 6, 4))
        return [Run(f"[{number}]", table, generated=True)]


def _same(text: tuple[Run, ...], address: str) -> bool:
    """Whether a link's text is its address already (a phone number written out)."""
    letters = [char for char in text_of(text) if char.isalnum()]
    return letters == [char for char in address if char.isalnum()]


def _start(element: etree._Element, count: int) -> int:
    default = count if element.get("reversed") is not None else 1
    return _int(element.get("start"), default)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
