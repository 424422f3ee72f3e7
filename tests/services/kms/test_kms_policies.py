"""KMS key policies (PutKeyPolicy, GetKeyPolicy, ListKeyPolicies, the lockout safety check) and
AWS managed keys, whose key policy is what stops customers from managing them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from simulator import Cloud
from simulator.core.context import Principal, PrincipalType
from simulator.core.quotas import QuotaBook
from simulator.services.kms import policies
from simulator.services.kms.managed import PROFILES, aws_managed_key
from simulator.services.kms.model import KeyManager
from simulator.transport import botocore_hook
from tests.conftest import error_code, error_message

LOCKOUT = "The new key policy will not allow you to update the key policy in the future."
NO_RETRY = Config(retries={"total_max_attempts": 1})


@pytest.fixture
def kms(cloud: Cloud) -> Any:
    """This module's client: no SDK retries, so LimitExceededException answers at once."""
    return cloud.client("kms", region_name="us-east-1", config=NO_RETRY)


def _policy(principal: Any, action: Any = "kms:*", **extra: Any) -> str:
    statement = {"Effect": "Allow", "Principal": principal, "Action": action, "Resource": "*"}
    statement.update(extra)
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def _root(cloud: Cloud) -> dict[str, str]:
    return {"AWS": f"arn:aws:iam::{cloud.default_account.account_id}:root"}


# -- PutKeyPolicy / GetKeyPolicy / ListKeyPolicies --------------------------------------
def test_put_key_policy_replaces_the_default_policy(kms_any: Any, cloud: Cloud) -> None:
    key_id = kms_any.create_key()["KeyMetadata"]["KeyId"]
    admin = cloud.default_account.administrator.arn
    policy = _policy({"AWS": admin}, ["kms:PutKeyPolicy", "kms:Describe*"])
    kms_any.put_key_policy(KeyId=key_id, PolicyName="default", Policy=policy)
    got = kms_any.get_key_policy(KeyId=key_id, PolicyName="default")
    assert (got["Policy"], got["PolicyName"]) == (policy, "default")
    # PolicyName is optional in the current model and defaults to "default".
    assert kms_any.get_key_policy(KeyId=key_id)["Policy"] == policy
    listed = kms_any.list_key_policies(KeyId=key_id)
    assert (listed["PolicyNames"], listed["Truncated"]) == (["default"], False)


def test_put_key_policy_accepts_the_key_arn_and_records_the_call(kms: Any, cloud: Cloud) -> None:
    arn = kms.create_key()["KeyMetadata"]["Arn"]
    kms.put_key_policy(KeyId=arn, Policy=_policy(_root(cloud)))
    (event,) = [e for e in cloud.trail.records if e["eventName"] == "PutKeyPolicy"]
    assert event["requestParameters"]["keyId"] == arn and "errorCode" not in event


def test_policy_names_other_than_default(kms: Any, cloud: Cloud) -> None:
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    policy = _policy(_root(cloud))
    # K-PKP: the AWS_RAM policy belongs to RAM.
    with pytest.raises(ClientError) as exc:
        kms.put_key_policy(KeyId=key_id, PolicyName="AWS_RAM", Policy=policy)
    assert error_code(exc) == "ValidationException"
    assert error_message(exc) == "The AWS_RAM policy can only be managed by the RAM service."
    with pytest.raises(ClientError) as exc:
        kms.put_key_policy(KeyId=key_id, PolicyName="other", Policy=policy)
    assert error_code(exc) == "NotFoundException"
    # No key has an AWS_RAM policy here (RAM sharing is not simulated): NotFoundException.
    with pytest.raises(ClientError) as exc:
        kms.get_key_policy(KeyId=key_id, PolicyName="AWS_RAM")
    assert error_code(exc) == "NotFoundException"


def test_policy_operations_need_an_existing_key_and_no_alias(kms: Any) -> None:
    kms.create_alias(AliasName="alias/app", TargetKeyId=kms.create_key()["KeyMetadata"]["KeyId"])
    for call in (
        lambda ref: kms.put_key_policy(KeyId=ref, Policy=_policy("*")),
        lambda ref: kms.get_key_policy(KeyId=ref),
        lambda ref: kms.list_key_policies(KeyId=ref),
    ):
        with pytest.raises(ClientError) as exc:
            call("alias/app")
        assert error_code(exc) == "NotFoundException"
        with pytest.raises(ClientError) as exc:
            call("11111111-2222-3333-4444-555555555555")
        assert error_code(exc) == "NotFoundException"
        assert "does not exist" in error_message(exc)


