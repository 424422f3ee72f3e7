"""GetLogEvents: one invocation's stream, its tokens in both directions, time windows."""

from __future__ import annotations

from typing import Any

import pytest

from simulator import Cloud
from tests.conftest import error_code, error_message
from tests.services.logs.conftest import GROUP


def _messages(page: dict[str, Any]) -> list[str]:
    return [e["message"] for e in page["events"]]


def test_events_are_the_invocation_log(cloud: Cloud, world: dict[str, Any], logs_any: Any) -> None:
    stream = world["written"][1]  # the ERROR invocation
    page = logs_any.get_log_events(logGroupName=GROUP, logStreamName=stream)
    messages = _messages(page)
    assert messages[0].startswith("START RequestId: ") and messages[0].endswith("$LATEST\n")
    assert messages[1:3] == ["ERROR request 1 done\n", "Task timed out after retry\n"]
    assert messages[3].startswith("END RequestId: ")
    assert messages[4].startswith("REPORT RequestId: ")
    assert {e["timestamp"] for e in page["events"]} == {world["times"][1]}
    assert all(e["ingestionTime"] == e["timestamp"] for e in page["events"])
    # the same lines, in the same order, as the notebook helper's text
    text = cloud.lambda_functions.logs("app")
    assert "".join(messages) in text + "\n"


def test_tokens_walk_both_ways_and_repeat_at_the_ends(world: dict[str, Any], logs_any: Any) -> None:
    stream = world["written"][0]
    whole = _messages(logs_any.get_log_events(logGroupName=GROUP, logStreamName=stream))
    assert len(whole) == 4

    latest = logs_any.get_log_events(logGroupName=GROUP, logStreamName=stream, limit=3)
    assert _messages(latest) == whole[1:]  # startFromHead defaults to false: the latest events
    back = logs_any.get_log_events(
        logGroupName=GROUP, logStreamName=stream, limit=3, nextToken=latest["nextBackwardToken"]
    )
    assert _messages(back) == whole[:1]
    start = logs_any.get_log_events(
        logGroupName=GROUP, logStreamName=stream, nextToken=back["nextBackwardToken"]
    )
    assert start["events"] == []
    assert start["nextBackwardToken"] == back["nextBackwardToken"]  # the end: same token

    head = logs_any.get_log_events(
        logGroupName=GROUP, logStreamName=stream, startFromHead=True, limit=3
    )
    assert _messages(head) == whole[:3]
    forward = logs_any.get_log_events(
        logGroupName=GROUP,
        logStreamName=stream,
        startFromHead=True,
        nextToken=head["nextForwardToken"],
    )
    assert _messages(forward) == whole[3:]
    end = logs_any.get_log_events(
        logGroupName=GROUP,
        logStreamName=stream,
        startFromHead=True,
        nextToken=forward["nextForwardToken"],
    )
    assert end["events"] == [] and end["nextForwardToken"] == forward["nextForwardToken"]
    assert end["nextBackwardToken"]  # never null


def test_time_window_start_inclusive_end_exclusive(world: dict[str, Any], logs_any: Any) -> None:
    stream, when = world["written"][2], world["times"][2]
    hit = logs_any.get_log_events(
        logGroupName=GROUP, logStreamName=stream, startTime=when, endTime=when + 1
    )
    assert len(hit["events"]) == 4
    for window in ({"endTime": when}, {"startTime": when + 1}):
        miss = logs_any.get_log_events(logGroupName=GROUP, logStreamName=stream, **window)
        assert miss["events"] == [] and miss["nextForwardToken"] and miss["nextBackwardToken"]


def test_group_by_identifier_and_errors(world: dict[str, Any], logs_any: Any) -> None:
    stream = world["written"][0]
    page = logs_any.get_log_events(logGroupIdentifier=GROUP, logStreamName=stream)
    assert len(page["events"]) == 4
    with pytest.raises(Exception) as exc:
        logs_any.get_log_events(logGroupName=GROUP, logStreamName="2020/01/01/[$LATEST]x")
    assert error_code(exc) == "ResourceNotFoundException"
    assert error_message(exc) == "The specified log stream does not exist."
    with pytest.raises(Exception) as exc:
        logs_any.get_log_events(logGroupName="/aws/lambda/ghost", logStreamName=stream)
    assert error_message(exc) == "The specified log group does not exist."
    with pytest.raises(Exception) as exc:
        logs_any.get_log_events(logGroupName=GROUP, logStreamName=stream, nextToken="f/x")
    assert error_code(exc) == "InvalidParameterException"
