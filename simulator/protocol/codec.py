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
from collections.abc import Callable
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
    if shape is None or body is None:
        return {}
    if not isinstance(body, dict):
        raise _mismatch(body, shape)
    out: dict[str, Any] = decoder(shape)(body)
    return out


# Each shape gets a decoder and an encoder closure, built once: the request path then does no
# botocore property look-ups, which matters because it runs on every call.
_DECODERS: dict[Shape, Callable[[Any], Any]] = {}
_ENCODERS: dict[Shape, Callable[[Any], Any]] = {}


def decoder(shape: Shape) -> Callable[[Any], Any]:
    fn = _DECODERS.get(shape)
    if fn is None:
        fn = _DECODERS[shape] = _build_decoder(shape)
    return fn


def encoder(shape: Shape) -> Callable[[Any], Any]:
    fn = _ENCODERS.get(shape)
    if fn is None:
        fn = _ENCODERS[shape] = _build_encoder(shape)
    return fn


def _build_decoder(shape: Shape) -> Callable[[Any], Any]:
    t = shape.type_name
    if t == "structure":
        members = dict(shape.members)
        # String members (the common case) are checked inline rather than through a call.
        strings = {n for n, m in members.items() if m.type_name == "string"}

        def structure(value: Any) -> Any:
            if value.__class__ is not dict:
                raise _mismatch(value, shape)
            out: dict[str, Any] = {}
            for name, raw in value.items():
                if raw is None:
                    continue
                if name in strings:
                    if raw.__class__ is not str:
                        raise _mismatch(raw, members[name])
                    out[name] = raw
                    continue
                member = members.get(name)
                # Unknown members are ignored, as AWS's JSON front end ignores them.
                if member is not None:
                    out[name] = decoder(member)(raw)
            return out

        return structure
    if t == "list":
        item = shape.member

        def listing(value: Any) -> Any:
            if not isinstance(value, list):
                raise _mismatch(value, shape)
            dec = decoder(item)
            return [dec(v) for v in value if v is not None]

        return listing
    if t == "map":
        ks, vs = shape.key, shape.value
        if ks.type_name == "string" and vs.type_name == "string":

            def string_map(value: Any) -> Any:
                if value.__class__ is not dict:
                    raise _mismatch(value, shape)
                for v in value.values():
                    if v.__class__ is not str and v is not None:
                        raise _mismatch(v, vs)
                return {k: v for k, v in value.items() if v is not None}

            return string_map

        def mapping(value: Any) -> Any:
            if not isinstance(value, dict):
                raise _mismatch(value, shape)
            kd, vd = decoder(ks), decoder(vs)
            return {kd(k): vd(v) for k, v in value.items() if v is not None}

        return mapping
    if t == "string":

        def string(value: Any) -> Any:
            if value.__class__ is not str:
                raise _mismatch(value, shape)
            return value

        return string
    if t in ("integer", "long"):

        def integer(value: Any) -> Any:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise _mismatch(value, shape)
            if isinstance(value, float):
                if not value.is_integer():
                    raise SerializationException("NUMBER_VALUE can not be converted to an Integer")
                return int(value)
            return value

        return integer
    if t in ("double", "float"):

        def floating(value: Any) -> Any:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise _mismatch(value, shape)
            return float(value)

        return floating
    if t == "boolean":

        def boolean(value: Any) -> Any:
            if not isinstance(value, bool):
                raise _mismatch(value, shape)
            return value

        return boolean
    if t == "blob":

        def blob(value: Any) -> Any:
            if not isinstance(value, str):
                raise _mismatch(value, shape)
            try:
                # strict_mode rejects characters outside the alphabet and bad padding, like
                # b64decode(validate=True) but without its per-call regular expression.
                return binascii.a2b_base64(value, strict_mode=True)
            except (binascii.Error, ValueError):
                raise SerializationException("Base64 encoded value could not be decoded") from None

        return blob
    if t == "timestamp":
        return lambda value: _timestamp(shape, value)
    raise TypeError(f"unsupported shape type {t}")


def _timestamp(shape: Shape, value: Any) -> _dt.datetime:
    if isinstance(value, bool):
        raise _mismatch(value, shape)
    if isinstance(value, (int, float)):
        try:
            return _dt.datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            raise SerializationException("NUMBER_VALUE can not be converted to a Date") from None
    if isinstance(value, str):
        try:
            parsed = _dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise SerializationException("STRING_VALUE can not be converted to a Date") from None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    raise _mismatch(value, shape)


def encode_output(shape: Shape | None, value: Any) -> Any:
    """Python values → JSON-ready values, following the output shape."""
    if shape is None or value is None:
        return {}
    return encoder(shape)(value)


def _identity(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def _build_encoder(shape: Shape) -> Callable[[Any], Any]:
    t = shape.type_name
    if t == "structure":
        members = dict(shape.members)

        def structure(value: Any) -> Any:
            out: dict[str, Any] = {}
            for name, v in value.items():
                if v is None:
                    continue
                cls = v.__class__
                if cls is str or cls is bool or cls is int:
                    out[name] = v  # plain JSON values need no conversion
                else:
                    out[name] = encoder(members[name])(v)
            return out

        return structure
    if t == "list":
        item = shape.member
        return lambda value: [encoder(item)(v) for v in value]
    if t == "map":
        vs = shape.value
        return lambda value: {_identity(k): encoder(vs)(v) for k, v in value.items()}
    if t == "blob":
        return lambda value: base64.b64encode(value).decode("ascii")
    if t == "timestamp":
        return lambda value: value.timestamp()
    return _identity
