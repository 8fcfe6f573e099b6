"""Pictures for the image tests, made with Pillow when the tests run (no big binaries in
the repository): a phone photo full of private metadata, a large drawing, a
decompression bomb, a Display P3 colour profile."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import ExifTags, Image, ImageCms, ImageDraw, ImageFilter, PngImagePlugin

MARK = b"CARELEAF-PRIVATE-7f3a"  # in every piece of metadata: must reach no output
GPS = {1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 39.0)}
RED = (255, 0, 0)


def phone_photo(width: int = 4032, height: int = 3024) -> bytes:
    """A JPEG as a phone saves it: about 4 MB for 12 megapixels, taken with the phone
    held upright (stored on its side, EXIF orientation 6), with the GPS position, the
    camera's name, XMP, IPTC, a comment and a colour profile. The top-left corner of the
    stored picture is red: upright, that corner is at the top right."""
    red = Image.linear_gradient("L").resize((width, height))
    green = Image.radial_gradient("L").resize((width, height))
    blue = Image.effect_noise((width, height), 64).filter(ImageFilter.GaussianBlur(2))
    picture = Image.blend(
        Image.merge("RGB", (red, green, blue)),
        Image.effect_noise((width, height), 30).convert("RGB"),
        0.25,
    )
    ImageDraw.Draw(picture).rectangle((0, 0, width // 8, width // 8), fill=RED)
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = MARK.decode() + " phone"
    exif[ExifTags.Base.ImageDescription] = MARK.decode()
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(GPS)
    buffer = io.BytesIO()
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    picture.save(buffer, "JPEG", quality=90, exif=exif.tobytes(), comment=MARK, icc_profile=srgb)
    return with_segments(buffer.getvalue())


def with_segments(jpeg: bytes) -> bytes:
    """``jpeg`` with an XMP packet (APP1) and an IPTC caption (APP13) holding MARK."""
    xmp = b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta xmlns:x='adobe:ns:meta/'>" + MARK
    xmp += b"</x:xmpmeta>"
    iptc = b"\x1c\x02\x78" + struct.pack(">H", len(MARK)) + MARK
    photoshop = b"Photoshop 3.0\x008BIM\x04\x04\x00\x00" + struct.pack(">I", len(iptc)) + iptc
    segments = b"".join(
        marker + struct.pack(">H", len(body) + 2) + body
        for marker, body in ((b"\xff\xe1", xmp), (b"\xff\xed", photoshop))
    )
    return jpeg[:2] + segments + jpeg[2:]


def drawing(width: int = 4000, height: int = 3000) -> bytes:
    """A large PNG drawing (a bar chart: few colours) with a text chunk and EXIF."""
    picture = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(picture)
    for bar in range(40):
        x = bar * width // 40
        draw.rectangle(
            (x, height - bar * height // 45, x + width // 50, height), fill=(29, 79, 145)
        )
    draw.ellipse(
        (width // 8, height // 10, width // 3, height // 2), outline=(198, 40, 40), width=30
    )
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", MARK.decode())
    info.add_itxt("XML:com.adobe.xmp", MARK.decode())
    exif = Image.Exif()
    exif[ExifTags.Base.ImageDescription] = MARK.decode()
    buffer = io.BytesIO()
    picture.save(buffer, "PNG", pnginfo=info, exif=exif.tobytes())
    return buffer.getvalue()


def png_chunks(data: bytes) -> list[bytes]:
    """The chunk types of a PNG file, in order."""
    found, at = [], 8
    while at < len(data):
        length = struct.unpack(">I", data[at : at + 4])[0]
        found.append(data[at + 4 : at + 8])
        at += 12 + length
    return found


def bomb(side: int = 9000) -> bytes:
    """A real decompression bomb: a PNG of side x side black pixels (243 MB when decoded
    at 9000) in about 240 KB."""
    compressor = zlib.compressobj(9)
    row = b"\0" * (side * 3 + 1)
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def display_p3_profile() -> bytes:
    """An ICC v2 profile for Display P3 (P3 primaries, D65 white adapted to D50, gamma
    2.2 instead of the sRGB curve): what an iPhone photo carries."""
    primaries = {  # Bradford-adapted to D50
        b"rXYZ": (0.5151, 0.2412, -0.0011),
        b"gXYZ": (0.2920, 0.6922, 0.0419),
        b"bXYZ": (0.1571, 0.0666, 0.7841),
        b"wtpt": (0.9642, 1.0, 0.8249),
    }

    def s15(value: float) -> bytes:
        return struct.pack(">i", round(value * 65536))

    tags: list[tuple[bytes, bytes]] = []
    text = b"Display P3 (test)"
    tags.append((b"desc", b"desc\0\0\0\0" + struct.pack(">I", len(text) + 1) + text + b"\0" * 80))
    for name, xyz in primaries.items():
        tags.append((name, b"XYZ \0\0\0\0" + b"".join(s15(v) for v in xyz)))
    curve = b"curv\0\0\0\0" + struct.pack(">I", 1) + struct.pack(">H", int(2.2 * 256)) + b"\0\0"
    tags += [(b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve)]
    tags.append((b"cprt", b"text\0\0\0\0no copyright\0\0\0\0"))
    table_size = 4 + 12 * len(tags)
    offset = 128 + table_size
    table, body = struct.pack(">I", len(tags)), b""
    for name, data in tags:
        table += name + struct.pack(">II", offset + len(body), len(data))
        body += data + b"\0" * (-len(data) % 4)
    size = 128 + table_size + len(body)
    header = struct.pack(">I", size) + b"lcms" + bytes([2, 0x10, 0, 0]) + b"mntrRGB XYZ "
    header += b"\0" * 12 + b"acsp" + b"APPL" + b"\0" * 4 + b"\0" * 8 + b"\0" * 8 + b"\0" * 4
    header += s15(0.9642) + s15(1.0) + s15(0.8249) + b"\0" * 4
    header += b"\0" * (128 - len(header))
    return header + table + body


def p3_photo(colour: tuple[int, int, int]) -> bytes:
    """A small JPEG of one colour, tagged as Display P3."""
    buffer = io.BytesIO()
    picture = Image.new("RGB", (64, 48), colour)
    picture.save(buffer, "JPEG", quality=95, icc_profile=display_p3_profile())
    return buffer.getvalue()
