"""A clinic's own fonts: ``[[fonts]]`` in careleaf.toml, for the scripts careleaf's own
fonts lack (Tamil, Thai, Ethiopic, Chinese, Korean, Georgian, Armenian...).

Each ``[[fonts]]`` names a family (the name leaflets use), and either font files in the
project (``files``: one variable font, or static files per weight and style) or an
installed font package (``package``: a fontpkg package, such as
``fontpkg-noto-sans-tamil``), and the ``languages`` whose text starts with it. Files are
read only inside the project (no link out of it, as ``careleaf.fetcher``) or inside
their package (``careleaf.fontsources``), and checked to be fonts careleaf can embed
(fontTools: TrueType or OpenType outlines, a Unicode character map; WOFF and WOFF2 too).
Leaflets use two weights, 400 and 700, upright, and italic where the font has it: a
variable font is set as static instances at those weights (``careleaf.instances``, made
when a leaflet needs them and cached), its other axes at their defaults; of static
files, the weights nearest to them. A font with one weight only serves bold text too
(C123). Problems are at their careleaf.toml line: C110 (a file or package that is not
there), C124 (a file outside the project), C111 (not a font careleaf can use), C112 (a
setting of the wrong shape, a language tag that is not one), C103 (unknown keys).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from careleaf.fontfiles import inspect, make_faces
from careleaf.fontsources import package_files, project_file
from careleaf.problems import Problem, error, warning

if TYPE_CHECKING:
    from careleaf.glyphs import Font

KEYS = ("family", "files", "package", "languages")
SHAPE_HINT = (
    'write each font as [[fonts]] with family = "...", files = ["fonts/..."] (or package = '
    '"..."), and languages = ["..."]; the README shows an example (Print leaflets, Fonts)'
)
_FAMILY = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _-]{0,62}")


@dataclass(frozen=True)
class ClinicFont:
    """One ``[[fonts]]`` of careleaf.toml, read and checked: its faces, in the order of
    the font stack (regular, bold, then italic and bold italic where the font has them)."""

    family: str
    languages: tuple[str, ...]
    faces: tuple[Font, ...]
    files: tuple[str, ...] = ()  # as written in careleaf.toml
    package: str = ""
    line: int = 1  # its [[fonts]] line in careleaf.toml

    def serves(self, lang: str) -> bool:
        """Whether text in ``lang`` starts with this font (as CSS ``:lang()`` matches)."""
        lang = lang.lower()
        return any(
            lang == tag.lower() or lang.startswith(tag.lower() + "-") for tag in self.languages
        )

    @cached_property
    def covers(self) -> frozenset[int]:
        return frozenset().union(*(face.covers() for face in self.faces))


class Reader:
    """Reads the ``fonts`` setting of one careleaf.toml, collecting its problems."""

    def __init__(self, path: Path, lines: list[str], root: Path) -> None:
        self.path, self.lines, self.root = path, lines, root.resolve()
        self.problems: list[Problem] = []
        self.headers = [n for n, t in enumerate(lines, 1) if re.match(r"\s*\[\[\s*fonts\s*\]\]", t)]
        top = (n for n, t in enumerate(lines, 1) if re.match(r"\s*(fonts\s*=|\[\s*fonts\s*\])", t))
        self.top = next(top, 1)

    def block(self, index: int, count: int) -> tuple[int, int]:
        """The lines (first, last) of the ``index``-th ``[[fonts]]`` table."""
        if len(self.headers) != count:  # written inline: fonts = [{...}]
            return self.top, self.top
        first = self.headers[index]
        later = [n for n, t in enumerate(self.lines, 1) if n > first and re.match(r"\s*\[", t)]
        return first, (later[0] - 1 if later else len(self.lines))

    def line(self, block: tuple[int, int], key: str, needle: str = "") -> int:
        """The line of ``key = ...`` in ``block`` (and of ``needle`` in its value)."""
        first, last = block
        found = next(
            (n for n in range(first, last + 1) if re.match(rf"\s*{key}\s*=", self.lines[n - 1])),
            first,
        )
        if needle:
            quoted = (f'"{needle}"', f"'{needle}'")
            return next(
                (n for n in range(found, last + 1) if any(q in self.lines[n - 1] for q in quoted)),
                found,
            )
        return found

    def fail(self, line: int, code: str, message: str, hint: str | None = None) -> None:
        self.problems.append(error(self.path, line, code, message, hint=hint))

    def warn(self, line: int, code: str, message: str, hint: str | None = None) -> None:
        self.problems.append(warning(self.path, line, code, message, hint=hint))


def read_fonts(
    value: object, path: Path, lines: list[str], root: Path
) -> tuple[tuple[ClinicFont, ...], list[Problem]]:
    """The clinic's fonts from the ``fonts`` value of careleaf.toml (at ``path``, whose
    text is ``lines``; ``root`` is the project's folder), and the problems found."""
    reader = Reader(path, lines, root)
    if not isinstance(value, list):
        reader.fail(
            reader.headers[0] if reader.headers else reader.top,
            "C112",
            "'fonts' must be a list of fonts, each written as a table [[fonts]]",
            hint='write [[fonts]] (two brackets) above family = "..." and files = [...]',
        )
        return (), reader.problems
    fonts: list[ClinicFont] = []
    for index, table in enumerate(value):
        block = reader.block(index, len(value))
        if not isinstance(table, dict):
            reader.fail(
                block[0],
                "C112",
                "each entry of 'fonts' must be a table: family = ..., files = [...]",
            )
            continue
        font = _read_font(reader, table, block)
        if font is not None:
            fonts.append(font)
    return _distinct(reader, fonts), reader.problems


