"""The KMS workloads: what one iteration does, and a warm-up that checks it really works.

A workload is timed as one tight loop of ``n`` iterations of two API calls each, with the
client's methods bound once, so the harness adds little besides the loop itself. The warm-up
runs the same calls and checks the answers (round-trips really round-trip), which keeps a
broken target from posting a flattering time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from time import perf_counter
from typing import Any

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


@dataclass(frozen=True)
class Workload:
    name: str
    title: str
    run: Callable[[Any, str, int], float]
    check: Callable[[Any, str], None]
    # What the floor's canned Decrypt returns, so its response is as large as the real one.
    floor_decrypt_plaintext: bytes
    calls_per_iteration: int = 2


WORKLOADS: dict[str, Workload] = {
    "A": Workload(
        "A", "Encrypt 1 KiB + Decrypt", encrypt_decrypt, check_encrypt_decrypt, PLAINTEXT
    ),
    "B": Workload(
        "B",
        "GenerateDataKey AES_256 + Decrypt",
        data_key_decrypt,
        check_data_key_decrypt,
        DATA_KEY_PLAINTEXT,
    ),
}


def warm_up(workload: Workload, client: Any, key_id: str, iterations: int) -> None:
    workload.check(client, key_id)
    if iterations > 1:
        workload.run(client, key_id, iterations - 1)
