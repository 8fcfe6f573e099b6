"""The EPUB's zip, made deterministic: the same files give the same bytes.

ebooklib writes each entry with the clock's time; ``repack`` writes the same
entries again, ``mimetype`` first and stored, in ebooklib's fixed order, each with
the book's own date and the same permissions.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

from lxml import etree

from careleaf import xhtml
from careleaf.records import text_direction

ZIP_EPOCH = datetime(1980, 1, 1, tzinfo=UTC)  # the earliest time a zip file can hold
ZIP_END = datetime(2107, 12, 31, tzinfo=UTC)  # and the latest


def _package_language(opf: bytes, lang: str) -> bytes:
    """ebooklib gives the package no ``xml:lang``; reading systems and Ace want one."""
    root = etree.fromstring(opf, etree.XMLParser(resolve_entities=False, no_network=True))
    root.set(f"{{{xhtml.XML}}}lang", lang)
    root.set("dir", text_direction(lang))
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="utf-8")


def repack(data: bytes, modified: datetime, lang: str) -> bytes:
    """The EPUB again: mimetype first and stored, then ebooklib's files in its (fixed)
    order, every entry with the same time and permissions, whatever the clock says.
    The package document gets its language on the way."""
    stamp = min(max(modified, ZIP_EPOCH), ZIP_END).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        names = source.namelist()
        ordered = ["mimetype", *(n for n in names if n != "mimetype")]
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3
            info.external_attr = 0o644 << 16
            stored = name == "mimetype"
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            content = source.read(name)
            if name.endswith(".opf"):
                content = _package_language(content, lang)
            target.writestr(info, content, compresslevel=None if stored else 9)
    return out.getvalue()
