"""More proofs for KMS quiz answers (questions kms-016 to kms-060 in ``quizzes/banks/kms.yaml``).

Each test drives the simulator through a genuine botocore client and demonstrates the AWS
behaviour one question teaches; the question's ``verify:`` field names the test. Expectations
come from AWS's current KMS API reference and developer guide (facts sheet part 1), never from
the simulator's own choices, so a failure points at the simulator or at the question. Tests that
need several Regions use in-process clients; the rest run over both transports (``kms_any``).
"""

from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import json
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from simulator import Cloud
from tests.conftest import error_code

REGION = "us-east-1"
# Throttling proofs must see the first ThrottlingException, not botocore's retries of it.
NO_RETRY = Config(retries={"max_attempts": 1})
THROTTLED = (
    "You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls."
)
SYMMETRIC_RATE = "cryptographic_operations_symmetric_rate"


@pytest.fixture
def kms(kms_any: Any) -> Any:
    """A KMS client on ``Cloud(seed=7)`` in us-east-1, in-process and over real HTTP."""
    return kms_any


@pytest.fixture
def local_kms(cloud: Cloud) -> Any:
    """An in-process client only, for proofs that make many calls or generate large RSA keys
    (the transports are already compared by the other proofs)."""
    return cloud.client("kms", region_name=REGION)


@pytest.fixture
def key(kms: Any) -> dict[str, Any]:
    metadata: dict[str, Any] = kms.create_key(Description="quiz proof")["KeyMetadata"]
    return metadata


def _state(kms: Any, key_id: str) -> str:
    state: str = kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"]
    return state


def _alias_names(kms: Any, **kwargs: Any) -> set[str]:
    names: set[str] = set()
    for page in kms.get_paginator("list_aliases").paginate(**kwargs):
        names.update(a["AliasName"] for a in page["Aliases"])
    return names


def _trail(cloud: Cloud, name: str) -> list[dict[str, Any]]:
    return [r for r in cloud.trail if r["eventName"] == name]


# -- key types and usages (kms-016 to kms-024) ----------------------------------------------


def test_hmac_key_needs_explicit_usage_and_verifies_macs(kms: Any) -> None:
    """kms-016: HMAC keys need KeyUsage GENERATE_VERIFY_MAC spelled out; VerifyMac fails loudly."""
    with pytest.raises(ClientError) as missing:
        kms.create_key(KeySpec="HMAC_256")
    assert error_code(missing) == "ValidationException"
    with pytest.raises(ClientError) as wrong_spec:
        kms.create_key(KeySpec="SYMMETRIC_DEFAULT", KeyUsage="GENERATE_VERIFY_MAC")
    assert error_code(wrong_spec) == "ValidationException"

    meta = kms.create_key(KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC")["KeyMetadata"]
    assert meta["KeyUsage"] == "GENERATE_VERIFY_MAC"
    assert meta["MacAlgorithms"] == ["HMAC_SHA_256"]
    token = b"user=42;expires=2026-02-01"
    mac = kms.generate_mac(KeyId=meta["KeyId"], Message=token, MacAlgorithm="HMAC_SHA_256")["Mac"]
    checked = kms.verify_mac(
        KeyId=meta["KeyId"], Message=token, MacAlgorithm="HMAC_SHA_256", Mac=mac
    )
    assert checked["MacValid"] is True
    with pytest.raises(ClientError) as tampered:
        kms.verify_mac(
            KeyId=meta["KeyId"], Message=token + b"0", MacAlgorithm="HMAC_SHA_256", Mac=mac
        )
    assert error_code(tampered) == "KMSInvalidMacException"


def test_rsa_key_usage_is_fixed_at_creation(kms: Any) -> None:
    """kms-017: an RSA key encrypts or signs, never both; ECC keys cannot encrypt."""
    enc = kms.create_key(KeySpec="RSA_3072", KeyUsage="ENCRYPT_DECRYPT")["KeyMetadata"]
    assert set(enc["EncryptionAlgorithms"]) == {"RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"}
    assert "SigningAlgorithms" not in enc
    with pytest.raises(ClientError) as sign_with_enc:
        kms.sign(KeyId=enc["KeyId"], Message=b"manifest", SigningAlgorithm="RSASSA_PSS_SHA_256")
    assert error_code(sign_with_enc) == "InvalidKeyUsageException"

    sig = kms.create_key(KeySpec="RSA_3072", KeyUsage="SIGN_VERIFY")["KeyMetadata"]
    assert "EncryptionAlgorithms" not in sig
    with pytest.raises(ClientError) as enc_with_sig:
        kms.encrypt(
            KeyId=sig["KeyId"], Plaintext=b"secret", EncryptionAlgorithm="RSAES_OAEP_SHA_256"
        )
    assert error_code(enc_with_sig) == "InvalidKeyUsageException"

    with pytest.raises(ClientError) as ecc_encrypt:
        kms.create_key(KeySpec="ECC_NIST_P384", KeyUsage="ENCRYPT_DECRYPT")
    assert error_code(ecc_encrypt) == "ValidationException"


def test_public_key_verifies_signatures_offline(kms: Any) -> None:
    """kms-019: GetPublicKey's DER SubjectPublicKeyInfo verifies KMS signatures without KMS."""
    meta = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]
    firmware = b"firmware image v1.2.3" * 50
    signature = kms.sign(
        KeyId=meta["KeyId"],
        Message=firmware,
        MessageType="RAW",
        SigningAlgorithm="ECDSA_SHA_256",
    )["Signature"]

    exported = kms.get_public_key(KeyId=meta["KeyId"])
    assert exported["KeyUsage"] == "SIGN_VERIFY"
    assert "ECDSA_SHA_256" in exported["SigningAlgorithms"]
    public_key = serialization.load_der_public_key(exported["PublicKey"])
    assert isinstance(public_key, ec.EllipticCurvePublicKey)
    public_key.verify(signature, firmware, ec.ECDSA(hashes.SHA256()))  # offline, no AWS call
    with pytest.raises(InvalidSignature):
        public_key.verify(signature, firmware + b"!", ec.ECDSA(hashes.SHA256()))


