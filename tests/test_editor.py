"""What clinic editors write: front matter mistakes explained with their fix, slugs made
from file names, and the command line's habits (version, typos, plurals, where to start)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, SAMPLE, run_cli
from library_maker import CLEAN_BODY, check, codes, line_of, make_library, manuscript

from careleaf import __version__
from careleaf.build import BuildOptions, BuildReport
from careleaf.cli import summarise
from careleaf.config import Config
from careleaf.output import WriteResult
from careleaf.problems import Problem
from careleaf.yamlhelp import yaml_quoted


def problems(tmp_path: Path, text: str, name: str = "a.md") -> list[Problem]:
    """The problems of one manuscript ``text`` (and of no other file)."""
    root = make_library(tmp_path, {name: text})
    return [p for p in check(root).problems if p.path.endswith(name)]


def only(found: list[Problem], code: str) -> Problem:
    matching = [p for p in found if p.code == code]
    assert len(matching) == 1, [str(p) for p in found]
    return matching[0]


def suggested(hint: str | None) -> str:
    """The line an editor is told to write: the hint's text after its last ': '."""
    assert hint is not None
    return hint.split(": ", 1)[1]


@pytest.mark.parametrize(
    "title",
    [
        "Diabetes: looking after your feet",
        'Say "no": a guide for carers',
        'Don\'t say "never": the facts',
        "Back\\slash: a path C:\\x",
    ],
)
def test_a_colon_in_a_title_is_explained_with_the_quoted_title(tmp_path: Path, title: str) -> None:
    text = manuscript(title=title)
    problem = only(problems(tmp_path, text), "M101")
    assert problem.line == 2 and problem.column == title.index(": ") + len("title: ") + 1
    assert "colon" in problem.message and "mapping values" not in problem.message
    fix = suggested(problem.hint)
    assert problem.hint == f"put the title in quotes: {fix}" and fix.startswith("title: ")
    assert yaml.safe_load(fix) == {"title": title}  # the fix gives back the editor's title
    mended = text.replace(f"title: {title}", fix)
    assert codes(problems(tmp_path / "mended", mended)) == []


def test_a_colon_in_a_source_title_points_at_its_line(tmp_path: Path) -> None:
    extra = "sources:\n  - title: Flu: the facts\n    url: https://www.nhs.uk/flu/"
    text = manuscript(extra=extra)
    problem = only(problems(tmp_path, text), "M101")
    assert problem.line == line_of(text, "Flu: the facts") and problem.column == 15
    assert suggested(problem.hint) == '- title: "Flu: the facts"'


def test_a_hash_in_a_value_is_a_warning_naming_what_was_read(tmp_path: Path) -> None:
    text = manuscript(title="Step #1 care", extra="tags:\n  - first #aid\npublished_note: x")
    found = [p for p in problems(tmp_path, text) if p.code == "M114"]
    assert [(p.line, p.column, p.severity) for p in found] == [
        (2, 13, "warning"),
        (line_of(text, "first #aid"), 11, "warning"),
    ]
    assert "read as 'Step'" in found[0].message
    assert found[0].hint == 'put it in quotes: title: "Step #1 care"'
    assert found[1].hint == 'put it in quotes: - "first #aid"'
    mended = text.replace("title: Step #1 care", 'title: "Step #1 care"')
    root = make_library(tmp_path / "mended", {"a.md": mended})
    report = check(root)
    assert report.articles[0].title == "Step #1 care"
    assert [p.line for p in report.problems if p.code == "M114"] == [found[1].line]


def test_a_value_that_is_all_note_is_empty(tmp_path: Path) -> None:
    found = problems(tmp_path, manuscript(title="#1 tips for sleep"))
    assert "is read as empty" in only(found, "M114").message
    missing = only(found, "M102")
    assert missing.line == 2 and missing.message == "front matter 'title' is empty"


def test_a_note_after_a_date_is_left_alone(tmp_path: Path) -> None:
    text = manuscript().replace("published: 2026-06-01", "published: 2026-06-01  # first")
    assert codes(problems(tmp_path, text)) == []


