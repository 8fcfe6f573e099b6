"""Glyph coverage: what clinics write (nested lists, units, symbols, emoji, Persian with a
zero-width non-joiner) prints from careleaf's own fonts and reads back from the PDF; a
character no font has, or an emoji sequence leaflets cannot print, is a problem that
``check`` reports exactly as ``build`` does, at the file, line and column it was written.
"""

from __future__ import annotations

import re
import subprocess
from io import BytesIO
from pathlib import Path

import pikepdf
import pypdfium2
import pytest
from conftest import ROOT, build_project
from fontTools.ttLib import TTFont
from library_maker import NO_BRAILLE, check, line_of, make_library, manuscript
from pdfua import MATTERHORN, Leaflet

from careleaf import instances
from careleaf.fetcher import FONTS_URL
from careleaf.glyphs import families, foreign_fonts, ignorable, leaflet_fonts
from careleaf.problems import Problem
from careleaf.render import MemoryFetcher

TODAY = ("--today", "2026-11-25")
FEVER = """\
## Before you call ☎

Call us if the temperature is ≥ 38 °C (100.4 ℉) → see below.

1. Check the temperature
    - under the arm ✓
    - in the ear ✗
        1. with a digital thermometer
            - never a glass one ☐
            - wait 3 minutes \u2032 and 30 seconds \u2033
2. Give medicine ⚠️
    1. Paracetamol 62.5 µg, ½ a spoon
    2. Keep it below 25 ℃, batch № 7
3. Call 111 📞 and take the pills 💊 with you

- Before the visit
    1. Write down the symptoms
        - fever ‣ cough
            1. how long → how high
- At the visit 🩺 ✅ no smoking 🚭

Mark what you did: ☐ rested, ☑ drank water, ✔ took medicine. Love ❤ and text ☎︎.
"""
PERSIAN = """\
## معلومات

هذه معلومات عن الحمى. اتصل بنا إذا كانت الحرارة \u061c38 °C أو أكثر ≤\ufe01 5.

می‌خواهم به پزشک زنگ بزنم.
{: lang="fa" }
"""
# (what the leaflet should give back, as the editor wrote it but without the invisible
# variation selectors and joiners, which no PDF text map can carry)
EXPECTED = [
    "Fever in children ⚠",
    "38 °C or more → what to do",
    "Before you call ☎",
    "≥ 38 °C (100.4 ℉) → see below.",
    "under the arm ✓",
    "in the ear ✗",
    "with a digital thermometer",
    "never a glass one ☐",
    "wait 3 minutes \u2032 and 30 seconds \u2033",  # prime, double prime
    "Give medicine ⚠",
    "Paracetamol 62.5 µg, ½ a spoon",
    "Keep it below 25 ℃, batch № 7",
    "Call 111 📞 and take the pills 💊 with you",
    "Before the visit",
    "Write down the symptoms",
    "fever ‣ cough",
    "how long → how high",
    "At the visit 🩺 ✅ no smoking 🚭",
    "☐ rested, ☑ drank water, ✔ took medicine. Love ❤ and text ☎.",
    "NICE guideline № 143 ✓",
    "Riverside Health Centre → Level 2",
]


@pytest.fixture(scope="module")
def glyph_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_library(
        tmp_path_factory.mktemp("glyphs"),
        {
            "fever.md": manuscript(
                "Fever in children ⚠️",
                FEVER,
                summary="38 °C or more → what to do",
                extra="sources:\n  - title: NICE guideline № 143 ✓\n"
                "    url: https://www.nice.org.uk/guidance/ng143",
            ),
            "humma.md": manuscript("الحمى", PERSIAN, summary="ماذا تفعل عند الحمى.", lang="ar"),
        },
    )
    (root / "careleaf.toml").write_text(
        '[clinic]\nname = "Riverside Health Centre → Level 2"\n', encoding="utf-8"
    )
    assert build_project(root, root / "output", *TODAY) == 0
    return root


RUN: dict[str, bool] = {"capture_output": True, "text": True, "check": True}


def leaflet_paths(root: Path) -> list[Path]:
    return sorted((root / "output" / "leaflets").rglob("*.pdf"))


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def visible(text: str) -> str:
    return "".join(c for c in text if not ignorable(c))


def test_nested_lists_symbols_and_emoji_read_back_exactly(glyph_library: Path) -> None:
    """pdftotext and pypdfium2 (what PDF readers and screen readers get) give back every
    symbol, emoji (supplementary-plane too) and nested list item as written."""
    for path in leaflet_paths(glyph_library):
        if "fever" not in path.name:
            continue
        poppler = words(subprocess.run(["pdftotext", str(path), "-"], **RUN).stdout)
        document = pypdfium2.PdfDocument(path)
        pdfium = words(" ".join(page.get_textpage().get_text_range() for page in document))
        document.close()
        for extracted in (poppler, pdfium):
            missing = [text for text in EXPECTED if visible(text) not in extracted]
            assert missing == [], f"{path.name}: {missing}"


