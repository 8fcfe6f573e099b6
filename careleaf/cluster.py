"""Rendering on a Dask cluster: ``careleaf build --scheduler ADDRESS``.

careleaf schedules nothing across machines itself: it hands its render tasks to an
existing Dask scheduler through ``distributed.Client.get_executor()`` (a
``concurrent.futures`` executor) and takes back what they made, as from its local
process pool (``careleaf.runners``). Workers share nothing with this machine but the
scheduler's network:

- each task carries its data (HTML, CSS, pictures, metadata: ``careleaf.render``); a
  worker never reads the manuscripts or layouts, and never writes ``output/`` (the
  build does, as ever: ``careleaf.output``);
- the shared fonts are scattered to every worker once per build (``broadcast``), and
  each task names that one copy, which ``render_on_worker`` installs into
  ``careleaf.blobs`` once per worker process: they travel once per worker, not per task;
- a worker whose careleaf, or the libraries that render, differ from this machine's
  would make other bytes: it renders nothing and says so (L313).

Faults: a worker that dies mid-task has its tasks given to another by the scheduler
(up to ``distributed.scheduler.allowed-failures`` deaths per task, then the leaflet is
a P604); a scheduler that cannot be reached (L310), that goes away during the build
(L311) or that has no worker (L314) stops the build with the last outputs intact, or,
with ``--scheduler-fallback local``, the tasks not finished on it run on this machine.
"""

from __future__ import annotations

import logging
import sys
import threading
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from contextlib import suppress
from functools import partial
from typing import Any

from distributed import Client  # (the dask extra: an ImportError here means it is missing)

from careleaf.engine import Outcome, Task
from careleaf.onworker import EXTRA, Place, render_on_worker, renderer
from careleaf.problems import Problem
from careleaf.runners import Closing

# ``retries`` counts exceptions raised by the function sent, which turns every failure
# of a task into an outcome: what is left (the worker could not unpickle the task,
# ran out of memory outside it) gets one more try. A worker that dies is the
# scheduler's to handle: it gives the task to another worker.
RETRIES = 1
_TLS = (
    "; a tls:// scheduler needs Dask's TLS settings on this machine: the environment "
    "variables DASK_DISTRIBUTED__COMM__TLS__CA_FILE, ..._CLIENT__CERT and ..._CLIENT__KEY"
)


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


