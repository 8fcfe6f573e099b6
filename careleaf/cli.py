"""The command line: ``careleaf [build|check|new] ...`` (also ``python publish.py``).

``careleaf check FILE.md`` and ``careleaf build FILE.md`` check or build one article,
with the rest of the manuscripts folder read around it. Exit codes: 0 success,
1 problems in the input, 2 a usage error.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import shutil
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from careleaf import __version__
from careleaf.build import BuildOptions, BuildReport, build
from careleaf.problems import display_path, has_errors, plural
from careleaf.records import Article
from careleaf.report import counts, problem_record, summary_table

SKELETON = Path(__file__).parent / "skeleton"
COMMANDS = ("build", "check", "status", "new", "serve")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="careleaf",
        description="Build accessible patient leaflets, an e-book and web pages from a "
        "clinic's Markdown articles.",
    )
    p.add_argument("--version", action="version", version=f"careleaf {__version__}")
    p.add_argument(
        "command",
        nargs="?",
        default="build",
        metavar="build|check|status|new|serve",
        help="build (the default) writes every edition; check only reads and "
        "checks; status says what changed and what a build would make; "
        "new DIR starts a new project in DIR; serve previews the web pages while you "
        "edit, on this computer",
    )
    p.add_argument(
        "target",
        nargs="?",
        type=Path,
        metavar="FILE.md|DIR",
        help="for build and check: one manuscript of the manuscripts folder, checked or "
        "built on its own (the rest of the library is read around it); for new: the "
        "folder to create",
    )
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
        "--scheduler",
        type=_scheduler,
        default=None,
        metavar="ADDRESS",
        help="render on the Dask cluster whose scheduler is at ADDRESS, e.g. "
        "tcp://10.0.0.5:8786 (needs careleaf[dask]); 'local': on this machine "
        "(default: [build] scheduler in careleaf.toml, else this machine)",
    )
    p.add_argument(
        "--scheduler-fallback",
        choices=("local", "none"),
        default=None,
        help="local: if the scheduler cannot be reached or goes away, finish the build "
        "on this machine (default: [build] scheduler_fallback, else none: stop)",
    )
    p.add_argument(
        "--keep-going",
        action="store_true",
        help="build every good article; articles with errors keep their last outputs",
    )
    p.add_argument("--quiet", action="store_true", help="show no progress while building")
    p.add_argument(
        "--port",
        type=_port,
        default=8000,
        metavar="N",
        help="for serve: the port to serve the preview on (default: 8000)",
    )
    p.add_argument(
        "--host",
        default="127.0.0.1",
        metavar="ADDRESS",
        help="for serve: the address to listen on (default: 127.0.0.1, this computer only)",
    )
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


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number from 1 to 65535")
    return int(text)


def _scheduler(text: str) -> str:
    from careleaf.runners import address_problem

    wrong = address_problem(text) if text != "local" else None
    if wrong:
        raise argparse.ArgumentTypeError(f"{wrong}, or 'local'")
    return text


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written YYYY-MM-DD") from None


def command_and_target(
    args: argparse.Namespace, p: argparse.ArgumentParser
) -> tuple[str, Path | None]:
    """The subcommand and its argument; a manuscript named alone is built, and a word that
    is neither is a mistyped command."""
    word: str = args.command
    if word in COMMANDS:
        return word, args.target
    if word.lower().endswith(".md") or "/" in word or "\\" in word or Path(word).exists():
        if args.target is not None:
            p.error(f"unexpected argument '{args.target}' after '{word}'")
        return "build", Path(word)
    close = difflib.get_close_matches(word.lower(), COMMANDS, n=1, cutoff=0.5)
    if close:
        p.error(f"unknown command '{word}'; did you mean '{close[0]}'?")
    named = args.manuscripts / f"{word}.md"
    if named.is_file():
        p.error(
            f"unknown command '{word}'; to check that one article, name its file: "
            f"careleaf check {named}"
        )
    p.error(f"unknown command '{word}'; use build, check, status, new or serve")
    raise AssertionError  # p.error does not return


def vet_target(target: Path, manuscripts: Path, p: argparse.ArgumentParser) -> None:
    """A manuscript named on the command line must be a .md file of the manuscripts folder."""
    if not target.exists():
        there = manuscripts / target.name
        also = f"; did you mean {there}?" if there.is_file() and there != target else ""
        p.error(f"'{target}' does not exist{also}")
    if target.is_dir():
        p.error(f"'{target}' is a folder; to build the articles in it, use --manuscripts {target}")
    if target.suffix.lower() != ".md":
        p.error(f"'{target}' is not a manuscript; name a .md file of {manuscripts}/")
    if target.resolve().parent != manuscripts.resolve():
        p.error(
            f"'{target}' is not in the manuscripts folder ({manuscripts}/); careleaf "
            "checks an article together with the library it belongs to, so move it "
            "there, or name its folder with --manuscripts"
        )


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
