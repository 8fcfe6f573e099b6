"""No wasted pages: a leaflet is laid out again until no page but the last is less than
half full, when that can be done.

The stylesheet keeps small things whole (a figure, a callout, a short table, a part of
the closing block) and a heading with what follows it. When such a block does not fit
in what is left of a page it moves to the next one, and a page can be left mostly
empty. After WeasyPrint has laid the leaflet out, ``lay_out`` measures how far down
each page's body area its content reaches (text lines, pictures, boxed text); where a
page (not the last) is less than half full because the block that starts the next
page was kept whole, that block is allowed to break (a callout, a table, a list), or
its picture is printed smaller to fit (down to ``SMALLEST`` of its size, with its
caption), and the leaflet is laid out again. What cannot be mended so (a picture that
would have to shrink more) stays as it is. Pure and deterministic: the same leaflet
always gets the same pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

HALF = 0.5  # a page (not the last) less full than this is wasted paper
SMALLEST = 0.6  # a picture may be printed down to this share of its size to fit a page
ROUNDS = 8  # at most this many layouts of one leaflet
_GAP = 2.0  # CSS px left free under a shrunk picture


@dataclass(frozen=True)
class Layout:
    document: Any  # weasyprint.document.Document
    fills: tuple[float, ...]  # each page's share of its body area that content reaches
    mended: int = 0  # blocks allowed to break or pictures shrunk to fill pages


def lay_out(render: Callable[[], Any]) -> Layout:
    """``render()`` (a WeasyPrint ``HTML.render`` of the leaflet) and, while a page but
    the last is less than half full and the block that begins the next page can be
    mended, that block mended and the leaflet rendered again."""
    document = render()
    mended = 0
    tries: dict[int, int] = {}  # element -> times mended: a picture shrinks a bit more each time
    for _ in range(ROUNDS):
        pages = [page._page_box for page in document.pages]
        fills = [_fill(page) for page in pages]
        for number in range(len(pages) - 1):
            if fills[number] < HALF and _mend(pages[number], pages[number + 1], tries):
                mended += 1
                break
        else:
            return Layout(document, tuple(fills), mended)
        document = render()
    return Layout(document, tuple(_fill(page._page_box) for page in document.pages), mended)


def _body(page: Any) -> tuple[float, float]:
    top = float(page.content_box_y())
    return top, top + float(page.height)


def _boxes(page: Any) -> Iterator[Any]:
    """The boxes of the page's body area (not the running header and footer)."""
    from weasyprint.formatting_structure.boxes import MarginBox

    for child in page.children:
        if not isinstance(child, MarginBox):
            yield from child.descendants()


def _bottom(page: Any) -> float:
    """How far down the page its content reaches: text lines, pictures, and boxes with a
    background or a bottom border (a callout's box)."""
    from weasyprint.formatting_structure.boxes import LineBox, ReplacedBox

    top, _ = _body(page)
    lowest = top
    for box in _boxes(page):
        if isinstance(box, LineBox | ReplacedBox) or _painted(box):
            lowest = max(lowest, float(box.border_box_y() + box.border_height()))
    return lowest


def _painted(box: Any) -> bool:
    style = getattr(box, "style", None)
    if style is None or getattr(box, "element", None) is None:
        return False
    colour = style["background_color"]
    return bool(box.border_bottom_width) or bool(getattr(colour, "alpha", 0))


def _fill(page: Any) -> float:
    top, bottom = _body(page)
    return max(0.0, min(1.0, (_bottom(page) - top) / (bottom - top))) if bottom > top else 1.0


def _mend(page: Any, following: Any, tries: dict[int, int]) -> bool:
    """Mend the block kept whole that begins ``following`` and left ``page`` under half
    full: let it break, or print its picture smaller. False when there is none."""
    before = {id(box.element) for box in _boxes(page) if getattr(box, "element", None) is not None}
    needed, kept = _kept_block(following, before)
    if kept is None:
        return False
    picture = _picture(kept)
    if picture is None:
        if id(kept.element) in tries:
            return False  # it may break already: something else holds it
        tries[id(kept.element)] = 1
        _set_style(kept.element, "break-inside: auto")
        return True
    _, bottom = _body(page)
    free = bottom - _bottom(page) - _GAP
    height = float(picture.height)
    tried = tries.get(id(picture.element), 0)
    if height <= 0:
        return False
    # what it lacks, then 5% less each time (WeasyPrint can move a block that would
    # fit when the next cannot start on the page: the lines after it need room too)
    deficit = max(needed - free, 0.0)
    scale = (height - deficit) / height - 0.05 * (tried + (deficit == 0))
    if scale < SMALLEST:
        return False
    tries[id(picture.element)] = tried + 1
    _set_style(picture.element, f"max-height: {height * scale:.2f}px")
    return True


def _kept_block(page: Any, before: set[int]) -> tuple[float, Any | None]:
    """The first block on ``page`` that is kept whole and starts there (it has no part
    on the page before), with the height it needs with the headings kept with it (and
    the margin above them, dropped at the top of a page); or None."""
    needed = 0.0
    box = next(iter(page.children), None)
    while box is not None and getattr(box, "children", None):
        blocks = [child for child in box.children if _is_block(child)]
        if not blocks:
            return needed, None
        for child in blocks:
            if id(child.element) in before:
                break  # continued from the page before: look inside it
            if needed == 0:
                given = child.style["margin_top"]
                needed = float(given.value) - float(child.margin_top) if given.unit == "px" else 0
            needed += float(child.margin_height())
            if _picture(child) is not None or (
                child.style["break_inside"] in ("avoid", "avoid-page")
                and child.element_tag not in ("h1", "h2", "h3", "h4", "h5", "h6")
            ):
                return needed, child
            if child.style["break_after"] in ("avoid", "avoid-page"):
                continue  # a heading: kept with what follows it
            if not any(_is_block(grandchild) for grandchild in child.children):
                return needed, None  # a paragraph: it could have broken, and did not
            needed -= float(child.margin_height())
            break  # a section: what begins it may be kept whole
        else:
            return needed, None
        box = child
    return needed, None


def _picture(block: Any) -> Any | None:
    """The picture of a figure, or of a paragraph that holds a picture alone (a line
    that cannot be split): its box, or None."""
    from weasyprint.formatting_structure.boxes import ReplacedBox, TextBox

    if block.element_tag not in ("figure", "p"):
        return None
    pictures = [box for box in block.descendants() if isinstance(box, ReplacedBox)]
    if len(pictures) != 1:
        return None
    if block.element_tag == "p" and any(
        isinstance(box, TextBox) and box.text.strip() for box in block.descendants()
    ):
        return None
    return pictures[0]


def _is_block(box: Any) -> bool:
    from weasyprint.formatting_structure.boxes import BlockLevelBox

    return isinstance(box, BlockLevelBox) and getattr(box, "element", None) is not None


def _set_style(element: Any, declarations: str) -> None:
    """Add ``declarations`` to the element's own style (in WeasyPrint's tree only)."""
    given = (element.get("style") or "").strip().rstrip(";")
    element.set("style", f"{given}; {declarations}" if given else declarations)
