"""Managed policies: customer managed policies with versions, AWS managed policies, attaching."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from simulator import Cloud
from tests.conftest import error_code, error_message

AWS = "arn:aws:iam::aws:policy/"


def doc(action: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}],
        }
    )


def test_create_and_get_policy(iam: Any, cloud: Cloud) -> None:
    acct = cloud.default_account.account_id
    policy = iam.create_policy(
        PolicyName="ReadSecrets",
        Path="/app/",
        PolicyDocument=doc("secretsmanager:GetSecretValue"),
        Description="read the app's secrets",
    )["Policy"]
    arn = f"arn:aws:iam::{acct}:policy/app/ReadSecrets"
    assert policy["Arn"] == arn
    assert policy["PolicyId"].startswith("ANPA")
    assert (policy["DefaultVersionId"], policy["AttachmentCount"], policy["IsAttachable"]) == (
        "v1",
        0,
        True,
    )
    got = iam.get_policy(PolicyArn=arn)["Policy"]
    assert got["Description"] == "read the app's secrets"
    version = iam.get_policy_version(PolicyArn=arn, VersionId="v1")["PolicyVersion"]
    assert version["Document"] == json.loads(doc("secretsmanager:GetSecretValue"))
    assert version["IsDefaultVersion"] is True
    with pytest.raises(ClientError) as exc:
        iam.create_policy(PolicyName="readsecrets", PolicyDocument=doc("s3:*"))
    assert (error_code(exc), error_message(exc)) == (
        "EntityAlreadyExists",
        "A policy called readsecrets already exists. Duplicate names are not allowed.",
    )


def test_policy_lookup_errors(iam: Any, cloud: Cloud) -> None:
    acct = cloud.default_account.account_id
    missing = f"arn:aws:iam::{acct}:policy/Nope"
    with pytest.raises(ClientError) as exc:
        iam.get_policy(PolicyArn=missing)
    assert (error_code(exc), error_message(exc)) == (
        "NoSuchEntity",
        f"Policy {missing} was not found.",
    )
    bad = f"arn:aws:iam::{acct}:role/NotAPolicy"
    with pytest.raises(ClientError) as exc:
        iam.get_policy(PolicyArn=bad)
    assert (error_code(exc), error_message(exc)) == ("InvalidInput", f"ARN {bad} is not valid.")


def test_versions_up_to_five_and_default_switching(iam: Any, cloud: Cloud) -> None:
    arn = iam.create_policy(PolicyName="p", PolicyDocument=doc("kms:Encrypt"))["Policy"]["Arn"]
    for i in range(2, 6):
        made = iam.create_policy_version(PolicyArn=arn, PolicyDocument=doc(f"kms:Op{i}"))
        assert made["PolicyVersion"]["VersionId"] == f"v{i}"
        assert made["PolicyVersion"]["IsDefaultVersion"] is False
    with pytest.raises(ClientError) as exc:
        iam.create_policy_version(PolicyArn=arn, PolicyDocument=doc("kms:Op6"))
    assert (error_code(exc), error_message(exc)) == (
        "LimitExceeded",
        "A managed policy can have up to 5 versions. Before you create a new version, you must "
        "delete an existing version.",
    )
    cloud.clock.advance(hours=1)
    iam.set_default_policy_version(PolicyArn=arn, VersionId="v3")
    policy = iam.get_policy(PolicyArn=arn)["Policy"]
    assert policy["DefaultVersionId"] == "v3"
    assert policy["UpdateDate"] == cloud.clock.now()
    with pytest.raises(ClientError) as exc:
        iam.delete_policy_version(PolicyArn=arn, VersionId="v3")
    assert (error_code(exc), error_message(exc)) == (
        "DeleteConflict",
        "Cannot delete the default version of a policy.",
    )
    iam.delete_policy_version(PolicyArn=arn, VersionId="v2")
    made = iam.create_policy_version(PolicyArn=arn, PolicyDocument=doc("kms:X"), SetAsDefault=True)
    assert made["PolicyVersion"]["VersionId"] == "v6"  # numbers are never reused
    versions = iam.list_policy_versions(PolicyArn=arn)["Versions"]
    assert [v["VersionId"] for v in versions] == ["v6", "v5", "v4", "v3", "v1"]
    assert [v["IsDefaultVersion"] for v in versions] == [True, False, False, False, False]
    for call in (
        lambda: iam.get_policy_version(PolicyArn=arn, VersionId="v2"),
        lambda: iam.set_default_policy_version(PolicyArn=arn, VersionId="v9"),
        lambda: iam.delete_policy_version(PolicyArn=arn, VersionId="v9"),
    ):
        with pytest.raises(ClientError) as exc:
            call()
        assert error_code(exc) == "NoSuchEntity"
    with pytest.raises(ClientError) as exc:
        iam.get_policy_version(PolicyArn=arn, VersionId="version1")
    assert error_code(exc) == "ValidationError"  # the model's pattern v[1-9][0-9]*


def test_delete_policy_needs_detach_and_no_extra_versions(iam: Any) -> None:
    arn = iam.create_policy(PolicyName="p", PolicyDocument=doc("kms:Encrypt"))["Policy"]["Arn"]
    iam.create_user(UserName="u")
    iam.attach_user_policy(UserName="u", PolicyArn=arn)
    assert iam.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"] == 1
    with pytest.raises(ClientError) as exc:
        iam.delete_policy(PolicyArn=arn)
    assert (error_code(exc), error_message(exc)) == (
        "DeleteConflict",
        "Cannot delete a policy attached to entities.",
    )
    iam.detach_user_policy(UserName="u", PolicyArn=arn)
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=doc("kms:Decrypt"))
    with pytest.raises(ClientError) as exc:
        iam.delete_policy(PolicyArn=arn)
    assert error_code(exc) == "DeleteConflict"
    assert "must delete the policy's versions" in error_message(exc)
    iam.delete_policy_version(PolicyArn=arn, VersionId="v2")
    iam.delete_policy(PolicyArn=arn)
    with pytest.raises(ClientError) as exc:
        iam.get_policy(PolicyArn=arn)
    assert error_code(exc) == "NoSuchEntity"


def test_managed_policy_size_and_grammar(iam: Any) -> None:
    resource = "arn:aws:s3:::" + "x" * 6200
    with pytest.raises(ClientError) as exc:
        iam.create_policy(
            PolicyName="big",
            PolicyDocument=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": resource}],
                }
            ),
        )
    assert (error_code(exc), error_message(exc)) == (
        "LimitExceeded",
        "Cannot exceed quota for PolicySize: 6144",
    )
    with pytest.raises(ClientError) as exc:
        iam.create_policy(PolicyName="bad", PolicyDocument='{"Statement": []}')
    assert error_code(exc) == "MalformedPolicyDocument"
    assert iam.list_policies(Scope="Local")["Policies"] == []


def test_aws_managed_policies(iam: Any) -> None:
    names = [p["PolicyName"] for p in iam.list_policies(Scope="AWS")["Policies"]]
    for wanted in (
        "AdministratorAccess",
        "ReadOnlyAccess",
        "SecretsManagerReadWrite",
        "AWSKeyManagementServicePowerUser",
        "IAMReadOnlyAccess",
        "AmazonSSMReadOnlyAccess",
        "AWSCertificateManagerReadOnly",
        "AWSCertificateManagerFullAccess",
    ):
        assert wanted in names
    admin = iam.get_policy(PolicyArn=AWS + "AdministratorAccess")["Policy"]
    assert (admin["PolicyId"], admin["DefaultVersionId"]) == ("ANPAIWMBCKSKIEE64ZLYK", "v1")
    assert admin["AttachmentCount"] == 1  # the bootstrap Administrator
    version = iam.get_policy_version(PolicyArn=AWS + "AdministratorAccess", VersionId="v1")
    assert version["PolicyVersion"]["Document"]["Statement"] == [
        {"Effect": "Allow", "Action": "*", "Resource": "*"}
    ]
    ro = iam.get_policy_version(PolicyArn=AWS + "ReadOnlyAccess", VersionId="v85")
    actions = ro["PolicyVersion"]["Document"]["Statement"][0]["Action"]
    assert "kms:Describe*" in actions and "secretsmanager:Describe*" in actions
    assert "secretsmanager:GetSecretValue" not in actions and "kms:Decrypt" not in actions
    kms_power = iam.get_policy_version(
        PolicyArn=AWS + "AWSKeyManagementServicePowerUser", VersionId="v2"
    )["PolicyVersion"]["Document"]["Statement"][0]["Action"]
    assert "kms:Decrypt" not in kms_power and "kms:CreateKey" in kms_power
    for call in (
        lambda: iam.create_policy_version(
            PolicyArn=AWS + "ReadOnlyAccess", PolicyDocument=doc("s3:*")
        ),
        lambda: iam.delete_policy(PolicyArn=AWS + "ReadOnlyAccess"),
        lambda: iam.set_default_policy_version(PolicyArn=AWS + "ReadOnlyAccess", VersionId="v1"),
    ):
        with pytest.raises(ClientError) as exc:
            call()
        assert error_code(exc) == "AccessDenied"
    with pytest.raises(ClientError) as exc:
        iam.get_policy_version(PolicyArn=AWS + "ReadOnlyAccess", VersionId="v1")
    assert error_code(exc) == "NoSuchEntity"


def test_list_policies_scopes_and_only_attached(iam: Any) -> None:
    iam.create_policy(PolicyName="mine", PolicyDocument=doc("s3:*"))
    local = iam.list_policies(Scope="Local")["Policies"]
    assert [p["PolicyName"] for p in local] == ["mine"]
    assert "Description" not in local[0]
    everything = iam.list_policies()["Policies"]
    assert len(everything) == len(iam.list_policies(Scope="AWS")["Policies"]) + 1
    attached = iam.list_policies(OnlyAttached=True)["Policies"]
    assert [p["PolicyName"] for p in attached] == ["AdministratorAccess"]


@pytest.mark.parametrize("kind", ["user", "group", "role"])
def test_attach_detach_and_limits(iam: Any, cloud: Cloud, kind: str) -> None:
    trust = json.dumps(
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
    create = {
        "user": lambda: iam.create_user(UserName="h"),
        "group": lambda: iam.create_group(GroupName="h"),
        "role": lambda: iam.create_role(RoleName="h", AssumeRolePolicyDocument=trust),
    }
    create[kind]()
    who = {f"{kind.capitalize()}Name": "h"}
    attach = getattr(iam, f"attach_{kind}_policy")
    detach = getattr(iam, f"detach_{kind}_policy")
    listed = getattr(iam, f"list_attached_{kind}_policies")
    arns = [
        iam.create_policy(PolicyName=f"p{i}", PolicyDocument=doc("s3:*"))["Policy"]["Arn"]
        for i in range(10)
    ]
    for arn in arns:
        attach(**who, PolicyArn=arn)
    attach(**who, PolicyArn=arns[0])  # again: no change
    assert [p["PolicyName"] for p in listed(**who)["AttachedPolicies"]] == [
        f"p{i}" for i in range(10)
    ]
    with pytest.raises(ClientError) as exc:
        attach(**who, PolicyArn=AWS + "ReadOnlyAccess")
    word = {"user": "PoliciesPerUser", "group": "PoliciesPerGroup", "role": "PoliciesPerRole"}
    assert (error_code(exc), error_message(exc)) == (
        "LimitExceeded",
        f"Cannot exceed quota for {word[kind]}: 10",
    )
    entities = iam.list_entities_for_policy(PolicyArn=arns[0])
    assert {"user": "PolicyUsers", "group": "PolicyGroups", "role": "PolicyRoles"}[kind] in {
        k for k, v in entities.items() if v
    }
    detach(**who, PolicyArn=arns[0])
    with pytest.raises(ClientError) as exc:
        detach(**who, PolicyArn=arns[0])
    assert error_code(exc) == "NoSuchEntity"
    missing = f"arn:aws:iam::{cloud.default_account.account_id}:policy/missing"
    with pytest.raises(ClientError) as exc:
        attach(**who, PolicyArn=missing)
    assert (error_code(exc), error_message(exc)) == (
        "NoSuchEntity",
        f"Policy {missing} does not exist or is not attachable.",
    )
    with pytest.raises(ClientError) as exc:
        attach(**who, PolicyArn="arn:aws:s3:::not-a-policy")
    assert error_code(exc) == "InvalidInput"


def test_role_and_user_attachment_quota_is_adjustable(iam: Any, cloud: Cloud) -> None:
    cloud.quotas.adjust(
        cloud.default_account.account_id, "managed_policies_per_user", 1, service="iam"
    )
    iam.create_user(UserName="u")
    iam.attach_user_policy(UserName="u", PolicyArn=AWS + "IAMReadOnlyAccess")
    with pytest.raises(ClientError) as exc:
        iam.attach_user_policy(UserName="u", PolicyArn=AWS + "ReadOnlyAccess")
    assert error_message(exc) == "Cannot exceed quota for PoliciesPerUser: 1"
    with pytest.raises(ValueError, match="not adjustable"):
        cloud.quotas.adjust(
            cloud.default_account.account_id, "managed_policies_per_group", 20, service="iam"
        )


def test_policy_tags(iam: Any) -> None:
    arn = iam.create_policy(
        PolicyName="t", PolicyDocument=doc("s3:*"), Tags=[{"Key": "a", "Value": "1"}]
    )["Policy"]["Arn"]
    iam.tag_policy(PolicyArn=arn, Tags=[{"Key": "b", "Value": "2"}])
    iam.untag_policy(PolicyArn=arn, TagKeys=["a"])
    assert iam.list_policy_tags(PolicyArn=arn)["Tags"] == [{"Key": "b", "Value": "2"}]
    with pytest.raises(ClientError) as exc:
        iam.tag_policy(PolicyArn=AWS + "ReadOnlyAccess", Tags=[{"Key": "b", "Value": "2"}])
    assert error_code(exc) == "AccessDenied"


def test_list_entities_for_policy(iam: Any) -> None:
    arn = AWS + "IAMReadOnlyAccess"
    iam.create_user(UserName="u")
    iam.create_group(GroupName="g")
    iam.attach_user_policy(UserName="u", PolicyArn=arn)
    iam.attach_group_policy(GroupName="g", PolicyArn=arn)
    out = iam.list_entities_for_policy(PolicyArn=arn)
    assert out["PolicyUsers"] == [
        {"UserName": "u", "UserId": iam.get_user(UserName="u")["User"]["UserId"]}
    ]
    assert [g["GroupName"] for g in out["PolicyGroups"]] == ["g"]
    assert out["PolicyRoles"] == []
    only_groups = iam.list_entities_for_policy(PolicyArn=arn, EntityFilter="Group")
    assert only_groups["PolicyUsers"] == [] and len(only_groups["PolicyGroups"]) == 1
    with pytest.raises(ClientError) as exc:
        iam.list_entities_for_policy(PolicyArn=AWS + "NoSuchPolicy")
    assert error_code(exc) == "NoSuchEntity"
