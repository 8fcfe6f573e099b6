"""The same library gives byte-identical outputs, wherever its folder lies."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import MIXED, build_project


def outputs(folder: Path) -> dict[str, bytes]:
    """Every published file (not careleaf's own state in .careleaf/, which records where
    the project lies and when files were written)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".careleaf" not in p.relative_to(folder).parts
    }


def test_a_library_builds_to_the_same_bytes_in_any_folder(tmp_path: Path) -> None:
    here = tmp_path / "clinic"
    there = tmp_path / "elsewhere" / "deeper" / "other name"
    shutil.copytree(MIXED, here)
    shutil.copytree(MIXED, there)
    assert build_project(here, here / "output") == 0
    assert build_project(there, there / "output") == 0
    first, second = outputs(here / "output"), outputs(there / "output")
    assert any(name.endswith(".pdf") for name in first)
    assert any(name.endswith(".epub") for name in first)
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []
