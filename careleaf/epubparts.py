"""What the e-book holds besides its pages: its name, identifier and date, the font,
the images and the navigation tree."""

from __future__ import annotations

import os
import re
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import fontpkg
from ebooklib import epub

from careleaf import xhtml
from careleaf.config import Config
from careleaf.epubzip import ZIP_EPOCH
from careleaf.problems import Problem, display_path, warning
from careleaf.records import Article, Picture

FONT = "Atkinson Hyperlegible"
FONT_FILES = {  # file in the book -> (weight, style)
    "AtkinsonHyperlegible-Regular.ttf": (400, "normal"),
    "AtkinsonHyperlegible-Italic.ttf": (400, "italic"),
    "AtkinsonHyperlegible-Bold.ttf": (700, "normal"),
    "AtkinsonHyperlegible-BoldItalic.ttf": (700, "italic"),
}
# Image types every EPUB 3 reading system shows (EPUB 3.3 core media types).
IMAGE_TYPES = {
    ".gif": "image/gif",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
}


def collection_slug(title: str) -> str:
    """'Riverside Patient Information' -> 'riverside-patient-information' (ASCII only)."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")


def book_identifier(config: Config) -> str:
    """The configured identifier, else a UUID that follows from the collection title."""
    given = config.collection.identifier.strip()
    if given:
        return given
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'careleaf:' + config.collection.title)}"


def modified_time(articles: Sequence[Article]) -> tuple[datetime, list[Problem]]:
    """``SOURCE_DATE_EPOCH`` when set, else the newest article date; never the clock."""
    newest = max((a.manuscript.last_changed for a in articles), default=date(2000, 1, 1))
    fallback = datetime(newest.year, newest.month, newest.day, tzinfo=UTC)
    given = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not given:
        return fallback, []
    try:
        return max(datetime.fromtimestamp(int(given), tz=UTC), ZIP_EPOCH), []
    except (ValueError, OverflowError, OSError):
        return fallback, [
            warning(
                "SOURCE_DATE_EPOCH",
                1,
                "E702",
                f"SOURCE_DATE_EPOCH is {given!r}, not a number of seconds; "
                f"the e-book is dated {newest.isoformat()}, the newest article's date",
            )
        ]


def file_slug(config: Config) -> tuple[str, list[Problem]]:
    """The e-book's file name (without ``.epub``), from the collection title."""
    slug = collection_slug(config.collection.title)
    if slug:
        return slug, []
    where = display_path(config.path) if config.path else "careleaf.toml"
    message = (
        "the collection title has no letters that can be used in a file name; "
        "the e-book is called collection.epub"
    )
    return "collection", [warning(where, 1, "E704", message)]


def fonts() -> dict[str, bytes]:
    """Atkinson Hyperlegible's four faces, from the installed fontpkg package."""
    return {
        f"fonts/{name}": fontpkg.path(FONT, weight, style).read_bytes()
        for name, (weight, style) in FONT_FILES.items()
    }


def media(articles: Sequence[Article], images_root: Path) -> tuple[dict[str, bytes], list[Problem]]:
    """Every picture the chapters show, cleaned, as ``media/<content digest>.<ext>``.
    (Which pictures can be published at all is decided once, by careleaf.images.)"""
    files = {
        media_name(image.picture): image.picture.data
        for article in articles
        for image in article.images
        if image.picture is not None
    }
    return dict(sorted(files.items())), []


def media_name(picture: Picture) -> str:
    return f"media/{picture.name}"


def image_sources(article: Article, images_root: Path) -> dict[str, str]:
    """Image address in the article's body -> its address from the chapter."""
    return {
        image.picture.src: "../" + media_name(image.picture)
        for image in article.images
        if image.picture is not None
    }


@dataclass(frozen=True)
class NavItem:
    """One line of the table of contents, and the lines nested under it."""

    title: str
    href: str
    lang: str = ""  # set when it differs from what it is nested in
    dir: str = ""
    children: tuple[NavItem, ...] = ()


def nav_item(article: Article, name: str) -> NavItem:
    """The article and its section headings, nested by level."""
    headings = [h for h in article.headings if h.id and h.text]

    def nest(start: int, level: int) -> tuple[tuple[NavItem, ...], int]:
        items: list[NavItem] = []
        index = start
        while index < len(headings) and headings[index].level > level:
            heading = headings[index]
            children, index = nest(index + 1, heading.level)
            items.append(NavItem(heading.text, f"{name}#{heading.id}", children=children))
        return tuple(items), index

    children, _ = nest(0, 1)
    return NavItem(article.title, name, article.lang, article.direction, children)


def ncx(items: Sequence[NavItem], counter: list[int] | None = None) -> list[Any]:
    """The same tree as ebooklib's table of contents, which it writes as the NCX."""
    counter = counter if counter is not None else [0]
    toc: list[Any] = []
    for item in items:
        counter[0] += 1
        link = epub.Link(item.href, xhtml.clean(item.title), f"navpoint-{counter[0]}")
        toc.append((link, ncx(item.children, counter)) if item.children else link)
    return toc
