"""EventBridge targets: PutTargets, RemoveTargets, ListTargetsByRule, ListRuleNamesByTarget."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from simulator import Cloud
from tests.conftest import error_code, error_message

PATTERN = json.dumps({"source": ["my.app"]})
LAMBDA = "arn:aws:lambda:us-east-1:111122223333:function:notify"
TOPIC = "arn:aws:sns:us-east-1:111122223333:alerts"


def test_put_and_list_targets(events_any: Any) -> None:
    events_any.put_rule(Name="r", EventPattern=PATTERN)
    out = events_any.put_targets(
        Rule="r",
        Targets=[
            {"Id": "fn", "Arn": LAMBDA, "Input": '{"hello": "world"}'},
            {
                "Id": "topic",
                "Arn": TOPIC,
                "InputPath": "$.detail",
                "RetryPolicy": {"MaximumRetryAttempts": 3},
            },
        ],
    )
    assert out["FailedEntryCount"] == 0 and out["FailedEntries"] == []
    targets = events_any.list_targets_by_rule(Rule="r")["Targets"]
    assert targets == [
        {"Id": "fn", "Arn": LAMBDA, "Input": '{"hello": "world"}'},
        {
            "Id": "topic",
            "Arn": TOPIC,
            "InputPath": "$.detail",
            "RetryPolicy": {"MaximumRetryAttempts": 3},
        },
    ]
    # Same Id again updates the target in place.
    events_any.put_targets(Rule="r", Targets=[{"Id": "fn", "Arn": LAMBDA}])
    targets = events_any.list_targets_by_rule(Rule="r")["Targets"]
    assert targets[0] == {"Id": "fn", "Arn": LAMBDA}


def test_targets_need_an_existing_rule(events_any: Any) -> None:
    for call, kwargs in (
        (events_any.put_targets, {"Targets": [{"Id": "t", "Arn": LAMBDA}]}),
        (events_any.remove_targets, {"Ids": ["t"]}),
        (events_any.list_targets_by_rule, {}),
    ):
        with pytest.raises(ClientError) as excinfo:
            call(Rule="ghost", **kwargs)
        assert error_code(excinfo) == "ResourceNotFoundException"
        assert error_message(excinfo) == "Rule ghost does not exist on EventBus default."


def test_target_arn_must_be_an_arn(events: Any) -> None:
    events.put_rule(Name="r", EventPattern=PATTERN)
    with pytest.raises(ClientError) as excinfo:
        events.put_targets(Rule="r", Targets=[{"Id": "t", "Arn": "my-function"}])
    assert error_code(excinfo) == "ValidationException"
    assert error_message(excinfo) == (
        "Parameter my-function is not valid. Reason: Provided Arn is not in correct format."
    )
    assert events.list_targets_by_rule(Rule="r")["Targets"] == []


def test_five_targets_per_rule(cloud: Cloud) -> None:
    events = cloud.client("events", config=Config(retries={"total_max_attempts": 1}))
    events.put_rule(Name="r", EventPattern=PATTERN)
    five = [{"Id": f"t{i}", "Arn": f"{LAMBDA}{i}"} for i in range(5)]
    events.put_targets(Rule="r", Targets=five)
    with pytest.raises(ClientError) as excinfo:
        events.put_targets(Rule="r", Targets=[{"Id": "t5", "Arn": LAMBDA}])
    assert error_code(excinfo) == "LimitExceededException"
    assert len(events.list_targets_by_rule(Rule="r")["Targets"]) == 5


def test_ten_entries_per_request(events: Any) -> None:
    events.put_rule(Name="r", EventPattern=PATTERN)
    eleven = [{"Id": f"t{i}", "Arn": LAMBDA} for i in range(11)]
    with pytest.raises(ClientError) as excinfo:
        events.put_targets(Rule="r", Targets=eleven)
    assert error_code(excinfo) == "ValidationException"
    with pytest.raises(ClientError) as excinfo:
        events.remove_targets(Rule="r", Ids=[f"t{i}" for i in range(11)])
    assert error_code(excinfo) == "ValidationException"


@pytest.mark.parametrize(
    ("target", "code"),
    [
        ({"Input": "{not json"}, "ValidationException"),
        ({"InputPath": "detail.x"}, "ValidationException"),
        ({"Input": "{}", "InputPath": "$"}, "ValidationException"),
        ({"InputTransformer": {"InputTemplate": '"<x>"'}}, "NotSimulatedException"),
    ],
)
def test_target_input_checks(events: Any, target: dict[str, Any], code: str) -> None:
    events.put_rule(Name="r", EventPattern=PATTERN)
    with pytest.raises(ClientError) as excinfo:
        events.put_targets(Rule="r", Targets=[{"Id": "t", "Arn": LAMBDA, **target}])
    assert error_code(excinfo) == code
    assert events.list_targets_by_rule(Rule="r")["Targets"] == []


def test_remove_targets_ignores_unknown_ids(events_any: Any) -> None:
    events_any.put_rule(Name="r", EventPattern=PATTERN)
    events_any.put_targets(
        Rule="r", Targets=[{"Id": "a", "Arn": LAMBDA}, {"Id": "b", "Arn": TOPIC}]
    )
    out = events_any.remove_targets(Rule="r", Ids=["a", "zzz"])
    assert out["FailedEntryCount"] == 0
    assert [t["Id"] for t in events_any.list_targets_by_rule(Rule="r")["Targets"]] == ["b"]


def test_list_targets_pages(events: Any) -> None:
    events.put_rule(Name="r", EventPattern=PATTERN)
    events.put_targets(Rule="r", Targets=[{"Id": f"t{i}", "Arn": LAMBDA} for i in range(5)])
    first = events.list_targets_by_rule(Rule="r", Limit=2)
    assert [t["Id"] for t in first["Targets"]] == ["t0", "t1"]
    second = events.list_targets_by_rule(Rule="r", Limit=2, NextToken=first["NextToken"])
    third = events.list_targets_by_rule(Rule="r", Limit=2, NextToken=second["NextToken"])
    assert [t["Id"] for t in second["Targets"] + third["Targets"]] == ["t2", "t3", "t4"]
    assert "NextToken" not in third


def test_list_rule_names_by_target(events_any: Any) -> None:
    for name in ("b", "a", "c"):
        events_any.put_rule(Name=name, EventPattern=PATTERN)
    events_any.put_targets(Rule="b", Targets=[{"Id": "t", "Arn": LAMBDA}])
    events_any.put_targets(Rule="a", Targets=[{"Id": "t", "Arn": LAMBDA}])
    events_any.put_targets(Rule="c", Targets=[{"Id": "t", "Arn": TOPIC}])
    assert events_any.list_rule_names_by_target(TargetArn=LAMBDA)["RuleNames"] == ["a", "b"]
    assert events_any.list_rule_names_by_target(TargetArn="arn:aws:sqs:x:1:q")["RuleNames"] == []
