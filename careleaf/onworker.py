"""What runs on a Dask worker (``careleaf.cluster``): a render task, with the fonts
scattered once per build installed once per worker process.

A worker renders one task at a time, whatever its threads: WeasyPrint and the capture
of its log lines (``careleaf.render``) are not thread-safe. A worker whose careleaf,
or the libraries that render, differ from the building machine's would make other
bytes: it renders nothing and says so (L313).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from careleaf import blobs
from careleaf.engine import Outcome, Task, run_task
from careleaf.fingerprint import code_digest, digest
from careleaf.problems import Problem, error

EXTRA = "pip install 'careleaf[dask]'"
_ONE_AT_A_TIME = threading.Lock()
installs = 0  # how often this process installed the shared fonts (once per worker)


@dataclass(frozen=True)
class Place:
    """Where the scheduler was asked for: the configuration's line, or the command line."""

    path: str
    line: int
    given: str  # how, in words: "(--scheduler)", "([build] scheduler)"

    def problem(self, code: str, message: str, hint: str) -> Problem:
        return error(self.path, self.line, code, message, hint=hint)


@cache
def renderer() -> str:
    """What a leaflet's bytes depend on besides its data: careleaf's code and the versions
    of the libraries that render (``code_digest``), and Pango, the system library
    WeasyPrint lays text out with."""
    from weasyprint.text.ffi import pango

    return digest(code_digest(), f"pango={pango.pango_version()}")


def render_on_worker(fonts: Mapping[str, bytes], code: str, place: Place, task: Task) -> Outcome:
    """One task on a Dask worker: the scattered fonts installed once per process, then
    the task run as on a local worker (``run_task``: a failure is an outcome). ``code``
    is the building machine's ``renderer()``."""
    global installs
    with _ONE_AT_A_TIME:
        if code != renderer():
            return Outcome(problems=(_other_version(place),))
        if not blobs.holds(fonts):
            blobs.install(fonts)
            installs += 1
        return run_task(task)


def _other_version(place: Place) -> Problem:
    from distributed import get_worker

    try:
        worker = get_worker().address
    except ValueError:
        worker = "?"
    return place.problem(
        "L313",
        f"the Dask worker at {worker} runs another version of careleaf, or of the libraries "
        "that render leaflets (Pango too), than this machine: its leaflets would not be "
        "the same",
        hint=f"install the same careleaf on every worker ({EXTRA}, from the same folder or "
        "wheel as this machine's) and start the worker again",
    )
