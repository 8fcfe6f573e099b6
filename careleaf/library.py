"""The ``Library``: everything the editions are made from, worked out once per build.

The articles to publish (in collection order) with their content digests, related
reading and readability, the configuration and layouts, and the digest of what
every output depends on besides its own data (careleaf's code, the renderers'
versions, the layouts and catalogs, the settings). Editions read it; nothing in it
is computed twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from careleaf.config import Config
from careleaf.fontset import FontSet, font_set
from careleaf.layouts import Layouts
from careleaf.logo import Logo
from careleaf.manuscript import collection_order
from careleaf.problems import Problem
from careleaf.records import Article, Readability
from careleaf.related import related_reading
from careleaf.versions import CollectionEdition


@dataclass(frozen=True, eq=False)
class Library:
    config: Config
    layouts: Layouts
    manuscripts: Path  # the folder images are read from
    output: Path  # the output folder (the last build's files are read from it, never written)
    articles: tuple[Article, ...]  # to publish, in collection order
    digests: Mapping[str, str]  # slug -> digest of the article's content
    related: Mapping[str, tuple[str, ...]]  # slug -> slugs of its related reading
    readability: Mapping[str, Readability]
    context: str  # digest of code, renderers, layouts, catalogs and settings
    edition: CollectionEdition = field(default_factory=CollectionEdition)
    only: frozenset[str] | None = None  # slugs to make outputs for (None: all)
    problems: tuple[Problem, ...] = ()  # found reading and checking the manuscripts
    sources: tuple[Path, ...] = ()  # every manuscript file, published or not
    unpublished: tuple[Article, ...] = ()  # read but not published: drafts, articles held back
    logo: Logo | None = None  # the clinic's logo ([clinic] logo), read once

    @property
    def everything(self) -> tuple[Article, ...]:
        """Every article read, published or not, in collection order."""
        found = {a.manuscript.path: a for a in (*self.articles, *self.unpublished)}
        ordered = collection_order([a.manuscript for a in found.values()])
        return tuple(found[m.path] for m in ordered)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_slug", {a.slug: a for a in self.articles})

    def article(self, slug: str) -> Article:
        by_slug: dict[str, Article] = self.__dict__["_by_slug"]
        return by_slug[slug]

    def related_to(self, article: Article) -> tuple[Article, ...]:
        return tuple(self.article(slug) for slug in self.related.get(article.slug, ()))

    @property
    def fonts(self) -> FontSet:
        """The leaflets' fonts: careleaf's, and the clinic's from careleaf.toml."""
        return font_set(self.config.fonts)

    def wanted(self, article: Article) -> bool:
        """Whether this build makes the article's own outputs (``build FILE.md`` makes one)."""
        return self.only is None or article.slug in self.only


__all__ = ["Library", "related_reading"]
