"""Finding keys and describing them: KeyId resolution and the KeyMetadata shape.

KMS accepts four spellings of a key in cryptographic operations: key id, key ARN, alias name
(``alias/...``) and alias ARN; management operations accept only the key id or key ARN
(https://docs.aws.amazon.com/kms/latest/APIReference/API_Encrypt.html, facts sheet 1.1).
Messages are the ones KMS sends: ``Key '<arn>' does not exist``, ``Invalid keyId <value>``,
``Alias <alias ARN> is not found.``
"""

from __future__ import annotations

import re
from typing import Any

from simulator.core import arns
from simulator.core.context import RequestContext
from simulator.services.kms.errors import InvalidArnException, NotFoundException
from simulator.services.kms.model import Key, RegionState

_KEY_ID = re.compile(
    r"^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$"
)


def is_key_id(text: str) -> bool:
    return _KEY_ID.match(text) is not None


def key_arn(region: str, account: str, key_id: str) -> str:
    return arns.build("kms", region, account, f"key/{key_id}")


def alias_arn(region: str, account: str, name: str) -> str:
    return arns.build("kms", region, account, name)


class KeyFinder:
    """Resolves a KeyId against the per-account, per-Region state of a KMS service."""

    def __init__(self, state_for: Any) -> None:
        self._state_for = state_for  # (account, region) -> RegionState

    def find(self, ctx: RequestContext, key_id: str, *, aliases: bool = True) -> Key:
        account, region, ref = ctx.account_id, ctx.region, key_id
        if key_id.startswith("arn:"):
            arn = arns.parse(key_id)
            if (
                arn is None
                or arn.service != "kms"
                or not arn.resource.startswith(("key/", "alias/"))
            ):
                raise InvalidArnException(f"ARN {key_id} is not a valid KMS key or alias ARN")
            if arn.resource.startswith("alias/") and not aliases:
                raise NotFoundException(f"Invalid keyId {key_id}")
            if arn.region != region:
                raise NotFoundException(f"Invalid arn {key_id}")
            account, ref = arn.account, arn.resource
            if ref.startswith("key/"):
                ref = ref[4:]
        state: RegionState = self._state_for(account, region)
        if ref.startswith("alias/"):
            if not aliases:
                raise NotFoundException(f"Invalid keyId {key_id}")
            alias = state.aliases.get(ref)
            if alias is None:
                raise NotFoundException(f"Alias {alias_arn(region, account, ref)} is not found.")
            return state.keys[alias.target_key_id]
        if not is_key_id(ref):
            raise NotFoundException(f"Invalid keyId {key_id}")
        key = state.keys.get(ref)
        if key is None:
            raise NotFoundException(f"Key '{key_arn(region, account, ref)}' does not exist")
        return key


def metadata(key: Key) -> dict[str, Any]:
    """The KeyMetadata structure DescribeKey and CreateKey return (fields per key type)."""
    from simulator.services.kms import key_specs

    info = key_specs.lookup(key.key_spec)
    out: dict[str, Any] = {
        "AWSAccountId": key.account_id,
        "KeyId": key.key_id,
        "Arn": key.arn,
        "CreationDate": key.creation_date,
        "Enabled": key.state.value == "Enabled",
        "Description": key.description,
        "KeyUsage": key.key_usage,
        "KeyState": key.state,
        "Origin": key.origin,
        "KeyManager": key.key_manager,
        "CustomerMasterKeySpec": key.key_spec,
        "KeySpec": key.key_spec,
        "MultiRegion": key.multi_region is not None,
    }
    # K-MODEL: each algorithm list appears only for the matching key usage.
    usage = key.key_usage.value
    if usage == "ENCRYPT_DECRYPT":
        out["EncryptionAlgorithms"] = list(info.encryption_algorithms)
    elif usage == "SIGN_VERIFY":
        out["SigningAlgorithms"] = list(info.signing_algorithms)
    elif usage == "GENERATE_VERIFY_MAC":
        out["MacAlgorithms"] = list(info.mac_algorithms)
    elif usage == "KEY_AGREEMENT":
        out["KeyAgreementAlgorithms"] = list(info.key_agreement_algorithms)
    if key.deletion_date is not None:
        out["DeletionDate"] = key.deletion_date
    if key.state.value == "PendingReplicaDeletion" and key.pending_window_days is not None:
        # K-SKD: a primary waiting for its replicas shows the window, not a date.
        out["PendingDeletionWindowInDays"] = key.pending_window_days
    if key.imported is not None:
        if key.imported.expiration_model is not None:
            out["ExpirationModel"] = key.imported.expiration_model
        if key.imported.valid_to is not None:
            out["ValidTo"] = key.imported.valid_to
    if key.multi_region is not None:
        mr = key.multi_region
        primary_arn = key_arn(mr.primary_region, key.account_id, key.key_id)
        out["MultiRegionConfiguration"] = {
            "MultiRegionKeyType": "PRIMARY" if key.region == mr.primary_region else "REPLICA",
            "PrimaryKey": {"Arn": primary_arn, "Region": mr.primary_region},
            "ReplicaKeys": [
                {"Arn": key_arn(r, key.account_id, key.key_id), "Region": r}
                for r in mr.replica_regions
            ],
        }
    if key.materials and key.key_spec == "SYMMETRIC_DEFAULT":
        out["CurrentKeyMaterialId"] = key.current_material.material_id
    return out
