"""Markdown to a safe, accessible HTML fragment: one ``Article`` per ``Manuscript``.

Python-Markdown does the Markdown (tables, footnotes, abbreviations, definition
lists, attribute lists, smart quotes, heading ids); small tree-processors
(``careleaf.treeprocessors``) add what accessibility needs (figures with captions,
table header scopes, footnote roles, the title shown once) and vet every image and
link. Raw HTML in a manuscript is shown as text, and nh3 sanitises the result as a
second defence.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import markdown
import nh3
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.smarty import SmartyExtension
from markdown.extensions.toc import TocExtension, slugify_unicode

from careleaf.manuscript import Manuscript
from careleaf.problems import Problem
from careleaf.treeprocessors import LINK_SCHEMES, Careleaf, Context, Heading, Image, Link

__all__ = ["LINK_SCHEMES", "Article", "Heading", "Image", "Link", "convert", "sanitise"]

_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "h1",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "section",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
_ATTRIBUTES = {
    "*": {"id", "class", "lang", "dir", "title", "role", "aria-label"},
    "a": {"href"},
    "div": {"aria-labelledby"},  # callouts: named by their title (careleaf.callouts)
    "img": {"src", "alt", "width", "height"},
    "th": {"scope", "colspan", "rowspan", "align"},
    "td": {"colspan", "rowspan", "align"},
    "ol": {"start"},
}
_QUOTES = {  # smart quotes as each language writes them (Python-Markdown's smarty)
    "fr": {"left-double-quote": "&laquo;&#160;", "right-double-quote": "&#160;&raquo;"},
    "es": {"left-double-quote": "&laquo;", "right-double-quote": "&raquo;"},
    "ar": {"left-double-quote": "&laquo;", "right-double-quote": "&raquo;"},
}


@dataclass(frozen=True)
class Article:
    """A manuscript made into a sanitised HTML fragment, with what later stages need."""

    manuscript: Manuscript
    body: str  # sanitised HTML of the body, without the title
    text: str  # the body as plain text
    headings: tuple[Heading, ...] = ()
    images: tuple[Image, ...] = ()
    links: tuple[Link, ...] = ()
    abbreviations: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def slug(self) -> str:
        return self.manuscript.slug

    @property
    def title(self) -> str:
        return self.manuscript.title

    @property
    def lang(self) -> str:
        return self.manuscript.lang

    @property
    def direction(self) -> str:
        return self.manuscript.direction

    @property
    def word_count(self) -> int:
        return len(self.text.split())


def convert(
    manuscript: Manuscript,
    *,
    images_root: Path,
    pages: Mapping[str, str],
    gettext: Callable[[str], str],
) -> tuple[Article, list[Problem]]:
    """Turn one manuscript's body into an ``Article`` (and the problems found in it)."""
    context = Context(manuscript, images_root, pages, gettext, manuscript.body.split("\n"))
    language = manuscript.lang.split("-")[0].lower()
    md = markdown.Markdown(
        extensions=[
            "tables",
            "fenced_code",
            "abbr",
            "def_list",
            "attr_list",
            "sane_lists",
            SmartyExtension(substitutions=_QUOTES.get(language, {})),
            FootnoteExtension(
                SEPARATOR="-",
                BACKLINK_TEXT="\u21a9\ufe0e",
                BACKLINK_TITLE=gettext("Back to the text of note %d"),
            ),
            TocExtension(slugify=slugify_unicode, toc_depth="2-6"),
            Careleaf(context),
        ],
        output_format="html",
    )
    raw = md.convert(manuscript.body)
    names = {
        token["id"]: html.unescape(token["name"])
        for token in _flatten(getattr(md, "toc_tokens", []))
    }
    headings = [replace(h, text=names.get(h.id, h.text)) for h in context.headings]
    body = sanitise(raw)
    abbreviations = {
        html.unescape(match.group(2)): html.unescape(match.group(1))
        for match in re.finditer(r'<abbr title="([^"]*)">([^<]*)</abbr>', body)
    }
    article = Article(
        manuscript=manuscript,
        body=body,
        text=plain_text(body),
        headings=tuple(headings),
        images=tuple(context.images),
        links=tuple(context.links),
        abbreviations=abbreviations,
    )
    return article, context.problems


def _flatten(tokens: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for token in tokens:
        yield token
        yield from _flatten(token["children"])


def sanitise(fragment: str) -> str:
    """Keep only the elements and attributes careleaf publishes; no scripts, no styles."""
    return nh3.clean(
        fragment,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=set(LINK_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )


def plain_text(fragment: str) -> str:
    text = nh3.clean(
        re.sub(r"<(/p|/li|/h\d|/td|/th|/dt|/dd|br)\b", r" \g<0>", fragment), tags=set()
    )
    text = html.unescape(text).replace("\u21a9\ufe0e", "")
    return re.sub(r"[ \t]+", " ", text).strip()
