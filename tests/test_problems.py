"""Every problem code, triggered where it should be, and what the editor then sees."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE, run_cli
from library_maker import PNG, TODAY

from careleaf.build import BuildOptions, build
from careleaf.problems import CODES, Problem

GOOD = (
    "---\ntitle: Flu\npublished: 2026-01-05\nsummary: About flu.\n---\n\n"
    "## What flu is\n\nFlu is a virus.\n"
)


def project(tmp_path: Path, manuscripts: dict[str, str | bytes], config: str = "") -> Path:
    root = tmp_path / "clinic"
    (root / "manuscripts" / "images").mkdir(parents=True)
    (root / "manuscripts" / "images" / "ok.png").write_bytes(PNG)
    (root / "careleaf.toml").write_text(config, encoding="utf-8")
    for name, content in manuscripts.items():
        target = root / "manuscripts" / name
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return root


def problems_of(root: Path, write: bool = False) -> list[Problem]:
    options = BuildOptions(
        manuscripts=root / "manuscripts",
        output=root / "output",
        config=root / "careleaf.toml",
        write=write,
        today=TODAY,
    )
    return list(build(options).problems)


def front(extra: str = "", body: str = "## About\n\nText.\n", title: str = "Flu") -> str:
    return f"---\ntitle: {title}\npublished: 2026-01-05\n{extra}---\n\n{body}"


# (code, manuscripts, config, file the problem is in, line)
CASES: list[tuple[str, dict[str, str | bytes], str, str, int]] = [
    ("M101", {"a.md": "---\ntitle: [Flu\npublished: 2026-01-05\n---\n"}, "", "a.md", 3),
    # not closed: the '---' belongs below line 3, before the body
    ("M101", {"a.md": "---\ntitle: Flu\npublished: 2026-01-05\n\nBody\n"}, "", "a.md", 3),
    ("M101", {"a.md": "Just text, no front matter.\n"}, "", "a.md", 1),
    ("M102", {"a.md": "---\npublished: 2026-01-05\n---\nBody\n"}, "", "a.md", 1),
    ("M102", {"a.md": "---\ntitle: Flu\n---\nBody\n"}, "", "a.md", 1),
    ("M103", {"a.md": "---\ntitle: Flu\npublished: 2026-02-30\n---\nBody\n"}, "", "a.md", 3),
    ("M103", {"a.md": front("updated: 5 May 2026\n")}, "", "a.md", 4),
    ("M133", {"a.md": front("updated: 2025-01-05\n")}, "", "a.md", 4),
    ("M133", {"a.md": front("summary: Flu.\nreview_due: 2026-01-04\n")}, "", "a.md", 5),
    ("M104", {"a.md": front("tags:\n  first: 1\n")}, "", "a.md", 4),
    ("M104", {"a.md": front("sources:\n  - https://example.org\n")}, "", "a.md", 4),
    ("M104", {"a.md": front("order: first\n")}, "", "a.md", 4),
    ("M105", {"a.md": front("slug: Flu Jab\n")}, "", "a.md", 4),
    ("M115", {"Flu Jab.md": front()}, "", "Flu Jab.md", 1),  # the slug 'flu-jab' is made
    ("M105", {"¿¡.md": front()}, "", "¿¡.md", 1),  # no letters to make a slug from
    ("M114", {"a.md": front(title="Step #1 care")}, "", "a.md", 2),
    ("M105", {"index.md": front()}, "", "index.md", 1),
    ("M101", {"a.md": front("updated: &a 2026-01-02\nreview_due: *a\n")}, "", "a.md", 5),
    ("M104", {"a.md": '---\ntitle: "Nul\\x00"\npublished: 2026-01-05\n---\n'}, "", "a.md", 2),
    (
        "I204",
        {"a.md": front(body="## Look\n\nSee [that page](//evil.example/x).\n")},
        "",
        "a.md",
        8,
    ),
    (
        "M106",
        {"a.md": front("slug: flu\n"), "b.md": front("slug: flu\n", title="B")},
        "",
        "b.md",
        4,
    ),
    (
        "M107",
        {"a.md": front("related:\n  - b\n  - nowhere\n"), "b.md": front(title="B")},
        "",
        "a.md",
        6,
    ),
    ("M108", {"a.md": front("colour: blue\n")}, "", "a.md", 4),
    ("M109", {"a.md": b"---\ntitle: Gr\xe9ve\npublished: 2026-01-05\n---\n"}, "", "a.md", 2),
    ("M111", {"a.md": front("related:\n  - a\n")}, "", "a.md", 5),
    ("M112", {"a.md": front("lang: english please\n")}, "", "a.md", 4),
    (
        "I201",
        {"a.md": front(body="## Look\n\nText.\n\n![A rash](images/rash.png)\n")},
        "",
        "a.md",
        10,
    ),
    (
        "I202",
        {"a.md": front(body="## Look\n\n![A rash](https://example.org/r.png)\n")},
        "",
        "a.md",
        8,
    ),
    ("I202", {"a.md": front(body="## Look\n\n![Secret](../careleaf.toml)\n")}, "", "a.md", 8),
    ("I202", {"a.md": front(body="## Look\n\n![Secret](/etc/hostname)\n")}, "", "a.md", 8),
    ("I203", {"a.md": front(body="## Look\n\nSee [the flu page](flu.md).\n")}, "", "a.md", 8),
    (
        "I204",
        {"a.md": front(body="## Look\n\nSee [this page](javascript:alert(1)).\n")},
        "",
        "a.md",
        8,
    ),
    ("H401", {"a.md": front(body="## About\n\nText.\n\n#### Deep\n\nMore.\n")}, "", "a.md", 10),
    (
        "H401",
        {"a.md": front(body='## About\n\n```\n## code\n```\n\nIt\'s "set"\n------\n\n#### Deep\n')},
        "",
        "a.md",
        15,
    ),
    ("H402", {"a.md": front(body="## About\n\nText.\n\n##\n\nMore.\n")}, "", "a.md", 10),
    ("H403", {"a.md": front(body="# Another title\n\nText.\n")}, "", "a.md", 6),
    ("A501", {"a.md": front(body="## Look\n\n![](images/ok.png)\n")}, "", "a.md", 8),
    ("A502", {"a.md": front(body="## Look\n\n![image](images/ok.png)\n")}, "", "a.md", 8),
    (
        "A503",
        {"a.md": front(body=f"## Look\n\n![{'A hand. ' * 40}](images/ok.png)\n")},
        "",
        "a.md",
        8,
    ),
    (
        "A504",
        {"a.md": front(body="## Look\n\nSee [click here](https://example.org).\n")},
        "",
        "a.md",
        8,
    ),
    ("A505", {"a.md": front(body="## Look\n\nSee <https://example.org/flu>.\n")}, "", "a.md", 8),
    ("A506", {"a.md": front(body="## Look\n\nSee [that part](#nowhere).\n")}, "", "a.md", 8),
    ("A507", {"a.md": front("lang: xx\n")}, "", "a.md", 4),
    (
        "R801",
        {
            "a.md": front(
                body="## About\n\nImmunocompromised individuals necessitate "
                "comprehensive multidisciplinary pharmacological evaluation.\n"
            )
        },
        "",
        "a.md",
        6,
    ),
    (
        "R802",
        {"a.md": front(body="## About\n\n" + "Flu is a virus and " * 8 + "more.\n")},
        "",
        "a.md",
        8,
    ),
    ("R803", {"a.md": front(body="## About\n\nDo NOT eat.\n")}, "", "a.md", 8),
    ("R806", {"a.md": front(), "b.md": front()}, "", "b.md", 2),
    ("R807", {"a.md": front()}, "", "a.md", 1),
    ("R808", {"a.md": front(body="")}, "", "a.md", 5),
    ("C101", {"a.md": GOOD}, "[clinic]\nname = 'Open\n", "careleaf.toml", 2),
    (
        "C102",
        {"a.md": GOOD},
        "[collection]\ntitle = 'X'\nreview_months = 'two'\n",
        "careleaf.toml",
        3,
    ),
    ("C102", {"a.md": GOOD}, "clinic = 'Riverside'\n", "careleaf.toml", 1),
    ("C103", {"a.md": GOOD}, "[clinic]\nname = 'X'\nfax = '123'\n", "careleaf.toml", 3),
    ("C103", {"a.md": GOOD}, "[colours]\nmain = 'red'\n", "careleaf.toml", 1),
    ("C104", {"a.md": GOOD}, "[print]\npaper = 'B5'\n", "careleaf.toml", 2),
    ("C104", {"a.md": GOOD}, "[theme]\naccent = '#ffcc00'\n", "careleaf.toml", 2),
    ("C104", {"a.md": GOOD}, "[collection]\nbase_url = 'www.x.org'\n", "careleaf.toml", 2),
    ("C104", {"a.md": GOOD}, "[clinic]\nwebsite = 'javascript:alert(1)'\n", "careleaf.toml", 2),
    (
        "C104",
        {"a.md": GOOD},
        "[clinic]\nname = 'X'\nemail = 'x\" onclick=\"y'\n",
        "careleaf.toml",
        3,
    ),
    ("C104", {"a.md": GOOD}, "[clinic]\nphone = '<b>0800</b>'\n", "careleaf.toml", 2),
    ("W901", {"a.md": front("translations:\n  - gripe\n")}, "", "a.md", 5),
    ("W901", {"a.md": front("slug: flu\ntranslations: [flu]\n")}, "", "a.md", 5),
    (
        "W901",
        {"a.md": front("translations:\n  - b\n"), "b.md": front("draft: true\n", title="B")},
        "",
        "a.md",
        5,
    ),
    (
        "W902",
        {
            "a.md": front("lang: es\n", title="Gripe"),
            "b.md": front("lang: es\ntranslations: [a]\n", title="Gripe B"),
        },
        "",
        "b.md",
        5,
    ),
    ("C105", {"a.md": GOOD}, "layouts = 'my-layouts'\n", "careleaf.toml", 1),
    (
        "C113",
        {"a.md": GOOD},
        "[clinic]\nname = 'X'\nlogo = 'logo.png'\nlogo_alt = 'X'\n",
        "careleaf.toml",
        3,
    ),
    (
        "C113",
        {"a.md": GOOD},
        "[clinic]\nlogo = '../../etc/logo.png'\nlogo_alt = 'X'\n",
        "careleaf.toml",
        2,
    ),
    ("C114", {"a.md": GOOD}, "[clinic]\nlogo = 'manuscripts/images/ok.png'\n", "careleaf.toml", 2),
    (
        "C115",
        {"a.md": GOOD},
        "[clinic]\nlogo_alt = 'X'\nlogo = 'manuscripts/a.md'\n",
        "careleaf.toml",
        3,
    ),
    ("M140", {"a.md": front("reference: RCC 042!\n")}, "", "a.md", 4),
    ("M140", {"a.md": front("reference: [RCC, 1]\n")}, "", "a.md", 4),
    (
        "M141",
        {"a.md": front("reference: RCC-1\n"), "b.md": front("reference: rcc-1\n", title="B")},
        "",
        "b.md",
        4,
    ),
    ("B953", {"a.md": front("lang: de\n")}, "", "a.md", 4),  # no braille table for German
    ("C105", {"a.md": GOOD}, "\nlayouts = '/'\n", "careleaf.toml", 2),
]


@pytest.mark.parametrize(
    ("code", "manuscripts", "config", "where", "line"),
    CASES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)],
)
def test_problem_is_reported_where_it_is(
    tmp_path: Path,
    code: str,
    manuscripts: dict[str, str | bytes],
    config: str,
    where: str,
    line: int,
) -> None:
    root = project(tmp_path, manuscripts, config)
    found = [p for p in problems_of(root) if p.code == code]
    assert found, f"no {code} in {problems_of(root)}"
    assert found[0].path.endswith(where)
    assert found[0].line == line
    assert re.fullmatch(rf".+:{line}(:\d+)?: (error|warning) {code}: \S.*", str(found[0]))


def test_links_out_of_the_manuscripts_folder_are_refused(tmp_path: Path) -> None:
    outside = tmp_path / "secret"
    outside.mkdir()
    (outside / "notes.md").write_text(GOOD, encoding="utf-8")
    (outside / "photo.png").write_bytes(PNG)
    root = project(tmp_path, {"a.md": front(body="## Look\n\n![A photo](images/link.png)\n")})
    (root / "manuscripts" / "images" / "link.png").symlink_to(outside / "photo.png")
    (root / "manuscripts" / "linked.md").symlink_to(outside / "notes.md")
    found = {(Path(p.path).name, p.code, p.line) for p in problems_of(root)}
    assert found - {("a.md", "R807", 1)} == {("a.md", "I202", 8), ("linked.md", "M113", 1)}


SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">{}</svg>'


@pytest.mark.parametrize(
    "inside",
    [
        "<script>alert(1)</script>",
        '<rect width="5" height="5" onload="alert(1)"/>',
        "<foreignObject><iframe xmlns='http://www.w3.org/1999/xhtml'/></foreignObject>",
        '<image xlink:href="https://example.org/x.png"/>',
        '<use href="/etc/hostname#x"/>',
        "<style>rect { fill: url(https://example.org/x) }</style>",
    ],
    ids=["script", "event", "foreign", "web-image", "file-use", "style-url"],
)
def test_svg_images_with_active_or_outside_content_are_refused(tmp_path: Path, inside: str) -> None:
    root = project(tmp_path, {"a.md": front(body="## Look\n\n![A drawing](images/d.svg)\n")})
    (root / "manuscripts" / "images" / "d.svg").write_text(SVG.format(inside))
    found = [(p.code, p.line) for p in problems_of(root) if p.severity == "error"]
    assert found == [("I205", 8)]


def test_an_svg_that_is_not_well_formed_is_not_a_readable_picture(tmp_path: Path) -> None:
    root = project(tmp_path, {"a.md": front(body="## Look\n\n![A drawing](images/d.svg)\n")})
    (root / "manuscripts" / "images" / "d.svg").write_text(SVG.format("<rect"))
    found = [p for p in problems_of(root) if p.severity == "error"]
    assert [(p.code, p.line) for p in found] == [("I211", 8)]
    assert "is not a readable SVG drawing: it is not readable XML" in found[0].message


def test_a_plain_svg_drawing_is_accepted(tmp_path: Path) -> None:
    root = project(tmp_path, {"a.md": front(body="## Look\n\n![A drawing](images/d.svg)\n")})
    drawing = '<defs><linearGradient id="g"/></defs><rect fill="url(#g)" width="5" height="5"/>'
    (root / "manuscripts" / "images" / "d.svg").write_text(SVG.format(drawing))
    assert [p for p in problems_of(root) if p.severity == "error"] == []


def test_check_finds_an_image_e_readers_cannot_show(tmp_path: Path) -> None:
    root = project(tmp_path, {"a.md": front(body="## Look\n\n![A rash](images/r.tiff)\n")})
    (root / "manuscripts" / "images" / "r.tiff").write_bytes(b"II*\x00")
    found = [(p.code, p.line) for p in problems_of(root) if p.severity == "error"]
    assert found == [("E703", 8)]


def test_dates_far_ahead_do_not_break_the_review_date(tmp_path: Path) -> None:
    root = project(tmp_path, {"a.md": front().replace("2026-01-05", "9999-12-31")})
    assert [p.code for p in problems_of(root) if p.severity == "error"] == []


def test_an_edited_manifest_never_deletes_files_outside_the_output(tmp_path: Path) -> None:
    root = project(tmp_path, {"a.md": GOOD})
    victim = tmp_path / "victim.txt"
    victim.write_text("the clinic's own file")
    assert run_cli(cwd=root).returncode == 0
    state = root / "output" / ".careleaf" / "state.json"
    data = json.loads(state.read_text(encoding="utf-8"))
    record = next(iter(data["files"].values()))
    for name in (str(victim), "../../victim.txt", "html/../../../victim.txt"):
        data["files"][name] = record
    state.write_text(json.dumps(data), encoding="utf-8")
    old = root / "output" / ".careleaf-files"  # what careleaf 0.1 kept
    old.write_text(f"{victim}\n../../victim.txt\n", encoding="utf-8")
    assert run_cli(cwd=root).returncode == 0
    assert victim.read_text() == "the clinic's own file"


def test_empty_or_missing_manuscripts_folder(tmp_path: Path) -> None:
    root = project(tmp_path, {})
    assert [p.code for p in problems_of(root)] == ["M110"]
    options = BuildOptions(
        manuscripts=tmp_path / "nowhere", output=tmp_path / "out", config=tmp_path / "careleaf.toml"
    )
    assert [p.code for p in build(options).problems] == ["M110"]


def test_a_broken_layout_override_is_a_problem(tmp_path: Path) -> None:
    root = project(tmp_path, {"a.md": GOOD}, "layouts = 'mine'\n")
    (root / "mine").mkdir()
    (root / "mine" / "article.html").write_text("{% extends 'base.html' %}\n{% block main %\n")
    found = problems_of(root, write=True)
    assert [p.code for p in found] == ["L301"]
    assert found[0].path.endswith("article.html") and found[0].line == 2


def test_a_layout_cannot_include_a_file_outside_its_folder(tmp_path: Path) -> None:
    root = project(tmp_path, {"a.md": GOOD}, "layouts = 'mine'\n")
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the pages")
    (root / "mine").mkdir()
    (root / "mine" / "notes.txt").symlink_to(secret)
    (root / "mine" / "article.html").write_text("{% include 'notes.txt' %}\n")
    found = problems_of(root, write=True)
    assert [p.code for p in found] == ["L301"] and "outside the layouts folder" in found[0].message
    assert not (root / "output").exists()


@pytest.mark.parametrize(
    "expression",
    [
        "lipsum.__globals__.os.popen('touch RAN').read()",
        "cycler.__init__.__globals__.os.system('touch RAN')",
        "self._TemplateReference__context.cycler.__init__.__globals__.os",
        "''.__class__.__mro__[1].__subclasses__()",
        "config.__class__.__init__.__globals__['__builtins__']['open']('/etc/hostname').read()",
    ],
)
def test_a_layout_runs_no_code_and_reaches_nothing_outside_its_data(
    tmp_path: Path, expression: str
) -> None:
    """A layout is a template, not a program: Jinja's sandbox refuses what reaches
    Python's insides (the ways out of an ordinary Jinja template), and the layout is an L301."""
    root = project(tmp_path, {"a.md": GOOD}, "layouts = 'mine'\n")
    (root / "mine").mkdir()
    page = f"{{% extends 'base.html' %}}{{% block main %}}{{{{ {expression} }}}}{{% endblock %}}\n"
    (root / "mine" / "article.html").write_text(page)
    found = problems_of(root, write=True)
    assert [p.code for p in found] == ["L301"]
    assert found[0].path.endswith("article.html") and "unsafe" in found[0].message
    assert not list(tmp_path.rglob("RAN")) and not list(Path.cwd().glob("RAN"))
    assert not (root / "output").exists()