def test_persian_with_a_zero_width_non_joiner_reads_back(glyph_library: Path) -> None:
    for path in leaflet_paths(glyph_library):
        if "humma" not in path.name:
            continue
        text = words(subprocess.run(["pdftotext", str(path), "-"], **RUN).stdout)
        assert "به پزشک زنگ بزنم" in text and visible("می‌خواهم") in text


def test_nested_list_markers_and_symbols_come_from_careleafs_fonts(glyph_library: Path) -> None:
    """No character of the leaflet needs a font of the computer (WeasyPrint draws nested
    list markers as ◦ and ▪, which Atkinson Hyperlegible lacks), and every embedded font
    is one careleaf ships."""
    names = "|".join(re.escape(f.replace(" ", "-")) for f in families())
    for path in leaflet_paths(glyph_library):
        pdf = path.read_bytes()
        assert foreign_fonts(pdf) == {}, path
        with pikepdf.open(BytesIO(pdf)) as document:
            used = {
                str(font.BaseFont).split("+")[-1]
                for page in document.pages
                for font in page.obj.Resources.Font.values()
            }
        assert all(re.fullmatch(rf"({names})(-Bold)?(-Italic)?", name) for name in used), used
        if "fever" in path.name:  # the symbols and emoji really come from the new fonts
            assert {"careleaf-DejaVu-Sans", "careleaf-Noto-Emoji"} <= used


def test_leaflets_with_symbols_and_emoji_stay_pdf_ua(glyph_library: Path) -> None:
    failures = [
        f"{path.name} {code}: {failure}"
        for path in leaflet_paths(glyph_library)
        for code, matterhorn in MATTERHORN.items()
        for failure in matterhorn(Leaflet.open(path))
    ]
    assert failures == []


def test_a_rebuild_that_reuses_every_leaflet_makes_no_emoji_font(glyph_library: Path) -> None:
    """Making Noto Emoji static takes about a second a weight: a build that renders no
    leaflet never does it."""
    instances.clear()
    assert build_project(glyph_library, glyph_library / "output", *TODAY) == 0
    assert instances.made_here == [] and instances._MADE == {}


def test_the_emoji_font_is_made_static_the_same_every_time() -> None:
    emoji = [font for font in leaflet_fonts() if font.family == "careleaf Noto Emoji"]
    assert [font.weight for font in emoji] == [400, 700]
    for font in emoji:
        data = font.data()
        assert data == font.data()  # made once, kept in memory
        assert "fvar" not in TTFont(BytesIO(data))  # static: its text reads back
        assert font.url.startswith("file:///careleaf-fonts/") and font.digest[:16] in font.url
    assert emoji[0].data() != emoji[1].data()
    instances.clear()
    assert emoji[0].data() == emoji[0].data()  # made again: byte for byte the same


# --- check and build: the same problems, at the place the character was written --------

LAYOUT_CHAR = "診"


def uncovered_project(root: Path) -> Path:
    """Characters no font has in a body, a title, a source, the clinic's name and a layout."""
    make_library(
        root,
        {
            "body.md": manuscript("Colds", "## What it is\n\nA cold 風邪 is mild.\n"),
            "title.md": manuscript("Flu 流感", "## What it is\n\nFlu is a virus.\n"),
            "sources.md": manuscript(
                "Sprains",
                "## What it is\n\nA sprain hurts.\n",
                extra="sources:\n  - title: Guide 捻挫\n    url: https://example.org/",
            ),
        },
    )
    toml = 'layouts = "mine"\n\n[clinic]\nname = "Clinic 医院"\n' + NO_BRAILLE
    (root / "careleaf.toml").write_text(toml, encoding="utf-8")
    html = (ROOT / "layouts" / "leaflet.html").read_text(encoding="utf-8")
    (root / "mine").mkdir()
    html = html.replace("<article>", f"<article>\n<p>{LAYOUT_CHAR}</p>")
    (root / "mine" / "leaflet.html").write_text(html, encoding="utf-8")
    return root


def places(problems: tuple[Problem, ...] | list[Problem]) -> set[tuple[str, int, int | None]]:
    return {(Path(p.path).name, p.line, p.column) for p in problems}


