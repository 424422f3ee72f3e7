"""The KMS workloads: what one iteration does, and a warm-up that checks it really works.

A workload is timed as one tight loop of ``n`` iterations of one or two API calls each, with
the client's methods bound once, so the harness adds little besides the loop itself. The
warm-up runs the same calls and checks the answers (round-trips really round-trip), which
keeps a broken target from posting a flattering time.

Each workload also says what ``cryptography`` alone takes for the same iterations (its
``crypto`` loop), the work no backend can avoid; the asymmetric workloads C and D live in
:mod:`benchmarks.asymmetric`.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from time import perf_counter
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from benchmarks import asymmetric
from benchmarks.floor import filler

PLAINTEXT = filler(1024, b"workload A plaintext")  # 1 KiB, the same bytes for every target
CONTEXT = {"app": "bench", "purpose": "roundtrip"}
DATA_KEY_PLAINTEXT = filler(32, b"data key plaintext")  # what the floor's GenerateDataKey says


def encrypt_decrypt(client: Any, key_id: str, n: int) -> float:
    encrypt, decrypt = client.encrypt, client.decrypt
    plaintext, context = PLAINTEXT, CONTEXT
    start = perf_counter()
    for _ in range(n):
        blob = encrypt(KeyId=key_id, Plaintext=plaintext, EncryptionContext=context)
        decrypt(CiphertextBlob=blob["CiphertextBlob"], EncryptionContext=context)
    return perf_counter() - start


def check_encrypt_decrypt(client: Any, key_id: str) -> None:
    blob = client.encrypt(KeyId=key_id, Plaintext=PLAINTEXT, EncryptionContext=CONTEXT)
    out = client.decrypt(CiphertextBlob=blob["CiphertextBlob"], EncryptionContext=CONTEXT)
    if out["Plaintext"] != PLAINTEXT:
        raise AssertionError("Decrypt did not return the plaintext given to Encrypt")


def data_key_decrypt(client: Any, key_id: str, n: int) -> float:
    generate, decrypt = client.generate_data_key, client.decrypt
    context = CONTEXT
    start = perf_counter()
    for _ in range(n):
        dk = generate(KeyId=key_id, KeySpec="AES_256", EncryptionContext=context)
        decrypt(CiphertextBlob=dk["CiphertextBlob"], EncryptionContext=context)
    return perf_counter() - start


def check_data_key_decrypt(client: Any, key_id: str) -> None:
    dk = client.generate_data_key(KeyId=key_id, KeySpec="AES_256", EncryptionContext=CONTEXT)
    out = client.decrypt(CiphertextBlob=dk["CiphertextBlob"], EncryptionContext=CONTEXT)
    if len(dk["Plaintext"]) != 32 or out["Plaintext"] != dk["Plaintext"]:
        raise AssertionError("Decrypt of a data key's CiphertextBlob did not return the data key")


# The AAD a backend binds: the encryption context, canonically serialized.
_AAD = json.dumps(CONTEXT, sort_keys=True, separators=(",", ":")).encode()


def crypto_encrypt_decrypt(n: int) -> float:
    """Workload A's cryptography alone: AES-256-GCM seal and open of 1 KiB, fresh nonce."""
    aes, plaintext, aad = AESGCM(secrets.token_bytes(32)), PLAINTEXT, _AAD
    random = secrets.token_bytes
    start = perf_counter()
    for _ in range(n):
        iv = random(12)
        aes.decrypt(iv, aes.encrypt(iv, plaintext, aad), aad)
    return perf_counter() - start


def crypto_data_key_decrypt(n: int) -> float:
    """Workload B's cryptography alone: 32 random bytes, sealed and opened with AES-256-GCM."""
    aes, aad, random = AESGCM(secrets.token_bytes(32)), _AAD, secrets.token_bytes
    start = perf_counter()
    for _ in range(n):
        iv = random(12)
        aes.decrypt(iv, aes.encrypt(iv, random(32), aad), aad)
    return perf_counter() - start


@dataclass(frozen=True)
class Workload:
    name: str
    title: str
    run: Callable[[Any, str, int], float]
    check: Callable[[Any, str], None]
    # The same n iterations done by `cryptography` alone (seconds): the unavoidable work.
    crypto: Callable[[int], float]
    # Keyword arguments for floor_client, so the floor's answers are as large as real ones
    # and the workload's correctness check holds on the floor too.
    floor_options: Callable[[], dict[str, Any]]
    calls_per_iteration: int = 2
    default_n: int = 2000
    # The CreateKey that opens each run; the workload calls use this key.
    key_params: Mapping[str, str] = field(default_factory=lambda: {"Description": "bench"})


WORKLOADS: dict[str, Workload] = {
    "A": Workload(
        "A",
        "Encrypt 1 KiB + Decrypt",
        encrypt_decrypt,
        check_encrypt_decrypt,
        crypto_encrypt_decrypt,
        lambda: {"decrypt_plaintext": PLAINTEXT},
    ),
    "B": Workload(
        "B",
        "GenerateDataKey AES_256 + Decrypt",
        data_key_decrypt,
        check_data_key_decrypt,
        crypto_data_key_decrypt,
        lambda: {"decrypt_plaintext": DATA_KEY_PLAINTEXT},
    ),
    "C": Workload(
        "C",
        "CreateKey: SYMMETRIC_DEFAULT, RSA_2048, ECC_NIST_P256 in turn",
        asymmetric.create_keys,
        asymmetric.check_create_keys,
        asymmetric.crypto_create_keys,
        asymmetric.floor_create_keys,
        calls_per_iteration=1,
        default_n=200,
    ),
    "D": Workload(
        "D",
        "ECDSA_SHA_256 Sign 1 KiB + Verify (ECC_NIST_P256)",
        asymmetric.sign_verify,
        asymmetric.check_sign_verify,
        asymmetric.crypto_sign_verify,
        asymmetric.floor_sign_verify,
        default_n=200,
        key_params=asymmetric.ECC_SIGNING,
    ),
}


def warm_up(workload: Workload, client: Any, key_id: str, iterations: int) -> None:
    workload.check(client, key_id)
    if iterations > 1:
        workload.run(client, key_id, iterations - 1)
