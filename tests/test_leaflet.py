"""PDF leaflets: PDF/UA-1 (tests/pdfua.py is the validator), print layout, large print, safety.

Every leaflet of the sample library and of the mixed test library (English, Spanish,
Arabic) is opened with pikepdf and pdfminer.six; nothing here needs a program from the
system.
"""

from __future__ import annotations

import itertools
import re
import subprocess
import unicodedata
from collections import Counter
from collections.abc import Callable
from datetime import date
from functools import cache
from io import BytesIO
from pathlib import Path

import pikepdf
import pytest
from conftest import MIXED, SAMPLE, build_project
from fontTools.ttLib import TTFont
from library_maker import TODAY
from lxml import html as lxml_html
from pdfua import (
    MATTERHORN,
    Leaflet,
    artifact_text,
    letters,
    reading_lines,
    right_to_left,
    struct_elements,
    tagged_text,
)
from weasyprint import HTML

from careleaf.build import BuildOptions, build
from careleaf.glyphs import families, leaflet_fonts
from careleaf.i18n import long_date, translations
from careleaf.leafletpage import web_address
from careleaf.pdfua import finish
from careleaf.records import Article, Metadata
from careleaf.tounicode import glyph_texts

LIBRARIES = {"sample": SAMPLE, "mixed": MIXED}
EDITIONS = {"standard": "leaflets", "large-print": "leaflets/large-print"}
SETS = [(library, edition) for library in LIBRARIES for edition in EDITIONS]
IDS = [f"{library}-{edition}" for library, edition in SETS]


@cache
def library(name: str) -> tuple[Article, ...]:
    root = LIBRARIES[name]
    report = build(
        BuildOptions(root / "manuscripts", config=root / "careleaf.toml", write=False, today=TODAY)
    )
    assert not report.failed
    return report.articles


@cache
def _open(path: Path) -> Leaflet:
    return Leaflet.open(path)


@pytest.fixture(scope="module")
def outputs(sample_output: Path, mixed_output: Path) -> dict[str, Path]:
    return {"sample": sample_output, "mixed": mixed_output}


def leaflets(outputs: dict[str, Path], name: str, edition: str) -> list[tuple[Article, Leaflet]]:
    folder = outputs[name] / EDITIONS[edition]
    return [(a, _open(folder / f"{a.slug}.pdf")) for a in library(name)]


def each(
    outputs: dict[str, Path],
    name: str,
    edition: str,
    check: Callable[[Article, Leaflet], list[str]],
) -> None:
    failures = [
        f"{leaflet.path.name}: {failure}"
        for article, leaflet in leaflets(outputs, name, edition)
        for failure in check(article, leaflet)
    ]
    assert failures == []


def matterhorn(code: str) -> Callable[[Article, Leaflet], list[str]]:
    return lambda _article, leaflet: MATTERHORN[code](leaflet)


def gettext(article: Article) -> Callable[[str], str]:
    return translations(article.lang, None).gettext  # type: ignore[no-any-return]


# --- the Matterhorn protocol, one test per condition -----------------------------------

parametrize = pytest.mark.parametrize(("name", "edition"), SETS, ids=IDS)


@parametrize
def test_01_003_no_artifact_inside_tagged_content(
    outputs: dict[str, Path], name: str, edition: str
) -> None:
    each(outputs, name, edition, matterhorn("01-003"))


@parametrize
def test_01_004_no_tagged_content_inside_an_artifact(
    outputs: dict[str, Path], name: str, edition: str
) -> None:
    each(outputs, name, edition, matterhorn("01-004"))


@parametrize
def test_01_005_all_content_is_tagged_or_an_artifact(
    outputs: dict[str, Path], name: str, edition: str
) -> None:
    each(outputs, name, edition, matterhorn("01-005"))


@parametrize
def test_01_007_the_structure_tree_exists_and_is_marked(
    outputs: dict[str, Path], name: str, edition: str
) -> None:
    each(outputs, name, edition, matterhorn("01-007"))


@parametrize
def test_02_001_structure_types_are_standard(
    outputs: dict[str, Path], name: str, edition: str
) -> None:
    each(outputs, name, edition, matterhorn("02-001"))


@parametrize
def test_06_xmp_metadata_with_pdfua_identifier_and_title(
    outputs: dict[str, Path], name: str, edition: str
) -> None:
    each(outputs, name, edition, matterhorn("06-001..003"))


