"""Raster pictures (PNG, JPEG, GIF, WebP) with Pillow: read from bytes, turned upright,
converted to sRGB, stripped of everything but their pixels, scaled and encoded again.

Only the bytes given are read: each format's own Pillow plugin is opened on them
directly (never ``Image.open``, which tries every plugin), and the pixel count is
checked from the header before any pixel is decoded. What is encoded holds pixels and
nothing else: no EXIF (with its GPS position), XMP, IPTC, comments, text chunks or
colour profile, so nothing of the original file but its picture is ever published.
The same bytes in give the same bytes out.
"""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PIL import (
    GifImagePlugin,
    Image,
    ImageCms,
    ImageFile,
    JpegImagePlugin,
    PngImagePlugin,
    WebPImagePlugin,
)

PLUGINS: dict[str, type[ImageFile.ImageFile]] = {
    "png": PngImagePlugin.PngImageFile,
    "jpeg": JpegImagePlugin.JpegImageFile,
    "gif": GifImagePlugin.GifImageFile,
    "webp": WebPImagePlugin.WebPImageFile,
}
JPEG_QUALITY = 85
DRAWING_COLOURS = 256  # a picture with at most this many colours is a drawing: PNG
_ORIENTATION = 0x0112  # EXIF tag; 5 to 8 turn the picture a quarter
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


class Unreadable(ValueError):
    """The bytes are not a whole picture of the format they claim to be."""


class TooManyPixels(ValueError):
    def __init__(self, width: int, height: int) -> None:
        super().__init__(f"{width} x {height}")
        self.width, self.height = width, height


@dataclass(frozen=True)
class Raster:
    """A cleaned picture: upright, sRGB, no metadata."""

    image: Image.Image
    source_size: tuple[int, int]  # pixels of the file as given, once upright
    animated: bool
    photo: bool | None  # True: JPEG; False: PNG; None: whichever ``encode`` finds fits


def decode(data: bytes, kind: str, max_pixels: int, need_width: int) -> Raster:
    """The picture in ``data`` (a ``kind`` file), decoded at no fewer than ``need_width``
    pixels across where the format can decode smaller (JPEG), made upright and sRGB."""
    try:
        with warnings.catch_warnings(), _whole_files_only():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = PLUGINS[kind](io.BytesIO(data))
            width, height = image.size
            if width * height > max_pixels:
                raise TooManyPixels(width, height)
            animated = bool(getattr(image, "is_animated", False))
            if animated:
                image.seek(0)
            orientation = _orientation(image)
            turned = orientation in (5, 6, 7, 8)
            upright = (height, width) if turned else (width, height)
            if kind == "jpeg" and upright[0] > need_width:
                scale = need_width / upright[0]
                image.draft("RGB", (math.ceil(width * scale), math.ceil(height * scale)))
            image.load()
            photo = kind == "jpeg" or (kind == "webp" and b"VP8 " in data[12:64])  # lossy
            cleaned = _upright(image, orientation)
            cleaned = _plain(_srgb(cleaned))
    except (TooManyPixels, Unreadable):
        raise
    except MemoryError as exc:
        raise Unreadable("it is too large to open") from exc
    except Exception as exc:  # Pillow raises many kinds of error for a damaged file
        raise Unreadable(str(exc) or type(exc).__name__) from exc
    if cleaned.mode in ("RGBA", "LA"):
        return Raster(cleaned, upright, animated, False)
    if not photo and cleaned.mode == "RGB" and cleaned.getcolors(DRAWING_COLOURS) is not None:
        return Raster(cleaned, upright, animated, False)
    return Raster(cleaned, upright, animated, photo or None)


@contextmanager
def _whole_files_only() -> Iterator[None]:
    """A truncated file is an error, whatever the process set: WeasyPrint, once
    imported, tells Pillow to fill a truncated picture's missing part with black."""
    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before


