"""The web edition in a real browser (Debian's Chromium, tests/browsing.py): every page
of the sample library and of the web test library (English, Spanish, Arabic; tables,
footnotes, figures, callouts), and the build report, served over HTTP.

Each page is loaded once per window: 320 px (a small phone), 1280 px, and 1280 px at
400 % zoom (320 CSS pixels, four device pixels each). On each load: axe-core (at 320
and 1280 px), sideways overflow (at 320 px and at 400 %), and any Content-Security-
Policy violation or console error. Then the keyboard, and the index page's search
with JavaScript on and off. The time it takes is printed (pytest -s).
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browsing import OVERFLOW, axe_violations, focus_problems, served, with_axe
from conftest import WEB

WINDOWS = {  # name -> (width, height, device pixels per CSS pixel)
    "320 px": (320, 640, 1),
    "1280 px": (1280, 800, 1),
    "1280 px at 400 %": (320, 200, 4),
}
AXE = ("320 px", "1280 px")
OVERFLOW_WINDOWS = ("320 px", "1280 px at 400 %")
WATCH = """() => { window.__csp = []; document.addEventListener('securitypolicyviolation',
  (e) => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'))); }"""


def pages_of(output: Path) -> list[str]:
    """Every page of the web edition, and the report, as paths inside ``output``."""
    pages = sorted(p.relative_to(output).as_posix() for p in (output / "html").rglob("*.html"))
    return [*pages, "report.html"]


def _listen(page: Any) -> list[str]:
    """The page's console errors and failed requests, as they come."""
    messages: list[str] = []

    def console(message: Any) -> None:
        if message.type == "error":
            messages.append(message.text)

    def response(answer: Any) -> None:
        if answer.status >= 400 and not answer.url.endswith("/favicon.ico"):
            messages.append(f"{answer.status} {answer.url}")

    page.on("console", console)
    page.on("response", response)
    return messages


def visit(browser: Any, output: Path) -> dict[str, dict[str, dict[str, Any]]]:
    """What each page showed in each window: axe's violations, what sticks out, CSP
    violations and console errors."""
    found: dict[str, dict[str, dict[str, Any]]] = {}
    with served(output) as address:
        for window, (width, height, scale) in WINDOWS.items():
            context = browser.new_context(
                viewport={"width": width, "height": height}, device_scale_factor=scale
            )
            context.add_init_script(f"({WATCH})()")
            if window in AXE:
                with_axe(context)
            page = context.new_page()
            messages = _listen(page)
            for name in pages_of(output):
                messages.clear()
                page.goto(address + name, wait_until="load")
                seen: dict[str, Any] = {"overflow": page.evaluate(OVERFLOW)}
                seen["axe"] = axe_violations(page) if window in AXE else []
                seen["csp"] = page.evaluate("() => window.__csp")
                # a missing file is known by its response (the browser's own favicon
                # request is not the site's)
                seen["console"] = [m for m in messages if not m.startswith("Failed to load")]
                found.setdefault(name, {})[window] = seen
            context.close()
    return found


@pytest.fixture(scope="module")
def visits(browser: Any, sample_output: Path, web_output: Path) -> Iterator[dict[str, Any]]:
    started = time.monotonic()
    found = {"sample": visit(browser, sample_output), "web": visit(browser, web_output)}
    loads = sum(len(p) for library in found.values() for p in library.values())
    print(f"\nbrowser: {loads} page loads in {time.monotonic() - started:.1f} s")
    yield found


@pytest.mark.parametrize("library", ["sample", "web"])
def test_no_axe_violation_at_320_and_1280_px(visits: dict[str, Any], library: str) -> None:
    pages = visits[library]
    assert len(pages) >= 10
    found = {
        f"{name} at {window}": seen["axe"]
        for name, windows in pages.items()
        for window, seen in windows.items()
        if seen["axe"]
    }
    assert found == {}


@pytest.mark.parametrize("library", ["sample", "web"])
def test_no_page_scrolls_sideways(visits: dict[str, Any], library: str) -> None:
    found = {}
    for name, windows in visits[library].items():
        for window in OVERFLOW_WINDOWS:
            overflow = windows[window]["overflow"]
            if overflow["scroll"] > overflow["width"] or overflow["wide"]:
                found[f"{name} at {window}"] = overflow
    assert found == {}


@pytest.mark.parametrize("library", ["sample", "web"])
def test_no_csp_violation_or_console_error(visits: dict[str, Any], library: str) -> None:
    found = {
        f"{name} at {window}": seen["csp"] + seen["console"]
        for name, windows in visits[library].items()
        for window, seen in windows.items()
        if seen["csp"] or seen["console"]
    }
    assert found == {}


def test_the_fonts_are_atkinson_hyperlegible_from_the_site(browser: Any, web_output: Path) -> None:
    with served(web_output) as address:
        page = browser.new_page()
        fonts: list[str] = []
        page.on("response", lambda r: fonts.append(r.url) if r.url.endswith(".woff2") else None)
        page.goto(address + "html/paracetamol-children.html", wait_until="load")
        page.evaluate("() => document.fonts.ready")
        loaded = page.evaluate(
            "() => Array.from(document.fonts).filter(f => f.status === 'loaded')"
            ".map(f => f.family + ' ' + f.weight + ' ' + f.style)"
        )
        family = page.evaluate("() => getComputedStyle(document.body).fontFamily")
        page.close()
    assert family.startswith('"Atkinson Hyperlegible"')
    loaded = [face.replace('"', "") for face in loaded]
    assert "Atkinson Hyperlegible 400 normal" in loaded
    assert "Atkinson Hyperlegible 700 normal" in loaded  # the headings
    assert fonts and all(url.startswith(address + "html/fonts/") for url in fonts)


@pytest.mark.parametrize("library", ["sample", "web"])
def test_the_keyboard_reaches_every_link_in_order_with_a_visible_focus(
    browser: Any, library: str, sample_output: Path, web_output: Path
) -> None:
    output = sample_output if library == "sample" else web_output
    started = time.monotonic()
    found = {}
    with served(output) as address:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        for name in pages_of(output):
            page.goto(address + name, wait_until="load")
            problems = focus_problems(page)
            if problems:
                found[name] = problems
        context.close()
    print(f"\nkeyboard: {library} in {time.monotonic() - started:.1f} s")
    assert found == {}


def test_search_finds_an_article_by_a_word_of_its_body(browser: Any, web_output: Path) -> None:
    """Typed into the index page opened from disk (no server): a word only one article's
    body has, a word typed without its accent, and an Arabic word."""
    page = browser.new_page()
    page.goto((web_output / "html" / "index.html").as_uri())
    box = page.get_by_label("Search the articles")
    assert box.is_visible()
    shown = "() => Array.from(document.querySelectorAll('.article-list > li:not([hidden])'))" \
        ".map(li => li.dataset.slug)"  # fmt: skip
    for typed, expected in (
        ("flannel", ["ear-infections"]),
        ("NINOS", ["paracetamol-ninos"]),
        ("الصيدلي", ["ramadan-medicines"]),
        ("spoon kitchen", ["paracetamol-children"]),
    ):
        box.fill(typed)
        box.press("Enter")
        assert page.evaluate(shown) == expected, typed
        status = page.locator(".search-status").text_content()
        assert status == "Articles found: 1"
    box.fill("zebra")
    box.press("Enter")
    assert page.evaluate(shown) == []
    assert page.locator(".search-status").text_content() == "No article has all of these words."
    box.fill("")
    box.press("Enter")
    assert len(page.evaluate(shown)) == 4
    page.close()


def test_without_javascript_the_index_lists_every_article(browser: Any, web_output: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((web_output / "html" / "index.html").as_uri())
    shown = [t.strip() for t in page.locator(".article-list > li h3").all_text_contents()]
    assert not page.locator("form.search").is_visible()
    context.close()
    titles = [
        re.search(r"^title: \"?(.+?)\"?$", p.read_text(encoding="utf-8"), re.MULTILINE)
        for p in (WEB / "manuscripts").glob("*.md")
    ]
    assert sorted(shown) == sorted(t.group(1) for t in titles if t)


def test_the_browser_checks_see_a_broken_page(
    browser: Any, tmp_path: Path, web_output: Path
) -> None:
    """The checks above can fail: a table outside its scroll region makes the page
    scroll sideways, a stylesheet without focus outlines hides the keyboard's place,
    and an inline script and style break the Content-Security-Policy."""
    site = tmp_path / "site"
    shutil.copytree(web_output / "html", site / "html")
    page_file = site / "html" / "paracetamol-children.html"
    html = page_file.read_text(encoding="utf-8")
    html = html.replace('class="table-scroll"', 'class="plain"')
    html = html.replace("</main>", '<p style="color: red">Hi</p><script>1</script></main>')
    page_file.write_text(html, encoding="utf-8")
    css = site / "html" / "style.css"
    css.write_text(
        css.read_text(encoding="utf-8").replace("outline: 0.2em solid var(--text)", "outline: none")
        .replace("box-shadow: 0 0 0 0.15em var(--background)", "box-shadow: none"),
        encoding="utf-8",
    )  # fmt: skip
    context = browser.new_context(viewport={"width": 320, "height": 640})
    context.add_init_script(f"({WATCH})()")
    page = context.new_page()
    with served(site) as address:
        page.goto(address + "html/paracetamol-children.html", wait_until="load")
        overflow = page.evaluate(OVERFLOW)
        csp = page.evaluate("() => window.__csp")
        focus = focus_problems(page)
    context.close()
    assert overflow["scroll"] > overflow["width"] and any("table" in w for w in overflow["wide"])
    assert any(v.startswith("script-src") for v in csp), csp
    assert any(v.startswith("style-src") for v in csp), csp
    assert any("shows no focus outline" in problem for problem in focus), focus
