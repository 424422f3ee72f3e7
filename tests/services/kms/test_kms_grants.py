"""KMS grants: CreateGrant, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant, and the
constraint matching the future authorizer will use (grants_for)."""

from __future__ import annotations

import datetime as _dt
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from simulator import Cloud
from simulator.services.kms.grants import child_grant_allowed, constraints_match, grants_for
from simulator.services.kms.model import Grant
from tests.conftest import error_code, error_message

NO_RETRY = Config(retries={"total_max_attempts": 1})


@pytest.fixture
def kms(cloud: Cloud) -> Any:
    """This module's client: no SDK retries, so LimitExceededException answers at once."""
    return cloud.client("kms", region_name="us-east-1", config=NO_RETRY)


def _grantee(cloud: Cloud, name: str = "app") -> str:
    return f"arn:aws:iam::{cloud.default_account.account_id}:role/{name}"


@pytest.fixture
def key_id(kms: Any) -> str:
    return str(kms.create_key(Description="grants")["KeyMetadata"]["KeyId"])


# -- CreateGrant ------------------------------------------------------------------------
def test_create_grant_and_list_it(kms_any: Any, cloud: Cloud) -> None:
    meta = kms_any.create_key()["KeyMetadata"]
    acct = cloud.default_account.account_id
    out = kms_any.create_grant(
        KeyId=meta["KeyId"],
        GranteePrincipal=_grantee(cloud),
        RetiringPrincipal=f"arn:aws:iam::{acct}:role/ops",
        Operations=["Decrypt", "GenerateDataKey", "Decrypt"],
        Constraints={"EncryptionContextSubset": {"Department": "Finance"}},
        Name="app-grant",
    )
    assert len(out["GrantId"]) == 64 and int(out["GrantId"], 16) >= 0
    assert out["GrantToken"] and out["GrantToken"] != out["GrantId"]
    (grant,) = kms_any.list_grants(KeyId=meta["Arn"])["Grants"]
    assert grant == {
        "KeyId": meta["Arn"],
        "GrantId": out["GrantId"],
        "Name": "app-grant",
        "CreationDate": cloud.clock.now(),
        "GranteePrincipal": _grantee(cloud),
        "RetiringPrincipal": f"arn:aws:iam::{acct}:role/ops",
        "IssuingAccount": f"arn:aws:iam::{acct}:root",
        "Operations": ["Decrypt", "GenerateDataKey"],
        "Constraints": {"EncryptionContextSubset": {"Department": "Finance"}},
    }


def test_create_grant_is_not_a_read_only_event_and_token_stays_out_of_state(
    kms: Any, cloud: Cloud, key_id: str
) -> None:
    out = kms.create_grant(KeyId=key_id, GranteePrincipal=_grantee(cloud), Operations=["Encrypt"])
    (event,) = [e for e in cloud.trail.records if e["eventName"] == "CreateGrant"]
    assert event["readOnly"] is False and event["responseElements"]["grantId"] == out["GrantId"]
    grant = cloud.kms.state(cloud.default_account.account_id, "us-east-1").grants[out["GrantId"]]
    assert out["GrantToken"] not in repr(grant)


def test_name_makes_create_grant_idempotent(kms: Any, cloud: Cloud, key_id: str) -> None:
    args: dict[str, Any] = {
        "KeyId": key_id,
        "GranteePrincipal": _grantee(cloud),
        "Operations": ["Encrypt", "Decrypt"],
        "Name": "retry-me",
    }
    first = kms.create_grant(**args)
    again = kms.create_grant(**{**args, "Operations": ["Decrypt", "Encrypt"]})
    assert again["GrantId"] == first["GrantId"] and again["GrantToken"] != first["GrantToken"]
    assert len(kms.list_grants(KeyId=key_id)["Grants"]) == 1
    # A retry with different parameters is a new grant (no error is documented for it).
    other = kms.create_grant(**{**args, "Operations": ["Encrypt"]})
    assert other["GrantId"] != first["GrantId"]
    # Without a Name, identical requests make separate grants.
    plain = {k: v for k, v in args.items() if k != "Name"}
    assert kms.create_grant(**plain)["GrantId"] != kms.create_grant(**plain)["GrantId"]
    assert len(kms.list_grants(KeyId=key_id)["Grants"]) == 4


