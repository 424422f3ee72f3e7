"""ListCertificates: documented default filters, the filters, order and pages."""

from __future__ import annotations

import datetime as _dt
from typing import Any

import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID

from simulator import Cloud
from tests.conftest import error_code
from tests.services.acm.conftest import LISTENER, Keys, import_self_signed, name


def _arns(resp: dict[str, Any]) -> list[str]:
    return [s["CertificateArn"] for s in resp["CertificateSummaryList"]]


def test_summary_of_an_imported_certificate(acm_any: Any, cloud: Cloud, keys: Keys) -> None:
    now = cloud.clock.now()
    arn = import_self_signed(acm_any, keys.rsa2048, now, sans=("a.example.com",), days=10)
    cloud._env.certificate_usage.attach(arn, LISTENER)
    (s,) = acm_any.list_certificates()["CertificateSummaryList"]
    assert s == {
        "CertificateArn": arn,
        "DomainName": "www.example.com",
        "SubjectAlternativeNameSummaries": ["www.example.com", "a.example.com"],
        "HasAdditionalSubjectAlternativeNames": False,
        "Status": "ISSUED",
        "Type": "IMPORTED",
        "KeyAlgorithm": "RSA-2048",
        "KeyUsages": ["DIGITAL_SIGNATURE", "KEY_ENCIPHERMENT"],
        "ExtendedKeyUsages": ["TLS_WEB_SERVER_AUTHENTICATION", "TLS_WEB_CLIENT_AUTHENTICATION"],
        "InUse": True,
        "RenewalEligibility": "INELIGIBLE",
        "NotBefore": now - _dt.timedelta(days=1),
        "NotAfter": now + _dt.timedelta(days=10),
        "CreatedAt": now,
        "ImportedAt": now,
        "CertificateKeyPairOrigin": "CUSTOMER_PROVIDED",
    }


def test_default_filter_lists_only_rsa_1024_and_2048_with_a_domain(
    acm_any: Any, cloud: Cloud, keys: Keys
) -> None:
    now = cloud.clock.now()
    rsa_cert = import_self_signed(acm_any, keys.rsa2048, now)
    ec_cert = import_self_signed(acm_any, keys.p256, now)
    big = import_self_signed(acm_any, keys.rsa4096, now)
    nameless = import_self_signed(
        acm_any, keys.rsa2048, now, cn=None, issuer=(name("Test CA"), keys.rsa2048)
    )
    assert _arns(acm_any.list_certificates()) == [rsa_cert]
    ec_only = acm_any.list_certificates(Includes={"keyTypes": ["EC_prime256v1"]})
    assert _arns(ec_only) == [ec_cert]
    both = acm_any.list_certificates(Includes={"keyTypes": ["RSA_2048", "RSA_4096"]})
    assert _arns(both) == [rsa_cert, big, nameless]


def test_status_and_usage_filters(acm: Any, cloud: Cloud, keys: Keys) -> None:
    now = cloud.clock.now()
    short = import_self_signed(acm, keys.rsa2048, now, days=5)
    signing = import_self_signed(
        acm, keys.rsa2048, now, days=50, ekus=(ExtendedKeyUsageOID.CODE_SIGNING,)
    )
    cloud.clock.advance(days=6)
    assert _arns(acm.list_certificates(CertificateStatuses=["EXPIRED"])) == [short]
    assert _arns(acm.list_certificates(CertificateStatuses=["ISSUED"])) == [signing]
    assert _arns(acm.list_certificates()) == [short, signing]
    code = acm.list_certificates(Includes={"extendedKeyUsage": ["CODE_SIGNING"]})
    assert _arns(code) == [signing]
    ku = acm.list_certificates(Includes={"keyUsage": ["KEY_ENCIPHERMENT"]})
    assert _arns(ku) == [short, signing]
    assert _arns(acm.list_certificates(Includes={"keyUsage": ["CRL_SIGNING"]})) == []
    # imported certificates have no export option, key pair origin CUSTOMER_PROVIDED
    assert _arns(acm.list_certificates(Includes={"exportOption": "ENABLED"})) == []
    assert _arns(acm.list_certificates(CertificateKeyPairOrigins=["ACME"])) == []
    assert _arns(acm.list_certificates(RootHierarchyTypes=["N2_AMAZON_MANAGED"])) == []


def test_pages_and_sort_order(acm_any: Any, cloud: Cloud, keys: Keys) -> None:
    arns = []
    for serial in range(1, 6):
        arns.append(import_self_signed(acm_any, keys.rsa2048, cloud.clock.now(), serial=serial))
        cloud.clock.advance(minutes=1)
    first = acm_any.list_certificates(MaxItems=2)
    assert _arns(first) == arns[:2]
    second = acm_any.list_certificates(MaxItems=2, NextToken=first["NextToken"])
    assert _arns(second) == arns[2:4]
    third = acm_any.list_certificates(MaxItems=2, NextToken=second["NextToken"])
    assert _arns(third) == arns[4:] and "NextToken" not in third
    down = acm_any.list_certificates(SortBy="CREATED_AT", SortOrder="DESCENDING", MaxItems=3)
    assert _arns(down) == arns[::-1][:3]
    rest = acm_any.list_certificates(
        SortBy="CREATED_AT", SortOrder="DESCENDING", NextToken=down["NextToken"]
    )
    assert _arns(rest) == arns[::-1][3:]
    paginator = acm_any.get_paginator("list_certificates")
    pages = list(paginator.paginate(PaginationConfig={"PageSize": 2}))
    assert [a for p in pages for a in _arns(p)] == arns


def test_sort_by_needs_sort_order(acm_any: Any) -> None:
    with pytest.raises(ClientError) as exc:
        acm_any.list_certificates(SortBy="CREATED_AT")
    assert error_code(exc) == "ValidationException"
    with pytest.raises(ClientError) as exc:
        acm_any.list_certificates(SortOrder="ASCENDING")
    assert error_code(exc) == "ValidationException"


def test_bad_next_token_is_refused(acm_any: Any) -> None:
    with pytest.raises(ClientError) as exc:
        acm_any.list_certificates(NextToken="not-a-token")
    assert error_code(exc) == "InvalidArgsException"


def test_regions_are_separate(cloud: Cloud, keys: Keys) -> None:
    west = cloud.client("acm", region_name="eu-west-1")
    east = cloud.client("acm", region_name="us-east-1")
    arn = import_self_signed(west, keys.rsa2048, cloud.clock.now())
    assert _arns(west.list_certificates()) == [arn]
    assert _arns(east.list_certificates()) == []
    with pytest.raises(ClientError) as exc:
        east.describe_certificate(CertificateArn=arn)
    assert error_code(exc) == "ResourceNotFoundException"
    usage = cloud._env.certificate_usage
    account = cloud.default_account.account_id
    assert usage.find(account, "us-east-1", arn) is None
    info = usage.find(account, "eu-west-1", arn)
    assert info is not None
    assert (info.arn, info.status, info.key_algorithm, info.type) == (
        arn,
        "ISSUED",
        "RSA_2048",
        "IMPORTED",
    )
    assert usage.find("999999999999", "eu-west-1", arn) is None


def test_rsa_1024_is_importable_and_listed_by_default(acm: Any, cloud: Cloud) -> None:
    key = rsa.generate_private_key(65537, 1024)
    arn = import_self_signed(acm, key, cloud.clock.now())
    (s,) = acm.list_certificates()["CertificateSummaryList"]
    assert (s["CertificateArn"], s["KeyAlgorithm"]) == (arn, "RSA-1024")