def test_put_key_policy_works_in_every_key_state(kms: Any, cloud: Cloud) -> None:
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    policy = _policy(_root(cloud), "kms:PutKeyPolicy")
    kms.put_key_policy(KeyId=key_id, Policy=policy)  # K-STATE: allowed in every state
    assert kms.get_key_policy(KeyId=key_id)["Policy"] == policy


# -- size, characters, grammar ------------------------------------------------------------
def test_policy_larger_than_32_kb_is_a_limit_error(kms: Any, cloud: Cloud) -> None:
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    padded = json.loads(_policy(_root(cloud)))
    padded["Statement"][0]["Sid"] = "x" * 32_768
    with pytest.raises(ClientError) as exc:
        kms.put_key_policy(KeyId=key_id, Policy=json.dumps(padded))
    assert error_code(exc) == "LimitExceededException"
    with pytest.raises(ClientError) as exc:
        kms.create_key(Policy=json.dumps(padded))
    assert error_code(exc) == "LimitExceededException"
    assert len(kms.list_keys()["Keys"]) == 1
    # Exactly 32,768 bytes is still fine.
    padded["Statement"][0]["Sid"] = ""
    filler = 32_768 - len(json.dumps(padded).encode())
    padded["Statement"][0]["Sid"] = "y" * filler
    assert len(json.dumps(padded).encode()) == 32_768
    kms.put_key_policy(KeyId=key_id, Policy=json.dumps(padded))


def test_policy_characters_outside_latin_1_fail_model_validation(kms: Any, cloud: Cloud) -> None:
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    bad = _policy(_root(cloud)).replace('"Effect"', '"Sid": "\u20ac", "Effect"')
    with pytest.raises(ClientError) as exc:
        kms.put_key_policy(KeyId=key_id, Policy=bad)
    assert error_code(exc) == "ValidationException"
    assert "at 'policy' failed to satisfy constraint" in error_message(exc)
    latin1 = _policy(_root(cloud)).replace('"Effect"', '"Sid": "caf\u00e9\\u00e9", "Effect"')
    kms.put_key_policy(KeyId=key_id, Policy=latin1)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("not json", "The key policy is not syntactically correct JSON."),
        ("[]", "The key policy must be a JSON object."),
        ('{"Version": "2012-10-17"}', "The key policy must contain a Statement."),
        ('{"Statement": []}', "The key policy must contain a Statement."),
        ('{"Statement": [], "Statement": []}', "The policy contains the element Statement"),
        ('{"Version": "2020-01-01", "Statement": {}}', "The policy Version must be"),
        (
            '{"Statement": [{"Effect": "Allow", "Action": "kms:*", "Resource": "*"}]}',
            "Policy contains a statement with no principal.",
        ),
        ('{"Statement": [{"Effect": "Maybe", "Principal": "*"}]}', "invalid Effect"),
        (
            '{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "bob"}, "Action": "kms:*"}]}',
            "Policy contains a statement with one or more invalid principals.",
        ),
        (
            '{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123:root"}}]}',
            "Policy contains a statement with one or more invalid principals.",
        ),
        (
            '{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "Encrypt"}]}',
            "invalid action: Encrypt",
        ),
        (
            '{"Statement": [{"Effect": "Allow", "Principal": "*", "Condition": "x"}]}',
            "invalid Condition",
        ),
        (
            '{"Statement": [{"Effect": "Allow", "Principal": "*", "Actions": "kms:*"}]}',
            "unknown element: Actions",
        ),
        ('{"Statement": "everything"}', "not an object"),
    ],
)
def test_malformed_policies(kms: Any, document: str, message: str) -> None:
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    before = kms.get_key_policy(KeyId=key_id)["Policy"]
    with pytest.raises(ClientError) as exc:
        kms.put_key_policy(KeyId=key_id, Policy=document, BypassPolicyLockoutSafetyCheck=True)
    assert error_code(exc) == "MalformedPolicyDocumentException"
    assert message in error_message(exc)
    assert kms.get_key_policy(KeyId=key_id)["Policy"] == before
    with pytest.raises(ClientError) as exc:
        kms.create_key(Policy=document, BypassPolicyLockoutSafetyCheck=True)
    assert error_code(exc) == "MalformedPolicyDocumentException"
    assert len(kms.list_keys()["Keys"]) == 1


