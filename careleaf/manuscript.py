"""Manuscripts: one Markdown file with YAML front matter per article.

``Source`` is re-exported from ``careleaf.frontmatter``, which reads the front matter.

``load_manuscripts`` reads a folder into frozen ``Manuscript`` records and the
problems found on the way; nothing here raises for bad input.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from careleaf.config import Config
from careleaf.problems import Problem, Severity, error, warning
from careleaf.records import Manuscript
from careleaf.references import duplicate_references, read_reference

# BCP 47, in the shape that matters here: language, then subtags of 1-8 letters/digits.
LANG_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
KNOWN_KEYS = (
    "title",
    "published",
    "summary",
    "slug",
    "lang",
    "updated",
    "review_due",
    "authors",
    "reviewers",
    "tags",
    "related",
    "translations",
    "sources",
    "order",
    "draft",
    "reference",
)


def add_months(day: date, months: int) -> date:
    """``months`` later, on the same day of the month where it exists (else the last day);
    never past the last date there is."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if year > date.max.year:
        return date.max
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def read_manuscript(path: Path, config: Config) -> tuple[Manuscript | None, list[Problem]]:
    """One manuscript file, or None when it cannot be read at all. A manuscript whose front
    matter has errors is returned too, marked incomplete: its body is checked, but it is
    never published."""
    from careleaf.fields import Fields  # YAML, when a file is read
    from careleaf.frontmatter import read_front_matter
    from careleaf.limits import estimated_pages
    from careleaf.slugs import article_slug

    matter, problems = read_front_matter(path, config.limits.manuscript_kb * 1024)
    if matter is None:
        return None, problems
    fields = Fields(path, matter)
    fields.problems += problems
    if matter.readable:
        fields.unknown_keys(KNOWN_KEYS)
    title = fields.text("title", required=matter.readable)
    published = fields.day("published", required=matter.readable)
    updated, review_due = fields.day("updated"), fields.day("review_due")
    slug = article_slug(fields, path)
    lang = fields.text("lang") or config.collection.language
    if not LANG_TAG.fullmatch(lang):
        fields.report("lang", "M112", f"'{lang}' is not a language tag like 'en', 'es' or 'ar'")
    manuscript = Manuscript(
        path=path,
        slug=slug,
        title=title,
        published=published or date.min,
        review_due=review_due
        or add_months(updated or published or date.min, config.collection.review_months),
        lang=lang,
        body=matter.body,
        body_line=matter.body_line,
        summary=fields.text("summary"),
        updated=updated,
        authors=fields.names("authors"),
        reviewers=fields.names("reviewers"),
        tags=tuple(dict.fromkeys(tag.lower() for tag in fields.names("tags", commas=True))),
        related=fields.names("related", commas=True),
        translations=fields.names("translations"),
        sources=fields.sources(),
        order=fields.whole_number("order"),
        draft=fields.flag("draft"),
        reference=read_reference(fields),
        key_lines=matter.key_lines,
        item_lines=matter.item_lines,
    )
    for key, day in (("updated", updated), ("review_due", review_due)):
        if published and day and day < published:
            fields.problems.append(
                warning(
                    path,
                    matter.key_lines.get(key, 1),
                    "M133",
                    f"'{key}' ({day.isoformat()}) is before 'published' ({published.isoformat()})",
                    hint="check the year and the month of both dates",
                )
            )
    pages = estimated_pages(matter.body, config.print.paper)
    if pages > config.limits.leaflet_pages:
        fields.problems.append(
            error(
                path,
                matter.body_line,
                "M123",
                f"this article would make a leaflet of at least {pages} pages; careleaf makes "
                f"leaflets of up to {config.limits.leaflet_pages}",
                hint="split it into several articles, or raise [limits] leaflet_pages "
                "in careleaf.toml",
            )
        )
    if not matter.readable or any(p.severity is Severity.ERROR for p in fields.problems):
        manuscript = replace(manuscript, complete=False)
    return manuscript, fields.problems


