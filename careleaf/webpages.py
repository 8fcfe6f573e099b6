"""The web edition's pages, rendered from the layouts: ``article.html``, ``index.html``,
``topic.html`` and ``style.css``; and its other files (the search index and script,
the font licence, the sitemap).

``Site`` is what every page of one build shares (topics, translations, the sizes of
the files to download); ``ArticlePage`` what one article's page shows besides the
article. Each has a ``key``: the JSON of what it holds, part of its job's digest, so
that a page is made again exactly when something it shows changed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from html import escape, unescape
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from careleaf.colour import dark_accent
from careleaf.downloads import DOWNLOADS, Download, downloads
from careleaf.i18n import babel_locale, translations
from careleaf.records import Article, text_direction
from careleaf.translations import translation_groups
from careleaf.typography import keep_together
from careleaf.web import Entry, Topic, entry, page_name, tag_groups, topics
from careleaf.webmeta import (
    CSP,
    Alternate,
    Meta,
    SitemapEntry,
    address,
    article_meta,
    collection_meta,
    sitemap,
)
from careleaf.websearch import search_index

if TYPE_CHECKING:
    from careleaf.engine import Built, Outcome
    from careleaf.library import Library

_TABLE = re.compile(r"<(/?)table\b[^>]*>", re.IGNORECASE)
_CAPTION = re.compile(r"\s*<caption\b[^>]*>(.*?)</caption>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Translation:
    """The same article in another language, as a link on the page."""

    title: str
    lang: str
    dir: str
    href: str
    language: str  # the language's name in itself: 'Español', 'العربية'


@dataclass(frozen=True, eq=False)
class Site:
    library: Library
    sizes: Mapping[str, int]  # the size of every file made or kept so far
    topics: Mapping[str, Topic]  # tag -> its page
    tagged: Mapping[str, Sequence[Article]]  # tag -> its articles
    groups: Mapping[str, tuple[str, ...]]  # slug -> its translations' slugs (itself too)
    book: str  # the e-book's file name, without .epub
    pages: Mapping[str, int | None]  # the pages of the files shown with them (braille)

    @classmethod
    def of(cls, library: Library, built: Built) -> Site:
        from careleaf.epubparts import file_slug

        groups = translation_groups([a.manuscript for a in library.articles])
        tagged = {tag: group for tag, group in tag_groups(library.articles) if tag}
        found = topics(library.articles, library.config.collection.language)
        names = [kind.output.format(slug=article.slug) for kind in DOWNLOADS if kind.counted
                 for article in library.articles]  # fmt: skip
        pages = {name: built.info(name).get("pages") for name in names}
        return cls(library, dict(built.sizes), found, tagged, groups,
                   file_slug(library.config)[0], pages)  # fmt: skip

    def entries(self, articles: Sequence[Article]) -> list[Entry]:
        return [
            entry(a, page_name(a.slug), tuple(self.topics[t] for t in a.manuscript.tags))
            for a in articles
        ]

    def entry_keys(self, articles: Sequence[Article]) -> list[Any]:
        return [asdict(e) for e in self.entries(articles)]

    def downloads(self, slug: str | None, lang: str, prefix: str) -> list[Download]:
        names = {"book": self.book} | ({"slug": slug} if slug else {})
        kinds = DOWNLOADS if slug else [k for k in DOWNLOADS if k.collection]
        translated = translations(lang, self.library.layouts.locales)
        return downloads(kinds, names, self.sizes.get, prefix, lang, translated, self.pages.get)

    def index_key(self) -> str:
        lang = self.library.config.collection.language
        return json.dumps([self.entry_keys(self.library.articles),
                           [asdict(d) for d in self.downloads(None, lang, "../")]])  # fmt: skip


@dataclass(frozen=True)
class ArticlePage:
    article: Article
    related: tuple[Entry, ...]
    translations: tuple[Translation, ...]
    alternates: tuple[Alternate, ...]
    downloads: tuple[Download, ...]
    topics: tuple[Topic, ...]

    @classmethod
    def of(cls, site: Site, article: Article) -> ArticlePage:
        library, config = site.library, site.library.config
        related = tuple(entry(a, page_name(a.slug)) for a in library.related_to(article))
        group = [library.article(slug) for slug in site.groups.get(article.slug, ())]
        translations = tuple(
            Translation(o.title, o.lang, o.direction, page_name(o.slug), _language_name(o.lang))
            for o in group
            if o.slug != article.slug
        )
        alternates = tuple(
            Alternate(o.lang, address(config, page_name(o.slug)) or page_name(o.slug))
            for o in group
        )
        found = site.downloads(article.slug, article.lang, "../")
        tags = tuple(site.topics[t] for t in article.manuscript.tags)
        return cls(article, related, translations, alternates, tuple(found), tags)

    def key(self) -> str:
        """What the page shows besides its article's own content (its digest has that)."""
        return json.dumps([[asdict(e) for e in self.related],
                           [asdict(t) for t in self.translations],
                           [asdict(a) for a in self.alternates],
                           [asdict(d) for d in self.downloads],
                           [asdict(t) for t in self.topics]])  # fmt: skip