@parametrize
def test_07_the_title_is_displayed(outputs: dict[str, Path], name: str, edition: str) -> None:
    each(outputs, name, edition, matterhorn("07-001..002"))


@parametrize
def test_09_004_tables_follow_the_table_structure(
    outputs: dict[str, Path], name: str, edition: str
) -> None:
    each(outputs, name, edition, matterhorn("09-004"))


@parametrize
def test_09_005_lists_follow_the_list_structure(
    outputs: dict[str, Path], name: str, edition: str
) -> None:
    each(outputs, name, edition, matterhorn("09-005"))


@parametrize
def test_10_001_every_glyph_maps_to_unicode(
    outputs: dict[str, Path], name: str, edition: str
) -> None:
    each(outputs, name, edition, matterhorn("10-001"))


@parametrize
def test_11_the_language_is_set(outputs: dict[str, Path], name: str, edition: str) -> None:
    def check(article: Article, leaflet: Leaflet) -> list[str]:
        failures = MATTERHORN["11-001,11-006"](leaflet)
        if str(leaflet.pdf.Root.Lang) != article.lang:
            failures.append(f"/Lang is {leaflet.pdf.Root.Lang}, not {article.lang}")
        if list(leaflet.pdf.open_metadata().get("dc:language", [])) != [article.lang]:
            failures.append("the XMP metadata has another dc:language")
        return failures

    each(outputs, name, edition, check)


@parametrize
def test_13_004_every_figure_has_alt_text(
    outputs: dict[str, Path], name: str, edition: str
) -> None:
    def check(article: Article, leaflet: Leaflet) -> list[str]:
        failures = MATTERHORN["13-004"](leaflet)
        alts = [
            str(e.get("/Alt", "")) for e in struct_elements(leaflet.pdf) if e.get("/S") == "/Figure"
        ]
        failures += [
            f"no figure with the alt text {i.alt!r}" for i in article.images if i.alt not in alts
        ]
        return failures

    each(outputs, name, edition, check)


@parametrize
def test_14_heading_tags_in_document_order_without_skips(
    outputs: dict[str, Path], name: str, edition: str
) -> None:
    def check(article: Article, leaflet: Leaflet) -> list[str]:
        failures = MATTERHORN["14-002..003"](leaflet)
        tags = [
            str(e.S)[1:] for e in struct_elements(leaflet.pdf) if re.fullmatch(r"/H[1-6]", str(e.S))
        ]
        body = ["H1", *(f"H{h.level}" for h in article.headings)]
        if tags[: len(body)] != body or set(tags[len(body) :]) - {"H2"}:
            failures.append(f"headings {tags} do not follow the article's {body}")
        return failures

    each(outputs, name, edition, check)


@parametrize
def test_15_003_table_headers_have_a_scope(
    outputs: dict[str, Path], name: str, edition: str
) -> None:
    each(outputs, name, edition, matterhorn("15-003"))


@parametrize
def test_28_008_009_pages_with_links_use_structure_tab_order(
    outputs: dict[str, Path], name: str, edition: str
) -> None:
    each(outputs, name, edition, matterhorn("28-008..009"))


@parametrize
def test_28_011_links_are_inside_link_tags(
    outputs: dict[str, Path], name: str, edition: str
) -> None:
    each(outputs, name, edition, matterhorn("28-011"))


@parametrize
def test_28_012_links_have_a_description(outputs: dict[str, Path], name: str, edition: str) -> None:
    each(outputs, name, edition, matterhorn("28-012"))


@parametrize
def test_31_every_font_is_embedded_and_from_careleafs_packages(
    outputs: dict[str, Path], name: str, edition: str
) -> None:
    ours = {glyph_texts(font.path)[0] for font in leaflet_fonts()}
    names = "|".join(re.escape(family.replace(" ", "-")) for family in families())

    def check(_article: Article, leaflet: Leaflet) -> list[str]:
        failures = MATTERHORN["31"](leaflet)
        for font in {g.font.split("+")[-1] for g in leaflet.glyphs}:
            if not re.fullmatch(rf"({names})(-Bold)?(-Italic)?", font):
                failures.append(f"the font {font} is not one careleaf ships")
        for page in leaflet.pdf.pages:
            for font in page.obj.Resources.Font.values():
                program = font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes()
                name = TTFont(BytesIO(program))["name"].getDebugName(6)
                if name not in ours:
                    failures.append(f"the embedded font {name} is not one careleaf ships")
        return failures

    each(outputs, name, edition, check)


