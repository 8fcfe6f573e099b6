"""Checks on converted articles: what would make a page hard to use or inaccessible.

Structure and accessibility live here (headings, images, links, language, the
theme's colours); reading level, review dates and library-wide editorial checks
live in ``careleaf.editorial``. Problems found while reading or converting a
manuscript (a missing image file I201, a link to no manuscript I203, an unknown
related slug M107) are not repeated here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from careleaf.config import Config
from careleaf.coverage import article_glyphs, settings_glyphs
from careleaf.editorial import check_library, check_review, check_words, source_line
from careleaf.fontset import font_set
from careleaf.layouts import Layouts
from careleaf.liblouis import language_problems
from careleaf.printsize import sharpness_problems
from careleaf.problems import Problem, error, warning
from careleaf.records import Article, Readability
from careleaf.theme import check_theme
from careleaf.translations import check_translations
from careleaf.web import page_name

ALT_MAX = 250
_VAGUE_ALT = frozenset(
    """
    image picture photo photograph pic img graphic figure icon imagen foto imagem bild
    صورة
    """.split()  # noqa: SIM905
)
_FILE_NAME = re.compile(r"\S+\.(?:png|jpe?g|gif|svg|webp|avif|tiff?|bmp|heic)", re.IGNORECASE)
_VAGUE_LINK = frozenset(
    "click here|click|here|read more|more|learn more|find out more|more info|"  # noqa: SIM905
    "more information|this link|link|this page|this|aquí|haga clic aquí|pulse aquí|"
    "leer más|más información|ici|cliquez ici|lire la suite|en savoir plus|هنا|"
    "اضغط هنا|اقرأ المزيد".split("|")
)
_BARE_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


def _column(article: Article, line: int, needle: str) -> int | None:
    found = source_line(article.manuscript, line).find(needle) if needle else -1
    return found + 1 if found >= 0 else None


def check_headings(article: Article) -> list[Problem]:
    path = article.manuscript.path
    problems: list[Problem] = []
    previous = 1  # the title is the page's h1
    for heading in article.headings:
        if not heading.text:
            problems.append(
                error(
                    path,
                    heading.line,
                    "H402",
                    "this heading has no words",
                    hint="write the heading's text after the '#' signs",
                )
            )
        if heading.level == 1:
            problems.append(
                error(
                    path,
                    heading.line,
                    "H403",
                    f"'# {heading.text}' is a top heading: the title is the only one",
                    hint="start body headings with '##'",
                )
            )
        elif heading.level > previous + 1:
            problems.append(
                error(
                    path,
                    heading.line,
                    "H401",
                    f"heading '{heading.text}' jumps from level {previous} to {heading.level}",
                    hint=f"use {'#' * (previous + 1)} here",
                )
            )
        previous = heading.level
    return problems


def check_images(article: Article) -> list[Problem]:
    path = article.manuscript.path
    problems: list[Problem] = []
    for image in article.images:
        at = source_line(article.manuscript, image.line).find(f"]({image.src}")
        start = source_line(article.manuscript, image.line).rfind("![", 0, max(at, 0))
        column = start + 1 if start >= 0 and at >= 0 else None
        alt = image.alt.strip()
        name = PurePosixPath(unquote(image.src)).name
        if not alt:
            problems.append(
                error(
                    path,
                    image.line,
                    "A501",
                    f"the image '{image.src}' has no alt text",
                    hint="describe the picture in the square brackets: ![what it shows](file)",
                )
            )
        elif (
            alt.casefold().strip(" .") in _VAGUE_ALT
            or _FILE_NAME.fullmatch(alt)
            or alt.casefold() == name.casefold()
            or (alt == PurePosixPath(name).stem and re.search(r"[-_\d]", alt))
        ):
            problems.append(
                warning(
                    path,
                    image.line,
                    "A502",
                    f"the alt text '{alt}' of the image '{image.src}' does not say what it shows",
                    hint="describe what the picture shows, as you would on the phone",
                    column=column,
                )
            )
        elif len(alt) > ALT_MAX:
            problems.append(
                warning(
                    path,
                    image.line,
                    "A503",
                    f"the alt text of the image '{image.src}' is {len(alt)} characters long; "
                    f"screen reader users hear all of it",
                    hint=f"keep it under {ALT_MAX} characters; put details in the text "
                    'or a caption ("title")',
                    column=column,
                )
            )
    return problems


def _ids(article: Article) -> set[str]:
    return set(re.findall(r'\bid="([^"]*)"', article.body))


def check_links(article: Article, pages: dict[str, Article]) -> list[Problem]:
    path = article.manuscript.path
    problems: list[Problem] = []
    for link in article.links:
        column = _column(article, link.line, link.text)
        column = column - 1 if column and column > 1 else column  # the '[' or '<'
        words = re.sub(r"[\s.!?:…]+", " ", link.text.casefold()).strip()
        if words in _VAGUE_LINK:
            problems.append(
                warning(
                    path,
                    link.line,
                    "A504",
                    f"the link text '{link.text}' does not say where the link goes",
                    hint="use words that name the page, e.g. [how to book a test](...)",
                    column=column,
                )
            )
        elif _BARE_URL.fullmatch(link.text.strip()):
            problems.append(
                warning(
                    path,
                    link.line,
                    "A505",
                    f"the link text is a bare web address: '{link.text}'",
                    hint="write what the page is, e.g. [NHS advice on blood tests](https://...)",
                    column=column,
                )
            )
        parts = urlsplit(link.href)
        if parts.scheme or parts.netloc:
            continue
        draft = pages.get(parts.path) if parts.path else None
        if draft is not None and draft.manuscript.draft and not article.manuscript.draft:
            problems.append(
                error(
                    path,
                    link.line,
                    "I203",
                    f"the link points at {draft.manuscript.path.name}, which is a draft and "
                    "is not published, so the link would lead nowhere",
                    hint="remove the link, or publish the draft by removing its line 'draft: true'",
                    column=column,
                )
            )
        if not parts.fragment:
            continue
        target = article if not parts.path else pages.get(parts.path)
        if target is not None and unquote(parts.fragment) not in _ids(target):
            where = "this article" if target is article else f"'{target.title}'"
            problems.append(
                error(
                    path,
                    link.line,
                    "A506",
                    f"the link '{link.href}' points at a section '#{parts.fragment}' that "
                    f"{where} does not have",
                    hint="check the heading's id; ids are the heading's words in lower case, "
                    "joined by '-'",
                    column=column,
                )
            )
    return problems


def _registered(lang: str) -> bool:
    """Whether ``lang`` is a registered BCP 47 tag (langcodes, loaded only when asked)."""
    import langcodes

    return bool(langcodes.tag_is_valid(lang))


def check_language(article: Article) -> list[Problem]:
    lang, manuscript = article.lang, article.manuscript
    if "lang" not in manuscript.key_lines or _registered(lang):
        return []  # a language taken from careleaf.toml is checked there
    return [
        error(
            manuscript.path,
            manuscript.line_of("lang"),
            "A507",
            f"'{lang}' is not a registered language tag, so screen readers cannot pick a voice",
            hint="use a code like 'en', 'es', 'fr', 'ar' or 'en-GB'",
        )
    ]


def check_config_language(config: Config) -> list[Problem]:
    lang = config.collection.language
    if config.path is None or _registered(lang):
        return []
    lines = config.path.read_text(encoding="utf-8-sig").splitlines()
    line = next((n for n, t in enumerate(lines, 1) if re.match(r"\s*language\s*=", t)), 1)
    return [
        error(
            config.path,
            line,
            "A507",
            f"[collection] language '{lang}' is not a registered language tag",
            hint="use a code like 'en', 'es', 'fr', 'ar' or 'en-GB'",
        )
    ]


def check_article(
    article: Article, config: Config, score: Readability | None = None
) -> list[Problem]:
    """The checks that depend on this article alone (and the configuration): what a
    rebuild can take from the last build while the article is unchanged."""
    problems = check_headings(article)
    problems += check_images(article)
    problems += sharpness_problems(article, config.print.paper)
    problems += check_language(article)
    problems += check_words(article, config, score)
    problems += article_glyphs(article, font_set(config.fonts))
    problems += language_problems(article, config.braille.enabled)
    return problems


def check_collection(
    articles: Sequence[Article],
    config: Config,
    today: date,
    layouts: Layouts,
    focus: Path | None = None,
) -> list[Problem]:
    """The checks that depend on the whole library, the day or the layouts (a clash
    between two articles that involves ``focus``, the one file checked, is reported on it)."""
    pages = {page_name(a.slug): a for a in articles}
    problems: list[Problem] = []
    for article in articles:
        problems += check_links(article, pages)
        if article.manuscript.complete:  # its dates wait until its front matter is mended
            problems += check_review(article.manuscript, today, config.checks.overdue_review)
    problems += check_library(articles, focus)
    problems += check_translations([a.manuscript for a in articles])
    problems += check_config_language(config)
    problems += check_theme(config, layouts)
    problems += settings_glyphs(articles, config, layouts)
    return problems


def check_articles(
    articles: Sequence[Article],
    config: Config,
    *,
    today: date | None = None,
    layouts: Layouts | None = None,
    focus: Path | None = None,
) -> list[Problem]:
    """Every check on every article, on the library as a whole, and on the theme."""
    problems: list[Problem] = []
    for article in articles:
        problems += check_article(article, config)
    layouts = layouts or Layouts(config.layouts)
    return problems + check_collection(articles, config, today or date.today(), layouts, focus)