def test_every_token_of_a_grant_can_retire_it(kms: Any, cloud: Cloud, key_id: str) -> None:
    args = {"KeyId": key_id, "GranteePrincipal": _grantee(cloud), "Operations": ["Encrypt"]}
    first = kms.create_grant(**args, Name="n")
    second = kms.create_grant(**args, Name="n")
    kms.retire_grant(GrantToken=second["GrantToken"])
    assert kms.list_grants(KeyId=key_id)["Grants"] == []
    with pytest.raises(ClientError) as exc:
        kms.retire_grant(GrantToken=first["GrantToken"])
    assert error_code(exc) == "NotFoundException"


@pytest.mark.parametrize(
    ("operations", "bad"),
    [
        (["Sign"], "Sign"),
        (["Verify", "Encrypt"], "Verify"),
        (["GenerateMac"], "GenerateMac"),
        (["VerifyMac"], "VerifyMac"),
        (["GetPublicKey"], "GetPublicKey"),
        (["DeriveSharedSecret"], "DeriveSharedSecret"),
    ],
)
def test_operations_must_fit_the_key_type(
    kms: Any, cloud: Cloud, key_id: str, operations: list[str], bad: str
) -> None:
    with pytest.raises(ClientError) as exc:
        kms.create_grant(KeyId=key_id, GranteePrincipal=_grantee(cloud), Operations=operations)
    assert error_code(exc) == "ValidationException" and bad in error_message(exc)
    assert kms.list_grants(KeyId=key_id)["Grants"] == []


def test_all_symmetric_grant_operations_are_accepted(kms: Any, cloud: Cloud, key_id: str) -> None:
    ops = [
        "Decrypt",
        "Encrypt",
        "GenerateDataKey",
        "GenerateDataKeyWithoutPlaintext",
        "ReEncryptFrom",
        "ReEncryptTo",
        "CreateGrant",
        "RetireGrant",
        "DescribeKey",
        "GenerateDataKeyPair",
        "GenerateDataKeyPairWithoutPlaintext",
    ]
    kms.create_grant(KeyId=key_id, GranteePrincipal=_grantee(cloud), Operations=ops)
    assert kms.list_grants(KeyId=key_id)["Grants"][0]["Operations"] == ops


def test_operation_names_outside_the_enum_fail_validation(
    kms: Any, cloud: Cloud, key_id: str
) -> None:
    with pytest.raises(ClientError) as exc:
        kms.create_grant(
            KeyId=key_id, GranteePrincipal=_grantee(cloud), Operations=["ScheduleKeyDeletion"]
        )
    assert error_code(exc) == "ValidationException"
    with pytest.raises(ClientError) as exc:
        kms.create_grant(KeyId=key_id, GranteePrincipal=_grantee(cloud), Operations=[])
    assert error_code(exc) == "ValidationException"


def test_grantee_and_retiring_principals(kms: Any, cloud: Cloud, key_id: str) -> None:
    acct = cloud.default_account.account_id
    for ok in (
        f"arn:aws:iam::{acct}:root",
        f"arn:aws:iam::{acct}:user/alice",
        "arn:aws:iam::111122223333:role/partner",
        f"arn:aws:sts::{acct}:assumed-role/app/session-1",
    ):
        kms.create_grant(KeyId=key_id, GranteePrincipal=ok, Operations=["Encrypt"])
    for bad in ("bob", f"arn:aws:iam::{acct}:group/devs", "secretsmanager.amazonaws.com"):
        with pytest.raises(ClientError) as exc:
            kms.create_grant(KeyId=key_id, GranteePrincipal=bad, Operations=["Encrypt"])
        assert error_code(exc) == "InvalidArnException"
        with pytest.raises(ClientError) as exc:
            kms.create_grant(
                KeyId=key_id,
                GranteePrincipal=_grantee(cloud),
                RetiringPrincipal=bad,
                Operations=["Encrypt"],
            )
        assert error_code(exc) == "InvalidArnException"
    with pytest.raises(ClientError) as exc:
        kms.create_grant(KeyId=key_id, Operations=["Encrypt"])
    assert error_code(exc) == "ValidationException"
    with pytest.raises(ClientError) as exc:
        kms.create_grant(
            KeyId=key_id,
            GranteePrincipal=_grantee(cloud),
            GranteeServicePrincipal="lambda.amazonaws.com",
            Operations=["Encrypt"],
        )
    assert error_code(exc) == "ValidationException"
    with pytest.raises(ClientError) as exc:
        kms.create_grant(
            KeyId=key_id,
            GranteePrincipal=_grantee(cloud),
            RetiringPrincipal=_grantee(cloud),
            RetiringServicePrincipal="lambda.amazonaws.com",
            Operations=["Encrypt"],
        )
    assert error_code(exc) == "ValidationException"
    assert len(kms.list_grants(KeyId=key_id)["Grants"]) == 4


