"""KMS imported key material (BYOK): wrapping with ``cryptography`` exactly as a customer
would, import tokens that expire on the clock, material that expires and is re-imported,
DeleteImportedKeyMaterial, several materials with on-demand rotation, and snapshots."""

from __future__ import annotations

import datetime as _dt
import hashlib
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import hashes, keywrap, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from simulator import Cloud
from tests.conftest import error_code, error_message

MATERIAL = hashlib.sha256(b"customer key material, generated offline").digest()
OTHER = hashlib.sha256(b"some other key material").digest()
AES_KEY = hashlib.sha256(b"ephemeral AES wrapping key").digest()
NO_EXPIRY = {"ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"}


def wrap(public_der: bytes, material: bytes, algorithm: str) -> bytes:
    """Wrap material the way the KMS developer guide tells customers to (OpenSSL steps)."""
    public = serialization.load_der_public_key(public_der)
    assert isinstance(public, rsa.RSAPublicKey)
    digest: hashes.HashAlgorithm = hashes.SHA256() if algorithm.endswith("256") else hashes.SHA1()
    oaep = padding.OAEP(mgf=padding.MGF1(digest), algorithm=digest, label=None)
    if algorithm.startswith("RSAES_OAEP"):
        return public.encrypt(material, oaep)
    # RSA_AES_KEY_WRAP: RSA-OAEP(AES key) || AES key wrap with padding (RFC 5649)(material).
    return public.encrypt(AES_KEY, oaep) + keywrap.aes_key_wrap_with_padding(AES_KEY, material)


def parameters(kms: Any, key_id: str, algorithm: str = "RSAES_OAEP_SHA_256") -> dict[str, Any]:
    return dict(
        kms.get_parameters_for_import(
            KeyId=key_id, WrappingAlgorithm=algorithm, WrappingKeySpec="RSA_2048"
        )
    )


def import_material(
    kms: Any, key_id: str, material: bytes = MATERIAL, **kwargs: Any
) -> dict[str, Any]:
    params = parameters(kms, key_id)
    if "ValidTo" not in kwargs and "ExpirationModel" not in kwargs:
        kwargs.update(NO_EXPIRY)
    return dict(
        kms.import_key_material(
            KeyId=key_id,
            ImportToken=params["ImportToken"],
            EncryptedKeyMaterial=wrap(params["PublicKey"], material, "RSAES_OAEP_SHA_256"),
            **kwargs,
        )
    )


def external_key(kms: Any) -> dict[str, Any]:
    return dict(kms.create_key(Origin="EXTERNAL", Description="byok")["KeyMetadata"])


def test_import_happy_path(kms_any: Any, cloud: Cloud) -> None:
    meta = external_key(kms_any)
    key_id = meta["KeyId"]
    assert (meta["KeyState"], meta["Origin"], meta["Enabled"]) == (
        "PendingImport",
        "EXTERNAL",
        False,
    )
    assert "CurrentKeyMaterialId" not in meta and "ExpirationModel" not in meta
    with pytest.raises(ClientError) as exc:
        kms_any.encrypt(KeyId=key_id, Plaintext=b"x")
    assert (error_code(exc), error_message(exc)) == (
        "KMSInvalidStateException",
        f"{meta['Arn']} is pending import.",
    )
    params = parameters(kms_any, key_id)
    assert params["KeyId"] == meta["Arn"]
    assert params["ParametersValidTo"] == cloud.clock.now() + _dt.timedelta(hours=24)
    public = serialization.load_der_public_key(params["PublicKey"])
    assert isinstance(public, rsa.RSAPublicKey) and public.key_size == 2048
    out = kms_any.import_key_material(
        KeyId=key_id,
        ImportToken=params["ImportToken"],
        EncryptedKeyMaterial=wrap(params["PublicKey"], MATERIAL, "RSAES_OAEP_SHA_256"),
        ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE",
    )
    assert out["KeyId"] == meta["Arn"] and len(out["KeyMaterialId"]) == 64
    described = kms_any.describe_key(KeyId=key_id)["KeyMetadata"]
    assert (described["KeyState"], described["Enabled"]) == ("Enabled", True)
    assert described["ExpirationModel"] == "KEY_MATERIAL_DOES_NOT_EXPIRE"
    assert "ValidTo" not in described
    assert described["CurrentKeyMaterialId"] == out["KeyMaterialId"]
    blob = kms_any.encrypt(KeyId=key_id, Plaintext=b"bring your own key")["CiphertextBlob"]
    plain = kms_any.decrypt(CiphertextBlob=blob)
    assert plain["Plaintext"] == b"bring your own key"
    assert plain["KeyMaterialId"] == out["KeyMaterialId"]
    # The material itself never reaches the trail.
    assert all(MATERIAL.hex() not in str(r) for r in cloud.trail)


