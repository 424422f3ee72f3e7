"""Delete, tags, expiry on the virtual clock, expiration events, secrecy of the private key,
snapshots, and the operations left to later issues."""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from simulator import Cloud
from simulator.core.errors import COMMON_CODES
from simulator.protocol import spec
from simulator.services.acm import errors as acm_errors
from simulator.services.acm import model as acm_model
from tests.conftest import error_code, error_message
from tests.services.acm.conftest import LISTENER, Keys, import_self_signed, key_pem, mint, pem

MISSING = "arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"


# -- delete ---------------------------------------------------------------------------------
def test_delete_is_refused_while_in_use_then_succeeds(
    acm_any: Any, cloud: Cloud, keys: Keys
) -> None:
    arn = import_self_signed(acm_any, keys.rsa2048, cloud.clock.now())
    usage = cloud._env.certificate_usage
    usage.attach(arn, LISTENER)
    with pytest.raises(ClientError) as exc:
        acm_any.delete_certificate(CertificateArn=arn)
    assert error_code(exc) == "ResourceInUseException"
    assert LISTENER in error_message(exc)
    usage.detach(arn, LISTENER)
    acm_any.delete_certificate(CertificateArn=arn)
    with pytest.raises(ClientError) as exc:
        acm_any.describe_certificate(CertificateArn=arn)
    assert error_code(exc) == "ResourceNotFoundException"
    assert acm_any.list_certificates()["CertificateSummaryList"] == []
    assert usage.find(cloud.default_account.account_id, "eu-west-1", arn) is None


@pytest.mark.parametrize(
    "operation",
    ["describe_certificate", "get_certificate", "delete_certificate", "list_tags_for_certificate"],
)
def test_unknown_and_malformed_arns(acm_any: Any, operation: str) -> None:
    call = getattr(acm_any, operation)
    with pytest.raises(ClientError) as exc:
        call(CertificateArn=MISSING)
    assert error_code(exc) == "ResourceNotFoundException"
    assert MISSING in error_message(exc)
    with pytest.raises(ClientError) as exc:
        call(CertificateArn="arn:aws:acm:eu-west-1:123456789012:certificate/nope")
    assert error_code(exc) == "InvalidArnException"
    with pytest.raises(ClientError) as exc:
        call(CertificateArn="arn:aws:kms:eu-west-1:123456789012:key/x")  # fails the pattern
    assert error_code(exc) == "ValidationException"


# -- tags -------------------------------------------------------------------------------------
def test_add_list_remove_tags(acm_any: Any, cloud: Cloud, keys: Keys) -> None:
    arn = import_self_signed(acm_any, keys.p256, cloud.clock.now())
    assert "Tags" not in acm_any.list_tags_for_certificate(CertificateArn=arn)
    acm_any.add_tags_to_certificate(
        CertificateArn=arn,
        Tags=[{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "web"}, {"Key": "x"}],
    )
    acm_any.add_tags_to_certificate(CertificateArn=arn, Tags=[{"Key": "env", "Value": "dev"}])
    tags = acm_any.list_tags_for_certificate(CertificateArn=arn)["Tags"]
    assert tags == [{"Key": "env", "Value": "dev"}, {"Key": "team", "Value": "web"}, {"Key": "x"}]
    # a value given: removed only when it matches; no value: removed whatever its value
    acm_any.remove_tags_from_certificate(
        CertificateArn=arn, Tags=[{"Key": "env", "Value": "prod"}, {"Key": "team"}]
    )
    tags = acm_any.list_tags_for_certificate(CertificateArn=arn)["Tags"]
    assert tags == [{"Key": "env", "Value": "dev"}, {"Key": "x"}]


