"""A manuscript's images cannot make a build write or read outside its folders, smuggle
active content in a picture, or exhaust memory: every route refused at the line that
asks for it, nothing written anywhere, and what is published is re-written, never the
file's own bytes."""

from __future__ import annotations

import hashlib
import io
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from library_maker import PNG, TODAY, line_of, manuscript, png
from picture_maker import bomb, p3_photo
from PIL import Image

from careleaf import images
from careleaf.build import BuildOptions, BuildReport, build
from careleaf.fetcher import PICTURES_URL
from careleaf.printsize import column_inches, print_bytes, print_image, width_setting
from careleaf.render import MemoryFetcher, normal

SECRET = b"SECRET-OUTSIDE-THE-PROJECT"
BODY = "## Look\n\nWash the skin gently with water and soap.\n\n![A rash on an arm]({src})\n"
LINE = line_of(manuscript(body=BODY), "![")  # the image's line in a.md


def project(tmp_path: Path, src: str, files: dict[str, bytes] | None = None) -> Path:
    """tmp_path/secret.png (outside), tmp_path/clinic/manuscripts/{a.md, images/ok.png}."""
    (tmp_path / "secret.png").write_bytes(png(1700, 1000) + SECRET)
    (tmp_path / "secret.txt").write_bytes(SECRET)
    root = tmp_path / "clinic"
    (root / "manuscripts" / "images").mkdir(parents=True)
    (root / "manuscripts" / "images" / "ok.png").write_bytes(PNG)
    for name, data in (files or {}).items():
        (root / "manuscripts" / name).write_bytes(data)
    (root / "manuscripts" / "a.md").write_text(manuscript(body=BODY.format(src=src)))
    (root / "careleaf.toml").write_text("")
    return root


def run(root: Path, write: bool = True) -> BuildReport:
    return build(
        BuildOptions(
            root / "manuscripts",
            root / "output",
            root / "careleaf.toml",
            config_given=True,
            write=write,
            today=TODAY,
        )
    )


def snapshot(top: Path) -> dict[str, str]:
    """Every file, folder and link under ``top`` (links not followed), with its content."""
    found: dict[str, str] = {}
    for folder, dirs, files in os.walk(top):
        for name in dirs + files:
            path = Path(folder) / name
            key = str(path.relative_to(top))
            if path.is_symlink():
                found[key] = "link " + os.readlink(path)
            elif path.is_file():
                found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                found[key] = "folder"
    return found


ROUTES = {  # address in the manuscript -> the code that refuses it
    "fragment": ("images/ok.png#/../../../../escape.png", "I215"),
    "fragment through a linked folder": ("images/out/x.png#/../../../../../escape", "I215"),
    "query": ("images/ok.png?/../../../escape.png", "I215"),
    "dot-dot": ("../../secret.png", "I202"),
    "percent-encoded dot-dot": ("images/%2e%2e%2f%2e%2e%2f%2e%2e%2fsecret.png", "I202"),
    "percent-encoded fragment": ("images/ok.png%23%2f..%2f..%2f..%2fsecret.png", "I202"),
    # read with forward slashes (an I209 warning), and so outside
    "backslashes": ("images\\\\..\\\\..\\\\..\\\\secret.png", "I202"),
    "absolute path": ("{outside}/secret.png", "I202"),
    "file address": ("file://{outside}/secret.png", "I202"),
    "linked folder": ("images/out/secret.png", "I202"),
    "linked file": ("images/leak.png", "I202"),
    "linked file, not a picture": ("images/leak.txt", "I202"),
}


@pytest.mark.parametrize("route", ROUTES)
def test_no_image_route_reaches_outside(tmp_path: Path, route: str) -> None:
    src, code = ROUTES[route]
    root = project(tmp_path, src.format(outside=tmp_path))
    (root / "manuscripts" / "images" / "out").symlink_to(tmp_path)
    (root / "manuscripts" / "images" / "leak.png").symlink_to(tmp_path / "secret.png")
    (root / "manuscripts" / "images" / "leak.txt").symlink_to(tmp_path / "secret.txt")
    before = snapshot(tmp_path.parent)
    report = run(root)
    found = [(p.code, p.line) for p in report.problems if p.severity == "error"]
    assert found == [(code, LINE)], [str(p) for p in report.problems]
    assert snapshot(tmp_path.parent) == before  # nothing written anywhere, not even output/


