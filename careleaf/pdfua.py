"""After WeasyPrint: close the gaps it leaves in PDF/UA-1, with pikepdf.

- WeasyPrint 70 marks the text of page-margin boxes (running headers and footers)
  as marked content with an MCID that no element of the structure tree reaches
  (WeasyPrint issue #1836): neither real content nor an artifact, which PDF/UA
  forbids. Those runs become ``/Artifact`` (pagination artifacts), and their
  entries leave the structure parent tree.
- A footnote reference's link is described as "Footnote 1" rather than by its
  target's name.
- The catalog gets ``/Lang``, ``DisplayDocTitle`` and ``/MarkInfo`` whatever
  the layout said; the XMP metadata gets the language, the publisher, the
  dates, stable document ids, and the leaflet's reference and version (which
  the footers print as artifacts) next to WeasyPrint's title, authors and
  PDF/UA identifier.
- Wrong or empty ToUnicode entries are repaired from the fonts (careleaf.tounicode),
  so that the text a screen reader gets is the text the patient sees; the entries of
  right-to-left ligatures are written backwards, the way PDF viewers read them; and
  raised combining marks stay in their word for text extractors (careleaf.marks).
- Output is deterministic: dates come from the article, never the clock, and
  the file identifier is derived from the content.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, Object, Operator

from careleaf.marks import lower_marks
from careleaf.records import Metadata
from careleaf.tounicode import repair_to_unicode, reverse_right_to_left

PAGINATION = Dictionary(Type=Name.Pagination)


def finish(
    raw: bytes,
    metadata: Metadata,
    font_files: Iterable[Path | bytes] = (),
    facts: dict[str, Any] | None = None,
    families: tuple[str, ...] = (),
) -> bytes:
    """WeasyPrint's PDF made PDF/UA-1 complete; the bytes of the finished file. With
    ``facts``, what the render task reports is noted there, from the same opened file:
    its ``pages``, its ``foreign_fonts`` (careleaf.glyphs: fonts not of ``families``,
    the leaflet's own, careleaf's when none are given) and ``text_map``: how many
    text-map entries and marks were changed."""
    with pikepdf.open(BytesIO(raw)) as pdf:
        if facts is not None:
            from careleaf.glyphs import foreign_fonts

            facts["pages"] = len(pdf.pages)
            facts["foreign_fonts"] = foreign_fonts(pdf, families)
        artifact_untagged_content(pdf)
        changed = {
            "repaired": repair_to_unicode(pdf, font_files),
            "reversed": reverse_right_to_left(pdf),
            "marks": lower_marks(pdf),
        }
        if facts is not None:
            facts["text_map"] = changed
        repair_structure(pdf)
        set_catalog(pdf, metadata)
        sort_destinations(pdf)
        keep_safe_links(pdf)
        describe_links(pdf, dict(metadata.link_labels))
        set_xmp(pdf, metadata)
        out = BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True)
    return out.getvalue()


def _struct_kids(element: Any) -> Iterator[Any]:
    kids = element.get("/K")
    if kids is None:
        return
    yield from (kids if isinstance(kids, Array) else [kids])


def tagged_content(pdf: pikepdf.Pdf) -> set[tuple[tuple[int, int], int]]:
    """(page object, MCID) of every marked-content run the structure tree reaches."""
    root = pdf.Root.get("/StructTreeRoot")
    found: set[tuple[tuple[int, int], int]] = set()
    if root is None:
        return found
    seen: set[tuple[int, int]] = set()
    stack: list[tuple[Object, Object | None]] = [(root, None)]
    while stack:
        element, page = stack.pop()
        if element.is_indirect:
            if element.objgen in seen:
                continue
            seen.add(element.objgen)
        page = element.get("/Pg", page)
        for kid in _struct_kids(element):
            if isinstance(kid, int):
                if page is not None:
                    found.add((page.objgen, int(kid)))
            elif isinstance(kid, Dictionary):
                if kid.get("/Type") == Name.MCR:
                    mcr_page = kid.get("/Pg", page)
                    if mcr_page is not None and "/Stm" not in kid:
                        found.add((mcr_page.objgen, int(kid.MCID)))
                elif kid.get("/Type") != Name.OBJR:
                    stack.append((kid, page))
    return found


def artifact_untagged_content(pdf: pikepdf.Pdf) -> int:
    """Turn marked content that no structure element references into artifacts."""
    tagged = tagged_content(pdf)
    changed = 0
    parent_tree = pdf.Root.get("/StructTreeRoot", Dictionary()).get("/ParentTree")
    nums = parent_tree.get("/Nums", Array()) if parent_tree is not None else Array()
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums) - 1, 2)}
    for page in pdf.pages:
        orphans: list[int] = []
        instructions = []
        for instruction in pikepdf.parse_content_stream(page):
            operands, operator = instruction.operands, instruction.operator
            if operator == Operator("BDC") and len(operands) == 2:
                properties = operands[1]
                if isinstance(properties, Dictionary) and "/MCID" in properties:
                    mcid = int(properties.MCID)
                    if (page.obj.objgen, mcid) not in tagged:
                        orphans.append(mcid)
                        instruction = pikepdf.ContentStreamInstruction(
                            [Name.Artifact, PAGINATION], Operator("BDC")
                        )
            instructions.append(instruction)
        if not orphans:
            continue
        changed += len(orphans)
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
        key = page.obj.get("/StructParents")
        entry = parents.get(int(key)) if key is not None else None
        if isinstance(entry, Array):
            for mcid in orphans:
                if mcid < len(entry):
                    entry[mcid] = None
    return changed


def struct_elements(pdf: pikepdf.Pdf) -> Iterator[Object]:
    """Every structure element, parents before children."""
    root = pdf.Root.get("/StructTreeRoot")
    stack = list(_struct_kids(root)) if root is not None else []
    stack.reverse()
    while stack:
        element = stack.pop()
        if isinstance(element, Dictionary) and element.get("/Type") not in (Name.MCR, Name.OBJR):
            yield element
            kids = list(_struct_kids(element))
            stack.extend(reversed(kids))


def repair_structure(pdf: pikepdf.Pdf) -> None:
    """What PDF/UA asks of lists and tables that WeasyPrint leaves out.

    A list item holds only a label (Lbl) and a body (LBody): a paragraph or other
    content WeasyPrint put straight into an LI moves into an LBody. A table header
    cell gets a Scope: Column in the table's head, Row elsewhere.
    """
    for element in list(struct_elements(pdf)):
        kind = element.get("/S")
        if kind == Name.LI:
            _wrap_list_body(pdf, element)
        elif kind == Name.TH:
            row = element.get("/P")
            group = row.get("/P") if row is not None else None
            head = group is not None and group.get("/S") == Name.THead
            attributes = element.get("/A")
            if not isinstance(attributes, Dictionary):
                attributes = element.A = Dictionary(O=Name.Table)
            attributes.Scope = Name.Column if head else Name.Row


def _wrap_list_body(pdf: pikepdf.Pdf, item: Object) -> None:
    kids = list(_struct_kids(item))
    stray = [
        kid
        for kid in kids
        if isinstance(kid, Dictionary)
        and kid.is_indirect
        and kid.get("/S") not in (Name.Lbl, Name.LBody)
    ]
    if not stray:
        return
    body = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.LBody, P=item, K=Array(stray)))
    if "/Pg" in item:
        body.Pg = item.Pg
    for kid in stray:
        kid.P = body
    position = kids.index(stray[0])
    moved = {kid.objgen for kid in stray}
    rest = [kid for kid in kids if not (isinstance(kid, Dictionary) and kid.objgen in moved)]
    item.K = Array([*rest[:position], body, *rest[position:]])


def describe_links(pdf: pikepdf.Pdf, labels: dict[str, str]) -> None:
    """A link inside the leaflet (a footnote reference, a section) is described by what
    it is ("Footnote 1", the section's heading), not by the name of its target, which is
    all WeasyPrint gives it."""
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", Array()):
            target = str(annotation.get("/Dest", ""))
            if annotation.get("/Subtype") == Name.Link and target in labels:
                annotation.Contents = pikepdf.String(labels[target])


def set_catalog(pdf: pikepdf.Pdf, metadata: Metadata) -> None:
    pdf.Root.Lang = pikepdf.String(metadata.lang)
    preferences = pdf.Root.get("/ViewerPreferences")
    if not isinstance(preferences, Dictionary):
        preferences = pdf.Root.ViewerPreferences = Dictionary()
    preferences.DisplayDocTitle = True
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    pdf.docinfo.Title = pikepdf.String(metadata.title)
    pdf.docinfo.CreationDate = pikepdf.String(_pdf_date(metadata.created))
    pdf.docinfo.ModDate = pikepdf.String(_pdf_date(metadata.modified))
    if "/PageMode" not in pdf.Root and "/Outlines" in pdf.Root:
        pdf.Root.PageMode = Name.UseOutlines


SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:")


def keep_safe_links(pdf: pikepdf.Pdf) -> None:
    """A link of a layout's own to anything but a web page, an email address or a phone
    number (``javascript:``, ``file:``, a relative address WeasyPrint made a ``file:``
    one) does nothing: its action is taken away (manuscripts' links are vetted before)."""
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", Array()):
            action = annotation.get("/A")
            if not isinstance(action, Dictionary) or action.get("/S") != Name.URI:
                continue
            if not str(action.get("/URI", "")).strip().lower().startswith(SAFE_SCHEMES):
                del annotation["/A"]


def sort_destinations(pdf: pikepdf.Pdf) -> None:
    """The names of link targets in the order of their bytes, as the PDF standard wants
    (viewers such as MuPDF and pdf.js search them by halving): WeasyPrint sorts them as
    text, which puts a heading with an accent ("café", written in UTF-16) among plain ones."""
    names = pdf.Root.get("/Names")
    dests = names.get("/Dests") if isinstance(names, Dictionary) else None
    if not isinstance(dests, Dictionary) or not isinstance(flat := dests.get("/Names"), Array):
        return
    pairs = sorted(zip(list(flat)[::2], list(flat)[1::2], strict=True), key=lambda p: bytes(p[0]))
    dests.Names = Array([item for pair in pairs for item in pair])


def set_xmp(pdf: pikepdf.Pdf, metadata: Metadata) -> None:
    document_id = hashlib.sha256(metadata.identifier.encode()).hexdigest()[:32]
    instance = hashlib.sha256(
        f"{metadata.identifier}|{metadata.modified.isoformat()}".encode()
    ).hexdigest()[:32]
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        xmp["dc:title"] = metadata.title
        xmp["dc:language"] = [metadata.lang]
        if metadata.authors:
            xmp["dc:creator"] = list(metadata.authors)
        if metadata.publisher:
            xmp["dc:publisher"] = [metadata.publisher]
        if metadata.description:
            xmp["dc:description"] = metadata.description
        xmp["xmp:CreateDate"] = metadata.created.isoformat()
        xmp["xmp:ModifyDate"] = metadata.modified.isoformat()
        xmp["xmp:MetadataDate"] = metadata.modified.isoformat()
        xmp["xmpMM:DocumentID"] = f"uuid:{_uuid(document_id)}"
        xmp["xmpMM:InstanceID"] = f"uuid:{_uuid(instance)}"
        xmp["pdfuaid:part"] = "1"
        if metadata.reference:  # in every footer too, but there as an artifact
            xmp["dc:identifier"] = metadata.reference
        if metadata.version:
            xmp["xmpMM:VersionID"] = str(metadata.version)


def _uuid(hexdigits: str) -> str:
    h = hexdigits
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def _pdf_date(day: date) -> str:
    return f"D:{day:%Y%m%d}000000Z"
