"""Limits: what careleaf refuses to read because no leaflet needs it and it would hang.

Python-Markdown recurses into nested lists, quotes and emphasis (a few hundred levels
end in ``RecursionError``) and takes quadratic time over some runs of markup (80 KB of
``[`` took five minutes). ``scan`` looks at the Markdown source before it is converted
and reports, at its line, what goes past these limits; ``estimated_pages`` tells how
long a leaflet would be before anything is rendered. ``python benchmarks/hostile.py``
times the worst cases.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

MAX_DEPTH = 20  # lists, quotes and raw HTML inside each other; leaflets use 3 or 4
MAX_OPEN_BRACKETS = 100  # '[' that close no link, in one paragraph
MAX_DELIMITER_RUN = 40  # '*' or '_' in a row inside a paragraph (not a rule)
MAX_ABBREVIATIONS = 250  # '*[HPV]: ...' definitions in one manuscript
MAX_FOOTNOTES = 500  # '[^1]: ...' definitions in one manuscript
MAX_OPEN_TAGS = 500  # '<a ' that no '>' closes on its line, in one manuscript
# Python-Markdown's inline patterns take quadratic time over a paragraph with many
# matches ('a*' repeated: 200 KB took 44 s), and its blocks a fixed time each (50,000
# one-letter paragraphs took 22 s): a paragraph, and a manuscript's blocks, are bounded.
MAX_PARAGRAPH = 200_000  # characters in a run of non-blank lines (a long table: 30,000)
MAX_BLOCKS = 3_000  # paragraphs and code blocks in one manuscript (a leaflet's: under 200)
# Marks Python-Markdown's inline patterns try to match, outside code: it reads about
# 50 s of them per megabyte ('a*'), a real leaflet holds a few hundred
MAX_MARKS = 40_000
# what scan says when a manuscript goes past a limit of its paragraphs: message (with
# the count and the limit), hint
_TOO_MANY = {
    "marks": (
        "this manuscript holds more than {1:,} marks of emphasis, quotes, code or links by "
        "here; careleaf reads up to {1:,}",
        "put data or code between ``` lines, or split the article",
    ),
    "blocks": (
        "this manuscript holds more than {1:,} paragraphs; careleaf reads up to {1:,}",
        "a leaflet this long cannot be printed: split it into several articles",
    ),
    "paragraph": (
        "this paragraph is {0:,} characters long; careleaf reads paragraphs of up to {1:,}",
        "put a blank line between paragraphs, or split a very long table in two",
    ),
}
_MARK = re.compile(r"[*_`\\'\"&<\[!]")
# Characters of text on a page of a standard-print leaflet, a low estimate (12.5pt on
# A4 or letter; A5 holds half as much), so that the estimate errs towards fewer pages.
CHARACTERS_PER_PAGE = {"A4": 3000, "letter": 2900, "A5": 1500}

_CONTAINER = re.compile(r"(?:>|[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
_COMPLETE_LINK = re.compile(r"!?\[[^\[\]\n]*\](?:\([^()\n]*\)|\[[^\[\]\n]*\]|(?![(\[]))")
_DELIMITER_RUN = re.compile(rf"[*_]{{{MAX_DELIMITER_RUN + 1},}}")
_RULE = re.compile(r" {0,3}(?:(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|(?:-[ \t]*){3,})")
_FENCE = re.compile(r"(`{3,}|~{3,})")  # Python-Markdown's: at the line's start
_ABBREVIATION = re.compile(r"^ {0,3}\*\[", re.MULTILINE)
_FOOTNOTE = re.compile(r"^ {0,3}\[\^[^\]\n]*\]:", re.MULTILINE)
_OPEN_TAG = re.compile(r"<[A-Za-z/!?][^<>\n]*(?=<|\n|$)")
_MARKUP = re.compile(r"\]\([^()\s]*\)|[#*_`>|\[\]]+|<[^<>\n]*>")


@dataclass(frozen=True)
class Finding:
    line: int  # 1-based line within the text scanned
    code: str
    message: str
    hint: str


def nesting(line: str) -> int:
    """How deep the line's list items and quotes nest: four spaces of indentation (a
    tab counts four) open a level, and so does each marker ('>', '-', '1.') in a row."""
    expanded = line.expandtabs(4)
    rest = expanded.lstrip(" ")
    depth = (len(expanded) - len(rest)) // 4
    position = 0
    while match := _CONTAINER.match(rest, position):
        depth += 1
        position = match.end()
        rest_of = rest[position:]
        position += len(rest_of) - len(rest_of.lstrip(" "))
    return depth if position else 0


def paragraphs(text: str) -> Iterable[tuple[int, str]]:
    """(first line, text) of each run of non-blank lines outside fenced code (code is
    not read for links or emphasis, so it takes no time however it looks); a fenced
    code block is one block too, given as its opening line. Code is what Python-Markdown
    takes for code: a fence at the line's start, closed by the same fence later."""
    start, fence = 1, ""
    block: list[str] = []
    lines = text.split("\n")
    last = {
        line.rstrip(" "): n for n, line in enumerate(lines, 1) if _FENCE.fullmatch(line.rstrip(" "))
    }
    for number, line in enumerate(lines, start=1):
        opening = _FENCE.match(line)
        if opening and not fence and last.get(opening.group(1), 0) <= number:
            opening = None  # a fence never closed is not code to Python-Markdown: text
        if fence or opening:
            if fence and line.rstrip(" ") == fence:
                fence = ""
            elif not fence and opening:
                fence = opening.group(1)
                if block:
                    yield start, "\n".join(block)
                    block = []
                yield number, line
            line = ""
        if line.strip():
            if not block:
                start = number
            block.append(line)
        elif block:
            yield start, "\n".join(block)
            block = []
    if block:
        yield start, "\n".join(block)


