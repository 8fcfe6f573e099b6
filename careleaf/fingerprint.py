"""Digests of what outputs are made from: careleaf's code, the libraries that render,
the layouts and catalogs, the configuration. A change to any of them makes every
output that depends on it again; nothing else does."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import replace
from functools import cache
from importlib import metadata
from pathlib import Path

from careleaf.codec import encode
from careleaf.config import Config

PACKAGE = Path(__file__).parent
RENDERERS = (  # the libraries and font packages the outputs' bytes depend on
    "weasyprint",
    "pydyf",
    "pikepdf",
    "fonttools",
    "segno",
    "EbookLib",
    "lxml",
    "Jinja2",
    "Markdown",
    "nh3",
    "Babel",
    "textstat",
    "fontpkg-atkinson-hyperlegible",
    "fontpkg-ibm-plex-sans-arabic",
    "fontpkg-noto-sans",
    "fontpkg-heebo",  # Hebrew (careleaf.glyphs)
    "fontpkg-noto-sans-devanagari",  # Hindi, Marathi, Nepali (careleaf.glyphs)
    "matplotlib",  # DejaVu Sans (careleaf.glyphs)
    "manimgx-fonts",  # Noto Emoji (careleaf.glyphs)
    "Pillow",  # pictures (careleaf.images)
    "Brotli",  # the web pages' WOFF2 fonts (careleaf.webfonts)
)


def digest(*parts: str | bytes) -> str:
    """One SHA-256 over ``parts``, each kept apart from the next."""
    hashed = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        hashed.update(len(data).to_bytes(8, "big") + data)
    return hashed.hexdigest()


@cache
def code_digest() -> str:
    """careleaf's own code and data (every module of every subpackage, its catalogs) and
    the versions of what renders: a change to either makes every output again."""
    parts: list[str | bytes] = []
    for source in sorted(PACKAGE.rglob("*")):
        if source.suffix in (".py", ".po", ".toml", ".md") and "__pycache__" not in source.parts:
            parts += [source.relative_to(PACKAGE).as_posix(), source.read_bytes()]
    for name in RENDERERS:
        try:
            parts.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name}=none")
    return digest(*parts)


def folder_digest(folders: Iterable[Path]) -> str:
    """Every file under ``folders`` (names and bytes), e.g. the layouts and catalogs."""
    parts: list[str | bytes] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if "__pycache__" in path.parts or path.suffix == ".mo":
                continue
            parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
    return digest(*parts)


def config_digest(config: Config) -> str:
    """The settings, not where the project lies (its layouts count through their files)
    nor where it is rendered (``[build]``: a cluster makes the same bytes)."""
    from careleaf.clinicfonts import settings

    data = encode(replace(config, fonts=()))
    for place in ("root", "path", "layouts", "build"):
        data.pop(place, None)
    data["fonts"] = settings(config.fonts)  # the files' bytes count where they are used
    return digest(json.dumps(data, sort_keys=True))
