"""Typed state ↔ JSON, for snapshots.

Domain state is dataclasses and enums; this module turns them into plain JSON values and back
using the dataclasses' own type hints, so a service's state needs no hand-written
(de)serializer. ``bytes`` fields hold only ciphertext (key material and secret values are
wrapped before they reach state), so writing them as base64 leaks nothing.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as _dt
import enum
import functools
import types
import typing
from typing import Any


def to_json(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {
            f.name: to_json(getattr(obj, f.name))
            for f in dataclasses.fields(obj)
            if not f.metadata.get("transient")
        }
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, _dt.datetime):
        return obj.isoformat()
    if isinstance(obj, bytes):
        return base64.b64encode(obj).decode("ascii")
    if isinstance(obj, (list, tuple)):
        return [to_json(v) for v in list(obj)]
    if isinstance(obj, dict):
        return {str(k): to_json(v) for k, v in obj.items()}
    return obj


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_json(tp: Any, data: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if data is None:
            return None
        return from_json(args[0], data)
    if origin is list:
        (item,) = typing.get_args(tp)
        return [from_json(item, v) for v in data]
    if origin is tuple:
        return tuple(from_json(typing.get_args(tp)[0], v) for v in data)
    if origin is dict:
        kt, vt = typing.get_args(tp)
        return {from_json(kt, k): from_json(vt, v) for k, v in data.items()}
    if tp is Any:
        return data
    if isinstance(tp, type):
        if dataclasses.is_dataclass(tp):
            hints = _hints(tp)
            kwargs = {}
            for f in dataclasses.fields(tp):
                if f.metadata.get("transient") or f.name not in data:
                    continue
                kwargs[f.name] = from_json(hints[f.name], data[f.name])
            return tp(**kwargs)
        if issubclass(tp, enum.Enum):
            return tp(data)
        if tp is _dt.datetime:
            return _dt.datetime.fromisoformat(data)
        if tp is bytes:
            return base64.b64decode(data)
        if tp in (int, str, float, bool):
            return tp(data)
    raise TypeError(f"cannot restore a value of type {tp!r}")
