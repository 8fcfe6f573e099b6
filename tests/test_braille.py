"""The braille edition: BRF files read back as a braille reader's software reads them
(real liblouis), for the sample library and an unseen one in four languages."""

from __future__ import annotations

import json
import pickle
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from brf import back_translate, coverage, layout_failures, pages, words
from conftest import ROOT, SAMPLE, build_project, run_cli, source_env
from library_maker import TODAY
from picture_maker import phone_photo

from careleaf import liblouis
from careleaf.build import BuildOptions, BuildReport, build, load_library
from careleaf.library import Library

UNSEEN = ROOT / "tests" / "libraries" / "braille"  # English, Spanish, French, Arabic; 32 x 20
WITHOUT_LIBLOUIS = """
import sys
from pathlib import Path
sys.modules["louis"] = None  # no python3-louis: 'import louis' fails
import careleaf.liblouis
careleaf.liblouis.DEBIAN_LOUIS = Path("/nonexistent/louis/__init__.py")
"""


def copy_unseen(root: Path) -> Path:
    shutil.copytree(UNSEEN, root)
    (root / "manuscripts" / "images").mkdir()
    (root / "manuscripts" / "images" / "dressing.jpg").write_bytes(phone_photo(1600, 1200))
    return root


@pytest.fixture(scope="module")
def unseen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_unseen(tmp_path_factory.mktemp("braille") / "northgate")
    assert build_project(root, root / "output") == 0
    return root


def library_of(project: Path, output: Path) -> Library:
    return load_library(BuildOptions(project / "manuscripts", output, project / "careleaf.toml"))


def built(project: Path, output: Path) -> list[tuple[Library, str, bytes]]:
    library = library_of(project, output)
    return [
        (library, a.slug, (output / "braille" / f"{a.slug}.brf").read_bytes())
        for a in library.articles
    ]


@pytest.fixture(scope="module")
def every_brf(sample_output: Path, unseen: Path) -> list[tuple[Library, str, bytes]]:
    return built(SAMPLE, sample_output) + built(unseen, unseen / "output")


def test_every_article_has_a_brf_of_braille_characters_on_its_page_size(
    every_brf: list[tuple[Library, str, bytes]],
) -> None:
    assert len(every_brf) == 10
    longest: dict[int, int] = {}
    for library, slug, data in every_brf:
        cells, lines = library.config.braille.cells_per_line, library.config.braille.lines_per_page
        assert layout_failures(data, cells, lines) == [], slug
        widest = max(len(row) for page in pages(data) for row in page)
        assert cells - 4 <= widest <= cells, slug  # the lines use the page's width
        assert b"\r\n\f" in data and not data.endswith(b"\f"), slug  # a form feed between pages
        longest[lines] = max(longest.get(lines, 0), *(len(page) for page in pages(data)))
    assert longest == {25: 25, 20: 20}  # and pages their length


def test_back_translation_gives_back_the_articles_words(
    every_brf: list[tuple[Library, str, bytes]],
) -> None:
    """Word sets: every word of the article (title, text, notes, tables, alt texts), in
    lower case, without accents, compared with the words liblouis reads back."""
    for library, slug, data in every_brf:
        article = library.article(slug)
        text = " ".join([article.title, article.text, *(i.alt for i in article.images)])
        share, missing = coverage(text, back_translate(data, str(liblouis.table_for(article.lang))))
        if library.config.braille.cells_per_line == 32:  # the unseen library: every word
            assert missing == set(), slug
        # the sample: a Spanish paragraph in an English article (written in Spanish
        # braille), 'HbA1c' in an Arabic one (Latin letters read back as Arabic ones)
        assert share >= 0.97, (slug, missing)


