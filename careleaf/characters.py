"""Which characters careleaf publishes: one policy for front matter, body and leaflets.

- *Unprintable*: control characters (C0 and C1, DEL) other than tab and newline, lone
  surrogates and code points Unicode does not assign (including non-characters such as
  U+FFFE). No font has them and nobody types them on purpose: they come with text copied
  from elsewhere. In front matter they are an error (M104); in the body they are removed,
  with a warning at their line and column (M124).
- *Bidi controls*: the embeddings, overrides and isolates U+202A-U+202E and
  U+2066-U+2069. Invisible, they can reorder what a reader sees ("10 mg" shown as
  "gm 01"). Refused in front matter (M125), removed from the body with a warning (M124).
  Direction comes from ``lang`` (and ``{: dir=rtl }``) instead. The marks U+200E, U+200F
  (LRM, RLM) and U+061C (ALM), the joiners U+200C and U+200D (ZWNJ, ZWJ) and other format
  characters stay: Arabic, Hebrew, Persian and Indic scripts need them.

- *Line and paragraph separators* U+2028 and U+2029: what Shift+Enter leaves in text
  pasted from a word processor. No font draws them, and in Markdown a line break is
  written otherwise: each is made a space, in the body with a warning (M124).

- *Composed*: text is published in Unicode's composed form (NFC): a letter and its
  accent typed apart (as macOS and some keyboards write them) become the one letter
  fonts draw well, so "Й" is not drawn as "И" with a breve beside it.

Font coverage (which printable characters a leaflet font has) is ``careleaf.glyphs``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
UNPRINTABLE_CATEGORIES = frozenset({"Cc", "Cs", "Cn"})
SEPARATORS = frozenset("\u2028\u2029")
_SPACES = {ord(c): " " for c in SEPARATORS}
_KEPT = frozenset("\t\n")
# A numeric character reference (&#27; &#x202E;) names a character as surely as the
# character itself does.
_REFERENCE = r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));"
# Everything that might be refused: a reference, or any character but printable ASCII.
_CANDIDATE = re.compile(rf"({_REFERENCE})|[^\t\n\r\x20-\x7e]")


def unprintable(char: str) -> bool:
    """A character no page can show (a control character, lone surrogate, unassigned)."""
    return char not in _KEPT and unicodedata.category(char) in UNPRINTABLE_CATEGORIES


def refused(char: str) -> bool:
    """A character careleaf never publishes: unprintable, or a bidi control."""
    return char in BIDI_CONTROLS or unprintable(char)


def name(char: str) -> str:
    """'U+202E RIGHT-TO-LEFT OVERRIDE', or only 'U+001B' where Unicode gives no name."""
    code = f"U+{ord(char):04X}"
    label = unicodedata.name(char, "")
    return f"{code} {label}" if label else code


def first_unprintable(text: str) -> str | None:
    """The first unprintable character of ``text`` as 'U+XXXX', else None."""
    return next((f"U+{ord(c):04X}" for c in text if unprintable(c)), None)


def first_bidi_control(text: str) -> str | None:
    return next((name(c) for c in text if c in BIDI_CONTROLS), None)


def invisible_only(text: str) -> bool:
    """True when ``text`` has characters but none a reader can see (only spaces, zero-width
    and format characters)."""
    return bool(text) and all(unicodedata.category(c)[0] in "ZC" for c in text)


def printable(text: str) -> str:
    """``text`` without the characters careleaf refuses (kept: tab, newline, CR), and
    with a space for each line or paragraph separator."""
    return spaced("".join(c for c in text if c == "\r" or not refused(c)))


def spaced(text: str) -> str:
    """``text`` with a space for each line or paragraph separator."""
    return text.translate(_SPACES)


def composed(text: str) -> str:
    """``text`` in Unicode's composed form (NFC), as careleaf publishes it."""
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True)
class Removed:
    """A refused character found in the body (as itself or as ``&#...;``)."""

    line: int  # 1-based, within the text scanned
    column: int  # 1-based
    char: str


def _referenced(match: re.Match[str]) -> str | None:
    hexa, decimal = match.group(2), match.group(3)
    number = int(hexa, 16) if hexa else int(decimal)
    if number > 0x10FFFF:
        return None
    char = chr(number)
    # HTML turns a reference to NUL or a surrogate into U+FFFD and the C1 range into
    # Windows-1252 letters; all of them are refused here all the same.
    return char if refused(char) else None


def without_refused(text: str) -> tuple[str, list[Removed]]:
    """``text`` with every refused character (and reference to one) removed, and where
    each was; a line or paragraph separator is made a space (and said, as removed).
    Line breaks are never removed, so lines keep their numbers."""
    spans: list[tuple[int, int, str]] = []  # (start, end, the character refused)
    for match in _CANDIDATE.finditer(text):
        if match.group(1) is not None:
            char = _referenced(match)
            if char is not None:
                spans.append((match.start(), match.end(), char))
        elif refused(match.group(0)) or match.group(0) in SEPARATORS:
            spans.append((match.start(), match.end(), match.group(0)))
    if not spans:
        return text, []
    kept: list[str] = []
    found: list[Removed] = []
    previous = 0
    for begin, end, char in spans:
        line = text.count("\n", 0, begin) + 1
        column = begin - (text.rfind("\n", 0, begin) + 1) + 1
        found.append(Removed(line, column, char))
        kept.append(text[previous:begin] + (" " if char in SEPARATORS else ""))
        previous = end
    kept.append(text[previous:])
    return "".join(kept), found


def lone_surrogates_escaped(text: str) -> str:
    """``text`` safe to print: a lone surrogate (a byte of a file name that was not UTF-8,
    kept by Python as U+DC80-U+DCFF) shown as ``\\xNN``, any other as ``\\uXXXX``."""
    if not any("\ud800" <= c <= "\udfff" for c in text):
        return text
    return "".join(
        (
            f"\\x{ord(c) - 0xDC00:02x}"
            if ord(c) >= 0xDC80 and ord(c) <= 0xDCFF
            else f"\\u{ord(c):04x}"
        )
        if "\ud800" <= c <= "\udfff"
        else c
        for c in text
    )


def iter_lines(text: str) -> Iterator[tuple[int, str]]:
    yield from enumerate(text.split("\n"), start=1)
