"""The command line: usage errors, 'new', 'check', and what a user sees."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE, TODAY, pinned, run_cli, source_env
from library_maker import make_library, manuscript


@pytest.mark.parametrize(
    "args",
    [["publish"], ["new"], ["build", "extra"], ["--colour", "red"], ["check", "--output"]],
    ids=[
        "unknown-command",
        "new-without-folder",
        "build-with-folder",
        "unknown-option",
        "option-without-value",
    ],
)
def test_usage_errors_exit_2(args: list[str], tmp_path: Path) -> None:
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert "usage:" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "output").exists()


def test_new_project_builds_at_once(tmp_path: Path) -> None:
    created = run_cli("new", "my-clinic", cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    project = tmp_path / "my-clinic"
    assert (project / "careleaf.toml").read_text(encoding="utf-8").count("#") > 5
    articles = list((project / "manuscripts").glob("*.md"))
    assert len(articles) == 1
    assert f"published: {date.today().isoformat()}" in articles[0].read_text(encoding="utf-8")
    assert list((project / "manuscripts" / "images").iterdir())
    built = run_cli(cwd=project)
    assert built.returncode == 0, built.stderr
    assert built.stderr == ""
    page = project / "output" / "html" / f"{articles[0].stem}.html"
    assert page.is_file() and "<img" in page.read_text(encoding="utf-8")


def test_new_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    result = run_cli("new", "busy", cwd=tmp_path)
    assert result.returncode == 2 and "not empty" in result.stderr
    assert [p.name for p in (tmp_path / "busy").iterdir()] == ["notes.txt"]


def test_check_writes_nothing(tmp_path: Path) -> None:
    result = run_cli("check", "--output", tmp_path / "out", cwd=SAMPLE)
    assert result.returncode == 0
    assert not (tmp_path / "out").exists()


def test_a_named_config_must_exist(tmp_path: Path) -> None:
    result = run_cli(
        "check", "--config", "missing.toml", "--manuscripts", SAMPLE / "manuscripts", cwd=tmp_path
    )
    assert result.returncode == 1
    assert "missing.toml:1: error C101:" in result.stderr


def test_a_second_build_rewrites_nothing(tmp_path: Path) -> None:
    shutil.copytree(SAMPLE / "manuscripts", tmp_path / "manuscripts")
    shutil.copy(SAMPLE / "careleaf.toml", tmp_path)
    assert run_cli(cwd=tmp_path).returncode == 0
    first = {p: p.read_bytes() for p in (tmp_path / "output").rglob("*") if p.is_file()}
    again = run_cli(cwd=tmp_path)
    assert again.returncode == 0 and " 0 files written" in again.stdout
    second = {p: p.read_bytes() for p in (tmp_path / "output").rglob("*") if p.is_file()}
    assert first == second


def test_a_removed_article_loses_its_page(tmp_path: Path) -> None:
    shutil.copytree(SAMPLE / "manuscripts", tmp_path / "manuscripts")
    shutil.copy(SAMPLE / "careleaf.toml", tmp_path)
    assert run_cli(cwd=tmp_path).returncode == 0
    (tmp_path / "output" / "notes.txt").write_text("the clinic's own file")
    for path in (tmp_path / "manuscripts").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("  - acupuncture-migraine\n", ""), encoding="utf-8")
    (tmp_path / "manuscripts" / "acupuncture-migraine.md").unlink()
    result = run_cli(cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "output" / "html" / "acupuncture-migraine.html").exists()
    assert (tmp_path / "output" / "notes.txt").exists()


def test_the_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "careleaf"
    if not script.exists():
        pytest.skip("careleaf is not installed in this environment (pip install -e .)")
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "check" in result.stdout


def test_a_build_leaves_nothing_in_the_temporary_folder(tmp_path: Path) -> None:
    """WeasyPrint copies the leaflet fonts into a temporary folder for each font
    configuration (about 9 MB) and removes it only when the configuration is collected,
    which a worker process never does: every build left folders behind, until the disk
    was full. A build, by a pool of workers or in its own process, leaves none."""
    project = make_library(tmp_path / "clinic", {"colds.md": manuscript()})
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    env = {**source_env(), "TMPDIR": str(scratch)}
    for jobs in ("2", "1"):
        article = project / "manuscripts" / "colds.md"
        article.write_text(article.read_text(encoding="utf-8") + f"\nJobs: {jobs}.\n", "utf-8")
        result = subprocess.run(
            [sys.executable, str(ROOT / "publish.py"), "--jobs", jobs, *pinned((), TODAY)],
            cwd=project, capture_output=True, text=True, timeout=600, check=False, env=env,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert "Jobs: " in (project / "output" / "html" / "colds.html").read_text("utf-8")
        assert sorted(p.name for p in scratch.iterdir()) == [], f"--jobs {jobs}"
