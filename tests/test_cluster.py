"""Rendering on a Dask cluster (careleaf/cluster.py): the same bytes as a local build,
workers that never see the project, fonts sent once per worker, a worker killed
mid-build, a scheduler that cannot be reached, goes away or has no worker, the fallback
to this machine, and Dask missing.

One LocalCluster of two worker processes of one thread serves the module; the tests
that stop a scheduler start their own."""

from __future__ import annotations

import os
import pickle
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import chdir
from datetime import date
from pathlib import Path
from typing import Any

import dask
import pytest
import workerguard
from conftest import MIXED, ROOT, TODAY, build_project, run_cli
from distributed import Client, LocalCluster
from distributed.diagnostics.plugin import SchedulerPlugin
from test_engine import files, published

from careleaf import cluster as careleaf_cluster
from careleaf.build import BuildOptions, BuildReport, build
from careleaf.fontset import font_set
from careleaf.leafletfonts import shared_fonts
from careleaf.render import LeafletTask
from careleaf.runners import Collecting, address_problem

DAY = date.fromisoformat(TODAY[1])
LEAFLETS = 10  # five articles, two editions


def copy(root: Path, to: Path) -> Path:
    shutil.copytree(root, to, copy_function=shutil.copy2)  # times kept: outputs stay current
    return to


def edit(root: Path, line: str = "Wear a hat with a wide brim.") -> None:
    manuscript = root / "manuscripts" / "sunburn.md"
    manuscript.write_text(manuscript.read_text(encoding="utf-8") + f"\n{line}\n", "utf-8")


def options(root: Path, **more: Any) -> BuildOptions:
    return BuildOptions(
        root / "manuscripts", root / "output", root / "careleaf.toml", True, today=DAY, **more
    )


def free_address() -> str:
    """A local port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"tcp://127.0.0.1:{probe.getsockname()[1]}"


class Counting(SchedulerPlugin):
    """How often the scheduler started each of careleaf's tasks on a worker."""

    def __init__(self) -> None:
        self.started: Counter[str] = Counter()

    def transition(self, key: Any, start: str, finish: str, *args: Any, **kwargs: Any) -> None:
        if str(key).startswith("LeafletTask-") and finish == "processing":
            self.started[str(key)] += 1


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCluster]:
    """Two worker processes of one thread each, started in a folder of their own."""
    elsewhere = tmp_path_factory.mktemp("workers")
    with chdir(elsewhere):
        local = LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
            local_directory=str(elsewhere),
        )  # fmt: skip
    yield local
    local.close()


@pytest.fixture(scope="module")
def client(cluster: LocalCluster) -> Iterator[Client]:
    with Client(cluster.scheduler_address, set_as_default=False) as watching:
        yield watching


@pytest.fixture
def counting(cluster: LocalCluster) -> Iterator[Counting]:
    plugin = Counting()
    cluster.scheduler.add_plugin(plugin, name="careleaf-counting")
    yield plugin
    cluster.scheduler.remove_plugin(name="careleaf-counting")


@pytest.fixture(scope="module")
def local_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference: the library built on this machine's process pool."""
    root = copy(MIXED, tmp_path_factory.mktemp("local") / "clinic")
    shutil.rmtree(root / "output", ignore_errors=True)
    assert build_project(root, root / "output", "--jobs", "2", "--quiet") == 0
    return root


@pytest.fixture(scope="module")
def cluster_built(
    tmp_path_factory: pytest.TempPathFactory, cluster: LocalCluster, client: Client
) -> tuple[Path, dict[str, list[str]]]:
    """The same library built on the cluster, whose workers may not see the project:
    the project, and what each worker tried to reach in it."""
    root = copy(MIXED, tmp_path_factory.mktemp("cluster") / "clinic")
    shutil.rmtree(root / "output", ignore_errors=True)
    client.run(workerguard.watch, str(root))
    try:
        code = build_project(
            root, root / "output", "--scheduler", cluster.scheduler_address, "--quiet"
        )
        assert code == 0
        seen = client.run(workerguard.seen)
        assert not any(client.run(workerguard.can_read, str(root / "careleaf.toml")).values())
    finally:
        client.run(workerguard.watch, None)
    return root, seen


def test_a_cluster_build_is_byte_identical_to_a_local_one(
    local_built: Path, cluster_built: tuple[Path, dict[str, list[str]]]
) -> None:
    root, _ = cluster_built
    made = published(root / "output")
    assert len([name for name in made if name.endswith(".pdf")]) == LEAFLETS
    assert made == published(local_built / "output")


def test_workers_never_see_the_manuscripts_or_write_the_output(
    cluster_built: tuple[Path, dict[str, list[str]]], client: Client
) -> None:
    """The workers were refused the whole project folder (and started in another
    working folder), and still rendered every leaflet; the fonts reached each worker
    process once, not once per leaflet."""
    root, seen = cluster_built
    assert seen and all(tried == [] for tried in seen.values())
    assert len(list((root / "output" / "leaflets").rglob("*.pdf"))) == LEAFLETS
    installs = client.run(workerguard.font_installs)
    assert sorted(installs.values()) == [1, 1]


