"""Events reaching targets: PutEvents, AWS service events on the clock, scheduled rules,
the delivery log, and snapshots."""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from simulator import Cloud
from simulator.core.events import Delivery
from simulator.services.events.service import EventsService
from tests.conftest import error_code
from tests.services.events.conftest import Recorder

LAMBDA = "arn:aws:lambda:us-east-1:111122223333:function:notify"
QUEUE = "arn:aws:sqs:us-east-1:111122223333:inbox"


def service(cloud: Cloud) -> EventsService:
    svc = cloud.service("events")
    assert isinstance(svc, EventsService)
    return svc


def rule_with_target(events: Any, name: str, pattern: dict[str, Any], **target: Any) -> None:
    events.put_rule(Name=name, EventPattern=json.dumps(pattern))
    events.put_targets(Rule=name, Targets=[{"Id": "t", "Arn": LAMBDA, **target}])


def test_put_events_reach_matching_rules(cloud: Cloud, events_any: Any, lambdas: Recorder) -> None:
    rule_with_target(
        events_any,
        "orders",
        {"source": ["my.shop"], "detail": {"total": [{"numeric": [">", 100]}]}},
    )
    when = _dt.datetime(2025, 12, 31, 23, 0, tzinfo=_dt.UTC)
    out = events_any.put_events(
        Entries=[
            {"Source": "my.shop", "DetailType": "Order", "Detail": '{"total": 250}', "Time": when},
            {"Source": "my.shop", "DetailType": "Order", "Detail": '{"total": 5}'},
        ]
    )
    assert out["FailedEntryCount"] == 0
    ids = [e["EventId"] for e in out["Entries"]]
    assert [e["id"] for e in cloud.events.history] == ids
    (delivery,) = lambdas.received
    event = delivery.payload
    assert event["id"] == ids[0]
    assert event["time"] == "2025-12-31T23:00:00Z"
    assert event["account"] == cloud.default_account.account_id
    assert event["region"] == "us-east-1"
    assert event["detail"] == {"total": 250} and event["detail-type"] == "Order"
    assert delivery.rule_arn.endswith(":rule/orders") and delivery.target_id == "t"


def test_put_events_entry_failures(cloud: Cloud, events_any: Any) -> None:
    out = events_any.put_events(
        Entries=[
            {"Source": "my.app", "DetailType": "ok", "Detail": "{}"},
            {"DetailType": "x", "Detail": "{}"},
            {"Source": "my.app", "Detail": "{}"},
            {"Source": "my.app", "DetailType": "x"},
            {"Source": "my.app", "DetailType": "x", "Detail": "[1, 2]"},
            {"Source": "aws.kms", "DetailType": "KMS CMK Deletion", "Detail": "{}"},
        ]
    )
    assert out["FailedEntryCount"] == 5
    entries = out["Entries"]
    assert "EventId" in entries[0]
    assert [(e.get("ErrorCode"), e.get("ErrorMessage")) for e in entries[1:]] == [
        (
            "InvalidArgument",
            "Parameter Source is not valid. Reason: Source is a required argument.",
        ),
        (
            "InvalidArgument",
            "Parameter DetailType is not valid. Reason: DetailType is a required argument.",
        ),
        (
            "InvalidArgument",
            "Parameter Detail is not valid. Reason: Detail is a required argument.",
        ),
        ("MalformedDetail", "Detail is malformed."),
        ("NotAuthorizedForSourceException", "Not authorized for the source."),
    ]
    assert len(cloud.events.history) == 1


