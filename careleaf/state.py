"""What the last build wrote, and from what: ``output/.careleaf/state.json``.

For every output file careleaf wrote: the digest of everything it was made from
(the task's inputs: data, careleaf's code, the libraries that render it), the
digest, size and time of the bytes it wrote, the article it belongs to, and what
its task reported (pages, log lines), so that a build can skip a task whose inputs
have not changed and whose file is still the one careleaf wrote, and still report
exactly what a fresh build would. A damaged or edited state file is no state: the
next build makes everything again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from careleaf.codec import decode, encode

FORMAT = 1


@dataclass(frozen=True)
class Made:
    """One output file as careleaf wrote it."""

    sha256: str
    size: int
    mtime_ns: int
    digest: str  # of the inputs it was made from
    article: str = ""  # the slug of the article it belongs to ("" for the collection)
    info: Mapping[str, Any] = field(default_factory=dict)
    logs: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class State:
    files: Mapping[str, Made] = field(default_factory=dict)
    format: int = FORMAT

    @classmethod
    def load(cls, path: Path) -> State:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            state = decode(cls, data)
        except (OSError, ValueError, UnicodeDecodeError, RecursionError):
            return cls()
        return state if isinstance(state, cls) and state.format == FORMAT else cls()

    def to_bytes(self) -> bytes:
        return (
            json.dumps(encode(self), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        ).encode()

    def intact(self, folder: Path, name: str, digest: str) -> Made | None:
        """The record of ``name`` when it was made from ``digest`` and its file is still
        the one careleaf wrote (same size and time, or failing that the same bytes)."""
        made = self.files.get(name)
        if made is None or made.digest != digest:
            return None
        try:
            status = (folder / name).lstat()
        except (OSError, ValueError):
            return None
        if not os.path.isfile(folder / name) or (folder / name).is_symlink():
            return None
        if status.st_size == made.size and status.st_mtime_ns == made.mtime_ns:
            return made
        if status.st_size == made.size and file_digest(folder / name) == made.sha256:
            return made
        return None


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
