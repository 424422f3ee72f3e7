"""Randomness: identifiers, tokens, request ids and key material.

With a seed (``Cloud(seed=7)``) every id, ARN, token and byte of key material is reproducible,
so a notebook shows the same values on every run. That is a teaching mode only: seeded key
material is predictable by anyone who knows the seed. Without a seed, bytes come from the
operating system's CSPRNG. This module and ``clock.py`` are the only places allowed to touch
``random``, ``uuid`` or ``os.urandom``.
"""

from __future__ import annotations

import os
import random
import string
from typing import Any


class IdSource:
    __slots__ = ("_rng", "seed")

    def __init__(self, seed: int | None = None) -> None:
        self.seed = seed
        self._rng: random.Random | None = random.Random(seed) if seed is not None else None

    def bytes(self, n: int) -> bytes:
        if self._rng is None:
            return os.urandom(n)
        return self._rng.randbytes(n)

    def uuid(self) -> str:
        """A version-4 UUID string (formatted by hand: this runs several times per call)."""
        b = bytearray(self.bytes(16))
        b[6] = (b[6] & 0x0F) | 0x40
        b[8] = (b[8] & 0x3F) | 0x80
        h = b.hex()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def hex(self, n_chars: int) -> str:
        return self.bytes((n_chars + 1) // 2).hex()[:n_chars]

    def digits(self, n: int) -> str:
        raw = self.bytes(n)
        return "".join(str(b % 10) for b in raw)

    def chars(self, alphabet: str, n: int) -> str:
        # Rejection sampling keeps the distribution uniform over the alphabet.
        out: list[str] = []
        limit = 256 - (256 % len(alphabet))
        while len(out) < n:
            for b in self.bytes(n * 2):
                if b < limit:
                    out.append(alphabet[b % len(alphabet)])
                    if len(out) == n:
                        break
        return "".join(out)

    def access_key_id(self) -> str:
        return "AKIA" + self.chars(string.ascii_uppercase + "234567", 16)

    def secret_access_key(self) -> str:
        return self.chars(string.ascii_letters + string.digits + "+/", 40)

    def principal_id(self, prefix: str) -> str:
        return prefix + self.chars(string.ascii_uppercase + "234567", 17)

    # -- snapshot -----------------------------------------------------------------------
    def dump(self) -> dict[str, Any]:
        if self._rng is None:
            return {"seed": None}
        version, internal, gauss = self._rng.getstate()
        return {"seed": self.seed, "state": [version, list(internal), gauss]}

    def restore(self, data: dict[str, Any]) -> None:
        self.seed = data["seed"]
        if data.get("state") is None:
            self._rng = None
            return
        version, internal, gauss = data["state"]
        self._rng = random.Random()
        self._rng.setstate((version, tuple(internal), gauss))
