"""The Logs service as a whole: snapshots, Lambda's text helper, errors, unsimulated calls."""

from __future__ import annotations

import json
from typing import Any

import pytest

from simulator import Cloud
from simulator.core.errors import COMMON_CODES
from simulator.protocol import spec
from simulator.services.logs import errors
from simulator.services.logs.service import LogsService
from tests.conftest import error_code
from tests.protocol.wire_fuzz import check_json_operation
from tests.services.logs.conftest import GROUP, handler


def test_snapshot_round_trip_keeps_groups_streams_and_events(
    cloud: Cloud, world: dict[str, Any], logs: Any, tmp_path: Any
) -> None:
    before = {
        "groups": logs.describe_log_groups()["logGroups"],
        "streams": logs.describe_log_streams(logGroupName=GROUP)["logStreams"],
        "events": logs.filter_log_events(logGroupName=GROUP)["events"],
    }
    again = Cloud.load(cloud.save(tmp_path / "world.json"))
    restored = again.client("logs")
    assert restored.describe_log_groups()["logGroups"] == before["groups"]
    assert restored.describe_log_streams(logGroupName=GROUP)["logStreams"] == before["streams"]
    assert restored.filter_log_events(logGroupName=GROUP)["events"] == before["events"]
    assert again.lambda_functions.logs("app") == cloud.lambda_functions.logs("app")


def test_group_outlives_its_function_and_survives_a_snapshot(
    cloud: Cloud, world: dict[str, Any], logs: Any, tmp_path: Any
) -> None:
    cloud.client("lambda").delete_function(FunctionName="app")
    cloud.client("lambda").delete_function(FunctionName="other")
    assert len(logs.describe_log_streams(logGroupName=GROUP)["logStreams"]) == 3
    again = Cloud.load(cloud.save(tmp_path / "world.json"))
    assert len(again.client("logs").describe_log_groups()["logGroups"]) == 2


def test_lambda_logs_text_is_unchanged(cloud: Cloud, world: dict[str, Any]) -> None:
    text = cloud.lambda_functions.logs("app")
    lines = text.split("\n")
    assert len(lines) == 13 and not text.endswith("\n")
    assert [line.split(" ")[0] for line in lines[:4]] == ["START", "INFO", "END", "REPORT"]
    assert lines[5:7] == ["ERROR request 1 done", "Task timed out after retry"]
    assert lines[0].endswith(" Version: $LATEST")
    assert "\tDuration: " in lines[3] and lines[3].endswith("\tMemory Size: 128 MB")
    assert cloud.lambda_functions.logs("nobody") == ""


def test_logs_are_per_region(cloud: Cloud, world: dict[str, Any]) -> None:
    elsewhere = cloud.client("logs", region_name="eu-west-1")
    assert elsewhere.describe_log_groups()["logGroups"] == []


def test_other_operations_are_not_simulated(logs: Any) -> None:
    with pytest.raises(Exception) as exc:
        logs.create_log_group(logGroupName="/mine")
    assert error_code(exc) == "NotSimulatedException"


def test_error_classes_match_the_model() -> None:
    assert {cls.code for cls in errors.ALL} <= spec.declared_errors("logs")


WORLD = Cloud(seed=98)
_ROLE = WORLD.client("iam").create_role(
    RoleName="fuzz",
    AssumeRolePolicyDocument=json.dumps(
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
    ),
)["Role"]["Arn"]
WORLD.lambda_functions.register("app", handler, role=_ROLE)
WORLD.client("lambda").invoke(FunctionName="app", Payload=b'{"n": 1, "level": "INFO"}')
_STREAM = WORLD.client("logs").describe_log_streams(logGroupName=GROUP)["logStreams"][0]
REFS = [GROUP, _STREAM["logStreamName"], _STREAM["arn"], "f/0/s", "b/1/s", "?INFO", '"re']
DECLARED = spec.declared_errors("logs") | COMMON_CODES


def _state() -> str:
    return json.dumps(WORLD.service("lambda").dump(), sort_keys=True)


@pytest.mark.parametrize("operation", sorted(LogsService.operations))
def test_generated_inputs_get_declared_errors_and_change_nothing(operation: str) -> None:
    check_json_operation(
        WORLD, "logs", operation, REFS, _state, DECLARED, examples=40, read_only=True
    )
