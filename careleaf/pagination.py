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

Nothing may run past the page. The stylesheet lets a word longer than the line break
(``overflow-wrap``), but a table's columns are never narrower than the longest word
in them, so a table with many columns can be wider than its column. Before the pages
are filled, such a table is mended once (``_widen``): a word in its cells may break
anywhere, its cells' padding is halved, and it may reach the page's edge when the
text column (the measure) is narrower than the page. What still runs past the page's
content box after that (a table of forty columns, a picture of a layout's own with a
fixed width) is listed in ``Layout.overflows``: the build says so (P607).
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
    widened: int = 0  # tables made to fit the column or the page (``_widen``)
    overflows: tuple[str, ...] = ()  # text of what still runs past a page's content box


def lay_out(render: Callable[[], Any]) -> Layout:
    """``render()`` (a WeasyPrint ``HTML.render`` of the leaflet) and, while a page but
    the last is less than half full and the block that begins the next page can be
    mended, that block mended and the leaflet rendered again."""
    document = render()
    widened = _widen(document)
    if widened:
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
            return Layout(document, tuple(fills), mended, widened, _overflows(document))
        document = render()
    fills = [_fill(page._page_box) for page in document.pages]
    return Layout(document, tuple(fills), mended, widened, _overflows(document))


_SLACK = 0.5  # CSS px: rounding, never a glyph's worth


def _wide_tables(box: Any, left: float, right: float) -> Iterator[tuple[Any, float, float]]:
    """Each table (its wrapper box) wider than the content box of the block it is in,
    with that block's content edges; ``left`` and ``right`` are ``box``'s own."""
    from weasyprint.formatting_structure.boxes import TableBox

    for child in getattr(box, "children", ()):
        if getattr(child, "is_table_wrapper", False):
            x, width = float(child.border_box_x()), float(child.border_width())
            if x < left - _SLACK or x + width > right + _SLACK:
                yield child, left, right
            continue  # a table inside a table's cell grows with its own
        if isinstance(child, TableBox) or not hasattr(child, "content_box_x"):
            continue
        if child.width == "auto" or not hasattr(child, "children"):
            continue
        inner = float(child.content_box_x())
        yield from _wide_tables(child, inner, inner + float(child.width))


def _widen(document: Any) -> int:
    """Mend each table wider than its block (see the module's docstring); how many."""
    done: dict[int, Any] = {}
    for child, left, right in _page_blocks(document):
        for wrapper, inner_left, inner_right in _wide_tables(child, left, right):
            table = wrapper.get_wrapped_table()
            element = table.element
            if element is None or id(element) in done:
                continue
            done[id(element)] = element
            # the room between the block's edge and the page's, on the end side
            rtl = table.style["direction"] == "rtl"
            room = max(inner_left - left if rtl else right - inner_right, 0.0)
            _set_style(
                element,
                f"overflow-wrap: anywhere; width: auto; margin-inline-end: {-room:.2f}px",
            )
            for cell in element.iter():
                if cell.tag in ("th", "td"):
                    _set_style(cell, "padding-inline: 0.25em")
    return len(done)


def _page_blocks(document: Any) -> Iterator[tuple[Any, float, float]]:
    """Each page's top boxes of the body (not its margin boxes: running header and
    footer), with the page's content edges, left and right."""
    for page in document.pages:
        box = page._page_box
        left = float(box.content_box_x())
        right = left + float(box.width)
        for child in box.children:
            if getattr(child, "element", None) is not None:
                yield child, left, right


def _overflows(document: Any) -> tuple[str, ...]:
    """What is drawn past a page's content box, left or right (what a printed page
    loses): a table's words, a paragraph's, or a picture's alt text; once each."""
    found: dict[str, None] = {}
    for child, left, right in _page_blocks(document):
        for what in _past(child, left, right, None):
            found[what] = None
    return tuple(found)


def _past(box: Any, left: float, right: float, table: Any) -> Iterator[str]:
    """What of ``box`` is drawn outside ``left``..``right``: the text of the table it is
    in (``table``), else its own text, or a picture's alt text."""
    from weasyprint.formatting_structure.boxes import ReplacedBox, TextBox

    if getattr(box, "is_table_wrapper", False):
        table = box.get_wrapped_table().element
    if isinstance(box, TextBox | ReplacedBox):
        if isinstance(box, TextBox):
            x, width = float(box.position_x), float(box.width)
        else:
            x, width = float(box.border_box_x()), float(box.border_width())
        if x < left - _SLACK or x + width > right + _SLACK:
            yield _described(table if table is not None else box.element, box)
        return
    for child in getattr(box, "children", ()):
        yield from _past(child, left, right, table)


def _described(element: Any, box: Any) -> str:
    if element is None:
        return str(getattr(box, "text", "")).strip()
    if element.tag == "img":
        alt = element.get("alt")
        return f"a picture ({alt})" if alt else "a picture"
    text = " ".join("".join(element.itertext()).split())
    return f"a table: {text}" if element.tag == "table" else text


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
