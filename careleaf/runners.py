"""Where tasks run: in this process, or on a pool of worker processes.

Tasks carry their own data, except what many tasks share and is large (the fonts):
that is held as content-addressed blobs (``careleaf.blobs``) which travel once per
worker: to a local process pool through its initializer. A worker keeps WeasyPrint's
font configuration and parsed stylesheets between tasks (``careleaf.render``), so a
task costs WeasyPrint's layout time, not its start-up. Any
``concurrent.futures.Executor`` can run the tasks: a Dask cluster's does when a build
names a scheduler (``--scheduler``, ``[build] scheduler``: ``careleaf.cluster``). The
parent alone writes files.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Protocol

from careleaf import blobs
from careleaf.config import Config, setting_line
from careleaf.engine import Outcome, Task, run_task
from careleaf.problems import Problem, display_path

SCHEMES = ("tcp", "tls", "ws", "wss", "ucx")  # Dask's
_ADDRESS = re.compile(
    r"(?:(?P<scheme>[a-z]+)://)?"
    r"(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):(?P<port>[0-9]{1,5})"
)


class Closing(Protocol):
    def submit(self, task: Task) -> Future[Outcome]: ...

    def close(self) -> None: ...


def default_jobs() -> int:
    """The machine's cores (the ones this process may use)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


class InlineRunner:
    """Runs each task at once, in this process (``--jobs 1``)."""

    def __init__(self, shared: Callable[[], Mapping[str, bytes]]) -> None:
        self.shared = shared
        self.ready = False

    def submit(self, task: Task) -> Future[Outcome]:
        if not self.ready:
            blobs.install(self.shared())
            self.ready = True
        future: Future[Outcome] = Future()
        future.set_result(run_task(task))
        return future

    def close(self) -> None:
        return None


class Collecting:
    """Keeps the tasks instead of running them: what a build would do, for benchmarks and tests.

    Each task's outcome is empty, so the build writes no files of its own.
    """

    def __init__(self) -> None:
        self.tasks: list[Task] = []

    def submit(self, task: Task) -> Future[Outcome]:
        self.tasks.append(task)
        future: Future[Outcome] = Future()
        future.set_result(Outcome())
        return future


def _context() -> multiprocessing.context.BaseContext:
    """Workers forked from a server process that has careleaf's renderer (and WeasyPrint)
    loaded, not from the build itself: they start at once, and never run the program
    that started the build again (as "spawn" would, for a script without a main guard)."""
    try:
        context = multiprocessing.get_context("forkserver")
    except ValueError:  # no fork on this system
        return multiprocessing.get_context("spawn")
    context.set_forkserver_preload(["careleaf.render", "careleaf.runners", "weasyprint"])
    return context


class PoolRunner:
    """A pool of ``jobs`` worker processes, started when the first task comes."""

    def __init__(self, jobs: int, shared: Callable[[], Mapping[str, bytes]]) -> None:
        self.jobs = jobs
        self.shared = shared
        self.executor: Executor | None = None

    def submit(self, task: Task) -> Future[Outcome]:
        if self.executor is not None:
            return self.executor.submit(run_task, task)
        with _ctrl_c_ignored():  # the server and workers start deaf to Ctrl-C (see below)
            self.executor = ProcessPoolExecutor(
                max_workers=self.jobs,
                mp_context=_context(),
                initializer=_start_worker,
                initargs=(dict(self.shared()),),
            )
            return self.executor.submit(run_task, task)

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)


@contextmanager
def _ctrl_c_ignored() -> Iterator[None]:
    """Ctrl-C reaches every process of the terminal's group; a worker (or the server it is
    forked from) caught while still starting would print a traceback. An ignored signal
    stays ignored across fork and exec, so the pool is started with Ctrl-C ignored, and
    the build (this process) alone answers it, by stopping the pool."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _start_worker(shared: Mapping[str, bytes]) -> None:
    """A worker leaves Ctrl-C to the build that started it (which stops the pool), and
    keeps the shared fonts."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    blobs.install(shared)


def local_runner(jobs: int, shared: Callable[[], Mapping[str, bytes]]) -> InlineRunner | PoolRunner:
    return InlineRunner(shared) if jobs <= 1 else PoolRunner(jobs, shared)


def address_problem(text: str) -> str | None:
    """Why ``text`` is not a Dask scheduler address (None when it is one)."""
    found = _ADDRESS.fullmatch(text)
    if found is None or (found["scheme"] or "tcp") not in SCHEMES or int(found["port"]) > 65535:
        return f"'{text}' is not a Dask scheduler address such as tcp://10.0.0.5:8786"
    return None


def runner_for(
    config: Config,
    scheduler: str | None,
    fallback: str | None,
    local: Callable[[], Closing],
    shared: Callable[[], Mapping[str, bytes]],
) -> tuple[Closing, list[Problem]]:
    """The runner a build uses: the Dask scheduler of ``--scheduler`` (``local``: none),
    else of ``[build] scheduler``, else ``local``; and the problem of a scheduler asked
    for without Dask installed."""
    from careleaf.onworker import EXTRA, Place

    settings = config.build
    address = settings.scheduler if scheduler is None else scheduler
    if not address or address == "local":
        return local(), []
    if scheduler is None and config.path is not None:
        where = display_path(config.path)
        place = Place(where, setting_line(config, "build", "scheduler"), "([build] scheduler)")
    else:
        place = Place("careleaf", 1, "(--scheduler)")
    back = (fallback or settings.scheduler_fallback) == "local"
    try:
        from careleaf.cluster import DaskRunner
    except ImportError as exc:  # Dask is not installed
        if back:
            print(f"careleaf: Dask is not installed ({exc}); building on this machine "
                  "instead (--scheduler-fallback local).", file=sys.stderr)  # fmt: skip
            return local(), []
        return local(), [place.problem(
            "L312", f"building on the Dask scheduler at {address} {place.given} needs Dask, "
            f"which is not installed here ({exc})", hint=f"install careleaf's dask extra: "
            f"{EXTRA}; or build on this machine with --scheduler local",
        )]  # fmt: skip
    return DaskRunner(address, shared, place, local if back else None), []
