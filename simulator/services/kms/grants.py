"""KMS grants:
CreateGrant,
ListGrants,
ListRetirableGrants,
RetireGrant,
RevokeGrant.
"""

from __future__ import annotations


class GrantOps:
    """Mixin for :class:`KmsService`; its handlers are marked with ``@operation``."""
