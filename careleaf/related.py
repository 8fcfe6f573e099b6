"""Related reading: the articles named in ``related``, filled up with the closest others."""

from __future__ import annotations

from collections.abc import Sequence

from careleaf.markup import Article

ENOUGH = 3


def related_articles(article: Article, library: Sequence[Article]) -> tuple[Article, ...]:
    """The editor's choices first, in their order; then, while fewer than three, the
    articles sharing most tags (ties in collection order). Never the article itself
    or a duplicate; never empty while the library holds another article."""
    by_slug = {other.slug: other for other in library}
    chosen: list[Article] = []
    for slug in article.manuscript.related:
        other = by_slug.get(slug)
        if other is not None and other.slug != article.slug and other not in chosen:
            chosen.append(other)
    if len(chosen) >= ENOUGH:
        return tuple(chosen)
    tags = set(article.manuscript.tags)
    others = [other for other in library if other.slug != article.slug and other not in chosen]
    ranked = sorted(
        enumerate(others),
        key=lambda pair: (-len(tags & set(pair[1].manuscript.tags)), pair[0]),
    )
    for _, other in ranked[: ENOUGH - len(chosen)]:
        chosen.append(other)
    return tuple(chosen)
