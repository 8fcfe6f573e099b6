"""Tables in the braille edition: the HTML table model, read row by row.

A table is laid out as a grid first, as HTML lays it out (the table model of the HTML
standard): each cell covers every slot its ``rowspan`` and ``colspan`` say, a cell goes
into the first slot of its row that no cell from a row above covers, and rows may be
ragged. ``colspan`` is 1 to 1000 (HTML's limit); ``rowspan="0"``, and a ``rowspan``
longer than what is left of its row group (``thead``, ``tbody``, ``tfoot``, or rows
outside them), reach to the end of the row group. A table of more than ``MAX_SLOTS``
slots (no leaflet's) has its further cells' spans read as 1.

Header cells are ``th``, and every cell of a ``thead`` (authors write ``td`` there
too). A header cell is a column header when its ``scope`` says ``col`` or ``colgroup``,
or, without a scope, when it is in ``thead`` or shares its rows with nothing but header
cells and empty cells. Any other header cell is a row header (``scope="rowgroup"``: for
the rest of its row group), and so is a column header over no data cell in a row of
data (careleaf's raw HTML gives every ``th`` without a scope ``scope="col"``). A cell's
column headers are found as HTML finds them, looking up its columns: every column
header above it, except one hidden by a nearer header of the same columns further down
(a new header row between rows of data).

The braille reads, in a linear table format, one block (1-3) per row that holds a data
cell or a row header; rows of column headers are read only as the labels they are:

    Age: Child; Dose Morning and Evening: Half a tablet, twice
    Age: Adult; Dose Morning: 1 tablet; Dose Evening: 1 tablet
    Age: Adult; Dose Morning: 2 tablets; Dose Evening: none

- a row starts with its row headers, then its other cells in column order, separated by
  "; ", each after its column headers and ": " (a cell without column headers: its text
  alone; an empty cell: nothing);
- column headers stacked over each other read top down, joined by spaces ("Dose
  Morning"); a cell spanning columns is read once, after the headers of all its columns,
  those of one header row joined as the article's language lists things ("Morning and
  Evening", "Mañana y Noche");
- a cell spanning rows is read in every row it covers: each row reads whole ("Adult"
  labels both of its rows), as a braille reader reads one row at a time;
- a table of header cells only is read as if they were data; a row of column headers
  that labels nothing (a last row of ``th``) is read as a row, without labels.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from lxml import etree

from careleaf.brailletext import Run, tidy
from careleaf.i18n import babel_locale

MAX_COLSPAN = 1000  # the HTML standard's
MAX_SLOTS = 100_000
_GROUPS = ("thead", "tbody", "tfoot")


@dataclass(eq=False)
class Cell:
    element: etree._Element
    x: int
    y: int
    width: int
    height: int
    group: int  # the row group's number
    head: bool  # in thead
    header: bool
    scope: str  # "col", "row", "rowgroup" or "" (auto)
    empty: bool
    column_header: bool = False
    label: list[Cell] = field(default_factory=list)  # its column headers


@dataclass(frozen=True)
class Entry:
    """A cell as one row reads it: its element and its column headers, by header row."""

    element: etree._Element
    label: tuple[tuple[etree._Element, ...], ...]


def rows(table: etree._Element) -> list[list[Entry]]:
    """The table's rows as braille reads them, each its cells with their labels."""
    cells, covering = _grid(table)
    if not any(not cell.header for cell in cells):  # headers only: read them as data
        for cell in cells:
            cell.header = False
    data = [any(not c.header and not c.empty for c in row) for row in covering]
    for cell in cells:
        cell.column_header = cell.header and _column_header(cell, data)
    used = _label(cells)
    lost = [c for c in cells if c.column_header and id(c) not in used and _by_data(c, data)]
    for cell in lost:  # a column header over no data, in a row of data: that row's header
        cell.column_header = False
    if lost:
        used = _label(cells)
    carried: dict[int, list[Cell]] = {}  # row group -> its rowgroup headers so far
    read: list[list[Entry]] = []
    for y, row in enumerate(covering):
        in_row = [c for c in row if not c.column_header]
        if in_row:
            before = [h for h in carried.get(row[0].group, []) if h not in row]
            ordered = before + [c for c in in_row if c.header] + [c for c in in_row if not c.header]
            read.append([_entry(cell) for cell in ordered])
            for cell in in_row:
                if cell.header and cell.scope == "rowgroup" and cell.y == y:
                    carried.setdefault(cell.group, []).append(cell)
        else:  # column headers: read only if they label nothing
            unused = [c for c in row if c.y == y and id(c) not in used and not c.empty]
            if unused:
                read.append([Entry(cell.element, ()) for cell in unused])
    return read


def labelled(
    entry: Entry, runs_of: Callable[[etree._Element], tuple[Run, ...]], lang: str, table: str
) -> list[Run]:
    """A cell's column headers as runs: header rows joined by spaces, the headers of one
    row as the language lists things ("Morning and Evening")."""
    levels = [[runs for h in level if (runs := tidy(runs_of(h)))] for level in entry.label]
    result: list[Run] = []
    for level in (level for level in levels if level):
        if result:
            result.append(Run(" ", table, generated=True))
        result += _listed(level, lang, table)
    return result


