"""SVG images are documents that can carry script and reach other files: careleaf
refuses those that try, and publishes every other drawing re-written from an allowlist.

Refused, with the reason: script and foreign content, event handlers, links (``<a>``),
animation, references to anything but an element of the same drawing (``#id``) or an
embedded PNG, JPEG, GIF or WebP picture (which is cleaned like any other picture), CSS
that imports, loads or escapes (``@import``, ``url(...)`` elsewhere, ``\\72``, functions
outside a short list), ``xml-stylesheet`` instructions, document types with declarations,
XInclude. Then the drawing is written anew holding only SVG elements and attributes that
draw: comments, processing instructions, metadata, editors' private namespaces and
anything unknown are left out, and these bytes, never the file's, are published.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable

from lxml import etree

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"
_REFUSED_NAMESPACES = {
    "http://www.w3.org/1999/xhtml": "web page content",
    "http://www.w3.org/2001/XInclude": "an XInclude of another file",
    "http://www.w3.org/1998/Math/MathML": "MathML content",
}
_ACTIVE = frozenset(
    [
        "script",
        "foreignObject",
        "iframe",
        "embed",
        "object",
        "handler",
        "listener",
        "audio",
        "video",
        "canvas",
        "a",
        "animate",
        "animateMotion",
        "animateTransform",
        "animateColor",
        "set",
        "discard",
        "mpath",
        "feImage",
        "cursor",
        "font-face-uri",
        "tref",
        "color-profile",
    ]
)
_FILTERS = (
    "filter feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix "
    "feDiffuseLighting feDisplacementMap feDistantLight feDropShadow feFlood feFuncA feFuncB "
    "feFuncG feFuncR feGaussianBlur feMerge feMergeNode feMorphology feOffset fePointLight "
    "feSpecularLighting feSpotLight feTile feTurbulence"
)
ELEMENTS = frozenset(
    (
        "svg g defs symbol use switch title desc path rect circle ellipse line polyline "
        "polygon text tspan textPath linearGradient radialGradient stop pattern clipPath "
        f"mask marker image style {_FILTERS}"
    ).split()
)
_PRESENTATION = frozenset(
    """alignment-baseline baseline-shift clip clip-path clip-rule color color-interpolation
    color-interpolation-filters direction display dominant-baseline fill fill-opacity
    fill-rule filter flood-color flood-opacity font-family font-size font-size-adjust
    font-stretch font-style font-variant font-weight image-rendering isolation
    letter-spacing lighting-color marker-end marker-mid marker-start mask mix-blend-mode
    opacity overflow paint-order shape-rendering stop-color stop-opacity stroke
    stroke-dasharray stroke-dashoffset stroke-linecap stroke-linejoin stroke-miterlimit
    stroke-opacity stroke-width text-anchor text-decoration text-rendering transform
    transform-origin unicode-bidi vector-effect visibility word-spacing writing-mode style
    gradientTransform patternTransform""".split()  # noqa: SIM905
)
ATTRIBUTES = _PRESENTATION | frozenset(
    """id class viewBox preserveAspectRatio width height x y x1 y1 x2 y2 cx cy r rx ry fx fy
    fr d points pathLength dx dy rotate textLength lengthAdjust startOffset method spacing
    side offset gradientUnits spreadMethod patternUnits patternContentUnits clipPathUnits
    maskUnits maskContentUnits markerUnits markerWidth markerHeight refX refY orient role
    aria-label aria-labelledby aria-describedby aria-hidden lang systemLanguage type media
    in in2 result stdDeviation mode operator k1 k2 k3 k4 values tableValues slope intercept
    amplitude exponent radius scale xChannelSelector yChannelSelector baseFrequency
    numOctaves seed stitchTiles order kernelMatrix divisor bias targetX targetY edgeMode
    preserveAlpha surfaceScale diffuseConstant specularConstant specularExponent
    kernelUnitLength azimuth elevation z pointsAtX pointsAtY pointsAtZ limitingConeAngle
    filterUnits primitiveUnits href""".split()  # noqa: SIM905
)
_CSS_FUNCTIONS = frozenset(
    """rgb rgba hsl hsla hwb lab lch oklab oklch color calc min max clamp var url matrix
    translate translatex translatey scale scalex scaley rotate skew skewx skewy blur
    brightness contrast drop-shadow grayscale hue-rotate invert opacity saturate sepia
    not is where nth-child nth-last-child nth-of-type nth-last-of-type""".split()  # noqa: SIM905
)
_EMBEDDED = re.compile(r"data:image/(png|jpeg|gif|webp);base64,([A-Za-z0-9+/=\s]*)\Z", re.I)
_FUNCTION = re.compile(r"([A-Za-z_-][\w-]*)\s*\(")
_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_AT_RULE = re.compile(r"@([\w-]+)")
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)

# (picture, kind) -> (cleaned picture, its kind), or why it cannot be used
Embedded = Callable[[bytes, str], tuple[bytes, str] | str]


def _parser() -> etree.XMLParser:
    """Nothing fetched (no network, no DTD), no entity expanded, no huge documents."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class NotSvg(ValueError):
    """The bytes are not an SVG drawing careleaf can read."""


