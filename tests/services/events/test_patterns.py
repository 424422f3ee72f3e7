"""The EventBridge pattern language, operator by operator (positive and negative cases), and
the reasons invalid patterns are refused with."""

from __future__ import annotations

import json
from typing import Any

import pytest

from simulator.services.events.patterns import PatternError, compile_pattern

EVENT: dict[str, Any] = {
    "version": "0",
    "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
    "detail-type": "EC2 Instance State-change Notification",
    "source": "aws.ec2",
    "account": "111122223333",
    "time": "2017-12-22T18:43:48Z",
    "region": "us-west-1",
    "resources": ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
    "detail": {
        "instance-id": "i-1234567890abcdef0",
        "state": "terminated",
        "c-count": 5,
        "x-limit": 301.8,
        "big": 123456789012,
        "flag": True,
        "nothing": None,
        "empty": "",
        "file": "photos/Cat.PNG",
        "source-ip": "10.0.0.33",
        "tags": ["prod", "web"],
        "items": [{"sku": "A", "qty": 1}, {"sku": "B", "qty": 5}],
        "nested": {"c1": 100},
    },
}

CASES: list[tuple[str, dict[str, Any], bool]] = [
    # exact values: strings, numbers, literals; OR inside a list, AND across fields
    ("exact string", {"source": ["aws.ec2"]}, True),
    ("exact string miss", {"source": ["aws.s3"]}, False),
    ("exact is case sensitive", {"source": ["AWS.EC2"]}, False),
    ("any of a list", {"source": ["aws.s3", "aws.ec2"]}, True),
    ("and across fields", {"source": ["aws.ec2"], "region": ["eu-west-1"]}, False),
    ("nested object", {"detail": {"state": ["terminated"]}}, True),
    ("nested miss", {"detail": {"state": ["running"]}}, False),
    ("missing field", {"detail": {"colour": ["red"]}}, False),
    ("number literal", {"detail": {"c-count": [5]}}, True),
    ("number literal compares numerically", {"detail": {"x-limit": [3.018e2]}}, True),
    ("number literal is not a string", {"detail": {"c-count": ["5"]}}, False),
    ("string literal is not a number", {"detail": {"instance-id": [5]}}, False),
    ("big number outside numeric range still exact", {"detail": {"big": [123456789012]}}, True),
    ("true literal", {"detail": {"flag": [True]}}, True),
    ("false literal", {"detail": {"flag": [False]}}, False),
    ("null literal", {"detail": {"nothing": [None]}}, True),
    ("null does not match a missing field", {"detail": {"absent": [None]}}, False),
    ("empty string", {"detail": {"empty": [""]}}, True),
    ("empty string is not null", {"detail": {"nothing": [""]}}, False),
    # arrays in events: any element
    ("array any element", {"resources": [EVENT["resources"][0]]}, True),
    ("array of strings", {"detail": {"tags": ["web"]}}, True),
    ("array of strings miss", {"detail": {"tags": ["dev"]}}, False),
    ("array of objects", {"detail": {"items": {"sku": ["B"]}}}, True),
    ("array elements stay consistent", {"detail": {"items": {"sku": ["A"], "qty": [5]}}}, False),
    ("same element both fields", {"detail": {"items": {"sku": ["B"], "qty": [5]}}}, True),
    # prefix / suffix (and their ignore-case forms)
    ("prefix", {"time": [{"prefix": "2017-12-22"}]}, True),
    ("prefix miss", {"time": [{"prefix": "2018"}]}, False),
    ("prefix only on strings", {"detail": {"c-count": [{"prefix": "5"}]}}, False),
    ("prefix ignore case", {"source": [{"prefix": {"equals-ignore-case": "AWS."}}]}, True),
    ("suffix", {"detail": {"file": [{"suffix": ".PNG"}]}}, True),
    ("suffix is case sensitive", {"detail": {"file": [{"suffix": ".png"}]}}, False),
    (
        "suffix ignore case",
        {"detail": {"file": [{"suffix": {"equals-ignore-case": ".png"}}]}},
        True,
    ),
    # equals-ignore-case
    ("equals-ignore-case", {"detail": {"state": [{"equals-ignore-case": "TERMINATED"}]}}, True),
    ("equals-ignore-case miss", {"detail": {"state": [{"equals-ignore-case": "TERM"}]}}, False),
    # wildcard
    ("wildcard", {"detail": {"file": [{"wildcard": "photos/*.PNG"}]}}, True),
    ("wildcard whole value", {"detail": {"file": [{"wildcard": "photos/*"}]}}, True),
    ("wildcard miss", {"detail": {"file": [{"wildcard": "videos/*"}]}}, False),
    ("wildcard escaped star is literal", {"detail": {"file": [{"wildcard": "photos/\\*"}]}}, False),
    # anything-but
    ("anything-but value", {"detail": {"state": [{"anything-but": "running"}]}}, True),
    ("anything-but same value", {"detail": {"state": [{"anything-but": "terminated"}]}}, False),
    ("anything-but list", {"detail": {"state": [{"anything-but": ["a", "terminated"]}]}}, False),
    ("anything-but number", {"detail": {"c-count": [{"anything-but": 6}]}}, True),
    ("anything-but numbers", {"detail": {"c-count": [{"anything-but": [4, 5]}]}}, False),
    ("anything-but needs the field", {"detail": {"absent": [{"anything-but": "x"}]}}, False),
    ("anything-but prefix", {"detail": {"state": [{"anything-but": {"prefix": "run"}}]}}, True),
    (
        "anything-but prefix miss",
        {"detail": {"state": [{"anything-but": {"prefix": "term"}}]}},
        False,
    ),
    ("anything-but suffix", {"detail": {"file": [{"anything-but": {"suffix": ".PNG"}}]}}, False),
    (
        "anything-but ignore case",
        {"detail": {"state": [{"anything-but": {"equals-ignore-case": ["TERMINATED"]}}]}},
        False,
    ),
    ("anything-but wildcard", {"detail": {"file": [{"anything-but": {"wildcard": "*/x*"}}]}}, True),
    (
        "anything-but wildcard miss",
        {"detail": {"file": [{"anything-but": {"wildcard": "*/C*"}}]}},
        False,
    ),
    # numeric
    ("numeric range", {"detail": {"c-count": [{"numeric": [">", 0, "<=", 5]}]}}, True),
    ("numeric range open top", {"detail": {"c-count": [{"numeric": [">", 0, "<", 5]}]}}, False),
    ("numeric less", {"detail": {"c-count": [{"numeric": ["<", 10]}]}}, True),
    ("numeric greater-equal", {"detail": {"c-count": [{"numeric": [">=", 5]}]}}, True),
    ("numeric greater", {"detail": {"c-count": [{"numeric": [">", 5]}]}}, False),
    ("numeric equals float", {"detail": {"x-limit": [{"numeric": ["=", 301.8]}]}}, True),
    ("numeric not on strings", {"detail": {"state": [{"numeric": [">", 0]}]}}, False),
    # exists (leaf nodes only)
    ("exists true", {"detail": {"state": [{"exists": True}]}}, True),
    ("exists true missing", {"detail": {"colour": [{"exists": True}]}}, False),
    ("exists false missing", {"detail": {"colour": [{"exists": False}]}}, True),
    ("exists false present", {"detail": {"state": [{"exists": False}]}}, False),
    ("exists on an object is not a leaf", {"detail": {"nested": [{"exists": True}]}}, False),
    ("exists false on an object", {"detail": {"nested": [{"exists": False}]}}, True),
    ("exists true on null", {"detail": {"nothing": [{"exists": True}]}}, True),
    # cidr
    ("cidr", {"detail": {"source-ip": [{"cidr": "10.0.0.0/24"}]}}, True),
    ("cidr miss", {"detail": {"source-ip": [{"cidr": "10.0.1.0/24"}]}}, False),
    # $or
    ("$or first", {"$or": [{"source": ["aws.ec2"]}, {"region": ["x"]}]}, True),
    ("$or second", {"$or": [{"source": ["x"]}, {"region": ["us-west-1"]}]}, True),
    ("$or none", {"$or": [{"source": ["x"]}, {"region": ["y"]}]}, False),
    (
        "$or nested with and",
        {
            "source": ["aws.ec2"],
            "detail": {"$or": [{"state": ["running"]}, {"c-count": [5], "flag": [True]}]},
        },
        True,
    ),
    ("mixed matchers in one list", {"detail": {"state": ["running", {"prefix": "ter"}]}}, True),
]


