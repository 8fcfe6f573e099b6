"""Print leaflets: one tagged PDF (PDF/UA-1) per article, in two editions (standard and
large print), each an ``Edition`` of the build engine.

Planning happens here, in the parent: the leaflet's HTML and CSS, and every file they
refer to (``careleaf.leafletpage``), and its fonts (``careleaf.leafletfonts``). The
``LeafletTask`` (``careleaf.render``) then renders with WeasyPrint from that data alone;
what WeasyPrint reported comes back as log lines that become problems here, at the line
that caused them. Files: ``leaflets/<slug>.pdf`` and ``leaflets/large-print/<slug>.pdf``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urlsplit

from careleaf.coverage import drawn_elsewhere
from careleaf.engine import Built, Job, Outcome, Plan
from careleaf.fetcher import MANUSCRIPTS_URL, PICTURES_URL, REFUSED
from careleaf.fingerprint import digest
from careleaf.fontset import leaflet_clinic_fonts
from careleaf.glyphs import Font
from careleaf.leafletfonts import faces_for, made_fonts
from careleaf.leafletpage import (
    leaflet_html,
    leaflet_metadata,
    leaflet_references,
    leaflet_stylesheet,
)
from careleaf.library import Library
from careleaf.printsize import print_pictures
from careleaf.problems import Problem, display_path, error, warning
from careleaf.records import Article
from careleaf.render import LeafletTask

EDITIONS = {"standard": "leaflets/", "large-print": "leaflets/large-print/"}


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
        html, found = leaflet_html(article, library, self.variant, pictures)
        faces = faces_for(library.fonts, html, clinic)
        css, more = leaflet_stylesheet(
            library, self.variant, article.direction, article.lang, faces
        )
        if found or more:
            return Outcome(problems=tuple(found + more))
        files, refused = leaflet_references(library, article, html, css)
        made, failed = made_fonts(library, faces)
        if failed:
            return Outcome(problems=tuple(failed))
        printed = [*pictures.values()]
        if library.logo is not None:
            printed.append(library.logo.print_image(self.variant))
        return LeafletTask(
            name, html, css, tuple(face.digest for face in faces), files, refused,
            leaflet_metadata(article, library.config, library, self.variant), made,
            tuple(printed), tuple(dict.fromkeys(face.family for face in faces)),
        )  # fmt: skip

    def problems(self, library: Library, job: Job, outcome: Outcome) -> list[Problem]:
        article = library.article(job.article)
        return log_problems(outcome, article, library, self.variant)


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
    for text in outcome.info.get("overflows", ()):
        problems.append(_overflow(text, article, library, variant))
    foreign: Mapping[str, str] = outcome.info.get("foreign_fonts", {})
    if foreign:  # checks found none of these: they come from a layout, say which
        pictures = print_pictures(article, library.config.print.paper, variant)
        html, _ = leaflet_html(article, library, variant, pictures)
        problems += drawn_elsewhere(foreign, html, article, layouts)
    return problems


def _overflow(text: str, article: Article, library: Library, variant: str) -> Problem:
    """P607: ``text`` runs past the page's edge; at the body's line that holds its
    first word, else at the stylesheet (a layout's own)."""
    m = article.manuscript
    words = text.removeprefix("a table: ").split()
    place: tuple[Path | str, int] = (display_path(library.layouts.path("leaflet.css")), 1)
    for number, line in enumerate(m.body.split("\n")):
        if words and words[0] in line:
            place = (m.path, m.body_line + number)
            break
    shown = text if len(text) <= 60 else text[:59] + "…"
    edition = "large-print leaflet" if variant == "large-print" else "leaflet"
    return warning(
        *place,
        "P607",
        f"this runs past the edge of the {edition}'s page and is cut off in print: '{shown}'",
        "give the table fewer columns, or make two tables",
    )


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
