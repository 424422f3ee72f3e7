"""What every IAM handler module shares: per-account state, lookups with IAM's errors, quotas,
pagination, tags, wire shapes, and the bridge to the Cloud's credential store.

IAM is global: one :class:`AccountState` per account, whatever Region a client names. Entity
lookups are case-insensitive (names are unique without regard to case). Timestamps have
IAM's one-second precision.
"""

from __future__ import annotations

import base64
import binascii
import datetime as _dt
import json
import re
from collections.abc import Sequence
from typing import Any, TypeVar
from urllib.parse import quote

from simulator.core.accounts import Account, Credential, Issuer
from simulator.core.context import Principal, PrincipalType, RequestContext
from simulator.core.errors import ValidationException
from simulator.core.persist import from_json, to_json
from simulator.iam.policy import PolicyError, PolicyKind, Statement, parse
from simulator.services.base import Service, ServiceEnv
from simulator.services.iam import managed_policies, quotas
from simulator.services.iam.errors import (
    InvalidInputException,
    LimitExceededException,
    MalformedPolicyDocumentException,
    NoSuchEntityException,
)
from simulator.services.iam.model import (
    AccessKeyRecord,
    AccountState,
    Group,
    KeyStatus,
    ManagedPolicy,
    Role,
    User,
    entity_arn,
)

T = TypeVar("T")
DEFAULT_MAX_ITEMS = 100  # IAM list operations: "If you do not include MaxItems, it defaults to 100"
_POLICY_ARN = re.compile(r"^arn:aws:iam::(aws|\d{12}):policy(/.*/|/)([\w+=,.@-]+)$")
_SECRET_AAD = b"iam-secret-access-key"


def second(now: _dt.datetime) -> _dt.datetime:
    return now.replace(microsecond=0)


def url_encoded(document: str) -> str:
    """IAM returns policy documents URL-encoded (RFC 3986); botocore decodes them to dicts."""
    return quote(document, safe="")


