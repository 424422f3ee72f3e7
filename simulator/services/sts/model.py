"""STS state: the temporary credentials it has issued, by access key id (``ASIA...``).

The secret access key is held sealed under the Cloud's domain key and the session token only as
a SHA-256 digest: both were handed to the caller once and are never shown again, so neither can
leak from a repr, the audit trail or a snapshot.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from enum import StrEnum

from simulator.core.context import Principal, PrincipalType, SessionContext


class SessionKind(StrEnum):
    ASSUMED_ROLE = "AssumeRole"
    SESSION_TOKEN = "GetSessionToken"


@dataclass
class Session:
    access_key_id: str
    sealed_secret: bytes = field(repr=False)
    token_digest: bytes = field(repr=False)
    kind: SessionKind
    principal_type: PrincipalType
    account_id: str
    arn: str
    principal_id: str
    issued: _dt.datetime
    expires: _dt.datetime
    user_name: str | None = None
    role_arn: str | None = None  # AssumeRole: the role's ARN (with its path)
    session_name: str | None = None
    source_identity: str | None = None
    tags: dict[str, str] = field(default_factory=dict)  # session tags
    transitive_tag_keys: list[str] = field(default_factory=list)
    session_policy: str | None = None
    policy_arns: list[str] = field(default_factory=list)

    def principal(self) -> Principal:
        return Principal(
            type=self.principal_type,
            account_id=self.account_id,
            arn=self.arn,
            principal_id=self.principal_id,
            user_name=self.user_name,
            access_key_id=self.access_key_id,
            session=self.context(),
        )

    def context(self) -> SessionContext:
        """How CloudTrail describes calls signed with these credentials."""
        created = self.issued.strftime("%Y-%m-%dT%H:%M:%SZ")
        if self.kind is SessionKind.ASSUMED_ROLE and self.role_arn:
            return SessionContext(
                created,
                issuer_type="Role",
                issuer_principal_id=self.principal_id.partition(":")[0],
                issuer_arn=self.role_arn,
                issuer_account_id=self.account_id,
                issuer_user_name=self.role_arn.rsplit("/", 1)[-1],
                source_identity=self.source_identity,
            )
        return SessionContext(created, source_identity=self.source_identity)
