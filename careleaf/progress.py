"""How far the build is: a progress bar on a terminal, a few plain lines otherwise,
nothing with ``--quiet``. Counts tasks (each output that has to be made)."""

from __future__ import annotations

import sys
import time
from typing import IO, Any


class Quiet:
    def planned(self, count: int) -> None:
        return None

    def done(self, count: int = 1) -> None:
        return None

    def __enter__(self) -> Quiet:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class Lines(Quiet):
    """Plain lines (a log file, CI): how far the build is, every few seconds of a long
    build; nothing for a build that takes less."""

    EVERY = 5.0  # seconds

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.total = 0
        self.count = 0
        self.last = time.monotonic()

    def planned(self, count: int) -> None:
        self.total += count

    def done(self, count: int = 1) -> None:
        self.count += count
        now = time.monotonic()
        if now - self.last >= self.EVERY:
            self.last = now
            print(f"careleaf: made {self.count} of {self.total} outputs", file=self.stream)


class Bar(Quiet):
    """A rich progress bar with the count of tasks."""

    def __init__(self, stream: IO[str]) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        self.progress = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(file=stream),
            transient=True,
        )
        self.task = self.progress.add_task("Making outputs", total=0)

    def planned(self, count: int) -> None:
        self.progress.update(self.task, total=(self.progress.tasks[0].total or 0) + count)

    def done(self, count: int = 1) -> None:
        self.progress.advance(self.task, count)

    def __enter__(self) -> Bar:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()


def progress_for(quiet: bool, stream: Any = None) -> Quiet:
    stream = stream or sys.stderr
    if quiet:
        return Quiet()
    return Bar(stream) if stream.isatty() else Lines(stream)
