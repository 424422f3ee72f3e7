"""KMS asymmetric keys interoperate with ``cryptography``, software nobody on the team wrote.

Signatures made by Sign verify offline with the public key from GetPublicKey (and with the
exact parameters AWS documents: PSS salt = hash length, DER ECDSA), data encrypted offline with
that public key decrypts in KMS, data key pairs are standard PKCS#8 / SPKI pairs,
DeriveSharedSecret equals the ECDH computed offline, and the seeded RSA keys and sealed material
pass OpenSSL's own checks.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from botocore.exceptions import ClientError
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa, utils

from simulator import Cloud
from simulator.services.kms import asymmetric
from tests.conftest import error_code

RSA_SIGNING = [
    "RSASSA_PKCS1_V1_5_SHA_256",
    "RSASSA_PKCS1_V1_5_SHA_384",
    "RSASSA_PKCS1_V1_5_SHA_512",
    "RSASSA_PSS_SHA_256",
    "RSASSA_PSS_SHA_384",
    "RSASSA_PSS_SHA_512",
]
ECDSA = {
    "ECC_NIST_P256": ("ECDSA_SHA_256", ec.SECP256R1),
    "ECC_NIST_P384": ("ECDSA_SHA_384", ec.SECP384R1),
    "ECC_NIST_P521": ("ECDSA_SHA_512", ec.SECP521R1),
    "ECC_SECG_P256K1": ("ECDSA_SHA_256", ec.SECP256K1),
}
HASHES = {"SHA_1": hashes.SHA1, "SHA_256": hashes.SHA256, "SHA_384": hashes.SHA384}
HASHES["SHA_512"] = hashes.SHA512
# RSA key generation is the slow part of these tests: each size is covered by one usage.
SIGN_BITS, ENCRYPT_BITS = (2048, 3072), (2048, 4096)
# Every asymmetric KMS key the tests use, created once per process in this order (seeded RSA
# key pairs are memoized by seed, so a second world built the same way costs nothing).
WORLD_KEYS = [
    *[(f"RSA_{bits}", "SIGN_VERIFY") for bits in SIGN_BITS],
    *[(f"RSA_{bits}", "ENCRYPT_DECRYPT") for bits in ENCRYPT_BITS],
    *[(spec, "SIGN_VERIFY") for spec in ECDSA],
    *[(f"ECC_NIST_P{n}", "KEY_AGREEMENT") for n in (256, 384, 521)],
    ("ECC_NIST_EDWARDS25519", "SIGN_VERIFY"),
]
MESSAGE = b"Secrets Lab: signed inside KMS, verified outside"


def seeded_world() -> tuple[Cloud, Any, dict[tuple[str, str], str]]:
    cloud = Cloud(seed=11)
    kms = cloud.client("kms", region_name="us-east-1")
    keys = {
        (spec, usage): kms.create_key(KeySpec=spec, KeyUsage=usage)["KeyMetadata"]["KeyId"]
        for spec, usage in WORLD_KEYS
    }
    keys[("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT")] = kms.create_key()["KeyMetadata"]["KeyId"]
    return cloud, kms, keys


@pytest.fixture(scope="module")
def world() -> tuple[Cloud, Any, dict[tuple[str, str], str]]:
    return seeded_world()


@pytest.fixture(scope="module")
def kms(world: tuple[Cloud, Any, dict[tuple[str, str], str]]) -> Any:
    return world[1]


@pytest.fixture(scope="module")
def keys(world: tuple[Cloud, Any, dict[tuple[str, str], str]]) -> dict[tuple[str, str], str]:
    return world[2]


def new_key(client: Any, spec: str, usage: str) -> str:
    return str(client.create_key(KeySpec=spec, KeyUsage=usage)["KeyMetadata"]["KeyId"])


def kms_public_der(kms: Any, key_id: str) -> bytes:
    return bytes(kms.get_public_key(KeyId=key_id)["PublicKey"])


def public_key(kms: Any, key_id: str) -> Any:
    return serialization.load_der_public_key(kms_public_der(kms, key_id))


def hash_of(algorithm: str) -> hashes.HashAlgorithm:
    return HASHES[algorithm[algorithm.index("SHA_") :]]()


def test_public_keys_are_spki_of_the_right_type_and_size(kms: Any, keys: dict[Any, str]) -> None:
    for (spec, _usage), key_id in keys.items():
        if spec == "SYMMETRIC_DEFAULT":
            continue
        key = public_key(kms, key_id)
        if spec.startswith("RSA_"):
            assert isinstance(key, rsa.RSAPublicKey)
            assert key.key_size == int(spec[4:])
            assert key.public_numbers().e == 65537
        elif spec == "ECC_NIST_EDWARDS25519":
            assert isinstance(key, ed25519.Ed25519PublicKey)
        else:
            assert isinstance(key, ec.EllipticCurvePublicKey)
            assert isinstance(key.curve, ECDSA[spec][1])


@pytest.mark.parametrize("bits", SIGN_BITS)
@pytest.mark.parametrize("algorithm", RSA_SIGNING)
def test_rsa_signatures_verify_offline(
    kms: Any, keys: dict[Any, str], bits: int, algorithm: str
) -> None:
    key_id = keys[(f"RSA_{bits}", "SIGN_VERIFY")]
    pub = public_key(kms, key_id)
    h = hash_of(algorithm)
    # AWS documents PSS with MGF1 of the same hash and a salt as long as the hash: verify with
    # exactly that, not with AUTO.
    pad: padding.AsymmetricPadding = (
        padding.PSS(mgf=padding.MGF1(h), salt_length=h.digest_size)
        if "PSS" in algorithm
        else padding.PKCS1v15()
    )
    raw = kms.sign(KeyId=key_id, Message=MESSAGE, SigningAlgorithm=algorithm)
    assert raw["SigningAlgorithm"] == algorithm and len(raw["Signature"]) == bits // 8
    pub.verify(raw["Signature"], MESSAGE, pad, h)
    digest = hashlib.new(h.name, MESSAGE).digest()
    signed = kms.sign(
        KeyId=key_id, Message=digest, MessageType="DIGEST", SigningAlgorithm=algorithm
    )["Signature"]
    pub.verify(signed, MESSAGE, pad, h)  # a digest and its message are the same message
    pub.verify(signed, digest, pad, utils.Prehashed(h))
    with pytest.raises(InvalidSignature):
        pub.verify(signed, MESSAGE + b"!", pad, h)


@pytest.mark.parametrize("spec", list(ECDSA))
def test_ecdsa_signatures_are_der_and_verify_offline(
    kms: Any, keys: dict[Any, str], spec: str
) -> None:
    algorithm, _curve = ECDSA[spec]
    key_id = keys[(spec, "SIGN_VERIFY")]
    pub = public_key(kms, key_id)
    h = hash_of(algorithm)
    signature = kms.sign(KeyId=key_id, Message=MESSAGE, SigningAlgorithm=algorithm)["Signature"]
    r, s = utils.decode_dss_signature(signature)  # DER ECDSA-Sig-Value, as KMS returns
    assert r > 0 and s > 0
    pub.verify(signature, MESSAGE, ec.ECDSA(h))
    digest = hashlib.new(h.name, MESSAGE).digest()
    signed = kms.sign(
        KeyId=key_id, Message=digest, MessageType="DIGEST", SigningAlgorithm=algorithm
    )["Signature"]
    pub.verify(signed, MESSAGE, ec.ECDSA(h))


def test_ed25519_signatures_verify_offline(kms: Any, keys: dict[Any, str]) -> None:
    key_id = keys[("ECC_NIST_EDWARDS25519", "SIGN_VERIFY")]
    pub = public_key(kms, key_id)
    signature = kms.sign(KeyId=key_id, Message=MESSAGE, SigningAlgorithm="ED25519_SHA_512")[
        "Signature"
    ]
    assert len(signature) == 64
    pub.verify(signature, MESSAGE)
    # Ed25519 is deterministic (RFC 8032): the same message signs to the same bytes.
    again = kms.sign(KeyId=key_id, Message=MESSAGE, SigningAlgorithm="ED25519_SHA_512")
    assert again["Signature"] == signature


def test_kms_verify_rejects_a_signature_made_offline_with_another_key(
    kms: Any, keys: dict[Any, str]
) -> None:
    key_id = keys[("ECC_NIST_P256", "SIGN_VERIFY")]
    foreign = ec.generate_private_key(ec.SECP256R1()).sign(MESSAGE, ec.ECDSA(hashes.SHA256()))
    with pytest.raises(ClientError) as exc:
        kms.verify(
            KeyId=key_id, Message=MESSAGE, Signature=foreign, SigningAlgorithm="ECDSA_SHA_256"
        )
    assert error_code(exc) == "KMSInvalidSignatureException"


@pytest.mark.parametrize("bits", ENCRYPT_BITS)
@pytest.mark.parametrize("algorithm", ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"])
def test_data_encrypted_offline_decrypts_in_kms(
    kms: Any, keys: dict[Any, str], bits: int, algorithm: str
) -> None:
    key_id = keys[(f"RSA_{bits}", "ENCRYPT_DECRYPT")]
    pub = public_key(kms, key_id)
    h = hash_of(algorithm)
    limit = bits // 8 - 2 * h.digest_size - 2  # K-ASYM
    plaintext = bytes(range(256)) * 2
    plaintext = plaintext[:limit]
    ciphertext = pub.encrypt(plaintext, padding.OAEP(mgf=padding.MGF1(h), algorithm=h, label=None))
    out = kms.decrypt(CiphertextBlob=ciphertext, KeyId=key_id, EncryptionAlgorithm=algorithm)
    assert out["Plaintext"] == plaintext
    assert out["EncryptionAlgorithm"] == algorithm
    assert out["KeyId"].endswith(key_id) and "KeyMaterialId" not in out
    # And KMS's own ciphertext is plain RSAES-OAEP output: one modulus long, no header.
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"x", EncryptionAlgorithm=algorithm)
    assert len(blob["CiphertextBlob"]) == bits // 8


@pytest.mark.parametrize(
    "spec",
    ["RSA_2048", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1"]
    + ["ECC_NIST_EDWARDS25519"],
)
def test_data_key_pairs_are_standard_and_private_key_decrypts(
    kms: Any, keys: dict[Any, str], spec: str
) -> None:
    kek = keys[("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT")]
    context = {"purpose": "interop"}
    out = kms.generate_data_key_pair(KeyId=kek, KeyPairSpec=spec, EncryptionContext=context)
    private = serialization.load_der_private_key(out["PrivateKeyPlaintext"], password=None)
    public = serialization.load_der_public_key(out["PublicKey"])
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    assert private.public_key().public_bytes(serialization.Encoding.DER, spki) == out["PublicKey"]
    back = kms.decrypt(CiphertextBlob=out["PrivateKeyCiphertextBlob"], EncryptionContext=context)
    assert back["Plaintext"] == out["PrivateKeyPlaintext"]
    if isinstance(private, rsa.RSAPrivateKey):
        assert isinstance(public, rsa.RSAPublicKey) and private.key_size == 2048
        oaep = padding.OAEP(
            mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None
        )
        assert private.decrypt(public.encrypt(b"pair", oaep), oaep) == b"pair"
    elif isinstance(private, ec.EllipticCurvePrivateKey):
        assert isinstance(public, ec.EllipticCurvePublicKey)
        assert isinstance(private.curve, ECDSA[spec][1])
        public.verify(
            private.sign(MESSAGE, ec.ECDSA(hashes.SHA256())), MESSAGE, ec.ECDSA(hashes.SHA256())
        )
    else:
        assert isinstance(private, ed25519.Ed25519PrivateKey)
        assert isinstance(public, ed25519.Ed25519PublicKey)
        public.verify(private.sign(MESSAGE), MESSAGE)


@pytest.mark.parametrize(
    ("spec", "curve"),
    [("ECC_NIST_P256", ec.SECP256R1()), ("ECC_NIST_P384", ec.SECP384R1())]
    + [("ECC_NIST_P521", ec.SECP521R1())],
)
def test_derive_shared_secret_equals_offline_ecdh(
    kms: Any, keys: dict[Any, str], spec: str, curve: ec.EllipticCurve
) -> None:
    key_id = keys[(spec, "KEY_AGREEMENT")]
    peer = ec.generate_private_key(curve)
    peer_der = peer.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    out = kms.derive_shared_secret(KeyId=key_id, KeyAgreementAlgorithm="ECDH", PublicKey=peer_der)
    kms_public = public_key(kms, key_id)
    assert out["SharedSecret"] == peer.exchange(ec.ECDH(), kms_public)
    assert out["KeyAgreementAlgorithm"] == "ECDH" and out["KeyOrigin"] == "AWS_KMS"
    # Two KMS key pairs agree too: Alice and Bob both inside KMS.
    bob = kms.create_key(KeySpec=spec, KeyUsage="KEY_AGREEMENT")["KeyMetadata"]["KeyId"]
    ab = kms.derive_shared_secret(
        KeyId=key_id, KeyAgreementAlgorithm="ECDH", PublicKey=kms_public_der(kms, bob)
    )["SharedSecret"]
    ba = kms.derive_shared_secret(
        KeyId=bob, KeyAgreementAlgorithm="ECDH", PublicKey=kms_public_der(kms, key_id)
    )["SharedSecret"]
    assert ab == ba and len(ab) == (curve.key_size + 7) // 8


def test_seeded_rsa_keys_pass_openssl_validation() -> None:
    der = asymmetric.rsa_der_from_seed(b"\x07" * 32, 2048)
    key = serialization.load_der_private_key(der, password=None)  # full OpenSSL key check
    assert key.key_size == 2048 and asymmetric.rsa_der_from_seed(b"\x07" * 32, 2048) == der
    assert asymmetric.rsa_der_from_seed(b"\x08" * 32, 2048) != der


def test_material_is_sealed_with_the_documented_sizes() -> None:
    cloud = Cloud(seed=6)
    kms = cloud.client("kms", region_name="us-east-1")
    ids = {bits: new_key(kms, f"HMAC_{bits}", "GENERATE_VERIFY_MAC") for bits in (224, 256, 384)}
    ids[512] = new_key(kms, "HMAC_512", "GENERATE_VERIFY_MAC")
    ecc = new_key(kms, "ECC_NIST_P521", "SIGN_VERIFY")
    keys = cloud.kms.state(cloud.default_account.account_id, "us-east-1").keys
    for bits, key_id in ids.items():
        (material,) = keys[key_id].materials
        # The spec names the secret's length: HMAC_224 holds 28 bytes.
        assert len(cloud.vault.unseal(material.sealed, key_id.encode())) == bits // 8
        assert keys[key_id].public_key is None
    (material,) = keys[ecc].materials
    der = cloud.vault.unseal(material.sealed, ecc.encode())
    assert der not in material.sealed  # stored sealed, never in the clear
    private = serialization.load_der_private_key(der, password=None)
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    public = private.public_key().public_bytes(serialization.Encoding.DER, spki)
    assert public == keys[ecc].public_key == kms.get_public_key(KeyId=ecc)["PublicKey"]
