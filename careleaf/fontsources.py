"""Where a clinic's font files are (``[[fonts]]`` in careleaf.toml, read by
``careleaf.clinicfonts``): files inside the project, never through a link out of it
(C124), or the files of an installed fontpkg package; C110 when they are not there,
C111 for a package careleaf cannot use.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from careleaf.clinicfonts import Reader


def project_file(reader: Reader, name: str, line: int) -> tuple[Path, str, int] | None:
    """A font file named in careleaf.toml, when it is a file inside the project."""
    written = reader.root / name
    target = written.resolve()  # every link followed: a link out of the project is caught
    if not target.is_relative_to(reader.root):
        inside = Path(os.path.normpath(written)).is_relative_to(reader.root)
        what = "is a link to a file outside the project" if inside else "is outside the project"
        reader.fail(
            line,
            "C124",
            f"the font file '{name}' {what}",
            hint="copy the font file into the project, for example into a fonts folder "
            "beside careleaf.toml",
        )
        return None
    if not target.is_file():
        reader.fail(
            line,
            "C110",
            f"the font file '{name}' does not exist"
            if not target.exists()
            else f"'{name}' is not a file",
            hint="put the font file there, or correct its name (it is read "
            "from the folder careleaf.toml is in)",
        )
        return None
    return target, name, line


def package_files(
    reader: Reader, name: str, line: int, table: dict[str, Any]
) -> tuple[list[tuple[Path, str, int] | None], object]:
    """The font files of an installed fontpkg package, and its family name (unless the
    setting gives one)."""
    from importlib import metadata
    from importlib.util import find_spec

    try:
        points = [
            p for p in metadata.distribution(name).entry_points if p.group == "fontpkg.family"
        ]
    except (metadata.PackageNotFoundError, ValueError):
        reader.fail(
            line,
            "C110",
            f"the font package '{name}' is not installed",
            hint=f"install it into careleaf's Python environment (pip install {name}), or put "
            "the font's files in the project and name them in files = [...]",
        )
        return [None], None
    try:
        spec = find_spec(points[0].value) if points else None
        folder = Path(next(iter(spec.submodule_search_locations or []))).resolve()  # type: ignore[union-attr]
        meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
        files = [(folder / entry["path"]).resolve() for entry in meta["files"]]
        family = table.get("family", meta["family"])
    except (AttributeError, ImportError, OSError, ValueError, KeyError, TypeError, StopIteration):
        reader.fail(
            line,
            "C111",
            f"'{name}' is not a font package careleaf can use (a fontpkg package)",
            hint="name a fontpkg package, such as fontpkg-noto-sans-tamil",
        )
        return [None], None
    found: list[tuple[Path, str, int] | None] = []
    for file in files:
        if not file.is_relative_to(folder) or not file.is_file():
            reader.fail(
                line,
                "C111",
                f"the font package '{name}' is incomplete: '{file.name}' is missing",
                f"install it again (pip install --force-reinstall {name})",
            )
            found.append(None)
        else:
            found.append((file, f"{name}: {file.name}", line))
    return found, family
