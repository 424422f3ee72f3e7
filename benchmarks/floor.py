"""The floor: a genuine botocore KMS client answered by canned bytes, with no backend at all.

Every request is serialized, signed (SigV4) and sent through botocore's event system exactly
as for AWS; the ``before-send`` handler then returns a precomputed, valid JSON 1.1 response for
the operation named in ``X-Amz-Target``, which botocore parses as usual. What is left is the
cost any in-process simulator must pay just for speaking through botocore, so a simulator's
time divided by the floor's says how much its own backend adds.

This module imports only the standard library and botocore: the startup benchmark imports it
in a fresh interpreter to time botocore alone.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator, Mapping
from typing import Any

import botocore.session
from botocore.awsrequest import AWSResponse

REGION = "us-east-1"
ACCOUNT_ID = "111122223333"
# Shaped like real IAM access keys (AKIA + 16 base32 characters, 40-character secret); they
# only feed the signer, nothing ever checks them.
ACCESS_KEY_ID = "AKIAFLOORBENCHMARK22"
SECRET_ACCESS_KEY = "floor/benchmark/secret/key/0123456789abc"
KEY_UUID = "1234abcd-12ab-34cd-56ef-1234567890ab"
KEY_ARN = f"arn:aws:kms:{REGION}:{ACCOUNT_ID}:key/{KEY_UUID}"
KEY_MATERIAL_ID = hashlib.sha256(b"floor key material").hexdigest()
REQUEST_ID = "00000000-0000-4000-8000-000000000000"
# Real KMS symmetric ciphertexts are the plaintext plus a header naming the key, an IV and a
# tag; 152 bytes is what AWS adds for a key in the same account (a 32-byte data key comes back
# as a 184-byte CiphertextBlob). The floor uses the same sizes so botocore decodes as much
# base64 as it would against AWS.
CIPHERTEXT_OVERHEAD = 152


def filler(n: int, label: bytes) -> bytes:
    """``n`` deterministic, random-looking bytes (no RNG: the floor must be identical per run)."""
    out = bytearray()
    counter = 0
    while len(out) < n:
        out += hashlib.sha256(label + counter.to_bytes(4, "big")).digest()
        counter += 1
    return bytes(out[:n])


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def canned_bodies(
    encrypt_plaintext_len: int, decrypt_plaintext: bytes, data_key_plaintext: bytes
) -> dict[str, bytes]:
    """Response body per ``X-Amz-Target``, each a valid output shape of the KMS model."""
    encrypt_blob = filler(encrypt_plaintext_len + CIPHERTEXT_OVERHEAD, b"encrypt")
    data_key_blob = filler(len(data_key_plaintext) + CIPHERTEXT_OVERHEAD, b"data key")
    bodies: dict[str, dict[str, Any]] = {
        "CreateKey": {
            "KeyMetadata": {
                "AWSAccountId": ACCOUNT_ID,
                "KeyId": KEY_UUID,
                "Arn": KEY_ARN,
                "CreationDate": 1_700_000_000.0,
                "Enabled": True,
                "Description": "bench",
                "KeyUsage": "ENCRYPT_DECRYPT",
                "KeyState": "Enabled",
                "Origin": "AWS_KMS",
                "KeyManager": "CUSTOMER",
                "CustomerMasterKeySpec": "SYMMETRIC_DEFAULT",
                "KeySpec": "SYMMETRIC_DEFAULT",
                "EncryptionAlgorithms": ["SYMMETRIC_DEFAULT"],
                "MultiRegion": False,
                "CurrentKeyMaterialId": KEY_MATERIAL_ID,
            }
        },
        "Encrypt": {
            "CiphertextBlob": _b64(encrypt_blob),
            "KeyId": KEY_ARN,
            "EncryptionAlgorithm": "SYMMETRIC_DEFAULT",
        },
        "Decrypt": {
            "KeyId": KEY_ARN,
            "Plaintext": _b64(decrypt_plaintext),
            "EncryptionAlgorithm": "SYMMETRIC_DEFAULT",
            "KeyMaterialId": KEY_MATERIAL_ID,
        },
        "GenerateDataKey": {
            "CiphertextBlob": _b64(data_key_blob),
            "Plaintext": _b64(data_key_plaintext),
            "KeyId": KEY_ARN,
            "KeyMaterialId": KEY_MATERIAL_ID,
        },
    }
    return {
        f"TrentService.{op}": json.dumps(body, separators=(",", ":")).encode()
        for op, body in bodies.items()
    }


class _RawBody:
    """The smallest raw-response object botocore reads: ``stream()`` and ``read()``."""

    __slots__ = ("_data",)

    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._data

    def read(self, *_: Any) -> bytes:
        data, self._data = self._data, b""
        return data


class CannedResponder:
    """A ``before-send`` handler: one dict lookup and one AWSResponse per request."""

    def __init__(self, bodies: Mapping[str, bytes]) -> None:
        # botocore hands prepared headers over as bytes, so the table is keyed by bytes.
        self._responses = {
            target.encode("ascii"): (
                body,
                {
                    "x-amzn-requestid": REQUEST_ID,
                    "content-type": "application/x-amz-json-1.1",
                    "content-length": str(len(body)),
                },
            )
            for target, body in bodies.items()
        }

    def __call__(self, request: Any, **_: Any) -> AWSResponse:
        body, headers = self._responses[request.headers["X-Amz-Target"]]
        return AWSResponse(request.url, 200, headers, _RawBody(body))


def floor_client(
    *,
    encrypt_plaintext_len: int = 1024,
    decrypt_plaintext: bytes = b"",
    data_key_plaintext: bytes | None = None,
    session: botocore.session.Session | None = None,
) -> Any:
    """A botocore KMS client, same session type, Region and kind of credentials as the others.

    ``decrypt_plaintext`` is what every Decrypt returns: pass the workload's plaintext so the
    response is as large as the real one (and the workload's correctness check still holds).
    """
    if data_key_plaintext is None:
        data_key_plaintext = filler(32, b"data key plaintext")
    bodies = canned_bodies(encrypt_plaintext_len, decrypt_plaintext, data_key_plaintext)
    client = (session or botocore.session.Session()).create_client(
        "kms",
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY_ID,
        aws_secret_access_key=SECRET_ACCESS_KEY,
    )
    client.meta.events.register_first("before-send", CannedResponder(bodies))
    return client
