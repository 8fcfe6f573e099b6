"""Run inside Dask workers by tests/test_cluster.py (through ``Client.run``): a worker
that may not see a folder. An audit hook refuses, and notes, every file opened, listed,
made or removed under the folder watched, as if the worker ran on another machine."""

from __future__ import annotations

import os
import sys
from typing import Any

_EVENTS = {"open", "os.listdir", "os.scandir", "os.mkdir", "os.rename", "os.replace",
           "os.remove", "os.rmdir", "os.chdir", "shutil.copyfile"}  # fmt: skip
_WATCHED: list[str] = []
_SEEN: list[str] = []
_HOOKED: list[bool] = []


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if not _WATCHED or event not in _EVENTS or not args:
        return
    target = args[0]
    if not isinstance(target, (str, bytes, os.PathLike)):
        return
    full = os.path.abspath(os.fsdecode(target))
    root = _WATCHED[0]
    if full == root or full.startswith(root + os.sep):
        _SEEN.append(f"{event} {full}")
        raise PermissionError(f"this worker may not see {root}")


def watch(root: str | None) -> None:
    """Refuse ``root`` from now on in this worker (None: refuse nothing)."""
    if not _HOOKED:
        sys.addaudithook(_hook)
        _HOOKED.append(True)
    _WATCHED[:] = [os.path.abspath(root)] if root else []
    _SEEN.clear()


def seen() -> list[str]:
    """What this worker tried to reach under the folder watched."""
    return list(_SEEN)


def can_read(path: str) -> bool:
    try:
        with open(path, "rb") as file:
            file.read(1)
    except PermissionError:
        return False
    return True


def font_installs() -> int:
    """How often this worker process installed the shared fonts."""
    from careleaf import onworker

    return onworker.installs
