"""DescribeLogGroups and DescribeLogStreams over Lambda's log groups (both transports)."""

from __future__ import annotations

from typing import Any

import pytest

from simulator import Cloud
from tests.conftest import error_code, error_message
from tests.services.logs.conftest import GROUP, OTHER


def test_a_group_exists_once_its_function_has_written(cloud: Cloud, logs_any: Any) -> None:
    assert logs_any.describe_log_groups()["logGroups"] == []
    with pytest.raises(Exception) as exc:
        logs_any.describe_log_streams(logGroupName=GROUP)
    assert error_code(exc) == "ResourceNotFoundException"
    assert error_message(exc) == "The specified log group does not exist."


def test_describe_log_groups_sorted_with_prefix_pattern_and_pages(
    cloud: Cloud, world: dict[str, Any], logs_any: Any
) -> None:
    groups = logs_any.describe_log_groups()["logGroups"]
    assert [g["logGroupName"] for g in groups] == [GROUP, OTHER]
    app = groups[0]
    account, region = cloud.default_account.account_id, cloud.default_region
    assert app["arn"] == f"arn:aws:logs:{region}:{account}:log-group:{GROUP}:*"
    assert app["logGroupArn"] == f"arn:aws:logs:{region}:{account}:log-group:{GROUP}"
    assert app["creationTime"] == world["times"][0]
    assert app["storedBytes"] > 0 and app["metricFilterCount"] == 0
    assert "retentionInDays" not in app  # never expire

    only = logs_any.describe_log_groups(logGroupNamePrefix="/aws/lambda/o")["logGroups"]
    assert [g["logGroupName"] for g in only] == [OTHER]
    found = logs_any.describe_log_groups(logGroupNamePattern="app")["logGroups"]
    assert found == [
        {"logGroupName": GROUP, "creationTime": app["creationTime"], "arn": app["arn"]}
    ]
    assert logs_any.describe_log_groups(logGroupNamePattern="APP")["logGroups"] == []
    by_id = logs_any.describe_log_groups(logGroupIdentifiers=[OTHER])["logGroups"]
    assert [g["logGroupName"] for g in by_id] == [OTHER]

    first = logs_any.describe_log_groups(limit=1)
    assert [g["logGroupName"] for g in first["logGroups"]] == [GROUP]
    second = logs_any.describe_log_groups(limit=1, nextToken=first["nextToken"])
    assert [g["logGroupName"] for g in second["logGroups"]] == [OTHER]
    assert "nextToken" not in second


def test_describe_log_groups_errors(world: dict[str, Any], logs_any: Any) -> None:
    with pytest.raises(Exception) as exc:
        logs_any.describe_log_groups(logGroupNamePrefix="/aws", logGroupNamePattern="app")
    assert error_code(exc) == "InvalidParameterException"
    with pytest.raises(Exception) as exc:
        logs_any.describe_log_groups(limit=51)
    assert error_code(exc) == "ValidationException"  # the house model check (validate.py)
    with pytest.raises(Exception) as exc:
        logs_any.describe_log_groups(nextToken="not-a-token")
    assert error_code(exc) == "InvalidParameterException"


def test_one_stream_per_invocation_with_its_times(
    cloud: Cloud, world: dict[str, Any], logs_any: Any
) -> None:
    streams = logs_any.describe_log_streams(logGroupName=GROUP)["logStreams"]
    assert [s["logStreamName"] for s in streams] == sorted(world["written"])
    assert len(streams) == 3
    day = cloud.clock.now().strftime("%Y/%m/%d")
    by_name = {s["logStreamName"]: s for s in streams}
    for name, when in zip(world["written"], world["times"], strict=False):
        stream = by_name[name]
        assert name.startswith(f"{day}/[$LATEST]") and len(name.split("]")[1]) == 32
        assert stream["creationTime"] == stream["firstEventTimestamp"] == when
        assert stream["lastEventTimestamp"] == stream["lastIngestionTime"] == when
        assert stream["storedBytes"] == 0  # deprecated for streams
        assert stream["arn"].endswith(f"log-group:{GROUP}:log-stream:{name}")


def test_stream_order_descending_prefix_and_pages(world: dict[str, Any], logs_any: Any) -> None:
    written = world["written"]
    by_time = logs_any.describe_log_streams(logGroupName=GROUP, orderBy="LastEventTime")
    assert [s["logStreamName"] for s in by_time["logStreams"]] == written
    newest = logs_any.describe_log_streams(
        logGroupName=GROUP, orderBy="LastEventTime", descending=True, limit=1
    )
    assert [s["logStreamName"] for s in newest["logStreams"]] == [written[-1]]
    rest = logs_any.describe_log_streams(
        logGroupName=GROUP,
        orderBy="LastEventTime",
        descending=True,
        nextToken=newest["nextToken"],
    )
    assert [s["logStreamName"] for s in rest["logStreams"]] == written[:2][::-1]
    assert "nextToken" not in rest

    names = sorted(written)
    down = logs_any.describe_log_streams(logGroupName=GROUP, descending=True)["logStreams"]
    assert [s["logStreamName"] for s in down] == names[::-1]
    prefix = names[1][: len(names[1]) - 28]  # date, [$LATEST] and 4 hex digits
    same = [n for n in names if n.startswith(prefix)]
    hits = logs_any.describe_log_streams(logGroupName=GROUP, logStreamNamePrefix=prefix)
    assert [s["logStreamName"] for s in hits["logStreams"]] == same
    arn = logs_any.describe_log_groups(logGroupNamePattern="app")["logGroups"][0]["arn"]
    by_arn = logs_any.describe_log_streams(logGroupIdentifier=arn[:-2])["logStreams"]
    assert len(by_arn) == 3


def test_order_by_time_refuses_a_prefix(world: dict[str, Any], logs_any: Any) -> None:
    with pytest.raises(Exception) as exc:
        logs_any.describe_log_streams(
            logGroupName=GROUP, orderBy="LastEventTime", logStreamNamePrefix="2"
        )
    assert error_code(exc) == "InvalidParameterException"
    assert error_message(exc) == "Cannot order by LastEventTime with a logStreamNamePrefix."


@pytest.mark.parametrize(
    "params",
    [
        {"logGroupName": GROUP, "logGroupIdentifier": GROUP},
        {},
        {"logGroupName": GROUP, "nextToken": "bogus"},
    ],
)
def test_describe_log_streams_invalid_parameters(
    world: dict[str, Any], logs_any: Any, params: dict[str, Any]
) -> None:
    with pytest.raises(Exception) as exc:
        logs_any.describe_log_streams(**params)
    assert error_code(exc) == "InvalidParameterException"


def test_unknown_group_or_other_account_arn(world: dict[str, Any], logs_any: Any) -> None:
    for params in (
        {"logGroupName": "/aws/lambda/nope"},
        {"logGroupIdentifier": f"arn:aws:logs:us-east-1:999999999999:log-group:{GROUP}"},
    ):
        with pytest.raises(Exception) as exc:
            logs_any.describe_log_streams(**params)
        assert error_code(exc) == "ResourceNotFoundException"
