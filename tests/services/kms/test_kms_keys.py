"""KMS keys: create, describe, list (pagination), enable/disable, deletion on the clock, aliases."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from simulator import Cloud
from tests.conftest import error_code, error_message


def test_create_key_defaults_and_metadata(kms_any: Any, cloud: Cloud) -> None:
    meta = kms_any.create_key(Description="app data")["KeyMetadata"]
    acct = cloud.default_account.account_id
    assert meta["Arn"] == f"arn:aws:kms:us-east-1:{acct}:key/{meta['KeyId']}"
    assert meta["AWSAccountId"] == acct
    assert (meta["KeySpec"], meta["CustomerMasterKeySpec"]) == ("SYMMETRIC_DEFAULT",) * 2
    assert (meta["KeyUsage"], meta["KeyState"], meta["Enabled"]) == (
        "ENCRYPT_DECRYPT",
        "Enabled",
        True,
    )
    assert (meta["Origin"], meta["KeyManager"], meta["MultiRegion"]) == (
        "AWS_KMS",
        "CUSTOMER",
        False,
    )
    assert meta["EncryptionAlgorithms"] == ["SYMMETRIC_DEFAULT"]
    assert meta["CreationDate"] == cloud.clock.now()
    assert len(meta["CurrentKeyMaterialId"]) == 64
    assert kms_any.describe_key(KeyId=meta["KeyId"])["KeyMetadata"] == meta


def test_default_key_policy_delegates_to_the_account(kms: Any, cloud: Cloud) -> None:
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    policy = json.loads(kms.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"])
    (statement,) = policy["Statement"]
    acct = cloud.default_account.account_id
    assert statement["Principal"] == {"AWS": f"arn:aws:iam::{acct}:root"}
    assert (statement["Effect"], statement["Action"], statement["Resource"]) == (
        "Allow",
        "kms:*",
        "*",
    )
    assert kms.list_key_policies(KeyId=key_id)["PolicyNames"] == ["default"]


def test_unsimulated_key_specs_answer_clearly(kms: Any) -> None:
    with pytest.raises(ClientError) as exc:
        kms.create_key(KeySpec="ML_DSA_44", KeyUsage="SIGN_VERIFY")
    assert error_code(exc) == "NotSimulatedException" and "ML_DSA_44" in error_message(exc)
    with pytest.raises(ClientError) as exc:
        kms.create_key(KeyUsage="SIGN_VERIFY")
    assert error_code(exc) == "ValidationException"
    assert kms.list_keys()["Keys"] == []


def test_list_keys_paginates_with_marker(kms_any: Any) -> None:
    ids = [kms_any.create_key()["KeyMetadata"]["KeyId"] for _ in range(5)]
    page1 = kms_any.list_keys(Limit=2)
    assert page1["Truncated"] is True and len(page1["Keys"]) == 2
    page2 = kms_any.list_keys(Limit=2, Marker=page1["NextMarker"])
    page3 = kms_any.list_keys(Limit=2, Marker=page2["NextMarker"])
    assert page3["Truncated"] is False and "NextMarker" not in page3
    seen = [k["KeyId"] for p in (page1, page2, page3) for k in p["Keys"]]
    assert seen == ids
    with pytest.raises(ClientError) as exc:
        kms_any.list_keys(Marker="garbage")
    assert error_code(exc) == "InvalidMarkerException"


def test_key_id_forms_and_not_found_messages(kms_any: Any, cloud: Cloud) -> None:
    meta = kms_any.create_key()["KeyMetadata"]
    kms_any.create_alias(AliasName="alias/app", TargetKeyId=meta["KeyId"])
    acct = cloud.default_account.account_id
    alias_arn = f"arn:aws:kms:us-east-1:{acct}:alias/app"
    for ref in (meta["KeyId"], meta["Arn"], "alias/app", alias_arn):
        assert kms_any.describe_key(KeyId=ref)["KeyMetadata"]["KeyId"] == meta["KeyId"]
    with pytest.raises(ClientError) as exc:
        kms_any.describe_key(KeyId="alias/nope")
    assert error_code(exc) == "NotFoundException"
    assert error_message(exc) == f"Alias arn:aws:kms:us-east-1:{acct}:alias/nope is not found."
    missing = "0e2c1f4a-1111-4222-8333-444455556666"
    with pytest.raises(ClientError) as exc:
        kms_any.describe_key(KeyId=missing)
    assert error_message(exc) == f"Key 'arn:aws:kms:us-east-1:{acct}:key/{missing}' does not exist"
    with pytest.raises(ClientError) as exc:
        kms_any.describe_key(KeyId="not-a-key")
    assert error_message(exc) == "Invalid keyId not-a-key"
    # Management operations take a key id or key ARN only, not an alias.
    with pytest.raises(ClientError) as exc:
        kms_any.disable_key(KeyId="alias/app")
    assert error_code(exc) == "NotFoundException"


def test_disable_and_enable(kms_any: Any) -> None:
    key_id = kms_any.create_key()["KeyMetadata"]["KeyId"]
    kms_any.disable_key(KeyId=key_id)
    meta = kms_any.describe_key(KeyId=key_id)["KeyMetadata"]
    assert (meta["KeyState"], meta["Enabled"]) == ("Disabled", False)
    kms_any.enable_key(KeyId=key_id)
    assert kms_any.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled"


def test_schedule_deletion_runs_on_the_clock(kms: Any, cloud: Cloud) -> None:
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/doomed", TargetKeyId=key_id)
    for bad in (6, 31):
        with pytest.raises(ClientError) as exc:
            kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=bad)
        assert error_code(exc) == "ValidationException"
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled"
    out = kms.schedule_key_deletion(KeyId=key_id)
    assert out["PendingWindowInDays"] == 30  # K-SKD default
    assert out["KeyState"] == "PendingDeletion"
    start = cloud.clock.now()
    assert (out["DeletionDate"] - start).days == 30
    with pytest.raises(ClientError) as exc:
        kms.schedule_key_deletion(KeyId=key_id)
    assert error_code(exc) == "KMSInvalidStateException"
    assert error_message(exc).endswith("is pending deletion.")
    cloud.clock.advance(days=29)
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["DeletionDate"] == out["DeletionDate"]
    cloud.clock.advance(days=1)
    with pytest.raises(ClientError) as exc:
        kms.describe_key(KeyId=key_id)
    assert error_code(exc) == "NotFoundException"
    assert kms.list_aliases()["Aliases"] == []
    deletes = cloud.trail.events(event_name="DeleteKey")
    assert len(deletes) == 1 and deletes[0]["eventType"] == "AwsServiceEvent"
    assert deletes[0]["eventTime"] == out["DeletionDate"].strftime("%Y-%m-%dT%H:%M:%SZ")
    (event,) = cloud.events.history
    assert (event["source"], event["detail-type"]) == ("aws.kms", "KMS CMK Deletion")
    assert event["detail"] == {"key-id": key_id}
    assert event["time"] == deletes[0]["eventTime"]


def test_cancel_deletion_leaves_key_disabled(kms: Any, cloud: Cloud) -> None:
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    with pytest.raises(ClientError) as exc:
        kms.cancel_key_deletion(KeyId=key_id)
    assert error_code(exc) == "KMSInvalidStateException"
    assert error_message(exc).endswith("is not pending deletion.")
    kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    assert kms.cancel_key_deletion(KeyId=key_id)["KeyId"].endswith(key_id)
    meta = kms.describe_key(KeyId=key_id)["KeyMetadata"]
    assert meta["KeyState"] == "Disabled" and "DeletionDate" not in meta
    cloud.clock.advance(days=60)
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Disabled"


def test_alias_rules(kms_any: Any) -> None:
    a = kms_any.create_key()["KeyMetadata"]["KeyId"]
    b = kms_any.create_key()["KeyMetadata"]["KeyId"]
    kms_any.create_alias(AliasName="alias/app", TargetKeyId=a)
    with pytest.raises(ClientError) as exc:
        kms_any.create_alias(AliasName="alias/app", TargetKeyId=b)
    assert error_code(exc) == "AlreadyExistsException"
    for bad in ("alias/aws/mine", "noprefix"):
        with pytest.raises(ClientError) as exc:
            kms_any.create_alias(AliasName=bad, TargetKeyId=a)
        assert error_code(exc) == "InvalidAliasNameException"
    listed = kms_any.list_aliases(KeyId=a)["Aliases"]
    assert [x["AliasName"] for x in listed] == ["alias/app"] and listed[0]["TargetKeyId"] == a
    assert kms_any.list_aliases(KeyId=b)["Aliases"] == []
    kms_any.delete_alias(AliasName="alias/app")
    with pytest.raises(ClientError) as exc:
        kms_any.delete_alias(AliasName="alias/app")
    assert error_code(exc) == "NotFoundException"


def test_tags_and_description(kms: Any) -> None:
    key_id = kms.create_key(Tags=[{"TagKey": "team", "TagValue": "a"}])["KeyMetadata"]["KeyId"]
    kms.tag_resource(
        KeyId=key_id,
        Tags=[{"TagKey": "team", "TagValue": "b"}, {"TagKey": "env", "TagValue": "dev"}],
    )
    assert kms.list_resource_tags(KeyId=key_id)["Tags"] == [
        {"TagKey": "team", "TagValue": "b"},
        {"TagKey": "env", "TagValue": "dev"},
    ]
    kms.untag_resource(KeyId=key_id, TagKeys=["team"])
    assert kms.list_resource_tags(KeyId=key_id)["Tags"] == [{"TagKey": "env", "TagValue": "dev"}]
    with pytest.raises(ClientError) as exc:
        kms.create_key(Tags=[{"TagKey": "x", "TagValue": "1"}, {"TagKey": "x", "TagValue": "2"}])
    assert error_code(exc) == "TagException"
    kms.update_key_description(KeyId=key_id, Description="new")
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["Description"] == "new"