def test_tasks_carry_their_data_but_not_the_fonts(tmp_path: Path) -> None:
    """What goes over the network per leaflet: its HTML, CSS and pictures, never the
    shared fonts (those go once per worker)."""
    root = copy(MIXED, tmp_path / "clinic")
    collecting = Collecting()
    build(options(root), runner=collecting)
    fonts = shared_fonts(font_set())  # the library has no fonts of its own
    leaflets = [task for task in collecting.tasks if isinstance(task, LeafletTask)]
    assert len(leaflets) == LEAFLETS
    for task in leaflets:
        shipped = pickle.dumps(task)
        assert not any(data in shipped for data in fonts.values())
        assert set(task.fonts) <= set(fonts)  # named by digest, found on the worker


def test_only_changed_leaflets_go_to_the_cluster(
    cluster_built: tuple[Path, dict[str, list[str]]],
    cluster: LocalCluster,
    counting: Counting,
    tmp_path: Path,
) -> None:
    root = copy(cluster_built[0], tmp_path / "clinic")
    report = build(options(root, scheduler=cluster.scheduler_address))
    assert not report.failed and report.result is not None and counting.started == Counter()
    edit(root)
    report = build(options(root, scheduler=cluster.scheduler_address))
    assert not report.failed and report.result is not None
    assert len(counting.started) == 2  # the two leaflets of the article edited
    assert {"leaflets/sunburn.pdf", "leaflets/large-print/sunburn.pdf"} <= set(
        report.result.written
    )


def test_a_worker_killed_mid_build_has_its_task_run_by_another(
    local_built: Path, cluster: LocalCluster, client: Client, counting: Counting, tmp_path: Path
) -> None:
    root = copy(MIXED, tmp_path / "clinic")
    shutil.rmtree(root / "output", ignore_errors=True)
    pids = client.run(os.getpid)
    done: list[BuildReport] = []
    thread = threading.Thread(
        target=lambda: done.append(build(options(root, scheduler=cluster.scheduler_address)))
    )
    thread.start()
    victim = None
    while victim is None and thread.is_alive():
        for address, worker in list(cluster.scheduler.workers.items()):
            if any(str(t.key).startswith("LeafletTask-") for t in list(worker.processing)):
                victim = address
                break
        time.sleep(0.01)
    assert victim is not None, "no leaflet was ever rendering"
    os.kill(pids[victim], signal.SIGKILL)
    thread.join(timeout=300)
    client.wait_for_workers(2, timeout=120)  # the nanny starts it again, for the next tests
    [report] = done
    assert not report.failed, [str(p) for p in report.problems]
    assert max(counting.started.values()) >= 2  # a task was started again elsewhere
    assert published(root / "output") == published(local_built / "output")


