"""Inline policies on users, groups and roles: put/get/list/delete, grammar, size limits."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import error_code, error_message


def policy(*actions: str, resource: str = "*") -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": list(actions), "Resource": resource}],
        },
        separators=(",", ":"),
    )


_TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ec2.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)


@pytest.fixture
def holders(iam: Any) -> dict[str, dict[str, Any]]:
    iam.create_user(UserName="u")
    iam.create_group(GroupName="g")
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=_TRUST)
    return {
        "user": {"UserName": "u"},
        "group": {"GroupName": "g"},
        "role": {"RoleName": "r"},
    }


@pytest.mark.parametrize("kind", ["user", "group", "role"])
def test_put_get_list_delete(iam: Any, holders: dict[str, dict[str, Any]], kind: str) -> None:
    who = holders[kind]
    k = kind.capitalize()
    put = getattr(iam, f"put_{kind}_policy")
    get = getattr(iam, f"get_{kind}_policy")
    listed = getattr(iam, f"list_{kind}_policies")
    delete = getattr(iam, f"delete_{kind}_policy")
    put(**who, PolicyName="b", PolicyDocument=policy("kms:Decrypt"))
    put(**who, PolicyName="a", PolicyDocument=policy("kms:Encrypt"))
    put(**who, PolicyName="b", PolicyDocument=policy("kms:DescribeKey"))  # replaces
    got = get(**who, PolicyName="b")
    assert got[f"{k}Name"] == next(iter(who.values()))
    assert got["PolicyName"] == "b"
    assert got["PolicyDocument"] == json.loads(policy("kms:DescribeKey"))
    assert listed(**who)["PolicyNames"] == ["a", "b"]
    delete(**who, PolicyName="a")
    assert listed(**who)["PolicyNames"] == ["b"]
    with pytest.raises(ClientError) as exc:
        get(**who, PolicyName="a")
    assert (error_code(exc), error_message(exc)) == (
        "NoSuchEntity",
        f"The {kind} policy with name a cannot be found.",
    )
    with pytest.raises(ClientError) as exc:
        delete(**who, PolicyName="a")
    assert error_code(exc) == "NoSuchEntity"
    with pytest.raises(ClientError) as exc:
        put(**{key: "ghost" for key in who}, PolicyName="x", PolicyDocument=policy("kms:Decrypt"))
    assert error_code(exc) == "NoSuchEntity"


@pytest.mark.parametrize(("kind", "limit"), [("user", 2048), ("group", 5120), ("role", 10240)])
def test_aggregate_size_limits_ignore_white_space(
    iam: Any, holders: dict[str, dict[str, Any]], kind: str, limit: int
) -> None:
    who = holders[kind]
    put = getattr(iam, f"put_{kind}_policy")
    base = len(policy("s3:GetObject", resource=""))
    resource = "arn:aws:s3:::" + "b" * (limit - base - len("arn:aws:s3:::"))
    exact = policy("s3:GetObject", resource=resource)
    assert len(exact) == limit
    # White space does not count: the same policy pretty-printed still fits.
    put(**who, PolicyName="p1", PolicyDocument=json.dumps(json.loads(exact), indent=8))
    with pytest.raises(ClientError) as exc:
        put(**who, PolicyName="p2", PolicyDocument=policy("s3:GetObject"))
    name = next(iter(who.values()))
    assert (error_code(exc), error_message(exc)) == (
        "LimitExceeded",
        f"Maximum policy size of {limit} bytes exceeded for {kind} {name}",
    )
    assert getattr(iam, f"list_{kind}_policies")(**who)["PolicyNames"] == ["p1"]


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        (
            {"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"},
            "Policy document should not specify a principal.",
        ),
        ({"Effect": "Allow", "Resource": "*"}, "Policy statement must contain actions."),
        ({"Effect": "Allow", "Action": "s3:*"}, "Policy statement must contain resources."),
        (
            {"Effect": "allow", "Action": "s3:*", "Resource": "*"},
            "The policy failed legacy parsing",
        ),
        (
            {"Effect": "Allow", "Action": "s3:Get:Object", "Resource": "*"},
            "Actions/Condition can contain only one colon.",
        ),
        (
            {"Effect": "Allow", "Action": "GetObject", "Resource": "*"},
            "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
        ),
        (
            {"Effect": "Allow", "Action": "s3:*", "Resource": "bucket"},
            'Resource bucket must be in ARN format or "*".',
        ),
        (
            {"Sid": "has space", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},
            "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the "
            "regular expression [0-9A-Za-z]*",
        ),
    ],
)
def test_identity_policy_grammar(
    iam: Any, holders: dict[str, dict[str, Any]], statement: dict[str, Any], message: str
) -> None:
    doc = json.dumps({"Version": "2012-10-17", "Statement": [statement]})
    with pytest.raises(ClientError) as exc:
        iam.put_user_policy(UserName="u", PolicyName="p", PolicyDocument=doc)
    assert (error_code(exc), error_message(exc)) == ("MalformedPolicyDocument", message)
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert iam.list_user_policies(UserName="u")["PolicyNames"] == []
