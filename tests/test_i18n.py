"""Message catalogs: complete for every shipped language, and in step with the templates."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import ROOT

LOCALE = ROOT / "careleaf" / "locale"
LANGUAGES = ("es", "fr", "ar", "he")


def msgids(po: Path) -> set[str]:
    with po.open("rb") as handle:
        return {str(m.id) for m in read_po(handle) if m.id}


def test_template_catalog_is_up_to_date(tmp_path: Path) -> None:
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-o",
            str(fresh),
            "--no-location",
            "--sort-output",
            "--omit-header",
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    assert msgids(fresh) == msgids(LOCALE / "messages.pot")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_interface_word_is_translated(lang: str) -> None:
    po = LOCALE / lang / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    wanted = msgids(LOCALE / "messages.pot")
    translated = {str(m.id) for m in catalog if m.id and m.string and not m.fuzzy}
    assert wanted - translated == set()
    problems = [(m.id, errors) for m, errors in catalog.check()]
    assert problems == []  # placeholders such as %(clinic)s kept in every translation


@pytest.mark.parametrize(
    ("lang", "direction"),
    [
        *[(lang, "rtl") for lang in ("ar", "he", "fa", "ur", "ps", "ckb", "yi", "dv", "syr")],
        *[(lang, "rtl") for lang in ("az-Arab", "pa-PK", "ms-Arab", "ff-Adlm", "ar-EG", "prs")],
        *[(lang, "ltr") for lang in ("en", "es", "ha", "ku", "az", "pa", "ar-Latn", "sr-Latn")],
        *[(lang, "ltr") for lang in ("zh-Hant", "vi", "el", "zz", "", "en-x-arab")],
        *[(lang, "rtl") for lang in ("ar-u-nu-latn", "he-x-abcd")],  # not scripts
    ],
)
def test_the_direction_comes_from_the_script(lang: str, direction: str) -> None:
    """Hausa and Kurmanji Kurdish are written in Latin letters (they were set right to
    left), Sorani Kurdish in Arabic ones (it was set left to right); a script subtag
    decides first."""
    from careleaf.records import text_direction

    assert text_direction(lang) == direction


def test_hebrew_abbreviations_keep_their_marks(tmp_path: Path) -> None:
    """Smart quotes made the gershayim of מ"ג (mg) a closing quotation mark."""
    from library_maker import NO_BRAILLE, check, make_library, manuscript

    body = 'קחו 500 מ"ג ביום. ג\'ירפה. הוא אמר "שלום".\n'
    root = make_library(tmp_path, {"he.md": manuscript("תרופה", body, lang="he")}, NO_BRAILLE)
    assert not [p for p in check(root, write=True).problems if p.severity.value == "error"]
    page = (root / "output" / "html" / "he.html").read_text(encoding="utf-8")
    assert "500\u00a0מ״ג" in page or "500 מ״ג" in page
    assert "ג׳ירפה" in page and "\u201cשלום\u201d" in page  # noqa: RUF001
