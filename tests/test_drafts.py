"""Drafts (checked, never published) and one article checked or built on its own."""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import run_cli
from library_maker import CLEAN_BODY, check, line_of, make_library, manuscript

WINTER = "tags: [winter, coughs]"
DRAFT_BODY = "## Winter flu\n\nFlu is worse in winter. Do NOT wait.\n\n#### Too deep\n\nMore.\n"
DRAFT = manuscript("Flu in winter, new", DRAFT_BODY, extra=f"{WINTER}\ndraft: true")


@dataclass(frozen=True)
class Built:
    root: Path
    build: subprocess.CompletedProcess[str]
    check: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def with_draft(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = make_library(
        tmp_path_factory.mktemp("drafts"),
        {
            "colds.md": manuscript("Colds", extra=WINTER),
            "flu.md": manuscript("Flu", extra=WINTER),
            "new-flu.md": DRAFT,
        },
    )
    return Built(root, run_cli(cwd=root), run_cli("check", cwd=root))


def problem_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stderr.splitlines() if re.match(r"\S+:\d+", line)]


def test_a_drafts_errors_do_not_stop_the_build(with_draft: Built) -> None:
    assert with_draft.build.returncode == 0, with_draft.build.stderr
    lines = problem_lines(with_draft.build)
    deep = line_of(DRAFT, "Too deep")
    assert f"manuscripts/new-flu.md:{deep}: error H401 (draft): " in with_draft.build.stderr
    assert lines and all("(draft)" in line for line in lines)
    assert "(and 1 error, 1 warning in drafts, which are not published)" in with_draft.build.stdout
    assert "not published, being drafts: new-flu.md" in with_draft.build.stdout
    table = with_draft.build.stdout.split("careleaf:")[0]  # the terminal's table
    assert "│ new-flu.md" in table and "(draft)" in table


def test_check_says_what_build_says(with_draft: Built) -> None:
    assert with_draft.check.returncode == 0
    assert problem_lines(with_draft.check) == problem_lines(with_draft.build)


