"""Quotas as data (core/quotas.py): the KMS tables, per-account adjustments, resource limits
read from the table, and request-rate throttling on the virtual clock."""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from simulator import Cloud
from simulator.core import quotas
from simulator.core.quotas import QuotaBook
from simulator.services.kms import annotations, policies, service
from simulator.services.kms.admission import THROTTLED, rate_bucket
from simulator.services.kms.model import Key, KeyManager, KeyState, KeyUsage, Origin
from tests.conftest import error_code, error_message

T0 = _dt.datetime(2026, 1, 5, 9, 0, 0, tzinfo=_dt.UTC)
# botocore retries ThrottlingException with real sleeps; these tests want to see the first one.
NO_RETRY = Config(retries={"total_max_attempts": 1})


def _client(cloud: Cloud, **kwargs: Any) -> Any:
    return cloud.client("kms", config=NO_RETRY, **kwargs)


# -- the table ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "value", "adjustable"),
    [
        ("customer_managed_keys", 100_000, True),
        ("aliases_per_key", 50, True),
        ("grants_per_key", 50_000, True),
        ("custom_key_stores", 10, True),
        ("on_demand_rotations_per_key", 25, False),
        ("key_policy_document_size", 32_768, False),
        ("CreateGrant_rate", 50, True),
        ("DescribeKey_rate", 2_000, True),
        ("GetParametersForImport_rate", 1, True),
        ("cryptographic_operations_rsa_rate", 1_000, True),
        ("cryptographic_operations_ecc_rate", 1_000, True),
        ("GenerateDataKeyPair_RSA_2048_rate", 20, True),
        ("GenerateDataKeyPair_ECC_NIST_P256_rate", 100, True),
    ],
)
def test_kms_quota_table(name: str, value: float, adjustable: bool) -> None:
    quota = quotas.lookup("kms", name)
    assert (quota.default, quota.adjustable) == (value, adjustable)
    assert quota.kind in (quotas.RESOURCE, quotas.RATE)


@pytest.mark.parametrize(
    ("region", "rate"),
    [
        ("us-east-1", 100_000),
        ("us-west-2", 100_000),
        ("eu-west-1", 100_000),
        ("us-east-2", 20_000),
        ("ap-southeast-1", 20_000),
        ("ap-southeast-2", 20_000),
        ("ap-northeast-1", 20_000),
        ("eu-central-1", 20_000),
        ("eu-west-2", 20_000),
        ("sa-east-1", 10_000),
        ("ca-central-1", 10_000),
    ],
)
def test_symmetric_crypto_quota_by_region(region: str, rate: int) -> None:
    book = QuotaBook()
    assert (
        book.value("111122223333", region, "kms", "cryptographic_operations_symmetric_rate") == rate
    )


def test_rsa_data_key_pairs_are_slower_in_china() -> None:
    q = quotas.lookup("kms", "GenerateDataKeyPair_RSA_4096_rate")
    assert (q.default_for("us-east-1"), q.default_for("cn-north-1")) == (1, 0.1)


def test_existing_constants_come_from_the_table() -> None:
    assert service.KEYS_PER_REGION == 100_000
    assert annotations.ALIASES_PER_KEY == 50
    assert annotations.KEY_POLICY_MAX_BYTES == policies.KEY_POLICY_MAX_BYTES == 32_768


def test_unknown_quota_names_are_refused() -> None:
    with pytest.raises(KeyError, match="no kms quota named 'keys'"):
        quotas.lookup("kms", "keys")


# -- adjustments ----------------------------------------------------------------------------
def test_adjust_per_account_and_region() -> None:
    book = QuotaBook()
    book.adjust("111122223333", "grants_per_key", 60_000)
    book.adjust("111122223333", "grants_per_key", 70_000, region="eu-west-1")
    assert book.limit("111122223333", "us-east-1", "kms", "grants_per_key") == 60_000
    assert book.limit("111122223333", "eu-west-1", "kms", "grants_per_key") == 70_000
    assert book.limit("444455556666", "us-east-1", "kms", "grants_per_key") == 50_000
    book.reset("111122223333")
    assert book.limit("111122223333", "eu-west-1", "kms", "grants_per_key") == 50_000


