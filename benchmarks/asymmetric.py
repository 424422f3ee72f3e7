"""The asymmetric workloads: C (CreateKey of mixed key specs) and D (ECDSA Sign + Verify).

For each one this module holds what an iteration sends, the warm-up check, the floor's canned
answers, and the same iterations done by ``cryptography`` alone with no API at all. Key
generation and signing cost real CPU that no backend can skip, so these workloads are judged
against **floor + crypto**: the botocore floor plus that unavoidable cryptography.

What "crypto" counts, per iteration (the least any backend must do):

- C: generate the key: 32 random bytes for ``SYMMETRIC_DEFAULT``, an RSA 2048-bit private key
  (e = 65537), or a P-256 private key. Serializing or sealing the new key is left out.
- D: one ECDSA P-256 signature over SHA-256 of the message and one verification, with the key
  objects already loaded (a backend that reloads the key from storage pays more).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from time import perf_counter
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from benchmarks.floor import KEY_ARN, b64, encode_bodies, filler, key_metadata

BENCH = {"Description": "bench"}
BENCH_SPEC = "SYMMETRIC_DEFAULT"
RSA_SIGNING = {**BENCH, "KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY"}
ECC_SIGNING = {**BENCH, "KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"}
# Workload C cycles through these, so 200 iterations make 67 + 67 + 66 keys.
MIXED_KEYS: tuple[Mapping[str, str], ...] = (BENCH, RSA_SIGNING, ECC_SIGNING)

MESSAGE = filler(1024, b"workload D message")  # 1 KiB, signed as MessageType RAW
ALGORITHM = "ECDSA_SHA_256"


# -- C: CreateKey, mixed specs ---------------------------------------------------------------
def create_keys(client: Any, key_id: str, n: int) -> float:
    create, mixed = client.create_key, MIXED_KEYS
    start = perf_counter()
    for i in range(n):
        create(**mixed[i % 3])
    return perf_counter() - start


def check_create_keys(client: Any, key_id: str) -> None:
    for params in MIXED_KEYS:
        meta = client.create_key(**params)["KeyMetadata"]
        spec = params.get("KeySpec", "SYMMETRIC_DEFAULT")
        usage = params.get("KeyUsage", "ENCRYPT_DECRYPT")
        # moto 5 leaves KeyUsage out when the request did; the tests check it, not this.
        got = (meta["KeySpec"], meta.get("KeyUsage", usage), meta["KeyState"])
        if got != (spec, usage, "Enabled"):
            raise AssertionError(f"CreateKey {params} answered {meta}")


def crypto_create_keys(n: int) -> float:
    curve = ec.SECP256R1()
    start = perf_counter()
    for i in range(n):
        kind = i % 3
        if kind == 0:
            secrets.token_bytes(32)
        elif kind == 1:
            rsa.generate_private_key(public_exponent=65537, key_size=2048)
        else:
            ec.generate_private_key(curve)
    return perf_counter() - start


def floor_create_keys() -> dict[str, Any]:
    """floor_client options: CreateKey answers with the metadata of the KeySpec asked for."""
    table: dict[str | None, bytes] = {}
    for params in MIXED_KEYS:
        spec = params.get("KeySpec")
        (body,) = encode_bodies(
            {"CreateKey": {"KeyMetadata": key_metadata(spec or BENCH_SPEC)}}
        ).values()
        table[spec] = body
    return {"variants": {"TrentService.CreateKey": ("KeySpec", table)}}


# -- D: Sign + Verify with ECC_NIST_P256 -----------------------------------------------------
def sign_verify(client: Any, key_id: str, n: int) -> float:
    sign, verify = client.sign, client.verify
    message, algorithm = MESSAGE, ALGORITHM
    start = perf_counter()
    for _ in range(n):
        signature = sign(
            KeyId=key_id, Message=message, MessageType="RAW", SigningAlgorithm=algorithm
        )["Signature"]
        verify(
            KeyId=key_id,
            Message=message,
            MessageType="RAW",
            Signature=signature,
            SigningAlgorithm=algorithm,
        )
    return perf_counter() - start


def check_sign_verify(client: Any, key_id: str) -> None:
    """Verify accepts the signature, and so does ``cryptography`` with GetPublicKey's key."""
    out = client.sign(KeyId=key_id, Message=MESSAGE, MessageType="RAW", SigningAlgorithm=ALGORITHM)
    valid = client.verify(
        KeyId=key_id,
        Message=MESSAGE,
        MessageType="RAW",
        Signature=out["Signature"],
        SigningAlgorithm=ALGORITHM,
    )
    if not valid["SignatureValid"] or out["SigningAlgorithm"] != ALGORITHM:
        raise AssertionError("Verify did not accept Sign's signature")
    public = serialization.load_der_public_key(client.get_public_key(KeyId=key_id)["PublicKey"])
    if not isinstance(public, ec.EllipticCurvePublicKey) or public.curve.name != "secp256r1":
        raise AssertionError("GetPublicKey did not return a P-256 public key")
    # Raises InvalidSignature if the signature is not a real ECDSA signature of the message.
    public.verify(out["Signature"], MESSAGE, ec.ECDSA(hashes.SHA256()))


def crypto_sign_verify(n: int) -> float:
    private = ec.generate_private_key(ec.SECP256R1())
    public = private.public_key()
    message, ecdsa = MESSAGE, ec.ECDSA(hashes.SHA256())
    start = perf_counter()
    for _ in range(n):
        public.verify(private.sign(message, ecdsa), message, ecdsa)
    return perf_counter() - start


def floor_sign_verify() -> dict[str, Any]:
    """floor_client options: a real P-256 key of the floor's own, so the warm-up check holds.

    The key is derived from a fixed label and signs deterministically (RFC 6979), so the floor
    answers the same bytes in every run.
    """
    # Halved so the scalar is below the curve order.
    scalar = int.from_bytes(hashlib.sha256(b"floor P-256 key").digest(), "big") >> 1
    private = ec.derive_private_key(scalar, ec.SECP256R1())
    signature = private.sign(MESSAGE, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
    public_der = private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    bodies = encode_bodies(
        {
            "CreateKey": {"KeyMetadata": key_metadata("ECC_NIST_P256")},
            "Sign": {"KeyId": KEY_ARN, "Signature": b64(signature), "SigningAlgorithm": ALGORITHM},
            "Verify": {"KeyId": KEY_ARN, "SignatureValid": True, "SigningAlgorithm": ALGORITHM},
            "GetPublicKey": {
                "KeyId": KEY_ARN,
                "PublicKey": b64(public_der),
                "CustomerMasterKeySpec": "ECC_NIST_P256",
                "KeySpec": "ECC_NIST_P256",
                "KeyUsage": "SIGN_VERIFY",
                "SigningAlgorithms": [ALGORITHM],
            },
        }
    )
    return {"extra_bodies": bodies}
