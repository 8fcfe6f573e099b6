"""Making the e-book: one EPUB 3 collection of every article, built with ebooklib.

Cover, title page, table of contents, one chapter per article (in collection
order), a topics page. Each page is rendered through the XHTML layouts, checked
as XML and given EPUB footnotes; the package carries EPUB Accessibility 1.1
metadata that ``accessibility`` works out from the content. The zip is written
again with fixed names, order and times, so the same inputs give the same bytes.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ebooklib import epub
from lxml import etree
from markupsafe import Markup

from careleaf import callouts, epubparts, xhtml
from careleaf.accessibility import describe
from careleaf.epubparts import NavItem
from careleaf.epubzip import repack
from careleaf.library import Library
from careleaf.problems import Problem, display_path, error
from careleaf.records import Article, text_direction
from careleaf.typography import keep_together
from careleaf.web import Files, entry, tag_groups

if TYPE_CHECKING:
    pass

XHTML_TYPE = "application/xhtml+xml"


def ebook(library: Library) -> tuple[Files, list[Problem]]:
    """``ebook/<collection-slug>.epub`` holding every article of ``library``."""
    config, articles = library.config, library.articles
    slug, problems = epubparts.file_slug(config)
    modified, found = epubparts.modified_time(articles)
    problems += found
    book = _Book(library, modified.date())
    media, found = epubparts.media(articles, library.manuscripts)
    problems += found
    for article in articles:
        problems += book.chapter(article, media)
    problems += book.front_and_back(articles)
    problems += book.add_files(media)
    data = repack(book.write(modified), modified, config.collection.language)
    return {f"ebook/{slug}.epub": data}, problems


def chapter_name(slug: str) -> str:
    return f"text/{slug}.xhtml"


class _Book:
    """The ebooklib book being filled, and how its pages are made."""

    def __init__(self, library: Library, edition: date) -> None:
        self.library = library
        self.articles = library.articles
        self.images_root = library.manuscripts
        self.config = library.config
        self.layouts = library.layouts
        self.edition = edition
        self.chapters = {f"{a.slug}.html": f"{a.slug}.xhtml" for a in library.articles}
        self.lang = self.config.collection.language
        self.book = epub.EpubBook()
        self.spine: list[Any] = []
        self.toc: list[Any] = []
        self.has_images = False  # whether any page shows a picture
        self.nav: list[NavItem] = []

    def render(
        self, template: str, lang: str, name: str, **context: Any
    ) -> tuple[etree._Element | None, list[Problem]]:
        css = "../css/ebook.css" if name.startswith("text/") else "css/ebook.css"
        text, problems = self.layouts.render(
            template,
            lang,
            dir=text_direction(lang),
            css=css,
            clinic=self.config.clinic,
            collection=self.config.collection,
            **context,
        )
        if problems:
            return None, problems
        try:
            return xhtml.parse(text), []
        except etree.XMLSyntaxError as exc:
            where = self._where(template)
            line = exc.lineno or 1
            message = f"the layout '{template}' does not make well-formed XHTML for {name}: {exc}"
            return None, [error(where, line, "E701", message)]

    def add_page(self, uid: str, name: str, root: etree._Element, *properties: str) -> Any:
        item = epub.EpubItem(uid=uid, file_name=name, media_type=XHTML_TYPE)
        item.content = xhtml.serialise(root)
        item.properties = list(properties)
        self.has_images = self.has_images or xhtml.has_element(root, "img")
        self.book.add_item(item)
        self.spine.append(item)
        return item

    def chapter(self, article: Article, media: dict[str, bytes]) -> list[Problem]:
        name = chapter_name(article.slug)
        related = [
            entry(other, f"{other.slug}.xhtml") for other in self.library.related_to(article)
        ]
        root, problems = self.render(
            "chapter.xhtml",
            article.lang,
            name,
            article=article,
            m=article.manuscript,
            body=Markup(xhtml.fragment_to_xml(keep_together(article.body, article.lang))),
            related=related,
        )
        if root is None:
            return problems
        gettext: Callable[[str], str] = self.layouts.gettext(article.lang)
        xhtml.footnotes(root, gettext)
        callouts.for_epub(root)
        xhtml.rewrite_links(root, self.chapters)
        xhtml.rewrite_images(root, epubparts.image_sources(article, self.images_root))
        self.add_page(f"chapter-{article.slug}", name, root)
        self.nav.append(epubparts.nav_item(article, name))
        return problems

    def front_and_back(self, articles: Sequence[Article]) -> list[Problem]:
        """Cover, title page and table of contents before the chapters; topics after."""
        _ = self.layouts.gettext(self.lang)
        chapters, self.spine = self.spine, []
        cover, problems = self.cover_image()
        groups = [
            (tag, [entry(a, chapter_name(a.slug)) for a in group])
            for tag, group in tag_groups(articles)
        ]
        edition = self.library.edition
        pages: list[tuple[str, str, str, dict[str, Any]]] = [
            ("cover", "cover.xhtml", "cover.xhtml", cover),
            ("titlepage", "titlepage.xhtml", "titlepage.xhtml",
             {"edition": self.edition, "edition_name": edition.name}),
            ("topics", "topics.xhtml", "topics.xhtml", {"groups": groups}),
        ]  # fmt: skip
        news = whats_new(self.library)
        if news is not None:
            pages.insert(2, ("whatsnew", "whatsnew.xhtml", "whatsnew.xhtml", news))
        made: dict[str, Any] = {}
        for uid, template, name, context in pages:
            root, found = self.render(template, self.lang, name, **context)
            problems += found
            if root is not None:
                made[uid] = self.add_page(uid, name, root)
        first = chapter_name(articles[0].slug) if articles else "topics.xhtml"
        landmarks = [
            ("cover", "cover.xhtml", _("Cover")),
            ("titlepage", "titlepage.xhtml", _("Title page")),
            ("toc", "nav.xhtml#toc", _("Table of contents")),
            ("bodymatter", first, articles[0].title if articles else _("Topics")),
        ]
        toc = [
            NavItem(_("Title page"), "titlepage.xhtml"),
            *([NavItem(_("What's new in this edition"), "whatsnew.xhtml")] if news else []),
            *self.nav,
            NavItem(_("Topics"), "topics.xhtml"),
        ]
        root, found = self.render("nav.xhtml", self.lang, "nav.xhtml", toc=toc, landmarks=landmarks)
        problems += found
        nav = self.add_page("nav", "nav.xhtml", root, "nav") if root is not None else None
        back = [made.get("topics")]
        front = [made.get("cover"), made.get("titlepage"), nav, made.get("whatsnew")]
        self.spine = [item for item in (*front, *chapters, *back) if item is not None]
        self.toc = epubparts.ncx(toc)
        self.book.guide = [
            {"type": "cover", "href": "cover.xhtml", "title": _("Cover")},
            {"type": "toc", "href": "nav.xhtml", "title": _("Table of contents")},
            {"type": "text", "href": first, "title": landmarks[-1][2]},
        ]
        return problems

    def cover_image(self) -> tuple[dict[str, str], list[Problem]]:
        """A generated cover picture (title and clinic on the accent colour) for
        bookshelves; the cover page shows it with its alt text."""
        config = self.config
        _ = self.layouts.gettext(self.lang)
        alt = _("The cover of %(title)s, from %(clinic)s") % {
            "title": config.collection.title,
            "clinic": config.clinic.name,
        }
        lines = textwrap.wrap(config.collection.title, 16) or [""]
        svg, problems = self.layouts.render(
            "cover.svg",
            self.lang,
            alt=alt,
            title_lines=lines,
            title_y=max(120, 420 - 35 * (len(lines) - 1)),
            clinic=config.clinic,
            theme=config.theme,
        )
        try:
            xhtml.parse(svg)
        except etree.XMLSyntaxError as exc:
            message = f"the layout 'cover.svg' does not make well-formed SVG: {exc}"
            problems.append(error(self._where("cover.svg"), exc.lineno or 1, "E701", message))
        if problems:
            return {"cover_image": "", "cover_alt": ""}, problems
        item = epub.EpubItem(
            uid="cover-image",
            file_name="cover.svg",
            media_type="image/svg+xml",
            content=xhtml.clean(svg).encode(),
        )
        item.properties = ["cover-image"]
        self.book.add_item(item)
        return {"cover_image": "cover.svg", "cover_alt": alt}, []

    def add_files(self, media: dict[str, bytes]) -> list[Problem]:
        """The stylesheet, the font and the images."""
        css, problems = self.layouts.render("ebook.css", self.lang, theme=self.config.theme)
        files = [("css", "css/ebook.css", "text/css", css.encode("utf-8"))]
        for number, (name, data) in enumerate(epubparts.fonts().items(), 1):
            files.append((f"font-{number}", name, "font/ttf", data))
        for number, (name, data) in enumerate(media.items(), 1):
            kind = epubparts.IMAGE_TYPES[Path(name).suffix.lower()]
            files.append((f"image-{number}", name, kind, data))
        for uid, name, kind, data in files:
            self.book.add_item(
                epub.EpubItem(uid=uid, file_name=name, media_type=kind, content=data)
            )
        return problems

    def write(self, modified: datetime) -> bytes:
        config, book = self.config, self.book
        book.set_identifier(epubparts.book_identifier(config))
        book.set_title(xhtml.clean(config.collection.title))
        book.set_language(self.lang)
        if text_direction(self.lang) == "rtl":
            book.set_direction("rtl")
        book.add_metadata("DC", "publisher", xhtml.clean(config.clinic.name))
        book.add_metadata("DC", "date", self.edition.isoformat())
        for number, name in enumerate(self._creators(), 1):
            book.add_author(xhtml.clean(name), uid=f"creator-{number}")
        book.add_metadata(
            None, "meta", self.edition.isoformat(), {"property": "schema:bookEdition"}
        )
        gettext = self.layouts.gettext(self.lang)
        for prop, value in describe(self.has_images, gettext):
            book.add_metadata(None, "meta", xhtml.clean(value), {"property": prop})
        book.add_item(epub.EpubNcx())
        book.spine = self.spine
        book.toc = self.toc
        buffer = io.BytesIO()
        epub.write_epub(
            buffer,
            book,
            {"mtime": modified, "epub3_landmark": False, "epub3_pages": False},
        )
        return buffer.getvalue()

    def _creators(self) -> list[str]:
        """Every article's authors, each once, in collection order; else the clinic."""
        names = dict.fromkeys(name for a in self.articles for name in a.manuscript.authors)
        return list(names) or [self.config.clinic.name]

    def _where(self, template: str) -> str:
        try:
            return display_path(self.layouts.path(template))
        except FileNotFoundError:
            return template


def whats_new(library: Library) -> dict[str, Any] | None:
    """What the "What's new" page lists, when this edition follows another."""
    edition = library.edition
    if not edition.previous or not edition.changes:
        return None
    present = {a.slug: a for a in library.articles}
    added = [entry(present[s], chapter_name(s)) for s in edition.changes.added if s in present]
    updated = [
        (entry(present[s], chapter_name(s)), present[s].manuscript.updated)
        for s in edition.changes.updated
        if s in present
    ]
    return {"edition": edition, "added": added, "updated": updated,
            "removed": edition.changes.removed}  # fmt: skip