def _orientation(image: Image.Image) -> int:
    try:
        value = image.getexif().get(_ORIENTATION, 1)
    except Exception:  # a damaged EXIF block: the picture is taken as it lies
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _upright(image: Image.Image, orientation: int) -> Image.Image:
    """The picture turned the way the camera was held (EXIF orientation)."""
    if orientation == 1:
        return image
    method = {
        2: Image.Transpose.FLIP_LEFT_RIGHT,
        3: Image.Transpose.ROTATE_180,
        4: Image.Transpose.FLIP_TOP_BOTTOM,
        5: Image.Transpose.TRANSPOSE,
        6: Image.Transpose.ROTATE_270,
        7: Image.Transpose.TRANSVERSE,
        8: Image.Transpose.ROTATE_90,
    }[orientation]
    return image.transpose(method)


def _srgb(image: Image.Image) -> Image.Image:
    """Colours converted from the file's colour profile (a phone's Display P3, a
    printer's CMYK) to sRGB, which is what every reader assumes without a profile."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if "srgb" in ImageCms.getProfileDescription(profile).lower():
            return image
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(image, profile, _SRGB, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):  # a damaged profile: ignored
        return image
    return converted if converted is not None else image


def _plain(image: Image.Image) -> Image.Image:
    """RGB, RGBA, L or LA; without an alpha channel when every pixel is opaque."""
    mode = image.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        image = image.convert("I").point(lambda value: value * (1 / 257)).convert("L")
    elif mode == "F" or mode == "1":
        image = image.convert("L")
    elif mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    elif mode in ("PA", "RGBa", "RGBX"):
        image = image.convert("RGBA" if mode != "RGBX" else "RGB")
    elif mode == "La":
        image = image.convert("LA")
    elif mode in ("L", "RGB") and "transparency" in image.info:
        image = image.convert("LA" if mode == "L" else "RGBA")
    elif mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGB")
    if image.mode in ("RGBA", "LA") and image.getchannel("A").getextrema() == (255, 255):
        image = image.convert(image.mode[:-1])
    image.info = {}
    return image


def scaled(image: Image.Image, width: int) -> Image.Image:
    """At most ``width`` pixels across (never enlarged), keeping its proportions."""
    if image.width <= width:
        return image
    height = max(1, round(image.height * width / image.width))
    smaller = image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    smaller.info = {}
    return smaller


def encode(image: Image.Image, photo: bool | None) -> bytes:
    """JPEG for photos, PNG for drawings and anything with transparency; no metadata.
    Undecided (a PNG with many colours: a screenshot, or a photo saved as PNG), it is
    JPEG only when that is less than a third of the PNG, so text and lines stay crisp."""
    image.info = {}
    if image.mode not in ("RGB", "L") or photo is False:
        return _save(image, "PNG")
    if photo:
        return _save(image, "JPEG")
    png, jpeg = _save(image, "PNG"), _save(image, "JPEG")
    return jpeg if 3 * len(jpeg) < len(png) else png


def _save(image: Image.Image, form: str) -> bytes:
    buffer = io.BytesIO()
    if form == "JPEG":
        image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def reencode(data: bytes, kind: str, width: int) -> tuple[bytes, tuple[int, int]]:
    """careleaf's own cleaned ``data`` at most ``width`` pixels across, same format."""
    image = PLUGINS[kind](io.BytesIO(data))
    image.load()
    if image.width <= width:
        return data, image.size
    smaller = scaled(_plain(image), width)
    return encode(smaller, kind == "jpeg"), smaller.size


def probe(data: bytes) -> tuple[int, int]:
    """The pixel size of careleaf's own cleaned PNG or JPEG, from its header."""
    for plugin in (PngImagePlugin.PngImageFile, JpegImagePlugin.JpegImageFile):
        try:
            return plugin(io.BytesIO(data)).size
        except SyntaxError:
            continue
    raise Unreadable("not a PNG or JPEG")