def test_an_unwritable_output_is_a_problem(tmp_path: Path) -> None:
    root = project(tmp_path, {"a.md": GOOD})
    (root / "output").write_text("a file where the output folder should be")
    found = problems_of(root, write=True)
    assert [p.code for p in found] == ["L302"]


def test_every_code_is_tested_and_documented() -> None:
    tested = {case[0] for case in CASES} | {"M110", "M113", "I205", "L301", "L302"}
    tested |= {"A508", "R804", "R805"}  # in tests/test_checks.py (a layouts folder, --today)
    tested |= {"E701", "E702", "E703", "E704"}  # in test_ebook.py (made when writing)
    tested |= {"P601", "P602", "P603", "P604", "P605"}  # in test_leaflet_safety.py
    tested |= {"L305"}  # in test_engine.py (two builds at once)
    tested |= {"L310", "L311", "L312", "L313", "L314"}  # in test_cluster.py (Dask)
    tested |= {"M130", "M131", "M132"}  # in test_callouts.py
    tested |= {"M120", "M121", "M122", "M123", "M124", "M125", "M126", "M127", "M128", "M129"}
    tested |= {"I206", "I207", "I208", "I209"}  # these in test_hostile.py
    tested |= {"P606"}  # in test_glyphs.py
    tested |= {"P607"}  # in test_overflow.py (a table of forty columns)
    tested |= {"I210", "I211", "I212", "I213", "I215", "I216", "I217"}  # test_image_safety.py
    tested |= {"I214"}  # in test_images.py
    tested |= {"C116"}  # in test_paper.py (a logo of too few pixels)
    tested |= {"C110", "C111", "C112", "C123", "C124"}  # in test_clinic_fonts.py
    tested |= {"B951", "B952", "B954", "B955"}  # in test_braille.py
    assert set(CODES) - tested == set()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `?([A-Z]\d{3})`? \|", readme, re.MULTILINE))
    assert documented == set(CODES)


