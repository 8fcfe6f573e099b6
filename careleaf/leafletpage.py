"""A leaflet's HTML and stylesheet, made in the parent: rendered from
``layouts/leaflet.html`` and ``layouts/leaflet.css``, with its metadata, and every file
they refer to read through the project's policy (``careleaf.fetcher``: only the
manuscripts, the layouts, careleaf and its font packages).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache
from html import escape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from markupsafe import Markup

from careleaf import characters
from careleaf.config import Config
from careleaf.fetcher import (
    FONTS_URL,
    LAYOUTS_URL,
    MANUSCRIPTS_URL,
    PICTURES_URL,
    Missing,
    Refused,
    SafeFetcher,
)
from careleaf.glyphs import leaflet_fonts
from careleaf.leafletfonts import FontFace
from careleaf.library import Library
from careleaf.printsize import PrintImage, max_picture_height, print_sources
from careleaf.problems import Problem
from careleaf.records import Article, Metadata, text_direction
from careleaf.references import printed_reference
from careleaf.render import normal
from careleaf.typography import TAG, keep_together
from careleaf.web import Entry, entry, page_name

_ANCHOR = re.compile(r'<a ([^>]*?)href="([^"]*)"([^>]*)>(.*?)</a>', re.DOTALL)
_NOTE_REF = re.compile(r'href="#([^"]+)" role="doc-noteref">([^<]+)</a>')
_REFERENCE = re.compile(r"""(?:\bsrc\s*=\s*["']|url\(\s*["']?)([^"')\s]+)""")
PAGE_NUMBER = Markup('<span class="page-number"></span>')
PAGE_COUNT = Markup('<span class="page-count"></span>')


def web_address(config: Config, slug: str) -> str:
    """The article's page in the web edition, when the collection has a base_url."""
    base = config.collection.base_url
    return f"{base.rstrip('/')}/{page_name(slug)}" if base else ""


def printed_body(article: Article, config: Config) -> str:
    """The article's HTML for paper: a link to another article points at its web page
    (when the collection has a base_url) or is plain text, never at a local file."""

    def link(match: re.Match[str]) -> str:
        before, href, after, text = match.groups()
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.endswith(".html"):
            return match.group(0)
        if config.collection.base_url:
            address = web_address(config, parts.path.removesuffix(".html"))
            address += f"#{parts.fragment}" if parts.fragment else ""
            return f'<a {before}href="{escape(address)}"{after}>{text}</a>'
        return f"<span>{text}</span>"

    return _ANCHOR.sub(link, article.body)


def printable(text: str) -> str:
    """Without the characters careleaf never publishes (``careleaf.characters``): control
    characters, non-characters, bidi overrides. The zero-width joiner and the direction
    marks stay: Arabic and other scripts need them."""
    return characters.printable(text)


def link_labels(body: str, gettext: Callable[[str], str]) -> dict[str, str]:
    """What each footnote reference says to a screen reader: 'Footnote 1', not 'fn-types'."""
    footnote = gettext("Footnote")  # (outside the f-string, where pybabel extract finds it)
    return {target: f"{footnote} {number}" for target, number in _NOTE_REF.findall(body)}


@cache
def _stylesheet_cached(
    library: Library, variant: str, direction: str, lang: str, faces: tuple[FontFace, ...]
) -> tuple[str, tuple[Problem, ...]]:
    config = library.config
    text, problems = library.layouts.render(
        "leaflet.css", lang, fonts=faces, theme=config.theme, paper=config.print.paper,
        edition=variant, dir=direction, first_fonts=library.fonts.first_fonts,
        picture_height=f"{max_picture_height(config.print.paper, variant) * 25.4:.1f}mm",
    )  # fmt: skip
    return text, tuple(problems)


def leaflet_stylesheet(
    library: Library, variant: str, direction: str, lang: str, faces: tuple[FontFace, ...]
) -> tuple[str, list[Problem]]:
    text, problems = _stylesheet_cached(library, variant, direction, lang, faces)
    return text, list(problems)


def leaflet_html(
    article: Article, library: Library, edition: str, pictures: Mapping[str, PrintImage]
) -> tuple[str, list[Problem]]:
    config, layouts = library.config, library.layouts
    address = web_address(config, article.slug)
    related: list[Entry] = [
        entry(other, web_address(config, other.slug)) for other in library.related_to(article)
    ]
    qr = Markup("")
    if address:
        import segno

        _ = layouts.gettext(article.lang)
        alt = _("QR code linking to %(address)s") % {"address": address}
        qr = Markup(segno.make(address, error="m").svg_inline(title=alt, omitsize=True))
    paper, lang = config.print.paper, article.lang
    body = keep_together(printed_body(article, config), lang)
    body = print_sources(body, pictures, PICTURES_URL, paper, edition, lang)
    text, problems = layouts.render(
        "leaflet.html",
        article.lang,
        article=article,
        m=article.manuscript,
        body=Markup(body),
        related=related,
        dir=article.direction,
        clinic=config.clinic,
        collection=config.collection,
        collection_dir=text_direction(config.collection.language),
        edition=edition,
        address=address,
        qr=qr,
        logo=library.logo.shown(edition, PICTURES_URL) if library.logo else None,
        reference=printed_reference(article.manuscript),
        version=library.edition.versions.get(article.slug, 1),
        page_number=PAGE_NUMBER,
        page_count=PAGE_COUNT,
    )
    return marks_with_their_letters(printable(text)), problems


