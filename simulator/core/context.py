"""Who is calling, where, and when: the per-request context handlers receive."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from enum import StrEnum


class PrincipalType(StrEnum):
    ROOT = "Root"
    IAM_USER = "IAMUser"
    ASSUMED_ROLE = "AssumedRole"
    AWS_SERVICE = "AWSService"


@dataclass(frozen=True)
class SessionContext:
    """CloudTrail's ``userIdentity.sessionContext`` for calls signed with temporary credentials.

    ``sessionIssuer`` says how they were obtained (the role for AssumeRole; empty for
    GetSessionToken); ``attributes`` carry when they were issued and whether MFA was used
    (CloudTrail user guide, "CloudTrail userIdentity element").
    """

    creation_date: str  # "2026-11-28T16:23:54Z", as current CloudTrail records write it
    issuer_type: str | None = None  # "Role" for AssumeRole sessions
    issuer_principal_id: str | None = None
    issuer_arn: str | None = None
    issuer_account_id: str | None = None
    issuer_user_name: str | None = None
    mfa_authenticated: bool = False
    source_identity: str | None = None

    def record(self) -> dict[str, object]:
        issuer: dict[str, object] = {}
        if self.issuer_type is not None:
            issuer = {
                "type": self.issuer_type,
                "principalId": self.issuer_principal_id,
                "arn": self.issuer_arn,
                "accountId": self.issuer_account_id,
                "userName": self.issuer_user_name,
            }
        out: dict[str, object] = {
            "sessionIssuer": issuer,
            "webIdFederationData": {},
            "attributes": {
                "creationDate": self.creation_date,
                "mfaAuthenticated": "true" if self.mfa_authenticated else "false",
            },
        }
        if self.source_identity:
            out["sourceIdentity"] = self.source_identity
        return out


@dataclass(frozen=True)
class Principal:
    """An authenticated identity (CloudTrail's ``userIdentity``)."""

    type: PrincipalType
    account_id: str
    arn: str
    principal_id: str
    user_name: str | None = None
    access_key_id: str | None = None
    invoked_by: str | None = None  # the AWS service acting for this principal, if any
    session: SessionContext | None = None  # set for temporary credentials (STS)

    def user_identity(self) -> dict[str, object]:
        """CloudTrail's ``userIdentity`` (a fresh dict each time; see ``identity_record``)."""
        out: dict[str, object] = {
            "type": self.type.value,
            "principalId": self.principal_id,
            "arn": self.arn,
            "accountId": self.account_id,
        }
        if self.access_key_id:
            out["accessKeyId"] = self.access_key_id
        if self.user_name:
            out["userName"] = self.user_name
        if self.session is not None:
            out["sessionContext"] = self.session.record()
        if self.invoked_by:
            out["invokedBy"] = self.invoked_by
        return out


@dataclass(slots=True)
class RequestContext:
    """What a handler knows about the request besides its parameters."""

    service: str
    operation: str
    account_id: str
    region: str
    principal: Principal
    request_id: str
    now: _dt.datetime
    source_ip: str = "127.0.0.1"
    user_agent: str = ""
    event_id: str = ""  # the CloudTrail eventID this request's record will carry

    @property
    def partition(self) -> str:
        return "aws"