@pytest.mark.parametrize(
    ("slug", "table", "sentence"),
    [
        ("wound-care", "en-ueb-g2.ctb", "Wash your hands before and after you touch the wound."),
        (
            "pies-diabetes",
            "es-g1.ctb",
            "Séquelos bien, sobre todo entre los dedos",
        ),  # liblouis reads . as an apostrophe
        ("sommeil", "fr-bfu-comp6.utb", "Un oreiller sous la jambe ou le bras peut soulager la"),
        ("ghasl-alyadayn", "ar-ar-g1.utb", "تنقل الأيدي الجراثيم إلى الفم والأنف والعينين."),
    ],
)
def test_sentences_read_back_as_written(unseen: Path, slug: str, table: str, sentence: str) -> None:
    data = (unseen / "output" / "braille" / f"{slug}.brf").read_bytes()
    read = " ".join(back_translate(data, table).split())
    assert sentence.casefold() in read.casefold()


def test_the_layout_carries_the_structure(unseen: Path) -> None:
    data = (unseen / "output" / "braille" / "wound-care.brf").read_bytes()
    sheets = pages(data)
    for number, page in enumerate(sheets, start=1):  # the braille page number, top right
        assert page[0].endswith(back_to_brf(str(number))) and len(page[0]) == 32
        assert page[1].strip(), number  # no page starts with a blank line
    title_page = sheets[0]
    assert title_page[1] == "    ,LOOK+ AF YR W.D AT HOME"  # centred
    assert "     ,NOR?GATE ,H1L? ,C5TRE" in title_page
    assert title_page[-2:] == ["     ,REVIEW DUE3 ,MAY #AB1", "             #BJBH"]
    body = [row for page in sheets[1:] for row in page[1:]]
    assert body[0] == "         ,KEEP+ X CL1N"  # a centred heading opens the text
    assert body[2].startswith("  ,YR NURSE")  # a paragraph: cell 3, then cell 1
    # the footnote's note (7-5) right after the paragraph that calls it
    call = next(i for i, row in enumerate(body) if row.endswith(".<#A.>"))
    assert body[call + 1].startswith("      .<#A.> ,A BA? S(T5S")
    assert body[call + 2].startswith("    ")
    # a nested list: each level two cells further in, runovers two cells further still
    assert "#B4 ,TAKE (F ! OLD DRESS+ SL[LY4" in body
    assert "  _4 ,IF X /ICKS1 WET X ) A LL" in body and "    COOL$ BOIL$ WAT]4" in body
    assert "    _4 SOAK X = #E M9UTES1" in body
    # the callout between box lines, its title centred under the top one
    top = body.index("7" * 32)
    assert body[top + 1] == "       ,URG5T3 ,CALL #III" and "G" * 32 in body[top:]
    # the table row by row, each cell after its header
    assert ",SIGN3 ,R$1 HOT OR SWOLL5 SK92" in body
    assert "  ,:AT TO D3 ,CALL ! PRACTICE TD" in body
    # the picture's alt text in a transcriber's note (7-5), then its caption
    note = next(i for i, row in enumerate(body) if "TRANSCRIB]'S NOTE" in row)
    assert body[note].startswith("      ,TRANSCRIB]'S NOTE3 ,A W.D")
    # links as their text; web addresses in full only in the list at the end
    heading = body.index("         ,WEB ADDRESSES")
    assert all("HTTPS" not in row for row in body[:heading])
    read = back_translate(data, "en-ueb-g1.ctb")
    listed = "".join(read[read.index("Web addresses") :].split())
    assert "https://www.nhs.uk/conditions/cuts-and-grazes/" in listed
    assert "nurses@northgate-health.example" in listed


def back_to_brf(text: str) -> str:
    """How the English table writes ``text`` in BRF."""
    from brf import ALLOWED

    from careleaf.braillepages import ascii_braille

    louis = liblouis.binding()
    assert louis is not None
    written = ascii_braille(louis.translateString([liblouis.DISPLAY, "en-ueb-g2.ctb"], text))
    assert set(written) <= ALLOWED
    return written


