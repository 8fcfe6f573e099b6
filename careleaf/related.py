"""Related reading: the articles named in ``related``, filled up with the closest others.

"Closest" means most shared tags first and then most similar text: the cosine of
the articles' word weights (TF-IDF over the library, so that words every article
uses count for little). Ties go to collection order, so the choice is deterministic.

Worked out once per build for the whole library (``related_reading``): each article's
similarities come from the articles that share a word with it (an inverted index), not
from comparing every pair, so a library of a thousand articles takes a second, not
minutes.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from careleaf.records import Article

ENOUGH = 3
_WORD = re.compile(r"\w{3,}")


def related_reading(library: Sequence[Article]) -> dict[str, tuple[str, ...]]:
    """For each article, the slugs of its related reading: the editor's choices first, in
    their order; then, while fewer than three, the articles sharing most tags, then with
    the most similar text (ties in collection order). Never the article itself or a
    duplicate; never empty while the library holds another article."""
    slugs = [article.slug for article in library]
    index_of = {slug: index for index, slug in enumerate(slugs)}
    vectors = _vectors(library)
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for index, vector in enumerate(vectors):
        for word, weight in vector.items():
            postings[word].append((index, weight))
    tagged: dict[str, list[int]] = defaultdict(list)
    for index, article in enumerate(library):
        for tag in set(article.manuscript.tags):
            tagged[tag].append(index)
    found: dict[str, tuple[str, ...]] = {}
    for index, article in enumerate(library):
        chosen = [
            s
            for s in dict.fromkeys(article.manuscript.related)
            if s in index_of and s != article.slug
        ]
        if len(chosen) < ENOUGH:
            taken = {index_of[s] for s in chosen} | {index}
            shared: Counter[int] = Counter()
            for tag in set(article.manuscript.tags):
                shared.update(tagged[tag])
            similarity: dict[int, float] = defaultdict(float)
            for word, weight in sorted(vectors[index].items()):
                for other, theirs in postings[word]:
                    similarity[other] += weight * theirs
            wanted = ENOUGH - len(chosen)
            candidates = (set(shared) | set(similarity)) - taken
            best = heapq.nsmallest(
                wanted,
                ((-shared[o], -round(similarity.get(o, 0.0), 9), o) for o in candidates),
            )
            picked = [other for _, _, other in best]
            # the rest share nothing with it: the first in collection order
            rest = (o for o in range(len(library)) if o not in taken and o not in candidates)
            picked += [o for o, _ in zip(rest, range(wanted - len(picked)), strict=False)]
            chosen += [slugs[other] for other in picked]
        found[article.slug] = tuple(chosen)
    return found


def related_articles(article: Article, library: Sequence[Article]) -> tuple[Article, ...]:
    """One article's related reading (``related_reading`` for the whole library at once)."""
    by_slug = {other.slug: other for other in library}
    return tuple(by_slug[slug] for slug in related_reading(library)[article.slug])


def words(article: Article) -> Counter[str]:
    """The article's words (title, summary, tags and body), lower-cased, three letters or more."""
    m = article.manuscript
    text = " ".join((m.title, m.summary, " ".join(m.tags), article.text))
    return Counter(_WORD.findall(text.casefold()))


COMMON = 0.5  # a word in more than half of a large library tells little: it is left out


def _vectors(library: Sequence[Article]) -> list[dict[str, float]]:
    """Each article's TF-IDF weights, normalised to length one. Words that weigh nothing
    (in every article) are left out, and in a library of more than 20 articles so are
    words in more than half of them: they say little of what an article is about, and
    would make each article's similarities cost as much as comparing it with all others."""
    counts = [words(article) for article in library]
    documents = Counter(word for count in counts for word in count)
    total = len(counts)
    common = {w for w, n in documents.items() if total > 20 and n > COMMON * total}
    vectors: list[dict[str, float]] = []
    for count in counts:
        weights = {
            word: (1 + math.log(n)) * math.log((1 + total) / (1 + documents[word]))
            for word, n in sorted(count.items())
            if word not in common
        }
        length = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vectors.append({word: w / length for word, w in weights.items() if w})
    return vectors