def test_the_validator_catches_weasyprints_untagged_margin_boxes() -> None:
    """WeasyPrint issue #1836 as it is, and as careleaf leaves it: 01-005 can fail."""
    raw = HTML(
        string="<html lang=en><title>T</title><style>@page { @top-left { content: 'Clinic' } }"
        "</style><h1>T</h1><p>Text.</p>"
    ).write_pdf(pdf_variant="pdf/ua-1")
    folder = Path(__file__).parent
    (before := folder / ".raw-1836.pdf").write_bytes(raw)
    day = date(2026, 1, 5)
    (after := folder / ".fixed-1836.pdf").write_bytes(
        finish(raw, Metadata("T", "en", (), "Clinic", day, day, "", "t"))
    )
    try:
        assert MATTERHORN["01-005"](Leaflet.open(before)) != []
        fixed = Leaflet.open(after)
        assert MATTERHORN["01-005"](fixed) == []
        assert {g.text for g in fixed.glyphs if g.artifact} >= set("Clinic")
    finally:
        before.unlink()
        after.unlink()


# --- what a reader gets -----------------------------------------------------------------


def sentences(article: Article) -> list[str]:
    """The article's sentences, from its paragraphs, list items, cells and captions."""
    tree = lxml_html.fragment_fromstring(article.body, create_parent="div")
    for hidden in tree.xpath('//a[@role="doc-backlink"]'):
        hidden.drop_tree()
    for note in tree.xpath('//a[@role="doc-noteref"]'):
        note.text = f" {note.text_content()} "  # a raised number: a word of its own
    found = []
    for element in tree.xpath("//p|//li[not(p)]|//td|//th|//figcaption|//dt|//dd[not(p)]"):
        text = re.sub(r"\s+", " ", element.text_content()).strip()
        found += [s for s in re.split(r"(?<=[.!?؟])\s+", text) if s]
    return found


@parametrize
def test_extracted_text_holds_every_sentence_letter_for_letter_in_order(
    outputs: dict[str, Path], name: str, edition: str
) -> None:
    def check(article: Article, leaflet: Leaflet) -> list[str]:
        text = letters(tagged_text(leaflet))
        failures, position = [], 0
        for sentence in [article.title, *sentences(article)]:
            found = text.find(letters(sentence), position)
            if found < 0:
                failures.append(f"missing or out of order: {sentence!r}")
            else:
                position = found
        return failures

    each(outputs, name, edition, check)


@parametrize
def test_running_headers_and_footers_are_artifacts(
    outputs: dict[str, Path], name: str, edition: str
) -> None:
    def check(article: Article, leaflet: Leaflet) -> list[str]:
        _ = gettext(article)
        pages = len(leaflet.pdf.pages)
        failures = []
        for page in range(pages):
            on_page = [g for g in leaflet.glyphs if g.page == page]
            artifact = letters(artifact_text(on_page, right_to_left(leaflet)))
            number = letters(_("Page %(page)s of %(pages)s") % {"page": page + 1, "pages": pages})
            published = letters(long_date(article.manuscript.published, article.lang))
            review = letters(long_date(article.manuscript.review_due, article.lang))
            for what in (number, published, review, letters(leaflet_clinic(name))):
                if what not in artifact:
                    failures.append(f"page {page + 1}: {what!r} is not in an artifact")
        return failures

    each(outputs, name, edition, check)


@parametrize
def test_bookmarks_follow_the_headings(outputs: dict[str, Path], name: str, edition: str) -> None:
    def check(article: Article, leaflet: Leaflet) -> list[str]:
        found: list[tuple[int, str]] = []

        def walk(items: list, depth: int) -> None:  # type: ignore[type-arg]
            for item in items:
                found.append((depth, item.title))
                walk(item.children, depth + 1)

        with leaflet.pdf.open_outline() as outline:
            walk(outline.root, 1)
        expected = [(1, article.title), *((h.level, h.text) for h in article.headings)]
        return [] if found[: len(expected)] == expected else [f"bookmarks {found} != {expected}"]

    each(outputs, name, edition, check)


