"""The benchmark scripts still run (on tiny inputs): a benchmark that rots is no measure.
Only that they run and print their figures is checked here, never how fast anything is."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT, source_env


@pytest.mark.parametrize(
    ("script", "args", "printed"),
    [
        ("leaflets.py", ["--rounds", "1"], "WeasyPrint warm render"),
        ("ebook.py", ["--articles", "5", "--runs", "1"], "careleaf (EPUB stage only)"),
        ("checks_and_report.py", ["6"], "all checks"),
        ("engine.py", ["--articles", "3", "--large", "0", "--pandoc-articles", "0"], "no-op"),
        ("hostile.py", ["--size", "2"], "nested brackets"),
        ("corpus.py", ["--every", "40"], "held back"),
        ("images.py", ["--width", "1200", "--rounds", "1"], "large-print leaflet PDF"),
        ("paper.py", ["--folder", str(ROOT / "careleaf" / "skeleton")], "less than half full"),
        ("dask.py", ["--articles", "2", "--rounds", "1", "--tasks", "2", "--tiny", "9"], "Dask /"),
    ],
)
def test_benchmark_runs(script: str, args: list[str], printed: str) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env=source_env(),
    )
    assert result.returncode == 0, result.stderr
    assert printed in result.stdout
