"""IAM domain state, per account: users, groups, roles, access keys and customer managed
policies. (AWS managed policies are global data in ``managed_policies.py``.)

Names are unique per account without regard to case ("you can't create groups named both ADMINS
and admins", IAM quotas page), so each table is keyed by the lower-cased name and the entity
keeps the case it was created with. Secret access keys are held sealed under the Cloud's domain
key (``sealed_secret``), never in the clear, so reprs and snapshots show none.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from enum import StrEnum


class KeyStatus(StrEnum):
    ACTIVE = "Active"
    INACTIVE = "Inactive"


@dataclass
class AccessKeyRecord:
    access_key_id: str
    sealed_secret: bytes = field(repr=False)
    status: KeyStatus
    created: _dt.datetime


@dataclass
class User:
    name: str
    user_id: str  # AIDA...
    path: str
    created: _dt.datetime
    tags: dict[str, str] = field(default_factory=dict)
    inline: dict[str, str] = field(default_factory=dict)  # policy name -> document
    attached: list[str] = field(default_factory=list)  # managed policy ARNs
    access_keys: list[AccessKeyRecord] = field(default_factory=list)
    permissions_boundary: str | None = None


@dataclass
class Group:
    name: str
    group_id: str  # AGPA...
    path: str
    created: _dt.datetime
    members: list[str] = field(default_factory=list)  # user names, lower-cased keys
    inline: dict[str, str] = field(default_factory=dict)
    attached: list[str] = field(default_factory=list)


@dataclass
class Role:
    name: str
    role_id: str  # AROA...
    path: str
    created: _dt.datetime
    trust_policy: str
    description: str | None = None
    max_session_duration: int = 3600
    tags: dict[str, str] = field(default_factory=dict)
    inline: dict[str, str] = field(default_factory=dict)
    attached: list[str] = field(default_factory=list)
    permissions_boundary: str | None = None
    last_used: _dt.datetime | None = None
    last_used_region: str | None = None


@dataclass
class PolicyVersion:
    version_id: str  # v1, v2...
    document: str
    created: _dt.datetime


@dataclass
class ManagedPolicy:
    """A customer managed policy (AWS managed ones are module data, not state)."""

    name: str
    policy_id: str  # ANPA...
    path: str
    arn: str
    created: _dt.datetime
    updated: _dt.datetime
    default_version: str
    versions: list[PolicyVersion] = field(default_factory=list)
    next_version: int = 2
    description: str | None = None
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class AccountState:
    account_id: str
    users: dict[str, User] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)
    policies: dict[str, ManagedPolicy] = field(default_factory=dict)  # by ARN


def entity_arn(account: str, kind: str, path: str, name: str) -> str:
    """``arn:aws:iam::<acct>:user/<path><name>``: IAM is global, so the Region is empty."""
    return f"arn:aws:iam::{account}:{kind}{path}{name}"
