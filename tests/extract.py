"""The text PDF viewers get from a leaflet, and how the tests compare it with what was
written: pdfium (the engine of Chrome's and Edge's PDF viewers, through pypdfium2) and
poppler (``pdftotext``: Evince, Okular and most Linux viewers).

How text is compared (README, "Text that viewers read correctly"):

- whitespace is left out: extractors start a new line where the leaflet's line ends
  and put a space into a gap the font's kerning makes (IBM Plex Sans Arabic leaves one
  between a final kaf and an alef: 'أكثر' reads 'أ كثر'), so words are compared
  letter for letter but not where lines break (leaflets never hyphenate);
- the invisible characters viewers add or drop are left out: poppler's direction
  marks around each right-to-left line (U+202A-U+202C), the joiners and variation
  selectors no PDF can carry; pdfium's U+FFFE for a hyphen at a line's end is '-';
- Arabic combining marks (harakat, tanween, shadda) move to the end of their word:
  a mark on a letter inside a ligature (the shadda of 'تغيّر' on the yeh of the
  yeh-reh ligature) is drawn with the ligature, so its place among the ligature's
  letters is not in the PDF, only its word;
- in right-to-left text, punctuation is left out: where a full stop or a bracket
  stands at the edge of a run of digits or Latin letters is the extractor's guess
  (poppler does not mirror brackets; pdfium reads '111.' at a line's start as '.111');
- pdfium splits a Latin word that holds digits inside right-to-left text at each
  digit and reverses the pieces ('HbA1c' reads 'c1HbA'): ``pdfium_order`` says so.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import pypdfium2

_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufe00-\ufe0f\u00ad\u034f]")


def pdfium_pages(path: Path) -> list[str]:
    """Each page's text, as pdfium reads it."""
    document = pypdfium2.PdfDocument(path)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def pdfium_text(path: Path) -> str:
    return "\n".join(pdfium_pages(path))


def poppler_left_to_right_pages(path: Path) -> list[str]:
    """The text (as pdfium reads it) of each page that poppler takes to be written left
    to right: one with as many letters of left-to-right scripts as of right-to-left ones
    (poppler's TextPage counts them to choose a page's direction). On such a page poppler
    reads a right-to-left line that holds punctuation in pieces, the pieces in the wrong
    order (README, known gaps): an Arabic leaflet's last page, where the clinic's address,
    web addresses and English titles of related reading outnumber the Arabic."""
    pages = pdfium_pages(path)
    classes = [[unicodedata.bidirectional(c) for c in page] for page in pages]
    return [
        page
        for page, found in zip(pages, classes, strict=True)
        if found.count("L") >= found.count("R") + found.count("AL")
    ]


def poppler_text(path: Path) -> str:
    run = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return run.stdout


def _rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def comparable(text: str, right_to_left: bool) -> str:
    """``text`` reduced as the module's docstring says."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text).replace("\ufffe", "-"))
    if right_to_left:
        text = "".join(c for c in text if not unicodedata.category(c).startswith("P"))
    return "".join(_marks_last(word) for word in _WORDS.findall(text))


# a word: letters and their marks, or any other character that is not whitespace
_WORDS = re.compile(
    r"(?:[^\W\d_]|[\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a"
    r"\u064b-\u065f\u0670\u06d6-\u06ed\u0900-\u0903\u093a-\u094f"
    r"\u0951-\u0957\u0962\u0963])+|\S"
)


def _arabic_mark(char: str) -> bool:
    code = ord(char)
    return (
        0x0610 <= code <= 0x061A
        or 0x064B <= code <= 0x065F
        or code == 0x0670
        or (0x06D6 <= code <= 0x06ED)
    )


def _marks_last(word: str) -> str:
    marks = sorted(c for c in word if _arabic_mark(c))
    return "".join(c for c in word if c not in marks) + "".join(marks)


def _pdfium_class(char: str) -> str:
    kind = unicodedata.bidirectional(char)
    if kind == "L":
        return "L"
    if kind in ("R", "AL"):
        return "R"
    if kind in ("AN", "EN", "NSM", "CS", "ES", "ET", "BN"):
        return "W"
    return "N"


def pdfium_order(sentence: str) -> str:
    """What pdfium gives back for ``sentence`` of right-to-left text: a word of Latin
    letters and digits (HbA1c, B12) in pieces, the pieces in reverse order."""
    if not _rtl(sentence):
        return sentence

    def turn(match: re.Match[str]) -> str:
        word = match.group(0)
        if not any(_pdfium_class(c) == "L" for c in word) or word.isalpha():
            return word
        pieces = [m.group(0) for m in re.finditer(r"[^\W\d_]+|\d+|\W", word)]
        return "".join(reversed(pieces))

    return re.sub(r"[A-Za-z0-9\u00c0-\u024f]+", turn, sentence)


def missing(sentences: list[str], extracted: str, right_to_left: bool) -> list[str]:
    """The sentences not found, letter for letter, in order, in ``extracted``."""
    text = comparable(extracted, right_to_left)
    failures, position = [], 0
    for sentence in sentences:
        wanted = comparable(sentence, right_to_left)
        found = text.find(wanted, position)
        if found < 0:
            failures.append(sentence)
        else:
            position = found + len(wanted)
    return failures


def body_sentences(body_html: str) -> tuple[list[str], list[str]]:
    """(sentences, words of table cells) of an article's HTML, as ``missing`` takes them.

    Sentences come from paragraphs, list items, captions and definitions, split at a
    footnote's raised number (pdfium moves it to the start of a right-to-left line;
    it is not compared). A table cell's text wraps within its cell, and extractors read
    a row line by line across its cells, so a cell is compared word by word.
    """
    from lxml import html as lxml_html

    tree = lxml_html.fragment_fromstring(body_html, create_parent="div")
    for hidden in tree.xpath('//a[@role="doc-backlink"]'):
        hidden.drop_tree()
    for note in tree.xpath('//a[@role="doc-noteref"]'):
        note.text = "\n"
    found: list[str] = []
    words: list[str] = []
    for element in tree.xpath("//p|//li[not(p)]|//figcaption|//dt|//dd[not(p)]|//td|//th"):
        text = element.text_content()
        if element.tag in ("td", "th"):
            words += text.split()
            continue
        for part in text.split("\n"):
            part = re.sub(r"\s+", " ", part).strip()
            found += [s for s in re.split(r"(?<=[.!?؟])\s+", part) if s]
    return found, words
