"""Invoke: the handler really runs, with the documented event, context, errors, logs and the
execution role's identity; plus the notebook shortcut, classroom safety and EventBridge."""

from __future__ import annotations

import base64
import json
import os
from typing import Any

import pytest
from botocore.exceptions import ClientError

from simulator import Cloud
from tests.conftest import error_code, error_message

ECHO = """
import os

def handler(event, context):
    print("got", event["n"])
    return {
        "double": event["n"] * 2,
        "name": context.function_name,
        "arn": context.invoked_function_arn,
        "version": context.function_version,
        "memory": context.memory_limit_in_mb,
        "request": context.aws_request_id,
        "group": context.log_group_name,
        "remaining": context.get_remaining_time_in_millis(),
        "stage": os.environ["STAGE"],
        "region": os.environ["AWS_REGION"],
    }
"""

FAILING = """
def helper():
    raise ValueError("bad input")

def handler(event, context):
    helper()
"""

USES_KMS = """
import boto3

def handler(event, context):
    kms = boto3.client("kms")
    key = kms.create_key(Description="made by lambda")["KeyMetadata"]
    who = boto3.client("sts").get_caller_identity()["Arn"]
    return {"key": key["KeyId"], "who": who}
"""


def payload(answer: dict[str, Any]) -> Any:
    return json.loads(answer["Payload"].read())


def test_request_response(lam: Any, create: Any, cloud: Cloud) -> None:
    made = create("echo", ECHO, Environment={"Variables": {"STAGE": "test"}}, Timeout=5)
    before = dict(os.environ)
    answer = lam.invoke(FunctionName="echo", Payload=json.dumps({"n": 21}), LogType="Tail")
    assert answer["StatusCode"] == 200
    assert "FunctionError" not in answer
    assert answer["ExecutedVersion"] == "$LATEST"
    out = payload(answer)
    assert out["double"] == 42
    assert out["name"] == "echo" and out["arn"] == made["FunctionArn"]
    assert out["version"] == "$LATEST" and out["memory"] == 128
    assert out["group"] == "/aws/lambda/echo"
    assert 0 < out["remaining"] <= 5000
    assert out["stage"] == "test" and out["region"] == "us-east-1"
    tail = base64.b64decode(answer["LogResult"]).decode()
    assert f"START RequestId: {out['request']} Version: $LATEST" in tail
    assert "got 21" in tail and f"END RequestId: {out['request']}" in tail
    assert "got 21" in cloud.lambda_functions.logs("echo")
    assert dict(os.environ) == before  # the function's environment is gone again


def test_unhandled_error(lam: Any, create: Any, cloud: Cloud) -> None:
    create("fails", FAILING)
    answer = lam.invoke(FunctionName="fails")
    assert answer["StatusCode"] == 200
    assert answer["FunctionError"] == "Unhandled"
    error = payload(answer)
    assert error["errorMessage"] == "bad input"
    assert error["errorType"] == "ValueError"
    assert any("in helper" in frame for frame in error["stackTrace"])
    assert all("awslambda" not in frame for frame in error["stackTrace"])
    assert "[ERROR] ValueError: bad input" in cloud.lambda_functions.logs("fails")


def test_loading_errors(lam: Any, create: Any) -> None:
    create("nohandler", "def other(e, c):\n    return 1\n")
    error = payload(lam.invoke(FunctionName="nohandler"))
    assert error["errorType"] == "Runtime.HandlerNotFound"
    create("nomodule", "x = 1\n", Handler="missing.handler")
    error = payload(lam.invoke(FunctionName="nomodule"))
    assert error["errorType"] == "Runtime.ImportModuleError"
    assert error["errorMessage"] == ("Unable to import module 'missing': No module named 'missing'")
    create("syntax", "def handler(e, c)\n    return 1\n")
    error = payload(lam.invoke(FunctionName="syntax"))
    assert error["errorType"] == "Runtime.UserCodeSyntaxError"