def manuscript_files(folder: Path) -> tuple[list[Path], list[Problem]]:
    """The ``*.md`` files of ``folder`` careleaf may read, and what is wrong with the rest."""
    if not folder.is_dir():
        return [], [
            error(
                folder,
                1,
                "M110",
                "the manuscripts folder does not exist",
                hint="to start a new project, run 'careleaf new my-clinic'; or name the folder "
                "with --manuscripts DIR",
            )
        ]
    paths = sorted(p for p in folder.glob("*.md") if not p.name.startswith("."))
    if not paths:
        return [], [error(folder, 1, "M110", "the manuscripts folder holds no .md files")]
    inside = folder.resolve()
    readable: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if _undecodable(path.name):
            problems.append(
                error(
                    path,
                    1,
                    "M129",
                    "this file's name is not UTF-8 text, so it cannot become a web address",
                    hint="rename the file with plain letters, digits and hyphens",
                )
            )
            continue
        try:
            outside = not path.resolve().is_relative_to(inside)
        except (OSError, RuntimeError):  # a loop of symbolic links
            outside = False  # reading it reports it
        if outside:
            problems.append(
                error(
                    path,
                    1,
                    "M113",
                    "this manuscript is a link to a file outside "
                    "the manuscripts folder; careleaf reads only files inside it",
                    hint="copy the file into the folder instead of linking it",
                )
            )
            continue
        readable.append(path)
    return readable, problems


def collection_order(manuscripts: Sequence[Manuscript]) -> tuple[Manuscript, ...]:
    """``order`` first (when given), then by title."""
    return tuple(
        sorted(
            manuscripts, key=lambda m: (m.order is None, m.order or 0, m.title.casefold(), m.slug)
        )
    )


def load_manuscripts(
    folder: Path, config: Config, focus: Path | None = None
) -> tuple[tuple[Manuscript, ...], list[Problem]]:
    """Read every ``*.md`` in ``folder`` and check what only the whole library can tell
    (a clash that involves ``focus``, the one file being checked, is reported on it)."""
    paths, problems = manuscript_files(folder)
    manuscripts: list[Manuscript] = []
    for path in paths:
        manuscript, found = read_manuscript(path, config)
        problems += found
        if manuscript is not None:
            manuscripts.append(manuscript)
    problems += check_library(manuscripts, focus)
    return collection_order(manuscripts), problems


def _undecodable(name: str) -> bool:
    """True for a file name that holds bytes that are not UTF-8 (kept as lone surrogates)."""
    return any("\ud800" <= char <= "\udfff" for char in name)


def blame_order(focus: Path | None = None) -> Callable[[Manuscript], tuple[bool, bool, Path]]:
    """The order in which a library check meets manuscripts: when two clash (same slug, same
    title), the one met second is blamed, and that is the checked file (``focus``), else a
    draft, rather than a published article."""
    return lambda m: (m.path == focus, m.draft, m.path)


def check_library(manuscripts: Sequence[Manuscript], focus: Path | None = None) -> list[Problem]:
    """Slugs unique; related slugs name other articles of the library."""
    problems: list[Problem] = []
    first: dict[str, Manuscript] = {}
    for manuscript in sorted(manuscripts, key=blame_order(focus)):
        other = first.setdefault(manuscript.slug, manuscript)
        if other is not manuscript:
            problems.append(
                error(
                    manuscript.path,
                    manuscript.line_of("slug"),
                    "M106",
                    f"the slug '{manuscript.slug}' is already used by {other.path.name}",
                    hint="give one of them a different 'slug:'",
                )
            )
    problems += duplicate_references(manuscripts, blame_order(focus))
    for manuscript in manuscripts:
        lines = manuscript.item_lines.get("related", ())
        for index, slug in enumerate(manuscript.related):
            where = lines[index] if index < len(lines) else manuscript.line_of("related")
            if slug == manuscript.slug:
                problems.append(
                    error(
                        manuscript.path,
                        where,
                        "M111",
                        f"related slug '{slug}' is this article itself",
                    )
                )
            elif slug not in first:
                known = ", ".join(sorted(first)) or "none"
                problems.append(
                    error(
                        manuscript.path,
                        where,
                        "M107",
                        f"related slug '{slug}' names no article in the library",
                        hint=f"known slugs: {known}",
                    )
                )
            elif first[slug].draft and not manuscript.draft:
                problems.append(
                    error(
                        manuscript.path,
                        where,
                        "M107",
                        f"related slug '{slug}' names a draft ({first[slug].path.name}), "
                        "which is not published",
                        hint="take it out of 'related', or publish the draft by removing "
                        "its line 'draft: true'",
                    )
                )
    return problems
