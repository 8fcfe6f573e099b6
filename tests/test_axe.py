"""axe-core, in Debian's Chromium, finds no violation on a broken page: the checks of
tests/test_browser.py (every page of two libraries, at 320 px and 1280 px) can fail."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from browsing import axe_violations, served, with_axe


def test_axe_sees_a_broken_page(browser: Any, tmp_path: Path, sample_output: Path) -> None:
    """axe flags an image without alt and a missing lang on a page careleaf made."""
    html = (sample_output / "html" / "allergic-reactions.html").read_text(encoding="utf-8")
    broken = re.sub(r"<html [^>]*>", "<html>", html, count=1)
    broken = broken.replace(' alt="', ' data-alt="')
    (tmp_path / "broken.html").write_text(broken, encoding="utf-8")
    with served(tmp_path) as address:
        context = browser.new_context()
        with_axe(context)
        page = context.new_page()
        page.goto(address + "broken.html")
        found = " ".join(axe_violations(page))
        context.close()
    assert "html-has-lang" in found and "image-alt" in found
