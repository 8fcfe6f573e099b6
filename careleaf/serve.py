"""``careleaf serve``: a live preview of the web edition while an editor writes.

It builds the web pages and the report (``careleaf.build.build``, which makes only
what changed), serves the output folder on this computer (``careleaf.devserver``),
watches the manuscripts, the layouts, the translations and ``careleaf.toml``
(watchfiles), and builds again as soon as one of them changes; open pages reload
themselves. Leaflets and the e-book take longer, so they are made when the editor
asks (the button on the preview's bar), not on every change: until then they stay as
the last full build made them. Builds run one at a time on one thread, each holding
the output folder's lock and writing through its staging folder, so a page is always
either the old one or the new one. Ctrl-C lets the build under way finish, then
stops: no half-written file, no staging folder left behind.
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import Any

from careleaf.build import BuildOptions, BuildReport, build
from careleaf.devserver import LOOPBACK, PreviewServer
from careleaf.problems import Problem, display_path, plural
from careleaf.report import counts, problem_record

QUICK = frozenset({"web", "report"})  # what a change makes again at once
KINDS = {"web": "web pages", "full": "leaflets and the e-book"}


class Preview:
    """The builds and what the last one found; shared by the builder, the watcher and
    the server's threads."""

    def __init__(self, options: BuildOptions) -> None:
        self.options = options
        self.root = options.output
        self.changed = threading.Condition()
        self.wanted: str | None = "web"
        self.building = ""
        self.generation = 0
        self.report: BuildReport | None = None
        self.when = "Building the web pages for the first time…"
        self.stopping = False

    def request(self, kind: str) -> None:
        """Ask for a build: 'web' (pages and report) or 'full' (every edition)."""
        with self.changed:
            if self.wanted != "full":
                self.wanted = kind
            self.changed.notify_all()

    def stop(self) -> None:
        with self.changed:
            self.stopping = True
            self.changed.notify_all()

    def wait(self, generation: int, building: str, timeout: float) -> bool:
        """Wait until a build starts or ends (True), or ``timeout`` seconds pass (False)."""
        with self.changed:
            return self.changed.wait_for(
                lambda: self.stopping or self.generation != generation or self.building != building,
                timeout,
            )

    def status(self) -> dict[str, Any]:
        with self.changed:
            report = self.report
            found = report.problems if report else ()
            tally = counts(found)
            stopped = report is not None and report.failed
            summary = f"{plural(tally['errors'], 'error')}, {plural(tally['warnings'], 'warning')}"
            if stopped:
                summary += "; nothing was written, so the pages are from the last good build:"
            return {
                "generation": self.generation,
                "building": KINDS.get(self.building, ""),
                "when": self.when,
                "stale": len(report.stale) if report else 0,
                "ok": not stopped,
                "summary": summary,
                "problems": [_record(p) for p in found],
            }

    def run(self) -> None:
        """The builder thread: one build at a time, until stopped."""
        while True:
            with self.changed:
                self.changed.wait_for(lambda: self.stopping or self.wanted is not None)
                if self.stopping:
                    return
                kind, self.wanted = self.wanted or "web", None
                self.building = kind
                self.changed.notify_all()
            started = time.monotonic()
            report = self._build(kind)
            seconds = time.monotonic() - started
            with self.changed:
                self.report = report
                self.building = ""
                self.generation += 1
                clock = time.strftime("%H:%M:%S")
                self.when = f"Built the {KINDS[kind]} at {clock}, in {seconds:.1f} s."
                self.changed.notify_all()
            _tell(report, kind, seconds)

    def _build(self, kind: str) -> BuildReport:
        if kind == "full":
            return build(replace(self.options, editions=None))
        # the web pages and report are made in this process (no leaflet is rendered)
        return build(replace(self.options, editions=QUICK, jobs=1))


def _record(problem: Problem) -> dict[str, Any]:
    record = problem_record(problem, with_path=True)
    return {**record, "hint": record["hint"] or ""}


