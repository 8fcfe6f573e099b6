"""Print leaflets: one tagged PDF (PDF/UA-1) per article, and a large-print edition.

Each article is rendered through ``layouts/leaflet.html`` and ``layouts/leaflet.css``
by WeasyPrint, with fonts from Python packages only and a URL fetcher that reads
nothing outside the project (``careleaf.fetcher``); ``careleaf.pdfua`` then closes
the gaps WeasyPrint leaves in PDF/UA. Files: ``leaflets/<slug>.pdf`` and
``leaflets/large-print/<slug>.pdf``.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from html import escape
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import segno
from markupsafe import Markup
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from careleaf.config import Config
from careleaf.fetcher import MANUSCRIPTS_URL, PICTURES_URL, REFUSED, SafeFetcher, capture_log
from careleaf.glyphs import foreign_fonts, leaflet_fonts, missing_glyphs
from careleaf.layouts import Layouts
from careleaf.manuscript import text_direction
from careleaf.markup import Article
from careleaf.pdfua import Metadata, finish
from careleaf.printsize import PrintImage, print_bytes, print_pictures, print_sources
from careleaf.problems import Problem, display_path, error, warning
from careleaf.related import related_articles
from careleaf.reuse import Reuse, input_digest
from careleaf.web import Entry, Files, entry, page_name

EDITIONS = {"standard": "leaflets/", "large-print": "leaflets/large-print/"}
_ANCHOR = re.compile(r'<a ([^>]*?)href="([^"]*)"([^>]*)>(.*?)</a>', re.DOTALL)
_NOTE_REF = re.compile(r'href="#([^"]+)" role="doc-noteref">([^<]+)</a>')
_UNPRINTABLE = frozenset({"Cc", "Cs", "Cn"})
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
    """Without control characters and non-characters (U+007F, U+FFFE...): no font has
    them, and on paper they are nothing anyone wrote on purpose. Format characters such
    as the zero-width joiner stay: Arabic and other scripts need them."""
    return "".join(c for c in text if c in "\t\n\r" or unicodedata.category(c) not in _UNPRINTABLE)


def link_labels(body: str, gettext: Callable[[str], str]) -> dict[str, str]:
    """What each footnote reference says to a screen reader: 'Footnote 1', not 'fn-types'."""
    return {target: f"{gettext('Footnote')} {number}" for target, number in _NOTE_REF.findall(body)}


def leaflets(
    articles: Sequence[Article],
    config: Config,
    layouts: Layouts,
    images_root: Path,
    reuse: Reuse | None = None,
) -> tuple[Files, list[Problem]]:
    """Both editions of every article; with ``reuse``, an unchanged leaflet of the last
    build is taken as it is instead of being rendered again."""
    reuse = reuse or Reuse()
    """Both editions of every article's leaflet, in memory, and the problems found."""
    files: Files = {}
    problems: list[Problem] = []
    fonts = leaflet_fonts()
    fetcher = SafeFetcher(
        [images_root, *layouts.folders, Path(__file__).parent, *{f.path.parent for f in fonts}],
        manuscripts=images_root,
    )
    font_config = FontConfiguration()
    styles: dict[tuple[str, str], tuple[CSS | None, str]] = {}
    for article in articles:
        found = missing_glyphs(article)
        problems += found
        if found:
            continue
        for edition, folder in EDITIONS.items():
            key = (edition, article.direction)
            if key not in styles:
                made, text, found = _stylesheet(
                    config, layouts, edition, article, fetcher, font_config
                )
                styles[key] = (made, text)
                problems += found
            stylesheet, css = styles[key]
            if stylesheet is None:
                continue
            pictures = print_pictures(article, config.print.paper, edition)
            html, found = _html(article, articles, config, layouts, edition, pictures)
            problems += found
            if not html:
                continue
            metadata = _metadata(article, config, layouts, edition)
            name = f"{folder}{article.slug}.pdf"
            # the HTML names each picture by its content and printed width
            inputs = input_digest([html, css, repr(metadata)], [])
            pdf = reuse.get(name, inputs)
            if pdf is None:
                for picture in pictures.values():
                    fetcher.serve(picture.name, print_bytes(picture), picture.picture.media_type)
                pdf, found = _render(
                    html, article, layouts, stylesheet, fetcher, font_config, metadata
                )
                fetcher.pictures.clear()
                problems += found
                if pdf is not None and not found:
                    reuse.record(name, inputs, pdf)
            if pdf is not None:
                files[name] = pdf
    return files | reuse.index(), problems


def _metadata(article: Article, config: Config, layouts: Layouts, edition: str) -> Metadata:
    m = article.manuscript
    labels = link_labels(article.body, layouts.gettext(article.lang))
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
    )


def _stylesheet(
    config: Config,
    layouts: Layouts,
    edition: str,
    article: Article,
    fetcher: SafeFetcher,
    font_config: FontConfiguration,
) -> tuple[CSS | None, str, list[Problem]]:
    text, problems = layouts.render(
        "leaflet.css",
        article.lang,
        fonts=leaflet_fonts(),
        theme=config.theme,
        paper=config.print.paper,
        edition=edition,
        dir=article.direction,
    )
    if problems:
        return None, text, problems
    where = layouts.path("leaflet.css")
    with capture_log() as records:
        css = CSS(
            string=text, base_url=where.as_uri(), url_fetcher=fetcher, font_config=font_config
        )
    problems += _log_problems(records, article, layouts, where)
    return css, text, problems


