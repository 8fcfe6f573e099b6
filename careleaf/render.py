"""The leaflet render task: HTML, CSS, images and fonts in; a finished PDF/UA-1 out.

A ``LeafletTask`` holds everything as data: the leaflet's HTML and CSS, the bytes of
every file they refer to under fixed virtual addresses, the digests of its fonts
(found in ``careleaf.blobs``) and its metadata. ``run`` reads no file: WeasyPrint
fetches only from the task's own data (``MemoryFetcher``), so it gives the same
bytes in any process, on any machine. Each worker keeps WeasyPrint's font
configuration and the parsed stylesheets between tasks.
"""

from __future__ import annotations

import base64
import binascii
import logging
import mimetypes
import os
import posixpath
import re
import shutil
import tempfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from multiprocessing.util import Finalize
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from careleaf import blobs
from careleaf.engine import Outcome
from careleaf.fetcher import FONTS_URL, LAYOUTS_URL, MANUSCRIPTS_URL, PICTURES_URL, REFUSED
from careleaf.printsize import PrintImage, print_bytes
from careleaf.records import Metadata

_DATA_IMAGE = re.compile(r"data:(image/(?:png|jpeg|gif|webp));base64,([A-Za-z0-9+/=]*)\Z")


def normal(url: str) -> str:
    """One spelling of a ``file:`` address, however WeasyPrint or a layout wrote it."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{posixpath.normpath(unquote(parts.path))}"


@dataclass(frozen=True)
class LeafletTask:
    name: str  # the output file
    html: str
    css: str
    fonts: tuple[str, ...]  # blob digests, served at FONTS_URL + digest
    files: tuple[tuple[str, bytes], ...]  # normalised address -> bytes (images)
    refused: tuple[tuple[str, str], ...]  # normalised address -> why it may not be read
    metadata: Metadata
    made_fonts: tuple[tuple[str, bytes], ...] = ()  # fonts no worker was given: digest, bytes
    pictures: tuple[PrintImage, ...] = ()  # scaled here, served at PICTURES_URL + name
    families: tuple[str, ...] = ()  # its fonts' families (others drew what none of them has)

    def run(self) -> Outcome:
        from weasyprint import DEFAULT_OPTIONS, HTML

        from careleaf.pagination import lay_out
        from careleaf.pdfua import finish

        blobs.install(dict(self.made_fonts))
        fetcher = _fetcher(self.fonts)
        fetcher.current = dict(self.files)
        for picture in self.pictures:  # scaled in the worker, not in the parent
            fetcher.current[normal(PICTURES_URL + picture.name)] = print_bytes(picture)
        fetcher.refused = dict(self.refused)
        stylesheet, config, css_logs = _stylesheet(self.css, self.fonts)
        options = {**DEFAULT_OPTIONS, "stylesheets": [stylesheet], "pdf_variant": "pdf/ua-1"}
        with capture_log() as records, fixed_font_dates():
            html = HTML(string=self.html, base_url=MANUSCRIPTS_URL, url_fetcher=fetcher)
            layout = lay_out(lambda: html.render(font_config=config, **options))
            raw = layout.document.write_pdf(**options)
        fonts = {digest: blobs.get(digest) for digest in self.fonts}
        info: dict[str, Any] = {}
        pdf = finish(raw, self.metadata, fonts.values(), info, self.families)  # opened once
        info["fills"] = [round(fill, 2) for fill in layout.fills]
        if layout.overflows:
            info["overflows"] = list(layout.overflows)
        return Outcome(((self.name, pdf),), info, css_logs + _logs(records, "leaflet.html"))


class MemoryFetcher:
    """Serves WeasyPrint the task's files and fonts from memory, and nothing else."""

    def __init__(self, fonts: Mapping[str, bytes]) -> None:
        from weasyprint.urls import URLFetcher

        self.fonts = fonts
        self.current: dict[str, bytes] = {}
        self.refused: dict[str, str] = {}
        self.base = URLFetcher(allowed_protocols=(), allow_redirects=False)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.base, name)

    def __call__(self, url: str) -> Any:
        return self.fetch(url)

    def fetch(self, url: str, headers: Any = None) -> Any:
        from weasyprint.urls import URLFetcherResponse

        embedded = _DATA_IMAGE.match(url)
        if embedded is not None:  # a picture inside a (cleaned) SVG drawing
            try:
                data = base64.b64decode(embedded.group(2), validate=True)
            except (binascii.Error, ValueError) as exc:
                raise ValueError(f"{REFUSED} an embedded picture that is not readable") from exc
            return URLFetcherResponse(
                "data:", body=data, headers={"Content-Type": embedded.group(1)}
            )
        key = normal(url) if url.startswith("file:") else url
        if key.startswith(normal(FONTS_URL)):
            digest = key.rsplit("/", 1)[-1]
            if digest in self.fonts:
                return URLFetcherResponse(url, body=self.fonts[digest])
        if key in self.current:
            mime = mimetypes.guess_type(key)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=self.current[key], headers={"Content-Type": mime})
        raise ValueError(self.refused.get(key, f"{REFUSED} '{url}': not a file of this leaflet"))


