"""The command line: ``careleaf [build|check|new] ...`` (also ``python publish.py``).

``careleaf check FILE.md`` and ``careleaf build FILE.md`` check or build one article,
with the rest of the manuscripts folder read around it. Exit codes: 0 success,
1 problems in the input, 2 a usage error. The arguments are read in
``careleaf.cliparse``.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from careleaf.build import BuildOptions, BuildReport, build
from careleaf.cliparse import command_and_target, parser, vet_target
from careleaf.problems import display_path, has_errors, plural
from careleaf.records import Article
from careleaf.report import counts, problem_record, summary_table

SKELETON = Path(__file__).parent / "skeleton"


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return run(argv)
    except KeyboardInterrupt:  # Ctrl-C: the build's staging folder is already thrown away
        message = "every output is whole: the next build completes the work"
        print(f"careleaf: stopped (Ctrl-C); {message}.", file=sys.stderr)
        return 130


def run(argv: Sequence[str] | None = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    command, target = command_and_target(args, p)
    if command == "new":
        if target is None:
            p.error("'new' needs the folder to create, e.g. careleaf new my-clinic")
        return new_project(target, p)
    if target is not None and command == "serve":
        p.error("'serve' previews the whole library; run it without a file name")
    if target is not None:
        vet_target(target, args.manuscripts, p)
    if args.format == "text" and not args.manuscripts.is_dir():
        return no_manuscripts(args.manuscripts)
    options = BuildOptions(
        manuscripts=args.manuscripts,
        output=args.output,
        config=args.config or Path("careleaf.toml"),
        config_given=args.config is not None,
        strict=args.strict,
        write=command == "build",
        today=args.today,
        jobs=args.jobs,
        keep_going=args.keep_going,
        quiet=args.quiet or args.format == "json",
        dry=command == "status",
        only=target,
        scheduler=args.scheduler,
        scheduler_fallback=args.scheduler_fallback,
    )
    if command == "serve":
        from careleaf.serve import serve

        return serve(options, args.host, args.port)
    report = build(options)
    if command == "status":
        return status(report, options)
    if args.format == "json":
        return as_json(report, options)
    return summarise(report, options)


TABLE_ROWS = 40  # a longer table is noise on a terminal: report.html lists every article


def table_rows(report: BuildReport) -> tuple[list[Article], int]:
    """The articles the terminal's table shows (all of a small library; of a large one,
    those with problems), and how many it leaves out."""
    if len(report.articles) <= TABLE_ROWS:
        return list(report.articles), 0
    troubled = {p.path for p in report.problems}
    rows = [a for a in report.articles if display_path(a.manuscript.path) in troubled]
    rows = rows[:TABLE_ROWS]
    return rows, len(report.articles) - len(rows)


def no_manuscripts(folder: Path) -> int:
    """How to start, for someone who ran careleaf where there is nothing to build."""
    print(
        f"careleaf: there is no manuscripts folder here ({folder}/), so there is nothing "
        "to build.\n"
        "  To start a new project:  careleaf new my-clinic   then:  cd my-clinic && careleaf\n"
        "  To build articles kept in another folder:  careleaf --manuscripts FOLDER",
        file=sys.stderr,
    )
    return 1


def as_json(report: BuildReport, options: BuildOptions) -> int:
    """The problems as JSON on standard output; the exit code as for text."""
    stopped = has_errors(report.problems, options.strict)
    data = {
        "ok": not stopped,
        "strict": options.strict,
        **counts(report.problems),
        "articles": sum(not a.manuscript.draft for a in report.articles),
        "drafts": [a.manuscript.path.name for a in report.articles if a.manuscript.draft],
        "problems": [problem_record(p, with_path=True) for p in report.problems],
    }
    print(json.dumps(data, indent=2, ensure_ascii=False))
    return 1 if stopped else 0


def summarise(report: BuildReport, options: BuildOptions) -> int:
    for problem in report.problems:
        print(problem, file=sys.stderr)
    found = counts(report.problems)
    counted = f"{plural(found['errors'], 'error')}, {plural(found['warnings'], 'warning')}"
    if found["draft_errors"] or found["draft_warnings"]:
        counted += (
            f" (and {plural(found['draft_errors'], 'error')}, "
            f"{plural(found['draft_warnings'], 'warning')} in drafts, which are not published)"
        )
    if report.articles:
        from rich.console import Console

        shown_rows, left = table_rows(report)
        # Not a terminal (a log, a pipe): the table at its own width, up to 120 columns,
        # rather than squeezed into 80 with file names cut short.
        width = None if sys.stdout.isatty() else 120
        Console(file=sys.stdout, highlight=False, width=width).print(
            summary_table(
                shown_rows, report.config, report.problems, report.readability, report.pages
            )
        )
        if left:
            print(f"careleaf: and {plural(left, 'more article')} with no problem "
                  "(every article is in report.html).")  # fmt: skip
    stopped = has_errors(report.problems, options.strict)
    if stopped and not (options.keep_going and report.result is not None):
        what = "nothing was written" if options.write else "check failed"
        print(f"careleaf: stopped with {counted}; {what}.", file=sys.stderr)
        return 1
    drafts = [a.manuscript.path.name for a in report.articles if a.manuscript.draft]
    shown = len(report.articles) - len(drafts)
    if report.result is None and options.write and drafts:
        which = f"{drafts[0]} is a draft" if options.only else "every article is a draft"
        print(
            f"careleaf: {which}: checked, and nothing was written "
            "(remove the line 'draft: true' to publish an article)."
        )
        return 0
    if report.result is None:
        checked = plural(shown, "article") + (f" and {plural(len(drafts), 'draft')}" * bool(drafts))
        print(f"careleaf: {checked} checked: {counted}.")
        return 0
    result = report.result
    built = shown - len(report.held)
    what = plural(built, "article") if options.only is None else options.only.name
    print(
        f"careleaf: built {what} into {options.output}/: "
        f"{plural(len(result.written), 'file')} written, {len(result.unchanged)} unchanged, "
        f"{len(result.removed)} removed; {counted}."
        + (
            f" {plural(len(report.reused), 'output')} up to date, not made again."
            if report.reused
            else ""
        )
    )
    if drafts:
        print(f"careleaf: not published, being drafts: {', '.join(drafts)}.")
    if options.only is not None:
        print(
            f"careleaf: only {options.only.name} was built; the rest of {options.output}/ "
            "is as it was."
        )
    if report.held:
        print(
            f"careleaf: {plural(len(report.held), 'article')} with errors kept their last "
            f"outputs and are not in this edition: {', '.join(report.held)}.",
            file=sys.stderr,
        )
    return 1 if stopped else 0


def status(report: BuildReport, options: BuildOptions) -> int:
    """What changed since the last build, and what a build would make (nothing rendered)."""
    for problem in report.problems:
        print(problem, file=sys.stderr)
    changes = report.edition.changes
    if not report.edition.new:
        print(f"careleaf: no article changed since the last build (edition {report.edition.name}).")
    else:
        print(f"careleaf: a build would make edition {report.edition.name}:")
        for title, slugs in (("added", changes.added), ("changed", changes.updated)):
            for slug in slugs:
                print(f"  {title}: {slug}")
        for removed in changes.removed:
            print(f"  removed: {removed.slug}")
    if report.pending:
        count = len(report.pending)
        print(f"careleaf: a build would make {count} file{'s' * (count != 1)}:")
        for name in report.pending:
            print(f"  {options.output / name}")
    else:
        print("careleaf: a build would write nothing; every output is up to date.")
    return 1 if report.failed else 0


def new_project(directory: Path, p: argparse.ArgumentParser) -> int:
    if directory.exists() and not directory.is_dir():
        p.error(f"'{directory}' is a file; choose a name for the new project's folder")
    if directory.is_dir() and any(directory.iterdir()):
        p.error(f"'{directory}' already exists and is not empty; choose a new folder")
    try:
        shutil.copytree(
            SKELETON, directory, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__")
        )
    except OSError as exc:
        p.error(f"could not make '{directory}': {exc.strerror or exc}")
    # The example article is new today, so its review date lies a full period ahead.
    example = directory / "manuscripts" / "welcome.md"
    text = example.read_text(encoding="utf-8")
    example.write_text(
        re.sub(
            r"^published: .*$",
            f"published: {date.today().isoformat()}",
            text,
            count=1,
            flags=re.MULTILINE,
        ),
        encoding="utf-8",
    )
    print(
        f"careleaf: started a project in {directory}/: careleaf.toml (the clinic's settings, "
        "with notes) and manuscripts/ with one example article and its picture. Next:\n"
        f"  cd {directory}\n  careleaf          (builds output/ from manuscripts/)"
    )
    return 0
