"""The writer: nothing written outside the output folder, whatever the names, the state
files or the folder's own links say; a full disk writes nothing and says so; what a
killed build of an earlier careleaf left behind is cleaned up."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MIXED, ROOT, TODAY, run_cli

from careleaf.paths import UnsafeName, checked_name, inside


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


@pytest.mark.parametrize(
    "name",
    [
        "",
        "../escape.html",
        "html/../../escape.html",
        "/etc/passwd",
        "html/.hidden",
        ".careleaf/state.json",
        "html\\..\\escape.html",
        "html//x.html",
        "html/x.html\x00",
        "a/" * 9 + "deep.html",
    ],
)
def test_the_name_policy_refuses_names_that_could_leave_the_folder(name: str) -> None:
    with pytest.raises(UnsafeName):
        checked_name(name)


def test_the_name_policy_keeps_careleafs_own_names(tmp_path: Path) -> None:
    for name in ("html/flu.html", "leaflets/large-print/flu.pdf", "editions/x-2026.3.epub",
                 "html/images/3f9c2a41d07b5e88.jpg", "manifest.json"):  # fmt: skip
        assert inside(tmp_path, checked_name(name)) == tmp_path / name


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "clinic"
    shutil.copytree(MIXED, root)
    shutil.rmtree(root / "output", ignore_errors=True)
    return root


def test_a_link_in_the_output_folder_cannot_lead_a_build_outside(
    project: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / "output").mkdir()
    (project / "output" / "html").symlink_to(elsewhere, target_is_directory=True)
    result = run_cli(cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "L302" in result.stderr and "outside" in result.stderr
    assert list(elsewhere.iterdir()) == []  # nothing written through the link


@pytest.mark.parametrize("link", [".careleaf", ".careleaf/staging"])
def test_careleafs_own_folder_as_a_link_is_refused(
    project: Path, tmp_path: Path, link: str
) -> None:
    """A link in place of output/.careleaf made a build write its state, and delete a
    folder's files, in the folder it led to; a linked staging folder took every output."""
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "staging").mkdir(parents=True)
    (elsewhere / "staging" / "important.txt").write_text("keep", encoding="utf-8")
    (project / "output" / link).parent.mkdir(parents=True, exist_ok=True)
    (project / "output" / link).symlink_to(
        elsewhere if link == ".careleaf" else elsewhere / "staging", target_is_directory=True
    )
    before = snapshot(elsewhere)
    result = run_cli(cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "error L302" in result.stderr and "is a link" in result.stderr
    assert snapshot(elsewhere) == before and sorted(p.name for p in elsewhere.rglob("*")) == [
        "important.txt", "staging"
    ]  # fmt: skip


def test_an_edited_manifest_cannot_name_a_file_outside(project: Path, tmp_path: Path) -> None:
    assert run_cli(cwd=project).returncode == 0
    manifest = project / "output" / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["edition"] = "../../../../escape"
    manifest.write_text(json.dumps(data), encoding="utf-8")
    article = project / "manuscripts" / "sunburn.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nUse shade.\n", encoding="utf-8")
    before = snapshot(tmp_path)
    result = run_cli(cwd=project)
    assert result.returncode == 0, result.stderr
    after = snapshot(tmp_path)
    outside = {n for n in after.keys() ^ before.keys() if not n.startswith("clinic/output/")}
    assert outside == set()
    assert not list((project / "output").glob("editions/*"))  # no edition named from it


def test_what_an_older_careleaf_left_when_killed_is_removed(project: Path) -> None:
    assert run_cli(cwd=project).returncode == 0
    left = project / "output" / "html" / ".sunburn.html.4242.tmp"
    left.write_bytes(b"half a page")
    staged = project / "output" / ".careleaf" / "staging" / "html"
    staged.mkdir(parents=True)
    (staged / "sunburn.html").write_bytes(b"half a page")
    assert run_cli(cwd=project).returncode == 0
    assert not left.exists() and not staged.exists()


LIMITED = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails, as on a full disk
resource.setrlimit(resource.RLIMIT_FSIZE, (60_000, 60_000))
from careleaf.cli import main
sys.exit(main(sys.argv[1:]))
"""


def on_a_full_disk(project: Path) -> subprocess.CompletedProcess[str]:
    """`careleaf build` in ``project`` where no file larger than 60 kB can be written."""
    return subprocess.run(
        [sys.executable, "-c", LIMITED, *TODAY, "--jobs", "1"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=600,
    )


def test_a_full_disk_writes_nothing_and_says_so(project: Path) -> None:
    """Files larger than 60 kB cannot be written (the leaflets and the e-book): the
    build stops with L302, says nothing was written, and leaves no file behind."""
    result = on_a_full_disk(project)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "L302" in result.stderr and "nothing was written" in result.stderr
    assert not (project / "output").exists()  # the folder it made is taken away again


def test_a_full_disk_keeps_the_last_good_outputs(project: Path) -> None:
    assert run_cli(cwd=project).returncode == 0
    good = snapshot(project / "output")
    for manuscript in (project / "manuscripts").glob("*.md"):
        manuscript.write_text(manuscript.read_text(encoding="utf-8") + "\nMore.\n", "utf-8")
    result = on_a_full_disk(project)
    assert result.returncode == 1 and "L302" in result.stderr
    assert snapshot(project / "output") == good