class Unsafe(ValueError):
    """The drawing does something careleaf does not publish (the message says what)."""


def parse(data: bytes) -> etree._ElementTree:
    """The drawing as an XML tree, without fetching or expanding anything; NotSvg if the
    bytes are not XML with an ``<svg>`` root in the SVG namespace."""
    try:
        tree = etree.ElementTree(etree.fromstring(data, _parser()))
    except etree.XMLSyntaxError as exc:
        raise NotSvg(f"it is not readable XML ({exc})") from exc
    root = tree.getroot()
    if not isinstance(root.tag, str) or etree.QName(root).localname != "svg":
        raise NotSvg("it is not an SVG drawing")
    if etree.QName(root).namespace != SVG:
        raise NotSvg(f"its <svg> element does not declare the SVG namespace ({SVG})")
    return tree


def clean(data: bytes, embedded: Embedded) -> bytes:
    """The drawing re-written from the allowlist; Unsafe or NotSvg when it cannot be."""
    tree = parse(data)
    _prolog(tree)
    root = tree.getroot()
    for node in root.iter():
        _vet(node)
    if _drawn(root) > MAX_DRAWN:
        raise Unsafe(
            f"it repeats its parts (<use>) into more than {MAX_DRAWN:,} shapes, too many to "
            "draw in good time"
        )
    out = etree.Element(f"{{{SVG}}}svg", nsmap={None: SVG, "xlink": XLINK})
    _copy(root, out, embedded)
    etree.cleanup_namespaces(out)
    return etree.tostring(out, xml_declaration=True, encoding="utf-8") + b"\n"


MAX_DRAWN = 10_000  # shapes <use> elements may add to a drawing once drawn (about 13 s)


def _drawn(root: etree._Element) -> int:
    """How many elements the ``<use>`` elements add to the drawing once each draws what
    it points at (counted without drawing: ten nested groups of ten uses each are ten
    billion shapes in a kilobyte; the drawing's own elements are not counted, as its
    file's size bounds them); Unsafe when a ``<use>`` draws itself."""
    every = [e for e in root.iter() if isinstance(e.tag, str)]  # held: proxies keep their id()
    if not any(etree.QName(e).localname == "use" for e in every):
        return 0
    most = len(every) + MAX_DRAWN
    ids = {e.get("id"): e for e in every if e.get("id")}

    def parts(node: etree._Element) -> list[etree._Element]:
        kids = [child for child in node if isinstance(child.tag, str)]
        if etree.QName(node).localname == "use":
            href = node.get("href") or node.get(f"{{{XLINK}}}href") or ""
            target = ids.get(href[1:]) if href.startswith("#") else None
            kids += [target] if target is not None else []
        return kids

    counted: dict[int, int] = {}
    open_: set[int] = set()  # drawn, not yet counted: the path to the node being counted
    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in counted:
            continue
        if done:
            total = 1 + sum(counted[id(kid)] for kid in parts(node))
            counted[id(node)] = min(total, most + 1)
            open_.discard(id(node))
            continue
        if id(node) in open_:
            raise Unsafe("a <use> draws the group it is in")
        open_.add(id(node))
        stack.append((node, True))
        for kid in parts(node):
            if id(kid) in open_:
                raise Unsafe("a <use> draws the group it is in")
            if id(kid) not in counted:
                stack.append((kid, False))
    return counted[id(root)] - len(every)


def _prolog(tree: etree._ElementTree) -> None:
    """No document type with declarations (entities) and no style sheet instruction."""
    docinfo = tree.docinfo
    dtd = docinfo.internalDTD
    if dtd is not None and (any(dtd.iterentities()) or any(dtd.iterelements())):
        raise Unsafe("it declares entities or elements in a document type")
    root = tree.getroot()
    nodes = [*root.itersiblings(preceding=True), *root.itersiblings(), *root.iter()]
    for node in nodes:
        if isinstance(node, etree._ProcessingInstruction) and node.target == "xml-stylesheet":
            raise Unsafe("it asks for a style sheet (xml-stylesheet)")
        if isinstance(node, etree._Entity):
            raise Unsafe("it uses an entity")


