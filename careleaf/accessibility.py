"""EPUB Accessibility 1.1 discovery metadata, worked out from what the book holds.

Each claim follows from how careleaf builds the book: every article is text with
headings (A501 stops a build with an image lacking alt text), the navigation
document lists every article and its sections, the reading order is the collection
order, and the stylesheet leaves size, font and colours to the reader.
``tests/test_ebook.py`` checks each claim against the EPUB itself.
"""

from __future__ import annotations

from collections.abc import Callable

CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"


def describe(has_images: bool, gettext: Callable[[str], str]) -> list[tuple[str, str]]:
    """(property, value) pairs for the package metadata, in a fixed order."""
    modes = ["textual", "visual"] if has_images else ["textual"]
    features = ["structuralNavigation", "tableOfContents", "readingOrder"]
    if has_images:
        features.append("alternativeText")
    features += ["displayTransformability", "ARIA"]
    sufficient = ["textual", "textual,visual"] if has_images else ["textual"]
    pairs = [("schema:accessMode", mode) for mode in modes]
    pairs += [("schema:accessModeSufficient", value) for value in sufficient]
    pairs += [("schema:accessibilityFeature", feature) for feature in features]
    pairs.append(("schema:accessibilityHazard", "none"))
    pairs.append(("schema:accessibilitySummary", summary(has_images, gettext)))
    pairs.append(("dcterms:conformsTo", CONFORMS_TO))
    return pairs


def summary(has_images: bool, gettext: Callable[[str], str]) -> str:
    """The accessibility summary, in plain words, in the collection's language."""
    if has_images:
        first = gettext(
            "Everything in this e-book can be read as text: every picture has a text description."
        )
    else:
        first = gettext("Everything in this e-book is text; it has no pictures.")
    rest = gettext(
        "It has a table of contents, a heading for every section, and links between "
        "related articles. You can change the text size, font and colours in your "
        "reading app. Nothing flashes, moves or plays sound. It meets WCAG 2.2 at "
        "level AA."
    )
    return f"{first} {rest}"
