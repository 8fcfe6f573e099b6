"""The clinic's logo, printed at the top of each leaflet's first page.

``[clinic] logo`` names an image file of the project (relative to careleaf.toml, e.g.
``images/logo.png``) and ``logo_alt`` what it says, for screen readers: in the PDF the
logo is content (a Figure with that alt text), since it says who made the leaflet; the
running header, which repeats the clinic's name on every page, is an artifact. The file
is read under the same policy as a manuscript's pictures (``careleaf.imagefile``: inside
the project, no link out of it, at most 25 MB) and decided from its bytes
(``careleaf.images``: cleaned, no metadata), once per build. It is printed 16 mm high
(at most 60 mm wide), and in large print as much larger as the text (17/12.5); its
pixels are scaled to 300 per inch at that size (``careleaf.printsize``). What is wrong
with it is a problem at its line of careleaf.toml: C113 (no such file in the project),
C114 (no alt text), C115 (not a picture careleaf can print), C116 (too few pixels).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from careleaf.config import Config, key_line
from careleaf.imagefile import load
from careleaf.images import Refusal
from careleaf.printsize import PRINT_DPI, SHARP_DPI, TEXT_SCALE, PrintImage, aspect_ratio
from careleaf.problems import Problem, error, warning
from careleaf.records import Picture

HEIGHT_MM = 16.0  # standard print; large print: times TEXT_SCALE
WIDEST_MM = 60.0
_MISSING = ("I201", "I202", "I215")  # no such file in the project (C113); the rest: C115


@dataclass(frozen=True)
class Logo:
    picture: Picture
    alt: str

    def size(self, edition: str) -> tuple[float, float]:
        """Printed width and height in millimetres."""
        scale = TEXT_SCALE if edition == "large-print" else 1.0
        height, widest = HEIGHT_MM * scale, WIDEST_MM * scale
        ratio = aspect_ratio(self.picture) or 3.0
        width = height * ratio
        if width > widest:
            width, height = widest, widest / ratio
        return width, height

    def shown(self, edition: str, base: str) -> dict[str, str]:
        """What the leaflet template needs: address (``base`` + name), alt text, size."""
        width, height = self.size(edition)
        src = base + self.print_image(edition).name
        return {"src": src, "alt": self.alt, "width": f"{width:.1f}mm", "height": f"{height:.1f}mm"}

    def print_image(self, edition: str) -> PrintImage:
        """What a leaflet of ``edition`` prints: at most 300 pixels per printed inch."""
        picture = self.picture
        if picture.kind == "svg":
            return PrintImage(picture.name, picture, 0)
        wanted = math.ceil(self.size(edition)[0] / 25.4 * PRINT_DPI)
        width = min(picture.print_size[0], wanted)
        return PrintImage(f"{picture.stem}-{width}.{picture.extension}", picture, width)


def load_logo(config: Config) -> tuple[Logo | None, list[Problem]]:
    """The clinic's logo (None when there is none, or it cannot be printed), and what is
    wrong with it, at its line of careleaf.toml."""
    clinic = config.clinic
    if not clinic.logo or config.path is None:
        return None, []
    lines = config.path.read_text(encoding="utf-8-sig").splitlines()
    line = key_line(lines, "clinic", "logo")
    problems: list[Problem] = []
    if not clinic.logo_alt.strip():
        problems.append(
            error(config.path, line, "C114", "the logo has no alt text",
                  hint=f'add a line under [clinic]: logo_alt = "{clinic.name} logo" (what the '
                  "logo shows or says, for patients who use a screen reader)")
        )  # fmt: skip
    found = load(clinic.logo, config.root, config.root)
    if isinstance(found, Refusal):
        if found.code in _MISSING:
            code, hint = (
                "C113",
                (
                    "put the logo file in the project folder (beside careleaf.toml, e.g. in "
                    'images/) and write its path from there: logo = "images/logo.png"'
                ),
            )
            message = (
                f"the logo file '{clinic.logo}' does not exist"
                if found.code == "I201"
                else f"the logo '{clinic.logo}' is not a file in the project folder"
            )
        else:
            code, hint, message = "C115", found.hint, f"the logo cannot be printed: {found.message}"
        return None, [*problems, error(config.path, line, code, message, hint=hint)]
    _, picture = found
    logo = Logo(picture, clinic.logo_alt.strip())
    if picture.kind != "svg":
        width_mm = logo.size("large-print")[0]
        dpi = picture.print_size[0] / (width_mm / 25.4)
        if dpi < SHARP_DPI:
            problems.append(
                warning(config.path, line, "C116",
                        f"the logo '{clinic.logo}' is {picture.source_size[0]} pixels across: "
                        f"printed {width_mm / 10:.1f} cm wide in large print, that is "
                        f"{dpi:.0f} pixels per inch, and under {SHARP_DPI} it looks blurred",
                        hint=f"use a logo at least {math.ceil(width_mm / 25.4 * PRINT_DPI)} "
                        "pixels across, or an SVG drawing")
            )  # fmt: skip
    return logo, problems
