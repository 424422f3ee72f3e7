"""Property test: generated Route 53 requests never break the simulator.

Inputs come from botocore's shapes (``wire_value`` of tests/protocol/test_fuzz_model_inputs.py),
serialized by botocore's own rest-xml serializer and sent to the dispatcher. No response may be
a server error (501 NotSimulatedException aside), every error code must be one Route 53 lists
(``errors.ALL``) or a common/protocol code, and a failed request must leave state unchanged.
Also: the error classes and operations against the model.
"""

from __future__ import annotations

import json

import pytest

from simulator import Cloud
from simulator.core.errors import COMMON_CODES
from simulator.protocol import spec
from simulator.protocol.wire import PROTOCOL_CODES
from simulator.services.route53 import errors
from simulator.services.route53.service import Route53Service
from tests.protocol.wire_fuzz import check_operation, sender
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
_MODEL = spec.service_model("route53")


_SEND = sender(WORLD, _MODEL)


def _state() -> str:
    return json.dumps(WORLD.service("route53").dump(), sort_keys=True, default=str)


@pytest.mark.parametrize("operation", sorted(Route53Service.operations))
def test_generated_inputs_get_route53_errors_and_change_nothing_on_failure(operation: str) -> None:
    check_operation(_MODEL, operation, REFS, _SEND, _state, DECLARED)


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
