"""Reading BRF files back as a braille reader's software would: their characters, their
page layout, and their text back-translated with liblouis."""

from __future__ import annotations

import re
import unicodedata

from careleaf import liblouis
from careleaf.braillepages import ASCII_BRAILLE

ALLOWED = {chr(code) for code in range(0x20, 0x60)}
_WORD = re.compile(r"[^\W\d_]+|\d+")  # letters, or digits


def layout_failures(data: bytes, cells: int = 40, lines: int = 25) -> list[str]:
    """What breaks the BRF rules: characters outside ASCII braille (0x20-0x5F), a line
    not ended by CR LF, a line longer than ``cells``, a page longer than ``lines``."""
    failures = []
    text = data.decode("ascii")
    pages = text.split("\f")
    for number, page in enumerate(pages, start=1):
        if not page.endswith("\r\n"):
            failures.append(f"page {number} does not end with CR LF")
        rows = page.split("\r\n")[:-1]
        if len(rows) > lines:
            failures.append(f"page {number} has {len(rows)} lines")
        for row in rows:
            if len(row) > cells:
                failures.append(f"page {number}: a line of {len(row)} cells: {row!r}")
            if set(row) - ALLOWED:
                failures.append(f"page {number}: characters {sorted(set(row) - ALLOWED)!r}")
    return failures


def pages(data: bytes) -> list[list[str]]:
    """Each page's lines, without the line endings."""
    return [page.split("\r\n")[:-1] for page in data.decode("ascii").split("\f")]


def unicode_braille(ascii_text: str) -> str:
    return "".join(
        chr(0x2800 + ASCII_BRAILLE.index(char)) if char in ASCII_BRAILLE else char
        for char in ascii_text
    )


def back_translate(data: bytes, table: str, numbers: bool = False) -> str:
    """The text of a BRF file as liblouis reads it back, line by line (the page number
    lines left out unless ``numbers``)."""
    louis = liblouis.binding()
    assert louis is not None
    read = []
    for page in pages(data):
        for row in page if numbers else page[1:]:
            if row.strip():
                cells = unicode_braille(row)
                read.append(louis.backTranslateString([liblouis.DISPLAY, table], cells))
    return "\n".join(read)


def words(text: str) -> set[str]:
    """The words of a text, compared as a reader would: in lower case, without accents or
    Arabic vowel marks, digits of any script as 0-9."""
    plain = "".join(
        str(unicodedata.digit(c)) if unicodedata.category(c) == "Nd" else c
        for c in unicodedata.normalize("NFD", text)
        if unicodedata.category(c) != "Mn"
    )
    return set(_WORD.findall(plain.casefold()))


def coverage(article_text: str, read: str) -> tuple[float, set[str]]:
    """The share of the article's words found in what was read back, and those missing."""
    wanted = words(article_text)
    missing = wanted - words(read)
    return (1 - len(missing) / len(wanted) if wanted else 1.0), missing
