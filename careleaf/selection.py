"""What a build publishes, and which problems it reports.

Drafts (``draft: true``) and manuscripts whose front matter has errors are read,
converted and checked like every other manuscript, but never published: not on the
web, not as leaflets, not in the e-book, the index or another article's related
reading. A draft's problems are printed, marked as the draft's, and do not stop the
build. ``careleaf build FILE.md`` publishes that one article; the rest of the library
is still read, because related reading and links need it. Pure functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from careleaf.problems import Problem, display_path
from careleaf.records import Article


def published(articles: Iterable[Article]) -> tuple[Article, ...]:
    """The articles a build publishes: neither drafts nor with front matter errors."""
    return tuple(a for a in articles if not a.manuscript.draft and a.manuscript.complete)


def same_file(one: Path, other: Path) -> bool:
    return one.resolve() == other.resolve()


def chosen(articles: Iterable[Article], only: Path | None) -> tuple[Article, ...]:
    """The articles named on the command line (``only``), else all of them."""
    return tuple(a for a in articles if only is None or same_file(a.manuscript.path, only))


def mark_drafts(problems: Iterable[Problem], articles: Iterable[Article]) -> list[Problem]:
    """Each problem of a draft marked as such: it is printed, but does not stop the build."""
    drafts = {display_path(a.manuscript.path) for a in articles if a.manuscript.draft}
    return [replace(p, draft=True) if p.path in drafts else p for p in problems]


def about(problems: Iterable[Problem], folder: Path, only: Path | None) -> list[Problem]:
    """With ``only``: the problems of that file and of no other manuscript (those of the
    configuration and the layouts concern it too). A clash between two manuscripts that
    involves it (same slug, same title) is reported on it (``blame_order``)."""
    inside, target = folder.resolve(), only.resolve() if only else None

    def of_another(problem: Problem) -> bool:
        where = Path(problem.path).resolve()
        return where != target and where.parent == inside and where.suffix == ".md"

    return [p for p in problems if target is None or not of_another(p)]
