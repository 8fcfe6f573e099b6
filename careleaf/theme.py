"""The theme's colours: every text and accent colour of the layouts' stylesheets against
every background colour, at 4.5:1 at least (A508, WCAG 2.2 AA)."""

from __future__ import annotations

import re
from pathlib import Path

from careleaf.colour import MINIMUM_CONTRAST, contrast_ratio
from careleaf.config import Config
from careleaf.layouts import Layouts
from careleaf.problems import Problem, display_path, error

_PROPERTY = re.compile(r"--([\w-]+)\s*:\s*(#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b|\{\{[^}]*\}\})")


def _hex(value: str, config: Config) -> str:
    if value.startswith("{{"):
        return config.theme.accent if "accent" in value else ""
    value = value.lstrip("#")
    return "#" + (value if len(value) == 6 else "".join(c * 2 for c in value))


def check_theme(config: Config, layouts: Layouts) -> list[Problem]:
    """Text and accent colours (CSS custom properties) against every background colour;
    one problem per colour, naming the background it reads worst on."""
    failing: dict[tuple[str, int, str], list[tuple[float, str]]] = {}
    names = sorted({p.name for folder in layouts.folders for p in folder.glob("*.css")})
    for name in names:
        path = layouts.path(name)
        colours: dict[str, tuple[str, str, int]] = {}  # name -> (colour, file, line)
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in _PROPERTY.finditer(text):
                colour, where = _hex(match.group(2), config), display_path(path)
                if match.group(2).startswith("{{") and config.path is not None:
                    where, number = display_path(config.path), _accent_line(config.path)
                if colour:
                    colours.setdefault(match.group(1), (colour, where, number))
        backgrounds = {k: v[0] for k, v in colours.items() if "background" in k}
        for fore in ("text", "accent"):
            if fore not in colours:
                continue
            colour, where, line = colours[fore]
            for back, background in sorted(backgrounds.items()):
                ratio = contrast_ratio(colour, background)
                if ratio < MINIMUM_CONTRAST:
                    pair = f"--{fore} {colour} on --{back} {background} ({name})"
                    failing.setdefault((where, line, fore), []).append((ratio, pair))
    problems: list[Problem] = []
    for (where, line, fore), pairs in failing.items():
        ratio, pair = min(pairs)
        others = len(pairs) - 1
        more = f" (and on {others} other background{'s' * (others != 1)})" if others else ""
        problems.append(
            error(
                where,
                line,
                "A508",
                f"{pair} has a contrast of only {ratio:.2f}:1; text needs "
                f"{MINIMUM_CONTRAST}:1{more}",
                hint=f"choose a darker {fore} colour or a lighter background",
            )
        )
    return problems


def _accent_line(path: Path) -> int:
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    return next((n for n, t in enumerate(lines, 1) if re.match(r"\s*accent\s*=", t)), 1)