@pytest.mark.parametrize(
    ("front", "line", "column", "message", "fix"),
    [
        ("title: Flu\ntags:\n\t- cough", 4, 1, "tab", "replace the tab with two spaces"),
        ("title:\tFlu", 2, 7, "tab", "replace the tab with two spaces"),
        ('title: "Flu jab\nsummary: x', 2, 8, "never closed", 'title: "Flu jab"'),
        ("title: 'Don't panic'", 2, 8, "ends it at the next '", 'title: "Don\'t panic"'),
        ('title: "Flu" jab for kids', 2, 8, "quote", "title: '\"Flu\" jab for kids'"),
        ("title:Flu\nsummary: x", 2, 7, "no space after 'title:'", "title: Flu"),
        ("title: *Important* care", 2, 8, "starts with '*'", 'title: "*Important* care"'),
        ("title: [Draft] Flu", 2, 8, "starts with '['", 'title: "[Draft] Flu"'),
        ("title: Flu\nFlu leaflet for kids", 3, 1, "not written 'key: value'", "join the two"),
        ("title: Flu\n  summary: x", 3, 1, "starts with spaces", "remove the spaces"),
    ],
    ids=[
        "tab",
        "tab-after-colon",
        "open-quote",
        "apostrophe",
        "quote-then-text",
        "no-space",
        "star",
        "bracket",
        "no-key",
        "indented",
    ],
)
def test_usual_yaml_mistakes_are_explained(
    tmp_path: Path, front: str, line: int, column: int, message: str, fix: str
) -> None:
    text = f"---\n{front}\npublished: 2026-06-01\n---\n\n{CLEAN_BODY}"
    problem = only(problems(tmp_path, text), "M101")
    assert (problem.line, problem.column) == (line, column), str(problem)
    assert message in problem.message and fix in (problem.hint or ""), str(problem)
    jargon = ("mapping values", "could not find", "<block end>", "scanning", "token")
    assert not any(word in problem.message for word in jargon), str(problem)


@pytest.mark.parametrize(
    "text", ["plain", 'with "double"', "with 'single'", "both ' and \"", "back\\slash", "é ع"]
)
def test_quoted_values_read_back_as_written(text: str) -> None:
    assert yaml.safe_load(f"k: {yaml_quoted(text)}") == {"k": text}


BROKEN_FRONTS = {
    "colon": "---\ntitle: Feet: care\npublished: 2026-06-01\n---\n",
    "unclosed": "---\ntitle: Feet\npublished: 2026-06-01\n\n",
    "no-dashes": "title: Feet\npublished: 2026-06-01\n\n",
    "blank-first": "\n---\ntitle: Feet\npublished: 2026-06-01\n---\n",
    "no-front": "",
}
BODY = "## Feet\n\nLook at your feet.\n\n#### Too deep\n\n![](images/none.png)\n"


@pytest.mark.parametrize("kind", BROKEN_FRONTS)
def test_a_broken_front_matter_still_has_its_body_checked(tmp_path: Path, kind: str) -> None:
    text = BROKEN_FRONTS[kind] + BODY
    root = make_library(tmp_path, {"a.md": text, "b.md": manuscript("Other")})
    report = check(root)
    found = {(p.code, p.line) for p in report.problems}
    assert ("M101", 1 if kind in ("no-front", "blank-first", "no-dashes") else 2) in found or (
        kind == "unclosed" and ("M101", 3) in found
    )
    assert ("H401", line_of(text, "Too deep")) in found
    assert ("A501", line_of(text, "none.png")) in found
    assert ("I201", line_of(text, "none.png")) in found
    assert not {"R804", "R807", "M102"} & {p.code for p in report.problems if "a.md" in p.path}
    assert report.failed
    assert (
        next(a for a in report.articles if a.manuscript.path.name == "a.md").manuscript.complete
        is False
    )


def test_file_names_become_slugs_with_a_warning(tmp_path: Path) -> None:
    link = "See [wound care](Wound%20Care.md).\n"
    root = make_library(
        tmp_path,
        {
            "Wound Care.md": manuscript("Wound care"),
            "Vacuna Gripe Niños.md": manuscript("Vacuna", lang="es", body=CLEAN_BODY + link),
            "التطعيم.md": manuscript("التطعيم", lang="ar"),
            "Грип.md": manuscript("Грип", lang="uk"),
        },
    )
    report = check(root)
    assert sorted(a.slug for a in report.articles) == [
        "grip",
        "lttym",
        "vacuna-gripe-ninos",
        "wound-care",
    ]
    warned = {Path(p.path).name: p for p in report.problems if p.code == "M115"}
    assert set(warned) == {"Wound Care.md", "Vacuna Gripe Niños.md", "التطعيم.md", "Грип.md"}
    wound = warned["Wound Care.md"]
    assert wound.severity == "warning" and wound.line == 1 and "'wound-care'" in wound.message
    assert wound.hint == "rename the file to 'wound-care.md', or add a line 'slug: wound-care'"
    assert "I203" not in codes(report.problems)  # the link to the file name still works
    assert not report.failed