@parametrize
def test_title_and_metadata(outputs: dict[str, Path], name: str, edition: str) -> None:
    def check(article: Article, leaflet: Leaflet) -> list[str]:
        m = article.manuscript
        xmp = leaflet.pdf.open_metadata()
        info = leaflet.pdf.docinfo
        expected = {
            "title": (str(info.Title), m.title),
            "dc:title": (str(xmp["dc:title"]), m.title),
            "created": (str(info.CreationDate)[2:10], f"{m.published:%Y%m%d}"),
            "modified": (str(info.ModDate)[2:10], f"{m.last_changed:%Y%m%d}"),
            "xmp:CreateDate": (str(xmp["xmp:CreateDate"]), m.published.isoformat()),
            "publisher": (list(xmp.get("dc:publisher", [])), [leaflet_clinic(name)]),
            "authors": (list(xmp.get("dc:creator", [])), list(m.authors)),
        }
        return [f"{k}: {got!r} != {want!r}" for k, (got, want) in expected.items() if got != want]

    each(outputs, name, edition, check)


def leaflet_clinic(name: str) -> str:
    text = (LIBRARIES[name] / "careleaf.toml").read_text(encoding="utf-8")
    match = re.search(r'^name = "([^"]+)"', text, re.MULTILINE)
    assert match
    return match.group(1)


def body_size(leaflet: Leaflet) -> float:
    """The size most of the tagged text is set in, read from the PDF's glyphs."""
    sizes = Counter(round(g.size, 1) for g in leaflet.glyphs if not g.artifact and g.text.strip())
    return sizes.most_common(1)[0][0]


@pytest.mark.parametrize("name", LIBRARIES)
def test_body_text_is_at_least_12pt_and_16pt_in_large_print(
    outputs: dict[str, Path], name: str
) -> None:
    for article, standard in leaflets(outputs, name, "standard"):
        large = _open(outputs[name] / EDITIONS["large-print"] / f"{article.slug}.pdf")
        assert body_size(standard) >= 12, standard.path
        assert body_size(large) >= 16, large.path
        # headings are clearly larger than the body
        assert max(g.size for g in standard.glyphs) >= 1.5 * body_size(standard)
        assert max(g.size for g in large.glyphs) >= 1.5 * body_size(large)


@pytest.mark.parametrize("name", LIBRARIES)
def test_page_count_is_sane(outputs: dict[str, Path], name: str) -> None:
    for article, standard in leaflets(outputs, name, "standard"):
        large = _open(outputs[name] / EDITIONS["large-print"] / f"{article.slug}.pdf")
        pages, large_pages = len(standard.pdf.pages), len(large.pdf.pages)
        words_per_page = article.word_count / pages
        assert 1 <= pages <= 8 and words_per_page > 20, (standard.path, pages)
        assert pages <= large_pages <= 3 * pages + 1, (large.path, large_pages)


@parametrize
def test_back_matter_ends_the_leaflet(outputs: dict[str, Path], name: str, edition: str) -> None:
    """Contact details, sources, related reading and the availability line with the QR
    code end the leaflet (they flow like the text: tests/test_paper.py); the line names
    the other print edition."""

    def check(article: Article, leaflet: Leaflet) -> list[str]:
        _ = gettext(article)
        pages = len(leaflet.pdf.pages)
        end = [g for g in leaflet.glyphs if g.page >= pages - 2]  # the part may flow over
        last = letters(" ".join(reading_lines(end)))
        text = letters(tagged_text(leaflet))
        failures = []
        availability = letters(
            _("This leaflet is also available in standard print and as an e-book.")
            if edition == "large-print"
            else _("This leaflet is also available in large print and as an e-book.")
        )
        if availability not in last:
            failures.append("the availability line is not on the last two pages")
        body_end = text.find(letters(sentences(article)[-1]))
        wanted = [_("Contact us"), leaflet_clinic(name), _("Related reading")]
        if article.manuscript.sources:
            wanted += [_("Sources"), article.manuscript.sources[0].title]
        for item in wanted:
            if not body_end < text.find(letters(item), body_end) < text.find(availability):
                failures.append(f"not between the article and the availability line: {item!r}")
        return failures

    each(outputs, name, edition, check)


