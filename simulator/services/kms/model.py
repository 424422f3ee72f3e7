"""KMS domain state: keys, their material versions, aliases, per account and Region.

Enum values mirror botocore's KMS model (a test compares them), so a typo cannot drift.
Key material is held sealed under the Cloud's domain key (``sealed`` bytes), never in the
clear, so a ``repr`` of a key, a log line or a snapshot shows no material.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from enum import StrEnum


class KeyState(StrEnum):
    CREATING = "Creating"
    ENABLED = "Enabled"
    DISABLED = "Disabled"
    PENDING_DELETION = "PendingDeletion"
    PENDING_IMPORT = "PendingImport"
    PENDING_REPLICA_DELETION = "PendingReplicaDeletion"
    UNAVAILABLE = "Unavailable"
    UPDATING = "Updating"


class KeyUsage(StrEnum):
    SIGN_VERIFY = "SIGN_VERIFY"
    ENCRYPT_DECRYPT = "ENCRYPT_DECRYPT"
    GENERATE_VERIFY_MAC = "GENERATE_VERIFY_MAC"
    KEY_AGREEMENT = "KEY_AGREEMENT"


class KeyManager(StrEnum):
    AWS = "AWS"
    CUSTOMER = "CUSTOMER"


class Origin(StrEnum):
    AWS_KMS = "AWS_KMS"
    EXTERNAL = "EXTERNAL"
    AWS_CLOUDHSM = "AWS_CLOUDHSM"
    EXTERNAL_KEY_STORE = "EXTERNAL_KEY_STORE"


@dataclass
class KeyMaterial:
    """One version of a key's backing material (rotation adds versions).

    ``sealed`` is the material sealed under the Cloud's domain key with the key id as
    associated data: 32 bytes for symmetric keys, the HMAC key for HMAC keys, and a PKCS#8 DER
    private key for asymmetric keys (whose public half is ``Key.public_key``).
    """

    material_id: str  # 64 hex characters, KMS's KeyMaterialId
    sealed: bytes = field(repr=False)
    created: _dt.datetime
    state: str = "CURRENT"  # KeyMaterialState: CURRENT, NON_CURRENT, PENDING_ROTATION...


@dataclass
class RotationRecord:
    """One row of ListKeyRotations."""

    material_id: str
    rotation_date: _dt.datetime
    rotation_type: str  # AUTOMATIC or ON_DEMAND


@dataclass
class RotationState:
    """Automatic and on-demand rotation of a symmetric key (K-ROT, K-ROD)."""

    enabled: bool = False
    period_days: int = 365
    next_rotation: _dt.datetime | None = None
    job: int | None = None
    on_demand_count: int = 0
    history: list[RotationRecord] = field(default_factory=list)


@dataclass
class ImportParameters:
    """What GetParametersForImport handed out: valid for 24 hours (K-GPI)."""

    token: str
    wrapping_key_spec: str
    wrapping_algorithm: str
    sealed_wrapping_key: bytes = field(repr=False)  # PKCS#8 DER, sealed
    valid_to: _dt.datetime


@dataclass
class ImportedMaterial:
    """One key material of a symmetric EXTERNAL key, imported or awaiting re-import (K-IKM).

    While imported, the material itself sits sealed in ``Key.materials`` under the same id;
    this record outlives a deletion or an expiry, so ListKeyRotations can still show it and a
    re-import can be matched against it (KMS derives the id from the key id and the material).
    """

    material_id: str
    state: str  # KeyMaterialState: CURRENT, NON_CURRENT or PENDING_ROTATION
    imported: bool = True  # ImportState IMPORTED; False (PENDING_IMPORT) once deleted/expired
    description: str | None = None
    expiration_model: str | None = None
    valid_to: _dt.datetime | None = None
    expiry_job: int | None = None


@dataclass
class ImportState:
    """Imported key material bookkeeping for keys with Origin EXTERNAL (K-IKM).

    ``expiration_model`` and ``valid_to`` are what DescribeKey shows: derived from the imported
    materials permanently associated with the key (the earliest ValidTo among them).
    """

    expiration_model: str | None = None
    valid_to: _dt.datetime | None = None
    parameters: list[ImportParameters] = field(default_factory=list)
    materials: list[ImportedMaterial] = field(default_factory=list)


@dataclass
class MultiRegionState:
    """Multi-Region key relationship (K-MRK): the primary Region and the replica Regions."""

    primary_region: str
    replica_regions: list[str] = field(default_factory=list)


@dataclass
class Grant:
    """A KMS grant (K-GRANT), held in the key owner's RegionState (see grants.py)."""

    grant_id: str  # 64 hex characters
    key_id: str
    name: str | None
    grantee_principal: str | None  # exactly one of grantee_principal and
    grantee_service_principal: str | None  # grantee_service_principal is set
    retiring_principal: str | None
    retiring_service_principal: str | None
    operations: list[str]
    constraints: dict[str, dict[str, str]]  # EncryptionContextEquals / EncryptionContextSubset
    source_arn: str | None  # the SourceArn grant constraint
    issuing_account: str  # arn:aws:iam::<account>:root of the caller that created the grant
    creation_date: _dt.datetime
    tokens: list[str] = field(default_factory=list, repr=False)  # every token CreateGrant gave


@dataclass
class KeyLastUsage:
    """The last successful cryptographic operation with a key (GetKeyLastUsage)."""

    operation: str
    timestamp: _dt.datetime
    cloudtrail_event_id: str
    request_id: str


@dataclass
class Key:
    key_id: str
    arn: str
    account_id: str
    region: str
    creation_date: _dt.datetime
    description: str
    key_spec: str
    key_usage: KeyUsage
    origin: Origin
    key_manager: KeyManager
    state: KeyState
    policy: str
    materials: list[KeyMaterial] = field(default_factory=list, repr=False)
    tags: dict[str, str] = field(default_factory=dict)
    deletion_date: _dt.datetime | None = None
    pending_window_days: int | None = None
    deletion_job: int | None = None
    multi_region: MultiRegionState | None = None
    public_key: bytes | None = None  # DER SubjectPublicKeyInfo, asymmetric keys only
    rotation: RotationState = field(default_factory=RotationState)
    imported: ImportState | None = None
    last_usage: KeyLastUsage | None = None

    @property
    def current_material(self) -> KeyMaterial:
        for m in reversed(self.materials):
            if m.state == "CURRENT":
                return m
        return self.materials[-1]

    def material(self, material_id: str) -> KeyMaterial | None:
        for m in self.materials:
            if m.material_id == material_id:
                return m
        return None


@dataclass
class Alias:
    name: str  # "alias/..."
    arn: str
    target_key_id: str
    creation_date: _dt.datetime
    last_updated: _dt.datetime


@dataclass
class RegionState:
    """Everything KMS holds for one account in one Region."""

    keys: dict[str, Key] = field(default_factory=dict)
    aliases: dict[str, Alias] = field(default_factory=dict)
    grants: dict[str, Grant] = field(default_factory=dict)
