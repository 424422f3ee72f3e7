"""The CloudTrail-shaped audit trail: every call, redaction of secrets, pandas view."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from simulator import Cloud

SECRET = b"correct horse battery staple"


def test_every_call_is_recorded_with_cloudtrail_shape(kms: Any, cloud: Cloud) -> None:
    key = kms.create_key(Description="audited")["KeyMetadata"]
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=SECRET, EncryptionContext={"app": "lab"})[
        "CiphertextBlob"
    ]
    with pytest.raises(ClientError):
        kms.decrypt(CiphertextBlob=blob, EncryptionContext={"app": "other"})
    records = cloud.trail.records
    assert [r["eventName"] for r in records] == ["CreateKey", "Encrypt", "Decrypt"]
    create, enc, dec = records
    for r in records:
        assert r["eventSource"] == "kms.amazonaws.com"
        assert r["awsRegion"] == "us-east-1"
        assert r["eventTime"] == "2026-01-05T09:00:00Z"
        assert r["userIdentity"]["type"] == "IAMUser"
        assert r["userIdentity"]["userName"] == "Administrator"
        assert r["recipientAccountId"] == cloud.default_account.account_id
        assert r["requestID"] and r["eventID"] and r["eventType"] == "AwsApiCall"
    assert create["readOnly"] is False
    assert create["responseElements"]["keyMetadata"]["keyId"] == key["KeyId"]
    assert enc["readOnly"] is True and enc["responseElements"] is None
    assert enc["requestParameters"] == {"keyId": key["KeyId"], "encryptionContext": {"app": "lab"}}
    assert dec["errorCode"] == "InvalidCiphertextException"
    assert "ciphertextBlob" not in dec["requestParameters"]


def test_secret_material_never_enters_the_trail(kms: Any, cloud: Cloud) -> None:
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    blob = kms.encrypt(KeyId=key_id, Plaintext=SECRET)["CiphertextBlob"]
    kms.decrypt(CiphertextBlob=blob)
    dk = kms.generate_data_key(KeyId=key_id, KeySpec="AES_256")
    with pytest.raises(ClientError):
        kms.encrypt(KeyId=key_id, Plaintext=SECRET * 200)
    dumped = json.dumps(cloud.trail.records)
    for needle in (SECRET, dk["Plaintext"]):
        assert needle.decode("latin-1") not in dumped
        assert base64.b64encode(needle).decode() not in dumped
    assert base64.b64encode(blob).decode() not in dumped
    encrypt = cloud.trail.events(event_name="Encrypt")[0]
    assert encrypt["requestParameters"] == {"keyId": key_id}  # blobs are left out entirely


def test_sensitive_strings_are_hidden() -> None:
    from simulator.core.audit import HIDDEN, redact
    from simulator.protocol import spec

    shape = spec.service_model("secretsmanager").operation_model("CreateSecret").input_shape
    out = redact(shape, {"Name": "db", "SecretString": "hunter2", "SecretBinary": b"x"})
    assert out == {"name": "db", "secretString": HIDDEN}


def test_trail_as_dataframe(kms: Any, cloud: Cloud) -> None:
    kms.create_key()
    cloud.clock.advance(hours=1)
    with pytest.raises(ClientError):
        kms.describe_key(KeyId="alias/none")
    df = cloud.trail.to_dataframe()
    assert list(df["eventName"]) == ["CreateKey", "DescribeKey"]
    assert list(df["errorCode"].fillna("")) == ["", "NotFoundException"]
    assert (df["eventTime"].iloc[1] - df["eventTime"].iloc[0]).total_seconds() == 3600
    assert set(df.columns) >= {
        "eventTime",
        "eventSource",
        "eventName",
        "awsRegion",
        "user",
        "readOnly",
        "errorCode",
        "requestParameters",
    }
