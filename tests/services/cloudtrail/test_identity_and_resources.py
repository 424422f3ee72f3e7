"""CloudTrail record shapes beyond the basics: ``sessionContext`` for temporary credentials,
``invokedBy`` for calls a service makes for the learner, and ``resources`` naming KMS keys.

Shapes follow the CloudTrail user guide's "CloudTrail userIdentity element" and the records in
the KMS developer guide's CloudTrail examples.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from simulator import Cloud
from simulator.core.context import RequestContext
from simulator.core.errors import AWSError
from simulator.services.kms.managed import aws_managed_key
from tests.conftest import error_code


def _trust(cloud: Cloud) -> str:
    account = cloud.default_account.account_id
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    )


def _client_with(cloud: Cloud, service: str, creds: dict[str, Any]) -> Any:
    return cloud.client(
        service,
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )


def test_assumed_role_calls_carry_the_session_context(cloud: Cloud) -> None:
    iam, sts = cloud.client("iam"), cloud.client("sts")
    role = iam.create_role(Path="/app/", RoleName="Auditor", AssumeRolePolicyDocument=_trust(cloud))
    cloud.clock.advance(minutes=5)
    issued = cloud.clock.now().strftime("%Y-%m-%dT%H:%M:%SZ")
    creds = sts.assume_role(RoleArn=role["Role"]["Arn"], RoleSessionName="night-shift")[
        "Credentials"
    ]
    cloud.clock.advance(minutes=10)
    _client_with(cloud, "kms", creds).list_keys()
    identity = cloud.trail.records[-1]["userIdentity"]
    account = cloud.default_account.account_id
    role_id = role["Role"]["RoleId"]
    assert identity == {
        "type": "AssumedRole",
        "principalId": f"{role_id}:night-shift",
        "arn": f"arn:aws:sts::{account}:assumed-role/Auditor/night-shift",
        "accountId": account,
        "accessKeyId": creds["AccessKeyId"],
        "sessionContext": {
            "sessionIssuer": {
                "type": "Role",
                "principalId": role_id,
                "arn": f"arn:aws:iam::{account}:role/app/Auditor",
                "accountId": account,
                "userName": "Auditor",
            },
            "webIdFederationData": {},
            "attributes": {"creationDate": issued, "mfaAuthenticated": "false"},
        },
    }


def test_session_token_calls_are_the_user_with_an_empty_issuer(cloud: Cloud) -> None:
    creds = cloud.client("sts").get_session_token()["Credentials"]
    _client_with(cloud, "kms", creds).list_keys()
    identity = cloud.trail.records[-1]["userIdentity"]
    assert identity["type"] == "IAMUser"
    assert identity["userName"] == "Administrator"
    assert identity["accessKeyId"] == creds["AccessKeyId"]
    assert identity["sessionContext"]["sessionIssuer"] == {}
    assert identity["sessionContext"]["attributes"]["mfaAuthenticated"] == "false"


def test_long_term_keys_have_no_session_context(cloud: Cloud) -> None:
    cloud.client("kms").list_keys()
    assert "sessionContext" not in cloud.trail.records[-1]["userIdentity"]


def test_session_context_survives_a_snapshot(cloud: Cloud, tmp_path: Any) -> None:
    iam, sts = cloud.client("iam"), cloud.client("sts")
    role = iam.create_role(RoleName="Auditor", AssumeRolePolicyDocument=_trust(cloud))
    creds = sts.assume_role(RoleArn=role["Role"]["Arn"], RoleSessionName="s1")["Credentials"]
    restored = Cloud.load(cloud.save(tmp_path / "world.json"))
    _client_with(restored, "kms", creds).list_keys()
    issuer = restored.trail.records[-1]["userIdentity"]["sessionContext"]["sessionIssuer"]
    assert issuer["userName"] == "Auditor"


# -- a service acting for the learner ---------------------------------------------------------
def _admin_ctx(cloud: Cloud, region: str = "us-east-1") -> RequestContext:
    admin = cloud.default_account.administrator
    return RequestContext(
        "secretsmanager",
        "CreateSecret",
        admin.account_id,
        region,
        admin,
        "req-1",
        cloud.clock.now(),
    )


def test_on_behalf_call_is_audited_with_invoked_by(cloud: Cloud) -> None:
    """Secrets Manager asking KMS for a data key: the learner in userIdentity, the service in
    invokedBy, sourceIPAddress and userAgent."""
    call = cloud._env.call_on_behalf
    assert call is not None
    account = cloud.default_account.account_id
    key = aws_managed_key(cloud.kms, account, "us-east-1", "secretsmanager")
    before = len(cloud.trail)
    out = call(
        _admin_ctx(cloud),
        "secretsmanager.amazonaws.com",
        "kms",
        "GenerateDataKey",
        {"KeyId": "alias/aws/secretsmanager", "KeySpec": "AES_256"},
    )
    assert out["KeyId"] == key.arn and len(out["Plaintext"]) == 32
    assert len(cloud.trail) == before + 1
    record = cloud.trail.records[-1]
    assert record["eventName"] == "GenerateDataKey"
    assert record["eventSource"] == "kms.amazonaws.com"
    assert record["userIdentity"]["arn"] == cloud.default_account.administrator.arn
    assert record["userIdentity"]["invokedBy"] == "secretsmanager.amazonaws.com"
    assert record["sourceIPAddress"] == "secretsmanager.amazonaws.com"
    assert record["userAgent"] == "secretsmanager.amazonaws.com"
    assert record["resources"] == [{"accountId": account, "type": "AWS::KMS::Key", "ARN": key.arn}]
    text = json.dumps(record)
    assert base64.b64encode(out["Plaintext"]).decode() not in text and "laintext" not in text


def test_managed_key_only_through_its_service(cloud: Cloud, kms: Any) -> None:
    """alias/aws/secretsmanager answers Secrets Manager's calls, not the learner's own."""
    account = cloud.default_account.account_id
    key = aws_managed_key(cloud.kms, account, "us-east-1", "secretsmanager")
    with pytest.raises(ClientError) as excinfo:
        kms.generate_data_key(KeyId="alias/aws/secretsmanager", KeySpec="AES_256")
    assert error_code(excinfo) == "AccessDeniedException"
    call = cloud._env.call_on_behalf
    assert call is not None
    out = call(
        _admin_ctx(cloud),
        "secretsmanager.amazonaws.com",
        "kms",
        "GenerateDataKey",
        {"KeyId": "alias/aws/secretsmanager", "KeySpec": "AES_256"},
    )
    assert out["KeyId"] == key.arn


def test_on_behalf_failure_propagates_and_is_audited(cloud: Cloud, kms: Any) -> None:
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.disable_key(KeyId=key_id)
    call = cloud._env.call_on_behalf
    assert call is not None
    with pytest.raises(AWSError) as excinfo:
        call(
            _admin_ctx(cloud),
            "secretsmanager.amazonaws.com",
            "kms",
            "Encrypt",
            {"KeyId": key_id, "Plaintext": b"hush"},
        )
    assert excinfo.value.code == "DisabledException"
    record = cloud.trail.records[-1]
    assert record["errorCode"] == "DisabledException"
    assert record["userIdentity"]["invokedBy"] == "secretsmanager.amazonaws.com"
    assert record["resources"][0]["ARN"].endswith(key_id)


def test_on_behalf_params_are_validated_against_the_model(cloud: Cloud) -> None:
    call = cloud._env.call_on_behalf
    assert call is not None
    with pytest.raises(AWSError) as excinfo:
        call(_admin_ctx(cloud), "secretsmanager.amazonaws.com", "kms", "Encrypt", {"KeyId": "x"})
    assert excinfo.value.code == "ValidationException"


# -- resources --------------------------------------------------------------------------------
def test_kms_records_name_the_key_even_through_an_alias(cloud: Cloud, kms: Any) -> None:
    meta = kms.create_key()["KeyMetadata"]
    kms.create_alias(AliasName="alias/app", TargetKeyId=meta["KeyId"])
    blob = kms.encrypt(KeyId="alias/app", Plaintext=b"x")["CiphertextBlob"]
    kms.decrypt(CiphertextBlob=blob)
    kms.list_keys()
    by_name = {r["eventName"]: r for r in cloud.trail.records}
    expected = [{"accountId": meta["AWSAccountId"], "type": "AWS::KMS::Key", "ARN": meta["Arn"]}]
    for name in ("CreateKey", "CreateAlias", "Encrypt", "Decrypt"):
        assert by_name[name]["resources"] == expected, name
    assert "resources" not in by_name["ListKeys"]


def test_reencrypt_names_both_keys(cloud: Cloud, kms: Any) -> None:
    a = kms.create_key()["KeyMetadata"]["Arn"]
    b = kms.create_key()["KeyMetadata"]["Arn"]
    blob = kms.encrypt(KeyId=a, Plaintext=b"x")["CiphertextBlob"]
    kms.re_encrypt(CiphertextBlob=blob, DestinationKeyId=b)
    arns = [r["ARN"] for r in cloud.trail.records[-1]["resources"]]
    assert sorted(arns) == sorted([a, b])


def test_lookup_events_by_resource_name_finds_key_calls(cloud: Cloud, kms: Any) -> None:
    arn = kms.create_key()["KeyMetadata"]["Arn"]
    kms.create_key()
    kms.encrypt(KeyId=arn, Plaintext=b"x")
    out = cloud.client("cloudtrail").lookup_events(
        LookupAttributes=[{"AttributeKey": "ResourceName", "AttributeValue": arn}]
    )
    assert [e["EventName"] for e in out["Events"]] == ["Encrypt", "CreateKey"]
    assert out["Events"][0]["Resources"] == [{"ResourceType": "AWS::KMS::Key", "ResourceName": arn}]


def test_unknown_key_failure_names_no_resource(cloud: Cloud, kms: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        kms.describe_key(KeyId="alias/none")
    assert error_code(excinfo) == "NotFoundException"
    assert "resources" not in cloud.trail.records[-1]
