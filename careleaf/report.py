"""The build report: ``report.json`` and ``report.html``, and a table for the terminal.

For each article: its title, language, word count, reading level, the pages of
each printed leaflet (counted in the PDFs this build made, when pikepdf is
installed) and the sheets of paper one copy takes printed on both sides, and the
pages of its braille file, its review-due date and its problems; then totals and the
list of files the build made. The report is one more stage: it reads the files the
other stages made, in memory, and adds its own two.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from careleaf.config import Config
from careleaf.fingerprint import digest
from careleaf.i18n import english_interface
from careleaf.library import Library
from careleaf.problems import Problem, Severity, display_path, plural
from careleaf.records import Article, Readability, text_direction

if TYPE_CHECKING:
    from rich.table import Table

    from careleaf.engine import Built, Job, Outcome, Plan

PRINTED = {  # the editions printed on paper (pages and sheets), and their files
    "leaflet": "leaflets/{slug}.pdf",
    "large_print": "leaflets/large-print/{slug}.pdf",
}
PAGED = {**PRINTED, "braille": "braille/{slug}.brf"}  # the editions whose pages are counted
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


def sheets(pages: int | None) -> int | None:
    """Sheets of paper for one copy of a leaflet of ``pages``, printed on both sides."""
    return None if pages is None else math.ceil(pages / 2)


def _total(records: Sequence[Mapping[str, Any]], key: str, edition: str) -> int | None:
    if all(r[key][edition] is None for r in records):
        return None
    return sum(r[key][edition] or 0 for r in records)


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
    library: Library,
    problems: Sequence[Problem],
    pages: Mapping[str, int | None],
    outputs: Sequence[str],
) -> dict[str, Any]:
    """What the report says: every article read, published or not (drafts, and articles
    with errors left out by --keep-going). ``pages``: each leaflet's and braille file's
    pages, by output name."""
    articles, config = library.everything, library.config
    published = {a.slug for a in library.articles}
    target = config.checks.reading_grade
    mine, others = _split(articles, problems)
    records: list[dict[str, Any]] = []
    for article in articles:
        score = library.readability.get(article.slug) or Readability("", skipped="not measured")
        counted = {
            edition: pages.get(pattern.format(slug=article.slug))
            for edition, pattern in PAGED.items()
        }
        records.append(
            {
                "slug": article.slug,
                "file": article.manuscript.path.name,
                "title": article.title,
                "language": article.lang,
                "interface_note": english_interface(article.lang, library.layouts.locales) or None,
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
                "pages": counted,
                "sheets": {edition: sheets(counted[edition]) for edition in PRINTED},
                "draft": article.manuscript.draft,
                "published": article.slug in published,
                "review_due": article.manuscript.review_due.isoformat()
                if article.manuscript.complete
                else None,
                "version": library.edition.versions.get(article.slug),
                "problems": [problem_record(p) for p in mine[article.slug]],
            }
        )
    shown = [r for r in records if not r["draft"]]
    return {
        "collection": config.collection.title,
        "clinic": config.clinic.name,
        "edition": library.edition.name or None,
        "reading_grade_target": target,
        "articles": records,
        "other_problems": [{"path": _portable(p.path, config.root), **_fields(p)} for p in others],
        "totals": {
            "articles": len(shown),
            "drafts": len(records) - len(shown),
            "words": sum(r["words"] for r in shown),
            **counts(problems),
            "pages": {edition: _total(records, "pages", edition) for edition in PAGED},
            "sheets": {edition: _total(records, "sheets", edition) for edition in PRINTED},
        },
        "outputs": sorted({*(n for n in outputs if not n.startswith(".")), *REPORT_FILES}),
    }


def build_report(library: Library, data: dict[str, Any], sizes: Mapping[str, int]) -> Outcome:
    """``report.json`` and ``report.html`` for this build (written with everything else);
    ``sizes``: the size of each file made, shown with its link."""
    from careleaf.downloads import size_words
    from careleaf.engine import Outcome
    from careleaf.webmeta import Meta
    from careleaf.webpages import common

    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    lang = library.config.collection.language
    listed = [(name, size_words(sizes[name], lang) if name in sizes else "")
              for name in data["outputs"]]  # fmt: skip
    html, found = library.layouts.render(
        "report.html",
        lang,
        report=data,
        rows=list(zip(library.everything, data["articles"], strict=True)),
        files=listed,
        dir=text_direction(lang),
        **common(library, "html/", Meta(), page_class="wide"),
    )
    files = (("report.json", text.encode("utf-8")), ("report.html", html.encode("utf-8")))
    return Outcome(files if not found else (), problems=tuple(found))


class ReportEdition:
    """The build report, made last: it counts the pages of the leaflets this build made
    (or kept) and lists every problem and every file."""

    name = "report"
    final = True

    def plan(self, library: Library, built: Built) -> Plan:
        from careleaf.engine import Job, Plan

        if library.only is not None:
            return Plan()
        problems = sorted([*library.problems, *built.problems], key=Problem.sort_key)
        pages = {name: built.info(name).get("pages") for name in built.made}
        data = report_data(library, problems, pages, [*built.made, "manifest.json"])
        sizes = {name: built.sizes[name] for name in data["outputs"]  # (not its own)
                 if name in built.sizes and name not in REPORT_FILES}  # fmt: skip
        inputs = digest(library.context, "report", json.dumps([data, sizes], sort_keys=True))
        made = partial(build_report, library, data, sizes)
        return Plan((Job(REPORT_FILES, inputs, made),))

    def problems(self, library: Library, job: Job, outcome: Outcome) -> list[Problem]:
        return []


def _score(score: Readability | None) -> str:
    if score is None:
        return "-"
    if score.grade is not None:
        return f"grade {score.grade:.1f}"
    if score.ease is not None:
        return f"ease {score.ease:.0f}"
    return "-"


def _both(counts: Sequence[int | None]) -> str:
    """'4/5': standard and large print ('-' for a leaflet not made)."""
    return "/".join("-" if count is None else str(count) for count in counts)


def summary_table(
    articles: Sequence[Article],
    config: Config,
    problems: Sequence[Problem],
    readability: Mapping[str, Readability],
    pages: Mapping[str, int | None] | None = None,
) -> Table:
    """The terminal's short summary: one row per article (with ``pages``, each leaflet's
    pages by output name, its pages and sheets of paper: standard/large print)."""
    mine, _ = _split(articles, problems)
    shown = [a for a in articles if not a.manuscript.draft]
    title = f"{config.collection.title}: {plural(len(shown), 'article')}"
    drafts = len(articles) - len(shown)
    if drafts:
        title += f" and {plural(drafts, 'draft')} (not published)"
    from rich.table import Table

    caption = "Pages and sheets (printed on both sides): standard/large print" if pages else None
    table = Table(title=title, title_justify="left", caption=caption, caption_justify="left")
    columns = [("Article", "left"), ("Lang", "left"), ("Words", "right"), ("Reading", "right")]
    columns += [("Pages", "right"), ("Sheets", "right")] if pages else []
    columns += [("Review due", "left"), ("Errors", "right"), ("Warnings", "right")]
    for heading, justify in columns:
        table.add_column(heading, justify=justify)  # type: ignore[arg-type]
    for article in articles:
        found = mine[article.slug]
        errors = sum(p.severity is Severity.ERROR for p in found)
        row = [
            article.manuscript.path.name + (" (draft)" if article.manuscript.draft else ""),
            article.lang,
            str(article.word_count),
            _score(readability.get(article.slug)),
        ]
        if pages:
            counted = [pages.get(p.format(slug=article.slug)) for p in PRINTED.values()]
            row += [_both(counted), _both([sheets(count) for count in counted])]
        row += [
            article.manuscript.review_due.isoformat() if article.manuscript.complete else "-",
            str(errors),
            str(len(found) - errors),
        ]
        table.add_row(*row)
    return table
