"""Manuscripts: one Markdown file with YAML front matter per article.

``load_manuscripts`` reads a folder into frozen ``Manuscript`` records and the
problems found on the way; nothing here raises for bad input.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from careleaf.config import Config
from careleaf.problems import Problem, Severity, error, warning

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# BCP 47, in the shape that matters here: language, then subtags of 1-8 letters/digits.
LANG_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
RTL_LANGUAGES = frozenset(
    {"ar", "arc", "dv", "fa", "ha", "he", "iw", "ks", "ku", "ps", "sd", "syr", "ug", "ur", "yi"}
)
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
    "sources",
    "order",
)


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class Manuscript:
    path: Path
    slug: str
    title: str
    published: date
    review_due: date
    lang: str
    body: str
    body_line: int  # the file's line number of the body's first line
    summary: str = ""
    updated: date | None = None
    authors: tuple[str, ...] = ()
    reviewers: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    order: int | None = None
    # Where each front matter key (and each item of a list) stands in the file.
    key_lines: Mapping[str, int] = field(default_factory=dict, compare=False, hash=False)
    item_lines: Mapping[str, tuple[int, ...]] = field(
        default_factory=dict, compare=False, hash=False
    )

    @property
    def direction(self) -> str:
        return text_direction(self.lang)

    @property
    def last_changed(self) -> date:
        return self.updated or self.published

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, 1)


def text_direction(lang: str) -> str:
    """'rtl' for languages written right to left, else 'ltr'."""
    return "rtl" if lang.split("-")[0].lower() in RTL_LANGUAGES else "ltr"


class _Loader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text, so that careleaf can explain a bad one."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _parse_yaml(text: str) -> tuple[yaml.Node | None, Any]:
    """The YAML's node tree (for line numbers) and its plain values."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, body's first line) or None when the file has no front matter."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    return None


