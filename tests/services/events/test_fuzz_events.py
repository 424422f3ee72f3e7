"""Property test: generated EventBridge requests never break the simulator.

Inputs come from botocore's shapes (tests/protocol/test_fuzz_model_inputs.py builds them); no
response may be an InternalFailure, every error code must be declared in the model or common,
and a failed request must leave the rules, targets, delivery log and event history unchanged.
"""

from __future__ import annotations

import json

import pytest

from simulator import Cloud
from simulator.core.errors import COMMON_CODES
from simulator.protocol import spec
from simulator.services.events.service import EventsService
from tests.protocol.wire_fuzz import check_json_operation

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


def _state() -> str:
    svc = WORLD.service("events")
    return json.dumps([svc.dump(), len(WORLD.events.history)], sort_keys=True, default=str)


@pytest.mark.parametrize("operation", sorted(EventsService.operations))
def test_generated_inputs_get_aws_errors_and_change_nothing_on_failure(operation: str) -> None:
    check_json_operation(WORLD, "events", operation, REFS, _state, DECLARED, examples=40)
