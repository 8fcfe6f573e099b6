"""A library written the way clinic editors write (tests/libraries/editors: English and
French; nested lists three deep, tables, callouts, units and symbols, footnotes,
definition lists, abbreviations, a phone photo) builds into every output; what a
patient reads in the leaflet is what the editor wrote; and for every test library,
``check`` reports exactly the problems ``build`` does."""

from __future__ import annotations

import io
import random
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import lxml.html
import pytest
from conftest import MIXED, ROOT, SAMPLE, TODAY, run_cli
from PIL import Image

from careleaf.build import BuildOptions, build

EDITORS = ROOT / "tests" / "libraries" / "editors"
RSQUO = "\u2019"  # smart quotes turn an apostrophe into a right single quotation mark
DAY = __import__("datetime").date.fromisoformat(TODAY[1])


def photo() -> bytes:
    """A phone-sized JPEG photo (noise, which compresses as little as a photo) with the
    metadata a phone writes (EXIF with the camera's make and a GPS position)."""
    noise = random.Random(7).randbytes(2000 * 1500 * 3)
    picture = Image.frombytes("RGB", (2000, 1500), noise)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPS
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def editors_library(folder: Path) -> Path:
    shutil.copytree(EDITORS, folder)
    (folder / "manuscripts" / "images").mkdir(exist_ok=True)
    (folder / "manuscripts" / "images" / "thermometer.jpg").write_bytes(photo())
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = editors_library(tmp_path_factory.mktemp("editors") / "clinic")
    result = run_cli(cwd=root)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return root


def leaflet_text(path: Path) -> str:
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def words(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


CALLOUTS_AND_ITEMS = {
    "fever-in-children": [
        "Call 999",
        "has a fit (seizure) for the first time",
        "or is floppy and will not respond",
        "Note the time too, e.g. 14:30.",
        "Write the number down.",
        "Keep a note of each dose: ½ a spoon at 8 am ✓, a full spoon at 2 pm ✓.",
        "Never give aspirin",
        "Children under 16 must not take aspirin.",
        "38 °C or more (≥ 38 °C)",
        "Use a digital thermometer → under the arm for children under 5.",
        "A 5 ml spoon holds 120 mg.",
        "Most fevers get better in 3 days.",
    ],
    "fievre-adulte": [
        "À retenir",
        "De l'eau, du bouillon ou du thé.",
        "Évitez l'alcool.",
        "Reposez-vous.",
        "Appelez le 15",
        "Le 112 fonctionne dans toute l'Europe.",
    ],
}


@pytest.mark.parametrize("edition", ["leaflets", "leaflets/large-print"])
@pytest.mark.parametrize("slug", sorted(CALLOUTS_AND_ITEMS))
def test_every_callout_and_nested_item_is_in_the_leaflet_text(
    built: Path, slug: str, edition: str
) -> None:
    text = leaflet_text(built / "output" / edition / f"{slug}.pdf")
    for expected in CALLOUTS_AND_ITEMS[slug]:
        assert words(expected).replace("'", RSQUO) in text.replace("'", RSQUO), expected
    assert "!!!" not in text and "**" not in text and "[^" not in text


def test_no_markup_shows_in_any_output(built: Path) -> None:
    raw = re.compile(r"!!!|\*\*|\[\^|\{:|</?(div|aside|span)\b|&lt;|&amp;[a-z]+;")
    output = built / "output"
    for page in (output / "html").glob("*.html"):
        if page.name in ("index.html",):
            continue
        visible = lxml.html.fromstring(page.read_bytes()).text_content()
        assert not raw.search(visible), (page.name, raw.search(visible))
    (book,) = (output / "ebook").glob("*.epub")
    with zipfile.ZipFile(book) as epub:
        for name in epub.namelist():
            if name.endswith(".xhtml"):
                visible = lxml.html.fromstring(epub.read(name)).text_content()
                assert not raw.search(visible), (name, raw.search(visible))
    for pdf in (output / "leaflets").rglob("*.pdf"):
        assert not raw.search(leaflet_text(pdf)), pdf.name


def test_the_photo_is_scaled_and_carries_no_metadata(built: Path) -> None:
    output = built / "output"
    original = len(photo())
    for pdf in (output / "leaflets").rglob("fever-in-children.pdf"):
        assert pdf.stat().st_size < original
        assert b"PhoneMaker" not in pdf.read_bytes()
    for image in (output / "html" / "images").iterdir():
        assert b"PhoneMaker" not in image.read_bytes() and b"Exif" not in image.read_bytes()


def test_every_output_is_made(built: Path) -> None:
    output = built / "output"
    for slug in CALLOUTS_AND_ITEMS:
        for name in ("html/{}.html", "leaflets/{}.pdf", "leaflets/large-print/{}.pdf"):
            assert (output / name.format(slug)).is_file(), name.format(slug)
    assert list((output / "ebook").glob("*.epub"))
    assert (output / "report.html").is_file()


def _problems(root: Path, write: bool, output: Path) -> list[str]:
    options = BuildOptions(
        root / "manuscripts", output, root / "careleaf.toml", True, write=write, today=DAY
    )
    return [str(p) for p in build(options).problems]


@pytest.mark.parametrize("library", ["sample", "mixed", "editors"])
def test_check_reports_exactly_what_build_does(library: str, tmp_path: Path) -> None:
    """Every check but the rendering itself runs in ``check``: the same problems, in the
    same words, at the same places, for every manuscript of the test libraries."""
    if library == "editors":
        root = editors_library(tmp_path / "clinic")
    else:
        source, root = (SAMPLE if library == "sample" else MIXED), tmp_path / "clinic"
        shutil.copytree(source / "manuscripts", root / "manuscripts")
        shutil.copy(source / "careleaf.toml", root / "careleaf.toml")
    checked = _problems(root, False, tmp_path / "out")
    made = _problems(root, True, tmp_path / "out")
    assert checked == made
