"""Which operations a key's state allows: AWS's operation × key-state table, as data.

Source: https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html (facts sheet 1.5).
Each cell is ``None`` (allowed) or the error AWS returns, with its message template. Handlers
call :func:`check` once; nothing else in the service tests key states for permission.
Where the AWS table says "2 or 3" for cryptographic operations on a key pending deletion we
answer ``KMSInvalidStateException`` (footnote 3), the error AWS returns today.
"""

from __future__ import annotations

from simulator.core.errors import AWSError
from simulator.services.kms.errors import DisabledException, KMSInvalidStateException
from simulator.services.kms.model import Key, KeyState

Rule = tuple[type[AWSError], str] | None

_DISABLED: Rule = (DisabledException, "{arn} is disabled.")
_PENDING_DELETION: Rule = (KMSInvalidStateException, "{arn} is pending deletion.")
_PENDING_REPLICA_DELETION: Rule = (KMSInvalidStateException, "{arn} is pending replica deletion.")
_NOT_PENDING: Rule = (KMSInvalidStateException, "{arn} is not pending deletion.")
_PENDING_IMPORT: Rule = (KMSInvalidStateException, "{arn} is pending import.")
_UNAVAILABLE: Rule = (KMSInvalidStateException, "{arn} is unavailable.")
_CREATING: Rule = (KMSInvalidStateException, "{arn} is creating.")
_UPDATING: Rule = (KMSInvalidStateException, "{arn} is updating.")

S = KeyState


def _row(
    enabled: Rule,
    disabled: Rule,
    pending_deletion: Rule,
    pending_replica_deletion: Rule,
    pending_import: Rule,
    unavailable: Rule,
    creating: Rule,
    updating: Rule,
) -> dict[KeyState, Rule]:
    return {
        S.ENABLED: enabled,
        S.DISABLED: disabled,
        S.PENDING_DELETION: pending_deletion,
        S.PENDING_REPLICA_DELETION: pending_replica_deletion,
        S.PENDING_IMPORT: pending_import,
        S.UNAVAILABLE: unavailable,
        S.CREATING: creating,
        S.UPDATING: updating,
    }


_CRYPTO = _row(
    None,
    _DISABLED,
    _PENDING_DELETION,
    _PENDING_REPLICA_DELETION,
    _PENDING_IMPORT,
    _UNAVAILABLE,
    _CREATING,
    None,
)
_ENABLE_DISABLE = _row(
    None,
    None,
    _PENDING_DELETION,
    _PENDING_REPLICA_DELETION,
    _PENDING_IMPORT,
    None,
    _CREATING,
    _UPDATING,
)
_SCHEDULE_DELETION = _row(
    None, None, _PENDING_DELETION, _PENDING_REPLICA_DELETION, None, None, None, _UPDATING
)
_CANCEL_DELETION = _row(
    _NOT_PENDING, _NOT_PENDING, None, None, _NOT_PENDING, _NOT_PENDING, _NOT_PENDING, _NOT_PENDING
)
_ANNOTATE = _row(None, None, _PENDING_DELETION, _PENDING_REPLICA_DELETION, None, None, None, None)
_ALWAYS = _row(None, None, None, None, None, None, None, None)
# Rotation: whether the key's origin allows rotation at all (footnotes 6 and 7) is checked by
# the handler before the state; these are the state cells.
_ROTATION = _row(
    None,
    _DISABLED,
    _PENDING_DELETION,
    _PENDING_REPLICA_DELETION,
    _PENDING_IMPORT,
    _UNAVAILABLE,
    _CREATING,
    None,
)
_GET_IMPORT_PARAMETERS = _row(
    None,
    None,
    _PENDING_DELETION,
    _PENDING_REPLICA_DELETION,
    None,
    _UNAVAILABLE,
    _CREATING,
    _UPDATING,
)
_IMPORT = _row(
    None, None, _PENDING_DELETION, _PENDING_REPLICA_DELETION, None, _UNAVAILABLE, _CREATING, None
)
_DELETE_IMPORTED = _row(None, None, None, None, None, None, _CREATING, _UPDATING)
_MULTI_REGION = _row(
    None,
    _DISABLED,
    _PENDING_DELETION,
    _PENDING_REPLICA_DELETION,
    _PENDING_IMPORT,
    _UNAVAILABLE,
    _CREATING,
    _UPDATING,
)

TABLE: dict[str, dict[KeyState, Rule]] = {
    **dict.fromkeys(
        [
            "Encrypt",
            "Decrypt",
            "ReEncrypt",
            "GenerateDataKey",
            "GenerateDataKeyWithoutPlaintext",
            "GenerateDataKeyPair",
            "GenerateDataKeyPairWithoutPlaintext",
            "Sign",
            "Verify",
            "GenerateMac",
            "VerifyMac",
            "GetPublicKey",
            "DeriveSharedSecret",
            "CreateGrant",
        ],
        _CRYPTO,
    ),
    **dict.fromkeys(["EnableKey", "DisableKey"], _ENABLE_DISABLE),
    "ScheduleKeyDeletion": _SCHEDULE_DELETION,
    "CancelKeyDeletion": _CANCEL_DELETION,
    **dict.fromkeys(
        # UpdateAlias: footnote 10, the *new* target may not be pending deletion.
        ["CreateAlias", "UpdateAlias", "TagResource", "UntagResource", "UpdateKeyDescription"],
        _ANNOTATE,
    ),
    **dict.fromkeys(
        [
            "DescribeKey",
            "GetKeyPolicy",
            "PutKeyPolicy",
            "ListKeyPolicies",
            "ListResourceTags",
            "ListAliases",
            "DeleteAlias",
            "ListGrants",
            "RetireGrant",
            "RevokeGrant",
        ],
        _ALWAYS,
    ),
    **dict.fromkeys(["EnableKeyRotation", "DisableKeyRotation", "RotateKeyOnDemand"], _ROTATION),
    # Their "?7" cells are the origin check, done by the handler (rotation.py).
    **dict.fromkeys(["GetKeyRotationStatus", "ListKeyRotations"], _ALWAYS),
    "GetParametersForImport": _GET_IMPORT_PARAMETERS,
    "ImportKeyMaterial": _IMPORT,
    "DeleteImportedKeyMaterial": _DELETE_IMPORTED,
    # K-STATE "ReplicateKey, UpdatePrimaryRegion": Updating is "15 / ok", i.e. ReplicateKey
    # fails on an Updating key and UpdatePrimaryRegion does not.
    "ReplicateKey": _MULTI_REGION,
    "UpdatePrimaryRegion": {**_MULTI_REGION, S.UPDATING: None},
}


def check(operation: str, key: Key) -> None:
    """Raise the error AWS returns when ``operation`` meets ``key`` in its current state."""
    rule = TABLE[operation][key.state]
    if rule is not None:
        cls, template = rule
        raise cls(template.format(arn=key.arn))
