"""Incremental builds: a slow output (a leaflet) whose inputs have not changed since the
last build is taken from that build instead of being rendered again.

Beside its outputs, careleaf keeps ``.careleaf-inputs.json``: for each such output, a
digest of everything that went into it (the rendered HTML and CSS, the images it shows,
careleaf's own code and the versions of the libraries that render it) and a digest of
the bytes it wrote. An output is reused only when both still match, so a file edited or
damaged by hand is rendered again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path

INDEX = ".careleaf-inputs.json"
RENDERERS = (  # the libraries and font packages a leaflet's bytes depend on
    "weasyprint",
    "pydyf",
    "pikepdf",
    "fonttools",
    "segno",
    "fontpkg-atkinson-hyperlegible",
    "fontpkg-ibm-plex-sans-arabic",
    "fontpkg-noto-sans",
    "matplotlib",  # DejaVu Sans (careleaf.glyphs)
    "manimgx-fonts",  # Noto Emoji (careleaf.glyphs)
)


@lru_cache(maxsize=1)
def code_digest() -> str:
    """careleaf's own code and the versions of what renders: a change to either renders anew."""
    digest = hashlib.sha256()
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    for name in RENDERERS:
        try:
            digest.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none\0".encode())
    return digest.hexdigest()


def input_digest(texts: Iterable[str], files: Iterable[Path]) -> str:
    digest = hashlib.sha256(code_digest().encode())
    for text in texts:
        digest.update(hashlib.sha256(text.encode()).digest())
    for path in files:
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@dataclass
class Reuse:
    """What the last build wrote, and from what; and what this build records."""

    output: Path | None = None
    previous: dict[str, list[str]] = field(default_factory=dict)
    current: dict[str, list[str]] = field(default_factory=dict)
    reused: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, output: Path) -> Reuse:
        try:
            previous = json.loads((output / INDEX).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            previous = {}
        return cls(output, previous if isinstance(previous, dict) else {})

    def get(self, name: str, key: str) -> bytes | None:
        """The last build's ``name``, if it was made from the same inputs and is unchanged."""
        entry = self.previous.get(name)
        if self.output is None or not isinstance(entry, list) or entry[:1] != [key]:
            return None
        try:
            data = (self.output / name).read_bytes()
        except OSError:
            return None
        if [key, hashlib.sha256(data).hexdigest()] != entry:
            return None
        self.current[name] = entry
        self.reused.append(name)
        return data

    def record(self, name: str, key: str, data: bytes) -> None:
        self.current[name] = [key, hashlib.sha256(data).hexdigest()]

    def index(self) -> dict[str, bytes]:
        """The index as one more output file."""
        text = json.dumps(self.current, indent=1, sort_keys=True) + "\n"
        return {INDEX: text.encode("utf-8")} if self.current else {}
