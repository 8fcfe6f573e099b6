"""The README's two commands are the ones CI and users run."""

from __future__ import annotations

import re

from conftest import ROOT


def readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = readme.split("## Manuscripts")[0]
    return re.findall(r"```sh\n(.+?)\n```", head)


def test_ci_runs_exactly_the_readme_test_command() -> None:
    build, test = readme_commands()[:2]
    assert "publish.py" in build and "pip install" in build
    assert "pytest" in test and "pip install" in test
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test in ci.splitlines()