def test_grantee_service_principal_needs_source_arn_and_retiring_principal(
    kms: Any, cloud: Cloud, key_id: str
) -> None:
    source = f"arn:aws:lambda:us-east-1:{cloud.default_account.account_id}:function:f"
    base = {"KeyId": key_id, "GranteeServicePrincipal": "lambda.amazonaws.com"}
    for extra in (
        {},
        {"Constraints": {"SourceArn": source}},
        {"RetiringPrincipal": _grantee(cloud)},
    ):
        with pytest.raises(ClientError) as exc:
            kms.create_grant(**base, Operations=["Decrypt"], **extra)
        assert error_code(exc) == "ValidationException"
    out = kms.create_grant(
        **base,
        Operations=["Decrypt"],
        Constraints={"SourceArn": source},
        RetiringServicePrincipal="lambda.amazonaws.com",
    )
    (grant,) = kms.list_grants(KeyId=key_id, GranteeServicePrincipal="lambda.amazonaws.com")[
        "Grants"
    ]
    assert grant["GrantId"] == out["GrantId"] and "GranteePrincipal" not in grant
    assert grant["Constraints"] == {"SourceArn": source}
    assert grant["RetiringServicePrincipal"] == "lambda.amazonaws.com"


def test_encryption_context_constraint_limits(kms: Any, cloud: Cloud, key_id: str) -> None:
    nine = {f"k{i}": "v" for i in range(9)}
    for constraints in (
        {"EncryptionContextEquals": nine},
        {"EncryptionContextSubset": nine},
        {"EncryptionContextSubset": {"k": "v" * 385}},
    ):
        with pytest.raises(ClientError) as exc:
            kms.create_grant(
                KeyId=key_id,
                GranteePrincipal=_grantee(cloud),
                Operations=["Decrypt"],
                Constraints=constraints,
            )
        assert error_code(exc) == "ValidationException"
    eight = {f"k{i}": "v" * 384 for i in range(8)}
    kms.create_grant(
        KeyId=key_id,
        GranteePrincipal=_grantee(cloud),
        Operations=["Decrypt"],
        Constraints={"EncryptionContextEquals": eight, "EncryptionContextSubset": {"a": "b"}},
    )


def test_create_grant_key_errors_and_states(kms: Any, cloud: Cloud, key_id: str) -> None:
    args: dict[str, Any] = {"GranteePrincipal": _grantee(cloud), "Operations": ["Encrypt"]}
    with pytest.raises(ClientError) as exc:
        kms.create_grant(KeyId="11111111-2222-3333-4444-555555555555", **args)
    assert error_code(exc) == "NotFoundException"
    kms.create_alias(AliasName="alias/g", TargetKeyId=key_id)
    with pytest.raises(ClientError) as exc:
        kms.create_grant(KeyId="alias/g", **args)
    assert error_code(exc) == "NotFoundException"
    with pytest.raises(ClientError) as exc:
        kms.create_grant(KeyId="arn:aws:s3:::bucket", **args)
    assert error_code(exc) == "InvalidArnException"
    kms.disable_key(KeyId=key_id)
    with pytest.raises(ClientError) as exc:
        kms.create_grant(KeyId=key_id, **args)
    assert error_code(exc) == "DisabledException" and error_message(exc).endswith("is disabled.")
    kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    with pytest.raises(ClientError) as exc:
        kms.create_grant(KeyId=key_id, **args)
    assert error_code(exc) == "KMSInvalidStateException"
    assert kms.list_grants(KeyId=key_id)["Grants"] == []


