"""KMS automatic and on-demand key rotation:
EnableKeyRotation,
DisableKeyRotation,
GetKeyRotationStatus,
ListKeyRotations,
RotateKeyOnDemand.
"""

from __future__ import annotations


class RotationOps:
    """Mixin for :class:`KmsService`; its handlers are marked with ``@operation``."""
