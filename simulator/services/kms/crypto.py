"""Symmetric KMS cryptography: AES-256-GCM and the ciphertext blob format.

AWS does not publish its blob layout, only that the blob carries metadata identifying the key
(so Decrypt needs no KeyId) and that the header is authenticated along with the encryption
context (https://docs.aws.amazon.com/kms/latest/cryptographic-details/customer-data-operations.html).
Ours is::

    version (1) | key id length (1) | key id (ASCII) | material id (32) | nonce (12) | ct+tag

The AAD is the header followed by the canonical encryption context, so changing any byte of
the blob, or any character of the context, makes AES-GCM authentication fail.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION = 1
NONCE_BYTES = 12
MATERIAL_ID_BYTES = 32


class BadCiphertext(Exception):
    """The blob is not ours, was altered, or the context does not match."""


@dataclass(frozen=True)
class Header:
    key_id: str
    material_id: str
    raw: bytes


def canonical_context(context: dict[str, str] | None) -> bytes:
    """Order-independent, unambiguous encoding: pairs sorted, every string length-prefixed."""
    if not context:
        return b""
    out = bytearray()
    for k in sorted(context):
        for s in (k, context[k]):
            data = s.encode("utf-8")
            out += len(data).to_bytes(4, "big") + data
    return bytes(out)


def seal(
    aead: AESGCM,
    key_id: str,
    material_id: str,
    nonce: bytes,
    plaintext: bytes,
    context: dict[str, str] | None,
) -> bytes:
    header = _header(key_id, material_id)
    sealed = aead.encrypt(nonce, plaintext, header + canonical_context(context))
    return header + nonce + sealed


@functools.lru_cache(maxsize=4096)
def _header(key_id: str, material_id: str) -> bytes:
    kid = key_id.encode("ascii")
    return bytes([VERSION, len(kid)]) + kid + bytes.fromhex(material_id)


def parse_header(blob: bytes) -> Header:
    if len(blob) < 2 or blob[0] != VERSION:
        raise BadCiphertext
    n = blob[1]
    end = 2 + n + MATERIAL_ID_BYTES
    if len(blob) < end + NONCE_BYTES + 16:
        raise BadCiphertext
    try:
        key_id = blob[2 : 2 + n].decode("ascii")
    except UnicodeDecodeError:
        raise BadCiphertext from None
    return Header(key_id, blob[2 + n : end].hex(), blob[:end])


def open_blob(aead: AESGCM, header: Header, blob: bytes, context: dict[str, str] | None) -> bytes:
    start = len(header.raw)
    nonce = blob[start : start + NONCE_BYTES]
    try:
        return aead.decrypt(
            nonce, blob[start + NONCE_BYTES :], header.raw + canonical_context(context)
        )
    except InvalidTag:
        raise BadCiphertext from None
