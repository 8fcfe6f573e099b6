"""How wide a picture is printed in a leaflet, and the pixels that needs.

A picture without a width setting is printed as it would show on a screen (one pixel
per 1/96 inch, WeasyPrint's and every browser's rule), at most as wide as the text
column; with one (``{: width=50% }``, ``{: width=small }``), it is that share of the
column. The column follows ``layouts/leaflet.css``: the page width of ``[print] paper``
less the ``@page`` margins, and in the standard edition at most the ``--measure``
(31em of 12.5pt type; 28em for Arabic). The large-print edition scales every picture
with its text (17pt for 12.5pt): its standard width times 17/12.5, at most the whole
column, set as a share of that column in steps of 5% (``printed_percent``). No picture
is taller than ``PICTURE_SHARE`` of the page's text area (``max_picture_height``, the
stylesheet's ``max-height``): a tall photo is printed narrower. Print needs about 300
pixels per inch: more are not kept, fewer than 150 show on paper (I214).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from careleaf.problems import Problem, warning

if TYPE_CHECKING:
    from careleaf.records import Article, Picture

PRINT_DPI = 300  # what a leaflet's pictures are scaled to at their printed size
SHARP_DPI = 150  # below this, a printed picture looks blurred (I214)
SCREEN_DPI = 96  # a picture without a width is printed one pixel per 1/96 inch
EDITIONS = ("standard", "large-print")
# layouts/leaflet.css: page widths and heights, @page margins, --measure, body sizes
PAPER_MM = {"A4": 210.0, "letter": 215.9, "A5": 148.0}
PAPER_HEIGHT_MM = {"A4": 297.0, "letter": 279.4, "A5": 210.0}
MARGINS_MM = {"standard": 20.0 + 20.0, "large-print": 18.0 + 18.0}  # left + right
VERTICAL_MARGINS_MM = {"standard": 22.0 + 24.0, "large-print": 20.0 + 30.0}  # top + bottom
MEASURE_EM, ARABIC_MEASURE_EM, BODY_PT = 31, 28, 12.5
LARGE_BODY_PT = 17.0
TEXT_SCALE = LARGE_BODY_PT / BODY_PT  # large print: pictures grow with the text
PICTURE_SHARE = 0.5  # no picture is taller than this share of the page's text area
# The most pixels any leaflet prints a picture with (full width, large print, letter).
PRINT_WIDTH = math.ceil(
    max((mm - MARGINS_MM["large-print"]) / 25.4 for mm in PAPER_MM.values()) * PRINT_DPI
)
SIZES = {"small": 25, "medium": 50, "large": 75, "full": 100}  # named widths, % of column
WIDTH_STEP = 5  # widths are kept in steps of 5%, one CSS class each (no inline styles)
_PERCENT = re.compile(r"\s*(\d{1,3})\s*%\s*")


def width_setting(value: str) -> int | None:
    """A manuscript's ``width=`` value as a percentage of the column (10 to 100, in steps
    of 5), or None when careleaf does not know it."""
    named = SIZES.get(value.strip().casefold())
    if named is not None:
        return named
    match = _PERCENT.fullmatch(value)
    if match is None or not 10 <= int(match.group(1)) <= 100:
        return None
    return max(10, round(int(match.group(1)) / WIDTH_STEP) * WIDTH_STEP)


def width_class(percent: int) -> str:
    """The class that sets a picture's width in every stylesheet (``width-50``)."""
    return f"width-{percent}"


def column_inches(paper: str, edition: str, lang: str) -> float:
    """The width of a leaflet's text column."""
    page = (PAPER_MM.get(paper, PAPER_MM["A4"]) - MARGINS_MM[edition]) / 25.4
    if edition == "large-print":
        return page  # --measure: 100%
    arabic = lang.split("-")[0].casefold() == "ar"
    return min(page, (ARABIC_MEASURE_EM if arabic else MEASURE_EM) * BODY_PT / 72)


def printed_inches(pixels: int, percent: int | None, column: float) -> float:
    """How wide a picture of ``pixels`` across is printed in a column of ``column`` inches."""
    if percent is not None:
        return column * percent / 100
    return min(column, pixels / SCREEN_DPI)


