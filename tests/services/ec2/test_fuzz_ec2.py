"""Property test: generated EC2 requests never break the simulator.

Inputs come from botocore's shapes (``wire_value`` of tests/protocol/test_fuzz_model_inputs.py),
form-encoded by botocore's own ec2 serializer and sent to the dispatcher. No response may be a
server error, every error code must be one EC2 lists (``errors.ALL``) or a common/protocol
code, and a failed request must leave the EC2 state unchanged.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlencode

import pytest
from botocore.serialize import EC2Serializer
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from simulator import Cloud
from simulator.core.errors import COMMON_CODES
from simulator.protocol import spec
from simulator.protocol.dispatch import AwsRequest
from simulator.protocol.wire import PROTOCOL_CODES
from simulator.services.ec2 import errors
from simulator.services.ec2.service import Ec2Service
from tests.protocol.test_fuzz_model_inputs import wire_value

WORLD = Cloud(seed=97)
_EC2 = WORLD.client("ec2")
_VPC = _EC2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
_SUBNET = _EC2.create_subnet(VpcId=_VPC, CidrBlock="10.0.0.0/24")["Subnet"]["SubnetId"]
_AMI = _EC2.register_image(Name="fuzz-image")["ImageId"]
REFS = [_VPC, _SUBNET, _AMI, "10.0.1.0/24", "10.0.0.0/16", "us-east-1a", "use1-az2", "vpc",
        "subnet", "image", "self", "amazon", "name", "tag:Name", "ami-12345678"]  # fmt: skip
DECLARED = {cls.code for cls in errors.ALL} | COMMON_CODES | PROTOCOL_CODES
_SERIALIZER = EC2Serializer()
_MODEL = spec.service_model("ec2")


def _send(operation: str, params: dict[str, Any]) -> tuple[int, str]:
    request = _SERIALIZER.serialize_to_request(params, _MODEL.operation_model(operation))
    key = WORLD.credentials()["aws_access_key_id"]
    scope = f"{key}/20260105/us-east-1/ec2/aws4_request"
    headers = {
        "content-type": "application/x-www-form-urlencoded; charset=utf-8",
        "authorization": f"AWS4-HMAC-SHA256 Credential={scope}",
    }
    body = urlencode(request["body"]).encode()
    resp = WORLD.dispatcher.handle(AwsRequest(headers, body))
    return resp.status, resp.body.decode()


def _state() -> str:
    return json.dumps(WORLD.service("ec2").dump(), sort_keys=True, default=str)


@pytest.mark.parametrize("operation", sorted(Ec2Service.operations))
def test_generated_inputs_get_ec2_errors_and_change_nothing_on_failure(operation: str) -> None:
    shape = _MODEL.operation_model(operation).input_shape

    @settings(
        max_examples=30, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    @given(params=wire_value(shape, REFS) if shape is not None else st.just({}))
    def check(params: Any) -> None:
        try:
            json.dumps(params).encode("utf-8")
        except (UnicodeEncodeError, ValueError):
            assume(False)
        before = _state()
        try:
            status, body = _send(operation, params)
        except (TypeError, ValueError, AttributeError, UnicodeEncodeError):
            assume(False)  # botocore itself cannot serialize it: a client would never send it
            return
        # 501 is Secrets Lab's NotSimulatedException (IPv6, IPAM ...), never a crash.
        assert status < 500 or (status == 501 and "NotSimulatedException" in body), body
        if status != 200:
            code = re.search(r"<Code>(.*?)</Code>", body)
            assert code is not None, body
            assert code.group(1) in DECLARED, body
            assert _state() == before, body

    check()
