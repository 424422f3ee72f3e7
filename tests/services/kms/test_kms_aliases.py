"""UpdateAlias: same key type and usage, key states of the new target, AWS managed keys."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from simulator import Cloud
from simulator.services.kms.managed import aws_managed_key
from tests.conftest import error_code, error_message


def test_update_alias_moves_the_alias(kms_any: Any, cloud: Cloud) -> None:
    first = kms_any.create_key()["KeyMetadata"]
    second = kms_any.create_key()["KeyMetadata"]
    kms_any.create_alias(AliasName="alias/app", TargetKeyId=first["KeyId"])
    created = kms_any.list_aliases()["Aliases"][0]["CreationDate"]
    cloud.clock.advance(hours=1)
    kms_any.update_alias(AliasName="alias/app", TargetKeyId=second["Arn"])
    (alias,) = kms_any.list_aliases()["Aliases"]
    assert alias["TargetKeyId"] == second["KeyId"]
    assert (alias["CreationDate"], alias["LastUpdatedDate"]) == (created, cloud.clock.now())
    assert kms_any.describe_key(KeyId="alias/app")["KeyMetadata"]["KeyId"] == second["KeyId"]
    assert kms_any.list_aliases(KeyId=first["KeyId"])["Aliases"] == []


def test_update_alias_keeps_the_key_type_and_usage(kms: Any) -> None:
    symmetric = kms.create_key()["KeyMetadata"]["KeyId"]
    hmac = kms.create_key(KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC")["KeyMetadata"]
    kms.create_alias(AliasName="alias/data", TargetKeyId=symmetric)
    with pytest.raises(ClientError) as exc:
        kms.update_alias(AliasName="alias/data", TargetKeyId=hmac["KeyId"])
    assert error_code(exc) == "ValidationException" and "HMAC" in error_message(exc)
    assert kms.list_aliases(KeyId=symmetric)["Aliases"][0]["AliasName"] == "alias/data"
    signing = kms.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    sealing = kms.create_key(KeySpec="RSA_2048", KeyUsage="ENCRYPT_DECRYPT")["KeyMetadata"]
    kms.create_alias(AliasName="alias/sign", TargetKeyId=signing)
    with pytest.raises(ClientError) as exc:
        kms.update_alias(AliasName="alias/sign", TargetKeyId=sealing["KeyId"])
    assert error_code(exc) == "ValidationException" and "SIGN_VERIFY" in error_message(exc)
    other_signing = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]
    kms.update_alias(AliasName="alias/sign", TargetKeyId=other_signing["KeyId"])


def test_update_alias_errors(kms: Any, cloud: Cloud) -> None:
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    with pytest.raises(ClientError) as exc:
        kms.update_alias(AliasName="alias/missing", TargetKeyId=key_id)
    assert error_code(exc) == "NotFoundException" and "is not found" in error_message(exc)
    kms.create_alias(AliasName="alias/a", TargetKeyId=key_id)
    kms.create_alias(AliasName="alias/b", TargetKeyId=kms.create_key()["KeyMetadata"]["KeyId"])
    for target in ("11111111-2222-3333-4444-555555555555", "alias/b"):
        with pytest.raises(ClientError) as exc:
            kms.update_alias(AliasName="alias/a", TargetKeyId=target)
        assert error_code(exc) == "NotFoundException"
    other = cloud.create_account()
    foreign = cloud.client("kms", account_id=other.account_id).create_key()["KeyMetadata"]["Arn"]
    with pytest.raises(ClientError) as exc:
        kms.update_alias(AliasName="alias/a", TargetKeyId=foreign)
    assert error_code(exc) == "NotFoundException"
    assert kms.list_aliases(KeyId=key_id)["Aliases"][0]["AliasName"] == "alias/a"


def test_update_alias_key_states(kms: Any) -> None:
    # K-STATE footnote 10: the current key may be pending deletion, the new one may not.
    old = kms.create_key()["KeyMetadata"]["KeyId"]
    new = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/s", TargetKeyId=old)
    kms.schedule_key_deletion(KeyId=new, PendingWindowInDays=7)
    with pytest.raises(ClientError) as exc:
        kms.update_alias(AliasName="alias/s", TargetKeyId=new)
    assert error_code(exc) == "KMSInvalidStateException"
    assert error_message(exc).endswith("is pending deletion.")
    kms.cancel_key_deletion(KeyId=new)
    kms.schedule_key_deletion(KeyId=old, PendingWindowInDays=7)
    kms.update_alias(AliasName="alias/s", TargetKeyId=new)  # disabled target is fine
    assert kms.list_aliases(KeyId=new)["Aliases"][0]["AliasName"] == "alias/s"


def test_update_alias_and_aws_managed_keys(kms: Any, cloud: Cloud) -> None:
    managed = aws_managed_key(cloud.kms, cloud.default_account.account_id, "us-east-1", "ssm")
    mine = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/mine", TargetKeyId=mine)
    for alias, target in (("alias/mine", managed.key_id), ("alias/aws/ssm", mine)):
        with pytest.raises(ClientError) as exc:
            kms.update_alias(AliasName=alias, TargetKeyId=target)
        assert error_code(exc) == "AccessDeniedException"
        assert "kms:UpdateAlias" in error_message(exc)
    assert kms.describe_key(KeyId="alias/aws/ssm")["KeyMetadata"]["KeyId"] == managed.key_id