def test_every_language_is_written_with_its_own_table(unseen: Path) -> None:
    braille = unseen / "output" / "braille"
    french = pages((braille / "sommeil.brf").read_bytes())
    assert french[0][0].strip() == ",*"  # page 1 in French braille's digits (Antoine)
    assert any("[O LE CAF= APR!S" in row for row in french[2])  # French bullet, accents
    spanish = (braille / "pies-diabetes.brf").read_bytes().decode("ascii")
    assert "5.POR QU! HAY QUE CUIDAR" in spanish  # ¿...? in Spanish braille
    arabic = back_translate((braille / "ghasl-alyadayn.brf").read_bytes(), "ar-ar-g1.utb")
    assert "اغسل يديك لمدة ٢٠ ثانية على الأقل" in " ".join(arabic.split())


def test_web_pages_link_the_braille_file_with_its_pages(unseen: Path) -> None:
    output = unseen / "output"
    report = json.loads((output / "report.json").read_text(encoding="utf-8"))
    wording = {
        "en": "Braille, BRF file, {} pages",
        "es": "Braille, archivo BRF, {} páginas",
        "fr": "Braille, fichier BRF, {} pages",
        "ar": "برايل، ملف BRF، {} صفحات",
    }
    for record in report["articles"]:
        slug = record["slug"]
        counted = len(pages((output / "braille" / f"{slug}.brf").read_bytes()))
        assert record["pages"]["braille"] == counted
        page = (output / "html" / f"{slug}.html").read_text(encoding="utf-8")
        link = re.search(r'<a href="([^"]+\.brf)"[^>]*>([^<]+)</a>', page)
        assert link is not None, slug
        assert (output / "html" / link.group(1)).resolve() == output / "braille" / f"{slug}.brf"
        assert link.group(2) == wording[record["language"]].format(counted)
    assert report["totals"]["pages"]["braille"] == sum(
        r["pages"]["braille"] for r in report["articles"]
    )
    assert "Braille pages" in (output / "report.html").read_text(encoding="utf-8")


def test_a_character_without_braille_is_spelled_or_left_out_with_a_warning(
    tmp_path: Path,
) -> None:
    root = copy_unseen(tmp_path / "clinic")
    manuscript = root / "manuscripts" / "wound-care.md"
    text = manuscript.read_text(encoding="utf-8")
    marker = "Wash your hands before and after"
    manuscript.write_text(text.replace(marker, "⚠️ Wash 💊 off your hands before and after"))
    result = run_cli("--manuscripts", root / "manuscripts", "--config", root / "careleaf.toml",
                     "--output", root / "output", cwd=root)  # fmt: skip
    assert result.returncode == 0, result.stderr
    line = text[: text.index(marker)].count("\n") + 1
    found = [row for row in result.stderr.splitlines() if " B954: " in row]
    assert [row.split(": warning")[0].rsplit("/", 1)[-1] for row in found] == [
        f"wound-care.md:{line}:1", f"wound-care.md:{line}:9"
    ]  # fmt: skip
    assert "'⚠' (U+26A0 WARNING SIGN) has no braille in the table en-ueb-g2.ctb" in found[0]
    assert "writes it as 'warning'" in found[0] and "writes it as 'pill'" in found[1]
    checked = run_cli("check", "--manuscripts", root / "manuscripts", "--config",
                      root / "careleaf.toml", "--output", root / "output", cwd=root)  # fmt: skip
    assert [row for row in checked.stderr.splitlines() if " B954: " in row] == found
    # a build that stops at an error makes no braille, and says the same as check
    manuscript.write_text(manuscript.read_text(encoding="utf-8") + "\n![A jar](missing.png)\n")
    where = ("--manuscripts", root / "manuscripts", "--config", root / "careleaf.toml")
    for command in ("check", "build"):
        stopped = run_cli(command, *where, "--output", root / "output", cwd=root)
        assert stopped.returncode == 1
        assert [row for row in stopped.stderr.splitlines() if " B954: " in row] == found
    data = (root / "output" / "braille" / "wound-care.brf").read_bytes()
    assert layout_failures(data, 32, 20) == []
    assert {"warning", "pill", "wash"} <= words(back_translate(data, "en-ueb-g2.ctb"))