def test_sign_large_messages_as_digests(kms: Any) -> None:
    """kms-020: Sign takes at most 4,096 bytes; larger data is signed as a DIGEST."""
    meta = kms.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")["KeyMetadata"]
    image = bytes(range(256)) * 64  # 16 KiB stands in for the 300 MB image
    with pytest.raises(ClientError) as too_big:
        kms.sign(
            KeyId=meta["KeyId"],
            Message=image,
            MessageType="RAW",
            SigningAlgorithm="RSASSA_PSS_SHA_256",
        )
    assert error_code(too_big) == "ValidationException"

    digest = hashlib.sha256(image).digest()
    signature = kms.sign(
        KeyId=meta["KeyId"],
        Message=digest,
        MessageType="DIGEST",
        SigningAlgorithm="RSASSA_PSS_SHA_256",
    )["Signature"]
    verified = kms.verify(
        KeyId=meta["KeyId"],
        Message=digest,
        MessageType="DIGEST",
        Signature=signature,
        SigningAlgorithm="RSASSA_PSS_SHA_256",
    )
    assert verified["SignatureValid"] is True
    # The signature covers the whole image: a standard verifier checks it against the image.
    public_key = serialization.load_der_public_key(
        kms.get_public_key(KeyId=meta["KeyId"])["PublicKey"]
    )
    assert isinstance(public_key, rsa.RSAPublicKey)
    public_key.verify(
        signature,
        image,
        padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32),
        hashes.SHA256(),
    )


# Encrypt limits for RSA keys (API_Encrypt.html): key bytes - 2 * hash bytes - 2.
RSA_LIMITS = {
    ("RSA_2048", "RSAES_OAEP_SHA_1"): 214,
    ("RSA_2048", "RSAES_OAEP_SHA_256"): 190,
    ("RSA_3072", "RSAES_OAEP_SHA_1"): 342,
    ("RSA_3072", "RSAES_OAEP_SHA_256"): 318,
    ("RSA_4096", "RSAES_OAEP_SHA_1"): 470,
    ("RSA_4096", "RSAES_OAEP_SHA_256"): 446,
}


def test_rsa_oaep_plaintext_limits(local_kms: Any) -> None:
    """kms-021: only RSA_3072/OAEP_SHA_1 and RSA_4096/OAEP_SHA_256 (of the options) fit 330 B."""
    kms = local_kms
    key_ids = {
        spec: kms.create_key(KeySpec=spec, KeyUsage="ENCRYPT_DECRYPT")["KeyMetadata"]["KeyId"]
        for spec in ("RSA_2048", "RSA_3072", "RSA_4096")
    }
    license_blob = bytes(range(110)) * 3  # 330 bytes
    fits = set()
    for (spec, algorithm), limit in RSA_LIMITS.items():
        largest = b"L" * limit
        blob = kms.encrypt(KeyId=key_ids[spec], Plaintext=largest, EncryptionAlgorithm=algorithm)[
            "CiphertextBlob"
        ]
        plain = kms.decrypt(
            CiphertextBlob=blob, KeyId=key_ids[spec], EncryptionAlgorithm=algorithm
        )["Plaintext"]
        assert plain == largest
        with pytest.raises(ClientError) as over:
            kms.encrypt(
                KeyId=key_ids[spec], Plaintext=largest + b"L", EncryptionAlgorithm=algorithm
            )
        assert error_code(over) == "ValidationException", (spec, algorithm)
        if limit >= len(license_blob):
            kms.encrypt(KeyId=key_ids[spec], Plaintext=license_blob, EncryptionAlgorithm=algorithm)
            fits.add((spec, algorithm))
    offered = {
        ("RSA_2048", "RSAES_OAEP_SHA_1"),
        ("RSA_3072", "RSAES_OAEP_SHA_256"),
        ("RSA_3072", "RSAES_OAEP_SHA_1"),
        ("RSA_4096", "RSAES_OAEP_SHA_256"),
        ("RSA_2048", "RSAES_OAEP_SHA_256"),
    }
    assert fits & offered == {("RSA_3072", "RSAES_OAEP_SHA_1"), ("RSA_4096", "RSAES_OAEP_SHA_256")}


def test_asymmetric_decrypt_needs_key_id_and_algorithm(kms: Any) -> None:
    """kms-022: RSA ciphertext carries no KMS metadata; Decrypt needs KeyId and the algorithm."""
    meta = kms.create_key(KeySpec="RSA_2048", KeyUsage="ENCRYPT_DECRYPT")["KeyMetadata"]
    public_key = serialization.load_der_public_key(
        kms.get_public_key(KeyId=meta["KeyId"])["PublicKey"]
    )
    assert isinstance(public_key, rsa.RSAPublicKey)
    # The mobile client encrypts offline: OAEP with SHA-256 for both hash and MGF1, no label.
    ciphertext = public_key.encrypt(
        b"pin=4711",
        padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None),
    )
    with pytest.raises(ClientError):
        kms.decrypt(CiphertextBlob=ciphertext)
    with pytest.raises(ClientError):
        kms.decrypt(CiphertextBlob=ciphertext, KeyId=meta["KeyId"])  # SYMMETRIC_DEFAULT
    response = kms.decrypt(
        CiphertextBlob=ciphertext, KeyId=meta["KeyId"], EncryptionAlgorithm="RSAES_OAEP_SHA_256"
    )
    assert response["Plaintext"] == b"pin=4711"
    assert response["EncryptionAlgorithm"] == "RSAES_OAEP_SHA_256"
    assert response["KeyId"] == meta["Arn"]


