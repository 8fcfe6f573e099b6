"""The test side's PDF/UA-1 validator: the Matterhorn protocol's machine-checkable
conditions for what careleaf's leaflets contain, one function per condition.

No full PDF/UA validator can be had here (veraPDF is in neither Debian nor npm),
so these checks read the PDF with pikepdf (objects, structure, metadata) and
pdfminer.six (glyphs, their marked content, their text and size). Each check
returns a list of failures: empty when the condition holds.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pikepdf import Array, Dictionary, Name

# ISO 32000-1, 14.8.4: the standard structure types
STANDARD_TYPES = frozenset(
    [
        "Document",
        "Part",
        "Art",
        "Sect",
        "Div",
        "BlockQuote",
        "Caption",
        "TOC",
        "TOCI",
        "Index",
        "NonStruct",
        "Private",
        "H",
        "H1",
        "H2",
        "H3",
        "H4",
        "H5",
        "H6",
        "P",
        "L",
        "LI",
        "Lbl",
        "LBody",
        "Table",
        "TR",
        "TH",
        "TD",
        "THead",
        "TBody",
        "TFoot",
        "Span",
        "Quote",
        "Note",
        "Reference",
        "BibEntry",
        "Code",
        "Link",
        "Annot",
        "Ruby",
        "RB",
        "RT",
        "RP",
        "Warichu",
        "WT",
        "WP",
        "Figure",
        "Formula",
        "Form",
    ]
)
TEXT_OPERATORS = frozenset({"Tj", "TJ", "'", '"'})
PAINT_OPERATORS = frozenset({"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "Do", "sh", "BI"})


@dataclass(frozen=True)
class Glyph:
    page: int
    text: str
    x0: float
    y0: float
    y1: float
    size: float
    font: str
    artifact: bool
    mcid: int | None
    run: int  # which marked-content sequence, counted through the document


@dataclass
class Leaflet:
    """One PDF, opened once, with what the checks read from it."""

    path: Path
    pdf: pikepdf.Pdf
    glyphs: list[Glyph] = field(default_factory=list)

    @classmethod
    def open(cls, path: Path) -> Leaflet:
        return cls(path, pikepdf.open(path), read_glyphs(path))


class _GlyphDevice(PDFPageAggregator):  # type: ignore[misc]
    """pdfminer's aggregator, noting the marked content each glyph is drawn in."""

    def __init__(self, manager: PDFResourceManager) -> None:
        super().__init__(manager, laparams=LAParams())
        self.marks: list[tuple[str, int | None, int]] = []
        self.runs = 0
        self.glyphs: list[Glyph] = []
        self.page_number = 0

    def begin_tag(self, tag: Any, props: Any = None) -> None:
        mcid = props.get("MCID") if isinstance(props, dict) else None
        self.runs += 1
        self.marks.append((tag.name, mcid, self.runs))

    def end_tag(self) -> None:
        if self.marks:
            self.marks.pop()

    def render_char(self, *args: Any, **kwargs: Any) -> float:
        advance: float = super().render_char(*args, **kwargs)
        char = self.cur_item._objs[-1]
        mcids = [mcid for _, mcid, _ in self.marks if mcid is not None]
        self.glyphs.append(
            Glyph(
                self.page_number,
                char.get_text(),
                char.x0,
                char.y0,
                char.y1,
                char.size,
                char.fontname,
                any(tag == "Artifact" for tag, _, _ in self.marks),
                mcids[-1] if mcids else None,
                self.marks[-1][2] if self.marks else 0,
            )
        )
        return advance


def read_glyphs(path: Path) -> list[Glyph]:
    manager = PDFResourceManager()
    device = _GlyphDevice(manager)
    interpreter = PDFPageInterpreter(manager, device)
    with path.open("rb") as stream:
        for number, page in enumerate(PDFPage.get_pages(stream)):
            device.page_number = number
            interpreter.process_page(page)
    return device.glyphs


