"""careleaf installed from its wheel works in any clinic's folder: layouts, catalogs and
the starter project ship inside the package."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import ROOT


def test_wheel_carries_its_data_and_builds_a_new_project(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next((tmp_path / "dist").glob("careleaf-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for wanted in (
        "careleaf/layouts/article.html",
        "careleaf/layouts/style.css",
        "careleaf/locale/ar/LC_MESSAGES/messages.po",
        "careleaf/skeleton/careleaf.toml",
        "careleaf/skeleton/manuscripts/welcome.md",
    ):
        assert wanted in names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    clinic = tmp_path / "elsewhere"
    clinic.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    script = (
        "import careleaf, sys; from careleaf.cli import main; "
        "assert careleaf.__file__.startswith(sys.argv[1]), careleaf.__file__; "
        "sys.argv = sys.argv[:1]; "
    )

    def careleaf(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        code = script + f"raise SystemExit(main({list(args)!r}))"
        return subprocess.run(
            [sys.executable, "-c", code, str(site)],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    assert careleaf("new", "my-clinic", cwd=clinic).returncode == 0
    built = careleaf(cwd=clinic / "my-clinic")
    assert built.returncode == 0, built.stderr
    assert (clinic / "my-clinic" / "output" / "html" / "index.html").is_file()
