"""Asymmetric and HMAC KMS keys for the lesson: the key-spec table, offline crypto, limits.

Owns the scenario code of notebook 03. :func:`spec_table` turns the simulator's own key-spec
table (``simulator.services.kms.key_specs.SPECS``) into one row per KeySpec × KeyUsage with
its algorithms, so the lesson never drifts from what the simulator does. :func:`verify_offline`
and :func:`encrypt_offline` do with the ``cryptography`` library what anyone holding a KMS
public key can do without AWS credentials (verify a signature, encrypt for the key).
:func:`rsa_max_plaintext` is AWS's formula for RSAES-OAEP plaintext limits, bytes(key) −
2·bytes(hash) − 2 (https://docs.aws.amazon.com/kms/latest/developerguide/asymmetric-key-specs.html),
and :func:`probe_rsa_limit` checks it against KMS. The key-spec explorer widget lives in
:mod:`simulator.lab.keyspec_widget`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa

from simulator.lab.checks import CheckResult, client_error
from simulator.services.kms.key_specs import SPECS, UNSIMULATED, KeySpecInfo

if TYPE_CHECKING:
    import pandas
    from matplotlib.figure import Figure

#: Encrypt's plaintext limit with a symmetric key (K-ENC).
SYMMETRIC_LIMIT = 4096
_HASH_BYTES = {"SHA_1": 20, "SHA_256": 32, "SHA_384": 48, "SHA_512": 64}
_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "SHA_1": hashes.SHA1,
    "SHA_256": hashes.SHA256,
    "SHA_384": hashes.SHA384,
    "SHA_512": hashes.SHA512,
}
TABLE_COLUMNS = ["KeySpec", "kind", "KeyUsage", "algorithms", "rotation"]


def algorithms_for(info: KeySpecInfo, usage: str) -> tuple[str, ...]:
    """The algorithms a key of this spec offers for one KeyUsage (as DescribeKey lists them)."""
    return {
        "ENCRYPT_DECRYPT": info.encryption_algorithms,
        "SIGN_VERIFY": info.signing_algorithms,
        "GENERATE_VERIFY_MAC": info.mac_algorithms,
        "KEY_AGREEMENT": info.key_agreement_algorithms,
    }[usage]


def spec_table() -> pandas.DataFrame:
    """One row per simulated KeySpec × allowed KeyUsage, read from the simulator's SPECS.

    ``rotation`` says whether KMS can rotate such a key automatically: only symmetric
    encryption keys can (K-ROT).
    """
    import pandas

    rows = []
    for info in SPECS.values():
        for usage in info.usages:
            rows.append(
                {
                    "KeySpec": info.name,
                    "kind": info.kind,
                    "KeyUsage": usage,
                    "algorithms": ", ".join(algorithms_for(info, usage)),
                    "rotation": "automatic or on demand" if info.kind == "symmetric" else "manual",
                }
            )
    return pandas.DataFrame(rows, columns=TABLE_COLUMNS)


def unsimulated_specs() -> dict[str, str]:
    """Key specs AWS has that the simulator does not, with the reason."""
    return dict(UNSIMULATED)


def _hash_of(algorithm: str) -> str:
    for name in _HASH_BYTES:
        if algorithm.endswith(name):
            return name
    raise ValueError(f"no hash in algorithm {algorithm}")


def rsa_max_plaintext(key_spec: str, algorithm: str) -> int:
    """Largest plaintext RSAES-OAEP takes: bytes(key) − 2·bytes(hash) − 2 (K-ASYM)."""
    info = SPECS[key_spec]
    if info.kind != "rsa" or algorithm not in info.encryption_algorithms:
        raise ValueError(f"{algorithm} is not an encryption algorithm of {key_spec}")
    return info.extra["bits"] // 8 - 2 * _HASH_BYTES[_hash_of(algorithm)] - 2


def encryption_limits() -> dict[tuple[str, str], int]:
    """(KeySpec, algorithm) -> largest plaintext Encrypt takes, for every encryption key."""
    limits: dict[tuple[str, str], int] = {}
    for info in SPECS.values():
        for algorithm in info.encryption_algorithms:
            limits[(info.name, algorithm)] = (
                SYMMETRIC_LIMIT
                if info.kind == "symmetric"
                else rsa_max_plaintext(info.name, algorithm)
            )
    return limits


def probe_rsa_limit(kms: Any, key_id: str, algorithm: str, limit: int) -> tuple[bool, str]:
    """Encrypt ``limit`` bytes (must work) and ``limit + 1`` (must fail): (ok, error code)."""
    kms.encrypt(KeyId=key_id, Plaintext=b"\x00" * limit, EncryptionAlgorithm=algorithm)
    try:
        kms.encrypt(KeyId=key_id, Plaintext=b"\x00" * (limit + 1), EncryptionAlgorithm=algorithm)
    except Exception as exc:
        code = client_error(exc)[0]
        if not code:
            raise
        return True, code
    return False, ""


def load_public_key(der: bytes) -> Any:
    """A ``cryptography`` public key from GetPublicKey's DER SubjectPublicKeyInfo."""
    return serialization.load_der_public_key(der)


