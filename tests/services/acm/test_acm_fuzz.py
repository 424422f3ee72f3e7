"""Property test: model-shaped and junk inputs to every ACM operation we simulate get AWS
errors (never InternalFailure), only codes the model declares or the common set, and a failed
request leaves ACM's state unchanged (the same check tests/protocol runs for KMS)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator import Cloud
from simulator.core.errors import COMMON_CODES
from simulator.protocol import spec
from simulator.protocol.dispatch import AwsRequest
from simulator.services.acm.service import AcmService
from tests.protocol.test_fuzz_model_inputs import _JUNK, wire_value
from tests.services.acm.conftest import import_self_signed

WORLD = Cloud(seed=11)
_ACM = WORLD.client("acm", region_name="us-east-1")
_ARN = import_self_signed(_ACM, ec.generate_private_key(ec.SECP256R1()), WORLD.clock.now())
WORLD.client("acm", region_name="us-east-1").add_tags_to_certificate(
    CertificateArn=_ARN, Tags=[{"Key": "k", "Value": "v"}]
)
REFS = [
    _ARN,
    _ARN[:-4] + "0000",
    "arn:aws:acm:us-east-1:123456789012:certificate/x",
    "arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012",
    "RSA_2048",
    "acm-list:1",
]
DECLARED = spec.declared_errors("acm") | COMMON_CODES


def _send(body: Any, operation: str) -> tuple[int, dict[str, Any]]:
    key = WORLD.credentials()["aws_access_key_id"]
    headers = {
        "x-amz-target": f"CertificateManager.{operation}",
        "authorization": f"AWS4-HMAC-SHA256 Credential={key}/20260105/us-east-1/acm/aws4_request",
    }
    resp = WORLD.dispatcher.handle(AwsRequest(headers, json.dumps(body).encode()))
    return resp.status, json.loads(resp.body) if resp.body else {}


@pytest.mark.parametrize("operation", sorted(AcmService.operations))
def test_generated_inputs_get_aws_errors_and_change_nothing_on_failure(operation: str) -> None:
    shape = spec.service_model("acm").operation_model(operation).input_shape
    bodies = st.one_of(wire_value(shape, REFS), _JUNK)

    @settings(
        max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    @given(body=bodies)
    def check(body: Any) -> None:
        before = json.dumps(WORLD.service("acm").dump(), sort_keys=True)
        status, payload = _send(body, operation)
        assert status != 500, payload
        if status != 200:
            assert payload["__type"] in DECLARED, payload
            assert json.dumps(WORLD.service("acm").dump(), sort_keys=True) == before, payload

    check()
