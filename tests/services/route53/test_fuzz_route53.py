"""Property test: generated Route 53 requests never break the simulator.

Inputs come from botocore's shapes (``wire_value`` of tests/protocol/test_fuzz_model_inputs.py),
serialized by botocore's own rest-xml serializer and sent to the dispatcher. No response may be
a server error (501 NotSimulatedException aside), every error code must be one Route 53 lists
(``errors.ALL``) or a common/protocol code, and a failed request must leave state unchanged.
Also: the error classes and operations against the model.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlencode

import pytest
from botocore.serialize import RestXMLSerializer
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from simulator import Cloud
from simulator.core.errors import COMMON_CODES
from simulator.protocol import spec
from simulator.protocol.dispatch import AwsRequest
from simulator.protocol.wire import PROTOCOL_CODES
from simulator.services.route53 import errors
from simulator.services.route53.service import Route53Service
from tests.protocol.test_fuzz_model_inputs import wire_value
from tests.services.route53.conftest import batch, rrset

WORLD = Cloud(seed=96)
_R53 = WORLD.client("route53")
_CREATED = _R53.create_hosted_zone(Name="fuzz.example", CallerReference="fuzz")
_ZONE = _CREATED["HostedZone"]["Id"].rsplit("/", 1)[1]
_CHANGE = _R53.change_resource_record_sets(
    HostedZoneId=_ZONE, ChangeBatch=batch(("CREATE", rrset("www.fuzz.example", "A", "192.0.2.1")))
)["ChangeInfo"]["Id"].rsplit("/", 1)[1]
REFS = [_ZONE, _CHANGE, "fuzz", "fuzz.example", "www.fuzz.example.", "192.0.2.1", "A", "CNAME",
        "TXT", "NS", "SOA", "CREATE", "DELETE", "UPSERT", "10", "300"]  # fmt: skip
DECLARED = {cls.code for cls in errors.ALL} | COMMON_CODES | PROTOCOL_CODES
_SERIALIZER = RestXMLSerializer()
_MODEL = spec.service_model("route53")


def _send(operation: str, params: dict[str, Any]) -> tuple[int, str]:
    request = _SERIALIZER.serialize_to_request(params, _MODEL.operation_model(operation))
    key = WORLD.credentials()["aws_access_key_id"]
    scope = f"{key}/20260105/us-east-1/route53/aws4_request"
    headers = {k.lower(): str(v) for k, v in request["headers"].items()}
    headers["authorization"] = f"AWS4-HMAC-SHA256 Credential={scope}"
    path = request["url_path"]
    if request["query_string"]:
        path += "?" + urlencode(request["query_string"], doseq=True)
    body = request["body"]
    raw = body.encode() if isinstance(body, str) else bytes(body or b"")
    resp = WORLD.dispatcher.handle(AwsRequest(headers, raw, request["method"], path))
    return resp.status, resp.body.decode()


def _state() -> str:
    return json.dumps(WORLD.service("route53").dump(), sort_keys=True, default=str)


@pytest.mark.parametrize("operation", sorted(Route53Service.operations))
def test_generated_inputs_get_route53_errors_and_change_nothing_on_failure(operation: str) -> None:
    shape = _MODEL.operation_model(operation).input_shape

    @settings(
        max_examples=30, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    @given(params=wire_value(shape, REFS) if shape is not None else st.just({}))
    def check(params: Any) -> None:
        before = _state()
        try:
            status, body = _send(operation, params)
        except (TypeError, ValueError, AttributeError, UnicodeEncodeError, KeyError):
            assume(False)  # botocore itself cannot serialize it: a client would never send it
            return
        assert status < 500 or (status == 501 and "NotSimulatedException" in body), body
        if status >= 300:
            code = re.search(r"<Code>(.*?)</Code>", body)
            assert code is not None, body
            assert code.group(1) in DECLARED, body
            assert _state() == before, body

    check()


def test_error_classes_match_the_model() -> None:
    for cls in errors.ALL:
        shape = _MODEL.shape_for(cls.code)
        assert shape.metadata.get("exception") is True, cls
        error = shape.metadata.get("error", {})
        # InvalidChangeBatch declares no status; Route 53 sends it as 400.
        assert cls.status == error.get("httpStatusCode", 400), cls


def test_implemented_operations_exist_in_the_model() -> None:
    assert set(Route53Service.operations) <= set(_MODEL.operation_names)
    assert Route53Service.operations["GetChange"].action == "route53:GetChange"
