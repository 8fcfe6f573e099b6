"""What WeasyPrint may read while it makes a leaflet, and what it said about it.

Manuscripts are untrusted. ``SafeFetcher`` serves WeasyPrint a manuscript's pictures
from memory (the cleaned bytes careleaf.images made, at ``PICTURES_URL``), pictures
embedded in those as ``data:image/...``, and otherwise only files inside a few folders
(the manuscripts, the layouts, careleaf's package data, the font packages): no
http(s), no ``file:`` address outside them, no symbolic link that leads out of them.
WeasyPrint only *logs* a resource it could not get, so
``capture_log`` collects its log records while a leaflet is rendered, and the
leaflet stage turns them into problems with a place.
"""

from __future__ import annotations

import base64
import binascii
import logging
import mimetypes
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

REFUSED = "careleaf refused"  # starts the message of every refusal, so the log can tell
# The manuscripts folder as WeasyPrint sees it: one fixed address wherever the project
# lies, so that nothing in a leaflet (WeasyPrint names images after their address)
# depends on the folder the project happens to be in.
MANUSCRIPTS_URL = "file:///careleaf-manuscripts/"
# A manuscript's pictures as WeasyPrint sees them: served from memory (the cleaned,
# print-scaled bytes careleaf.images made), never read from a file.
PICTURES_URL = "file:///careleaf-pictures/"
_DATA_IMAGE = re.compile(r"data:(image/(?:png|jpeg|gif|webp));base64,([A-Za-z0-9+/=]*)\Z")


class Refused(ValueError):
    """A resource careleaf will not let WeasyPrint read."""


class Missing(FileNotFoundError):
    """A resource inside the allowed folders that does not exist."""


class SafeFetcher(URLFetcher):  # type: ignore[misc]
    """A WeasyPrint URL fetcher that serves only files inside ``roots``."""

    def __init__(self, roots: Sequence[Path], manuscripts: Path | None = None) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False)
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
            return (self.manuscripts / url2pathname(unquote(url[len(MANUSCRIPTS_URL) :]))).resolve()
        return Path(url2pathname(unquote(urlsplit(url).path))).resolve()

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

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith(PICTURES_URL):
            if url[len(PICTURES_URL) :] not in self.pictures:
                raise Missing(f"the picture '{url}' was not prepared")
            data, media_type = self.pictures[url[len(PICTURES_URL) :]]
            return URLFetcherResponse(url, body=data, headers={"Content-Type": media_type})
        embedded = _DATA_IMAGE.match(url)
        if embedded is not None:  # a picture inside a (cleaned) SVG drawing: no file
            try:
                data = base64.b64decode(embedded.group(2), validate=True)
            except (binascii.Error, ValueError) as exc:
                raise Refused(f"{REFUSED} an embedded picture that is not readable") from exc
            return URLFetcherResponse(
                "data:", body=data, headers={"Content-Type": embedded.group(1)}
            )
        path = self.resolve(url)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), body=path.read_bytes(), headers={"Content-Type": mime}
        )


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def capture_log() -> Iterator[list[logging.LogRecord]]:
    """Collect WeasyPrint's warnings and errors (and keep them off the console)."""
    logger = logging.getLogger("weasyprint")
    collector = _Collector()
    logger.addHandler(collector)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield collector.records
    finally:
        logger.removeHandler(collector)
        logger.propagate = propagate