def test_create_grant_dry_run_and_bad_grant_tokens(kms: Any, cloud: Cloud, key_id: str) -> None:
    args: dict[str, Any] = {
        "KeyId": key_id,
        "GranteePrincipal": _grantee(cloud),
        "Operations": ["Encrypt"],
    }
    with pytest.raises(ClientError) as exc:
        kms.create_grant(**args, DryRun=True)
    assert error_code(exc) == "DryRunOperationException"
    assert kms.list_grants(KeyId=key_id)["Grants"] == []
    with pytest.raises(ClientError) as exc:
        kms.create_grant(**args, GrantTokens=["not-a-token"])
    assert error_code(exc) == "InvalidGrantTokenException"
    token = kms.create_grant(**args)["GrantToken"]
    kms.create_grant(**args, GrantTokens=[token])
    assert len(kms.list_grants(KeyId=key_id)["Grants"]) == 2


def test_grants_per_key_quota(kms: Any, cloud: Cloud, key_id: str) -> None:
    acct = cloud.default_account.account_id
    cloud.quotas.adjust(acct, "grants_per_key", 3)
    args: dict[str, Any] = {"GranteePrincipal": _grantee(cloud), "Operations": ["Encrypt"]}
    for _ in range(3):
        kms.create_grant(KeyId=key_id, **args)
    with pytest.raises(ClientError) as exc:
        kms.create_grant(KeyId=key_id, **args)
    assert error_code(exc) == "LimitExceededException"
    # The quota is per key.
    other = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.create_grant(KeyId=other, **args)


def test_cross_account_grant_by_key_arn(cloud: Cloud) -> None:
    owner = cloud.client("kms")
    partner_account = cloud.create_account()
    partner = cloud.client("kms", account_id=partner_account.account_id)
    arn = owner.create_key()["KeyMetadata"]["Arn"]
    out = partner.create_grant(
        KeyId=arn,
        GranteePrincipal=f"arn:aws:iam::{partner_account.account_id}:role/worker",
        RetiringPrincipal=f"arn:aws:iam::{partner_account.account_id}:root",
        Operations=["Decrypt"],
    )
    (grant,) = owner.list_grants(KeyId=arn)["Grants"]
    assert grant["IssuingAccount"] == f"arn:aws:iam::{partner_account.account_id}:root"
    retirable = partner.list_retirable_grants(
        RetiringPrincipal=f"arn:aws:iam::{partner_account.account_id}:root"
    )["Grants"]
    assert [g["GrantId"] for g in retirable] == [out["GrantId"]]
    assert retirable[0]["KeyId"] == arn
    partner.retire_grant(KeyId=arn, GrantId=out["GrantId"])
    assert owner.list_grants(KeyId=arn)["Grants"] == []


# -- ListGrants / ListRetirableGrants ---------------------------------------------------
def test_list_grants_filters_and_pagination(kms: Any, cloud: Cloud, key_id: str) -> None:
    ids = [
        kms.create_grant(
            KeyId=key_id, GranteePrincipal=_grantee(cloud, f"r{i % 2}"), Operations=["Encrypt"]
        )["GrantId"]
        for i in range(5)
    ]
    page1 = kms.list_grants(KeyId=key_id, Limit=2)
    assert [g["GrantId"] for g in page1["Grants"]] == ids[:2] and page1["Truncated"] is True
    page2 = kms.list_grants(KeyId=key_id, Limit=2, Marker=page1["NextMarker"])
    assert [g["GrantId"] for g in page2["Grants"]] == ids[2:4]
    page3 = kms.list_grants(KeyId=key_id, Limit=2, Marker=page2["NextMarker"])
    assert [g["GrantId"] for g in page3["Grants"]] == ids[4:] and page3["Truncated"] is False
    assert "NextMarker" not in page3
    paginator = kms.get_paginator("list_grants")
    assert [
        g["GrantId"] for p in paginator.paginate(KeyId=key_id, Limit=1) for g in p["Grants"]
    ] == ids
    by_grantee = kms.list_grants(KeyId=key_id, GranteePrincipal=_grantee(cloud, "r0"))["Grants"]
    assert [g["GrantId"] for g in by_grantee] == [ids[0], ids[2], ids[4]]
    assert [g["GrantId"] for g in kms.list_grants(KeyId=key_id, GrantId=ids[3])["Grants"]] == [
        ids[3]
    ]
    assert kms.list_grants(KeyId=key_id, GrantId="0" * 64)["Grants"] == []
    # Grants belong to their key only.
    other = kms.create_key()["KeyMetadata"]["KeyId"]
    assert kms.list_grants(KeyId=other)["Grants"] == []


