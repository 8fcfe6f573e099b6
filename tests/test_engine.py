"""The build engine: incremental, parallel, reproducible, safe when killed or run twice
at once; tasks that are pure data; the collection's editions and "What's new"."""

from __future__ import annotations

import io
import json
import os
import pickle
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pikepdf
import pytest
from conftest import MIXED, ROOT, TODAY, build_project, run_cli, source_env

from careleaf import blobs
from careleaf.build import BuildOptions, build, load_library
from careleaf.engine import Outcome, run_task
from careleaf.fingerprint import code_digest
from careleaf.fontset import font_set
from careleaf.leafletfonts import shared_fonts
from careleaf.progress import Lines, Quiet
from careleaf.render import LeafletTask
from careleaf.runners import Collecting


def project(tmp_path: Path, name: str = "clinic") -> Path:
    root = tmp_path / name
    shutil.copytree(MIXED, root)
    shutil.rmtree(root / "output", ignore_errors=True)
    return root


def files(output: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``output`` (careleaf's own state included): bytes and time."""
    return {
        p.relative_to(output).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(output.rglob("*"))
        if p.is_file()
    }


def published(output: Path) -> dict[str, bytes]:
    return {
        name: data for name, (data, _) in files(output).items() if not name.startswith(".careleaf")
    }


def build_into(root: Path, *extra: str) -> int:
    return build_project(root, root / "output", *TODAY, *extra)


def options(root: Path, **more: object) -> BuildOptions:
    return BuildOptions(
        root / "manuscripts",
        root / "output",
        root / "careleaf.toml",
        True,
        **more,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = project(tmp_path_factory.mktemp("engine"))
    assert build_into(root, "--jobs", "2") == 0
    return root


def test_a_second_build_with_no_change_writes_no_file(built_once: Path) -> None:
    root = built_once  # (careleaf's own state records where the project lies: not a copy)
    before = files(root / "output")
    assert any(name.startswith(".careleaf/") for name in before)
    report = build(options(root, today=TODAY_DATE))
    assert not report.failed and report.result is not None
    assert report.result.written == () and report.result.removed == ()
    assert files(root / "output") == before  # bytes and modification times


def test_editing_one_article_rewrites_its_outputs_and_nothing_else(
    built_once: Path, tmp_path: Path
) -> None:
    root = tmp_path / "edited"
    shutil.copytree(built_once, root, copy_function=shutil.copy2)
    related_before = _related(root)
    before = files(root / "output")
    manuscript = root / "manuscripts" / "sunburn.md"
    manuscript.write_text(
        manuscript.read_text(encoding="utf-8") + "\nWear a hat with a wide brim.\n",
        encoding="utf-8",
    )
    report = build(options(root, today=TODAY_DATE))
    assert not report.failed
    after = files(root / "output")
    changed = {name for name in after if after[name] != before.get(name)}
    related_after = _related(root)
    moved = {slug for slug in related_after if related_after[slug] != related_before[slug]}
    expected = {
        "html/sunburn.html",
        "leaflets/sunburn.pdf",
        "leaflets/large-print/sunburn.pdf",
        "braille/sunburn.brf",
        "ebook/hillside-health-leaflets.epub",
        "editions/hillside-health-leaflets-2026.1.epub",
        "manifest.json",
        "report.json",
        "report.html",
        ".careleaf/state.json",
        ".careleaf/articles.json",
    }
    for slug in moved:
        expected |= {
            f"html/{slug}.html",
            f"leaflets/{slug}.pdf",
            f"leaflets/large-print/{slug}.pdf",
            f"braille/{slug}.brf",
        }
    expected.add("html/search-index.js")  # the new words: hat, wide, brim
    if _book_size(before) != _book_size(after):  # every page shows the e-book's size
        expected |= {name for name in after if name.startswith("html/") and
                     name.endswith(".html") and b"EPUB, " in after[name][0]}  # fmt: skip
    assert changed == expected


def _book_size(outputs: dict[str, tuple[bytes, int]]) -> bytes:
    """The e-book's size in words, as the index page shows it."""
    found = re.search(rb"EPUB, ([^<]+)", outputs["html/index.html"][0])
    assert found is not None
    return found.group(1)


def _related(root: Path) -> dict[str, list[str]]:
    library = load_library(options(root, today=TODAY_DATE))
    return {a.slug: [r.slug for r in library.related_to(a)] for a in library.articles}


def test_one_or_two_worker_processes_make_the_same_bytes(built_once: Path, tmp_path: Path) -> None:
    root = project(tmp_path)
    assert build_into(root, "--jobs", "1") == 0
    assert published(root / "output") == published(built_once / "output")


# --- the edition of the collection ---------------------------------------------------------


def test_the_edition_advances_only_when_content_changes(tmp_path: Path) -> None:
    root = project(tmp_path)
    assert build_into(root) == 0
    first = json.loads((root / "output" / "manifest.json").read_text(encoding="utf-8"))
    assert first["edition"] == "2026.1" and first["previous"] == ""
    assert {e["version"] for e in first["articles"].values()} == {1}
    book = root / "output" / "ebook" / "hillside-health-leaflets.epub"
    assert "whatsnew.xhtml" not in zipfile.ZipFile(book).namelist()  # a first edition

    # a theme change makes outputs again but is no new edition
    settings = root / "careleaf.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("#7a1f5c", "#7a1f5d"), encoding="utf-8"
    )
    assert build_into(root) == 0
    same = json.loads((root / "output" / "manifest.json").read_text(encoding="utf-8"))
    assert same["edition"] == "2026.1"

    # one article changed, one removed, one added
    (root / "manuscripts" / "head-lice.md").write_text(
        (root / "manuscripts" / "head-lice.md").read_text(encoding="utf-8") + "\nComb daily.\n",
        encoding="utf-8",
    )
    removed_title = _title(root / "manuscripts" / "dolor-de-espalda.md")
    (root / "manuscripts" / "dolor-de-espalda.md").unlink()
    new = (root / "manuscripts" / "sunburn.md").read_text(encoding="utf-8")
    new = new.replace("title: Sunburn", "title: Heat and sunburn", 1)
    (root / "manuscripts" / "heat.md").write_text(new, encoding="utf-8")
    assert build_into(root) == 0
    second = json.loads((root / "output" / "manifest.json").read_text(encoding="utf-8"))
    assert second["edition"] == "2026.2" and second["previous"] == "2026.1"
    assert second["changes"]["added"] == ["heat"]
    assert second["changes"]["updated"] == ["head-lice"]
    assert [r["slug"] for r in second["changes"]["removed"]] == ["dolor-de-espalda"]
    assert second["articles"]["head-lice"]["version"] == 2
    assert second["articles"]["sunburn"]["version"] == 1
    assert (root / "output" / "editions" / "hillside-health-leaflets-2026.1.epub").is_file()

    with zipfile.ZipFile(book) as epub:
        page = epub.read("EPUB/whatsnew.xhtml").decode("utf-8")
        titlepage = epub.read("EPUB/titlepage.xhtml").decode("utf-8")
    assert "2026.2" in titlepage
    assert _title(root / "manuscripts" / "heat.md") in page
    assert _title(root / "manuscripts" / "head-lice.md") in page
    assert removed_title in page
    for other in ("sunburn", "hand-washing", "common-cold"):
        assert _title(root / "manuscripts" / f"{other}.md") not in page

    # nothing changed: the same edition, the same e-book, and the archive stays
    archived = (root / "output" / "editions" / "hillside-health-leaflets-2026.1.epub").read_bytes()
    data = book.read_bytes()
    assert build_into(root) == 0
    assert book.read_bytes() == data
    third = json.loads((root / "output" / "manifest.json").read_text(encoding="utf-8"))
    assert third == second
    kept = root / "output" / "editions" / "hillside-health-leaflets-2026.1.epub"
    assert kept.read_bytes() == archived


def _title(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("title:"):
            return line.split(":", 1)[1].strip().strip('"')
    raise AssertionError(path)


# --- tasks are pure data -----------------------------------------------------------------


def test_a_task_pickles_and_runs_where_the_manuscripts_are_not(
    built_once: Path, tmp_path: Path
) -> None:
    root = tmp_path / "moved"
    shutil.copytree(built_once, root)
    shutil.rmtree(root / "output")
    collecting = Collecting()
    build(options(root, today=TODAY_DATE), runner=collecting)
    tasks = [t for t in collecting.tasks if isinstance(t, LeafletTask)]
    assert len(tasks) == 10
    task = next(t for t in tasks if t.name == "leaflets/sunburn.pdf")
    assert task.pictures  # the leaflet's picture travels with it, as bytes
    shipped = tmp_path / "task.pickle"
    shipped.write_bytes(pickle.dumps((task, shared_fonts(font_set()))))
    shutil.rmtree(root)  # the manuscripts are gone; the worker runs elsewhere
    elsewhere = tmp_path / "worker"
    elsewhere.mkdir()
    code = (
        "import pickle, sys\n"
        "from careleaf import blobs\n"
        "from careleaf.engine import run_task\n"
        "task, fonts = pickle.loads(open(sys.argv[1], 'rb').read())\n"
        "blobs.install(fonts)\n"
        "outcome = run_task(task)\n"
        "sys.stdout.buffer.write(dict(outcome.files)[task.name])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(shipped)],
        cwd=elsewhere,
        capture_output=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout == (built_once / "output" / "leaflets" / "sunburn.pdf").read_bytes()


def test_a_failing_task_is_an_outcome_not_a_crash() -> None:
    class Broken:
        def run(self) -> Outcome:
            raise RecursionError("too deep")

    outcome = run_task(Broken())
    assert outcome.files == () and "too deep" in outcome.logs[0][1]


# --- safety: killed builds, two builds at once, damaged state ---------------------------


def test_a_build_killed_while_writing_leaves_every_output_readable(
    built_once: Path, tmp_path: Path
) -> None:
    root = tmp_path / "killed"
    shutil.copytree(built_once, root)
    good = published(root / "output")
    for manuscript in (root / "manuscripts").glob("*.md"):
        manuscript.write_text(
            manuscript.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8"
        )
    command = [sys.executable, str(ROOT / "publish.py"), "--today", TODAY[1], "--jobs", "2"]
    for delay in (1.0, 3.0, 6.0):
        process = subprocess.Popen(command, cwd=root, stdout=subprocess.DEVNULL, env=source_env(),
                                   stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        now = published(root / "output")
        for name, data in now.items():
            assert data == good.get(name) or whole(name, data), name  # old, or new and whole
        assert set(good) <= set(now)  # nothing lost
    result = run_cli("--today", TODAY[1], cwd=root)
    assert result.returncode == 0, result.stderr
    leftovers = [
        p for p in (root / "output").rglob("*") if "staging" in p.parts or p.name.endswith(".tmp")
    ]
    assert leftovers == []
    clean = tmp_path / "clean"  # the same edit, built once, never killed
    shutil.copytree(built_once, clean)
    for manuscript in (clean / "manuscripts").glob("*.md"):
        manuscript.write_text(
            manuscript.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8"
        )
    assert run_cli("--today", TODAY[1], cwd=clean).returncode == 0
    # the same pages, leaflets (version 2 of each article) and e-book (the second
    # edition, with a "What's new" page) as a build that was never interrupted
    done, fresh = published(root / "output"), published(clean / "output")
    assert same_pages(done) == same_pages(fresh)


def whole(name: str, data: bytes) -> bool:
    """Whether an output file is complete, as its reader would find it."""
    if name.endswith(".pdf"):
        with pikepdf.open(io.BytesIO(data)) as pdf:
            return len(pdf.pages) > 0
    if name.endswith(".epub"):
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            return book.testzip() is None
    if name.endswith(".json"):
        return bool(json.loads(data))
    if name.endswith(".html"):
        return data.rstrip().endswith(b"</html>")
    return bool(data)


def same_pages(outputs: dict[str, bytes], ebook: bool = True) -> dict[str, bytes]:
    """The pages, leaflets and e-book (the report and manifest also record the build's
    history and the folder it was run from); without ``ebook``, neither the e-book nor
    its size, which the web pages show."""
    kinds = ("html/", "leaflets/", *(["ebook/"] if ebook else []))
    found = {n: d for n, d in outputs.items() if n.startswith(tuple(kinds))}
    if not ebook:
        size = re.compile("(EPUB(?:,|،) )[^<]+".encode())
        found = {n: size.sub(rb"\1...", d) if n.endswith(".html") else d for n, d in found.items()}
    return found


def test_two_builds_at_once_never_mix(built_once: Path, tmp_path: Path) -> None:
    root = tmp_path / "twice"
    shutil.copytree(built_once, root)
    shutil.rmtree(root / "output")
    command = [sys.executable, str(ROOT / "publish.py"), "--today", TODAY[1]]
    first = subprocess.Popen(
        command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=source_env(),
    )  # fmt: skip
    time.sleep(0.8)
    second = subprocess.run(
        command, cwd=root, capture_output=True, text=True, check=False, env=source_env()
    )
    first.communicate(timeout=600)
    assert first.returncode == 0
    assert second.returncode == 1
    assert "L305" in second.stderr and "another careleaf build" in second.stderr
    assert "Traceback" not in second.stderr
    made = published(root / "output")
    assert same_pages(made) == same_pages(published(built_once / "output"))
    assert made.keys() == published(built_once / "output").keys()


@pytest.mark.parametrize(
    "damaged",
    [".careleaf/state.json", ".careleaf/articles.json", "manifest.json", ".careleaf-files"],
)
def test_damaged_state_files_are_no_state(built_once: Path, tmp_path: Path, damaged: str) -> None:
    root = tmp_path / "damaged"
    shutil.copytree(built_once, root)
    for garbage in (b"\xff\xfe not json", b'{"files": {"../../x": 1}}', b"[" * 100_000):
        (root / "output" / damaged).write_bytes(garbage)
        result = run_cli("--today", TODAY[1], cwd=root)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        assert published(root / "output").keys() >= published(built_once / "output").keys()


# --- what the engine digests --------------------------------------------------------------


def test_the_code_digest_covers_every_subpackage(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import careleaf.fingerprint as fingerprint

    copy = tmp_path / "careleaf"
    shutil.copytree(ROOT / "careleaf", copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "sub").mkdir()
    (copy / "sub" / "module.py").write_text("X = 1\n", encoding="utf-8")
    monkeypatch.setattr(fingerprint, "PACKAGE", copy)
    fingerprint.code_digest.cache_clear()
    one = fingerprint.code_digest()
    (copy / "sub" / "module.py").write_text("X = 2\n", encoding="utf-8")
    fingerprint.code_digest.cache_clear()
    assert fingerprint.code_digest() != one
    monkeypatch.undo()
    fingerprint.code_digest.cache_clear()
    assert code_digest()


# --- progress ----------------------------------------------------------------------------


def test_progress_lines_when_not_a_terminal_and_none_when_quiet() -> None:
    stream = io.StringIO()
    lines = Lines(stream)
    lines.EVERY = 0.0
    lines.planned(3)
    for _ in range(3):
        lines.done()
    assert stream.getvalue().splitlines()[-1] == "careleaf: made 3 of 3 outputs"
    quiet = Quiet()
    quiet.planned(3)
    quiet.done()


def test_the_blob_store_gives_back_what_it_was_given() -> None:
    data = b"font bytes"
    blobs.install({blobs.name(data): data})
    assert blobs.get(blobs.name(data)) == data
    with pytest.raises(KeyError):
        blobs.get("0" * 64)


TODAY_DATE = __import__("datetime").date.fromisoformat(TODAY[1])


def test_ctrl_c_stops_a_build_cleanly(built_once: Path, tmp_path: Path) -> None:
    root = tmp_path / "interrupted"
    shutil.copytree(built_once, root)
    good = published(root / "output")
    for manuscript in (root / "manuscripts").glob("*.md"):
        manuscript.write_text(manuscript.read_text(encoding="utf-8") + "\nMore.\n", "utf-8")
    command = [sys.executable, str(ROOT / "publish.py"), "--today", TODAY[1], "--jobs", "2"]
    process = subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)  # fmt: skip
    time.sleep(3.0)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal does: to the build and its workers
    _, stderr = process.communicate(timeout=300)
    assert "Traceback" not in stderr
    if process.returncode == 130:  # stopped while making the outputs
        assert "stopped (Ctrl-C)" in stderr
        assert published(root / "output") == good
    else:  # it had finished already (a fast machine)
        assert process.returncode == 0
    assert not (root / "output" / ".careleaf" / "staging").exists()
