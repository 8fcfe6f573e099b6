"""Raw HTML through Python-Markdown's pipeline: which stash entries are the editor's raw
HTML (blocks from its ``html_block`` reader, tags from its ``html`` inline pattern), and
each of them rebuilt by ``careleaf.rawhtml`` before its ``raw_html`` post-processor puts
it back, every removal a problem at the manuscript's line and column."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import markdown
from markdown.inlinepatterns import HTML_RE, HtmlInlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from careleaf import rawhtml
from careleaf.limits import MAX_DEPTH
from careleaf.problems import error, warning

if TYPE_CHECKING:
    from careleaf.treeprocessors import Context


class RawBlocks(Preprocessor):
    """Python-Markdown's own raw HTML block reader, noting which stash entries it made."""

    def __init__(self, md: markdown.Markdown, context: Context, reader: Preprocessor) -> None:
        super().__init__(md)
        self.context, self.reader = context, reader

    def run(self, lines: list[str]) -> list[str]:
        before = self.md.htmlStash.html_counter
        result = self.reader.run(lines)
        for index in range(before, self.md.htmlStash.html_counter):
            self.context.raw_html[index] = "block"
        return result


class RawInline(HtmlInlineProcessor):
    """An inline HTML tag (``<sup>``, ``</sup>``, ``<br>``), noted as raw HTML."""

    def __init__(self, md: markdown.Markdown, context: Context) -> None:
        super().__init__(HTML_RE, md)
        self.context = context

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[str, int, int]:  # type: ignore[override]
        placeholder, start, end = super().handleMatch(m, data)
        self.context.raw_html[self.md.htmlStash.html_counter - 1] = "inline"
        return str(placeholder), int(start or 0), int(end or 0)


class RawHtml(Postprocessor):
    """Each raw HTML entry of the stash rebuilt from what careleaf publishes
    (``careleaf.rawhtml``), before Python-Markdown puts it back into the page."""

    def __init__(self, md: markdown.Markdown, context: Context) -> None:
        super().__init__(md)
        self.context = context

    def run(self, text: str) -> str:
        stash = self.md.htmlStash.rawHtmlBlocks
        for index, kind in sorted(self.context.raw_html.items()):
            fragment = stash[index]
            if not isinstance(fragment, str):
                continue
            first = fragment.split("\n", 1)[0]
            line = self.context.place_of((first.strip(),), f"raw-{kind}")
            column = self.context.column_of(line, first.strip()) or 1
            stash[index], removals = rawhtml.rebuild(fragment, MAX_DEPTH)
            for removal in removals:
                at = line + removal.line - 1
                where = removal.column + (column - 1 if removal.line == 1 else 0)
                report = warning if removal.code == "I206" else error
                self.context.problems.append(
                    report(
                        self.context.manuscript.path,
                        at,
                        removal.code,
                        removal.message,
                        hint=removal.hint,
                        column=where,
                    )
                )
        return text
