"""Paper: how many pages and sheets a library's leaflets take, and how many pages are
wasted (less than half full, not the last page of their leaflet).

    python benchmarks/paper.py [--folder PROJECT] [--paper A4|letter|A5] [--each]

Builds PROJECT (default: the sample library; ``--stress`` the library of
tests/paper_library.py: long tables, phone photos, long closing blocks) into a
temporary folder and measures every leaflet from its PDF (tests/pagefill.py: how far
down the body area the content reaches, the running header and footer left out).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from pagefill import HALF, pages, sheets  # noqa: E402
from paper_library import make_paper_library  # noqa: E402

from careleaf.build import BuildOptions, build  # noqa: E402
from careleaf.problems import plural  # noqa: E402


def measure(output: Path, each: bool) -> tuple[int, int, int]:
    """Pages, sheets and wasted pages of every leaflet in ``output``."""
    total = paper = wasted = 0
    for pdf in sorted((output / "leaflets").rglob("*.pdf")):
        found = pages(pdf)
        under = [page.number for page in found[:-1] if page.fill < HALF]
        total, paper, wasted = total + len(found), paper + sheets(len(found)), wasted + len(under)
        if each:
            fills = " ".join(f"{page.fill:.2f}" for page in found)
            print(f"  {pdf.relative_to(output)}: {len(found)} pages ({fills}) {under or ''}")
    return total, paper, wasted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=ROOT)
    parser.add_argument("--stress", action="store_true", help="tests/paper_library.py")
    parser.add_argument("--paper", choices=("A4", "letter", "A5"), default="A4")
    parser.add_argument("--each", action="store_true", help="every leaflet's page fills")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "project" if args.stress else args.folder
        if args.stress:
            make_paper_library(folder, args.paper)
        options = BuildOptions(
            folder / "manuscripts", Path(temporary) / "output", folder / "careleaf.toml",
            today=date(2026, 11, 25),
        )  # fmt: skip
        report = build(options)
        if report.failed:
            sys.exit("\n".join(str(p) for p in report.problems))
        total, paper, wasted = measure(Path(temporary) / "output", args.each)
    articles = plural(len(report.articles), "article")
    print(f"{articles}: {total} leaflet pages, {paper} sheets of paper (printed on both "
          f"sides), {wasted} pages less than half full")  # fmt: skip


if __name__ == "__main__":
    main()
