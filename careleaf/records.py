"""The records the stages hand on: frozen dataclasses, and nothing heavy to import.

A manuscript as read (``Manuscript``, with its ``Source`` list), the article it becomes
(``Article``, with its ``Heading``, ``Image`` and ``Link`` records and each image's
``Picture``), and how hard it reads (``Readability``). They are defined here, apart from
the code that makes them (front matter, Markdown, Pillow, textstat), so that a build
can read what the last build made of an unchanged manuscript (``careleaf.frontend``)
without loading any of that.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property
from pathlib import Path

# Scripts written right to left (ISO 15924), the living ones and a few historic ones
RTL_SCRIPTS = frozenset(
    {"Adlm", "Arab", "Aran", "Armi", "Hebr", "Mand", "Mend", "Nkoo", "Phnx", "Rohg", "Samr"}
    | {"Syrc", "Syre", "Syrj", "Syrn", "Thaa", "Yezi"}
)
# Languages written right to left that CLDR (Babel's data) gives no script for
RTL_LANGUAGES = frozenset({"prs", "iw", "ji"})
FOLDER = "images/"  # where the web edition (and, as media/, the e-book) keeps pictures
PUBLISHED = {"png": ("png", "image/png"), "jpeg": ("jpg", "image/jpeg")}
PUBLISHED |= {"svg": ("svg", "image/svg+xml")}


@cache
def text_direction(lang: str) -> str:
    """'rtl' for text in a script written right to left, else 'ltr'. The script is the
    tag's own (``az-Arab``, ``ar-Latn``), else the one CLDR gives the language in that
    region or at all (Hausa and Kurmanji Kurdish are written in Latin letters, Sorani
    Kurdish and Punjabi in Pakistan in Arabic ones)."""
    from babel.core import get_global

    parts = [p for p in lang.replace("_", "-").split("-") if p]
    singleton = next((i for i, p in enumerate(parts) if i and len(p) == 1), len(parts))
    parts = parts[:singleton]  # not the extensions and private uses (-u-nu-latn, -x-abcd)
    if not parts:
        return "ltr"
    language = parts[0].lower()
    script = next((p.title() for p in parts[1:] if len(p) == 4 and p.isalpha()), None)
    if script is None:
        likely = get_global("likely_subtags")
        regions = [p.upper() for p in parts[1:] if len(p) == 2 and p.isalpha()]
        found = [likely.get(f"{language}_{r}") for r in regions] + [likely.get(language)]
        subtags: list[str] = next((f.split("_") for f in found if f), [])
        script = next((p for p in subtags[1:] if len(p) == 4), None)
    if script is not None:
        return "rtl" if script in RTL_SCRIPTS else "ltr"
    return "rtl" if language in RTL_LANGUAGES else "ltr"


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
    translations: tuple[str, ...] = ()  # slugs of the same article in other languages
    sources: tuple[Source, ...] = ()
    order: int | None = None
    draft: bool = False  # checked and reported, never published
    reference: str = ""  # the clinic's code for the leaflet (careleaf.references)
    complete: bool = True  # False: the front matter has errors; the body is still checked
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


@dataclass(frozen=True)
class Picture:
    """An image as careleaf publishes it: cleaned bytes, never the file's own."""

    kind: str  # what is published: "png", "jpeg" or "svg"
    data: bytes  # for the web edition and the e-book (at most WEB_WIDTH pixels across)
    size: tuple[int, int]  # pixels of ``data``; (0, 0) for a drawing
    source_kind: str  # what the file held: "png", "jpeg", "gif", "webp" or "svg"
    source_size: tuple[int, int]  # pixels of the file, upright; (0, 0) for a drawing
    print_data: bytes  # for print (at most PRINT_WIDTH pixels across); a drawing: ``data``
    print_size: tuple[int, int]
    animated: bool = False  # only the first frame of an animation is kept (I217)

    @cached_property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def stem(self) -> str:
        return self.digest[:16]

    @property
    def extension(self) -> str:
        return PUBLISHED[self.kind][0]

    @property
    def name(self) -> str:
        """The file name in every output: from the content, never from the manuscript."""
        return f"{self.stem}.{self.extension}"

    @property
    def media_type(self) -> str:
        return PUBLISHED[self.kind][1]

    @property
    def src(self) -> str:
        """Its address in an article's body (and in the web edition)."""
        return FOLDER + self.name


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    id: str
    line: int


@dataclass(frozen=True)
class Image:
    src: str  # as written in the manuscript, relative to it
    alt: str
    caption: str
    line: int
    path: Path | None  # the file, once vetted (never read again: use ``picture``)
    picture: Picture | None = None  # what is published, once vetted
    width: int | None = None  # % of the text column, when the manuscript sets a width


@dataclass(frozen=True)
class Link:
    href: str  # as it stands in the output
    text: str
    line: int


@dataclass(frozen=True)
class Article:
    """A manuscript made into a sanitised HTML fragment, with what later stages need."""

    manuscript: Manuscript
    body: str  # sanitised HTML of the body, without the title
    text: str  # the body as plain text
    headings: tuple[Heading, ...] = ()
    images: tuple[Image, ...] = ()
    links: tuple[Link, ...] = ()
    abbreviations: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def slug(self) -> str:
        return self.manuscript.slug

    @property
    def title(self) -> str:
        return self.manuscript.title

    @property
    def lang(self) -> str:
        return self.manuscript.lang

    @property
    def direction(self) -> str:
        return self.manuscript.direction

    @property
    def word_count(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True)
class Readability:
    formula: str  # what was measured, in words; "" when skipped
    grade: float | None = None  # Flesch-Kincaid grade (English)
    smog: float | None = None  # SMOG grade (English, 3 sentences or more)
    ease: float | None = None  # Fernández Huerta reading ease (Spanish)
    minimum_ease: float | None = None  # the ease that matches the target grade
    skipped: str = ""  # why there is no score

    def too_hard(self, target: int) -> bool:
        if self.ease is not None and self.minimum_ease is not None:
            return self.ease < self.minimum_ease
        return any(score is not None and score > target for score in (self.grade, self.smog))


@dataclass(frozen=True)
class Metadata:
    """What a leaflet's PDF says about itself (careleaf.pdfua)."""

    title: str
    lang: str
    authors: tuple[str, ...]
    publisher: str
    created: date
    modified: date
    description: str
    identifier: str  # stable: the same leaflet always gets the same document id
    link_labels: tuple[tuple[str, str], ...] = ()  # internal link target -> what it says
    reference: str = ""  # the leaflet's reference (careleaf.references), as dc:identifier
    version: int = 0  # its version, as xmpMM:VersionID (0: none)
