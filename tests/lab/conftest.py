"""Fixtures for the lab tests: a seeded Cloud with a short, known story in its trail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from botocore.exceptions import ClientError

from simulator import Cloud


@dataclass
class Story:
    cloud: Cloud
    kms: Any
    key_id: str


@pytest.fixture
def story() -> Story:
    """CreateKey, CreateAlias, Encrypt, a failing Decrypt (wrong context) five minutes later,
    DisableKey, a failing Encrypt, ScheduleKeyDeletion (7 days), then the clock runs 7 days
    so KMS writes its DeleteKey service event: 8 events, 2 of them errors, 1 service event."""
    cloud = Cloud(seed=7)
    kms = cloud.client("kms", region_name="eu-west-1")
    key_id = kms.create_key(Description="story")["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/story", TargetKeyId=key_id)
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"data",
                       EncryptionContext={"app": "lab"})["CiphertextBlob"]
    cloud.clock.advance(minutes=5)
    with pytest.raises(ClientError):
        kms.decrypt(CiphertextBlob=blob, EncryptionContext={"app": "Lab"})
    kms.disable_key(KeyId=key_id)
    with pytest.raises(ClientError):
        kms.encrypt(KeyId=key_id, Plaintext=b"data")
    kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    cloud.clock.advance(days=7)
    return Story(cloud, kms, key_id)
