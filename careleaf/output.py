"""Writing outputs safely: all or nothing per file, and only what changed.

Every stage returns its files in memory (``{relative path: bytes}``); nothing is
written until the whole build has succeeded. Each file is written to a temporary
name beside it and moved into place, so an interrupted build leaves each output
either as it was or as it should be, never half written. Files careleaf wrote
before that the build no longer makes (an article removed) are taken away.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from careleaf.problems import Problem, error

MANIFEST = ".careleaf-files"


@dataclass(frozen=True)
class WriteResult:
    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]


def replace_file(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def write_outputs(
    files: Mapping[str, bytes], output: Path, *, keep_others: bool = False
) -> tuple[WriteResult, list[Problem]]:
    """Write ``files``; those of the last build that it no longer makes are removed, unless
    ``keep_others`` (a build of one article leaves the rest of the output as it was)."""
    written: list[str] = []
    unchanged: list[str] = []
    problems: list[Problem] = []
    try:
        for name in sorted(files):
            target = output / name
            if target.is_file() and target.read_bytes() == files[name]:
                unchanged.append(name)
                continue
            replace_file(target, files[name])
            written.append(name)
        removed = [] if keep_others else _remove_stale(output, set(files))
        listed = set(files) | (_listed(output) if keep_others else set())
        replace_file(output / MANIFEST, "".join(f"{n}\n" for n in sorted(listed)).encode())
    except OSError as exc:
        problems.append(
            error(
                output, 1, "L302", f"could not write the outputs: {exc.strerror} ({exc.filename})"
            )
        )
        removed = []
    return WriteResult(tuple(written), tuple(unchanged), tuple(removed)), problems


def _listed(output: Path) -> set[str]:
    """The files the last build wrote, as its manifest lists them."""
    manifest = output / MANIFEST
    if not manifest.is_file():
        return set()
    return {name for name in manifest.read_text(encoding="utf-8").splitlines() if name}


def _remove_stale(output: Path, keep: set[str]) -> list[str]:
    removed = []
    inside = output.resolve()
    for name in sorted(_listed(output)):
        stale = output / name
        # Only files careleaf could have written: relative names that stay in the output
        # folder (the manifest may have been edited; it is never a list of files to delete).
        if (
            not name
            or name in keep
            or Path(name).is_absolute()
            or ".." in Path(name).parts
            or not stale.resolve().is_relative_to(inside)
            or stale.is_symlink()
        ):
            continue
        if stale.is_file():
            stale.unlink()
            removed.append(name)
    return removed
