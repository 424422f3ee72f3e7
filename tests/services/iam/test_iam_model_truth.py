"""IAM and STS against botocore's models: error codes and statuses, enums, operations; and
generated inputs never break a handler (no InternalFailure, no state change on failure)."""

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
from simulator.services.iam import errors as iam_errors
from simulator.services.iam import model as iam_model
from simulator.services.iam.service import IamService
from simulator.services.sts import errors as sts_errors
from simulator.services.sts.service import StsService
from tests.protocol.wire_fuzz import JUNK, wire_value
from tests.services.iam.direct import DirectClient


@pytest.mark.parametrize(("service", "classes"), [("iam", iam_errors.ALL), ("sts", sts_errors.ALL)])
def test_error_classes_match_the_model(service: str, classes: tuple[type[AWSError], ...]) -> None:
    model = spec.service_model(service)
    for cls in classes:
        shape = model.shape_for(cls.__name__)
        error = shape.metadata["error"]
        assert cls.code == error["code"], cls
        assert cls.status == error["httpStatusCode"], cls


def test_key_status_enum_is_in_the_model() -> None:
    values = set(spec.service_model("iam").shape_for("statusType").enum)
    assert {s.value for s in iam_model.KeyStatus} <= values


def test_implemented_operations() -> None:
    for svc, wanted in (
        (IamService, {"CreateUser", "CreateRole", "CreatePolicyVersion", "AttachRolePolicy"}),
        (StsService, {"AssumeRole", "GetCallerIdentity", "GetSessionToken"}),
    ):
        assert wanted <= set(svc.operations)
        cov = registry.coverage(svc.service_name, svc.operations)
        assert set(cov["implemented"]) == set(svc.operations)
    assert IamService.operations["CreateUser"].action == "iam:CreateUser"
    assert StsService.operations["AssumeRole"].action == "sts:AssumeRole"


WORLD = Cloud(seed=99)
_ACCT = WORLD.default_account.account_id
_IAM = WORLD.client("iam")
_IAM.create_user(UserName="fuzz")
_IAM.create_group(GroupName="fuzz")
_ROLE = _IAM.create_role(
    RoleName="fuzz",
    AssumeRolePolicyDocument=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": _ACCT}, "Action": "sts:AssumeRole"}
            ],
        }
    ),
)["Role"]["Arn"]
_POLICY = _IAM.create_policy(
    PolicyName="fuzz",
    PolicyDocument='{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*",'
    '"Resource":"*"}}',
)["Policy"]["Arn"]
REFS = [
    "fuzz",
    "Administrator",
    _ROLE,
    _POLICY,
    "arn:aws:iam::aws:policy/ReadOnlyAccess",
    "v1",
    "Active",
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
]
_ALLOWED = {
    "iam": spec.declared_errors("iam") | COMMON_CODES | PROTOCOL_CODES,
    "sts": spec.declared_errors("sts") | COMMON_CODES | PROTOCOL_CODES,
}
_CLIENTS = {
    name: DirectClient(WORLD, name, WORLD.credentials()["aws_access_key_id"])
    for name in ("iam", "sts")
}
_CASES = [("iam", op) for op in sorted(IamService.operations)] + [
    ("sts", op) for op in sorted(StsService.operations)
]


def _state() -> str:
    return json.dumps([WORLD.iam.dump(), WORLD.sts.dump()], sort_keys=True)


@pytest.mark.parametrize(("service", "operation"), _CASES)
def test_generated_inputs_never_break_a_handler(service: str, operation: str) -> None:
    shape = spec.service_model(service).operation_model(operation).input_shape
    client = _CLIENTS[service]

    @settings(
        max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    @given(body=st.one_of(wire_value(shape, REFS), JUNK) if shape is not None else st.just({}))
    def check(body: Any) -> None:
        try:
            params = codec.decode_input(shape, body)
            validate(shape, params)
        except AWSError:
            return  # refused before any handler runs
        before = _state()
        try:
            client._call(operation, params)
        except Exception as exc:  # the direct client raises ClientError for AWS errors only
            code = getattr(exc, "response", {}).get("Error", {}).get("Code")
            assert code is not None, repr(exc)
            assert code in _ALLOWED[service], code
            assert _state() == before, code

    check()
