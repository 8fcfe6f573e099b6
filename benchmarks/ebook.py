"""How long the EPUB takes for a library of 200 articles, next to pandoc for the same Markdown.

    python benchmarks/ebook.py [--articles 200] [--runs 3]

Generates a library (front matter, headings, a table, a definition list, footnotes,
abbreviations, tags, related articles) in a temporary folder, then times, best of
``--runs``:

- careleaf: reading and converting the manuscripts and the e-book stage (the EPUB in
  memory), and the e-book stage alone;
- pandoc (when installed): ``pandoc --toc -o x.epub *.md`` in the same folder.

Prints one line per measurement; writes nothing outside the temporary folder.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from careleaf.build import BuildOptions, load_library
from careleaf.epubbook import ebook

TAGS = ["heart", "lungs", "skin", "children", "medicines", "tests", "diet", "sleep", "pain"]
VOCABULARY = (
    "you your doctor nurse clinic medicine blood pressure sugar sleep water food rest pain "
    "breathing cough skin rash fever child test result appointment call help week day night "
    "tablet dose side effect allergy heart lungs exercise walk diet fruit vegetables"
)
WORDS = VOCABULARY.split()


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 16))]
    return " ".join(words).capitalize() + "."


def article(number: int, total: int, rng: random.Random) -> str:
    tags = ", ".join(sorted(rng.sample(TAGS, 2)))
    related = ", ".join(f"article-{rng.randrange(total):03d}" for _ in range(1))
    if related == f"article-{number:03d}":
        related = f"article-{(number + 1) % total:03d}"
    parts = [
        "---",
        f"title: Patient information leaflet number {number}",
        "published: 2026-03-01",
        f"summary: {sentence(rng)}",
        f"tags: [{tags}]",
        f"related: [{related}]",
        "authors: [Sam Patel]",
        "---",
        "",
    ]
    for section in range(1, 6):
        parts += [f"## Section {section} of leaflet {number}", ""]
        parts += [" ".join(sentence(rng) for _ in range(5)), ""]
        parts += [
            f"### More about part {section}",
            "",
            sentence(rng) + f" See note.[^n{number}x{section}]",
        ]
        parts += ["", f"[^n{number}x{section}]: {sentence(rng)}", ""]
    parts += ["| Time | What to do |", "|---|---|", "| Morning | Take the GP tablet |", ""]
    parts += ["Dose", ":   " + sentence(rng), "", "*[GP]: general practitioner", ""]
    return "\n".join(parts)


def generate(folder: Path, count: int) -> None:
    rng = random.Random(5)
    (folder / "manuscripts").mkdir(parents=True)
    (folder / "careleaf.toml").write_text(
        '[clinic]\nname = "Benchmark Clinic"\n[collection]\ntitle = "Benchmark Leaflets"\n',
        encoding="utf-8",
    )
    for number in range(count):
        text = article(number, count, rng)
        (folder / "manuscripts" / f"article-{number:03d}.md").write_text(text, encoding="utf-8")


def best(runs: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        generate(root, args.articles)
        options = BuildOptions(root / "manuscripts", root / "output", root / "careleaf.toml")

        def whole() -> None:
            files, problems = ebook(load_library(options))
            assert not problems and len(files) == 1

        library = load_library(options)
        size = len(next(iter(ebook(library)[0].values())))
        total = best(args.runs, whole)
        stage = best(args.runs, lambda: ebook(library))
        print(f"articles: {args.articles}")
        print(f"careleaf (read + convert + EPUB): {total:.2f} s  ({size / 1024:.0f} KiB)")
        print(f"careleaf (EPUB stage only):       {stage:.2f} s")
        pandoc = shutil.which("pandoc")
        if pandoc is None:
            print("pandoc: not installed (apt-get install pandoc)")
            return
        names = sorted(p.name for p in (root / "manuscripts").glob("*.md"))
        command = [pandoc, "--toc", "-o", "x.epub", *names]
        elapsed = best(
            args.runs,
            lambda: subprocess.run(
                command, cwd=root / "manuscripts", check=True, capture_output=True
            ),
        )
        out = (root / "manuscripts" / "x.epub").stat().st_size
        print(f"pandoc --toc -o x.epub *.md:      {elapsed:.2f} s  ({out / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
