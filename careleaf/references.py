"""A leaflet's reference: the clinic's own code for it, printed in every page's footer
with its version ("Leaflet RCC-042, version 3"), so that a patient, a nurse or the
print room can tell which leaflet, and which edition of it, is in their hands.

The front matter gives it (``reference: RCC-042``); without one the article's slug is
its reference (``blood-test``): unique and stable, as a reference must be. A reference
is letters, digits, spaces and ``- . / _``, up to 40 characters, starting and ending
with a letter or digit (M140), and no two published articles share one (M141). The
version is the article's version in the collection's edition (``careleaf.versions``:
1, then one more each time its content changes).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from careleaf.problems import Problem, error

if TYPE_CHECKING:
    from careleaf.fields import Fields
    from careleaf.records import Manuscript

_REFERENCE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9 ./_-]{0,38}[A-Za-z0-9])?")


def read_reference(fields: Fields) -> str:
    """The ``reference`` of the front matter ("" when there is none, or it is wrong)."""
    value = fields.data.get("reference")
    if value is None:
        return ""
    text = (
        str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
    )
    if not _REFERENCE.fullmatch(text):
        shown = text if text else repr(value)
        fields.report(
            "reference",
            "M140",
            f"the reference '{shown[:60]}' is not a leaflet code careleaf prints",
            hint="use letters, digits, spaces and - . / _ (up to 40), e.g. 'reference: RCC-042'",
        )
        return ""
    return text


def printed_reference(manuscript: Manuscript) -> str:
    """What the leaflet prints as its reference: the front matter's, else the slug."""
    return manuscript.reference or manuscript.slug


def duplicate_references(
    manuscripts: Sequence[Manuscript], order: Callable[[Manuscript], tuple[bool, bool, Path]]
) -> list[Problem]:
    """M141 for a published article whose reference another one already has (drafts may
    share one: a draft is often the next version of a leaflet)."""
    problems: list[Problem] = []
    first: dict[str, Manuscript] = {}
    for manuscript in sorted((m for m in manuscripts if not m.draft), key=order):
        reference = printed_reference(manuscript).casefold()
        other = first.setdefault(reference, manuscript)
        if other is not manuscript:
            problems.append(
                error(
                    manuscript.path,
                    manuscript.line_of("reference"),
                    "M141",
                    f"the reference '{printed_reference(manuscript)}' is already used by "
                    f"{other.path.name}",
                    hint="give each leaflet its own 'reference:'",
                )
            )
    return problems
