"""What a web page offers to download: the article's leaflets, the collection's e-book.

``DOWNLOADS`` is the list, one entry per kind of file: another format (braille, an
audio file) is one more entry. A page lists the files this build made (or kept), each
with what it is, its file type and its size in words a screen reader reads well:
"Leaflet to print, PDF, 212 kilobytes". Sizes are known only once the files are made,
so the pages that show them are planned after the other editions (``careleaf.web``).
"""

from __future__ import annotations

import gettext as gettext_module
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from babel.units import format_unit

from careleaf.i18n import babel_locale


def N_(text: str) -> str:
    """Marks a word to translate (``pybabel extract`` finds it); translated when shown."""
    return text


def ngettext(singular: str, plural: str, n: int = 2) -> tuple[str, str]:
    """Marks a word's singular and plural to translate, as one message (``pybabel
    extract`` finds them by this name); translated when shown, with the number."""
    return singular, plural


@dataclass(frozen=True)
class FileKind:
    """One kind of file a page links to."""

    output: str  # its output name: '{slug}' is the article's, '{book}' the e-book's name
    label: str  # what it is, in English; shown in the page's language
    format: str  # the file type, as readers know it
    media_type: str
    collection: bool = False  # one file for the whole collection (also on the index)
    # shown with its pages rather than its size (braille: readers count pages), in the
    # singular and plural, with %(num)s for the number
    counted: tuple[str, str] | tuple[()] = ()


DOWNLOADS: tuple[FileKind, ...] = (
    FileKind("leaflets/{slug}.pdf", N_("Leaflet to print"), "PDF", "application/pdf"),
    FileKind(
        "leaflets/large-print/{slug}.pdf", N_("Large print leaflet"), "PDF", "application/pdf"
    ),
    FileKind(
        "ebook/{book}.epub",
        N_("All articles as an e-book"),
        "EPUB",
        "application/epub+zip",
        collection=True,
    ),
    FileKind(
        "braille/{slug}.brf",
        "",
        "BRF",
        "text/plain",
        counted=ngettext("Braille, BRF file, %(num)s page", "Braille, BRF file, %(num)s pages"),
    ),
)


@dataclass(frozen=True)
class Download:
    """A link to a file, as a page shows it."""

    href: str  # from the page to the file
    text: str  # "Leaflet to print, PDF, 212 kilobytes": a page changes when this does
    media_type: str
    output: str  # the file's output name


def size_words(size: int, lang: str) -> str:
    """A file size as a person says it, in ``lang``, to two figures: '210 kilobytes',
    '1.4 megabytes'. Two figures are all a reader needs, and they keep a page the same
    when a file grows by a few bytes: the e-book's size is on every article's page, and
    editing one article must not make every page again (README, How a build makes the
    outputs)."""
    value: float = max(1, _two_figures(size / 1000))
    unit = "digital-kilobyte"
    if value >= 1000:
        value = _two_figures(size / 1_000_000)
        unit = "digital-megabyte"
    value = int(value) if value == int(value) else value
    locale = babel_locale(lang)
    for length in ("long", "short"):  # Babel lacks some long forms (Arabic kilobytes)
        text = format_unit(value, unit, length=length, locale=locale)
        if "digital-" not in text:
            return text
    return f"{value} {'kB' if unit == 'digital-kilobyte' else 'MB'}"


def _two_figures(value: float) -> float:
    """``value`` rounded to two significant figures (172 -> 170, 1.42 -> 1.4, 3.2 -> 3.2)."""
    if value < 10:
        return round(value, 1) if value >= 1 else round(value, 2)
    digits = len(str(int(value))) - 2
    return float(round(value, -digits))


def downloads(
    kinds: Sequence[FileKind],
    names: dict[str, str],
    size: Callable[[str], int | None],
    prefix: str,
    lang: str,
    translated: gettext_module.NullTranslations,
    pages: Callable[[str], int | None] = lambda name: None,
) -> list[Download]:
    """The files of ``kinds`` that exist (``size`` knows them), with links from a page
    ``prefix`` away from the output folder (``../`` for a page in ``html/``). ``names``
    fills the output names' fields ('slug', 'book'); ``pages`` knows the pages of the
    kinds shown with them."""
    gettext = translated.gettext
    found = []
    for kind in kinds:
        try:
            output = kind.output.format(**names)
        except KeyError:  # a collection page has no article slug
            continue
        bytes_ = size(output)
        if bytes_ is None:
            continue
        if kind.counted:
            count = pages(output)
            if count is None:
                continue
            text = translated.ngettext(kind.counted[0], kind.counted[1], count) % {"num": count}
            found.append(Download(prefix + output, text, kind.media_type, output))
            continue
        text = gettext("%(what)s, %(type)s, %(size)s") % {
            "what": gettext(kind.label),
            "type": kind.format,
            "size": size_words(bytes_, lang),
        }
        found.append(Download(prefix + output, text, kind.media_type, output))
    return found
