"""The theme's colours: every text and accent colour of the layouts' stylesheets against
every background colour, in the page's colours and in dark mode, at 4.5:1 at least
(A508, WCAG 2.2 AA)."""

from __future__ import annotations

import re
from pathlib import Path

from careleaf.colour import MINIMUM_CONTRAST, contrast_ratio, dark_accent
from careleaf.config import Config
from careleaf.layouts import Layouts
from careleaf.problems import Problem, display_path, error

_TOKEN = re.compile(
    r"--(?P<name>[\w-]+)\s*:\s*(?P<value>#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b|\{\{[^}]*\}\})"
    r"|(?P<jinja>\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\})"
    r"|(?P<dark>@media[^{;]*prefers-color-scheme\s*:\s*dark[^{;]*\{)|(?P<open>\{)|(?P<close>\})"
)
Colours = dict[str, tuple[str, str, int]]  # property -> (colour, file, line)


def _hex(value: str, config: Config) -> str:
    if value.startswith("{{"):
        if "dark_accent" in value:
            return dark_accent(config.theme.accent)
        return config.theme.accent if "accent" in value else ""
    value = value.lstrip("#")
    return "#" + (value if len(value) == 6 else "".join(c * 2 for c in value))


def _schemes(path: Path, config: Config) -> dict[str, Colours]:
    """The colour custom properties of a stylesheet: those of the page (light), and of
    dark mode: the light ones with what ``@media (prefers-color-scheme: dark)`` sets."""
    light: Colours = {}
    dark: Colours = {}
    depth, dark_depth = 0, -1
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        for token in _TOKEN.finditer(text):
            if token.group("name"):
                value = token.group("value")
                colour, where, line = _hex(value, config), display_path(path), number
                if value.startswith("{{") and config.path is not None:
                    where, line = display_path(config.path), _accent_line(config.path)
                if colour:
                    (dark if dark_depth >= 0 else light).setdefault(
                        token.group("name"), (colour, where, line)
                    )
            elif token.group("dark") or token.group("open"):
                depth += 1
                dark_depth = depth if token.group("dark") else dark_depth
            elif token.group("close"):
                dark_depth = -1 if depth == dark_depth else dark_depth
                depth -= 1
    return {"": light, "dark mode": light | dark} if dark else {"": light}


def check_theme(config: Config, layouts: Layouts) -> list[Problem]:
    """Text and accent colours (CSS custom properties) against every background colour,
    in the page's colours and in dark mode; one problem per colour, naming the background
    it reads worst on."""
    failing: dict[tuple[str, int, str, str], list[tuple[float, str]]] = {}
    names = sorted({p.name for folder in layouts.folders for p in folder.glob("*.css")})
    for name in names:
        for scheme, colours in _schemes(layouts.path(name), config).items():
            backgrounds = {k: v[0] for k, v in colours.items() if "background" in k}
            for fore in ("text", "accent"):
                if fore not in colours:
                    continue
                colour, where, line = colours[fore]
                for back, background in sorted(backgrounds.items()):
                    ratio = contrast_ratio(colour, background)
                    if ratio < MINIMUM_CONTRAST:
                        what = f"{name}, {scheme}" if scheme else name
                        pair = f"--{fore} {colour} on --{back} {background} ({what})"
                        failing.setdefault((where, line, fore, scheme), []).append((ratio, pair))
    problems: list[Problem] = []
    for (where, line, fore, scheme), pairs in failing.items():
        ratio, pair = min(pairs)
        others = len(pairs) - 1
        more = f" (and on {others} other background{'s' * (others != 1)})" if others else ""
        change = (
            f"a lighter {fore} colour or a darker"
            if scheme
            else f"a darker {fore} colour or a lighter"
        )
        problems.append(
            error(
                where,
                line,
                "A508",
                f"{pair} has a contrast of only {ratio:.2f}:1; text needs "
                f"{MINIMUM_CONTRAST}:1{more}",
                hint=f"choose {change} background",
            )
        )
    return problems


def _accent_line(path: Path) -> int:
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    return next((n for n, t in enumerate(lines, 1) if re.match(r"\s*accent\s*=", t)), 1)
