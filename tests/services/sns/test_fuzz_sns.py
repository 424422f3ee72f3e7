"""Property test: generated SNS requests never break a handler (no InternalFailure, only codes
the model declares or common ones, no state change when a request fails)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator import Cloud
from simulator.core.errors import COMMON_CODES, AWSError
from simulator.protocol import codec, registry, spec
from simulator.protocol.validate import validate
from simulator.protocol.wire import PROTOCOL_CODES
from simulator.services.sns.service import SnsService
from tests.protocol.wire_fuzz import JUNK, wire_value
from tests.services.iam.direct import DirectClient

WORLD = Cloud(seed=97)
_SNS = WORLD.client("sns")
_TOPIC = _SNS.create_topic(Name="fuzz")["TopicArn"]
_SUB = _SNS.subscribe(
    TopicArn=_TOPIC, Protocol="lambda", Endpoint="arn:aws:lambda:us-east-1:111122223333:function:f"
)["SubscriptionArn"]
_SNS.subscribe(TopicArn=_TOPIC, Protocol="email", Endpoint="fuzz@example.com")
REFS = [
    "fuzz",
    _TOPIC,
    _SUB,
    "email",
    "email-json",
    "lambda",
    "fuzz@example.com",
    "arn:aws:lambda:us-east-1:111122223333:function:f",
    '{"default": "x"}',
    "json",
    "String",
]
ALLOWED = spec.declared_errors("sns") | COMMON_CODES | PROTOCOL_CODES
CLIENT = DirectClient(WORLD, "sns", WORLD.credentials()["aws_access_key_id"])
_START = (WORLD.service("sns").dump(), WORLD.mail.dump())


def _state() -> str:
    svc = WORLD.service("sns")
    return json.dumps([svc.dump(), WORLD.mail.dump()], sort_keys=True, default=str)


def test_implemented_operations_are_in_the_model() -> None:
    cov = registry.coverage("sns", SnsService.operations)
    assert set(cov["implemented"]) == set(SnsService.operations)
    assert len(SnsService.operations) == 10


@pytest.mark.parametrize("operation", sorted(SnsService.operations))
def test_generated_inputs_never_break_a_handler(operation: str) -> None:
    shape = spec.service_model("sns").operation_model(operation).input_shape
    # Each operation starts from the same world (DeleteTopic must not starve the others).
    WORLD.service("sns").restore(json.loads(json.dumps(_START[0], default=str)))
    WORLD.mail.restore(json.loads(json.dumps(_START[1], default=str)))

    @settings(
        max_examples=30, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    @given(body=st.one_of(wire_value(shape, REFS), JUNK))
    def check(body: Any) -> None:
        try:
            params = codec.decode_input(shape, body)
            validate(shape, params)
        except AWSError:
            return  # refused before any handler runs
        before = _state()
        try:
            CLIENT._call(operation, params)
        except Exception as exc:  # the direct client raises ClientError for AWS errors only
            code = getattr(exc, "response", {}).get("Error", {}).get("Code")
            assert code is not None, repr(exc)
            assert code in ALLOWED, code
            assert _state() == before, code

    check()