def test_check_and_build_give_the_same_glyph_problems(tmp_path: Path) -> None:
    root = uncovered_project(tmp_path)
    checked = check(root).problems
    built = check(root, write=True)
    assert built.result is None and not (root / "output").exists()
    assert checked == built.problems
    assert {p.code for p in checked} == {"P603"}
    layout = (root / "mine" / "leaflet.html").read_text(encoding="utf-8")
    assert places(checked) == {
        ("body.md", 10, 8),  # '風' of 'A cold 風邪 is mild.'
        ("body.md", 10, 9),
        ("title.md", 2, 12),  # 'title: Flu 流感'
        ("title.md", 2, 13),
        ("sources.md", 7, 18),  # '  - title: Guide 捻挫'
        ("sources.md", 7, 19),
        ("careleaf.toml", 4, 16),  # 'name = "Clinic 医院"'
        ("careleaf.toml", 4, 17),
        ("leaflet.html", line_of(layout, f"<p>{LAYOUT_CHAR}</p>"), 4),
    }


def test_a_problem_names_the_character_its_unicode_name_line_and_column(tmp_path: Path) -> None:
    body = "## What it is\n\nA cold is mild.\nIn Japanese: 風邪.\n"
    root = make_library(tmp_path, {"colds.md": manuscript(body=body)}, NO_BRAILLE)
    problems = check(root).problems
    assert [str(p).split(": ", 1)[1] for p in problems][:1] == [
        "error P603: the character '風' (U+98A8 CJK UNIFIED IDEOGRAPH-98A8) is in none of "
        "careleaf's fonts (write it another way, or leave it out: careleaf's fonts have Latin, "
        "Greek, Cyrillic, Arabic, Hebrew and Devanagari letters, common symbols and emoji; for "
        "another script, add a font for it in careleaf.toml, as [[fonts]])"
    ]
    assert [(p.line, p.column) for p in problems] == [(11, 14), (11, 15)]
    assert problems[0].path.endswith("colds.md")


def test_an_invisible_or_combining_character_is_shown_with_its_neighbours(tmp_path: Path) -> None:
    body = "## Marks\n\nA tibetan\u0f71mark and an ogham\u1680space, and \uf0fc ticked.\n"
    root = make_library(tmp_path, {"marks.md": manuscript(body=body)}, NO_BRAILLE)
    messages = [p.message for p in check(root).problems]
    assert messages == [
        "the character U+0F71 TIBETAN VOWEL SIGN AA (a combining character, between "
        "'A tibetan' and 'mark and') is in none of careleaf's fonts",
        "the character U+1680 OGHAM SPACE MARK (an invisible space, between 'an ogham' "
        "and 'space, and') is in none of careleaf's fonts",
        "the character U+F0FC (a private-use character, between 'space, and' and "
        "'ticked.') is in none of careleaf's fonts",
    ]
    assert "Wingdings" in (check(root).problems[2].hint or "")


def test_a_variation_selector_or_joiner_is_never_a_problem_by_itself(tmp_path: Path) -> None:
    """⚠️ is the warning sign and VARIATION SELECTOR-16: with the sign covered, nothing is
    wrong; with the base uncovered, the problem names the base, never the selector. Joiners
    in Arabic script and direction marks are drawn as nothing."""
    body = (
        "## Signs\n\nWarning ⚠️ and ☎︎ here. می‌خواهم and لا\u200dب with \u200f marks, "
        "≤\ufe01 \u061c.\n\n"
        "Uncovered 風\ufe0f here.\n"
    )
    root = make_library(tmp_path, {"signs.md": manuscript(body=body)}, NO_BRAILLE)
    problems = check(root).problems
    assert [(p.code, p.line, p.column) for p in problems] == [("P603", 12, 11)]
    assert "U+98A8" in problems[0].message and "FE0F" not in problems[0].message


@pytest.mark.parametrize(
    ("sequence", "kind", "hint"),
    [
        ("🇬🇧", "flag", "the country's or the language's name"),
        ("👍🏽", "emoji with a skin tone", "leave out the skin tone ('👍' without '🏽')"),
        ("1️⃣", "keycap", "write the number or sign itself: '1'"),
        ("👩‍⚕️", "joined emoji", "write the emoji one by one (👩 ⚕)"),
    ],
    ids=["flag", "skin-tone", "keycap", "zwj"],
)
def test_an_emoji_sequence_leaflets_cannot_print_is_p606(
    tmp_path: Path, sequence: str, kind: str, hint: str
) -> None:
    root = make_library(
        tmp_path, {"e.md": manuscript(body=f"## Emoji\n\nSee {sequence} here.\n")}, NO_BRAILLE
    )
    problems = check(root).problems
    assert [(p.code, p.line, p.column) for p in problems] == [("P606", 10, 5)]
    assert problems[0].message.startswith(f"the {kind} '{sequence}' (U+")
    assert hint in (problems[0].hint or "")
    assert check(root, write=True).problems == problems


