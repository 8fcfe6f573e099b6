"""Leaflets that use paper well and carry what printed patient leaflets carry.

Measured from the PDFs: no page but the last less than half full (tests/pagefill.py),
long tables split with their header repeated, the clinic's logo, the leaflet's
reference and version, the other-formats line, large print without italics, numbers
kept with their units. Libraries: the sample (A4), the mixed test library (A5), and
tests/paper_library.py, written to stress paper (long tables, phone photos, long
closing blocks) and built on A4, letter and A5.

Text read back from a PDF is compared letter for letter with every run of white space
(a space, a line break, a no-break space) made one space: a no-break space comes back
as U+00A0 from pdfium and as U+0020 from pdftotext, and both are a space to a reader.
"""

from __future__ import annotations

import io
import itertools
import json
import re
import subprocess
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path

import pikepdf
import pytest
from conftest import SAMPLE, build_project
from extract import pdfium_text
from library_maker import check, make_library, manuscript
from pagefill import fills, pages, under_half
from paper_library import LOGO_ALT, OTHER_FORMATS, logo, make_paper_library
from pdfua import (
    MATTERHORN,
    Leaflet,
    _kids,
    artifact_text,
    letters,
    reading_lines,
    struct_elements,
    tagged_text,
)
from PIL import Image
from weasyprint import HTML

from careleaf.build import BuildOptions, build
from careleaf.i18n import translations
from careleaf.pdfua import finish
from careleaf.printsize import TEXT_SCALE
from careleaf.records import Article, Metadata