def test_a_written_slug_is_never_changed(tmp_path: Path) -> None:
    text = manuscript(extra="slug: Wound Care")
    found = problems(tmp_path, text)
    bad = only(found, "M105")
    assert (
        bad.severity == "error"
        and bad.line == line_of(text, "slug:")
        and bad.hint == "write it as 'slug: wound-care'"
    )
    assert "M115" not in codes(found)


def test_two_file_names_with_the_same_slug(tmp_path: Path) -> None:
    root = make_library(
        tmp_path, {"Wound Care.md": manuscript("A"), "wound-care.md": manuscript("B")}
    )
    clash = only(list(check(root).problems), "M106")
    assert "wound-care" in clash.message


def test_version(tmp_path: Path) -> None:
    result = run_cli("--version", cwd=tmp_path)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert result.returncode == 0 and result.stdout.strip() == f"careleaf {project['version']}"
    assert __version__ == project["version"]


@pytest.mark.parametrize(
    ("typed", "meant"), [("biuld", "build"), ("chek", "check"), ("nwe", "new")]
)
def test_a_mistyped_command_suggests_the_closest(tmp_path: Path, typed: str, meant: str) -> None:
    result = run_cli(typed, cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"unknown command '{typed}'; did you mean '{meant}'?" in result.stderr


def test_a_word_that_names_an_article_says_how_to_check_it(tmp_path: Path) -> None:
    root = make_library(tmp_path, {"flu.md": manuscript()})
    result = run_cli("flu", cwd=root)
    assert result.returncode == 2
    assert "careleaf check manuscripts/flu.md" in result.stderr


def test_no_manuscripts_folder_says_how_to_start(tmp_path: Path) -> None:
    result = run_cli(cwd=tmp_path)
    assert result.returncode == 1
    assert "careleaf new my-clinic" in result.stderr and "M110" not in result.stderr
    assert not (tmp_path / "output").exists()


def test_new_on_a_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "my-clinic").write_text("notes")
    result = run_cli("new", "my-clinic", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "'my-clinic' is a file" in result.stderr
    assert (tmp_path / "my-clinic").read_text() == "notes"


def test_counts_are_singular_for_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_library(tmp_path, {"a.md": manuscript()})
    built = check(root)
    one = (Problem("manuscripts/a.md", 3, "R803", "x", severity="warning"),)  # type: ignore[arg-type]
    report = BuildReport(one, built.articles, WriteResult(("html/a.html",), (), ()), Config())
    assert summarise(report, BuildOptions(output=Path("out"))) == 0
    out = capsys.readouterr().out
    assert "built 1 article into out/: 1 file written, 0 unchanged, 0 removed; " in out
    assert "0 errors, 1 warning." in out and ": 1 article" in out
    stopped = run_cli("check", cwd=make_library(tmp_path / "b", {"a.md": manuscript(body="")}))
    assert "stopped with 1 error, 0 warnings; check failed." in stopped.stderr


def test_the_sample_keeps_building_when_its_reviews_are_overdue() -> None:
    result = run_cli("check", "--today", "2031-06-01", cwd=SAMPLE)
    assert result.returncode == 0, result.stderr
    overdue = [line for line in result.stderr.splitlines() if " R804" in line]
    assert overdue and all(": warning R804: " in line for line in overdue)


def test_overdue_review_must_be_error_or_warning(tmp_path: Path) -> None:
    root = make_library(tmp_path, {"a.md": manuscript()}, '\n[checks]\noverdue_review = "maybe"\n')
    bad = only(list(check(root).problems), "C104")
    assert bad.line == 8 and "overdue_review" in bad.message


def test_readme_installs_from_this_folder() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.split("## Start your own clinic's project")[1].split("\n## ")[0]
    assert "pip install careleaf" not in readme
    commands = re.findall(r"```sh\n(.+?)\n```", start, re.DOTALL)
    assert commands == [
        "python3 -m venv ~/careleaf-env && ~/careleaf-env/bin/pip install .",
        ". ~/careleaf-env/bin/activate",
        "sudo apt-get install liblouis-bin python3-louis",  # for the braille edition
        "careleaf new my-clinic",
        "cd my-clinic && careleaf",
    ]
