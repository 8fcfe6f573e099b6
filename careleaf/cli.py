"""The command line: ``careleaf [build|check|new] ...`` (also ``python publish.py``).

Exit codes: 0 success, 1 problems in the input, 2 a usage error.
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

from rich.console import Console

from careleaf.build import BuildOptions, BuildReport, build
from careleaf.problems import Severity
from careleaf.report import problem_record, summary_table

SKELETON = Path(__file__).parent / "skeleton"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="careleaf",
        description="Build accessible patient leaflets, an e-book and web pages from a "
        "clinic's Markdown articles.",
    )
    p.add_argument(
        "command",
        nargs="?",
        default="build",
        choices=("build", "check", "status", "new"),
        help="build (the default) writes every edition; check only reads and "
        "checks; status says what changed and what a build would make; "
        "new DIR starts a new project in DIR",
    )
    p.add_argument("directory", nargs="?", type=Path, help="for 'new': the folder to create")
    p.add_argument(
        "--manuscripts",
        type=Path,
        default=Path("manuscripts"),
        metavar="DIR",
        help="the folder of .md articles (default: ./manuscripts)",
    )
    p.add_argument(
        "--output",
        type=Path,
        default=Path("output"),
        metavar="DIR",
        help="where the editions are written (default: ./output)",
    )
    p.add_argument(
        "--config",
        type=Path,
        default=None,
        metavar="FILE",
        help="the settings file (default: ./careleaf.toml, if there is one)",
    )
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument(
        "--today",
        type=_day,
        default=None,
        metavar="YYYY-MM-DD",
        help="check review dates against this day instead of today (for repeatable runs)",
    )
    p.add_argument(
        "--jobs",
        type=_jobs,
        default=None,
        metavar="N",
        help="render with N worker processes (default: one per core)",
    )
    p.add_argument(
        "--keep-going",
        action="store_true",
        help="build every good article; articles with errors keep their last outputs",
    )
    p.add_argument("--quiet", action="store_true", help="show no progress while building")
    p.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="json prints the problems as JSON on standard output, for CI systems",
    )
    return p


def _jobs(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 256:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of processes from 1 to 256")
    return int(text)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written YYYY-MM-DD") from None


def main(argv: Sequence[str] | None = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    if args.command == "new":
        if args.directory is None:
            p.error("'new' needs the folder to create, e.g. careleaf new my-clinic")
        return new_project(args.directory, p)
    if args.directory is not None:
        p.error(f"unexpected argument '{args.directory}' (only 'new' takes a folder)")
    options = BuildOptions(
        manuscripts=args.manuscripts,
        output=args.output,
        config=args.config or Path("careleaf.toml"),
        config_given=args.config is not None,
        strict=args.strict,
        write=args.command == "build",
        today=args.today,
        jobs=args.jobs,
        keep_going=args.keep_going,
        quiet=args.quiet or args.format == "json",
        dry=args.command == "status",
    )
    report = build(options)
    if args.command == "status":
        return status(report, options)
    if args.format == "json":
        return as_json(report, options)
    return summarise(report, options)


def as_json(report: BuildReport, options: BuildOptions) -> int:
    """The problems as JSON on standard output; the exit code as for text."""
    errors = sum(p.severity is Severity.ERROR for p in report.problems)
    warnings = len(report.problems) - errors
    stopped = bool(errors or (options.strict and warnings))
    data = {
        "ok": not stopped,
        "strict": options.strict,
        "errors": errors,
        "warnings": warnings,
        "articles": len(report.articles),
        "problems": [problem_record(p, with_path=True) for p in report.problems],
    }
    print(json.dumps(data, indent=2, ensure_ascii=False))
    return 1 if stopped else 0


def summarise(report: BuildReport, options: BuildOptions) -> int:
    for problem in report.problems:
        print(problem, file=sys.stderr)
    errors = sum(p.severity is Severity.ERROR for p in report.problems)
    warnings = len(report.problems) - errors
    counted = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    stopped = errors or (options.strict and warnings)
    if report.articles:
        Console(file=sys.stdout, highlight=False).print(
            summary_table(report.articles, report.config, report.problems, report.readability)
        )
    if stopped:
        what = "nothing was written" if options.write else "check failed"
        print(f"careleaf: stopped with {counted}; {what}.", file=sys.stderr)
        return 1
    if report.result is None:
        count = len(report.articles)
        print(f"careleaf: {count} article{'s' * (count != 1)} checked: {counted}.")
        return 0
    result = report.result
    print(
        f"careleaf: built {len(report.articles)} articles into {options.output}/: "
        f"{len(result.written)} files written, {len(result.unchanged)} unchanged, "
        f"{len(result.removed)} removed; {counted}."
        + (
            f" {len(report.reused)} leaflets were unchanged and not rendered again."
            if report.reused
            else ""
        )
    )
    return 0


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
        p.error(f"'{directory}' is a file; choose a new folder")
    if directory.exists() and any(directory.iterdir()):
        p.error(f"'{directory}' already exists and is not empty; choose a new folder")
    shutil.copytree(
        SKELETON, directory, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__")
    )
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
        f"careleaf: started a project in {directory}/. Next:\n"
        f"  cd {directory}\n  careleaf          (builds output/ from manuscripts/)"
    )
    return 0