def max_picture_height(paper: str, edition: str) -> float:
    """The tallest a leaflet prints a picture, in inches: a share of the text area."""
    height = PAPER_HEIGHT_MM.get(paper, PAPER_HEIGHT_MM["A4"]) - VERTICAL_MARGINS_MM[edition]
    return height / 25.4 * PICTURE_SHARE


def natural_inches(picture: Picture) -> float | None:
    """How wide the picture is shown without a width setting (96 pixels to the inch; a
    drawing: the width it gives itself), or None for a drawing that sets none."""
    if picture.kind != "svg":
        return picture.print_size[0] / SCREEN_DPI
    return svg_width_inches(picture.data)


def printed_percent(
    picture: Picture, percent: int | None, paper: str, edition: str, lang: str
) -> int | None:
    """The share of the column (the class ``width-N``) a leaflet prints the picture at:
    the manuscript's own in standard print; in large print, the standard width scaled
    with the text, in steps of 5%. None: its natural width (standard print only)."""
    if edition != "large-print":
        return percent
    standard = column_inches(paper, "standard", lang)
    natural = natural_inches(picture) if percent is None else None
    inches = standard * percent / 100 if percent is not None else min(standard, natural or standard)
    share = inches * TEXT_SCALE / column_inches(paper, edition, lang)
    return min(100, max(10, round(share * 100 / WIDTH_STEP) * WIDTH_STEP))


def printed_width(
    picture: Picture, percent: int | None, paper: str, edition: str, lang: str
) -> float:
    """How wide (inches) a leaflet prints a picture (a raster: its pixels decide the
    height; no taller than ``max_picture_height``)."""
    column = column_inches(paper, edition, lang)
    share = printed_percent(picture, percent, paper, edition, lang)
    width, height = picture.print_size
    inches = printed_inches(width, share, column)
    if width and height:
        inches = min(inches, max_picture_height(paper, edition) * width / height)
    return inches


_LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+)\s*(px|pt|pc|mm|cm|in)?\s*")
_PER_INCH = {"px": 96.0, "pt": 72.0, "pc": 6.0, "mm": 25.4, "cm": 2.54, "in": 1.0}


def _svg_attribute(data: bytes, name: str) -> str | None:
    """An attribute of an SVG drawing's root element (careleaf's cleaned bytes)."""
    root = re.search(r"<svg\b[^>]*>", data[:4096].decode("utf-8", "ignore"))
    found = re.search(rf"\s{name}\s*=\s*[\"']([^\"']*)[\"']", root.group(0)) if root else None
    return found.group(1) if found else None


def _svg_length(data: bytes, name: str) -> float | None:
    match = _LENGTH.fullmatch(_svg_attribute(data, name) or "")
    if match is None or float(match.group(1)) <= 0:
        return None
    return float(match.group(1)) / _PER_INCH[match.group(2) or "px"]


def svg_width_inches(data: bytes) -> float | None:
    """The width an SVG drawing gives itself (its root's ``width``), in inches."""
    return _svg_length(data, "width")


def aspect_ratio(picture: Picture) -> float | None:
    """Width over height: of the pixels, or of a drawing's size or view box."""
    width, height = picture.print_size
    if picture.kind != "svg":
        return width / height if width and height else None
    across, down = _svg_length(picture.data, "width"), _svg_length(picture.data, "height")
    if across and down:
        return across / down
    box = (_svg_attribute(picture.data, "viewBox") or "").replace(",", " ").split()
    try:
        numbers = [float(part) for part in box]
    except ValueError:
        return None
    return numbers[2] / numbers[3] if len(numbers) == 4 and numbers[2] > 0 < numbers[3] else None


@dataclass(frozen=True)
class Sharpness:
    dpi: float  # pixels per inch on paper
    inches: float  # printed width
    edition: str


def sharpness(picture: Picture, percent: int | None, paper: str, lang: str) -> Sharpness | None:
    """The least sharp of the picture's printings (None for a drawing: SVG is sharp)."""
    if picture.kind == "svg":
        return None
    pixels = picture.print_size[0]
    found = []
    for edition in EDITIONS:
        inches = printed_width(picture, percent, paper, edition, lang)
        found.append(Sharpness(pixels / inches, inches, edition))
    return min(found, key=lambda s: s.dpi)


