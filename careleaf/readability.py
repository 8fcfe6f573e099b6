"""Readability: the sentences of a manuscript, where each stands, and how hard they read.

Sentences are found in the Markdown source (not in the HTML), so that every one
keeps its file line and column. Prose counts (paragraphs, list items, definitions,
quotations, the text inside callouts); headings, callout titles, tables (Markdown or
HTML), code, footnote, link and abbreviation definitions, and HTML tags do not.

Scores come from textstat: for English the Flesch-Kincaid grade and the SMOG
grade; for Spanish the Fernández Huerta reading ease (0 to 100, higher is
easier), compared with the ease Flesch's table gives for the target grade. Other
languages (French, Arabic, ...) have no score: textstat has no grade formula
calibrated for them, so they are skipped, and the report says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from careleaf.callouts import read_header
from careleaf.records import Manuscript, Readability

_FENCE = re.compile(r"(`{3,}|~{3,})")
_HEADING = re.compile(r"(#{1,6})(?:\s+(.*?))?\s*#*\s*$")
_LIST_ITEM = re.compile(r"(?:[-*+]|\d{1,9}[.)]|:)\s+")
_TABLE_RULE = re.compile(r"\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?")
_RULE = re.compile(r"(?:[-*_]\s*){3,}")
_LANG_ATTRIBUTE = re.compile(r"\{[^}]*\blang=")
INLINE_TAGS = (
    *("wbr", "span", "font", "b", "i", "u", "s", "em", "strong", "a", "sup", "sub"),
    *("mark", "small", "abbr", "kbd", "code", "q", "cite", "del", "ins", "bdi"),
)
_INLINE = (
    # No class below may run over the bracket that opens the next match: that would take
    # quadratic time over a run of brackets (manuscripts are untrusted).
    (re.compile(r"!\[[^\][]*\]\([^()]*\)(?:\{[^{}]*\})?"), " "),  # images
    (re.compile(r"\[\^[^\][]+\]"), ""),  # footnote references
    (re.compile(r"\[([^\][]*)\]\([^()]*\)"), r"\1"),  # links: their text
    (re.compile(r"\[([^\][]*)\]\[[^\][]*\]"), r"\1"),  # reference links
    (re.compile(r"<((?:https?|mailto|tel):[^>\s]+)>"), r"\1"),  # automatic links
    # pasted HTML: its tags and attributes are not words (a tag inside a word, such as
    # <wbr> or <span>, joins it; others part words), nor are comments
    (re.compile(r"<!--(?:[^-]|-(?!->))*-->"), " "),
    (re.compile(rf"</?(?:{'|'.join(INLINE_TAGS)})(?:\s[^<>]*)?/?>", re.I), ""),
    (re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>"), " "),
    (re.compile(r"\{:[^{}]*\}|\{\s*[#.][^{}]*\}|\{\s*[\w-]+=[^{}]*\}"), ""),  # attribute lists
    (re.compile(r"[*`]+|(?<!\w)_+|_+(?!\w)"), ""),  # emphasis and code marks
)
# A full stop after these is not the end of a sentence.
NOT_ENDS = frozenset(
    """
    e.g i.e etc dr mr mrs ms st no vs approx incl cf fig p pp sr jr prof dept tel
    """.split()  # noqa: SIM905
)
_END = re.compile(r"[.!?\u061f\u3002\u2026]+[\"'\u201d\u2019\u00bb)\]]*(?=\s|$)")
WORD = re.compile(r"[^\W_]+(?:[-'\u2019][^\W_]+)*")


@dataclass(frozen=True)
class Sentence:
    text: str
    line: int
    column: int

    @property
    def words(self) -> int:
        return len(WORD.findall(self.text))


@dataclass(frozen=True)
class Piece:
    """One source line of a block, with its Markdown marks taken out."""

    line: int
    raw: str
    text: str


@dataclass(frozen=True)
class Block:
    kind: str  # "prose" or "heading"
    pieces: tuple[Piece, ...]
    other_language: bool = False  # marked {: lang="xx" }: not scored with the article's formula


def plain(text: str) -> str:
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return text


def blocks(manuscript: Manuscript) -> list[Block]:
    """The body's paragraphs, list items and headings, each with its source lines."""
    found: list[Block] = []
    current: list[Piece] = []
    fence: str | None = None
    skipping = False  # inside a table, a footnote or an abbreviation definition
    raw_table = False  # inside a table written in HTML (until its </table>)

    def flush(kind: str = "prose") -> None:
        if current:
            marked = any(_LANG_ATTRIBUTE.search(piece.raw) for piece in current)
            found.append(Block(kind, tuple(current), marked))
            current.clear()

    lines = manuscript.body.split("\n")
    for index, raw in enumerate(lines):
        number = manuscript.body_line + index
        stripped = raw.strip()
        following = lines[index + 1].strip() if index + 1 < len(lines) else ""
        if fence is not None:
            fence = None if stripped.startswith(fence) else fence
            continue
        opening = _FENCE.match(stripped)
        if opening:
            flush()
            fence = opening.group(1)
            continue
        if not stripped:
            flush()
            skipping = False
            continue
        if raw_table or re.match(r"<table\b", stripped, re.I):  # a pasted HTML table
            flush()
            raw_table = not re.search(r"</table\s*>", stripped, re.I)
            continue
        if skipping and (raw[:1] in (" ", "\t") or "|" in stripped):
            continue
        skipping = False
        if re.match(r"\[\^[^\]]+\]:|\*\[[^\]]+\]:|\[[^\]^][^\]]*\]:\s*\S", stripped) or (
            "|" in stripped and _TABLE_RULE.fullmatch(following)
        ):
            flush()
            skipping = True
            continue
        if current and re.fullmatch(r"=+|-+", stripped):  # the line under a heading
            flush("heading")
            continue
        if _RULE.fullmatch(stripped):
            flush()
            continue
        callout = read_header(re.sub(r"^(?:>\s?)+", "", stripped))  # !!! kind "Title"
        if callout is not None:
            flush()
            if callout.title:
                found.append(Block("heading", (Piece(number, raw, plain(callout.title)),)))
            continue
        heading = _HEADING.match(stripped)
        if heading:
            flush()
            found.append(Block("heading", (Piece(number, raw, plain(heading.group(2) or "")),)))
            continue
        text = re.sub(r"^(?:>\s?)+", "", stripped)
        item = _LIST_ITEM.match(text)
        if item:
            flush()
            text = text[item.end() :]
        current.append(Piece(number, raw, plain(text)))
    flush()
    return found


