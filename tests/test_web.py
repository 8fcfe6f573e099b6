"""The web edition: every page of the sample and the test library meets the HTML list."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tomllib
from dataclasses import replace
from pathlib import Path

import lxml.etree
import lxml.html
import pytest
from babel.messages.pofile import read_po
from conftest import MIXED, SAMPLE, build_project
from htmlcheck import article_failures, page_failures, parse, script_failures, text
from library_maker import CLEAN_BODY, TODAY, make_library, manuscript

from careleaf.build import BuildOptions, build
from careleaf.cli import main
from careleaf.colour import contrast_ratio
from careleaf.downloads import size_words

POT = Path(__file__).resolve().parent.parent / "careleaf" / "locale" / "messages.pot"


def clinic_name(project: Path) -> str:
    with (project / "careleaf.toml").open("rb") as handle:
        return str(tomllib.load(handle)["clinic"]["name"])


def slugs(project: Path) -> list[str]:
    return sorted(p.stem for p in (project / "manuscripts").glob("*.md"))


@pytest.mark.parametrize("project", [SAMPLE, MIXED], ids=["sample", "mixed"])
def test_one_page_per_manuscript_plus_index(
    project: Path, sample_output: Path, mixed_output: Path
) -> None:
    output = sample_output if project is SAMPLE else mixed_output
    pages = sorted(p.stem for p in (output / "html").glob("*.html"))
    assert pages == sorted([*slugs(project), "index"])
    assert (output / "html" / "style.css").is_file()


@pytest.mark.parametrize("project", [SAMPLE, MIXED], ids=["sample", "mixed"])
def test_every_page_meets_the_html_requirements(
    project: Path, sample_output: Path, mixed_output: Path
) -> None:
    output = sample_output if project is SAMPLE else mixed_output
    name = clinic_name(project)
    failures = {}
    for page in sorted((output / "html").glob("*.html")):
        check = page_failures if page.name == "index.html" else article_failures
        found = check(page, name)
        if found:
            failures[page.name] = found
    assert failures == {}


def test_the_checker_catches_a_broken_page(tmp_path: Path, sample_output: Path) -> None:
    """The checklist above is not vacuous: break a good page and it says so."""
    good = sample_output / "html" / "anal-warts-hpv.html"
    broken = good.read_text(encoding="utf-8")
    broken = broken.replace('scope="col"', "").replace("<h2", "<h4", 1)
    broken = re.sub(r' alt="[^"]*"', "", broken)
    broken = re.sub(r"<html [^>]*>", "<html>", broken, count=1)
    (tmp_path / "style.css").write_text("")
    page = tmp_path / "anal-warts-hpv.html"
    page.write_text(broken, encoding="utf-8")
    for other in (sample_output / "html").glob("*.html"):
        if other.name != page.name:
            (tmp_path / other.name).write_bytes(other.read_bytes())
    (tmp_path / "images").mkdir()
    found = "\n".join(article_failures(page, clinic_name(SAMPLE)))
    assert "has no scope" in found
    assert "skips from h1 to h4" in found
    assert "has no lang" in found


def interface_text(page: Path) -> str:
    """Every word careleaf itself put on the page: outside the article body, and the
    labels and titles it gave elements inside it; text marked with another language
    (the clinic's name, say) is left out."""
    root = parse(page)
    lang = root.get("lang")
    for data in root.xpath("//script"):  # JSON-LD: data for search engines, never shown
        data.getparent().remove(data)
    for body in root.xpath("//div[@class='article-body']"):
        for element in body.iter():
            for attribute in ("aria-label", "title"):
                if element.get(attribute) and element.tag != "abbr":
                    body.addprevious(lxml.html.fromstring(f"<span>{element.get(attribute)}</span>"))
        body.getparent().remove(body)
    for other in root.xpath(f"//body//*[@lang and @lang!='{lang}']"):
        other.getparent().remove(other)
    for content in root.xpath("//*[@aria-label]"):
        content.text = f"{content.get('aria-label')} {content.text or ''}"
    return text(root)


def english_interface_words() -> list[str]:
    with POT.open("rb") as handle:
        catalog = read_po(handle)
    words = []
    for message in catalog:
        if message.id:
            words += [part.strip() for part in re.split(r"%\(\w+\)s|%d", str(message.id))]
    return [w for w in words if len(w) > 3]


@pytest.mark.parametrize("project", [SAMPLE, MIXED], ids=["sample", "mixed"])
def test_spanish_and_arabic_pages_have_no_english_interface_words(
    project: Path, sample_output: Path, mixed_output: Path
) -> None:
    output = sample_output if project is SAMPLE else mixed_output
    checked = 0
    english = english_interface_words()
    assert "Related reading" in english and "Skip to main content" in english
    for page in sorted((output / "html").glob("*.html")):
        lang = parse(page).get("lang")
        if lang not in ("es", "ar"):
            continue
        words = interface_text(page)
        assert [w for w in english if w in words] == [], page.name
        checked += 1
    assert checked >= 2


def test_arabic_pages_are_right_to_left(mixed_output: Path, sample_output: Path) -> None:
    pages = [*(mixed_output / "html").glob("*.html"), *(sample_output / "html").glob("*.html")]
    arabic = [p for p in pages if parse(p).get("lang") == "ar"]
    assert len(arabic) >= 3
    for page in arabic:
        root = parse(page)
        assert root.get("dir") == "rtl"
        assert "Related reading" not in text(root)
        assert "قراءات ذات صلة" in text(root)


def test_dates_are_written_in_the_article_language(sample_output: Path) -> None:
    spanish = parse(sample_output / "html" / "vacuna-gripe.html")
    published = spanish.xpath("//dl[@class='dates']//time")[0]
    assert re.fullmatch(r"\d{1,2} de [a-z]+ de \d{4}", text(published))


def test_a_leading_title_heading_is_shown_once(mixed_output: Path) -> None:
    repeats = [
        p
        for p in (MIXED / "manuscripts").glob("*.md")
        if re.search(r"^# ", p.read_text(encoding="utf-8-sig"), re.MULTILINE)
    ]
    assert repeats, "the test library should hold a body starting with '# Title'"
    for source in repeats:
        page = mixed_output / "html" / f"{source.stem}.html"
        assert len(parse(page).xpath("//h1")) == 1


def test_index_lists_every_article_once_with_its_summary_and_topics(sample_output: Path) -> None:
    index = parse(sample_output / "html" / "index.html")
    items = index.xpath("//ul[@class='article-list']/li")
    linked = [li.xpath(".//h3/a/@href")[0] for li in items]
    assert sorted(linked) == [f"{slug}.html" for slug in slugs(SAMPLE)]  # each once
    for li in items:
        assert li.xpath("./p[@class='entry-summary']"), text(li)
        for topic in li.xpath("./p[@class='entry-topics']/a/@href"):
            page = parse(sample_output / "html" / topic)
            here = li.xpath(".//h3/a/@href")[0]
            assert f"../{here}" in page.xpath("//ul[@class='article-list']/li/h2/a/@href")
    topics = index.xpath("//ul[@class='topic-list']/li/a/@href")
    assert len(topics) >= 5 and all(t.startswith("topics/") for t in topics)
    assert "HPV" in [text(a) for a in index.xpath("//ul[@class='topic-list']//a")]


def test_a_phrase_in_another_language_keeps_its_lang(sample_output: Path) -> None:
    marked = []
    for page in (sample_output / "html").glob("*.html"):
        root = parse(page)
        marked += [
            e
            for e in root.xpath("//div[@class='article-body']//*[@lang]")
            if e.get("lang") != root.get("lang")
        ]
    assert marked


def test_images_are_published_beside_the_pages(sample_output: Path) -> None:
    for page in (sample_output / "html").glob("*.html"):
        for img in parse(page).iter("img"):
            assert (page.parent / img.get("src")).is_file()


def test_stylesheet_is_readable(sample_output: Path) -> None:
    css = (sample_output / "html" / "style.css").read_text(encoding="utf-8")
    assert "justify" not in css
    assert not re.search(r"\d(px|pt)\b", css), "sizes in relative units only"
    size = re.search(r"body\s*{[^}]*font-size:\s*([\d.]+)rem", css)
    assert size is not None and float(size.group(1)) * 16 * 0.75 >= 12  # at least 12pt
    colours = dict(re.findall(r"--(text|background|accent):\s*(#[0-9a-fA-F]{6})", css))
    assert contrast_ratio(colours["text"], colours["background"]) >= 4.5
    assert contrast_ratio(colours["accent"], colours["background"]) >= 4.5


def test_an_image_reached_through_a_link_keeps_the_name_the_page_uses(tmp_path: Path) -> None:
    project = tmp_path / "clinic"
    images = project / "manuscripts" / "images"
    shutil.copytree(SAMPLE / "manuscripts", project / "manuscripts")
    (project / "manuscripts" / "drawings").mkdir()
    (images / "auto-injector-thigh.svg").rename(project / "manuscripts" / "drawings" / "real.svg")
    (images / "auto-injector-thigh.svg").symlink_to("../drawings/real.svg")
    shutil.copy(SAMPLE / "careleaf.toml", project)
    assert build_project(project, project / "output") == 0
    page = project / "output" / "html" / "allergic-reactions.html"
    for img in parse(page).iter("img"):
        assert (page.parent / img.get("src")).is_file()


def test_each_page_offers_its_leaflets_and_the_e_book_with_sizes(web_output: Path) -> None:
    for name, label in (
        ("paracetamol-children.html", "Leaflet to print"),
        ("paracetamol-ninos.html", "Folleto para imprimir"),
        ("ramadan-medicines.html", "نشرة للطباعة"),
    ):
        page = web_output / "html" / name
        links = parse(page).xpath("//section[@class='downloads']//a")
        assert len(links) == 4, name  # and the braille file, with its pages (test_braille.py)
        lang = parse(page).get("lang")
        for link in links[:3]:
            target = (page.parent / link.get("href")).resolve()
            assert target.is_file() and target.is_relative_to(web_output.resolve())
            assert text(link).endswith(size_words(target.stat().st_size, lang)), text(link)
        assert text(links[0]).startswith(label)
        assert [a.get("type") for a in links] == [
            "application/pdf", "application/pdf", "application/epub+zip", "text/plain",
        ]  # fmt: skip
    english = parse(web_output / "html" / "paracetamol-children.html")
    kinds = [text(a).split(",")[:2] for a in english.xpath("//section[@class='downloads']//a")]
    assert kinds == [
        ["Leaflet to print", " PDF"], ["Large print leaflet", " PDF"],
        ["All articles as an e-book", " EPUB"], ["Braille", " BRF file"],
    ]  # fmt: skip
    index = parse(web_output / "html" / "index.html")
    assert [a.get("href") for a in index.xpath("//ul[@class='downloads']//a")] == [
        "../ebook/northgate-medicines-advice.epub"
    ]


def test_sizes_in_words() -> None:
    assert size_words(212_000, "en") == "210 kilobytes"  # two figures
    assert size_words(212_400, "en") == size_words(213_100, "en")  # a few bytes: the same
    assert size_words(400, "en") == "1 kilobyte"
    assert size_words(996_000, "en") == "1 megabyte"
    assert size_words(1_420_000, "en-GB") == "1.4 megabytes"
    assert size_words(2_000_000, "en") == "2 megabytes"
    assert size_words(1_420_000, "es") == "1,4 megabytes"
    assert size_words(212_000, "ar") == "210 كيلوبايت"  # Babel has no long form here


def test_a_page_is_made_again_when_a_size_it_shows_changes(tmp_path: Path) -> None:
    """Editing one article changes the e-book's size; another article's page (same
    content, same related reading) is made again to show the new size."""
    body = "## About\n\nSome plain words about {}.\n"
    root = make_library(tmp_path, {
        "a.md": manuscript("Apples", body.format("apples"), extra="related: [b]"),
        "b.md": manuscript("Bananas", body.format("bananas"), extra="related: [a]"),
    })  # fmt: skip
    output = root / "output"
    assert build_project(root, output) == 0
    page = output / "html" / "a.html"
    before = page.read_text(encoding="utf-8")
    book = next((output / "ebook").glob("*.epub"))
    size = size_words(book.stat().st_size, "en")
    # a small edit: the e-book's size in words stays the same, and so does the page
    small = body.format("bananas") + "\nBananas are yellow when they are ripe.\n"
    (root / "manuscripts" / "b.md").write_text(manuscript("Bananas", small, extra="related: [a]"))
    made = page.stat().st_mtime_ns
    assert build_project(root, output) == 0
    assert size_words(book.stat().st_size, "en") == size
    assert page.read_text(encoding="utf-8") == before and page.stat().st_mtime_ns == made
    # a long one (words that do not compress away): the size shown changes
    codes = " ".join(hashlib.sha256(str(n).encode()).hexdigest() for n in range(300))
    longer = small + "\nBatch numbers: " + codes + ".\n"
    (root / "manuscripts" / "b.md").write_text(manuscript("Bananas", longer, extra="related: [a]"))
    assert build_project(root, output) == 0
    after = page.read_text(encoding="utf-8")
    assert size_words(book.stat().st_size, "en") != size
    assert after != before
    assert f"EPUB, {size_words(book.stat().st_size, 'en')}" in after


def test_pages_keep_script_and_style_to_their_files(web_output: Path) -> None:
    for page in [*(web_output / "html").rglob("*.html"), web_output / "report.html"]:
        root = parse(page)
        assert script_failures(page, root) == [], page.name
        data = [json.loads(s.text) for s in root.xpath("//script[@type='application/ld+json']")]
        if page.parent.name == "html" and page.name != "index.html":
            assert (
                data[0]["@type"] == "MedicalWebPage" and data[0]["audience"]["@type"] == "Patient"
            )
            assert data[0]["inLanguage"] == root.get("lang")
            assert data[0]["datePublished"] <= data[0]["dateModified"]
    index = (web_output / "html" / "index.html").read_text(encoding="utf-8")
    assert '<script src="search.js" defer></script>' in index


def test_json_ld_cannot_end_its_script_element(tmp_path: Path) -> None:
    title = "</script><script>alert(1)</script>"
    root = make_library(tmp_path, {"a.md": manuscript(f"'Tags {title}'")})
    assert build_project(root, root / "output") == 0
    page = root / "output" / "html" / "a.html"
    html = page.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html
    data = json.loads(parse(page).xpath("//script[@type='application/ld+json']")[0].text)
    assert data["name"] == "Tags </script><script>alert(1)</script>"


def test_addresses_translations_and_sitemap(web_output: Path, tmp_path: Path) -> None:
    base = "https://northgate-pharmacy.example/advice/html/"
    english = parse(web_output / "html" / "paracetamol-children.html")
    assert english.xpath("//link[@rel='canonical']/@href") == [base + "paracetamol-children.html"]
    assert english.xpath("//meta[@property='og:url']/@content") == [
        base + "paracetamol-children.html"
    ]
    alternates = {
        link.get("hreflang"): link.get("href")
        for link in english.xpath("//link[@rel='alternate'][@hreflang]")
    }
    assert alternates == {
        "en": base + "paracetamol-children.html", "es": base + "paracetamol-ninos.html",
    }  # fmt: skip
    spanish = parse(web_output / "html" / "paracetamol-ninos.html")
    assert len(spanish.xpath("//link[@rel='alternate'][@hreflang]")) == 2  # both ways
    shown = spanish.xpath("//div[@class='translations']//a")
    assert [(a.get("href"), a.get("lang"), text(a)) for a in shown] == [
        ("paracetamol-children.html", "en", "English: Paracetamol for children: how much to give")
    ]
    assert not parse(web_output / "html" / "ear-infections.html").xpath("//link[@hreflang]")
    sitemap = lxml.etree.parse(str(web_output / "html" / "sitemap.xml"))
    spaces = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    listed = sitemap.xpath("//s:loc/text()", namespaces=spaces)
    pages = [p.relative_to(web_output / "html").as_posix()
             for p in (web_output / "html").rglob("*.html")]  # fmt: skip
    assert sorted(listed) == sorted(base + p for p in pages)
    root = make_library(tmp_path, {"a.md": manuscript()})  # no base_url: no sitemap, no canonical
    assert build_project(root, root / "output") == 0
    assert not (root / "output" / "html" / "sitemap.xml").exists()
    assert not parse(root / "output" / "html" / "a.html").xpath("//link[@rel='canonical']")


def test_fonts_search_index_and_tables(web_output: Path) -> None:
    fonts = web_output / "html" / "fonts"
    faces = sorted(fonts.glob("*.woff2"))
    assert len(faces) == 4 and all(f.read_bytes()[:4] == b"wOF2" for f in faces)
    assert all(f.stat().st_size < 30_000 for f in faces)
    assert "SIL Open Font License" in (fonts / "OFL.txt").read_text(encoding="utf-8")
    index = (web_output / "html" / "search-index.js").read_text(encoding="utf-8")
    data = json.loads(index.split("=", 1)[1].strip().rstrip(";"))
    words = {record["slug"]: record["words"].split() for record in data}
    assert "flannel" in words["ear-infections"] and "ninos" in words["paracetamol-ninos"]
    for page in (web_output / "html").glob("*.html"):
        for table in parse(page).iter("table"):
            region = table.getparent()
            assert region.get("class") == "table-scroll" and region.get("role") == "region"
            assert region.get("tabindex") == "0" and region.get("aria-label"), page.name
    arabic = parse(web_output / "html" / "ramadan-medicines.html")
    assert arabic.xpath("//div[@class='table-scroll']/@aria-label") == ["الجدول 1"]


def test_the_report_links_every_file_it_lists(web_output: Path) -> None:
    report = parse(web_output / "report.html")
    assert report.find("body").get("class") == "wide"
    links = report.xpath("//ul[@class='outputs']/li/a/@href")
    assert links == json.loads((web_output / "report.json").read_text())["outputs"]
    assert all((web_output / link).is_file() for link in links)


def test_a_web_only_build_keeps_the_other_editions_until_a_full_build(tmp_path: Path) -> None:
    """What the preview does: only the web pages and the report are made; the leaflets
    and the e-book stay as they were (listed as stale), until a full build."""
    root = make_library(tmp_path, {"a.md": manuscript()})
    options = BuildOptions(manuscripts=root / "manuscripts", output=root / "output",
                           config=root / "careleaf.toml", today=TODAY)  # fmt: skip
    assert not build(options).failed
    leaflet = root / "output" / "leaflets" / "a.pdf"
    old = leaflet.read_bytes()
    (root / "manuscripts" / "a.md").write_text(manuscript(body=CLEAN_BODY + "\nA new line.\n"))
    quick = build(replace(options, editions=frozenset({"web", "report"})))
    assert not quick.failed and leaflet.read_bytes() == old
    assert "A new line." in (root / "output" / "html" / "a.html").read_text(encoding="utf-8")
    assert set(quick.stale) >= {"leaflets/a.pdf", "leaflets/large-print/a.pdf"}
    assert "ebook/test-leaflets.epub" in quick.stale
    again = build(options)
    assert again.stale == () and leaflet.read_bytes() != old
    assert "leaflets/a.pdf" not in again.reused


def test_a_build_of_one_article_keeps_its_downloads(tmp_path: Path) -> None:
    """``build FILE.md`` makes the article's page and leaflets, not the e-book: the page
    still offers the e-book the last build made."""
    root = make_library(tmp_path, {"a.md": manuscript(), "b.md": manuscript("Flu")})
    assert build_project(root, root / "output") == 0
    page = root / "output" / "html" / "a.html"
    offered = parse(page).xpath("//section[@class='downloads']//a/@href")
    (root / "manuscripts" / "a.md").write_text(manuscript(body=CLEAN_BODY + "\nMore.\n"))
    one = ["build", str(root / "manuscripts" / "a.md"), "--manuscripts", str(root / "manuscripts"),
           "--config", str(root / "careleaf.toml"), "--output", str(root / "output")]  # fmt: skip
    assert main(["--today", "2026-11-25", *one]) == 0
    assert "More." in page.read_text(encoding="utf-8")
    assert parse(page).xpath("//section[@class='downloads']//a/@href") == offered
    assert "../ebook/test-leaflets.epub" in offered
