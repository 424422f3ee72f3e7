"""CloudTrail LookupEvents over the Cloud's trail: attributes, time range, 90 days, paging,
account and Region scope, AWS service events.

Most tests call the operation through ``Dispatcher.invoke`` (decode, validate, handler,
encode, audit), which lets them choose the calling account and Region directly; the boto3 tests
at the end run over both transports (CloudTrail's target prefix has dots of its own:
``com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents``).
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from simulator import Cloud
from simulator.core.context import RequestContext
from tests.conftest import TRANSPORTS, both_transports, error_code


class LookupError_(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code, self.message = code, message


def call(
    cloud: Cloud,
    operation: str = "LookupEvents",
    region: str = "us-east-1",
    account: str | None = None,
    **params: Any,
) -> dict[str, Any]:
    """One CloudTrail call through the dispatcher; raises LookupError_ on an error body."""
    acct = cloud.accounts[account or cloud.default_account.account_id]
    ctx = RequestContext(
        service="cloudtrail",
        operation=operation,
        account_id=acct.account_id,
        region=region,
        principal=acct.admin_key.principal,
        request_id=cloud.ids.uuid(),
        now=cloud.clock.now(),
        event_id=cloud.ids.uuid(),
    )
    wire = {k: (v.timestamp() if isinstance(v, _dt.datetime) else v) for k, v in params.items()}
    response = cloud.dispatcher.invoke(ctx, wire)
    body: dict[str, Any] = json.loads(response.body)
    if response.status != 200:
        raise LookupError_(body["__type"], body["message"])
    return body


def names(out: dict[str, Any]) -> list[str]:
    """Event names found, leaving out the test's own earlier LookupEvents calls (which CloudTrail
    records like any other management event: see test_lookups_are_recorded_too)."""
    return [e["EventName"] for e in out["Events"] if e["EventName"] != "LookupEvents"]


@pytest.fixture
def busy(cloud: Cloud, kms: Any) -> dict[str, Any]:
    """A small history: CreateKey, DescribeKey, a failed call, an hour later DisableKey."""
    key = kms.create_key(Description="app")["KeyMetadata"]
    kms.describe_key(KeyId=key["KeyId"])
    with pytest.raises(ClientError):
        kms.describe_key(KeyId="alias/nope")
    cloud.clock.advance(hours=1)
    kms.disable_key(KeyId=key["KeyId"])
    return key


def test_newest_first_with_cloudtrail_fields(cloud: Cloud, busy: dict[str, Any]) -> None:
    out = call(cloud)
    assert names(out) == ["DisableKey", "DescribeKey", "DescribeKey", "CreateKey"]
    newest = out["Events"][0]
    record = cloud.trail.events(event_name="DisableKey")[0]
    admin = cloud.default_account.admin_key
    assert newest["EventId"] == record["eventID"]
    assert newest["ReadOnly"] == "false"
    assert out["Events"][1]["ReadOnly"] == "true"
    assert newest["AccessKeyId"] == admin.access_key_id
    assert newest["Username"] == "Administrator"
    assert newest["EventSource"] == "kms.amazonaws.com"
    assert newest["EventTime"] == _dt.datetime(2026, 1, 5, 10, tzinfo=_dt.UTC).timestamp()
    assert json.loads(newest["CloudTrailEvent"]) == record
    failed = json.loads(out["Events"][1]["CloudTrailEvent"])
    assert failed["errorCode"] == "NotFoundException"


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("EventName", "DescribeKey", ["DescribeKey", "DescribeKey"]),
        (
            "EventSource",
            "kms.amazonaws.com",
            ["DisableKey", "DescribeKey", "DescribeKey", "CreateKey"],
        ),
        ("EventSource", "s3.amazonaws.com", []),
        ("ReadOnly", "false", ["DisableKey", "CreateKey"]),
        ("ReadOnly", "true", ["DescribeKey", "DescribeKey"]),
        ("Username", "Administrator", ["DisableKey", "DescribeKey", "DescribeKey", "CreateKey"]),
        ("Username", "root", []),
    ],
)
def test_lookup_attributes(
    cloud: Cloud, busy: dict[str, Any], key: str, value: str, expected: list[str]
) -> None:
    attrs = [{"AttributeKey": key, "AttributeValue": value}]
    assert names(call(cloud, LookupAttributes=attrs)) == expected


def test_event_id_and_access_key_attributes(cloud: Cloud, busy: dict[str, Any]) -> None:
    record = cloud.trail.events(event_name="CreateKey")[0]
    by_id = call(
        cloud, LookupAttributes=[{"AttributeKey": "EventId", "AttributeValue": record["eventID"]}]
    )
    assert names(by_id) == ["CreateKey"]
    key_id = cloud.default_account.admin_key.access_key_id
    by_key = call(
        cloud, LookupAttributes=[{"AttributeKey": "AccessKeyId", "AttributeValue": key_id}]
    )
    assert len(names(by_key)) == 4
    other = call(
        cloud, LookupAttributes=[{"AttributeKey": "AccessKeyId", "AttributeValue": "AKIAX"}]
    )
    assert other["Events"] == []


def test_only_one_lookup_attribute(cloud: Cloud, busy: dict[str, Any]) -> None:
    attrs = [
        {"AttributeKey": "EventName", "AttributeValue": "CreateKey"},
        {"AttributeKey": "ReadOnly", "AttributeValue": "false"},
    ]
    with pytest.raises(LookupError_) as excinfo:
        call(cloud, LookupAttributes=attrs)
    assert excinfo.value.code == "InvalidLookupAttributesException"


def test_unknown_attribute_key_is_refused_by_the_model(cloud: Cloud) -> None:
    attrs = [{"AttributeKey": "Colour", "AttributeValue": "red"}]
    with pytest.raises(LookupError_) as excinfo:
        call(cloud, LookupAttributes=attrs)
    assert excinfo.value.code == "ValidationException"


def test_time_range_is_inclusive(cloud: Cloud, busy: dict[str, Any]) -> None:
    t0 = _dt.datetime(2026, 1, 5, 9, tzinfo=_dt.UTC)
    t1 = t0 + _dt.timedelta(hours=1)
    assert names(call(cloud, StartTime=t1)) == ["DisableKey"]
    assert names(call(cloud, EndTime=t0)) == ["DescribeKey", "DescribeKey", "CreateKey"]
    assert len(names(call(cloud, StartTime=t0, EndTime=t1))) == 4
    assert (
        call(cloud, StartTime=t0 + _dt.timedelta(minutes=1), EndTime=t1 - _dt.timedelta(minutes=1))[
            "Events"
        ]
        == []
    )
    with pytest.raises(LookupError_) as excinfo:
        call(cloud, StartTime=t1, EndTime=t0)
    assert excinfo.value.code == "InvalidTimeRangeException"


def test_history_covers_ninety_days(cloud: Cloud, kms: Any) -> None:
    kms.create_key()
    cloud.clock.advance(days=89)
    kms.list_keys()
    assert names(call(cloud)) == ["ListKeys", "CreateKey"]
    cloud.clock.advance(days=2)
    assert names(call(cloud)) == ["ListKeys"]
    old = _dt.datetime(2026, 1, 1, tzinfo=_dt.UTC)
    assert names(call(cloud, StartTime=old)) == ["ListKeys"]


def test_pages_with_max_results_and_next_token(cloud: Cloud, kms: Any) -> None:
    for _ in range(5):
        kms.list_keys()
    first = call(cloud, MaxResults=2)
    assert len(first["Events"]) == 2 and "NextToken" in first
    second = call(cloud, MaxResults=2, NextToken=first["NextToken"])
    third = call(cloud, MaxResults=2, NextToken=second["NextToken"])
    assert len(second["Events"]) == 2 and len(third["Events"]) == 1
    assert "NextToken" not in third
    ids = [e["EventId"] for e in first["Events"] + second["Events"] + third["Events"]]
    assert ids == [r["eventID"] for r in reversed(cloud.trail.events(event_name="ListKeys"))]
    # Calls made since (the LookupEvents calls themselves) do not shift the pages.
    again = call(cloud, MaxResults=2, NextToken=first["NextToken"])
    assert [e["EventId"] for e in again["Events"]] == ids[2:4]


def test_next_token_only_with_the_same_parameters(cloud: Cloud, kms: Any) -> None:
    for _ in range(3):
        kms.list_keys()
    token = call(cloud, MaxResults=1)["NextToken"]
    attrs = [{"AttributeKey": "EventName", "AttributeValue": "ListKeys"}]
    for params in ({"LookupAttributes": attrs}, {"NextToken": "garbage"}):
        with pytest.raises(LookupError_) as excinfo:
            call(cloud, MaxResults=1, **({"NextToken": token} | params))
        assert excinfo.value.code == "InvalidNextTokenException"


def test_max_results_is_at_most_fifty(cloud: Cloud) -> None:
    with pytest.raises(LookupError_) as excinfo:
        call(cloud, MaxResults=51)
    assert excinfo.value.code == "ValidationException"


def test_scoped_to_the_callers_account_and_region(cloud: Cloud, kms: Any) -> None:
    kms.list_keys()
    cloud.client("kms", region_name="eu-west-1").list_keys()
    other = cloud.create_account()
    cloud.client("kms", account_id=other.account_id).create_key()
    assert names(call(cloud)) == ["ListKeys"]
    assert names(call(cloud, region="eu-west-1")) == ["ListKeys"]
    assert names(call(cloud, account=other.account_id)) == ["CreateKey"]


def test_aws_service_events_are_found(cloud: Cloud, kms: Any) -> None:
    key = kms.create_key()["KeyMetadata"]
    kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
    cloud.clock.advance(days=7)
    attrs = [{"AttributeKey": "ResourceName", "AttributeValue": key["Arn"]}]
    # The learner's own calls name the key too (API calls carry ``resources``).
    event, *calls = call(cloud, LookupAttributes=attrs)["Events"]
    assert [e["EventName"] for e in calls] == ["ScheduleKeyDeletion", "CreateKey"]
    assert event["EventName"] == "DeleteKey"
    assert event["Resources"] == [{"ResourceType": "AWS::KMS::Key", "ResourceName": key["Arn"]}]
    assert json.loads(event["CloudTrailEvent"])["eventType"] == "AwsServiceEvent"
    assert "AccessKeyId" not in event and "Username" not in event
    by_type = [{"AttributeKey": "ResourceType", "AttributeValue": "AWS::KMS::Key"}]
    assert names(call(cloud, LookupAttributes=by_type)) == [
        "DeleteKey",
        "ScheduleKeyDeletion",
        "CreateKey",
    ]


def test_lookups_are_recorded_too(cloud: Cloud) -> None:
    call(cloud)
    out = call(cloud)
    (event,) = out["Events"]
    assert (event["EventName"], event["EventSource"]) == (
        "LookupEvents",
        "cloudtrail.amazonaws.com",
    )
    assert event["ReadOnly"] == "true"


def test_insights_events_are_none(cloud: Cloud, kms: Any) -> None:
    kms.list_keys()
    assert call(cloud, EventCategory="insight")["Events"] == []


def test_trails_are_not_simulated(cloud: Cloud) -> None:
    with pytest.raises(LookupError_) as excinfo:
        call(cloud, "DescribeTrails")
    assert excinfo.value.code == "NotSimulatedException"


@pytest.fixture(params=TRANSPORTS)
def cloudtrail_any(request: pytest.FixtureRequest, cloud: Cloud) -> Iterator[Any]:
    """CloudTrail through boto3 over the botocore hook and over real HTTP."""
    yield from both_transports(request, cloud, "cloudtrail")


def test_boto3_lookup_events(cloud: Cloud, kms: Any, cloudtrail_any: Any) -> None:
    kms.create_key(Description="via boto3")
    out = cloudtrail_any.lookup_events(
        LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "CreateKey"}]
    )
    (event,) = out["Events"]
    assert event["EventTime"] == cloud.clock.now()
    assert event["Username"] == "Administrator"
    assert json.loads(event["CloudTrailEvent"])["requestParameters"] == {"description": "via boto3"}
    with pytest.raises(ClientError) as excinfo:
        cloudtrail_any.lookup_events(
            StartTime=cloud.clock.now(), EndTime=cloud.clock.now() - _dt.timedelta(days=1)
        )
    assert error_code(excinfo) == "InvalidTimeRangeException"


def test_boto3_paginator_walks_the_history(cloud: Cloud, kms: Any, cloudtrail_any: Any) -> None:
    for _ in range(7):
        kms.list_keys()
    pages = cloudtrail_any.get_paginator("lookup_events").paginate(
        LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "ListKeys"}],
        PaginationConfig={"PageSize": 3},
    )
    sizes = [len(page["Events"]) for page in pages]
    assert sizes == [3, 3, 1]


def test_every_error_class_is_declared_in_the_model() -> None:
    from simulator.protocol import spec
    from simulator.services.cloudtrail import errors

    declared = spec.declared_errors("cloudtrail")
    assert {cls.code for cls in errors.ALL} <= declared
