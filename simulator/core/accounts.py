"""AWS accounts inside the Cloud, and the credentials that authenticate callers.

Each account starts with its root user and an IAM user ``Administrator`` holding one access
key and the AWS managed policy AdministratorAccess (the IAM service adopts it as a real user, so
``ListUsers`` shows it); ``cloud.client()`` signs with that key unless told otherwise.

:class:`CredentialStore` maps an access key id to whom it authenticates. The Cloud asks it on
every request; the IAM service writes long-term keys (``AKIA...``: created, deactivated,
deleted) and STS writes temporary ones (``ASIA...`` with a session token and an expiration on
the virtual clock). Secrets are not kept here: SigV4 signatures are not verified, so the store
needs only the key id, the session token's digest and the expiration.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import hmac
from dataclasses import dataclass, field
from enum import StrEnum

from simulator.core.context import Principal, PrincipalType
from simulator.core.ids import IdSource


@dataclass(frozen=True)
class AccessKey:
    access_key_id: str
    secret_access_key: str = field(repr=False)
    principal: Principal


@dataclass
class Account:
    account_id: str
    root: Principal
    administrator: Principal
    admin_key: AccessKey

    @classmethod
    def create(cls, ids: IdSource, account_id: str | None = None) -> Account:
        acct = account_id or ids.digits(12)
        if len(acct) != 12 or not acct.isdigit():
            raise ValueError(f"an AWS account id is 12 digits, not {acct!r}")
        root = Principal(
            type=PrincipalType.ROOT,
            account_id=acct,
            arn=f"arn:aws:iam::{acct}:root",
            principal_id=acct,
        )
        key_id = ids.access_key_id()
        admin = Principal(
            type=PrincipalType.IAM_USER,
            account_id=acct,
            arn=f"arn:aws:iam::{acct}:user/Administrator",
            principal_id=ids.principal_id("AIDA"),
            user_name="Administrator",
            access_key_id=key_id,
        )
        key = AccessKey(key_id, ids.secret_access_key(), admin)
        return cls(acct, root, admin, key)


# -- credentials --------------------------------------------------------------------------
class Issuer(StrEnum):
    IAM = "iam"  # long-term access keys of IAM users (and the accounts' bootstrap keys)
    STS = "sts"  # temporary credentials: AssumeRole, GetSessionToken


class AuthResult(StrEnum):
    OK = "ok"
    INVALID = "invalid"  # unknown or inactive key, or a missing/wrong session token
    EXPIRED = "expired"  # temporary credentials past their Expiration


def token_digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


@dataclass(frozen=True, slots=True)
class Credential:
    principal: Principal
    issuer: Issuer = Issuer.IAM
    active: bool = True
    expires: _dt.datetime | None = None
    token_digest: bytes | None = field(default=None, repr=False)


class CredentialStore:
    """Access key id → :class:`Credential`. Not snapshotted: IAM and STS re-register their
    credentials when they restore, and the snapshot loader registers each account's key."""

    __slots__ = ("_keys",)

    def __init__(self) -> None:
        self._keys: dict[str, Credential] = {}

    def __repr__(self) -> str:
        return f"<CredentialStore keys={len(self._keys)}>"

    # A plain mapping view for long-term keys (the snapshot loader and tests use it).
    def __setitem__(self, access_key_id: str, principal: Principal) -> None:
        self._keys[access_key_id] = Credential(principal)

    def __contains__(self, access_key_id: object) -> bool:
        return access_key_id in self._keys

    def __len__(self) -> int:
        return len(self._keys)

    def clear(self) -> None:
        self._keys.clear()

    def get(self, access_key_id: str) -> Credential | None:
        return self._keys.get(access_key_id)

    def register(self, access_key_id: str, credential: Credential) -> None:
        self._keys[access_key_id] = credential

    def revoke(self, access_key_id: str) -> None:
        self._keys.pop(access_key_id, None)

    def set_active(self, access_key_id: str, active: bool) -> None:
        cred = self._keys.get(access_key_id)
        if cred is not None:
            self._keys[access_key_id] = Credential(
                cred.principal, cred.issuer, active, cred.expires, cred.token_digest
            )

    def drop(self, issuer: Issuer) -> None:
        """Forget every credential one issuer registered (before it restores its own)."""
        for key in [k for k, c in self._keys.items() if c.issuer is issuer]:
            del self._keys[key]

    def principal(self, access_key_id: str, now: _dt.datetime | None = None) -> Principal | None:
        """Whom an active key stands for (``now`` given: None once temporary ones expire)."""
        cred = self._keys.get(access_key_id)
        if cred is None or not cred.active:
            return None
        if now is not None and cred.expires is not None and now >= cred.expires:
            return None
        return cred.principal

    def authenticate(
        self, access_key_id: str, session_token: str | None, now: _dt.datetime
    ) -> tuple[Principal | None, AuthResult]:
        """Check a request's key id and ``X-Amz-Security-Token`` at virtual time ``now``."""
        cred = self._keys.get(access_key_id)
        if cred is None or not cred.active:
            return None, AuthResult.INVALID
        if cred.token_digest is None:
            if session_token:
                return None, AuthResult.INVALID
        elif not session_token or not hmac.compare_digest(
            cred.token_digest, token_digest(session_token)
        ):
            return None, AuthResult.INVALID
        if cred.expires is not None and now >= cred.expires:
            return None, AuthResult.EXPIRED
        return cred.principal, AuthResult.OK


__all__ = [
    "AccessKey",
    "Account",
    "AuthResult",
    "Credential",
    "CredentialStore",
    "Issuer",
    "token_digest",
]
