"""careleaf on a Dask cluster next to its local process pool, on a generated library
(``benchmarks/generate.py``).

    python benchmarks/dask.py [--articles 200] [--workers 2] [--rounds 2] [--tasks 40]
                              [--tiny 1000]

Prints, side by side in one run:

- the full build (the real command line, a fresh output folder each time) on this
  machine's process pool (``--jobs WORKERS``), and with ``--scheduler`` on a
  LocalCluster of WORKERS worker processes of one thread each, started beforehand as a
  standing cluster would be (its start-up is not timed; its workers load careleaf and
  WeasyPrint with their first task, as the pool's do). The two alternate ROUNDS times;
  the fastest of each is compared, and the load average before each build is shown
  (on a shared machine, other work slows either); then whether their outputs are the
  same bytes, and the workers' compute time per leaflet (Dask's task stream);
- one leaflet task, TASKS of them one after another, on one pool worker and on one
  Dask worker: the CPU seconds of the thread that renders, and the wall time per task
  (what a Dask worker adds to the work itself);
- what Dask adds per task: TINY tasks that do nothing, sent through
  ``Client.get_executor()`` and through a ``ProcessPoolExecutor``, all at once
  (throughput) and one after another (round trip).

Nothing is written outside a temporary folder.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from concurrent.futures import Executor, ProcessPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# This file is called dask.py: its folder goes last, after the real dask package.
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != HERE), str(HERE)]

from generate import generate  # noqa: E402

TODAY = "2026-11-25"


def publish(folder: Path, output: str, *extra: str) -> float:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(ROOT / "publish.py"), "--quiet", "--today", TODAY,
         "--output", output, *extra],
        cwd=folder, capture_output=True, text=True, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},  # the pool's workers import this careleaf
    )  # fmt: skip
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"build failed:\n{result.stderr[-3000:]}")
    return elapsed


def outputs(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".careleaf" not in p.parts
    }


def nothing(value: int) -> int:
    return value


def per_task(executor: Executor, count: int) -> tuple[float, float]:
    """Milliseconds per task that does nothing: all sent at once, and one at a time."""
    executor.submit(nothing, 0).result()  # started
    start = time.perf_counter()
    for future in [executor.submit(nothing, n) for n in range(count)]:
        future.result()
    together = (time.perf_counter() - start) / count * 1000
    rounds = max(count // 10, 10)
    start = time.perf_counter()
    for n in range(rounds):
        executor.submit(nothing, n).result()
    alone = (time.perf_counter() - start) / rounds * 1000
    return together, alone


def timed(fonts: Mapping[str, bytes], task: Any) -> tuple[float, float]:
    """Run one leaflet task where it was sent: its thread's CPU seconds, and wall seconds."""
    from careleaf import blobs
    from careleaf.engine import run_task

    if not blobs.holds(fonts):
        blobs.install(fonts)
    cpu, wall = time.thread_time(), time.perf_counter()
    run_task(task)
    return time.thread_time() - cpu, time.perf_counter() - wall


def leaflet_tasks(folder: Path, count: int) -> list[Any]:
    from careleaf.build import BuildOptions, build
    from careleaf.render import LeafletTask
    from careleaf.runners import Collecting

    collecting = Collecting()
    options = BuildOptions(
        folder / "manuscripts", folder / "tasks-output", folder / "careleaf.toml", True,
        today=date.fromisoformat(TODAY),
    )  # fmt: skip
    build(options, runner=collecting)
    return [task for task in collecting.tasks if isinstance(task, LeafletTask)][:count]


def one_after_another(executor: Executor, fonts: Any, tasks: list[Any]) -> tuple[float, float]:
    executor.submit(timed, fonts, tasks[0]).result()  # warm: imports, fonts, stylesheet
    times = [executor.submit(timed, fonts, task).result() for task in tasks]
    return sum(c for c, _ in times) / len(times), sum(w for _, w in times) / len(times)


