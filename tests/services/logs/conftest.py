"""CloudWatch Logs fixtures: Logs clients on both transports over a Cloud whose Lambda
functions have written logs at known virtual times."""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Iterator
from typing import Any

import pytest

from simulator import Cloud
from tests.conftest import TRANSPORTS, both_transports
from tests.services.awslambda.conftest import TRUST

GROUP = "/aws/lambda/app"
OTHER = "/aws/lambda/other"


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    print(f"{event['level']} request {event['n']} done")
    if event["level"] == "ERROR":
        print("Task timed out after retry")
    return {"n": event["n"]}


def ms(when: _dt.datetime) -> int:
    return int(when.timestamp() * 1000)


@pytest.fixture
def world(cloud: Cloud) -> dict[str, Any]:
    """``app`` invoked three times a minute apart (INFO, ERROR, WARN), then ``other`` once.

    Returns the invocation times (ms) and the order the streams were written in.
    """
    iam = cloud.client("iam")
    role = iam.create_role(RoleName="logs-role", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
    cloud.lambda_functions.register("app", handler, role=role)
    cloud.lambda_functions.register("other", handler, role=role)
    lam = cloud.client("lambda")
    times = []
    for n, level in enumerate(["INFO", "ERROR", "WARN"]):
        times.append(ms(cloud.clock.now()))
        lam.invoke(FunctionName="app", Payload=json.dumps({"n": n, "level": level}))
        cloud.clock.advance(minutes=1)
    times.append(ms(cloud.clock.now()))
    lam.invoke(FunctionName="other", Payload=json.dumps({"n": 9, "level": "INFO"}))
    streams = cloud.lambda_functions.log_streams(
        cloud.default_account.account_id, cloud.default_region
    )
    return {"times": times, "written": [s.name for s in streams["app"]]}


@pytest.fixture(params=TRANSPORTS)
def logs_any(request: pytest.FixtureRequest, cloud: Cloud) -> Iterator[Any]:
    """The same CloudWatch Logs API over the botocore hook and over real HTTP."""
    yield from both_transports(request, cloud, "logs", cloud.default_region)


@pytest.fixture
def logs(cloud: Cloud) -> Any:
    return cloud.client("logs")