def test_list_grants_errors(kms: Any, key_id: str) -> None:
    for kwargs, code in (
        ({"Limit": 101}, "ValidationException"),
        ({"Marker": "garbage"}, "InvalidMarkerException"),
        ({"GrantId": "not-a-grant-id"}, "InvalidGrantIdException"),
        (
            {
                "GranteePrincipal": "arn:aws:iam::111122223333:root",
                "GranteeServicePrincipal": "lambda.amazonaws.com",
            },
            "ValidationException",
        ),
    ):
        with pytest.raises(ClientError) as exc:
            kms.list_grants(KeyId=key_id, **kwargs)
        assert error_code(exc) == code, kwargs
    with pytest.raises(ClientError) as exc:
        kms.list_grants(KeyId="11111111-2222-3333-4444-555555555555")
    assert error_code(exc) == "NotFoundException"
    assert kms.list_grants(KeyId=key_id, Limit=100)["Grants"] == []


def test_list_retirable_grants(kms: Any, cloud: Cloud, key_id: str) -> None:
    ops_role = _grantee(cloud, "ops")
    other_key = kms.create_key()["KeyMetadata"]["KeyId"]
    mine = [
        kms.create_grant(
            KeyId=k,
            GranteePrincipal=_grantee(cloud),
            RetiringPrincipal=ops_role,
            Operations=["Encrypt"],
        )["GrantId"]
        for k in (key_id, other_key)
    ]
    kms.create_grant(KeyId=key_id, GranteePrincipal=_grantee(cloud), Operations=["Encrypt"])
    listed = kms.list_retirable_grants(RetiringPrincipal=ops_role)
    assert [g["GrantId"] for g in listed["Grants"]] == mine and listed["Truncated"] is False
    first = kms.list_retirable_grants(RetiringPrincipal=ops_role, Limit=1)
    assert first["Truncated"] is True and len(first["Grants"]) == 1
    assert kms.list_retirable_grants(RetiringPrincipal=_grantee(cloud, "nobody"))["Grants"] == []
    with pytest.raises(ClientError) as exc:
        kms.list_retirable_grants()
    assert error_code(exc) == "ValidationException"
    # Grants live per Region.
    assert (
        cloud.client("kms", region_name="eu-west-1").list_retirable_grants(
            RetiringPrincipal=ops_role
        )["Grants"]
        == []
    )


# -- RetireGrant / RevokeGrant ------------------------------------------------------------
def test_retire_grant_by_token_or_by_key_and_id(kms_any: Any, cloud: Cloud) -> None:
    key = kms_any.create_key()["KeyMetadata"]
    args: dict[str, Any] = {
        "KeyId": key["KeyId"],
        "GranteePrincipal": _grantee(cloud),
        "Operations": ["Encrypt"],
    }
    by_token = kms_any.create_grant(**args)
    by_id = kms_any.create_grant(**args)
    kms_any.retire_grant(GrantToken=by_token["GrantToken"])
    kms_any.retire_grant(KeyId=key["Arn"], GrantId=by_id["GrantId"])
    assert kms_any.list_grants(KeyId=key["KeyId"])["Grants"] == []
    names = [e["eventName"] for e in cloud.trail.records]
    assert names.count("RetireGrant") == 2


