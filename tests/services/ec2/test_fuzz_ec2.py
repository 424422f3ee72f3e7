"""Property test: generated EC2 requests never break the simulator.

Inputs come from botocore's shapes (``wire_value`` of tests/protocol/test_fuzz_model_inputs.py),
form-encoded by botocore's own ec2 serializer and sent to the dispatcher. No response may be a
server error, every error code must be one EC2 lists (``errors.ALL``) or a common/protocol
code, and a failed request must leave the EC2 state unchanged.
"""

from __future__ import annotations

import json

import pytest

from simulator import Cloud
from simulator.core.errors import COMMON_CODES
from simulator.protocol import spec
from simulator.protocol.wire import PROTOCOL_CODES
from simulator.services.ec2 import errors
from simulator.services.ec2.service import Ec2Service
from tests.protocol.wire_fuzz import check_operation, sender

WORLD = Cloud(seed=97)
_EC2 = WORLD.client("ec2")
_VPC = _EC2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
_SUBNET = _EC2.create_subnet(VpcId=_VPC, CidrBlock="10.0.0.0/24")["Subnet"]["SubnetId"]
_AMI = _EC2.register_image(Name="fuzz-image")["ImageId"]
REFS = [_VPC, _SUBNET, _AMI, "10.0.1.0/24", "10.0.0.0/16", "us-east-1a", "use1-az2", "vpc",
        "subnet", "image", "self", "amazon", "name", "tag:Name", "ami-12345678"]  # fmt: skip
DECLARED = {cls.code for cls in errors.ALL} | COMMON_CODES | PROTOCOL_CODES
_MODEL = spec.service_model("ec2")


_SEND = sender(WORLD, _MODEL)


def _state() -> str:
    return json.dumps(WORLD.service("ec2").dump(), sort_keys=True, default=str)


@pytest.mark.parametrize("operation", sorted(Ec2Service.operations))
def test_generated_inputs_get_ec2_errors_and_change_nothing_on_failure(operation: str) -> None:
    # 501 is Secrets Lab's NotSimulatedException (IPv6, IPAM ...), never a crash.
    check_operation(_MODEL, operation, REFS, _SEND, _state, DECLARED)