def verify_offline(public_key_der: bytes, message: bytes, signature: bytes, algorithm: str) -> bool:
    """Verify a KMS signature without KMS (MessageType RAW), as a partner with the public
    key would. Returns False for a signature that does not match.

    KMS signs ECDSA in DER (RFC 3279), RSA-PSS with salt length = hash length, and Ed25519
    over the raw message (K-ASYM, K-SIGN).
    """
    key = load_public_key(public_key_der)
    try:
        if algorithm.startswith("ECDSA_"):
            key.verify(signature, message, ec.ECDSA(_HASHES[_hash_of(algorithm)]()))
        elif algorithm.startswith("RSASSA_PSS_"):
            digest = _HASHES[_hash_of(algorithm)]()
            key.verify(
                signature, message, padding.PSS(padding.MGF1(digest), digest.digest_size), digest
            )
        elif algorithm.startswith("RSASSA_PKCS1_V1_5_"):
            key.verify(signature, message, padding.PKCS1v15(), _HASHES[_hash_of(algorithm)]())
        elif algorithm == "ED25519_SHA_512":
            if not isinstance(key, ed25519.Ed25519PublicKey):
                raise ValueError("ED25519_SHA_512 needs an Ed25519 public key")
            key.verify(signature, message)
        else:
            raise ValueError(f"verify_offline does not handle {algorithm}")
    except InvalidSignature:
        return False
    return True


def encrypt_offline(public_key_der: bytes, plaintext: bytes, algorithm: str) -> bytes:
    """RSAES-OAEP encryption with a KMS public key: MGF1 with the same hash, empty label
    (K-ASYM), so KMS Decrypt with the same algorithm returns the plaintext."""
    key = load_public_key(public_key_der)
    if not isinstance(key, rsa.RSAPublicKey) or not algorithm.startswith("RSAES_OAEP_"):
        raise ValueError(f"encrypt_offline needs an RSA public key and RSAES_OAEP, not {algorithm}")
    digest = _HASHES[_hash_of(algorithm)]()
    ciphertext: bytes = key.encrypt(
        plaintext, padding.OAEP(mgf=padding.MGF1(digest), algorithm=digest, label=None)
    )
    return ciphertext


def plot_encryption_limits(
    limits: dict[tuple[str, str], int] | None = None, *, width: float = 8.0
) -> Figure:
    """Horizontal bars: the largest plaintext Encrypt takes, per key spec and algorithm, on
    a linear scale, so the gap between 4,096 bytes and an RSA key's few hundred shows."""
    import matplotlib.pyplot as plt

    data = limits or encryption_limits()
    labels = [f"{spec} · {alg}" for spec, alg in data]
    values = list(data.values())
    fig, ax = plt.subplots(figsize=(width, 0.45 * len(data) + 1.2))
    plt.close(fig)
    colours = ["#2f9e44" if spec == "SYMMETRIC_DEFAULT" else "#1c7ed6" for spec, _a in data]
    bars = ax.barh(range(len(data)), values, color=colours)
    for i, (bar, value) in enumerate(zip(bars, values, strict=True)):
        bar.set_gid(f"limit:{labels[i]}")
        ax.text(value + 40, i, f"{value:,} B", va="center", fontsize=8)
    ax.set_yticks(range(len(data)), labels, fontsize=8)
    ax.set_ylim(len(data) - 0.5, -0.5)
    ax.set_xlim(0, SYMMETRIC_LIMIT * 1.15)
    ax.set_xlabel("largest plaintext for Encrypt (bytes)")
    ax.set_title("Encrypt plaintext limits by key spec and algorithm")
    fig.tight_layout()
    return fig