def test_tag_limits(acm_any: Any, cloud: Cloud, keys: Keys) -> None:
    arn = import_self_signed(acm_any, keys.p256, cloud.clock.now())
    acm_any.add_tags_to_certificate(
        CertificateArn=arn, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(50)]
    )
    with pytest.raises(ClientError) as exc:
        acm_any.add_tags_to_certificate(CertificateArn=arn, Tags=[{"Key": "one-more"}])
    assert error_code(exc) == "TooManyTagsException"
    for tags in ([{"Key": "aws:owner", "Value": "x"}], [{"Key": "k" * 128}]):
        with pytest.raises(ClientError) as exc:
            acm_any.add_tags_to_certificate(CertificateArn=arn, Tags=tags)
        assert error_code(exc) == "InvalidTagException"
    with pytest.raises(ClientError) as exc:
        acm_any.remove_tags_from_certificate(CertificateArn=arn, Tags=[{"Key": "aws:x"}])
    assert error_code(exc) == "InvalidTagException"
    with pytest.raises(ClientError) as exc:
        acm_any.import_certificate(
            Certificate=pem(mint(keys.p256, cloud.clock.now())),
            PrivateKey=key_pem(keys.p256),
            Tags=[{"Key": "aws:reserved", "Value": "v"}],
        )
    assert error_code(exc) == "InvalidTagException"
    assert len(acm_any.list_tags_for_certificate(CertificateArn=arn)["Tags"]) == 50


def test_tag_operations_on_an_unknown_certificate(acm_any: Any) -> None:
    for call in (acm_any.add_tags_to_certificate, acm_any.remove_tags_from_certificate):
        with pytest.raises(ClientError) as exc:
            call(CertificateArn=MISSING, Tags=[{"Key": "a"}])
        assert error_code(exc) == "ResourceNotFoundException"


# -- time -------------------------------------------------------------------------------------
def test_expiry_on_the_virtual_clock(acm_any: Any, cloud: Cloud, keys: Keys) -> None:
    arn = import_self_signed(acm_any, keys.rsa2048, cloud.clock.now(), days=10)
    not_after = acm_any.describe_certificate(CertificateArn=arn)["Certificate"]["NotAfter"]
    cloud.clock.advance_to(not_after)
    assert acm_any.describe_certificate(CertificateArn=arn)["Certificate"]["Status"] == "ISSUED"
    cloud.clock.advance(seconds=1)
    assert acm_any.describe_certificate(CertificateArn=arn)["Certificate"]["Status"] == "EXPIRED"
    (s,) = acm_any.list_certificates()["CertificateSummaryList"]
    assert s["Status"] == "EXPIRED"
    usage = cloud._env.certificate_usage
    info = usage.find(cloud.default_account.account_id, "eu-west-1", arn)
    assert info is not None and info.status == "EXPIRED"
    # an expired certificate can still be read and deleted
    assert "Certificate" in acm_any.get_certificate(CertificateArn=arn)
    acm_any.delete_certificate(CertificateArn=arn)