def test_data_key_pair_without_plaintext(kms: Any, key: dict[str, Any]) -> None:
    """kms-023: the public key in the clear, the private key only encrypted under a KMS key."""
    pair = kms.generate_data_key_pair_without_plaintext(KeyId=key["KeyId"], KeyPairSpec="RSA_2048")
    assert "PrivateKeyPlaintext" not in pair
    assert pair["KeyPairSpec"] == "RSA_2048"
    assert pair["KeyId"] == key["Arn"]
    public_key = serialization.load_der_public_key(pair["PublicKey"])
    assert isinstance(public_key, rsa.RSAPublicKey)

    # Months later the archive service decrypts the private key (PKCS #8 DER) with Decrypt.
    private_der = kms.decrypt(CiphertextBlob=pair["PrivateKeyCiphertextBlob"])["Plaintext"]
    private_key = serialization.load_der_private_key(private_der, password=None)
    assert isinstance(private_key, rsa.RSAPrivateKey)
    assert private_key.public_key().public_numbers() == public_key.public_numbers()

    with_plaintext = kms.generate_data_key_pair(KeyId=key["KeyId"], KeyPairSpec="RSA_2048")
    assert with_plaintext["PrivateKeyPlaintext"]  # the variant the component must not call


def test_derive_shared_secret_matches_peer(kms: Any) -> None:
    """kms-024: DeriveSharedSecret (ECDH) equals what the peer computes with its own key."""
    meta = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="KEY_AGREEMENT")["KeyMetadata"]
    assert meta["KeyAgreementAlgorithms"] == ["ECDH"]
    peer = ec.generate_private_key(ec.SECP256R1())
    peer_public_der = peer.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    shared = kms.derive_shared_secret(
        KeyId=meta["KeyId"], KeyAgreementAlgorithm="ECDH", PublicKey=peer_public_der
    )["SharedSecret"]

    kms_public = serialization.load_der_public_key(
        kms.get_public_key(KeyId=meta["KeyId"])["PublicKey"]
    )
    assert isinstance(kms_public, ec.EllipticCurvePublicKey)
    assert peer.exchange(ec.ECDH(), kms_public) == shared

    signing = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]
    with pytest.raises(ClientError) as wrong_usage:
        kms.derive_shared_secret(
            KeyId=signing["KeyId"], KeyAgreementAlgorithm="ECDH", PublicKey=peer_public_der
        )
    assert error_code(wrong_usage) == "InvalidKeyUsageException"
    with pytest.raises(ClientError) as k1_agreement:
        kms.create_key(KeySpec="ECC_SECG_P256K1", KeyUsage="KEY_AGREEMENT")
    assert error_code(k1_agreement) == "ValidationException"


# -- key states and deletion (kms-025 to kms-031) ------------------------------------------


def test_disabled_key_still_allows_management_calls(kms: Any, key: dict[str, Any]) -> None:
    """kms-025: a Disabled key can be described, tagged and scheduled, but not used."""
    key_id = key["KeyId"]
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"before")["CiphertextBlob"]
    kms.disable_key(KeyId=key_id)

    assert _state(kms, key_id) == "Disabled"
    kms.tag_resource(KeyId=key_id, Tags=[{"TagKey": "incident", "TagValue": "IR-7"}])
    assert kms.list_resource_tags(KeyId=key_id)["Tags"] == [
        {"TagKey": "incident", "TagValue": "IR-7"}
    ]
    with pytest.raises(ClientError) as decrypt:
        kms.decrypt(CiphertextBlob=blob)
    assert error_code(decrypt) == "DisabledException"
    with pytest.raises(ClientError) as data_key:
        kms.generate_data_key(KeyId=key_id, KeySpec="AES_256")
    assert error_code(data_key) == "DisabledException"
    with pytest.raises(ClientError) as cancel:
        kms.cancel_key_deletion(KeyId=key_id)
    assert error_code(cancel) == "KMSInvalidStateException"

    scheduled = kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=30)
    assert scheduled["KeyState"] == "PendingDeletion"
    assert scheduled["PendingWindowInDays"] == 30


def test_failed_use_of_disabled_key_is_recorded_in_the_trail(
    kms: Any, cloud: Cloud, key: dict[str, Any]
) -> None:
    """kms-026: disabling is reversible, and every refused use shows up in CloudTrail."""
    key_id = key["KeyId"]
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"old backup")["CiphertextBlob"]
    kms.disable_key(KeyId=key_id)
    with pytest.raises(ClientError) as refused:
        kms.decrypt(CiphertextBlob=blob)
    assert error_code(refused) == "DisabledException"

    failures = [r for r in _trail(cloud, "Decrypt") if r.get("errorCode")]
    assert len(failures) == 1
    record = failures[0]
    assert record["eventSource"] == "kms.amazonaws.com"
    assert record["errorCode"] == "DisabledException"
    assert record["userIdentity"]["arn"]  # who still needs the key

    kms.enable_key(KeyId=key_id)  # nothing was lost: the owner can be served again at once
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"old backup"