# A letter (Latin, Greek, Cyrillic) with combining marks no composed character has
# (Yoruba ọ́, ẹ̀): Pango takes each character from the first font that has it, so a
# letter Atkinson Hyperlegible lacks came from Noto Sans and its mark from Atkinson,
# drawn beside the letter instead of over it.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_CLUSTER = re.compile(f"[A-Za-z\u00c0-\u024f\u0370-\u052f\u1e00-\u1fff][{_MARKS}]+")
_NOT_TEXT = re.compile(r"<(head|style|svg|title|script)\b.*?</\1\s*>", re.S | re.I)


def marks_with_their_letters(html: str) -> str:
    """The leaflet's HTML with each letter-and-marks cluster that the first leaflet font
    cannot draw whole in a span set in Noto Sans (leaflet.css), which places the marks."""
    from careleaf.glyphs import leaflet_fonts

    first = leaflet_fonts()[0].covers()

    def text(part: str) -> str:
        def cluster(match: re.Match[str]) -> str:
            if all(ord(c) in first for c in match[0]):
                return match[0]
            return f'<span class="careleaf-marked">{match[0]}</span>'

        return _CLUSTER.sub(cluster, part)

    out = []
    position = 0
    for found in _NOT_TEXT.finditer(html):
        out.append(_in_text(html[position : found.start()], text))
        out.append(found[0])
        position = found.end()
    out.append(_in_text(html[position:], text))
    return "".join(out)


def _in_text(html: str, change: Callable[[str], str]) -> str:
    parts = TAG.split(html)
    return "".join(part if index % 2 else change(part) for index, part in enumerate(parts))


def leaflet_metadata(article: Article, config: Config, library: Library, edition: str) -> Metadata:
    m = article.manuscript
    # a link to a section is described by the section's heading, not its target's name
    sections = {heading.id: heading.text for heading in article.headings}
    labels = sections | link_labels(article.body, library.layouts.gettext(article.lang))
    return Metadata(
        title=m.title,
        lang=m.lang,
        authors=m.authors,
        publisher=config.clinic.name,
        created=m.published,
        modified=m.last_changed,
        description=m.summary,
        identifier=f"{config.collection.identifier}/{article.slug}/{edition}",
        link_labels=tuple(sorted(labels.items())),
        reference=printed_reference(m),
        version=library.edition.versions.get(article.slug, 1),
    )


def leaflet_references(
    library: Library, article: Article, html: str, css: str
) -> tuple[tuple[tuple[str, bytes], ...], tuple[tuple[str, str], ...]]:
    """Every file the leaflet refers to, read now under the project's policy: (address,
    bytes) for those it may use, (address, why not) for the rest."""
    layouts = library.layouts
    fetcher = _policy(library)
    files: dict[str, bytes] = {}
    refused: dict[str, str] = {}
    wanted = [(MANUSCRIPTS_URL, ref) for ref in _REFERENCE.findall(html)]
    wanted += [(LAYOUTS_URL + "leaflet.css", ref) for ref in _REFERENCE.findall(css)]
    layout_folder = layouts.path("leaflet.css").parent.resolve().as_uri() + "/"
    for base, ref in wanted:
        address = urljoin(base, ref)
        if address.startswith((FONTS_URL, PICTURES_URL, "data:")):
            continue  # the task's own fonts and pictures; pictures inside a cleaned SVG
        key = normal(address) if address.startswith("file:") else address
        real = address
        if address.startswith(LAYOUTS_URL):
            real = layout_folder + address[len(LAYOUTS_URL) :]
        try:
            files[key] = fetcher.resolve(real).read_bytes()
        except (Refused, Missing, OSError, ValueError) as exc:
            refused[key] = str(exc) or type(exc).__name__
    return tuple(sorted(files.items())), tuple(sorted(refused.items()))


@cache
def _policy(library: Library) -> SafeFetcher:
    folders = {f.path.parent for f in leaflet_fonts()}
    return SafeFetcher(
        [library.manuscripts, *library.layouts.folders, Path(__file__).parent, *folders],
        manuscripts=library.manuscripts,
    )