@pytest.mark.parametrize(
    ("pattern", "expected"), [(p, e) for _, p, e in CASES], ids=[name for name, _, _ in CASES]
)
def test_operator(pattern: dict[str, Any], expected: bool) -> None:
    assert compile_pattern(json.dumps(pattern)).matches(EVENT) is expected


INVALID: list[tuple[str, str]] = [
    ('["aws.ec2"]', "Filter is not an object"),
    ("{not json", "Invalid JSON"),
    ('{"source": "aws.ec2"}', '"source" must be an object or an array'),
    ("{}", "Empty objects are not allowed"),
    ('{"detail": {}}', "Empty objects are not allowed"),
    ('{"source": []}', "Empty arrays are not allowed"),
    ('{"source": [["a"]]}', "Match value must be String, number, true, false, or null"),
    ('{"source": [{}]}', "Match expression name not found"),
    ('{"source": [{"prefix": "a", "suffix": "b"}]}', "Only one key allowed in match expression"),
    ('{"source": [{"regex": "a.*"}]}', "Unrecognized match type regex"),
    ('{"source": [{"prefix": 5}]}', "prefix match pattern must be a string"),
    ('{"source": [{"wildcard": "a**b"}]}', "Consecutive wildcard characters at pos 2"),
    ('{"source": [{"wildcard": "a\\\\b"}]}', "Invalid escape character at pos 1"),
    ('{"source": [{"exists": "yes"}]}', "exists match pattern must be either true or false."),
    ('{"n": [{"numeric": 5}]}', "Value of numeric must be an array."),
    ('{"n": [{"numeric": ["~", 5]}]}', "Unrecognized numeric range operator: ~"),
    ('{"n": [{"numeric": [">", "5"]}]}', "Value of > must be numeric"),
    ('{"n": [{"numeric": ["=", 5, "<", 6]}]}', "Too many elements in numeric expression"),
    ('{"n": [{"numeric": [">", 5, ">", 6]}]}', "Bad numeric range operator: >"),
    ('{"n": [{"numeric": [">", 6, "<", 5]}]}', "Bottom must be less than top"),
    ('{"n": [{"numeric": [">", 6e9]}]}', "Value must be between -5.0E9 and 5.0E9, inclusive"),
    ('{"s": [{"anything-but": true}]}', "must be an array or single string/number value."),
    ('{"s": [{"anything-but": ["a", 1]}]}', "mixed type is not supported"),
    ('{"s": [{"anything-but": [null]}]}', "start|null|boolean is not supported."),
    ('{"s": [{"anything-but": {"numeric": [">", 1]}}]}', "Unsupported anything-but pattern"),
    ('{"s": [{"anything-but": {"prefix": ""}}]}', "Null prefix/suffix not allowed"),
    ('{"$or": {"a": ["b"]}}', "It must be an Array followed with $or."),
    ('{"$or": [{"a": ["b"]}]}', "There must have at least 2 Objects in $or relationship."),
    ('{"$or": [{"a": ["b"]}, "c"]}', "Only JSON object is allowed in array of $or relationship."),
    ('{"$or": [{"prefix": ["b"]}, {"a": ["c"]}]}', "prefix is Ruler reserved fieldName"),
    ('{"ip": [{"cidr": "10.0.0.0/99"}]}', "Malformed CIDR"),
]


@pytest.mark.parametrize(("text", "reason"), INVALID, ids=[r for _, r in INVALID])
def test_invalid_patterns_say_why(text: str, reason: str) -> None:
    with pytest.raises(PatternError) as excinfo:
        compile_pattern(text)
    assert reason in str(excinfo.value)


def test_deeply_nested_events_do_not_break_matching() -> None:
    deep: Any = "x"
    for _ in range(5000):
        deep = [deep]
    pattern = compile_pattern('{"detail": {"v": ["x"]}}')
    assert pattern.matches({"detail": {"v": deep}})
