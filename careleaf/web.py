"""The web edition: one accessible HTML page per article, an index, the stylesheet."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from careleaf.config import Config
from careleaf.layouts import Layouts
from careleaf.manuscript import text_direction
from careleaf.markup import Article
from careleaf.problems import Problem
from careleaf.related import related_articles

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


def image_files(articles: Sequence[Article], images_root: Path, prefix: str) -> Files:
    """Every picture the articles show, cleaned, under the name its pages use
    (``images/<content digest>.<ext>``): no name comes from a manuscript."""
    files: Files = {}
    for article in articles:
        for image in article.images:
            if image.picture is not None:
                files[prefix + image.picture.src] = image.picture.data
    return files


def tag_groups(articles: Sequence[Article]) -> list[tuple[str, list[Article]]]:
    """Articles grouped by tag (tags in alphabetical order); untagged ones under ''."""
    groups: dict[str, list[Article]] = {}
    for article in articles:
        for tag in article.manuscript.tags or ("",):
            groups.setdefault(tag, []).append(article)
    return sorted(groups.items(), key=lambda item: (item[0] == "", item[0]))


def web_edition(
    articles: Sequence[Article], config: Config, layouts: Layouts, images_root: Path
) -> tuple[Files, list[Problem]]:
    files: Files = {}
    problems: list[Problem] = []
    common = {
        "clinic": config.clinic,
        "collection": config.collection,
        "css": "style.css",
        "home": "index.html",
    }
    for article in articles:
        related = [
            entry(other, page_name(other.slug)) for other in related_articles(article, articles)
        ]
        html, found = layouts.render(
            "article.html",
            article.lang,
            article=article,
            m=article.manuscript,
            body=Markup(article.body),
            related=related,
            dir=article.direction,
            **common,
        )
        problems += found
        files[f"html/{page_name(article.slug)}"] = html.encode("utf-8")
    groups = [
        (tag, [entry(a, page_name(a.slug)) for a in group]) for tag, group in tag_groups(articles)
    ]
    lang = config.collection.language
    html, found = layouts.render(
        "index.html", lang, groups=groups, dir=text_direction(lang), **common
    )
    problems += found
    files["html/index.html"] = html.encode("utf-8")
    css, found = layouts.render("style.css", lang, theme=config.theme)
    problems += found
    files["html/style.css"] = css.encode("utf-8")
    files.update(image_files(articles, images_root, "html/"))
    return files, problems