@lru_cache(maxsize=4)
def _fetcher(fonts: tuple[str, ...]) -> MemoryFetcher:
    return MemoryFetcher({digest: blobs.get(digest) for digest in fonts})


@lru_cache(maxsize=16)
def _stylesheet(css: str, fonts: tuple[str, ...]) -> tuple[Any, Any, tuple[tuple[str, ...], ...]]:
    """A parsed stylesheet with its own font configuration, kept for the next task,
    and what WeasyPrint said while reading it (given to every task that uses it)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    config = FontConfiguration()
    # WeasyPrint would make the folder itself, in the temporary folder, on the first font
    config._folder = Path(tempfile.mkdtemp(prefix="fonts-", dir=_scratch()))
    with capture_log() as records:
        stylesheet = CSS(
            string=css, base_url=LAYOUTS_URL + "leaflet.css", url_fetcher=_fetcher(fonts),
            font_config=config,
        )  # fmt: skip
    return stylesheet, config, _logs(records, "leaflet.css")


_SCRATCH: dict[int, str] = {}  # process id -> its folder


def _scratch() -> str:
    """This process's temporary folder for the font files WeasyPrint writes for each font
    configuration (about 9 MB each). WeasyPrint removes a configuration's folder only
    when the configuration is collected, which a pool's worker never does before it
    ends (each build left folders behind, until the disk was full), and which fails
    while Python shuts down. The folder is removed when the process ends: in a worker
    by multiprocessing's finalisers (atexit handlers do not run there), in careleaf's
    own process at exit, after the kept configurations are let go."""
    pid = os.getpid()
    if pid not in _SCRATCH:
        _SCRATCH[pid] = tempfile.mkdtemp(prefix="careleaf-")
        Finalize(None, _clean, args=(_SCRATCH[pid],), exitpriority=0)
    return _SCRATCH[pid]


def _clean(folder: str) -> None:
    _stylesheet.cache_clear()
    shutil.rmtree(folder, ignore_errors=True)


def _logs(records: list[logging.LogRecord], layout: str) -> tuple[tuple[str, ...], ...]:
    """WeasyPrint's log records as plain data: (level, message, first argument, last
    argument, the layout being read)."""
    found = []
    for record in records:
        args = record.args if isinstance(record.args, tuple) else (record.args,)
        first = str(args[0]) if args else ""
        last = args[-1] if args else ""
        last = f"{type(last).__name__}: {last}" if isinstance(last, BaseException) else str(last)
        found.append((record.levelname, record.getMessage(), first, last, layout))
    return tuple(found)


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class capture_log:
    """Collect WeasyPrint's warnings and errors (and keep them off the console)."""

    def __enter__(self) -> list[logging.LogRecord]:
        self.logger = logging.getLogger("weasyprint")
        self.collector = _Collector()
        self.logger.addHandler(self.collector)
        self.propagate, self.logger.propagate = self.logger.propagate, False
        return self.collector.records

    def __exit__(self, *exc: object) -> None:
        self.logger.removeHandler(self.collector)
        self.logger.propagate = self.propagate


_FONT_DATE = "1577836800"  # 2020-01-01: the date in the fonts WeasyPrint makes


class _Dating:
    """How many leaflets render now in this process, and the user's own date."""

    lock = threading.Lock()
    rendering = 0
    before: str | None = None


@contextmanager
def fixed_font_dates() -> Iterator[None]:
    """WeasyPrint makes a static font of a variable one with fontTools, which dates the
    font it saves with the clock unless ``SOURCE_DATE_EPOCH`` says otherwise: a leaflet
    rendered a second later had other bytes. While leaflets render, the date is fixed
    (one value for all, so threads rendering at once agree); a ``SOURCE_DATE_EPOCH`` of
    the user's own is kept, and the variable is put back as it was afterwards (a task
    may run in careleaf's own process, whose e-book reads it)."""
    with _Dating.lock:
        if _Dating.rendering == 0:
            _Dating.before = os.environ.get("SOURCE_DATE_EPOCH")
            os.environ.setdefault("SOURCE_DATE_EPOCH", _FONT_DATE)
        _Dating.rendering += 1
    try:
        yield
    finally:
        with _Dating.lock:
            _Dating.rendering -= 1
            if _Dating.rendering == 0 and _Dating.before is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
