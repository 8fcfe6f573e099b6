"""SVG images are documents that can carry script: careleaf publishes only those that
cannot (no script, no event handlers, no foreign content, nothing fetched from outside)."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

_ACTIVE = frozenset(
    {"script", "foreignObject", "iframe", "embed", "object", "handler", "listener", "animation"}
)
_EMBEDDED = re.compile(r"data:image/(png|jpeg|gif|webp);", re.IGNORECASE)
_URL = re.compile(r"url\(\s*['\"]?\s*([^)'\"\s]*)", re.IGNORECASE)


def svg_danger(path: Path) -> str | None:
    """What makes the SVG at ``path`` unsafe to publish, or None when it is safe."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except (etree.XMLSyntaxError, OSError) as exc:
        return f"it is not a readable SVG file ({exc})"
    if root is None or etree.QName(root).localname != "svg":
        return "it is not an SVG image"
    for element in root.iter():
        if not isinstance(element.tag, str):  # comments, processing instructions
            continue
        name = etree.QName(element).localname
        if name in _ACTIVE:
            return f"it holds a <{name}> element"
        for attribute, value in element.attrib.items():
            local = etree.QName(attribute).localname.lower()
            if local.startswith("on"):
                return f"it holds an event handler ({local})"
            if local == "href" and not (value.startswith("#") or _EMBEDDED.match(value)):
                return f"it points at another file ({value[:60]})"
        texts = [element.text or "", *element.attrib.values()]
        for target in (m.group(1) for text in texts for m in _URL.finditer(text)):
            if not target.startswith("#"):
                return f"its style points at another file ({target[:60]})"
    return None