def test_schedule_deletion_defaults_to_thirty_days(
    kms: Any, cloud: Cloud, key: dict[str, Any]
) -> None:
    """kms-027: without PendingWindowInDays the window is 30 days; the key is unusable at once."""
    key_id = key["KeyId"]
    kms.create_alias(AliasName="alias/orders", TargetKeyId=key_id)
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"order 1")["CiphertextBlob"]
    now = cloud.clock.now()

    response = kms.schedule_key_deletion(KeyId=key_id)
    assert response["PendingWindowInDays"] == 30
    assert response["KeyState"] == "PendingDeletion"
    assert response["KeyId"] == key["Arn"]
    assert response["DeletionDate"] == now + _dt.timedelta(days=30)

    for call in (
        lambda: kms.encrypt(KeyId="alias/orders", Plaintext=b"order 2"),
        lambda: kms.decrypt(CiphertextBlob=blob),
    ):
        with pytest.raises(ClientError) as refused:
            call()
        assert error_code(refused) == "KMSInvalidStateException"
    assert "alias/orders" in _alias_names(kms)  # aliases stay during the window
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["DeletionDate"] == response["DeletionDate"]

    kms.cancel_key_deletion(KeyId=key_id)
    assert _state(kms, key_id) == "Disabled"
    kms.enable_key(KeyId=key_id)
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"order 1"


def test_key_and_aliases_are_deleted_when_the_window_ends(
    kms: Any, cloud: Cloud, key: dict[str, Any]
) -> None:
    """kms-030: at the end of the window the key and its aliases go; KMS logs DeleteKey."""
    key_id = key["KeyId"]
    kms.create_alias(AliasName="alias/reports", TargetKeyId=key_id)
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"q3 report")["CiphertextBlob"]
    kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=10)

    cloud.clock.advance(days=9)
    assert _state(kms, key_id) == "PendingDeletion"
    assert not _trail(cloud, "DeleteKey")

    cloud.clock.advance(days=1)
    with pytest.raises(ClientError) as gone:
        kms.describe_key(KeyId=key_id)
    assert error_code(gone) == "NotFoundException"
    assert "alias/reports" not in _alias_names(kms)
    with pytest.raises(ClientError):
        kms.decrypt(CiphertextBlob=blob)

    (deleted,) = _trail(cloud, "DeleteKey")
    assert deleted["eventType"] == "AwsServiceEvent"  # generated by KMS, not called by a user
    assert deleted["eventSource"] == "kms.amazonaws.com"
    assert [r["ARN"] for r in deleted["resources"]] == [key["Arn"]]


def test_disabling_a_key_leaves_plaintext_data_keys_usable(kms: Any, key: dict[str, Any]) -> None:
    """kms-031: a data key already in memory keeps working; only the next KMS call fails."""
    data_key = kms.generate_data_key(KeyId=key["KeyId"], KeySpec="AES_256")
    kms.disable_key(KeyId=key["KeyId"])

    # Local encryption with the plaintext data key never reaches KMS, so it still works.
    nonce = bytes(12)
    sealed = AESGCM(data_key["Plaintext"]).encrypt(nonce, b"file 1001", None)
    assert AESGCM(data_key["Plaintext"]).decrypt(nonce, sealed, None) == b"file 1001"

    with pytest.raises(ClientError) as next_kms_call:
        kms.decrypt(CiphertextBlob=data_key["CiphertextBlob"])
    assert error_code(next_kms_call) == "DisabledException"
    kms.enable_key(KeyId=key["KeyId"])
    assert (
        kms.decrypt(CiphertextBlob=data_key["CiphertextBlob"])["Plaintext"] == data_key["Plaintext"]
    )


# -- rotation and aliases (kms-032 to kms-039) ---------------------------------------------