def _read_font(reader: Reader, table: dict[str, Any], block: tuple[int, int]) -> ClinicFont | None:
    for key in table:
        if key not in KEYS:
            reader.problems.append(
                warning(
                    reader.path,
                    reader.line(block, key),
                    "C103",
                    f"unknown setting '{key}' in [[fonts]] is ignored (known: {', '.join(KEYS)})",
                    hint=SHAPE_HINT,
                )
            )
    files, package = table.get("files"), table.get("package")
    if isinstance(files, str):
        files = [files]
    shape = ""
    if files is not None and package is not None:
        shape = "a font is either files in the project or a package, not both"
    elif files is None and package is None:
        shape = 'a font needs its files (files = ["fonts/..."]) or a package (package = "...")'
    elif files is not None and (not files or not all(isinstance(f, str) and f for f in files)):
        shape = "files must be a list of font file names in quotes"
    elif package is not None and not (isinstance(package, str) and package):
        shape = "package must be the name of an installed font package, in quotes"
    if shape:
        key = "files" if files is not None else "package" if package is not None else ""
        line = reader.line(block, key) if key else block[0]
        reader.fail(line, "C112", f"[[fonts]]: {shape}", SHAPE_HINT)
        return None
    languages = _languages(reader, table.get("languages", []), block)
    if files is not None:
        found = [project_file(reader, name, reader.line(block, "files", name)) for name in files]
        family = _family(reader, table.get("family"), block)
    else:
        found, given = package_files(reader, str(package), reader.line(block, "package"), table)
        family = _family(reader, given, block) if None not in found else None
    if family is None or languages is None or None in found or not found:
        return None
    inspected = [inspect(reader, *item) for item in found if item is not None]
    if None in inspected:
        return None
    faces = make_faces(reader, family, [i for i in inspected if i is not None])
    if faces is None:
        return None
    written = tuple(files) if files is not None else ()
    return ClinicFont(family, languages, faces, written, str(package or ""), block[0])


def _family(reader: Reader, value: object, block: tuple[int, int]) -> str | None:
    line = reader.line(block, "family")
    if value is None:
        reader.fail(
            line,
            "C112",
            "[[fonts]] needs a family: the name leaflets use for the font",
            hint='add a line such as family = "Noto Sans Tamil"',
        )
        return None
    if not isinstance(value, str) or not _FAMILY.fullmatch(value):
        reader.fail(
            line,
            "C112",
            f"[[fonts]] family must be a name of letters, digits, spaces and hyphens: {value!r}",
            'write the font\'s name in quotes, such as family = "Noto Sans Tamil"',
        )
        return None
    from careleaf.glyphs import families

    if value.lower().startswith("careleaf") or value.lower() in {f.lower() for f in families()}:
        reader.fail(
            line,
            "C112",
            f"'{value}' is the name of one of careleaf's own fonts",
            hint="give your font another name, such as its own name with your clinic's",
        )
        return None
    return value


def _languages(reader: Reader, value: object, block: tuple[int, int]) -> tuple[str, ...] | None:
    line = reader.line(block, "languages")
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
        reader.fail(
            line,
            "C112",
            'languages must be a list of language tags in quotes, such as ["ta"]',
            SHAPE_HINT,
        )
        return None
    import langcodes

    wrong = [tag for tag in value if not langcodes.tag_is_valid(tag)]
    if wrong:
        reader.fail(
            line,
            "C112",
            f"'{wrong[0]}' is not a registered language tag",
            hint="use a code like 'ta' (Tamil), 'th' (Thai), 'am' (Amharic) or 'zh-Hant'",
        )
        return None
    return tuple(value)


def _distinct(reader: Reader, fonts: list[ClinicFont]) -> tuple[ClinicFont, ...]:
    """The fonts, each family and each language given once (a second is a problem)."""
    kept: list[ClinicFont] = []
    for font in fonts:
        twin = next((k for k in kept if k.family.lower() == font.family.lower()), None)
        if twin is not None:
            reader.fail(
                font.line,
                "C112",
                f"the font family '{font.family}' is set twice in careleaf.toml",
                hint="give each font its own family name, or put all its files in one [[fonts]]",
            )
            continue
        shared = [
            tag
            for tag in font.languages
            for k in kept
            if tag.lower() in map(str.lower, k.languages)
        ]
        if shared:
            reader.fail(
                font.line,
                "C112",
                f"the language '{shared[0]}' is given to two fonts",
                hint="give each language to one font",
            )
            continue
        kept.append(font)
    return tuple(kept)


def settings(fonts: tuple[ClinicFont, ...]) -> list[object]:
    """What the outputs depend on of the setting itself (not the files' bytes: those count
    for the leaflets that use them, and their coverage for the checks)."""
    return [[f.family, list(f.languages), list(f.files), f.package] for f in fonts]
