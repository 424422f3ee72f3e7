"""Envelope encryption as a learner would write it: GenerateDataKey, AES-GCM locally, one file.

Owns the lesson's file format and the two halves of the pattern AWS documents for data keys
(https://docs.aws.amazon.com/kms/latest/developerguide/data-keys.html): encrypt the data
outside KMS with the plaintext data key, store the *encrypted* data key beside the data, and
discard the plaintext key; to read the data, ask KMS to Decrypt the small encrypted data key,
then decrypt the data locally. Everything goes through a KMS client's public API, so the same
code runs against AWS.

The file format (a teaching format, not the AWS Encryption SDK's message format)::

    magic  "SLENV"                      5 bytes
    version                             1 byte   (1)
    context length | context            2 bytes big-endian | UTF-8 JSON, keys sorted
    encrypted data key length | key     2 bytes big-endian | KMS CiphertextBlob
    nonce                               12 bytes
    AES-256-GCM ciphertext | tag        rest (plaintext length + 16 bytes)

Everything before the ciphertext is the *header*, and the header is the AES-GCM associated
data: change a byte of it (the context, the encrypted key) and local decryption fails even
before KMS is asked. The encryption context is stored in the clear, because it is not secret
(CloudTrail logs it) and Decrypt needs exactly the same one; the encrypted data key is useless
without a KMS Decrypt call that the key policy allows. The plaintext data key is never stored.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from simulator.lab.checks import CheckResult, client_error

if TYPE_CHECKING:
    import pandas

MAGIC = b"SLENV"
VERSION = 1
NONCE_BYTES = 12
TAG_BYTES = 16
_LENGTH = struct.Struct(">H")


class EnvelopeFormatError(ValueError):
    """The bytes are not an envelope file of this format (or were cut short)."""


class EnvelopeTampered(ValueError):
    """AES-GCM authentication failed: the file was changed or the data key is wrong."""


def _context_bytes(context: Mapping[str, str]) -> bytes:
    # Sorted keys: the same context always gives the same header, whatever the insertion order.
    return json.dumps(
        dict(context), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()


@dataclass(frozen=True)
class FieldSpan:
    """Where one field of the file lies: for the layout table of the lesson."""

    name: str
    offset: int
    length: int
    note: str


@dataclass(frozen=True)
class EnvelopeFile:
    """One encrypted file: the header fields and the AES-GCM output (ciphertext and tag)."""

    encrypted_data_key: bytes = field(repr=False)
    encryption_context: dict[str, str]
    nonce: bytes = field(repr=False)
    ciphertext: bytes = field(repr=False)

    def header(self) -> bytes:
        """Every byte before the ciphertext; also the AES-GCM associated data."""
        ctx = _context_bytes(self.encryption_context)
        if len(ctx) > 0xFFFF or len(self.encrypted_data_key) > 0xFFFF:
            raise EnvelopeFormatError("context or encrypted data key too long for the format")
        if len(self.nonce) != NONCE_BYTES:
            raise EnvelopeFormatError(f"the nonce must be {NONCE_BYTES} bytes")
        return b"".join(
            [
                MAGIC,
                bytes([VERSION]),
                _LENGTH.pack(len(ctx)),
                ctx,
                _LENGTH.pack(len(self.encrypted_data_key)),
                self.encrypted_data_key,
                self.nonce,
            ]
        )

    def to_bytes(self) -> bytes:
        return self.header() + self.ciphertext

    @classmethod
    def from_bytes(cls, blob: bytes) -> EnvelopeFile:
        """Parse a file; raises EnvelopeFormatError for anything that is not one."""
        if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + 1:
            raise EnvelopeFormatError("not an envelope file (the magic bytes SLENV are missing)")
        if blob[len(MAGIC)] != VERSION:
            raise EnvelopeFormatError(f"unknown envelope version {blob[len(MAGIC)]}")
        pos = len(MAGIC) + 1
        parts: list[bytes] = []
        for _ in range(2):
            if len(blob) < pos + 2:
                raise EnvelopeFormatError("the file is cut short")
            (n,) = _LENGTH.unpack_from(blob, pos)
            if len(blob) < pos + 2 + n:
                raise EnvelopeFormatError("the file is cut short")
            parts.append(blob[pos + 2 : pos + 2 + n])
            pos += 2 + n
        if len(blob) < pos + NONCE_BYTES + TAG_BYTES:
            raise EnvelopeFormatError("the file is cut short")
        try:
            context = json.loads(parts[0].decode()) if parts[0] else {}
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise EnvelopeFormatError("the encryption context is not valid JSON") from None
        if not isinstance(context, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in context.items()
        ):
            raise EnvelopeFormatError("the encryption context must map strings to strings")
        return cls(parts[1], context, blob[pos : pos + NONCE_BYTES], blob[pos + NONCE_BYTES :])

    def layout(self) -> list[FieldSpan]:
        """The fields of :meth:`to_bytes`, in order, with offsets and lengths."""
        ctx = _context_bytes(self.encryption_context)
        rows = [
            ("magic", len(MAGIC), "SLENV: says what the file is"),
            ("version", 1, "format version 1"),
            ("context length", 2, ""),
            ("encryption context", len(ctx), "JSON, in the clear: not secret, needed by Decrypt"),
            ("encrypted data key length", 2, ""),
            (
                "encrypted data key",
                len(self.encrypted_data_key),
                "KMS CiphertextBlob: only KMS can decrypt it",
            ),
            ("nonce", NONCE_BYTES, "AES-GCM nonce (IV)"),
            ("ciphertext", len(self.ciphertext) - TAG_BYTES, "the data, encrypted locally"),
            ("tag", TAG_BYTES, "AES-GCM tag: authenticates header and ciphertext"),
        ]
        spans, offset = [], 0
        for name, length, note in rows:
            spans.append(FieldSpan(name, offset, length, note))
            offset += length
        return spans

    def layout_frame(self) -> pandas.DataFrame:
        """:meth:`layout` as a pandas table (field, offset, length, note)."""
        import pandas

        return pandas.DataFrame([vars(s) for s in self.layout()])


def seal_with_data_key(
    plaintext_key: bytes,
    encrypted_data_key: bytes,
    data: bytes,
    context: Mapping[str, str] | None,
    nonce: bytes,
) -> EnvelopeFile:
    """The local half of encryption: AES-GCM under the plaintext data key, header as AAD."""
    shell = EnvelopeFile(encrypted_data_key, dict(context or {}), nonce, b"")
    return EnvelopeFile(
        encrypted_data_key,
        dict(context or {}),
        nonce,
        AESGCM(plaintext_key).encrypt(nonce, data, shell.header()),
    )


def open_with_data_key(plaintext_key: bytes, envelope: EnvelopeFile) -> bytes:
    """The local half of decryption; raises EnvelopeTampered if authentication fails."""
    try:
        return AESGCM(plaintext_key).decrypt(envelope.nonce, envelope.ciphertext, envelope.header())
    except InvalidTag:
        raise EnvelopeTampered("AES-GCM authentication failed: the file was changed") from None


def new_nonce(kms: Any) -> bytes:
    """A 12-byte AES-GCM nonce from KMS GenerateRandom.

    Any CSPRNG does (Python's ``secrets`` module in your own code); asking KMS keeps the
    lesson reproducible in seed mode. Each data key here encrypts one file only, so a nonce is
    never reused under one key.
    """
    nonce: bytes = kms.generate_random(NumberOfBytes=NONCE_BYTES)["Plaintext"]
    return nonce


def seal(
    kms: Any, key_id: str, data: bytes, context: Mapping[str, str] | None = None
) -> EnvelopeFile:
    """Envelope-encrypt ``data``: GenerateDataKey (AES_256), AES-GCM, discard the key."""
    params: dict[str, Any] = {"KeyId": key_id, "KeySpec": "AES_256"}
    if context:
        params["EncryptionContext"] = dict(context)
    response = kms.generate_data_key(**params)
    envelope = seal_with_data_key(
        response.pop("Plaintext"), response["CiphertextBlob"], data, context, new_nonce(kms)
    )
    # Python cannot wipe bytes in place; dropping every reference is what we can do here.
    del response
    return envelope


def open_envelope(kms: Any, envelope: EnvelopeFile | bytes, key_id: str | None = None) -> bytes:
    """Decrypt an envelope: KMS Decrypt of the data key (with the stored context), then AES-GCM.

    Passing ``key_id`` is AWS's recommended practice for Decrypt: KMS then refuses a data key
    encrypted under any other key (``IncorrectKeyException``).
    """
    if isinstance(envelope, bytes):
        envelope = EnvelopeFile.from_bytes(envelope)
    params: dict[str, Any] = {"CiphertextBlob": envelope.encrypted_data_key}
    if envelope.encryption_context:
        params["EncryptionContext"] = envelope.encryption_context
    if key_id:
        params["KeyId"] = key_id
    plaintext_key: bytes = kms.decrypt(**params)["Plaintext"]
    return open_with_data_key(plaintext_key, envelope)


def encrypt_file(
    kms: Any,
    key_id: str,
    source: str | Path,
    target: str | Path,
    context: Mapping[str, str] | None = None,
) -> EnvelopeFile:
    """Read ``source``, write its envelope to ``target``; returns the envelope."""
    envelope = seal(kms, key_id, Path(source).read_bytes(), context)
    Path(target).write_bytes(envelope.to_bytes())
    return envelope


def decrypt_file(kms: Any, source: str | Path, key_id: str | None = None) -> bytes:
    """The plaintext of the envelope file at ``source``."""
    return open_envelope(kms, Path(source).read_bytes(), key_id)


def check_envelope_file(
    kms: Any,
    blob: bytes,
    expected_plaintext: bytes,
    context: Mapping[str, str],
    key_id: str,
) -> CheckResult:
    """Check an envelope file made by a learner, by asking KMS, as a later reader would.

    Properties: the bytes parse as an envelope file with the expected context; the stored data
    key was encrypted under ``key_id`` and decrypts only with the context; it is a 256-bit key
    that appears nowhere in the file in plaintext; and the data decrypts to
    ``expected_plaintext``.
    """
    result = CheckResult("Envelope file")
    try:
        envelope = EnvelopeFile.from_bytes(blob)
    except EnvelopeFormatError as exc:
        result.expect(False, "", f"the bytes are not an envelope file: {exc}")
        return result
    result.expect(True, "the bytes parse as an envelope file", "")
    result.expect(
        envelope.encryption_context == dict(context),
        f"the header carries the encryption context {dict(context)}",
        f"the header carries {envelope.encryption_context}, not {dict(context)}",
    )
    try:
        response = kms.decrypt(
            CiphertextBlob=envelope.encrypted_data_key,
            EncryptionContext=dict(context),
            KeyId=key_id,
        )
    except Exception as exc:  # a check reports every failure instead of raising it
        code, message = client_error(exc)
        result.expect(False, "", f"KMS could not decrypt the stored data key: {code} {message}")
        return result
    plaintext_key: bytes = response["Plaintext"]
    result.expect(True, "KMS decrypts the stored data key under the expected key and context", "")
    result.expect(
        len(plaintext_key) == 32,
        "the data key is a 256-bit AES key (KeySpec AES_256)",
        f"the data key is {len(plaintext_key)} bytes, not 32 (use KeySpec AES_256)",
    )
    result.expect(
        plaintext_key not in blob,
        "the plaintext data key is not stored in the file",
        "the plaintext data key is stored in the file: anyone who reads it can decrypt",
    )
    if context:
        try:
            kms.decrypt(CiphertextBlob=envelope.encrypted_data_key)
        except Exception as exc:
            bound = client_error(exc)[0] == "InvalidCiphertextException"
        else:
            bound = False
        result.expect(
            bound,
            "without the context, KMS refuses the data key (InvalidCiphertextException)",
            "the data key decrypts without the context: pass EncryptionContext to GenerateDataKey",
        )
    try:
        recovered = open_with_data_key(plaintext_key, envelope)
    except EnvelopeTampered as exc:
        result.expect(False, "", f"the data does not decrypt: {exc}")
    else:
        result.expect(
            recovered == expected_plaintext,
            f"the data decrypts to the expected {len(expected_plaintext):,} bytes",
            "the data decrypts, but not to the expected plaintext",
        )
    return result


def check_encrypted_data_key(
    kms: Any,
    encrypted_data_key: bytes,
    key_id: str,
    context: Mapping[str, str],
    number_of_bytes: int = 32,
) -> CheckResult:
    """Check a data key stored for later (GenerateDataKeyWithoutPlaintext's CiphertextBlob).

    Properties: it is bytes (a CiphertextBlob, not a response dict); KMS decrypts it under
    ``key_id`` with ``context`` into ``number_of_bytes`` bytes; the context is required.
    """
    result = CheckResult("Encrypted data key")
    if not result.expect(
        isinstance(encrypted_data_key, bytes),
        "the answer is the CiphertextBlob bytes",
        f"expected the CiphertextBlob bytes, got {type(encrypted_data_key).__name__}",
    ):
        return result
    try:
        plaintext = kms.decrypt(
            CiphertextBlob=encrypted_data_key, EncryptionContext=dict(context), KeyId=key_id
        )["Plaintext"]
    except Exception as exc:
        code, message = client_error(exc)
        result.expect(False, "", f"KMS could not decrypt it: {code} {message}")
        return result
    result.expect(True, "KMS decrypts it under the expected key and context", "")
    result.expect(
        len(plaintext) == number_of_bytes,
        f"the data key is {number_of_bytes} bytes",
        f"the data key is {len(plaintext)} bytes, not {number_of_bytes}",
    )
    if context:
        try:
            kms.decrypt(CiphertextBlob=encrypted_data_key, KeyId=key_id)
        except Exception as exc:
            bound = client_error(exc)[0] == "InvalidCiphertextException"
        else:
            bound = False
        result.expect(
            bound,
            "it is bound to the encryption context",
            "it decrypts without the context: pass EncryptionContext",
        )
    return result
