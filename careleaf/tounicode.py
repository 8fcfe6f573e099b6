"""The text behind each glyph: repair the ToUnicode maps WeasyPrint writes.

WeasyPrint maps a glyph to the text of the first cluster it was drawn in, and
then keeps that mapping for the whole document. When a cluster holds two glyphs
(Arabic lam-alef with a tanween between, ``مثلًا``), one glyph gets the whole
cluster's text and the other gets nothing, so every later ``لا`` in the leaflet
extracts as nothing and every later tanween as three letters (compare WeasyPrint
issue #2841). A screen reader would read other words than the patient sees.

The font files are careleaf's own, so the text of each glyph can be read from
the font itself: its character map, then back through the font's substitutions
(positional forms, ligatures). A mapping WeasyPrint wrote is kept unless it is
empty or disagrees with the font.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any

import pikepdf
from fontTools.ttLib import TTFont
from pikepdf import Dictionary

# Devanagari's two-part vowel signs, which fonts draw as the aa sign with another (the
# glyph of 'ों' is made from the glyphs of 'ा' and 'ें'); Unicode has one character each
_TWO_PART_VOWELS = {"\u093e\u0947": "\u094b", "\u093e\u0948": "\u094c"}
_TWO_PART = re.compile("|".join(_TWO_PART_VOWELS))
_ENTRY = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")


def glyph_texts(font: Path | bytes) -> tuple[str, dict[int, str], dict[int, frozenset[str]]]:
    """(PostScript name, text of each glyph id, characters the cmap maps to each glyph id)
    of a font file or font bytes."""
    data = font.read_bytes() if isinstance(font, Path) else font
    return _glyph_texts(hashlib.sha256(data).hexdigest(), data)


@lru_cache(maxsize=32)
def _glyph_texts(digest: str, data: bytes) -> tuple[str, dict[int, str], dict[int, frozenset[str]]]:
    with TTFont(BytesIO(data)) as font:
        order = font.getGlyphOrder()
        ids = {name: number for number, name in enumerate(order)}
        text: dict[str, str] = {}
        codes: dict[int, set[str]] = {}
        for code, name in sorted(font.getBestCmap().items()):
            codes.setdefault(ids[name], set()).add(chr(code))
            # presentation forms and other compatibility characters are not the text:
            # their glyphs get the text of the letters they are shaped from, below
            if not unicodedata.decomposition(chr(code)).startswith("<"):
                text.setdefault(name, chr(code))
        lookups = font["GSUB"].table.LookupList.Lookup if "GSUB" in font else []
        mapped = set(text)  # named by the character map, or already by a ligature
        changed = True
        while changed:  # substitutions chain (a positional form, then a ligature of forms)
            changed = False
            for lookup in lookups:
                for subtable in lookup.SubTable:
                    changed |= _learn(subtable, lookup.LookupType, text, mapped)
        name = str(font["name"].getDebugName(6))
    glyphs = {
        ids[glyph]: _TWO_PART.sub(lambda m: _TWO_PART_VOWELS[m[0]], v) for glyph, v in text.items()
    }
    return name, glyphs, {gid: frozenset(chars) for gid, chars in codes.items()}


def _learn(subtable: Any, kind: int, text: dict[str, str], mapped: set[str]) -> bool:
    """Texts of the glyphs ``subtable`` makes from glyphs whose text is known. A glyph
    that a ligature makes from more letters than another substitution does gets the
    ligature's text (Devanagari's e-matra with anusvara is also an anusvara variant);
    a glyph the character map or a ligature named keeps its text."""
    if kind == 7:  # extension: the real subtable is inside
        subtable, kind = subtable.ExtSubTable, subtable.ExtensionLookupType
    changed = False
    pairs: list[tuple[str, str]] = []
    if kind == 1:
        pairs = [
            (target, text[source]) for source, target in subtable.mapping.items() if source in text
        ]
    elif kind == 3:
        pairs = [
            (target, text[source])
            for source, targets in subtable.alternates.items()
            if source in text
            for target in targets
        ]
    elif kind == 4:
        for first, ligatures in subtable.ligatures.items():
            for ligature in ligatures:
                parts = [first, *ligature.Component]
                if all(part in text for part in parts):
                    pairs.append((ligature.LigGlyph, "".join(text[p] for p in parts)))
    for glyph, value in pairs:
        old = text.get(glyph)
        if old is None or (glyph not in mapped and len(value) > len(old) and old in value):
            text[glyph] = value
            changed = True
            if kind == 4:
                mapped.add(glyph)
    return changed


def repair_to_unicode(pdf: pikepdf.Pdf, font_files: Iterable[Path | bytes]) -> int:
    """Rewrite wrong or empty ToUnicode entries of the fonts careleaf ships; how many."""
    known = {name: (glyphs, codes) for name, glyphs, codes in map(glyph_texts, font_files)}
    repaired = 0
    done: set[tuple[int, int]] = set()
    for page in pdf.pages:
        fonts = page.obj.get("/Resources", Dictionary()).get("/Font", Dictionary())
        for font in fonts.values():
            if font.objgen in done or "/ToUnicode" not in font or "/DescendantFonts" not in font:
                continue
            done.add(font.objgen)
            descriptor = font.DescendantFonts[0].get("/FontDescriptor", Dictionary())
            program = descriptor.get("/FontFile2")
            if program is None:
                continue
            with TTFont(BytesIO(program.read_bytes())) as subset:
                name = str(subset["name"].getDebugName(6))
            if name not in known:
                continue
            glyphs, codes = known[name]
            mapping = read_cmap(font.ToUnicode.read_bytes())
            fixed = 0
            for gid, current in mapping.items():
                derived = glyphs.get(gid)
                if derived is None or current == derived or current in codes.get(gid, ()):
                    continue
                mapping[gid] = derived
                fixed += 1
            if fixed:
                font.ToUnicode = pdf.make_stream(write_cmap(mapping))
                repaired += fixed
    return repaired


def right_to_left(text: str) -> bool:
    """Text of one glyph that a right-to-left line draws: right-to-left letters and no
    left-to-right ones, or only combining marks of a right-to-left script."""
    kinds = {unicodedata.bidirectional(c) for c in text}
    if kinds & {"R", "AL"}:
        return "L" not in kinds
    return kinds == {"NSM"} and all(0x0590 <= ord(c) <= 0x08FF for c in text)


def reverse_right_to_left(pdf: pikepdf.Pdf) -> int:
    """Write the text of each right-to-left glyph that stands for several characters (a
    ligature such as lam-alef, a letter with its mark) backwards; how many entries.

    WeasyPrint draws a right-to-left line in visual order, and the extractors of the
    viewers patients read leaflets in (pdfium in Chrome and Edge, pdf.js in Firefox,
    poppler, MuPDF, PDFBox 2) put it back in reading order by reversing the line
    character by character, the characters of a ligature too: 'لآ' written in reading
    order comes out 'آل'. Written backwards here, it comes out right in all of them
    (pypdf, PDFBox 3 and xpdf, which reverse a ligature themselves, then get it
    backwards: README, "Text that viewers read correctly").
    """
    changed = 0
    done: set[tuple[int, int]] = set()
    for page in pdf.pages:
        fonts = page.obj.get("/Resources", Dictionary()).get("/Font", Dictionary())
        for font in fonts.values():
            if font.objgen in done or "/ToUnicode" not in font:
                continue
            done.add(font.objgen)
            mapping = read_cmap(font.ToUnicode.read_bytes())
            turned = {
                code: text[::-1]
                for code, text in mapping.items()
                if len(text) > 1 and right_to_left(text)
            }
            if turned:
                font.ToUnicode = pdf.make_stream(write_cmap({**mapping, **turned}))
                changed += len(turned)
    return changed


def read_cmap(data: bytes) -> dict[int, str]:
    """The entries of a ToUnicode map (``bfchar``, as WeasyPrint and careleaf write it)."""
    return {
        int(code, 16): bytes.fromhex(value.decode()).decode("utf-16-be", "replace")
        for code, value in _ENTRY.findall(data)
    }


def write_cmap(mapping: dict[int, str]) -> bytes:
    entries = sorted(mapping.items())
    blocks = []
    for start in range(0, len(entries), 100):
        chunk = entries[start : start + 100]
        lines = [f"<{gid:04x}> <{text.encode('utf-16-be').hex()}>" for gid, text in chunk]
        blocks.append(f"{len(chunk)} beginbfchar\n" + "\n".join(lines) + "\nendbfchar")
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            "<0000> <ffff>",
            "endcodespacerange",
            *blocks,
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    ).encode()
