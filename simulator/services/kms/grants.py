"""KMS grants: CreateGrant, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant.

Facts (sheet 1.11; https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateGrant.html,
K-GRANT; API_GrantConstraints.html, K-GCON; API_RetireGrant.html, K-RETIRE):

- a grant names one key, one grantee (``GranteePrincipal`` *or* ``GranteeServicePrincipal``, the
  latter needing a ``SourceArn`` constraint and a retiring principal), operations from the
  model's ``GrantOperation`` enum that the key's type supports (Sign on a symmetric key is a
  validation error), optional constraints and an optional retiring principal;
- encryption context constraints: at most 8 pairs, values at most 384 characters, symmetric
  encryption keys only; when matching, constraint *keys* are case-insensitive and *values*
  case-sensitive (unlike Decrypt, which is case-sensitive throughout);
- ``Name`` makes CreateGrant idempotent: an identical retry returns the same GrantId with a new
  token. (A retry that differs creates a new grant: the API documents no error for it.)
- GrantId is 64 hex characters; every call returns a new opaque GrantToken, all usable to
  retire the grant;
- at most 50,000 grants per key (the ``grants_per_key`` quota) -> LimitExceededException;
- deleting a key deletes its grants.

Grants are stored faithfully but not enforced yet: :func:`grants_for` is the question the
authorizer will ask ("which grants let this principal do this with this encryption context?").
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from simulator.core.context import RequestContext
from simulator.core.errors import AccessDeniedException, ValidationException
from simulator.protocol.registry import operation
from simulator.services.kms import key_states
from simulator.services.kms.annotations import key_resource
from simulator.services.kms.errors import (
    DryRunOperationException,
    InvalidArnException,
    InvalidGrantIdException,
    InvalidGrantTokenException,
    LimitExceededException,
    NotFoundException,
)
from simulator.services.kms.model import Grant, Key
from simulator.services.regional import RegionalStates

if TYPE_CHECKING:
    import datetime as _dt

    from simulator.services.base import ServiceEnv
    from simulator.services.kms.keys import KeyFinder
    from simulator.services.kms.model import RegionState

MAX_CONSTRAINT_PAIRS = 8  # K-GRANT
MAX_CONSTRAINT_VALUE = 384  # K-GRANT
LIST_LIMIT_MAX, LIST_LIMIT_DEFAULT = 100, 50  # ListGrants / ListRetirableGrants Limit (model doc)
_TOKEN_MAGIC = b"SLgt"
_TOKEN_BYTES = 64
_GRANT_ID = re.compile(r"^[0-9a-f]{64}$")
# K-GRANT: grantees and retiring principals are IAM principals given by ARN: accounts (root),
# users, roles, federated users and assumed-role sessions; not groups or organizations.
_PRINCIPAL_ARN = re.compile(
    r"^arn:aws[a-z-]*:(?:iam::\d{12}:(?:root|user/.+|role/.+)"
    r"|sts::\d{12}:(?:assumed-role/[^/]+/.+|federated-user/.+))$"
)
_SERVICE_PRINCIPAL = re.compile(r"^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.amazonaws\.com$")

_COMMON_OPS = frozenset({"CreateGrant", "RetireGrant", "DescribeKey"})
# Operations a grant may allow, by kind of key (K-GRANT "Grant operations": grants for symmetric
# keys cannot allow Sign/Verify/GenerateMac/VerifyMac; grants for asymmetric keys cannot allow
# operations that generate data keys or data key pairs).
_OPS_BY_KIND: dict[str, frozenset[str]] = {
    "symmetric": _COMMON_OPS
    | {
        "Decrypt",
        "Encrypt",
        "GenerateDataKey",
        "GenerateDataKeyWithoutPlaintext",
        "ReEncryptFrom",
        "ReEncryptTo",
        "GenerateDataKeyPair",
        "GenerateDataKeyPairWithoutPlaintext",
    },
    "GENERATE_VERIFY_MAC": _COMMON_OPS | {"GenerateMac", "VerifyMac"},
    "ENCRYPT_DECRYPT": _COMMON_OPS
    | {"Encrypt", "Decrypt", "ReEncryptFrom", "ReEncryptTo", "GetPublicKey"},
    "SIGN_VERIFY": _COMMON_OPS | {"Sign", "Verify", "GetPublicKey"},
    "KEY_AGREEMENT": _COMMON_OPS | {"DeriveSharedSecret", "GetPublicKey"},
    "ENCAPSULATE_DECAPSULATE": _COMMON_OPS | {"Encapsulate", "Decapsulate", "GetPublicKey"},
}
# K-GCON: encryption context constraints apply only to operations that take an encryption
# context (cryptographic operations with symmetric encryption keys).
EC_OPERATIONS = frozenset(_OPS_BY_KIND["symmetric"] - _COMMON_OPS)


def _kind(key: Key) -> str:
    return "symmetric" if key.key_spec == "SYMMETRIC_DEFAULT" else key.key_usage.value


def _folded(context: dict[str, str]) -> dict[str, str]:
    return {k.lower(): v for k, v in context.items()}


def constraints_match(grant: Grant, encryption_context: dict[str, str] | None) -> bool:
    """Whether a request's encryption context satisfies the grant's EC constraints (K-GCON)."""
    request = _folded(encryption_context or {})
    equals = grant.constraints.get("EncryptionContextEquals")
    if equals is not None and _folded(equals) != request:
        return False
    subset = grant.constraints.get("EncryptionContextSubset")
    if subset is not None:
        return all(request.get(k) == v for k, v in _folded(subset).items())
    return True


def _principal_matches(grantee: str | None, principal_arn: str) -> bool:
    if grantee is None:
        return False
    if grantee == principal_arn:
        return True
    account = principal_arn.split(":")[4] if principal_arn.count(":") >= 5 else ""
    if grantee == f"arn:aws:iam::{account}:root":
        return True
    m = re.match(r"^arn:aws[a-z-]*:sts::(\d{12}):assumed-role/([^/]+)/", principal_arn)
    return bool(
        m
        and grantee.startswith(f"arn:aws:iam::{m.group(1)}:role/")
        and grantee.rsplit("/", 1)[-1] == m.group(2)
    )


def grants_for(
    state: RegionState,
    key: Key,
    principal_arn: str,
    operation: str,
    encryption_context: dict[str, str] | None = None,
) -> list[Grant]:
    """The grants on ``key`` that let ``principal_arn`` call ``operation``.

    ``principal_arn`` may be an IAM/STS ARN or a service principal. A grant to an account's
    root lets that account's principals use it (subject to their IAM policies), and a grant to
    a role covers that role's sessions. ``operation`` is a grant operation name (ReEncryptFrom /
    ReEncryptTo for the two halves of ReEncrypt). Encryption context constraints are checked
    only for operations that take an encryption context; for CreateGrant, a grant's constraints
    bound the child grant instead (see :func:`child_grant_allowed`).
    """
    out: list[Grant] = []
    for grant in state.grants.values():
        if grant.key_id != key.key_id or operation not in grant.operations:
            continue
        if not (
            _principal_matches(grant.grantee_principal, principal_arn)
            or grant.grantee_service_principal == principal_arn
        ):
            continue
        if operation in EC_OPERATIONS and not constraints_match(grant, encryption_context):
            continue
        out.append(grant)
    return out


def child_grant_allowed(
    parent: Grant, operations: list[str], constraints: dict[str, dict[str, str]]
) -> bool:
    """K-GRANT: a grant created with a grant's CreateGrant permission must be as strict or
    stricter: a subset of its operations and at least its encryption context constraints."""
    if not set(operations) <= set(parent.operations):
        return False
    p_equals = parent.constraints.get("EncryptionContextEquals")
    p_subset = parent.constraints.get("EncryptionContextSubset")
    c_equals = constraints.get("EncryptionContextEquals")
    c_subset = constraints.get("EncryptionContextSubset")
    if p_equals is not None:
        return c_equals is not None and _folded(c_equals) == _folded(p_equals)
    if p_subset is not None:
        child = c_equals if c_equals is not None else c_subset
        if child is None:
            return False
        folded = _folded(child)
        return all(folded.get(k) == v for k, v in _folded(p_subset).items())
    return True


def _grant_entry(grant: Grant, key: Key) -> dict[str, Any]:
    out: dict[str, Any] = {
        "KeyId": key.arn,
        "GrantId": grant.grant_id,
        "CreationDate": grant.creation_date,
        "IssuingAccount": grant.issuing_account,
        "Operations": list(grant.operations),
    }
    optional = {
        "Name": grant.name,
        "GranteePrincipal": grant.grantee_principal,
        "GranteeServicePrincipal": grant.grantee_service_principal,
        "RetiringPrincipal": grant.retiring_principal,
        "RetiringServicePrincipal": grant.retiring_service_principal,
    }
    out.update({k: v for k, v in optional.items() if v is not None})
    constraints: dict[str, Any] = {k: dict(v) for k, v in grant.constraints.items()}
    if grant.source_arn is not None:
        constraints["SourceArn"] = grant.source_arn
    if constraints:
        out["Constraints"] = constraints
    return out


def _check_limit(p: dict[str, Any]) -> int:
    limit = p.get("Limit", LIST_LIMIT_DEFAULT)
    if limit > LIST_LIMIT_MAX:
        raise ValidationException(
            f"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy "
            f"constraint: Member must have value less than or equal to {LIST_LIMIT_MAX}"
        )
    return int(limit)


def _check_grant_id(grant_id: str) -> None:
    if not _GRANT_ID.match(grant_id):
        raise InvalidGrantIdException(f"Invalid grant ID: {grant_id}")


def _token_well_formed(token: str) -> bool:
    try:
        raw = base64.b64decode(token.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return False
    return len(raw) == _TOKEN_BYTES and raw.startswith(_TOKEN_MAGIC)


def _dry_run() -> DryRunOperationException:
    from simulator.services.kms.service import DRY_RUN_MESSAGE

    return DryRunOperationException(DRY_RUN_MESSAGE)


class GrantOps:
    """Mixin for :class:`KmsService`; its handlers are marked with ``@operation``."""

    env: ServiceEnv
    finder: KeyFinder
    _regions: RegionalStates[RegionState]

    def state(self, account: str, region: str) -> RegionState:
        raise NotImplementedError

    # -- helpers --------------------------------------------------------------------------
    def _new_token(self) -> str:
        raw = _TOKEN_MAGIC + self.env.ids.bytes(_TOKEN_BYTES - len(_TOKEN_MAGIC))
        return base64.b64encode(raw).decode("ascii")

    def _states_in(self, region: str) -> Iterator[RegionState]:
        for slot, st in self._regions.items():
            if slot.rpartition(":")[2] == region:
                yield st

    def _grant_by_token(self, ctx: RequestContext, token: str) -> tuple[RegionState, Grant]:
        if not _token_well_formed(token):
            raise InvalidGrantTokenException("The grant token is not valid.")
        for st in self._states_in(ctx.region):
            for grant in st.grants.values():
                if token in grant.tokens:
                    return st, grant
        raise NotFoundException("Grant does not exist for the given grant token.")

    def _key_grant(self, ctx: RequestContext, key_id: str, grant_id: str) -> tuple[Key, Grant]:
        key = self.finder.find(ctx, key_id, aliases=False)
        _check_grant_id(grant_id)
        grant = self.state(key.account_id, key.region).grants.get(grant_id)
        if grant is None or grant.key_id != key.key_id:
            raise NotFoundException(f"Grant ID {grant_id} not found for key {key.arn}")
        return key, grant

    def _check_principal(self, ctx: RequestContext, value: str, member: str) -> None:
        # Services acting for customers (principal.invoked_by) may name service principals.
        if _PRINCIPAL_ARN.match(value) or (
            ctx.principal.invoked_by and _SERVICE_PRINCIPAL.match(value)
        ):
            return
        raise InvalidArnException(f"{member} {value} is not a valid principal ARN.")

    def _grant_constraints(
        self, key: Key, raw: dict[str, Any] | None
    ) -> tuple[dict[str, dict[str, str]], str | None]:
        raw = raw or {}
        ec: dict[str, dict[str, str]] = {}
        for name in ("EncryptionContextEquals", "EncryptionContextSubset"):
            pairs = raw.get(name)
            if pairs is None:
                continue
            if len(pairs) > MAX_CONSTRAINT_PAIRS:
                raise ValidationException(
                    f"{name} can include at most {MAX_CONSTRAINT_PAIRS} encryption context pairs."
                )
            for value in pairs.values():
                if len(value) > MAX_CONSTRAINT_VALUE:
                    raise ValidationException(
                        f"An encryption context value in {name} cannot exceed "
                        f"{MAX_CONSTRAINT_VALUE} characters."
                    )
            ec[name] = dict(pairs)
        if ec and _kind(key) != "symmetric":
            raise ValidationException(
                "Encryption context grant constraints are supported only on symmetric "
                f"encryption KMS keys; {key.arn} is a {key.key_spec} key."
            )
        return ec, raw.get("SourceArn")

    def key_deleted(self, key: Key, due: _dt.datetime) -> None:
        """Deletion hook (called when a key is purged): its grants go with it (K-SKD)."""
        st = self.state(key.account_id, key.region)
        for grant_id in [g.grant_id for g in st.grants.values() if g.key_id == key.key_id]:
            del st.grants[grant_id]

    # -- operations -----------------------------------------------------------------------
    @operation("CreateGrant", resource=key_resource)
    def create_grant(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        grantee, service_grantee = p.get("GranteePrincipal"), p.get("GranteeServicePrincipal")
        retiring, service_retiring = p.get("RetiringPrincipal"), p.get("RetiringServicePrincipal")
        if (grantee is None) == (service_grantee is None):
            raise ValidationException(
                "You must specify either GranteePrincipal or GranteeServicePrincipal, but not both."
            )
        if retiring is not None and service_retiring is not None:
            raise ValidationException(
                "You can specify either RetiringPrincipal or RetiringServicePrincipal, "
                "but not both."
            )
        for token in p.get("GrantTokens", []):
            if not _token_well_formed(token):
                raise InvalidGrantTokenException("The grant token is not valid.")
        key = self.finder.find(ctx, p["KeyId"], aliases=False)
        if grantee is not None:
            self._check_principal(ctx, grantee, "GranteePrincipal")
        if retiring is not None:
            self._check_principal(ctx, retiring, "RetiringPrincipal")
        operations = list(dict.fromkeys(p["Operations"]))
        if not operations:
            raise ValidationException(
                "1 validation error detected: Value '[]' at 'operations' failed to satisfy "
                "constraint: Member must have length greater than or equal to 1"
            )
        unfit = [op for op in operations if op not in _OPS_BY_KIND.get(_kind(key), _COMMON_OPS)]
        if unfit:
            raise ValidationException(
                f"Grant operations {', '.join(unfit)} are not supported by {key.arn} "
                f"(KeySpec {key.key_spec}, KeyUsage {key.key_usage.value})."
            )
        constraints, source_arn = self._grant_constraints(key, p.get("Constraints"))
        if service_grantee is not None and (
            source_arn is None or (retiring is None and service_retiring is None)
        ):
            raise ValidationException(
                "A grant for a GranteeServicePrincipal needs a SourceArn grant constraint and "
                "a RetiringPrincipal or RetiringServicePrincipal."
            )
        key_states.check("CreateGrant", key)
        st = self.state(key.account_id, key.region)
        name = p.get("Name")
        if name is not None:
            for grant in st.grants.values():
                if (
                    grant.key_id == key.key_id
                    and grant.name == name
                    and grant.grantee_principal == grantee
                    and grant.grantee_service_principal == service_grantee
                    and grant.retiring_principal == retiring
                    and grant.retiring_service_principal == service_retiring
                    and sorted(grant.operations) == sorted(operations)
                    and grant.constraints == constraints
                    and grant.source_arn == source_arn
                ):
                    # K-GRANT: an identical retry returns the original grant, with a new token.
                    if p.get("DryRun"):
                        raise _dry_run()
                    token = self._new_token()
                    grant.tokens.append(token)
                    return {"GrantToken": token, "GrantId": grant.grant_id}
        limit = self.env.quotas.limit(key.account_id, key.region, "kms", "grants_per_key")
        if sum(1 for g in st.grants.values() if g.key_id == key.key_id) >= limit:
            raise LimitExceededException(
                f"The request was rejected because the grants quota ({limit}) for KMS key "
                f"{key.arn} has been reached."
            )
        if p.get("DryRun"):
            raise _dry_run()
        token = self._new_token()
        grant = Grant(
            grant_id=self.env.ids.hex(64),
            key_id=key.key_id,
            name=name,
            grantee_principal=grantee,
            grantee_service_principal=service_grantee,
            retiring_principal=retiring,
            retiring_service_principal=service_retiring,
            operations=operations,
            constraints=constraints,
            source_arn=source_arn,
            issuing_account=f"arn:aws:iam::{ctx.account_id}:root",
            creation_date=ctx.now,
            tokens=[token],
        )
        st.grants[grant.grant_id] = grant
        return {"GrantToken": token, "GrantId": grant.grant_id}

    @operation("ListGrants", read_only=True, resource=key_resource)
    def list_grants(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        from simulator.services.kms.service import page

        limit = _check_limit(p)
        if "GranteePrincipal" in p and "GranteeServicePrincipal" in p:
            raise ValidationException(
                "You can specify either GranteePrincipal or GranteeServicePrincipal, but not both."
            )
        key = self.finder.find(ctx, p["KeyId"], aliases=False)
        key_states.check("ListGrants", key)
        if "GrantId" in p:
            _check_grant_id(p["GrantId"])
        grants = [
            g
            for g in self.state(key.account_id, key.region).grants.values()
            if g.key_id == key.key_id
            and p.get("GrantId", g.grant_id) == g.grant_id
            and ("GranteePrincipal" not in p or g.grantee_principal == p["GranteePrincipal"])
            and (
                "GranteeServicePrincipal" not in p
                or g.grantee_service_principal == p["GranteeServicePrincipal"]
            )
        ]
        chunk, extra = page(grants, {**p, "Limit": limit})
        return {"Grants": [_grant_entry(g, key) for g in chunk], **extra}

    @operation("ListRetirableGrants", read_only=True)
    def list_retirable_grants(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        from simulator.services.kms.service import page

        limit = _check_limit(p)
        principal, service = p.get("RetiringPrincipal"), p.get("RetiringServicePrincipal")
        if (principal is None) == (service is None):
            raise ValidationException(
                "You must specify either RetiringPrincipal or RetiringServicePrincipal, "
                "but not both."
            )
        found: list[tuple[Grant, Key]] = []
        # The grants may be on keys in other accounts: every account's state in this Region.
        for st in self._states_in(ctx.region):
            for grant in st.grants.values():
                if (principal is not None and grant.retiring_principal == principal) or (
                    service is not None and grant.retiring_service_principal == service
                ):
                    key = st.keys.get(grant.key_id)
                    if key is not None:
                        found.append((grant, key))
        chunk, extra = page(found, {**p, "Limit": limit})
        return {"Grants": [_grant_entry(g, k) for g, k in chunk], **extra}

    @operation("RetireGrant", resource=key_resource)
    def retire_grant(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        token, key_id, grant_id = p.get("GrantToken"), p.get("KeyId"), p.get("GrantId")
        if token is not None:
            st, grant = self._grant_by_token(ctx, token)
            key = st.keys[grant.key_id]
            if grant_id is not None and grant_id != grant.grant_id:
                raise InvalidGrantIdException(
                    f"Grant ID {grant_id} does not match the grant of the grant token."
                )
        elif key_id is not None and grant_id is not None:
            key, grant = self._key_grant(ctx, key_id, grant_id)
            st = self.state(key.account_id, key.region)
        else:
            raise ValidationException(
                "To retire a grant, specify a GrantToken, or both a KeyId and a GrantId."
            )
        key_states.check("RetireGrant", key)
        # K-RETIRE: the retiring principal, a grantee whose grant allows RetireGrant, the
        # account that created the grant, and (through the key policy) the key's own account.
        caller = ctx.principal.arn
        if not (
            ctx.account_id in (key.account_id, grant.issuing_account.split(":")[4])
            or _principal_matches(grant.retiring_principal, caller)
            or (
                "RetireGrant" in grant.operations
                and _principal_matches(grant.grantee_principal, caller)
            )
        ):
            raise AccessDeniedException(
                f"User: {caller} is not authorized to perform: kms:RetireGrant on resource: "
                f"{key.arn}"
            )
        if p.get("DryRun"):
            raise _dry_run()
        del st.grants[grant.grant_id]
        return {}

    @operation("RevokeGrant", resource=key_resource)
    def revoke_grant(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        key, grant = self._key_grant(ctx, p["KeyId"], p["GrantId"])
        key_states.check("RevokeGrant", key)
        if p.get("DryRun"):
            raise _dry_run()
        del self.state(key.account_id, key.region).grants[grant.grant_id]
        return {}
