"""The collection's edition and each article's version, from ``output/manifest.json``.

Every build that changes the collection (an article added, removed, or with other
content: its manuscript's or images' bytes) makes a new edition, named
``YEAR.N``: the N-th edition of that year, the year being the newest date of the
articles (never the clock, so that the same inputs give the same name). An
article's version starts at 1 and goes up by one each time its content changes. A
build that changes nothing keeps the edition, its versions and its list of what
changed, so that it makes the same e-book again, byte for byte.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from careleaf.codec import decode, encode
from careleaf.fingerprint import digest
from careleaf.problems import Problem
from careleaf.records import Article

if TYPE_CHECKING:
    from careleaf.engine import Built, Job, Outcome, Plan
    from careleaf.library import Library

MANIFEST = "manifest.json"
EDITION = re.compile(r"[0-9]{4}\.[0-9]{1,6}")  # YEAR.N


@dataclass(frozen=True)
class Entry:
    """One article as the manifest records it."""

    title: str
    content: str  # digest of its content
    version: int
    lang: str = ""
    updated: str = ""  # its 'updated' date, if any
    outputs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Removed:
    slug: str
    title: str
    lang: str = ""


@dataclass(frozen=True)
class Changes:
    added: tuple[str, ...] = ()  # slugs
    updated: tuple[str, ...] = ()
    removed: tuple[Removed, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.updated or self.removed)


@dataclass(frozen=True)
class Manifest:
    collection: str = ""
    edition: str = ""
    articles: Mapping[str, Entry] = field(default_factory=dict)
    changes: Changes = Changes()
    previous: str = ""  # the edition before this one

    @classmethod
    def load(cls, output: Path) -> Manifest:
        try:
            data = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
            manifest = decode(cls, data)
        except (OSError, ValueError, UnicodeDecodeError, RecursionError):
            return cls()
        if not isinstance(manifest, cls) or not all(
            EDITION.fullmatch(name) for name in (manifest.edition, manifest.previous) if name
        ):
            return cls()  # edited by hand: an edition's name becomes a file name, so none
        return manifest


@dataclass(frozen=True)
class CollectionEdition:
    """This build's edition of the collection, and what it changed."""

    name: str = ""
    previous: str = ""  # the last build's edition ("" when there was none)
    changes: Changes = Changes()
    versions: Mapping[str, int] = field(default_factory=dict)  # slug -> version
    held: Mapping[str, Entry] = field(default_factory=dict)  # not built this time, kept
    new: bool = False  # this build made the edition (its predecessor's e-book is archived)


def _year_and_number(name: str) -> tuple[int, int]:
    try:
        year, number = name.split(".", 1)
        return int(year), int(number)
    except ValueError:
        return 0, 0


def next_edition(
    articles: Sequence[Article],
    digests: Mapping[str, str],
    old: Manifest,
    held: frozenset[str] = frozenset(),
) -> CollectionEdition:
    """The edition this build makes. ``held``: articles that could not be built this time
    (``--keep-going``): their last published version stands, neither changed nor removed."""
    current = {a.slug: a for a in articles}
    added = tuple(s for s in current if s not in old.articles)
    updated = tuple(
        s for s in current if s in old.articles and old.articles[s].content != digests[s]
    )
    removed = tuple(
        Removed(slug, entry.title, entry.lang)
        for slug, entry in sorted(old.articles.items())
        if slug not in current and slug not in held
    )
    changes = Changes(added, updated, removed)
    versions = {
        slug: old.articles[slug].version + (slug in updated) if slug in old.articles else 1
        for slug in current
    }
    kept = {slug: old.articles[slug] for slug in held if slug in old.articles}
    if not changes and old.edition:
        return CollectionEdition(old.edition, old.previous, old.changes, versions, kept)
    newest = max((a.manuscript.last_changed.year for a in articles), default=2000)
    last_year, last_number = _year_and_number(old.edition)
    year = max(newest, last_year)
    number = last_number + 1 if year == last_year else 1
    return CollectionEdition(f"{year}.{number}", old.edition, changes, versions, kept, new=True)


class ManifestEdition:
    """``manifest.json``: each article's content digest, version and outputs, and the
    collection's edition with what it changed (what the next build compares with)."""

    name = "manifest"
    final = True

    def plan(self, library: Library, built: Built) -> Plan:
        from careleaf.engine import Job, Plan

        if library.only is not None:
            return Plan()
        edition = library.edition
        articles = {
            a.slug: Entry(
                title=a.title,
                content=library.digests[a.slug],
                version=edition.versions[a.slug],
                lang=a.lang,
                updated=a.manuscript.updated.isoformat() if a.manuscript.updated else "",
                outputs=tuple(sorted(built.by_article.get(a.slug, ()))),
            )
            for a in library.articles
        }
        articles.update(edition.held)
        manifest = Manifest(
            library.config.collection.title, edition.name, dict(sorted(articles.items())),
            edition.changes, edition.previous,
        )  # fmt: skip
        text = json.dumps(encode(manifest), indent=1, ensure_ascii=False, sort_keys=True) + "\n"
        data = text.encode("utf-8")
        return Plan((Job((MANIFEST,), digest(data), partial(_file, data)),))

    def problems(self, library: Library, job: Job, outcome: Outcome) -> list[Problem]:
        return []


def _file(data: bytes) -> Outcome:
    from careleaf.engine import Outcome

    return Outcome(((MANIFEST, data),))