def test_retire_grant_errors(kms: Any, cloud: Cloud, key_id: str) -> None:
    grant = kms.create_grant(KeyId=key_id, GranteePrincipal=_grantee(cloud), Operations=["Encrypt"])
    cases: list[tuple[dict[str, Any], str]] = [
        ({"GrantToken": "garbage"}, "InvalidGrantTokenException"),
        ({}, "ValidationException"),
        ({"KeyId": key_id}, "ValidationException"),
        ({"GrantId": grant["GrantId"]}, "ValidationException"),
        ({"KeyId": key_id, "GrantId": "xyz"}, "InvalidGrantIdException"),
        ({"KeyId": key_id, "GrantId": "0" * 64}, "NotFoundException"),
        (
            {"KeyId": "11111111-2222-3333-4444-555555555555", "GrantId": grant["GrantId"]},
            "NotFoundException",
        ),
        ({"GrantToken": grant["GrantToken"], "GrantId": "1" * 64}, "InvalidGrantIdException"),
        ({"GrantToken": grant["GrantToken"], "DryRun": True}, "DryRunOperationException"),
    ]
    for kwargs, code in cases:
        with pytest.raises(ClientError) as exc:
            kms.retire_grant(**kwargs)
        assert error_code(exc) == code, kwargs
    assert len(kms.list_grants(KeyId=key_id)["Grants"]) == 1


def test_only_the_right_principals_may_retire(cloud: Cloud) -> None:
    owner = cloud.client("kms")
    stranger_account = cloud.create_account()
    stranger = cloud.client("kms", account_id=stranger_account.account_id)
    arn = owner.create_key()["KeyMetadata"]["Arn"]
    grant = owner.create_grant(KeyId=arn, GranteePrincipal=_grantee(cloud), Operations=["Encrypt"])
    with pytest.raises(ClientError) as exc:
        stranger.retire_grant(KeyId=arn, GrantId=grant["GrantId"])
    assert error_code(exc) == "AccessDeniedException"
    # The grantee may, when the grant includes RetireGrant.
    retirable = owner.create_grant(
        KeyId=arn,
        GranteePrincipal=f"arn:aws:iam::{stranger_account.account_id}:root",
        Operations=["Encrypt", "RetireGrant"],
    )
    stranger.retire_grant(KeyId=arn, GrantId=retirable["GrantId"])
    assert [g["GrantId"] for g in owner.list_grants(KeyId=arn)["Grants"]] == [grant["GrantId"]]


def test_revoke_grant(kms_any: Any, cloud: Cloud) -> None:
    key_id = kms_any.create_key()["KeyMetadata"]["KeyId"]
    grant = kms_any.create_grant(
        KeyId=key_id, GranteePrincipal=_grantee(cloud), Operations=["Encrypt"]
    )
    with pytest.raises(ClientError) as exc:
        kms_any.revoke_grant(KeyId=key_id, GrantId=grant["GrantId"], DryRun=True)
    assert error_code(exc) == "DryRunOperationException"
    with pytest.raises(ClientError) as exc:
        kms_any.revoke_grant(KeyId=key_id, GrantId="bad id")
    assert error_code(exc) == "InvalidGrantIdException"
    with pytest.raises(ClientError) as exc:
        kms_any.revoke_grant(KeyId=key_id, GrantId="a" * 64)
    assert error_code(exc) == "NotFoundException"
    other = kms_any.create_key()["KeyMetadata"]["KeyId"]
    with pytest.raises(ClientError) as exc:
        kms_any.revoke_grant(KeyId=other, GrantId=grant["GrantId"])
    assert error_code(exc) == "NotFoundException"
    kms_any.revoke_grant(KeyId=key_id, GrantId=grant["GrantId"])
    assert kms_any.list_grants(KeyId=key_id)["Grants"] == []
    with pytest.raises(ClientError) as exc:
        kms_any.retire_grant(GrantToken=grant["GrantToken"])
    assert error_code(exc) == "NotFoundException"


def test_retire_and_revoke_work_on_a_key_pending_deletion(
    kms: Any, cloud: Cloud, key_id: str
) -> None:
    args: dict[str, Any] = {"GranteePrincipal": _grantee(cloud), "Operations": ["Encrypt"]}
    a = kms.create_grant(KeyId=key_id, **args)
    b = kms.create_grant(KeyId=key_id, **args)
    kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    kms.retire_grant(GrantToken=a["GrantToken"])
    kms.revoke_grant(KeyId=key_id, GrantId=b["GrantId"])
    assert kms.list_grants(KeyId=key_id)["Grants"] == []


