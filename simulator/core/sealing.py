"""Sealing: how key material and secrets are held at rest inside the Cloud.

The Cloud has one 256-bit *domain key* (the role AWS's HSM domain keys play). Key material is
kept sealed under it with AES-256-GCM, in memory and in snapshot files, so plaintext material
never sits in state objects, reprs, logs or files. Services unseal only for the instant of a
cryptographic operation.
"""

from __future__ import annotations

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from simulator.core.ids import IdSource

_NONCE = 12


class Sealer:
    __slots__ = ("_aead", "_ids")

    def __init__(self, key: bytes, ids: IdSource) -> None:
        self._aead = AESGCM(key)
        self._ids = ids

    def __repr__(self) -> str:
        return "<Sealer (domain key hidden)>"

    def rekey(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    def seal(self, plaintext: bytes, aad: bytes = b"") -> bytes:
        nonce = self._ids.bytes(_NONCE)
        return nonce + self._aead.encrypt(nonce, plaintext, aad)

    def unseal(self, sealed: bytes, aad: bytes = b"") -> bytes:
        return self._aead.decrypt(sealed[:_NONCE], sealed[_NONCE:], aad)