EDITIONS = {"standard": "leaflets", "large-print": "leaflets/large-print"}
PAPERS = ("A4", "letter", "A5")
TODAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def unseen(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """The paper library built on ``paper`` (each paper size once): its project folder."""

    @cache
    def built(paper: str) -> Path:
        root = make_paper_library(tmp_path_factory.mktemp(f"paper-{paper}"), paper)
        assert build_project(root, root / "output") == 0
        return root

    return built


@cache
def articles(root: Path) -> tuple[Article, ...]:
    report = build(
        BuildOptions(root / "manuscripts", config=root / "careleaf.toml", write=False, today=TODAY)
    )
    assert not report.failed, [str(p) for p in report.problems]
    return report.articles


@cache
def opened(path: Path) -> Leaflet:
    return Leaflet.open(path)


def spaced(text: str) -> str:
    """Every run of white space (U+0020, U+00A0, line breaks) made one space."""
    return " ".join(text.split())


def same_spaces(text: str, lang: str) -> str:
    """``spaced``, and without hyphens: pdftotext drops a hyphen that ends a line
    ("e-" / "book" reads "ebook") and pdfium gives it as U+FFFE (the tagged text, read
    by tests/test_leaflet.py, keeps it); in French, also without the space before
    : ; ! ? » and after «, which careleaf adds where the manuscript has none."""
    text = spaced(re.sub("[-\ufffe]", "", text))
    if lang.split("-")[0] == "fr":
        text = re.sub(r"(?<=«) | (?=[:;!?»])", "", text)
    return text


def gettext(lang: str) -> Callable[[str], str]:
    return translations(lang, None).gettext  # type: ignore[no-any-return]


def library_output(
    name: str, sample_output: Path, mixed_output: Path, unseen: Callable[[str], Path]
) -> Path:
    if name == "sample":
        return sample_output
    if name == "mixed":
        return mixed_output
    return unseen(name) / "output"


LIBRARIES = ["sample", "mixed", *PAPERS]


# --- no wasted pages ----------------------------------------------------------------------


@pytest.mark.parametrize("name", LIBRARIES)
def test_no_page_but_the_last_is_less_than_half_full(
    name: str, sample_output: Path, mixed_output: Path, unseen: Callable[[str], Path]
) -> None:
    output = library_output(name, sample_output, mixed_output, unseen)
    found = {
        str(pdf.relative_to(output)): [round(fill, 2) for fill in fills(pdf)]
        for folder in EDITIONS.values()
        for pdf in sorted((output / folder).glob("*.pdf"))
    }
    assert len(found) >= 10
    wasted = {name: measured for name, measured in found.items() if under_half(output / name)}
    assert wasted == {}


def test_the_page_measure_finds_how_far_down_content_reaches(tmp_path: Path) -> None:
    """A page whose content (text and a box) stops 30% of the way down its body area
    measures 0.30, whatever its running header and footer (artifacts) hold."""
    style = (
        "@page { size: A4; margin: 20mm 20mm 30mm; @top-left { content: 'Clinic' } "
        "@bottom-left { content: 'Page ' counter(page) } } body { margin: 0 }"
        "div { height: 74.1mm; background: #ddd } p { margin: 0; line-height: 1 }"
    )
    body_height = 297 - 20 - 30
    html = (
        f"<html lang=en><title>T</title><style>{style}</style>"
        f"<p>Text at the top.</p><div></div><p style='break-before: page'>More.</p>"
    )
    raw = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    day = date(2026, 1, 5)
    (pdf := tmp_path / "measure.pdf").write_bytes(
        finish(raw, Metadata("T", "en", (), "Clinic", day, day, "", "t"))
    )
    first, second = pages(pdf)
    # the text line (about 4 mm) and the box (74.1 mm) of a 247 mm body area
    assert first.fill == pytest.approx((74.1 + 4.2) / body_height, abs=0.02)
    assert second.fill < 0.05
    assert under_half(pdf) == [1]


@pytest.mark.parametrize("paper", PAPERS)
def test_the_paper_library_passes_the_pdfua_checks(
    paper: str, unseen: Callable[[str], Path]
) -> None:
    output = unseen(paper) / "output"
    failures = [
        f"{pdf.name} {code}: {failure}"
        for folder in EDITIONS.values()
        for pdf in sorted((output / folder).glob("*.pdf"))
        for code, check in MATTERHORN.items()
        for failure in check(opened(pdf))
    ]
    assert failures == []


@pytest.mark.parametrize("edition", EDITIONS)
def test_a_long_table_flows_with_its_header_repeated(
    edition: str, unseen: Callable[[str], Path]
) -> None:
    """The 28-day timetable is not pushed whole to a page of its own: it starts on the
    page of its heading and goes on over the next page or pages, each row whole and once,
    its header row printed again at the top of each page (each page's part of the table
    is a Table with its own THead in the structure)."""
    leaflet = opened(unseen("A4") / "output" / EDITIONS[edition] / "medicines-schedule.pdf")
    pages = {page.obj.objgen: number for number, page in enumerate(leaflet.pdf.pages)}
    parts = []
    for table in struct_elements(leaflet.pdf):
        if table.get("/S") != "/Table":
            continue
        groups = {str(group.S): group for group in _kids(table) if "/S" in group}
        heads = [th for tr in _kids(groups["/THead"]) for th in _kids(tr)]
        if len(heads) == 4:
            parts.append((pages[table.Pg.objgen], len(_kids(groups["/TBody"]))))
    on = [page for page, _ in parts]
    assert len(parts) >= 2 and on == list(range(on[0], on[0] + len(on))), parts
    assert sum(rows for _, rows in parts) == 28
    for page in on:  # the header's words (its cells may wrap in large print)
        text = letters(" ".join(reading_lines([g for g in leaflet.glyphs if g.page == page])))
        assert "Medicine" in text and "When" in text, page
    first = [
        letters(line) for line in reading_lines([g for g in leaflet.glyphs if g.page == on[0]])
    ]
    assert letters("Your timetable") in first


# --- the text a reader gets --------------------------------------------------------------


def pdftotext(path: Path) -> str:
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def prose(article: Article) -> list[str]:
    """The article's sentences from paragraphs and list items (table cells aside: a
    text extractor may read a table row by row or column by column)."""
    from lxml import html as lxml_html

    tree = lxml_html.fragment_fromstring(article.body, create_parent="div")
    for skipped in tree.xpath("//table|//a[@role='doc-backlink']|//sup"):
        skipped.drop_tree()
    found = []
    for element in tree.xpath("//p|//li[not(p) and not(ul) and not(ol)]"):
        text = spaced(element.text_content())
        found += [s for s in re.split(r"(?<=[.!?])\s+", text) if len(s) > 3]
    return found


@pytest.mark.parametrize("name", ["sample", "A4"])
@pytest.mark.parametrize("edition", EDITIONS)
def test_text_extracts_letter_for_letter_with_pdftotext_and_pdfium(
    name: str, edition: str, sample_output: Path, unseen: Callable[[str], Path]
) -> None:
    """Every sentence of every left-to-right leaflet, as pdftotext and pdfium read it
    back: the same letters, with a space (U+0020 or U+00A0) wherever the source has one."""
    root = SAMPLE if name == "sample" else unseen(name)
    output = sample_output if name == "sample" else root / "output"
    failures = []
    checked = 0
    for article in articles(root):
        if article.direction == "rtl":
            continue  # right-to-left text: tests/test_leaflet.py reads it in logical order
        pdf = output / EDITIONS[edition] / f"{article.slug}.pdf"
        for extractor, text in (("pdftotext", pdftotext(pdf)), ("pdfium", pdfium_text(pdf))):
            flat = same_spaces(text, article.lang)
            assert "\ufffd" not in flat
            for sentence in [article.title, *prose(article)]:
                checked += 1
                if same_spaces(sentence, article.lang) not in flat:
                    failures.append(f"{pdf.name} ({extractor}): {sentence!r}")
    assert checked > 100 and failures == []


UNITS = re.compile(
    r"(°C|mg\b|ml\b|mmHg|%|tablets?\b|hours?\b|days?\b|weeks?\b|minutes?\b|units?\b|kg\b|g\b)"
)
CROWDED = (  # a long paragraph: number and unit fall at every place in the line
    " ".join(
        f"{'Then ' * (n % 4)}take {n % 7 + 1}.5 mg of it, {n + 2} ml of water, call 999 if it "
        f"is ≥ 38 °C for {n % 5 + 2} hours or lasts {n + 3} days, or phone 01632 960 {n:03d}."
        for n in range(24)
    )
)
FRENCH = (
    "Attention: prenez-le le soir! Pourquoi? Parce que c'est mieux ; la nuit, dormez. "
    "Le médecin dit « reposez-vous » et appelez le 15 si la fièvre dépasse 38 °C. " * 6
)


@pytest.fixture(scope="module")
def crowded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_library(
        tmp_path_factory.mktemp("units"),
        {
            "doses.md": manuscript(
                "Doses",
                f"## How much\n\n{CROWDED}\n\n| Dose | When |\n|---|---|\n"
                "| 2.5 mg | every 24 hours |\n",
            ),
            "doses-fr.md": manuscript("Les doses", f"## Combien\n\n{FRENCH}\n", lang="fr"),
        },
        '[print]\npaper = "A5"\n',
    )
    assert build_project(root, root / "output") == 0
    return root / "output"


def broken_pairs(leaflet: Leaflet) -> list[tuple[str, str]]:
    """Consecutive lines of the leaflet where a number ends one and its unit starts the
    next, or a sign, "call" or part of a phone number is left at a line's end."""
    lines: list[str] = []
    for page in range(len(leaflet.pdf.pages)):
        lines += [
            spaced(line) for line in reading_lines([g for g in leaflet.glyphs if g.page == page])
        ]
    found = []
    for first, second in itertools.pairwise(lines):
        if (re.search(r"\d$", first) and UNITS.match(second)) or (
            re.search(r"(≥|call|NHS|01632|01632 960)$", first, re.IGNORECASE)
            and re.match(r"\d", second)
        ):
            found.append((first, second))
    return found


@pytest.mark.parametrize("edition", EDITIONS)
def test_numbers_stay_with_their_units(crowded: Path, edition: str) -> None:
    leaflet = opened(crowded / EDITIONS[edition] / "doses.pdf")
    lines = sum(
        len(reading_lines([g for g in leaflet.glyphs if g.page == p]))
        for p in range(len(leaflet.pdf.pages))
    )
    assert lines > 40
    assert broken_pairs(leaflet) == []
    # nothing but the kind of space changed: the text reads the same
    for text in (pdfium_text(leaflet.path), pdftotext(leaflet.path)):
        assert same_spaces(CROWDED, "en") in same_spaces(without_running(text), "en")


RUNNING = re.compile(
    r"(Test clinic( · Large print)?|Published: .*|Review due: .*|Leaflet [\w-]+, version \d+|"
    r"Page \d+ of \d+)"
)


def without_running(text: str) -> str:
    """Extracted text without the lines of the running header and footer, which a text
    extractor puts between two pages (a paragraph that goes on to the next page then
    reads on), every run of white space made one space."""
    lines = [line.strip("\x0c\r") for line in text.split("\n")]  # a page starts with \f
    return spaced("\n".join(line for line in lines if not RUNNING.fullmatch(line)))


def test_numbers_stay_with_their_units_on_the_web_and_in_the_e_book(crowded: Path) -> None:
    page = (crowded / "html" / "doses.html").read_text(encoding="utf-8")
    assert "2.5\u00a0mg" in page and "≥\u00a038\u00a0°C" in page and "call\u00a0999" in page
    assert "01632\u00a0960\u00a0000" in page
    import zipfile

    [book] = (crowded / "ebook").glob("*.epub")
    with zipfile.ZipFile(book) as epub:
        chapter = next(
            epub.read(n).decode("utf-8") for n in epub.namelist() if n.endswith("doses.xhtml")
        )
    assert "2.5\u00a0mg" in chapter and "call\u00a0999" in chapter


@pytest.mark.parametrize("edition", EDITIONS)
def test_french_gets_its_spaces_before_punctuation(crowded: Path, edition: str) -> None:
    """A no-break space before : ; ! ? and inside « », typed or not: no line starts with
    one of them, and the text reads back with a space there."""
    leaflet = opened(crowded / EDITIONS[edition] / "doses-fr.pdf")
    lines = [
        spaced(line)
        for page in range(len(leaflet.pdf.pages))
        for line in reading_lines([g for g in leaflet.glyphs if g.page == page])
    ]
    assert [line for line in lines if re.match(r"[:;!?»]", line)] == []
    assert [line for line in lines if re.search(r"«$", line)] == []
    text = spaced(pdfium_text(leaflet.path).replace("\ufffe", "-"))
    for written in ("Attention :", "le soir !", "Pourquoi ?", "mieux ;", "« reposez-vous »"):
        assert written in text, written
    assert "Pourquoi?" not in text


# --- what printed patient leaflets carry ---------------------------------------------------


def placed_pictures(pdf: pikepdf.Pdf, page: int) -> list[tuple[int, float, float]]:
    """Each picture drawn straight on ``page``: pixels across, and its width and height
    on the page in points."""
    found = []
    stack: list[list[float]] = []
    ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    resources = pdf.pages[page].obj.Resources
    for operands, operator in pikepdf.parse_content_stream(pdf.pages[page]):
        name = str(operator)
        if name == "q":
            stack.append(ctm)
        elif name == "Q":
            ctm = stack.pop()
        elif name == "cm":
            a, b, c, d, e, f = (float(v) for v in operands)
            p, q, r, s, t, u = ctm
            ctm = [a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s,
                   e * p + f * r + t, e * q + f * s + u]  # fmt: skip
        elif name == "Do":
            xobject = resources.XObject[operands[0]]
            if xobject.get("/Subtype") == "/Image":
                found.append((int(xobject.Width), abs(ctm[0]), abs(ctm[3])))
    return found


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_logo_tops_the_first_page_as_a_figure_with_its_alt_text(
    edition: str, unseen: Callable[[str], Path]
) -> None:
    """16 mm high (in large print grown with the text), its pixels scaled to 300 per
    inch at that size, on the first page only; tagged as a Figure with the logo's alt
    text before the title (it is content: who made the leaflet)."""
    source = Image.open(io.BytesIO(logo()))
    for article in articles(unseen("A4")):
        leaflet = opened(unseen("A4") / "output" / EDITIONS[edition] / f"{article.slug}.pdf")
        height = 16 / 25.4 * 72 * (TEXT_SCALE if edition == "large-print" else 1)
        width = height * source.width / source.height
        logos = [
            p for p in placed_pictures(leaflet.pdf, 0) if p[2] == pytest.approx(height, abs=0.5)
        ]
        assert len(logos) == 1, (leaflet.path, placed_pictures(leaflet.pdf, 0))
        pixels, placed, _ = logos[0]
        assert placed == pytest.approx(width, abs=0.5)
        assert pixels == pytest.approx(placed / 72 * 300, abs=1.5) and pixels < source.width
        for page in range(1, len(leaflet.pdf.pages)):
            assert not [
                p
                for p in placed_pictures(leaflet.pdf, page)
                if p[2] == pytest.approx(height, abs=0.5)
            ]
        kinds = [str(e.get("/S")) for e in struct_elements(leaflet.pdf)]
        figures = [e for e in struct_elements(leaflet.pdf) if e.get("/S") == "/Figure"]
        assert str(figures[0].get("/Alt")) == LOGO_ALT
        assert kinds.index("/Figure") < kinds.index("/H1")
        assert MATTERHORN["13-004"](leaflet) == []


def test_a_logo_with_too_few_pixels_or_drawn_in_svg(tmp_path: Path) -> None:
    small = io.BytesIO()
    Image.new("RGB", (200, 60), (30, 90, 50)).save(small, "PNG")
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 100">'
        '<rect width="400" height="100" fill="#236e3c"/></svg>'
    )
    root = make_library(tmp_path / "clinic", {"flu.md": manuscript()})
    (root / "careleaf.toml").write_text(
        '[clinic]\nname = "Test clinic"\nlogo = "small.png"\nlogo_alt = "Test clinic logo"\n',
        encoding="utf-8",
    )
    (root / "small.png").write_bytes(small.getvalue())
    report = check(root)
    found = [(Path(p.path).name, p.line, p.code) for p in report.problems]
    assert found == [("careleaf.toml", 3, "C116")], [str(p) for p in report.problems]
    assert "200 pixels across" in report.problems[0].message
    (root / "logo.svg").write_text(svg, encoding="utf-8")
    toml = (root / "careleaf.toml").read_text(encoding="utf-8").replace("small.png", "logo.svg")
    (root / "careleaf.toml").write_text(toml, encoding="utf-8")
    report = check(root, write=True)
    assert report.problems == () and not report.failed
    leaflet = opened(root / "output" / "leaflets" / "flu.pdf")
    figures = [e for e in struct_elements(leaflet.pdf) if e.get("/S") == "/Figure"]
    assert str(figures[0].get("/Alt")) == "Test clinic logo"


