"""How much an incremental rebuild saves: a whole build, then the same library again
(every leaflet reused), then with one article changed.

    python benchmarks/rebuild.py [--articles 40]

Uses the generated library of ``benchmarks/ebook.py``; wall-clock seconds of the real
command line, each build in its own process as an editor would run it.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from ebook import generate  # noqa: E402


def timed_build(folder: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, str(HERE.parent / "publish.py"), "--today", "2026-11-25"],
        cwd=folder,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=40)
    count = parser.parse_args().articles
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        generate(folder, count)
        first = timed_build(folder)
        unchanged = timed_build(folder)
        changed = folder / "manuscripts" / "article-000.md"
        changed.write_text(
            changed.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8"
        )
        one = timed_build(folder)
    print(f"articles: {count} ({2 * count} leaflets)")
    print(f"first build:                 {first:6.2f} s")
    print(f"rebuild, nothing changed:    {unchanged:6.2f} s")
    print(f"rebuild, one article edited: {one:6.2f} s")


if __name__ == "__main__":
    main()