def test_an_image_linked_inside_the_manuscripts_is_published_under_its_content_name(
    tmp_path: Path,
) -> None:
    root = project(tmp_path, "images/in.png")
    (root / "manuscripts" / "images" / "in.png").symlink_to("ok.png")
    before = snapshot(tmp_path)
    report = run(root)
    assert not report.failed, [str(p) for p in report.problems]
    after = snapshot(tmp_path)
    assert {k: v for k, v in after.items() if not k.startswith("clinic/output")} == before
    written = [p for p in (root / "output").rglob("*") if p.is_file()]
    assert not [p for p in written if SECRET in p.read_bytes()]
    [picture] = (root / "output" / "html" / "images").iterdir()
    assert picture.name == images.inspect(PNG, ".png", "x").name  # type: ignore[union-attr]


CONFUSED = {  # file name, content -> code
    "svg in a .png": (
        "d.png",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>',
        "I210",
    ),
    "html in a .png": ("d.png", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "I211"),
    "png in a .svg": ("d.svg", PNG, "I210"),
    "html in a .jpg": ("d.jpg", b"<html><body onload='x()'>hi</body></html>", "I211"),
    "jpeg in a .png": ("d.png", b"", "I210"),
    "pdf in a .png": ("d.png", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "I211"),
    "truncated png": ("d.png", PNG[: len(PNG) // 2], "I211"),
    "empty file": ("d.png", b"", "I211"),
    "svg without its namespace": ("d.svg", b"<svg><rect/></svg>", "I211"),
    "decompression bomb": ("d.png", bomb(), "I213"),
    "tiff": ("d.tiff", b"", "E703"),
    "bmp": ("d.bmp", b"", "E703"),
    "heic": ("d.heic", b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + b"\0" * 64, "E703"),
}


def _picture(form: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1700, 1000), (90, 120, 200)).save(buffer, form)
    return buffer.getvalue()


@pytest.mark.parametrize("case", CONFUSED)
def test_a_file_that_is_not_what_its_name_says_is_refused(tmp_path: Path, case: str) -> None:
    name, data, code = CONFUSED[case]
    if case == "jpeg in a .png":
        data = _picture("JPEG")
    elif case in ("tiff", "bmp"):
        data = _picture(case.upper())
    root = project(tmp_path, f"images/{name}", {f"images/{name}": data})
    for write in (False, True):  # check finds what build finds; build publishes nothing
        report = run(root, write=write)
        found = [(p.code, p.line) for p in report.problems if p.severity == "error"]
        assert found == [(code, LINE)], [str(p) for p in report.problems]
        assert f"'images/{name}'" in report.problems[0].message
    assert not (root / "output").exists()


def test_an_image_file_over_25_mb_is_refused_unread(tmp_path: Path) -> None:
    root = project(tmp_path, "images/huge.png")
    with (root / "manuscripts" / "images" / "huge.png").open("wb") as file:
        file.write(PNG)
        file.truncate(26_000_000)  # sparse: the test writes 26 MB without using them
    [problem] = run(root).problems
    assert (problem.code, problem.line) == ("I212", LINE)
    assert "'images/huge.png' is 26.0 MB" in problem.message


def test_a_bomb_is_refused_before_it_is_decoded() -> None:
    refused = images.inspect(bomb(20000), ".png", "images/b.png")
    assert isinstance(refused, images.Refusal) and refused.code == "I213"
    assert refused.message.startswith("the image 'images/b.png' is 20000 x 20000 pixels")


@pytest.mark.parametrize(
    ("width", "code"), [("50%", None), ("full", None), ("300px", "I216"), ("5%", "I216")]
)
def test_a_width_careleaf_does_not_know_is_an_error(tmp_path: Path, width: str, code: str) -> None:
    root = project(tmp_path, "images/ok.png){: width=" + width + " }")
    found = [(p.code, p.line) for p in run(root, write=False).problems]
    assert found == ([(code, LINE)] if code else [])


def test_width_settings() -> None:
    assert [width_setting(v) for v in ("small", "Medium", "large", "full")] == [25, 50, 75, 100]
    assert [width_setting(v) for v in ("10%", "33%", "37 %", "100%")] == [10, 35, 35, 100]
    assert [width_setting(v) for v in ("9%", "101%", "50", "50px", "1/2", "")] == [None] * 6


def test_an_animated_picture_is_published_as_its_first_frame(tmp_path: Path) -> None:
    frames = [Image.new("RGB", (1700, 1000), colour) for colour in ("red", "lime", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100)
    root = project(tmp_path, "images/wave.gif", {"images/wave.gif": buffer.getvalue()})
    report = run(root)
    assert [(p.code, p.severity) for p in report.problems] == [("I217", "warning")]
    [picture] = (root / "output" / "html" / "images").iterdir()
    published = Image.open(picture)
    assert published.format == "PNG" and published.getpixel((5, 5)) == (255, 0, 0)
    assert not getattr(published, "is_animated", False)


HOSTILE_SVG = {  # inside an <svg>: each is refused
    "script": "<script>alert(1)</script>",
    "event handler": '<rect onclick="alert(1)"/>',
    "link": '<a href="#r"><rect id="r"/></a>',
    "animation setting href": '<set attributeName="href" to="javascript:alert(1)"/>',
    "animate": '<animate attributeName="x" values="0;9"/>',
    "css import": "<style>@import url(other.css);</style>",
    "css import of a string": '<style>@import "other.css";</style>',
    "css escape": "<style>rect { fill: u\\72l(https://example.org/x) }</style>",
    "css url": "<style>rect { fill: url(https://example.org/x) }</style>",
    "css url in a style attribute": "<rect style=\"fill: url('file:///etc/passwd')\"/>",
    "css url in a presentation attribute": '<rect fill="url(other.svg#g)"/>',
    "css image-set": "<style>rect { fill: image-set('x.png' 1x) }</style>",
    "css font": "<style>@font-face { font-family: x; src: local(x) }</style>",
    "use of another file": '<use href="other.svg#x"/>',
    "xlink image from the web": '<image xlink:href="https://example.org/x.png"/>',
    "image from a file": '<image href="file:///etc/passwd"/>',
    "embedded svg": '<image href="data:image/svg+xml;base64,PHN2Zy8+"/>',
    "embedded picture that is not one": '<image href="data:image/png;base64,PGh0bWw+"/>',
    "feImage": '<filter id="f"><feImage href="x.png"/></filter>',
    "foreignObject": "<foreignObject><p xmlns='http://www.w3.org/1999/xhtml'>x</p></foreignObject>",
    "html element": "<h:iframe xmlns:h='http://www.w3.org/1999/xhtml' src='x'/>",
    "xinclude": "<xi:include xmlns:xi='http://www.w3.org/2001/XInclude' href='/etc/passwd'/>",
    "xml:base": '<g xml:base="https://example.org/"><use href="#x"/></g>',
    # text after an element inside <style> was neither vetted nor left out
    "css import after a child of style": "<style>rect{fill:red}<g/>@import url(x.css);</style>",
    "css url after a child of style": "<style><g/>rect{fill:url(https://example.org/x)}</style>",
    # a kilobyte that draws ten billion shapes: the build hung
    "use bomb": '<defs><rect id="a0" width="1" height="1"/>'
    + "".join(f'<g id="a{n}">' + f'<use href="#a{n - 1}"/>' * 10 + "</g>" for n in range(1, 10))
    + '</defs><use href="#a9"/>',
    "use of itself": '<g id="g"><use href="#g"/></g>',
    "use loop": '<g id="p"><use href="#q"/></g><g id="q"><use xlink:href="#p"/></g>',
}
SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">{}</svg>'
HOSTILE_DOCUMENTS = {
    "external entity": '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    '<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>',
    "entity expansion": '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaa">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>',
    "style sheet instruction": '<?xml version="1.0"?><?xml-stylesheet href="https://example.org/x.css"?>'
    '<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>',
}


@pytest.mark.parametrize("case", [*HOSTILE_SVG, *HOSTILE_DOCUMENTS])
def test_a_hostile_svg_is_refused(case: str) -> None:
    text = HOSTILE_DOCUMENTS.get(case) or SVG.format(HOSTILE_SVG[case])
    refused = images.inspect(text.encode(), ".svg", "images/d.svg")
    assert isinstance(refused, images.Refusal), refused
    assert refused.code == "I205", refused
    assert refused.message.startswith("the SVG image 'images/d.svg' cannot be published: ")


def test_a_detailed_drawing_without_use_is_published() -> None:
    """The <use> limit counts the shapes <use> adds, not the drawing's own: 10,500 paths
    exported from a drawing program were refused as repeated parts."""
    paths = '<path d="M0 0L1 1"/>' * 10_500
    published = images.inspect(SVG.format(paths).encode(), ".svg", "images/d.svg")
    assert not isinstance(published, images.Refusal), published


def test_an_svg_is_published_re_written_from_the_allowlist() -> None:
    parts = {
        "comment": "<!-- HIDDEN-COMMENT -->",
        "instruction": "<?HIDDEN-PI data?>",
        "metadata": "<metadata><x:y xmlns:x='urn:x'>HIDDEN-METADATA</x:y></metadata>",
        "editor namespace": "<ink:view xmlns:ink='urn:ink' id='HIDDEN-INK'/>",
        "editor attribute": "<rect xmlns:ink='urn:ink' ink:label='HIDDEN-LABEL' width='4'/>",
        "unknown attribute": "<rect data-x='HIDDEN-DATA' width='4'/>",
        "cursor": "<rect cursor='url(HIDDEN-CURSOR.cur)' width='4'/>",
        "css comment": "<style>/* url(HIDDEN-CSS) */ rect { fill: red }</style>",
        "text outside text": "<g>HIDDEN-TEXT<rect width='4'/></g>",
    }
    text = '<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd">'
    text += SVG.format("<title>A knee</title>" + "".join(parts.values()))
    picture = images.inspect(text.encode(), ".svg", "images/d.svg")
    assert isinstance(picture, images.Picture)
    published = picture.data.decode()
    assert "HIDDEN" not in published and "DOCTYPE" not in published, published
    assert "<title>A knee</title>" in published and published.count("<rect") == 4
    assert "rect { fill: red }" in published


def test_pictures_are_read_from_the_bytes_given_only(tmp_path: Path) -> None:
    """In a process that watches every file opened: after the first picture of each type
    (which imports what Pillow needs), inspecting and printing pictures opens nothing."""
    script = """
import io, sys
from PIL import Image
from careleaf import images, printsize
def made(form, size):
    buffer = io.BytesIO()
    Image.effect_noise(size, 40).convert("RGB").save(buffer, form)
    return buffer.getvalue()
svg = b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="{}"/></svg>'
def pictures(size):
    yield from ((made(form, size), suffix) for form, suffix in
                (("PNG", ".png"), ("JPEG", ".jpg"), ("GIF", ".gif"), ("WEBP", ".webp")))
    yield svg.replace(b"{}", str(size[0]).encode()), ".svg"
def inspect_all(size):
    for data, suffix in pictures(size):
        picture = images.inspect(data, suffix, "x")
        printsize.print_bytes(printsize.print_image(picture, 10, "A4", "standard", "en"))
inspect_all((300, 200))
opened = []
sys.addaudithook(lambda event, args: opened.append((event, args)) if event in (
    "open", "os.listdir", "os.scandir", "socket.connect", "subprocess.Popen") else None)
inspect_all((320, 210))
print("OPENED", opened)
"""
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "OPENED []"


def test_a_display_p3_photo_is_converted_to_srgb() -> None:
    picture = images.inspect(p3_photo((60, 160, 60)), ".jpg", "x")
    assert isinstance(picture, images.Picture)
    published = Image.open(io.BytesIO(picture.data))
    red, green, blue = published.getpixel((30, 20))  # type: ignore[misc]
    assert red < 20 and green > 155 and blue < 50  # P3's green is beyond sRGB's
    assert "icc_profile" not in published.info


def test_the_same_picture_gives_the_same_bytes() -> None:
    data = _picture("JPEG")
    first, second = images.inspect(data, ".jpg", "x"), images.inspect(data, ".jpeg", "y")
    assert isinstance(first, images.Picture) and isinstance(second, images.Picture)
    assert first is not second and first.data == second.data
    assert first.print_data == second.print_data
    made = [print_bytes(print_image(p, 50, "letter", "standard", "en")) for p in (first, second)]
    pixels = math.ceil(column_inches("letter", "standard", "en") / 2 * 300)  # 300 per inch
    assert made[0] == made[1] and Image.open(io.BytesIO(made[0])).width == pixels


def test_the_leaflet_fetcher_serves_pictures_from_memory_only(tmp_path: Path) -> None:
    """A render task's fetcher serves the pictures the task carries, never a file."""
    (tmp_path / "x.png").write_bytes(PNG)
    fetcher = MemoryFetcher({})
    with pytest.raises(ValueError, match="careleaf refused"):
        fetcher.fetch(PICTURES_URL + "x.png")
    with pytest.raises(ValueError, match="careleaf refused"):
        fetcher.fetch((tmp_path / "x.png").as_uri())
    fetcher.current = {normal(PICTURES_URL + "x.png"): b"cleaned"}
    assert fetcher.fetch(PICTURES_URL + "x.png").read() == b"cleaned"
