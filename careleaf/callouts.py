"""Callouts: boxed "Call 999 if...", "Warning", "Tip" blocks, in every edition.

A manuscript writes them in Python-Markdown's admonition syntax, the kind first
and the title in double quotes, the text indented by four spaces::

    !!! danger "Call 999"
        Call 999 if your lips or tongue swell.

``!!! note`` alone takes a title in the article's language ("Note", "Nota"...);
``!!! note ""`` has no title. A paragraph marked ``{: .warning }`` is a callout
with its kind's title. Every page gets the same markup::

    <div class="callout callout-danger" role="note" aria-labelledby="callout-1">
      <p class="callout-title" id="callout-1"><strong><span class="callout-kind">
        Urgent:</span> Call 999</strong></p> ...</div>

A ``div``, not an ``aside``: reader views (Firefox's Readability) drop every
``aside``, and an urgent box must never vanish. ``role="note"`` names what it is,
and the title, which says the kind in words, is its accessible name. The e-book
gives each the EPUB 3 structural semantics of its kind (``for_epub``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree
from markdown.blockparser import BlockParser
from markdown.extensions.admonition import AdmonitionProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from careleaf.fences import unfenced
from careleaf.problems import warning

if TYPE_CHECKING:
    import markdown

    from careleaf.treeprocessors import Context


def N_(message: str) -> str:
    return message


# Each kind and its title when the manuscript gives none (translated in the catalogs).
KINDS: dict[str, str] = {
    "danger": N_("Urgent"),
    "warning": N_("Warning"),
    "important": N_("Important"),
    "note": N_("Note"),
    "tip": N_("Tip"),
    "key-points": N_("Key points"),
}
# Names other Markdown tools use for the same boxes.
ALIASES = {"caution": "warning", "attention": "warning", "hint": "tip", "info": "note"}
# The e-book: element, EPUB 3 Structural Semantics term and its DPUB-ARIA role.
EPUB_SEMANTICS = {
    "danger": ("div", "notice", "doc-notice"),
    "warning": ("div", "notice", "doc-notice"),
    "important": ("div", "notice", "doc-notice"),
    "note": ("aside", "tip", "doc-tip"),
    "tip": ("aside", "tip", "doc-tip"),
    "key-points": ("div", "abstract", "doc-abstract"),
}
_MARK = "data-careleaf-callout"  # on the block until the tree-processor finishes it
_QUOTES = {'"': '"', "\u201c": "\u201d", "\u201d": "\u201d", "\u201e": "\u201c", "'": "'"}
_QUOTES |= {"\u2018": "\u2019", "\u00ab": "\u00bb"}
_KIND = re.compile(r"[\w-]+")
_QUOTED = re.compile(r"^(?:>\s?)+")  # a callout inside a quotation: > !!! note


def kind_of(word: str) -> str | None:
    """The kind a word names (``danger``, ``Caution`` -> ``warning``), or None."""
    word = word.lower()
    return word if word in KINDS else ALIASES.get(word)


@dataclass(frozen=True)
class Header:
    """A callout's first line, ``!!! kind "Title"``, as careleaf reads it."""

    raw: str  # the line as written, without indentation
    word: str  # the kind as written ('' when none)
    kind: str  # the kind it stands for (unknown: 'note')
    title: str | None  # None: the kind's own title; '': no title
    loose: str = ""  # words that are not a title in double quotes ('' when all is well)
    line: int = 0


def read_header(line: str) -> Header | None:
    """``!!! danger "Call 999"`` -> Header; None when the line is not a callout's first."""
    raw = line.strip()
    if not raw.startswith("!!!"):
        return None
    rest = raw[3:].strip()
    word = _KIND.match(rest)
    kind_word = word.group(0) if word else ""
    rest = rest[len(kind_word) :].strip()
    title: str | None = None
    loose = ""
    closing = _QUOTES.get(rest[:1], "")
    if closing and len(rest) >= 2 and rest.endswith(closing):
        title = rest[1:-1].strip()
    elif closing and closing in rest[1:]:  # "Title" then more words
        end = rest.index(closing, 1)
        title, loose = rest[1:end].strip(), rest[end + 1 :].strip()
    elif rest:
        quoted = re.search(r"\s[\"\u201c\u201e'\u2018\u00ab](.*)$", rest)  # words "Title"
        if quoted and quoted.group(1)[-1:] in _QUOTES.values():
            title, loose = quoted.group(1)[:-1].strip(), rest[: quoted.start()].strip()
        else:  # no quotes: Python-Markdown would take these words as class names
            title = loose = rest.strip("\"'\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019 ")
    return Header(raw, kind_word, kind_of(kind_word) or "note", title, loose)