class DaskRunner:
    """Tasks sent to the Dask scheduler at ``address``, connected when the first comes
    (a build with nothing to render never calls it); with ``fallback``, a local runner
    takes what the cluster cannot."""

    def __init__(
        self,
        address: str,
        shared: Callable[[], Mapping[str, bytes]],
        place: Place,
        fallback: Callable[[], Closing] | None = None,
        notify: Callable[[str], None] = say,
    ) -> None:
        self.address, self.shared, self.place = address, shared, place
        self.fallback, self.notify = fallback, notify
        self.client: Any = None
        self.executor: Any = None
        self.fonts: Any = None  # the scattered fonts (a Dask future)
        self.down: Problem | None = None  # why the cluster is not used any more
        self.local: Closing | None = None
        self.lock = threading.RLock()
        self.waiting: dict[int, tuple[Task, Future[Outcome], Future[Outcome]]] = {}
        self.sent = 0  # tasks handed to the scheduler
        self.unmute: Callable[[], None] = lambda: None

    def submit(self, task: Task) -> Future[Outcome]:
        mine: Future[Outcome] = Future()
        sent = self._send(task) if self.down is None else None
        if sent is None:
            self._elsewhere(task, mine)
            return mine
        with self.lock:
            self.waiting[id(mine)] = (task, mine, sent)
        sent.add_done_callback(partial(self._arrived, id(mine)))
        return mine

    def _send(self, task: Task) -> Future[Outcome] | None:
        try:
            executor = self._connect()
        except _Unusable as unusable:
            self._lose(unusable.problem)
            return None
        if self.client.status != "running":
            self._lose(self._went_away("the connection was lost"))
            return None
        key = f"{type(task).__name__}-{uuid.uuid4().hex}"
        try:
            sent: Future[Outcome] = executor.submit(
                render_on_worker, self.fonts, renderer(), self.place, task, key=key
            )
        except Exception as exc:
            self._lose(self._went_away(str(exc) or type(exc).__name__))
            return None
        self.sent += 1
        return sent

    def _connect(self) -> Any:
        if self.executor is not None:
            return self.executor
        self.unmute = _mute()  # careleaf says what went wrong itself, without tracebacks
        try:
            self.client = Client(self.address, set_as_default=False)  # type: ignore[no-untyped-call]
        except Exception as exc:
            raise _Unusable(self.place.problem(
                "L310", f"the Dask scheduler at {self.address} {self.place.given} could not "
                f"be reached: {exc}", hint="check the address, and that the scheduler runs "
                "and this machine may reach it" + _TLS * self.address.startswith("tls://")
                + "; or add --scheduler-fallback local to build on this machine instead",
            )) from None  # fmt: skip
        workers = self._workers()
        if not workers:
            self.notify(
                f"careleaf: the Dask scheduler at {self.address} has no worker yet; waiting "
                f"for one (start one with: dask worker {self.address} --nthreads 1)"
            )
        elif max(workers.values()) > 1:
            self.notify(
                "careleaf: a Dask worker renders one leaflet at a time, whatever its threads: "
                "start workers with --nthreads 1 and --nworkers set to the machine's cores"
            )
        try:
            [self.fonts] = self.client.scatter([dict(self.shared())], broadcast=True)
        except Exception as exc:
            if not workers and isinstance(exc, TimeoutError):
                raise _Unusable(self.place.problem(
                    "L314", f"the Dask scheduler at {self.address} has no worker to render "
                    "on", hint=f"on each worker machine: {EXTRA}, then: dask worker "
                    f"{self.address} --nthreads 1; or add --scheduler-fallback local",
                )) from None  # fmt: skip
            raise _Unusable(self._went_away(str(exc) or type(exc).__name__)) from None
        self.executor = self.client.get_executor(retries=RETRIES, pure=False)
        return self.executor

    def _workers(self) -> dict[str, int]:
        try:
            return dict(self.client.nthreads())
        except Exception:
            return {}

    def _went_away(self, reason: str) -> Problem:
        return self.place.problem(
            "L311", f"the Dask scheduler at {self.address} went away during the build "
            f"({reason})", hint="build again when it is back; or add --scheduler-fallback "
            "local to finish the build on this machine",
        )  # fmt: skip

    def _arrived(self, ticket: int, sent: Future[Outcome]) -> None:
        with self.lock:
            entry = self.waiting.pop(ticket, None)
        if entry is None:  # already sent elsewhere
            return
        task, mine, _ = entry
        if sent.cancelled():  # the client lost the scheduler: it cancels every task
            self._lose(self._went_away("the connection to it was lost"))
            self._elsewhere(task, mine)
            return
        failed = sent.exception()
        if failed is None:
            mine.set_result(sent.result())
        elif type(failed).__name__ == "KilledWorker":  # it killed worker after worker: P604
            mine.set_exception(failed)
        else:  # the scheduler or a worker could not read the task: not this leaflet's fault
            mine.set_result(Outcome(problems=(self._cannot_run(failed),)))

    def _cannot_run(self, failed: BaseException) -> Problem:
        reason = (str(failed) or type(failed).__name__).splitlines()[0]
        return self.place.problem(
            "L313", f"the Dask cluster at {self.address} could not run careleaf's task: "
            f"{reason}", hint=f"install the same careleaf with its dask extra ({EXTRA}) on "
            "the scheduler's machine and on every worker as on this one, and start them again",
        )  # fmt: skip

    def _lose(self, problem: Problem) -> None:
        """The cluster is not used again; what it still had goes elsewhere."""
        with self.lock:
            if self.down is None:
                self.down = problem
                if self.fallback is not None:
                    self.notify(f"careleaf: {problem.message}; building on this machine "
                                "instead (--scheduler-fallback local).")  # fmt: skip
            stranded = list(self.waiting.values())
            self.waiting.clear()
        for task, mine, _ in stranded:  # (the client cancels its own futures)
            self._elsewhere(task, mine)

    def _elsewhere(self, task: Task, mine: Future[Outcome]) -> None:
        if mine.done():
            return
        if self.fallback is None:
            assert self.down is not None
            mine.set_result(Outcome(problems=(self.down,)))
            return
        with self.lock:
            if self.local is None:
                self.local = self.fallback()
            local = self.local
        _chain(local.submit(task), mine)

    def close(self) -> None:
        if self.client is not None:
            with suppress(Exception):  # a scheduler that went away: nothing to close
                self.client.close()
        if self.local is not None:
            self.local.close()
        self.unmute()


class _Unusable(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _chain(source: Future[Outcome], target: Future[Outcome]) -> None:
    def copy(done: Future[Outcome]) -> None:
        failed = done.exception()
        if failed is not None:
            target.set_exception(failed)
        else:
            target.set_result(done.result())

    source.add_done_callback(copy)


def _mute() -> Callable[[], None]:
    """Dask's own log lines (tracebacks of a lost connection) off until the build ends."""
    loggers = [
        logging.getLogger(name)
        for name in list(logging.root.manager.loggerDict)
        if name == "distributed" or name.startswith("distributed.")
    ]
    before = [logger.disabled for logger in loggers]
    for logger in loggers:
        logger.disabled = True

    def unmute() -> None:
        for logger, was in zip(loggers, before, strict=True):
            logger.disabled = was

    return unmute
