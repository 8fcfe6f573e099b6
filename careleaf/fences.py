"""The lines of a Markdown source that are not inside fenced code (```` ``` ```` or
``~~~``): where a heading or a callout can start."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

_FENCE = re.compile(r"(`{3,}|~{3,})")


def unfenced(lines: Sequence[str]) -> Iterator[tuple[int, str]]:
    """(index, line) of every line outside fenced code (the fence lines left out)."""
    fence = ""
    for index, line in enumerate(lines):
        stripped = line.strip()
        opening = _FENCE.match(stripped)
        if fence:
            fence = "" if stripped.startswith(fence) else fence
        elif opening:
            fence = opening.group(1)
        else:
            yield index, line
