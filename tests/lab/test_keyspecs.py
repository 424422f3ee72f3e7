"""Key-spec table, offline verification and encryption, RSA limits, checks, the explorer."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from simulator import Cloud
from simulator.lab import keyspecs
from simulator.lab.keyspec_widget import demonstrate, describe_spec, keyspec_widget
from simulator.services.kms.key_specs import SPECS


@pytest.fixture(scope="module")
def kms() -> Any:
    return Cloud(seed=7).client("kms", region_name="eu-west-1")


@pytest.fixture(scope="module")
def ecc_key(kms: Any) -> str:
    return str(
        kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    )


@pytest.fixture(scope="module")
def rsa_key(kms: Any) -> str:
    return str(
        kms.create_key(KeySpec="RSA_2048", KeyUsage="ENCRYPT_DECRYPT")["KeyMetadata"]["KeyId"]
    )


def test_spec_table_is_read_from_the_simulator() -> None:
    table = keyspecs.spec_table()
    assert list(table.columns) == keyspecs.TABLE_COLUMNS
    assert len(table) == sum(len(info.usages) for info in SPECS.values())
    assert set(table["KeySpec"]) == set(SPECS)
    rows = {(r.KeySpec, r.KeyUsage): r for r in table.itertuples()}
    assert rows[("RSA_2048", "ENCRYPT_DECRYPT")].algorithms == (
        "RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256"
    )
    assert rows[("ECC_NIST_P256", "KEY_AGREEMENT")].algorithms == "ECDH"
    assert ("ECC_SECG_P256K1", "KEY_AGREEMENT") not in rows
    assert rows[("HMAC_384", "GENERATE_VERIFY_MAC")].algorithms == "HMAC_SHA_384"
    assert set(table.loc[table["rotation"] != "manual", "KeySpec"]) == {"SYMMETRIC_DEFAULT"}
    assert "SM2" in keyspecs.unsimulated_specs()


def test_rsa_limits_follow_the_formula() -> None:
    limits = keyspecs.encryption_limits()
    assert limits == {
        ("SYMMETRIC_DEFAULT", "SYMMETRIC_DEFAULT"): 4096,
        ("RSA_2048", "RSAES_OAEP_SHA_1"): 214,
        ("RSA_2048", "RSAES_OAEP_SHA_256"): 190,
        ("RSA_3072", "RSAES_OAEP_SHA_1"): 342,
        ("RSA_3072", "RSAES_OAEP_SHA_256"): 318,
        ("RSA_4096", "RSAES_OAEP_SHA_1"): 470,
        ("RSA_4096", "RSAES_OAEP_SHA_256"): 446,
    }
    with pytest.raises(ValueError):
        keyspecs.rsa_max_plaintext("RSA_2048", "RSASSA_PSS_SHA_256")
    with pytest.raises(ValueError):
        keyspecs.rsa_max_plaintext("ECC_NIST_P256", "RSAES_OAEP_SHA_1")


def test_probe_rsa_limit_against_kms(kms: Any, rsa_key: str) -> None:
    assert keyspecs.probe_rsa_limit(kms, rsa_key, "RSAES_OAEP_SHA_256", 190) == (
        True,
        "ValidationException",
    )
    assert keyspecs.probe_rsa_limit(kms, rsa_key, "RSAES_OAEP_SHA_1", 213) == (False, "")


def test_verify_offline_ecdsa(kms: Any, ecc_key: str) -> None:
    public = kms.get_public_key(KeyId=ecc_key)["PublicKey"]
    sig = kms.sign(KeyId=ecc_key, Message=b"m", SigningAlgorithm="ECDSA_SHA_256")["Signature"]
    assert keyspecs.verify_offline(public, b"m", sig, "ECDSA_SHA_256")
    assert not keyspecs.verify_offline(public, b"n", sig, "ECDSA_SHA_256")
    with pytest.raises(ValueError):
        keyspecs.verify_offline(public, b"m", sig, "ML_DSA_SHAKE_256")
    with pytest.raises(ValueError):
        keyspecs.verify_offline(public, b"m", sig, "ED25519_SHA_512")


@pytest.mark.parametrize("algorithm", ["RSASSA_PSS_SHA_384", "RSASSA_PKCS1_V1_5_SHA_256"])
def test_verify_offline_rsa(kms: Any, algorithm: str) -> None:
    key = kms.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    public = kms.get_public_key(KeyId=key)["PublicKey"]
    sig = kms.sign(KeyId=key, Message=b"m", SigningAlgorithm=algorithm)["Signature"]
    assert keyspecs.verify_offline(public, b"m", sig, algorithm)
    assert not keyspecs.verify_offline(public, b"m", bytes(len(sig)), algorithm)


def test_verify_offline_ed25519(kms: Any) -> None:
    key = kms.create_key(KeySpec="ECC_NIST_EDWARDS25519", KeyUsage="SIGN_VERIFY")["KeyMetadata"][
        "KeyId"
    ]
    public = kms.get_public_key(KeyId=key)["PublicKey"]
    sig = kms.sign(KeyId=key, Message=b"m", SigningAlgorithm="ED25519_SHA_512")["Signature"]
    assert keyspecs.verify_offline(public, b"m", sig, "ED25519_SHA_512")
    assert not keyspecs.verify_offline(public, b"x", sig, "ED25519_SHA_512")


def test_encrypt_offline_decrypts_in_kms(kms: Any, rsa_key: str) -> None:
    public = kms.get_public_key(KeyId=rsa_key)["PublicKey"]
    for algorithm in ("RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"):
        blob = keyspecs.encrypt_offline(public, b"secret", algorithm)
        assert (
            kms.decrypt(CiphertextBlob=blob, KeyId=rsa_key, EncryptionAlgorithm=algorithm)[
                "Plaintext"
            ]
            == b"secret"
        )
    with pytest.raises(ValueError):
        keyspecs.encrypt_offline(public, b"secret", "SYMMETRIC_DEFAULT")
    ec_public = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    with pytest.raises(ValueError):
        keyspecs.encrypt_offline(ec_public, b"secret", "RSAES_OAEP_SHA_256")


def test_offline_encryption_matches_a_local_rsa_key() -> None:
    # Independent of KMS: our OAEP parameters round-trip with a local key (MGF1 = same hash).
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    der = private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    blob = keyspecs.encrypt_offline(der, b"x", "RSAES_OAEP_SHA_256")
    from cryptography.hazmat.primitives.asymmetric import padding

    oaep = padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)
    assert private.decrypt(blob, oaep) == b"x"


def test_plot_encryption_limits() -> None:
    fig = keyspecs.plot_encryption_limits()
    ax = fig.axes[0]
    gids = [p.get_gid() for p in ax.patches]
    assert gids[0] == "limit:SYMMETRIC_DEFAULT · SYMMETRIC_DEFAULT"
    assert len(gids) == 7
    widths = [p.get_width() for p in ax.patches]
    assert widths == list(keyspecs.encryption_limits().values())
    assert ax.get_xlim() == (0.0, 4096 * 1.15)


def test_check_signing_key(kms: Any, ecc_key: str, rsa_key: str) -> None:
    assert keyspecs.check_signing_key(kms, ecc_key).ok
    wrong_spec = keyspecs.check_signing_key(kms, ecc_key, "ECC_NIST_P384")
    assert not wrong_spec.ok and "not ECC_NIST_P384" in wrong_spec.failed[0]
    wrong_usage = keyspecs.check_signing_key(kms, rsa_key)
    assert not wrong_usage.ok and wrong_usage.failed[-1].endswith("not SIGN_VERIFY")


def test_check_rsa_limit(kms: Any) -> None:
    assert keyspecs.check_rsa_limit(kms, "RSA_2048", "RSAES_OAEP_SHA_256", 190).ok
    low = keyspecs.check_rsa_limit(kms, "RSA_2048", "RSAES_OAEP_SHA_256", 189)
    assert not low.ok and "limit is higher" in low.failed[0]
    high = keyspecs.check_rsa_limit(kms, "RSA_2048", "RSAES_OAEP_SHA_256", 214)
    assert not high.ok and "ValidationException" in high.failed[0]


def test_check_mac(kms: Any, ecc_key: str) -> None:
    key = kms.create_key(KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC")["KeyMetadata"]["KeyId"]
    mac = kms.generate_mac(KeyId=key, Message=b"m", MacAlgorithm="HMAC_SHA_256")["Mac"]
    assert keyspecs.check_mac(kms, key, b"m", mac).ok
    bad = keyspecs.check_mac(kms, key, b"n", mac)
    assert not bad.ok and "KMSInvalidMacException" in bad.failed[0]
    assert not keyspecs.check_mac(kms, ecc_key, b"m", mac).ok


def test_describe_spec() -> None:
    rsa_enc = describe_spec("RSA_2048", "ENCRYPT_DECRYPT")
    assert rsa_enc["largest plaintext"] == "214 B (RSAES_OAEP_SHA_1), 190 B (RSAES_OAEP_SHA_256)"
    assert rsa_enc["other usages"] == "SIGN_VERIFY"
    assert describe_spec("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT")["rotation"].startswith("automatic")
    assert "never leaves KMS" in describe_spec("HMAC_256", "GENERATE_VERIFY_MAC")["public key"]
    assert describe_spec("ECC_SECG_P256K1", "SIGN_VERIFY")["other usages"] == "none"
    with pytest.raises(ValueError):
        describe_spec("HMAC_256", "SIGN_VERIFY")


@pytest.mark.parametrize(
    ("spec", "usage", "words"),
    [
        ("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "round trip OK"),
        ("RSA_2048", "ENCRYPT_DECRYPT", "RSAES_OAEP_SHA_256"),
        ("RSA_2048", "SIGN_VERIFY", "verified offline"),
        ("ECC_NIST_P384", "SIGN_VERIFY", "ECDSA_SHA_384"),
        ("ECC_NIST_P256", "KEY_AGREEMENT", "matches the local side"),
        ("ECC_NIST_EDWARDS25519", "SIGN_VERIFY", "ED25519_SHA_512"),
        ("HMAC_512", "GENERATE_VERIFY_MAC", "64-byte MAC"),
    ],
)
def test_demonstrate_each_kind(kms: Any, spec: str, usage: str, words: str) -> None:
    outcome = demonstrate(kms, spec, usage)
    assert outcome.ok, outcome
    assert words in outcome.summary


def test_demonstrate_reports_aws_errors(kms: Any) -> None:
    outcome = demonstrate(kms, "HMAC_256", "SIGN_VERIFY")
    assert not outcome.ok and outcome.error_code == "ValidationException"


def test_explorer_widget(kms: Any) -> None:
    view = keyspec_widget(kms).explorer
    assert "ECDSA_SHA_256" in view.summary.value
    assert list(view.usage.options) == ["SIGN_VERIFY", "KEY_AGREEMENT"]
    view.usage.value = "KEY_AGREEMENT"
    assert "ECDH" in view.summary.value
    view.spec.value = "HMAC_256"
    assert list(view.usage.options) == ["GENERATE_VERIFY_MAC"]
    assert "HMAC_SHA_256" in view.summary.value
    view.try_button.click()
    assert "VerifyMac" in view.output.value and "#1a7f37" in view.output.value