@parametrize
def test_qr_code_is_vector_with_alt_text_naming_the_address(
    outputs: dict[str, Path], name: str, edition: str
) -> None:
    def check(article: Article, leaflet: Leaflet) -> list[str]:
        config = build(BuildOptions(config=LIBRARIES[name] / "careleaf.toml", write=False)).config
        address = web_address(config, article.slug)
        assert address.startswith("https://")
        alt = gettext(article)("QR code linking to %(address)s") % {"address": address}
        failures = []
        if alt not in [str(e.get("/Alt", "")) for e in struct_elements(leaflet.pdf)]:
            failures.append(f"no figure with the alt text {alt!r}")
        images = len(
            {
                xobject.objgen
                for page in leaflet.pdf.pages
                for xobject in page.obj.Resources.get("/XObject", {}).values()
                if xobject.get("/Subtype") == "/Image"
            }
        )
        if images > len(article.images):
            failures.append(
                f"{images} raster images for {len(article.images)} pictures: is the QR code vector?"
            )
        return failures

    each(outputs, name, edition, check)


def test_leaflets_are_deterministic(tmp_path: Path, sample_output: Path) -> None:
    assert build_project(SAMPLE, tmp_path / "again") == 0
    for folder in EDITIONS.values():
        for pdf in sorted((sample_output / folder).glob("*.pdf")):
            assert (tmp_path / "again" / folder / pdf.name).read_bytes() == pdf.read_bytes(), pdf


def test_text_weasyprint_maps_wrongly_is_repaired_from_the_fonts(tmp_path: Path) -> None:
    """WeasyPrint gives the first glyph of a lam-alef-with-tanween cluster no text, and
    then every later lam-alef too (compare WeasyPrint #2841); careleaf repairs it."""
    arabic = next(f for f in leaflet_fonts() if f.family == "IBM Plex Sans Arabic")
    text = "واجعل الأمر ممتعًا، مثلًا بالغناء معه. وغنِّ أغنية عيد ميلاد سعيد مرتين."
    raw = HTML(
        string=f"<html lang=ar dir=rtl><title>t</title><style>@font-face {{ font-family: P; "
        f"src: url({arabic.url}) }} body {{ font-family: P }}</style><p>{text}</p>"
    ).write_pdf(pdf_variant="pdf/ua-1")
    day = date(2026, 1, 5)
    fixed = finish(raw, Metadata("t", "ar", (), "", day, day, "", "t"), [arabic.path])
    (before := tmp_path / "raw.pdf").write_bytes(raw)
    (after := tmp_path / "fixed.pdf").write_bytes(fixed)
    assert letters(text) not in letters(tagged_text(Leaflet.open(before)))
    assert letters(text) in letters(tagged_text(Leaflet.open(after)))


@pytest.mark.parametrize("name", LIBRARIES)
def test_lines_are_near_65_characters(outputs: dict[str, Path], name: str) -> None:
    """Full lines of body text (the longest tenth) hold about 60 to 70 characters; on A5
    paper the page itself makes them shorter."""
    for _article, leaflet in leaflets(outputs, name, "standard"):
        size = body_size(leaflet)
        lines = reading_lines([g for g in leaflet.glyphs if round(g.size, 1) == size])
        lengths = sorted(len(line) for line in lines)
        full = lengths[int(len(lengths) * 0.9)]
        assert 45 <= full <= 72, (leaflet.path, full)


@parametrize
def test_no_heading_is_the_last_line_of_a_page(
    outputs: dict[str, Path], name: str, edition: str
) -> None:
    def check(article: Article, leaflet: Leaflet) -> list[str]:
        headings = {letters(h.text) for h in article.headings}
        failures = []
        for page in range(len(leaflet.pdf.pages) - 1):
            lines = reading_lines([g for g in leaflet.glyphs if g.page == page])
            if lines and letters(lines[-1]) in headings:
                failures.append(f"page {page + 1} ends with the heading {lines[-1]!r}")
        return failures

    each(outputs, name, edition, check)


@pytest.mark.parametrize(("name", "size"), [("sample", (595, 842)), ("mixed", (420, 595))])
def test_paper_size_comes_from_the_configuration(
    outputs: dict[str, Path], name: str, size: tuple[int, int]
) -> None:
    for edition in EDITIONS:
        for _article, leaflet in leaflets(outputs, name, edition):
            for page in leaflet.pdf.pages:
                box = [round(float(v)) for v in page.mediabox]
                assert (box[2] - box[0], box[3] - box[1]) == size, leaflet.path