def _header_lines(lines: list[str]) -> list[tuple[int, str]]:
    """(index, text) of every line that starts a callout, outside fenced code."""
    return [
        (index, _QUOTED.sub("", line.strip()))
        for index, line in unfenced(lines)
        if _QUOTED.sub("", line.strip()).startswith("!!!")
    ]


class CalloutBlocks(AdmonitionProcessor):
    """Python-Markdown's admonitions, read the way editors write them: any line that
    starts with ``!!!`` opens a callout (so ``!!!`` never reaches a page as text), and
    lines right under it that are not indented are its text too."""

    RE = re.compile(r"(?:^|\n) {0,3}!!!([^\n]*)(?:\n|$)")

    def __init__(self, parser: BlockParser, context: Context) -> None:
        super().__init__(parser)
        self.context = context
        self.headers: list[Header] = []
        self.source = _header_lines(context.lines)

    def run(self, parent: ET.Element, blocks: list[str]) -> None:
        block = blocks[0]
        match = self.RE.search(block)
        if match is None:  # an indented block that goes on with the callout above
            super().run(parent, blocks)
            return
        blocks.pop(0)
        if match.start() > 0:
            self.parser.parseBlocks(parent, [block[: match.start()]])
        header = self._header(f"!!!{match.group(1)}")
        body = block[match.end() :]
        if body.startswith((" " * self.tab_length, "\t")):
            text, rest = self.detab(body)
        else:  # not indented: the lines up to the next blank line or callout
            after = re.search(r"\n {0,3}!!!", body)
            text, rest = (body[: after.start()], body[after.start() :]) if after else (body, "")
        div = ET.SubElement(parent, "div", {"class": f"admonition {header.kind}"})
        div.set(_MARK, str(len(self.headers)))
        self.headers.append(header)
        if header.title != "":
            add_title(div, header.kind, header.title, self.context.gettext)
        self.parser.parseChunk(div, text)
        if rest:
            blocks.insert(0, rest)

    def _header(self, raw: str) -> Header:
        header = read_header(raw) or Header(raw, "", "note", None)
        earlier = sum(1 for h in self.headers if h.raw == header.raw)
        lines = [index for index, text in self.source if text == header.raw]
        index = lines[earlier] if earlier < len(lines) else 0
        line = self.context.manuscript.body_line + index
        header = Header(header.raw, header.word, header.kind, header.title, header.loose, line)
        path = self.context.manuscript.path
        if kind_of(header.word) is None:
            what = f"'{header.word}' is not a kind of callout" if header.word else "no kind"
            what = what if header.word else "this callout names no kind"
            self.context.problems.append(
                warning(
                    path,
                    line,
                    "M130",
                    f"{what}; it is shown as a note",
                    hint=f'write one of {", ".join(KINDS)} after the !!!, e.g. !!! warning "Title"',
                )
            )
        if header.loose:
            quoted = header.title != header.loose
            message = (
                f"the words '{header.loose}' on the callout's first line are left out"
                if quoted
                else f"the callout's title should be in double quotes: '{header.raw}'"
            )
            self.context.problems.append(
                warning(
                    path,
                    line,
                    "M131",
                    message,
                    hint=f'write the line as !!! {header.kind} "{header.title}"',
                )
            )
        return header


def add_title(div: ET.Element, kind: str, title: str | None, gettext: Callable[[str], str]) -> None:
    """The callout's title, in bold, first in the box; a title of the manuscript's own
    starts with the kind in words ("Urgent: Call 999") unless it already does."""
    name = gettext(KINDS[kind])
    paragraph = ET.SubElement(div, "p", {"class": "callout-title"})
    strong = ET.SubElement(paragraph, "strong")
    if title is None or title.casefold().startswith(name.casefold()):
        strong.text = title or name
        return
    label = ET.SubElement(strong, "span", {"class": "callout-kind"})
    label.text = AtomicString(gettext("%(kind)s:") % {"kind": name})
    label.tail = f" {title}"


