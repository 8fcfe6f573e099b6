"""Print leaflets: one tagged PDF (PDF/UA-1) per article, in two editions (standard and
large print), each an ``Edition`` of the build engine.

Planning happens here, in the parent: the leaflet's HTML and CSS are rendered from
``layouts/leaflet.html`` and ``layouts/leaflet.css``, and every file they refer to
is read through the project's policy (``careleaf.fetcher``: only the manuscripts, the
layouts, careleaf and its font packages). The ``LeafletTask`` (``careleaf.render``)
then renders with WeasyPrint from that data alone; what WeasyPrint reported comes
back as log lines that become problems here, at the line that caused them.
Files: ``leaflets/<slug>.pdf`` and ``leaflets/large-print/<slug>.pdf``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from functools import cache, partial
from html import escape
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from markupsafe import Markup

from careleaf import characters
from careleaf.config import Config
from careleaf.coverage import drawn_elsewhere
from careleaf.engine import Built, Job, Outcome, Plan
from careleaf.fetcher import (
    FONTS_URL,
    LAYOUTS_URL,
    MANUSCRIPTS_URL,
    PICTURES_URL,
    REFUSED,
    Missing,
    Refused,
    SafeFetcher,
)
from careleaf.fingerprint import digest
from careleaf.fontset import FontSet, leaflet_clinic_fonts
from careleaf.glyphs import Font, leaflet_fonts
from careleaf.library import Library
from careleaf.output import INTERNAL
from careleaf.printsize import PrintImage, max_picture_height, print_pictures, print_sources
from careleaf.problems import Problem, display_path, error, warning
from careleaf.records import Article, Metadata, text_direction
from careleaf.references import printed_reference
from careleaf.render import LeafletTask, normal
from careleaf.typography import keep_together
from careleaf.web import Entry, entry, page_name

EDITIONS = {"standard": "leaflets/", "large-print": "leaflets/large-print/"}
CLINIC_FONT_HINT = "use the font's static files (one per weight), or another copy of the font"
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
    return {target: f"{gettext('Footnote')} {number}" for target, number in _NOTE_REF.findall(body)}


class FontFace:
    """A leaflet font as the stylesheet names it: served from memory by its digest."""

    def __init__(self, font: Font) -> None:
        self.font = font
        self.family, self.weight, self.style = font.family, font.weight, font.style
        self.unicode_range = font.unicode_range
        self.digest = font.digest  # of its file (and instancing settings): nothing is made
        self.url = FONTS_URL + self.digest


@cache
def font_faces(fonts: FontSet) -> tuple[FontFace, ...]:
    """Every leaflet font, in the order of the font stack."""
    return tuple(FontFace(font) for font in fonts.fonts)


def shared_fonts(fonts: FontSet) -> dict[str, bytes]:
    """The fonts every worker gets once, by digest: the static ones (a font made from a
    variable one, Noto Emoji, travels with the few leaflets that use it)."""
    faces = font_faces(fonts)
    return {face.digest: face.font.data() for face in faces if not face.font.generated}


def faces_for(fonts: FontSet, html: str, clinic: tuple[Font, ...] = ()) -> tuple[FontFace, ...]:
    """The fonts a leaflet of ``html`` is set in (``careleaf.fontset.FontSet.fonts_for``;
    of the clinic's fonts, ``clinic``)."""
    wanted = set(fonts.fonts_for(html, clinic))
    return tuple(face for face in font_faces(fonts) if face.font in wanted)


class LeafletEdition:
    final = False

    def __init__(self, variant: str) -> None:
        self.variant = variant
        self.name = f"leaflets ({variant})"
        self.folder = EDITIONS[variant]

    def plan(self, library: Library, built: Built) -> Plan:
        jobs = []
        for article in library.articles:
            if not library.wanted(article):
                continue
            name = f"{self.folder}{article.slug}.pdf"
            related = [
                (a.slug, a.title, a.manuscript.summary, a.lang) for a in library.related_to(article)
            ]
            logo = library.logo.picture.digest if library.logo else ""
            version = str(library.edition.versions.get(article.slug, 1))
            # the clinic's fonts it uses: a changed font file remakes these leaflets alone
            clinic = leaflet_clinic_fonts(
                article, library.related_to(article), library.config, library.layouts
            )
            inputs = digest(library.context, self.variant, library.digests[article.slug],
                            json.dumps(related), logo, version,
                            *(font.digest for font in clinic))  # fmt: skip
            task = partial(self.task, library, article, name, clinic)
            jobs.append(Job((name,), inputs, task, article.slug))
        return Plan(tuple(jobs))

    def task(
        self, library: Library, article: Article, name: str, clinic: tuple[Font, ...] = ()
    ) -> LeafletTask | Outcome:
        pictures = print_pictures(article, library.config.print.paper, self.variant)
        html, found = _html(article, library, self.variant, pictures)
        faces = faces_for(library.fonts, html, clinic)
        css, more = _stylesheet(library, self.variant, article.direction, article.lang, faces)
        if found or more:
            return Outcome(problems=tuple(found + more))
        files, refused = _references(library, article, html, css)
        made, failed = made_fonts(library, faces)
        if failed:
            return Outcome(problems=tuple(failed))
        printed = [*pictures.values()]
        if library.logo is not None:
            printed.append(library.logo.print_image(self.variant))
        return LeafletTask(
            name, html, css, tuple(face.digest for face in faces), files, refused,
            _metadata(article, library.config, library, self.variant), made,
            tuple(printed), tuple(dict.fromkeys(face.family for face in faces)),
        )  # fmt: skip

    def problems(self, library: Library, job: Job, outcome: Outcome) -> list[Problem]:
        article = library.article(job.article)
        return log_problems(outcome, article, library, self.variant)


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


def _stylesheet(
    library: Library, variant: str, direction: str, lang: str, faces: tuple[FontFace, ...]
) -> tuple[str, list[Problem]]:
    text, problems = _stylesheet_cached(library, variant, direction, lang, faces)
    return text, list(problems)


def made_fonts(
    library: Library, faces: tuple[FontFace, ...]
) -> tuple[tuple[tuple[str, bytes], ...], list[Problem]]:
    """The bytes of the leaflet's made fonts (static instances of variable ones, made once
    and kept in the output folder's cache for the next build), by digest; a clinic's
    font that cannot be made static is C111 at its careleaf.toml line."""
    cache = library.output / INTERNAL / "fonts"
    made: list[tuple[str, bytes]] = []
    problems: list[Problem] = []
    for face in faces:
        if not face.font.generated:
            continue
        try:
            made.append((face.digest, face.font.data(cache)))
        except Exception as exc:  # fontTools' instancer raises many kinds for a damaged font
            clinic = next((c for c in library.config.fonts if face.font in c.faces), None)
            if clinic is None:  # careleaf's own fonts are made in its tests
                raise
            path = library.config.path or Path("careleaf.toml")
            message = f"the font '{face.family}' could not be made static: {exc}"[:300]
            problems.append(error(path, clinic.line, "C111", message, hint=CLINIC_FONT_HINT))
    return tuple(made), problems


def _html(
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
    return printable(text), problems


def _metadata(article: Article, config: Config, library: Library, edition: str) -> Metadata:
    m = article.manuscript
    labels = link_labels(article.body, library.layouts.gettext(article.lang))
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


def _references(
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


def log_problems(
    outcome: Outcome, article: Article, library: Library, variant: str
) -> list[Problem]:
    """What the render task reported, as problems placed at the line that caused them."""
    problems: list[Problem] = []
    layouts = library.layouts
    m = article.manuscript
    for level, message, *args in outcome.logs:
        first, last, source = (*args, "", "", "leaflet.html")[:3]
        layout = layouts.path(
            source if source in ("leaflet.css", "leaflet.html") else "leaflet.html"
        )
        code = "P601" if REFUSED in message else "P602"
        if level == "failed":
            problems.append(error(m.path, 1, "P604", f"the leaflet could not be made: {message}"))
        elif message.startswith("Failed to load") and first:
            path, line = _place(first, article, library)
            what = "image" if "image" in message else "stylesheet"
            problems.append(
                error(path, line, code, f"the {what} could not be used: {_reason(last)}")
            )
        elif message.startswith(".notdef glyph"):
            problems += drawn_elsewhere({"": first}, "", article, layouts)
        elif "cannot be loaded" in message:
            problems.append(error(layout, 1, code, f"a font could not be used: {message}"))
        elif level in ("ERROR", "CRITICAL"):
            problems.append(error(layout, 1, "P604", f"WeasyPrint: {message}"))
        else:
            problems.append(warning(layout, 1, "P605", f"WeasyPrint: {message}"))
    foreign: Mapping[str, str] = outcome.info.get("foreign_fonts", {})
    if foreign:  # checks found none of these: they come from a layout, say which
        pictures = print_pictures(article, library.config.print.paper, variant)
        html, _ = _html(article, library, variant, pictures)
        problems += drawn_elsewhere(foreign, html, article, layouts)
    return problems


def _reason(cause: str) -> str:
    """Why WeasyPrint could not use a file, in words: its exception often has none (an
    image it cannot decode), and its wrapper's name is no reason ("Missing: ...")."""
    kind, _, text = cause.partition(": ")
    text = text.split(": ", 1)[-1].strip() if text else ""
    if text:
        return text
    if kind == "ImageLoadingError":
        return (
            "the file is not a picture careleaf can read: it may be empty, damaged, or of "
            "another type than its name says"
        )
    return f"it could not be read ({kind})" if kind else "it could not be read"


def _place(url: str, article: Article, library: Library) -> tuple[Path | str, int]:
    """Where a resource's address was written: a manuscript line, or a layout's line."""
    for image in article.images:
        if image.picture is not None and url.startswith(PICTURES_URL + image.picture.stem):
            return article.manuscript.path, image.line
    target = None
    for image in article.images:
        if image.picture is not None and url.startswith(PICTURES_URL + image.picture.stem):
            return article.manuscript.path, image.line
    if url.startswith(MANUSCRIPTS_URL):
        written = unquote(url[len(MANUSCRIPTS_URL) :])
        target = (article.manuscript.path.parent / written).resolve()
    for image in article.images:
        if (target is not None and image.path == target) or (image.src and url.endswith(image.src)):
            return article.manuscript.path, image.line
    parts = urlsplit(url)
    needle = Path(unquote(parts.path)).name if parts.scheme == "file" else url
    for name in ("leaflet.css", "leaflet.html"):
        layout = library.layouts.path(name)
        lines = layout.read_text(encoding="utf-8").split("\n")
        for number, line in enumerate(lines, start=1):
            if needle and needle in line:
                return display_path(layout), number
    return display_path(library.layouts.path("leaflet.html")), 1
