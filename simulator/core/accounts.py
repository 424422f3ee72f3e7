"""AWS accounts inside the Cloud: 12-digit ids, the root user and a ready administrator.

Each account starts with its root user and an IAM user ``Administrator`` holding one access
key; ``cloud.client()`` signs with that key unless told otherwise, and the dispatcher maps the
SigV4 access key id back to the calling principal. (Full IAM comes with the supporting-services
issue; these principals are what it will manage.)
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