@dataclass(frozen=True)
class PrintImage:
    """A picture as one leaflet prints it: no more pixels than 300 per printed inch."""

    name: str  # the file name WeasyPrint is given
    picture: Picture
    width: int  # pixels across (0 for SVG)


def print_image(
    picture: Picture, percent: int | None, paper: str, edition: str, lang: str
) -> PrintImage:
    """What the leaflet prints for ``picture`` (cheap: names it, encodes nothing)."""
    if picture.kind == "svg":
        return PrintImage(picture.name, picture, 0)
    inches = printed_width(picture, percent, paper, edition, lang)
    width = min(picture.print_size[0], math.ceil(inches * PRINT_DPI))
    return PrintImage(f"{picture.stem}-{width}.{picture.extension}", picture, width)


def print_pictures(article: Article, paper: str, edition: str) -> dict[str, PrintImage]:
    """Each picture's address in the article's body -> what this leaflet prints for it
    (a picture shown at several widths: with the pixels of the widest)."""
    found: dict[str, PrintImage] = {}
    for image in article.images:
        if image.picture is not None:
            made = print_image(image.picture, image.width, paper, edition, article.lang)
            src = image.picture.src
            if src not in found or found[src].width < made.width:
                found[src] = made
    return found


_IMG = re.compile(r"<img\b[^>]*>")
_SRC = re.compile(r'\bsrc="([^"]*)"')
_WIDTH_CLASS = re.compile(r"\bwidth-(\d+)\b")


def print_sources(
    body: str, pictures: Mapping[str, PrintImage], base: str, paper: str, edition: str, lang: str
) -> str:
    """``body`` with each picture's address made ``base`` + the name of its print bytes,
    and its width class the one this leaflet prints it at (``printed_percent``)."""

    def printed(match: re.Match[str]) -> str:
        tag = match.group(0)
        src = _SRC.search(tag)
        picture = pictures.get(src.group(1)) if src else None
        if src is None or picture is None:
            return tag
        tag = tag.replace(src.group(0), f'src="{base}{picture.name}"')
        given = _WIDTH_CLASS.search(tag)
        percent = int(given.group(1)) if given else None
        share = printed_percent(picture.picture, percent, paper, edition, lang)
        if share is None or share == percent:
            return tag
        if given is not None:
            return tag.replace(given.group(0), width_class(share))
        if ' class="' in tag:
            return tag.replace(' class="', f' class="{width_class(share)} ', 1)
        return tag.replace("<img", f'<img class="{width_class(share)}"', 1)

    return _IMG.sub(printed, body)


def print_bytes(image: PrintImage) -> bytes:
    """The bytes of ``image``: the cleaned print picture, scaled down when it has more
    pixels than the leaflet prints (deterministic)."""
    if image.picture.kind == "svg":
        return image.picture.data
    from careleaf import raster  # Pillow, loaded only to scale a picture

    data, _ = raster.reencode(image.picture.print_data, image.picture.kind, image.width)
    return data


def sharpness_problems(article: Article, paper: str) -> list[Problem]:
    """I214 for each picture with too few pixels for the size it is printed at."""
    problems: list[Problem] = []
    for image in article.images:
        if image.picture is None:
            continue
        found = sharpness(image.picture, image.width, paper, article.lang)
        if found is None or found.dpi >= SHARP_DPI:
            continue
        width, height = image.picture.source_size
        where = "large-print leaflet" if found.edition == "large-print" else "leaflet"
        if image.width is None:
            column = column_inches(paper, found.edition, article.lang)
            hint = (
                f"use a picture at least {math.ceil(column * PRINT_DPI)} pixels across: "
                "it is then printed sharp across the whole column"
            )
        else:
            hint = (
                f"use a picture at least {math.ceil(found.inches * PRINT_DPI)} pixels "
                "across, or set a smaller width"
            )
        problems.append(
            warning(
                article.manuscript.path,
                image.line,
                "I214",
                f"the image '{image.src}' is {width} x {height} pixels: printed "
                f"{found.inches * 2.54:.1f} cm wide in the {where}, that is {found.dpi:.0f} "
                f"pixels per inch, and under {SHARP_DPI} it looks blurred on paper",
                hint=hint,
            )
        )
    return problems