def test_letter_paper(tmp_path: Path) -> None:
    root = tmp_path / "clinic"
    (root / "manuscripts").mkdir(parents=True)
    (root / "manuscripts" / "a.md").write_text(
        "---\ntitle: Flu\npublished: 2026-01-05\n---\n\nFlu is a virus.\n", encoding="utf-8"
    )
    (root / "careleaf.toml").write_text('[print]\npaper = "letter"\n', encoding="utf-8")
    assert build_project(root, root / "output") == 0
    leaflet = Leaflet.open(root / "output" / "leaflets" / "a.pdf")
    assert [round(float(v)) for v in leaflet.pdf.pages[0].mediabox] == [0, 0, 612, 792]
    assert MATTERHORN["01-005"](leaflet) == []


@parametrize
def test_links_go_to_the_web_never_to_a_local_file(
    outputs: dict[str, Path], name: str, edition: str
) -> None:
    """A link to another article goes to its web page; a footnote reference is described
    as a footnote; nothing points at a file on the computer that made the leaflet."""

    def check(article: Article, leaflet: Leaflet) -> list[str]:
        config = build(BuildOptions(config=LIBRARIES[name] / "careleaf.toml", write=False)).config
        failures = []
        uris, notes = set(), []
        for page in leaflet.pdf.pages:
            for annotation in page.obj.get("/Annots", []):
                if "/A" in annotation:
                    uris.add(str(annotation.A.URI))
                elif str(annotation.get("/Dest", "")).startswith("fn-"):
                    notes.append(str(annotation.Contents))
        failures += [f"a link to {u}" for u in uris if not re.match(r"(https?|mailto|tel):", u)]
        for link in article.links:
            if link.href.endswith(".html"):
                address = web_address(config, link.href.removesuffix(".html"))
                if address not in uris:
                    failures.append(f"no link to {address}")
        label = gettext(article)("Footnote")
        failures += [
            f"a footnote link says {n!r}" for n in notes if not re.fullmatch(rf"{label} \S+", n)
        ]
        if article.body.count('role="doc-noteref"') and not notes:
            failures.append("no footnote links")
        return failures

    each(outputs, name, edition, check)


def test_without_base_url_a_link_to_another_article_is_plain_text(tmp_path: Path) -> None:
    root = tmp_path / "clinic"
    (root / "manuscripts").mkdir(parents=True)
    for slug, other in (("a", "b"), ("b", "a")):
        (root / "manuscripts" / f"{slug}.md").write_text(
            f"---\ntitle: Leaflet {slug}\npublished: 2026-01-05\n---\n\n"
            f"See [the other leaflet]({other}.md) too.\n",
            encoding="utf-8",
        )
    (root / "careleaf.toml").write_text("", encoding="utf-8")
    assert build_project(root, root / "output") == 0
    leaflet = Leaflet.open(root / "output" / "leaflets" / "a.pdf")
    annotations = [a for page in leaflet.pdf.pages for a in page.obj.get("/Annots", [])]
    assert annotations == []
    assert letters("See the other leaflet too.") in letters(tagged_text(leaflet))


def test_other_alphabets_fall_back_to_noto_sans(tmp_path: Path) -> None:
    """Greek, Cyrillic and Vietnamese letters, which Atkinson Hyperlegible lacks, come
    from Noto Sans (a Python package too), and read back letter for letter."""
    text = "Вакцина від грипу захищає вас. Tiêm vắc-xin cúm mỗi năm. Ο γιατρός σας."  # noqa: RUF001
    root = tmp_path / "clinic"
    (root / "manuscripts").mkdir(parents=True)
    (root / "manuscripts" / "a.md").write_text(
        f"---\ntitle: Грип\npublished: 2026-01-05\nlang: uk\n---\n\n{text}\n\n**Важливо.**\n",
        encoding="utf-8",
    )
    (root / "careleaf.toml").write_text("", encoding="utf-8")
    assert build_project(root, root / "output") == 0
    leaflet = Leaflet.open(root / "output" / "leaflets" / "a.pdf")
    assert {g.font.split("+")[-1] for g in leaflet.glyphs} >= {"Noto-Sans", "Noto-Sans-Bold"}
    assert letters(text) in letters(tagged_text(leaflet))
    assert [code for code, check in MATTERHORN.items() if check(leaflet)] == []


