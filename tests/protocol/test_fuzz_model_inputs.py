"""Property test: inputs generated from the model's shapes never break the simulator.

For every implemented operation, hypothesis builds request bodies from botocore's input shape
(valid values, out-of-range values, wrong JSON types, unknown enum values) and sends them
through the dispatcher. No response may be an InternalFailure, every error code must be one the
model declares or one of the common codes, and a request that fails must leave state unchanged.
"""

from __future__ import annotations

import json

import pytest

from simulator import Cloud
from simulator.core.errors import COMMON_CODES
from simulator.protocol import spec
from simulator.services.kms.service import KmsService
from tests.protocol.wire_fuzz import check_json_operation

WORLD = Cloud(seed=99)
_KMS = WORLD.client("kms")
_KEY = _KMS.create_key(Description="fuzz")["KeyMetadata"]
_KMS.create_alias(AliasName="alias/fuzz", TargetKeyId=_KEY["KeyId"])
REFS = [_KEY["KeyId"], _KEY["Arn"], "alias/fuzz", "alias/aws/x", "arn:aws:kms:::", "default"]
DECLARED = spec.declared_errors("kms") | COMMON_CODES


def _state() -> str:
    return json.dumps(WORLD.kms.dump(), sort_keys=True)


@pytest.mark.parametrize("operation", sorted(KmsService.operations))
def test_generated_inputs_get_aws_errors_and_change_nothing_on_failure(operation: str) -> None:
    check_json_operation(WORLD, "kms", operation, REFS, _state, DECLARED, examples=80)
