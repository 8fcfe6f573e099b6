"""Writing outputs safely: never a half-written file, never a mix of two builds.

A build that writes takes a lock on the output folder (``.careleaf/lock``; a second
build at the same time stops with a clear message). Each file a task makes is written
at once into ``.careleaf/staging/`` (so a large build never holds every PDF in
memory); only when the whole build has succeeded are the staged files moved into
place, one ``os.replace`` each, so every output is at every moment either the old
file or the new one. A failed build throws the staging folder away: the last good
outputs stay as they were. A build killed at any moment leaves the outputs readable;
the next build removes what the killed one left behind and completes the work.
Files careleaf wrote before that the build no longer makes are removed; only names
the state file lists and that stay inside the folder, so an edited state file can
never delete anything else.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from careleaf.paths import UnsafeName, inside
from careleaf.state import Made, State, file_digest

INTERNAL = ".careleaf"  # careleaf's own files inside the output folder
_OLD_TEMPORARY = re.compile(r"\..+\.\d+\.tmp")  # left by careleaf before 0.2 when killed
_OLD_STATE = (".careleaf-files", ".careleaf-inputs.json")


class Busy(RuntimeError):
    """Another build holds the output folder."""


@dataclass(frozen=True)
class WriteResult:
    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]


class OutputFolder:
    """The output folder of one build: its lock, its staged files, its state."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.internal = root / INTERNAL
        self.staging = self.internal / "staging"
        self.staged: dict[str, Path] = {}  # name -> staged file
        self.unchanged: set[str] = set()
        self.committed = False
        # nothing is read through a link (``locked`` refuses the folder)
        self.state = State() if self._link() else State.load(self.internal / "state.json")

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the folder for this build; ``Busy`` when another build holds it. A folder
        this build created is taken away again if the build writes nothing into it."""
        created = not self.root.exists()
        link = self._link()
        if link is not None:
            reason = "careleaf's own folder is a link to somewhere else; remove the link"
            raise OSError(errno.EPERM, reason, str(link))
        self.internal.mkdir(parents=True, exist_ok=True)
        handle: IO[str] = (self.internal / "lock").open("a", encoding="utf-8")
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise Busy("another careleaf build is writing to this folder") from None
            self._remove_leftovers()
            try:
                yield
            finally:
                self.discard()
                if created and not self.committed:
                    shutil.rmtree(self.root, ignore_errors=True)
        finally:
            handle.close()  # closing releases the lock

    def _link(self) -> Path | None:
        """The first of careleaf's own folders (and files) inside the output folder that
        is a link: never used, since the build writes, and removes, what it finds there
        (a link to another folder made it delete that folder's files)."""
        own = (self.internal, self.staging, *self.internal.glob("*"))
        return next((path for path in own if path.is_symlink()), None)

    def _remove_leftovers(self) -> None:
        """What a killed build left: its staging folder, and careleaf's old temporary files."""
        shutil.rmtree(self.staging, ignore_errors=True)
        for folder, _, names in os.walk(self.root):
            if Path(folder) == self.internal or Path(folder).is_relative_to(self.internal):
                continue
            for name in names:
                if _OLD_TEMPORARY.fullmatch(name):
                    (Path(folder) / name).unlink(missing_ok=True)

    def stage(self, name: str, data: bytes) -> None:
        """Write output ``name`` into the staging folder (unless the file already holds
        exactly ``data``). ``UnsafeName`` for a name careleaf may not write."""
        target = inside(self.root, name)
        self.staged.pop(name, None)
        self.unchanged.discard(name)
        if target.is_file() and not target.is_symlink() and _same(target, data):
            self.unchanged.add(name)
            return
        staged = self.staging / name
        staged.parent.mkdir(parents=True, exist_ok=True)
        with staged.open("wb") as handle:
            handle.write(data)
        self.staged[name] = staged

    def commit(
        self,
        made: Mapping[str, tuple[str, str, Mapping[str, object], tuple[tuple[str, ...], ...]]],
        keep: frozenset[str] = frozenset(),
    ) -> WriteResult:
        """Move every staged file into place, remove files careleaf made before that this
        build did not make (except ``keep``), and record the new state. ``made``: for
        every output of this build, (inputs digest, article, info, logs)."""
        os.sync()  # the staged bytes are on disk before any of them replaces a file
        written = []
        for name in sorted(self.staged):
            target = inside(self.root, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            os.replace(self.staged[name], target)
            written.append(name)
        self.staged.clear()
        removed = self._remove_stale(set(made) | keep)
        files = {name: self._record(name, *made[name]) for name in sorted(made)}
        files.update(
            {n: self.state.files[n] for n in keep if n in self.state.files and n not in made}
        )
        self.state = State(files)
        self._write_state()
        self.committed = True
        unchanged = sorted(self.unchanged & set(made))
        return WriteResult(tuple(written), tuple(unchanged), tuple(removed))

    def discard(self) -> None:
        self.staged.clear()
        shutil.rmtree(self.staging, ignore_errors=True)

    def _record(
        self, name: str, digest: str, article: str, info: Mapping[str, object],
        logs: tuple[tuple[str, ...], ...],
    ) -> Made:  # fmt: skip
        path = self.root / name
        status = path.stat()
        return Made(file_digest(path), status.st_size, status.st_mtime_ns, digest, article,
                    dict(info), logs)  # fmt: skip

    def _remove_stale(self, keep: set[str]) -> list[str]:
        removed = []
        previous = set(self.state.files) | _old_manifest(self.root)
        for name in sorted(previous - keep):
            try:
                stale = inside(self.root, name)
            except UnsafeName:
                continue
            if stale.is_file() and not stale.is_symlink():
                stale.unlink()
                removed.append(name)
        for old in _OLD_STATE:
            (self.root / old).unlink(missing_ok=True)
        return removed

    def _write_state(self) -> None:
        replace_if_changed(self.internal / "state.json", self.state.to_bytes())


def replace_if_changed(target: Path, data: bytes) -> None:
    """Write careleaf's own file ``target`` atomically, unless it already holds ``data``."""
    if _same(target, data):
        return
    temporary = target.with_name(target.name + ".new")
    temporary.write_bytes(data)
    os.replace(temporary, target)


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _old_manifest(root: Path) -> set[str]:
    """The list of files careleaf 0.1 kept, so that its outputs are tidied up too."""
    try:
        return set((root / _OLD_STATE[0]).read_text(encoding="utf-8").split("\n")) - {""}
    except (OSError, UnicodeDecodeError):
        return set()