def _tell(report: BuildReport, kind: str, seconds: float) -> None:
    """The terminal's account of a build: its problems, then one line."""
    for problem in report.problems:
        print(problem, file=sys.stderr, flush=True)
    found = counts(report.problems)
    tally = f"{plural(found['errors'], 'error')}, {plural(found['warnings'], 'warning')}"
    if report.failed:
        print(f"careleaf: the {KINDS[kind]} stopped with {tally}; the pages are as they "
              "were (the problems are on the page too).", file=sys.stderr, flush=True)  # fmt: skip
        return
    written = len(report.result.written) if report.result else 0
    print(f"careleaf: built the {KINDS[kind]} in {seconds:.1f} s: "
          f"{plural(written, 'file')} written; {tally}.", flush=True)  # fmt: skip


def watch(preview: Preview, stop: threading.Event, config: Path) -> None:
    """The watcher thread: a change to a manuscript, image, layout, translation or to
    ``careleaf.toml`` asks for a quick build."""
    import watchfiles

    from careleaf.config import load_config
    from careleaf.layouts import default_layouts

    settings = load_config(config, explicit=preview.options.config_given)[0]
    folders = [preview.options.manuscripts, settings.root / "locale", default_layouts()]
    folders += [settings.layouts] if settings.layouts is not None else []
    watched = [str(f) for f in dict.fromkeys(folders) if f.is_dir()]
    last = _stamp(config)
    for changes in watchfiles.watch(
        *watched, stop_event=stop, yield_on_timeout=True, rust_timeout=1000, raise_interrupt=False
    ):
        now = _stamp(config)
        if changes or now != last:
            preview.request("web")
        last = now


def _stamp(path: Path) -> tuple[int, int]:
    """When ``careleaf.toml`` changed (checked every second: editors replace the file
    when they save it, which a watch on the file itself would lose)."""
    try:
        status = path.stat()
    except OSError:
        return (0, 0)
    return (status.st_mtime_ns, status.st_size)


def serve(options: BuildOptions, host: str, port: int) -> int:
    """Build, serve and watch until Ctrl-C; 0 when stopped, 2 when the port is taken."""
    preview = Preview(replace(options, write=True, quiet=True, only=None))
    try:
        server = PreviewServer((host, port), preview, any_host=host not in LOOPBACK)
    except OSError as exc:
        print(f"careleaf: cannot serve on {host}:{port}: {exc.strerror}; "
              "choose another port with --port", file=sys.stderr)  # fmt: skip
        return 2
    stop = threading.Event()

    def interrupted(number: int, frame: FrameType | None) -> None:
        stop.set()

    for name in ("SIGINT", "SIGTERM"):
        signal.signal(getattr(signal, name), interrupted)
    threads = [
        threading.Thread(target=preview.run, name="careleaf-build"),
        threading.Thread(target=watch, args=(preview, stop, options.config), daemon=True,
                         name="careleaf-watch"),
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                         name="careleaf-serve"),
    ]  # fmt: skip
    for thread in threads:
        thread.start()
    shown = f"[{host}]" if ":" in host else host
    address = f"http://{shown}:{server.server_address[1]}/"
    if host not in LOOPBACK:
        print(f"careleaf: warning: --host {host} lets other computers on the network see "
              "the preview (and ask it to build); use it only on a network you trust.",
              file=sys.stderr, flush=True)  # fmt: skip
    print(f"careleaf: previewing {display_path(options.output)}/ at {address} "
          "(press Ctrl-C to stop)", flush=True)  # fmt: skip
    while not stop.wait(0.5):
        pass
    print("careleaf: stopping (letting the build under way finish)…", flush=True)
    preview.stop()
    server.shutdown()
    server.server_close()
    threads[0].join()  # the build under way
    threads[1].join(timeout=5)
    print("careleaf: preview stopped.", flush=True)
    return 0
