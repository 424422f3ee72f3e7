"""KMS asymmetric and HMAC keys: specs and usages, Sign/Verify, GenerateMac/VerifyMac,
GetPublicKey, RSA Encrypt/Decrypt, ReEncrypt, GenerateDataKeyPair*, DeriveSharedSecret, and the
errors AWS documents for each (facts sheet 1.2-1.4, 1.12, 1.13)."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from simulator import Cloud
from simulator.services.kms import asymmetric, key_specs
from tests.conftest import error_code, error_message
from tests.services.kms.test_kms_interop import seeded_world

MESSAGE = b"sign me"
CTX = {"app": "lab"}

# (KeySpec, KeyUsage) -> the algorithm list DescribeKey shows (K-ASYM, K-MAC, K-DSS).
RSA_SIGNING = [
    "RSASSA_PKCS1_V1_5_SHA_256",
    "RSASSA_PKCS1_V1_5_SHA_384",
    "RSASSA_PKCS1_V1_5_SHA_512",
    "RSASSA_PSS_SHA_256",
    "RSASSA_PSS_SHA_384",
    "RSASSA_PSS_SHA_512",
]
SPECS: dict[tuple[str, str], tuple[str, list[str]]] = {
    ("ECC_NIST_P256", "SIGN_VERIFY"): ("SigningAlgorithms", ["ECDSA_SHA_256"]),
    ("ECC_NIST_P384", "SIGN_VERIFY"): ("SigningAlgorithms", ["ECDSA_SHA_384"]),
    ("ECC_NIST_P521", "SIGN_VERIFY"): ("SigningAlgorithms", ["ECDSA_SHA_512"]),
    ("ECC_SECG_P256K1", "SIGN_VERIFY"): ("SigningAlgorithms", ["ECDSA_SHA_256"]),
    ("ECC_NIST_P256", "KEY_AGREEMENT"): ("KeyAgreementAlgorithms", ["ECDH"]),
    ("ECC_NIST_P384", "KEY_AGREEMENT"): ("KeyAgreementAlgorithms", ["ECDH"]),
    ("ECC_NIST_P521", "KEY_AGREEMENT"): ("KeyAgreementAlgorithms", ["ECDH"]),
    ("ECC_NIST_EDWARDS25519", "SIGN_VERIFY"): (
        "SigningAlgorithms",
        ["ED25519_SHA_512", "ED25519_PH_SHA_512"],
    ),
    ("HMAC_224", "GENERATE_VERIFY_MAC"): ("MacAlgorithms", ["HMAC_SHA_224"]),
    ("HMAC_256", "GENERATE_VERIFY_MAC"): ("MacAlgorithms", ["HMAC_SHA_256"]),
    ("HMAC_384", "GENERATE_VERIFY_MAC"): ("MacAlgorithms", ["HMAC_SHA_384"]),
    ("HMAC_512", "GENERATE_VERIFY_MAC"): ("MacAlgorithms", ["HMAC_SHA_512"]),
}
RSA_SPECS = {
    **{(f"RSA_{b}", "SIGN_VERIFY"): ("SigningAlgorithms", RSA_SIGNING) for b in (2048, 3072)},
    **{
        (f"RSA_{b}", "ENCRYPT_DECRYPT"): (
            "EncryptionAlgorithms",
            ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"],
        )
        for b in (2048, 4096)
    },
}
ALGORITHM_LISTS = [
    "EncryptionAlgorithms",
    "SigningAlgorithms",
    "MacAlgorithms",
    "KeyAgreementAlgorithms",
]


@pytest.fixture(scope="module")
def world() -> tuple[Cloud, Any, dict[tuple[str, str], str]]:
    return seeded_world()  # the same keys as the interop tests (memoized RSA generation)


@pytest.fixture(scope="module")
def kms(world: tuple[Cloud, Any, dict[tuple[str, str], str]]) -> Any:
    return world[1]


@pytest.fixture(scope="module")
def keys(world: tuple[Cloud, Any, dict[tuple[str, str], str]]) -> dict[tuple[str, str], str]:
    return world[2]


def new_key(client: Any, spec: str, usage: str) -> str:
    return str(client.create_key(KeySpec=spec, KeyUsage=usage)["KeyMetadata"]["KeyId"])


def fails(call: Any, **kwargs: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as exc:
        call(**kwargs)
    return error_code(exc), error_message(exc)


# -- CreateKey / DescribeKey ------------------------------------------------------------------
def test_every_spec_creates_and_describes(kms_any: Any) -> None:
    for (spec, usage), (field, algorithms) in SPECS.items():
        meta = kms_any.create_key(KeySpec=spec, KeyUsage=usage)["KeyMetadata"]
        described = kms_any.describe_key(KeyId=meta["KeyId"])["KeyMetadata"]
        for m in (meta, described):
            assert (m["KeySpec"], m["KeyUsage"], m["KeyState"]) == (spec, usage, "Enabled")
            assert m["CustomerMasterKeySpec"] == spec and m[field] == algorithms
            # K-MODEL: only the list of the key's usage appears.
            assert [f for f in ALGORITHM_LISTS if f in m] == [field]


@pytest.mark.parametrize(("spec", "usage"), list(RSA_SPECS))
def test_rsa_specs_describe_their_usage(
    kms: Any, keys: dict[Any, str], spec: str, usage: str
) -> None:
    field, algorithms = RSA_SPECS[(spec, usage)]
    meta = kms.describe_key(KeyId=keys[(spec, usage)])["KeyMetadata"]
    assert (meta["KeySpec"], meta["KeyUsage"], meta[field]) == (spec, usage, algorithms)
    assert [f for f in ALGORITHM_LISTS if f in meta] == [field]


@pytest.mark.parametrize(
    ("spec", "usage"),
    [
        ("ECC_SECG_P256K1", "KEY_AGREEMENT"),
        ("ECC_NIST_EDWARDS25519", "KEY_AGREEMENT"),
        ("RSA_2048", "KEY_AGREEMENT"),
        ("RSA_2048", "GENERATE_VERIFY_MAC"),
        ("ECC_NIST_P256", "ENCRYPT_DECRYPT"),
        ("HMAC_256", "SIGN_VERIFY"),
        ("SYMMETRIC_DEFAULT", "SIGN_VERIFY"),
        ("ECC_NIST_P384", None),  # the default usage, ENCRYPT_DECRYPT, does not fit ECC
        ("HMAC_512", None),  # K-CREATE: HMAC keys need KeyUsage passed explicitly
    ],
)
def test_incompatible_usage_is_a_validation_error(kms: Any, spec: str, usage: str | None) -> None:
    before = len(kms.list_keys()["Keys"])
    kwargs = {"KeySpec": spec} | ({"KeyUsage": usage} if usage else {})
    code, message = fails(kms.create_key, **kwargs)
    assert code == "ValidationException" and spec in message
    assert len(kms.list_keys()["Keys"]) == before


@pytest.mark.parametrize(
    ("spec", "usage", "why"),
    [
        ("SM2", "SIGN_VERIFY", "China"),
        ("ML_DSA_65", "SIGN_VERIFY", "ML-DSA"),
        ("ML_KEM_768", "SIGN_VERIFY", "ML-KEM"),
    ],
)
def test_unsimulated_specs_say_why(kms: Any, spec: str, usage: str, why: str) -> None:
    code, message = fails(kms.create_key, KeySpec=spec, KeyUsage=usage)
    assert code == "NotSimulatedException" and spec in message and why in message


def test_asymmetric_keys_need_an_explicit_key_usage(kms_any: Any) -> None:
    # K-CREATE: KeyUsage "is optional when you are creating a symmetric encryption KMS key;
    # otherwise, it is required".
    for spec in ("RSA_2048", "ECC_NIST_P256", "HMAC_256"):
        with pytest.raises(ClientError) as exc:
            kms_any.create_key(KeySpec=spec)
        assert error_code(exc) == "ValidationException"
    meta = kms_any.create_key(KeySpec="RSA_2048", KeyUsage="ENCRYPT_DECRYPT")["KeyMetadata"]
    assert meta["EncryptionAlgorithms"] == ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"]


# -- Sign / Verify ----------------------------------------------------------------------------
SIGNERS = [("RSA_2048", a) for a in RSA_SIGNING] + [
    ("ECC_NIST_P256", "ECDSA_SHA_256"),
    ("ECC_NIST_P384", "ECDSA_SHA_384"),
    ("ECC_NIST_P521", "ECDSA_SHA_512"),
    ("ECC_SECG_P256K1", "ECDSA_SHA_256"),
]


@pytest.mark.parametrize(("spec", "algorithm"), SIGNERS)
def test_sign_and_verify_raw_and_digest(
    kms: Any, keys: dict[Any, str], spec: str, algorithm: str
) -> None:
    key_id = keys[(spec, "SIGN_VERIFY")]
    out = kms.sign(KeyId=key_id, Message=MESSAGE, SigningAlgorithm=algorithm)
    assert out["KeyId"].endswith(key_id) and out["SigningAlgorithm"] == algorithm
    ok = kms.verify(
        KeyId=key_id, Message=MESSAGE, Signature=out["Signature"], SigningAlgorithm=algorithm
    )
    assert ok["SignatureValid"] is True and ok["SigningAlgorithm"] == algorithm
    # K-VERIFY: the message type need not match the one used to sign.
    digest = hashlib.new(asymmetric.hash_for(algorithm).name, MESSAGE).digest()
    ok = kms.verify(
        KeyId=key_id,
        Message=digest,
        MessageType="DIGEST",
        Signature=out["Signature"],
        SigningAlgorithm=algorithm,
    )
    assert ok["SignatureValid"] is True
    code, _ = fails(
        kms.verify,
        KeyId=key_id,
        Message=MESSAGE + b"?",
        Signature=out["Signature"],
        SigningAlgorithm=algorithm,
    )
    assert code == "KMSInvalidSignatureException"


def test_tampered_signature_wrong_algorithm_or_key_fail_verification(
    kms_any: Any,
) -> None:
    key_id = new_key(kms_any, "ECC_NIST_P256", "SIGN_VERIFY")
    other = new_key(kms_any, "ECC_NIST_P256", "SIGN_VERIFY")
    sig = kms_any.sign(KeyId=key_id, Message=MESSAGE, SigningAlgorithm="ECDSA_SHA_256")["Signature"]
    tampered = sig[:-1] + bytes([sig[-1] ^ 1])
    for kid, signature in ((key_id, tampered), (other, sig), (key_id, b"\x30\x00")):
        code, _ = fails(
            kms_any.verify,
            KeyId=kid,
            Message=MESSAGE,
            Signature=signature,
            SigningAlgorithm="ECDSA_SHA_256",
        )
        assert code == "KMSInvalidSignatureException"


def test_rsa_pss_and_pkcs1_signatures_are_not_interchangeable(
    kms: Any, keys: dict[Any, str]
) -> None:
    key_id = keys[("RSA_2048", "SIGN_VERIFY")]
    sig = kms.sign(KeyId=key_id, Message=MESSAGE, SigningAlgorithm="RSASSA_PSS_SHA_256")
    code, _ = fails(
        kms.verify,
        KeyId=key_id,
        Message=MESSAGE,
        Signature=sig["Signature"],
        SigningAlgorithm="RSASSA_PKCS1_V1_5_SHA_256",
    )
    assert code == "KMSInvalidSignatureException"


def test_digest_must_match_the_hash_length(kms_any: Any) -> None:
    key_id = new_key(kms_any, "ECC_NIST_P256", "SIGN_VERIFY")
    params = {"KeyId": key_id, "MessageType": "DIGEST", "SigningAlgorithm": "ECDSA_SHA_256"}
    assert kms_any.sign(Message=b"d" * 32, **params)["Signature"]
    for length in (31, 33, 48):
        code, message = fails(kms_any.sign, Message=b"d" * length, **params)
        assert code == "ValidationException" and "32" in message and str(length) in message


def test_algorithm_must_suit_the_key_spec(kms: Any, keys: dict[Any, str]) -> None:
    for spec, algorithm in (
        ("ECC_NIST_P256", "ECDSA_SHA_384"),
        ("ECC_NIST_P384", "RSASSA_PSS_SHA_384"),
        ("RSA_2048", "ECDSA_SHA_256"),
        ("ECC_NIST_EDWARDS25519", "ECDSA_SHA_512"),
    ):
        code, message = fails(
            kms.sign,
            KeyId=keys[(spec, "SIGN_VERIFY")],
            Message=MESSAGE,
            SigningAlgorithm=algorithm,
        )
        assert code == "InvalidKeyUsageException"
        assert message == f"Algorithm {algorithm} is incompatible with key spec {spec}."


def test_wrong_key_usage_for_each_operation(kms: Any, keys: dict[Any, str]) -> None:
    enc = keys[("RSA_2048", "ENCRYPT_DECRYPT")]
    sign = keys[("ECC_NIST_P256", "SIGN_VERIFY")]
    agree = keys[("ECC_NIST_P256", "KEY_AGREEMENT")]
    sym = keys[("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT")]
    cases = [
        (kms.sign, {"KeyId": enc, "Message": MESSAGE, "SigningAlgorithm": "RSASSA_PSS_SHA_256"}),
        (kms.sign, {"KeyId": agree, "Message": MESSAGE, "SigningAlgorithm": "ECDSA_SHA_256"}),
        (kms.generate_mac, {"KeyId": sym, "Message": MESSAGE, "MacAlgorithm": "HMAC_SHA_256"}),
        (kms.encrypt, {"KeyId": sign, "Plaintext": b"p"}),
        (
            kms.derive_shared_secret,
            {"KeyId": sign, "KeyAgreementAlgorithm": "ECDH"}
            | {"PublicKey": kms.get_public_key(KeyId=agree)["PublicKey"]},
        ),
        (kms.generate_data_key, {"KeyId": sign, "KeySpec": "AES_256"}),
    ]
    for call, kwargs in cases:
        code, message = fails(call, **kwargs)
        assert code == "InvalidKeyUsageException" and "key usage is" in message


def test_message_type_rules_for_ed25519_and_external_mu(kms: Any, keys: dict[Any, str]) -> None:
    ed = keys[("ECC_NIST_EDWARDS25519", "SIGN_VERIFY")]
    digest = hashlib.sha512(MESSAGE).digest()
    cases = [
        (ed, "ED25519_SHA_512", "DIGEST", digest, "ValidationException"),
        (ed, "ED25519_PH_SHA_512", "RAW", MESSAGE, "ValidationException"),
        (ed, "ED25519_PH_SHA_512", "DIGEST", digest, "NotSimulatedException"),
        (
            keys[("ECC_NIST_P256", "SIGN_VERIFY")],
            "ECDSA_SHA_256",
            "EXTERNAL_MU",
            b"m" * 64,
            "ValidationException",
        ),
    ]
    for key_id, algorithm, message_type, message, expected in cases:
        code, _ = fails(
            kms.sign,
            KeyId=key_id,
            Message=message,
            MessageType=message_type,
            SigningAlgorithm=algorithm,
        )
        assert code == expected, (algorithm, message_type)


def test_sign_respects_key_state_dry_run_and_size(kms_any: Any) -> None:
    key_id = new_key(kms_any, "ECC_NIST_P256", "SIGN_VERIFY")
    params = {"KeyId": key_id, "Message": MESSAGE, "SigningAlgorithm": "ECDSA_SHA_256"}
    assert fails(kms_any.sign, **params, DryRun=True)[0] == "DryRunOperationException"
    code, message = fails(kms_any.sign, **(params | {"Message": b"x" * 4097}))
    assert code == "ValidationException" and "4096" in message
    kms_any.disable_key(KeyId=key_id)
    assert fails(kms_any.sign, **params)[0] == "DisabledException"
    assert fails(kms_any.get_public_key, KeyId=key_id)[0] == "DisabledException"
    kms_any.enable_key(KeyId=key_id)
    kms_any.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    assert fails(kms_any.sign, **params)[0] == "KMSInvalidStateException"


# -- GenerateMac / VerifyMac ------------------------------------------------------------------
@pytest.mark.parametrize("bits", [224, 256, 384, 512])
def test_generate_and_verify_mac(kms: Any, bits: int) -> None:
    key_id = new_key(kms, f"HMAC_{bits}", "GENERATE_VERIFY_MAC")
    algorithm = f"HMAC_SHA_{bits}"
    out = kms.generate_mac(KeyId=key_id, Message=MESSAGE, MacAlgorithm=algorithm)
    assert len(out["Mac"]) == bits // 8 and out["MacAlgorithm"] == algorithm
    assert out["KeyId"].endswith(key_id)
    again = kms.generate_mac(KeyId=key_id, Message=MESSAGE, MacAlgorithm=algorithm)
    assert again["Mac"] == out["Mac"]  # HMAC is deterministic
    ok = kms.verify_mac(KeyId=key_id, Message=MESSAGE, MacAlgorithm=algorithm, Mac=out["Mac"])
    assert ok["MacValid"] is True and ok["MacAlgorithm"] == algorithm
    for message, mac in ((MESSAGE + b"!", out["Mac"]), (MESSAGE, out["Mac"][:-1])):
        code, _ = fails(
            kms.verify_mac, KeyId=key_id, Message=message, MacAlgorithm=algorithm, Mac=mac
        )
        assert code == "KMSInvalidMacException"
    other = "HMAC_SHA_256" if bits != 256 else "HMAC_SHA_512"
    code, message = fails(kms.generate_mac, KeyId=key_id, Message=MESSAGE, MacAlgorithm=other)
    assert code == "InvalidKeyUsageException"
    assert message == f"Algorithm {other} is incompatible with key spec HMAC_{bits}."


def test_mac_keys_differ_and_refuse_other_operations(kms_any: Any) -> None:
    a = new_key(kms_any, "HMAC_256", "GENERATE_VERIFY_MAC")
    b = new_key(kms_any, "HMAC_256", "GENERATE_VERIFY_MAC")
    mac = kms_any.generate_mac(KeyId=a, Message=MESSAGE, MacAlgorithm="HMAC_SHA_256")["Mac"]
    code, _ = fails(
        kms_any.verify_mac, KeyId=b, Message=MESSAGE, MacAlgorithm="HMAC_SHA_256", Mac=mac
    )
    assert code == "KMSInvalidMacException"
    assert fails(kms_any.encrypt, KeyId=a, Plaintext=b"p")[0] == "InvalidKeyUsageException"
    assert fails(kms_any.get_public_key, KeyId=a)[0] == "UnsupportedOperationException"


# -- GetPublicKey -----------------------------------------------------------------------------
def test_get_public_key_fields_per_usage(kms: Any, keys: dict[Any, str]) -> None:
    for (spec, usage), key_id in keys.items():
        if spec == "SYMMETRIC_DEFAULT":
            code, message = fails(kms.get_public_key, KeyId=key_id)
            assert code == "UnsupportedOperationException" and "asymmetric" in message
            continue
        out = kms.get_public_key(KeyId=key_id)
        assert (out["KeySpec"], out["CustomerMasterKeySpec"], out["KeyUsage"]) == (
            spec,
            spec,
            usage,
        )
        info = key_specs.lookup(spec)
        expected = {
            "ENCRYPT_DECRYPT": ("EncryptionAlgorithms", list(info.encryption_algorithms)),
            "SIGN_VERIFY": ("SigningAlgorithms", list(info.signing_algorithms)),
            "KEY_AGREEMENT": ("KeyAgreementAlgorithms", list(info.key_agreement_algorithms)),
        }[usage]
        assert [f for f in ALGORITHM_LISTS if f in out] == [expected[0]]
        assert out[expected[0]] == expected[1]
        assert out["PublicKey"] == kms.get_public_key(KeyId=key_id)["PublicKey"]


# -- RSA Encrypt / Decrypt --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("bits", "algorithm", "limit"),
    [
        (2048, "RSAES_OAEP_SHA_1", 214),
        (2048, "RSAES_OAEP_SHA_256", 190),
        (4096, "RSAES_OAEP_SHA_1", 470),
        (4096, "RSAES_OAEP_SHA_256", 446),
    ],
)
def test_rsa_encrypt_round_trip_and_plaintext_limit(
    kms: Any, keys: dict[Any, str], bits: int, algorithm: str, limit: int
) -> None:
    key_id = keys[(f"RSA_{bits}", "ENCRYPT_DECRYPT")]
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"k" * limit, EncryptionAlgorithm=algorithm)
    assert blob["EncryptionAlgorithm"] == algorithm
    out = kms.decrypt(
        CiphertextBlob=blob["CiphertextBlob"], KeyId=key_id, EncryptionAlgorithm=algorithm
    )
    assert out["Plaintext"] == b"k" * limit and out["EncryptionAlgorithm"] == algorithm
    code, message = fails(
        kms.encrypt, KeyId=key_id, Plaintext=b"k" * (limit + 1), EncryptionAlgorithm=algorithm
    )
    assert code == "ValidationException" and str(limit) in message


def test_rsa_decrypt_needs_key_algorithm_and_the_right_ones(kms: Any, keys: dict[Any, str]) -> None:
    key_id = keys[("RSA_2048", "ENCRYPT_DECRYPT")]
    other = keys[("RSA_4096", "ENCRYPT_DECRYPT")]
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"p", EncryptionAlgorithm="RSAES_OAEP_SHA_256")[
        "CiphertextBlob"
    ]
    # K-DEC: no metadata in asymmetric ciphertext, so KMS cannot find the key on its own.
    assert fails(kms.decrypt, CiphertextBlob=blob)[0] == "InvalidCiphertextException"
    for kid, algorithm in ((key_id, "RSAES_OAEP_SHA_1"), (other, "RSAES_OAEP_SHA_256")):
        code, _ = fails(kms.decrypt, CiphertextBlob=blob, KeyId=kid, EncryptionAlgorithm=algorithm)
        assert code == "InvalidCiphertextException"
    code, message = fails(kms.decrypt, CiphertextBlob=blob, KeyId=key_id)
    assert code == "InvalidKeyUsageException"
    assert message == "Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048."
    code, _ = fails(kms.encrypt, KeyId=key_id, Plaintext=b"p")
    assert code == "InvalidKeyUsageException"
    sym = keys[("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT")]
    code, message = fails(
        kms.encrypt, KeyId=sym, Plaintext=b"p", EncryptionAlgorithm="RSAES_OAEP_SHA_256"
    )
    assert code == "InvalidKeyUsageException"
    assert message.endswith("incompatible with key spec SYMMETRIC_DEFAULT.")


def test_encryption_context_is_refused_with_rsa_keys(kms: Any, keys: dict[Any, str]) -> None:
    key_id = keys[("RSA_2048", "ENCRYPT_DECRYPT")]
    params = {"KeyId": key_id, "EncryptionAlgorithm": "RSAES_OAEP_SHA_256"}
    code, message = fails(kms.encrypt, Plaintext=b"p", EncryptionContext=CTX, **params)
    assert code == "ValidationException" and "EncryptionContext" in message
    blob = kms.encrypt(Plaintext=b"p", **params)["CiphertextBlob"]
    code, _ = fails(kms.decrypt, CiphertextBlob=blob, EncryptionContext=CTX, **params)
    assert code == "ValidationException"
    assert fails(kms.encrypt, Plaintext=b"p", DryRun=True, **params)[0] == (
        "DryRunOperationException"
    )
    assert fails(kms.decrypt, CiphertextBlob=blob, DryRun=True, **params)[0] == (
        "DryRunOperationException"
    )


# -- ReEncrypt --------------------------------------------------------------------------------
def test_reencrypt_between_symmetric_keys_and_contexts(kms_any: Any) -> None:
    a = kms_any.create_key()["KeyMetadata"]
    b = kms_any.create_key()["KeyMetadata"]
    blob = kms_any.encrypt(KeyId=a["KeyId"], Plaintext=b"move me", EncryptionContext=CTX)[
        "CiphertextBlob"
    ]
    # K-REENC: SourceKeyId is optional for symmetric ciphertext.
    out = kms_any.re_encrypt(
        CiphertextBlob=blob,
        SourceEncryptionContext=CTX,
        DestinationKeyId=b["KeyId"],
        DestinationEncryptionContext={"app": "new"},
    )
    assert (out["SourceKeyId"], out["KeyId"]) == (a["Arn"], b["Arn"])
    assert out["SourceEncryptionAlgorithm"] == out["DestinationEncryptionAlgorithm"]
    assert out["SourceEncryptionAlgorithm"] == "SYMMETRIC_DEFAULT"
    assert out["SourceKeyMaterialId"] == a["CurrentKeyMaterialId"]
    assert out["DestinationKeyMaterialId"] == b["CurrentKeyMaterialId"]
    new = out["CiphertextBlob"]
    back = kms_any.decrypt(CiphertextBlob=new, EncryptionContext={"app": "new"})
    assert back["Plaintext"] == b"move me" and back["KeyId"] == b["Arn"]
    # Same key, new context: the old context no longer opens the result.
    same = kms_any.re_encrypt(
        CiphertextBlob=new,
        SourceKeyId=b["KeyId"],
        SourceEncryptionContext={"app": "new"},
        DestinationKeyId=b["KeyId"],
    )["CiphertextBlob"]
    assert kms_any.decrypt(CiphertextBlob=same)["Plaintext"] == b"move me"
    assert fails(kms_any.decrypt, CiphertextBlob=same, EncryptionContext={"app": "new"})[0] == (
        "InvalidCiphertextException"
    )


def test_reencrypt_errors(kms_any: Any) -> None:
    a = kms_any.create_key()["KeyMetadata"]["KeyId"]
    b = kms_any.create_key()["KeyMetadata"]["KeyId"]
    signer = new_key(kms_any, "ECC_NIST_P256", "SIGN_VERIFY")
    blob = kms_any.encrypt(KeyId=a, Plaintext=b"p")["CiphertextBlob"]
    code, _ = fails(kms_any.re_encrypt, CiphertextBlob=blob, SourceKeyId=b, DestinationKeyId=a)
    assert code == "IncorrectKeyException"
    code, _ = fails(kms_any.re_encrypt, CiphertextBlob=blob, DestinationKeyId=signer)
    assert code == "InvalidKeyUsageException"
    code, _ = fails(
        kms_any.re_encrypt, CiphertextBlob=blob, DestinationKeyId=b, SourceEncryptionContext=CTX
    )
    assert code == "InvalidCiphertextException"
    code, _ = fails(kms_any.re_encrypt, CiphertextBlob=b"junk" * 20, DestinationKeyId=b)
    assert code == "InvalidCiphertextException"
    code, _ = fails(kms_any.re_encrypt, CiphertextBlob=blob, DestinationKeyId=b, DryRun=True)
    assert code == "DryRunOperationException"
    code, _ = fails(
        kms_any.re_encrypt,
        CiphertextBlob=b"ignored",
        SourceKeyId=a,
        DestinationKeyId=b,
        DryRun=True,
        DryRunModifiers=["IGNORE_CIPHERTEXT"],
    )
    assert code == "DryRunOperationException"
    kms_any.disable_key(KeyId=b)
    code, _ = fails(kms_any.re_encrypt, CiphertextBlob=blob, DestinationKeyId=b)
    assert code == "DisabledException"


def test_reencrypt_to_and_from_rsa(kms: Any, keys: dict[Any, str]) -> None:
    sym = keys[("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT")]
    rsa_key = keys[("RSA_2048", "ENCRYPT_DECRYPT")]
    blob = kms.encrypt(KeyId=sym, Plaintext=b"cross", EncryptionContext=CTX)["CiphertextBlob"]
    to_rsa = kms.re_encrypt(
        CiphertextBlob=blob,
        SourceEncryptionContext=CTX,
        DestinationKeyId=rsa_key,
        DestinationEncryptionAlgorithm="RSAES_OAEP_SHA_256",
    )
    assert to_rsa["DestinationEncryptionAlgorithm"] == "RSAES_OAEP_SHA_256"
    assert "DestinationKeyMaterialId" not in to_rsa and len(to_rsa["CiphertextBlob"]) == 256
    rsa_blob = to_rsa["CiphertextBlob"]
    assert (
        kms.decrypt(
            CiphertextBlob=rsa_blob, KeyId=rsa_key, EncryptionAlgorithm="RSAES_OAEP_SHA_256"
        )["Plaintext"]
        == b"cross"
    )
    # K-REENC: asymmetric ciphertext needs SourceKeyId and the algorithm.
    code, _ = fails(kms.re_encrypt, CiphertextBlob=rsa_blob, DestinationKeyId=sym)
    assert code == "InvalidCiphertextException"
    back = kms.re_encrypt(
        CiphertextBlob=rsa_blob,
        SourceKeyId=rsa_key,
        SourceEncryptionAlgorithm="RSAES_OAEP_SHA_256",
        DestinationKeyId=sym,
    )
    assert back["SourceEncryptionAlgorithm"] == "RSAES_OAEP_SHA_256"
    assert "SourceKeyMaterialId" not in back and "DestinationKeyMaterialId" in back
    assert kms.decrypt(CiphertextBlob=back["CiphertextBlob"])["Plaintext"] == b"cross"
    code, _ = fails(
        kms.re_encrypt,
        CiphertextBlob=blob,
        SourceEncryptionContext=CTX,
        DestinationKeyId=rsa_key,
        DestinationEncryptionAlgorithm="RSAES_OAEP_SHA_256",
        DestinationEncryptionContext=CTX,
    )
    assert code == "ValidationException"


# -- GenerateDataKeyPair ----------------------------------------------------------------------
def test_generate_data_key_pair_shapes_and_errors(kms_any: Any) -> None:
    meta = kms_any.create_key()["KeyMetadata"]
    out = kms_any.generate_data_key_pair(
        KeyId=meta["KeyId"], KeyPairSpec="ECC_NIST_P256", EncryptionContext=CTX
    )
    assert out["KeyId"] == meta["Arn"] and out["KeyPairSpec"] == "ECC_NIST_P256"
    assert out["KeyMaterialId"] == meta["CurrentKeyMaterialId"]
    private = serialization.load_der_private_key(out["PrivateKeyPlaintext"], password=None)
    assert isinstance(private, ec.EllipticCurvePrivateKey)
    code, _ = fails(kms_any.decrypt, CiphertextBlob=out["PrivateKeyCiphertextBlob"])
    assert code == "InvalidCiphertextException"  # the context is part of the ciphertext
    bare = kms_any.generate_data_key_pair_without_plaintext(
        KeyId=meta["KeyId"], KeyPairSpec="ECC_SECG_P256K1"
    )
    assert "PrivateKeyPlaintext" not in bare and bare["KeyPairSpec"] == "ECC_SECG_P256K1"
    der = kms_any.decrypt(CiphertextBlob=bare["PrivateKeyCiphertextBlob"])["Plaintext"]
    key = serialization.load_der_private_key(der, password=None)
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    assert key.public_key().public_bytes(serialization.Encoding.DER, spki) == bare["PublicKey"]
    signer = new_key(kms_any, "ECC_NIST_P256", "SIGN_VERIFY")
    hmac_key = new_key(kms_any, "HMAC_256", "GENERATE_VERIFY_MAC")
    for kid in (signer, hmac_key):
        code, _ = fails(kms_any.generate_data_key_pair, KeyId=kid, KeyPairSpec="ECC_NIST_P256")
        assert code == "InvalidKeyUsageException"
    for spec in ("SM2", "ML_KEM_512"):
        code, _ = fails(kms_any.generate_data_key_pair, KeyId=meta["KeyId"], KeyPairSpec=spec)
        assert code == "NotSimulatedException"
    code, _ = fails(
        kms_any.generate_data_key_pair,
        KeyId=meta["KeyId"],
        KeyPairSpec="ECC_NIST_P384",
        DryRun=True,
    )
    assert code == "DryRunOperationException"


def test_data_key_pair_needs_a_symmetric_key(kms: Any, keys: dict[Any, str]) -> None:
    code, message = fails(
        kms.generate_data_key_pair_without_plaintext,
        KeyId=keys[("RSA_2048", "ENCRYPT_DECRYPT")],
        KeyPairSpec="ECC_NIST_P256",
    )
    assert code == "InvalidKeyUsageException" and "RSA_2048" in message


# -- DeriveSharedSecret -----------------------------------------------------------------------
def test_derive_shared_secret_checks_the_peer_key(kms_any: Any) -> None:
    key_id = new_key(kms_any, "ECC_NIST_P256", "KEY_AGREEMENT")
    p384 = ec.generate_private_key(ec.SECP384R1()).public_key()
    wrong_curve = p384.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    for peer, text in ((wrong_curve, "curve"), (b"not a key", "SubjectPublicKeyInfo")):
        code, message = fails(
            kms_any.derive_shared_secret, KeyId=key_id, KeyAgreementAlgorithm="ECDH", PublicKey=peer
        )
        assert code == "ValidationException" and text in message
    peer = ec.generate_private_key(ec.SECP256R1()).public_key()
    der = peer.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    code, _ = fails(
        kms_any.derive_shared_secret,
        KeyId=key_id,
        KeyAgreementAlgorithm="ECDH",
        PublicKey=der,
        DryRun=True,
    )
    assert code == "DryRunOperationException"
    out = kms_any.derive_shared_secret(KeyId=key_id, KeyAgreementAlgorithm="ECDH", PublicKey=der)
    assert len(out["SharedSecret"]) == 32 and out["KeyOrigin"] == "AWS_KMS"


# -- seed mode, snapshots ---------------------------------------------------------------------
def test_seeded_clouds_make_the_same_key_pairs() -> None:
    def pairs(seed: int) -> list[bytes]:
        kms = Cloud(seed=seed).client("kms", region_name="us-east-1")
        out = [
            kms.get_public_key(KeyId=new_key(kms, spec, "SIGN_VERIFY"))["PublicKey"]
            for spec in ("RSA_2048", "ECC_NIST_P256", "ECC_NIST_EDWARDS25519")
        ]
        kek = kms.create_key()["KeyMetadata"]["KeyId"]
        out.append(kms.generate_data_key_pair(KeyId=kek, KeyPairSpec="ECC_NIST_P384")["PublicKey"])
        mac_key = new_key(kms, "HMAC_256", "GENERATE_VERIFY_MAC")
        out.append(
            kms.generate_mac(KeyId=mac_key, Message=b"m", MacAlgorithm="HMAC_SHA_256")["Mac"]
        )
        return out

    first, again, other = pairs(3), pairs(3), pairs(4)
    assert first == again
    assert all(a != b for a, b in zip(first, other, strict=True))


def test_asymmetric_keys_survive_a_snapshot(tmp_path: Any) -> None:
    cloud = Cloud(seed=5)
    kms = cloud.client("kms", region_name="us-east-1")
    key_id = new_key(kms, "ECC_NIST_P384", "SIGN_VERIFY")
    mac_key = new_key(kms, "HMAC_384", "GENERATE_VERIFY_MAC")
    public = kms.get_public_key(KeyId=key_id)["PublicKey"]
    sig = kms.sign(KeyId=key_id, Message=MESSAGE, SigningAlgorithm="ECDSA_SHA_384")["Signature"]
    mac = kms.generate_mac(KeyId=mac_key, Message=MESSAGE, MacAlgorithm="HMAC_SHA_384")["Mac"]
    restored = Cloud.load(cloud.save(tmp_path / "world.lab"))
    kms2 = restored.client("kms", region_name="us-east-1")
    assert kms2.get_public_key(KeyId=key_id)["PublicKey"] == public
    ok = kms2.verify(KeyId=key_id, Message=MESSAGE, Signature=sig, SigningAlgorithm="ECDSA_SHA_384")
    assert ok["SignatureValid"] is True
    again = kms2.generate_mac(KeyId=mac_key, Message=MESSAGE, MacAlgorithm="HMAC_SHA_384")
    assert again["Mac"] == mac
