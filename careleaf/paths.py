"""Which output paths careleaf may write: the one place that decides.

Every file careleaf writes is named by careleaf from validated data (a slug, a
content hash, a fixed name), never from text in a manuscript. The writer still
checks each name here as a last line of defence: a relative path of plain
segments (letters, digits, ``.``, ``_``, ``-``; none starting with a dot, so no
``..`` and no hidden files), which, resolved, stays inside the output folder.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

_SEGMENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,150}")
MAX_DEPTH = 8


class UnsafeName(ValueError):
    """An output name careleaf refuses to write."""


def checked_name(name: str) -> str:
    """``name`` if it is a safe output name; ``UnsafeName`` otherwise."""
    parts = name.split("/")
    if not name or len(parts) > MAX_DEPTH or not all(_SEGMENT.fullmatch(p) for p in parts):
        raise UnsafeName(f"careleaf will not write the output name {name!r:.80}")
    return name


def inside(folder: Path, name: str) -> Path:
    """The path of output ``name`` inside ``folder``, once it is known to stay there
    (symbolic links followed: a link inside the output folder cannot lead out of it)."""
    target = folder / PurePosixPath(checked_name(name))
    root = folder.resolve()
    if not target.resolve().is_relative_to(root) or target.resolve() == root:
        raise UnsafeName(f"the output {name!r:.80} would be written outside {folder}")
    return target
