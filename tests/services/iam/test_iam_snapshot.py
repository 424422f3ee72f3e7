"""IAM and STS state survive cloud.save / Cloud.load, with no secret in the file."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from simulator import Cloud
from simulator.transport import botocore_hook


def _trust(acct: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{acct}:root"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    )


def test_round_trip_keeps_entities_keys_and_sessions(tmp_path: Path) -> None:
    cloud = Cloud(seed=11)
    acct = cloud.default_account.account_id
    iam, sts = cloud.client("iam"), cloud.client("sts")
    iam.create_user(UserName="alice", Tags=[{"Key": "team", "Value": "blue"}])
    key = iam.create_access_key(UserName="alice")["AccessKey"]
    retired = iam.create_access_key(UserName="alice")["AccessKey"]["AccessKeyId"]
    iam.update_access_key(UserName="alice", AccessKeyId=retired, Status="Inactive")
    iam.create_group(GroupName="devs")
    iam.add_user_to_group(GroupName="devs", UserName="alice")
    arn = iam.create_policy(
        PolicyName="p",
        PolicyDocument='{"Version":"2012-10-17","Statement":'
        '{"Effect":"Allow","Action":"kms:*","Resource":"*"}}',
    )["Policy"]["Arn"]
    iam.attach_group_policy(GroupName="devs", PolicyArn=arn)
    role = iam.create_role(RoleName="ops", AssumeRolePolicyDocument=_trust(acct))["Role"]
    creds = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="s1")["Credentials"]
    before = (cloud.iam.dump(), cloud.sts.dump())

    path = cloud.save(tmp_path / "world.json")
    text = path.read_bytes()
    for secret in (
        key["SecretAccessKey"],
        creds["SecretAccessKey"],
        cloud.credentials()["aws_secret_access_key"],
    ):
        assert secret.encode() not in text
        assert base64.b64encode(secret.encode()) not in text
    # STS keeps only a digest of the session token. (The AssumeRole trail record carries the
    # token, as CloudTrail's does; without the secret key it authenticates nothing.)
    assert creds["SessionToken"] not in json.dumps(before)

    loaded = Cloud.load(path)
    assert (loaded.iam.dump(), loaded.sts.dump()) == before
    iam2 = loaded.client("iam")
    assert [u["UserName"] for u in iam2.list_users()["Users"]] == ["Administrator", "alice"]
    assert iam2.list_groups_for_user(UserName="alice")["Groups"][0]["GroupName"] == "devs"
    # Keys and sessions authenticate again; the inactive key still does not.
    assert loaded.principal_for_access_key(key["AccessKeyId"]) is not None
    assert loaded.principal_for_access_key(retired) is None
    session = loaded.botocore_session().create_client(
        "sts",
        region_name="us-east-1",
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
    botocore_hook.attach(session, loaded.dispatcher)
    assert session.get_caller_identity()["Arn"].endswith(":assumed-role/ops/s1")
    loaded.clock.advance(hours=1)
    with pytest.raises(ClientError) as exc:
        session.get_caller_identity()
    assert exc.value.response["Error"]["Code"] == "ExpiredToken"


def test_a_deleted_administrator_key_stays_deleted_after_load(tmp_path: Path) -> None:
    cloud = Cloud(seed=12)
    iam = cloud.client("iam")
    iam.create_user(UserName="spare")
    spare = iam.create_access_key(UserName="spare")["AccessKey"]["AccessKeyId"]
    admin_key = cloud.credentials()["aws_access_key_id"]
    iam.delete_access_key(UserName="Administrator", AccessKeyId=admin_key)
    loaded = Cloud.load(cloud.save(tmp_path / "w.json"))
    assert loaded.principal_for_access_key(admin_key) is None
    assert loaded.principal_for_access_key(spare) is not None


def test_accounts_created_later_get_their_administrator(tmp_path: Path) -> None:
    cloud = Cloud(seed=13)
    other = cloud.create_account()
    users = cloud.client("iam", account_id=other.account_id).list_users()["Users"]
    assert [u["Arn"] for u in users] == [f"arn:aws:iam::{other.account_id}:user/Administrator"]
    loaded = Cloud.load(cloud.save(tmp_path / "w.json"))
    again = loaded.client("iam", account_id=other.account_id).list_users()["Users"]
    assert [u["UserName"] for u in again] == ["Administrator"]
