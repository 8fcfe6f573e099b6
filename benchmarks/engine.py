"""The build engine, measured on a generated library (``benchmarks/generate.py``).

    python benchmarks/engine.py [--articles 200] [--large 1000] [--pandoc-articles 20]

Prints, side by side in one run:

- the full build's wall time (web, both leaflet editions, e-book, report; the real
  command line, ``--jobs`` = the machine's cores), next to the serial floor:
  WeasyPrint's own warm render time for the same leaflet HTML, one document after
  another in one process, fonts and stylesheets set up once;
- a rebuild with nothing changed (``python publish.py`` start-up included), and a
  rebuild after editing one article, with the files each wrote;
- the parent process's peak memory during the full build of the large library;
- the e-book stage alone for the large library, next to ``pandoc --toc -o x.epub``;
- ``pandoc --pdf-engine=weasyprint`` run per article, as a user would without
  careleaf (on ``--pandoc-articles`` of them, and the per-article time).

Nothing is written outside a temporary folder.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

from generate import generate  # noqa: E402

from careleaf import blobs  # noqa: E402
from careleaf.build import BuildOptions, build, load_library  # noqa: E402
from careleaf.fontset import font_set  # noqa: E402
from careleaf.leafletfonts import shared_fonts  # noqa: E402
from careleaf.render import LeafletTask  # noqa: E402
from careleaf.runners import Collecting  # noqa: E402

TODAY = "2026-11-25"
MEMORY = (
    "import resource, sys\n"
    "from careleaf.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print('maxrss_kib', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    "raise SystemExit(code)\n"
)


def publish(folder: Path, *extra: str) -> tuple[float, str, str]:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(ROOT / "publish.py"), "--quiet", "--today", TODAY, *extra],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"build failed:\n{result.stderr[-3000:]}")
    return elapsed, result.stdout, result.stderr


def written(stdout: str) -> str:
    found = re.search(r"(\d+) files? written", stdout)
    return found.group(1) if found else "?"


def serial_floor(folder: Path) -> tuple[float, int]:
    """WeasyPrint alone on the same leaflets: one process, fonts and stylesheets once."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from careleaf.fetcher import LAYOUTS_URL, MANUSCRIPTS_URL
    from careleaf.render import MemoryFetcher

    collecting = Collecting()
    options = BuildOptions(
        folder / "manuscripts", folder / "floor-output", folder / "careleaf.toml", True,
        today=date.fromisoformat(TODAY),
    )  # fmt: skip
    build(options, runner=collecting)
    tasks = [t for t in collecting.tasks if isinstance(t, LeafletTask)]
    fonts = shared_fonts(font_set())
    blobs.install(fonts)
    fetcher = MemoryFetcher(fonts)
    config = FontConfiguration()
    sheets = {}
    for task in tasks:
        if task.css not in sheets:
            sheets[task.css] = CSS(
                string=task.css, base_url=LAYOUTS_URL, url_fetcher=fetcher, font_config=config
            )
    first = tasks[0]
    fetcher.current = dict(first.files)
    HTML(string=first.html, base_url=MANUSCRIPTS_URL, url_fetcher=fetcher).write_pdf(
        stylesheets=[sheets[first.css]], font_config=config, pdf_variant="pdf/ua-1"
    )  # warm-up
    start = time.perf_counter()
    for task in tasks:
        fetcher.current = dict(task.files)
        HTML(string=task.html, base_url=MANUSCRIPTS_URL, url_fetcher=fetcher).write_pdf(
            stylesheets=[sheets[task.css]], font_config=config, pdf_variant="pdf/ua-1"
        )
    return time.perf_counter() - start, len(tasks)


