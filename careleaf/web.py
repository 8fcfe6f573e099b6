"""The web edition: one accessible HTML page per article, an index, the stylesheet and
the images, as an ``Edition`` of the build engine. Pages are cheap to make, so they
are made in the parent; each is a job, made again only when its inputs change. It is
planned once the other editions' tasks have finished, so that a page can link its
article's braille file with the number of pages it has."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from markupsafe import Markup

from careleaf.brailletext import braille_name
from careleaf.fingerprint import digest
from careleaf.manuscript import text_direction
from careleaf.markup import Article

if TYPE_CHECKING:
    from careleaf.engine import Built, Job, Outcome, Plan
    from careleaf.library import Library
    from careleaf.problems import Problem

Files = dict[str, bytes]


@dataclass(frozen=True)
class Entry:
    """How one article is named and linked from another page."""

    title: str
    href: str
    summary: str
    lang: str
    dir: str


def page_name(slug: str) -> str:
    return f"{slug}.html"


def entry(article: Article, href: str) -> Entry:
    return Entry(article.title, href, article.manuscript.summary, article.lang, article.direction)


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


def _common(library: Library) -> dict[str, object]:
    config = library.config
    return {
        "clinic": config.clinic,
        "collection": config.collection,
        "css": "style.css",
        "home": "index.html",
    }


@dataclass(frozen=True)
class Download:
    """A file of the article in another format, linked from its page."""

    href: str
    pages: int


def _page(library: Library, article: Article, braille: Download | None = None) -> Outcome:
    from careleaf.engine import Outcome

    related = [entry(other, page_name(other.slug)) for other in library.related_to(article)]
    html, found = library.layouts.render(
        "article.html",
        article.lang,
        article=article,
        m=article.manuscript,
        body=Markup(article.body),
        related=related,
        dir=article.direction,
        braille=braille,
        **_common(library),
    )
    name = f"html/{page_name(article.slug)}"
    return Outcome(((name, html.encode("utf-8")),) if not found else (), problems=tuple(found))


def _index(library: Library) -> Outcome:
    from careleaf.engine import Outcome

    groups = [
        (tag, [entry(a, page_name(a.slug)) for a in group])
        for tag, group in tag_groups(library.articles)
    ]
    lang = library.config.collection.language
    html, found = library.layouts.render(
        "index.html", lang, groups=groups, dir=text_direction(lang), **_common(library)
    )
    return Outcome(
        (("html/index.html", html.encode("utf-8")),) if not found else (), problems=tuple(found)
    )


def _stylesheet(library: Library) -> Outcome:
    from careleaf.engine import Outcome

    lang = library.config.collection.language
    css, found = library.layouts.render("style.css", lang, theme=library.config.theme)
    return Outcome(
        (("html/style.css", css.encode("utf-8")),) if not found else (), problems=tuple(found)
    )


def _file(name: str, data: bytes) -> Outcome:
    from careleaf.engine import Outcome

    return Outcome(((name, data),))


class WebEdition:
    name = "web"
    final = True  # after the braille files are made: a page says how many pages they have

    def plan(self, library: Library, built: Built) -> Plan:
        from careleaf.engine import Job, Plan

        jobs: list[Job] = []
        context = library.context
        for article in library.articles:
            if not library.wanted(article):
                continue
            related = [(a.slug, a.title, a.lang) for a in library.related_to(article)]
            braille = _braille(built, article.slug)
            inputs = digest(context, "page", library.digests[article.slug], json.dumps(related),
                            repr(braille))  # fmt: skip
            name = f"html/{page_name(article.slug)}"
            make = partial(_page, library, article, braille)
            jobs.append(Job((name,), inputs, make, article.slug))
            for name, data in pictures(article, "html/").items():
                jobs.append(Job((name,), name, partial(_file, name, data), article.slug))
        if library.only is None:
            listing = [(a.slug, a.title, a.manuscript.summary, a.lang, a.manuscript.tags)
                       for a in library.articles]  # fmt: skip
            index = digest(context, "index", json.dumps(listing))
            jobs.append(Job(("html/index.html",), index, partial(_index, library)))
            style = digest(context, "style")
            jobs.append(Job(("html/style.css",), style, partial(_stylesheet, library)))
        return Plan(tuple(_unique(jobs)))

    def problems(self, library: Library, job: Job, outcome: Outcome) -> list[Problem]:
        return []


def _braille(built: Built, slug: str) -> Download | None:
    """The article's braille file, when this build made it (or kept it)."""
    name = braille_name(slug)
    pages = built.info(name).get("pages") if name in built.made else None
    return Download(f"../{name}", pages) if isinstance(pages, int) else None


def _unique(jobs: list[Job]) -> list[Job]:
    """One job per output (two articles may show the same image)."""
    seen: dict[tuple[str, ...], Job] = {}
    for job in jobs:
        seen.setdefault(job.outputs, job)
    return list(seen.values())
