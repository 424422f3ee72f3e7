"""KMS aliases, tags and key policies (stored and validated; enforcement comes with IAM).

Rules: alias names start with ``alias/`` and ``alias/aws/`` is reserved for AWS managed keys
(K-CALIAS); at most 50 aliases per key (K-RQ, the ``aliases_per_key`` quota); UpdateAlias keeps
the key type (symmetric, asymmetric, HMAC) and key usage (K-UALIAS); tag keys 1-128 and
values 0-256 characters, no duplicate keys, ``aws:`` prefix reserved (K-CREATE). Key policies
(K-PKP): one policy per key, named ``default``; ``AWS_RAM`` is managed by RAM and cannot be
set; 32 KB; grammar and the lockout safety check live in ``policies.py``.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any

from simulator.core import quotas
from simulator.core.context import RequestContext
from simulator.core.errors import ValidationException
from simulator.protocol.registry import operation
from simulator.services.kms import key_states, policies
from simulator.services.kms.errors import (
    AlreadyExistsException,
    InvalidAliasNameException,
    LimitExceededException,
    NotFoundException,
    TagException,
)
from simulator.services.kms.keys import alias_arn, key_arn
from simulator.services.kms.managed import access_denied
from simulator.services.kms.model import Alias, Key, KeyManager

if TYPE_CHECKING:
    from simulator.services.base import ServiceEnv
    from simulator.services.kms.keys import KeyFinder
    from simulator.services.kms.model import RegionState

ALIASES_PER_KEY = int(quotas.default("kms", "aliases_per_key"))
KEY_POLICY_MAX_BYTES = policies.KEY_POLICY_MAX_BYTES
DEFAULT_POLICY_NAME = "default"
RAM_POLICY_NAME = "AWS_RAM"


def key_resource(svc: Any, ctx: RequestContext, params: dict[str, Any]) -> str:
    ref = params.get("KeyId") or params.get("TargetKeyId")
    if not ref:
        return "*"
    if ref.startswith("arn:"):
        return str(ref)
    if ref.startswith("alias/"):
        return alias_arn(ctx.region, ctx.account_id, ref)
    return key_arn(ctx.region, ctx.account_id, ref)


def check_policy(
    policy: str,
    *,
    caller_arn: str | None = None,
    account: str | None = None,
    key_arn: str = "*",
    bypass: bool = False,
) -> None:
    """Validate a key policy for CreateKey, PutKeyPolicy and ReplicateKey (K-PKP).

    With ``caller_arn`` and ``account`` (the caller's), and unless ``bypass``
    (BypassPolicyLockoutSafetyCheck), also run the lockout safety check against ``key_arn``.
    """
    statements = policies.parse(policy)
    if caller_arn is not None and account is not None and not bypass:
        policies.check_lockout(statements, caller_arn, account, key_arn)


def check_policy_for(ctx: RequestContext, policy: str, key_arn: str, bypass: bool) -> None:
    """:func:`check_policy` for the caller of ``ctx`` (CreateKey passes the new key's ARN)."""
    check_policy(
        policy, caller_arn=ctx.principal.arn, account=ctx.account_id, key_arn=key_arn, bypass=bypass
    )


def parse_tags(tags: list[dict[str, str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for tag in tags:
        k = tag["TagKey"]
        if k.startswith("aws:"):
            raise TagException("Tags beginning with aws: are reserved.")
        if k in out:
            raise TagException(f"Duplicate tag keys: {k}")
        out[k] = tag["TagValue"]
    return out


def service_event(name: str, when: _dt.datetime, key: Key, event_id: str) -> dict[str, Any]:
    """A CloudTrail ``AwsServiceEvent`` KMS writes on its own (K-CT: DeleteKey, RotateKey...)."""
    return {
        "eventVersion": "1.11",
        "userIdentity": {"accountId": key.account_id, "invokedBy": "kms.amazonaws.com"},
        "eventTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "eventSource": "kms.amazonaws.com",
        "eventName": name,
        "awsRegion": key.region,
        "sourceIPAddress": "kms.amazonaws.com",
        "userAgent": "kms.amazonaws.com",
        "requestParameters": None,
        "responseElements": None,
        "requestID": None,
        "eventID": event_id,
        "readOnly": False,
        "resources": [{"ARN": key.arn, "accountId": key.account_id, "type": "AWS::KMS::Key"}],
        "eventType": "AwsServiceEvent",
        "managementEvent": True,
        "recipientAccountId": key.account_id,
        "eventCategory": "Management",
        "serviceEventDetails": {"keyId": key.key_id},
    }


class AnnotationOps:
    """Mixin for :class:`KmsService`: aliases, tags and key policies."""

    env: ServiceEnv
    finder: KeyFinder

    def state(self, account: str, region: str) -> RegionState:
        raise NotImplementedError

    # -- aliases --------------------------------------------------------------------------
    @operation("CreateAlias", resource=key_resource)
    def create_alias(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        name = p["AliasName"]
        _check_alias_name(name)
        key = self.finder.find(ctx, p["TargetKeyId"], aliases=False)
        if key.key_manager is KeyManager.AWS:
            raise InvalidAliasNameException("An alias can only point to a customer managed key.")
        key_states.check("CreateAlias", key)
        st = self.state(ctx.account_id, ctx.region)
        if name in st.aliases:
            raise AlreadyExistsException(
                f"An alias with the name {alias_arn(ctx.region, ctx.account_id, name)} "
                "already exists"
            )
        limit = self.env.quotas.limit(ctx.account_id, ctx.region, "kms", "aliases_per_key")
        if sum(1 for a in st.aliases.values() if a.target_key_id == key.key_id) >= limit:
            raise LimitExceededException(
                f"Key {key.arn} already has the maximum of {limit} aliases."
            )
        st.aliases[name] = Alias(
            name, alias_arn(ctx.region, ctx.account_id, name), key.key_id, ctx.now, ctx.now
        )
        return {}

    @operation("UpdateAlias", resource=key_resource)
    def update_alias(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        name = p["AliasName"]
        st = self.state(ctx.account_id, ctx.region)
        alias = st.aliases.get(name)
        if alias is None:
            raise NotFoundException(
                f"Alias {alias_arn(ctx.region, ctx.account_id, name)} is not found."
            )
        target = self.finder.find(ctx, p["TargetKeyId"], aliases=False)
        current = st.keys.get(alias.target_key_id)
        for key in (current, target):
            if key is not None and key.key_manager is KeyManager.AWS:
                # K-UALIAS: no permission to associate an alias with an AWS managed key.
                raise access_denied(ctx, "kms:UpdateAlias", key.arn, explicit=False)
        if target.account_id != ctx.account_id:
            raise NotFoundException(f"Invalid keyId {p['TargetKeyId']}")
        # K-UALIAS: the new key must be the same type (symmetric, asymmetric or HMAC) and have
        # the same key usage as the current one.
        if current is not None and (
            _key_type(current) != _key_type(target) or current.key_usage != target.key_usage
        ):
            raise ValidationException(
                f"Alias {alias.arn} refers to a {_key_type(current)} key with KeyUsage "
                f"{current.key_usage.value}; it cannot refer to {target.arn}, a "
                f"{_key_type(target)} key with KeyUsage {target.key_usage.value}. Delete the "
                "alias and create it again to change the type of key it refers to."
            )
        key_states.check("UpdateAlias", target)
        alias.target_key_id = target.key_id
        alias.last_updated = ctx.now
        return {}

    @operation("DeleteAlias")
    def delete_alias(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        name = p["AliasName"]
        st = self.state(ctx.account_id, ctx.region)
        if name not in st.aliases:
            raise NotFoundException(
                f"Alias {alias_arn(ctx.region, ctx.account_id, name)} is not found."
            )
        del st.aliases[name]
        return {}

    @operation("ListAliases", read_only=True)
    def list_aliases(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        from simulator.services.kms.service import page

        st = self.state(ctx.account_id, ctx.region)
        aliases = list(st.aliases.values())
        if p.get("KeyId"):
            key = self.finder.find(ctx, p["KeyId"], aliases=False)
            aliases = [a for a in aliases if a.target_key_id == key.key_id]
        chunk, extra = page(aliases, p, default_limit=50)
        entries = [
            {
                "AliasName": a.name,
                "AliasArn": a.arn,
                "TargetKeyId": a.target_key_id,
                "CreationDate": a.creation_date,
                "LastUpdatedDate": a.last_updated,
            }
            for a in chunk
        ]
        return {"Aliases": entries, **extra}

    # -- tags -----------------------------------------------------------------------------
    @operation("TagResource", resource=key_resource)
    def tag_resource(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        key = self.finder.find(ctx, p["KeyId"], aliases=False)
        key_states.check("TagResource", key)
        new = parse_tags(p["Tags"])
        key.tags.update(new)  # K-CREATE: re-tagging an existing key replaces its value
        return {}

    @operation("UntagResource", resource=key_resource)
    def untag_resource(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        key = self.finder.find(ctx, p["KeyId"], aliases=False)
        key_states.check("UntagResource", key)
        for k in p["TagKeys"]:
            key.tags.pop(k, None)
        return {}

    @operation("ListResourceTags", read_only=True, resource=key_resource)
    def list_resource_tags(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        from simulator.services.kms.service import page

        key = self.finder.find(ctx, p["KeyId"], aliases=False)
        tags = [{"TagKey": k, "TagValue": v} for k, v in key.tags.items()]
        chunk, extra = page(tags, p, default_limit=50)
        return {"Tags": chunk, **extra}

    # -- key policies ---------------------------------------------------------------------
    @operation("GetKeyPolicy", read_only=True, resource=key_resource)
    def get_key_policy(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        key = self.finder.find(ctx, p["KeyId"], aliases=False)
        key_states.check("GetKeyPolicy", key)
        name = p.get("PolicyName", DEFAULT_POLICY_NAME)
        if name != DEFAULT_POLICY_NAME:
            # K-PKP: the only other name is AWS_RAM, and RAM sharing is not simulated, so no
            # key has that policy: "If the KMS key doesn't have an AWS_RAM key policy,
            # GetKeyPolicy returns a NotFoundException."
            raise NotFoundException("No such policy exists")
        return {"Policy": key.policy, "PolicyName": DEFAULT_POLICY_NAME}

    @operation("ListKeyPolicies", read_only=True, resource=key_resource)
    def list_key_policies(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        key = self.finder.find(ctx, p["KeyId"], aliases=False)
        key_states.check("ListKeyPolicies", key)
        return {"PolicyNames": [DEFAULT_POLICY_NAME], "Truncated": False}

    @operation("PutKeyPolicy", resource=key_resource)
    def put_key_policy(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        key = self.finder.find(ctx, p["KeyId"], aliases=False)
        name = p.get("PolicyName", DEFAULT_POLICY_NAME)
        if name == RAM_POLICY_NAME:
            # K-PKP (PolicyName): "If you specify AWS_RAM, the request fails with a
            # ValidationException".
            raise ValidationException("The AWS_RAM policy can only be managed by the RAM service.")
        if name != DEFAULT_POLICY_NAME:
            raise NotFoundException("No such policy exists")
        if key.key_manager is KeyManager.AWS:
            # AWS managed keys: their key policy does not allow kms:PutKeyPolicy (managed.py).
            raise access_denied(ctx, "kms:PutKeyPolicy", key.arn, explicit=False)
        key_states.check("PutKeyPolicy", key)
        check_policy_for(ctx, p["Policy"], key.arn, bool(p.get("BypassPolicyLockoutSafetyCheck")))
        key.policy = p["Policy"]
        return {}


def _key_type(key: Key) -> str:
    if key.key_spec == "SYMMETRIC_DEFAULT":
        return "symmetric"
    return "HMAC" if key.key_spec.startswith("HMAC_") else "asymmetric"


def _check_alias_name(name: str) -> None:
    if not name.startswith("alias/") or name == "alias/":
        raise InvalidAliasNameException(
            'Alias must start with the prefix "alias/". Please see '
            "https://docs.aws.amazon.com/kms/latest/developerguide/"
            "kms-alias.html"
        )
    if name.startswith("alias/aws/"):
        raise InvalidAliasNameException(
            "Alias names that begin with alias/aws/ are reserved for AWS managed keys."
        )