def _language_name(lang: str) -> str:
    name = babel_locale(lang).get_language_name() or lang
    return name[:1].upper() + name[1:]


def common(library: Library, prefix: str, meta: Meta, **more: Any) -> dict[str, Any]:
    """What every page's layout is given (``prefix``: from the page to ``html/``)."""
    config = library.config
    return {
        "clinic": config.clinic,
        "collection": config.collection,
        "css": f"{prefix}style.css",
        "home": f"{prefix}index.html",
        "prefix": prefix,
        "csp": CSP,
        "meta": meta,
        "scripts": (),
        "page_class": "",
    } | more


def scroll_tables(body: str, label: Callable[[int], str]) -> str:
    """Each table of ``body`` inside a region that scrolls sideways on a narrow screen,
    named by the table's caption (else 'Table 1'), which the keyboard can reach."""
    parts: list[str] = []
    depth = last = number = 0
    for match in _TABLE.finditer(body):
        if not match.group(1):
            if depth == 0:
                number += 1
                caption = _CAPTION.match(body, match.end())
                name = unescape(_TAG.sub("", caption.group(1))).strip() if caption else ""
                parts += [body[last : match.start()],
                          f'<div class="table-scroll" role="region" aria-label="'
                          f'{escape(name or label(number))}" tabindex="0">\n']  # fmt: skip
                last = match.start()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                parts += [body[last : match.end()], "\n</div>"]
                last = match.end()
    return "".join([*parts, body[last:]])


def _outcome(name: str, text: str, found: list[Any]) -> Outcome:
    from careleaf.engine import Outcome

    return Outcome(((name, text.encode("utf-8")),) if not found else (), problems=tuple(found))


def article_page(site: Site, page: ArticlePage) -> Outcome:
    library, article = site.library, page.article
    gettext = library.layouts.gettext(article.lang)
    body = scroll_tables(
        keep_together(article.body, article.lang),
        lambda n: gettext("Table %(number)s") % {"number": n},
    )
    name = page_name(article.slug)
    meta = article_meta(article, library.config, name, page.alternates)
    html, found = library.layouts.render(
        "article.html", article.lang, article=article, m=article.manuscript,
        body=Markup(body), related=list(page.related), translations=list(page.translations),
        downloads=list(page.downloads), topics=list(page.topics), dir=article.direction,
        **common(library, "", meta),
    )  # fmt: skip
    return _outcome(f"html/{name}", html, found)


def index_page(site: Site) -> Outcome:
    library = site.library
    lang = library.config.collection.language
    listed = [(topic, len(site.tagged[tag])) for tag, topic in site.topics.items()]
    html, found = library.layouts.render(
        "index.html", lang, entries=site.entries(library.articles), topics=listed,
        downloads=site.downloads(None, lang, "../"), dir=text_direction(lang), level=3,
        **common(library, "", collection_meta(library.config, "index.html"),
                 scripts=("search-index.js", "search.js")),
    )  # fmt: skip
    return _outcome("html/index.html", html, found)


def topic_page(site: Site, tag: str) -> Outcome:
    library, topic = site.library, site.topics[tag]
    lang = library.config.collection.language
    html, found = library.layouts.render(
        "topic.html", lang, topic=topic, entries=site.entries(site.tagged[tag]),
        dir=text_direction(lang), level=2,
        **common(library, "../", collection_meta(library.config, topic.href)),
    )  # fmt: skip
    return _outcome(f"html/{topic.href}", html, found)


def stylesheet(site: Site) -> Outcome:
    library = site.library
    theme = library.config.theme
    css, found = library.layouts.render(
        "style.css", library.config.collection.language, theme=theme,
        dark_accent=dark_accent(theme.accent),
    )  # fmt: skip
    return _outcome("html/style.css", css, found)


def static_files(site: Site) -> dict[str, bytes]:
    """The search index and script, the font's licence, and (with a base_url) the sitemap."""
    from careleaf import webfonts

    library = site.library
    files = {
        "html/search-index.js": search_index(library.articles),
        "html/search.js": library.layouts.path("search.js").read_bytes(),
        f"html/fonts/{webfonts.LICENCE}": webfonts.licence(),
    }
    config = library.config
    if config.collection.base_url:
        pages = [SitemapEntry("index.html")]
        for article in library.articles:
            group = [library.article(slug) for slug in site.groups.get(article.slug, ())]
            alternates = tuple(Alternate(o.lang, address(config, page_name(o.slug)))
                               for o in group)  # fmt: skip
            pages.append(
                SitemapEntry(page_name(article.slug), article.manuscript.last_changed, alternates)
            )
        pages += [SitemapEntry(topic.href) for topic in site.topics.values()]
        files["html/sitemap.xml"] = sitemap(config, pages)
    return files
