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
from simulator.transport.http_server import serve_in_thread
from tests.conftest import http_client

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


@pytest.fixture(params=["in-process", "http"])
def lam(request: pytest.FixtureRequest, cloud: Cloud) -> Iterator[Any]:
    if request.param == "in-process":
        yield cloud.client("lambda")
        return
    server = serve_in_thread(cloud, "127.0.0.1", 0)
    host, port = server.server_address[:2]
    client = http_client(cloud, f"http://{host}:{port}", "lambda")
    try:
        yield client
    finally:
        client.close()
        server.shutdown()
        server.server_close()


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
