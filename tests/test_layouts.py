"""A clinic's own layouts replace careleaf's file by file; its own catalogs add languages."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from babel.dates import format_date
from conftest import SAMPLE, build_project
from htmlcheck import parse, text

from careleaf.layouts import default_layouts


def copy_sample(tmp_path: Path, config_extra: str = "") -> Path:
    project = tmp_path / "clinic"
    shutil.copytree(SAMPLE / "manuscripts", project / "manuscripts")
    config = (SAMPLE / "careleaf.toml").read_text(encoding="utf-8")
    (project / "careleaf.toml").write_text(config_extra + config, encoding="utf-8")
    return project


def po(*entries: tuple[str, str]) -> str:
    """A message catalog's text: its header, then each (English, translation) written as
    given (quotes inside already escaped)."""
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    messages = (f'\nmsgid "{english}"\nmsgstr "{words}"\n' for english, words in entries)
    return header + "".join(messages)


def in_language(project: Path, slug: str, lang: str) -> None:
    """Give the sample manuscript ``slug`` the front matter line ``lang: {lang}``."""
    manuscript = project / "manuscripts" / f"{slug}.md"
    text = manuscript.read_text(encoding="utf-8")
    manuscript.write_text(text.replace("---\n", f"---\nlang: {lang}\n", 1), encoding="utf-8")


def test_override_replaces_only_the_files_it_has(tmp_path: Path) -> None:
    project = copy_sample(tmp_path, 'layouts = "our-look"\n')
    ours = project / "our-look"
    ours.mkdir()
    article = (default_layouts() / "article.html").read_text(encoding="utf-8")
    (ours / "article.html").write_text(
        article.replace("<article>", '<article class="our-article">'), encoding="utf-8"
    )
    (ours / "style.css").write_text("body { font-size: 1.25rem; }\n", encoding="utf-8")
    assert build_project(project, project / "output") == 0
    html = project / "output" / "html"
    page = parse(html / "anal-warts-hpv.html")
    assert page.xpath("//article[@class='our-article']")
    assert page.xpath("//a[@class='skip-link']")  # base.html still careleaf's own
    assert (html / "style.css").read_text(encoding="utf-8") == "body { font-size: 1.25rem; }\n"
    index = parse(html / "index.html")
    assert index.xpath("//ul[@class='article-list']")  # index.html falls back to the default


def test_a_clinic_adds_a_language_with_a_catalog(tmp_path: Path) -> None:
    project = copy_sample(tmp_path)
    catalog = project / "locale" / "de" / "LC_MESSAGES"
    catalog.mkdir(parents=True)
    (catalog / "messages.po").write_text(
        po(
            ("Related reading", "Weiterlesen"),
            ("Published", "Veröffentlicht"),
            ("Sources", "<script>alert(1)</script>Quellen"),
        ),
        encoding="utf-8",
    )
    in_language(project, "blood-test", "de")
    assert build_project(project, project / "output") == 0
    page = parse(project / "output" / "html" / "blood-test.html")
    words = text(page)
    assert "Weiterlesen" in words and "Veröffentlicht" in words
    assert "Skip to main content" in words  # not in the clinic's catalog: English is the fallback
    assert "Sources" in words  # markup in a catalog: not used
    assert page.xpath("//script/@type") == ["application/ld+json"]  # no script but the data
    published = page.xpath("//dl[@class='dates']//time")[0]
    day = date.fromisoformat(published.get("datetime"))
    assert text(published) == format_date(day, "long", locale="de")  # e.g. "4. März 2026"


def test_a_catalog_cannot_break_a_page_or_reach_outside(tmp_path: Path) -> None:
    """A translation closing an attribute (and adding an event handler), one with a
    placeholder the English has not (a traceback), and a catalog that is a link to a
    file outside the project: English shows instead, and the build goes on."""
    project = copy_sample(tmp_path)
    outside = tmp_path / "outside.po"
    outside.write_text(po(("Related reading", "SECRET FROM OUTSIDE")), encoding="utf-8")
    linked = project / "locale" / "it" / "LC_MESSAGES"
    linked.mkdir(parents=True)
    (linked / "messages.po").symlink_to(outside)
    catalog = project / "locale" / "de" / "LC_MESSAGES"
    catalog.mkdir(parents=True)
    (catalog / "messages.po").write_text(
        po(
            ("Related reading", 'Weiterlesen\\" onmouseover=\\"alert(1)\\" x=\\"'),
            ("Page %(page)s of %(pages)s", "Seite %(nokey)s"),
            ("Published", "Veröffentlicht"),
        ),
        encoding="utf-8",
    )
    in_language(project, "blood-test", "de")
    in_language(project, "anal-warts-hpv", "it")
    assert build_project(project, project / "output") == 0
    pages = " ".join(
        p.read_text(encoding="utf-8") for p in (project / "output" / "html").glob("*.html")
    )
    assert "onmouseover" not in pages and "SECRET FROM OUTSIDE" not in pages
    assert "Veröffentlicht" in text(parse(project / "output" / "html" / "blood-test.html"))
