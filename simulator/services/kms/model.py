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
    """One version of a key's backing material (rotation adds versions)."""

    material_id: str  # 64 hex characters, KMS's KeyMaterialId
    sealed: bytes = field(repr=False)
    created: _dt.datetime


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
    multi_region: bool = False

    @property
    def current_material(self) -> KeyMaterial:
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