@pytest.mark.parametrize(
    ("algorithm", "spec", "bits"),
    [
        ("RSAES_OAEP_SHA_1", "RSA_2048", 2048),
        ("RSA_AES_KEY_WRAP_SHA_256", "RSA_2048", 2048),
        ("RSA_AES_KEY_WRAP_SHA_1", "RSA_3072", 3072),
    ],
)
def test_wrapping_algorithms(kms: Any, algorithm: str, spec: str, bits: int) -> None:
    key_id = external_key(kms)["KeyId"]
    params = kms.get_parameters_for_import(
        KeyId=key_id, WrappingAlgorithm=algorithm, WrappingKeySpec=spec
    )
    public = serialization.load_der_public_key(params["PublicKey"])
    assert isinstance(public, rsa.RSAPublicKey) and public.key_size == bits
    kms.import_key_material(
        KeyId=key_id,
        ImportToken=params["ImportToken"],
        EncryptedKeyMaterial=wrap(params["PublicKey"], MATERIAL, algorithm),
        **NO_EXPIRY,
    )
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"wrapped")["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"wrapped"


def test_same_material_gives_the_same_id_and_ciphertext_across_keys_stays_apart(kms: Any) -> None:
    a, b = external_key(kms)["KeyId"], external_key(kms)["KeyId"]
    id_a = import_material(kms, a)["KeyMaterialId"]
    id_b = import_material(kms, b)["KeyMaterialId"]
    assert id_a != id_b  # KMS derives the id from the key id and the material
    blob = kms.encrypt(KeyId=a, Plaintext=b"x")["CiphertextBlob"]
    with pytest.raises(ClientError) as exc:
        kms.decrypt(CiphertextBlob=blob, KeyId=b)
    assert error_code(exc) == "IncorrectKeyException"


def test_get_parameters_for_import_errors(kms: Any, cloud: Cloud) -> None:
    key_id = external_key(kms)["KeyId"]
    for algorithm, spec in (("RSAES_PKCS1_V1_5", "RSA_2048"), ("SM2PKE", "SM2")):
        with pytest.raises(ClientError) as exc:
            kms.get_parameters_for_import(
                KeyId=key_id, WrappingAlgorithm=algorithm, WrappingKeySpec=spec
            )
        assert error_code(exc) == "UnsupportedOperationException"
    assert "October 10, 2023" in error_message_of(kms, key_id, "RSAES_PKCS1_V1_5")
    native = kms.create_key()["KeyMetadata"]
    for call in (
        lambda: parameters(kms, native["KeyId"]),
        lambda: kms.delete_imported_key_material(KeyId=native["KeyId"]),
        lambda: kms.import_key_material(
            KeyId=native["KeyId"], ImportToken=b"t", EncryptedKeyMaterial=b"m", **NO_EXPIRY
        ),
    ):
        with pytest.raises(ClientError) as exc:
            call()
        assert (error_code(exc), error_message(exc)) == (
            "UnsupportedOperationException",
            f"{native['Arn']} origin is AWS_KMS which is not valid for this operation.",
        )
    kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    with pytest.raises(ClientError) as exc:
        parameters(kms, key_id)
    assert error_code(exc) == "KMSInvalidStateException"
    assert "pending deletion" in error_message(exc)


def error_message_of(kms: Any, key_id: str, algorithm: str) -> str:
    with pytest.raises(ClientError) as exc:
        kms.get_parameters_for_import(
            KeyId=key_id, WrappingAlgorithm=algorithm, WrappingKeySpec="RSA_2048"
        )
    return error_message(exc)


def test_import_token_expires_after_24_hours(kms: Any, cloud: Cloud) -> None:
    key_id = external_key(kms)["KeyId"]
    params = parameters(kms, key_id)
    wrapped = wrap(params["PublicKey"], MATERIAL, "RSAES_OAEP_SHA_256")
    cloud.clock.advance(hours=24)
    with pytest.raises(ClientError) as exc:
        kms.import_key_material(
            KeyId=key_id,
            ImportToken=params["ImportToken"],
            EncryptedKeyMaterial=wrapped,
            **NO_EXPIRY,
        )
    assert error_code(exc) == "ExpiredImportTokenException"
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingImport"
    # A fresh set made just under 24 hours ago still works.
    fresh = parameters(kms, key_id)
    cloud.clock.advance(hours=23, minutes=59)
    kms.import_key_material(
        KeyId=key_id,
        ImportToken=fresh["ImportToken"],
        EncryptedKeyMaterial=wrap(fresh["PublicKey"], MATERIAL, "RSAES_OAEP_SHA_256"),
        **NO_EXPIRY,
    )


def test_invalid_tokens_and_wrapped_material(kms: Any) -> None:
    key_id, other = external_key(kms)["KeyId"], external_key(kms)["KeyId"]
    params, other_params = parameters(kms, key_id), parameters(kms, other)
    wrapped = wrap(params["PublicKey"], MATERIAL, "RSAES_OAEP_SHA_256")
    for token in (b"not a token", other_params["ImportToken"]):
        with pytest.raises(ClientError) as exc:
            kms.import_key_material(
                KeyId=key_id, ImportToken=token, EncryptedKeyMaterial=wrapped, **NO_EXPIRY
            )
        assert error_code(exc) == "InvalidImportTokenException"
    # Wrapped under another key's public key, or with another algorithm: KMS cannot unwrap.
    for blob in (
        wrap(other_params["PublicKey"], MATERIAL, "RSAES_OAEP_SHA_256"),
        wrap(params["PublicKey"], MATERIAL, "RSAES_OAEP_SHA_1"),
        wrap(params["PublicKey"], MATERIAL, "RSA_AES_KEY_WRAP_SHA_256"),
    ):
        with pytest.raises(ClientError) as exc:
            kms.import_key_material(
                KeyId=key_id,
                ImportToken=params["ImportToken"],
                EncryptedKeyMaterial=blob,
                **NO_EXPIRY,
            )
        assert error_code(exc) == "InvalidCiphertextException"
    with pytest.raises(ClientError) as exc:
        kms.import_key_material(
            KeyId=key_id,
            ImportToken=params["ImportToken"],
            EncryptedKeyMaterial=wrap(params["PublicKey"], MATERIAL[:16], "RSAES_OAEP_SHA_256"),
            **NO_EXPIRY,
        )
    assert error_code(exc) == "IncorrectKeyMaterialException" and "256 bits" in error_message(exc)
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingImport"


def test_expiration_model_rules(kms: Any, cloud: Cloud) -> None:
    key_id = external_key(kms)["KeyId"]
    now = cloud.clock.now()
    for kwargs in (
        {},  # KEY_MATERIAL_EXPIRES is the default and needs ValidTo
        {"ValidTo": now - _dt.timedelta(seconds=1)},
        {"ValidTo": now + _dt.timedelta(days=366)},
        {"ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE", "ValidTo": now + _dt.timedelta(days=1)},
    ):
        params = parameters(kms, key_id)
        with pytest.raises(ClientError) as exc:
            kms.import_key_material(
                KeyId=key_id,
                ImportToken=params["ImportToken"],
                EncryptedKeyMaterial=wrap(params["PublicKey"], MATERIAL, "RSAES_OAEP_SHA_256"),
                **kwargs,
            )
        assert error_code(exc) == "ValidationException", kwargs
        assert "ValidTo" in error_message(exc)
    import_material(kms, key_id, ValidTo=now + _dt.timedelta(days=365))
    meta = kms.describe_key(KeyId=key_id)["KeyMetadata"]
    assert meta["ExpirationModel"] == "KEY_MATERIAL_EXPIRES"
    assert meta["ValidTo"] == now + _dt.timedelta(days=365)


def test_material_expires_on_the_clock_and_reimport_restores(kms: Any, cloud: Cloud) -> None:
    meta = external_key(kms)
    key_id, arn = meta["KeyId"], meta["Arn"]
    valid_to = cloud.clock.now() + _dt.timedelta(days=10)
    material_id = import_material(kms, key_id, ValidTo=valid_to)["KeyMaterialId"]
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"before expiry")["CiphertextBlob"]
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["ValidTo"] == valid_to
    cloud.clock.advance(days=10)
    described = kms.describe_key(KeyId=key_id)["KeyMetadata"]
    assert described["KeyState"] == "PendingImport" and "ValidTo" not in described
    with pytest.raises(ClientError) as exc:
        kms.decrypt(CiphertextBlob=blob)
    assert error_code(exc) == "KMSInvalidStateException"
    (record,) = cloud.trail.events(event_name="DeleteExpiredKeyMaterial")
    assert record["eventType"] == "AwsServiceEvent"
    assert record["eventTime"] == valid_to.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert record["serviceEventDetails"] == {"keyId": key_id, "keyMaterialId": material_id}
    (event,) = [
        e
        for e in cloud.events.history
        if e["detail-type"] == "KMS Imported Key Material Expiration"
    ]
    assert (event["source"], event["resources"]) == ("aws.kms", [arn])
    assert event["detail"] == {"key-id": key_id, "key-material-id": material_id}
    (entry,) = kms.list_key_rotations(KeyId=key_id, IncludeKeyMaterial="ALL_KEY_MATERIAL")[
        "Rotations"
    ]
    assert (entry["KeyMaterialId"], entry["ImportState"], entry["KeyMaterialState"]) == (
        material_id,
        "PENDING_IMPORT",
        "CURRENT",
    )
    # Different material cannot take its place; the same material brings the key back.
    with pytest.raises(ClientError) as exc:
        import_material(kms, key_id, OTHER)
    assert error_code(exc) == "IncorrectKeyMaterialException"
    again = import_material(kms, key_id)
    assert again["KeyMaterialId"] == material_id
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled"
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"before expiry"