def test_every_footer_gives_the_reference_and_version(
    unseen: Callable[[str], Path], tmp_path: Path
) -> None:
    """The front matter's reference (else the slug) and the article's version, on every
    page with the dates (an artifact), and in the PDF's metadata (dc:identifier,
    xmpMM:VersionID), where a screen reader's document properties find it."""
    root = unseen("A4")
    for article in articles(root):
        reference = article.manuscript.reference or article.slug
        _ = gettext(article.lang)
        line = letters(_("Leaflet %(reference)s, version %(version)s") % {
            "reference": reference, "version": 1})  # fmt: skip
        for folder in EDITIONS.values():
            leaflet = opened(root / "output" / folder / f"{article.slug}.pdf")
            for page in range(len(leaflet.pdf.pages)):
                on_page = [g for g in leaflet.glyphs if g.page == page]
                assert line in letters(artifact_text(on_page)), (leaflet.path, page)
            xmp = leaflet.pdf.open_metadata()
            assert (xmp["dc:identifier"], xmp["xmpMM:VersionID"]) == (reference, "1")
    assert [a.manuscript.reference for a in articles(root)][:2] != ["", ""]
    # the version goes up when the article's content changes
    clinic = make_library(tmp_path / "clinic", {"flu.md": manuscript(extra="reference: TC-7")})
    assert build_project(clinic, clinic / "output") == 0
    text = (clinic / "manuscripts" / "flu.md").read_text(encoding="utf-8")
    (clinic / "manuscripts" / "flu.md").write_text(text + "\nDrink water.\n", encoding="utf-8")
    assert build_project(clinic, clinic / "output") == 0
    data = json.loads((clinic / "output" / "report.json").read_text(encoding="utf-8"))
    assert data["articles"][0]["version"] == 2
    for folder in EDITIONS.values():
        leaflet = Leaflet.open(clinic / "output" / folder / "flu.pdf")
        assert letters("Leaflet TC-7, version 2") in letters(artifact_text(leaflet.glyphs))


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_closing_block_says_how_to_get_other_formats(
    edition: str, sample_output: Path, unseen: Callable[[str], Path]
) -> None:
    """The clinic's own sentence ([clinic] other_formats), else careleaf's, in the
    leaflet's language; and each edition names the other: large print says it is also
    in standard print, standard print that it is also in large print."""
    for root, output in ((SAMPLE, sample_output), (unseen("A4"), unseen("A4") / "output")):
        for article in articles(root):
            _ = gettext(article.lang)
            text = letters(tagged_text(opened(output / EDITIONS[edition] / f"{article.slug}.pdf")))
            wanted = (
                OTHER_FORMATS
                if root != SAMPLE
                else _(
                    "Ask us if you need this leaflet in braille, on audio or in another language."
                )
            )
            assert letters(wanted) in text, article.slug
            standard = letters(
                _("This leaflet is also available in standard print and as an e-book.")
            )
            large = letters(_("This leaflet is also available in large print and as an e-book."))
            assert (standard in text, large in text) == (
                edition == "large-print",
                edition == "standard",
            ), article.slug


def test_large_print_has_no_italics(
    sample_output: Path, mixed_output: Path, unseen: Callable[[str], Path]
) -> None:
    """RNIB and UKAAF: no italics in large print (captions, emphasis and citations are
    set upright, emphasis in bold): no italic font in any large-print leaflet, while the
    standard edition of the same leaflets uses italic."""

    def italic_fonts(path: Path) -> set[str]:
        found = set()
        with pikepdf.open(path) as pdf:
            for page in pdf.pages:
                for font in page.obj.Resources.get("/Font", {}).values():
                    descriptor = font.DescendantFonts[0].FontDescriptor
                    name = str(font.BaseFont).split("+")[-1]
                    if "Italic" in name or float(descriptor.get("/ItalicAngle", 0)) != 0:
                        found.add(name)
        return found

    standard_italic = set()
    for output in (sample_output, mixed_output, unseen("A4") / "output"):
        for pdf in sorted((output / EDITIONS["large-print"]).glob("*.pdf")):
            assert italic_fonts(pdf) == set(), pdf
            standard_italic |= italic_fonts(output / EDITIONS["standard"] / pdf.name)
    assert standard_italic  # captions and emphasis are italic in standard print
