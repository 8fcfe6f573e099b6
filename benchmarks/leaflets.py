"""Seconds per leaflet for the sample library, next to WeasyPrint's own render time.

    python benchmarks/leaflets.py [--rounds N]

careleaf: the whole leaflet stage (both editions of every article: HTML from the
layouts, WeasyPrint, the PDF/UA post-processing), run once to warm up, then timed.
WeasyPrint: the same HTML documents rendered in one process with the fonts and
stylesheets set up once, each document timed after a warm-up round; and careleaf's
post-processing (pikepdf, fontTools) timed alone on WeasyPrint's output.

Times are this process's CPU seconds (time.process_time), so that other work on a
shared machine does not count; everything runs in one thread.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from weasyprint import HTML  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402

from careleaf.build import BuildOptions, build, convert_all  # noqa: E402
from careleaf.fetcher import SafeFetcher  # noqa: E402
from careleaf.glyphs import leaflet_fonts  # noqa: E402
from careleaf.layouts import Layouts  # noqa: E402
from careleaf.leaflet import EDITIONS, _html, _stylesheet, leaflets  # noqa: E402
from careleaf.manuscript import load_manuscripts  # noqa: E402
from careleaf.pdfua import Metadata, finish  # noqa: E402
from careleaf.printsize import print_bytes, print_pictures  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds

    folder = ROOT / "manuscripts"
    report = build(BuildOptions(folder, config=ROOT / "careleaf.toml", write=False))
    config = report.config
    layouts = Layouts(config.layouts, config.root / "locale")
    manuscripts, _ = load_manuscripts(folder, config)
    articles, _ = convert_all(manuscripts, folder, layouts)
    count = len(articles) * len(EDITIONS)

    # careleaf's stage, end to end
    leaflets(articles, config, layouts, folder)  # warm-up: fonts, caches
    stage = []
    for _ in range(rounds):
        start = time.process_time()
        files, problems = leaflets(articles, config, layouts, folder)
        stage.append((time.process_time() - start) / count)
        assert not problems and sum(name.endswith(".pdf") for name in files) == count

    # WeasyPrint alone, on the same HTML, fonts and stylesheets set up once
    fonts = leaflet_fonts()
    fetcher = SafeFetcher(
        [folder, *layouts.folders, ROOT / "careleaf", *{f.path.parent for f in fonts}]
    )
    font_config = FontConfiguration()
    documents = []
    for article in articles:
        for edition in EDITIONS:
            css, _, _ = _stylesheet(config, layouts, edition, article, fetcher, font_config)
            pictures = print_pictures(article, config.print.paper, edition)
            for picture in pictures.values():  # served from memory, as the stage does
                fetcher.serve(picture.name, print_bytes(picture), picture.picture.media_type)
            html, _ = _html(article, articles, config, layouts, edition, pictures)
            documents.append((article, html, css))

    def render(html: str, css: object, base: Path) -> bytes:
        document = HTML(string=html, base_url=base.as_uri() + "/", url_fetcher=fetcher)
        pdf: bytes = document.write_pdf(
            stylesheets=[css], font_config=font_config, pdf_variant="pdf/ua-1"
        )
        return pdf

    raw = [render(html, css, a.manuscript.path.parent) for a, html, css in documents]  # warm-up
    weasy: list[float] = []
    for _ in range(rounds):
        for article, html, css in documents:
            start = time.process_time()
            render(html, css, article.manuscript.path.parent)
            weasy.append(time.process_time() - start)

    post: list[float] = []
    paths = [f.path for f in fonts]
    for (article, _, _), pdf in zip(documents, raw, strict=True):
        m = article.manuscript
        metadata = Metadata(
            m.title,
            m.lang,
            m.authors,
            config.clinic.name,
            m.published,
            m.last_changed,
            m.summary,
            m.slug,
        )
        start = time.process_time()
        finish(pdf, metadata, paths)
        post.append(time.process_time() - start)

    print(f"sample library: {len(articles)} articles, {count} leaflets, {rounds} rounds")
    print(f"careleaf leaflet stage: {statistics.median(stage):.3f} CPU s per leaflet (median)")
    print(f"WeasyPrint warm render: {statistics.median(weasy):.3f} CPU s per document (median)")
    print(f"  fastest {min(weasy):.3f} s, slowest {max(weasy):.3f} s")
    print(
        f"careleaf post-processing alone: {statistics.median(post):.3f} CPU s per leaflet (median)"
    )


if __name__ == "__main__":
    main()
