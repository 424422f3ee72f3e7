"""AWS managed keys: the ``alias/aws/<service>`` keys that integrated services create on first use.

Facts (sheet 1.9, K-CONC; K-ROT; K-RQ):

- KeyManager ``AWS``; alias ``alias/aws/<service>`` (a prefix customers cannot use, K-CALIAS);
  description "Default key that protects my <X> when no other key is defined" (the wording
  ``describe-key`` shows for these keys; older keys say "Default master key ...");
- rotated every year (about 365 days) and customers cannot change that;
- customers cannot change the key policy, enable/disable, delete, tag, or alias these keys, and
  can use them only through the owning service: the key policy allows cryptographic use only
  with ``kms:ViaService`` = ``<service>.<region>.amazonaws.com`` and ``kms:CallerAccount``, and
  gives the account read-only access to the key's metadata. Every other request is refused by
  the key policy, so AWS answers ``AccessDeniedException`` ("... because no resource-based
  policy allows the kms:<Operation> action");
- they do not count toward the customer managed keys quota.

The policy templates follow the policies AWS attaches (Secrets Manager's from the Secrets
Manager user guide, "Secret encryption and decryption"; ``auto-ssm-1`` and ``auto-acm-4`` as
shown by ``GetKeyPolicy`` on those keys).
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulator.core.context import RequestContext
from simulator.core.errors import AccessDeniedException
from simulator.services.kms.keys import alias_arn, key_arn
from simulator.services.kms.model import (
    Alias,
    Key,
    KeyManager,
    KeyState,
    KeyUsage,
    Origin,
)

if TYPE_CHECKING:
    from simulator.services.kms.service import KmsService

ROTATION_PERIOD_DAYS = 365  # K-ROT: AWS managed keys rotate every year (every 3 years pre-2022)

PolicyBuilder = Callable[[str, str, str], dict[str, Any]]  # (account, region, service) -> policy


def _via(service: str, region: str) -> str:
    return f"{service}.{region}.amazonaws.com"


def _metadata_statement(account: str, actions: list[str]) -> dict[str, Any]:
    return {
        "Sid": "Allow direct access to key metadata to the account",
        "Effect": "Allow",
        "Principal": {"AWS": [f"arn:aws:iam::{account}:root"]},
        "Action": actions,
        "Resource": "*",
    }


def _secretsmanager_policy(account: str, region: str, service: str) -> dict[str, Any]:
    sid = (
        "Allow access through AWS Secrets Manager for all principals in the account that are "
        "authorized to use AWS Secrets Manager"
    )
    return {
        "Version": "2012-10-17",
        "Id": "auto-secretsmanager-2",
        "Statement": [
            {
                "Sid": sid,
                "Effect": "Allow",
                "Principal": {"AWS": ["*"]},
                "Action": [
                    "kms:Encrypt",
                    "kms:Decrypt",
                    "kms:ReEncrypt*",
                    "kms:CreateGrant",
                    "kms:DescribeKey",
                ],
                "Resource": "*",
                "Condition": {
                    "StringEquals": {
                        "kms:CallerAccount": account,
                        "kms:ViaService": _via(service, region),
                    }
                },
            },
            {
                "Sid": sid,
                "Effect": "Allow",
                "Principal": {"AWS": ["*"]},
                "Action": "kms:GenerateDataKey*",
                "Resource": "*",
                "Condition": {
                    "StringEquals": {"kms:CallerAccount": account},
                    "StringLike": {"kms:ViaService": _via(service, region)},
                },
            },
            _metadata_statement(
                account, ["kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant"]
            ),
        ],
    }


def _ssm_policy(account: str, region: str, service: str) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Id": "auto-ssm-1",
        "Statement": [
            {
                "Sid": "Allow access through SSM for all principals in the account that are "
                "authorized to use SSM",
                "Effect": "Allow",
                "Principal": {"AWS": "*"},
                "Action": [
                    "kms:Encrypt",
                    "kms:Decrypt",
                    "kms:ReEncrypt*",
                    "kms:GenerateDataKey*",
                    "kms:DescribeKey",
                ],
                "Resource": "*",
                "Condition": {
                    "StringEquals": {
                        "kms:ViaService": _via(service, region),
                        "kms:CallerAccount": account,
                    }
                },
            },
            _metadata_statement(account, ["kms:Describe*", "kms:Get*", "kms:List*"]),
        ],
    }


def _acm_policy(account: str, region: str, service: str) -> dict[str, Any]:
    via = {"kms:CallerAccount": account, "kms:ViaService": _via(service, region)}

    def grant(sid: str, operations: str | list[str]) -> dict[str, Any]:
        return {
            "Sid": sid,
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": "kms:CreateGrant",
            "Resource": "*",
            "Condition": {
                "StringEquals": via,
                "ForAllValues:StringEquals": {"kms:GrantOperations": operations},
                "Bool": {"kms:GrantIsForAWSResource": "true"},
            },
        }

    return {
        "Version": "2012-10-17",
        "Id": "auto-acm-4",
        "Statement": [
            grant("Allow creation of decryption grants", "Decrypt"),
            grant(
                "Allow creation of encryption grant", ["Encrypt", "ReEncryptFrom", "ReEncryptTo"]
            ),
            {
                "Sid": "Allowed operations for the key owner",
                "Effect": "Allow",
                "Principal": {"AWS": "*"},
                "Action": [
                    "kms:DescribeKey",
                    "kms:ListGrants",
                    "kms:RevokeGrant",
                    "kms:GetKeyPolicy",
                ],
                "Resource": "*",
                "Condition": {"StringEquals": {"kms:CallerAccount": account}},
            },
            {
                "Sid": "Deny re-encryption to any other key",
                "Effect": "Deny",
                "Principal": {"AWS": "*"},
                "Action": "kms:ReEncrypt*",
                "Resource": "*",
                "Condition": {"Bool": {"kms:ReEncryptOnSameKey": "false"}},
            },
            {
                "Sid": "Allow decrypt",
                "Effect": "Allow",
                "Principal": {"AWS": "*"},
                "Action": "kms:Decrypt",
                "Resource": "*",
                "Condition": {"StringEquals": via},
            },
        ],
    }


@dataclass(frozen=True)
class ManagedKeyProfile:
    service: str  # the alias suffix and the service's endpoint prefix (kms:ViaService)
    protects: str  # the "<X>" of the description
    policy: PolicyBuilder

    @property
    def alias(self) -> str:
        return f"alias/aws/{self.service}"

    @property
    def description(self) -> str:
        return f"Default key that protects my {self.protects} when no other key is defined"


PROFILES: dict[str, ManagedKeyProfile] = {
    p.service: p
    for p in (
        ManagedKeyProfile("secretsmanager", "Secrets Manager data", _secretsmanager_policy),
        ManagedKeyProfile("ssm", "SSM parameters", _ssm_policy),
        ManagedKeyProfile("acm", "ACM private keys", _acm_policy),
    )
}


def aws_managed_key(kms: KmsService, account: str, region: str, service_name: str) -> Key:
    """The AWS managed key of ``service_name`` in ``account``/``region``, created on first use.

    This is what an integrated service does the first time a customer relies on its default
    key (for example CreateSecret without KmsKeyId): AWS creates ``alias/aws/<service>``.
    """
    profile = PROFILES.get(service_name)
    if profile is None:
        raise ValueError(
            f"no AWS managed key profile for {service_name!r}; known: {', '.join(PROFILES)}"
        )
    st = kms.state(account, region)
    existing = st.aliases.get(profile.alias)
    if existing is not None and existing.target_key_id in st.keys:
        return st.keys[existing.target_key_id]
    now = kms.env.clock.now()
    key_id = kms.env.ids.uuid()
    key = Key(
        key_id=key_id,
        arn=key_arn(region, account, key_id),
        account_id=account,
        region=region,
        creation_date=now,
        description=profile.description,
        key_spec="SYMMETRIC_DEFAULT",
        key_usage=KeyUsage.ENCRYPT_DECRYPT,
        origin=Origin.AWS_KMS,
        key_manager=KeyManager.AWS,
        state=KeyState.ENABLED,
        policy=json.dumps(profile.policy(account, region, service_name), indent=2),
    )
    kms.generate_material(key)
    # K-ROT: yearly rotation, always on; the rotation mixin schedules it when it offers a hook.
    key.rotation.enabled = True
    key.rotation.period_days = ROTATION_PERIOD_DAYS
    key.rotation.next_rotation = now + _dt.timedelta(days=ROTATION_PERIOD_DAYS)
    st.keys[key_id] = key
    st.aliases[profile.alias] = Alias(
        profile.alias, alias_arn(region, account, profile.alias), key_id, now, now
    )
    schedule = getattr(kms, "schedule_rotation", None)
    if callable(schedule):
        schedule(key)
    return key


def access_denied(ctx: RequestContext, action: str, resource: str, *, explicit: bool) -> Exception:
    """The AccessDeniedException AWS sends when a key policy refuses a request."""
    why = (
        "with an explicit deny in a resource-based policy"
        if explicit
        else f"because no resource-based policy allows the {action} action"
    )
    return AccessDeniedException(
        f"User: {ctx.principal.arn} is not authorized to perform: {action} on resource: "
        f"{resource} {why}"
    )
