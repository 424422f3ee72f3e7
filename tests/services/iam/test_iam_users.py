"""IAM users: the bootstrap Administrator, create/get/list/update/delete, tags, limits."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from simulator import Cloud
from tests.conftest import error_code, error_message


def test_administrator_is_a_real_user_with_administrator_access(iam: Any, cloud: Cloud) -> None:
    acct = cloud.default_account.account_id
    users = iam.list_users()["Users"]
    assert [u["UserName"] for u in users] == ["Administrator"]
    (admin,) = users
    assert admin["Arn"] == f"arn:aws:iam::{acct}:user/Administrator"
    assert admin["UserId"] == cloud.default_account.administrator.principal_id
    attached = iam.list_attached_user_policies(UserName="Administrator")["AttachedPolicies"]
    assert attached == [
        {
            "PolicyName": "AdministratorAccess",
            "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess",
        }
    ]
    keys = iam.list_access_keys()["AccessKeyMetadata"]  # no UserName: the caller
    assert [k["AccessKeyId"] for k in keys] == [cloud.credentials()["aws_access_key_id"]]
    assert iam.get_user()["User"]["UserName"] == "Administrator"


def test_create_get_list_user(iam: Any, cloud: Cloud) -> None:
    acct = cloud.default_account.account_id
    user = iam.create_user(
        UserName="alice", Path="/eng/", Tags=[{"Key": "team", "Value": "crypto"}]
    )["User"]
    assert user["Arn"] == f"arn:aws:iam::{acct}:user/eng/alice"
    assert user["UserId"].startswith("AIDA") and len(user["UserId"]) == 21
    assert user["Path"] == "/eng/"
    assert user["CreateDate"] == cloud.clock.now()
    assert user["Tags"] == [{"Key": "team", "Value": "crypto"}]
    assert iam.get_user(UserName="alice")["User"] == user
    names = [u["UserName"] for u in iam.list_users()["Users"]]
    assert names == ["Administrator", "alice"]
    assert [u["UserName"] for u in iam.list_users(PathPrefix="/eng/")["Users"]] == ["alice"]


def test_user_names_are_unique_without_regard_to_case(iam: Any) -> None:
    iam.create_user(UserName="Bob")
    with pytest.raises(ClientError) as exc:
        iam.create_user(UserName="bob")
    assert error_code(exc) == "EntityAlreadyExists"
    assert error_message(exc) == "User with name bob already exists."
    assert iam.get_user(UserName="BOB")["User"]["UserName"] == "Bob"


def test_get_unknown_user(iam: Any) -> None:
    with pytest.raises(ClientError) as exc:
        iam.get_user(UserName="ghost")
    assert error_code(exc) == "NoSuchEntity"
    assert error_message(exc) == "The user with name ghost cannot be found."
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_user_name_pattern_and_length_come_from_the_model(iam: Any) -> None:
    for bad in ("has space", "x" * 65):
        with pytest.raises(ClientError) as exc:
            iam.create_user(UserName=bad)
        assert error_code(exc) == "ValidationError"


def test_update_user_renames_and_keeps_keys_and_groups(iam: Any, cloud: Cloud) -> None:
    iam.create_user(UserName="carol")
    iam.create_group(GroupName="devs")
    iam.add_user_to_group(GroupName="devs", UserName="carol")
    key = iam.create_access_key(UserName="carol")["AccessKey"]["AccessKeyId"]
    iam.update_user(UserName="carol", NewUserName="caroline", NewPath="/x/")
    user = iam.get_user(UserName="caroline")["User"]
    assert user["Path"] == "/x/"
    assert [g["GroupName"] for g in iam.list_groups_for_user(UserName="caroline")["Groups"]] == [
        "devs"
    ]
    principal = cloud.principal_for_access_key(key)
    assert principal is not None and principal.arn == user["Arn"]
    iam.create_user(UserName="dave")
    with pytest.raises(ClientError) as exc:
        iam.update_user(UserName="dave", NewUserName="CAROLINE")
    assert error_code(exc) == "EntityAlreadyExists"


def test_delete_user_conflicts_then_succeeds(iam: Any) -> None:
    iam.create_user(UserName="erin")
    key = iam.create_access_key(UserName="erin")["AccessKey"]["AccessKeyId"]
    iam.put_user_policy(UserName="erin", PolicyName="p", PolicyDocument=_ALLOW_LIST)
    iam.attach_user_policy(UserName="erin", PolicyArn=_RO)
    iam.create_group(GroupName="g")
    iam.add_user_to_group(GroupName="g", UserName="erin")
    steps = [
        (
            "Cannot delete entity, must delete access keys first.",
            lambda: iam.delete_access_key(UserName="erin", AccessKeyId=key),
        ),
        (
            "Cannot delete entity, must delete policies first.",
            lambda: iam.delete_user_policy(UserName="erin", PolicyName="p"),
        ),
        (
            "Cannot delete entity, must detach all policies first.",
            lambda: iam.detach_user_policy(UserName="erin", PolicyArn=_RO),
        ),
        (
            "Cannot delete entity, must remove user from all groups first.",
            lambda: iam.remove_user_from_group(GroupName="g", UserName="erin"),
        ),
    ]
    for message, fix in steps:
        with pytest.raises(ClientError) as exc:
            iam.delete_user(UserName="erin")
        assert (error_code(exc), error_message(exc)) == ("DeleteConflict", message)
        assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
        fix()
    iam.delete_user(UserName="erin")
    with pytest.raises(ClientError) as exc:
        iam.delete_user(UserName="erin")
    assert error_code(exc) == "NoSuchEntity"


def test_user_tags(iam: Any) -> None:
    iam.create_user(UserName="frank", Tags=[{"Key": "Team", "Value": "a"}])
    iam.tag_user(
        UserName="frank", Tags=[{"Key": "team", "Value": "b"}, {"Key": "env", "Value": "x"}]
    )
    # Keys are case-insensitive in IAM: "team" replaced "Team".
    assert iam.list_user_tags(UserName="frank")["Tags"] == [
        {"Key": "team", "Value": "b"},
        {"Key": "env", "Value": "x"},
    ]
    iam.untag_user(UserName="frank", TagKeys=["TEAM"])
    assert iam.list_user_tags(UserName="frank")["Tags"] == [{"Key": "env", "Value": "x"}]
    with pytest.raises(ClientError) as exc:
        iam.tag_user(
            UserName="frank", Tags=[{"Key": "a", "Value": "1"}, {"Key": "A", "Value": "2"}]
        )
    assert error_code(exc) == "InvalidInput"
    with pytest.raises(ClientError) as exc:
        iam.tag_user(UserName="frank", Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(50)])
    assert error_code(exc) == "LimitExceeded"
    with pytest.raises(ClientError) as exc:
        iam.list_user_tags(UserName="nobody")
    assert error_code(exc) == "NoSuchEntity"


def test_list_users_paginates(iam: Any) -> None:
    for i in range(5):
        iam.create_user(UserName=f"u{i}")
    first = iam.list_users(MaxItems=4)
    assert first["IsTruncated"] is True and len(first["Users"]) == 4
    rest = iam.list_users(MaxItems=4, Marker=first["Marker"])
    assert rest["IsTruncated"] is False
    names = [u["UserName"] for u in first["Users"] + rest["Users"]]
    assert names == ["Administrator", "u0", "u1", "u2", "u3", "u4"]


def test_users_per_account_quota(iam: Any, cloud: Cloud) -> None:
    acct = cloud.default_account.account_id
    with pytest.raises(ValueError, match="not adjustable"):
        cloud.quotas.adjust(acct, "users_per_account", 2, service="iam")
    cloud.iam.account(acct).users.update(
        {f"filler{i}": cloud.iam.account(acct).users["administrator"] for i in range(4999)}
    )
    with pytest.raises(ClientError) as exc:
        iam.create_user(UserName="one-too-many")
    assert error_code(exc) == "LimitExceeded"
    assert error_message(exc) == "Cannot exceed quota for UsersPerAccount: 5000"


def test_get_user_needs_a_name_for_role_sessions(iam: Any, connect: Any, cloud: Cloud) -> None:
    creds = assume_admin_role(iam, connect("sts"), cloud)
    with pytest.raises(ClientError) as exc:
        connect("iam", creds).get_user()
    assert error_code(exc) == "ValidationError"
    assert error_message(exc) == "Must specify userName when calling with non-User credentials"


_RO = "arn:aws:iam::aws:policy/ReadOnlyAccess"
_ALLOW_LIST = (
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:List*","Resource":"*"}]}'
)


def assume_admin_role(iam: Any, sts: Any, cloud: Cloud, name: str = "ops") -> dict[str, str]:
    """Create a role the Administrator may assume, assume it, return its credentials."""
    acct = cloud.default_account.account_id
    trust = (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::'
        + acct
        + ':root"},"Action":"sts:AssumeRole"}]}'
    )
    arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    out: dict[str, str] = sts.assume_role(RoleArn=arn, RoleSessionName="s1")["Credentials"]
    return out
