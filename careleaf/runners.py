"""Where tasks run: in this process, or on a pool of worker processes.

Tasks carry their own data, except what many tasks share and is large (the fonts):
that is held as content-addressed blobs (``careleaf.blobs``) which travel once per
worker: to a local process pool through its initializer. A worker keeps WeasyPrint's
font configuration and parsed stylesheets between tasks (``careleaf.render``), so a
task costs WeasyPrint's layout time, not its start-up. Any
``concurrent.futures.Executor`` can run the tasks; the parent alone writes files.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager

from careleaf import blobs
from careleaf.engine import Outcome, Task, run_task


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
