"""Time the worst manuscripts careleaf may be given (issue 10), through the reader and the
HTML stage (front matter, limits, Markdown, raw HTML, sanitising).

Each case is built at SIZE kilobytes (default 100; the limit of a manuscript is 2048) and
read as careleaf reads it; the figures are seconds, and seconds per megabyte. A case
refused by a limit shows the problem code. Python-Markdown alone is timed beside it on
a smaller piece of the same input, where that is quadratic.

    python benchmarks/hostile.py [--size KB]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import markdown

from careleaf.config import Config
from careleaf.manuscript import read_manuscript
from careleaf.markup import convert

FRONT = "---\ntitle: Worst case\npublished: 2026-01-05\nsummary: A test.\n---\n\n"
PROSE = "## Heading\n\nSome *text* with a [link](https://example.org) and **bold** words.\n\n"


def cases(size: int) -> dict[str, str]:
    """Name -> body of about ``size`` bytes (CommonMark's pathological inputs, and more)."""

    def fill(unit: str) -> str:
        return unit * max(size // len(unit), 1)

    return {
        "prose (for comparison)": fill(PROSE),
        "[ (nested brackets)": fill("["),
        "[a]( (unclosed links)": fill("[a]("),
        "![ (unclosed images)": fill("!["),
        "*a **a (alternating emphasis)": fill("*a **a "),
        "*** nested emphasis": "*" * (size // 2) + "a" + "*" * (size // 2),
        "` and `` (backticks)": fill("`a ``a "),
        "< (angle brackets)": fill("<"),
        "<a (open tags)": fill("<a "),
        "> > > (nested quotes)": fill("> "),
        "- - - (nested lists)": fill("- "),
        "deep list indentation": "\n".join("    " * i + "- a" for i in range(size // 200)),
        "long link reference label": "[" + "a" * size + "]\n\n[" + "a" * 999 + "]: /u\n",
        "many footnotes": "".join(f"a[^{i}]\n\n[^{i}]: n\n\n" for i in range(size // 20)),
        "many abbreviations": "".join(f"*[A{i}]: x\n" for i in range(size // 12)),
        "raw HTML tags": fill('<span class="x" onclick="y()">a</span> '),
        "raw HTML blocks": fill("<div>\n<p>a</p>\n</div>\n\n"),
        "control characters": fill("a\x1b\u202e&#27; "),
        "many bad links": fill("[a](javascript:x) "),
        "a* (emphasis marks)": fill("a*"),
        "'\" (quotes)": fill("'\""),
        "one-letter paragraphs": fill("a\n\n"),
        "callout lines": fill('!!! note "x"\n'),
        "one long line of words": fill("word "),
    }


def timed(function: object, *args: object) -> float:
    start = time.perf_counter()
    function(*args)  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--size", type=int, default=100, help="kilobytes per case")
    size = options.parse_args().size * 1024
    config = Config()
    print(f"{'case':34} {'careleaf s':>10} {'s/MB':>7}  result")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name, body in cases(size).items():
            path = root / "case.md"
            path.write_text(FRONT + body, encoding="utf-8")
            start = time.perf_counter()
            manuscript, problems = read_manuscript(path, config)
            if manuscript is not None:
                _, found = convert(manuscript, images_root=root, pages={}, gettext=str)
                problems += found
            seconds = time.perf_counter() - start
            refused = sorted(
                {p.code for p in problems if p.code[0] == "M" and p.severity == "error"}
            )
            result = f"refused: {', '.join(refused)}" if refused else f"{len(problems)} problems"
            per_mb = seconds / (len(body) / 1024 / 1024)
            print(f"{name:34} {seconds:10.2f} {per_mb:7.2f}  {result}", flush=True)
    print("\nPython-Markdown alone, for scale (a quadratic case at 2 KB and 4 KB):")
    for kb in (2, 4):
        seconds = timed(markdown.markdown, "[" * kb * 1024)
        print(f"{'[ at ' + str(kb) + ' KB':34} {seconds:10.2f}")


if __name__ == "__main__":
    main()
