"""GetKeyLastUsage: the last successful cryptographic operation, tied to its CloudTrail event."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from simulator import Cloud
from tests.conftest import error_code


def test_last_usage_tracks_successful_crypto_operations(kms_any: Any, cloud: Cloud) -> None:
    meta = kms_any.create_key()["KeyMetadata"]
    fresh = kms_any.get_key_last_usage(KeyId=meta["KeyId"])
    assert fresh["KeyLastUsage"] == {}
    assert fresh["TrackingStartDate"] == fresh["KeyCreationDate"] == meta["CreationDate"]
    kms_any.describe_key(KeyId=meta["KeyId"])  # not a cryptographic operation
    assert kms_any.get_key_last_usage(KeyId=meta["Arn"])["KeyLastUsage"] == {}

    cloud.clock.advance(hours=5)
    blob = kms_any.encrypt(KeyId=meta["KeyId"], Plaintext=b"p")["CiphertextBlob"]
    cloud.clock.advance(hours=1)
    out = kms_any.decrypt(CiphertextBlob=blob)
    usage = kms_any.get_key_last_usage(KeyId=meta["KeyId"])["KeyLastUsage"]
    assert usage["Operation"] == "Decrypt"
    assert usage["Timestamp"] == cloud.clock.now()
    assert usage["KmsRequestId"] == out["ResponseMetadata"]["RequestId"]
    (record,) = [r for r in cloud.trail if r["requestID"] == usage["KmsRequestId"]]
    assert record["eventID"] == usage["CloudTrailEventId"]

    # A failed operation does not count as usage.
    with pytest.raises(ClientError):
        kms_any.decrypt(CiphertextBlob=blob, EncryptionContext={"wrong": "context"})
    assert kms_any.get_key_last_usage(KeyId=meta["KeyId"])["KeyLastUsage"]["Operation"] == "Decrypt"


def test_re_encrypt_records_both_keys_and_aliases_are_refused(kms: Any) -> None:
    a = kms.create_key()["KeyMetadata"]["KeyId"]
    b = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/a", TargetKeyId=a)
    blob = kms.encrypt(KeyId=a, Plaintext=b"p")["CiphertextBlob"]
    kms.re_encrypt(CiphertextBlob=blob, DestinationKeyId=b)
    assert kms.get_key_last_usage(KeyId=a)["KeyLastUsage"]["Operation"] == "ReEncrypt"
    assert kms.get_key_last_usage(KeyId=b)["KeyLastUsage"]["Operation"] == "ReEncrypt"
    with pytest.raises(ClientError) as exc:
        kms.get_key_last_usage(KeyId="alias/a")
    assert error_code(exc) == "NotFoundException"
