"""The command line's arguments: the parser, the checks on each value, and which
command and manuscript they name (``careleaf.cli`` runs them).
"""

from __future__ import annotations

import argparse
import difflib
from datetime import date
from pathlib import Path

from careleaf import __version__

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
