"""Python-Markdown tree-processors: what accessibility and safety need from the tree.

The title is shown once; a captioned image becomes a figure; table headers get their
scope; footnotes get their roles; every image and link is vetted (images only from
inside the manuscripts folder, links only to other manuscripts or to web, mail and
phone addresses) and noted with the source line it came from.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import unquote, urlsplit

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from careleaf import callouts
from careleaf.addresses import LINK_SCHEMES, address_fault
from careleaf.fences import unfenced
from careleaf.imagefile import load
from careleaf.images import Refusal
from careleaf.limits import MAX_DEPTH
from careleaf.printsize import width_class, width_setting
from careleaf.problems import Problem, error, warning
from careleaf.rawstash import RawBlocks, RawHtml, RawInline
from careleaf.records import Heading, Image, Link, Manuscript, Picture

TREE_DEPTH = 3 * MAX_DEPTH + 10  # elements inside each other: a list level is ul, li, p
_ESCAPED = re.compile(f"{markdown.util.STX}(\\d+){markdown.util.ETX}")


@dataclass
class Context:
    """What the tree-processors need and what they collect, for one manuscript."""

    manuscript: Manuscript
    images_root: Path  # images must live inside this folder
    pages: Mapping[str, str]  # manuscript file name -> its page's address
    gettext: Callable[[str], str]
    lines: list[str]
    problems: list[Problem] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    offsets: dict[str, int] = field(default_factory=dict)  # place_of: where each kind is
    headings_seen: int = 0
    raw_html: dict[int, str] = field(default_factory=dict)  # stash index -> block/inline

    def place_of(self, needles: Sequence[str], kind: str) -> int:
        """File line of the next occurrence of any of ``needles`` (earliest wins), in document
        order; several may share a line, as images in a table row do."""
        body = self.manuscript.body
        start = self.offsets.get(kind, 0)
        found = [(body.find(n, start), n) for n in needles if n]
        hits = [(at, needle) for at, needle in found if at >= 0]
        if not hits:
            return self.manuscript.body_line + body.count("\n", 0, start)
        at, needle = min(hits)
        self.offsets[kind] = at + len(needle)
        return self.manuscript.body_line + body.count("\n", 0, at)

    def next_heading_line(self) -> int:
        """File line of the next ATX (``## x``) or setext (underlined) heading in the source."""
        starts = self.heading_starts
        index, self.headings_seen = self.headings_seen, self.headings_seen + 1
        return self.manuscript.body_line + (starts[index] if index < len(starts) else 0)

    @cached_property
    def heading_starts(self) -> list[int]:
        return _heading_lines(self.lines)

    def report(self, line: int, code: str, message: str, hint: str | None = None) -> None:
        self.problems.append(error(self.manuscript.path, line, code, message, hint=hint))

    def warn(self, line: int, code: str, message: str, hint: str | None = None) -> None:
        self.problems.append(warning(self.manuscript.path, line, code, message, hint=hint))

    def column_of(self, line: int, needle: str) -> int | None:
        index = line - self.manuscript.body_line
        text = self.lines[index] if 0 <= index < len(self.lines) else ""
        found = text.find(needle) if needle else -1
        return found + 1 if found >= 0 else None


def _heading_lines(lines: list[str]) -> list[int]:
    """Indexes of the lines that start a heading, outside fenced code."""
    found: list[int] = []
    for index, line in unfenced(lines):
        if re.match(r" {0,3}#{1,6}(\s|$)", line):
            found.append(index)
        elif re.fullmatch(r" {0,3}(=+|-+)\s*", line) and index and lines[index - 1].strip():
            found.append(index - 1)
    return found


def _text(element: ET.Element) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


class _TitleOnce(Treeprocessor):
    """Drop a leading ``# Title`` that repeats the title: the page already shows it."""

    def __init__(self, md: markdown.Markdown, context: Context) -> None:
        super().__init__(md)
        self.context = context

    def run(self, root: ET.Element) -> None:
        first = root[0] if len(root) else None
        title = self.context.manuscript.title.strip().casefold()
        if first is not None and first.tag == "h1" and _text(first).casefold() == title:
            root.remove(first)
            self.context.next_heading_line()  # the title's line is not a body heading


class _Accessibility(Treeprocessor):
    """Figures, table scopes, footnote roles; vet images and links; note headings."""

    def __init__(self, md: markdown.Markdown, context: Context) -> None:
        super().__init__(md)
        self.context = context

    def run(self, root: ET.Element) -> None:
        if _depth(root) > TREE_DEPTH:  # lists, quotes or emphasis past what scan() saw
            self.context.report(
                self.context.manuscript.body_line,
                "M121",
                f"this article's text is nested more than {TREE_DEPTH} elements deep",
                hint="flatten nested lists, quotes and emphasis",
            )
            root.clear()
            return
        unescape = self.md.treeprocessors["unescape"]
        for element in root.iter():  # as the editor wrote them, not Markdown's placeholders
            for key in ("src", "href", "alt", "title"):
                value = element.get(key)
                if value is not None:
                    element.set(key, unescape.unescape(value))  # type: ignore[attr-defined]
        parents = {child: parent for parent in root.iter() for child in parent}
        for element in list(root.iter()):
            if element.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                line = self.context.next_heading_line()
                self.context.headings.append(
                    Heading(int(element.tag[1]), _text(element), element.get("id", ""), line)
                )
            elif element.tag == "img":
                self._image(element, parents)
            elif element.tag == "a":
                self._link(element)
            elif element.tag == "th":
                in_head = parents.get(parents.get(element, root), root).tag == "thead"
                element.set("scope", "col" if in_head else "row")
        self._footnotes(root)

    def _image(self, img: ET.Element, parents: dict[ET.Element, ET.Element]) -> None:
        # Markdown's backslash escapes are still placeholders here: the address as written
        src = _ESCAPED.sub(lambda m: chr(int(m.group(1))), img.get("src", ""))
        alt = img.get("alt", "")
        line = self.context.place_of((f"]({src}", f"![{alt}]"), "image")
        if "\\" in src and not urlsplit(src).scheme:
            src = self._backslashes(src, line)
        found = self._vet_image(src, line)
        path, picture = found if found is not None else (None, None)
        width = self._width(img, src, line)
        caption = img.attrib.pop("title", "")
        self.context.images.append(Image(src, alt, caption, line, path, picture, width))
        # The page names the picture by its content, never by what the manuscript wrote.
        img.set("src", picture.src if picture is not None else "")
        if width is not None:
            img.set("class", " ".join(filter(None, (img.get("class"), width_class(width)))))
        paragraph = parents.get(img)
        if (
            caption
            and paragraph is not None
            and paragraph.tag == "p"
            and len(paragraph) == 1
            and not (paragraph.text or "").strip()
            and not (img.tail or "").strip()
        ):
            paragraph.tag = "figure"
            figcaption = ET.SubElement(paragraph, "figcaption")
            figcaption.text = caption

    def _vet_image(self, src: str, line: int) -> tuple[Path, Picture] | None:
        context = self.context
        found = load(src, context.manuscript.path.parent, context.images_root)
        if isinstance(found, Refusal):
            context.report(line, found.code, found.message, hint=found.hint)
            return None
        if found[1].animated:
            context.warn(
                line,
                "I217",
                f"the image '{src}' is animated; only its first picture is published",
                hint="use a still picture: print cannot move, and moving pictures "
                "distract some readers",
            )
        return found

    def _width(self, img: ET.Element, src: str, line: int) -> int | None:
        """The width set by an attribute list, ``{: width=50% }``; sizes are careleaf's."""
        img.attrib.pop("height", None)
        given = img.attrib.pop("width", None)
        if given is None:
            return None
        percent = width_setting(given)
        if percent is None:
            self.context.report(
                line,
                "I216",
                f"the width '{given}' of the image '{src}' is not one careleaf knows",
                hint="write {: width=small }, medium, large or full, "
                "or a share of the column from 10% to 100%, e.g. {: width=40% }",
            )
        return percent

    def _link(self, anchor: ET.Element) -> None:
        href = anchor.get("href", "")
        text = _text(anchor)
        if "footnote-ref" in anchor.get("class", "") or "footnote-backref" in anchor.get(
            "class", ""
        ):
            return
        # inline links [text](address), automatic links <address>, reference links [text][x]
        needles = (f"]({href}" if href else "", f"<{href}>" if href else "", f"[{text}]")
        line = self.context.place_of(needles, "link")
        if "\\" in href and not urlsplit(href).scheme:
            href = self._backslashes(href, line)
            anchor.set("href", href)
        parts = urlsplit(href)
        fault = address_fault(href) if parts.scheme.lower() in LINK_SCHEMES else None
        if fault:
            self.context.report(
                line,
                "I208",
                f"the link '{href}' is malformed: {fault}",
                hint="copy the address again from the browser's address bar",
            )
            anchor.attrib.pop("href", None)
        elif (parts.scheme and parts.scheme.lower() not in LINK_SCHEMES) or (
            parts.netloc and not parts.scheme
        ):
            self.context.report(
                line,
                "I204",
                f"the link '{href}' uses an address careleaf does not publish",
                hint="use an https:// address",
            )
            anchor.attrib.pop("href", None)
        elif not parts.scheme and not parts.netloc and parts.path:
            page = self.context.pages.get(Path(unquote(parts.path)).name)
            if page is None or not parts.path.endswith(".md"):
                self.context.report(
                    line,
                    "I203",
                    f"the link '{href}' does not point at another manuscript of the library",
                    hint="link to its .md file, e.g. (flu-vaccine.md)",
                )
            else:
                href = page + (f"#{parts.fragment}" if parts.fragment else "")
                anchor.set("href", href)
        self.context.links.append(Link(href, text, line))

    def _backslashes(self, written: str, line: int) -> str:
        """A Windows path (images\\photo.png): read with forward slashes, and say so."""
        path = written.replace("\\", "/")
        self.context.warn(
            line,
            "I209",
            f"'{written}' is written with backslashes; careleaf reads it as '{path}'",
            hint=f"write '{path}'",
        )
        return path

    def _footnotes(self, root: ET.Element) -> None:
        _ = self.context.gettext
        for element in root.iter():
            classes = element.get("class", "")
            if element.tag == "div" and "footnote" in classes.split():
                element.tag = "section"
                element.set("role", "doc-endnotes")
                element.set("aria-label", _("Notes"))
                for rule in [child for child in element if child.tag == "hr"]:
                    element.remove(rule)
            elif element.tag == "a" and "footnote-ref" in classes:
                element.set("role", "doc-noteref")
            elif element.tag == "a" and "footnote-backref" in classes:
                element.set("role", "doc-backlink")


def _depth(root: ET.Element) -> int:
    """How many elements deep the tree goes (without recursion: it may be deep)."""
    deepest, stack = 0, [(root, 0)]
    while stack:
        element, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in element)
    return deepest


class Careleaf(Extension):
    def __init__(self, context: Context) -> None:
        super().__init__()
        self.context = context

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Raw HTML is kept only as far as careleaf.rawhtml allows: manuscripts are untrusted.
        reader = md.preprocessors["html_block"]
        md.preprocessors.register(RawBlocks(md, self.context, reader), "html_block", 20)
        md.inlinePatterns.register(RawInline(md, self.context), "html", 90)
        md.postprocessors.register(RawHtml(md, self.context), "careleaf-raw-html", 35)
        md.treeprocessors.register(_TitleOnce(md, self.context), "careleaf-title", 100)
        md.treeprocessors.register(_Accessibility(md, self.context), "careleaf", 1)
        callouts.register(md, self.context)