def test_reimport_changes_expiry_and_cancels_the_old_job(kms: Any, cloud: Cloud) -> None:
    key_id = external_key(kms)["KeyId"]
    import_material(kms, key_id, ValidTo=cloud.clock.now() + _dt.timedelta(days=5))
    import_material(kms, key_id, **NO_EXPIRY)  # re-import, same material, no expiry now
    meta = kms.describe_key(KeyId=key_id)["KeyMetadata"]
    assert meta["ExpirationModel"] == "KEY_MATERIAL_DOES_NOT_EXPIRE" and "ValidTo" not in meta
    cloud.clock.advance(days=30)
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled"
    assert cloud.trail.events(event_name="DeleteExpiredKeyMaterial") == []
    with pytest.raises(ClientError) as exc:
        import_material(kms, key_id, OTHER)
    assert error_code(exc) == "IncorrectKeyMaterialException"


def test_delete_imported_key_material(kms: Any, cloud: Cloud) -> None:
    meta = external_key(kms)
    key_id = meta["KeyId"]
    assert kms.delete_imported_key_material(KeyId=key_id)["KeyId"] == meta["Arn"]  # no effect
    material_id = import_material(kms, key_id, ValidTo=cloud.clock.now() + _dt.timedelta(days=3))[
        "KeyMaterialId"
    ]
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"halt")["CiphertextBlob"]
    out = kms.delete_imported_key_material(KeyId=key_id)
    assert (out["KeyId"], out["KeyMaterialId"]) == (meta["Arn"], material_id)
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingImport"
    with pytest.raises(ClientError) as exc:
        kms.decrypt(CiphertextBlob=blob)
    assert error_code(exc) == "KMSInvalidStateException"
    cloud.clock.advance(days=5)  # the expiry job went with the material
    assert cloud.trail.events(event_name="DeleteExpiredKeyMaterial") == []
    with pytest.raises(ClientError) as exc:
        kms.delete_imported_key_material(KeyId=key_id, KeyMaterialId="0" * 64)
    assert error_code(exc) == "NotFoundException"
    import_material(kms, key_id)
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"halt"

    # K-DIKM: on a key pending deletion the state does not change.
    kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    kms.delete_imported_key_material(KeyId=key_id)
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingDeletion"
    kms.cancel_key_deletion(KeyId=key_id)
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Disabled"
    # Without its material the key cannot be enabled; it waits for the import.
    kms.enable_key(KeyId=key_id)
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingImport"
    import_material(kms, key_id)
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"halt"