def test_statements_without_action_or_resource_are_accepted(kms: Any, cloud: Cloud) -> None:
    # K-PKP: such a statement has no effect, but PutKeyPolicy succeeds.
    policy = json.dumps(
        {
            "Statement": [
                json.loads(_policy(_root(cloud)))["Statement"][0],
                {"Effect": "Allow", "Principal": "*"},
                {"Effect": "Deny", "Principal": "*", "Action": "kms:PutKeyPolicy"},
            ]
        }
    )
    key_id = kms.create_key(Policy=policy)["KeyMetadata"]["KeyId"]
    assert kms.get_key_policy(KeyId=key_id)["Policy"] == policy


# -- the lockout safety check -------------------------------------------------------------
@pytest.mark.parametrize(
    "principal",
    [
        "*",
        {"AWS": "*"},
        {"AWS": "arn:aws:iam::ACCT:root"},
        {"AWS": "ACCT"},
        {"AWS": "ADMIN"},
        {"AWS": ["arn:aws:iam::111122223333:root", "ADMIN"]},
    ],
)
def test_policies_that_keep_the_caller_in_control(kms: Any, cloud: Cloud, principal: Any) -> None:
    text = json.dumps(principal).replace("ADMIN", cloud.default_account.administrator.arn)
    principal = json.loads(text.replace("ACCT", cloud.default_account.account_id))
    for action in (
        "kms:*",
        "kms:PutKeyPolicy",
        "kms:Put*",
        "*",
        ["kms:Encrypt", "kms:putkeypolicy"],  # IAM action names are case-insensitive
    ):
        policy = _policy(principal, action)
        key_id = kms.create_key(Policy=policy)["KeyMetadata"]["KeyId"]
        assert kms.get_key_policy(KeyId=key_id)["Policy"] == policy
        kms.put_key_policy(KeyId=key_id, Policy=policy)


@pytest.mark.parametrize(
    "policy_doc",
    [
        # someone else entirely
        {
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
            "Action": "kms:*",
            "Resource": "*",
        },
        # the caller, but not PutKeyPolicy
        {
            "Effect": "Allow",
            "Principal": {"AWS": "ADMIN"},
            "Action": ["kms:Encrypt", "kms:Decrypt"],
            "Resource": "*",
        },
        # NotAction excludes it
        {
            "Effect": "Allow",
            "Principal": {"AWS": "ADMIN"},
            "NotAction": "kms:PutKeyPolicy",
            "Resource": "*",
        },
        # a condition the caller does not meet
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "kms:*",
            "Resource": "*",
            "Condition": {"StringEquals": {"kms:CallerAccount": "111122223333"}},
        },
        # no Resource: no effect
        {"Effect": "Allow", "Principal": "*", "Action": "kms:*"},
        # another user of the same account
        {
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::ACCT:user/Bob"},
            "Action": "kms:*",
            "Resource": "*",
        },
    ],
)
def test_lockout_safety_check(kms: Any, cloud: Cloud, policy_doc: dict[str, Any]) -> None:
    acct = cloud.default_account.account_id
    text = json.dumps(policy_doc).replace("ADMIN", cloud.default_account.administrator.arn)
    text = text.replace("ACCT", acct)
    policy = json.dumps({"Version": "2012-10-17", "Statement": [json.loads(text)]})
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    with pytest.raises(ClientError) as exc:
        kms.put_key_policy(KeyId=key_id, Policy=policy)
    assert (error_code(exc), error_message(exc)) == ("MalformedPolicyDocumentException", LOCKOUT)
    assert "kms:*" in kms.get_key_policy(KeyId=key_id)["Policy"]
    with pytest.raises(ClientError) as exc:
        kms.create_key(Policy=policy)
    assert (error_code(exc), error_message(exc)) == ("MalformedPolicyDocumentException", LOCKOUT)
    # BypassPolicyLockoutSafetyCheck skips it, on both operations.
    kms.put_key_policy(KeyId=key_id, Policy=policy, BypassPolicyLockoutSafetyCheck=True)
    assert kms.get_key_policy(KeyId=key_id)["Policy"] == policy
    created = kms.create_key(Policy=policy, BypassPolicyLockoutSafetyCheck=True)["KeyMetadata"]
    assert kms.get_key_policy(KeyId=created["KeyId"])["Policy"] == policy


