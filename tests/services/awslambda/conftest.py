"""Lambda test fixtures: a client on both transports, an execution role, zip packages."""

from __future__ import annotations

import io
import json
import textwrap
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest

from simulator import Cloud
from tests.conftest import TRANSPORTS, both_transports

TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)


def make_zip(source: str, name: str = "lambda_function.py") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, textwrap.dedent(source))
    return buffer.getvalue()


@pytest.fixture(params=TRANSPORTS)
def lam(request: pytest.FixtureRequest, cloud: Cloud) -> Iterator[Any]:
    yield from both_transports(request, cloud, "lambda", "us-east-1")


@pytest.fixture
def role_arn(cloud: Cloud) -> str:
    iam = cloud.client("iam")
    arn: str = iam.create_role(RoleName="fn-role", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
    return arn


@pytest.fixture
def create(lam: Any, role_arn: str) -> Any:
    def make(name: str, source: str, **extra: Any) -> dict[str, Any]:
        params: dict[str, Any] = {
            "FunctionName": name,
            "Runtime": "python3.12",
            "Role": role_arn,
            "Handler": "lambda_function.handler",
            "Code": {"ZipFile": make_zip(source)},
        }
        params.update(extra)
        result: dict[str, Any] = lam.create_function(**params)
        return result

    return make
