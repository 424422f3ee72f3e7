"""KMS imported key material:
GetParametersForImport,
ImportKeyMaterial,
DeleteImportedKeyMaterial.
"""

from __future__ import annotations


class ImportOps:
    """Mixin for :class:`KmsService`; its handlers are marked with ``@operation``."""