def test_deleting_a_key_deletes_its_grants(kms: Any, cloud: Cloud, key_id: str) -> None:
    keep = kms.create_key()["KeyMetadata"]["KeyId"]
    for k in (key_id, keep):
        kms.create_grant(KeyId=k, GranteePrincipal=_grantee(cloud), Operations=["Encrypt"])
    kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    cloud.clock.advance(days=7)
    grants = cloud.kms.state(cloud.default_account.account_id, "us-east-1").grants
    assert [g.key_id for g in grants.values()] == [keep]


def test_grants_survive_a_snapshot(kms: Any, cloud: Cloud, key_id: str, tmp_path: Any) -> None:
    grant = kms.create_grant(
        KeyId=key_id,
        GranteePrincipal=_grantee(cloud),
        Operations=["Decrypt"],
        Constraints={"EncryptionContextEquals": {"a": "b"}},
        Name="kept",
    )
    loaded = Cloud.load(cloud.save(tmp_path / "world.json"))
    again = loaded.client("kms")
    assert again.list_grants(KeyId=key_id)["Grants"] == kms.list_grants(KeyId=key_id)["Grants"]
    again.retire_grant(GrantToken=grant["GrantToken"])


# -- grants_for: constraint matching for the authorizer -----------------------------------
def _grant(**constraints: dict[str, str]) -> Grant:
    return Grant(
        grant_id="0" * 64,
        key_id="k",
        name=None,
        grantee_principal="arn:aws:iam::111122223333:role/app",
        grantee_service_principal=None,
        retiring_principal=None,
        retiring_service_principal=None,
        operations=["Decrypt"],
        constraints=dict(constraints),
        source_arn=None,
        issuing_account="arn:aws:iam::111122223333:root",
        creation_date=_dt.datetime(2026, 1, 5, tzinfo=_dt.UTC),
    )


def test_constraint_keys_are_case_insensitive_values_case_sensitive() -> None:
    subset = _grant(EncryptionContextSubset={"Department": "Finance", "Classification": "Public"})
    # The K-GCON / developer guide examples.
    assert constraints_match(subset, {"Department": "Finance", "Classification": "Public"})
    assert constraints_match(subset, {"Classification": "Public", "Department": "Finance"})
    assert constraints_match(
        subset,
        {"Customer": "12345", "Department": "Finance", "Classification": "Public", "P": "T"},
    )
    assert not constraints_match(subset, {"Department": "Finance"})
    assert not constraints_match(subset, {"department": "finance", "classification": "public"})
    assert not constraints_match(subset, {"Classification": "Public", "Customer": "12345"})
    # Keys differ only by case: still a match (constraint keys are case-insensitive).
    assert constraints_match(subset, {"DEPARTMENT": "Finance", "classification": "Public"})
    assert not constraints_match(subset, None)
    equals = _grant(EncryptionContextEquals={"SecretARN": "arn:x"})
    assert constraints_match(equals, {"secretarn": "arn:x"})
    assert not constraints_match(equals, {"SecretARN": "ARN:X"})
    assert not constraints_match(equals, {"SecretARN": "arn:x", "extra": "1"})
    assert constraints_match(_grant(), None)


