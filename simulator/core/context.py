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
class Principal:
    """An authenticated identity (CloudTrail's ``userIdentity``)."""

    type: PrincipalType
    account_id: str
    arn: str
    principal_id: str
    user_name: str | None = None
    access_key_id: str | None = None
    invoked_by: str | None = None

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
