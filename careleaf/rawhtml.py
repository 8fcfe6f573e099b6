"""Raw HTML in a manuscript: the harmless kept, the rest removed and reported.

Editors paste HTML from websites and word processors (``<sup>2</sup>``, ``<br>``,
``<div class="warning">``). Python-Markdown keeps each raw HTML block and each inline
tag aside in its "stash" and puts it back at the end (its ``raw_html``
post-processor); careleaf rebuilds each one, tag by tag, from ``TAGS`` and
``ATTRIBUTES`` before it is put back. Whatever else it held (scripts, styles, frames,
forms, event handlers, ``style`` and ``class`` attributes, comments) is removed, each
removal a warning at its line and column (I206). Headings, links and images must be
written in Markdown, where careleaf checks them (I207). nh3 then sanitises the whole
page again as a second defence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

# Structural and inline elements that only arrange or mark text.
TAGS = frozenset(
    (
        "abbr",
        "b",
        "bdi",
        "blockquote",
        "br",
        "caption",
        "code",
        "dd",
        "del",
        "details",
        "div",
        "dl",
        "dt",
        "em",
        "hr",
        "i",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "time",
        "tr",
        "u",
        "ul",
        "var",
        "wbr",
    )
)
ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset({"lang", "dir", "title"}),
    "th": frozenset({"scope", "colspan", "rowspan"}),
    "td": frozenset({"colspan", "rowspan"}),
    "ol": frozenset({"start", "reversed"}),
    "li": frozenset({"value"}),
    "details": frozenset({"open"}),
    "time": frozenset({"datetime"}),
    "del": frozenset({"datetime"}),
    "ins": frozenset({"datetime"}),
}
_VALUES = {  # attributes whose values are checked (others are plain text)
    "dir": re.compile(r"ltr|rtl|auto", re.IGNORECASE),
    "scope": re.compile(r"col|row|colgroup|rowgroup", re.IGNORECASE),
    "colspan": re.compile(r"[1-9][0-9]{0,2}"),
    "rowspan": re.compile(r"[0-9]{1,3}"),
    "start": re.compile(r"-?[0-9]{1,9}"),
    "value": re.compile(r"-?[0-9]{1,9}"),
    "lang": re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*"),
    "datetime": re.compile(r"[0-9T:+\-. Z]{4,35}"),
    "open": re.compile(r"|open", re.IGNORECASE),
    "reversed": re.compile(r"|reversed", re.IGNORECASE),
}
# Elements whose content goes with them: code, styles, embedded documents, forms' lists.
_DROP_CONTENT = frozenset(
    (
        "script",
        "style",
        "template",
        "iframe",
        "object",
        "embed",
        "applet",
        "frame",
        "frameset",
        "noframes",
        "noembed",
        "noscript",
        "svg",
        "math",
        "canvas",
        "audio",
        "video",
        "textarea",
        "select",
        "option",
        "title",
        "head",
        "xmp",
        "plaintext",
    )
)
_MARKDOWN_INSTEAD = {
    "a": "write links in Markdown: [what the page is](https://...)",
    "img": "add images in Markdown: ![what it shows](images/file.png)",
    **{f"h{n}": f"write headings in Markdown: {'#' * max(n, 2)} Heading" for n in range(1, 7)},
}
_VOID = frozenset({"br", "hr", "wbr"})
_SCOPE = "\x00scope\x00"  # a th's scope, until its row is read


@dataclass(frozen=True)
class Removal:
    line: int  # 1-based, within the fragment
    column: int  # 1-based
    code: str  # I206 (removed), I207 (write it in Markdown), M121 (nested too deep)
    message: str
    hint: str


@dataclass
class _Rows:
    """What is known of the row being read, in one table."""

    headers: list[int] = field(default_factory=list)  # places of its <th> without a scope
    data: bool = False  # it has a <td> with something in it
    in_head: bool = False
    in_cell: bool = False  # inside a <td>
    heads: int = 0  # open <thead> elements


class _Rebuilder(HTMLParser):
    def __init__(self, max_depth: int) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.removals: list[Removal] = []
        self.dropping: list[str] = []  # open elements whose content is dropped
        self.depth = 0
        self.max_depth = max_depth
        self.too_deep = False
        # a header cell without a scope heads its column, or its row when the row has a
        # data cell with something in it, outside the table's head (decided at the row's
        # end); one state for each table open, tables inside a cell having their own
        self.tables: list[_Rows] = [_Rows()]

    def end_row(self) -> None:
        rows = self.tables[-1]
        scope = "row" if rows.data and not rows.in_head else "col"
        for index in rows.headers:
            self.out[index] = self.out[index].replace(_SCOPE, f' scope="{scope}"')
        rows.headers, rows.data, rows.in_head = [], False, rows.heads > 0

    def _remove(self, code: str, message: str, hint: str) -> None:
        line, offset = self.getpos()
        self.removals.append(Removal(line, offset + 1, code, message, hint))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=tag in _VOID)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        if self.dropping:
            if tag == self.dropping[-1] and not closed:
                self.dropping.append(tag)
            return
        if tag in _MARKDOWN_INSTEAD:
            self._remove("I207", f"<{tag}> is written in HTML", _MARKDOWN_INSTEAD[tag])
            return
        if tag not in TAGS:
            what = "and its content were" if tag in _DROP_CONTENT else "was"
            self._remove(
                "I206",
                f"<{tag}> {what} removed: careleaf does not publish it",
                "leave it out; write the text in Markdown",
            )
            if tag in _DROP_CONTENT and not closed:
                self.dropping.append(tag)
            return
        kept = []
        for name, value in attrs:
            allowed = name in ATTRIBUTES["*"] or name in ATTRIBUTES.get(tag, ())
            pattern = _VALUES.get(name)
            if allowed and (pattern is None or pattern.fullmatch((value or "").strip())):
                kept.append(f' {name}="{escape((value or "").strip())}"')
            else:
                self._remove(
                    "I206",
                    f'the attribute {name}="{_short(value)}" of <{tag}> was removed',
                    "careleaf's layouts style the page; leave it out",
                )
        rows = self.tables[-1]
        rows.data = rows.data or rows.in_cell  # a picture or a table in a data cell
        if tag == "table":
            self.tables.append(rows := _Rows())
        elif tag in ("tr", "thead", "tbody", "tfoot"):
            self.end_row()
        rows.heads += tag == "thead"
        rows.in_head = rows.in_head or rows.heads > 0
        rows.in_cell = tag == "td" and not closed
        if tag == "th" and not any(name == "scope" for name, _ in attrs):
            kept.append(_SCOPE)
            rows.headers.append(len(self.out))
        if not closed and tag not in _VOID:
            self.depth += 1
            if self.depth > self.max_depth and not self.too_deep:
                self.too_deep = True
                self._remove(
                    "M121",
                    f"raw HTML is nested more than {self.max_depth} deep",
                    "simplify the HTML, or write it in Markdown",
                )
        self.out.append(f"<{tag}{''.join(kept)}>")

    def handle_endtag(self, tag: str) -> None:
        if self.dropping:
            if tag == self.dropping[-1]:
                self.dropping.pop()
            return
        if tag in TAGS and tag not in _VOID:
            self.depth = max(self.depth - 1, 0)
            self.out.append(f"</{tag}>")
            rows = self.tables[-1]
            rows.in_cell = rows.in_cell and tag != "td"
            if tag in ("tr", "table", "thead", "tbody", "tfoot"):
                self.end_row()
            rows.heads -= tag == "thead" and rows.heads > 0
            if tag == "table" and len(self.tables) > 1:
                self.tables.pop()

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.out.append(escape(data, quote=False))
            rows = self.tables[-1]
            rows.data = rows.data or (rows.in_cell and bool(data.strip()))

    def handle_comment(self, data: str) -> None:
        """An editor's note to other editors: not published, and nothing to warn about."""

    def handle_decl(self, decl: str) -> None:
        self._remove("I206", f"<!{_short(decl)}> was removed", "leave it out")

    def handle_pi(self, data: str) -> None:
        self._remove("I206", f"<?{_short(data)}> was removed", "leave it out")

    def unknown_decl(self, data: str) -> None:
        self._remove("I206", f"<![{_short(data)}]> was removed", "leave it out")


def _short(value: str | None) -> str:
    text = " ".join((value or "").split())
    return text if len(text) <= 40 else text[:37] + "..."


def rebuild(fragment: str, max_depth: int) -> tuple[str, list[Removal]]:
    """The fragment with only what careleaf publishes, and what was removed from it."""
    parser = _Rebuilder(max_depth)
    parser.feed(fragment)
    parser.close()
    parser.end_row()
    return "".join(parser.out), parser.removals