def test_an_explicit_deny_locks_the_caller_out(kms: Any, cloud: Cloud) -> None:
    doc = json.loads(_policy(_root(cloud)))
    doc["Statement"].append(
        {"Effect": "Deny", "Principal": "*", "Action": "kms:PutKeyPolicy", "Resource": "*"}
    )
    with pytest.raises(ClientError) as exc:
        kms.create_key(Policy=json.dumps(doc))
    assert error_message(exc) == LOCKOUT


def test_lockout_check_follows_role_sessions_and_conditions() -> None:
    statements = policies.parse(
        json.dumps(
            {
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": "arn:aws:iam::111122223333:role/path/Admin"},
                        "Action": "kms:*",
                        "Resource": "*",
                        "Condition": {"StringLike": {"aws:PrincipalArn": "arn:aws:sts::*"}},
                    }
                ]
            }
        )
    )
    session = "arn:aws:sts::111122223333:assumed-role/Admin/alice"
    key = "arn:aws:kms:us-east-1:111122223333:key/k"
    policies.check_lockout(statements, session, "111122223333", key)
    with pytest.raises(Exception, match="will not allow you"):
        policies.check_lockout(statements, "arn:aws:sts::111122223333:assumed-role/Ops/a", "1", key)


def test_evaluator_condition_operators() -> None:
    def decide(condition: dict[str, Any], context: dict[str, Any]) -> str:
        stmts = policies.parse(
            json.dumps(
                {
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": "*",
                            "Action": "kms:Decrypt",
                            "Resource": "*",
                            "Condition": condition,
                        }
                    ]
                }
            )
        )
        req = policies.Request(
            "arn:aws:iam::111122223333:user/u",
            "111122223333",
            "kms:Decrypt",
            "arn:aws:kms:us-east-1:111122223333:key/k",
            context,
        )
        return policies.decide(stmts, req)

    via = {"kms:ViaService": "ssm.us-east-1.amazonaws.com"}
    assert (
        decide({"StringEquals": {"kms:ViaService": "ssm.us-east-1.amazonaws.com"}}, via) == "Allow"
    )
    assert (
        decide({"StringEquals": {"kms:viaservice": "ssm.us-east-1.amazonaws.com"}}, via) == "Allow"
    )
    assert decide({"StringLike": {"kms:ViaService": "ssm.*.amazonaws.com"}}, via) == "Allow"
    assert decide({"StringNotEquals": {"kms:ViaService": "x"}}, via) == "Allow"
    assert decide({"StringEquals": {"kms:ViaService": "x"}}, via) == "ImplicitDeny"
    assert decide({"StringEquals": {"kms:ViaService": "x"}}, {}) == "ImplicitDeny"
    assert decide({"StringEqualsIfExists": {"kms:ViaService": "x"}}, {}) == "Allow"
    assert decide({"Null": {"kms:ViaService": "true"}}, {}) == "Allow"
    assert decide({"Null": {"kms:ViaService": "true"}}, via) == "ImplicitDeny"
    assert (
        decide({"Bool": {"kms:GrantIsForAWSResource": True}}, {"kms:GrantIsForAWSResource": "true"})
        == "Allow"
    )
    ops = {"kms:GrantOperations": ["Decrypt", "Encrypt"]}
    assert (
        decide({"ForAllValues:StringEquals": {"kms:GrantOperations": ["Decrypt", "Encrypt"]}}, ops)
        == "Allow"
    )
    assert (
        decide({"ForAllValues:StringEquals": {"kms:GrantOperations": "Decrypt"}}, ops)
        == "ImplicitDeny"
    )
    assert decide({"ForAnyValue:StringEquals": {"kms:GrantOperations": "Decrypt"}}, ops) == "Allow"


# -- AWS managed keys -----------------------------------------------------------------------
def _service_client(cloud: Cloud, service: str) -> Any:
    """A KMS caller acting through an AWS service (principal.invoked_by), as integrations do."""
    admin = cloud.default_account.administrator
    principal = Principal(
        PrincipalType.IAM_USER,
        admin.account_id,
        admin.arn,
        admin.principal_id,
        user_name=admin.user_name,
        access_key_id="AKIASERVICECALLER0001",
        invoked_by=f"{service}.amazonaws.com",
    )
    cloud._access_keys["AKIASERVICECALLER0001"] = principal
    client = cloud.botocore_session().create_client(
        "kms",
        region_name="us-east-1",
        aws_access_key_id="AKIASERVICECALLER0001",
        aws_secret_access_key="x" * 40,
    )
    botocore_hook.attach(client, cloud.dispatcher)
    return client