def test_new_key_material_and_on_demand_rotation(kms: Any, cloud: Cloud) -> None:
    key_id = external_key(kms)["KeyId"]
    first = import_material(kms, key_id)["KeyMaterialId"]
    old = kms.encrypt(KeyId=key_id, Plaintext=b"first era")["CiphertextBlob"]
    with pytest.raises(ClientError) as exc:
        kms.rotate_key_on_demand(KeyId=key_id)
    assert error_code(exc) == "UnsupportedOperationException"
    assert "PENDING_ROTATION" in error_message(exc)
    with pytest.raises(ClientError) as exc:
        import_material(kms, key_id, ImportType="NEW_KEY_MATERIAL")  # already associated
    assert error_code(exc) == "IncorrectKeyMaterialException"
    with pytest.raises(ClientError) as exc:
        import_material(kms, key_id, OTHER, ImportType="NEW_KEY_MATERIAL", KeyMaterialId=first)
    assert error_code(exc) == "ValidationException"
    second = import_material(
        kms, key_id, OTHER, ImportType="NEW_KEY_MATERIAL", KeyMaterialDescription="q3 material"
    )["KeyMaterialId"]
    with pytest.raises(ClientError) as exc:
        import_material(
            kms, key_id, hashlib.sha256(b"third").digest(), ImportType="NEW_KEY_MATERIAL"
        )
    assert error_code(exc) == "KMSInvalidStateException"
    with pytest.raises(ClientError) as exc:
        import_material(kms, key_id, OTHER, KeyMaterialId=first)  # EXISTING, wrong id
    assert error_code(exc) == "IncorrectKeyMaterialException"
    listed = kms.list_key_rotations(KeyId=key_id, IncludeKeyMaterial="ALL_KEY_MATERIAL")
    assert [(r["KeyMaterialId"], r["KeyMaterialState"]) for r in listed["Rotations"]] == [
        (first, "CURRENT"),
        (second, "PENDING_ROTATION"),
    ]
    assert listed["Rotations"][1]["KeyMaterialDescription"] == "q3 material"
    assert kms.list_key_rotations(KeyId=key_id)["Rotations"] == []
    # Still encrypting under the first material until the rotation.
    assert kms.encrypt(KeyId=key_id, Plaintext=b"x")["KeyId"]
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["CurrentKeyMaterialId"] == first

    assert kms.rotate_key_on_demand(KeyId=key_id)["KeyId"] == key_id
    (rotation,) = kms.list_key_rotations(KeyId=key_id)["Rotations"]
    assert (rotation["KeyMaterialId"], rotation["RotationType"], rotation["KeyMaterialState"]) == (
        second,
        "ON_DEMAND",
        "CURRENT",
    )
    assert rotation["RotationDate"] == cloud.clock.now()
    new = kms.encrypt(KeyId=key_id, Plaintext=b"second era")["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=new)["KeyMaterialId"] == second
    assert kms.decrypt(CiphertextBlob=old)["KeyMaterialId"] == first
    (record,) = cloud.trail.events(event_name="RotateKey")
    assert record["serviceEventDetails"]["keyOrigin"] == "EXTERNAL"
    assert record["serviceEventDetails"]["previousKeyMaterialId"] == first

    # Deleting pending material removes it; deleting a permanent one needs a re-import.
    third = import_material(
        kms, key_id, hashlib.sha256(b"third").digest(), ImportType="NEW_KEY_MATERIAL"
    )["KeyMaterialId"]
    kms.delete_imported_key_material(KeyId=key_id, KeyMaterialId=third)
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled"
    ids = [
        r["KeyMaterialId"]
        for r in kms.list_key_rotations(KeyId=key_id, IncludeKeyMaterial="ALL_KEY_MATERIAL")[
            "Rotations"
        ]
    ]
    assert ids == [first, second]
    kms.delete_imported_key_material(KeyId=key_id, KeyMaterialId=first)
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingImport"
    import_material(kms, key_id, KeyMaterialId=first)  # EXISTING with the right id
    assert kms.decrypt(CiphertextBlob=old)["Plaintext"] == b"first era"


def test_snapshot_keeps_import_state(tmp_path: Path) -> None:
    cloud = Cloud(seed=5)
    kms = cloud.client("kms")
    key_id = external_key(kms)["KeyId"]
    material_id = import_material(kms, key_id, ValidTo=cloud.clock.now() + _dt.timedelta(days=2))[
        "KeyMaterialId"
    ]
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"saved")["CiphertextBlob"]
    pending = external_key(kms)["KeyId"]
    params = parameters(kms, pending)  # handed out before the save, used after the load
    path = cloud.save(tmp_path / "world.json")
    assert MATERIAL.hex() not in path.read_text()
    loaded = Cloud.load(path)
    kms2 = loaded.client("kms")
    assert kms2.decrypt(CiphertextBlob=blob)["Plaintext"] == b"saved"
    kms2.import_key_material(
        KeyId=pending,
        ImportToken=params["ImportToken"],
        EncryptedKeyMaterial=wrap(params["PublicKey"], OTHER, "RSAES_OAEP_SHA_256"),
        **NO_EXPIRY,
    )
    assert kms2.describe_key(KeyId=pending)["KeyMetadata"]["KeyState"] == "Enabled"
    loaded.clock.advance(days=2)  # the expiry scheduled before the save runs after the load
    assert kms2.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingImport"
    (record,) = loaded.trail.events(event_name="DeleteExpiredKeyMaterial")
    assert record["serviceEventDetails"]["keyMaterialId"] == material_id
    import_material(kms2, key_id)
    assert kms2.decrypt(CiphertextBlob=blob)["Plaintext"] == b"saved"
