"""KMS aliases, tags, key policies (stored and validated; enforcement comes with IAM).

Rules: alias names start with ``alias/`` and ``alias/aws/`` is reserved for AWS managed keys
(K-CALIAS); at most 50 aliases per key (K-RQ); tag keys 1-128 and values 0-256 characters,
no duplicate keys, ``aws:`` prefix reserved (K-CREATE); key policy 32 KB, name ``default`` only
(K-PKP).
"""

from __future__ import annotations

import datetime as _dt
import json
from typing import TYPE_CHECKING, Any

from simulator.core.context import RequestContext
from simulator.protocol.registry import operation
from simulator.services.kms import key_states
from simulator.services.kms.errors import (
    AlreadyExistsException,
    InvalidAliasNameException,
    LimitExceededException,
    MalformedPolicyDocumentException,
    NotFoundException,
    TagException,
)
from simulator.services.kms.keys import alias_arn, key_arn
from simulator.services.kms.model import Alias, Key, KeyManager

if TYPE_CHECKING:
    from simulator.services.kms.keys import KeyFinder
    from simulator.services.kms.model import RegionState

ALIASES_PER_KEY = 50
KEY_POLICY_MAX_BYTES = 32 * 1024


def key_resource(svc: Any, ctx: RequestContext, params: dict[str, Any]) -> str:
    ref = params.get("KeyId") or params.get("TargetKeyId")
    if not ref:
        return "*"
    if ref.startswith("arn:"):
        return str(ref)
    if ref.startswith("alias/"):
        return alias_arn(ctx.region, ctx.account_id, ref)
    return key_arn(ctx.region, ctx.account_id, ref)


def check_policy(policy: str) -> None:
    if len(policy.encode("utf-8")) > KEY_POLICY_MAX_BYTES:
        raise LimitExceededException(
            f"The key policy exceeds the maximum size of {KEY_POLICY_MAX_BYTES} bytes."
        )
    try:
        doc = json.loads(policy)
    except ValueError:
        raise MalformedPolicyDocumentException("The key policy is not valid JSON.") from None
    if not isinstance(doc, dict) or "Statement" not in doc:
        raise MalformedPolicyDocumentException("The key policy must contain a Statement.")


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
        if sum(1 for a in st.aliases.values() if a.target_key_id == key.key_id) >= ALIASES_PER_KEY:
            raise LimitExceededException(
                f"Key {key.arn} already has the maximum of {ALIASES_PER_KEY} aliases."
            )
        st.aliases[name] = Alias(
            name, alias_arn(ctx.region, ctx.account_id, name), key.key_id, ctx.now, ctx.now
        )
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
        name = p.get("PolicyName", "default")
        if name != "default":
            raise NotFoundException("No such policy exists")
        return {"Policy": key.policy, "PolicyName": "default"}

    @operation("ListKeyPolicies", read_only=True, resource=key_resource)
    def list_key_policies(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        self.finder.find(ctx, p["KeyId"], aliases=False)
        return {"PolicyNames": ["default"], "Truncated": False}


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