def test_without_liblouis_every_other_edition_is_built_with_one_warning(tmp_path: Path) -> None:
    root = copy_unseen(tmp_path / "clinic")
    script = WITHOUT_LIBLOUIS + "from careleaf.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    result = subprocess.run(
        [sys.executable, "-c", script, "--today", "2026-11-25", "--output", "output"],
        cwd=root, capture_output=True, text=True, timeout=600, check=False, env=source_env(),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    warnings = [row for row in result.stderr.splitlines() if "B951" in row]
    assert warnings == [
        "careleaf:1: warning B951: liblouis is not installed, so the braille edition "
        "(braille/*.brf) is not made; every other edition is (install the Debian packages "
        "liblouis-bin and python3-louis (sudo apt-get install liblouis-bin python3-louis), "
        "or set [braille] enabled = false in careleaf.toml)"
    ]
    output = root / "output"
    assert not (output / "braille").exists()
    for slug in ("wound-care", "pies-diabetes", "sommeil", "ghasl-alyadayn"):
        assert (output / "leaflets" / f"{slug}.pdf").is_file()
        assert (output / "leaflets" / "large-print" / f"{slug}.pdf").is_file()
        assert ".brf" not in (output / "html" / f"{slug}.html").read_text(encoding="utf-8")
    assert (output / "ebook" / "northgate-patient-leaflets.epub").is_file()
    report = json.loads((output / "report.json").read_text(encoding="utf-8"))
    assert {r["pages"]["braille"] for r in report["articles"]} == {None}


def test_liblouis_without_its_tables_is_a_warning(tmp_path: Path) -> None:
    root = copy_unseen(tmp_path / "clinic")
    empty = tmp_path / "no-tables"
    empty.mkdir()
    env = source_env({"LOUIS_TABLEPATH": str(empty), "PATH": "/usr/bin:/bin"})
    result = subprocess.run(
        [sys.executable, str(ROOT / "publish.py"), "--today", "2026-11-25", "--output", "out"],
        cwd=root, capture_output=True, text=True, timeout=600, check=False, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr.count(" B952: ") == 1
    assert "cannot open the braille tables ar-ar-g1.utb, en-ueb-g1.ctb" in result.stderr
    assert not (root / "out" / "braille").exists() and (root / "out" / "html").is_dir()


def test_a_task_whose_worker_has_no_liblouis_is_an_error(unseen: Path) -> None:
    """The task is pure data: it can run anywhere (another process, a Dask worker); one
    that finds no liblouis there says so, as an error at the article (B955)."""
    from careleaf.braille import BrailleEdition
    from careleaf.engine import Built

    library = library_of(unseen, unseen / "output")
    edition = BrailleEdition()
    job = next(j for j in edition.plan(library, Built()).jobs if j.article == "sommeil")
    task = job.make()
    assert pickle.loads(pickle.dumps(task)) == task
    script = WITHOUT_LIBLOUIS + (
        "import pickle\nfrom careleaf.engine import run_task\n"
        "sys.stdout.buffer.write(pickle.dumps(run_task(pickle.loads(sys.stdin.buffer.read()))))\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", script],
        input=pickle.dumps(task), capture_output=True, timeout=120, check=True, env=source_env(),
    )  # fmt: skip
    outcome = pickle.loads(ran.stdout)
    assert outcome.files == ()
    found = edition.problems(library, job, outcome)
    assert [(p.code, p.path.rsplit("/", 1)[-1], p.line) for p in found] == [
        ("B955", "sommeil.md", 1)
    ]
    assert "liblouis cannot be loaded" in found[0].message
    here = task.run()  # with liblouis: the file the build made, byte for byte
    assert here.files == ((job.outputs[0], (unseen / "output" / job.outputs[0]).read_bytes()),)


