"""Editorial and accessibility checks: each code, at its file and line, with its message."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st
from library_maker import (
    CLEAN_BODY,
    NO_BRAILLE,
    PNG,
    TODAY,
    check,
    codes,
    line_of,
    make_library,
    manuscript,
)

from careleaf.config import load_config
from careleaf.manuscript import load_manuscripts
from careleaf.problems import Problem, Severity
from careleaf.readability import NOT_ENDS, sentences


def only(problems: tuple[Problem, ...], code: str) -> Problem:
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, f"expected one {code}, got {[str(p) for p in problems]}"
    return found[0]


def where(problem: Problem) -> tuple[str, int]:
    return Path(problem.path).name, problem.line


def test_clean_library_has_no_problems(tmp_path: Path) -> None:
    root = make_library(
        tmp_path,
        {
            "colds.md": manuscript(),
            "gripe.md": manuscript(
                "Gripe",
                "## Qué es\n\nLa gripe es una infección. Suele durar una semana.\n",
                lang="es",
                summary="Qué hacer si tiene gripe.",
            ),
        },
    )
    assert check(root, strict=True).problems == ()
    result = run_cli("check", "--strict", "--today", "2026-11-25", cwd=root)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "2 articles checked: 0 errors, 0 warnings" in result.stdout


def test_headings(tmp_path: Path) -> None:
    body = "## Start\n\nText here is fine.\n\n#### Deep\n\nMore text.\n\n# Second title\n\n##\n"
    text = manuscript(body=body)
    report = check(make_library(tmp_path, {"a.md": text}))
    skipped = only(report.problems, "H401")
    assert where(skipped) == ("a.md", line_of(text, "#### Deep"))
    assert skipped.column is None  # as H401 always was: path:line
    assert "jumps from level 2 to 4" in skipped.message
    top = only(report.problems, "H403")
    assert where(top) == ("a.md", line_of(text, "# Second title"))
    assert "'# Second title' is a top heading" in top.message
    empty = only(report.problems, "H402")
    assert where(empty) == ("a.md", line_of(text, "##", 3))
    assert empty.message == "this heading has no words"


def test_images(tmp_path: Path) -> None:
    long_alt = "A drawing of " + "a hand " * 40
    body = (
        "## Pictures\n\n"
        "![](images/hand.png)\n\n"
        "Look: ![hand.png](images/hand.png)\n\n"
        "![Picture](images/hand.png)\n\n"
        f"![{long_alt}](images/hand.png)\n\n"
        "![Soap on wet hands](images/missing.png)\n\n"
        "![Soap on wet hands](images/hand.png)\n"
    )
    text = manuscript(body=body)
    root = make_library(tmp_path, {"a.md": text, "images/hand.png": PNG})
    problems = check(root).problems
    no_alt = only(problems, "A501")
    assert where(no_alt) == ("a.md", line_of(text, "![](images/hand.png)"))
    assert no_alt.severity is Severity.ERROR
    assert no_alt.message == "the image 'images/hand.png' has no alt text"
    vague = [p for p in problems if p.code == "A502"]
    assert [where(p) for p in vague] == [
        ("a.md", line_of(text, "![hand.png]")),
        ("a.md", line_of(text, "![Picture]")),
    ]
    assert vague[0].column == 7  # after "Look: "
    assert "'hand.png'" in vague[0].message and "does not say what it shows" in vague[0].message
    assert all(p.severity is Severity.WARNING for p in vague)
    long = only(problems, "A503")
    assert where(long) == ("a.md", line_of(text, "A drawing of"))
    assert f"is {len(long_alt.strip())} characters long" in long.message
    missing = only(problems, "I201")  # found when converting; not repeated by the checks
    assert where(missing) == ("a.md", line_of(text, "missing.png"))


def test_links(tmp_path: Path) -> None:
    body = (
        "## Help\n\n"
        "For forms, [click here](https://example.org/forms).\n\n"
        "See <https://example.org/advice> for more.\n\n"
        "Read [our advice on flu](flu.md#who-should-have-it) and "
        "[the missing part](flu.md#no-such-part).\n\n"
        "Jump to [help](#help) or [nowhere](#nowhere).\n\n"
        "A [page we do not have](ghost.md).\n\n"
        "Email [the clinic](mailto:desk@example.org).\n"
    )
    text = manuscript(body=body)
    flu = manuscript("Flu", "## Who should have it\n\nMost adults over 65 should.\n")
    problems = check(make_library(tmp_path, {"a.md": text, "flu.md": flu})).problems
    vague = only(problems, "A504")
    assert where(vague) == ("a.md", line_of(text, "[click here]"))
    assert vague.column == line_of_column(text, "[click here]")
    assert vague.message == "the link text 'click here' does not say where the link goes"
    bare = only(problems, "A505")
    assert where(bare) == ("a.md", line_of(text, "<https://example.org/advice>"))
    assert bare.message == "the link text is a bare web address: 'https://example.org/advice'"
    broken = [p for p in problems if p.code == "A506"]
    assert [where(p) for p in broken] == [
        ("a.md", line_of(text, "#no-such-part")),
        ("a.md", line_of(text, "#nowhere")),
    ]
    assert "'#no-such-part' that 'Flu' does not have" in broken[0].message
    assert "'#nowhere' that this article does not have" in broken[1].message
    assert all(p.severity is Severity.ERROR for p in broken)
    ghost = only(problems, "I203")  # from the conversion, not doubled here
    assert where(ghost) == ("a.md", line_of(text, "ghost.md"))
    assert sorted(codes(problems)) == ["A504", "A505", "A506", "A506", "I203"]


def line_of_column(text: str, needle: str) -> int:
    return text.split("\n")[line_of(text, needle) - 1].find(needle) + 1


def test_related_slugs_use_the_manuscript_codes(tmp_path: Path) -> None:
    text = manuscript(extra="related:\n  - a\n  - nothing-here")
    problems = check(make_library(tmp_path, {"a.md": text})).problems
    assert where(only(problems, "M111")) == ("a.md", line_of(text, "  - a"))
    unknown = only(problems, "M107")
    assert where(unknown) == ("a.md", line_of(text, "nothing-here"))
    assert unknown.message == "related slug 'nothing-here' names no article in the library"


def test_tags_and_related_on_one_line_with_commas(tmp_path: Path) -> None:
    """Editors write ``tags: flu, vaccines`` as in a CMS: two topics, not one topic
    'Flu, vaccines' (and ``related`` alike, which was an M107 for 'a, b')."""
    first = manuscript("Flu", extra="tags: flu, Vaccines ,\nrelated: colds, nothing-here")
    root = make_library(tmp_path, {"flu.md": first, "colds.md": manuscript()})
    problems = check(root).problems
    assert [(p.code, p.message) for p in problems if p.code == "M107"] == [
        ("M107", "related slug 'nothing-here' names no article in the library")
    ]
    manuscripts, _ = load_manuscripts(root / "manuscripts", load_config(root / "careleaf.toml")[0])
    flu = next(m for m in manuscripts if m.slug == "flu")
    assert flu.tags == ("flu", "vaccines") and flu.related == ("colds", "nothing-here")
    authors = manuscript("Flu", extra="authors: Ann Smith, RN")  # a name keeps its comma
    (root / "manuscripts" / "flu.md").write_text(authors, encoding="utf-8")
    manuscripts, _ = load_manuscripts(root / "manuscripts", load_config(root / "careleaf.toml")[0])
    assert next(m for m in manuscripts if m.slug == "flu").authors == ("Ann Smith, RN",)


def test_language_tags(tmp_path: Path) -> None:
    text = manuscript(lang="xx")
    inherits = manuscript("Inherits the language of careleaf.toml")
    root = make_library(tmp_path, {"a.md": text, "b.md": inherits}, toml='language = "zz"\n')
    problems = check(root).problems
    bad = [p for p in problems if p.code == "A507"]
    assert sorted((Path(p.path).name, p.line) for p in bad) == [
        ("a.md", line_of(text, "lang: xx")),
        ("careleaf.toml", 6),
    ]
    assert "'xx' is not a registered language tag" in bad[0].message + bad[1].message
    assert "language 'zz' is not a registered language tag" in bad[0].message + bad[1].message


def test_theme_contrast(tmp_path: Path) -> None:
    layouts = tmp_path / "mine"
    layouts.mkdir()
    css = (ROOT / "layouts" / "style.css").read_text(encoding="utf-8")
    css = css.replace("--text: #1a1a1a;", "--text: #999999;")
    (layouts / "style.css").write_text(css, encoding="utf-8")
    root = make_library(tmp_path, {"a.md": manuscript()})
    root.joinpath("careleaf.toml").write_text(
        'layouts = "mine"\n' + root.joinpath("careleaf.toml").read_text(), encoding="utf-8"
    )
    problems = check(root).problems
    low = [p for p in problems if p.code == "A508"]
    assert low, [str(p) for p in problems]
    assert {Path(p.path).name for p in low} == {"style.css"}
    assert {p.line for p in low} == {line_of(css, "--text: #999999")}
    assert len(low) == 1  # one problem per colour, naming the background it reads worst on
    assert low[0].message == (
        "--text #999999 on --muted-background #f3f3f3 (style.css) has a contrast of only "
        "2.57:1; text needs 4.5:1 (and on 6 other backgrounds)"
    )
    # an accent that passes on white (C104) but not on the shaded table headers
    root.joinpath("careleaf.toml").write_text('[theme]\naccent = "#757575"\n')
    shaded = only(check(root).problems, "A508")
    assert where(shaded) == ("careleaf.toml", 2)
    assert shaded.message.startswith("--accent #757575 on --muted-background #f3f3f3 (style.css)")


def test_theme_contrast_in_dark_mode(tmp_path: Path) -> None:
    """Dark mode's colours are checked on their own: a dark text colour reads on the white
    page but not on the dark one; the accent, lightened for dark mode, reads on both."""
    layouts = tmp_path / "mine"
    layouts.mkdir()
    css = (ROOT / "layouts" / "style.css").read_text(encoding="utf-8")
    css = css.replace("    --text: #ececec;", "    --text: #555555;")
    (layouts / "style.css").write_text(css, encoding="utf-8")
    root = make_library(tmp_path, {"a.md": manuscript()}, 'accent = "#000000"\n')
    root.joinpath("careleaf.toml").write_text(
        'layouts = "mine"\n' + root.joinpath("careleaf.toml").read_text(), encoding="utf-8"
    )
    low = [p for p in check(root).problems if p.code == "A508"]
    assert [where(p) for p in low] == [("style.css", line_of(css, "--text: #555555"))]
    assert low[0].message.startswith(
        "--text #555555 on --muted-background #262626 (style.css, dark"
    )
    assert "lighter text colour" in (low[0].hint or "")


def test_readability_and_sentences(tmp_path: Path) -> None:
    hard = (
        "## Background\n\n"
        "Pharmacological interventions necessitate comprehensive individualised "
        "consideration of contraindications. Immunocompromised individuals experiencing "
        "persistent symptomatology require specialist multidisciplinary evaluation. "
        "Administration recommendations fluctuate considerably depending on "
        "physiological characteristics.\n\n"
        "When you come to the clinic for your appointment you should bring a list of all "
        "the medicines that you take every day, including those you buy yourself from a "
        "shop or a pharmacy without a prescription.\n"
    )
    text = manuscript(body=hard)
    problems = check(make_library(tmp_path, {"a.md": text})).problems
    grade = only(problems, "R801")
    body_line = line_of(text, "## Background")
    assert where(grade) == ("a.md", body_line)
    assert re.search(r"above the target of grade 8 \(Flesch-Kincaid grade \d+\.\d", grade.message)
    long_line = line_of(text, "When you come")
    hard_line = line_of(text, "Pharmacological")
    assert grade.message.endswith(
        f"its longest sentences: line {long_line} (37 words); line {hard_line} (9 words); "
        f"line {hard_line} (8 words)"
    )
    long = only(problems, "R802")
    assert where(long) == ("a.md", long_line)
    assert long.column == 1
    assert long.message.startswith("this sentence has 37 words: 'When you come to the clinic")


def test_reading_grade_comes_from_the_configuration(tmp_path: Path) -> None:
    body = "## Sleep\n\nGood sleep helps your body recover after an operation. " * 1
    text = manuscript(body=body + "\nTry to keep regular hours.\n")
    root = make_library(tmp_path, {"a.md": text}, toml="\n[checks]\nreading_grade = 1\n")
    grade = only(check(root).problems, "R801")
    assert "above the target of grade 1" in grade.message
    root.joinpath("careleaf.toml").write_text("[checks]\nreading_grade = 40\n")
    bad = only(check(root).problems, "C104")
    assert bad.line == 2 and "reading_grade must be a school grade from 1 to 18" in bad.message


def test_spanish_uses_fernandez_huerta_and_arabic_is_skipped(tmp_path: Path) -> None:
    hard_es = (
        "## Tratamiento\n\nLa administración farmacológica intravenosa requiere "
        "consideraciones individualizadas extraordinariamente complejas. Las "
        "contraindicaciones inmunológicas condicionan significativamente la "
        "planificación terapéutica multidisciplinaria.\n"
    )
    hard_ar = "## العلاج\n\nتتطلب الإدارة الدوائية الوريدية اعتبارات فردية معقدة للغاية.\n"
    text = manuscript("Tratamiento", hard_es, lang="es")
    root = make_library(tmp_path, {"es.md": text, "ar.md": manuscript("علاج", hard_ar, lang="ar")})
    problems = check(root).problems
    grade = only(problems, "R801")
    assert where(grade) == ("es.md", line_of(text, "## Tratamiento"))
    assert "(Fernández Huerta reading ease); grade 8 needs 60 or more" in grade.message


def test_capitals(tmp_path: Path) -> None:
    body = (
        "## What to do\n\n"
        "Call the NHS or your GP. Do NOT DRIVE after the test.\n\n"
        "- Bring your ABC card.\n"
        "- STOP eating at 10pm. COVID-19 rules may apply. STOP drinking at 11pm.\n\n"
        "*[ABC]: appointment booking card\n"
    )
    text = manuscript(body=body)
    problems = check(make_library(tmp_path, {"a.md": text})).problems
    caps = [p for p in problems if p.code == "R803"]
    assert [(where(p), p.column) for p in caps] == [
        (("a.md", line_of(text, "Do NOT DRIVE")), line_of_column(text, "NOT DRIVE")),
        (("a.md", line_of(text, "STOP eating")), 3),
        (("a.md", line_of(text, "STOP eating")), line_of_column(text, "STOP drinking")),
    ]
    assert caps[0].message.startswith("'NOT DRIVE' is written in capitals")
    assert caps[1].message.startswith("'STOP' is written in capitals")


def test_review_dates(tmp_path: Path) -> None:
    stale = manuscript("Old", review_due="2026-11-01")
    soon = manuscript("Soon", review_due="2027-01-10")
    derived = manuscript("Derived", review_due=None, published="2024-01-10")
    root = make_library(tmp_path, {"old.md": stale, "soon.md": soon, "derived.md": derived})
    problems = check(root).problems
    passed = [p for p in problems if p.code == "R804"]
    assert sorted(where(p) for p in passed) == [
        ("derived.md", line_of(derived, "published:")),
        ("old.md", line_of(stale, "review_due:")),
    ]
    old = next(p for p in passed if p.path.endswith("old.md"))
    assert old.message.startswith("the review date 2026-11-01 passed 24 days ago")
    near = only(problems, "R805")
    assert where(near) == ("soon.md", line_of(soon, "review_due:"))
    assert near.message == "the review is due on 2027-01-10, in 46 days"
    # --today moves the date the dates are checked against
    assert "R804" not in codes(check(root, today=TODAY.replace(year=2023)).problems)


def test_library_checks(tmp_path: Path) -> None:
    one = manuscript("Colds")
    two = manuscript("colds", summary=None)
    empty = manuscript("Nothing", body="\n\n")
    headings = manuscript("Headings only", body="## What it is\n\n## What to do\n")
    files = {"a.md": one, "b.md": two, "c.md": empty, "d.md": headings}
    problems = check(make_library(tmp_path, files)).problems
    same = only(problems, "R806")
    assert where(same) == ("b.md", line_of(two, "title:"))
    assert same.message == "the title 'colds' is already used by a.md"
    summary = only(problems, "R807")
    assert where(summary) == ("b.md", 1) and summary.severity is Severity.WARNING
    nothing = [p for p in problems if p.code == "R808"]
    assert [where(p) for p in nothing] == [
        ("c.md", line_of(empty, "---", 2) + 1),
        ("d.md", line_of(headings, "---", 2) + 1),
    ]
    nothing = nothing[0]
    assert nothing.message == "this article has no text below the front matter"


def test_sentences_keep_their_lines_and_skip_non_prose(tmp_path: Path) -> None:
    body = (
        "## Heading words are not sentences\n\n"
        "First sentence here. Second one\n"
        "runs over two lines, e.g. like this one.\n\n"
        "| Drug | Dose |\n| --- | --- |\n| Aspirin tablets | One a day |\n\n"
        "```\ncode is not prose.\n```\n\n"
        "- A list item without a stop\n"
        "- Another [linked](https://example.org) item.\n\n"
        "Footnoted.[^1]\n\n"
        "It rains. It pours.\n\n"
        'Hablamos español.\n{: lang="es" }\n\n'
        "[^1]: A source that is not counted.\n"
    )
    text = manuscript(body=body)
    make_library(tmp_path, {"a.md": text})
    from careleaf.config import Config
    from careleaf.manuscript import read_manuscript

    loaded, _ = read_manuscript(tmp_path / "manuscripts" / "a.md", Config())
    assert loaded is not None
    found = [(s.text, s.line, s.column) for s in sentences(loaded)]
    assert found == [
        ("First sentence here.", line_of(text, "First sentence"), 1),
        ("Second one runs over two lines, e.g. like this one.", line_of(text, "First"), 22),
        ("A list item without a stop", line_of(text, "- A list"), 3),
        ("Another linked item.", line_of(text, "- Another"), 3),
        ("Footnoted.", line_of(text, "Footnoted."), 1),
        ("It rains.", line_of(text, "It rains."), 1),
        ("It pours.", line_of(text, "It rains."), 11),
        ("Hablamos español.", line_of(text, "Hablamos"), 1),
    ]
    scored = [s.text for s in sentences(loaded, scored=True)]
    assert scored == [f[0] for f in found[:-1]]  # another language is not scored


def test_pasted_html_and_definitions_are_not_words(tmp_path: Path) -> None:
    """Word's HTML (tags and style attributes) counted as words: a two-word sentence
    scored grade 44; a raw HTML table was a 92-word sentence; a link definition was prose."""
    body = (
        '<p class="MsoNormal" style="margin-top:0cm;margin-bottom:8.0pt;line-height:107%">'
        '<span style="font-size:11.0pt;font-family:Calibri,sans-serif">Drink water.</span></p>\n\n'
        "Visit www.<wbr>example.<wbr>org today. Press <kbd>Enter</kbd> <!-- a note -->now.\n\n"
        "<table>\n<caption>Doses by age for children and for adults</caption>\n"
        "<tr><td>Children under twelve years old</td><td>Half a tablet</td></tr>\n\n"
        "<tr><td>Adults</td><td>One tablet</td></tr>\n</table>\n\n"
        'See the picture.\n\n[pic]: images/x.png "A caption"\n'
    )
    text = manuscript(body=body)
    root = make_library(tmp_path, {"a.md": text})
    from careleaf.config import Config
    from careleaf.manuscript import read_manuscript

    loaded, _ = read_manuscript(root / "manuscripts" / "a.md", Config())
    assert loaded is not None
    assert [s.text for s in sentences(loaded)] == [
        "Drink water.",
        "Visit www.example.org today.",
        "Press Enter now.",
        "See the picture.",
    ]
    assert not {"R801", "R802"} & set(codes(check(root).problems))


def test_broken_manuscripts_exit_1_naming_every_problem(tmp_path: Path) -> None:
    broken = manuscript(
        "Broken",
        "## Start\n\nSome words.\n\n#### Too deep\n\n![](images/x.png)\n",
        published="2024-06-01",
        review_due="2025-01-01",
        extra="related:\n  - not-a-slug-here",
    )
    root = make_library(tmp_path, {"broken.md": broken, "images/x.png": PNG})
    result = run_cli("check", "--today", "2026-11-25", cwd=root)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    path = str(Path("manuscripts") / "broken.md")
    for code, needle in (
        ("A501", "![](images/x.png)"),
        ("H401", "#### Too deep"),
        ("R804", "review_due:"),
        ("M107", "not-a-slug-here"),
    ):
        prefix = f"{path}:{line_of(broken, needle)}"
        assert any(line.startswith(prefix) and f"error {code}:" in line for line in lines), (
            code,
            result.stderr,
        )
    assert lines[-1] == "careleaf: stopped with 4 errors, 0 warnings; check failed."
    assert "Broken" not in result.stdout or "broken" in result.stdout  # the summary table


def test_warnings_alone_exit_0_unless_strict(tmp_path: Path) -> None:
    text = manuscript(summary=None, body=CLEAN_BODY + "\nSee [here](https://example.org).\n")
    root = make_library(tmp_path, {"a.md": text})
    relaxed = run_cli("check", "--today", "2026-11-25", cwd=root)
    assert relaxed.returncode == 0, relaxed.stderr
    assert f"{Path('manuscripts') / 'a.md'}:1: warning R807:" in relaxed.stderr
    assert "a.md" in relaxed.stdout and "Warnings" in relaxed.stdout  # the rich table
    strict = run_cli("check", "--strict", "--today", "2026-11-25", cwd=root)
    assert strict.returncode == 1
    assert "stopped with 0 errors, 2 warnings" in strict.stderr
    built = run_cli("build", "--strict", "--today", "2026-11-25", cwd=root)
    assert built.returncode == 1 and not (root / "output").exists()


def test_check_format_json(tmp_path: Path) -> None:
    text = manuscript(body=CLEAN_BODY + "\n![](images/none.png)\n")
    root = make_library(tmp_path, {"a.md": text})
    result = run_cli("check", "--format", "json", "--today", "2026-11-25", cwd=root)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False and data["errors"] == 2 and data["warnings"] == 0
    assert {(p["code"], p["line"], p["severity"]) for p in data["problems"]} == {
        ("A501", line_of(text, "none.png"), "error"),
        ("I201", line_of(text, "none.png"), "error"),
    }
    assert all(p["path"].endswith("a.md") for p in data["problems"])


def test_today_must_be_a_date(tmp_path: Path) -> None:
    result = run_cli("check", "--today", "25/11/2026", cwd=make_library(tmp_path, {}))
    assert result.returncode == 2
    assert "'25/11/2026' is not a date written YYYY-MM-DD" in result.stderr


def test_sample_library_passes_strict_check() -> None:
    result = run_cli("check", "--strict", "--today", "2026-11-25", cwd=SAMPLE)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


@pytest.mark.parametrize("alt", ["image", "IMG_2031.JPG", "photo.", "hand-2", "hand.png"])
def test_alt_text_that_says_nothing(tmp_path: Path, alt: str) -> None:
    text = manuscript(body=f"## Hands\n\n![{alt}](images/{alt.removesuffix('.png')}.png)\n")
    name = f"images/{alt.removesuffix('.png')}.png"
    root = make_library(tmp_path, {"a.md": text, name: PNG})
    assert codes(check(root).problems) == ["A502"]


@pytest.mark.parametrize("alt", ["Hand", "A hand washed with soap", "Diagram 2 of the heart"])
def test_alt_text_that_describes(tmp_path: Path, alt: str) -> None:
    text = manuscript(body=f"## Hands\n\n![{alt}](images/hand.png)\n")
    root = make_library(tmp_path, {"a.md": text, "images/hand.png": PNG})
    assert codes(check(root).problems) == []


def test_images_and_links_are_placed_on_their_own_lines(tmp_path: Path) -> None:
    body = (
        "## Pictures\n\n"
        "![][pic]\n\n"
        'Text ![](images/hand.png "A caption") and ![](images/hand.png) on one line.\n\n'
        "| a | b |\n|---|---|\n| ![](images/hand.png) | [here][ref] |\n\n"
        "See <https://example.org/a> and [here](https://example.org/b).\n\n"
        "[pic]: images/hand.png\n[ref]: https://example.org/c\n"
    )
    text = manuscript(body=body)
    root = make_library(tmp_path, {"a.md": text, "images/hand.png": PNG})
    problems = check(root).problems
    placed = sorted((p.line, p.code, p.column or 0) for p in problems if p.code[0] == "A")
    assert placed == sorted(
        [
            (line_of(text, "![][pic]"), "A501", 0),
            (line_of(text, "Text !["), "A501", 0),
            (line_of(text, "Text !["), "A501", 0),
            (line_of(text, "| ![]"), "A501", 0),
            (line_of(text, "| ![]"), "A504", line_of_column(text, "[here][ref]")),
            (line_of(text, "See <"), "A505", 5),
            (line_of(text, "See <"), "A504", line_of_column(text, "[here](")),
        ]
    )


@given(
    st.lists(
        st.lists(
            st.from_regex(r"[A-Za-z]{2,9}", fullmatch=True).filter(
                lambda word: word.lower() not in NOT_ENDS  # "Dr." does not end a sentence
            ),
            min_size=1,
            max_size=12,
        ),
        min_size=1,
        max_size=8,
    ),
    st.integers(min_value=1, max_value=4),
)
@settings(max_examples=60, deadline=None)
def test_split_sentences_finds_each_sentence_and_its_line(
    words: list[list[str]], per_line: int
) -> None:
    from careleaf.readability import Block, Piece, plain, split_sentences

    written = [" ".join(w).capitalize() + "." for w in words]
    lines = [" ".join(written[i : i + per_line]) for i in range(0, len(written), per_line)]
    block = Block("prose", tuple(Piece(10 + n, raw, plain(raw)) for n, raw in enumerate(lines)))
    found = split_sentences(block)
    assert [s.text for s in found] == written
    assert [s.line for s in found] == [10 + i // per_line for i in range(len(written))]
    for sentence in found:
        raw = lines[sentence.line - 10]
        assert raw[sentence.column - 1 :].startswith(sentence.text)


def test_line_and_paragraph_separators_are_spaces_in_check_and_build(tmp_path: Path) -> None:
    """Shift+Enter in a word processor leaves U+2028 in pasted text: YAML broke the title's
    line there, and the build (not check) refused it as a character no font has."""
    body = "## Care\n\nTake one tablet.\u2028Drink water.\u2029Rest.\n"
    text = manuscript(title="Tablets\u2028and water", body=body)
    root = make_library(tmp_path, {"sep.md": text}, NO_BRAILLE)
    line = line_of(text, "Take one")
    expected = [("M124", line, 17), ("M124", line, 30)]
    checked = check(root)
    built = check(root, write=True)
    for report in (checked, built):
        assert [(p.code, p.line, p.column) for p in report.problems] == expected
        first = report.problems[0]
        assert "(\\)" in first.hint and "U+2028 LINE SEPARATOR" in str(first)
    page = (root / "output" / "html" / "sep.html").read_text(encoding="utf-8")
    assert "Tablets and water" in page and "Take one tablet. Drink water. Rest." in page
    assert "\u2028" not in page and "\u2029" not in page


@pytest.mark.parametrize(("written", "size"), [("a4", "A4"), ("LETTER", "letter"), ("a5", "A5")])
def test_a_paper_size_in_any_case(tmp_path: Path, written: str, size: str) -> None:
    path = tmp_path / "careleaf.toml"
    path.write_text(f'[print]\npaper = "{written}"\n', encoding="utf-8")
    config, problems = load_config(path)
    assert problems == [] and config.print.paper == size
