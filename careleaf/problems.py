"""Problems: everything careleaf has to tell an editor about their input.

Every problem has a stable code (listed in ``CODES`` and documented in the README),
a severity, a place (file, line, optional column) and a plain-English message.
Stages never raise for bad input: they return problems, and the build stops
after collecting all of them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from pathlib import Path

from careleaf.characters import lone_surrogates_escaped

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


# Stable codes: never renumber or reuse one. The README's table mirrors this one
# (a test keeps them in step).
CODES: dict[str, str] = {
    # C: configuration (careleaf.toml)
    "C101": "the configuration file is not valid TOML",
    "C102": "a configuration value has the wrong type",
    "C103": "an unknown configuration key (ignored)",
    "C104": "a configuration value is not one careleaf accepts",
    "C105": "the layouts folder named in the configuration does not exist",
    "C110": "a font file or font package named in [[fonts]] is not there",
    "C111": "a font named in [[fonts]] is not a font careleaf can use, or cannot be made static",
    "C112": "a [[fonts]] setting has the wrong shape, or names a language tag that is not one",
    "C113": "the logo named in the configuration is not a file in the project",
    "C114": "the logo has no alt text (logo_alt)",
    "C115": "the logo file is not a picture careleaf can print",
    "C116": "the logo has too few pixels to print sharply",
    "C123": "a font of [[fonts]] has one weight only: bold text is printed in it too",
    "C124": "a font file named in [[fonts]] is outside the project (or a link out of it)",
    # M: manuscripts and their front matter
    "M101": "the front matter is not valid YAML or is not closed",
    "M102": "a required front matter key is missing",
    "M103": "a date is not a real date in YYYY-MM-DD form",
    "M104": "a front matter value has the wrong type",
    "M105": "a slug is not made of lower-case letters, digits and hyphens",
    "M106": "two manuscripts have the same slug",
    "M107": "a related slug names no article in the library",
    "M108": "an unknown front matter key (ignored)",
    "M109": "the manuscript is not UTF-8 text",
    "M110": "the manuscripts folder is missing or holds no manuscripts",
    "M111": "a related slug names the article itself",
    "M112": "the lang value is not a language tag",
    "M113": "a manuscript is a link to a file outside the manuscripts folder",
    "M114": "a ' #' in a front matter value starts a note: the rest of the line is left out",
    "M115": "the file name is not a slug: careleaf made one from it",
    "M120": "a manuscript is larger than [limits] manuscript_kb",
    "M121": "lists, quotes, emphasis, raw HTML or front matter are nested too deeply",
    "M122": "a line or paragraph holds a run of markup that would take too long to read",
    "M123": "an article would make a leaflet longer than [limits] leaflet_pages",
    "M124": "an invisible control character was removed from the body",
    "M125": "front matter text holds a bidi control character or nothing visible",
    "M126": "a manuscript cannot be read (not a file, a broken link, no permission)",
    "M127": "a front matter key is written twice, or is not a plain name",
    "M128": "more problems of one kind in one file were not listed",
    "M129": "a manuscript's file name is not UTF-8 text",
    "M130": "a callout names no kind careleaf knows (it is shown as a note)",
    "M131": 'a callout\'s first line is not !!! kind "Title" (unquoted title, extra words)',
    "M132": "a callout has no text",
    "M133": "'updated' or 'review_due' is a date before 'published'",
    "M140": "a leaflet reference is not a code careleaf prints",
    "M141": "two published articles have the same leaflet reference",
    # I: images and other resources the body points at
    "I201": "an image file does not exist",
    "I202": "an image points outside the project or at the web",
    "I203": "a link points at a page that is not in the library",
    "I204": "a link uses an address careleaf does not publish",
    "I205": "an SVG image holds script, event handlers or links to other files",
    "I206": "raw HTML careleaf does not publish was removed (script, style, forms, events...)",
    "I207": "a heading, link or image is written in raw HTML instead of Markdown",
    "I208": "a link's web, mail or phone address is malformed",
    "I209": "a path is written with backslashes (read as forward slashes)",
    "I210": "an image file holds another type of picture than its name says",
    "I211": "an image file is not a picture careleaf can read (a web page, PDF, damaged file)",
    "I212": "an image file is larger than 25 MB",
    "I213": "an image has more than 50 megapixels",
    "I214": "an image has too few pixels to print sharply at its printed size",
    "I215": "an image address holds a '?', '#' or '\\'",
    "I216": "an image's width setting is not one careleaf knows",
    "I217": "an image is animated: only its first picture is published",
    # H: headings
    "H401": "a heading skips a level",
    "H402": "a heading is empty",
    "H403": "a '#' heading in the body: the title is the page's only top heading",
    # A: accessibility of the content
    "A501": "an image has no alt text",
    "A502": "an image's alt text is a file name or a word like 'image' (says nothing)",
    "A503": "an image's alt text is longer than 250 characters",
    "A504": "a link's text does not say where it goes ('click here', 'read more')",
    "A505": "a link's text is a bare web address",
    "A506": "a link points at a section (#...) that does not exist",
    "A507": "a language tag is well formed but not a registered BCP 47 language",
    "A508": "a text colour has a contrast below 4.5:1 against its background",
    # R: readability and editorial review
    "R801": "the article reads above the target school grade",
    "R802": "a sentence is longer than 30 words",
    "R803": "a word is written in ALL CAPITALS",
    "R804": "the review date has passed: review the article before reprinting it",
    "R805": "the review date is within 60 days",
    "R806": "two articles have the same title",
    "R807": "an article has no summary",
    "R808": "an article has no text",
    # E: the e-book
    "E701": "an e-book layout does not make well-formed XHTML",
    "E702": "SOURCE_DATE_EPOCH is not a number of seconds (the newest article date is used)",
    "E703": "an image is of a type e-book readers cannot show",
    "E704": "the collection title gives no letters for the e-book's file name",
    # L: layouts and output
    "L301": "a layout template could not be rendered",
    "L302": "an output file could not be written",
    "L305": "another build is writing to the same output folder",
    "L310": "the Dask scheduler given with --scheduler or [build] scheduler cannot be reached",
    "L311": "the Dask scheduler went away during the build",
    "L312": "a Dask scheduler is asked for, but Dask (careleaf[dask]) is not installed",
    "L313": "a Dask scheduler or worker cannot run careleaf's tasks as this machine would",
    "L314": "the Dask scheduler has no worker",
    # P: print leaflets (PDF)
    "P601": "the leaflet refers to a file outside the project or to a web address",
    "P602": "a file the leaflet needs (image, stylesheet, font) is missing or unreadable",
    "P603": "a character is in none of the leaflet fonts",
    "P604": "WeasyPrint reported an error, or failed, while making the leaflet",
    "P605": "WeasyPrint ignored part of a leaflet layout or stylesheet",
    "P606": "an emoji sequence (flag, skin tone, keycap, joined emoji) leaflets cannot print",
    "P607": "something runs past a leaflet page's edge, even made to fit (a table of many columns)",
    # W: web edition
    "W901": "a translations slug names no article, the article itself, or a draft",
    "W902": "two articles that are translations of each other are in the same language",
    # B: braille
    "B951": "liblouis is not installed: the braille edition is not made",
    "B952": "liblouis cannot open a braille table careleaf uses: the braille edition is not made",
    "B953": "an article's language has no braille table: it has no braille edition",
    "B954": "a character has no braille in the article's table (spelled out or left out)",
    "B955": "liblouis failed while making a braille file",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a look) in the input."""

    path: str
    line: int
    code: str
    message: str
    severity: Severity = Severity.ERROR
    column: int | None = None
    hint: str | None = None
    draft: bool = False  # in a draft: printed, but it never stops the build

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unregistered problem code {self.code}")

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Problems in the order of the files and lines they point at."""
        return (self.path, self.line, self.column or 0, self.code, self.message)

    def __str__(self) -> str:
        place = f"{self.path}:{self.line}"
        if self.column is not None:
            place += f":{self.column}"
        draft = " (draft)" if self.draft else ""
        text = f"{place}: {self.severity} {self.code}{draft}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


def display_path(path: Path) -> str:
    """A path as the editor would type it: relative to the working folder when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path.absolute()) if relative.startswith("..") else relative


