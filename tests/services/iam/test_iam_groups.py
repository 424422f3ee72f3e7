"""IAM groups and membership."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from simulator import Cloud
from tests.conftest import error_code, error_message


def test_create_get_list_groups(iam: Any, cloud: Cloud) -> None:
    acct = cloud.default_account.account_id
    group = iam.create_group(GroupName="admins", Path="/ops/")["Group"]
    assert group["Arn"] == f"arn:aws:iam::{acct}:group/ops/admins"
    assert group["GroupId"].startswith("AGPA") and len(group["GroupId"]) == 21
    assert group["CreateDate"] == cloud.clock.now()
    iam.create_group(GroupName="Auditors")
    assert [g["GroupName"] for g in iam.list_groups()["Groups"]] == ["admins", "Auditors"]
    assert [g["GroupName"] for g in iam.list_groups(PathPrefix="/ops/")["Groups"]] == ["admins"]
    got = iam.get_group(GroupName="ADMINS")
    assert got["Group"] == group and got["Users"] == []
    with pytest.raises(ClientError) as exc:
        iam.create_group(GroupName="Admins")
    assert (error_code(exc), error_message(exc)) == (
        "EntityAlreadyExists",
        "Group with name Admins already exists.",
    )
    with pytest.raises(ClientError) as exc:
        iam.get_group(GroupName="nobody")
    assert (error_code(exc), error_message(exc)) == (
        "NoSuchEntity",
        "The group with name nobody cannot be found.",
    )


def test_membership(iam: Any) -> None:
    iam.create_group(GroupName="devs")
    iam.create_group(GroupName="ops")
    iam.create_user(UserName="alice")
    iam.add_user_to_group(GroupName="devs", UserName="alice")
    iam.add_user_to_group(GroupName="devs", UserName="alice")  # twice is harmless
    iam.add_user_to_group(GroupName="ops", UserName="alice")
    assert [u["UserName"] for u in iam.get_group(GroupName="devs")["Users"]] == ["alice"]
    groups = iam.list_groups_for_user(UserName="alice")["Groups"]
    assert [g["GroupName"] for g in groups] == ["devs", "ops"]
    iam.remove_user_from_group(GroupName="devs", UserName="alice")
    assert iam.get_group(GroupName="devs")["Users"] == []
    with pytest.raises(ClientError) as exc:
        iam.remove_user_from_group(GroupName="devs", UserName="alice")
    assert error_code(exc) == "NoSuchEntity"
    for call in (
        lambda: iam.add_user_to_group(GroupName="devs", UserName="ghost"),
        lambda: iam.add_user_to_group(GroupName="ghosts", UserName="alice"),
        lambda: iam.list_groups_for_user(UserName="ghost"),
    ):
        with pytest.raises(ClientError) as exc:
            call()
        assert error_code(exc) == "NoSuchEntity"


def test_ten_groups_per_user(iam: Any) -> None:
    iam.create_user(UserName="busy")
    for i in range(10):
        iam.create_group(GroupName=f"g{i}")
        iam.add_user_to_group(GroupName=f"g{i}", UserName="busy")
    iam.create_group(GroupName="g10")
    with pytest.raises(ClientError) as exc:
        iam.add_user_to_group(GroupName="g10", UserName="busy")
    assert (error_code(exc), error_message(exc)) == (
        "LimitExceeded",
        "Cannot exceed quota for GroupsPerUser: 10",
    )


def test_groups_per_account_quota_is_adjustable(iam: Any, cloud: Cloud) -> None:
    cloud.quotas.adjust(cloud.default_account.account_id, "groups_per_account", 2, service="iam")
    iam.create_group(GroupName="a")
    iam.create_group(GroupName="b")
    with pytest.raises(ClientError) as exc:
        iam.create_group(GroupName="c")
    assert error_message(exc) == "Cannot exceed quota for GroupsPerAccount: 2"


def test_delete_group_conflicts(iam: Any) -> None:
    iam.create_group(GroupName="team")
    iam.create_user(UserName="bob")
    iam.add_user_to_group(GroupName="team", UserName="bob")
    iam.put_group_policy(
        GroupName="team",
        PolicyName="read",
        PolicyDocument='{"Version":"2012-10-17","Statement":'
        '{"Effect":"Allow","Action":"kms:Describe*","Resource":"*"}}',
    )
    iam.attach_group_policy(GroupName="team", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    steps = [
        (
            "Cannot delete entity, must remove users from group first.",
            lambda: iam.remove_user_from_group(GroupName="team", UserName="bob"),
        ),
        (
            "Cannot delete entity, must delete policies first.",
            lambda: iam.delete_group_policy(GroupName="team", PolicyName="read"),
        ),
        (
            "Cannot delete entity, must detach all policies first.",
            lambda: iam.detach_group_policy(
                GroupName="team", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess"
            ),
        ),
    ]
    for message, fix in steps:
        with pytest.raises(ClientError) as exc:
            iam.delete_group(GroupName="team")
        assert (error_code(exc), error_message(exc)) == ("DeleteConflict", message)
        fix()
    iam.delete_group(GroupName="team")
    assert iam.list_groups()["Groups"] == []