# --- text as a reader gets it -------------------------------------------------------


def _strong_ltr(unit: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("L", "EN") for c in unit)


def _strong_rtl(unit: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL", "AN") for c in unit)


def logical_order(units: list[str], rtl_document: bool = False) -> str:
    """A right-to-left line drawn in visual order, back in reading order, the way PDF
    viewers read it (pdfium, poppler, pdf.js, MuPDF).

    Each unit is one glyph's text, as its ToUnicode entry says. A right-to-left run is
    reversed character by character, the characters of a ligature's entry too: that is
    what the viewers do, so a ligature whose entry is written in reading order ('لآ')
    comes out backwards ('آل') here as it does there (careleaf writes such entries
    backwards, careleaf.tounicode.reverse_right_to_left). Runs of left-to-right text
    inside keep their order. A run with no letters at all (a number and its full stop)
    takes the document's direction.
    """
    rtl, ltr = sum(map(_strong_rtl, units)), sum(map(_strong_ltr, units))
    letters_ltr = any(unicodedata.bidirectional(c) == "L" for unit in units for c in unit)
    right_to_left = rtl_document if not rtl and not letters_ltr else rtl > ltr
    if not right_to_left:
        return "".join(units)
    runs: list[tuple[bool, list[str]]] = []
    for unit in units:
        kind = True if _strong_ltr(unit) else False if _strong_rtl(unit) else None
        if runs and (kind is None or kind == runs[-1][0]):
            runs[-1][1].append(unit)
        else:
            runs.append((bool(kind), [unit]))
    ordered: list[tuple[bool, list[str]]] = []
    for ltr, members in runs:  # neutrals at an LTR run's edges belong to the RTL text
        if not ltr:
            ordered.append((False, members))
            continue
        end = max(i for i, u in enumerate(members) if _strong_ltr(u)) + 1
        ordered.append((True, members[:end]))
        if members[end:]:
            ordered.append((False, members[end:]))
    return "".join(
        "".join(members) if ltr else "".join(members)[::-1] for ltr, members in reversed(ordered)
    )


def reading_lines(glyphs: list[Glyph], artifacts: bool = False) -> list[str]:
    """The tagged text (or the artifacts' text), line by line, top to bottom, page by page."""
    lines: list[tuple[int, float, float, list[Glyph]]] = []
    for glyph in sorted((g for g in glyphs if g.artifact == artifacts), key=lambda g: -g.size):
        for page, low, high, members in lines:
            overlap = min(high, glyph.y1) - max(low, glyph.y0)
            if page == glyph.page and overlap >= 0.5 * (glyph.y1 - glyph.y0):
                members.append(glyph)
                break
        else:
            lines.append((glyph.page, glyph.y0, glyph.y1, [glyph]))
    stream_order = {id(g): i for i, g in enumerate(glyphs)}
    text: list[str] = []
    for _, _, _, members in sorted(lines, key=lambda line: (line[0], -line[2])):
        members.sort(key=lambda g: stream_order[id(g)])
        runs: list[list[Glyph]] = []  # a run: consecutive glyphs of one marked content
        for glyph in members:
            if runs and runs[-1][-1].mcid == glyph.mcid:
                runs[-1].append(glyph)
            else:
                runs.append([glyph])
        runs.sort(key=lambda run: min(g.x0 for g in run))
        text.append(logical_order([g.text for run in runs for g in run]))
    return text


_MIRRORED = str.maketrans("()[]{}<>«»", "(((({{<<««")


def letters(text: str) -> str:
    """Text compared letter for letter.

    Whitespace goes (pdfminer cannot tell a space from a gap); mirrored brackets are
    made one; and within each word the combining marks (Arabic harakat, tanween,
    shadda) move to the word's end, in a fixed order: inside a ligature a mark's
    place among the ligature's letters is not recorded in the PDF, only its word.
    """
    words = []
    for word in unicodedata.normalize("NFC", text).translate(_MIRRORED).split():
        marks = sorted(c for c in word if unicodedata.category(c) == "Mn")
        words.append("".join(c for c in word if unicodedata.category(c) != "Mn") + "".join(marks))
    return "".join(words)


# --- structure ----------------------------------------------------------------------


def struct_elements(pdf: pikepdf.Pdf) -> Iterator[Dictionary]:
    """The structure elements in document order (depth first)."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return
    stack = list(reversed(_kids(root)))
    while stack:
        kid = stack.pop()
        if isinstance(kid, Dictionary) and kid.get("/Type") not in (Name.MCR, Name.OBJR):
            yield kid
            stack.extend(reversed(_kids(kid)))


def _kids(element: Any) -> list[Any]:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def role(element: Dictionary, pdf: pikepdf.Pdf) -> str:
    """The element's standard type, following the role map."""
    kind = str(element.get("/S", ""))[1:]
    role_map = pdf.Root.StructTreeRoot.get("/RoleMap", Dictionary())
    seen = set()
    while kind not in STANDARD_TYPES and f"/{kind}" in role_map and kind not in seen:
        seen.add(kind)
        kind = str(role_map[f"/{kind}"])[1:]
    return kind


def tagged_mcids(pdf: pikepdf.Pdf) -> set[tuple[tuple[int, int], int]]:
    found: set[tuple[tuple[int, int], int]] = set()
    for element in struct_elements(pdf):
        page = element.get("/Pg")
        for kid in _kids(element):
            if isinstance(kid, int) and page is not None:
                found.add((page.objgen, int(kid)))
            elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.MCR:
                found.add((kid.get("/Pg", page).objgen, int(kid.MCID)))
    return found


def content_marks(pdf: pikepdf.Pdf) -> Iterator[tuple[int, str, list[tuple[str, int | None]]]]:
    """(page, operator, marked-content stack) for every operator of every page."""
    for number, page in enumerate(pdf.pages):
        stack: list[tuple[str, int | None]] = []
        for instruction in pikepdf.parse_content_stream(page):
            operator = str(instruction.operator)
            if operator in ("BDC", "BMC"):
                tag = str(instruction.operands[0])[1:]
                props = instruction.operands[1] if operator == "BDC" else None
                mcid = (
                    int(props.MCID) if isinstance(props, Dictionary) and "/MCID" in props else None
                )
                stack.append((tag, mcid))
            elif operator == "EMC" and stack:
                stack.pop()
            yield number, operator, list(stack)


Check = Callable[[Leaflet], list[str]]


# --- the conditions -------------------------------------------------------------------


def artifact_inside_tagged_content(leaflet: Leaflet) -> list[str]:
    """01-003: content marked as Artifact is present inside tagged content."""
    return [
        f"page {page + 1}: an artifact inside tagged content"
        for page, operator, stack in content_marks(leaflet.pdf)
        if operator in ("BDC", "BMC")
        and stack[-1][0] == "Artifact"
        and any(mcid is not None for _, mcid in stack[:-1])
    ]


def tagged_content_inside_artifact(leaflet: Leaflet) -> list[str]:
    """01-004: tagged content is present inside content marked as Artifact."""
    return [
        f"page {page + 1}: tagged content (MCID {stack[-1][1]}) inside an artifact"
        for page, operator, stack in content_marks(leaflet.pdf)
        if operator == "BDC"
        and stack[-1][1] is not None
        and any(tag == "Artifact" for tag, _ in stack[:-1])
    ]


def content_neither_tagged_nor_artifact(leaflet: Leaflet) -> list[str]:
    """01-005: content is neither marked as Artifact nor tagged as real content.

    Every text and painting operator must lie inside an artifact or inside marked
    content whose MCID the structure tree reaches (WeasyPrint issue #1836 leaves
    running headers and footers outside both).
    """
    tagged = tagged_mcids(leaflet.pdf)
    pages = [page.obj.objgen for page in leaflet.pdf.pages]
    failures = []
    for page, operator, stack in content_marks(leaflet.pdf):
        if operator not in TEXT_OPERATORS | PAINT_OPERATORS:
            continue
        if any(tag == "Artifact" for tag, _ in stack):
            continue
        if not any((pages[page], mcid) in tagged for _, mcid in stack if mcid is not None):
            failures.append(f"page {page + 1}: '{operator}' is neither tagged nor an artifact")
    return failures


def suspects(leaflet: Leaflet) -> list[str]:
    """01-007: the MarkInfo dictionary has Suspects true (or the document is not marked)."""
    mark_info = leaflet.pdf.Root.get("/MarkInfo", Dictionary())
    failures = [] if mark_info.get("/Marked") is True else ["MarkInfo /Marked is not true"]
    if mark_info.get("/Suspects") is True:
        failures.append("MarkInfo /Suspects is true")
    if "/StructTreeRoot" not in leaflet.pdf.Root:
        failures.append("there is no structure tree")
    return failures


def non_standard_types(leaflet: Leaflet) -> list[str]:
    """02-001: a structure type that is not standard and not role-mapped to one."""
    return sorted(
        {
            f"structure type /{role(e, leaflet.pdf)} is not a standard type"
            for e in struct_elements(leaflet.pdf)
            if role(e, leaflet.pdf) not in STANDARD_TYPES
        }
    )


def xmp_metadata(leaflet: Leaflet) -> list[str]:
    """06-001 / 06-002 / 06-003: XMP metadata with the PDF/UA identifier and dc:title."""
    if "/Metadata" not in leaflet.pdf.Root:
        return ["06-001: the catalog has no XMP metadata stream"]
    xmp = leaflet.pdf.open_metadata()
    failures = []
    if str(xmp.get("pdfuaid:part", "")) != "1":
        failures.append("06-002: the XMP metadata has no pdfuaid:part 1")
    if not str(xmp.get("dc:title", "")).strip():
        failures.append("06-003: the XMP metadata has no dc:title")
    return failures


def display_doc_title(leaflet: Leaflet) -> list[str]:
    """07-001 / 07-002: ViewerPreferences has DisplayDocTitle, and it is true."""
    preferences = leaflet.pdf.Root.get("/ViewerPreferences", Dictionary())
    if "/DisplayDocTitle" not in preferences:
        return ["07-001: ViewerPreferences has no DisplayDocTitle"]
    return [] if preferences.DisplayDocTitle is True else ["07-002: DisplayDocTitle is false"]


_TABLE_PARENTS = {
    "TR": {"Table", "THead", "TBody", "TFoot"},
    "TH": {"TR"},
    "TD": {"TR"},
    "THead": {"Table"},
    "TBody": {"Table"},
    "TFoot": {"Table"},
}
_LIST_PARENTS = {"LI": {"L"}, "Lbl": {"LI"}, "LBody": {"LI"}}


def _nesting(leaflet: Leaflet, parents: dict[str, set[str]]) -> list[str]:
    failures = []
    for element in struct_elements(leaflet.pdf):
        kind = role(element, leaflet.pdf)
        parent = element.get("/P")
        parent_kind = role(parent, leaflet.pdf) if isinstance(parent, Dictionary) else ""
        if kind in parents and parent_kind not in parents[kind]:
            failures.append(f"/{kind} inside /{parent_kind}")
    return failures


def table_structure(leaflet: Leaflet) -> list[str]:
    """09-004: a table element used outside the table structure of ISO 32000-1 Table 337."""
    failures = _nesting(leaflet, _TABLE_PARENTS)
    for element in struct_elements(leaflet.pdf):
        if role(element, leaflet.pdf) == "TR":
            kinds = {role(k, leaflet.pdf) for k in _kids(element) if isinstance(k, Dictionary)}
            if kinds - {"TH", "TD"}:
                failures.append(f"a /TR holds {sorted(kinds - {'TH', 'TD'})}")
    return failures


def list_structure(leaflet: Leaflet) -> list[str]:
    """09-005: a list element used outside the list structure of ISO 32000-1 Table 336."""
    failures = _nesting(leaflet, _LIST_PARENTS)
    for element in struct_elements(leaflet.pdf):
        kind = role(element, leaflet.pdf)
        allowed = {"LI": {"Lbl", "LBody"}, "L": {"LI", "L", "Caption"}}.get(kind)
        if allowed is None:
            continue
        kinds = {role(k, leaflet.pdf) for k in _kids(element) if isinstance(k, Dictionary)}
        if kinds - allowed:
            failures.append(f"a /{kind} holds {sorted(kinds - allowed)}")
    return failures


def unicode_mapping(leaflet: Leaflet) -> list[str]:
    """10-001: a character code that cannot be mapped to Unicode."""
    return sorted(
        {
            f"page {g.page + 1}: a glyph of {g.font} has no Unicode text ({g.text!r})"
            for g in leaflet.glyphs
            if not g.text or re.fullmatch(r"\(cid:\d+\)", g.text)
        }
    )


_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")


def document_language(leaflet: Leaflet) -> list[str]:
    """11-001 / 11-006: the natural language of the text and of the metadata is known."""
    lang = str(leaflet.pdf.Root.get("/Lang", ""))
    if not _LANGUAGE_TAG.fullmatch(lang):
        return [f"the catalog's /Lang {lang!r} is not a language tag"]
    return []


def figure_alternative_text(leaflet: Leaflet) -> list[str]:
    """13-004: a Figure without alternative (Alt) or replacement (ActualText) text."""
    return [
        "a /Figure has no Alt or ActualText"
        for e in struct_elements(leaflet.pdf)
        if role(e, leaflet.pdf) == "Figure"
        and not str(e.get("/Alt", "")).strip()
        and not str(e.get("/ActualText", "")).strip()
    ]


def heading_levels(leaflet: Leaflet) -> list[str]:
    """14-002 / 14-003: numbered headings start at H1 and never skip a level downwards."""
    levels = [
        int(kind[1])
        for kind in (role(e, leaflet.pdf) for e in struct_elements(leaflet.pdf))
        if re.fullmatch(r"H[1-6]", kind)
    ]
    if not levels:
        return ["there are no headings"]
    failures = [] if levels[0] == 1 else [f"14-002: the first heading is H{levels[0]}"]
    failures += [
        f"14-003: H{after} follows H{before}"
        for before, after in itertools.pairwise(levels)
        if after > before + 1
    ]
    return failures


def table_header_scope(leaflet: Leaflet) -> list[str]:
    """15-003: a TH with no Scope in a table not organised with Headers and IDs."""
    failures = []
    for element in struct_elements(leaflet.pdf):
        if role(element, leaflet.pdf) != "TH":
            continue
        attributes = element.get("/A", Dictionary())
        if isinstance(attributes, Array):
            attributes = next((a for a in attributes if isinstance(a, Dictionary)), Dictionary())
        if attributes.get("/Scope") not in (Name.Row, Name.Column, Name.Both):
            failures.append("a /TH has no Scope")
    return failures


def _annotations(leaflet: Leaflet) -> Iterator[tuple[int, pikepdf.Page, Dictionary]]:
    for number, page in enumerate(leaflet.pdf.pages):
        for annotation in page.obj.get("/Annots", Array()):
            yield number, page, annotation


def annotation_tab_order(leaflet: Leaflet) -> list[str]:
    """28-008 / 28-009: a page with annotations has Tabs, and its value is S."""
    pages = {number: page for number, page, _ in _annotations(leaflet)}
    return [
        f"page {number + 1}: /Tabs is {page.obj.get('/Tabs')}, not /S"
        for number, page in pages.items()
        if page.obj.get("/Tabs") != Name.S
    ]


def links_in_link_tags(leaflet: Leaflet) -> list[str]:
    """28-011: a link annotation is not nested within a Link structure element."""
    in_links = set()
    for element in struct_elements(leaflet.pdf):
        if role(element, leaflet.pdf) == "Link":
            for kid in _kids(element):
                if isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR:
                    in_links.add(kid.Obj.objgen)
    return [
        f"page {number + 1}: a link annotation is outside every /Link element"
        for number, _, annotation in _annotations(leaflet)
        if annotation.get("/Subtype") == Name.Link and annotation.objgen not in in_links
    ]


def link_descriptions(leaflet: Leaflet) -> list[str]:
    """28-012: a link annotation has no alternate description in its Contents."""
    return [
        f"page {number + 1}: a link annotation has no Contents"
        for number, _, annotation in _annotations(leaflet)
        if annotation.get("/Subtype") == Name.Link and not str(annotation.get("/Contents", ""))
    ]


def fonts(leaflet: Leaflet) -> Iterator[tuple[str, Dictionary]]:
    """(base font name, font dictionary) of every font any page uses."""
    for page in leaflet.pdf.pages:
        for font in page.obj.get("/Resources", Dictionary()).get("/Font", Dictionary()).values():
            yield str(font.get("/BaseFont", "")), font


def embedded_fonts(leaflet: Leaflet) -> list[str]:
    """31 (ISO 14289-1 7.21.4.1): the font program of every font is embedded."""
    failures = []
    for name, font in fonts(leaflet):
        descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
        descriptor = descendant.get("/FontDescriptor", Dictionary())
        if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
            failures.append(f"the font {name} is not embedded")
    return failures


MATTERHORN: dict[str, Check] = {
    "01-003": artifact_inside_tagged_content,
    "01-004": tagged_content_inside_artifact,
    "01-005": content_neither_tagged_nor_artifact,
    "01-007": suspects,
    "02-001": non_standard_types,
    "06-001..003": xmp_metadata,
    "07-001..002": display_doc_title,
    "09-004": table_structure,
    "09-005": list_structure,
    "10-001": unicode_mapping,
    "11-001,11-006": document_language,
    "13-004": figure_alternative_text,
    "14-002..003": heading_levels,
    "15-003": table_header_scope,
    "28-008..009": annotation_tab_order,
    "28-011": links_in_link_tags,
    "28-012": link_descriptions,
    "31": embedded_fonts,
}


RTL_LANGUAGES = ("ar", "he", "fa", "ur")


def right_to_left(leaflet: Leaflet) -> bool:
    return str(leaflet.pdf.Root.get("/Lang", "")).split("-")[0] in RTL_LANGUAGES


def artifact_text(glyphs: list[Glyph], rtl_document: bool = False) -> str:
    """The artifacts' text, run by run in the order drawn, each run in reading order."""
    runs: dict[int, list[str]] = {}
    for glyph in glyphs:
        if glyph.artifact:
            runs.setdefault(glyph.run, []).append(glyph.text)
    return " ".join(logical_order(units, rtl_document) for units in runs.values())


def tagged_text(leaflet: Leaflet) -> str:
    """The text in the order of the structure tree: what a screen reader reads.

    Each marked-content run's glyphs, in the order the structure tree references the
    runs; a right-to-left run is put back in reading order (pdfminer gives glyphs in
    the order they are drawn, which for Arabic is right to left on the page).
    """
    runs: dict[tuple[int, int], list[str]] = {}
    for glyph in leaflet.glyphs:
        if glyph.mcid is not None and not glyph.artifact:
            runs.setdefault((glyph.page, glyph.mcid), []).append(glyph.text)
    pages = {page.obj.objgen: number for number, page in enumerate(leaflet.pdf.pages)}
    parts = []
    for element in struct_elements(leaflet.pdf):
        page = element.get("/Pg")
        for kid in _kids(element):
            if isinstance(kid, int) and page is not None:
                units = runs.get((pages[page.objgen], int(kid)), [])
                parts.append(logical_order(units, right_to_left(leaflet)))
    return " ".join(parts)
