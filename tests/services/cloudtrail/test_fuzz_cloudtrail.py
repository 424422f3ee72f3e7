"""Property test: generated LookupEvents requests never break the simulator (no
InternalFailure; every error code declared in the CloudTrail model or common)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator import Cloud
from simulator.core.errors import COMMON_CODES
from simulator.protocol import spec
from simulator.services.cloudtrail.service import CloudTrailService
from tests.protocol.wire_fuzz import JUNK, wire_value
from tests.services.cloudtrail.test_lookup_events import LookupError_, call

WORLD = Cloud(seed=97)
WORLD.client("kms").create_key()
REFS = ["EventName", "CreateKey", "kms.amazonaws.com", "Administrator", "true", "AWS::KMS::Key"]
DECLARED = spec.declared_errors("cloudtrail") | COMMON_CODES


@pytest.mark.parametrize("operation", sorted(CloudTrailService.operations))
def test_generated_inputs_get_aws_errors(operation: str) -> None:
    shape = spec.service_model("cloudtrail").operation_model(operation).input_shape
    bodies = st.one_of(wire_value(shape, REFS), JUNK)

    @settings(
        max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    @given(body=bodies)
    def check(body: Any) -> None:
        params = body if isinstance(body, dict) else {"_": body}
        try:
            call(WORLD, operation, **params)
        except LookupError_ as exc:
            assert exc.code in DECLARED and exc.code != "InternalFailure", exc

    check()
