"""The build report: ``report.json`` and ``report.html``, and a table for the terminal.

For each article: its title, language, word count, reading level, the pages of
each printed leaflet (counted in the PDFs this build made, when pikepdf is
installed), its review-due date and its problems; then totals and the list of
files the build made. The report is one more stage: it reads the files the other
stages made, in memory, and adds its own two.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from rich.table import Table

from careleaf.config import Config
from careleaf.layouts import Layouts
from careleaf.manuscript import text_direction
from careleaf.markup import Article
from careleaf.problems import Problem, Severity, display_path, plural
from careleaf.readability import measure

LEAFLET_EDITIONS = {
    "leaflet": "leaflets/{slug}.pdf",
    "large_print": "leaflets/large-print/{slug}.pdf",
}
REPORT_FILES = ("report.html", "report.json")


def page_count(pdf: bytes | None) -> int | None:
    """Pages in a PDF; None when there is no PDF or no pikepdf to read it."""
    if pdf is None:
        return None
    try:
        import pikepdf
    except ImportError:
        return None
    try:
        with pikepdf.open(io.BytesIO(pdf)) as document:
            return len(document.pages)
    except pikepdf.PdfError:
        return None


def problem_record(problem: Problem, with_path: bool = False) -> dict[str, Any]:
    """A problem as JSON; with its path (and whether it is a draft's) for a list of all."""
    record: dict[str, Any] = {"path": problem.path} if with_path else {}
    record.update(_fields(problem))
    if with_path:
        record["draft"] = problem.draft
    return record


def counts(problems: Sequence[Problem]) -> dict[str, int]:
    """Errors and warnings outside drafts (these stop a build), and those of drafts."""
    found = {"errors": 0, "warnings": 0, "draft_errors": 0, "draft_warnings": 0}
    for problem in problems:
        kind = "errors" if problem.severity is Severity.ERROR else "warnings"
        found[f"draft_{kind}" if problem.draft else kind] += 1
    return found


def _portable(path: str, root: Path) -> str:
    """A path relative to the project: the report must not depend on the working folder."""
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(path).name


def _fields(problem: Problem) -> dict[str, Any]:
    return {
        "severity": str(problem.severity),
        "code": problem.code,
        "line": problem.line,
        "column": problem.column,
        "message": problem.message,
        "hint": problem.hint,
    }


def _split(
    articles: Sequence[Article], problems: Sequence[Problem]
) -> tuple[dict[str, list[Problem]], list[Problem]]:
    """Problems by article slug, and those that belong to no article."""
    by_path = {display_path(a.manuscript.path): a.slug for a in articles}
    mine: dict[str, list[Problem]] = {a.slug: [] for a in articles}
    others: list[Problem] = []
    for problem in sorted(problems, key=Problem.sort_key):
        slug = by_path.get(problem.path)
        (mine[slug] if slug is not None else others).append(problem)
    return mine, others


def report_data(
    articles: Sequence[Article],
    config: Config,
    problems: Sequence[Problem],
    files: Mapping[str, bytes],
) -> dict[str, Any]:
    target = config.checks.reading_grade
    mine, others = _split(articles, problems)
    records: list[dict[str, Any]] = []
    for article in articles:
        score = measure(article.manuscript, target)
        pages = {
            edition: page_count(files.get(pattern.format(slug=article.slug)))
            for edition, pattern in LEAFLET_EDITIONS.items()
        }
        records.append(
            {
                "slug": article.slug,
                "file": article.manuscript.path.name,
                "title": article.title,
                "language": article.lang,
                "words": article.word_count,
                "reading_grade": score.grade,
                "readability": {
                    "formula": score.formula or None,
                    "flesch_kincaid_grade": score.grade,
                    "smog_grade": score.smog,
                    "reading_ease": score.ease,
                    "minimum_reading_ease": score.minimum_ease,
                    "skipped": score.skipped or None,
                },
                "pages": pages,
                "draft": article.manuscript.draft,
                "review_due": article.manuscript.review_due.isoformat()
                if article.manuscript.complete
                else None,
                "problems": [problem_record(p) for p in mine[article.slug]],
            }
        )
    shown = [r for r in records if not r["draft"]]
    return {
        "collection": config.collection.title,
        "clinic": config.clinic.name,
        "reading_grade_target": target,
        "articles": records,
        "other_problems": [{"path": _portable(p.path, config.root), **_fields(p)} for p in others],
        "totals": {
            "articles": len(shown),
            "drafts": len(records) - len(shown),
            "words": sum(r["words"] for r in shown),
            **counts(problems),
            "pages": {
                edition: sum(r["pages"][edition] or 0 for r in records)
                if any(r["pages"][edition] is not None for r in records)
                else None
                for edition in LEAFLET_EDITIONS
            },
        },
        "outputs": sorted({*(name for name in files if not name.startswith(".")), *REPORT_FILES}),
    }


def build_report(
    articles: Sequence[Article],
    config: Config,
    layouts: Layouts,
    files: Mapping[str, bytes],
    problems: Sequence[Problem],
) -> tuple[dict[str, bytes], list[Problem]]:
    """``report.json`` and ``report.html`` for this build (written with everything else)."""
    data = report_data(articles, config, problems, files)
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    lang = config.collection.language
    html, found = layouts.render(
        "report.html",
        lang,
        report=data,
        rows=list(zip(articles, data["articles"], strict=True)),
        dir=text_direction(lang),
        clinic=config.clinic,
        collection=config.collection,
        css="html/style.css",
        home="html/index.html",
    )
    return {"report.json": text.encode("utf-8"), "report.html": html.encode("utf-8")}, found


def _score(record: Mapping[str, Any]) -> str:
    reading = record["readability"]
    if reading["flesch_kincaid_grade"] is not None:
        return f"grade {reading['flesch_kincaid_grade']:.1f}"
    if reading["reading_ease"] is not None:
        return f"ease {reading['reading_ease']:.0f}"
    return "-"


def summary_table(
    articles: Sequence[Article], config: Config, problems: Sequence[Problem]
) -> Table:
    """The terminal's short summary: one row per article."""
    data = report_data(articles, config, problems, {})
    totals = data["totals"]
    title = f"{data['collection']}: {plural(totals['articles'], 'article')}"
    if totals["drafts"]:
        title += f" and {plural(totals['drafts'], 'draft')} (not published)"
    table = Table(title=title, title_justify="left")
    for heading, justify in (
        ("Article", "left"),
        ("Lang", "left"),
        ("Words", "right"),
        ("Reading", "right"),
        ("Review due", "left"),
        ("Errors", "right"),
        ("Warnings", "right"),
    ):
        table.add_column(heading, justify=justify)  # type: ignore[arg-type]
    for record in data["articles"]:
        errors = sum(p["severity"] == "error" for p in record["problems"])
        table.add_row(
            record["file"] + (" (draft)" if record["draft"] else ""),
            record["language"],
            str(record["words"]),
            _score(record),
            record["review_due"] or "-",
            str(errors),
            str(len(record["problems"]) - errors),
        )
    return table
