"""Access keys: create/list/update/delete, the 2-key limit, and what the Cloud accepts."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from simulator import Cloud
from tests.conftest import error_code, error_message


def _creds(key: dict[str, str]) -> dict[str, str]:
    return {"AccessKeyId": key["AccessKeyId"], "SecretAccessKey": key["SecretAccessKey"]}


def test_create_access_key_and_sign_with_it(iam: Any, connect: Any, cloud: Cloud) -> None:
    iam.create_user(UserName="alice")
    key = iam.create_access_key(UserName="alice")["AccessKey"]
    assert key["AccessKeyId"].startswith("AKIA") and len(key["AccessKeyId"]) == 20
    assert len(key["SecretAccessKey"]) == 40
    assert (key["UserName"], key["Status"]) == ("alice", "Active")
    assert key["CreateDate"] == cloud.clock.now()
    listed = iam.list_access_keys(UserName="alice")["AccessKeyMetadata"]
    assert listed == [
        {
            "UserName": "alice",
            "AccessKeyId": key["AccessKeyId"],
            "Status": "Active",
            "CreateDate": key["CreateDate"],
        }
    ]
    assert "SecretAccessKey" not in listed[0]  # the secret is shown once only
    me = connect("sts", _creds(key)).get_caller_identity()
    assert me["Arn"] == f"arn:aws:iam::{cloud.default_account.account_id}:user/alice"


def test_two_keys_per_user_active_or_not(iam: Any) -> None:
    iam.create_user(UserName="bob")
    first = iam.create_access_key(UserName="bob")["AccessKey"]["AccessKeyId"]
    iam.create_access_key(UserName="bob")
    iam.update_access_key(UserName="bob", AccessKeyId=first, Status="Inactive")
    with pytest.raises(ClientError) as exc:
        iam.create_access_key(UserName="bob")
    assert error_code(exc) == "LimitExceeded"
    assert error_message(exc) == "Cannot exceed quota for AccessKeysPerUser: 2"
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    iam.delete_access_key(UserName="bob", AccessKeyId=first)
    iam.create_access_key(UserName="bob")
    assert len(iam.list_access_keys(UserName="bob")["AccessKeyMetadata"]) == 2


def test_inactive_and_deleted_keys_stop_working(iam: Any, connect: Any, cloud: Cloud) -> None:
    iam.create_user(UserName="carol")
    key = iam.create_access_key(UserName="carol")["AccessKey"]
    sts = connect("sts", _creds(key))
    sts.get_caller_identity()
    iam.update_access_key(UserName="carol", AccessKeyId=key["AccessKeyId"], Status="Inactive")
    status = iam.list_access_keys(UserName="carol")["AccessKeyMetadata"][0]["Status"]
    assert status == "Inactive"
    assert cloud.principal_for_access_key(key["AccessKeyId"]) is None
    with pytest.raises(ClientError) as exc:
        sts.get_caller_identity()
    assert error_code(exc) == "InvalidClientTokenId"
    iam.update_access_key(UserName="carol", AccessKeyId=key["AccessKeyId"], Status="Active")
    sts.get_caller_identity()
    iam.delete_access_key(UserName="carol", AccessKeyId=key["AccessKeyId"])
    with pytest.raises(ClientError) as exc:
        sts.get_caller_identity()
    assert error_code(exc) == "InvalidClientTokenId"


def test_unknown_keys_and_users(iam: Any) -> None:
    iam.create_user(UserName="dave")
    for call in (
        lambda: iam.update_access_key(
            UserName="dave", AccessKeyId="AKIAUNKNOWNUNKNOWN00", Status="Inactive"
        ),
        lambda: iam.delete_access_key(UserName="dave", AccessKeyId="AKIAUNKNOWNUNKNOWN00"),
    ):
        with pytest.raises(ClientError) as exc:
            call()
        assert error_code(exc) == "NoSuchEntity"
        assert error_message(exc) == "The Access Key with id AKIAUNKNOWNUNKNOWN00 cannot be found."
    with pytest.raises(ClientError) as exc:
        iam.create_access_key(UserName="ghost")
    assert error_code(exc) == "NoSuchEntity"
    with pytest.raises(ClientError) as exc:
        iam.update_access_key(UserName="dave", AccessKeyId="AKIAUNKNOWNUNKNOWN00", Status="Nope")
    assert error_code(exc) == "ValidationError"  # the model's enum


def test_a_users_keys_belong_to_that_user(iam: Any) -> None:
    iam.create_user(UserName="erin")
    iam.create_user(UserName="frank")
    key = iam.create_access_key(UserName="erin")["AccessKey"]["AccessKeyId"]
    with pytest.raises(ClientError) as exc:
        iam.delete_access_key(UserName="frank", AccessKeyId=key)
    assert error_code(exc) == "NoSuchEntity"


def test_caller_manages_own_keys_without_user_name(iam: Any, connect: Any) -> None:
    iam.create_user(UserName="gina")
    key = iam.create_access_key(UserName="gina")["AccessKey"]
    own = connect("iam", _creds(key))
    made = own.create_access_key()["AccessKey"]
    assert made["UserName"] == "gina"
    own.delete_access_key(AccessKeyId=made["AccessKeyId"])
    assert len(iam.list_access_keys(UserName="gina")["AccessKeyMetadata"]) == 1


def test_secrets_are_sealed_in_state(iam: Any, cloud: Cloud) -> None:
    iam.create_user(UserName="hal")
    key = iam.create_access_key(UserName="hal")["AccessKey"]
    state = json.dumps(cloud.iam.dump())
    assert key["SecretAccessKey"] not in state
    assert cloud.credentials()["aws_secret_access_key"] not in state
    assert key["SecretAccessKey"] not in repr(cloud.iam.account(cloud.default_account.account_id))


def test_deleting_the_administrators_key_locks_the_default_client_out(
    iam: Any, cloud: Cloud
) -> None:
    admin_key = cloud.credentials()["aws_access_key_id"]
    iam.create_user(UserName="breakglass")
    iam.attach_user_policy(
        UserName="breakglass", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess"
    )
    iam.delete_access_key(UserName="Administrator", AccessKeyId=admin_key)
    assert cloud.principal_for_access_key(admin_key) is None
    with pytest.raises(ClientError) as exc:
        iam.list_users()
    assert error_code(exc) == "InvalidClientTokenId"
