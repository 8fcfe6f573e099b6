"""Shared fixtures: the sample library and the test library, each built once per session."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from careleaf.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT  # the sample library: careleaf.toml and manuscripts/ at the project root
# Review dates are checked against this day, not the clock, so that the built fixtures
# stay the same when a test library's review date comes near or passes. run_cli and
# build_project pass it unless a test gives its own --today (or today=None).
TODAY = ("--today", "2026-11-25")
MIXED = ROOT / "tests" / "libraries" / "mixed"  # English, Spanish, Arabic; not the sample


def pinned(args: tuple[str | Path, ...], today: tuple[str, ...] | None) -> list[str]:
    """The arguments, with ``--today`` first unless they hold their own (or ``today`` is None)."""
    given = [str(arg) for arg in args]
    return given if today is None or "--today" in given else [*today, *given]


def source_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a careleaf process: this source tree's careleaf comes first,
    in its workers too (they start from a clean process that would otherwise import
    whatever careleaf the virtual environment has installed)."""
    env = dict(os.environ if base is None else base)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


PROGRESS = re.compile(r"careleaf: made \d+ of \d+ outputs\n")


def run_cli(
    *args: str | Path, cwd: Path = ROOT, today: tuple[str, ...] | None = TODAY
) -> subprocess.CompletedProcess[str]:
    """Run ``python publish.py ARGS`` as a user would, in its own process (review dates
    checked against ``today``; None: the clock). The progress lines a long build prints
    when its output is not a terminal (every few seconds, so more of them on a busy
    machine) are taken out of ``stderr``: the tests that read it are about problems
    (tests/test_engine.py tests the progress lines)."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "publish.py"), *pinned(args, today)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env=source_env(),
    )
    result.stderr = PROGRESS.sub("", result.stderr)
    return result


def build_project(project: Path, output: Path, *extra: str) -> int:
    """Build the project at ``project`` into ``output`` in this process; the exit code
    (review dates checked against TODAY unless ``extra`` holds its own --today)."""
    return main(
        [
            *([] if "--today" in extra else TODAY),
            "build",
            "--manuscripts",
            str(project / "manuscripts"),
            "--config",
            str(project / "careleaf.toml"),
            "--output",
            str(output),
            *extra,
        ]
    )


@pytest.fixture(scope="session")
def sample_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("sample") / "output"
    assert build_project(SAMPLE, output) == 0
    return output


@pytest.fixture(scope="session")
def mixed_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("mixed") / "output"
    assert build_project(MIXED, output) == 0
    return output


WEB = ROOT / "tests" / "libraries" / "web"  # the web edition's test library: en, es, ar


@pytest.fixture(scope="session")
def web_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("web") / "output"
    assert build_project(WEB, output) == 0
    return output


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, once per session (tests/browsing.py)."""
    from browsing import CHROMIUM, launch

    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (bash .ci/install-tools installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()