def test_many_missing_characters_are_summed_up_and_checked_fast(tmp_path: Path) -> None:
    """8000 different characters no font has: ten problems name one each, an eleventh
    (M128) sums up the rest from where the first of them stands; the file is read once."""
    chars = "".join(chr(0x4E00 + i) for i in range(8000))
    body = "## Many\n\n" + "\n\n".join(f"Word {chars[i : i + 80]}." for i in range(0, 8000, 80))
    root = make_library(tmp_path, {"many.md": manuscript(body=body, lang="zh")}, NO_BRAILLE)
    problems = check(root).problems
    assert [p.code for p in problems] == ["P603"] * 10 + ["M128"]
    assert [p.column for p in problems[:10]] == list(range(6, 16))
    assert problems[10].message.startswith(
        "7990 more P603 problems in this file, from this line on, are not listed; the first "
        "of them: the character '上' (U+4E0A CJK UNIFIED IDEOGRAPH-4E0A)"
    )
    assert (problems[10].line, problems[10].column) == (11, 16)


NESTED = """\
## Steps

1. First
    1. Second
        1. Third
            - Fourth
                - Fifth
2. Next
"""


def test_a_clinics_own_list_styles_print_from_careleafs_fonts(tmp_path: Path) -> None:
    """Numbered lists in letters and Roman numerals, a disclosure triangle and a marker of
    its own in a clinic's leaflet.css (a string list-style-type: WeasyPrint 70 fails on
    ``::marker { content: ... }``, 'min-content width for TextBox not handled yet')."""
    root = make_library(tmp_path, {"steps.md": manuscript(body=NESTED)})
    toml = (root / "careleaf.toml").read_text(encoding="utf-8")
    (root / "careleaf.toml").write_text('layouts = "mine"\n' + toml, encoding="utf-8")
    (root / "mine").mkdir()
    css = (ROOT / "layouts" / "leaflet.css").read_text(encoding="utf-8") + (
        "ol ol { list-style-type: lower-alpha; }\n"
        "ol ol ol { list-style-type: upper-roman; }\n"
        "ol ol ol ul { list-style-type: disclosure-closed; }\n"
        'ol ol ol ul ul { list-style-type: "→ "; }\n'
    )
    (root / "mine" / "leaflet.css").write_text(css, encoding="utf-8")
    instances.clear()
    assert build_project(root, root / "output", *TODAY) == 0
    assert instances.made_here == []  # no emoji: Noto Emoji is not even made
    pdf = root / "output" / "leaflets" / "steps.pdf"
    assert foreign_fonts(pdf.read_bytes()) == {}
    text = words(subprocess.run(["pdftotext", str(pdf), "-"], **RUN).stdout)
    for marker in ("1. First", "a. Second", "I. Third", "▸ Fourth", "→ Fifth", "2. Next"):
        assert marker in text, text


def test_a_character_of_a_clinics_own_translation_is_found_in_its_catalog(
    tmp_path: Path,
) -> None:
    root = make_library(tmp_path, {"a.md": manuscript(lang="de")}, NO_BRAILLE)
    catalog = root / "locale" / "de" / "LC_MESSAGES" / "messages.po"
    catalog.parent.mkdir(parents=True)
    catalog.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Contact us"\nmsgstr ""\n"Contact 連絡"\n',
        encoding="utf-8",
    )
    problems = check(root).problems
    assert [(p.code, Path(p.path).name, p.line, p.column) for p in problems] == [
        ("P603", "messages.po", 7, 10),
        ("P603", "messages.po", 7, 11),
    ]
    assert check(root, write=True).problems == problems


def test_dates_written_in_a_language_the_fonts_lack_are_found_by_check(tmp_path: Path) -> None:
    """A Japanese article's dates are written out in Japanese ('2026年6月1日'): check says
    so, at the manuscript's lang line, as build would."""
    root = make_library(tmp_path, {"a.md": manuscript(lang="ja")}, NO_BRAILLE)
    problems = check(root).problems
    assert [(p.code, p.line, p.column) for p in problems] == [("P603", 6, None)] * 3
    assert problems[0].message == (
        "the character '年' (U+5E74 CJK UNIFIED IDEOGRAPH-5E74) is in none of careleaf's "
        "fonts: it is in the dates, which leaflets write out in the article's language 'ja'"
    )
    assert check(root, write=True).problems == problems


def test_a_render_task_is_served_a_made_font_from_memory_and_nothing_else_there() -> None:
    font = next(f for f in leaflet_fonts() if f.generated)
    fetcher = MemoryFetcher({font.digest: b"made"})
    assert fetcher.fetch(FONTS_URL + font.digest).read() == b"made"
    with pytest.raises(ValueError, match="careleaf refused"):
        fetcher.fetch(FONTS_URL + "another.ttf")
