"""Colour contrast as WCAG 2 defines it (relative luminance, ratio 1 to 21)."""

from __future__ import annotations

MINIMUM_CONTRAST = 4.5  # WCAG 2.2 AA, normal text


def luminance(hex_colour: str) -> float:
    value = hex_colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# The lightest background of dark mode in careleaf's style.css (its callouts' tints are
# darker): the accent made for dark mode reads at 4.5:1 on it, so on all of them.
DARK_REFERENCE = "#2a2a2a"


def mix(colour: str, other: str, share: float) -> str:
    """``colour`` with ``share`` (0 to 1) of ``other`` mixed in, as #rrggbb."""
    a, b = colour.lstrip("#"), other.lstrip("#")
    channels = [
        round(int(a[i : i + 2], 16) * (1 - share) + int(b[i : i + 2], 16) * share)
        for i in (0, 2, 4)
    ]
    return "#" + "".join(f"{c:02x}" for c in channels)


def dark_accent(accent: str, background: str = DARK_REFERENCE) -> str:
    """The accent colour for dark mode: the configured accent (dark, to read on white)
    lightened, in steps of 5% white, until it reads at 4.5:1 on the dark background."""
    for step in range(21):
        colour = mix(accent, "#ffffff", step / 20)
        if contrast_ratio(colour, background) >= MINIMUM_CONTRAST:
            return colour
    return "#ffffff"