def full_build(count: int, work: Path, memory: bool = False) -> dict[str, float]:
    folder = work / f"library-{count}"
    generate(folder, count)
    figures: dict[str, float] = {}
    if memory:
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-c", MEMORY, "--quiet", "--today", TODAY],
            cwd=folder, capture_output=True, text=True, check=False,
            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        )  # fmt: skip
        figures["full"] = time.perf_counter() - start
        if result.returncode != 0:
            raise SystemExit(result.stderr[-3000:])
        kib = int(re.search(r"maxrss_kib (\d+)", result.stderr).group(1))  # type: ignore[union-attr]
        figures["memory_mib"] = kib / 1024
    else:
        figures["full"], _, _ = publish(folder)
    figures["floor"], figures["leaflets"] = serial_floor(folder)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--large", type=int, default=1000, help="0 to skip the large library")
    parser.add_argument("--pandoc-articles", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        work = Path(name)
        small = full_build(args.articles, work)
        folder = work / f"library-{args.articles}"
        print(f"library of {args.articles} articles ({int(small['leaflets'])} leaflets)")
        print(f"  full build:           {small['full']:7.1f} s")
        print(f"  serial floor:         {small['floor']:7.1f} s  (WeasyPrint alone, one process)")
        print(f"  full / floor:         {small['full'] / small['floor']:7.2f}")
        noop, out, _ = publish(folder)
        print(f"  no-op rebuild:        {noop:7.2f} s  ({written(out)} files written)")
        target = sorted((folder / "manuscripts").glob("*.md"))[
            len(list((folder / "manuscripts").glob("*.md"))) // 2
        ]
        target.write_text(target.read_text(encoding="utf-8") + "\nOne more line.\n", "utf-8")
        one, out, _ = publish(folder)
        print(f"  one article edited:   {one:7.2f} s  ({written(out)} files written)")
        pandoc = shutil.which("pandoc")
        weasy = shutil.which("weasyprint") or str(Path(sys.executable).parent / "weasyprint")
        if pandoc and args.pandoc_articles:
            names = sorted((folder / "manuscripts").glob("*.md"))[: args.pandoc_articles]
            start = time.perf_counter()
            for path in names:
                subprocess.run(
                    [pandoc, path.name, "--pdf-engine", weasy, "-o", f"{path.stem}.pdf"],
                    cwd=path.parent, capture_output=True, check=False,
                    env={"PATH": f"{Path(weasy).parent}:/usr/bin:/bin"},
                )  # fmt: skip
            each = (time.perf_counter() - start) / len(names)
            print(
                f"  pandoc + weasyprint:  {each:7.2f} s per article "
                f"({each * args.articles:.0f} s for {args.articles}; one PDF each, untagged)"
            )
        if args.large:
            large = full_build(args.large, work, memory=True)
            big = work / f"library-{args.large}"
            print(f"library of {args.large} articles ({int(large['leaflets'])} leaflets)")
            print(f"  full build:           {large['full']:7.1f} s")
            print(f"  serial floor:         {large['floor']:7.1f} s")
            print(f"  full / floor:         {large['full'] / large['floor']:7.2f}")
            print(f"  parent's peak memory: {large['memory_mib']:7.0f} MiB")
            ebook_stage(big, pandoc)


def ebook_stage(folder: Path, pandoc: str | None) -> None:
    from careleaf.epubbook import ebook

    library = load_library(
        BuildOptions(folder / "manuscripts", folder / "output", folder / "careleaf.toml", True)
    )
    start = time.perf_counter()
    files, _ = ebook(library)
    stage = time.perf_counter() - start
    size = sum(len(data) for data in files.values()) / 1024
    print(f"  e-book stage:         {stage:7.2f} s  ({size:.0f} KiB)")
    if pandoc:
        names = sorted(p.name for p in (folder / "manuscripts").glob("*.md"))
        start = time.perf_counter()
        subprocess.run([pandoc, "--toc", "-o", "x.epub", *names], cwd=folder / "manuscripts",
                       check=True, capture_output=True)  # fmt: skip
        other = time.perf_counter() - start
        kib = (folder / "manuscripts" / "x.epub").stat().st_size / 1024
        print(f"  pandoc --toc -o x.epub: {other:5.2f} s  ({kib:.0f} KiB)")


if __name__ == "__main__":
    main()
