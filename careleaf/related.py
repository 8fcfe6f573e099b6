"""Related reading: the articles named in ``related``, filled up with the closest others.

"Closest" means most shared tags first and then most similar text: the cosine of
the articles' word weights (TF-IDF over the library, so that words every article
uses count for little). Ties go to collection order, so the choice is deterministic.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from careleaf.records import Article

ENOUGH = 3
_WORD = re.compile(r"\w{3,}")


def related_articles(article: Article, library: Sequence[Article]) -> tuple[Article, ...]:
    """The editor's choices first, in their order; then, while fewer than three, the
    articles sharing most tags, then with the most similar text (ties in collection
    order). Never the article itself or a duplicate; never empty while the library
    holds another article."""
    by_slug = {other.slug: other for other in library}
    chosen: list[Article] = []
    for slug in article.manuscript.related:
        other = by_slug.get(slug)
        if other is not None and other.slug != article.slug and other not in chosen:
            chosen.append(other)
    if len(chosen) >= ENOUGH:
        return tuple(chosen)
    tags = set(article.manuscript.tags)
    vectors = _vectors(tuple(library))
    mine = vectors.get(article.slug, {})
    taken = {a.slug for a in chosen} | {article.slug}
    ranked = sorted(
        (-len(tags & set(other.manuscript.tags)), -_cosine(mine, vectors[other.slug]), index)
        for index, other in enumerate(library)
        if other.slug not in taken
    )
    for _, _, index in ranked[: ENOUGH - len(chosen)]:
        chosen.append(library[index])
    return tuple(chosen)


def words(article: Article) -> Counter[str]:
    """The article's words (title, summary, tags and body), lower-cased, three letters or more."""
    m = article.manuscript
    text = " ".join((m.title, m.summary, " ".join(m.tags), article.text))
    return Counter(_WORD.findall(text.casefold()))


@lru_cache(maxsize=4)
def _vectors(library: tuple[Article, ...]) -> dict[str, dict[str, float]]:
    """Each article's TF-IDF weights, normalised to length one."""
    counts = {article.slug: words(article) for article in library}
    documents = Counter(word for count in counts.values() for word in count)
    total = len(counts)
    vectors: dict[str, dict[str, float]] = {}
    for slug, count in counts.items():
        weights = {
            word: (1 + math.log(n)) * math.log((1 + total) / (1 + documents[word]))
            for word, n in sorted(count.items())
        }
        length = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vectors[slug] = {word: w / length for word, w in weights.items() if w}
    return vectors


def _cosine(one: dict[str, float], other: dict[str, float]) -> float:
    """Similarity of two unit vectors, rounded so that ties are ties on every machine."""
    if len(other) < len(one):
        one, other = other, one
    return round(sum(w * other.get(word, 0.0) for word, w in sorted(one.items())), 9)
