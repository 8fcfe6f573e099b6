"""What careleaf publishes of a manuscript's image: the one place that decides.

``careleaf.imagefile.load`` vets an image's address and reads its file once; ``inspect``,
pure, decides from the bytes alone. The type is read from the bytes, not the name (PNG,
JPEG, GIF and WebP with Pillow; SVG only when it is SVG XML); a name that says otherwise
is refused, and so is anything else. What comes out is a ``Picture``: cleaned bytes (no
metadata, upright, sRGB; SVG re-written from an allowlist) named by their content,
``images/<sha256>.<ext>``, so that no output name ever comes from the manuscript. Later
stages use these bytes only.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from careleaf import raster, svg
from careleaf.printsize import PRINT_WIDTH
from careleaf.records import Picture

MAX_BYTES = 25_000_000  # a 50-megapixel phone photo is about 20 MB
MAX_PIXELS = 50_000_000  # 50 megapixels: the largest phone cameras; 9000 x 9000 is refused
WEB_WIDTH = 1600  # the web edition and the e-book: twice the web page's column
EXTENSIONS = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".jpe": "jpeg", ".gif": "gif"}
EXTENSIONS |= {".webp": "webp", ".svg": "svg"}
KINDS = {  # what a file holds, in words
    "png": "a PNG picture",
    "jpeg": "a JPEG photo",
    "gif": "a GIF picture",
    "webp": "a WebP picture",
    "svg": "an SVG drawing",
    "tiff": "a TIFF picture",
    "bmp": "a BMP picture",
    "heic": "a HEIC photo (as iPhones save them)",
    "avif": "an AVIF picture",
    "ico": "an icon (ICO)",
    "psd": "a Photoshop file",
    "jp2": "a JPEG 2000 picture",
    "pdf": "a PDF document",
    "zip": "a Word, OpenDocument or zip file",
    "postscript": "a PostScript file",
    "html": "a web page (HTML)",
    "xml": "an XML document that is not SVG",
    "text": "plain text",
    "unknown": "something that is not a picture careleaf knows",
}
OTHER_PICTURES = frozenset({"tiff", "bmp", "heic", "avif", "ico", "psd", "jp2"})  # E703
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", 0, "png"),
    (b"\xff\xd8\xff", 0, "jpeg"),
    (b"GIF87a", 0, "gif"),
    (b"GIF89a", 0, "gif"),
    (b"II*\x00", 0, "tiff"),
    (b"MM\x00*", 0, "tiff"),
    (b"BM", 0, "bmp"),
    (b"\x00\x00\x01\x00", 0, "ico"),
    (b"8BPS", 0, "psd"),
    (b"\x00\x00\x00\x0cjP  ", 0, "jp2"),
    (b"\xff\x4f\xff\x51", 0, "jp2"),
    (b"%PDF-", 0, "pdf"),
    (b"PK\x03\x04", 0, "zip"),
    (b"%!PS", 0, "postscript"),
)
_HEIF = {b"avif": "avif", b"avis": "avif"} | dict.fromkeys(
    (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"), "heic"
)
_HTML = ("<!doctype html", "<html", "<head", "<body", "<script", "<iframe", "<meta")


@dataclass(frozen=True)
class Refusal:
    """Why an image cannot be published: a problem code, a message, a hint."""

    code: str
    message: str
    hint: str


def sniff(data: bytes) -> str:
    """What ``data`` holds, from its bytes alone (a key of ``KINDS``)."""
    for magic, at, kind in _MAGIC:
        if data[at : at + len(magic)] == magic:
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[4:8] == b"ftyp":
        return _HEIF.get(data[8:12], "unknown")
    head = _text_head(data)
    if not head:
        return "unknown"
    if head.startswith("<"):
        try:
            svg.parse(data)
            return "svg"
        except svg.NotSvg:
            lower = head.casefold()
            if any(tag in lower for tag in _HTML[:4]):
                return "html"
            if "<svg" in lower:
                return "svg"  # a damaged drawing: inspect says what is wrong with it
            return "html" if any(tag in lower for tag in _HTML) else "xml"
    return "text"


def _text_head(data: bytes) -> str | None:
    """The start of ``data`` as text, without a byte-order mark or leading blanks."""
    head = data[:4096]
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le")):
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, "ignore").lstrip()
    if head.startswith(b"\xfe\xff"):
        return head[2:].decode("utf-16-be", "ignore").lstrip()
    if b"\x00" in head:
        return None
    try:
        return head.decode("utf-8").lstrip()
    except UnicodeDecodeError as exc:
        return head[: exc.start].decode("utf-8").lstrip() if exc.start > 4000 else None


def inspect(data: bytes, suffix: str, src: str) -> Picture | Refusal:
    """The picture in ``data`` (a file whose name ends in ``suffix``), cleaned; or why
    it cannot be published. Pure: reads nothing but ``data``."""
    found = sniff(data)
    named = EXTENSIONS.get(suffix)
    if found in OTHER_PICTURES:
        return Refusal(
            "E703",
            f"the image '{src}' is {KINDS[found]}, which web browsers and e-book readers "
            "cannot all show",
            "save it as PNG (drawings) or JPEG (photos)",
        )
    if found not in EXTENSIONS.values():
        return Refusal(
            "I211",
            f"the file '{src}' is not a picture: it holds {KINDS[found]}",
            "save the picture as PNG (drawings) or JPEG (photos)",
        )
    if named != found:
        ending = next(e for e, k in EXTENSIONS.items() if k == found)
        return Refusal(
            "I210",
            f"the file '{src}' holds {KINDS[found]}, not what its name ends in says",
            f"give it the ending '{ending}', or save it again as the type its name says",
        )
    return _drawing(data, src) if found == "svg" else _picture(data, found, src)


_SEEN: dict[tuple[str, str, str], Picture | Refusal] = {}


def cached_inspect(data: bytes, suffix: str, src: str) -> Picture | Refusal:
    """``inspect``, done once for an image that several articles show."""
    key = (hashlib.sha256(data).hexdigest(), suffix, src)
    if key not in _SEEN:
        if len(_SEEN) >= 16:
            del _SEEN[next(iter(_SEEN))]
        _SEEN[key] = inspect(data, suffix, src)
    return _SEEN[key]


def _drawing(data: bytes, src: str) -> Picture | Refusal:
    try:
        cleaned = svg.clean(data, _embedded)
    except svg.NotSvg as exc:
        return Refusal(
            "I211",
            f"the file '{src}' is not a readable SVG drawing: {exc}",
            "export the drawing again as SVG, or save it as PNG",
        )
    except svg.Unsafe as exc:
        return Refusal(
            "I205",
            f"the SVG image '{src}' cannot be published: {exc}",
            "export it again as a plain drawing, or as PNG",
        )
    return Picture("svg", cleaned, (0, 0), "svg", (0, 0), cleaned, (0, 0))


def _picture(data: bytes, kind: str, src: str) -> Picture | Refusal:
    try:
        found = raster.decode(data, kind, MAX_PIXELS, PRINT_WIDTH)
    except raster.TooManyPixels as exc:
        return Refusal(
            "I213",
            f"the image '{src}' is {exc.width} x {exc.height} pixels "
            f"({exc.width * exc.height / 1e6:.0f} megapixels); careleaf takes pictures of "
            f"up to {MAX_PIXELS // 1_000_000} megapixels",
            "save it smaller, e.g. 3000 pixels across",
        )
    except raster.Unreadable as exc:
        return Refusal(
            "I211",
            f"the file '{src}' is a damaged or incomplete {KINDS[kind].split()[1]} file ({exc})",
            "open it and save it again, or export it again",
        )
    printed = raster.scaled(found.image, PRINT_WIDTH)
    print_data = raster.encode(printed, found.photo)
    web = raster.scaled(printed, WEB_WIDTH)
    photo = print_data.startswith(b"\xff\xd8")  # as decided for print
    data = raster.encode(web, photo) if web is not printed else print_data
    published = "jpeg" if data.startswith(b"\xff\xd8") else "png"
    return Picture(
        published, data, web.size, kind, found.source_size, print_data, printed.size, found.animated
    )


def _embedded(data: bytes, kind: str) -> tuple[bytes, str] | str:
    """A picture embedded in an SVG drawing (``data:image/...``), cleaned: or why not."""
    found = sniff(data)
    if found != kind:
        return f"it says it is {KINDS.get(kind, kind)} but holds {KINDS[found]}"
    picture = _picture(data, kind, "embedded")
    if isinstance(picture, Refusal):
        return picture.message.replace("the file 'embedded' ", "it ").replace(
            "the image 'embedded' ", "it "
        )
    return picture.print_data, picture.kind
