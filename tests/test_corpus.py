"""Robustness: real Markdown written by others (the CommonMark spec's examples) and
random input never crash careleaf and never put active content into a page."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT, build_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from careleaf.config import Config
from careleaf.manuscript import Manuscript, read_manuscript
from careleaf.markup import convert

SPEC = ROOT.parent / "shared" / "corpora" / "commonmark" / "spec.txt"
FENCE = "`" * 32
ACTIVE = re.compile(
    r"<script|<style|<iframe|<object|<embed|\son\w+\s*=|javascript:|<form", re.IGNORECASE
)


def examples() -> list[str]:
    if not SPEC.is_file():
        return []
    found = re.findall(
        rf"^{FENCE} example\n(.*?)^\.\n.*?^{FENCE}$",
        SPEC.read_text(encoding="utf-8"),
        re.MULTILINE | re.DOTALL,
    )
    return [markdown.replace("→", "\t") for markdown in found]


def manuscript(body: str, folder: Path) -> Manuscript:
    return Manuscript(
        path=folder / "example.md",
        slug="example",
        title="Example",
        published=date(2026, 1, 1),
        review_due=date(2028, 1, 1),
        lang="en",
        body=body,
        body_line=5,
    )


def test_corpus_is_there() -> None:
    if not SPEC.is_file():
        pytest.skip(f"the CommonMark corpus is not at {SPEC}")
    assert len(examples()) == 655


def test_every_commonmark_example_converts_safely(tmp_path: Path) -> None:
    corpus = examples()
    if not corpus:
        pytest.skip("no corpus")
    for number, body in enumerate(corpus, start=1):
        article, problems = convert(
            manuscript(body, tmp_path), images_root=tmp_path, pages={}, gettext=str
        )
        assert not ACTIVE.search(article.body), (number, body, article.body)
        for problem in problems:
            assert problem.line >= 5 and problem.code[0] in "IHAM", (number, problem)


def test_a_library_of_commonmark_examples_builds_or_explains(tmp_path: Path) -> None:
    """A share of the corpus as a whole library through the real build and CLI code."""
    corpus = examples()[::8]
    if not corpus:
        pytest.skip("no corpus")
    folder = tmp_path / "manuscripts"
    folder.mkdir()
    (tmp_path / "careleaf.toml").write_text("")
    for number, body in enumerate(corpus):
        (folder / f"example-{number}.md").write_text(
            f"---\ntitle: Example {number}\npublished: 2026-01-01\n---\n{body}", encoding="utf-8"
        )
    code = build_project(tmp_path, tmp_path / "output")
    assert code in (0, 1)
    for page in (tmp_path / "output" / "html").glob("*.html") if code == 0 else []:
        assert not ACTIVE.search(page.read_text(encoding="utf-8"))


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_any_front_matter_is_read_or_explained(tmp_path: Path, junk: str) -> None:
    path = tmp_path / "junk.md"
    path.write_text(f"---\n{junk}\n---\nBody\n", encoding="utf-8")
    found, problems = read_manuscript(path, Config())
    assert found is not None or problems
    for problem in problems:
        assert problem.line >= 1 and problem.message
