"""AssumeRole: trust policies, identity policies, durations, chaining, session policies, tags."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from simulator import Cloud
from tests.conftest import error_code, error_message
from tests.services.sts.helpers import allow, assume, make_role, trust_policy, user_with_key


def test_assume_role_returns_credentials_on_the_virtual_clock(
    iam: Any, sts: Any, cloud: Cloud
) -> None:
    acct = cloud.default_account.account_id
    role = make_role(iam, cloud, "Deployer", Path="/ci/")
    out = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="build-42")
    creds = out["Credentials"]
    assert creds["AccessKeyId"].startswith("ASIA") and len(creds["AccessKeyId"]) == 20
    assert len(creds["SecretAccessKey"]) == 40 and len(creds["SessionToken"]) > 100
    assert creds["Expiration"] == cloud.clock.now() + dt.timedelta(hours=1)
    # The assumed-role ARN leaves out the role's path.
    assert out["AssumedRoleUser"] == {
        "AssumedRoleId": f"{role['RoleId']}:build-42",
        "Arn": f"arn:aws:sts::{acct}:assumed-role/Deployer/build-42",
    }
    assert "PackedPolicySize" not in out
    last = iam.get_role(RoleName="Deployer")["Role"]["RoleLastUsed"]
    assert last == {"LastUsedDate": cloud.clock.now(), "Region": "us-east-1"}


def test_trust_naming_the_user_is_enough_in_the_same_account(
    iam: Any, connect: Any, cloud: Cloud
) -> None:
    key = user_with_key(iam, "alice")  # no identity policies at all
    user_arn = iam.get_user(UserName="alice")["User"]["Arn"]
    role = make_role(iam, cloud, "Direct", {"AWS": user_arn})
    creds, user = assume(connect("sts", key), role["Arn"], "s1")
    acct = cloud.default_account.account_id
    assert user["Arn"] == f"arn:aws:sts::{acct}:assumed-role/Direct/s1"
    assert creds["AccessKeyId"].startswith("ASIA")


def test_trust_naming_the_account_needs_an_identity_policy(
    iam: Any, connect: Any, cloud: Cloud
) -> None:
    key = user_with_key(iam, "bob")
    role = make_role(iam, cloud, "ViaAccount")
    user_arn = iam.get_user(UserName="bob")["User"]["Arn"]
    with pytest.raises(ClientError) as exc:
        assume(connect("sts", key), role["Arn"], "s1")
    assert (error_code(exc), error_message(exc)) == (
        "AccessDenied",
        f"User: {user_arn} is not authorized to perform: sts:AssumeRole on resource: {role['Arn']}",
    )
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    iam.put_user_policy(
        UserName="bob", PolicyName="assume", PolicyDocument=allow("sts:AssumeRole", role["Arn"])
    )
    assume(connect("sts", key), role["Arn"], "s1")


def test_group_policies_count_and_explicit_deny_wins(iam: Any, connect: Any, cloud: Cloud) -> None:
    key = user_with_key(iam, "carol")
    user_arn = iam.get_user(UserName="carol")["User"]["Arn"]
    role = make_role(iam, cloud, "Mixed", {"AWS": [user_arn]})
    iam.create_group(GroupName="g")
    iam.add_user_to_group(GroupName="g", UserName="carol")
    deny = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Deny", "Action": "sts:*", "Resource": "*"}],
        }
    )
    iam.put_group_policy(GroupName="g", PolicyName="deny", PolicyDocument=deny)
    with pytest.raises(ClientError) as exc:
        assume(connect("sts", key), role["Arn"], "s1")
    assert error_code(exc) == "AccessDenied"
    iam.delete_group_policy(GroupName="g", PolicyName="deny")
    assume(connect("sts", key), role["Arn"], "s1")


def test_service_roles_cannot_be_assumed_by_users(iam: Any, sts: Any, cloud: Cloud) -> None:
    role = make_role(iam, cloud, "LambdaRole", {"Service": "lambda.amazonaws.com"})
    with pytest.raises(ClientError) as exc:
        sts.assume_role(RoleArn=role["Arn"], RoleSessionName="s1")
    assert error_code(exc) == "AccessDenied"


def test_unknown_role_is_access_denied(sts: Any, cloud: Cloud) -> None:
    arn = f"arn:aws:iam::{cloud.default_account.account_id}:role/Nope"
    with pytest.raises(ClientError) as exc:
        sts.assume_role(RoleArn=arn, RoleSessionName="s1")
    assert error_code(exc) == "AccessDenied"
    assert error_message(exc).endswith(f"sts:AssumeRole on resource: {arn}")


def test_root_cannot_assume_roles(iam: Any, connect: Any, cloud: Cloud) -> None:
    role = make_role(iam, cloud, "r")
    cloud._access_keys["AKIAROOTROOTROOT0003"] = cloud.default_account.root
    root = connect("sts", {"AccessKeyId": "AKIAROOTROOTROOT0003", "SecretAccessKey": "x" * 40})
    with pytest.raises(ClientError) as exc:
        root.assume_role(RoleArn=role["Arn"], RoleSessionName="s1")
    assert (error_code(exc), error_message(exc)) == (
        "AccessDenied",
        "Roles may not be assumed by root accounts.",
    )


def test_duration_bounds(iam: Any, sts: Any, cloud: Cloud) -> None:
    role = make_role(iam, cloud, "r")
    creds, _ = assume(sts, role["Arn"], "short", DurationSeconds=900)
    assert creds["Expiration"] == cloud.clock.now() + dt.timedelta(seconds=900)
    with pytest.raises(ClientError) as exc:
        assume(sts, role["Arn"], "long", DurationSeconds=7200)
    assert (error_code(exc), error_message(exc)) == (
        "ValidationError",
        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    )
    iam.update_role(RoleName="r", MaxSessionDuration=43200)
    creds, _ = assume(sts, role["Arn"], "long", DurationSeconds=43200)
    assert creds["Expiration"] == cloud.clock.now() + dt.timedelta(hours=12)
    with pytest.raises(ClientError) as exc:
        assume(sts, role["Arn"], "longer", DurationSeconds=43201)
    assert error_code(exc) == "ValidationError"  # the model's range


def test_role_chaining_is_limited_to_one_hour(iam: Any, connect: Any, cloud: Cloud) -> None:
    first = make_role(iam, cloud, "First")
    second = make_role(iam, cloud, "Second", MaxSessionDuration=43200)
    iam.put_role_policy(
        RoleName="First", PolicyName="chain", PolicyDocument=allow("sts:AssumeRole")
    )
    creds, _ = assume(connect("sts"), first["Arn"], "one")
    chained = connect("sts", creds)
    with pytest.raises(ClientError) as exc:
        assume(chained, second["Arn"], "two", DurationSeconds=7200)
    assert (error_code(exc), error_message(exc)) == (
        "ValidationError",
        "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by "
        "role chaining.",
    )
    creds2, user = assume(chained, second["Arn"], "two")
    assert creds2["Expiration"] == cloud.clock.now() + dt.timedelta(hours=1)
    assert user["Arn"].endswith(":assumed-role/Second/two")


def test_a_role_session_needs_its_role_permissions_to_chain(
    iam: Any, connect: Any, cloud: Cloud
) -> None:
    first = make_role(iam, cloud, "NoRights")
    second = make_role(iam, cloud, "Target")
    creds, user = assume(connect("sts"), first["Arn"], "one")
    with pytest.raises(ClientError) as exc:
        assume(connect("sts", creds), second["Arn"], "two")
    assert error_message(exc).startswith(f"User: {user['Arn']} is not authorized")
    # A trust policy naming the first role itself is enough.
    iam.update_assume_role_policy(
        RoleName="Target", PolicyDocument=trust_policy({"AWS": first["Arn"]})
    )
    assume(connect("sts", creds), second["Arn"], "two")


def test_external_id_condition(iam: Any, sts: Any, cloud: Cloud) -> None:
    document = trust_policy(
        {"AWS": cloud.default_account.account_id},
        Condition={"StringEquals": {"sts:ExternalId": "vendor-7"}},
    )
    role = make_role(iam, cloud, "Vendor", trust=document)
    for kwargs in ({}, {"ExternalId": "vendor-8"}):
        with pytest.raises(ClientError) as exc:
            assume(sts, role["Arn"], "s1", **kwargs)
        assert error_code(exc) == "AccessDenied"
    assume(sts, role["Arn"], "s1", ExternalId="vendor-7")


def test_session_tags_need_tag_session(iam: Any, sts: Any, cloud: Cloud) -> None:
    role = make_role(iam, cloud, "Tagged")
    tags = [{"Key": "project", "Value": "blue"}]
    with pytest.raises(ClientError) as exc:
        assume(sts, role["Arn"], "s1", Tags=tags)
    assert error_code(exc) == "AccessDenied"
    assert "sts:TagSession" in error_message(exc)
    iam.update_assume_role_policy(
        RoleName="Tagged",
        PolicyDocument=trust_policy(
            {"AWS": cloud.default_account.account_id}, actions=["sts:AssumeRole", "sts:TagSession"]
        ),
    )
    out = sts.assume_role(
        RoleArn=role["Arn"], RoleSessionName="s1", Tags=tags, TransitiveTagKeys=["project"]
    )
    assert 0 < out["PackedPolicySize"] <= 100
    session = cloud.sts.session(out["Credentials"]["AccessKeyId"])
    assert session is not None and session.tags == {"project": "blue"}
    with pytest.raises(ClientError) as exc:
        assume(
            sts, role["Arn"], "s2", Tags=[{"Key": "a", "Value": "1"}, {"Key": "A", "Value": "2"}]
        )
    assert error_code(exc) == "ValidationError"


def test_transitive_tags_carry_over_in_chains(iam: Any, connect: Any, cloud: Cloud) -> None:
    both = ["sts:AssumeRole", "sts:TagSession"]
    account = {"AWS": cloud.default_account.account_id}
    first = make_role(iam, cloud, "A", trust=trust_policy(account, actions=both))
    second = make_role(iam, cloud, "B", trust=trust_policy(account, actions=both))
    iam.put_role_policy(RoleName="A", PolicyName="chain", PolicyDocument=allow("sts:*"))
    creds, _ = assume(
        connect("sts"),
        first["Arn"],
        "one",
        Tags=[{"Key": "team", "Value": "red"}, {"Key": "temp", "Value": "x"}],
        TransitiveTagKeys=["team"],
    )
    out = connect("sts", creds).assume_role(RoleArn=second["Arn"], RoleSessionName="two")
    session = cloud.sts.session(out["Credentials"]["AccessKeyId"])
    assert session is not None
    assert session.tags == {"team": "red"} and session.transitive_tag_keys == ["team"]


def test_session_policies_are_checked(iam: Any, sts: Any, cloud: Cloud) -> None:
    role = make_role(iam, cloud, "Scoped")
    out = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="s1", Policy=allow("kms:Decrypt"))
    assert 0 < out["PackedPolicySize"] <= 100
    with pytest.raises(ClientError) as exc:
        sts.assume_role(
            RoleArn=role["Arn"],
            RoleSessionName="s1",
            Policy=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}
                    ],
                }
            ),
        )
    assert (error_code(exc), error_message(exc)) == (
        "MalformedPolicyDocument",
        "Policy document should not specify a principal.",
    )
    huge = allow("s3:GetObject", "arn:aws:s3:::" + "x" * 2100)
    with pytest.raises(ClientError) as exc:
        sts.assume_role(RoleArn=role["Arn"], RoleSessionName="s1", Policy=huge)
    assert error_code(exc) == "ValidationError"


def test_permissions_boundary_limits_assume_role(iam: Any, connect: Any, cloud: Cloud) -> None:
    role = make_role(iam, cloud, "Bounded")
    boundary = iam.create_policy(PolicyName="OnlyKms", PolicyDocument=allow("kms:*"))["Policy"]
    iam.create_user(UserName="dan", PermissionsBoundary=boundary["Arn"])
    iam.attach_user_policy(UserName="dan", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    key = iam.create_access_key(UserName="dan")["AccessKey"]
    creds = {"AccessKeyId": key["AccessKeyId"], "SecretAccessKey": key["SecretAccessKey"]}
    with pytest.raises(ClientError) as exc:
        assume(connect("sts", creds), role["Arn"], "s1")
    assert error_code(exc) == "AccessDenied"
    user = iam.get_user(UserName="dan")["User"]
    assert user["PermissionsBoundary"] == {
        "PermissionsBoundaryType": "Policy",
        "PermissionsBoundaryArn": boundary["Arn"],
    }


def test_cross_account_needs_both_sides(iam: Any, connect: Any, cloud: Cloud) -> None:
    other = cloud.create_account()
    other_creds = cloud.credentials(other.account_id)
    other_iam = connect(
        "iam",
        {
            "AccessKeyId": other_creds["aws_access_key_id"],
            "SecretAccessKey": other_creds["aws_secret_access_key"],
        },
    )
    home = cloud.default_account.account_id
    role = make_role(other_iam, cloud, "CrossAccount", {"AWS": f"arn:aws:iam::{home}:root"})
    assert role["Arn"].startswith(f"arn:aws:iam::{other.account_id}:role/")
    creds, user = assume(connect("sts"), role["Arn"], "visit")  # Administrator: identity allows
    assert user["Arn"] == f"arn:aws:sts::{other.account_id}:assumed-role/CrossAccount/visit"
    assert connect("sts", creds).get_caller_identity()["Account"] == other.account_id
    # A user the trust policy names directly still needs its own account's permission.
    key = user_with_key(iam, "eve")
    user_arn = iam.get_user(UserName="eve")["User"]["Arn"]
    other_iam.update_assume_role_policy(
        RoleName="CrossAccount", PolicyDocument=trust_policy({"AWS": user_arn})
    )
    with pytest.raises(ClientError) as exc:
        assume(connect("sts", key), role["Arn"], "visit")
    assert error_code(exc) == "AccessDenied"
    iam.put_user_policy(UserName="eve", PolicyName="go", PolicyDocument=allow("sts:AssumeRole"))
    assume(connect("sts", key), role["Arn"], "visit")


def test_invalid_role_arn(sts: Any) -> None:
    with pytest.raises(ClientError) as exc:
        sts.assume_role(RoleArn="arn:aws:s3:::bucket-not-role", RoleSessionName="s1")
    assert error_code(exc) == "ValidationError"


def test_principal_tags_in_trust_conditions(iam: Any, connect: Any, cloud: Cloud) -> None:
    document = trust_policy(
        {"AWS": cloud.default_account.account_id},
        Condition={"StringEquals": {"aws:PrincipalTag/team": "blue"}},
    )
    role = make_role(iam, cloud, "BlueOnly", trust=document)
    key = user_with_key(iam, "frank")
    iam.put_user_policy(UserName="frank", PolicyName="go", PolicyDocument=allow("sts:AssumeRole"))
    with pytest.raises(ClientError) as exc:
        assume(connect("sts", key), role["Arn"], "s1")
    assert error_code(exc) == "AccessDenied"
    iam.tag_user(UserName="frank", Tags=[{"Key": "team", "Value": "blue"}])
    assume(connect("sts", key), role["Arn"], "s1")