def test_put_events_with_no_complete_entry_fails_whole(cloud: Cloud, events: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        events.put_events(Entries=[{"Source": "my.app"}])
    assert error_code(excinfo) == "ValidationException"
    with pytest.raises(ClientError) as excinfo:
        events.put_events(
            Entries=[{"Source": "a", "DetailType": "b", "Detail": "{}", "EventBusName": "orders"}]
        )
    assert error_code(excinfo) == "NotSimulatedException"
    assert cloud.events.history == []


def test_kms_key_deletion_triggers_a_rule_when_the_clock_reaches_it(
    cloud: Cloud, events: Any, kms: Any, lambdas: Recorder
) -> None:
    rule_with_target(
        events, "key-deleted", {"source": ["aws.kms"], "detail-type": ["KMS CMK Deletion"]}
    )
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    cloud.clock.advance(days=6)
    assert lambdas.received == []
    cloud.clock.advance(days=2)
    (delivery,) = lambdas.received
    assert delivery.payload["detail"] == {"key-id": key_id}
    assert delivery.payload["time"] == "2026-01-12T09:00:00Z"  # the deletion date, not "now"
    (record,) = service(cloud).deliveries_for("key-deleted")
    assert record.status == "SUCCEEDED" and record.time == _dt.datetime(
        2026, 1, 12, 9, tzinfo=_dt.UTC
    )


def test_aws_events_stay_in_their_account_and_region(cloud: Cloud, lambdas: Recorder) -> None:
    west = cloud.client("events", region_name="eu-west-1")
    rule_with_target(west, "any-kms", {"source": ["aws.kms"]})
    east_kms = cloud.client("kms", region_name="us-east-1")
    key_id = east_kms.create_key()["KeyMetadata"]["KeyId"]
    east_kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    cloud.clock.advance(days=8)
    assert lambdas.received == []


def test_input_and_input_path_shape_what_the_target_gets(events: Any, lambdas: Recorder) -> None:
    events.put_rule(Name="r", EventPattern=json.dumps({"source": ["my.app"]}))
    events.put_targets(
        Rule="r",
        Targets=[
            {"Id": "whole", "Arn": LAMBDA + "1"},
            {"Id": "const", "Arn": LAMBDA + "2", "Input": '{"fixed": true}'},
            {"Id": "part", "Arn": LAMBDA + "3", "InputPath": "$.detail.items[1]"},
            {"Id": "none", "Arn": LAMBDA + "4", "InputPath": "$.detail.missing"},
        ],
    )
    events.put_events(
        Entries=[{"Source": "my.app", "DetailType": "t", "Detail": '{"items": ["a", "b"]}'}]
    )
    got = {d.target_id: d.payload for d in lambdas.received}
    assert got["whole"]["detail"] == {"items": ["a", "b"]}
    assert got["const"] == {"fixed": True}
    assert got["part"] == "b"
    assert got["none"] is None


def test_failed_deliveries_are_logged_with_the_reason(
    cloud: Cloud, events: Any, lambdas: Recorder
) -> None:
    lambdas.refuse.add(LAMBDA)
    events.put_rule(Name="r", EventPattern=json.dumps({"source": ["my.app"]}))
    events.put_targets(
        Rule="r", Targets=[{"Id": "fn", "Arn": LAMBDA}, {"Id": "queue", "Arn": QUEUE}]
    )
    events.put_events(Entries=[{"Source": "my.app", "DetailType": "t", "Detail": "{}"}])
    log = {d.target_id: d for d in service(cloud).deliveries_for("r")}
    assert log["fn"].status == "FAILED"
    assert log["fn"].reason == f"function {LAMBDA} does not exist"
    assert log["queue"].status == "FAILED"
    assert "No simulated service receives EventBridge deliveries for 'sqs'" in str(
        log["queue"].reason
    )


def test_disabled_rules_match_nothing(cloud: Cloud, events: Any, lambdas: Recorder) -> None:
    rule_with_target(events, "r", {"source": ["my.app"]})
    events.disable_rule(Name="r")
    events.put_events(Entries=[{"Source": "my.app", "DetailType": "t", "Detail": "{}"}])
    assert lambdas.received == [] and service(cloud).deliveries == []


def test_scheduled_rule_runs_on_the_virtual_clock(
    cloud: Cloud, events: Any, lambdas: Recorder
) -> None:
    events.put_rule(Name="hourly", ScheduleExpression="rate(1 hour)")
    events.put_targets(Rule="hourly", Targets=[{"Id": "t", "Arn": LAMBDA}])
    cloud.clock.advance(hours=3, minutes=30)
    times = [d.payload["time"] for d in lambdas.received]
    assert times == ["2026-01-05T10:00:00Z", "2026-01-05T11:00:00Z", "2026-01-05T12:00:00Z"]
    event = lambdas.received[0].payload
    assert event["source"] == "aws.events" and event["detail-type"] == "Scheduled Event"
    assert event["resources"] == [events.describe_rule(Name="hourly")["Arn"]]
    assert event["detail"] == {}
    assert cloud.events.history == []  # scheduled events go to the rule's targets only

    events.disable_rule(Name="hourly")
    cloud.clock.advance(hours=5)
    assert len(lambdas.received) == 3
    events.enable_rule(Name="hourly")  # the rate restarts from the moment it is enabled
    cloud.clock.advance(hours=1)
    assert lambdas.received[-1].payload["time"] == "2026-01-05T18:30:00Z"

    events.remove_targets(Rule="hourly", Ids=["t"])
    events.delete_rule(Name="hourly")
    assert [j for j in cloud.scheduler.pending() if j.kind == "events.schedule"] == []


def test_cron_rule(cloud: Cloud, events: Any, lambdas: Recorder) -> None:
    events.put_rule(Name="weekdays", ScheduleExpression="cron(0 18 ? * MON-FRI *)")
    events.put_targets(Rule="weekdays", Targets=[{"Id": "t", "Arn": LAMBDA}])
    cloud.clock.advance(days=7)
    days = [d.payload["time"][:10] for d in lambdas.received]
    assert days == ["2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08", "2026-01-09"]


def test_changing_the_schedule_replaces_the_job(cloud: Cloud, events: Any) -> None:
    events.put_rule(Name="r", ScheduleExpression="rate(1 hour)")
    events.put_rule(Name="r", ScheduleExpression="rate(1 day)")
    jobs = [j for j in cloud.scheduler.pending() if j.kind == "events.schedule"]
    assert [j.due for j in jobs] == [cloud.clock.now() + _dt.timedelta(days=1)]


def test_events_published_by_targets_follow_in_order(cloud: Cloud, events: Any) -> None:
    seen: list[str] = []

    def relay(delivery: Delivery) -> None:
        seen.append(delivery.payload["detail-type"])
        if delivery.payload["detail-type"] == "first":
            cloud.events.publish(
                source="my.app",
                detail_type="second",
                account=delivery.account,
                region=delivery.region,
                detail={},
            )

    cloud.events.register_target("lambda", relay)
    events.put_rule(Name="a", EventPattern=json.dumps({"source": ["my.app"]}))
    events.put_rule(Name="b", EventPattern=json.dumps({"source": ["my.app"]}))
    for name in ("a", "b"):
        events.put_targets(Rule=name, Targets=[{"Id": "t", "Arn": LAMBDA}])
    events.put_events(Entries=[{"Source": "my.app", "DetailType": "first", "Detail": "{}"}])
    # Both rules see "first" before either sees "second" (FIFO, not nested delivery).
    assert seen == ["first", "first", "second", "second", "second", "second"]


def test_rules_targets_jobs_and_deliveries_survive_snapshots(
    cloud: Cloud, events: Any, tmp_path: Path
) -> None:
    events.put_rule(Name="hourly", ScheduleExpression="rate(1 hour)", Description="tick")
    events.put_targets(Rule="hourly", Targets=[{"Id": "q", "Arn": QUEUE, "Input": "{}"}])
    cloud.clock.advance(hours=1)
    assert len(service(cloud).deliveries) == 1
    path = cloud.save(tmp_path / "world.json")

    loaded = Cloud.load(path)
    again = loaded.client("events")
    assert again.describe_rule(Name="hourly")["Description"] == "tick"
    assert again.list_targets_by_rule(Rule="hourly")["Targets"] == [
        {"Id": "q", "Arn": QUEUE, "Input": "{}"}
    ]
    assert service(loaded).deliveries == service(cloud).deliveries
    loaded.clock.advance(hours=2)
    assert len(service(loaded).deliveries) == 3


def test_read_only_cloudtrail_events_need_the_all_management_events_state(
    cloud: Cloud, events: Any, lambdas: Recorder
) -> None:
    pattern = {"detail-type": ["AWS API Call via CloudTrail"]}
    rule_with_target(events, "writes", pattern)
    events.put_rule(
        Name="all",
        EventPattern=json.dumps(pattern),
        State="ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
    )
    events.put_targets(Rule="all", Targets=[{"Id": "t", "Arn": LAMBDA}])
    account = cloud.default_account.account_id
    for read_only in (True, False):
        cloud.events.publish(
            source="aws.kms",
            detail_type="AWS API Call via CloudTrail",
            account=account,
            region="us-east-1",
            detail={
                "eventName": "DescribeKey" if read_only else "DisableKey",
                "readOnly": read_only,
            },
        )
    got = [
        (d.rule_arn.rsplit("/", 1)[1], d.payload["detail"]["eventName"]) for d in lambdas.received
    ]
    assert got == [("all", "DescribeKey"), ("writes", "DisableKey"), ("all", "DisableKey")]
