"""The policy grammar (simulator/iam/policy.py) and statement evaluation (evaluate.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from simulator.iam.evaluate import ALLOW, DENY, IMPLICIT_DENY, Request, decide, evaluate, glob
from simulator.iam.policy import PolicyError, PolicyKind, non_whitespace_length, parse

ACCT = "111122223333"


def doc(*statements: dict[str, Any], version: str | None = "2012-10-17") -> str:
    body: dict[str, Any] = {"Statement": list(statements)}
    if version:
        body["Version"] = version
    return json.dumps(body)


def stmt(**kw: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", **kw}


def req(action: str = "s3:GetObject", resource: str = "*", **context: Any) -> Request:
    return Request(f"arn:aws:iam::{ACCT}:user/alice", ACCT, action, resource, context)


# -- grammar ------------------------------------------------------------------------------
def test_statement_may_be_a_single_object_and_version_may_be_omitted() -> None:
    parsed = parse(json.dumps({"Statement": stmt()}))
    assert parsed.version is None and len(parsed.statements) == 1
    assert parsed.statements[0].actions == ("s3:GetObject",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[]", "This policy contains invalid Json"),
        ('{"Statement": [], "Statement": []}', "This policy contains invalid Json"),
        (doc(stmt(), version="2012-10-18"), "The policy failed legacy parsing"),
        (json.dumps({"Version": "2012-10-17"}), "Syntax errors in policy."),
        (
            doc(stmt(Sid="a"), stmt(Sid="a")),
            "Statement IDs (SID) in a single policy must be unique.",
        ),
        (doc(stmt(Action=[])), "Policy statement must contain actions."),
        (doc(stmt(Extra=1)), "Syntax errors in policy."),
        (
            doc(stmt(Condition={"StringEqualz": {"aws:username": "x"}})),
            "Invalid Condition type : StringEqualz",
        ),
        (doc({**stmt(), "NotAction": "s3:*"}), "Syntax errors in policy."),
    ],
)
def test_identity_grammar_errors(text: str, message: str) -> None:
    with pytest.raises(PolicyError) as exc:
        parse(text)
    assert exc.value.message == message


def test_trust_principals_are_normalised_and_checked() -> None:
    trust = doc(
        {
            "Effect": "Allow",
            "Principal": {
                "AWS": [ACCT, f"arn:aws:iam::{ACCT}:user/a"],
                "Service": "ec2.amazonaws.com",
            },
            "Action": "sts:AssumeRole",
        }
    )
    (s,) = parse(trust, PolicyKind.TRUST).statements
    assert s.principals == (
        f"arn:aws:iam::{ACCT}:root",
        f"arn:aws:iam::{ACCT}:user/a",
        "ec2.amazonaws.com",
    )
    asked: list[str] = []
    parse(trust, PolicyKind.TRUST, lookup=lambda arn: asked.append(arn) or True)
    assert asked == [f"arn:aws:iam::{ACCT}:user/a"]  # accounts are never looked up


def test_trust_lookup_refuses_missing_users() -> None:
    trust = doc(
        {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ACCT}:user/gone"},
            "Action": "sts:AssumeRole",
        }
    )
    with pytest.raises(PolicyError) as exc:
        parse(trust, PolicyKind.TRUST, lookup=lambda arn: False)
    assert (
        exc.value.message == f'Invalid principal in policy: "AWS":"arn:aws:iam::{ACCT}:user/gone"'
    )
    parse(trust, PolicyKind.TRUST, lookup=lambda arn: None)  # an account this Cloud lacks


def test_bare_star_principal_is_refused_in_trust_policies_only() -> None:
    text = doc({"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Resource": "*"})
    parse(text, PolicyKind.RESOURCE)
    with pytest.raises(PolicyError):
        parse(text.replace(', "Resource": "*"', ""), PolicyKind.TRUST)


def test_size_ignores_white_space() -> None:
    assert non_whitespace_length('{ "a" :\n\t"b c" }') == 10


# -- evaluation ---------------------------------------------------------------------------
def test_explicit_deny_wins_and_silence_is_implicit_deny() -> None:
    allow = parse(doc(stmt(Action="s3:*"))).statements
    deny = parse(doc(stmt(Effect="Deny", Resource="arn:aws:s3:::secret/*"))).statements
    assert decide(allow, req()) == ALLOW
    assert decide(allow + deny, req(resource="arn:aws:s3:::secret/x")) == DENY
    assert decide(deny, req(resource="arn:aws:s3:::public/x")) == IMPLICIT_DENY
    found = evaluate(allow + deny, req(resource="arn:aws:s3:::secret/x"))
    assert found.denied_by == deny


def test_actions_are_case_insensitive_and_wildcards() -> None:
    statements = parse(doc(stmt(Action="KMS:Describe*"))).statements
    assert decide(statements, req("kms:DescribeKey")) == ALLOW
    assert decide(statements, req("kms:Decrypt")) == IMPLICIT_DENY
    nots = parse(doc({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})).statements
    assert decide(nots, req("kms:Decrypt")) == ALLOW
    assert decide(nots, req("iam:CreateUser")) == IMPLICIT_DENY
    assert glob("arn:aws:s3:::b/?", "arn:aws:s3:::b/x") and not glob("a?", "a")
    assert glob("arn:aws:s3:::[x]", "arn:aws:s3:::[x]")  # brackets are literal in IAM


@pytest.mark.parametrize(
    ("condition", "context", "expected"),
    [
        ({"StringEquals": {"aws:username": "alice"}}, {"aws:username": "alice"}, ALLOW),
        ({"StringEquals": {"AWS:UserName": "alice"}}, {"aws:username": "ALICE"}, IMPLICIT_DENY),
        ({"StringEqualsIgnoreCase": {"aws:username": "alice"}}, {"aws:username": "ALICE"}, ALLOW),
        ({"StringNotEquals": {"aws:username": "bob"}}, {}, ALLOW),  # absent key: true
        ({"StringLike": {"s3:prefix": "home/*"}}, {"s3:prefix": "home/alice"}, ALLOW),
        ({"StringEqualsIfExists": {"sts:ExternalId": "x"}}, {}, ALLOW),
        ({"StringEquals": {"sts:ExternalId": "x"}}, {}, IMPLICIT_DENY),
        ({"Bool": {"aws:SecureTransport": True}}, {"aws:SecureTransport": "true"}, ALLOW),
        (
            {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
            {"aws:MultiFactorAuthPresent": "false"},
            IMPLICIT_DENY,
        ),
        ({"Null": {"aws:TokenIssueTime": "true"}}, {}, ALLOW),
        ({"Null": {"aws:TokenIssueTime": "false"}}, {}, IMPLICIT_DENY),
        (
            {"NumericLessThanEquals": {"kms:RotationPeriodInDays": "365"}},
            {"kms:RotationPeriodInDays": "90"},
            ALLOW,
        ),
        (
            {"NumericGreaterThan": {"kms:RotationPeriodInDays": "365"}},
            {"kms:RotationPeriodInDays": "abc"},
            IMPLICIT_DENY,
        ),
        (
            {"DateLessThan": {"aws:CurrentTime": "2026-06-01T00:00:00Z"}},
            {"aws:CurrentTime": "2026-01-05T09:00:00Z"},
            ALLOW,
        ),
        (
            {"DateGreaterThan": {"aws:EpochTime": "1767603600"}},
            {"aws:EpochTime": "1767603599"},
            IMPLICIT_DENY,
        ),
        ({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}, {"aws:SourceIp": "10.1.2.3"}, ALLOW),
        (
            {"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
            {"aws:SourceIp": "10.1.2.3"},
            IMPLICIT_DENY,
        ),
        (
            {"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{ACCT}:role/*"}},
            {"aws:PrincipalArn": f"arn:aws:iam::{ACCT}:role/ops"},
            ALLOW,
        ),
        ({"ForAllValues:StringEquals": {"aws:TagKeys": ["a", "b"]}}, {"aws:TagKeys": ["a"]}, ALLOW),
        (
            {"ForAllValues:StringEquals": {"aws:TagKeys": ["a"]}},
            {"aws:TagKeys": ["a", "c"]},
            IMPLICIT_DENY,
        ),
        ({"ForAllValues:StringEquals": {"aws:TagKeys": ["a"]}}, {}, ALLOW),
        ({"ForAnyValue:StringEquals": {"aws:TagKeys": ["a"]}}, {"aws:TagKeys": ["c", "a"]}, ALLOW),
        ({"ForAnyValue:StringEquals": {"aws:TagKeys": ["a"]}}, {}, IMPLICIT_DENY),
    ],
)
def test_condition_operators(
    condition: dict[str, Any], context: dict[str, Any], expected: str
) -> None:
    statements = parse(doc(stmt(Condition=condition))).statements
    assert decide(statements, req(**context)) == expected


def test_principals_in_resource_and_trust_policies() -> None:
    text = doc(
        {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ACCT}:role/ops"},
            "Action": "sts:AssumeRole",
        }
    )
    statements = parse(text, PolicyKind.TRUST).statements
    session = Request(f"arn:aws:sts::{ACCT}:assumed-role/ops/s1", ACCT, "sts:AssumeRole", "*")
    other = Request(f"arn:aws:sts::{ACCT}:assumed-role/dev/s1", ACCT, "sts:AssumeRole", "*")
    assert decide(statements, session) == ALLOW
    assert decide(statements, other) == IMPLICIT_DENY
    account = parse(
        text.replace(f"arn:aws:iam::{ACCT}:role/ops", ACCT), PolicyKind.TRUST
    ).statements
    assert decide(account, other) == ALLOW
    assert (
        decide(
            account,
            Request("arn:aws:iam::999988887777:user/x", "999988887777", "sts:AssumeRole", "*"),
        )
        == IMPLICIT_DENY
    )