def scan(text: str) -> list[Finding]:
    """What in the Markdown ``text`` goes past careleaf's limits (at most one finding
    of each kind: the first)."""
    found: dict[str, Finding] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        if "depth" not in found and (
            line.startswith((" ", "\t", ">")) or line[:1] in "-*+0123456789"
        ):
            depth = nesting(line)
            if depth > MAX_DEPTH:
                found["depth"] = Finding(
                    number,
                    "M121",
                    f"lists or quotes are nested {depth} deep here; careleaf reads up to "
                    f"{MAX_DEPTH}",
                    "flatten the list: no reader can follow that many levels",
                )
    marks = 0
    for blocks, (start, block) in enumerate(paragraphs(text), start=1):
        marks += len(_MARK.findall(block))
        for kind, count, most in (
            ("marks", marks, MAX_MARKS),
            ("blocks", blocks, MAX_BLOCKS),
            ("paragraph", len(block), MAX_PARAGRAPH),
        ):
            if count > most and kind not in found:
                message, hint = _TOO_MANY[kind]
                found[kind] = Finding(start, "M122", message.format(count, most), hint)
        if "brackets" not in found:
            rest = _COMPLETE_LINK.sub("", block) if "[" in block else ""
            if rest.count("[") > MAX_OPEN_BRACKETS:
                at = start + block[: _nth(block, "[", MAX_OPEN_BRACKETS)].count("\n")
                found["brackets"] = Finding(
                    at,
                    "M122",
                    f"this paragraph holds {rest.count('[')} '[' that open no link; careleaf "
                    f"reads up to {MAX_OPEN_BRACKETS}",
                    "put data or code between ``` lines, or write it without brackets",
                )
        if "emphasis" not in found and ("**" in block or "__" in block):
            for match in _DELIMITER_RUN.finditer(block):
                at = start + block.count("\n", 0, match.start())
                line = block.split("\n")[at - start]
                if not _RULE.fullmatch(line):
                    found["emphasis"] = Finding(
                        at,
                        "M121",
                        f"a run of {len(match.group(0))} '*' or '_' nests emphasis too deep; "
                        f"careleaf reads up to {MAX_DELIMITER_RUN} in a row",
                        "use ** for bold and * for italics, not more",
                    )
                    break
    abbreviations = [m.start() for m in _ABBREVIATION.finditer(text)]
    if len(abbreviations) > MAX_ABBREVIATIONS:
        at = text.count("\n", 0, abbreviations[MAX_ABBREVIATIONS]) + 1
        found["abbreviations"] = Finding(
            at,
            "M122",
            f"this manuscript defines {len(abbreviations)} abbreviations; careleaf reads up to "
            f"{MAX_ABBREVIATIONS}",
            "define only the abbreviations the article uses",
        )
    for kind, pattern, most, advice in (
        ("footnotes", _FOOTNOTE, MAX_FOOTNOTES, "keep the notes the article needs"),
        ("tags", _OPEN_TAG, MAX_OPEN_TAGS, "write < as &lt;, or put code between ``` lines"),
    ):
        starts = [m.start() for m in pattern.finditer(text)]
        if len(starts) > most:
            at = text.count("\n", 0, starts[most]) + 1
            what = "footnotes" if kind == "footnotes" else "'<' that open no tag"
            found[kind] = Finding(
                at,
                "M122",
                f"this manuscript holds {len(starts)} {what}; careleaf reads up to {most}",
                advice,
            )
    return sorted(found.values(), key=lambda f: f.line)


def _nth(text: str, needle: str, count: int) -> int:
    position = -1
    for _ in range(count + 1):
        position = text.find(needle, position + 1)
    return max(position, 0)


def estimated_pages(body: str, paper: str) -> int:
    """A low estimate of a standard-print leaflet's pages, from the body's text without
    its markup and web addresses (images and tables are not counted)."""
    text = _MARKUP.sub("", body)
    characters = len(" ".join(text.split()))
    return 1 + characters // CHARACTERS_PER_PAGE.get(paper, 3000)