def test_adjusting_a_fixed_quota_is_refused() -> None:
    book = QuotaBook()
    with pytest.raises(ValueError, match="not adjustable"):
        book.adjust("111122223333", "on_demand_rotations_per_key", 100)
    with pytest.raises(ValueError, match="not adjustable"):
        book.adjust("111122223333", "key_policy_document_size", 65_536)
    with pytest.raises(ValueError, match="positive"):
        book.adjust("111122223333", "grants_per_key", 0)


def test_key_quota_is_enforced_per_account(cloud: Cloud) -> None:
    acct = cloud.default_account.account_id
    cloud.quotas.adjust(acct, "customer_managed_keys", 2)
    kms = _client(cloud)
    kms.create_key()
    kms.create_key()
    with pytest.raises(ClientError) as exc:
        kms.create_key()
    assert error_code(exc) == "LimitExceededException" and "(2)" in error_message(exc)
    other = cloud.create_account()
    _client(cloud, account_id=other.account_id).create_key()
    _client(cloud, region_name="eu-west-1").create_key()  # quotas are per Region
    assert len(kms.list_keys()["Keys"]) == 2


def test_alias_quota_is_enforced_per_key(cloud: Cloud) -> None:
    cloud.quotas.adjust(cloud.default_account.account_id, "aliases_per_key", 2)
    kms = _client(cloud)
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/a", TargetKeyId=key_id)
    kms.create_alias(AliasName="alias/b", TargetKeyId=key_id)
    with pytest.raises(ClientError) as exc:
        kms.create_alias(AliasName="alias/c", TargetKeyId=key_id)
    assert error_code(exc) == "LimitExceededException" and "maximum of 2 aliases" in error_message(
        exc
    )


# -- throttling --------------------------------------------------------------------------
def test_rate_windows_on_the_virtual_clock() -> None:
    book = QuotaBook()
    acct, region = "111122223333", "sa-east-1"
    name = "cryptographic_operations_symmetric_rate"
    assert all(book.admit(acct, region, "kms", name, T0) for _ in range(10_000))
    assert not book.admit(acct, region, "kms", name, T0)  # the 10,001st in the same second
    assert book.admit(acct, region, "kms", name, T0 + _dt.timedelta(seconds=1))
    # Sub-second rates: 0.1 per second is one request per 10-second window.
    china = "cn-north-1"
    slow = "GenerateDataKeyPair_RSA_4096_rate"
    assert book.admit(acct, china, "kms", slow, T0)
    assert not book.admit(acct, china, "kms", slow, T0 + _dt.timedelta(seconds=9))
    assert book.admit(acct, china, "kms", slow, T0 + _dt.timedelta(seconds=10))


def test_throttling_is_off_by_default(cloud: Cloud) -> None:
    cloud.quotas.adjust(cloud.default_account.account_id, "CreateKey_rate", 1)
    kms = _client(cloud)
    for _ in range(3):
        kms.create_key()
    assert cloud.quotas.throttling is False


def test_throttled_requests_get_the_kms_message(cloud: Cloud) -> None:
    acct = cloud.default_account.account_id
    kms = _client(cloud, region_name="sa-east-1")
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    cloud.quotas.adjust(acct, "cryptographic_operations_symmetric_rate", 3)
    cloud.throttling(True)
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"1")["CiphertextBlob"]
    kms.decrypt(CiphertextBlob=blob)
    kms.generate_data_key(KeyId=key_id, KeySpec="AES_256")
    before = json.dumps(cloud.kms.dump(), sort_keys=True)
    with pytest.raises(ClientError) as exc:
        kms.generate_random(NumberOfBytes=8)  # shares the symmetric bucket
    assert (error_code(exc), error_message(exc)) == ("ThrottlingException", THROTTLED)
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert json.dumps(cloud.kms.dump(), sort_keys=True) == before
    # Other quotas are independent, and the next virtual second starts afresh.
    kms.describe_key(KeyId=key_id)
    cloud.clock.advance(seconds=1)
    kms.encrypt(KeyId=key_id, Plaintext=b"2")
    cloud.throttling(False)
    for _ in range(5):
        kms.encrypt(KeyId=key_id, Plaintext=b"3")