def test_hmac_keys_rotate_manually(kms: Any) -> None:
    """kms-032: HMAC keys rotate by alias update; old MACs verify only with the old key ID."""

    def hmac_key() -> str:
        meta = kms.create_key(KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC")["KeyMetadata"]
        key_id: str = meta["KeyId"]
        return key_id

    old = hmac_key()
    kms.create_alias(AliasName="alias/token-mac", TargetKeyId=old)
    for call in (
        lambda: kms.enable_key_rotation(KeyId=old, RotationPeriodInDays=365),
        lambda: kms.rotate_key_on_demand(KeyId=old),
    ):
        with pytest.raises(ClientError) as unsupported:
            call()
        assert error_code(unsupported) == "UnsupportedOperationException"

    token = b"session=abc"
    old_mac = kms.generate_mac(KeyId="alias/token-mac", Message=token, MacAlgorithm="HMAC_SHA_256")[
        "Mac"
    ]
    new = hmac_key()
    kms.update_alias(AliasName="alias/token-mac", TargetKeyId=new)

    with pytest.raises(ClientError) as via_alias:
        kms.verify_mac(
            KeyId="alias/token-mac", Message=token, MacAlgorithm="HMAC_SHA_256", Mac=old_mac
        )
    assert error_code(via_alias) == "KMSInvalidMacException"
    by_old_id = kms.verify_mac(KeyId=old, Message=token, MacAlgorithm="HMAC_SHA_256", Mac=old_mac)
    assert by_old_id["MacValid"] is True

    symmetric = kms.create_key()["KeyMetadata"]["KeyId"]
    with pytest.raises(ClientError):
        kms.update_alias(AliasName="alias/token-mac", TargetKeyId=symmetric)
    assert kms.list_aliases(KeyId=new)["Aliases"][0]["AliasName"] == "alias/token-mac"


def test_update_alias_requires_same_key_type(kms: Any, key: dict[str, Any]) -> None:
    """kms-036: UpdateAlias keeps the key type and usage; delete and recreate to change them."""
    kms.create_alias(AliasName="alias/app-data", TargetKeyId=key["KeyId"])
    hmac = kms.create_key(KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC")["KeyMetadata"]
    with pytest.raises(ClientError):
        kms.update_alias(AliasName="alias/app-data", TargetKeyId=hmac["KeyId"])
    (alias,) = kms.list_aliases(KeyId=key["KeyId"])["Aliases"]
    assert alias["AliasName"] == "alias/app-data"  # unchanged by the failed request

    other = kms.create_key()["KeyMetadata"]
    kms.update_alias(AliasName="alias/app-data", TargetKeyId=other["KeyId"])
    assert kms.describe_key(KeyId="alias/app-data")["KeyMetadata"]["KeyId"] == other["KeyId"]

    kms.delete_alias(AliasName="alias/app-data")
    kms.create_alias(AliasName="alias/app-data", TargetKeyId=hmac["KeyId"])
    assert kms.describe_key(KeyId="alias/app-data")["KeyMetadata"]["KeySpec"] == "HMAC_256"


def test_alias_names_reserved_and_one_key_per_alias(kms: Any, key: dict[str, Any]) -> None:
    """kms-035: alias/aws/ is reserved; an alias names one key, a key may have many aliases."""
    with pytest.raises(ClientError) as reserved:
        kms.create_alias(AliasName="alias/aws/payments", TargetKeyId=key["KeyId"])
    assert error_code(reserved) == "InvalidAliasNameException"

    kms.create_alias(AliasName="alias/payments", TargetKeyId=key["KeyId"])
    kms.create_alias(AliasName="alias/payments-v2", TargetKeyId=key["KeyId"])
    assert _alias_names(kms, KeyId=key["KeyId"]) == {"alias/payments", "alias/payments-v2"}

    other = kms.create_key()["KeyMetadata"]
    with pytest.raises(ClientError) as taken:
        kms.create_alias(AliasName="alias/payments", TargetKeyId=other["KeyId"])
    assert error_code(taken) == "AlreadyExistsException"
    blob = kms.encrypt(KeyId="alias/payments-v2", Plaintext=b"x")
    assert blob["KeyId"] == key["Arn"]


def test_describe_key_omits_aliases_list_aliases_filters_by_key(
    kms: Any, key: dict[str, Any]
) -> None:
    """kms-037: DescribeKey has no aliases; ListAliases with KeyId (or TargetKeyId) finds them."""
    other = kms.create_key()["KeyMetadata"]
    kms.create_alias(AliasName="alias/inventory-a", TargetKeyId=key["KeyId"])
    kms.create_alias(AliasName="alias/inventory-b", TargetKeyId=key["KeyId"])
    kms.create_alias(AliasName="alias/other", TargetKeyId=other["KeyId"])

    metadata = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
    assert not any("alias" in name.lower() for name in metadata)
    assert "alias/" not in json.dumps(metadata, default=str)

    assert _alias_names(kms, KeyId=key["KeyId"]) == {"alias/inventory-a", "alias/inventory-b"}
    by_target: dict[str, set[str]] = {}
    for page in kms.get_paginator("list_aliases").paginate():
        for alias in page["Aliases"]:
            by_target.setdefault(alias.get("TargetKeyId", ""), set()).add(alias["AliasName"])
    assert by_target[other["KeyId"]] == {"alias/other"}


def test_aliases_per_key_quota_is_50(local_kms: Any) -> None:
    """kms-038: the 51st alias of one key fails with LimitExceededException; other keys are fine."""
    kms = local_kms
    key = kms.create_key()["KeyMetadata"]
    for n in range(50):
        kms.create_alias(AliasName=f"alias/tenant-{n:04d}", TargetKeyId=key["KeyId"])
    with pytest.raises(ClientError) as quota:
        kms.create_alias(AliasName="alias/tenant-0050", TargetKeyId=key["KeyId"])
    assert error_code(quota) == "LimitExceededException"
    assert len(_alias_names(kms, KeyId=key["KeyId"])) == 50

    second = kms.create_key()["KeyMetadata"]
    kms.create_alias(AliasName="alias/tenant-0050", TargetKeyId=second["KeyId"])


def test_management_operations_reject_alias_names(kms: Any, key: dict[str, Any]) -> None:
    """kms-039: DisableKey takes a key ID or key ARN; resolve an alias with DescribeKey first."""
    kms.create_alias(AliasName="alias/payments", TargetKeyId=key["KeyId"])
    alias_arn = f"arn:aws:kms:{REGION}:{key['AWSAccountId']}:alias/payments"
    for alias_form in ("alias/payments", alias_arn):
        with pytest.raises(ClientError):
            kms.disable_key(KeyId=alias_form)
    assert _state(kms, key["KeyId"]) == "Enabled"

    resolved = kms.describe_key(KeyId="alias/payments")["KeyMetadata"]
    assert resolved["KeyId"] == key["KeyId"]
    kms.disable_key(KeyId=resolved["Arn"])
    assert _state(kms, key["KeyId"]) == "Disabled"


# -- key policies (kms-040) -----------------------------------------------------------------


def test_default_key_policy_trusts_the_account(kms: Any, key: dict[str, Any]) -> None:
    """kms-040: the API default policy has one statement: the account principal gets kms:*."""
    assert kms.list_key_policies(KeyId=key["KeyId"])["PolicyNames"] == ["default"]
    policy = json.loads(kms.get_key_policy(KeyId=key["KeyId"], PolicyName="default")["Policy"])
    (statement,) = policy["Statement"]
    assert statement["Effect"] == "Allow"
    assert statement["Principal"] == {"AWS": f"arn:aws:iam::{key['AWSAccountId']}:root"}
    assert statement["Action"] == "kms:*"
    assert statement["Resource"] == "*"
    assert "Condition" not in statement


def _policy(account: str, sid: str = "Enable IAM policies") -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": sid,
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                "Action": "kms:*",
                "Resource": "*",
            }
        ],
    }


