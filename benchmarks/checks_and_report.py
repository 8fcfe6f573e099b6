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

from careleaf.checks import check_article, check_collection
from careleaf.config import load_config
from careleaf.frontend import ArticleCache, articles_of, read_all
from careleaf.layouts import Layouts
from careleaf.library import Library
from careleaf.markup import convert
from careleaf.report import build_report, report_data, summary_table

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
        layouts = Layouts(config.layouts)
        reads, _ = read_all(folder / "manuscripts", config, layouts, "", ArticleCache(None))
        articles = articles_of(reads)
        read = time.perf_counter()
        for article in articles:  # the conversion alone, for reference
            convert(article.manuscript, images_root=folder / "manuscripts", pages={},
                    gettext=layouts.gettext(article.lang))  # fmt: skip
        converted = time.perf_counter()
        problems = [p for article in articles for p in check_article(article, config)]
        problems += check_collection(articles, config, date(2026, 11, 25), layouts)
        checked = time.perf_counter()
        library = Library(
            config, layouts, folder / "manuscripts", folder / "output", tuple(articles),
            {a.slug: "" for a in articles}, {}, {r.slug: r.readability for r in reads
            if r.readability}, "",
        )  # fmt: skip
        data = report_data(library, problems, {}, [])
        outcome = build_report(library, data, {})
        summary_table(articles, config, problems, library.readability)
        reported = time.perf_counter()
    words = sum(a.word_count for a in articles)
    size = len(dict(outcome.files)["report.json"])
    print(f"{count} articles, {words} words, {len(problems)} problems")
    print(f"read, convert and check each article once: {read - start:6.2f} s")
    print(f"  of which converting Markdown:             {converted - read:6.2f} s")
    print(f"all checks:                                 {checked - converted:6.2f} s")
    print(f"report + table:                             {reported - checked:6.2f} s ({size} bytes)")


if __name__ == "__main__":
    main()
