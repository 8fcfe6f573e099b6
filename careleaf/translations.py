"""Translations: the same article in other languages.

An article names its translations in its front matter, ``translations: [gripe-es]``
(other articles' slugs). The link goes both ways and reaches every article linked to
any of them: ``flu`` naming ``gripe-es`` and ``gripe-es`` naming ``grippe-fr`` make
one group of three, and each page of the group links to the others (``hreflang``
links for search engines, and a list of the other languages for readers). A slug that
names no article, the article itself or a draft is W901; two articles of one group
in the same language are W902.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from careleaf.problems import Problem, error
from careleaf.records import Manuscript


def check_translations(manuscripts: Sequence[Manuscript]) -> list[Problem]:
    """Each ``translations`` slug names another published article; one language per group."""
    problems: list[Problem] = []
    by_slug: dict[str, Manuscript] = {}
    for manuscript in manuscripts:
        by_slug.setdefault(manuscript.slug, manuscript)
    for manuscript in manuscripts:
        lines = manuscript.item_lines.get("translations", ())
        for index, slug in enumerate(manuscript.translations):
            where = lines[index] if index < len(lines) else manuscript.line_of("translations")
            other = by_slug.get(slug)
            reason = ""
            if slug == manuscript.slug:
                reason = f"translations slug '{slug}' is this article itself"
            elif other is None:
                reason = f"translations slug '{slug}' names no article in the library"
            elif other.draft and not manuscript.draft:
                reason = (
                    f"translations slug '{slug}' names a draft ({other.path.name}), "
                    "which is not published"
                )
            if reason:
                known = ", ".join(sorted(s for s in by_slug if s != manuscript.slug)) or "none"
                problems.append(error(manuscript.path, where, "W901", reason,
                                      hint=f"name the slug of the same article in another "
                                      f"language (known slugs: {known})"))  # fmt: skip
    published = [m for m in by_slug.values() if not m.draft]
    for group in _groups(published).values():
        problems += _same_language(group)
    return problems


def _same_language(group: Sequence[Manuscript]) -> list[Problem]:
    """Two articles of one group in one language: blamed on the later one (by slug)."""
    problems: list[Problem] = []
    seen: dict[str, Manuscript] = {}
    for manuscript in sorted(group, key=lambda m: m.slug):
        language = manuscript.lang.lower()
        first = seen.setdefault(language, manuscript)
        if first is not manuscript:
            problems.append(
                error(
                    manuscript.path,
                    manuscript.line_of("translations") if manuscript.translations else 1,
                    "W902",
                    f"this article and its translation {first.path.name} are both in "
                    f"'{manuscript.lang}'",
                    hint="translations are the same article in other languages: take it out "
                    "of 'translations', or set the right 'lang:'",
                )
            )
    return problems


def _groups(manuscripts: Sequence[Manuscript]) -> dict[str, list[Manuscript]]:
    """Articles linked by ``translations`` (either way, at any distance), by the slug
    that stands for their group; an article with no translation is in no group."""
    by_slug = {m.slug: m for m in manuscripts}
    parent = {slug: slug for slug in by_slug}

    def root(slug: str) -> str:
        while parent[slug] != slug:
            parent[slug] = parent[parent[slug]]
            slug = parent[slug]
        return slug

    for manuscript in manuscripts:
        for other in manuscript.translations:
            if other in by_slug and other != manuscript.slug:
                parent[root(other)] = root(manuscript.slug)
    groups: dict[str, list[Manuscript]] = {}
    for slug, manuscript in by_slug.items():
        groups.setdefault(root(slug), []).append(manuscript)
    return {key: group for key, group in groups.items() if len(group) > 1}


def translation_groups(manuscripts: Sequence[Manuscript]) -> Mapping[str, tuple[str, ...]]:
    """For each published article that has translations: the slugs of its group, itself
    included, ordered by language tag."""
    found: dict[str, tuple[str, ...]] = {}
    for group in _groups([m for m in manuscripts if not m.draft]).values():
        slugs = tuple(m.slug for m in sorted(group, key=lambda m: (m.lang.lower(), m.slug)))
        found.update(dict.fromkeys(slugs, slugs))
    return found