def test_approaching_expiration_events_daily_from_45_days(
    acm: Any, cloud: Cloud, keys: Keys
) -> None:
    start = cloud.clock.now()
    arn = import_self_signed(acm, keys.rsa2048, start, days=50, cn="shop.example.com")
    cloud.clock.advance(days=60)
    events = [e for e in cloud.events.history if e["source"] == "aws.acm"]
    assert [e["detail"]["DaysToExpiry"] for e in events] == list(range(45, 0, -1))
    first = events[0]
    assert first["detail-type"] == "ACM Certificate Approaching Expiration"
    assert first["detail"] == {"DaysToExpiry": 45, "CommonName": "shop.example.com"}
    assert first["resources"] == [arn]
    assert first["region"] == "eu-west-1"
    assert first["time"] == (start + _dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    # "ACM Certificate Expired" is not sent for imported certificates
    assert {e["detail-type"] for e in events} == {"ACM Certificate Approaching Expiration"}


def test_deleted_certificate_sends_no_more_events(acm: Any, cloud: Cloud, keys: Keys) -> None:
    arn = import_self_signed(acm, keys.rsa2048, cloud.clock.now(), days=40)
    cloud.clock.advance(days=2)
    acm.delete_certificate(CertificateArn=arn)
    before = len(cloud.events.history)
    cloud.clock.advance(days=60)
    assert len(cloud.events.history) == before
    assert not [j for j in cloud.scheduler.pending() if j.kind.startswith("acm.")]


# -- the private key stays secret ---------------------------------------------------------------
def test_private_key_never_appears_in_trail_snapshot_or_repr(
    acm: Any, cloud: Cloud, keys: Keys, tmp_path: Path
) -> None:
    body = key_pem(keys.rsa2048).decode().splitlines()[1]  # a line of the key's base64
    arn = import_self_signed(acm, keys.rsa2048, cloud.clock.now())
    records = [r for r in cloud.trail if r.get("eventName") == "ImportCertificate"]
    assert records and "privateKey" not in (records[0]["requestParameters"] or {})
    assert body not in json.dumps(list(cloud.trail), default=str)
    path = cloud.save(tmp_path / "s.json")
    assert body.encode() not in path.read_bytes()
    service = cloud.service("acm")
    assert body not in repr(service) and body not in json.dumps(service.dump())
    st = service.dump()[cloud.default_account.account_id]["eu-west-1"]
    cert = st["certificates"][arn]
    assert "PRIVATE KEY" not in json.dumps(cert)
    assert "sealed_key" not in repr(acm_model.Certificate)  # the class; instances below
    assert all(
        "sealed_key" not in repr(c)
        for r in service._states.values()  # type: ignore[attr-defined]
        for s in r.values()
        for c in s.certificates.values()
    )


def test_snapshot_round_trip(acm: Any, cloud: Cloud, keys: Keys, tmp_path: Path) -> None:
    arn = import_self_signed(acm, keys.p256, cloud.clock.now(), days=10, Tags=[{"Key": "a"}])
    cloud._env.certificate_usage.attach(arn, LISTENER)
    before = acm.describe_certificate(CertificateArn=arn)["Certificate"]
    path = cloud.save(tmp_path / "s.json")
    loaded = Cloud.load(path)
    client = loaded.client("acm", region_name="eu-west-1")
    assert client.describe_certificate(CertificateArn=arn)["Certificate"] == before
    assert client.list_tags_for_certificate(CertificateArn=arn)["Tags"] == [{"Key": "a"}]
    assert loaded.service("acm").dump() == cloud.service("acm").dump()
    loaded.clock.advance(days=11)  # the expiry job survived the snapshot
    after = client.describe_certificate(CertificateArn=arn)["Certificate"]
    assert after["Status"] == "EXPIRED"
    info = loaded._env.certificate_usage.find(loaded.default_account.account_id, "eu-west-1", arn)
    assert info is not None and info.status == "EXPIRED"


# -- model conformance ---------------------------------------------------------------------------
def test_error_codes_are_declared_by_the_model() -> None:
    model = spec.service_model("acm")
    declared = spec.declared_errors("acm") | COMMON_CODES
    for cls in acm_errors.ALL:
        assert cls.code in declared
        shape = model.shape_for(cls.code)
        assert cls.status == shape.metadata.get("error", {}).get("httpStatusCode", 400)


@pytest.mark.parametrize(
    ("enum_cls", "shape"),
    [
        (acm_model.CertificateStatus, "CertificateStatus"),
        (acm_model.CertificateType, "CertificateType"),
        (acm_model.KeyAlgorithm, "KeyAlgorithm"),
        (acm_model.KeyPairOrigin, "CertificateKeyPairOrigin"),
    ],
)
def test_enums_match_the_model(enum_cls: type, shape: str) -> None:
    values = set(spec.service_model("acm").shape_for(shape).enum)
    assert {m.value for m in enum_cls} <= values  # type: ignore[attr-defined]


def test_other_operations_are_not_simulated(acm_any: Any) -> None:
    with pytest.raises(ClientError) as exc:
        acm_any.request_certificate(DomainName="www.example.com")
    assert error_code(exc) == "NotSimulatedException"
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 501
