"""Nothing runs past the page: a word longer than the line, a long code line, a web
address and a table of many columns stay inside the page's content box in both
leaflet editions, left to right and right to left, and read back whole (README, Print
leaflets, "Nothing runs off the page"); what cannot be made to fit is P607."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pypdfium2
import pytest
from extract import comparable, pdfium_text, poppler_text
from library_maker import NO_BRAILLE, check, codes, make_library, manuscript

from careleaf import instances
from careleaf.build import BuildReport

MM = 72 / 25.4
MARGINS = {"standard": 20 * MM, "large-print": 18 * MM}  # left and right (leaflet.css @page)
FOLDERS = {"standard": "leaflets", "large-print": "leaflets/large-print"}

TITLE = "Pneumonoultramicroscopicsilicovolcanoconiosis and Supercalifragilisticexpialidocious"
HEADING = "Hippopotomonstrosesquippedaliophobiaandmoreletterstomakeitlongerthanaline"
WORD = (
    "Methionylthreonylthreonylglutaminylarginyltyrosylglutamylserylleucylphenylalanyl"
    "alanylglutaminylleucyllysylglutamylarginyllysine"
)
CODE = (
    "code line that is very long and has no natural place to wrap because it is code "
    "and it is long long long long long long long long long end"
)
URL = "https://www.example.org/a/very/long/path/that/never/ends/and/goes/on/and/on/index.html"
LINK = "https://www.example.org/another/very/long/path/that/never/ends/index.html"
HEADER = ["Day", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Notes", "Extra", "More",
          "Even more", "Last"]  # fmt: skip
ROW = ["Morning dose", *["1 tablet"] * 7, "with food", "drink water", "rest", "sleep well", "end"]


def table(header: list[str], row: list[str]) -> str:
    return "\n".join(
        [
            "| " + " | ".join(header) + " |",
            "|" + "---|" * len(header),
            "| " + " | ".join(row) + " |",
        ]
    )


LONG = f"""\
## {HEADING}

A word: {WORD} end.

    {CODE}

{table(HEADER, ROW)}

An address: {URL} and [a link {LINK}]({LINK}).
"""

HEBREW_WORD = "אבגדהוזחטיכלמנסעפצקרשת" * 6
HEBREW = f"""\
## כותרת {HEBREW_WORD}

מילה: {HEBREW_WORD} סוף.

{table([f"עמודה{i}" for i in range(13)], ["טבליה אחת"] * 13)}
"""

WIDE = f"A table of forty columns.\n\n{table([f'H{i}' for i in range(40)], ['cell'] * 40)}\n"


@cache
def built(root: Path) -> BuildReport:
    make_library(
        root,
        {
            "long.md": manuscript(TITLE, LONG, summary="Long words.", published="2026-10-01"),
            "hebrew.md": manuscript("ארוך", HEBREW, summary="מילים ארוכות.", lang="he"),
            "wide.md": manuscript("Wide", WIDE, summary="A wide table."),
        },
        NO_BRAILLE,
    )
    report = check(root, write=True)
    # Heebo's static instances were made in this process: forget them, as the script
    # library's tests count the instances their own build makes
    instances.clear()
    assert not report.failed, report.problems
    return report


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("overflow")
    built(root)
    return root


def pdf(project: Path, edition: str, slug: str) -> Path:
    return project / "output" / FOLDERS[edition] / f"{slug}.pdf"


def outside(path: Path, margin: float) -> list[str]:
    """Each glyph (page, character, x0..x1) drawn left of the left margin or right of
    the right one, as pdfium places it."""
    document = pypdfium2.PdfDocument(path)
    found = []
    try:
        for number, page in enumerate(document, start=1):
            width = page.get_width()
            text = page.get_textpage()
            for index in range(text.count_chars()):
                char = text.get_text_range(index, 1)
                if not char.strip():
                    continue
                left, _, right, _ = text.get_charbox(index)
                if left < margin - 0.5 or right > width - margin + 0.5:
                    found.append(f"page {number}: {char!r} at {left:.1f}..{right:.1f}")
    finally:
        document.close()
    return found


EDITIONS = pytest.mark.parametrize("edition", MARGINS)


@EDITIONS
@pytest.mark.parametrize("slug", ["long", "hebrew"])
def test_no_glyph_is_past_the_margins(project: Path, edition: str, slug: str) -> None:
    assert outside(pdf(project, edition, slug), MARGINS[edition]) == []


def in_order(word: str, text: str) -> bool:
    """``word``'s letters appear in ``text`` in order (other letters between them)."""
    letters = iter(text)
    return all(letter in letters for letter in word)


@EDITIONS
@pytest.mark.parametrize("reader", [pdfium_text, poppler_text], ids=["pdfium", "poppler"])
def test_every_long_word_cell_and_the_code_line_read_back_whole(
    project: Path, edition: str, reader: object
) -> None:
    """A word broken at the line's end has no hyphen added: joined without whitespace,
    the extracted text holds every word and the whole code line. Table cells: pdfium
    reads each cell's lines together; poppler reads a row line by line across its
    cells, so a cell's word broken in its cell comes back in pieces, between other
    cells' pieces, in order."""
    assert callable(reader)
    text = comparable(reader(pdf(project, edition, "long")), right_to_left=False)
    wanted = [*TITLE.split(), HEADING, WORD, CODE, URL, LINK]
    assert [w for w in wanted if comparable(w, right_to_left=False) not in text] == []
    cells = [comparable(c, right_to_left=False) for c in [*HEADER, *ROW]]
    start = text.index("Day")
    table = text[start : text.index(comparable("An address:", right_to_left=False), start)]
    if reader is pdfium_text:
        assert [c for c in cells if c not in table] == []
    else:
        assert [c for c in cells if not in_order(c, table)] == []


@EDITIONS
def test_right_to_left_long_words_and_cells_read_back_whole(project: Path, edition: str) -> None:
    text = comparable(pdfium_text(pdf(project, edition, "hebrew")), right_to_left=True)
    wanted = [HEBREW_WORD, "טבליה", *(f"עמודה{i}" for i in range(13))]
    assert [w for w in wanted if comparable(w, right_to_left=True) not in text] == []


def test_the_13_column_table_fits_and_the_leaflets_stay_short(project: Path) -> None:
    """Made to fit without a warning; the table is on one page (two pages, three in
    large print, for the whole leaflet)."""
    report = built(project)
    assert [p for p in report.problems if p.code == "P607" and "wide" not in str(p.path)] == []
    pages = {e: len(pypdfium2.PdfDocument(pdf(project, e, "long"))) for e in MARGINS}
    assert pages == {"standard": 2, "large-print": 3}


def test_a_table_too_wide_for_any_mending_is_p607_in_each_edition(project: Path) -> None:
    report = built(project)
    found = [p for p in report.problems if p.code == "P607"]
    assert codes(found) == ["P607", "P607"]
    assert all(str(p.path).endswith("manuscripts/wide.md") for p in found)
    assert all(p.severity == "warning" and "H0 H1" in p.message for p in found)
    assert {"large-print leaflet's" in p.message for p in found} == {True, False}