def problem(
    severity: Severity,
    path: Path | str,
    line: int,
    code: str,
    message: str,
    hint: str | None = None,
    column: int | None = None,
) -> Problem:
    """A problem at ``path:line`` (a path is shown as the editor would type it)."""
    where = path if isinstance(path, str) else display_path(path)
    return Problem(
        printable_text(where),
        max(line, 1),
        code,
        printable_text(message),
        severity,
        column,
        printable_text(hint) if hint is not None else None,
    )


def printable_text(text: str) -> str:
    """``text`` that any terminal can print, on one line: lone surrogates (from a file name
    that is not UTF-8, or a YAML escape) and control characters written out as escapes
    (a line break in what a message quotes, a link written over two lines, as \\n)."""
    text = lone_surrogates_escaped(text).replace("\r", "\\r").replace("\n", "\\n")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


error = partial(problem, Severity.ERROR)  # the build stops
warning = partial(problem, Severity.WARNING)  # worth a look; stops only with --strict


def summarised(problems: Iterable[Problem], keep: int = 10) -> list[Problem]:
    """The first ``keep`` problems of each code in each file, and for the rest one line
    (M128) saying how many more there are: 5000 bad links are not 5000 lines to read."""
    ordered = sorted(problems, key=Problem.sort_key)
    seen: dict[tuple[str, str], list[Problem]] = {}
    kept: list[Problem] = []
    for item in ordered:
        group = seen.setdefault((item.path, item.code), [])
        group.append(item)
        if len(group) <= keep:
            kept.append(item)
    for (path, code), group in seen.items():
        rest = group[keep:]
        if rest:
            worst = (
                Severity.ERROR
                if any(p.severity is Severity.ERROR for p in rest)
                else (Severity.WARNING)
            )
            kept.append(
                Problem(
                    path,
                    rest[0].line,
                    "M128",
                    f"{len(rest)} more {code} problems in this file, from this line on, "
                    f"are not listed; the first of them: {rest[0].message}",
                    worst,
                    rest[0].column,
                    f"fix the {code} problems listed, then run careleaf check again",
                    rest[0].draft,
                )
            )
    return sorted(kept, key=Problem.sort_key)


def has_errors(problems: Iterable[Problem], strict: bool = False) -> bool:
    """Whether the build must stop: an error (with ``strict``, a warning too) outside drafts."""
    return any((p.severity is Severity.ERROR or strict) and not p.draft for p in problems)


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 article', '2 articles', '0 errors' ("many" for a word without a plain -s)."""
    return f"{count} {word if count == 1 else many or word + 's'}"