class IamCore(Service):
    """Shared state and helpers; the handler mixins and :class:`IamService` build on it."""

    def __init__(self, env: ServiceEnv) -> None:
        super().__init__(env)
        self._accounts: dict[str, AccountState] = {}

    # -- state ----------------------------------------------------------------------------
    def account(self, account_id: str) -> AccountState:
        state = self._accounts.get(account_id)
        if state is None:
            state = self._accounts[account_id] = AccountState(account_id)
        return state

    def limit(self, account_id: str, name: str) -> int:
        return self.env.quotas.limit(account_id, quotas.GLOBAL, "iam", name)

    def dump(self) -> Any:
        return {acct: to_json(state) for acct, state in self._accounts.items()}

    def restore(self, data: Any) -> None:
        self._accounts = {acct: from_json(AccountState, raw) for acct, raw in (data or {}).items()}
        # Long-term keys live in IAM state; the credential store is rebuilt from it.
        self.env.credentials.drop(Issuer.IAM)
        for state in self._accounts.values():
            for user in state.users.values():
                for key in user.access_keys:
                    self.register_key(state.account_id, user, key)

    # -- lookups (IAM's NoSuchEntity messages) -------------------------------------------
    def user(self, account_id: str, name: str) -> User:
        found = self.account(account_id).users.get(name.lower())
        if found is None:
            raise NoSuchEntityException(f"The user with name {name} cannot be found.")
        return found

    def group(self, account_id: str, name: str) -> Group:
        found = self.account(account_id).groups.get(name.lower())
        if found is None:
            raise NoSuchEntityException(f"The group with name {name} cannot be found.")
        return found

    def role(self, account_id: str, name: str) -> Role:
        found = self.account(account_id).roles.get(name.lower())
        if found is None:
            raise NoSuchEntityException(f"The role with name {name} cannot be found.")
        return found

    def find_role(self, account_id: str, name: str) -> Role | None:
        """A role in any account of this Cloud, or None (STS must not reveal which)."""
        state = self._accounts.get(account_id)
        return state.roles.get(name.lower()) if state else None

    def caller_user(self, ctx: RequestContext, name: str | None) -> User:
        """The named user, or the caller when the name is omitted (IAM users only)."""
        if name:
            return self.user(ctx.account_id, name)
        principal = ctx.principal
        if principal.type is not PrincipalType.IAM_USER or not principal.user_name:
            raise ValidationException(
                "Must specify userName when calling with non-User credentials"
            )
        return self.user(ctx.account_id, principal.user_name)

    def policy_arn(self, arn: str) -> re.Match[str]:
        m = _POLICY_ARN.match(arn)
        if m is None:
            raise InvalidInputException(f"ARN {arn} is not valid.")
        return m

    def managed(
        self, account_id: str, arn: str, missing: str = "was not found."
    ) -> ManagedPolicy | managed_policies.AwsManagedPolicy:
        self.policy_arn(arn)
        found: ManagedPolicy | managed_policies.AwsManagedPolicy | None
        found = managed_policies.lookup(arn) or self.account(account_id).policies.get(arn)
        if found is None:
            raise NoSuchEntityException(f"Policy {arn} {missing}")
        return found

    def default_document(self, account_id: str, arn: str) -> str | None:
        aws = managed_policies.lookup(arn)
        if aws is not None:
            return aws.document
        policy = self.account(account_id).policies.get(arn)
        if policy is None:
            return None
        for version in policy.versions:
            if version.version_id == policy.default_version:
                return version.document
        return None

    # -- documents ------------------------------------------------------------------------
    def check_document(self, text: str, kind: PolicyKind = PolicyKind.IDENTITY) -> None:
        try:
            parse(text, kind, lookup=self.principal_exists if kind is PolicyKind.TRUST else None)
        except PolicyError as exc:
            raise MalformedPolicyDocumentException(exc.message) from None

    def principal_exists(self, arn: str) -> bool | None:
        """For trust policies: does a named user or role exist? None: not an account here."""
        parts = arn.split(":", 5)
        if len(parts) != 6 or parts[4] not in self._accounts:
            return None
        state = self._accounts[parts[4]]
        kind, _, rest = parts[5].partition("/")
        name = rest.rsplit("/", 1)[-1].lower()
        if parts[2] == "iam" and kind == "user":
            return name in state.users
        if parts[2] == "iam" and kind == "role":
            return name in state.roles
        return True  # sessions and federated users are not stored entities

    # -- pagination -----------------------------------------------------------------------
    def page(self, items: Sequence[T], p: dict[str, Any]) -> tuple[list[T], dict[str, Any]]:
        start = 0
        marker = p.get("Marker")
        if marker:
            try:
                start = int(json.loads(base64.urlsafe_b64decode(marker.encode()))["o"])
            except (ValueError, KeyError, TypeError, binascii.Error):
                raise InvalidInputException("Invalid Marker.") from None  # [U] wording
        size = p.get("MaxItems") or DEFAULT_MAX_ITEMS
        chunk = list(items[start : start + size])
        if start + size < len(items):
            token = base64.urlsafe_b64encode(json.dumps({"o": start + size}).encode()).decode()
            return chunk, {"IsTruncated": True, "Marker": token}
        return chunk, {"IsTruncated": False}

    # -- tags (keys are unique without regard to case in IAM) ----------------------------
    def merge_tags(
        self, account_id: str, current: dict[str, str], tags: list[dict[str, str]], quota: str
    ) -> dict[str, str]:
        seen: set[str] = set()
        for tag in tags:
            if tag["Key"].lower() in seen:
                raise InvalidInputException(
                    "Duplicate tag keys found. Please note that Tag keys are case insensitive."
                )
            seen.add(tag["Key"].lower())
        merged = {k: v for k, v in current.items() if k.lower() not in seen}
        merged.update({t["Key"]: t["Value"] for t in tags})
        limit = self.limit(account_id, quota)
        if len(merged) > limit:
            raise LimitExceededException(
                f"The number of tags has reached the maximum limit of {limit}."  # [U] wording
            )
        return merged

    @staticmethod
    def drop_tags(current: dict[str, str], keys: list[str]) -> dict[str, str]:
        gone = {k.lower() for k in keys}
        return {k: v for k, v in current.items() if k.lower() not in gone}

    @staticmethod
    def tag_list(tags: dict[str, str]) -> list[dict[str, str]]:
        return [{"Key": k, "Value": v} for k, v in tags.items()]

    # -- wire shapes ----------------------------------------------------------------------
    def user_out(self, account_id: str, user: User, *, tags: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "Path": user.path,
            "UserName": user.name,
            "UserId": user.user_id,
            "Arn": entity_arn(account_id, "user", user.path, user.name),
            "CreateDate": user.created,
        }
        if user.permissions_boundary:
            out["PermissionsBoundary"] = _boundary(user.permissions_boundary)
        if tags and user.tags:
            out["Tags"] = self.tag_list(user.tags)
        return out

    def group_out(self, account_id: str, group: Group) -> dict[str, Any]:
        return {
            "Path": group.path,
            "GroupName": group.name,
            "GroupId": group.group_id,
            "Arn": entity_arn(account_id, "group", group.path, group.name),
            "CreateDate": group.created,
        }

    def role_out(self, account_id: str, role: Role, *, full: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "Path": role.path,
            "RoleName": role.name,
            "RoleId": role.role_id,
            "Arn": entity_arn(account_id, "role", role.path, role.name),
            "CreateDate": role.created,
            "AssumeRolePolicyDocument": url_encoded(role.trust_policy),
            "MaxSessionDuration": role.max_session_duration,
        }
        if role.description is not None:
            out["Description"] = role.description
        if full:  # GetRole adds what ListRoles leaves out (API_ListRoles.html)
            if role.permissions_boundary:
                out["PermissionsBoundary"] = _boundary(role.permissions_boundary)
            if role.tags:
                out["Tags"] = self.tag_list(role.tags)
            last: dict[str, Any] = {}
            if role.last_used is not None:
                last = {"LastUsedDate": role.last_used, "Region": role.last_used_region}
            out["RoleLastUsed"] = last
        return out

    # -- credentials ----------------------------------------------------------------------
    def key_principal(self, account_id: str, user: User, key_id: str) -> Principal:
        return Principal(
            type=PrincipalType.IAM_USER,
            account_id=account_id,
            arn=entity_arn(account_id, "user", user.path, user.name),
            principal_id=user.user_id,
            user_name=user.name,
            access_key_id=key_id,
        )

    def register_key(self, account_id: str, user: User, key: AccessKeyRecord) -> None:
        self.env.credentials.register(
            key.access_key_id,
            Credential(
                self.key_principal(account_id, user, key.access_key_id),
                Issuer.IAM,
                active=key.status is KeyStatus.ACTIVE,
            ),
        )

    def seal_secret(self, key_id: str, secret: str) -> bytes:
        return self.env.vault.seal(secret.encode(), _SECRET_AAD + key_id.encode())

    def adopt_account(self, account: Account, created: _dt.datetime | None = None) -> None:
        """Make the account's bootstrap ``Administrator`` a real IAM user (idempotent).

        ``created`` is when the account was made (the user's CreateDate); IAM may be created
        later, on first use, so it is passed in rather than read from the clock.
        """
        if account.account_id in self._accounts:
            return
        state = self.account(account.account_id)
        admin = account.administrator
        now = second(created or self.env.clock.now())
        key = AccessKeyRecord(
            account.admin_key.access_key_id,
            self.seal_secret(account.admin_key.access_key_id, account.admin_key.secret_access_key),
            KeyStatus.ACTIVE,
            now,
        )
        user = User(
            name=admin.user_name or "Administrator",
            user_id=admin.principal_id,
            path="/",
            created=now,
            attached=[managed_policies.ARN_PREFIX + "AdministratorAccess"],
            access_keys=[key],
        )
        state.users[user.name.lower()] = user
        self.register_key(account.account_id, user, key)

    def principal_tags(self, principal: Principal) -> dict[str, str]:
        """Tags of the IAM user or role behind a principal (aws:PrincipalTag/<key>)."""
        state = self._accounts.get(principal.account_id)
        if state is None:
            return {}
        if principal.type is PrincipalType.IAM_USER and principal.user_name:
            user = state.users.get(principal.user_name.lower())
            return dict(user.tags) if user else {}
        if principal.type is PrincipalType.ASSUMED_ROLE and "/" in principal.arn:
            role = state.roles.get(principal.arn.split("/")[1].lower())
            return dict(role.tags) if role else {}
        return {}

    # -- policies a principal holds (for STS and, later, the authorizer) -----------------
    def identity_statements(
        self, principal: Principal
    ) -> tuple[list[Statement], list[Statement] | None]:
        """(statements of every identity policy, permissions-boundary statements or None)."""
        state = self._accounts.get(principal.account_id)
        if state is None:
            return [], None
        documents: list[str] = []
        boundary: str | None = None
        if principal.type is PrincipalType.IAM_USER and principal.user_name:
            user = state.users.get(principal.user_name.lower())
            if user is None:
                return [], None
            documents += list(user.inline.values())
            documents += [
                d for a in user.attached if (d := self.default_document(state.account_id, a))
            ]
            for group in state.groups.values():
                if user.name.lower() in group.members:
                    documents += list(group.inline.values())
                    documents += [
                        d
                        for a in group.attached
                        if (d := self.default_document(state.account_id, a))
                    ]
            boundary = user.permissions_boundary
        elif principal.type is PrincipalType.ASSUMED_ROLE:
            name = principal.arn.split("/")[1] if "/" in principal.arn else ""
            role = state.roles.get(name.lower())
            if role is None:
                return [], None
            documents += list(role.inline.values())
            documents += [
                d for a in role.attached if (d := self.default_document(state.account_id, a))
            ]
            boundary = role.permissions_boundary
        statements = [s for d in documents for s in parse(d).statements]
        bound: list[Statement] | None = None
        if boundary:
            text = self.default_document(state.account_id, boundary)
            bound = list(parse(text).statements) if text else []
        return statements, bound


def _boundary(arn: str) -> dict[str, str]:
    return {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": arn}