def test_grants_for_matches_principal_operation_and_context(kms: Any, cloud: Cloud) -> None:
    acct = cloud.default_account.account_id
    meta = kms.create_key()["KeyMetadata"]
    role = f"arn:aws:iam::{acct}:role/app"
    kms.create_grant(
        KeyId=meta["KeyId"],
        GranteePrincipal=role,
        Operations=["Decrypt", "DescribeKey"],
        Constraints={"EncryptionContextSubset": {"Purpose": "Test"}},
        Name="constrained",
    )
    kms.create_grant(
        KeyId=meta["KeyId"],
        GranteePrincipal=f"arn:aws:iam::{acct}:root",
        Operations=["Encrypt"],
        Name="account-wide",
    )
    st = cloud.kms.state(acct, "us-east-1")
    key = st.keys[meta["KeyId"]]

    def names(principal: str, op: str, ec: dict[str, str] | None = None) -> list[str | None]:
        return [g.name for g in grants_for(st, key, principal, op, ec)]

    assert names(role, "Decrypt", {"purpose": "Test", "x": "y"}) == ["constrained"]
    assert names(role, "Decrypt", {"Purpose": "test"}) == []
    assert names(role, "Decrypt") == []
    # DescribeKey ignores the encryption context constraint.
    assert names(role, "DescribeKey") == ["constrained"]
    session = f"arn:aws:sts::{acct}:assumed-role/app/s1"
    assert names(session, "Decrypt", {"Purpose": "Test"}) == ["constrained"]
    assert names(f"arn:aws:iam::{acct}:role/other", "Decrypt", {"Purpose": "Test"}) == []
    # A grant to the account root covers the account's principals.
    assert names(f"arn:aws:iam::{acct}:user/bob", "Encrypt") == ["account-wide"]
    assert names("arn:aws:iam::111122223333:user/bob", "Encrypt") == []
    assert names(role, "GenerateDataKey", {"Purpose": "Test"}) == []


def test_child_grants_must_be_at_least_as_strict() -> None:
    parent = _grant(EncryptionContextSubset={"Dept": "Finance"})
    parent.operations = ["Decrypt", "GenerateDataKey", "CreateGrant"]
    assert child_grant_allowed(
        parent, ["Decrypt"], {"EncryptionContextSubset": {"dept": "Finance", "more": "x"}}
    )
    assert child_grant_allowed(
        parent, ["Decrypt"], {"EncryptionContextEquals": {"Dept": "Finance"}}
    )
    assert not child_grant_allowed(parent, ["Decrypt"], {})
    assert not child_grant_allowed(
        parent, ["Encrypt"], {"EncryptionContextSubset": {"Dept": "Finance"}}
    )
    assert not child_grant_allowed(parent, ["Decrypt"], {"EncryptionContextSubset": {"Dept": "HR"}})
    strict = _grant(EncryptionContextEquals={"a": "1"})
    assert child_grant_allowed(strict, ["Decrypt"], {"EncryptionContextEquals": {"A": "1"}})
    assert not child_grant_allowed(strict, ["Decrypt"], {"EncryptionContextSubset": {"a": "1"}})
    assert child_grant_allowed(_grant(), ["Decrypt"], {})


@pytest.mark.parametrize(
    ("spec", "usage", "fits", "unfit"),
    [
        ("RSA_2048", "SIGN_VERIFY", ["Sign", "Verify", "GetPublicKey", "DescribeKey"], "Encrypt"),
        ("RSA_2048", "ENCRYPT_DECRYPT", ["Encrypt", "Decrypt", "ReEncryptFrom"], "GenerateDataKey"),
        ("ECC_NIST_P256", "KEY_AGREEMENT", ["DeriveSharedSecret", "GetPublicKey"], "Sign"),
        ("HMAC_256", "GENERATE_VERIFY_MAC", ["GenerateMac", "VerifyMac", "CreateGrant"], "Decrypt"),
    ],
)
def test_operations_for_asymmetric_and_hmac_keys(
    kms: Any, cloud: Cloud, spec: str, usage: str, fits: list[str], unfit: str
) -> None:
    key_id = kms.create_key(KeySpec=spec, KeyUsage=usage)["KeyMetadata"]["KeyId"]
    kms.create_grant(KeyId=key_id, GranteePrincipal=_grantee(cloud), Operations=fits)
    with pytest.raises(ClientError) as exc:
        kms.create_grant(KeyId=key_id, GranteePrincipal=_grantee(cloud), Operations=[unfit])
    assert error_code(exc) == "ValidationException" and unfit in error_message(exc)
    # K-GCON: encryption context constraints only on symmetric encryption keys.
    with pytest.raises(ClientError) as exc:
        kms.create_grant(
            KeyId=key_id,
            GranteePrincipal=_grantee(cloud),
            Operations=fits[:1],
            Constraints={"EncryptionContextSubset": {"a": "b"}},
        )
    assert error_code(exc) == "ValidationException"
    assert [g["Operations"] for g in kms.list_grants(KeyId=key_id)["Grants"]] == [fits]