def test_an_unreachable_scheduler_stops_the_build_and_keeps_the_outputs(
    local_built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT", "2s")
    root = copy(local_built, tmp_path / "clinic")
    edit(root)
    before = files(root / "output")
    address = free_address()
    result = run_cli("build", "--scheduler", address, cwd=root)
    assert result.returncode == 1
    said = f"careleaf:1: error L310: the Dask scheduler at {address} (--scheduler) could not be"
    assert said + " reached" in result.stderr
    assert "--scheduler-fallback local" in result.stderr and "Traceback" not in result.stderr
    assert "nothing was written" in result.stderr
    assert files(root / "output") == before  # bytes and modification times


def test_the_fallback_builds_here_when_the_scheduler_cannot_be_reached(
    local_built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT", "2s")
    root = copy(local_built, tmp_path / "clinic")
    edit(root, "Put sun cream on again every two hours.")
    address = free_address()
    result = run_cli("build", "--scheduler", address, "--scheduler-fallback", "local", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "building on this machine instead" in result.stderr
    assert "Traceback" not in result.stderr
    text = subprocess.run(
        ["pdftotext", str(root / "output" / "leaflets" / "sunburn.pdf"), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "every two hours" in text


def _stop_mid_build(tmp_path: Path, local_built: Path, **more: Any) -> tuple[Path, BuildReport]:
    """A build on a scheduler of its own, stopped once the first leaflet is rendering.
    The clinic's phone number changed, so every leaflet is made again."""
    root = copy(local_built, tmp_path / "clinic")
    config = root / "careleaf.toml"
    text = re.sub(r"(?m)^phone = .*$", 'phone = "0100 000"', config.read_text(encoding="utf-8"))
    config.write_text(text, encoding="utf-8")
    own = LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0")
    done: list[BuildReport] = []
    thread = threading.Thread(
        target=lambda: done.append(build(options(root, scheduler=own.scheduler_address, **more)))
    )
    thread.start()
    rendering = False
    while thread.is_alive() and not rendering:
        time.sleep(0.01)
        rendering = any(
            str(t.key).startswith("LeafletTask-")
            for worker in list(own.scheduler.workers.values())
            for t in list(worker.processing)
        )
    own.close()
    assert rendering, "the build ended before any leaflet was rendering"
    thread.join(timeout=300)
    return root, done[0]


def test_a_scheduler_that_goes_away_stops_the_build_and_keeps_the_outputs(
    local_built: Path, tmp_path: Path
) -> None:
    before = files(local_built / "output")
    root, report = _stop_mid_build(tmp_path, local_built)
    assert [p.code for p in report.problems if p.severity == "error"] == ["L311"]
    [gone] = [p for p in report.problems if p.code == "L311"]
    assert (gone.path, gone.line) == ("careleaf", 1) and "went away" in gone.message
    assert report.result is None
    assert files(root / "output") == before


def test_the_fallback_finishes_here_when_the_scheduler_goes_away(
    local_built: Path, tmp_path: Path
) -> None:
    root, report = _stop_mid_build(tmp_path, local_built, scheduler_fallback="local")
    assert not report.failed, [str(p) for p in report.problems]
    text = subprocess.run(
        ["pdftotext", str(root / "output" / "leaflets" / "large-print" / "sunburn.pdf"), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "0100 000" in text


def test_a_scheduler_without_workers_is_a_problem(local_built: Path, tmp_path: Path) -> None:
    root = copy(local_built, tmp_path / "clinic")
    edit(root)
    empty = LocalCluster(n_workers=0, processes=True, dashboard_address=":0")
    try:
        with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
            report = build(options(root, scheduler=empty.scheduler_address))
    finally:
        empty.close()
    assert [p.code for p in report.problems if p.severity == "error"] == ["L314"]


def test_a_worker_of_another_careleaf_renders_nothing(
    local_built: Path, cluster: LocalCluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This machine's careleaf differs from the workers' (as after an upgrade here only)."""
    root = copy(local_built, tmp_path / "clinic")
    edit(root)
    before = files(root / "output")
    monkeypatch.setattr(careleaf_cluster, "renderer", lambda: "0" * 64)
    report = build(options(root, scheduler=cluster.scheduler_address))
    errors = [p for p in report.problems if p.severity == "error"]
    assert errors and {p.code for p in errors} == {"L313"}  # one for each worker it reached
    named = {p.message.split(" runs another version")[0].split()[-1] for p in errors}
    assert named <= set(cluster.scheduler.workers)
    assert files(root / "output") == before


def test_the_scheduler_in_careleaf_toml_and_a_missing_dask(
    local_built: Path, tmp_path: Path
) -> None:
    """``[build] scheduler``: a no-op rebuild never contacts it (nothing to render); with
    something to render and Dask not importable, L312 at the setting's line."""
    root = copy(local_built, tmp_path / "clinic")
    config = root / "careleaf.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text + f'\n[build]\nscheduler = "{free_address()}"\n', encoding="utf-8")
    line = len(text.splitlines()) + 3
    unchanged = run_cli("build", cwd=root)
    assert unchanged.returncode == 0, unchanged.stderr
    assert "0 files written" in unchanged.stdout
    edit(root)
    before = files(root / "output")
    hide = "import sys; sys.modules['distributed'] = None; from careleaf.cli import main; "
    result = subprocess.run(
        [sys.executable, "-c", hide + "raise SystemExit(main(sys.argv[1:]))", *TODAY, "build"],
        cwd=root, capture_output=True, text=True, check=False, env={**os.environ,
        "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert result.returncode == 1
    assert f"careleaf.toml:{line}: error L312:" in result.stderr
    assert "pip install 'careleaf[dask]'" in result.stderr and "Traceback" not in result.stderr
    assert files(root / "output") == before


def test_scheduler_settings_are_checked(tmp_path: Path) -> None:
    assert address_problem("tcp://10.0.0.5:8786") is None
    assert address_problem("tls://scheduler.clinic.internal:8786") is None
    assert address_problem("10.0.0.5:8786") is None
    assert address_problem("[::1]:8786") is None
    for wrong in ("10.0.0.5", "http://10.0.0.5:8786", "tcp://:8786", "tcp://a b:1", "x:99999"):
        assert address_problem(wrong) is not None, wrong
    usage = run_cli("build", "--scheduler", "10.0.0.5", cwd=tmp_path)
    assert usage.returncode == 2 and "not a Dask scheduler address" in usage.stderr
    (tmp_path / "manuscripts").mkdir()
    (tmp_path / "careleaf.toml").write_text(
        '[build]\nscheduler = "10.0.0.5"\nscheduler_fallback = "maybe"\n', encoding="utf-8"
    )
    checked = run_cli("check", cwd=tmp_path)
    assert "careleaf.toml:2: error C104: [build] scheduler: '10.0.0.5'" in checked.stderr
    assert "careleaf.toml:3: error C104: [build] scheduler_fallback" in checked.stderr