class CalloutTree(Treeprocessor):
    """Finishes every callout (role, accessible name, ids unique on the page) and makes
    a paragraph marked ``{: .warning }`` (or another kind) into one."""

    def __init__(self, md: markdown.Markdown, blocks: CalloutBlocks) -> None:
        super().__init__(md)
        self.blocks = blocks

    def run(self, root: ET.Element) -> None:
        used = {str(e.get("id")) for e in root.iter() if e.get("id")}
        parents = {child: parent for parent in root.iter() for child in parent}
        number = 0
        for element in list(root.iter()):
            found = self._callout(element, parents)
            if found is None:
                continue
            box, kind = found
            box.tag = "div"
            box.set("class", f"callout callout-{kind}")
            box.set("role", "note")
            title = box[0] if len(box) and box[0].get("class") == "callout-title" else None
            if title is None:  # !!! kind "": named by its kind
                box.set("aria-label", self.blocks.context.gettext(KINDS[kind]))
                continue
            number += 1
            while f"callout-{number}" in used:
                number += 1
            title.set("id", f"callout-{number}")
            box.set("aria-labelledby", f"callout-{number}")

    def _callout(
        self, element: ET.Element, parents: dict[ET.Element, ET.Element]
    ) -> tuple[ET.Element, str] | None:
        """The box and its kind when ``element`` is a callout or a ``{: .kind }`` paragraph."""
        mark = element.attrib.pop(_MARK, None)
        if mark is not None:
            header = self.blocks.headers[int(mark)]
            if all(child.get("class") == "callout-title" for child in element):
                self._empty(header)
            return element, header.kind
        classes = element.get("class", "").split()
        marked = [c for c in classes if kind_of(c)]
        if element.tag != "p" or not marked or element not in parents:
            return None
        rest = [c for c in classes if c not in marked]
        element.attrib.pop("class")
        if rest:
            element.set("class", " ".join(rest))
        kind = str(kind_of(marked[0]))
        return self._wrap(element, parents[element], kind), kind

    def _wrap(self, paragraph: ET.Element, parent: ET.Element, kind: str) -> ET.Element:
        box = ET.Element("div")
        box.text, box.tail, paragraph.tail = "\n", paragraph.tail, "\n"
        parent.insert(list(parent).index(paragraph), box)
        parent.remove(paragraph)
        add_title(box, kind, None, self.blocks.context.gettext)
        box[0].tail = "\n"
        box.append(paragraph)
        return box

    def _empty(self, header: Header) -> None:
        if header.title:
            return  # a title alone can be the whole message
        self.blocks.context.problems.append(
            warning(
                self.blocks.context.manuscript.path,
                header.line,
                "M132",
                "this callout has no text",
                hint="indent its text by four spaces under the !!! line",
            )
        )


def register(md: markdown.Markdown, context: Context) -> None:
    """Add callouts to a Python-Markdown instance (after the table of contents, which
    gives the headings their ids, so that no callout id can take a heading's)."""
    blocks = CalloutBlocks(md.parser, context)
    md.parser.blockprocessors.register(blocks, "careleaf-callouts", 105)
    md.treeprocessors.register(CalloutTree(md, blocks), "careleaf-callouts", 3)


def for_epub(root: etree._Element) -> None:
    """Each callout of an e-book page gets its kind's EPUB 3 structural semantics and
    the DPUB-ARIA role that goes with it (``notice`` / ``doc-notice`` for warnings)."""
    xhtml, ops = "http://www.w3.org/1999/xhtml", "http://www.idpf.org/2007/ops"
    for element in list(root.iter(f"{{{xhtml}}}div")):
        classes = str(element.get("class", "")).split()
        kinds = [c.removeprefix("callout-") for c in classes if c.startswith("callout-")]
        if "callout" not in classes or not kinds or kinds[0] not in EPUB_SEMANTICS:
            continue
        tag, term, role = EPUB_SEMANTICS[kinds[0]]
        element.tag = f"{{{xhtml}}}{tag}"
        element.set(f"{{{ops}}}type", term)
        element.set("role", role)
