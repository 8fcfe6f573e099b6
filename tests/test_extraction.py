"""What PDF viewers read from each leaflet: pdfium (Chrome, Edge) and poppler
(pdftotext) give back every sentence of the article letter for letter, in Arabic as in
Latin script (tests/extract.py says how text is compared, and why).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from conftest import MIXED, SAMPLE
from extract import (
    body_sentences,
    missing,
    pdfium_order,
    pdfium_text,
    poppler_left_to_right_pages,
    poppler_text,
)
from library_maker import TODAY

from careleaf.build import BuildOptions, build
from careleaf.records import Article, text_direction

LIBRARIES = {"sample": SAMPLE, "mixed": MIXED}
# pdfium reads a right-to-left line in two halves where a footnote's raised number
# stands in it, the halves in the wrong order (README, known gaps): these sentences
# share a line with one. The test fails when another goes wrong, or when pdfium
# reads these right.
PDFIUM_FOOTNOTE_LINES = {
    "mixed": [
        f"{folder}/common-cold.pdf (pdfium): 'لا تعطِ العسل لطفل عمره أقل من سنة.'"
        for folder in ("leaflets", "leaflets/large-print")
    ]
}


@cache
def articles(root: Path) -> tuple[Article, ...]:
    report = build(
        BuildOptions(root / "manuscripts", config=root / "careleaf.toml", write=False, today=TODAY)
    )
    assert not report.failed
    return report.articles


def extraction_failures(output: Path, root: Path) -> list[str]:
    """Each leaflet's sentences and table words that pdfium or poppler do not give back."""
    failures = []
    for article in articles(root):
        rtl = text_direction(article.lang) == "rtl"
        sentences, words = body_sentences(article.body)
        sentences = [article.title, *sentences]
        for folder in ("leaflets", "leaflets/large-print"):
            path = output / folder / f"{article.slug}.pdf"
            for name, text, expected in (
                ("pdfium", pdfium_text(path), [pdfium_order(s) for s in sentences]),
                ("poppler", poppler_text(path), sentences),
            ):
                lost = missing(expected, text, rtl)
                lost += [w for w in words if missing([w], text, rtl)]
                if rtl and name == "poppler":  # poppler's known gap: not counted
                    pages = poppler_left_to_right_pages(path)
                    lost = [s for s in lost if not on_one_of(s, pages)]
                failures += [f"{folder}/{path.name} ({name}): {s!r}" for s in lost]
    return failures


def on_one_of(sentence: str, pages: list[str]) -> bool:
    """Whether pdfium reads ``sentence`` whole on one of ``pages``."""
    return any(not missing([pdfium_order(sentence)], page, True) for page in pages)


@pytest.mark.parametrize("name", LIBRARIES)
def test_viewers_read_every_sentence_letter_for_letter(
    name: str, sample_output: Path, mixed_output: Path
) -> None:
    output = {"sample": sample_output, "mixed": mixed_output}[name]
    assert extraction_failures(output, LIBRARIES[name]) == PDFIUM_FOOTNOTE_LINES.get(name, [])
