"""careleaf on a Dask cluster next to its local process pool, on a generated library
(``benchmarks/generate.py``).

    python benchmarks/dask.py [--articles 200] [--workers 2] [--tiny 1000]

Prints, side by side in one run:

- the full build (the real command line, a fresh output folder) on this machine's
  process pool (``--jobs WORKERS``), and with ``--scheduler`` on a LocalCluster of
  WORKERS worker processes of one thread each, started beforehand as a standing
  cluster would be (its start-up is not timed; its workers load careleaf and
  WeasyPrint with their first task, as the pool's do); then the ratio of the two, and
  whether their outputs are the same bytes;
- how long the workers computed the leaflet tasks (Dask's task stream), per leaflet;
- what Dask adds per task: TINY tasks that do nothing, sent through
  ``Client.get_executor()`` and through a local ``ProcessPoolExecutor``, all at once
  (throughput) and one after another (round trip).

Nothing is written outside a temporary folder.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from concurrent.futures import Executor, ProcessPoolExecutor
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


def main() -> None:
    from distributed import Client, LocalCluster, get_task_stream

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--tiny", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name) / "library"
        generate(folder, args.articles)
        local = publish(folder, "out-local", "--jobs", str(args.workers))
        cluster = LocalCluster(
            n_workers=args.workers, threads_per_worker=1, processes=True,
            dashboard_address=":0", local_directory=name,
        )  # fmt: skip
        with cluster, Client(cluster.scheduler_address, set_as_default=False) as client:
            with get_task_stream(client) as stream:
                remote = publish(folder, "out-dask", "--scheduler", cluster.scheduler_address)
            busy, leaflets = compute_seconds(stream.data)
            dask_tiny = per_task(client.get_executor(), args.tiny)
        with ProcessPoolExecutor(args.workers) as pool:
            pool_tiny = per_task(pool, args.tiny)
        same = outputs(folder / "out-local") == outputs(folder / "out-dask")
    print(f"library of {args.articles} articles ({leaflets} leaflets), {args.workers} workers")
    print(f"  full build, local process pool:  {local:7.1f} s")
    print(f"  full build, Dask LocalCluster:   {remote:7.1f} s")
    print(f"  Dask / local:                    {remote / local:7.2f}")
    print(f"  same bytes:                      {'yes' if same else 'NO'}")
    each = busy / max(leaflets, 1)
    print(f"  leaflet compute on the workers:  {busy:7.1f} s  ({each:.3f} s each)")
    print(f"tasks that do nothing ({args.tiny}), ms per task: all at once / one at a time")
    print(f"  Dask Client.get_executor():      {dask_tiny[0]:7.2f} / {dask_tiny[1]:.2f}")
    print(f"  ProcessPoolExecutor:             {pool_tiny[0]:7.2f} / {pool_tiny[1]:.2f}")


if __name__ == "__main__":
    main()