def test_management_operations_have_their_own_quotas(cloud: Cloud) -> None:
    kms = _client(cloud)
    cloud.throttling(True)
    for _ in range(5):  # K-REQ: CreateKey 5 per second
        kms.create_key()
    with pytest.raises(ClientError) as exc:
        kms.create_key()
    assert error_code(exc) == "ThrottlingException"
    kms.list_keys()
    # Each account and each Region has its own counters.
    _client(cloud, region_name="eu-west-1").create_key()
    other = cloud.create_account()
    _client(cloud, account_id=other.account_id).create_key()
    trail = [e for e in cloud.trail.records if e.get("errorCode") == "ThrottlingException"]
    assert [e["eventName"] for e in trail] == ["CreateKey"]


def test_cross_account_requests_count_against_the_caller(cloud: Cloud) -> None:
    owner = _client(cloud)
    arn = owner.create_key()["KeyMetadata"]["Arn"]
    partner_account = cloud.create_account()
    partner = _client(cloud, account_id=partner_account.account_id)
    cloud.quotas.adjust(partner_account.account_id, "cryptographic_operations_symmetric_rate", 1)
    cloud.throttling(True)
    partner.encrypt(KeyId=arn, Plaintext=b"x")
    with pytest.raises(ClientError) as exc:
        partner.encrypt(KeyId=arn, Plaintext=b"x")
    assert error_code(exc) == "ThrottlingException"
    owner.encrypt(KeyId=arn, Plaintext=b"x")  # the key owner's quota is untouched


def _key(spec: str, usage: KeyUsage) -> Key:
    return Key(
        key_id="k",
        arn="arn",
        account_id="111122223333",
        region="us-east-1",
        creation_date=T0,
        description="",
        key_spec=spec,
        key_usage=usage,
        origin=Origin.AWS_KMS,
        key_manager=KeyManager.CUSTOMER,
        state=KeyState.ENABLED,
        policy="{}",
    )


@pytest.mark.parametrize(
    ("operation", "params", "spec", "bucket"),
    [
        ("Encrypt", {}, "SYMMETRIC_DEFAULT", "cryptographic_operations_symmetric_rate"),
        ("GenerateMac", {}, "HMAC_256", "cryptographic_operations_symmetric_rate"),
        ("Encrypt", {}, "RSA_2048", "cryptographic_operations_rsa_rate"),
        ("Sign", {}, "RSA_4096", "cryptographic_operations_rsa_rate"),
        ("Sign", {}, "ECC_NIST_P256", "cryptographic_operations_ecc_rate"),
        ("DeriveSharedSecret", {}, "ECC_NIST_P384", "cryptographic_operations_ecc_rate"),
        ("Verify", {}, "ML_DSA_65", "cryptographic_operations_ml_dsa_rate"),
        ("GenerateRandom", {}, None, "cryptographic_operations_symmetric_rate"),
        (
            "GenerateDataKeyPair",
            {"KeyPairSpec": "RSA_3072"},
            "SYMMETRIC_DEFAULT",
            "GenerateDataKeyPair_RSA_3072_rate",
        ),
        ("DescribeKey", {}, "RSA_2048", "DescribeKey_rate"),
        ("ListKeys", {}, None, "ListKeys_rate"),
    ],
)
def test_rate_buckets(
    operation: str, params: dict[str, Any], spec: str | None, bucket: str
) -> None:
    key = _key(spec, KeyUsage.ENCRYPT_DECRYPT) if spec else None
    assert rate_bucket(operation, params, key) == bucket
    assert ("kms", bucket) in quotas.TABLE
