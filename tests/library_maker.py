"""Small throwaway libraries for tests: a careleaf.toml and a manuscripts folder in tmp_path."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from PIL import Image

from careleaf.build import BuildOptions, BuildReport, build
from careleaf.problems import Problem

TODAY = date(2026, 11, 25)  # every test checks review dates against this day


def png(width: int = 1700, height: int = 1000, colour: tuple[int, ...] = (214, 228, 240)) -> bytes:
    """A plain PNG made with Pillow (a few kilobytes)."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


PNG = png()  # pixels enough to print sharp across a leaflet's column (no I214)

CLEAN_BODY = """\
## What it is

A cold is a mild illness of the nose and throat. Most people get better in a week.

## What you can do

- Rest and drink plenty of water.
- Wash your hands often.

Speak to your GP if you feel worse after a week.
"""


def manuscript(
    title: str = "Colds",
    body: str = CLEAN_BODY,
    *,
    summary: str | None = "How to look after yourself when you have a cold.",
    published: str = "2026-06-01",
    review_due: str | None = "2028-06-01",
    lang: str | None = None,
    extra: str = "",
) -> str:
    """A manuscript's text; front matter keys in a fixed order."""
    front = [f"title: {title}", f"published: {published}"]
    if summary is not None:
        front.append(f"summary: {summary}")
    if review_due is not None:
        front.append(f"review_due: {review_due}")
    if lang is not None:
        front.append(f"lang: {lang}")
    if extra:
        front.append(extra.rstrip("\n"))
    return "---\n" + "\n".join(front) + "\n---\n\n" + body


# A library in a language careleaf has no braille table for (B953), or with characters
# braille cannot write (B954, tests/test_braille.py),
# whose test is about something else makes no braille edition.
NO_BRAILLE = "\n[braille]\nenabled = false\n"


def make_library(root: Path, files: dict[str, str | bytes], toml: str = "") -> Path:
    """Write ``files`` (name -> text) into ``root/manuscripts``; returns ``root``."""
    (root / "manuscripts").mkdir(parents=True, exist_ok=True)
    (root / "careleaf.toml").write_text(
        '[clinic]\nname = "Test clinic"\n\n[collection]\ntitle = "Test leaflets"\n' + toml,
        encoding="utf-8",
    )
    for name, text in files.items():
        target = root / "manuscripts" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(text, encoding="utf-8")
    return root


def check(root: Path, **options: object) -> BuildReport:
    """Run the checks (nothing written), as 'careleaf check --today 2026-11-25' does."""
    return build(
        BuildOptions(
            manuscripts=root / "manuscripts",
            output=root / "output",
            config=root / "careleaf.toml",
            config_given=True,
            write=bool(options.pop("write", False)),
            today=options.pop("today", TODAY),  # type: ignore[arg-type]
            **options,  # type: ignore[arg-type]
        )
    )


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the ``occurrence``-th line of ``text`` holding ``needle``."""
    found = [n for n, line in enumerate(text.split("\n"), 1) if needle in line]
    return found[occurrence - 1]


def codes(problems: tuple[Problem, ...] | list[Problem]) -> list[str]:
    return [p.code for p in problems]