def compute_seconds(stream: list[dict[str, Any]]) -> tuple[float, int]:
    """The workers' compute time of careleaf's leaflet tasks, and how many there were."""
    total, count = 0.0, 0
    for record in stream:
        if not str(record["key"]).startswith("LeafletTask-"):
            continue
        count += 1
        spans = record["startstops"]
        total += sum(s["stop"] - s["start"] for s in spans if s["action"] == "compute")
    return total, count


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    from distributed import Client, LocalCluster, get_task_stream

    from careleaf.fontset import font_set
    from careleaf.leafletfonts import shared_fonts

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--tasks", type=int, default=40)
    parser.add_argument("--tiny", type=int, default=1000)
    args = parser.parse_args()
    local: list[float] = []
    remote: list[float] = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name) / "library"
        generate(folder, args.articles)
        cluster = LocalCluster(
            n_workers=args.workers, threads_per_worker=1, processes=True,
            dashboard_address=":0", local_directory=name,
        )  # fmt: skip
        with cluster, Client(cluster.scheduler_address, set_as_default=False) as client:
            for round in range(args.rounds):
                print(f"  round {round + 1}: load {load()} before the local build", flush=True)
                local.append(publish(folder, f"out-local-{round}", "--jobs", str(args.workers)))
                print(f"  round {round + 1}: load {load()} before the Dask build", flush=True)
                with get_task_stream(client) as stream:
                    remote.append(publish(folder, f"out-dask-{round}", "--scheduler",
                                          cluster.scheduler_address))  # fmt: skip
                busy, leaflets = compute_seconds(stream.data)
            dask_tiny = per_task(client.get_executor(), args.tiny)
            tasks = leaflet_tasks(folder, args.tasks)
            fonts = shared_fonts(font_set())  # the generated library has no fonts of its own
            with LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                              dashboard_address=":0", local_directory=name) as one, Client(
                one.scheduler_address, set_as_default=False) as alone:  # fmt: skip
                [scattered] = alone.scatter([fonts], broadcast=True)
                dask_task = one_after_another(alone.get_executor(pure=False), scattered, tasks)
        spawn = multiprocessing.get_context("spawn")  # imports this careleaf, as Dask's do
        with ProcessPoolExecutor(1, mp_context=spawn) as pool:
            pool_task = one_after_another(pool, fonts, tasks)
        with ProcessPoolExecutor(args.workers, mp_context=spawn) as pool:
            pool_tiny = per_task(pool, args.tiny)
        same = outputs(folder / "out-local-0") == outputs(folder / "out-dask-0")
    print(f"library of {args.articles} articles ({leaflets} leaflets), {args.workers} workers")
    print(f"  full build, local process pool:  {min(local):7.1f} s  (each round: "
          f"{', '.join(f'{t:.1f}' for t in local)})")  # fmt: skip
    print(f"  full build, Dask LocalCluster:   {min(remote):7.1f} s  (each round: "
          f"{', '.join(f'{t:.1f}' for t in remote)})")  # fmt: skip
    print(f"  Dask / local:                    {min(remote) / min(local):7.2f}")
    print(f"  same bytes:                      {'yes' if same else 'NO'}")
    each = busy / max(leaflets, 1)
    print(f"  leaflet compute on the workers:  {busy:7.1f} s  ({each:.3f} s each, last round)")
    print(f"one leaflet task at a time ({len(tasks)}), seconds: CPU of the thread / wall")
    print(f"  pool worker:                     {pool_task[0]:7.3f} / {pool_task[1]:.3f}")
    print(f"  Dask worker:                     {dask_task[0]:7.3f} / {dask_task[1]:.3f}")
    print(f"tasks that do nothing ({args.tiny}), ms per task: all at once / one at a time")
    print(f"  Dask Client.get_executor():      {dask_tiny[0]:7.2f} / {dask_tiny[1]:.2f}")
    print(f"  ProcessPoolExecutor:             {pool_tiny[0]:7.2f} / {pool_tiny[1]:.2f}")


if __name__ == "__main__":
    main()
