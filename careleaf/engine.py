"""The build engine: every edition plans jobs; the jobs that must run become pure tasks
run on an executor; the parent alone writes what they make.

An ``Edition`` (web, leaflets, e-book, report, ...) plans one ``Job`` per output (or
group of outputs) from the ``Library``: the output names, the digest of every input,
and how to make it. A job whose digest matches the last build's and whose files are
still the ones careleaf wrote is not run (``careleaf.state``). Otherwise ``make``
gives either the finished ``Outcome`` (cheap outputs, made in the parent) or a
``Task``: a frozen, picklable object holding everything it needs as data, whose
``run`` is a pure function (data in, bytes out) run on any
``concurrent.futures.Executor`` (``careleaf.runners``). Each outcome's files go to
the staging folder as they come (``careleaf.output``); its log lines become problems
through the edition that planned it, the same way for a job run now and for one
taken from the last build. Editions marked ``final`` (the web pages, which show the
sizes of the leaflets and the e-book, and the report) are planned after all the
others' tasks have finished, with what they made. A build may make only some
editions (``make``, the preview's quick builds): the others' outputs stay as the last
build made them, with their old records, so that the next full build makes them again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field
from typing import Any, Protocol

from careleaf.library import Library
from careleaf.output import OutputFolder
from careleaf.paths import UnsafeName
from careleaf.problems import Problem, error

Logs = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Outcome:
    """What a task made: its files, facts about them (pages...), and what it reported."""

    files: tuple[tuple[str, bytes], ...] = ()
    info: Mapping[str, Any] = field(default_factory=dict)
    logs: Logs = ()  # (kind, message, ...) for the edition to turn into problems
    problems: tuple[Problem, ...] = ()  # found while planning it, in the parent


class Task(Protocol):
    """Data in, bytes out: no file system, no network, no clock."""

    def run(self) -> Outcome: ...


@dataclass(frozen=True)
class Job:
    outputs: tuple[str, ...]
    digest: str
    make: Callable[[], Task | Outcome] = field(compare=False, repr=False)
    article: str = ""  # the slug of the article the outputs belong to ("" for the collection)


@dataclass(frozen=True)
class Plan:
    jobs: tuple[Job, ...] = ()
    problems: tuple[Problem, ...] = ()


class Edition(Protocol):
    name: str
    final: bool  # planned once every other edition's tasks have finished

    def plan(self, library: Library, built: Built) -> Plan: ...

    def problems(self, library: Library, job: Job, outcome: Outcome) -> list[Problem]: ...


class Runner(Protocol):
    def submit(self, task: Task) -> Future[Outcome]: ...


class Progress(Protocol):
    def planned(self, count: int) -> None: ...

    def done(self, count: int = 1) -> None: ...


@dataclass
class Built:
    """What the engine made (or, with ``dry``, would make)."""

    made: dict[str, tuple[str, str, Mapping[str, Any], Logs]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # outputs a dry run would make
    by_article: dict[str, set[str]] = field(default_factory=dict)  # slug -> outputs
    failed: set[str] = field(default_factory=set)  # articles whose outputs failed
    sizes: dict[str, int] = field(default_factory=dict)  # output -> its size in bytes
    stale: list[str] = field(default_factory=list)  # kept as they were: editions not made

    def info(self, name: str) -> Mapping[str, Any]:
        return self.made[name][2] if name in self.made else {}

    def size(self, name: str) -> int | None:
        """The size of output ``name`` once it is made (or kept); None when there is none."""
        return self.sizes.get(name)

    def report(self, found: Sequence[Problem]) -> None:
        """Note problems; the same problem from several tasks (a stylesheet both leaflet
        editions use) is noted once."""
        for problem in found:
            if problem not in self.problems:
                self.problems.append(problem)


def run_task(task: Task) -> Outcome:
    """Run ``task`` (in a worker); a failure is an outcome to report, never a crash."""
    try:
        return task.run()
    except (Exception, RecursionError) as exc:
        return Outcome(logs=(("failed", f"{type(exc).__name__}: {exc}"),))


def run_editions(
    editions: Sequence[Edition],
    library: Library,
    folder: OutputFolder,
    runner: Runner,
    progress: Progress,
    *,
    dry: bool = False,
    make: frozenset[str] | None = None,
) -> Built:
    """Plan every edition and make what changed; with ``make`` (edition names), only those
    editions are made, and the others' outputs are kept as they were (``_keep``). Sizes
    start as the last build left them (a build of one article keeps the e-book)."""
    built = Built(sizes={
        name: made.size for name, made in folder.state.files.items()
        if (folder.root / name).is_file()
    })  # fmt: skip
    for final in (False, True):
        pending: dict[Future[Outcome], tuple[Edition, Job]] = {}
        for edition in (e for e in editions if e.final is final):
            plan = edition.plan(library, built)
            skipped = make is not None and edition.name not in make
            if not skipped:
                built.report(plan.problems)
            for job in plan.jobs:
                built.by_article.setdefault(job.article, set()).update(job.outputs)
                if _reuse(edition, library, folder, built, job) or skipped:
                    if skipped and not set(job.outputs) <= set(built.made):
                        _keep(folder, built, job)
                    continue
                if dry:
                    built.pending += job.outputs
                    continue
                progress.planned(1)
                product = job.make()
                if isinstance(product, Outcome):
                    _take(edition, library, folder, built, job, product)
                    progress.done()
                else:
                    pending[_submit(runner, product)] = (edition, job)
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                edition, job = pending.pop(future)
                _take(edition, library, folder, built, job, _outcome(future))
                progress.done()
    return built


def _submit(runner: Runner, task: Task) -> Future[Outcome]:
    """The task handed to the runner; a runner that cannot take it (its workers could not
    start, its scheduler went away) gives a failed outcome, never a crash."""
    try:
        return runner.submit(task)
    except Exception as exc:
        failed: Future[Outcome] = Future()
        failed.set_exception(exc)
        return failed


def _outcome(future: Future[Outcome]) -> Outcome:
    try:
        return future.result()
    except Exception as exc:  # the worker died (killed, out of memory): a problem, not a crash
        return Outcome(logs=(("failed", f"the worker stopped: {type(exc).__name__}: {exc}"),))


def _reuse(
    edition: Edition, library: Library, folder: OutputFolder, built: Built, job: Job
) -> bool:
    records = [folder.state.intact(folder.root, name, job.digest) for name in job.outputs]
    if not records or not all(records):
        return False
    for name, record in zip(job.outputs, records, strict=True):
        assert record is not None
        built.made[name] = (job.digest, job.article, record.info, record.logs)
        built.sizes[name] = record.size
    built.reused += job.outputs
    first = records[0]
    assert first is not None
    built.report(edition.problems(library, job, Outcome((), first.info, first.logs)))
    return True


def _keep(folder: OutputFolder, built: Built, job: Job) -> None:
    """A job of an edition this build does not make, and whose inputs changed: its files
    stay as the last build made them, under their old digest (so the next full build
    makes them again); a job with no file yet makes nothing."""
    records = [folder.state.files.get(name) for name in job.outputs]
    if not all(records) or not all((folder.root / name).is_file() for name in job.outputs):
        return
    for name, record in zip(job.outputs, records, strict=True):
        assert record is not None
        built.made[name] = (record.digest, job.article, record.info, record.logs)
        built.sizes[name] = record.size
    built.stale += job.outputs


def _take(
    edition: Edition, library: Library, folder: OutputFolder, built: Built, job: Job, got: Outcome
) -> None:
    """Stage what a job made, and note what it reported."""
    found = [*got.problems, *edition.problems(library, job, got)]
    files = dict(got.files)
    if set(files) != set(job.outputs) and not found:
        found.append(error("careleaf", 1, "P604", f"{', '.join(job.outputs)} was not made"))
    for name, data in files.items():
        try:
            folder.stage(name, data)
        except UnsafeName as exc:
            found.append(error("careleaf", 1, "L302", str(exc)))
            continue
        except OSError as exc:
            found.append(error(folder.root, 1, "L302", f"could not write {name}: {exc.strerror}"))
            continue
        built.made[name] = (job.digest, job.article, got.info, got.logs)
        built.sizes[name] = len(data)
    if any(p.severity == "error" for p in found):
        built.failed.add(job.article)
    built.report(found)