def test_aws_managed_key_is_created_once_with_alias_policy_and_rotation(
    kms: Any, cloud: Cloud
) -> None:
    acct = cloud.default_account.account_id
    key = aws_managed_key(cloud.kms, acct, "us-east-1", "secretsmanager")
    assert aws_managed_key(cloud.kms, acct, "us-east-1", "secretsmanager") is key
    meta = kms.describe_key(KeyId="alias/aws/secretsmanager")["KeyMetadata"]
    assert meta["KeyId"] == key.key_id and meta["KeyManager"] == "AWS"
    assert meta["Description"] == (
        "Default key that protects my Secrets Manager data when no other key is defined"
    )
    assert (meta["KeySpec"], meta["KeyUsage"], meta["KeyState"]) == (
        "SYMMETRIC_DEFAULT",
        "ENCRYPT_DECRYPT",
        "Enabled",
    )
    assert key.rotation.enabled and key.rotation.period_days == 365
    aliases = kms.list_aliases(KeyId=key.key_id)["Aliases"]
    assert [a["AliasName"] for a in aliases] == ["alias/aws/secretsmanager"]
    policy = json.loads(kms.get_key_policy(KeyId=key.key_id)["Policy"])
    assert policy["Id"] == "auto-secretsmanager-2"
    first = policy["Statement"][0]
    assert first["Condition"]["StringEquals"] == {
        "kms:CallerAccount": acct,
        "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com",
    }
    # Other Regions and services get their own key.
    other = aws_managed_key(cloud.kms, acct, "eu-west-1", "secretsmanager")
    assert other.key_id != key.key_id and other.region == "eu-west-1"
    ssm = aws_managed_key(cloud.kms, acct, "us-east-1", "ssm")
    assert (
        ssm.description
        == "Default key that protects my SSM parameters when no other key is defined"
    )
    with pytest.raises(ValueError, match="no AWS managed key profile"):
        aws_managed_key(cloud.kms, acct, "us-east-1", "nosuchservice")


def test_aws_managed_keys_do_not_count_toward_the_key_quota(kms: Any, cloud: Cloud) -> None:
    acct = cloud.default_account.account_id
    for service in PROFILES:
        aws_managed_key(cloud.kms, acct, "us-east-1", service)
    cloud.quotas.adjust(acct, "customer_managed_keys", 1)
    kms.create_key()
    with pytest.raises(ClientError) as exc:
        kms.create_key()
    assert error_code(exc) == "LimitExceededException"
    kinds = [k.key_manager for k in cloud.kms.state(acct, "us-east-1").keys.values()]
    assert kinds.count(KeyManager.AWS) == len(PROFILES) and kinds.count(KeyManager.CUSTOMER) == 1


@pytest.mark.parametrize(
    ("operation", "kwargs"),
    [
        ("DisableKey", {}),
        ("EnableKey", {}),
        ("ScheduleKeyDeletion", {"PendingWindowInDays": 7}),
        ("CancelKeyDeletion", {}),
        ("PutKeyPolicy", {"Policy": '{"Statement": []}'}),
        ("EnableKeyRotation", {}),
        ("DisableKeyRotation", {}),
        ("TagResource", {"Tags": [{"TagKey": "a", "TagValue": "b"}]}),
        ("UpdateKeyDescription", {"Description": "mine now"}),
        ("Encrypt", {"Plaintext": b"direct use"}),
        ("GenerateDataKey", {"KeySpec": "AES_256"}),
        (
            "CreateGrant",
            {"GranteePrincipal": "arn:aws:iam::111122223333:root", "Operations": ["Decrypt"]},
        ),
    ],
)
def test_customers_cannot_manage_or_directly_use_aws_managed_keys(
    kms: Any, cloud: Cloud, operation: str, kwargs: dict[str, Any]
) -> None:
    key = aws_managed_key(
        cloud.kms, cloud.default_account.account_id, "us-east-1", "secretsmanager"
    )
    before = json.dumps(cloud.kms.dump(), sort_keys=True)
    method = getattr(kms, "".join("_" + c.lower() if c.isupper() else c for c in operation)[1:])
    with pytest.raises(ClientError) as exc:
        method(KeyId=key.key_id, **kwargs)
    assert error_code(exc) == "AccessDeniedException"
    assert error_message(exc) == (
        f"User: {cloud.default_account.administrator.arn} is not authorized to perform: "
        f"kms:{operation} on resource: {key.arn} because no resource-based policy allows the "
        f"kms:{operation} action"
    )
    assert json.dumps(cloud.kms.dump(), sort_keys=True) == before


