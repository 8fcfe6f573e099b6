"""A clinic's font files: what each is, and the faces leaflets make of them.

A file is a font careleaf can use when fontTools reads it as a TrueType or OpenType
font (WOFF and WOFF2 too) with outlines and a Unicode character map; a font
collection, a bitmap-only font or a variable font without outline variations is not.
Leaflets are set in two weights, 400 and 700, upright, and italic where the font has
it: a variable font gives static instances at those weights (its other axes at their
defaults; ``careleaf.instances`` makes them when a leaflet needs them); of static
files, the weights nearest to them. A font with one weight serves bold text too (C123).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from careleaf.glyphs import Font

MAX_MB = 64  # the largest font file careleaf reads (a whole CJK font is about 20 MB)
_MAGIC = {b"\x00\x01\x00\x00", b"OTTO", b"true", b"wOFF", b"wOF2"}
_FILE_HINT = (
    "use a TrueType or OpenType font file (.ttf or .otf; .woff and .woff2 work too), "
    "for example a Noto font from Google Fonts"
)


@dataclass(frozen=True)
class FontFile:
    """A font file as inspected: what its faces are made from."""

    path: Path
    shown: str  # as careleaf.toml names it
    line: int
    digest: str
    weight: int  # OS/2 weight class (a variable font: of its default instance)
    italic: bool
    axes: tuple[tuple[str, float, float, float], ...]  # tag, minimum, default, maximum


class Report(Protocol):
    """Where problems go, at careleaf.toml lines."""

    def fail(self, line: int, code: str, message: str, hint: str | None = None) -> None: ...

    def warn(self, line: int, code: str, message: str, hint: str | None = None) -> None: ...


def inspect(report: Report, path: Path, shown: str, line: int) -> FontFile | None:
    """What a font file is, when fontTools can read it as a font careleaf can embed."""
    if path.stat().st_size > MAX_MB * 1024 * 1024:
        report.fail(
            line, "C111", f"the font file '{shown}' is larger than {MAX_MB} MB", hint=_FILE_HINT
        )
        return None
    data = path.read_bytes()
    reason = _unusable(data)
    if reason:
        report.fail(
            line, "C111", f"'{shown}' is not a font careleaf can use: {reason}", hint=_FILE_HINT
        )
        return None
    from io import BytesIO

    from fontTools.ttLib import TTFont

    try:
        with TTFont(BytesIO(data), lazy=True) as font:
            cmap = font.getBestCmap() or {}
            outlines = any(tag in font for tag in ("glyf", "CFF ", "CFF2"))
            axes = tuple(
                (a.axisTag, float(a.minValue), float(a.defaultValue), float(a.maxValue))
                for a in (font["fvar"].axes if "fvar" in font else [])
            )
            os2 = font.get("OS/2")
            weight = int(os2.usWeightClass) if os2 is not None else 400
            italic = bool(os2 is not None and os2.fsSelection & 1) or bool(
                font["head"].macStyle & 2
            )
            variations = not axes or any(tag in font for tag in ("gvar", "CFF2"))
    except Exception as exc:  # fontTools raises many kinds for a damaged file
        report.fail(
            line,
            "C111",
            f"'{shown}' is not a font careleaf can use: fontTools could "
            f"not read it ({type(exc).__name__}: {exc})"[:300],
            hint=_FILE_HINT,
        )
        return None
    problem = (
        "it has no Unicode character map"
        if not cmap
        else "it has no outlines (a bitmap or colour-only font)"
        if not outlines
        else "it is a variable font without outline variations, which cannot be made static"
        if not variations
        else ""
    )
    if problem:
        report.fail(
            line, "C111", f"'{shown}' is not a font careleaf can use: {problem}", hint=_FILE_HINT
        )
        return None
    digest = hashlib.sha256(data).hexdigest()
    return FontFile(path, shown, line, digest, weight, italic, axes)


def _unusable(data: bytes) -> str:
    if data[:4] == b"ttcf":
        return "it is a font collection (.ttc or .otc): use the single font files it holds"
    if data[:4] not in _MAGIC:
        return "it is not a TrueType, OpenType, WOFF or WOFF2 font file"
    return ""


def make_faces(report: Report, family: str, files: list[FontFile]) -> tuple[Font, ...] | None:
    """Regular and bold (400 and 700) of each style the font has, upright first."""
    from careleaf.glyphs import Font

    options: dict[str, list[tuple[int, FontFile, tuple[tuple[str, float], ...]]]] = {}
    seen: dict[tuple[int, str], FontFile] = {}
    for file in files:
        for style, weight, axes in _offers(file):
            if not axes and (weight, style) in seen:
                report.fail(
                    file.line,
                    "C112",
                    f"'{file.shown}' has the same weight ({weight}) and "
                    f"style ({style}) as '{seen[weight, style].shown}'",
                    hint="name each weight and style once",
                )
                return None
            seen.setdefault((weight, style), file)
            options.setdefault(style, []).append((weight, file, axes))
    if "normal" not in options:
        first = files[0]
        report.fail(
            first.line,
            "C111",
            f"'{family}' has only italic files: leaflets need its upright style",
            hint="add the font's regular (upright) file",
        )
        return None
    faces: list[Font] = []
    for style in ("normal", "italic"):
        if style not in options:
            continue
        regular = min(options[style], key=lambda o: (abs(o[0] - 400), o[0]))
        heavier = [o for o in options[style] if o[0] > regular[0]]
        bold = min(heavier, key=lambda o: (abs(o[0] - 700), o[0])) if heavier else regular
        if bold is regular and style == "normal":
            report.warn(
                regular[1].line, "C123",
                f"'{family}' has one weight only ({regular[0]}): its bold text is printed in "
                "the same weight as the rest",
                "add the font's bold file to files, or use its variable font, so that bold "
                "text stands out",
            )  # fmt: skip
        for weight, (_, file, axes) in ((400, regular), (700, bold)):
            faces.append(Font(family, file.path, weight, style, "", axes, file.digest))
    return tuple(faces)


def _offers(file: FontFile) -> list[tuple[str, int, tuple[tuple[str, float], ...]]]:
    """(style, weight, axes of the instance: () for a static file) the file can give."""
    if not file.axes:
        return [("italic" if file.italic else "normal", file.weight, ())]
    limits = {tag: (low, default, high) for tag, low, default, high in file.axes}
    styles = (
        [("normal", 0.0), ("italic", 1.0)]
        if limits.get("ital", (0, 0, 0))[2] >= 1
        else [("italic" if file.italic else "normal", limits.get("ital", (0, 0, 0))[1])]
    )
    low, _, high = limits.get("wght", (file.weight, file.weight, file.weight))
    weights = sorted({int(min(max(w, low), high)) for w in (400, 700)})
    offers = []
    for style, ital in styles:
        for weight in weights:
            pins = {tag: default for tag, (_, default, _) in limits.items()}
            if "wght" in limits:
                pins["wght"] = float(weight)
            if "ital" in limits:
                pins["ital"] = ital
            offers.append((style, weight, tuple(sorted(pins.items()))))
    return offers