def test_key_policy_lockout_check_and_size_limit(kms: Any, key: dict[str, Any]) -> None:
    """kms-041: the lockout safety check, one policy named default, 32 KB at most."""
    account, key_id = key["AWSAccountId"], key["KeyId"]
    read_only = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Auditors may describe",  # spaces are fine in a key policy Sid
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                "Action": "kms:DescribeKey",
                "Resource": "*",
            }
        ],
    }
    with pytest.raises(ClientError) as lockout:
        kms.put_key_policy(KeyId=key_id, PolicyName="default", Policy=json.dumps(read_only))
    assert error_code(lockout) == "MalformedPolicyDocumentException"
    bypassed = kms.create_key(Policy=json.dumps(read_only), BypassPolicyLockoutSafetyCheck=True)
    assert bypassed["KeyMetadata"]["KeyState"] == "Enabled"

    with pytest.raises(ClientError):
        kms.put_key_policy(KeyId=key_id, PolicyName="second", Policy=json.dumps(_policy(account)))

    # 32 KB is 32,768 bytes: pad the Sid so the document is exactly that long, then one more.
    base = len(json.dumps(_policy(account, sid="")).encode())
    largest = json.dumps(_policy(account, sid="s" * (32_768 - base)))
    assert len(largest.encode()) == 32_768
    kms.put_key_policy(KeyId=key_id, PolicyName="default", Policy=largest)
    too_large = json.dumps(_policy(account, sid="s" * (32_769 - base)))
    with pytest.raises(ClientError):
        kms.put_key_policy(KeyId=key_id, PolicyName="default", Policy=too_large)
    stored = kms.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"]
    assert len(stored.encode()) == 32_768  # the rejected policy changed nothing


# -- listing, encryption context, data keys, randomness (kms-045 to kms-049) ----------------


def test_list_keys_paginates_with_marker(local_kms: Any) -> None:
    """kms-045: ListKeys pages 100 keys by default; follow NextMarker while Truncated."""
    kms = local_kms
    created = {kms.create_key()["KeyMetadata"]["KeyId"] for _ in range(105)}

    first = kms.list_keys()
    assert len(first["Keys"]) == 100
    assert first["Truncated"] is True
    seen = [k["KeyId"] for k in first["Keys"]]
    marker = first["NextMarker"]
    while marker:
        page = kms.list_keys(Marker=marker, Limit=2)
        seen.extend(k["KeyId"] for k in page["Keys"])
        marker = page.get("NextMarker") if page["Truncated"] else None
    assert len(seen) == len(set(seen)) == 105
    assert set(seen) == created

    with pytest.raises(ClientError) as too_many:
        kms.list_keys(Limit=5000)
    assert error_code(too_many) == "ValidationException"


def test_encryption_context_is_logged_plaintext_is_not(
    kms: Any, cloud: Cloud, key: dict[str, Any]
) -> None:
    """kms-046: CloudTrail shows the encryption context in plaintext, never the data."""
    context = {"customer": "jane.doe@example.com"}
    kms.encrypt(KeyId=key["KeyId"], Plaintext=b"card ending 4242", EncryptionContext=context)
    (record,) = _trail(cloud, "Encrypt")
    assert record["requestParameters"]["encryptionContext"] == context  # readable by auditors
    logged = json.dumps(record, default=str)
    assert "jane.doe@example.com" in logged
    assert "4242" not in logged


def test_generate_data_key_needs_keyspec_or_number_of_bytes(kms: Any, key: dict[str, Any]) -> None:
    """kms-048: exactly one of KeySpec and NumberOfBytes; AES_256 means 32 bytes."""
    for bad in ({}, {"KeySpec": "AES_256", "NumberOfBytes": 32}):
        with pytest.raises(ClientError) as invalid:
            kms.generate_data_key(KeyId=key["KeyId"], **bad)
        assert error_code(invalid) == "ValidationException", bad

    by_spec = kms.generate_data_key(KeyId=key["KeyId"], KeySpec="AES_256")
    by_count = kms.generate_data_key(KeyId=key["KeyId"], NumberOfBytes=32)
    assert len(by_spec["Plaintext"]) == len(by_count["Plaintext"]) == 32
    assert len(kms.generate_data_key(KeyId=key["KeyId"], KeySpec="AES_128")["Plaintext"]) == 16
    assert (
        kms.decrypt(CiphertextBlob=by_spec["CiphertextBlob"])["Plaintext"] == by_spec["Plaintext"]
    )
    with pytest.raises(ClientError) as too_long:
        kms.generate_data_key(KeyId=key["KeyId"], NumberOfBytes=1025)
    assert error_code(too_long) == "ValidationException"


def test_generate_random_needs_no_key(kms: Any) -> None:
    """kms-049: GenerateRandom returns 1 to 1,024 random bytes without any KMS key."""
    first = kms.generate_random(NumberOfBytes=64)["Plaintext"]
    second = kms.generate_random(NumberOfBytes=64)["Plaintext"]
    assert len(first) == len(second) == 64
    assert first != second
    assert len(kms.generate_random(NumberOfBytes=1024)["Plaintext"]) == 1024
    with pytest.raises(ClientError) as too_many:
        kms.generate_random(NumberOfBytes=1025)
    assert error_code(too_many) == "ValidationException"
    assert kms.list_keys()["Keys"] == []  # no key was needed, and none exists


# -- imported key material (kms-050 to kms-052) ---------------------------------------------


def _import(kms: Any, key_id: str, material: bytes, **expiry: Any) -> None:
    params = kms.get_parameters_for_import(
        KeyId=key_id, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
    )
    wrapping_key = serialization.load_der_public_key(params["PublicKey"])
    assert isinstance(wrapping_key, rsa.RSAPublicKey)
    wrapped = wrapping_key.encrypt(
        material,
        padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None),
    )
    kms.import_key_material(
        KeyId=key_id,
        ImportToken=params["ImportToken"],
        EncryptedKeyMaterial=wrapped,
        **(expiry or {"ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"}),
    )