BROKEN = {
    "invalid-yaml.md": "---\ntitle: 'Unclosed\npublished: 2026-01-05\n---\nBody\n",
    "no-title.md": "---\npublished: 2026-01-05\n---\n\n## A\n\nBody.\n",
    "bad-date.md": "---\ntitle: Bad date\npublished: 2026-13-45\n---\n\n## A\n\nBody.\n",
    "dup-one.md": front("slug: same\n", title="One"),
    "dup-two.md": front("slug: same\n", title="Two"),
    "unknown-related.md": front("related:\n  - not-here\n", title="Related"),
    "missing-image.md": front(body="## A\n\n![A chart](images/nothing.png)\n", title="Img"),
}


def test_broken_library_stops_with_every_problem_and_keeps_the_last_good_output(
    tmp_path: Path,
) -> None:
    root = project(tmp_path, {"good.md": GOOD})
    assert run_cli("--output", "output", cwd=root).returncode == 0
    before = {p: p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()}
    for name, content in BROKEN.items():
        (root / "manuscripts" / name).write_text(content, encoding="utf-8")
    result = run_cli(cwd=root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if " error " in line]
    expected = {
        ("invalid-yaml.md", "M101"),
        ("no-title.md", "M102"),
        ("bad-date.md", "M103"),
        ("dup-two.md", "M106"),
        ("unknown-related.md", "M107"),
        ("missing-image.md", "I201"),
    }
    shape = re.compile(r"manuscripts/([\w-]+\.md):(\d+)(?::\d+)?: error ([A-Z]\d{3}): \S.*")
    seen = set()
    for line in lines:
        match = shape.fullmatch(line)
        assert match, line
        seen.add((match.group(1), match.group(3)))
    assert expected <= seen
    after = {p: p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()}
    assert after == before


def test_sample_library_has_no_problems() -> None:
    result = run_cli("check", "--strict", "--today", "2026-11-25", cwd=SAMPLE)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
