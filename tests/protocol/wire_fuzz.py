"""What every service's fuzz test shares: request values generated from the model's shapes,
and the property check over the JSON protocol and over the other protocols.

``wire_value`` builds values from botocore's input shape (valid ones, out-of-range ones, wrong
JSON types, unknown enum values, and ``refs``: names of things that exist). For the JSON
services (:func:`check_json_operation`) the body goes straight to the dispatcher; for the
others (:func:`check_operation`) botocore's own serializer for the service's protocol writes
the request. No response may be a server error (501 NotSimulatedException aside), every error
code must be in ``allowed``, and a failed request must leave ``state()`` unchanged.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Collection
from typing import Any
from urllib.parse import urlencode

from botocore.model import ServiceModel, Shape
from botocore.serialize import SERIALIZERS
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from simulator import Cloud
from simulator.protocol import spec
from simulator.protocol.dispatch import AwsRequest

_FORM = "application/x-www-form-urlencoded; charset=utf-8"


JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=5),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def wire_value(shape: Shape, refs: list[str], depth: int = 0) -> st.SearchStrategy[Any]:
    t = shape.type_name
    meta = shape.metadata
    if t == "structure":
        if depth > 3:
            return st.just({})
        members = {n: wire_value(m, refs, depth + 1) for n, m in shape.members.items()}
        required = set(shape.required_members)
        return st.fixed_dictionaries(
            {n: s for n, s in members.items() if n in required},
            optional={n: s for n, s in members.items() if n not in required},
        )
    if t == "list":
        return st.lists(wire_value(shape.member, refs, depth + 1), max_size=3)
    if t == "map":
        return st.dictionaries(
            st.text(max_size=8), wire_value(shape.value, refs, depth + 1), max_size=3
        )
    if t == "string":
        options = [st.text(max_size=12), st.sampled_from(refs)]
        if shape.enum:
            options += [st.sampled_from(list(shape.enum))] * 3
        if meta.get("max") is not None:
            options.append(st.just("k" * (meta["max"] + 1)))
        return st.one_of(*options)
    if t in ("integer", "long"):
        lo, hi = meta.get("min", -(2**31)), meta.get("max", 2**31 - 1)
        return st.one_of(st.integers(lo, hi), st.integers(lo - 3, hi + 3))
    if t == "boolean":
        return st.booleans()
    if t == "blob":
        hi = meta.get("max", 64)
        return st.one_of(st.binary(max_size=64), st.just(b"\x01" * (hi + 1))).map(
            lambda b: base64.b64encode(b).decode()
        )
    if t == "timestamp":
        return st.floats(0, 4e9)
    return JUNK


def sender(
    world: Cloud, model: ServiceModel, region: str = "us-east-1"
) -> Callable[[str, dict[str, Any]], tuple[int, str]]:
    """Send ``params`` of an operation as botocore would, signed by the world's administrator."""
    serializer = SERIALIZERS[model.protocol]()
    key = world.credentials()["aws_access_key_id"]
    scope = f"{key}/20260105/{region}/{model.signing_name}/aws4_request"

    def send(operation: str, params: dict[str, Any]) -> tuple[int, str]:
        request = serializer.serialize_to_request(params, model.operation_model(operation))
        headers = {k.lower(): str(v) for k, v in request["headers"].items()}
        headers["authorization"] = f"AWS4-HMAC-SHA256 Credential={scope}"
        body = request["body"]
        if isinstance(body, dict):  # query and ec2: a form
            headers["content-type"] = _FORM
            raw = urlencode(body).encode()
        else:
            raw = body.encode() if isinstance(body, str) else bytes(body or b"")
        path = request["url_path"]
        if request["query_string"]:
            path += "?" + urlencode(request["query_string"], doseq=True)
        resp = world.dispatcher.handle(AwsRequest(headers, raw, request["method"], path))
        return resp.status, resp.body.decode()

    return send


def check_operation(
    model: ServiceModel,
    operation: str,
    refs: list[str],
    send: Callable[[str, dict[str, Any]], tuple[int, str]],
    state: Callable[[], str],
    allowed: Collection[str],
    *,
    examples: int = 30,
) -> None:
    """Run the property for one operation (see the module docstring)."""
    shape = model.operation_model(operation).input_shape

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(params=wire_value(shape, refs) if shape is not None else st.just({}))
    def check(params: Any) -> None:
        try:
            json.dumps(params).encode("utf-8")
        except (UnicodeEncodeError, ValueError):
            assume(False)
        before = state()
        try:
            status, body = send(operation, params)
        except (TypeError, ValueError, AttributeError, UnicodeEncodeError, KeyError):
            assume(False)  # botocore itself cannot serialize it: a client would never send it
            return
        assert status < 500 or (status == 501 and "NotSimulatedException" in body), body
        if status >= 300:
            code = re.search(r"<Code>(.*?)</Code>", body)
            assert code is not None, body
            assert code.group(1) in allowed, body
            assert state() == before, body

    check()


def check_json_operation(
    world: Cloud,
    service: str,
    operation: str,
    refs: list[str],
    state: Callable[[], str],
    allowed: Collection[str],
    *,
    examples: int = 40,
    read_only: bool = False,
) -> None:
    """The property for one operation of a JSON 1.1 service; ``read_only``: state never moves."""
    model = spec.service_model(service)
    shape = model.operation_model(operation).input_shape
    target = f"{model.metadata['targetPrefix']}.{operation}"
    key = world.credentials()["aws_access_key_id"]
    headers = {
        "x-amz-target": target,
        "authorization": (
            f"AWS4-HMAC-SHA256 Credential={key}/20260105/us-east-1/"
            f"{model.signing_name}/aws4_request"
        ),
    }

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(body=st.one_of(wire_value(shape, refs), JUNK) if shape is not None else JUNK)
    def check(body: Any) -> None:
        before = state()
        resp = world.dispatcher.handle(AwsRequest(dict(headers), json.dumps(body).encode()))
        payload = json.loads(resp.body) if resp.body else {}
        assert resp.status != 500, payload
        if resp.status != 200:
            assert payload["__type"] in allowed, payload
        if resp.status != 200 or read_only:
            assert state() == before, payload

    check()
