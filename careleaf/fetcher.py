"""Which files a leaflet may use: the one place that decides.

Manuscripts are untrusted. A leaflet may use only files inside a few folders (the
manuscripts, the layouts, careleaf's package data, the font packages): no web
address, no ``file:`` address outside them, no symbolic link that leads out of them.
The leaflet edition reads every file a leaflet refers to through ``SafeFetcher``
while it plans the render task, so the task itself carries the bytes and reads
nothing (``careleaf.render``); what the policy refused reaches WeasyPrint as a
refusal with its reason, and comes back as a problem at the line that asked for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit

REFUSED = "careleaf refused"  # starts the message of every refusal, so the log can tell
# Fixed addresses, wherever the project lies, so that nothing in a leaflet (WeasyPrint
# names images after their address) depends on the folder the project happens to be in.
MANUSCRIPTS_URL = "file:///careleaf-manuscripts/"  # the leaflet's own base address
LAYOUTS_URL = "file:///careleaf-layouts/"  # the stylesheet's base address
FONTS_URL = "file:///careleaf-fonts/"  # a font's address: FONTS_URL + its digest
# A manuscript's pictures as a leaflet sees them: the cleaned, print-scaled bytes
# careleaf.images made, carried by the render task, never read from a file.
PICTURES_URL = "file:///careleaf-pictures/"


class Refused(ValueError):
    """A resource careleaf will not let a leaflet use."""


class Missing(FileNotFoundError):
    """A resource inside the allowed folders that does not exist."""


class SafeFetcher:
    """Resolves ``file:`` addresses to files inside ``roots``, and nothing else."""

    def __init__(self, roots: Sequence[Path], manuscripts: Path | None = None) -> None:
        self.roots = tuple(root.resolve() for root in roots)
        self.manuscripts = manuscripts.resolve() if manuscripts is not None else None
        self.pictures: dict[str, tuple[bytes, str]] = {}

    def serve(self, name: str, data: bytes, media_type: str) -> str:
        """Serve ``data`` from memory at the address returned."""
        self.pictures[name] = (data, media_type)
        return PICTURES_URL + name

    def path_of(self, url: str) -> Path:
        """The local path a ``file:`` address names (``MANUSCRIPTS_URL`` is the manuscripts
        folder), with every symbolic link followed."""
        if self.manuscripts is not None and url.startswith(MANUSCRIPTS_URL):
            written = urlsplit(url[len(MANUSCRIPTS_URL) :]).path
            return (self.manuscripts / unquote(written)).resolve()
        return Path(unquote(urlsplit(url).path)).resolve()  # decoded once (POSIX paths)

    def allowed(self, path: Path) -> bool:
        return any(path.is_relative_to(root) for root in self.roots)

    def resolve(self, url: str) -> Path:
        """The file ``url`` names, once it is known to be one careleaf may read."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file":
            raise Refused(f"{REFUSED} '{url}': careleaf never fetches from the web")
        if parts.netloc not in ("", "localhost"):
            raise Refused(f"{REFUSED} '{url}': a file on another computer")
        # resolve() follows every symbolic link, so a link out of a root is caught here
        path = self.path_of(url)
        if not self.allowed(path):
            raise Refused(f"{REFUSED} '{url}': the file is outside the project")
        if not path.is_file():
            raise Missing(f"the file '{url}' does not exist")
        return path

    def fetch(self, url: str) -> bytes:
        """The bytes of the file ``url`` names, under the policy above."""
        return self.resolve(url).read_bytes()