def test_the_digest_holds_the_liblouis_version_and_tables(
    unseen: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from careleaf.braille import BrailleEdition
    from careleaf.engine import Built

    library = library_of(unseen, unseen / "output")

    def digests() -> list[str]:
        return [job.digest for job in BrailleEdition().plan(library, Built()).jobs]

    first = digests()
    monkeypatch.setattr(liblouis, "version", lambda: "3.99.0")
    newer = digests()
    monkeypatch.setattr(liblouis, "TABLES", {**liblouis.TABLES, "fr": "fr-bfu-g2.ctb"})
    contracted = digests()
    assert len(set(first) | set(newer) | set(contracted)) == 3 * len(first) == 12


def test_rebuilds_make_the_same_bytes_and_only_what_changed(tmp_path: Path) -> None:
    root = copy_unseen(tmp_path / "clinic")

    def build_into(output: Path, jobs: int) -> BuildReport:
        options = BuildOptions(root / "manuscripts", output, root / "careleaf.toml",
                               today=TODAY, jobs=jobs)  # fmt: skip
        report = build(options)
        assert not report.failed, report.problems
        return report

    output = root / "output"
    assert not {n for n in build_into(output, 1).reused if n.startswith("braille/")}
    first = {p.name: p.read_bytes() for p in (output / "braille").iterdir()}
    build_into(tmp_path / "again", 2)
    assert {p.name: p.read_bytes() for p in (tmp_path / "again" / "braille").iterdir()} == first
    manuscript = root / "manuscripts" / "wound-care.md"
    manuscript.write_text(manuscript.read_text(encoding="utf-8").replace("48 hours", "two days"))
    reused = {n for n in build_into(output, 2).reused if n.startswith("braille/")}
    assert reused == {f"braille/{name}" for name in first} - {"braille/wound-care.brf"}
    assert (output / "braille" / "wound-care.brf").read_bytes() != first["wound-care.brf"]


def test_braille_settings_are_checked(tmp_path: Path) -> None:
    root = copy_unseen(tmp_path / "clinic")
    config = root / "careleaf.toml"
    text = config.read_text(encoding="utf-8")
    line = text.splitlines().index("cells_per_line = 32") + 1
    config.write_text(text.replace("cells_per_line = 32", "cells_per_line = 12")
                      .replace("lines_per_page = 20", 'lines_per_page = "20"')
                      + "enabled = 1\n")  # fmt: skip
    result = run_cli("check", cwd=root)
    assert result.returncode == 1
    assert (
        f"careleaf.toml:{line}: error C104: [braille] cells_per_line must be from 20 to 100 "
        "cells, not 12" in result.stderr
    )
    assert "[braille] enabled must be true or false, not 1" in result.stderr
    assert (
        f"careleaf.toml:{line + 1}: error C102: [braille] lines_per_page must be a whole "
        "number, not '20'" in result.stderr
    )


def test_braille_can_be_switched_off(tmp_path: Path) -> None:
    root = copy_unseen(tmp_path / "clinic")
    config = root / "careleaf.toml"
    config.write_text(config.read_text(encoding="utf-8") + "enabled = false\n")
    german = root / "manuscripts" / "pies-diabetes.md"
    german.write_text(german.read_text(encoding="utf-8").replace("lang: es", "lang: de"))
    result = run_cli("--strict", "--output", "output", cwd=root)
    assert result.returncode == 0, result.stderr
    assert not (root / "output" / "braille").exists()
    assert ".brf" not in (root / "output" / "html" / "wound-care.html").read_text()


def test_a_heading_or_box_line_is_never_the_last_line_of_a_page() -> None:
    from careleaf.braillepages import Layout, Translator, ascii_braille, paginate
    from careleaf.brailletext import BLANK, BOX_TOP, Block, Run

    louis = liblouis.binding()
    assert louis is not None
    table = "en-ueb-g2.ctb"
    text = Block((Run("A line of text.", table),), 2, 0)
    heading = Block((Run("Heading", table),), centred=True, keep=True)
    box = [Block(fill=BOX_TOP, keep=True), Block((Run("Title", table),), centred=True, keep=True)]
    for before in range(1, 12):
        for kept in ([BLANK, heading, BLANK], box):
            blocks = [text] * before + kept + [text, text]
            laid = paginate(
                blocks, Layout(40, 10, table), Translator(louis, liblouis.DISPLAY).cells
            )
            shown = [[ascii_braille(row) for row in page] for page in laid]
            assert sum("TEXT4" in row for page in shown for row in page) == before + 2
            for page in shown:
                assert page[0] and len(page) <= 9  # no blank line at the top; 9 text lines
                assert page[-1].strip() not in (",HEAD+", ",TITLE", "7" * 40), (before, shown)


def test_a_long_address_is_divided_after_its_punctuation() -> None:
    from careleaf.braillepages import Layout, Translator, paginate
    from careleaf.brailletext import Block, Run

    louis = liblouis.binding()
    assert louis is not None
    address = "https://www.example.org/conditions/a-very-long-name-for-a-page/index.html"
    runs = (Run("See: ", "en-ueb-g2.ctb"), Run(address, "en-ueb-g1.ctb", address=True))
    laid = paginate([Block(runs, 0, 2)], Layout(20, 25, ""), Translator(louis, "unicode.dis").cells)
    rows = [row for page in laid for row in page]
    assert all(len(row) <= 20 for row in rows)
    back = [louis.backTranslateString(["unicode.dis", "en-ueb-g1.ctb"], r.strip()) for r in rows]
    assert "".join(back).replace(" ", "") == "See:" + address
    assert all(part[-1] in "/.:-" for part in back[1:-1]), back  # divided after / . : -


def test_a_character_without_braille_in_a_related_title_is_found_at_that_title(
    tmp_path: Path,
) -> None:
    """The related reading of an English article names a Hebrew article: the Hebrew
    letters were B954 at the English article's own title, which has none of them."""
    from library_maker import check, make_library, manuscript

    hebrew = manuscript("שפעת", lang="he", extra="related: [colds]")
    colds = manuscript("Colds", extra="related: [flu-he]")
    root = make_library(tmp_path, {"colds.md": colds, "flu-he.md": hebrew})
    for report in (check(root), check(root, write=True)):
        found = [p for p in report.problems if p.code == "B954"]
        assert found and {(Path(p.path).name, p.line, p.column) for p in found} == {
            ("flu-he.md", 2, 1), ("flu-he.md", 2, 2), ("flu-he.md", 2, 3), ("flu-he.md", 2, 4)
        }  # fmt: skip
        assert "in the related reading of 'colds'" in found[0].message


SPANNED = """---
title: Tables with spans
published: 2026-10-01
summary: Tables whose cells span rows and columns, read row by row in braille.
---

## Dosing

<table><thead>
<tr><th rowspan="2">Age</th><th colspan="2">Dose</th></tr>
<tr><th>Morning</th><th>Evening</th></tr></thead><tbody>
<tr><td>Child</td><td colspan="2">Half a tablet, twice</td></tr>
<tr><td rowspan="2">Adult</td><td>1 tablet</td><td>1 tablet</td></tr>
<tr><td>2 tablets</td><td>none</td></tr></tbody></table>

## Symptoms

<table><tr><th scope="row">Fever</th><td>Take paracetamol</td></tr>
<tr><th scope="row">Rash</th><td>Call the clinic</td></tr></table>

## Visits

<table><tr><th>Monday</th><td>Blood test</td></tr>
<tr><th>Friday</th><td>Results</td></tr></table>

## Drinks

<table><tr><td>Tea</td><td>Two cups</td></tr>
<tr><td>Water</td><td></td><td>As much as you like</td></tr></table>

## Opening

<table><tr><th>Day</th><th>Morning</th><th>Evening</th></tr>
<tr><td>Monday</td><td colspan="2">Closed all day</td></tr>
<tr><td>Tuesday</td><td>9 to 12</td><td>2 to 5</td></tr></table>

## Clinics

<table><thead><tr><th>Clinic</th><th>Day</th></tr></thead>
<tbody><tr><td rowspan="0">Main clinic</td><td>Monday</td></tr>
<tr><td>Wednesday</td></tr></tbody>
<tbody><tr><td rowspan="999">Annex</td><td>Friday</td></tr>
<tr><td>Saturday</td></tr></tbody>
<tbody><tr><td rowspan="1000">Hospital</td><td>Sunday</td></tr></tbody></table>

## End

The end.
"""


@pytest.fixture(scope="module")
def spanned(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    root = tmp_path_factory.mktemp("spans") / "clinic"
    (root / "manuscripts").mkdir(parents=True)
    shutil.copy(SAMPLE / "careleaf.toml", root / "careleaf.toml")
    (root / "manuscripts" / "spans.md").write_text(SPANNED, encoding="utf-8")
    assert build_project(root, root / "output") == 0
    data = (root / "output" / "braille" / "spans.brf").read_bytes()
    assert layout_failures(data) == []
    return data


def table_rows(lines: list[str], heading: str) -> list[str]:
    """The rows of the table under ``heading`` (a centred line): each row one block
    from cell 1, its runover lines from cell 3 joined to it."""
    start = [line.strip() for line in lines].index(heading) + 1
    rows: list[str] = []
    for line in lines[start:]:
        if line.startswith("   "):  # the next heading
            break
        if line.startswith("  ") and rows:
            rows[-1] += " " + line.strip()
        elif line.strip():
            rows.append(line)
    return rows


def read_rows(data: bytes, heading: str) -> list[str]:
    return table_rows(back_translate(data, "en-ueb-g2.ctb").split("\n"), heading)


def test_a_table_with_spans_reads_each_cell_after_its_headers(spanned: bytes) -> None:
    """The HTML table model: 'Age' spans both header rows, 'Dose' both dose columns;
    'Half a tablet, twice' is read once with both columns' headers; 'Adult' in both of
    its rows."""
    rows = read_rows(spanned, "Dosing")
    assert rows[1:] == [
        "Age: Adult; Dose Morning: 1 tablet; Dose Evening: 1 tablet",
        "Age: Adult; Dose Morning: 2 tablets; Dose Evening: none",
    ]
    # liblouis reads 'Child;' (,*2) back as 'Ch;': the first row compared in braille
    written = table_rows([row for page in pages(spanned) for row in page[1:]], ",DOS+")
    assert written[0] == back_to_brf("Age: Child; Dose Morning and Evening: Half a tablet, twice")
    assert len(rows) == len(written) == 3


def test_row_headers_start_their_rows(spanned: bytes) -> None:
    assert read_rows(spanned, "Symptoms") == ["Fever; Take paracetamol", "Rash; Call the clinic"]
    # a th without a scope (careleaf's raw HTML makes it scope="col") over no data cell
    # is its row's header, not lost
    assert read_rows(spanned, "Visits") == ["Monday; Blood test", "Friday; Results"]


def test_a_table_without_headers_reads_its_cells_in_order(spanned: bytes) -> None:
    assert read_rows(spanned, "Drinks") == ["Tea; Two cups", "Water; As much as you like"]


def test_a_cell_spanning_columns_is_read_once(spanned: bytes) -> None:
    assert read_rows(spanned, "Opening") == [
        "Day: Monday; Morning and Evening: Closed all day",
        "Day: Tuesday; Morning: 9 to 12; Evening: 2 to 5",
    ]


def test_rowspan_zero_or_too_long_reaches_the_end_of_its_row_group(spanned: bytes) -> None:
    """rowspan="0" and rowspan="999" end with their tbody; rowspan="1000" is removed
    when the raw HTML is read (I206), so 'Hospital' is in one row."""
    assert read_rows(spanned, "Clinics") == [
        "Clinic: Main clinic; Day: Monday",
        "Clinic: Main clinic; Day: Wednesday",
        "Clinic: Annex; Day: Friday",
        "Clinic: Annex; Day: Saturday",
        "Clinic: Hospital; Day: Sunday",
    ]
