"""KMS symmetric cryptography: real AES-256-GCM, opaque authenticated blobs, exact contexts."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from simulator import Cloud
from tests.conftest import error_code, error_message

CTX = {"app": "lab", "tenant": "42"}


@pytest.fixture
def key(kms_any: Any) -> dict[str, Any]:
    return dict(kms_any.create_key(Description="crypto")["KeyMetadata"])


def test_round_trip_with_every_key_id_form(kms_any: Any, key: dict[str, Any]) -> None:
    kms_any.create_alias(AliasName="alias/crypto", TargetKeyId=key["KeyId"])
    alias_arn = key["Arn"].replace(f"key/{key['KeyId']}", "alias/crypto")
    for ref in (key["KeyId"], key["Arn"], "alias/crypto", alias_arn):
        out = kms_any.encrypt(KeyId=ref, Plaintext=b"hello", EncryptionContext=CTX)
        assert out["KeyId"] == key["Arn"]  # responses carry the key ARN
        assert out["EncryptionAlgorithm"] == "SYMMETRIC_DEFAULT"
        assert b"hello" not in out["CiphertextBlob"]
        # Decrypt needs no KeyId for symmetric ciphertext; context order may differ.
        back = kms_any.decrypt(
            CiphertextBlob=out["CiphertextBlob"], EncryptionContext=dict(reversed(CTX.items()))
        )
        assert back["Plaintext"] == b"hello" and back["KeyId"] == key["Arn"]


def test_same_plaintext_encrypts_differently(kms_any: Any, key: dict[str, Any]) -> None:
    a = kms_any.encrypt(KeyId=key["KeyId"], Plaintext=b"same")["CiphertextBlob"]
    b = kms_any.encrypt(KeyId=key["KeyId"], Plaintext=b"same")["CiphertextBlob"]
    assert a != b


@pytest.mark.parametrize(
    "context",
    [
        None,
        {"app": "LAB", "tenant": "42"},
        {"app": "lab"},
        {"app": "lab", "tenant": "42", "extra": "x"},
    ],
)
def test_context_must_match_exactly(
    kms_any: Any, key: dict[str, Any], context: dict[str, str] | None
) -> None:
    blob = kms_any.encrypt(KeyId=key["KeyId"], Plaintext=b"p", EncryptionContext=CTX)[
        "CiphertextBlob"
    ]
    kwargs = {} if context is None else {"EncryptionContext": context}
    with pytest.raises(ClientError) as exc:
        kms_any.decrypt(CiphertextBlob=blob, **kwargs)
    assert error_code(exc) == "InvalidCiphertextException"


def test_tampered_blob_is_invalid_ciphertext(kms_any: Any, key: dict[str, Any]) -> None:
    blob = bytearray(kms_any.encrypt(KeyId=key["KeyId"], Plaintext=b"p")["CiphertextBlob"])
    for i in (0, 5, len(blob) // 2, len(blob) - 1):
        bad = bytearray(blob)
        bad[i] ^= 0x01
        with pytest.raises(ClientError) as exc:
            kms_any.decrypt(CiphertextBlob=bytes(bad))
        assert error_code(exc) in ("InvalidCiphertextException", "NotFoundException")
    with pytest.raises(ClientError) as exc:
        kms_any.decrypt(CiphertextBlob=b"\x00" * 40)
    assert error_code(exc) == "InvalidCiphertextException"


def test_plaintext_limit_is_4096_bytes(kms_any: Any, key: dict[str, Any]) -> None:
    blob = kms_any.encrypt(KeyId=key["KeyId"], Plaintext=b"x" * 4096)["CiphertextBlob"]
    assert kms_any.decrypt(CiphertextBlob=blob)["Plaintext"] == b"x" * 4096
    with pytest.raises(ClientError) as exc:
        kms_any.encrypt(KeyId=key["KeyId"], Plaintext=b"x" * 4097)
    assert error_code(exc) == "ValidationException"
    assert error_message(exc) == (
        "1 validation error detected: Value at 'plaintext' failed to "
        "satisfy constraint: Member must have length less than or "
        "equal to 4096"
    )


def test_disabled_key_refuses_use_and_reenabling_restores_it(
    kms_any: Any, key: dict[str, Any]
) -> None:
    blob = kms_any.encrypt(KeyId=key["KeyId"], Plaintext=b"p")["CiphertextBlob"]
    kms_any.disable_key(KeyId=key["KeyId"])
    for call in (
        lambda: kms_any.encrypt(KeyId=key["KeyId"], Plaintext=b"p"),
        lambda: kms_any.decrypt(CiphertextBlob=blob),
        lambda: kms_any.generate_data_key(KeyId=key["KeyId"], KeySpec="AES_256"),
    ):
        with pytest.raises(ClientError) as exc:
            call()
        assert error_code(exc) == "DisabledException"
        assert error_message(exc) == f"{key['Arn']} is disabled."
    kms_any.enable_key(KeyId=key["KeyId"])
    assert kms_any.decrypt(CiphertextBlob=blob)["Plaintext"] == b"p"


def test_pending_deletion_key_refuses_use(kms: Any) -> None:
    meta = kms.create_key()["KeyMetadata"]
    kms.schedule_key_deletion(KeyId=meta["KeyId"], PendingWindowInDays=7)
    with pytest.raises(ClientError) as exc:
        kms.encrypt(KeyId=meta["KeyId"], Plaintext=b"p")
    assert error_code(exc) == "KMSInvalidStateException"
    assert error_message(exc) == f"{meta['Arn']} is pending deletion."


def test_wrong_key_id_on_decrypt_is_incorrect_key(kms_any: Any, key: dict[str, Any]) -> None:
    other = kms_any.create_key()["KeyMetadata"]["KeyId"]
    blob = kms_any.encrypt(KeyId=key["KeyId"], Plaintext=b"p")["CiphertextBlob"]
    with pytest.raises(ClientError) as exc:
        kms_any.decrypt(CiphertextBlob=blob, KeyId=other)
    assert error_code(exc) == "IncorrectKeyException"
    assert kms_any.decrypt(CiphertextBlob=blob, KeyId=key["Arn"])["Plaintext"] == b"p"


def test_deleted_key_makes_ciphertext_unrecoverable(kms: Any, cloud: Cloud) -> None:
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"gone")["CiphertextBlob"]
    kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    cloud.clock.advance(days=7)
    with pytest.raises(ClientError) as exc:
        kms.decrypt(CiphertextBlob=blob)
    assert error_code(exc) == "NotFoundException"


def test_data_key_works_with_cryptography_outside_the_simulator(
    kms_any: Any, key: dict[str, Any]
) -> None:
    dk = kms_any.generate_data_key(KeyId=key["KeyId"], KeySpec="AES_256", EncryptionContext=CTX)
    assert len(dk["Plaintext"]) == 32 and dk["KeyId"] == key["Arn"]
    nonce = b"\x01" * 12
    sealed = AESGCM(dk["Plaintext"]).encrypt(nonce, b"file contents", None)
    # Later: recover the data key from its encrypted copy and decrypt locally.
    recovered = kms_any.decrypt(CiphertextBlob=dk["CiphertextBlob"], EncryptionContext=CTX)
    assert AESGCM(recovered["Plaintext"]).decrypt(nonce, sealed, None) == b"file contents"
    dk128 = kms_any.generate_data_key(KeyId=key["KeyId"], KeySpec="AES_128")
    assert len(dk128["Plaintext"]) == 16
    n = kms_any.generate_data_key(KeyId=key["KeyId"], NumberOfBytes=64)
    assert len(n["Plaintext"]) == 64
    wo = kms_any.generate_data_key_without_plaintext(KeyId=key["KeyId"], KeySpec="AES_256")
    assert "Plaintext" not in wo
    assert len(kms_any.decrypt(CiphertextBlob=wo["CiphertextBlob"])["Plaintext"]) == 32


def test_data_key_needs_exactly_one_of_spec_and_bytes(kms: Any) -> None:
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    for kwargs in ({}, {"KeySpec": "AES_256", "NumberOfBytes": 32}):
        with pytest.raises(ClientError) as exc:
            kms.generate_data_key(KeyId=key_id, **kwargs)
        assert error_code(exc) == "ValidationException"


def test_generate_random_limits(kms: Any) -> None:
    assert len(kms.generate_random(NumberOfBytes=1024)["Plaintext"]) == 1024
    with pytest.raises(ClientError) as exc:
        kms.generate_random(NumberOfBytes=1025)
    assert error_code(exc) == "ValidationException"


def test_dry_run(kms: Any) -> None:
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    with pytest.raises(ClientError) as exc:
        kms.encrypt(KeyId=key_id, Plaintext=b"p", DryRun=True)
    assert error_code(exc) == "DryRunOperationException"
