"""Slugs: an article's name in web addresses and file names (``a-z``, ``0-9``, hyphens).

The ``slug:`` of the front matter, else the file name; a file name that is not a slug
already (spaces, capitals, accents, other scripts) is made into one, with a warning.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from anyascii import anyascii

from careleaf.fields import Fields
from careleaf.problems import warning

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
RESERVED_SLUGS = frozenset({"index"})  # html/index.html is the contents page


def slug_from_name(name: str) -> str:
    """A slug made from a file name: 'Wound Care' -> 'wound-care', 'Vacuna Gripe Niños' ->
    'vacuna-gripe-ninos'; other scripts are written in Latin letters (anyascii), so an
    Arabic name gives a slug that can be read aloud; '' when nothing is left."""
    latin = re.sub(r"['`]", "", anyascii(unicodedata.normalize("NFC", name)))
    return re.sub(r"[^a-z0-9]+", "-", latin.lower()).strip("-")


def article_slug(fields: Fields, path: Path) -> str:
    """The ``slug:`` written in the front matter, else one made from the file name."""
    given = fields.text("slug")
    slug = given or path.stem
    if not given and not SLUG.fullmatch(slug):
        made = slug_from_name(slug)
        if not made:
            fields.report(
                "slug",
                "M105",
                f"the file name '{path.name}' has no letters or "
                "digits to make the article's slug from",
                hint="rename the file, e.g. 'flu-vaccine.md', or add a line 'slug: flu-vaccine'",
            )
            return slug
        fields.problems.append(
            warning(
                path,
                1,
                "M115",
                f"the file name '{path.name}' is not a plain web name (a-z, 0-9 and "
                f"hyphens), so the article's name in web addresses and file names is '{made}'",
                hint=f"rename the file to '{made}.md', or add a line 'slug: {made}'",
            )
        )
        slug = made
    if slug in RESERVED_SLUGS:
        fields.report(
            "slug",
            "M105",
            f"the slug '{slug}' is kept for the contents page",
            hint="add a line 'slug: another-name'",
        )
    elif not SLUG.fullmatch(slug):
        fields.report(
            "slug",
            "M105",
            f"the slug '{slug}' may hold only a-z, 0-9 and single hyphens",
            hint=f"write it as 'slug: {slug_from_name(slug) or 'my-article'}'",
        )
    return slug
