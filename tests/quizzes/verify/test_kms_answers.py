"""Proofs for KMS quiz answers: each test demonstrates, against the simulator through a genuine
botocore client (in-process and over HTTP), the AWS behaviour that a question in
``quizzes/banks/kms.yaml`` teaches.

A question's ``verify:`` field names one of these tests. The expectations follow AWS's Encrypt,
Decrypt and key-state documentation, so a failure points at the simulator or at the question.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

PLAINTEXT_LIMIT = 4096  # bytes, Encrypt with a symmetric key (API_Encrypt.html)


@pytest.fixture
def kms(kms_any: Any) -> Any:
    """A KMS client on ``Cloud(seed=7)``, us-east-1, once in-process and once over real HTTP
    (``kms_any`` in tests/conftest.py), so each proof holds on both transports."""
    return kms_any


@pytest.fixture
def key(kms: Any) -> dict[str, Any]:
    metadata: dict[str, Any] = kms.create_key(Description="quiz proof")["KeyMetadata"]
    return metadata


def _error_code(excinfo: pytest.ExceptionInfo[ClientError]) -> str:
    code: str = excinfo.value.response["Error"]["Code"]
    return code


def test_encrypt_limit_is_4096_bytes(kms: Any, key: dict[str, Any]) -> None:
    """kms-001: Encrypt takes at most 4,096 bytes; botocore does not check max, the service does."""
    largest = bytes(range(256)) * (PLAINTEXT_LIMIT // 256)
    assert len(largest) == PLAINTEXT_LIMIT
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=largest)["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == largest

    with pytest.raises(ClientError) as excinfo:
        kms.encrypt(KeyId=key["KeyId"], Plaintext=largest + b"x")
    assert _error_code(excinfo) == "ValidationException"
    assert str(PLAINTEXT_LIMIT) in excinfo.value.response["Error"]["Message"]


def test_disabled_key_refuses_encrypt(kms: Any, key: dict[str, Any]) -> None:
    """kms-002: a disabled key fails with DisabledException until EnableKey restores it."""
    key_id = key["KeyId"]
    earlier = kms.encrypt(KeyId=key_id, Plaintext=b"order 42")["CiphertextBlob"]

    kms.disable_key(KeyId=key_id)
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Disabled"
    with pytest.raises(kms.exceptions.DisabledException) as excinfo:
        kms.encrypt(KeyId=key_id, Plaintext=b"order 43")
    assert excinfo.value.response["Error"]["Code"] == "DisabledException"
    with pytest.raises(ClientError) as decrypt_excinfo:
        kms.decrypt(CiphertextBlob=earlier)
    assert _error_code(decrypt_excinfo) == "DisabledException"

    kms.enable_key(KeyId=key_id)
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled"
    # Disabling never touched the key material: old ciphertext decrypts, new encryption works.
    assert kms.decrypt(CiphertextBlob=earlier)["Plaintext"] == b"order 42"
    fresh = kms.encrypt(KeyId=key_id, Plaintext=b"order 43")["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=fresh)["Plaintext"] == b"order 43"


def test_decrypt_symmetric_ciphertext_without_key_id(kms: Any, key: dict[str, Any]) -> None:
    """kms-003: symmetric ciphertext names its key, so Decrypt needs only the blob."""
    other = kms.create_key(Description="a second key")["KeyMetadata"]
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"hi")["CiphertextBlob"]
    other_blob = kms.encrypt(KeyId=other["KeyId"], Plaintext=b"there")["CiphertextBlob"]

    response = kms.decrypt(CiphertextBlob=blob)
    assert response["Plaintext"] == b"hi"
    assert response["KeyId"] == key["Arn"]  # Decrypt reports the key ARN it found in the blob
    assert response["EncryptionAlgorithm"] == "SYMMETRIC_DEFAULT"

    other_response = kms.decrypt(CiphertextBlob=other_blob)
    assert other_response["Plaintext"] == b"there"
    assert other_response["KeyId"] == other["Arn"]


def test_decrypt_with_different_context_fails(kms: Any, key: dict[str, Any]) -> None:
    """kms-004: Decrypt needs the exact, case-sensitive encryption context used to encrypt."""
    context = {"tenant": "Acme", "app": "lab"}
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"hi", EncryptionContext=context)[
        "CiphertextBlob"
    ]

    # Only the order of the pairs may differ.
    reordered = {"app": "lab", "tenant": "Acme"}
    assert kms.decrypt(CiphertextBlob=blob, EncryptionContext=reordered)["Plaintext"] == b"hi"

    wrong_contexts: list[dict[str, str] | None] = [
        {"tenant": "acme", "app": "lab"},  # value differs in case
        {"Tenant": "Acme", "app": "lab"},  # key differs in case
        {"tenant": "Acme"},  # a pair missing
        {"tenant": "Acme", "app": "lab", "extra": "1"},  # a pair too many
        None,  # no context at all
    ]
    for wrong in wrong_contexts:
        kwargs: dict[str, Any] = {"CiphertextBlob": blob}
        if wrong is not None:
            kwargs["EncryptionContext"] = wrong
        with pytest.raises(ClientError) as excinfo:
            kms.decrypt(**kwargs)
        assert _error_code(excinfo) == "InvalidCiphertextException", wrong
    with pytest.raises(kms.exceptions.InvalidCiphertextException):
        kms.decrypt(CiphertextBlob=blob, EncryptionContext={"tenant": "acme", "app": "lab"})