def read_manuscript(path: Path, config: Config) -> tuple[Manuscript | None, list[Problem]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        return None, [
            error(
                path,
                line,
                "M109",
                "this file is not UTF-8 text",
                hint="save it as UTF-8 in your editor",
            )
        ]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    parts = split_front_matter(text)
    if parts is None:
        return None, [
            error(
                path,
                1,
                "M101",
                "no front matter: the file must start with a line '---', then the "
                "title and other keys, then another line '---'",
            )
        ]
    front, body, body_line = parts
    try:
        node, data = _parse_yaml(front)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        reason = getattr(exc, "problem", None) or getattr(exc, "reason", None) or str(exc)
        return None, [error(path, line, "M101", f"the front matter is not valid YAML: {reason}")]
    if not isinstance(data, dict):
        return None, [
            error(path, 2, "M101", "the front matter must be a list of 'key: value' lines")
        ]
    key_lines: dict[str, int] = {}
    item_lines: dict[str, tuple[int, ...]] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key_lines[str(key_node.value)] = key_node.start_mark.line + 2
            if isinstance(value_node, yaml.SequenceNode):
                item_lines[str(key_node.value)] = tuple(
                    item.start_mark.line + 2 for item in value_node.value
                )
    return _build(path, data, body, body_line, key_lines, item_lines, config)


def _build(
    path: Path,
    data: dict[Any, Any],
    body: str,
    body_line: int,
    key_lines: dict[str, int],
    item_lines: dict[str, tuple[int, ...]],
    config: Config,
) -> tuple[Manuscript | None, list[Problem]]:
    problems: list[Problem] = []

    def line(key: str) -> int:
        return key_lines.get(key, 1)

    def text(key: str, required: bool = False) -> str:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                problems.append(
                    error(
                        path,
                        1,
                        "M102",
                        f"front matter '{key}' is missing",
                        hint=f"add a line '{key}: ...' between the '---' lines",
                    )
                )
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            problems.append(error(path, line(key), "M104", f"'{key}' must be text"))
            return ""
        return str(value).strip()

    def day(key: str, required: bool = False) -> date | None:
        value = data.get(key)
        if value is None:
            if required:
                problems.append(
                    error(
                        path,
                        1,
                        "M102",
                        f"front matter '{key}' is missing",
                        hint=f"add a line '{key}: YYYY-MM-DD'",
                    )
                )
            return None
        raw = str(value).strip()
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
                raise ValueError(raw)
            return date.fromisoformat(raw)
        except ValueError:
            problems.append(
                error(
                    path,
                    line(key),
                    "M103",
                    f"'{key}' must be a real date written YYYY-MM-DD, not '{value}'",
                )
            )
            return None

    def names(key: str) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            return (value.strip(),)
        if not isinstance(value, list) or not all(
            isinstance(item, str | int) and not isinstance(item, bool) for item in value
        ):
            problems.append(
                error(
                    path,
                    line(key),
                    "M104",
                    f"'{key}' must be a list of names",
                    hint=f"write one '- name' line under '{key}:'",
                )
            )
            return ()
        return tuple(str(item).strip() for item in value)

    for key in data:
        if str(key) not in KNOWN_KEYS:
            problems.append(
                warning(
                    path,
                    line(str(key)),
                    "M108",
                    f"unknown front matter key '{key}' is ignored",
                    hint="known keys: " + ", ".join(KNOWN_KEYS),
                )
            )
    title = text("title", required=True)
    published = day("published", required=True)
    updated = day("updated")
    review_due = day("review_due")
    summary = text("summary")
    slug = text("slug") or path.stem
    if not SLUG.fullmatch(slug):
        where = line("slug") if "slug" in data else 1
        problems.append(
            error(
                path,
                where,
                "M105",
                f"the slug '{slug}' may hold only a-z, 0-9 and single hyphens",
                hint="rename the file or add a line 'slug: my-article'",
            )
        )
    lang = text("lang") or config.collection.language
    if not LANG_TAG.fullmatch(lang):
        problems.append(
            error(
                path,
                line("lang"),
                "M112",
                f"'{lang}' is not a language tag like 'en', 'es' or 'ar'",
            )
        )
    order = data.get("order")
    if order is not None and (not isinstance(order, int) or isinstance(order, bool)):
        problems.append(error(path, line("order"), "M104", "'order' must be a whole number"))
        order = None
    sources = _sources(path, data.get("sources"), line("sources"), problems)
    authors, reviewers = names("authors"), names("reviewers")
    tags, related = names("tags"), names("related")
    if published is None or any(p.severity is Severity.ERROR for p in problems):
        return None, problems
    due = review_due or add_months(updated or published, config.collection.review_months)
    return Manuscript(
        path=path,
        slug=slug,
        title=title,
        published=published,
        review_due=due,
        lang=lang,
        body=body,
        body_line=body_line,
        summary=summary,
        updated=updated,
        authors=authors,
        reviewers=reviewers,
        tags=tuple(t.lower() for t in tags),
        related=related,
        sources=sources,
        order=order,
        key_lines=key_lines,
        item_lines=item_lines,
    ), problems


def _sources(path: Path, value: Any, line: int, problems: list[Problem]) -> tuple[Source, ...]:
    if value is None:
        return ()
    shape_hint = "write each source as '- title: ...' with 'url: https://...' under it"
    if not isinstance(value, list):
        problems.append(error(path, line, "M104", "'sources' must be a list", hint=shape_hint))
        return ()
    found = []
    for item in value:
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("title"), str)
            or not isinstance(item.get("url"), str)
        ):
            problems.append(
                error(
                    path, line, "M104", "each source needs a 'title' and a 'url'", hint=shape_hint
                )
            )
            continue
        if not re.match(r"https?://", item["url"]):
            problems.append(
                error(
                    path,
                    line,
                    "M104",
                    f"the source address '{item['url']}' must start with https://",
                )
            )
            continue
        found.append(Source(item["title"].strip(), item["url"].strip()))
    return tuple(found)


def load_manuscripts(folder: Path, config: Config) -> tuple[tuple[Manuscript, ...], list[Problem]]:
    """Read every ``*.md`` in ``folder`` and check what only the whole library can tell."""
    if not folder.is_dir():
        return (), [
            error(
                folder,
                1,
                "M110",
                "the manuscripts folder does not exist",
                hint="use --manuscripts DIR, or run 'careleaf new DIR' to start",
            )
        ]
    paths = sorted(p for p in folder.glob("*.md") if p.is_file() and not p.name.startswith("."))
    if not paths:
        return (), [error(folder, 1, "M110", "the manuscripts folder holds no .md files")]
    manuscripts: list[Manuscript] = []
    problems: list[Problem] = []
    inside = folder.resolve()
    for path in paths:
        if not path.resolve().is_relative_to(inside):
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
        manuscript, found = read_manuscript(path, config)
        problems += found
        if manuscript is not None:
            manuscripts.append(manuscript)
    problems += check_library(manuscripts)
    ordered = sorted(
        manuscripts, key=lambda m: (m.order is None, m.order or 0, m.title.casefold(), m.slug)
    )
    return tuple(ordered), problems


def check_library(manuscripts: list[Manuscript]) -> list[Problem]:
    """Slugs unique; related slugs name other articles of the library."""
    problems: list[Problem] = []
    first: dict[str, Manuscript] = {}
    for manuscript in manuscripts:
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
    return problems
