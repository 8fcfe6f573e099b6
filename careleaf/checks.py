"""Checks on converted articles: what would make a page hard to use or inaccessible."""

from __future__ import annotations

from collections.abc import Sequence

from careleaf.config import Config
from careleaf.markup import Article
from careleaf.problems import Problem, error


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
    return [
        error(
            article.manuscript.path,
            image.line,
            "A501",
            f"the image '{image.src}' has no alt text",
            hint="describe the picture in the square brackets: ![what it shows](file)",
        )
        for image in article.images
        if not image.alt.strip()
    ]


def check_articles(articles: Sequence[Article], config: Config) -> list[Problem]:
    problems: list[Problem] = []
    for article in articles:
        problems += check_headings(article)
        problems += check_images(article)
    return problems