def test_no_alias_may_point_to_an_aws_managed_key(kms: Any, cloud: Cloud) -> None:
    key = aws_managed_key(cloud.kms, cloud.default_account.account_id, "us-east-1", "ssm")
    with pytest.raises(ClientError) as exc:
        kms.create_alias(AliasName="alias/mine", TargetKeyId=key.key_id)
    assert error_code(exc) == "AccessDeniedException"
    with pytest.raises(ClientError) as exc:
        kms.delete_alias(AliasName="alias/aws/ssm")
    assert error_code(exc) == "AccessDeniedException"
    # Nor may customers create aliases under the reserved prefix (K-CALIAS).
    mine = kms.create_key()["KeyMetadata"]["KeyId"]
    with pytest.raises(ClientError) as exc:
        kms.create_alias(AliasName="alias/aws/mine", TargetKeyId=mine)
    assert error_code(exc) == "InvalidAliasNameException"


def test_the_account_can_read_aws_managed_key_metadata(kms: Any, cloud: Cloud) -> None:
    key = aws_managed_key(cloud.kms, cloud.default_account.account_id, "us-east-1", "ssm")
    assert kms.describe_key(KeyId="alias/aws/ssm")["KeyMetadata"]["Arn"] == key.arn
    assert kms.list_resource_tags(KeyId=key.key_id)["Tags"] == []
    assert kms.list_grants(KeyId=key.key_id)["Grants"] == []
    assert kms.list_key_policies(KeyId=key.key_id)["PolicyNames"] == ["default"]


def test_the_owning_service_can_use_its_aws_managed_key(cloud: Cloud) -> None:
    key = aws_managed_key(
        cloud.kms, cloud.default_account.account_id, "us-east-1", "secretsmanager"
    )
    via_secrets = _service_client(cloud, "secretsmanager")
    context = {"SecretARN": "arn:aws:secretsmanager:us-east-1:1:secret:s"}
    dk = via_secrets.generate_data_key(
        KeyId="alias/aws/secretsmanager", KeySpec="AES_256", EncryptionContext=context
    )
    plain = via_secrets.decrypt(CiphertextBlob=dk["CiphertextBlob"], EncryptionContext=context)
    assert plain["Plaintext"] == dk["Plaintext"] and plain["KeyId"] == key.arn
    # Another service cannot use it, and neither can its owner, directly.
    with pytest.raises(ClientError) as exc:
        _service_client(cloud, "ssm").decrypt(
            CiphertextBlob=dk["CiphertextBlob"], EncryptionContext=context
        )
    assert error_code(exc) == "AccessDeniedException" and "kms:Decrypt" in error_message(exc)
    with pytest.raises(ClientError) as exc:
        cloud.client("kms").decrypt(CiphertextBlob=dk["CiphertextBlob"], EncryptionContext=context)
    assert error_code(exc) == "AccessDeniedException"


def test_acm_managed_key_allows_only_decryption_grants_for_aws_resources(cloud: Cloud) -> None:
    key = aws_managed_key(cloud.kms, cloud.default_account.account_id, "us-east-1", "acm")
    via_acm = _service_client(cloud, "acm")
    grantee = f"arn:aws:iam::{cloud.default_account.account_id}:role/acm-user"
    grant = via_acm.create_grant(KeyId=key.key_id, GranteePrincipal=grantee, Operations=["Decrypt"])
    assert len(grant["GrantId"]) == 64
    # Retiring is authorized by the grant, not by the key policy (K-RETIRE).
    admin = cloud.client("kms", config=NO_RETRY)
    admin.retire_grant(KeyId=key.arn, GrantId=grant["GrantId"])
    assert admin.list_grants(KeyId=key.key_id)["Grants"] == []
    with pytest.raises(ClientError) as exc:
        via_acm.create_grant(
            KeyId=key.key_id, GranteePrincipal=grantee, Operations=["Decrypt", "Encrypt"]
        )
    assert error_code(exc) == "AccessDeniedException"


def test_quota_book_is_shared_by_the_cloud(cloud: Cloud) -> None:
    assert isinstance(cloud.quotas, QuotaBook) and cloud.kms.env.quotas is cloud.quotas