def test_event_dry_run_and_request_errors(lam: Any, create: Any, cloud: Cloud) -> None:
    create("echo", ECHO, Environment={"Variables": {"STAGE": "x"}})
    answer = lam.invoke(FunctionName="echo", InvocationType="Event", Payload=b'{"n": 1}')
    assert answer["StatusCode"] == 202
    assert answer["Payload"].read() == b""
    assert "got 1" in cloud.lambda_functions.logs("echo")
    dry = lam.invoke(FunctionName="echo", InvocationType="DryRun", Payload=b'{"n": 2}')
    assert dry["StatusCode"] == 204
    assert dry["Payload"].read() == b""  # (reading it also frees the HTTP connection)
    assert "got 2" not in cloud.lambda_functions.logs("echo")
    with pytest.raises(ClientError) as exc:
        lam.invoke(FunctionName="echo", Payload=b"{not json")
    assert error_code(exc) == "InvalidRequestContentException"
    with pytest.raises(ClientError) as exc:
        lam.invoke(FunctionName="ghost")
    assert error_code(exc) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as exc:
        lam.invoke(FunctionName="echo", Qualifier="7")
    assert error_code(exc) == "ResourceNotFoundException"


def test_boto3_inside_runs_as_the_execution_role(lam: Any, create: Any, cloud: Cloud) -> None:
    create("maker", USES_KMS, Timeout=30)
    out = payload(lam.invoke(FunctionName="maker"))
    account = cloud.default_account.account_id
    assert out["who"] == f"arn:aws:sts::{account}:assumed-role/fn-role/maker"
    (record,) = cloud.trail.events(event_name="CreateKey")
    identity = record["userIdentity"]
    assert identity["type"] == "AssumedRole"
    assert identity["arn"] == f"arn:aws:sts::{account}:assumed-role/fn-role/maker"
    assert identity["accessKeyId"].startswith("ASIA")
    keys = cloud.client("kms").list_keys()["Keys"]
    assert [k["KeyId"] for k in keys] == [out["key"]]


def test_timeout_on_wall_time(lam: Any, create: Any) -> None:
    create("spin", "def handler(e, c):\n    while True:\n        pass\n", Timeout=1)
    answer = lam.invoke(FunctionName="spin")
    assert answer["FunctionError"] == "Unhandled"
    error = payload(answer)
    assert error["errorMessage"] == "Task timed out after 1.00 seconds"


def test_classroom_safety_refuses_uploaded_code(lam: Any, create: Any, cloud: Cloud) -> None:
    create("echo", ECHO)
    cloud.lambda_functions.allow_code = False
    with pytest.raises(ClientError) as exc:
        lam.invoke(FunctionName="echo", Payload=b'{"n": 1}')
    assert "allow_code" in error_message(exc)
    assert cloud.lambda_functions.logs("echo") == ""


def test_registered_callable(lam: Any, role_arn: str, cloud: Cloud) -> None:
    seen: list[Any] = []

    def handler(event: Any, context: Any) -> Any:
        seen.append((event, context.function_name))
        print("hello from a notebook")
        return {"sum": sum(event["values"])}

    arn = cloud.lambda_functions.register("notebook", handler, role=role_arn)
    cloud.lambda_functions.allow_code = False  # registered callables are not uploaded code
    answer = lam.invoke(FunctionName=arn, Payload=json.dumps({"values": [1, 2, 3]}))
    assert payload(answer) == {"sum": 6}
    assert seen == [({"values": [1, 2, 3]}, "notebook")]
    assert "hello from a notebook" in cloud.lambda_functions.logs("notebook")
    listed = lam.list_functions()["Functions"]
    assert [f["FunctionName"] for f in listed] == ["notebook"]


def test_eventbridge_rule_invokes_function(create: Any, cloud: Cloud) -> None:
    made = create("on-event", ECHO, Environment={"Variables": {"STAGE": "events"}})
    events = cloud.client("events")
    events.put_rule(Name="numbers", EventPattern=json.dumps({"source": ["my.app"]}))
    events.put_targets(Rule="numbers", Targets=[{"Id": "fn", "Arn": made["FunctionArn"]}])
    events.put_events(
        Entries=[{"Source": "my.app", "DetailType": "number", "Detail": json.dumps({"n": 5})}]
    )
    log = cloud.lambda_functions.logs("on-event")
    assert log.count("START RequestId") == 1
    assert "[ERROR] KeyError" in log  # the whole event arrives: "n" is inside "detail"
    (delivery,) = cloud.service("events").deliveries_for("numbers")  # type: ignore[attr-defined]
    assert delivery.status.value == "SUCCEEDED"
