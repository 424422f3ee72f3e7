"""Property test: model-shaped and junk inputs to every ACM operation we simulate get AWS
errors (never InternalFailure), only codes the model declares or the common set, and a failed
request leaves ACM's state unchanged (the same check tests/protocol runs for KMS)."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from simulator import Cloud
from simulator.core.errors import COMMON_CODES
from simulator.protocol import spec
from simulator.services.acm.service import AcmService
from tests.protocol.wire_fuzz import check_json_operation
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


def _state() -> str:
    return json.dumps(WORLD.service("acm").dump(), sort_keys=True)


@pytest.mark.parametrize("operation", sorted(AcmService.operations))
def test_generated_inputs_get_aws_errors_and_change_nothing_on_failure(operation: str) -> None:
    check_json_operation(WORLD, "acm", operation, REFS, _state, DECLARED, examples=60)
