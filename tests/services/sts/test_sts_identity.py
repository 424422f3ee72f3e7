"""GetCallerIdentity and GetSessionToken."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from botocore.exceptions import ClientError

from simulator import Cloud
from tests.conftest import error_code, error_message
from tests.services.sts.helpers import assume, make_role, user_with_key


def test_caller_identity_of_the_administrator(sts: Any, cloud: Cloud) -> None:
    me = sts.get_caller_identity()
    acct = cloud.default_account.account_id
    assert me["Account"] == acct
    assert me["Arn"] == f"arn:aws:iam::{acct}:user/Administrator"
    assert me["UserId"] == cloud.default_account.administrator.principal_id
    assert me["UserId"].startswith("AIDA")


def test_caller_identity_of_the_root_user(connect: Any, cloud: Cloud) -> None:
    account = cloud.default_account
    cloud._access_keys["AKIAROOTROOTROOT0001"] = account.root
    me = connect("sts", {"AccessKeyId": "AKIAROOTROOTROOT0001", "SecretAccessKey": "x" * 40})
    out = me.get_caller_identity()
    assert (out["UserId"], out["Account"], out["Arn"]) == (
        account.account_id,
        account.account_id,
        f"arn:aws:iam::{account.account_id}:root",
    )


def test_caller_identity_of_an_assumed_role(iam: Any, connect: Any, cloud: Cloud) -> None:
    role = make_role(iam, cloud, "Auditor")
    creds, assumed = assume(connect("sts"), role["Arn"], "audit-1")
    me = connect("sts", creds).get_caller_identity()
    acct = cloud.default_account.account_id
    assert me["Arn"] == f"arn:aws:sts::{acct}:assumed-role/Auditor/audit-1"
    assert me["UserId"] == f"{role['RoleId']}:audit-1" == assumed["AssumedRoleId"]
    assert me["Account"] == acct


def test_get_session_token_for_a_user(iam: Any, connect: Any, cloud: Cloud) -> None:
    key = user_with_key(iam, "alice")
    out = connect("sts", key).get_session_token()["Credentials"]
    assert out["AccessKeyId"].startswith("ASIA") and len(out["AccessKeyId"]) == 20
    assert len(out["SecretAccessKey"]) == 40 and out["SessionToken"]
    assert out["Expiration"] == cloud.clock.now() + dt.timedelta(hours=12)  # the default
    session = connect("sts", out)
    me = session.get_caller_identity()
    assert me["Arn"].endswith(":user/alice")  # the same user, with temporary credentials
    short = connect("sts", key).get_session_token(DurationSeconds=900)["Credentials"]
    assert short["Expiration"] == cloud.clock.now() + dt.timedelta(seconds=900)
    longest = connect("sts", key).get_session_token(DurationSeconds=129600)["Credentials"]
    assert longest["Expiration"] == cloud.clock.now() + dt.timedelta(hours=36)
    with pytest.raises(ClientError) as exc:
        connect("sts", key).get_session_token(DurationSeconds=129601)
    assert error_code(exc) == "ValidationError"


def test_session_token_credentials_cannot_get_another_or_call_iam(iam: Any, connect: Any) -> None:
    key = user_with_key(iam, "bob")
    iam.attach_user_policy(UserName="bob", PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
    temp = connect("sts", key).get_session_token()["Credentials"]
    with pytest.raises(ClientError) as exc:
        connect("sts", temp).get_session_token()
    assert (error_code(exc), error_message(exc)) == (
        "AccessDenied",
        "Cannot call GetSessionToken with session credentials",
    )
    # Without MFA (not simulated) such credentials cannot call IAM at all.
    with pytest.raises(ClientError) as exc:
        connect("iam", temp).list_users()
    assert error_code(exc) == "InvalidClientTokenId"


def test_root_session_tokens_last_at_most_an_hour(connect: Any, cloud: Cloud) -> None:
    cloud._access_keys["AKIAROOTROOTROOT0002"] = cloud.default_account.root
    root = connect("sts", {"AccessKeyId": "AKIAROOTROOTROOT0002", "SecretAccessKey": "x" * 40})
    out = root.get_session_token(DurationSeconds=7200)["Credentials"]
    assert out["Expiration"] == cloud.clock.now() + dt.timedelta(hours=1)


def test_role_sessions_cannot_call_get_session_token(iam: Any, connect: Any, cloud: Cloud) -> None:
    role = make_role(iam, cloud, "r")
    creds, _ = assume(connect("sts"), role["Arn"], "s1")
    with pytest.raises(ClientError) as exc:
        connect("sts", creds).get_session_token()
    assert error_code(exc) == "AccessDenied"


def test_mfa_is_not_simulated(iam: Any, connect: Any) -> None:
    key = user_with_key(iam, "carol")
    with pytest.raises(ClientError) as exc:
        connect("sts", key).get_session_token(
            SerialNumber="arn:aws:iam::123456789012:mfa/carol", TokenCode="123456"
        )
    assert error_code(exc) == "NotSimulatedException"
