"""Content-addressed data shared by many tasks (the leaflets' fonts), in each process.

The parent names each blob by the SHA-256 of its bytes and hands the blobs to every
worker once; a task names the blobs it needs by digest, and finds them here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

_STORE: dict[str, bytes] = {}


def name(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def install(blobs: Mapping[str, bytes]) -> None:
    """Keep ``blobs`` (digest -> bytes) for the tasks this process runs."""
    _STORE.update(blobs)


def get(digest: str) -> bytes:
    """A blob by its digest; ``KeyError`` when this process was never given it."""
    return _STORE[digest]


def holds(digests: Iterable[str]) -> bool:
    """Whether this process was given every blob of ``digests`` already."""
    return all(digest in _STORE for digest in digests)