def test_a_draft_is_in_no_output(with_draft: Built) -> None:
    output = with_draft.root / "output"
    names = [p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file()]
    assert "html/flu.html" in names and not [n for n in names if "new-flu" in n]
    for page in (output / "html").glob("*.html"):
        assert "Flu in winter, new" not in page.read_text(encoding="utf-8"), page.name
    colds = (output / "html" / "colds.html").read_text(encoding="utf-8")
    assert 'href="flu.html"' in colds  # related reading is there, without the draft
    book = zipfile.ZipFile(next((output / "ebook").glob("*.epub")))
    assert not [n for n in book.namelist() if "new-flu" in n]
    assert all(b"Flu in winter, new" not in book.read(n) for n in book.namelist())
    leaflet = subprocess.run(
        ["pdftotext", str(output / "leaflets" / "colds.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Flu in winter" not in leaflet and "Flu" in leaflet


def test_the_report_lists_drafts_as_drafts(with_draft: Built) -> None:
    output = with_draft.root / "output"
    data = json.loads((output / "report.json").read_text(encoding="utf-8"))
    records = {r["slug"]: r for r in data["articles"]}
    assert records["new-flu"]["draft"] is True and records["flu"]["draft"] is False
    assert records["new-flu"]["pages"] == {"leaflet": None, "large_print": None, "braille": None}
    assert [p["code"] for p in records["new-flu"]["problems"]] == ["R803", "H401"]
    totals = data["totals"]
    assert (totals["articles"], totals["drafts"]) == (2, 1)
    assert (totals["draft_errors"], totals["draft_warnings"]) == (1, 1)
    html = (output / "report.html").read_text(encoding="utf-8")
    assert "Flu in winter, new</span> (draft, not published)" in html
    assert 'href="html/new-flu.html"' not in html


def test_strict_is_about_what_is_published(with_draft: Built) -> None:
    result = run_cli("check", "--strict", "--format", "json", cwd=with_draft.root)
    data = json.loads(result.stdout)
    assert result.returncode == 0 and data["ok"] is True
    assert (data["errors"], data["warnings"], data["draft_errors"]) == (0, 0, 1)
    assert data["drafts"] == ["new-flu.md"]
    assert {p["draft"] for p in data["problems"]} == {True}


def test_draft_must_be_true_or_false(tmp_path: Path) -> None:
    text = manuscript(extra="draft: maybe")
    report = check(make_library(tmp_path, {"a.md": text}))
    assert [(p.code, p.line, p.draft) for p in report.problems] == [
        ("M104", line_of(text, "draft:"), False)
    ]
    assert report.failed


@pytest.mark.parametrize(
    "broken",
    [
        "---\ntitle: Flu: new\ndraft: true\npublished: 2026-06-01\n---\n\n" + CLEAN_BODY,
        ("---\ntitle: Flu\ndraft: true\n\n" + CLEAN_BODY).replace("\n", "\r\n"),
    ],
    ids=["colon", "not-closed-windows-lines"],
)
def test_a_draft_with_broken_yaml_stays_a_draft(tmp_path: Path, broken: str) -> None:
    report = check(make_library(tmp_path, {"a.md": manuscript(), "b.md": broken.encode()}))
    assert [(p.code, p.draft) for p in report.problems] == [("M101", True)]
    assert not report.failed


def test_published_articles_may_not_point_at_a_draft(tmp_path: Path) -> None:
    linking = manuscript(
        body=CLEAN_BODY + "\nSee [the new advice](new-flu.md).\n", extra="related: [new-flu]"
    )
    report = check(make_library(tmp_path, {"colds.md": linking, "new-flu.md": DRAFT}))
    mine = [p for p in report.problems if p.path.endswith("colds.md")]
    assert [(p.code, p.line) for p in mine] == [
        ("M107", line_of(linking, "related:")),
        ("I203", line_of(linking, "the new advice")),
    ]
    assert all("draft" in p.message for p in mine) and report.failed


def test_a_slug_clash_with_a_draft_is_the_drafts(tmp_path: Path) -> None:
    draft = manuscript("New colds", extra="slug: colds\ndraft: true")
    report = check(make_library(tmp_path, {"a-new.md": draft, "colds.md": manuscript()}))
    clash = [p for p in report.problems if p.code == "M106"]
    assert [(Path(p.path).name, p.draft) for p in clash] == [("a-new.md", True)]
    assert not report.failed


# One article on its own -------------------------------------------------------------


@pytest.fixture()
def three(tmp_path: Path) -> Path:
    root = make_library(
        tmp_path,
        {
            "colds.md": manuscript("Colds", extra=WINTER),
            "flu.md": manuscript("Flu", extra=f"{WINTER}\nrelated: [colds]"),
            "sore-throat.md": manuscript("Sore throat"),
        },
    )
    assert run_cli(cwd=root).returncode == 0
    return root


def snapshot(output: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(output).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in output.rglob("*")
        if p.is_file()
    }


def test_build_one_article_leaves_the_rest_as_it_was(three: Path) -> None:
    before = snapshot(three / "output")
    flu = three / "manuscripts" / "flu.md"
    flu.write_text(flu.read_text().replace("in a week.", "in a week or two."), encoding="utf-8")
    (three / "manuscripts" / "sore-throat.md").write_text(manuscript("Sore throat", "#### Deep\n"))
    result = run_cli("build", "manuscripts/flu.md", cwd=three)
    assert result.returncode == 0, result.stderr
    assert "sore-throat.md" not in result.stderr  # another article's problem is not this one's
    assert "built flu.md into output/: 4 files written" in result.stdout
    after = snapshot(three / "output")
    changed = {name for name in after if after[name] != before.get(name)}
    assert changed == {
        "html/flu.html",
        "leaflets/flu.pdf",
        "leaflets/large-print/flu.pdf",
        "braille/flu.brf",
        ".careleaf/state.json",  # careleaf's own record of what it wrote
        ".careleaf/articles.json",  # and of what it read
    }
    assert after.keys() == before.keys()
    assert b"week or two" in after["html/flu.html"][0]
    assert b'href="colds.html"' in after["html/flu.html"][0]  # related reading from the library
    state = json.loads(after[".careleaf/state.json"][0])
    assert state["files"].keys() == json.loads(before[".careleaf/state.json"][0])["files"].keys()
    (three / "manuscripts" / "sore-throat.md").write_text(manuscript("Sore throat"))
    whole = run_cli(cwd=three)
    assert whole.returncode == 0 and "0 removed" in whole.stdout
    assert "up to date, not made again" in whole.stdout
    assert "leaflets/colds.pdf" not in whole.stdout


def test_check_one_article_reports_its_problems_and_clashes(tmp_path: Path) -> None:
    root = make_library(
        tmp_path,
        {
            "a-colds.md": manuscript("Colds"),
            "b-broken.md": manuscript("Broken", "#### Deep\n"),
            "c-colds.md": manuscript("Colds"),
        },
    )
    first = run_cli("check", "manuscripts/a-colds.md", cwd=root)
    assert first.returncode == 1
    assert problem_lines(first) == [
        "manuscripts/a-colds.md:2: error R806: the title 'Colds' is already used by c-colds.md "
        "(give each article its own title, so that patients can tell them apart)"
    ]
    whole = run_cli("check", cwd=root)
    assert {line.split(":")[0] for line in problem_lines(whole)} == {
        "manuscripts/b-broken.md",
        "manuscripts/c-colds.md",
    }


@pytest.mark.parametrize(
    ("named", "said"),
    [
        ("manuscripts/nothing.md", "'manuscripts/nothing.md' does not exist"),
        ("colds.md", "'colds.md' does not exist; did you mean manuscripts/colds.md?"),
        ("elsewhere/colds.md", "is not in the manuscripts folder (manuscripts/)"),
        (
            "manuscripts",
            "'manuscripts' is a folder; to build the articles in it, use --manuscripts",
        ),
    ],
)
def test_a_file_that_is_not_a_manuscript_is_a_usage_error(
    tmp_path: Path, named: str, said: str
) -> None:
    root = make_library(tmp_path, {"colds.md": manuscript()})
    (root / "elsewhere").mkdir()
    (root / "elsewhere" / "colds.md").write_text(manuscript())
    for command in (["check"], ["build"], []):
        result = run_cli(*command, named, cwd=root)
        assert result.returncode == 2 and said in result.stderr, result.stderr
        assert "Traceback" not in result.stderr and not (root / "output").exists()


def test_a_manuscript_named_alone_is_built(tmp_path: Path) -> None:
    root = make_library(tmp_path, {"colds.md": manuscript(), "flu.md": manuscript("Flu")})
    result = run_cli("manuscripts/colds.md", cwd=root)
    assert result.returncode == 0, result.stderr
    made = sorted(p.relative_to(root / "output").as_posix() for p in (root / "output").rglob("*.*"))
    assert [n for n in made if not n.startswith(".")] == [
        "braille/colds.brf",
        "html/colds.html",
        "leaflets/colds.pdf",
        "leaflets/large-print/colds.pdf",
    ]


def test_building_a_draft_alone_writes_nothing(tmp_path: Path) -> None:
    root = make_library(tmp_path, {"colds.md": manuscript(), "new-flu.md": DRAFT})
    result = run_cli("build", "manuscripts/new-flu.md", cwd=root)
    assert result.returncode == 0
    assert "new-flu.md is a draft: checked, and nothing was written" in result.stdout
    assert "H401 (draft)" in result.stderr and not (root / "output").exists()
