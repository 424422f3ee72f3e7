"""KMS multi-Region keys:
ReplicateKey,
UpdatePrimaryRegion.
"""

from __future__ import annotations


class MultiRegionOps:
    """Mixin for :class:`KmsService`; its handlers are marked with ``@operation``."""
