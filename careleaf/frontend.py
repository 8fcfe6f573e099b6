"""Reading the manuscripts: each file read, converted to HTML and checked on its own,
once; what did not change since the last build is taken from that build.

What a manuscript becomes depends on its bytes, the images it shows, the names of
the other manuscripts (its links), the configuration, the layouts' catalogs and
careleaf itself; ``.careleaf/articles.json`` in the output folder keeps, for each
file, a digest of those and what careleaf made of them. A rebuild reads each file
and compares; only new or changed manuscripts are converted and checked again. The
cache is plain JSON read back into the declared types (``careleaf.codec``): a
damaged or edited cache is no cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from careleaf.codec import decode, encode
from careleaf.config import Config
from careleaf.fingerprint import digest
from careleaf.layouts import Layouts
from careleaf.manuscript import manuscript_files, read_manuscript
from careleaf.output import replace_if_changed
from careleaf.problems import Problem
from careleaf.readfile import read_bytes
from careleaf.records import Article, Readability
from careleaf.web import page_name

CACHE = "articles.json"
FORMAT = 1


@dataclass(frozen=True)
class Read:
    """One manuscript as read, converted and checked on its own."""

    path: Path
    slug: str  # the slug it asked for (its file name's stem when it could not be read)
    article: Article | None  # None when the manuscript could not be read
    problems: tuple[Problem, ...] = ()
    readability: Readability | None = None
    digest: str = ""  # of its content: the file's bytes and its images' bytes


@dataclass(frozen=True)
class _Entry:
    source: str  # digest of the file's bytes
    key: str  # digest of everything the result depends on
    files: tuple[tuple[str, int, int], ...]  # other files read (path, size, mtime_ns)
    read: Read


@dataclass(frozen=True)
class _Cache:
    entries: Mapping[str, _Entry] = field(default_factory=dict)
    related_key: str = ""
    related: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    format: int = FORMAT


class ArticleCache:
    """What earlier builds made of each manuscript (``None`` path: no cache at all)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.old: Mapping[str, _Entry] = {}
        self.new: dict[str, _Entry] = {}
        self.changed = False  # whether this build read anything the cache did not hold
        self.loaded = _Cache()
        self.related: tuple[str, Mapping[str, tuple[str, ...]]] = ("", {})
        if path is not None:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                loaded = decode(_Cache, data, self._load)
                if loaded.format == FORMAT:
                    self.loaded, self.old = loaded, loaded.entries
            except (OSError, ValueError, UnicodeDecodeError, RecursionError):
                self.old = {}

    def related_reading(
        self, key: str, work: Callable[[], Mapping[str, tuple[str, ...]]]
    ) -> Mapping[str, tuple[str, ...]]:
        """Related reading for the library whose inputs digest to ``key`` (worked out by
        ``work`` unless the last build had the same)."""
        found = self.loaded.related if self.loaded.related_key == key else work()
        self.related = (key, found)
        self.changed |= self.loaded.related_key != key
        return found

    def slug(self, path: Path, source: str) -> str | None:
        entry = self.old.get(str(path))
        return entry.read.slug if entry is not None and entry.source == source else None

    def last_slug(self, path: Path) -> str | None:
        """The slug ``path`` had at the last build, whatever its content was then."""
        entry = self.old.get(str(path))
        return entry.read.slug if entry is not None else None

    def get(self, path: Path, key: str) -> Read | None:
        entry = self.old.get(str(path))
        if entry is None or entry.key != key or not all(map(_unchanged, entry.files)):
            return None
        self.new[str(path)] = entry
        return entry.read

    def put(self, path: Path, source: str, key: str, read: Read) -> None:
        files = tuple(_stat(image) for image in _images(read))
        self.new[str(path)] = _Entry(source, key, files, read)
        self.changed = True

    @property
    def blobs(self) -> Path:
        """Where the large bytes of the cache (cleaned pictures) are kept, by digest."""
        assert self.path is not None
        return self.path.parent / "blobs"

    def _load(self, name: str) -> bytes:
        if not re.fullmatch(r"[0-9a-f]{64}", name):
            raise ValueError(f"not a blob name: {name!r:.80}")
        data = (self.blobs / name).read_bytes()
        if hashlib.sha256(data).hexdigest() != name:
            raise ValueError(f"the blob {name} was changed")
        return data

    def save(self) -> None:
        """Write what this build read (nothing when it read nothing new)."""
        if self.path is None or not (self.changed or self.new.keys() != self.old.keys()):
            return
        kept: set[str] = set()

        def store(data: bytes) -> str:
            name = hashlib.sha256(data).hexdigest()
            kept.add(name)
            if not (self.blobs / name).is_file():
                replace_if_changed(self.blobs / name, data)
            return name

        self.blobs.mkdir(parents=True, exist_ok=True)
        cache = _Cache(self.new, self.related[0], self.related[1])
        text = json.dumps(encode(cache, store), ensure_ascii=False, sort_keys=True)
        replace_if_changed(self.path, text.encode("utf-8"))
        for old in self.blobs.iterdir():
            if old.name not in kept:
                old.unlink(missing_ok=True)


