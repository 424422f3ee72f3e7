"""IAM roles: trust policies checked as trust policies, session duration, tags, deletion."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from simulator import Cloud
from tests.conftest import error_code, error_message


def trust(principal: Any, **extra: Any) -> str:
    statement = {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole", **extra}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def test_create_and_get_role(iam: Any, cloud: Cloud) -> None:
    acct = cloud.default_account.account_id
    doc = trust({"Service": "lambda.amazonaws.com"})
    role = iam.create_role(
        RoleName="app",
        Path="/svc/",
        AssumeRolePolicyDocument=doc,
        Description="runs the app",
        MaxSessionDuration=7200,
        Tags=[{"Key": "env", "Value": "dev"}],
    )["Role"]
    assert role["Arn"] == f"arn:aws:iam::{acct}:role/svc/app"
    assert role["RoleId"].startswith("AROA") and len(role["RoleId"]) == 21
    # botocore decodes IAM's URL-encoded documents into dicts
    assert role["AssumeRolePolicyDocument"] == json.loads(doc)
    assert (role["MaxSessionDuration"], role["Description"]) == (7200, "runs the app")
    got = iam.get_role(RoleName="app")["Role"]
    assert got["Tags"] == [{"Key": "env", "Value": "dev"}]
    assert got["RoleLastUsed"] == {}
    listed = iam.list_roles()["Roles"]
    assert [r["RoleName"] for r in listed] == ["app"]
    assert "Tags" not in listed[0] and "RoleLastUsed" not in listed[0]
    default = iam.create_role(RoleName="plain", AssumeRolePolicyDocument=doc)["Role"]
    assert default["MaxSessionDuration"] == 3600 and default["Path"] == "/"


def test_role_errors(iam: Any) -> None:
    doc = trust({"Service": "ec2.amazonaws.com"})
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=doc)
    with pytest.raises(ClientError) as exc:
        iam.create_role(RoleName="R", AssumeRolePolicyDocument=doc)
    assert (error_code(exc), error_message(exc)) == (
        "EntityAlreadyExists",
        "Role with name R already exists.",
    )
    with pytest.raises(ClientError) as exc:
        iam.get_role(RoleName="nope")
    assert (error_code(exc), error_message(exc)) == (
        "NoSuchEntity",
        "The role with name nope cannot be found.",
    )
    for bad in (43201,):
        with pytest.raises(ClientError) as exc:
            iam.create_role(RoleName="d", AssumeRolePolicyDocument=doc, MaxSessionDuration=bad)
        assert error_code(exc) == "ValidationError"
    with pytest.raises(ClientError) as exc:
        iam.create_role(RoleName="x" * 65, AssumeRolePolicyDocument=doc)
    assert error_code(exc) == "ValidationError"


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "ec2.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                            "Resource": "*",
                        }
                    ],
                }
            ),
            "Has prohibited field Resource",
        ),
        (
            json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}],
                }
            ),
            "Missing required field Principal",
        ),
        ("{not json", "This policy contains invalid Json"),
        (
            trust({"AWS": "arn:aws:iam::ACCT:role/does-not-exist"}),
            'Invalid principal in policy: "AWS":"arn:aws:iam::ACCT:role/does-not-exist"',
        ),
        (trust({"AWS": "not-an-arn"}), 'Invalid principal in policy: "AWS":"not-an-arn"'),
    ],
)
def test_trust_policy_grammar(iam: Any, cloud: Cloud, document: str, message: str) -> None:
    acct = cloud.default_account.account_id
    document, message = document.replace("ACCT", acct), message.replace("ACCT", acct)
    with pytest.raises(ClientError) as exc:
        iam.create_role(RoleName="t", AssumeRolePolicyDocument=document)
    assert (error_code(exc), error_message(exc)) == ("MalformedPolicyDocument", message)
    assert iam.list_roles()["Roles"] == []


def test_trust_policy_may_name_accounts_outside_this_cloud(iam: Any) -> None:
    iam.create_role(RoleName="x", AssumeRolePolicyDocument=trust({"AWS": "999988887777"}))
    iam.create_role(
        RoleName="y", AssumeRolePolicyDocument=trust({"AWS": "arn:aws:iam::999988887777:role/any"})
    )
    names = {r["RoleName"] for r in iam.list_roles()["Roles"]}
    assert {"x", "y"} <= names


def test_trust_policy_size_quota(iam: Any, cloud: Cloud) -> None:
    names = [f"arn:aws:iam::99998888{i:04d}:root" for i in range(80)]
    big = trust({"AWS": names})
    with pytest.raises(ClientError) as exc:
        iam.create_role(RoleName="big", AssumeRolePolicyDocument=big)
    assert (error_code(exc), error_message(exc)) == (
        "LimitExceeded",
        "Cannot exceed quota for ACLSizePerRole: 2048",
    )
    cloud.quotas.adjust(
        cloud.default_account.account_id, "role_trust_policy_length", 4096, service="iam"
    )
    iam.create_role(RoleName="big", AssumeRolePolicyDocument=big)


def test_update_role_and_trust_policy(iam: Any) -> None:
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=trust({"Service": "ec2.amazonaws.com"}))
    iam.update_role(RoleName="r", Description="new", MaxSessionDuration=43200)
    new_trust = trust({"Service": "lambda.amazonaws.com"})
    iam.update_assume_role_policy(RoleName="r", PolicyDocument=new_trust)
    role = iam.get_role(RoleName="r")["Role"]
    assert (role["Description"], role["MaxSessionDuration"]) == ("new", 43200)
    assert role["AssumeRolePolicyDocument"] == json.loads(new_trust)
    with pytest.raises(ClientError) as exc:
        iam.update_assume_role_policy(RoleName="r", PolicyDocument="[]")
    assert error_code(exc) == "MalformedPolicyDocument"
    with pytest.raises(ClientError) as exc:
        iam.update_role(RoleName="ghost", Description="x")
    assert error_code(exc) == "NoSuchEntity"


def test_role_tags(iam: Any) -> None:
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=trust({"Service": "ec2.amazonaws.com"}))
    iam.tag_role(RoleName="r", Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    iam.untag_role(RoleName="r", TagKeys=["a"])
    assert iam.list_role_tags(RoleName="r")["Tags"] == [{"Key": "b", "Value": "2"}]
    with pytest.raises(ClientError) as exc:
        iam.tag_role(RoleName="ghost", Tags=[{"Key": "a", "Value": "1"}])
    assert error_code(exc) == "NoSuchEntity"


def test_delete_role_conflicts(iam: Any) -> None:
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=trust({"Service": "ec2.amazonaws.com"}))
    iam.put_role_policy(
        RoleName="r",
        PolicyName="p",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}],
            }
        ),
    )
    arn = "arn:aws:iam::aws:policy/SecretsManagerReadWrite"
    iam.attach_role_policy(RoleName="r", PolicyArn=arn)
    with pytest.raises(ClientError) as exc:
        iam.delete_role(RoleName="r")
    assert error_message(exc) == "Cannot delete entity, must delete policies first."
    iam.delete_role_policy(RoleName="r", PolicyName="p")
    with pytest.raises(ClientError) as exc:
        iam.delete_role(RoleName="r")
    assert error_message(exc) == "Cannot delete entity, must detach all policies first."
    iam.detach_role_policy(RoleName="r", PolicyArn=arn)
    iam.delete_role(RoleName="r")
    with pytest.raises(ClientError) as exc:
        iam.delete_role(RoleName="r")
    assert error_code(exc) == "NoSuchEntity"
