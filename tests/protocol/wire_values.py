"""Shape-driven hypothesis strategies and helpers for the protocol round-trip tests.

Values respect each shape's type (not its constraints: the codecs must carry any well-typed
value). Where a member travels decides its text: HTTP headers carry visible ASCII without
surrounding blanks, URI labels are never empty, XML text excludes what XML 1.0 cannot carry.
Timestamps are whole seconds (RFC 822 headers have no fractions).
"""

from __future__ import annotations

import datetime as _dt
import string
from typing import Any

from botocore.awsrequest import prepare_request_dict
from botocore.model import OperationModel, Shape
from hypothesis import strategies as st

from simulator.protocol.messages import AwsRequest

UTC = _dt.UTC

# No carriage return: botocore's XML writer sends it raw and every XML parser folds it into a
# newline (test_protocols_e2e checks that our own XML keeps it, as a character reference).
_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Cn")) | st.sampled_from("\t\n"),
    max_size=8,
)
_HEADER_CHARS = string.ascii_letters + string.digits + "-_.:/=+ ;()"
_HEADER_TEXT = st.text(st.sampled_from(_HEADER_CHARS), max_size=10).map(str.strip)
_LABEL_TEXT = _TEXT.filter(bool)
_KEY_TEXT = st.text(st.sampled_from(string.ascii_lowercase + string.digits + "-"), max_size=6)
_TIMESTAMPS = st.datetimes(
    min_value=_dt.datetime(1971, 1, 1), max_value=_dt.datetime(2100, 1, 1), timezones=st.just(UTC)
).map(lambda d: d.replace(microsecond=0))
_JSON_VALUES = st.dictionaries(_KEY_TEXT, st.integers(-5, 5) | _KEY_TEXT, max_size=2)

_CACHE: dict[tuple[Any, ...], st.SearchStrategy[Any]] = {}


def values(shape: Shape, where: str = "body", depth: int = 0) -> st.SearchStrategy[Any]:
    """Well-typed values of ``shape``; ``where``: body, header, label, query or status."""
    key = (shape, where, min(depth, 5))
    found = _CACHE.get(key)
    if found is None:
        found = _CACHE[key] = _build(shape, where, depth)
    return found


def _scalar_text(where: str) -> st.SearchStrategy[str]:
    return {"header": _HEADER_TEXT, "label": _LABEL_TEXT}.get(where, _TEXT)


def _build(shape: Shape, where: str, depth: int) -> st.SearchStrategy[Any]:
    t = shape.type_name
    if t == "structure":
        if shape.is_document_type:
            return _JSON_VALUES
        if depth > 4:
            return st.just({})
        members = {n: values(m, where, depth + 1) for n, m in shape.members.items()}
        if shape.metadata.get("union"):
            return st.one_of([st.fixed_dictionaries({n: s}) for n, s in members.items()])
        return st.fixed_dictionaries({}, optional=members)
    if t == "list":
        if depth > 4:
            return st.just([])
        return st.lists(values(shape.member, where, depth + 1), max_size=3)
    if t == "map":
        if depth > 4:
            return st.just({})
        keys = _KEY_TEXT if where == "header" else values(shape.key, where, depth + 1)
        return st.dictionaries(keys, values(shape.value, where, depth + 1), max_size=3)
    if t == "string":
        if where == "header" and shape.serialization.get("jsonvalue"):
            return _JSON_VALUES
        return _scalar_text(where)
    if t == "integer":
        return st.integers(200, 299) if where == "status" else st.integers(-(2**31), 2**31 - 1)
    if t == "long":
        return st.integers(-(2**53), 2**53)
    if t in ("float", "double"):
        return st.floats(allow_nan=False, allow_infinity=False)
    if t == "boolean":
        return st.booleans()
    if t == "blob":
        return st.binary(max_size=12)
    if t == "timestamp":
        return _TIMESTAMPS
    raise TypeError(t)


def top_level(shape: Shape) -> st.SearchStrategy[dict[str, Any]]:
    """Values of an operation's input or output shape, each member generated for its location."""
    where = {"uri": "label", "header": "header", "headers": "header", "statusCode": "status"}
    members = {}
    for name, m in shape.members.items():
        location = m.serialization.get("location")
        members[name] = values(m, where.get(location, "query" if location else "body"), 1)
    if shape.metadata.get("union"):
        return st.one_of([st.fixed_dictionaries({n: s}) for n, s in members.items()])
    return st.fixed_dictionaries({}, optional=members)


def normalized(value: Any) -> Any:
    """For comparison: UTC datetimes, and no empty containers (the query protocols and HTTP
    headers cannot tell an empty list, map or structure from an absent one)."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            n = normalized(v)
            if n is not None and n != {} and n != [] and n != b"":
                out[k] = n
        return out
    if isinstance(value, list):
        items = [normalized(v) for v in value]
        return [v for v in items if v != {} and v != []]
    if isinstance(value, _dt.datetime):
        return value.astimezone(UTC)
    return value


def botocore_request(serialized: dict[str, Any], endpoint: str) -> AwsRequest:
    """The request botocore would send for ``serializer.serialize_to_request(...)``."""
    from botocore.awsrequest import create_request_object

    prepare_request_dict(serialized, endpoint)
    prepared = create_request_object(serialized).prepare()
    url = prepared.url.split("://", 1)[1]
    target = "/" + url.split("/", 1)[1] if "/" in url else "/"
    body = prepared.body or b""
    if isinstance(body, str):
        body = body.encode()
    headers = {
        k.lower(): (v.decode() if isinstance(v, bytes) else v) for k, v in prepared.headers.items()
    }
    return AwsRequest(headers, body, prepared.method, target)


def has_event_stream(op: OperationModel) -> bool:
    shape = op.output_shape
    return shape is not None and any(
        m.serialization.get("eventstream") for m in shape.members.values()
    )
