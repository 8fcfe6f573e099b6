"""axe-core, in Debian's Chromium, finds no violation on any page of the web edition."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MIXED, SAMPLE

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (bash .ci/install-tools installs it)"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


def violations(browser: object, page_file: Path) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page()  # type: ignore[attr-defined]
    try:
        page.goto(page_file.as_uri())
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": RULES}})
        return [
            f"{v['id']}: {v['help']} ({len(v['nodes'])} elements)"
            for v in results.response["violations"]
        ]
    finally:
        page.close()


@pytest.mark.parametrize("project", [SAMPLE, MIXED], ids=["sample", "mixed"])
def test_no_axe_violations(
    browser: object, project: Path, sample_output: Path, mixed_output: Path
) -> None:
    output = sample_output if project is SAMPLE else mixed_output
    found = {}
    pages = sorted((output / "html").glob("*.html"))
    assert len(pages) >= 6
    for page in pages:
        problems = violations(browser, page)
        if problems:
            found[page.name] = problems
    assert found == {}


def test_axe_sees_a_broken_page(browser: object, tmp_path: Path, sample_output: Path) -> None:
    """The run above is not vacuous: axe flags an image without alt and a missing lang."""
    html = (sample_output / "html" / "allergic-reactions.html").read_text(encoding="utf-8")
    broken = re.sub(r"<html [^>]*>", "<html>", html, count=1)
    broken = broken.replace(' alt="', ' data-alt="')
    (tmp_path / "broken.html").write_text(broken, encoding="utf-8")
    found = " ".join(violations(browser, tmp_path / "broken.html"))
    assert "html-has-lang" in found and "image-alt" in found
