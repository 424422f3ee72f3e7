"""Small builders the STS tests share: roles with trust policies, users with keys."""

from __future__ import annotations

import json
from typing import Any

from simulator import Cloud


def trust_policy(principal: Any, *, actions: Any = "sts:AssumeRole", **extra: Any) -> str:
    statement = {"Effect": "Allow", "Principal": principal, "Action": actions, **extra}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def make_role(
    iam: Any, cloud: Cloud, name: str, principal: Any = None, **kwargs: Any
) -> dict[str, Any]:
    """A role trusting ``principal`` (default: the whole default account)."""
    principal = principal or {"AWS": f"arn:aws:iam::{cloud.default_account.account_id}:root"}
    document = kwargs.pop("trust", None) or trust_policy(principal)
    role: dict[str, Any] = iam.create_role(
        RoleName=name, AssumeRolePolicyDocument=document, **kwargs
    )["Role"]
    return role


def assume(
    sts: Any, role_arn: str, session: str, **kwargs: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    out = sts.assume_role(RoleArn=role_arn, RoleSessionName=session, **kwargs)
    return out["Credentials"], out["AssumedRoleUser"]


def user_with_key(iam: Any, name: str) -> dict[str, str]:
    iam.create_user(UserName=name)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return {"AccessKeyId": key["AccessKeyId"], "SecretAccessKey": key["SecretAccessKey"]}


def allow(action: str, resource: str = "*") -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}],
        }
    )
