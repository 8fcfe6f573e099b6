"""What careleaf makes of a phone photo: its size in each output, and the time it takes.

    python benchmarks/images.py [--width 4032] [--rounds 3]

Makes a 12-megapixel JPEG as a phone saves it (about 4 MB, EXIF with GPS, turned by
its orientation tag), builds a one-article library with it, and prints the bytes of the
photo in the web edition, the e-book and both leaflets (the PDF and the picture inside
it), and the seconds careleaf takes to clean it and to scale it for print.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pikepdf

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parent / "tests")]  # this checkout's careleaf

from library_maker import make_library, manuscript  # noqa: E402
from picture_maker import phone_photo  # noqa: E402

from careleaf import images  # noqa: E402
from careleaf.build import BuildOptions, build  # noqa: E402
from careleaf.printsize import print_bytes, print_image  # noqa: E402


def seconds(rounds: int, work: object) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def pdf_picture(path: Path) -> int:
    with pikepdf.open(path) as pdf:
        return sum(
            len(obj.read_raw_bytes())
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--width", type=int, default=4032)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    photo = phone_photo(options.width, options.width * 3 // 4)
    print(f"phone photo: {options.width} x {options.width * 3 // 4}, {len(photo):,} bytes")
    picture = images.inspect(photo, ".jpg", "photo.jpg")
    assert isinstance(picture, images.Picture), picture
    cleaning = seconds(options.rounds, lambda: images.inspect(photo, ".jpg", "photo.jpg"))
    print(f"inspect (decode, turn, clean, scale, encode): {cleaning:.2f} s")
    for edition in ("standard", "large-print"):
        made = print_image(picture, None, "A4", edition, "en")
        scaling = seconds(options.rounds, lambda made=made: print_bytes(made))
        print(f"print bytes, {edition}: {made.width} px across, {scaling:.2f} s")
    with tempfile.TemporaryDirectory() as name:
        root = Path(name)
        body = "## Look\n\nThe rash is pink.\n\n![A pink rash on an elbow](images/photo.jpg)\n"
        make_library(root, {"rash.md": manuscript(body=body), "images/photo.jpg": photo})
        report = build(BuildOptions(root / "manuscripts", root / "output", root / "careleaf.toml"))
        assert not report.failed, [str(p) for p in report.problems]
        output = root / "output"
        [web] = (output / "html" / "images").iterdir()
        [book] = (output / "ebook").iterdir()
        with zipfile.ZipFile(book) as epub:
            in_book = epub.getinfo(f"EPUB/media/{web.name}").file_size
        rows = [
            ("web edition picture", web.stat().st_size),
            ("e-book picture", in_book),
        ]
        for folder in ("", "large-print/"):
            pdf = output / "leaflets" / f"{folder}rash.pdf"
            label = "large-print leaflet" if folder else "leaflet"
            rows += [(f"{label} PDF", pdf.stat().st_size), ("  its picture", pdf_picture(pdf))]
        for label, size in rows:
            print(f"{label:24} {size:>10,} bytes  ({size / len(photo):5.1%} of the photo)")


if __name__ == "__main__":
    main()
