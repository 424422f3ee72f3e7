"""EventBridge rules and the default event bus, through boto3 on both transports."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from simulator import Cloud
from simulator.services.events import service as events_service
from tests.conftest import error_code, error_message

PATTERN = json.dumps({"source": ["aws.kms"], "detail-type": ["KMS CMK Deletion"]})
LAMBDA = "arn:aws:lambda:us-east-1:111122223333:function:notify"


def test_put_and_describe_rule(cloud: Cloud, events_any: Any) -> None:
    account = cloud.default_account.account_id
    arn = events_any.put_rule(Name="key-deleted", EventPattern=PATTERN, Description="d")["RuleArn"]
    assert arn == f"arn:aws:events:us-east-1:{account}:rule/key-deleted"
    rule = events_any.describe_rule(Name="key-deleted")
    assert rule["Name"] == "key-deleted"
    assert rule["Arn"] == arn
    assert json.loads(rule["EventPattern"]) == json.loads(PATTERN)
    assert rule["State"] == "ENABLED"
    assert rule["Description"] == "d"
    assert rule["EventBusName"] == "default"
    assert rule["CreatedBy"] == account
    assert "ScheduleExpression" not in rule


def test_rule_needs_a_pattern_or_a_schedule(events_any: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        events_any.put_rule(Name="nothing")
    assert error_code(excinfo) == "ValidationException"
    assert error_message(excinfo) == (
        "Parameter(s) EventPattern or ScheduleExpression must be specified."
    )


def test_invalid_pattern_is_refused_with_the_reason(events: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        events.put_rule(Name="bad", EventPattern='{"source": "aws.kms"}')
    assert error_code(excinfo) == "InvalidEventPatternException"
    assert error_message(excinfo) == (
        'Event pattern is not valid. Reason: "source" must be an object or an array'
    )
    with pytest.raises(ClientError) as excinfo:
        events.describe_rule(Name="bad")
    assert error_code(excinfo) == "ResourceNotFoundException"


@pytest.mark.parametrize("expression", ["rate(1 hours)", "cron(0 10 * * * *)", "daily"])
def test_invalid_schedule_is_refused(events: Any, expression: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        events.put_rule(Name="bad", ScheduleExpression=expression)
    assert error_code(excinfo) == "ValidationException"
    assert error_message(excinfo) == "Parameter ScheduleExpression is not valid."


def test_schedule_and_pattern_together(events: Any) -> None:
    events.put_rule(Name="both", EventPattern=PATTERN, ScheduleExpression="rate(1 day)")
    rule = events.describe_rule(Name="both")
    assert rule["ScheduleExpression"] == "rate(1 day)"
    assert "EventPattern" in rule


def test_custom_buses_are_not_simulated(cloud: Cloud, events: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        events.put_rule(Name="r", EventPattern=PATTERN, EventBusName="orders")
    assert error_code(excinfo) == "NotSimulatedException"
    assert "orders" in error_message(excinfo)
    account = cloud.default_account.account_id
    default_arn = f"arn:aws:events:us-east-1:{account}:event-bus/default"
    events.put_rule(Name="r", EventPattern=PATTERN, EventBusName=default_arn)
    assert events.describe_rule(Name="r", EventBusName=default_arn)["Name"] == "r"


def test_put_rule_replaces_the_rule_but_keeps_targets(events: Any) -> None:
    events.put_rule(Name="r", EventPattern=PATTERN, Description="first", State="DISABLED")
    events.put_targets(Rule="r", Targets=[{"Id": "t", "Arn": LAMBDA}])
    events.put_rule(Name="r", ScheduleExpression="rate(5 minutes)")
    rule = events.describe_rule(Name="r")
    # Omitted members are not kept (API reference, PutRule); State defaults to ENABLED.
    assert "Description" not in rule and "EventPattern" not in rule
    assert rule["State"] == "ENABLED"
    assert [t["Id"] for t in events.list_targets_by_rule(Rule="r")["Targets"]] == ["t"]


def test_describe_missing_rule(events_any: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        events_any.describe_rule(Name="ghost")
    assert error_code(excinfo) == "ResourceNotFoundException"
    assert error_message(excinfo) == "Rule ghost does not exist on EventBus default."


def test_list_rules_by_prefix_and_pages(events_any: Any) -> None:
    for name in ("b-two", "a-one", "b-one", "c-one"):
        events_any.put_rule(Name=name, EventPattern=PATTERN)
    names = [r["Name"] for r in events_any.list_rules()["Rules"]]
    assert names == ["a-one", "b-one", "b-two", "c-one"]
    assert [r["Name"] for r in events_any.list_rules(NamePrefix="b-")["Rules"]] == [
        "b-one",
        "b-two",
    ]
    first = events_any.list_rules(Limit=3)
    assert len(first["Rules"]) == 3
    rest = events_any.list_rules(Limit=3, NextToken=first["NextToken"])
    assert [r["Name"] for r in rest["Rules"]] == ["c-one"]
    assert "NextToken" not in rest
    listed = first["Rules"][0]
    assert listed["State"] == "ENABLED" and listed["EventBusName"] == "default"


def test_list_rules_refuses_a_forged_token(events: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        events.list_rules(NextToken="not-a-token")
    assert error_code(excinfo) == "ValidationException"


def test_delete_rule_refused_while_it_has_targets(events_any: Any) -> None:
    events_any.put_rule(Name="r", EventPattern=PATTERN)
    events_any.put_targets(Rule="r", Targets=[{"Id": "t", "Arn": LAMBDA}])
    with pytest.raises(ClientError) as excinfo:
        events_any.delete_rule(Name="r")
    assert error_code(excinfo) == "ValidationException"
    assert error_message(excinfo) == "Rule can't be deleted since it has targets."
    events_any.remove_targets(Rule="r", Ids=["t"])
    events_any.delete_rule(Name="r")
    with pytest.raises(ClientError) as excinfo:
        events_any.describe_rule(Name="r")
    assert error_code(excinfo) == "ResourceNotFoundException"
    events_any.delete_rule(Name="r")  # deleting again succeeds, as documented


def test_enable_and_disable(events_any: Any) -> None:
    events_any.put_rule(Name="r", EventPattern=PATTERN)
    events_any.disable_rule(Name="r")
    assert events_any.describe_rule(Name="r")["State"] == "DISABLED"
    events_any.enable_rule(Name="r")
    assert events_any.describe_rule(Name="r")["State"] == "ENABLED"
    for call in (events_any.enable_rule, events_any.disable_rule):
        with pytest.raises(ClientError) as excinfo:
            call(Name="ghost")
        assert error_code(excinfo) == "ResourceNotFoundException"


def test_rules_per_bus_quota(cloud: Cloud, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(events_service, "RULES_PER_BUS", 2)
    # No SDK retries: botocore retries LimitExceededException with sleeps.
    events = cloud.client("events", config=Config(retries={"total_max_attempts": 1}))
    events.put_rule(Name="r1", EventPattern=PATTERN)
    events.put_rule(Name="r2", EventPattern=PATTERN)
    events.put_rule(Name="r2", EventPattern=PATTERN, Description="updating is fine")
    with pytest.raises(ClientError) as excinfo:
        events.put_rule(Name="r3", EventPattern=PATTERN)
    assert error_code(excinfo) == "LimitExceededException"


def test_rules_are_per_account_and_region(cloud: Cloud) -> None:
    east = cloud.client("events", region_name="us-east-1")
    west = cloud.client("events", region_name="eu-west-1")
    east.put_rule(Name="r", EventPattern=PATTERN)
    assert west.list_rules()["Rules"] == []
    other = cloud.create_account()
    theirs = cloud.client("events", account_id=other.account_id)
    assert theirs.list_rules()["Rules"] == []


def test_default_event_bus(cloud: Cloud, events_any: Any) -> None:
    account = cloud.default_account.account_id
    arn = f"arn:aws:events:us-east-1:{account}:event-bus/default"
    bus = events_any.describe_event_bus()
    assert (bus["Name"], bus["Arn"]) == ("default", arn)
    buses = events_any.list_event_buses()["EventBuses"]
    assert [(b["Name"], b["Arn"]) for b in buses] == [("default", arn)]
    assert events_any.list_event_buses(NamePrefix="x")["EventBuses"] == []


def test_test_event_pattern(events_any: Any) -> None:
    event = {
        "id": "1",
        "account": "111122223333",
        "source": "aws.kms",
        "time": "2026-01-05T09:00:00Z",
        "region": "us-east-1",
        "resources": [],
        "detail-type": "KMS CMK Deletion",
        "detail": {"key-id": "k"},
    }
    assert events_any.test_event_pattern(EventPattern=PATTERN, Event=json.dumps(event))["Result"]
    other = {**event, "source": "aws.s3"}
    assert not events_any.test_event_pattern(EventPattern=PATTERN, Event=json.dumps(other))[
        "Result"
    ]


@pytest.mark.parametrize("event", ["{oops", "[]", json.dumps({"source": "aws.kms"})])
def test_test_event_pattern_needs_a_full_event(events: Any, event: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        events.test_event_pattern(EventPattern=PATTERN, Event=event)
    assert error_code(excinfo) == "ValidationException"
    assert error_message(excinfo) == "Parameter Event is not valid."


def test_test_event_pattern_checks_the_pattern(events: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        events.test_event_pattern(EventPattern='{"source": []}', Event="{}")
    assert error_code(excinfo) == "InvalidEventPatternException"
    assert error_message(excinfo).endswith("Reason: Empty arrays are not allowed")


def test_every_error_class_is_declared_in_the_model() -> None:
    from simulator.protocol import spec
    from simulator.services.events import errors

    declared = spec.declared_errors("events")
    assert {cls.code for cls in errors.ALL} <= declared