def _html(
    article: Article,
    library: Sequence[Article],
    config: Config,
    layouts: Layouts,
    edition: str,
    pictures: Mapping[str, PrintImage],
) -> tuple[str, list[Problem]]:
    address = web_address(config, article.slug)
    related: list[Entry] = [
        entry(other, web_address(config, other.slug))
        for other in related_articles(article, library)
    ]
    qr = Markup("")
    if address:
        _ = layouts.gettext(article.lang)
        alt = _("QR code linking to %(address)s") % {"address": address}
        qr = Markup(segno.make(address, error="m").svg_inline(title=alt, omitsize=True))
    text, problems = layouts.render(
        "leaflet.html",
        article.lang,
        article=article,
        m=article.manuscript,
        body=Markup(print_sources(printed_body(article, config), pictures, PICTURES_URL)),
        related=related,
        dir=article.direction,
        clinic=config.clinic,
        collection=config.collection,
        collection_dir=text_direction(config.collection.language),
        edition=edition,
        address=address,
        qr=qr,
        page_number=PAGE_NUMBER,
        page_count=PAGE_COUNT,
    )
    return printable(text), problems


def _render(
    html: str,
    article: Article,
    layouts: Layouts,
    stylesheet: CSS,
    fetcher: SafeFetcher,
    font_config: FontConfiguration,
    metadata: Metadata,
) -> tuple[bytes | None, list[Problem]]:
    """WeasyPrint's PDF/UA-1 rendering, finished by careleaf.pdfua; never a traceback."""
    m = article.manuscript
    with capture_log() as records:
        try:
            raw = HTML(string=html, base_url=MANUSCRIPTS_URL, url_fetcher=fetcher).write_pdf(
                stylesheets=[stylesheet], font_config=font_config, pdf_variant="pdf/ua-1"
            )
            foreign = foreign_fonts(raw)
            pdf = finish(raw, metadata, [font.path for font in leaflet_fonts()])
        except Exception as exc:  # third-party code (WeasyPrint, qpdf): a problem, not a crash
            return None, [error(m.path, 1, "P604", f"the leaflet could not be made: {exc}")]
    problems = _log_problems(records, article, layouts, layouts.path("leaflet.html"))
    if foreign:
        message = (
            f"the leaflet would need the computer's font {', '.join(foreign)} "
            "for a character that none of careleaf's fonts has"
        )
        hint = "look for unusual characters in the clinic's details in careleaf.toml or a layout"
        return None, [*problems, error(m.path, 1, "P603", message, hint=hint)]
    return pdf, problems


def _log_problems(
    records: Sequence[logging.LogRecord], article: Article, layouts: Layouts, layout: Path
) -> list[Problem]:
    """WeasyPrint's log records as problems, placed at the line that caused them."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for record in records:
        message = record.getMessage()
        if message in seen:
            continue
        seen.add(message)
        code = "P601" if REFUSED in message else "P602"
        if message.startswith("Failed to load") and record.args:
            url = str(record.args[0] if isinstance(record.args, tuple) else record.args)
            path, line = _place(url, article, layouts)
            what = "image" if "image" in message else "stylesheet"
            reason = str(record.args[-1]) if isinstance(record.args, tuple) else ""
            problems.append(error(path, line, code, f"the {what} could not be used: {reason}"))
        elif message.startswith(".notdef glyph") and isinstance(record.args, tuple):
            char = str(record.args[0])
            problems.append(
                error(
                    article.manuscript.path,
                    1,
                    "P603",
                    f"the character '{char}' is in none of careleaf's fonts",
                    hint="look for it in the clinic's details in careleaf.toml or in a layout",
                )
            )
        elif "cannot be loaded" in message:
            problems.append(error(layout, 1, code, f"a font could not be used: {message}"))
        elif record.levelno >= logging.ERROR:
            problems.append(error(layout, 1, "P604", f"WeasyPrint: {message}"))
        else:
            problems.append(warning(layout, 1, "P605", f"WeasyPrint: {message}"))
    return problems


def _place(url: str, article: Article, layouts: Layouts) -> tuple[Path | str, int]:
    """Where a resource's address was written: a manuscript line, or a layout's line."""
    parts = urlsplit(url)
    target = None
    for image in article.images:
        if image.picture is not None and url.startswith(PICTURES_URL + image.picture.stem):
            return article.manuscript.path, image.line
    if url.startswith(MANUSCRIPTS_URL):
        written = url2pathname(unquote(url[len(MANUSCRIPTS_URL) :]))
        target = (article.manuscript.path.parent / written).resolve()
    elif parts.scheme == "file":
        target = Path(url2pathname(parts.path)).resolve()
    for image in article.images:
        if (target is not None and image.path == target) or (image.src and url.endswith(image.src)):
            return article.manuscript.path, image.line
    needle = Path(unquote(parts.path)).name if parts.scheme == "file" else url
    for name in ("leaflet.css", "leaflet.html"):
        layout = layouts.path(name)
        lines = layout.read_text(encoding="utf-8").split("\n")
        for number, line in enumerate(lines, start=1):
            if needle and needle in line:
                return display_path(layout), number
    return display_path(layouts.path("leaflet.html")), 1
