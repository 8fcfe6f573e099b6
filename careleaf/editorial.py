"""Editorial checks: reading level, long sentences, capitals, review dates, the library.

These are what an editor fixes in the words, not in the markup: an article that
reads above the target school grade (``[checks] reading_grade``, default 8),
sentences over 30 words, words in ALL CAPITALS, a review date that has passed
or is near, an article without a summary or without any text, two titles alike.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from careleaf.config import Config
from careleaf.manuscript import blame_order
from careleaf.problems import Problem, Severity, error, plural, problem, warning
from careleaf.readability import WORD, Block, blocks, measure, sentences
from careleaf.records import Article, Manuscript, Readability

LONG_SENTENCE = 30  # words
REVIEW_NOTICE = 60  # days before review_due that a warning is given
# Abbreviations patients meet everywhere; an article's own (*[ABC]: ...) are exempt too.
COMMON_ABBREVIATIONS = frozenset(
    """
    A&E ACE ADHD AED AIDS EE UU AM BMI BP CDC CFS COPD COVID CPR CT DNA DNI ECG EEG EKG ENT ER
    EU FAQ FDA GERD GI GP HDL HIV HPV IBS ICU ID INR IST ITS IUD IV LDL ME MMR MRI MS NB
    NHS NICE NSAID OCD OK OMS OTC PC PDF PET PIN PM PS PSA PTSD RNA RSV SAMU SIDA SMS
    SPF SSRI STD STI TB TSH TV UCI UK UN URL US USA USB UTI UV UVA UVB VIH VPH WHO
    """.split()  # noqa: SIM905
)
_ROMAN = re.compile(r"[IVXLC]+")


def source_line(manuscript: Manuscript, line: int) -> str:
    """The text of file line ``line`` when it is in the body, else ''."""
    lines = manuscript.body.split("\n")
    index = line - manuscript.body_line
    return lines[index] if 0 <= index < len(lines) else ""


def quote(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def check_readability(
    article: Article, target: int, score: Readability | None = None
) -> list[Problem]:
    manuscript = article.manuscript
    path = manuscript.path
    problems: list[Problem] = []
    found = sentences(manuscript)
    for sentence in found:
        if sentence.words > LONG_SENTENCE:
            problems.append(
                warning(
                    path,
                    sentence.line,
                    "R802",
                    f"this sentence has {sentence.words} words: '{quote(sentence.text)}'",
                    hint="split it into sentences of 15 to 20 words",
                    column=sentence.column,
                )
            )
    score = score or measure(manuscript, target)
    if not score.too_hard(target):
        return problems
    if score.ease is not None:
        measured = (
            f"has a reading ease of {score.ease:.1f} ({score.formula}); grade {target} "
            f"needs {score.minimum_ease:.0f} or more"
        )
    else:
        scores = f"{score.formula} {score.grade:.1f}"
        if score.smog is not None:
            scores += f", SMOG grade {score.smog:.1f}"
        measured = f"reads above the target of grade {target} ({scores})"
    longest = sorted(found, key=lambda s: (-s.words, s.line))[:3]
    named = "; ".join(f"line {s.line} ({plural(s.words, 'word')})" for s in longest)
    lines = manuscript.body.split("\n")
    first = next((i for i, text in enumerate(lines) if text.strip()), 0)
    problems.append(
        warning(
            path,
            manuscript.body_line + first,
            "R801",
            f"this article {measured}; its longest sentences: {named}",
            hint="use shorter sentences and everyday words",
        )
    )
    return problems


def _shouting(word: str, exempt: frozenset[str]) -> bool:
    letters = [c for c in word if c.isalpha()]
    return (
        len(letters) >= 2
        and word.isupper()
        and not any(c.isdigit() for c in word)
        and word not in exempt
        and not _ROMAN.fullmatch(word)
    )


def check_capitals(article: Article, found: list[Block]) -> list[Problem]:
    """Words in ALL CAPITALS (runs of them reported once), except known abbreviations."""
    exempt = COMMON_ABBREVIATIONS | frozenset(article.abbreviations)
    problems: list[Problem] = []
    for block in found:
        for piece in block.pieces:
            words = list(WORD.finditer(piece.text))
            run: list[str] = []
            cursor = 0  # where in the source line to look for the next run
            for index, match in enumerate(words):
                if _shouting(match.group(0), exempt):
                    run.append(match.group(0))
                following = words[index + 1] if index + 1 < len(words) else None
                if run and (following is None or not _shouting(following.group(0), exempt)):
                    pattern = re.compile(rf"(?<!\w){re.escape(run[0])}(?!\w)")
                    at = pattern.search(piece.raw, cursor) or pattern.search(piece.raw)
                    cursor = at.end() if at else cursor
                    problems.append(
                        warning(
                            article.manuscript.path,
                            piece.line,
                            "R803",
                            f"'{' '.join(run)}' is written in capitals, which is harder to "
                            "read and sounds like shouting",
                            hint="write it in ordinary letters; use **bold** to stress a word",
                            column=at.start() + 1 if at else None,
                        )
                    )
                    run = []
    return problems


def check_review(manuscript: Manuscript, today: date, overdue: str = "error") -> list[Problem]:
    due = manuscript.review_due
    days = (due - today).days
    key = next((k for k in ("review_due", "updated", "published") if k in manuscript.key_lines), "")
    line = manuscript.line_of(key) if key else 1
    if days < 0:
        return [
            problem(
                Severity(overdue),
                manuscript.path,
                line,
                "R804",
                f"the review date {due.isoformat()} passed {plural(-days, 'day')} "
                "ago: the article must be reviewed before it is printed again",
                hint="have it checked, then set 'updated:' and a new 'review_due:'",
            )
        ]
    if days <= REVIEW_NOTICE:
        return [
            warning(
                manuscript.path,
                line,
                "R805",
                f"the review is due on {due.isoformat()}, in {plural(days, 'day')}",
                hint="plan the review now so that the leaflet stays current",
            )
        ]
    return []


def check_editorial(article: Article, config: Config, today: date) -> list[Problem]:
    review = check_review(article.manuscript, today, config.checks.overdue_review)
    return (review if article.manuscript.complete else []) + check_words(article, config)


def check_words(
    article: Article, config: Config, score: Readability | None = None
) -> list[Problem]:
    """What the editor fixes in the words (all but the review date, which depends on the day)."""
    manuscript = article.manuscript
    problems: list[Problem] = []
    # The summary of a front matter with errors waits until it is mended.
    if manuscript.complete and not manuscript.summary:
        problems.append(
            warning(
                manuscript.path,
                1,
                "R807",
                "this article has no summary; lists and the e-book show it under the title",
                hint="add a line 'summary: ...' with one plain sentence about the article",
            )
        )
    heading_words = sum(len(heading.text.split()) for heading in article.headings)
    if article.word_count <= heading_words and not article.images:  # nothing but headings
        problems.append(
            error(
                manuscript.path,
                manuscript.body_line,
                "R808",
                "this article has no text below the front matter",
                hint="write the article below the second '---' line",
            )
        )
        return problems
    problems += check_readability(article, config.checks.reading_grade, score)
    problems += check_capitals(article, blocks(manuscript))
    return problems


def check_library(articles: Sequence[Article], focus: Path | None = None) -> list[Problem]:
    """Two articles with the same title (slugs are checked when manuscripts are read)."""
    problems: list[Problem] = []
    first: dict[str, Article] = {}
    order = blame_order(focus)
    for article in sorted(articles, key=lambda a: order(a.manuscript)):
        if not article.manuscript.complete:
            continue
        other = first.setdefault(article.title.casefold().strip(), article)
        if other is not article:
            problems.append(
                error(
                    article.manuscript.path,
                    article.manuscript.line_of("title"),
                    "R806",
                    f"the title '{article.title}' is already used by {other.manuscript.path.name}",
                    hint="give each article its own title, so that patients can tell them apart",
                )
            )
    return problems
