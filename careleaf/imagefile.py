"""Reading an image file a manuscript names: the address vetted, the file read once.

An image must be a plain path (no web address, query, fragment or backslash) to a file
inside the manuscripts folder, after every symbolic link is followed; it is read once,
at most ``MAX_BYTES``, and never through a link swapped in since it was vetted. Its
bytes then go to ``careleaf.images.inspect``, which decides what is published.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from urllib.parse import unquote, urlsplit

from careleaf.images import MAX_BYTES, Refusal, cached_inspect
from careleaf.records import Picture


def load(src: str, folder: Path, root: Path) -> tuple[Path, Picture] | Refusal:
    """The image ``src`` (as written in a manuscript in ``folder``), which must be a file
    inside ``root``, read once and inspected."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or src.startswith(("/", "\\")):
        return Refusal(
            "I202",
            f"the image '{src}' is not a file beside the manuscripts; careleaf never fetches "
            "images from the web or from elsewhere on the computer",
            "save the image in the manuscripts' images folder",
        )
    if "?" in src or "#" in src or "\\" in src:
        return Refusal(
            "I215",
            f"the image address '{src}' holds a '?', '#' or '\\'; careleaf takes only the "
            "path of a file",
            "write the file's path with '/' between folders, e.g. images/hand.png",
        )
    try:
        path = (folder / unquote(parts.path)).resolve()
        inside = path.is_relative_to(root.resolve())
        exists = inside and path.is_file()
    except (OSError, ValueError, RuntimeError):  # a NUL, a name too long, a link loop
        inside, exists = True, False
    if not inside:
        return Refusal(
            "I202",
            f"the image '{src}' is outside the manuscripts folder",
            "keep images in the manuscripts' images folder",
        )
    if not exists:
        return Refusal(
            "I201",
            f"the image file '{src}' does not exist",
            "check the file name and folder, including capitals",
        )
    try:
        data = _read(path)
    except OSError as exc:
        return Refusal(
            "I201",
            f"the image file '{src}' cannot be read ({exc.strerror})",
            "check that the file is a picture you can open",
        )
    if isinstance(data, int):
        return Refusal(
            "I212",
            f"the image '{src}' is {data / 1e6:.1f} MB; careleaf takes image files of up "
            f"to {MAX_BYTES // 1_000_000} MB",
            "save it smaller, e.g. as a JPEG about 3000 pixels across",
        )
    found = cached_inspect(data, path.suffix.lower(), src)
    return found if isinstance(found, Refusal) else (path, found)


def _read(path: Path) -> bytes | int:
    """The file's bytes, or its size when it is larger than MAX_BYTES. The last part of
    the path must still be a plain file, not a link or a device."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    descriptor = os.open(path, flags)
    with os.fdopen(descriptor, "rb") as file:
        status = os.fstat(file.fileno())
        if not stat.S_ISREG(status.st_mode):
            return b""
        if status.st_size > MAX_BYTES:
            return status.st_size
        data = file.read(MAX_BYTES + 1)
    return len(data) if len(data) > MAX_BYTES else data