def _images(read: Read) -> list[Path]:
    """The image files the manuscript's result depends on."""
    if read.article is None:
        return []
    return [image.path for image in read.article.images if image.path is not None]


def _stat(path: Path) -> tuple[str, int, int]:
    status = path.stat()
    return (str(path), status.st_size, status.st_mtime_ns)


def _unchanged(record: tuple[str, int, int]) -> bool:
    try:
        return _stat(Path(record[0])) == record
    except OSError:
        return False


def read_one(
    path: Path,
    raw: bytes,
    config: Config,
    layouts: Layouts,
    pages: Mapping[str, str],
    folder: Path,
) -> Read:
    """Read, convert and check one manuscript (whose bytes are ``raw``), with no cache."""
    from careleaf.checks import check_article  # Markdown and the checks, when a file changed
    from careleaf.markup import convert
    from careleaf.readability import measure

    manuscript, problems = read_manuscript(path, config)
    if manuscript is None:
        return Read(path, path.stem, None, tuple(problems))
    gettext = layouts.gettext(manuscript.lang)
    article, found = convert(manuscript, images_root=folder, pages=pages, gettext=gettext)
    problems += found
    score = measure(manuscript, config.checks.reading_grade)
    problems += check_article(article, config, score)
    content = digest(raw, *(i.picture.digest for i in article.images if i.picture is not None))
    return Read(path, manuscript.slug, article, tuple(problems), score, content)


def read_all(
    folder: Path, config: Config, layouts: Layouts, context: str, cache: ArticleCache
) -> tuple[tuple[Read, ...], list[Problem]]:
    """Every manuscript of ``folder``; ``context`` is the digest of the configuration,
    layouts and code they are read with."""
    paths, problems = manuscript_files(folder)
    limit = config.limits.manuscript_kb * 1024
    sources: dict[Path, bytes] = {}
    unreadable: dict[Path, list[Problem]] = {}
    for path in paths:
        raw, found = read_bytes(path, limit)  # never a folder, a pipe or a huge file
        if raw is None:
            unreadable[path] = found
        else:
            sources[path] = raw
    source_digests = {path: digest(data) for path, data in sources.items()}
    slugs = {}
    for path in sources:
        known = cache.slug(path, source_digests[path])
        slugs[path] = known if known is not None else _slug_of(path, config)
    pages = {path.name: page_name(slugs[path]) for path in sources}
    library = digest(context, os.getcwd(), json.dumps(sorted(pages.items())), str(folder))
    reads: list[Read] = []
    for path in paths:
        if path in unreadable:
            reads.append(Read(path, cache.last_slug(path) or path.stem, None, (*unreadable[path],)))
            continue
        key = digest(library, str(path), source_digests[path])
        read = cache.get(path, key)
        if read is None:
            read = read_one(path, sources[path], config, layouts, pages, folder)
            if read.article is None:  # known by the slug it had when it could be read
                read = replace(read, slug=cache.last_slug(path) or read.slug)
            cache.put(path, source_digests[path], key, read)
        reads.append(read)
    return tuple(reads), problems


def _slug_of(path: Path, config: Config) -> str:
    manuscript, _ = read_manuscript(path, config)
    return manuscript.slug if manuscript is not None else path.stem


def articles_of(reads: Sequence[Read]) -> list[Article]:
    return [read.article for read in reads if read.article is not None]
