"""The build report: report.json, report.html and the terminal's summary table."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import lxml.html
import pikepdf
from conftest import SAMPLE, run_cli
from library_maker import TODAY, check, make_library, manuscript

from careleaf.config import Config
from careleaf.layouts import Layouts
from careleaf.library import Library
from careleaf.report import page_count, report_data

SPANISH = "## Qué es\n\nLa gripe es una infección. Suele durar una semana.\n"
ARABIC = "## ما هو\n\nالزكام مرض خفيف. يتحسن معظم الناس خلال أسبوع.\n"  # noqa: RUF001


def library(root: Path, toml: str = "") -> Path:
    return make_library(
        root,
        {
            "colds.md": manuscript(summary=None, lang="en", extra="order: 1"),
            "gripe.md": manuscript("La gripe", SPANISH, lang="es", extra="order: 2"),
            "zukam.md": manuscript("الزكام", ARABIC, lang="ar", review_due="2027-01-01"),
        },
        toml,
    )


def pdf(pages: int) -> bytes:
    document = pikepdf.new()
    for _ in range(pages):
        document.add_blank_page(page_size=(595, 842))
    out = io.BytesIO()
    document.save(out, deterministic_id=True)
    return out.getvalue()


def test_report_json(tmp_path: Path) -> None:
    root = library(tmp_path)
    built = check(root, write=True)
    assert not built.failed, [str(p) for p in built.problems]
    data = json.loads((root / "output" / "report.json").read_text(encoding="utf-8"))
    assert [a["slug"] for a in data["articles"]] == ["colds", "gripe", "zukam"]
    colds, gripe, zukam = data["articles"]
    words = {a.slug: a.word_count for a in built.articles}
    assert colds["title"] == "Colds" and colds["language"] == "en"
    assert colds["words"] == words["colds"] > 30
    assert 0 < colds["reading_grade"] <= 8
    assert colds["readability"]["formula"] == "Flesch-Kincaid grade"
    assert colds["readability"]["smog_grade"] > 0
    # counted in the leaflets this build made (careleaf/leaflet.py)
    assert 1 <= colds["pages"]["leaflet"] <= colds["pages"]["large_print"]
    assert colds["review_due"] == "2028-06-01"
    text = (root / "manuscripts" / "colds.md").read_text()
    assert colds["problems"] == [
        {
            "severity": "warning",
            "code": "R807",
            "line": 1,
            "column": None,
            "message": "this article has no summary; lists and the e-book show it under the title",
            "hint": "add a line 'summary: ...' with one plain sentence about the article",
        }
    ]
    assert "summary:" not in text
    assert gripe["reading_grade"] is None
    assert gripe["readability"]["formula"] == "Fernández Huerta reading ease"
    assert gripe["readability"]["reading_ease"] > 60
    assert gripe["problems"] == []
    assert zukam["readability"]["skipped"] == "no readability formula for 'ar'"
    assert [p["code"] for p in zukam["problems"]] == ["R805"]  # due in 37 days
    assert data["totals"] == {
        "articles": 3,
        "drafts": 0,
        "words": sum(words.values()),
        "errors": 0,
        "warnings": 2,
        "draft_errors": 0,
        "draft_warnings": 0,
        "pages": {
            "leaflet": sum(a["pages"]["leaflet"] for a in data["articles"]),
            "large_print": sum(a["pages"]["large_print"] for a in data["articles"]),
            "braille": sum(a["pages"]["braille"] for a in data["articles"]),
        },
        "sheets": {  # printed on both sides: a sheet holds two pages
            "leaflet": sum((a["pages"]["leaflet"] + 1) // 2 for a in data["articles"]),
            "large_print": sum((a["pages"]["large_print"] + 1) // 2 for a in data["articles"]),
        },
    }
    for record in data["articles"]:
        assert record["sheets"].keys() == {"leaflet", "large_print"}  # braille is not paper
        for edition, sheets in record["sheets"].items():
            assert sheets == (record["pages"][edition] + 1) // 2 >= 1
    outputs = data["outputs"]
    assert {"report.json", "report.html", "html/index.html", "html/colds.html"} <= set(outputs)
    assert outputs == sorted(outputs)
    assert set(outputs) == {
        p.relative_to(root / "output").as_posix()
        for p in (root / "output").rglob("*")
        if p.is_file() and ".careleaf" not in p.relative_to(root / "output").parts
    }
    assert data["reading_grade_target"] == 8


def test_report_html_is_accessible_and_translated(tmp_path: Path) -> None:
    root = library(tmp_path, 'language = "es"\n')
    assert not check(root, write=True).failed
    page = lxml.html.fromstring((root / "output" / "report.html").read_bytes())
    assert page.get("lang") == "es"
    assert [h.text_content() for h in page.iter("h1")] == ["Informe de la compilación"]
    assert page.xpath("//main[@id='careleaf-main']") and page.xpath("//a[@class='skip-link']")
    headers = page.xpath("//thead//th")
    assert headers and all(th.get("scope") == "col" for th in headers)
    assert headers[0].text_content() == "Artículo"
    titles = [th.text_content() for th in headers]
    assert titles[4:8] == [
        "Páginas del folleto",
        "Páginas en letra grande",
        "Hojas del folleto",
        "Hojas en letra grande",
    ], titles
    data = json.loads((root / "output" / "report.json").read_text(encoding="utf-8"))
    cells = [td.text_content() for td in page.xpath("//tbody/tr[1]/td")]
    first = data["articles"][0]
    assert cells[3:7] == [
        str(first["pages"]["leaflet"]),
        str(first["pages"]["large_print"]),
        str(first["sheets"]["leaflet"]),
        str(first["sheets"]["large_print"]),
    ]
    rows = page.xpath("//tbody//th[@scope='row']/a")
    assert [(a.text_content(), a.get("href"), a.get("lang")) for a in rows] == [
        ("Colds", "html/colds.html", "en"),
        ("La gripe", "html/gripe.html", "es"),
        ("الزكام", "html/zukam.html", "ar"),
    ]
    assert rows[2].get("dir") == "rtl"
    problems = page.xpath("//h3[@id='problems-colds']/following-sibling::ul[1]/li")
    assert len(problems) == 1
    assert "Aviso R807" in problems[0].text_content()
    assert "En la línea 1" in problems[0].text_content()
    assert problems[0].xpath(".//span[@lang='en']")  # careleaf's messages are English
    assert page.xpath("//link[@rel='stylesheet']/@href")[0] == "html/style.css"
    assert "report.json" in [c.text_content() for c in page.xpath("//ul[@class='outputs']//code")]


def test_leaflet_pages_are_counted_from_the_pdfs(tmp_path: Path) -> None:
    root = library(tmp_path)
    assert not check(root, write=True).failed
    data = json.loads((root / "output" / "report.json").read_text(encoding="utf-8"))
    for record in data["articles"]:
        for edition, name in (("leaflet", "leaflets"), ("large_print", "leaflets/large-print")):
            made = (root / "output" / name / f"{record['slug']}.pdf").read_bytes()
            assert record["pages"][edition] == page_count(made)
    totals = data["totals"]["pages"]
    assert totals["leaflet"] == sum(a["pages"]["leaflet"] for a in data["articles"]) >= 3
    assert page_count(pdf(2)) == 2 and page_count(b"not a pdf") is None
    assert page_count(None) is None


def test_report_is_deterministic_and_kept_when_a_build_fails(tmp_path: Path) -> None:
    root = library(tmp_path)
    assert not check(root, write=True).failed
    first = (root / "output" / "report.json").read_bytes()
    first_html = (root / "output" / "report.html").read_bytes()
    assert not check(root, write=True).failed
    assert (root / "output" / "report.json").read_bytes() == first
    assert (root / "output" / "report.html").read_bytes() == first_html
    broken = manuscript("Colds", "## A\n\n#### B\n\nText.\n")
    (root / "manuscripts" / "colds.md").write_text(broken, encoding="utf-8")
    assert check(root, write=True).failed
    assert (root / "output" / "report.json").read_bytes() == first


def test_terminal_summary_table(tmp_path: Path) -> None:
    root = library(tmp_path)
    result = run_cli("build", "--today", TODAY.isoformat(), cwd=root)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"{Path('manuscripts') / 'colds.md'}:1: warning R807: this article has no summary; "
        "lists and the e-book show it under the title (add a line 'summary: ...' with one "
        "plain sentence about the article)",
        f"{Path('manuscripts') / 'zukam.md'}:5: warning R805: the review is due on "
        "2027-01-01, in 37 days (plan the review now so that the leaflet stays current)",
    ]
    table = result.stdout
    assert "Test leaflets: 3 articles" in table
    for row in ("colds", "gripe", "zukam"):
        line = next(text for text in table.splitlines() if row in text)
        assert "│" in line
    colds = next(text for text in table.splitlines() if "colds" in text)
    assert "grade" in colds and "2028-06-01" in colds
    # pages and sheets of paper, standard/large print, as report.json counts them
    headers = next(text for text in table.splitlines() if "Article" in text)
    assert "Pages" in headers and "Sheets" in headers
    data = json.loads((root / "output" / "report.json").read_text(encoding="utf-8"))
    record = next(r for r in data["articles"] if r["slug"] == "colds")
    pages = f"{record['pages']['leaflet']}/{record['pages']['large_print']}"
    sheets = f"{record['sheets']['leaflet']}/{record['sheets']['large_print']}"
    assert re.search(rf"│ +{pages} │ +{sheets} │", colds), colds
    assert "Pages and sheets (printed on both sides): standard/large print" in table
    assert result.stdout.rstrip().endswith("0 errors, 2 warnings.")


def test_report_of_no_articles() -> None:
    empty = Library(Config(), Layouts(), Path(), Path(), (), {}, {}, {}, "")
    data = report_data(empty, (), {}, ())
    assert data["articles"] == [] and data["totals"]["pages"] == {
        "leaflet": None,
        "large_print": None,
        "braille": None,
    }
    assert data["totals"]["sheets"] == {"leaflet": None, "large_print": None}


def test_report_html_passes_the_page_checks_and_axe(tmp_path: Path, browser: Any) -> None:
    """A report with problems, in the browser at 320 and 1280 px (tests/test_browser.py
    checks the reports of two libraries in every way)."""
    from browsing import OVERFLOW, axe_violations, served, with_axe
    from htmlcheck import page_failures

    root = library(tmp_path)
    assert not check(root, write=True).failed
    report = root / "output" / "report.html"
    assert page_failures(report, "Test clinic") == []
    with served(root / "output") as address:
        for width in (320, 1280):
            context = browser.new_context(viewport={"width": width, "height": 800})
            with_axe(context)
            page = context.new_page()
            page.goto(address + "report.html")
            assert axe_violations(page) == []
            overflow = page.evaluate(OVERFLOW)
            assert overflow["scroll"] <= overflow["width"] and overflow["wide"] == []
            context.close()


def test_report_does_not_depend_on_the_working_folder(tmp_path: Path) -> None:
    root = library(tmp_path, "fax = '123'\n")  # an unknown key: a warning in careleaf.toml
    assert not check(root, write=True).failed  # run from the test's folder
    data = json.loads((root / "output" / "report.json").read_text(encoding="utf-8"))
    assert [(p["path"], p["code"], p["line"]) for p in data["other_problems"]] == [
        ("careleaf.toml", "C103", 6)
    ]
    first = (root / "output" / "report.json").read_bytes()
    result = run_cli("build", "--today", TODAY.isoformat(), cwd=root)  # run from the project
    assert result.returncode == 0, result.stderr
    assert (root / "output" / "report.json").read_bytes() == first


def test_sample_report(sample_output: Path) -> None:
    data = json.loads((sample_output / "report.json").read_text(encoding="utf-8"))
    assert data["totals"]["errors"] == data["totals"]["warnings"] == 0
    assert len(data["articles"]) == len(list((SAMPLE / "manuscripts").glob("*.md")))
    for article in data["articles"]:
        assert article["problems"] == []
        assert article["words"] > 100
        if article["language"].startswith("en"):
            assert article["reading_grade"] <= data["reading_grade_target"]
            assert article["readability"]["smog_grade"] <= data["reading_grade_target"]
    assert (sample_output / "report.html").is_file()