def test_a_letter_and_its_marks_are_drawn_in_one_font(tmp_path: Path) -> None:
    """Yoruba tone marks over dotted letters (no composed character has them), and
    Greek and Cyrillic typed as letter + accent (as macOS writes them): the mark came
    from Atkinson Hyperlegible and its letter from Noto Sans, so "Й" was printed as "И"
    with a breve beside it. Text is composed (NFC), and a letter whose marks the first
    font cannot draw with it is set with them in Noto Sans."""
    decomposed = unicodedata.normalize("NFD", "Ελληνικά, Йод")
    root = tmp_path / "clinic"
    (root / "manuscripts").mkdir(parents=True)
    (root / "manuscripts" / "a.md").write_text(
        f"---\ntitle: Adébáyọ̀ and {decomposed}\npublished: 2026-01-05\n---\n\n"
        f"## Names\n\nA name: Adébáyọ̀. In Greek and Russian: {decomposed}.\n",
        encoding="utf-8",
    )
    (root / "manuscripts" / "yo.md").write_text(
        "---\ntitle: Ọjọ́ ìsinmi\npublished: 2026-01-05\nlang: yo\n---\n\nẸ̀jẹ̀ àti omi, ṣùgbọ́n.\n",
        encoding="utf-8",
    )
    (root / "careleaf.toml").write_text("[braille]\nenabled = false\n", encoding="utf-8")
    assert build_project(root, root / "output") == 0
    for slug, words in [("a", "Adébáyọ̀ Ελληνικά Йод"), ("yo", "Ọjọ́ ìsinmi Ẹ̀jẹ̀ ṣùgbọ́n")]:
        leaflet = Leaflet.open(root / "output" / "leaflets" / f"{slug}.pdf")
        glyphs = [g for g in leaflet.glyphs if not g.artifact]
        marks = [
            (before.text, glyph.text, before.font, glyph.font)
            for before, glyph in itertools.pairwise(glyphs)
            if unicodedata.combining(glyph.text[:1])
        ]
        assert marks and all(font == mark_font for _, _, font, mark_font in marks), marks
        extracted = subprocess.run(
            ["pdftotext", str(leaflet.path), "-"], capture_output=True, text=True, check=True
        ).stdout
        for word in words.split():
            assert unicodedata.normalize("NFC", word) in unicodedata.normalize("NFC", extracted)


def test_link_targets_are_named_in_byte_order(tmp_path: Path) -> None:
    """The PDF standard keeps the names of link targets in byte order, and viewers that
    search them by halving (MuPDF, pdf.js) miss one out of order: WeasyPrint put
    "café-and-tea" (written in UTF-16) between plain names."""
    root = tmp_path / "clinic"
    (root / "manuscripts").mkdir(parents=True)
    (root / "manuscripts" / "a.md").write_text(
        "---\ntitle: Links\npublished: 2026-01-05\n---\n\n"
        "See [café](#café-and-tea), [steps](#2-steps) and [zebra](#zebra).\n\n"
        "## Café and tea\n\nDrink.\n\n## 2 steps\n\nWalk.\n\n## Zebra\n\nCross.\n",
        encoding="utf-8",
    )
    (root / "careleaf.toml").write_text("[braille]\nenabled = false\n", encoding="utf-8")
    assert build_project(root, root / "output") == 0
    with pikepdf.open(root / "output" / "leaflets" / "a.pdf") as pdf:
        flat = list(pdf.Root.Names.Dests.Names)
        names = [bytes(name) for name in flat[::2]]
        assert names == sorted(names) and len(names) >= 3
        assert "café-and-tea".encode("utf-16-be") in b"".join(names)
        targets = [
            bytes(link.Dest)
            for page in pdf.pages
            for link in page.obj.get("/Annots", [])
            if "/Dest" in link
        ]
        assert targets and set(targets) <= set(names)
        described = [
            str(link.Contents) for page in pdf.pages for link in page.obj.get("/Annots", [])
        ]
        assert described[:3] == ["Café and tea", "2 steps", "Zebra"]  # not their targets
