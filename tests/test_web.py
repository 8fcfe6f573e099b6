"""The web edition: every page of the sample and the test library meets the HTML list."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

import lxml.html
import pytest
from babel.messages.pofile import read_po
from conftest import MIXED, SAMPLE, build_project
from htmlcheck import article_failures, page_failures, parse, text

from careleaf.colour import contrast_ratio

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
    for manuscript in repeats:
        page = mixed_output / "html" / f"{manuscript.stem}.html"
        assert len(parse(page).xpath("//h1")) == 1


def test_index_groups_articles_by_tag_with_summaries(sample_output: Path) -> None:
    index = parse(sample_output / "html" / "index.html")
    topics = index.xpath("//section[@class='topic']")
    assert len(topics) >= 3
    linked = {a.get("href") for a in index.xpath("//section[@class='topic']//a")}
    assert linked == {f"{slug}.html" for slug in slugs(SAMPLE)}
    assert index.xpath("//section[@class='topic']//span[@class='summary']")


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
