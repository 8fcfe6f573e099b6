"""Frozen dataclasses to JSON and back, for careleaf's own state between builds.

careleaf keeps what it worked out for each manuscript (``careleaf.frontcache``) so
that a rebuild does not read and convert every article again. The state lives in
the output folder, which anyone can edit or damage, so it is plain JSON read back
into the declared types, never pickle: a value of the wrong shape raises
``ValueError`` and the caller treats it as no state at all.
"""

from __future__ import annotations

import base64
import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from datetime import date
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

Store = Callable[[bytes], str]  # keeps bytes elsewhere, and names them
Load = Callable[[str], bytes]  # gives back what ``Store`` named
_LARGE = 4096  # bytes longer than this go to ``store`` when one is given
_LOADER: ContextVar[Load | None] = ContextVar("careleaf_codec_loader", default=None)


def encode(value: Any, store: Store | None = None) -> Any:
    """A JSON-able form of ``value`` (dataclasses, tuples, mappings, dates, paths, bytes);
    with ``store``, large bytes are kept there and named (``{"$blob": name}``)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name), store) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, bytes):
        if store is not None and len(value) > _LARGE:
            return {"$blob": store(value)}
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, Mapping):
        return {str(key): encode(item, store) for key, item in value.items()}
    if isinstance(value, list | tuple | frozenset | set):
        return [encode(item, store) for item in value]
    raise TypeError(f"cannot encode {type(value).__name__}")


def decode(kind: Any, data: Any, load: Load | None = None) -> Any:
    """``data`` (as ``encode`` made it) read back as ``kind``; ``ValueError`` if it is not one
    (``load`` gives back the bytes ``encode`` kept elsewhere)."""
    token = _LOADER.set(load)
    try:
        return _decode(kind, data)
    except (TypeError, KeyError, AttributeError, OverflowError, OSError) as exc:
        raise ValueError(f"not a {kind}: {exc}") from None
    finally:
        _LOADER.reset(token)


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _decode(kind: Any, data: Any) -> Any:
    origin = typing.get_origin(kind)
    if kind is Any:
        return data
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(kind)
        if data is None and type(None) in options:
            return None
        for option in options:
            if option is type(None):
                continue
            try:
                return _decode(option, data)
            except (ValueError, TypeError, KeyError):
                continue
        raise ValueError(f"{data!r} fits none of {options}")
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        if not isinstance(data, dict):
            raise ValueError(f"{kind.__name__} must be an object")
        hints = _hints(kind)
        values = {
            f.name: _decode(hints[f.name], data[f.name])
            for f in dataclasses.fields(kind)
            if f.init and f.name in data
        }
        return kind(**values)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(data)
    if kind is bool:
        return _exact(data, bool)
    if kind is int:
        if isinstance(data, bool):
            raise ValueError("a number, not true/false")
        return _exact(data, int)
    if kind is float:
        return float(_exact(data, int | float))
    if kind is str:
        return _exact(data, str)
    if kind is date:
        return date.fromisoformat(_exact(data, str))
    if kind is Path:
        return Path(_exact(data, str))
    if kind is bytes:
        load = _LOADER.get()
        if isinstance(data, dict) and load is not None:
            return load(_exact(data["$blob"], str))
        return base64.b64decode(_exact(data, str), validate=True)
    if kind is type(None):
        if data is not None:
            raise ValueError("must be null")
        return None
    if origin is tuple:
        args = typing.get_args(kind)
        items = _exact(data, list)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], item) for item in items)
        if len(args) != len(items):
            raise ValueError("wrong number of items")
        return tuple(_decode(arg, item) for arg, item in zip(args, items, strict=True))
    if origin in (list, frozenset):
        (arg,) = typing.get_args(kind)
        items = [_decode(arg, item) for item in _exact(data, list)]
        return items if origin is list else frozenset(items)
    if origin in (dict, Mapping, typing.Mapping):
        key_kind, value_kind = typing.get_args(kind)
        if key_kind is not str:
            raise TypeError("only text keys")
        return {
            _exact(key, str): _decode(value_kind, value)
            for key, value in _exact(data, dict).items()
        }
    raise TypeError(f"cannot decode {kind}")


def _exact(data: Any, kind: Any) -> Any:
    if not isinstance(data, kind):
        raise ValueError(f"{data!r:.40} is not {kind}")
    return data
