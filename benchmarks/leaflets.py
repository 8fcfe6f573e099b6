"""Where a leaflet's time goes: careleaf's render task against WeasyPrint alone.

    python benchmarks/leaflets.py [--rounds 3] [--folder PROJECT]

For every leaflet of the sample library (or of PROJECT), in one process with fonts
and stylesheets set up once, CPU seconds per leaflet (median of ``--rounds``):

- careleaf's whole render task (``LeafletTask.run``: WeasyPrint, then PDF/UA
  finishing with pikepdf, the page count and the font check);
- WeasyPrint alone on the same HTML and CSS;
- WeasyPrint on the same documents without the running header and footer (the
  page-margin boxes), to show what they cost;
- for each leaflet whose text map careleaf changed: how many entries it repaired and
  wrote backwards (right-to-left ligatures), and how many marks it redrew.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from careleaf import blobs  # noqa: E402
from careleaf.build import BuildOptions, build  # noqa: E402
from careleaf.fetcher import LAYOUTS_URL, MANUSCRIPTS_URL  # noqa: E402
from careleaf.fontset import font_set  # noqa: E402
from careleaf.leafletfonts import shared_fonts  # noqa: E402
from careleaf.render import LeafletTask, MemoryFetcher  # noqa: E402
from careleaf.runners import Collecting  # noqa: E402

_MARGIN_BOXES = re.compile(r"@(top|bottom)-(left|right|center)\s*\{[^}]*\}")


def cpu(action: object) -> float:
    start = time.process_time()
    action()  # type: ignore[operator]
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--folder", type=Path, default=ROOT)
    args = parser.parse_args()
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    folder = args.folder
    collecting = Collecting()
    options = BuildOptions(
        folder / "manuscripts", folder / "benchmark-output-unused", folder / "careleaf.toml",
        today=date(2026, 11, 25),
    )  # fmt: skip
    build(options, runner=collecting)
    tasks = [t for t in collecting.tasks if isinstance(t, LeafletTask)]
    fonts = shared_fonts(font_set())
    blobs.install(fonts)
    fetcher = MemoryFetcher(fonts)
    config = FontConfiguration()
    sheets: dict[str, object] = {}

    def weasyprint(task: LeafletTask, css: str) -> None:
        if css not in sheets:
            sheets[css] = CSS(
                string=css, base_url=LAYOUTS_URL, url_fetcher=fetcher, font_config=config
            )
        fetcher.current = dict(task.files)
        HTML(string=task.html, base_url=MANUSCRIPTS_URL, url_fetcher=fetcher).write_pdf(
            stylesheets=[sheets[css]], font_config=config, pdf_variant="pdf/ua-1"
        )

    changed = {}
    for task in tasks:  # warm-up
        counts = task.run().info.get("text_map", {})
        if any(counts.values()):
            changed[task.name] = counts
        weasyprint(task, task.css)
        weasyprint(task, _MARGIN_BOXES.sub("", task.css))
    whole, alone, bare = [], [], []
    for _ in range(args.rounds):
        for task in tasks:
            whole.append(cpu(task.run))
            alone.append(cpu(lambda t=task: weasyprint(t, t.css)))
            bare.append(cpu(lambda t=task: weasyprint(t, _MARGIN_BOXES.sub("", t.css))))
    print(f"{len(tasks)} leaflets, {args.rounds} rounds; CPU seconds per leaflet (median)")
    print(f"careleaf render task:          {statistics.median(whole):.3f}")
    print(f"WeasyPrint warm render:        {statistics.median(alone):.3f}"
          f"  (fastest {min(alone):.3f}, slowest {max(alone):.3f})")  # fmt: skip
    share = 1 - statistics.median(bare) / statistics.median(alone)
    print(f"  without page-margin boxes:   {statistics.median(bare):.3f}  ({share:.0%} less)")
    post = statistics.median(whole) - statistics.median(alone)
    print(f"careleaf post-processing:      {post:.3f}")
    for name, counts in sorted(changed.items()):  # careleaf.tounicode, careleaf.marks
        print(
            f"  {name}: text-map entries repaired {counts.get('repaired', 0)}, "
            f"written backwards {counts.get('reversed', 0)}; marks redrawn {counts.get('marks', 0)}"
        )


if __name__ == "__main__":
    main()
