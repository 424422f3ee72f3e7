"""Property test: generated ELBv2 requests never break the simulator.

Inputs come from botocore's shapes (``wire_value`` of tests/protocol/test_fuzz_model_inputs.py),
form-encoded by botocore's own query serializer and sent to the dispatcher. No response may be
a server error (501 NotSimulatedException aside), every error code must be one the model
declares for that operation or a common/protocol code, and a failed request must leave the
ELBv2 state and the certificate usage unchanged.
"""

from __future__ import annotations

import json

import pytest

from simulator import Cloud
from simulator.core.errors import COMMON_CODES
from simulator.protocol import registry, spec
from simulator.protocol.wire import PROTOCOL_CODES
from simulator.services.elbv2 import errors
from simulator.services.elbv2.service import Elbv2Service
from tests.protocol.wire_fuzz import check_operation, sender
from tests.services.elbv2.conftest import REGION, Certs, make_network

WORLD = Cloud(seed=97)
_NET = make_network(WORLD, REGION)
_CERTS = Certs(WORLD.default_account.account_id, REGION)
WORLD._env.certificate_usage.provide(_CERTS.lookup)
_CERT = _CERTS.arn("fuzz")
_PENDING = _CERTS.arn("pending", status="PENDING_VALIDATION")
_ELB = WORLD.client("elbv2", region_name=REGION)
_LB = _ELB.create_load_balancer(Name="fuzz", Subnets=_NET.subnets[:2])["LoadBalancers"][0][
    "LoadBalancerArn"
]
_TG = _ELB.create_target_group(Name="fuzz", Protocol="HTTP", Port=80, VpcId=_NET.vpc_id)[
    "TargetGroups"
][0]["TargetGroupArn"]
_LI = _ELB.create_listener(
    LoadBalancerArn=_LB,
    Protocol="HTTPS",
    Port=443,
    Certificates=[{"CertificateArn": _CERT}],
    DefaultActions=[{"Type": "forward", "TargetGroupArn": _TG}],
)["Listeners"][0]["ListenerArn"]
REFS = [_LB, _TG, _LI, _CERT, _PENDING, _NET.vpc_id, *_NET.subnets, "fuzz", "forward",
        "redirect", "fixed-response", "HTTP", "HTTPS", "ELBSecurityPolicy-2016-08",
        "application", "network", "internal"]  # fmt: skip
_MODEL = spec.service_model("elbv2")
_START = WORLD.service("elbv2").dump()
_USAGE = WORLD._env.certificate_usage.dump()


_SEND = sender(WORLD, _MODEL, REGION)


def _state() -> str:
    dumped = [WORLD.service("elbv2").dump(), WORLD._env.certificate_usage.dump()]
    return json.dumps(dumped, sort_keys=True, default=str)


def test_implemented_operations_are_in_the_model_and_errors_declared() -> None:
    cov = registry.coverage("elbv2", Elbv2Service.operations)
    assert set(cov["implemented"]) == set(Elbv2Service.operations)
    assert len(Elbv2Service.operations) == 16
    shapes = {s.name: s.metadata["error"] for s in _MODEL.error_shapes}
    for cls in errors.ALL:
        assert shapes[cls.__name__]["code"] == cls.code
        assert shapes[cls.__name__]["httpStatusCode"] == cls.status


@pytest.mark.parametrize("operation", sorted(Elbv2Service.operations))
def test_generated_inputs_get_declared_errors_and_change_nothing_on_failure(
    operation: str,
) -> None:
    op = _MODEL.operation_model(operation)
    declared = {s.metadata["error"]["code"] for s in op.error_shapes}
    allowed = declared | COMMON_CODES | PROTOCOL_CODES
    # Each operation starts from the same world (deletes must not starve the others).
    WORLD.service("elbv2").restore(json.loads(json.dumps(_START, default=str)))
    WORLD._env.certificate_usage.restore(json.loads(json.dumps(_USAGE)))
    check_operation(_MODEL, operation, REFS, _SEND, _state, allowed, examples=40)