def _vet(node: etree._Element) -> None:
    """Unsafe when this node is active content or reaches outside the drawing."""
    if not isinstance(node.tag, str):
        return
    name = etree.QName(node)
    if name.namespace in _REFUSED_NAMESPACES:
        raise Unsafe(f"it holds {_REFUSED_NAMESPACES[name.namespace]}")
    if name.namespace == SVG and name.localname in _ACTIVE:
        what = "a link" if name.localname == "a" else f"a <{name.localname}> element"
        raise Unsafe(f"it holds {what}")
    for attribute, value in node.attrib.items():
        local = etree.QName(attribute).localname
        if local.lower().startswith("on"):
            raise Unsafe(f"it holds an event handler ({local})")
        if local == "href" and not (value.startswith("#") or _EMBEDDED.match(value)):
            raise Unsafe(f"it points at another file ({value[:60]})")
        if local == "base" and etree.QName(attribute).namespace == XML:
            raise Unsafe(f"it sets an address to load from (xml:base={value[:60]})")
        if local in _PRESENTATION:
            _vet_css(value)
    if name.namespace == SVG and name.localname == "style":
        if node.get("type", "text/css").strip().lower() != "text/css":
            raise Unsafe("it holds a style sheet that is not CSS")
        _vet_css("".join(node.itertext()))  # all of it: text after a child element too


def _vet_css(text: str) -> None:
    """Unsafe when CSS could load or import anything, or hides what it does in escapes."""
    if "\\" in text:
        raise Unsafe("its style uses character escapes (\\)")
    plain = _COMMENT.sub(" ", text)
    if "/*" in plain or "<" in plain:
        raise Unsafe("its style has an unclosed comment or markup")
    for rule in _AT_RULE.findall(plain):
        if rule.lower() != "media":
            raise Unsafe(f"its style uses @{rule}")
    for function in _FUNCTION.findall(plain):
        if function.lower() not in _CSS_FUNCTIONS:
            raise Unsafe(f"its style uses {function}(...)")
    for _, target in _URL.findall(plain):
        if not target.strip().startswith("#"):
            raise Unsafe(f"its style points at another file ({target.strip()[:60]})")
    if plain.lower().count("url(") != len(_URL.findall(plain)):
        raise Unsafe("its style has an address careleaf cannot read")


def _copy(source: etree._Element, target: etree._Element, embedded: Embedded) -> None:
    """Allowed attributes of ``source`` onto ``target``, then its allowed children."""
    for attribute, value in sorted(source.attrib.items()):
        name = etree.QName(attribute)
        if name.namespace is None and name.localname in ATTRIBUTES:
            key = name.localname
        elif name.namespace == XLINK and name.localname == "href":
            key = f"{{{XLINK}}}href"
        elif name.namespace == XML and name.localname in ("lang", "space"):
            key = f"{{{XML}}}{name.localname}"
        else:
            continue
        if name.localname == "href" and not value.startswith("#"):
            value = _embedded(value, embedded)
        target.set(key, _COMMENT.sub(" ", value) if key == "style" else value)
    if etree.QName(source).localname == "style":  # its whole text, as vetted; no children
        target.text = _COMMENT.sub(" ", "".join(source.itertext()))
        return
    keeps_text = _keeps_text(source)
    if source.text and (keeps_text or not source.text.strip()):
        style = etree.QName(source).localname == "style"
        target.text = _COMMENT.sub(" ", source.text) if style else source.text
    for child in source:
        if not isinstance(child.tag, str):  # comments and processing instructions
            continue
        name = etree.QName(child)
        if name.namespace != SVG or name.localname not in ELEMENTS:
            continue  # metadata, editors' namespaces, anything unknown
        copy = etree.SubElement(target, f"{{{SVG}}}{name.localname}")
        _copy(child, copy, embedded)
        if child.tail and (keeps_text or not child.tail.strip()):
            copy.tail = child.tail


def _keeps_text(element: etree._Element) -> bool:
    return etree.QName(element).localname in ("text", "tspan", "textPath", "title", "desc", "style")


def _embedded(value: str, embedded: Embedded) -> str:
    """An embedded picture, decoded, cleaned like any other, and embedded again."""
    match = _EMBEDDED.match(value)
    if match is None:  # _vet refused it already
        raise Unsafe(f"it points at another file ({value[:60]})")
    try:
        data = base64.b64decode("".join(match.group(2).split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise Unsafe("an embedded picture is not readable") from exc
    kind = match.group(1).lower()
    cleaned = embedded(data, kind)
    if isinstance(cleaned, str):
        raise Unsafe(f"an embedded picture cannot be used: {cleaned}")
    data, kind = cleaned
    return f"data:image/{kind};base64," + base64.b64encode(data).decode("ascii")