# -- exercise checks -------------------------------------------------------------------------
def check_signing_key(kms: Any, key_id: str, key_spec: str = "ECC_NIST_P256") -> CheckResult:
    """A key a partner can verify offline: ``key_spec``, SIGN_VERIFY, signatures that the
    public key verifies with ``cryptography`` (and that fail for a changed message)."""
    result = CheckResult("Signing key")
    meta = kms.describe_key(KeyId=key_id)["KeyMetadata"]
    result.expect(
        meta.get("KeySpec") == key_spec,
        f"the key spec is {key_spec}",
        f"the key spec is {meta.get('KeySpec')}, not {key_spec}",
    )
    if not result.expect(
        meta.get("KeyUsage") == "SIGN_VERIFY",
        "the key usage is SIGN_VERIFY",
        f"the key usage is {meta.get('KeyUsage')}, not SIGN_VERIFY",
    ):
        return result
    algorithm = meta["SigningAlgorithms"][0]
    message = b"release manifest v1.2.3"
    signature = kms.sign(KeyId=key_id, Message=message, SigningAlgorithm=algorithm)["Signature"]
    public = kms.get_public_key(KeyId=key_id)["PublicKey"]
    result.expect(
        verify_offline(public, message, signature, algorithm),
        f"the signature ({algorithm}) verifies offline with the public key",
        "the signature does not verify offline",
    )
    result.expect(
        not verify_offline(public, message + b"!", signature, algorithm),
        "a changed message does not verify",
        "a changed message verifies",
    )
    return result


def check_rsa_limit(kms: Any, key_spec: str, algorithm: str, answer: int) -> CheckResult:
    """``answer`` is the largest plaintext KMS Encrypt takes for ``key_spec`` + ``algorithm``
    (checked by encrypting ``answer`` and ``answer + 1`` bytes with a new key)."""
    result = CheckResult(f"Largest plaintext for {key_spec} with {algorithm}")
    key_id = kms.create_key(
        KeySpec=key_spec, KeyUsage="ENCRYPT_DECRYPT", Description="check_rsa_limit"
    )["KeyMetadata"]["KeyId"]
    try:
        kms.encrypt(KeyId=key_id, Plaintext=b"\x00" * answer, EncryptionAlgorithm=algorithm)
    except Exception as exc:
        code = client_error(exc)[0]
        result.expect(False, "", f"{answer} bytes is too many: Encrypt failed with {code}")
    else:
        result.expect(True, f"Encrypt takes {answer} bytes", "")
        refused = probe_rsa_limit(kms, key_id, algorithm, answer)[0]
        result.expect(
            refused,
            f"Encrypt refuses {answer + 1} bytes",
            f"Encrypt also takes {answer + 1} bytes: the limit is higher",
        )
    kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    return result


def check_mac(kms: Any, key_id: str, message: bytes, mac: bytes) -> CheckResult:
    """``mac`` is a MAC of ``message`` under the HMAC key ``key_id``, as VerifyMac sees it."""
    result = CheckResult("HMAC")
    meta = kms.describe_key(KeyId=key_id)["KeyMetadata"]
    if not result.expect(
        meta.get("KeyUsage") == "GENERATE_VERIFY_MAC",
        "the key is an HMAC key (GENERATE_VERIFY_MAC)",
        f"the key usage is {meta.get('KeyUsage')}, not GENERATE_VERIFY_MAC",
    ):
        return result
    algorithm = meta["MacAlgorithms"][0]
    try:
        kms.verify_mac(KeyId=key_id, Message=message, Mac=mac, MacAlgorithm=algorithm)
    except Exception as exc:
        code = client_error(exc)[0]
        result.expect(False, "", f"VerifyMac refused it: {code}")
    else:
        result.expect(True, f"VerifyMac accepts it ({algorithm})", "")
    return result
