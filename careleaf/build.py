"""The build, top to bottom: load, convert, check, render, write.

Every stage returns what it made and the problems it found. All problems are
collected; if any is an error (or, with --strict, any at all), the build stops
before writing anything, so the last good outputs stay as they were.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from careleaf.checks import check_articles
from careleaf.config import Config, load_config
from careleaf.ebook import ebook
from careleaf.layouts import Layouts
from careleaf.leaflet import leaflets
from careleaf.manuscript import Manuscript, load_manuscripts
from careleaf.markup import Article, convert
from careleaf.output import WriteResult, write_outputs
from careleaf.problems import Problem, has_errors
from careleaf.report import build_report
from careleaf.reuse import Reuse
from careleaf.selection import about, chosen, files_of, keep_other_records, mark_drafts, published
from careleaf.web import Files, page_name, web_edition


@dataclass(frozen=True)
class BuildOptions:
    manuscripts: Path = Path("manuscripts")
    output: Path = Path("output")
    config: Path = Path("careleaf.toml")
    config_given: bool = False  # a --config that does not exist is an error
    strict: bool = False  # warnings stop the build too
    write: bool = True  # False for 'check'
    today: date | None = None  # the date review dates are checked against (None: the clock)
    only: Path | None = None  # one manuscript to check or build, with its library around it


@dataclass(frozen=True)
class BuildReport:
    problems: tuple[Problem, ...] = ()
    articles: tuple[Article, ...] = ()
    result: WriteResult | None = None  # None when nothing was written
    config: Config = field(default_factory=Config)
    reused: tuple[str, ...] = ()  # outputs taken unchanged from the last build

    @property
    def failed(self) -> bool:
        return has_errors(self.problems)


def convert_all(
    manuscripts: Sequence[Manuscript], folder: Path, layouts: Layouts
) -> tuple[tuple[Article, ...], list[Problem]]:
    """Markdown to HTML for every manuscript; ``.md`` links become page addresses."""
    pages = {m.path.name: page_name(m.slug) for m in manuscripts}
    articles: list[Article] = []
    problems: list[Problem] = []
    for manuscript in manuscripts:
        article, found = convert(
            manuscript, images_root=folder, pages=pages, gettext=layouts.gettext(manuscript.lang)
        )
        articles.append(article)
        problems += found
    return tuple(articles), problems


def build(options: BuildOptions) -> BuildReport:
    config, problems = load_config(options.config, explicit=options.config_given)
    only = options.only
    manuscripts, found = load_manuscripts(options.manuscripts, config, only)
    problems += found
    layouts = Layouts(config.layouts, config.root / "locale")
    articles, found = convert_all(manuscripts, options.manuscripts, layouts)
    problems += found
    problems += check_articles(articles, config, today=options.today, layouts=layouts, focus=only)
    problems = about(mark_drafts(problems, articles), options.manuscripts, only)
    library = published(articles)  # drafts and manuscripts with errors are never published
    selected = chosen(library, only)  # what this build writes

    reuse = Reuse.load(options.output)  # what the last build made, and from what

    def report(result: WriteResult | None = None) -> BuildReport:
        ordered = tuple(sorted(problems, key=Problem.sort_key))
        shown = chosen(articles, only)
        return BuildReport(ordered, shown, result, config, tuple(reuse.reused))

    if not options.write or has_errors(problems, options.strict):
        return report()
    if not selected:
        return report()  # nothing to publish: drafts only
    if only is not None:
        keep_other_records(reuse, selected)
    files: Files = {}
    for made, found in (
        web_edition(library, config, layouts, options.manuscripts),
        leaflets(selected, config, layouts, options.manuscripts, reuse, library),
        ebook(library, config, layouts, options.manuscripts) if only is None else ({}, []),
    ):
        files.update(made)
        problems += found
    if only is None:
        made, found = build_report(articles, config, layouts, files, problems)
        files.update(made)
        problems += found
    else:
        files = files_of(files, selected, options.manuscripts)
    if has_errors(problems, options.strict):
        return report()
    result, found = write_outputs(files, options.output, keep_others=only is not None)
    problems += found
    return report(result)
