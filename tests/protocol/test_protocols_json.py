"""Property tests: the JSON 1.1 codec agrees with botocore for EventBridge and CloudTrail.

(a) Bodies botocore's serializer writes decode (codec.decode_input) to the same parameters;
(b) what codec.encode_output writes parses in botocore to the same values. Every operation.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.awsrequest import HeadersDict
from botocore.parsers import create_parser
from botocore.serialize import create_serializer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator import Cloud
from simulator.protocol import codec, spec
from tests.protocol.wire_values import normalized, top_level

SERVICES = ("events", "cloudtrail")
SETTINGS = settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
CASES = [(s, op) for s in SERVICES for op in sorted(spec.service_model(s).operation_names)]


@pytest.mark.parametrize(("service", "operation"), CASES)
def test_botocore_bodies_decode_to_the_same_parameters(service: str, operation: str) -> None:
    op = spec.service_model(service).operation_model(operation)
    serializer = create_serializer("json", include_validation=False)
    params_strategy = top_level(op.input_shape) if op.input_shape is not None else st.just({})

    @SETTINGS
    @given(params=params_strategy)
    def check(params: dict[str, Any]) -> None:
        serialized = serializer.serialize_to_request(params, op)
        target = serialized["headers"]["X-Amz-Target"]
        assert target == f"{op.metadata['targetPrefix']}.{operation}"
        decoded = codec.decode_input(op.input_shape, json.loads(serialized["body"]))
        assert normalized(decoded) == normalized(params)

    check()


@pytest.mark.parametrize(("service", "operation"), CASES)
def test_encoded_results_parse_in_botocore(service: str, operation: str) -> None:
    op = spec.service_model(service).operation_model(operation)
    parser = create_parser("json")
    shape = op.output_shape
    results = top_level(shape) if shape is not None else st.just({})

    @SETTINGS
    @given(result=results)
    def check(result: dict[str, Any]) -> None:
        body = json.dumps(codec.encode_output(shape, result)).encode()
        raw = {"body": body, "headers": HeadersDict({"x-amzn-requestid": "r"}), "status_code": 200}
        parsed = parser.parse(raw, shape)
        assert parsed.pop("ResponseMetadata")["RequestId"] == "r"
        assert normalized(parsed) == normalized(result)

    check()


def test_json_targets_of_every_known_service_are_routed() -> None:
    """EventBridge and CloudTrail are reached by their X-Amz-Target prefixes, KMS still by its."""
    from simulator.protocol.messages import AwsRequest

    cloud = Cloud(seed=3)
    key = cloud.credentials()["aws_access_key_id"]
    auth = f"AWS4-HMAC-SHA256 Credential={key}/20260105/us-east-1/x/aws4_request"
    for service in ("kms", *SERVICES):
        model = spec.service_model(service)
        operation = sorted(model.operation_names)[0]
        target = f"{model.metadata['targetPrefix']}.{operation}"
        resp = cloud.dispatcher.handle(
            AwsRequest({"x-amz-target": target, "authorization": auth}, b"{}")
        )
        assert json.loads(resp.body or b"{}").get("__type") != "UnknownOperationException"
