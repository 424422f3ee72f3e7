"""Property test: generated EventBridge requests never break the simulator.

Inputs come from botocore's shapes (tests/protocol/test_fuzz_model_inputs.py builds them); no
response may be an InternalFailure, every error code must be declared in the model or common,
and a failed request must leave the rules, targets, delivery log and event history unchanged.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator import Cloud
from simulator.core.errors import COMMON_CODES
from simulator.protocol import spec
from simulator.protocol.dispatch import AwsRequest
from simulator.services.events.service import EventsService
from tests.protocol.test_fuzz_model_inputs import _JUNK, wire_value

WORLD = Cloud(seed=98)
_EVENTS = WORLD.client("events")
_EVENTS.put_rule(Name="fuzz", EventPattern='{"source": ["my.app"]}')
_EVENTS.put_targets(
    Rule="fuzz", Targets=[{"Id": "t", "Arn": "arn:aws:lambda:us-east-1:1:function:f"}]
)
REFS = [
    "fuzz",
    "default",
    "my.app",
    "{}",
    '{"source": ["my.app"]}',
    "rate(5 minutes)",
    "cron(0 10 * * ? *)",
    "arn:aws:lambda:us-east-1:1:function:f",
]
DECLARED = spec.declared_errors("events") | COMMON_CODES


def _send(operation: str, body: Any) -> tuple[int, dict[str, Any]]:
    key = WORLD.credentials()["aws_access_key_id"]
    scope = f"{key}/20260105/us-east-1/events/aws4_request"
    headers = {
        "x-amz-target": f"AWSEvents.{operation}",
        "authorization": f"AWS4-HMAC-SHA256 Credential={scope}",
    }
    resp = WORLD.dispatcher.handle(AwsRequest(headers, json.dumps(body).encode()))
    return resp.status, json.loads(resp.body)


def _state() -> str:
    svc = WORLD.service("events")
    return json.dumps([svc.dump(), len(WORLD.events.history)], sort_keys=True, default=str)


@pytest.mark.parametrize("operation", sorted(EventsService.operations))
def test_generated_inputs_get_aws_errors_and_change_nothing_on_failure(operation: str) -> None:
    shape = spec.service_model("events").operation_model(operation).input_shape
    bodies = st.one_of(wire_value(shape, REFS), _JUNK)

    @settings(
        max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    @given(body=bodies)
    def check(body: Any) -> None:
        before = _state()
        status, payload = _send(operation, body)
        assert status != 500, payload
        if status != 200:
            assert payload["__type"] in DECLARED, payload
            assert _state() == before, payload

    check()
