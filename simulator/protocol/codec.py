"""JSON 1.1 body codec, driven by botocore shapes.

``decode_input`` turns a parsed request body into Python values (blob → ``bytes``, timestamp →
aware ``datetime``), rejecting wrong JSON types with ``SerializationException`` as AWS's
front end does. ``encode_output`` turns a handler's result back into wire JSON (``bytes`` →
base64, ``datetime`` → epoch seconds, ``Enum`` → value). Which members are blobs or timestamps
is read from the shapes, never listed by hand.
"""

from __future__ import annotations

import base64
import binascii
import datetime as _dt
import enum
from typing import Any

from botocore.model import Shape

from simulator.core.errors import SerializationException

UTC = _dt.UTC

_JSON_KIND = {
    dict: "Start of structure or map",
    list: "Start of list",
    str: "STRING_VALUE",
    bool: "BOOLEAN_VALUE",
    int: "NUMBER_VALUE",
    float: "NUMBER_VALUE",
}
_TARGET = {
    "string": "a String",
    "integer": "an Integer",
    "long": "a Long",
    "boolean": "a Boolean",
    "double": "a Double",
    "float": "a Float",
    "blob": "a ByteBuffer",
    "timestamp": "a Date",
}


def _mismatch(value: Any, shape: Shape) -> SerializationException:
    kind = _JSON_KIND.get(type(value), "Value")
    if shape.type_name in ("structure", "map", "list") or isinstance(value, (dict, list)):
        return SerializationException(f"{kind} found where not expected")
    return SerializationException(f"{kind} can not be converted to {_TARGET[shape.type_name]}")


def decode_input(shape: Shape | None, body: Any) -> dict[str, Any]:
    if shape is None:
        return {}
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise _mismatch(body, shape)
    out: dict[str, Any] = _decode(shape, body)
    return out


def _decode(shape: Shape, value: Any) -> Any:
    t = shape.type_name
    if t == "structure":
        if not isinstance(value, dict):
            raise _mismatch(value, shape)
        members = shape.members
        out: dict[str, Any] = {}
        for name, raw in value.items():
            member = members.get(name)
            # Unknown members are ignored, as AWS's JSON front end ignores them.
            if member is None or raw is None:
                continue
            out[name] = _decode(member, raw)
        return out
    if t == "list":
        if not isinstance(value, list):
            raise _mismatch(value, shape)
        m = shape.member
        return [_decode(m, v) for v in value if v is not None]
    if t == "map":
        if not isinstance(value, dict):
            raise _mismatch(value, shape)
        ks, vs = shape.key, shape.value
        return {_decode(ks, k): _decode(vs, v) for k, v in value.items() if v is not None}
    if t == "string":
        if not isinstance(value, str):
            raise _mismatch(value, shape)
        return value
    if t in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _mismatch(value, shape)
        if isinstance(value, float):
            if not value.is_integer():
                raise SerializationException("NUMBER_VALUE can not be converted to an Integer")
            return int(value)
        return value
    if t in ("double", "float"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _mismatch(value, shape)
        return float(value)
    if t == "boolean":
        if not isinstance(value, bool):
            raise _mismatch(value, shape)
        return value
    if t == "blob":
        if not isinstance(value, str):
            raise _mismatch(value, shape)
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise SerializationException("Base64 encoded value could not be decoded") from None
    if t == "timestamp":
        if isinstance(value, bool):
            raise _mismatch(value, shape)
        if isinstance(value, (int, float)):
            try:
                return _dt.datetime.fromtimestamp(value, UTC)
            except (OverflowError, OSError, ValueError):
                raise SerializationException(
                    "NUMBER_VALUE can not be converted to a Date"
                ) from None
        if isinstance(value, str):
            try:
                parsed = _dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                raise SerializationException(
                    "STRING_VALUE can not be converted to a Date"
                ) from None
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        raise _mismatch(value, shape)
    raise SerializationException(f"unsupported shape type {t}")


def encode_output(shape: Shape | None, value: Any) -> Any:
    """Python values → JSON-ready values, following the output shape."""
    if shape is None or value is None:
        return {}
    return _encode(shape, value)


def _encode(shape: Shape, value: Any) -> Any:
    t = shape.type_name
    if t == "structure":
        members = shape.members
        out: dict[str, Any] = {}
        for name, v in value.items():
            if v is None:
                continue
            out[name] = _encode(members[name], v)
        return out
    if t == "list":
        m = shape.member
        return [_encode(m, v) for v in value]
    if t == "map":
        vs = shape.value
        return {
            (k.value if isinstance(k, enum.Enum) else k): _encode(vs, v) for k, v in value.items()
        }
    if t == "blob":
        return base64.b64encode(value).decode("ascii")
    if t == "timestamp":
        return value.timestamp()
    if isinstance(value, enum.Enum):
        return value.value
    return value
