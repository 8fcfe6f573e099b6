"""The whole CommonMark corpus, built with --keep-going through every output.

    python benchmarks/corpus.py [--every 1]

The specification's 655 examples (``../shared/corpora/commonmark/spec.txt``), five to a
manuscript (every ``--every``-th group), built as a clinic would build them
(``publish.py --keep-going``). Prints how many articles were built and how many held
back, the problems by code, the time, and whether any traceback or active content
appeared (the tests build half the corpus: tests/test_keep_going.py).
"""

from __future__ import annotations

import argparse
import collections
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]

from test_corpus import ACTIVE, SPEC  # noqa: E402
from test_keep_going import corpus_library  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=1, help="build every N-th group only")
    arguments = parser.parse_args()
    if not SPEC.is_file():
        raise SystemExit(f"the CommonMark corpus is not at {SPEC}")
    with tempfile.TemporaryDirectory() as name:
        root = corpus_library(Path(name) / "corpus", every=arguments.every)
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, str(ROOT / "publish.py"), "--keep-going", "--quiet",
             "--today", "2026-11-25"],
            cwd=root, capture_output=True, text=True, check=False,
        )  # fmt: skip
        elapsed = time.perf_counter() - start
        codes = collections.Counter(re.findall(r": (?:error|warning) ([A-Z]\d{3})", result.stderr))
        manuscripts = len(list((root / "manuscripts").glob("*.md")))
        pages = len(list((root / "output" / "html").glob("*.html"))) - 1
        active = [
            p.name
            for p in (root / "output").rglob("*")
            if p.suffix in (".html", ".xml", ".svg") and ACTIVE.search(p.read_text("utf-8"))
        ]
    print(f"manuscripts: {manuscripts}; built: {pages}; held back: {manuscripts - pages}")
    print(f"time: {elapsed:.1f} s; exit code {result.returncode}")
    print("problems: " + ", ".join(f"{code} {n}" for code, n in sorted(codes.items())))
    print(f"tracebacks: {result.stderr.count('Traceback')}; files with active content: {active}")


if __name__ == "__main__":
    main()
