"""Debian's Chromium, driven by Playwright, for the tests that look at pages in a browser.

One browser per test session (``conftest.browser``), never downloaded: it is the
system's ``/usr/bin/chromium``, started without the sandbox, the GPU or any network
of its own (this machine has none beyond the package registries). Pages are served
over HTTP by a small server on 127.0.0.1 (``served``): some checks need ``http:``
rather than ``file:``.
"""

from __future__ import annotations

import functools
import json
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def launch(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)


class _Quiet(SimpleHTTPRequestHandler):
    extensions_map = {  # noqa: RUF012 - the standard library's own attribute
        **SimpleHTTPRequestHandler.extensions_map,
        ".woff2": "font/woff2",
        ".js": "text/javascript",
    }

    def log_message(self, format: str, *args: object) -> None:
        return None


@contextmanager
def served(root: Path) -> Iterator[str]:
    """``root`` over HTTP on 127.0.0.1, at the address yielded (ending in '/')."""
    handler = functools.partial(_Quiet, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def axe_source() -> str:
    """axe-core, as axe-playwright-python ships it."""
    from axe_playwright_python.sync_playwright import Axe

    return str(Axe().axe_script)


def with_axe(context: Any) -> None:
    """axe-core in every page the browser ``context`` loads (put there by the browser
    itself, as an extension would, so the pages' Content-Security-Policy does not apply;
    once per context, rather than sent again with each page)."""
    context.add_init_script(axe_source())


AXE_RUN = (
    "axe.run(document, {runOnly: {type: 'tag', values: %s}, resultTypes: ['violations']})"
    ".then(r => r.violations.map(v => v.id + ': ' + v.help + ' (' +"
    " v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ') + ')'))"
)


def axe_violations(page: Any) -> list[str]:
    """axe-core's violations (WCAG 2.2 AA and best practice) on the loaded ``page``
    (whose context has axe: ``with_axe``)."""
    found: list[str] = page.evaluate(AXE_RUN % json.dumps(RULES))
    return found


# What sticks out past the right edge of the window (inside a region that scrolls on
# its own, such as a wide table's, does not count): the page must not scroll sideways.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (e) => {
    for (let p = e.parentElement; p; p = p.parentElement) {
      const x = getComputedStyle(p).overflowX;
      if (x === 'auto' || x === 'scroll') return true;
    }
    return false;
  };
  const wide = [];
  for (const e of document.body.querySelectorAll('*')) {
    const box = e.getBoundingClientRect();
    if ((box.right > width + 1 || box.left < -1) && box.width > 0 && !scrolls(e)
        && !e.closest('.skip-link')) {
      const name = e.tagName.toLowerCase() + (e.className ? '.' + e.className : '');
      wide.push(name + ' ' + Math.round(box.left) + '..' + Math.round(box.right));
    }
  }
  return {scroll: document.documentElement.scrollWidth, width: width, wide: wide.slice(0, 5)};
}"""

# Every element the Tab key should reach, in document order, and how each looks now.
FOCUSABLE = """() => Array.from(document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]'))
  .filter(e => e.tabIndex >= 0 && !e.disabled && !e.closest('[hidden]')
          && getComputedStyle(e).visibility !== 'hidden' && e.getClientRects().length > 0)
  .map((e, i) => { e.setAttribute('data-tab-order', i);
                   return {html: e.outerHTML.slice(0, 80), look: look(e)}; })"""

LOOK = """function look(e) { const s = getComputedStyle(e); const box = e.getBoundingClientRect();
  return {outline: s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor,
          shadow: s.boxShadow, background: s.backgroundColor, border: s.borderColor,
          seen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
                && box.top < innerHeight && box.left < innerWidth}; }"""

# After a Tab: which element has the focus (its place in FOCUSABLE's list), and its look.
FOCUSED = """() => { const e = document.activeElement;
  return {index: e ? e.getAttribute('data-tab-order') : null,
          html: e ? e.outerHTML.slice(0, 80) : '', look: e ? look(e) : null}; }"""


def focus_problems(page: Any) -> list[str]:
    """Tab through the loaded ``page``: the skip link first, then every link and control in
    document order, each on the screen and with a focus outline it does not have unfocused."""
    page.evaluate(f"() => {{ window.look = {LOOK}; }}")
    stops = page.evaluate(FOCUSABLE)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    problems = []
    if stops and "skip-link" not in stops[0]["html"]:
        problems.append(f"the first stop is {stops[0]['html']!r}, not the skip link")
    for index, stop in enumerate(stops):
        page.keyboard.press("Tab")
        now = page.evaluate(FOCUSED)
        if now["index"] != str(index):
            problems.append(f"Tab {index + 1} reached {now['html']!r}, not {stop['html']!r}")
            break
        before, focused = stop["look"], now["look"]
        if not focused["seen"]:
            problems.append(f"{stop['html']!r} is not on the screen when focused")
        changed = [
            k for k in ("outline", "shadow", "background", "border") if focused[k] != before[k]
        ]
        if not changed or focused["outline"].startswith("none"):
            problems.append(f"{stop['html']!r} shows no focus outline ({focused['outline']})")
    return problems