def split_sentences(block: Block) -> list[Sentence]:
    """The sentences of one block; a block's end always ends a sentence."""
    joined = ""
    starts: list[tuple[int, Piece]] = []  # offset in joined text -> piece
    for piece in block.pieces:
        starts.append((len(joined), piece))
        joined += piece.text.strip() + " "
    sentences: list[Sentence] = []
    begin = 0
    for match in [*_END.finditer(joined), None]:
        end = match.end() if match else len(joined)
        if match:
            before = re.search(r"(\S+)$", joined[: match.start()])
            word = before.group(1).lower().rstrip(".") if before else ""
            if word in NOT_ENDS or re.fullmatch(r"[^\W\d_]", word):
                continue
        text = joined[begin:end].strip()
        if WORD.search(text):
            offset = begin + len(joined[begin:end]) - len(joined[begin:end].lstrip())
            start, piece = next((s, p) for s, p in reversed(starts) if s <= offset)
            place = column(piece, text, offset - start)
            sentences.append(Sentence(re.sub(r"\s+", " ", text), piece.line, place))
        begin = end
    return sentences


def column(piece: Piece, text: str, after: int = 0) -> int:
    """Where ``text``'s first word stands in the source line (1-based), at or after
    ``after`` (Markdown marks were only taken out, so the source place is never before)."""
    first = WORD.search(text)
    found = piece.raw.find(first.group(0), after) if first else -1
    if first and found < 0:
        found = piece.raw.find(first.group(0))
    return found + 1 if found >= 0 else len(piece.raw) - len(piece.raw.lstrip()) + 1


def sentences(manuscript: Manuscript, scored: bool = False) -> tuple[Sentence, ...]:
    """Every prose sentence of the body, in order; ``scored``: only those in the
    article's own language (not in a block marked with another ``lang``)."""
    return tuple(
        sentence
        for block in blocks(manuscript)
        if block.kind == "prose" and not (scored and block.other_language)
        for sentence in split_sentences(block)
    )


def minimum_ease(grade: int) -> float:
    """Flesch's table: the reading ease that matches a school grade."""
    for up_to, ease in ((5, 90.0), (6, 80.0), (7, 70.0), (9, 60.0), (12, 50.0)):
        if grade <= up_to:
            return ease
    return 30.0


@cache
def _scorer(lang: str) -> Any:
    from textstat.textstat import textstatistics  # loaded only to score a changed article

    scorer = textstatistics()
    scorer.set_lang(lang)
    return scorer


def measure(manuscript: Manuscript, target: int) -> Readability:
    """How hard the article's prose reads, by the formula for its language."""
    language = manuscript.lang.split("-")[0].lower()
    text = " ".join(
        s.text if _END.search(s.text[-3:] + " ") else s.text + "."
        for s in sentences(manuscript, scored=True)
    )
    if not WORD.search(text):
        return Readability("", skipped="no prose to measure")
    if language == "en":
        scorer = _scorer("en_US")
        smog = scorer.smog_index(text) if scorer.sentence_count(text) >= 3 else None
        return Readability(
            "Flesch-Kincaid grade",
            grade=round(float(scorer.flesch_kincaid_grade(text)), 1),
            smog=round(float(smog), 1) if smog else None,
        )
    if language == "es":
        return Readability(
            "Fernández Huerta reading ease",
            ease=round(float(_scorer("es_ES").fernandez_huerta(text)), 1),
            minimum_ease=minimum_ease(target),
        )
    return Readability("", skipped=f"no readability formula for '{manuscript.lang}'")
