"""Leaflets read nothing outside the project: manuscripts and layouts are untrusted.

markup.py refuses a manuscript's image outside the manuscripts folder or on the web
(the first line of defence); the leaflet's URL fetcher is the second, and refuses
whatever a layout or stylesheet points at outside the project. WeasyPrint only logs
a resource it could not get: careleaf turns that into a problem with a place.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT
from library_maker import NO_BRAILLE, PNG, TODAY

from careleaf.build import BuildOptions, build
from careleaf.fetcher import Missing, Refused, SafeFetcher
from careleaf.glyphs import foreign_fonts
from careleaf.problems import Problem

SECRET = b"SECRET-BYTES-THAT-MUST-NOT-LEAK"
ARTICLE = (
    "---\ntitle: Flu\npublished: 2026-01-05\nsummary: About flu.\n---\n\n"
    "## What flu is\n\nFlu is a virus.\n\n![A picture of a tissue](images/ok.png)\n"
)


def project(tmp_path: Path, body: str = ARTICLE, config: str = "") -> Path:
    root = tmp_path / "clinic"
    (root / "manuscripts" / "images").mkdir(parents=True)
    (root / "manuscripts" / "images" / "ok.png").write_bytes(PNG)
    (root / "manuscripts" / "flu.md").write_text(body, encoding="utf-8")
    (root / "careleaf.toml").write_text(config, encoding="utf-8")
    (tmp_path / "secret.png").write_bytes(SECRET)
    return root


def run(root: Path) -> tuple[list[Problem], Path]:
    output = root / "output"
    options = BuildOptions(
        root / "manuscripts", output=output, config=root / "careleaf.toml", today=TODAY
    )
    report = build(options)
    return list(report.problems), output


def leaked(output: Path) -> list[Path]:
    if not output.exists():
        return []
    return [p for p in output.rglob("*") if p.is_file() and SECRET in p.read_bytes()]


# --- the fetcher, directly ---------------------------------------------------------------


def test_the_fetcher_serves_a_file_inside_its_folders(tmp_path: Path) -> None:
    root = project(tmp_path)
    image = root / "manuscripts" / "images" / "ok.png"
    assert SafeFetcher([root / "manuscripts"]).fetch(image.as_uri()) == PNG


@pytest.mark.parametrize(
    "address",
    [
        "http://example.com/tracker.png",
        "https://example.com/tracker.png",
        "ftp://example.com/x.png",
        "data:text/css;base64,Ym9keXt9",
        "data:image/svg+xml;base64,PHN2Zy8+",
        "file://otherhost/share/x.png",
    ],
)
def test_the_fetcher_refuses_other_schemes_and_hosts(tmp_path: Path, address: str) -> None:
    root = project(tmp_path)
    with pytest.raises(Refused):
        SafeFetcher([root / "manuscripts"]).fetch(address)


def test_the_fetcher_refuses_files_outside_its_folders(tmp_path: Path) -> None:
    root = project(tmp_path)
    fetcher = SafeFetcher([root / "manuscripts"])
    secret = tmp_path / "secret.png"
    for address in (
        secret.as_uri(),
        (root / "manuscripts").as_uri() + "/../../secret.png",
        "file:///etc/passwd",
    ):
        with pytest.raises(Refused):
            fetcher.fetch(address)


def test_the_fetcher_follows_no_symbolic_link_out_of_its_folders(tmp_path: Path) -> None:
    root = project(tmp_path)
    link = root / "manuscripts" / "images" / "link.png"
    link.symlink_to(tmp_path / "secret.png")
    with pytest.raises(Refused):
        SafeFetcher([root / "manuscripts"]).fetch(link.as_uri())


def test_the_fetcher_reports_a_missing_file(tmp_path: Path) -> None:
    root = project(tmp_path)
    with pytest.raises(Missing):
        SafeFetcher([root / "manuscripts"]).fetch((root / "manuscripts" / "no.png").as_uri())


# --- manuscripts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "code"),
    [
        ("../../secret.png", "I202"),
        ("https://example.com/tracker.png", "I202"),
        ("images/missing.png", "I201"),
        ("images/link.png", "I202"),
    ],
)
def test_a_manuscript_image_outside_on_the_web_or_missing_is_refused(
    tmp_path: Path, src: str, code: str
) -> None:
    root = project(tmp_path, ARTICLE + f"\n![A bad picture]({src})\n")
    (root / "manuscripts" / "images" / "link.png").symlink_to(tmp_path / "secret.png")
    problems, output = run(root)
    assert [(p.code, p.line) for p in problems] == [(code, 13)]
    assert not output.exists()
    assert leaked(output) == []


# --- layouts: the fetcher as the second line of defence ------------------------------------


def override(root: Path, name: str, text: str) -> None:
    folder = root / "mine"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def css_with(extra: str) -> str:
    css = (ROOT / "layouts" / "leaflet.css").read_text(encoding="utf-8")
    return extra + "\n" + css if extra.startswith("@import") else css + "\n" + extra + "\n"


@pytest.mark.parametrize(
    ("rule", "code"),
    [
        ('body { background: url("../../secret.png"); }', "P601"),
        ('body { background: url("SECRET_URI"); }', "P601"),
        ('body { background: url("https://example.com/tracker.png"); }', "P601"),
        ('@import url("https://example.com/more.css");', "P601"),
        ('body { background: url("nothing-here.png"); }', "P602"),
    ],
)
def test_a_stylesheet_pointing_outside_the_project_is_refused(
    tmp_path: Path, rule: str, code: str
) -> None:
    root = project(tmp_path, config="layouts = 'mine'\n")
    rule = rule.replace("SECRET_URI", (tmp_path / "secret.png").as_uri())
    override(root, "leaflet.css", css_with(rule))
    problems, output = run(root)
    assert {p.code for p in problems} == {code}
    assert all(p.path.endswith("leaflet.css") for p in problems)
    assert not output.exists()


def test_a_layout_image_pointing_at_the_web_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path, config="layouts = 'mine'\n")
    html = (ROOT / "layouts" / "leaflet.html").read_text(encoding="utf-8")
    html = html.replace("<article>", '<img src="https://example.com/pixel.png" alt="x"><article>')
    override(root, "leaflet.html", html)
    problems, output = run(root)
    assert [p.code for p in problems] == ["P601"]  # once, for both editions
    assert all(p.path.endswith("leaflet.html") for p in problems)
    assert not output.exists()


def test_what_weasyprint_logs_as_an_error_is_a_problem(tmp_path: Path) -> None:
    root = project(tmp_path, config="layouts = 'mine'\n")
    html = (ROOT / "layouts" / "leaflet.html").read_text(encoding="utf-8")
    html = html.replace("<article>", '<img src="images/ok.png"><article>')  # no alt
    override(root, "leaflet.html", html)
    problems, _ = run(root)
    assert {p.code for p in problems} == {"P604"}
    assert "alt" in problems[0].message


def test_a_character_no_leaflet_font_has_is_a_problem(tmp_path: Path) -> None:
    body = ARTICLE.replace("Flu is a virus.", "Flu is a virus.\n\nIn Japanese: 風邪.")
    root = project(tmp_path, body, NO_BRAILLE)  # braille's own problem (B954) is not tested here
    problems, output = run(root)
    assert [(p.code, p.line) for p in problems] == [("P603", 11), ("P603", 11)]
    assert {"風", "邪"} <= set("".join(p.message for p in problems))
    assert not output.exists()


def test_a_style_rule_weasyprint_ignores_is_a_warning(tmp_path: Path) -> None:
    root = project(tmp_path, config="layouts = 'mine'\n")
    override(root, "leaflet.css", css_with("body { colr: red; }"))
    problems, output = run(root)
    assert {(p.code, p.severity.value) for p in problems} == {("P605", "warning")}
    assert "colr" in problems[0].message and problems[0].path.endswith("leaflet.css")
    assert (output / "leaflets" / "flu.pdf").is_file()  # a warning does not stop the build


@pytest.mark.parametrize("name", ["Riverside 診療所", "Riverside \u0532"])
def test_a_character_of_the_clinics_details_no_font_has_is_a_problem(
    tmp_path: Path, name: str
) -> None:
    """Nothing from the computer's fonts: a character careleaf's fonts lack anywhere in
    the leaflet (here in the clinic's name) stops the build, whether the computer has a
    font for it (its DejaVu Sans has the Armenian letter) or none (for the Japanese); the
    problem is at the clinic's name in careleaf.toml, where the character was written."""
    root = project(tmp_path, config=f'[clinic]\nname = "{name}"\n' + NO_BRAILLE)
    problems, output = run(root)
    assert {p.code for p in problems} == {"P603"}
    assert {(p.path, p.line, p.column) for p in problems} >= {
        (str(root / "careleaf.toml"), 2, len('name = "Riverside ') + 1)
    }
    assert not output.exists()


def test_a_list_marker_no_font_has_is_found_in_the_rendered_leaflet(tmp_path: Path) -> None:
    """What checks cannot see, a counter style of a clinic's own stylesheet drawn in
    characters no font has, is still caught in the rendered leaflet, at the stylesheet."""
    root = project(tmp_path, ARTICLE + "\n- one\n- two\n", config="layouts = 'mine'\n")
    override(root, "leaflet.css", css_with("ul { list-style-type: cjk-decimal; }"))
    problems, output = run(root)
    # each character once, not once for each edition
    assert [(p.code, Path(p.path).name) for p in problems] == [("P603", "leaflet.css")] * 3
    messages = " ".join(p.message for p in problems)
    assert "'一' (U+4E00 CJK UNIFIED IDEOGRAPH-4E00)" in messages and "'二'" in messages
    assert "list marker" in messages
    assert not output.exists()


def test_code_and_stray_control_characters_use_no_computer_font(tmp_path: Path) -> None:
    """The browser default for `code` is the computer's monospace font; a stray control
    character has no glyph anywhere. Neither reaches the leaflet."""
    body = ARTICLE.replace(
        "Flu is a virus.", "Type `flu` in the search box.\x7f Flu \ufffe is a virus."
    )
    root = project(tmp_path, body)
    problems, output = run(root)
    assert [p.code for p in problems] == ["M124", "M124"]  # removed, with a warning each
    assert foreign_fonts((output / "leaflets" / "flu.pdf").read_bytes()) == {}


def test_a_layouts_links_lead_only_to_web_pages_mail_and_phones(tmp_path: Path) -> None:
    """A layout's link to javascript:, file: or a relative address (which WeasyPrint makes
    a file: address) was published as a PDF link action; it now does nothing."""
    import pikepdf

    root = project(tmp_path, config="layouts = 'mine'\n" + NO_BRAILLE)
    html = (ROOT / "layouts" / "leaflet.html").read_text(encoding="utf-8")
    links = "".join(
        f'<p><a href="{href}">link {n}</a></p>'
        for n, href in enumerate(
            ["javascript:app.alert(1)", "file:///etc/passwd", "../../../../etc/passwd",
             "smb://host/share", "https://example.org/ok", "tel:+441234567890"]
        )
    )  # fmt: skip
    override(root, "leaflet.html", html.replace("<article>", f"<article>{links}"))
    problems, output = run(root)
    assert not [p for p in problems if p.severity.value == "error"], problems
    with pikepdf.open(output / "leaflets" / "flu.pdf") as pdf:
        uris = [
            str(a.A.URI)
            for page in pdf.pages
            for a in page.obj.get("/Annots", [])
            if "/A" in a and a.A.get("/S") == pikepdf.Name.URI
        ]
    assert "https://example.org/ok" in uris and "tel:+441234567890" in uris
    assert all(u.startswith(("http:", "https:", "mailto:", "tel:")) for u in uris), uris