ORIGINAL_MATERIAL = hashlib.sha256(b"material generated in the on-premises HSM").digest()
FRESH_MATERIAL = hashlib.sha256(b"different material generated later").digest()


def test_reimport_requires_same_material(kms: Any, cloud: Cloud) -> None:
    """kms-050: expired material leaves the key PendingImport; only the same material helps."""
    key_id = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]["KeyId"]
    _import(
        kms,
        key_id,
        ORIGINAL_MATERIAL,
        ExpirationModel="KEY_MATERIAL_EXPIRES",
        ValidTo=cloud.clock.now() + _dt.timedelta(days=2),
    )
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"ledger")["CiphertextBlob"]

    cloud.clock.advance(days=3)  # the weekend passes; KMS deletes the expired material
    assert _state(kms, key_id) == "PendingImport"
    with pytest.raises(ClientError) as wrong_material:
        _import(kms, key_id, FRESH_MATERIAL)
    assert error_code(wrong_material) == "IncorrectKeyMaterialException"
    assert _state(kms, key_id) == "PendingImport"

    _import(kms, key_id, ORIGINAL_MATERIAL)
    assert _state(kms, key_id) == "Enabled"
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"ledger"


def test_deleting_imported_material_returns_key_to_pending_import(kms: Any) -> None:
    """kms-051: DeleteImportedKeyMaterial is immediate; the key and its metadata remain."""
    key_id = kms.create_key(Origin="EXTERNAL", Description="byok")["KeyMetadata"]["KeyId"]
    _import(kms, key_id, ORIGINAL_MATERIAL)
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"payroll")["CiphertextBlob"]

    kms.delete_imported_key_material(KeyId=key_id)
    metadata = kms.describe_key(KeyId=key_id)["KeyMetadata"]
    assert metadata["KeyState"] == "PendingImport"
    assert metadata["Description"] == "byok"
    with pytest.raises(ClientError) as unusable:
        kms.decrypt(CiphertextBlob=blob)
    assert error_code(unusable) == "KMSInvalidStateException"

    _import(kms, key_id, ORIGINAL_MATERIAL)  # the company's own copy brings the key back
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"payroll"


def test_external_origin_key_waits_for_import(kms: Any) -> None:
    """kms-052: an EXTERNAL key is PendingImport; Encrypt and EnableKey fail until import."""
    metadata = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]
    assert metadata["Origin"] == "EXTERNAL"
    assert metadata["KeyState"] == "PendingImport"
    assert metadata["Enabled"] is False
    with pytest.raises(ClientError) as encrypt:
        kms.encrypt(KeyId=metadata["KeyId"], Plaintext=b"x")
    assert error_code(encrypt) == "KMSInvalidStateException"
    with pytest.raises(ClientError) as enable:
        kms.enable_key(KeyId=metadata["KeyId"])
    assert error_code(enable) == "KMSInvalidStateException"
    assert _state(kms, metadata["KeyId"]) == "PendingImport"


# -- multi-Region keys (kms-029, kms-053, kms-054) ------------------------------------------


def test_multi_region_key_ids_start_with_mrk(kms: Any) -> None:
    """kms-053: multi-Region key IDs begin with mrk-; DescribeKey reports the configuration."""
    mrk = kms.create_key(MultiRegion=True)["KeyMetadata"]
    assert mrk["KeyId"].startswith("mrk-")
    assert len(mrk["KeyId"]) == len("mrk-") + 32
    assert mrk["MultiRegion"] is True
    described = kms.describe_key(KeyId=mrk["KeyId"])["KeyMetadata"]
    config = described["MultiRegionConfiguration"]
    assert config["MultiRegionKeyType"] == "PRIMARY"
    assert config["PrimaryKey"] == {"Arn": mrk["Arn"], "Region": REGION}

    single = kms.create_key()["KeyMetadata"]
    assert not single["KeyId"].startswith("mrk-")
    assert single["MultiRegion"] is False
    assert "MultiRegionConfiguration" not in single
    listed = {k["KeyId"] for k in kms.list_keys()["Keys"]}
    assert {k for k in listed if k.startswith("mrk-")} == {mrk["KeyId"]}


def _replicate(cloud: Cloud, primary: Any, key_id: str, region: str) -> Any:
    primary.replicate_key(KeyId=key_id, ReplicaRegion=region)
    cloud.clock.advance(minutes=5)  # replicas are Creating for a short while
    replica = cloud.client("kms", region_name=region)
    assert _state(replica, key_id) == "Enabled"
    return replica


def test_primary_with_replicas_waits_in_pending_replica_deletion(cloud: Cloud) -> None:
    """kms-029: the primary waits in PendingReplicaDeletion; its window starts after replicas."""
    primary = cloud.client("kms", region_name=REGION)
    key_id = primary.create_key(MultiRegion=True)["KeyMetadata"]["KeyId"]
    replicas = [_replicate(cloud, primary, key_id, r) for r in ("eu-west-1", "ap-southeast-2")]

    scheduled = primary.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    assert scheduled["KeyState"] == "PendingReplicaDeletion"
    cloud.clock.advance(days=60)
    assert _state(primary, key_id) == "PendingReplicaDeletion"  # may last indefinitely

    for replica in replicas:
        replica.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    cloud.clock.advance(days=7)
    for replica in replicas:
        with pytest.raises(ClientError) as gone:
            replica.describe_key(KeyId=key_id)
        assert error_code(gone) == "NotFoundException"
    assert _state(primary, key_id) == "PendingDeletion"  # the 7-day window starts now

    cloud.clock.advance(days=6)
    assert _state(primary, key_id) == "PendingDeletion"
    cloud.clock.advance(days=1)
    with pytest.raises(ClientError) as deleted:
        primary.describe_key(KeyId=key_id)
    assert error_code(deleted) == "NotFoundException"


