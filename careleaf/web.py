"""The web edition: a small website in ``html/``, as an ``Edition`` of the build engine.

One page per article, an index of every article (with a search box that works
offline), a page per topic, the stylesheet, Atkinson Hyperlegible as WOFF2, the
pictures, and with a ``base_url`` a ``sitemap.xml``. Each page links to the files to
download (``careleaf.downloads``): the article's leaflets and the collection's
e-book, with their sizes, and its braille file with its pages. Sizes are known once
those are made, so this edition is planned after the others (``final``); a page is
made again when a size changes.

Where it is published: ``html/`` at ``base_url``, with the output folder's
``leaflets/`` and ``ebook/`` beside it (the pages link to ``../leaflets/``): the
simplest is to publish the whole output folder at ``base_url``'s parent. Pages are
cheap to make, so they are made in the parent; each is a job, made again only when
its inputs change. Rendering is in ``careleaf.webpages``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from careleaf.fingerprint import digest
from careleaf.records import Article

if TYPE_CHECKING:
    from careleaf.engine import Built, Job, Outcome, Plan
    from careleaf.library import Library
    from careleaf.problems import Problem
    from careleaf.webpages import Site

Files = dict[str, bytes]


@dataclass(frozen=True)
class Topic:
    """A tag, as the web edition shows it: a page of its own."""

    name: str
    href: str  # inside html/: topics/<slug>.html
    lang: str = ""  # the language it is written in: that of the first article it tags
    dir: str = "ltr"


@dataclass(frozen=True)
class Entry:
    """How one article is named and linked from another page."""

    title: str
    href: str
    summary: str
    lang: str
    dir: str
    slug: str = ""
    topics: tuple[Topic, ...] = ()


def page_name(slug: str) -> str:
    return f"{slug}.html"


def entry(article: Article, href: str, topics: tuple[Topic, ...] = ()) -> Entry:
    return Entry(
        article.title, href, article.manuscript.summary, article.lang, article.direction,
        article.slug, topics,
    )  # fmt: skip


def pictures(article: Article, prefix: str) -> dict[str, bytes]:
    """Every picture the article shows, cleaned (``careleaf.images``), under the name its
    page uses (``images/<content digest>.<ext>``): no name comes from a manuscript."""
    return {
        prefix + image.picture.src: image.picture.data
        for image in article.images
        if image.picture is not None
    }


def tag_groups(articles: Sequence[Article]) -> list[tuple[str, list[Article]]]:
    """Articles grouped by tag (tags in alphabetical order); untagged ones under ''."""
    groups: dict[str, list[Article]] = {}
    for article in articles:
        for tag in article.manuscript.tags or ("",):
            groups.setdefault(tag, []).append(article)
    return sorted(groups.items(), key=lambda item: (item[0] == "", item[0]))


def topic_name(tag: str, abbreviations: frozenset[str]) -> str:
    """A tag as a heading: its first letter a capital, abbreviations in capitals
    ('hpv vaccine' -> 'HPV vaccine'); tags are kept in lower case (``careleaf.manuscript``)."""
    words = [w.upper() if w.upper() in abbreviations else w for w in tag.split(" ")]
    name = " ".join(words)
    return name[:1].upper() + name[1:]


def _tag_language(tag: str, tagged: Sequence[Article], language: str) -> tuple[str, str]:
    """The language and direction a tag is shown in: a tag in Latin letters is taken to be
    in the collection's language; one in another script (Arabic, Cyrillic...) in the
    language of the first article it tags."""
    import unicodedata

    from careleaf.records import text_direction

    if all(unicodedata.name(c, "").startswith("LATIN") for c in tag if c.isalpha()):
        return language, text_direction(language)
    return tagged[0].lang, tagged[0].direction


def topics(articles: Sequence[Article], language: str = "en") -> dict[str, Topic]:
    """Each tag's topic page, named from the tag ('salud sexual' -> topics/salud-sexual.html);
    ``language``: the collection's."""
    from careleaf.editorial import COMMON_ABBREVIATIONS
    from careleaf.slugs import slug_from_name

    known = COMMON_ABBREVIATIONS.union(*(a.abbreviations for a in articles))

    found: dict[str, Topic] = {}
    used: set[str] = set()
    for tag, tagged in tag_groups(articles):
        if not tag:
            continue
        base = slug_from_name(tag) or "topic"
        name, number = base, 1
        while name in used:
            number += 1
            name = f"{base}-{number}"
        used.add(name)
        lang, direction = _tag_language(tag, tagged, language)
        found[tag] = Topic(topic_name(tag, known), f"topics/{name}.html", lang, direction)
    return found


def _file(name: str, data: bytes) -> Outcome:
    from careleaf.engine import Outcome

    return Outcome(((name, data),))


class WebEdition:
    name = "web"
    final = True  # its pages show the sizes of the leaflets and the e-book

    def plan(self, library: Library, built: Built) -> Plan:
        from careleaf import webpages as pages
        from careleaf.engine import Job, Plan

        site = pages.Site.of(library, built)
        jobs: list[Job] = []
        context = library.context
        for article in library.articles:
            if not library.wanted(article):
                continue
            page = pages.ArticlePage.of(site, article)
            inputs = digest(context, "page", library.digests[article.slug], page.key())
            name = f"html/{page_name(article.slug)}"
            jobs.append(Job((name,), inputs, partial(pages.article_page, site, page), article.slug))
            for name, data in pictures(article, "html/").items():
                jobs.append(Job((name,), name, partial(_file, name, data), article.slug))
        if library.only is None:
            jobs += _collection_jobs(site)
        return Plan(tuple(_unique(jobs)))

    def problems(self, library: Library, job: Job, outcome: Outcome) -> list[Problem]:
        return []


def _collection_jobs(site: Site) -> list[Job]:
    """The index, the topic pages, the stylesheet, scripts, fonts and sitemap."""
    from careleaf import webfonts
    from careleaf import webpages as pages
    from careleaf.engine import Job

    context = site.library.context
    jobs = [
        Job(("html/index.html",), digest(context, "index", site.index_key()),
            partial(pages.index_page, site)),
        Job(("html/style.css",), digest(context, "style"), partial(pages.stylesheet, site)),
    ]  # fmt: skip
    for tag, topic in site.topics.items():
        name = f"html/{topic.href}"
        key = json.dumps([tag, *site.entry_keys(site.tagged[tag])])
        made = partial(pages.topic_page, site, tag)
        jobs.append(Job((name,), digest(context, "topic", key), made))
    for name, data in pages.static_files(site).items():
        jobs.append(Job((name,), digest(context, name, data), partial(_file, name, data)))
    for file_name, weight, style in webfonts.FACES:
        name = f"html/fonts/{file_name}"
        inputs = digest(context, "font", name, webfonts.source_digest())
        jobs.append(Job((name,), inputs, partial(_font, name, weight, style)))
    return jobs


def _font(name: str, weight: int, style: str) -> Outcome:
    from careleaf import webfonts
    from careleaf.engine import Outcome

    return Outcome(((name, webfonts.woff2(weight, style)),))


def _unique(jobs: list[Job]) -> list[Job]:
    """One job per output (two articles may show the same image)."""
    seen: dict[tuple[str, ...], Job] = {}
    for job in jobs:
        seen.setdefault(job.outputs, job)
    return list(seen.values())
