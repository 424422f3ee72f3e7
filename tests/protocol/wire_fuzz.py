"""The property check shared by the non-JSON services' fuzz tests (EC2, ELBv2, Route 53).

A request is generated from the operation's input shape (``wire_value``), serialized by
botocore's own serializer for the service's protocol and sent to the dispatcher. No response may
be a server error (501 NotSimulatedException aside), every error code must be in ``allowed``,
and a failed request must leave ``state()`` unchanged.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection
from typing import Any
from urllib.parse import urlencode

from botocore.model import ServiceModel
from botocore.serialize import SERIALIZERS
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from simulator import Cloud
from simulator.protocol.dispatch import AwsRequest
from tests.protocol.test_fuzz_model_inputs import wire_value

_FORM = "application/x-www-form-urlencoded; charset=utf-8"


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
