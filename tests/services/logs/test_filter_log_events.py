"""FilterLogEvents: the whole group in time order, stream selection, terms and pages."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import error_code
from tests.services.logs.conftest import GROUP


def _found(logs: Any, **params: Any) -> list[str]:
    return [e["message"] for e in logs.filter_log_events(logGroupName=GROUP, **params)["events"]]


def test_whole_group_oldest_first_with_stream_names(world: dict[str, Any], logs_any: Any) -> None:
    answer = logs_any.filter_log_events(logGroupName=GROUP)
    events = answer["events"]
    assert len(events) == 13  # 4 + 5 + 4 lines
    assert [e["timestamp"] for e in events] == sorted(e["timestamp"] for e in events)
    assert [e["logStreamName"] for e in events[::5]][:1] == [world["written"][0]]
    assert len({e["eventId"] for e in events}) == 13
    assert all(len(e["eventId"]) == 56 for e in events)
    assert answer["searchedLogStreams"] == [] and "nextToken" not in answer


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("request", ["INFO request 0 done\n", "ERROR request 1 done\n", "WARN request 2 done\n"]),
        ("ERROR done", ["ERROR request 1 done\n"]),
        ('"timed out"', ["Task timed out after retry\n"]),
        ('"out timed"', []),
        ("?WARN ?Task", ["Task timed out after retry\n", "WARN request 2 done\n"]),
        ("request -INFO -WARN", ["ERROR request 1 done\n"]),
        ("error", []),  # case sensitive
        ("", None),  # everything
    ],
)
def test_filter_pattern_terms(
    world: dict[str, Any], logs_any: Any, pattern: str, expected: list[str] | None
) -> None:
    found = _found(logs_any, filterPattern=pattern)
    if expected is None:
        assert len(found) == 13
    else:
        assert found == expected


def test_streams_times_and_newest_first(world: dict[str, Any], logs_any: Any) -> None:
    _, second, third = world["written"]
    t0, t1, _, _ = world["times"]
    assert _found(logs_any, logStreamNames=[second], filterPattern="request") == [
        "ERROR request 1 done\n"
    ]
    assert _found(logs_any, logStreamNamePrefix=third, filterPattern="request") == [
        "WARN request 2 done\n"
    ]
    # startTime and endTime are both inclusive here
    assert _found(logs_any, startTime=t1, endTime=t1, filterPattern="request") == [
        "ERROR request 1 done\n"
    ]
    assert len(_found(logs_any, startTime=t1 + 1)) == 4
    newest = _found(logs_any, startTime=t0, startFromHead=False, filterPattern="request")
    assert newest == ["WARN request 2 done\n", "ERROR request 1 done\n", "INFO request 0 done\n"]
    assert _found(logs_any, startFromHead=False, filterPattern="request") == newest


def test_pages_keep_their_direction(world: dict[str, Any], logs_any: Any) -> None:
    every = _found(logs_any)
    seen: list[str] = []
    params: dict[str, Any] = {"logGroupName": GROUP, "limit": 5}
    while True:
        page = logs_any.filter_log_events(**params)
        assert len(page["events"]) <= 5
        seen += [e["message"] for e in page["events"]]
        if "nextToken" not in page:
            break
        params["nextToken"] = page["nextToken"]
    assert seen == every

    t0 = world["times"][0]
    first = logs_any.filter_log_events(
        logGroupName=GROUP, startTime=t0, startFromHead=False, limit=2, filterPattern="request"
    )
    rest = logs_any.filter_log_events(
        logGroupName=GROUP,
        startTime=t0,
        limit=2,
        filterPattern="request",
        nextToken=first["nextToken"],
    )
    assert [e["message"] for e in rest["events"]] == ["INFO request 0 done\n"]


def test_paginator_reads_everything(world: dict[str, Any], logs_any: Any) -> None:
    pages = logs_any.get_paginator("filter_log_events").paginate(
        logGroupName=GROUP, PaginationConfig={"PageSize": 4}
    )
    assert sum(len(p["events"]) for p in pages) == 13


@pytest.mark.parametrize(
    "params",
    [
        {"logStreamNames": ["a"], "logStreamNamePrefix": "a"},
        {"startFromHead": False, "startTime": 1_600_000_000_000},
        {"filterPattern": '{ $.level = "ERROR" }'},
        {"filterPattern": "[ip, user]"},
        {"filterPattern": '"unbalanced'},
        {"nextToken": "bogus"},
    ],
)
def test_invalid_parameters(world: dict[str, Any], logs_any: Any, params: dict[str, Any]) -> None:
    with pytest.raises(Exception) as exc:
        logs_any.filter_log_events(logGroupName=GROUP, **params)
    assert error_code(exc) == "InvalidParameterException"


def test_unknown_group(world: dict[str, Any], logs_any: Any) -> None:
    with pytest.raises(Exception) as exc:
        logs_any.filter_log_events(logGroupName="/aws/lambda/ghost")
    assert error_code(exc) == "ResourceNotFoundException"
