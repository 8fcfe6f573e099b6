"""How long the checks and the build report take on a large library.

    python benchmarks/checks_and_report.py [ARTICLES]

Makes a library of ARTICLES (default 300) English, Spanish and Arabic articles of
about 600 words each in a temporary folder, then times: reading and converting
(for reference), all checks, and the report (JSON, HTML, terminal table).
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

# The careleaf beside this script, not whichever one is installed.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from careleaf.build import convert_all
from careleaf.checks import check_articles
from careleaf.config import load_config
from careleaf.layouts import Layouts
from careleaf.manuscript import load_manuscripts
from careleaf.report import build_report, summary_table

PARAGRAPHS = {
    "en": "Most people get better in a week or two. Rest, drink water and take "
    "paracetamol if you need it. Speak to your GP if you feel worse, or if you "
    "are worried about a child. Wash your hands often so that others do not get ill.",
    "es": "La mayoría de las personas mejora en una o dos semanas. Descanse, beba agua "
    "y tome paracetamol si lo necesita. Hable con su médico si se siente peor.",
    "ar": "يتحسن معظم الناس خلال أسبوع أو أسبوعين. استرح واشرب الماء وتناول الباراسيتامول "
    "عند الحاجة. تحدث إلى طبيبك إذا شعرت بأن حالتك تسوء.",
}


def make(folder: Path, count: int) -> None:
    (folder / "manuscripts").mkdir()
    (folder / "careleaf.toml").write_text('[collection]\ntitle = "Benchmark"\n')
    for number in range(count):
        lang = ("en", "es", "ar")[number % 3]
        sections = "".join(
            f"## Part {part}\n\n{PARAGRAPHS[lang]}\n\n- {PARAGRAPHS[lang][:40]}.\n\n"
            for part in range(1, 14)
        )
        (folder / "manuscripts" / f"article-{number}.md").write_text(
            f"---\ntitle: Article {number}\npublished: 2026-01-01\nlang: {lang}\n"
            f"summary: A summary.\n---\n\n{sections}",
            encoding="utf-8",
        )


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        make(folder, count)
        start = time.perf_counter()
        config, _ = load_config(folder / "careleaf.toml")
        manuscripts, _ = load_manuscripts(folder / "manuscripts", config)
        layouts = Layouts(config.layouts)
        articles, _ = convert_all(manuscripts, folder / "manuscripts", layouts)
        converted = time.perf_counter()
        problems = check_articles(articles, config, today=date(2026, 11, 25), layouts=layouts)
        checked = time.perf_counter()
        files, _ = build_report(articles, config, layouts, {}, problems)
        summary_table(articles, config, problems)
        reported = time.perf_counter()
    words = sum(a.word_count for a in articles)
    print(f"{count} articles, {words} words, {len(problems)} problems")
    print(f"read and convert: {converted - start:6.2f} s")
    print(f"all checks:       {checked - converted:6.2f} s")
    print(f"report + table:   {reported - checked:6.2f} s ({len(files['report.json'])} bytes JSON)")


if __name__ == "__main__":
    main()
