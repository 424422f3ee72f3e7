"""Property test: inputs generated from the model's shapes never break the simulator.

For every implemented operation, hypothesis builds request bodies from botocore's input shape
(valid values, out-of-range values, wrong JSON types, unknown enum values) and sends them
through the dispatcher. No response may be an InternalFailure, every error code must be one the
model declares or one of the common codes, and a request that fails must leave state unchanged.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from botocore.model import Shape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator import Cloud
from simulator.core.errors import COMMON_CODES
from simulator.protocol import spec
from simulator.protocol.dispatch import AwsRequest
from simulator.services.kms.service import KmsService

_JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=5),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def wire_value(shape: Shape, refs: list[str], depth: int = 0) -> st.SearchStrategy[Any]:
    t = shape.type_name
    meta = shape.metadata
    if t == "structure":
        if depth > 3:
            return st.just({})
        members = {n: wire_value(m, refs, depth + 1) for n, m in shape.members.items()}
        required = set(shape.required_members)
        return st.fixed_dictionaries(
            {n: s for n, s in members.items() if n in required},
            optional={n: s for n, s in members.items() if n not in required},
        )
    if t == "list":
        return st.lists(wire_value(shape.member, refs, depth + 1), max_size=3)
    if t == "map":
        return st.dictionaries(
            st.text(max_size=8), wire_value(shape.value, refs, depth + 1), max_size=3
        )
    if t == "string":
        options = [st.text(max_size=12), st.sampled_from(refs)]
        if shape.enum:
            options += [st.sampled_from(list(shape.enum))] * 3
        if meta.get("max") is not None:
            options.append(st.just("k" * (meta["max"] + 1)))
        return st.one_of(*options)
    if t in ("integer", "long"):
        lo, hi = meta.get("min", -(2**31)), meta.get("max", 2**31 - 1)
        return st.one_of(st.integers(lo, hi), st.integers(lo - 3, hi + 3))
    if t == "boolean":
        return st.booleans()
    if t == "blob":
        hi = meta.get("max", 64)
        return st.one_of(st.binary(max_size=64), st.just(b"\x01" * (hi + 1))).map(
            lambda b: base64.b64encode(b).decode()
        )
    if t == "timestamp":
        return st.floats(0, 4e9)
    return _JUNK


def _send(cloud: Cloud, target: str, body: Any) -> tuple[int, dict[str, Any]]:
    key = cloud.credentials()["aws_access_key_id"]
    headers = {
        "x-amz-target": target,
        "authorization": f"AWS4-HMAC-SHA256 Credential={key}/20260105/us-east-1/kms/aws4_request",
    }
    resp = cloud.dispatcher.handle(AwsRequest(headers, json.dumps(body).encode()))
    return resp.status, json.loads(resp.body)


WORLD = Cloud(seed=99)
_KMS = WORLD.client("kms")
_KEY = _KMS.create_key(Description="fuzz")["KeyMetadata"]
_KMS.create_alias(AliasName="alias/fuzz", TargetKeyId=_KEY["KeyId"])
REFS = [_KEY["KeyId"], _KEY["Arn"], "alias/fuzz", "alias/aws/x", "arn:aws:kms:::", "default"]
DECLARED = spec.declared_errors("kms") | COMMON_CODES


@pytest.mark.parametrize("operation", sorted(KmsService.operations))
def test_generated_inputs_get_aws_errors_and_change_nothing_on_failure(operation: str) -> None:
    shape = spec.service_model("kms").operation_model(operation).input_shape
    bodies = st.one_of(wire_value(shape, REFS), _JUNK)

    @settings(
        max_examples=80, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    @given(body=bodies)
    def check(body: Any) -> None:
        before = json.dumps(WORLD.kms.dump(), sort_keys=True)
        status, payload = _send(WORLD, f"TrentService.{operation}", body)
        assert status != 500, payload
        if status != 200:
            assert payload["__type"] in DECLARED, payload
            assert json.dumps(WORLD.kms.dump(), sort_keys=True) == before, payload

    check()
