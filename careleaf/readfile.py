"""Reading a manuscript file safely: only a regular file, only up to a size, only UTF-8.

A manuscripts folder can hold anything: a folder or a pipe named ``x.md``, a link to
nothing, a file nobody may read, a 50 MB export. Each is a problem, never a traceback
or a hang.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from careleaf.problems import Problem, error


def read_text(path: Path, max_bytes: int) -> tuple[str | None, list[Problem]]:
    """The file's text (UTF-8, with or without a byte-order mark; any line endings made
    '\\n'), or None and the problem that keeps it from being read. Only a regular file
    is opened (never a folder, a pipe or a device), and only up to ``max_bytes``."""
    raw, problems = read_bytes(path, max_bytes)
    if raw is None:
        return None, problems
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            error(
                path,
                line,
                "M109",
                "this file is not UTF-8 text",
                hint="save it as UTF-8 in your editor",
            )
        ]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def read_bytes(path: Path, max_bytes: int) -> tuple[bytes | None, list[Problem]]:
    """The file's bytes, or None and the problem that keeps it from being read (only a
    regular file, only up to ``max_bytes``)."""
    try:
        info = os.stat(path)
    except OSError as exc:
        reason = "it is a link to nothing" if path.is_symlink() else exc.strerror
        return None, [_unreadable(path, reason or "it cannot be opened")]
    if not stat.S_ISREG(info.st_mode):
        what = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        return None, [_unreadable(path, f"it is {what}")]
    if info.st_size > max_bytes:
        return None, [_too_large(path, info.st_size, max_bytes)]
    try:
        with open(path, "rb") as file:
            raw = file.read(max_bytes + 1)
    except OSError as exc:
        return None, [_unreadable(path, exc.strerror or "it cannot be opened")]
    if len(raw) > max_bytes:  # it grew since
        return None, [_too_large(path, len(raw), max_bytes)]
    return raw, []


def _unreadable(path: Path, reason: str) -> Problem:
    return error(
        path,
        1,
        "M126",
        f"this manuscript cannot be read: {reason}",
        hint="make it a plain .md file that you can open, or move it away",
    )


def _too_large(path: Path, size: int, max_bytes: int) -> Problem:
    return error(
        path,
        1,
        "M120",
        f"this manuscript is {size // 1024} KB; careleaf reads manuscripts up to "
        f"{max_bytes // 1024} KB",
        hint="split it into several articles, or raise [limits] manuscript_kb in careleaf.toml",
    )
