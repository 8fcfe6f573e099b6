"""Markdown to a safe, accessible HTML fragment: one ``Article`` per ``Manuscript``.

Python-Markdown does the Markdown (tables, footnotes, abbreviations, definition
lists, attribute lists, smart quotes, heading ids); small tree-processors
(``careleaf.treeprocessors``) add what accessibility needs (figures with captions,
table header scopes, footnote roles, the title shown once) and vet every image and
link. Raw HTML in a manuscript keeps only harmless elements (``careleaf.rawhtml``),
and nh3 sanitises the result as a second defence. Before any of that, invisible
control characters are removed (``careleaf.characters``) and the source is checked
against careleaf's limits (``careleaf.limits``), so that no manuscript can hang or
crash the conversion.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import markdown
import nh3
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.smarty import SmartyExtension
from markdown.extensions.toc import TocExtension, slugify_unicode

from careleaf import characters, limits, rawhtml, xhtml
from careleaf.addresses import LINK_SCHEMES
from careleaf.problems import Problem, error, warning
from careleaf.records import Article, Heading, Image, Link, Manuscript
from careleaf.treeprocessors import Careleaf, Context

__all__ = ["LINK_SCHEMES", "Article", "Heading", "Image", "Link", "convert", "sanitise"]

# What a page may hold: the raw HTML careleaf keeps (careleaf.rawhtml decides it), and
# what Markdown and careleaf's own tree-processors make besides (links, pictures,
# headings, figures, the notes section), with the attributes they set.
_TAGS = set(rawhtml.TAGS) | {"a", "img", "figure", "figcaption", "section"}
_TAGS |= {"h1", "h2", "h3", "h4", "h5", "h6"}
_ATTRIBUTES = {name: set(allowed) for name, allowed in rawhtml.ATTRIBUTES.items()}
_ATTRIBUTES["*"] |= {"id", "class", "role", "aria-label"}
_ATTRIBUTES["th"] |= {"align"}
_ATTRIBUTES["td"] |= {"align"}
_ATTRIBUTES |= {"a": {"href"}, "div": {"aria-labelledby"}, "img": {"src", "alt", "width", "height"}}
_QUOTES = {  # smart quotes as each language writes them (Python-Markdown's smarty)
    "fr": {"left-double-quote": "&laquo;&#160;", "right-double-quote": "&#160;&raquo;"},
    "es": {"left-double-quote": "&laquo;", "right-double-quote": "&raquo;"},
    "ar": {"left-double-quote": "&laquo;", "right-double-quote": "&raquo;"},
}


# A quotation mark between Hebrew letters is the gershayim of an abbreviation (מ"ג, mg)
# and an apostrophe the geresh (ג'ירפה): not quotes for smarty to curl
_HEBREW_MARK = re.compile("(?<=[\u05d0-\u05ea])[\"'](?=[\u05d0-\u05ea])")


def _hebrew_mark(match: re.Match[str]) -> str:
    return "\u05f4" if match[0] == '"' else "\u05f3"


def convert(
    manuscript: Manuscript,
    *,
    images_root: Path,
    pages: Mapping[str, str],
    gettext: Callable[[str], str],
) -> tuple[Article, list[Problem]]:
    """Turn one manuscript's body into an ``Article`` (and the problems found in it)."""
    manuscript, problems = _without_refused(manuscript)
    found = [
        error(manuscript.path, manuscript.body_line + f.line - 1, f.code, f.message, hint=f.hint)
        for f in limits.scan(manuscript.body)
    ]
    if found:  # converting it could take hours or crash: nothing more is read
        return Article(manuscript=manuscript, body="", text=""), problems + found
    context = Context(manuscript, images_root, pages, gettext, manuscript.body.split("\n"))
    context.problems += problems
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
    try:
        raw = md.convert(_HEBREW_MARK.sub(_hebrew_mark, manuscript.body))
    except RecursionError:  # nesting scan() does not foresee: a problem, never a traceback
        where = max(enumerate(context.lines), key=lambda pair: limits.nesting(pair[1]))[0]
        context.report(
            manuscript.body_line + where,
            "M121",
            "the text is nested too deeply for careleaf to read",
            hint="flatten nested lists, quotes and emphasis",
        )
        return Article(manuscript=manuscript, body="", text=""), context.problems
    names = {
        token["id"]: html.unescape(token["name"])
        for token in _flatten(getattr(md, "toc_tokens", []))
    }
    headings = [replace(h, text=names.get(h.id, h.text)) for h in context.headings]
    body = sanitise(raw)
    fault = xhtml.fragment_fault(body)
    if fault:  # found here, at the manuscript, rather than blamed on the e-book's layout
        context.report(
            manuscript.body_line,
            "E701",
            f"the article's text cannot be made into e-book XHTML: {fault}",
            hint="simplify the raw HTML or deeply nested lists in this article",
        )
        body = ""
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


def _without_refused(manuscript: Manuscript) -> tuple[Manuscript, list[Problem]]:
    """The manuscript without the characters careleaf never publishes, each one removed a
    warning at its place (M124). Lines keep their numbers."""
    body, removed = characters.without_refused(manuscript.body)
    problems = [
        warning(
            manuscript.path,
            manuscript.body_line + r.line - 1,
            "M124",
            _removed(r.char),
            hint=_removed_hint(r.char),
            column=r.column,
        )
        for r in removed
    ]
    composed = characters.composed(body)
    changed = removed or composed != manuscript.body
    return (replace(manuscript, body=composed) if changed else manuscript), problems


def _removed(char: str) -> str:
    if char in characters.SEPARATORS:
        pasted = "a line break pasted from a word processor"
        return f"the {characters.name(char)} ({pasted}) was made a space"
    return f"the invisible character {characters.name(char)} was removed"


def _removed_hint(char: str) -> str:
    if char in characters.SEPARATORS:
        return "to start a new line there, end the line before it with a backslash (\\)"
    if char in characters.BIDI_CONTROLS:
        return "text direction comes from 'lang' or {: dir=rtl }; check the line reads right"
    return "it came with pasted text; nothing visible is lost"


def _flatten(tokens: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for token in tokens:
        yield token
        yield from _flatten(token["children"])


def sanitise(fragment: str) -> str:
    """Keep only the elements and attributes careleaf publishes; no scripts, no styles."""
    return characters.printable(
        nh3.clean(
            fragment,
            tags=_TAGS,
            attributes=_ATTRIBUTES,
            url_schemes=set(LINK_SCHEMES),
            link_rel=None,
            strip_comments=True,
        )
    )


def plain_text(fragment: str) -> str:
    text = nh3.clean(
        re.sub(r"<(/p|/li|/h\d|/td|/th|/dt|/dd|br)\b", r" \g<0>", fragment), tags=set()
    )
    text = html.unescape(text).replace("\u21a9\ufe0e", "")
    return re.sub(r"[ \t]+", " ", text).strip()
