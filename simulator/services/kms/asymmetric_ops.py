"""KMS asymmetric and HMAC key operations:
Sign,
Verify,
GenerateMac,
VerifyMac,
GetPublicKey,
DeriveSharedSecret,
GenerateDataKeyPair*.
"""

from __future__ import annotations


class AsymmetricOps:
    """Mixin for :class:`KmsService`; its handlers are marked with ``@operation``."""
