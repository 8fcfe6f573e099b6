"""Static instances of variable fonts, made once and kept.

A variable font (Noto Emoji, Heebo, Noto Sans Devanagari, a clinic's own) is set in
leaflets as static instances, one per weight and style used: text extracted from a
PDF made with a variable font has been wrong before, and an instance is what
WeasyPrint embeds best. Making one takes fontTools' instancer about half a second to
two seconds, so each is made only when a leaflet that uses it is rendered, kept in
memory for the rest of the process, and kept in the output folder's cache
(``.careleaf/fonts/``, named by the digest of the font file and the settings) for
the next build. A cached file is used only when its bytes are the ones written.
"""

from __future__ import annotations

import hashlib
from io import BytesIO
from pathlib import Path

from fontTools.ttLib import TTFont

_MADE: dict[str, bytes] = {}
made_here: list[str] = []  # digests of the instances this process made (not read back)


def clear() -> None:
    """Forget the instances kept in memory (the disk cache stays)."""
    _MADE.clear()
    made_here.clear()


def instance(
    path: Path | bytes, axes: tuple[tuple[str, float], ...], digest: str, cache: Path | None
) -> bytes:
    """The static instance of the variable font at ``path`` (or of these font bytes) at
    ``axes``; ``digest`` names it, ``cache`` is the folder that keeps it between builds."""
    if digest in _MADE:
        return _MADE[digest]
    data = _read(cache, digest) if cache is not None else None
    if data is None:
        data = _make(path, axes)
        made_here.append(digest)
        if cache is not None:
            _write(cache, digest, data)
    _MADE[digest] = data
    return data


def _make(path: Path | bytes, axes: tuple[tuple[str, float], ...]) -> bytes:
    from fontTools.varLib import instancer  # only when a leaflet needs the font

    source = BytesIO(path) if isinstance(path, bytes) else path
    with TTFont(source, recalcTimestamp=False) as font:  # the same bytes every time
        cff2 = "CFF2" in font  # PostScript outlines: made CFF, which PDF embeds
        made = instancer.instantiateVariableFont(font, dict(axes), downgradeCFF2=cff2)
        made.flavor = None  # a WOFF or WOFF2 file is made a plain font file
        out = BytesIO()
        made.save(out)
    return out.getvalue()


def _name(digest: str, data: bytes) -> str:
    return f"{digest[:32]}-{hashlib.sha256(data).hexdigest()[:16]}.ttf"


def _read(cache: Path, digest: str) -> bytes | None:
    try:
        for file in sorted(cache.glob(f"{digest[:32]}-*.ttf")):
            data = file.read_bytes()
            if file.name == _name(digest, data):
                return data
    except OSError:
        return None
    return None


def _write(cache: Path, digest: str, data: bytes) -> None:
    """Keep ``data`` for the next build (a cache that cannot be written is no cache)."""
    target = cache / _name(digest, data)
    try:
        cache.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(".tmp")
        temporary.write_bytes(data)
        temporary.replace(target)
    except OSError:
        return