def test_update_primary_region_swaps_roles(cloud: Cloud) -> None:
    """kms-054: UpdatePrimaryRegion moves the primary; the old primary can then be deleted alone."""
    east = cloud.client("kms", region_name=REGION)
    key_id = east.create_key(MultiRegion=True)["KeyMetadata"]["KeyId"]
    west = _replicate(cloud, east, key_id, "eu-west-1")
    blob = west.encrypt(KeyId=key_id, Plaintext=b"orders")["CiphertextBlob"]

    with pytest.raises(ClientError):
        west.replicate_key(KeyId=key_id, ReplicaRegion="ap-southeast-2")  # replicas can't

    east.update_primary_region(KeyId=key_id, PrimaryRegion="eu-west-1")
    cloud.clock.advance(minutes=5)  # Updating is transient
    config = west.describe_key(KeyId=key_id)["KeyMetadata"]["MultiRegionConfiguration"]
    assert config["MultiRegionKeyType"] == "PRIMARY"
    assert config["PrimaryKey"]["Region"] == "eu-west-1"
    east_config = east.describe_key(KeyId=key_id)["KeyMetadata"]["MultiRegionConfiguration"]
    assert east_config["MultiRegionKeyType"] == "REPLICA"

    scheduled = east.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    assert scheduled["KeyState"] == "PendingDeletion"
    _replicate(cloud, west, key_id, "ap-southeast-2")  # the new primary can be replicated
    cloud.clock.advance(days=7)
    with pytest.raises(ClientError):
        east.describe_key(KeyId=key_id)
    assert west.decrypt(CiphertextBlob=blob)["Plaintext"] == b"orders"


# -- quotas and throttling (kms-055, kms-056) -----------------------------------------------


def test_throttling_is_per_account_not_per_key_and_retries_recover(cloud: Cloud) -> None:
    """kms-055: symmetric operations on all keys share one rate; backoff and a higher quota help."""
    kms = cloud.client("kms", region_name=REGION, config=NO_RETRY)
    first = kms.create_key()["KeyMetadata"]
    second = kms.create_key()["KeyMetadata"]
    account = first["AWSAccountId"]
    cloud.quotas.adjust(account, SYMMETRIC_RATE, 3, region=REGION)  # a small stand-in quota
    cloud.throttling(True)

    kms.encrypt(KeyId=first["KeyId"], Plaintext=b"1")
    kms.encrypt(KeyId=first["KeyId"], Plaintext=b"2")
    kms.encrypt(KeyId=second["KeyId"], Plaintext=b"3")
    with pytest.raises(ClientError) as throttled:
        kms.encrypt(KeyId=second["KeyId"], Plaintext=b"4")  # another key does not help
    assert error_code(throttled) == "ThrottlingException"
    assert throttled.value.response["Error"]["Message"] == THROTTLED

    cloud.clock.advance(seconds=1)  # back off, then retry
    kms.encrypt(KeyId=second["KeyId"], Plaintext=b"4")

    cloud.quotas.adjust(account, SYMMETRIC_RATE, 10, region=REGION)  # the quota increase
    cloud.clock.advance(seconds=1)
    for n in range(10):
        kms.encrypt(KeyId=first["KeyId"], Plaintext=bytes([n]))


def test_cross_account_calls_count_against_the_caller(cloud: Cloud) -> None:
    """kms-056: account B's calls with account A's key use account B's request quota."""
    owner = cloud.client("kms", region_name=REGION, config=NO_RETRY)
    key_arn = owner.create_key()["KeyMetadata"]["Arn"]
    caller_account = cloud.create_account()
    caller = cloud.client(
        "kms", region_name=REGION, account_id=caller_account.account_id, config=NO_RETRY
    )
    cloud.quotas.adjust(caller_account.account_id, SYMMETRIC_RATE, 2, region=REGION)
    cloud.throttling(True)

    caller.encrypt(KeyId=key_arn, Plaintext=b"1")
    caller.encrypt(KeyId=key_arn, Plaintext=b"2")
    with pytest.raises(ClientError) as throttled:
        caller.encrypt(KeyId=key_arn, Plaintext=b"3")
    assert error_code(throttled) == "ThrottlingException"
    for n in range(5):  # the key owner's own quota is untouched
        owner.encrypt(KeyId=key_arn, Plaintext=bytes([n]))


# -- CloudTrail (kms-060) -------------------------------------------------------------------


def test_kms_calls_are_management_events_without_plaintext(
    kms: Any, cloud: Cloud, key: dict[str, Any]
) -> None:
    """kms-060: GenerateDataKey and Decrypt are management events; no plaintext is recorded."""
    context = {"case": "INV-2291"}
    data_key = kms.generate_data_key(
        KeyId=key["KeyId"], KeySpec="AES_256", EncryptionContext=context
    )
    kms.decrypt(CiphertextBlob=data_key["CiphertextBlob"], EncryptionContext=context)

    for name in ("GenerateDataKey", "Decrypt"):
        (record,) = _trail(cloud, name)
        assert record["managementEvent"] is True
        assert record["eventCategory"] == "Management"
        assert record["eventType"] == "AwsApiCall"
        assert record["readOnly"] is True
        assert record["responseElements"] is None
        assert record["requestParameters"]["encryptionContext"] == context
        logged = json.dumps(record, default=str)
        assert data_key["Plaintext"].hex() not in logged
        assert base64.b64encode(data_key["Plaintext"]).decode() not in logged
