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


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# What DescribeKey/CreateKey list per key spec (aws-facts.md 1.3, K-ASYM): only the
# algorithms of the key's usage appear in its metadata.
_ALGORITHMS: dict[str, tuple[str, list[str]]] = {
    "SYMMETRIC_DEFAULT": ("EncryptionAlgorithms", ["SYMMETRIC_DEFAULT"]),
    "RSA_2048": (
        "SigningAlgorithms",
        [
            "RSASSA_PSS_SHA_256",
            "RSASSA_PSS_SHA_384",
            "RSASSA_PSS_SHA_512",
            "RSASSA_PKCS1_V1_5_SHA_256",
            "RSASSA_PKCS1_V1_5_SHA_384",
            "RSASSA_PKCS1_V1_5_SHA_512",
        ],
    ),
    "ECC_NIST_P256": ("SigningAlgorithms", ["ECDSA_SHA_256"]),
}


def key_metadata(key_spec: str = "SYMMETRIC_DEFAULT") -> dict[str, Any]:
    """CreateKey's KeyMetadata for the floor's one key, as a key of ``key_spec`` would have it
    (symmetric ENCRYPT_DECRYPT, or SIGN_VERIFY for the asymmetric specs)."""
    member, algorithms = _ALGORITHMS[key_spec]
    symmetric = key_spec == "SYMMETRIC_DEFAULT"
    metadata: dict[str, Any] = {
        "AWSAccountId": ACCOUNT_ID,
        "KeyId": KEY_UUID,
        "Arn": KEY_ARN,
        "CreationDate": 1_700_000_000.0,
        "Enabled": True,
        "Description": "bench",
        "KeyUsage": "ENCRYPT_DECRYPT" if symmetric else "SIGN_VERIFY",
        "KeyState": "Enabled",
        "Origin": "AWS_KMS",
        "KeyManager": "CUSTOMER",
        "CustomerMasterKeySpec": key_spec,
        "KeySpec": key_spec,
        member: algorithms,
        "MultiRegion": False,
    }
    if symmetric:
        metadata["CurrentKeyMaterialId"] = KEY_MATERIAL_ID
    return metadata


def encode_bodies(bodies: Mapping[str, Mapping[str, Any]]) -> dict[str, bytes]:
    """``{"Sign": {...}}`` -> ``{"TrentService.Sign": b'{...}'}``, compact JSON as AWS sends."""
    return {
        f"TrentService.{op}": json.dumps(body, separators=(",", ":")).encode()
        for op, body in bodies.items()
    }


def canned_bodies(
    encrypt_plaintext_len: int, decrypt_plaintext: bytes, data_key_plaintext: bytes
) -> dict[str, bytes]:
    """Response body per ``X-Amz-Target``, each a valid output shape of the KMS model."""
    encrypt_blob = filler(encrypt_plaintext_len + CIPHERTEXT_OVERHEAD, b"encrypt")
    data_key_blob = filler(len(data_key_plaintext) + CIPHERTEXT_OVERHEAD, b"data key")
    return encode_bodies(
        {
            "CreateKey": {"KeyMetadata": key_metadata()},
            "Encrypt": {
                "CiphertextBlob": b64(encrypt_blob),
                "KeyId": KEY_ARN,
                "EncryptionAlgorithm": "SYMMETRIC_DEFAULT",
            },
            "Decrypt": {
                "KeyId": KEY_ARN,
                "Plaintext": b64(decrypt_plaintext),
                "EncryptionAlgorithm": "SYMMETRIC_DEFAULT",
                "KeyMaterialId": KEY_MATERIAL_ID,
            },
            "GenerateDataKey": {
                "CiphertextBlob": b64(data_key_blob),
                "Plaintext": b64(data_key_plaintext),
                "KeyId": KEY_ARN,
                "KeyMaterialId": KEY_MATERIAL_ID,
            },
        }
    )


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


# Answers that depend on the request (CreateKey's KeySpec in the asymmetric workloads):
# target -> (request member, {member value or None when absent: body}).
Variants = Mapping[str, tuple[str, Mapping[str | None, bytes]]]


def _entry(body: bytes) -> tuple[bytes, dict[str, str]]:
    return (
        body,
        {
            "x-amzn-requestid": REQUEST_ID,
            "content-type": "application/x-amz-json-1.1",
            "content-length": str(len(body)),
        },
    )


class CannedResponder:
    """A ``before-send`` handler: one dict lookup and one AWSResponse per request.

    A target listed in ``variants`` also reads one member of the request body to pick its
    answer (a ``json.loads`` of a few dozen bytes, about 2 us): a backend must read the
    request too, so the floor stays a floor.
    """

    def __init__(self, bodies: Mapping[str, bytes], variants: Variants | None = None) -> None:
        # botocore hands prepared headers over as bytes, so the tables are keyed by bytes.
        variants = variants or {}
        self._responses = {
            target.encode("ascii"): _entry(body)
            for target, body in bodies.items()
            if target not in variants
        }
        self._variants = {
            target.encode("ascii"): (member, {value: _entry(b) for value, b in table.items()})
            for target, (member, table) in variants.items()
        }

    def __call__(self, request: Any, **_: Any) -> AWSResponse:
        target = request.headers["X-Amz-Target"]
        entry = self._responses.get(target)
        if entry is None:
            member, table = self._variants[target]
            entry = table[json.loads(request.body).get(member)]
        body, headers = entry
        return AWSResponse(request.url, 200, headers, _RawBody(body))


def floor_client(
    *,
    encrypt_plaintext_len: int = 1024,
    decrypt_plaintext: bytes = b"",
    data_key_plaintext: bytes | None = None,
    extra_bodies: Mapping[str, bytes] | None = None,
    variants: Variants | None = None,
    session: botocore.session.Session | None = None,
) -> Any:
    """A botocore KMS client, same session type, Region and kind of credentials as the others.

    ``decrypt_plaintext`` is what every Decrypt returns: pass the workload's plaintext so the
    response is as large as the real one (and the workload's correctness check still holds).
    ``extra_bodies`` adds or replaces answers per target (``TrentService.Sign`` ...) and
    ``variants`` answers a target according to one request member (see CannedResponder).
    """
    if data_key_plaintext is None:
        data_key_plaintext = filler(32, b"data key plaintext")
    bodies = canned_bodies(encrypt_plaintext_len, decrypt_plaintext, data_key_plaintext)
    bodies.update(extra_bodies or {})
    client = (session or botocore.session.Session()).create_client(
        "kms",
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY_ID,
        aws_secret_access_key=SECRET_ACCESS_KEY,
    )
    client.meta.events.register_first("before-send", CannedResponder(bodies, variants))
    return client