def _listed(items: Sequence[tuple[Run, ...]], lang: str, table: str) -> list[Run]:
    """Items joined by the language's list patterns (CLDR: "{0}, {1}", "{0} and {1}")."""
    patterns = babel_locale(lang).list_patterns["standard"]

    def apply(pattern: str, first: list[Run], second: list[Run]) -> list[Run]:
        before, rest = pattern.split("{0}", 1)
        between, after = rest.split("{1}", 1)
        words = [Run(text, table, generated=True) for text in (before, between, after)]
        return [words[0], *first, words[1], *second, words[2]]

    if len(items) < 2:
        return list(items[0]) if items else []
    if len(items) == 2:
        return apply(patterns["2"], list(items[0]), list(items[1]))
    joined = apply(patterns["end"], list(items[-2]), list(items[-1]))
    for item in reversed(items[1:-2]):
        joined = apply(patterns["middle"], list(item), joined)
    return apply(patterns["start"], list(items[0]), joined)


def _entry(cell: Cell) -> Entry:
    levels: dict[int, list[etree._Element]] = {}
    for header in sorted(cell.label, key=lambda h: (h.y, h.x)):
        levels.setdefault(header.y, []).append(header.element)
    return Entry(cell.element, tuple(tuple(level) for _, level in sorted(levels.items())))


def _grid(table: etree._Element) -> tuple[list[Cell], list[list[Cell]]]:
    """The cells, in source order, and for each row of the grid the cells covering it,
    each once, in column order."""
    cells: list[Cell] = []
    slots: list[dict[int, Cell]] = []
    budget = MAX_SLOTS
    for number, (group, trs) in enumerate(_row_groups(table)):
        start = len(slots)
        slots += [{} for _ in trs]
        for index, tr in enumerate(trs):
            y, x = start + index, 0
            left = len(trs) - index
            for element in (e for e in tr if e.tag in ("td", "th")):
                while x in slots[y]:
                    x += 1
                width = max(1, min(_int(element.get("colspan"), 1), MAX_COLSPAN))
                height = _int(element.get("rowspan"), 1)
                height = left if height <= 0 or height > left else height
                if width * height > budget:
                    width = height = 1
                budget -= width * height
                head = group == "thead"
                cell = Cell(element, x, y, width, height, number, head,
                            header=head or element.tag == "th",
                            scope=_scope(element), empty=_empty(element))  # fmt: skip
                cells.append(cell)
                for row in slots[y : y + height]:
                    for column in range(x, x + width):
                        row.setdefault(column, cell)
                x += width
    covering = [list(dict.fromkeys(row[x] for x in sorted(row))) for row in slots]
    return cells, covering


def _row_groups(table: etree._Element) -> list[tuple[str, list[etree._Element]]]:
    """The row groups in source order; rows outside a group make one between groups."""
    groups: list[tuple[str, list[etree._Element]]] = []
    loose: list[etree._Element] = []
    for child in table:
        if child.tag == "tr":
            loose.append(child)
            continue
        if child.tag in _GROUPS:
            if loose:
                groups.append(("", loose))
                loose = []
            groups.append((str(child.tag), [row for row in child if row.tag == "tr"]))
    if loose:
        groups.append(("", loose))
    return groups


def _column_header(cell: Cell, data: list[bool]) -> bool:
    if cell.scope in ("row", "rowgroup"):
        return False
    return cell.scope == "col" or cell.head or not _by_data(cell, data)


def _by_data(cell: Cell, data: list[bool]) -> bool:
    """Whether a data cell with text shares a row with the cell (``data``: each row's)."""
    return any(data[cell.y : cell.y + cell.height])


def _label(cells: list[Cell]) -> set[int]:
    """Each cell's column headers, looking down each column: a header row after data
    (a new header block) hides the headers above it that span the same columns. The
    column headers that label a cell (their ids)."""
    columns: dict[int, list[Cell]] = {}
    for cell in cells:
        cell.label = []
    for cell in sorted(cells, key=lambda c: c.y):  # a column's cells top down
        for x in range(cell.x, cell.x + cell.width):
            columns.setdefault(x, []).append(cell)
    for column in columns.values():
        chain: list[tuple[Cell, int]] = []  # the headers so far, with their block's number
        block, in_block = 0, False
        for cell in column:
            if not cell.header:  # data: the next header starts a new block
                cell.label += [h for h, _ in chain if h not in cell.label]
                in_block = False
                continue
            if not in_block:
                block, in_block = block + 1, True
            if not cell.column_header:  # a row header: labelled, in a block of headers
                cell.label += [h for h, _ in chain if h not in cell.label]
                continue
            same = (cell.x, cell.width)
            chain = [(h, b) for h, b in chain if b == block or (h.x, h.width) != same]
            chain.append((cell, block))
    return {id(h) for cell in cells if not cell.column_header for h in cell.label}


def _scope(element: etree._Element) -> str:
    scope = (element.get("scope") or "").strip().lower()
    return {"col": "col", "colgroup": "col", "row": "row", "rowgroup": "rowgroup"}.get(scope, "")


def _empty(element: etree._Element) -> bool:
    return not "".join(element.itertext()).strip() and element.find(".//img") is None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
