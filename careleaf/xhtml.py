"""HTML5 fragments to EPUB 3 XHTML: well-formed XML, EPUB footnotes, links inside the book.

The article bodies are HTML5 (nh3's output: ``<br>``, ``<img ...>``). lxml reads
them as HTML and writes them as XML; the rendered page is then read back as XML,
so a layout that is not well-formed is caught here rather than by a reading system.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
XML = "http://www.w3.org/XML/1998/namespace"
EPUB_TYPE = f"{{{OPS}}}type"
_NS = {"x": XHTML}
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# HTML5's void elements that lxml's HTML parser (HTML 4) does not know as void: it would
# take the text after them as their content unless they are written self-closed
_NEW_VOID = re.compile(r"<(wbr)(\s[^<>]*?)?\s*/?>", re.IGNORECASE)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)


def fragment_to_xml(fragment: str) -> str:
    """An HTML5 fragment (as nh3 writes it) as the same fragment in XML syntax."""
    if not fragment.strip():
        return ""
    fragment = _NEW_VOID.sub(lambda m: f"<{m[1].lower()}{m[2] or ''}/>", fragment)
    wrapper = lxml.html.fragment_fromstring(fragment, create_parent="div")
    text = etree.tostring(wrapper, method="xml", encoding="unicode")
    return text[len("<div>") : -len("</div>")] if text.startswith("<div>") else ""


def fragment_fault(fragment: str) -> str | None:
    """Why the HTML fragment cannot be made into e-book XHTML, else None."""
    try:
        xml = fragment_to_xml(fragment)
        etree.fromstring(f'<div xmlns="{XHTML}">{clean(xml)}</div>'.encode(), _PARSER)
    except (etree.LxmlError, ValueError) as exc:
        return str(exc) or type(exc).__name__
    return None


def parse(document: str) -> etree._Element:
    """Read a rendered page as XML; raises ``etree.XMLSyntaxError`` when it is not.
    Characters XML cannot hold (control characters, U+FFFE...) are dropped first:
    they can come from a manuscript, but no reader could show them."""
    return etree.fromstring(clean(document).encode("utf-8"), _PARSER)


def clean(text: str) -> str:
    """``text`` without the characters XML cannot hold."""
    return _NOT_XML.sub("", text)


def serialise(root: etree._Element) -> bytes:
    return etree.tostring(
        root.getroottree(), xml_declaration=True, encoding="utf-8", doctype="<!DOCTYPE html>"
    )


def footnotes(root: etree._Element, gettext: Callable[[str], str]) -> None:
    """Python-Markdown's endnote list becomes EPUB 3 footnotes: each note an ``aside``
    with ``epub:type="footnote"`` and ``role="doc-footnote"``, each reference a
    ``noteref``, each note keeping its link back to where it is referred to."""
    for ref in root.iterfind(".//x:a[@role='doc-noteref']", _NS):
        ref.set(EPUB_TYPE, "noteref")
    for section in root.iterfind(".//x:section[@role='doc-endnotes']", _NS):
        section.attrib.pop("role", None)
        section.attrib.pop("aria-label", None)
        section.set("class", "footnotes")
        heading = etree.Element(f"{{{XHTML}}}h2", {"class": "footnotes-title"})
        heading.text = gettext("Notes")
        heading.set("id", "careleaf-notes")
        section.set("aria-labelledby", "careleaf-notes")
        section.insert(0, heading)
        for number, item in enumerate(section.iterfind("x:ol/x:li", _NS), 1):
            _note_aside(item, number)
        for listing in list(section.iterfind("x:ol", _NS)):
            for aside in list(listing):
                listing.addprevious(aside)
            section.remove(listing)


def _note_aside(item: etree._Element, number: int) -> None:
    item.tag = f"{{{XHTML}}}aside"
    item.set("role", "doc-footnote")
    item.set(EPUB_TYPE, "footnote")
    item.set("class", "footnote")
    marker = etree.Element(f"{{{XHTML}}}span", {"class": "footnote-number"})
    marker.text = f"{number}. "
    first = item[0] if len(item) else None
    if first is not None and first.tag == f"{{{XHTML}}}p":
        marker.tail = first.text
        first.text = None
        first.insert(0, marker)
    else:
        marker.tail = item.text
        item.text = None
        item.insert(0, marker)


def rewrite_links(root: etree._Element, pages: Mapping[str, str]) -> list[str]:
    """Links between articles (``slug.html``) point at the chapters (``pages``); a link to
    an article the book does not hold becomes its text. Returns those links."""
    missing: list[str] = []
    for anchor in root.iterfind(".//x:a[@href]", _NS):
        href = str(anchor.get("href"))
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path:
            continue
        target = pages.get(unquote(parts.path))
        if target is None and not parts.path.endswith(".html"):
            continue  # already an address inside the book
        if target is None:  # an article not in this book (held back): its words stay
            missing.append(href)
            anchor.tag = f"{{{XHTML}}}span"
            for attribute in ("href", "role", EPUB_TYPE):
                anchor.attrib.pop(attribute, None)
            continue
        anchor.set("href", target + (f"#{parts.fragment}" if parts.fragment else ""))
    return missing


def rewrite_images(root: etree._Element, sources: Mapping[str, str]) -> None:
    """Image addresses as written in the manuscript become their place in the book."""
    for image in root.iterfind(".//x:img", _NS):
        src = str(image.get("src", ""))
        if src in sources:
            image.set("src", sources[src])


def has_element(root: etree._Element, tag: str) -> bool:
    return root.find(f".//x:{tag}", _NS) is not None


def ids(root: etree._Element) -> set[str]:
    return {str(element.get("id")) for element in root.iter() if element.get("id") is not None}
