"""Proofs for ACM quiz answers: each test demonstrates, against the simulator through genuine
botocore clients, the AWS behaviour that a question in ``quizzes/banks/acm.yaml`` teaches.

A question's ``verify:`` field names one of these tests. The expectations follow AWS's ACM API
reference (ImportCertificate, DeleteCertificate, ListCertificates, Filters), the ACM user guide
(Regions, supported events), the Elastic Load Balancing guide (HTTPS listeners) and the CloudTrail
userIdentity reference, so a failure points at the simulator or at the question.

Certificates are real X.509 certificates minted with ``cryptography``; keys are generated once
per module because RSA key generation is the slow part.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass
from typing import Any

import pytest
from botocore.exceptions import ClientError
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from simulator import Cloud
from simulator.core.context import RequestContext
from simulator.services.kms.managed import aws_managed_key
from tests.conftest import error_code
from tests.services.acm.conftest import PrivateKey, key_pem, mint, name, pem

REGION = "us-east-1"


@dataclass(frozen=True)
class Keys:
    rsa2048: rsa.RSAPrivateKey
    rsa2048_b: rsa.RSAPrivateKey
    rsa3072: rsa.RSAPrivateKey
    p256: ec.EllipticCurvePrivateKey
    p521: ec.EllipticCurvePrivateKey


@pytest.fixture(scope="module")
def keys() -> Keys:
    return Keys(
        rsa2048=rsa.generate_private_key(65537, 2048),
        rsa2048_b=rsa.generate_private_key(65537, 2048),
        rsa3072=rsa.generate_private_key(65537, 3072),
        p256=ec.generate_private_key(ec.SECP256R1()),
        p521=ec.generate_private_key(ec.SECP521R1()),
    )


def _import(acm: Any, key: PrivateKey, now: _dt.datetime, **kw: Any) -> str:
    arn: str = acm.import_certificate(
        Certificate=pem(mint(key, now, **kw)), PrivateKey=key_pem(key)
    )["CertificateArn"]
    return arn


@dataclass(frozen=True)
class Site:
    """An Application Load Balancer in two subnets with a target group, ready for listeners."""

    elb: Any
    lb_arn: str
    tg_arn: str

    def https(self, *cert_arns: str, port: int = 443) -> str:
        listener: str = self.elb.create_listener(
            LoadBalancerArn=self.lb_arn,
            Protocol="HTTPS",
            Port=port,
            Certificates=[{"CertificateArn": c} for c in cert_arns],
            DefaultActions=[{"Type": "forward", "TargetGroupArn": self.tg_arn}],
        )["Listeners"][0]["ListenerArn"]
        return listener


def _site(cloud: Cloud, region: str = REGION) -> Site:
    ec2 = cloud.client("ec2", region_name=region)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=f"{region}{az}")["Subnet"][
            "SubnetId"
        ]
        for cidr, az in (("10.0.1.0/24", "a"), ("10.0.2.0/24", "b"))
    ]
    elb = cloud.client("elbv2", region_name=region)
    lb = elb.create_load_balancer(Name="web", Subnets=subnets)["LoadBalancers"][0]
    tg = elb.create_target_group(Name="web-targets", Protocol="HTTP", Port=80, VpcId=vpc)[
        "TargetGroups"
    ][0]
    return Site(elb, lb["LoadBalancerArn"], tg["TargetGroupArn"])


# -- ACM and Elastic Load Balancing ---------------------------------------------------------------
def test_delete_refused_while_a_load_balancer_uses_the_certificate(
    cloud: Cloud, keys: Keys
) -> None:
    """acm-001: DeleteCertificate fails with ResourceInUseException while InUseBy names the load
    balancer; after the listener lets go of the certificate, the delete succeeds."""
    acm = cloud.client("acm", region_name=REGION)
    arn = _import(acm, keys.rsa2048, cloud.clock.now())
    site = _site(cloud)
    listener = site.https(arn)
    assert acm.describe_certificate(CertificateArn=arn)["Certificate"]["InUseBy"] == [site.lb_arn]

    with pytest.raises(ClientError) as excinfo:
        acm.delete_certificate(CertificateArn=arn)
    assert error_code(excinfo) == "ResourceInUseException"
    assert acm.describe_certificate(CertificateArn=arn)["Certificate"]["Status"] == "ISSUED"

    site.elb.delete_listener(ListenerArn=listener)
    assert acm.describe_certificate(CertificateArn=arn)["Certificate"]["InUseBy"] == []
    acm.delete_certificate(CertificateArn=arn)
    with pytest.raises(ClientError) as gone:
        acm.describe_certificate(CertificateArn=arn)
    assert error_code(gone) == "ResourceNotFoundException"


def test_certificates_are_regional(cloud: Cloud, keys: Keys) -> None:
    """acm-002: a certificate imported in one Region is not visible in another, and a load
    balancer cannot use it there; importing it again in the second Region works."""
    west = cloud.client("acm", region_name="eu-west-1")
    east = cloud.client("acm", region_name=REGION)
    now = cloud.clock.now()
    west_arn = _import(west, keys.rsa2048, now)
    assert east.list_certificates()["CertificateSummaryList"] == []
    site = _site(cloud)
    with pytest.raises(ClientError) as excinfo:
        site.https(west_arn)
    assert error_code(excinfo) == "CertificateNotFound"

    east_arn = _import(east, keys.rsa2048, now)
    assert east_arn != west_arn and ":acm:us-east-1:" in east_arn
    site.https(east_arn)
    assert east.describe_certificate(CertificateArn=east_arn)["Certificate"]["InUseBy"] == [
        site.lb_arn
    ]
    assert west.describe_certificate(CertificateArn=west_arn)["Certificate"]["InUseBy"] == []


def test_imported_certificate_expires_and_is_not_renewed(cloud: Cloud, keys: Keys) -> None:
    """acm-003: ACM never renews an imported certificate: it is INELIGIBLE for managed renewal
    and turns EXPIRED at NotAfter even while a load balancer uses it."""
    acm = cloud.client("acm", region_name=REGION)
    arn = _import(acm, keys.rsa2048, cloud.clock.now(), days=10)
    _site(cloud).https(arn)
    detail = acm.describe_certificate(CertificateArn=arn)["Certificate"]
    assert (detail["Type"], detail["RenewalEligibility"]) == ("IMPORTED", "INELIGIBLE")
    cloud.clock.advance_to(detail["NotAfter"])
    cloud.clock.advance(seconds=1)
    expired = acm.describe_certificate(CertificateArn=arn)["Certificate"]
    assert expired["Status"] == "EXPIRED"
    assert expired["NotAfter"] == detail["NotAfter"]  # nothing replaced it


def test_reimport_with_the_same_arn_keeps_the_load_balancer(cloud: Cloud, keys: Keys) -> None:
    """acm-004: ImportCertificate with CertificateArn replaces the certificate in place: same ARN,
    the load balancer still listed in InUseBy, and the listener needs no change."""
    acm = cloud.client("acm", region_name=REGION)
    arn = _import(acm, keys.rsa2048, cloud.clock.now(), days=30)
    site = _site(cloud)
    listener = site.https(arn)
    cloud.clock.advance(days=20)

    renewed = mint(keys.rsa2048_b, cloud.clock.now(), days=365, serial=77)
    again = acm.import_certificate(
        CertificateArn=arn, Certificate=pem(renewed), PrivateKey=key_pem(keys.rsa2048_b)
    )
    assert again["CertificateArn"] == arn
    detail = acm.describe_certificate(CertificateArn=arn)["Certificate"]
    assert detail["InUseBy"] == [site.lb_arn]
    assert detail["NotAfter"] == cloud.clock.now() + _dt.timedelta(days=365)
    listed = site.elb.describe_listeners(ListenerArns=[listener])["Listeners"][0]
    assert listed["Certificates"] == [{"CertificateArn": arn}]
    cloud.clock.advance(days=30)  # past the first certificate's NotAfter
    assert acm.describe_certificate(CertificateArn=arn)["Certificate"]["Status"] == "ISSUED"


def test_import_requirements(cloud: Cloud, keys: Keys) -> None:
    """acm-005: a passphrase-protected key and a certificate whose NotBefore is in the future are
    refused; a self-signed certificate with no chain and an RSA 3072 key import fine."""
    acm = cloud.client("acm", region_name=REGION)
    now = cloud.clock.now()
    cert = pem(mint(keys.rsa2048, now))
    with pytest.raises(ClientError) as encrypted:
        acm.import_certificate(Certificate=cert, PrivateKey=key_pem(keys.rsa2048, b"s3cret-pass"))
    assert error_code(encrypted) == "ValidationException"

    future = pem(mint(keys.rsa2048, now, not_before=_dt.timedelta(days=2), days=60))
    with pytest.raises(ClientError) as early:
        acm.import_certificate(Certificate=future, PrivateKey=key_pem(keys.rsa2048))
    assert error_code(early) == "ValidationException"

    with pytest.raises(ClientError) as mismatch:
        acm.import_certificate(Certificate=cert, PrivateKey=key_pem(keys.rsa2048_b))
    assert error_code(mismatch) == "ValidationException"

    self_signed = acm.import_certificate(Certificate=cert, PrivateKey=key_pem(keys.rsa2048))
    big = _import(acm, keys.rsa3072, now)
    assert acm.describe_certificate(CertificateArn=big)["Certificate"]["KeyAlgorithm"] == "RSA-3072"
    assert self_signed["CertificateArn"] != big


def test_importable_key_algorithms(cloud: Cloud, keys: Keys) -> None:
    """acm-006: RSA 3072 and ECDSA P-521 keys can be imported; an Ed25519 key cannot."""
    acm = cloud.client("acm", region_name=REGION)
    now = cloud.clock.now()
    got = {
        acm.describe_certificate(CertificateArn=_import(acm, key, now))["Certificate"][
            "KeyAlgorithm"
        ]
        for key in (keys.rsa3072, keys.p521, keys.p256)
    }
    assert got == {"RSA-3072", "EC-secp521r1", "EC-prime256v1"}

    ed = ed25519.Ed25519PrivateKey.generate()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name("ed.example.com"))
        .issuer_name(name("ed.example.com"))
        .public_key(ed.public_key())
        .serial_number(5)
        .not_valid_before(now - _dt.timedelta(days=1))
        .not_valid_after(now + _dt.timedelta(days=30))
        .sign(ed, None)
    )
    ed_pem = ed.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(ClientError) as excinfo:
        acm.import_certificate(Certificate=pem(cert), PrivateKey=ed_pem)
    assert error_code(excinfo) == "ValidationException"


def test_approaching_expiration_events_for_imported_certificates(cloud: Cloud, keys: Keys) -> None:
    """acm-007: ACM sends 'ACM Certificate Approaching Expiration' (source aws.acm) for an
    imported certificate once a day from 45 days before expiry, and no 'Expired' event."""
    acm = cloud.client("acm", region_name=REGION)
    arn = _import(acm, keys.p256, cloud.clock.now(), days=50, cn="shop.example.com")
    cloud.clock.advance(days=60)
    events = [e for e in cloud.events.history if e["source"] == "aws.acm"]
    assert {e["detail-type"] for e in events} == {"ACM Certificate Approaching Expiration"}
    assert [e["detail"]["DaysToExpiry"] for e in events] == list(range(45, 0, -1))
    assert events[0]["detail"] == {"DaysToExpiry": 45, "CommonName": "shop.example.com"}
    assert events[0]["resources"] == [arn]


def test_list_certificates_default_key_type_filter(cloud: Cloud, keys: Keys) -> None:
    """acm-008: without Includes.keyTypes, ListCertificates returns only RSA_1024 and RSA_2048
    certificates; naming the key types returns the ECDSA and RSA 3072 ones too."""
    acm = cloud.client("acm", region_name=REGION)
    now = cloud.clock.now()
    rsa_arn = _import(acm, keys.rsa2048, now)
    ec_arn = _import(acm, keys.p256, now)
    big_arn = _import(acm, keys.rsa3072, now)

    def arns(**kw: Any) -> set[str]:
        return {s["CertificateArn"] for s in acm.list_certificates(**kw)["CertificateSummaryList"]}

    assert arns() == {rsa_arn}
    wide = arns(Includes={"keyTypes": ["RSA_2048", "RSA_3072", "EC_prime256v1"]})
    assert wide == {rsa_arn, ec_arn, big_arn}


def test_https_listener_needs_an_issued_certificate(cloud: Cloud, keys: Keys) -> None:
    """acm-009: an HTTPS listener cannot be created without a server certificate; with an
    ISSUED ACM certificate it is created and ACM lists the load balancer in InUseBy."""
    acm = cloud.client("acm", region_name=REGION)
    site = _site(cloud)
    with pytest.raises(ClientError) as excinfo:
        site.https()
    assert error_code(excinfo) == "ValidationError"
    assert site.elb.describe_listeners(LoadBalancerArn=site.lb_arn)["Listeners"] == []

    arn = _import(acm, keys.rsa2048, cloud.clock.now())
    listener = site.https(arn)
    got = site.elb.describe_listeners(ListenerArns=[listener])["Listeners"][0]
    assert got["Protocol"] == "HTTPS" and got["Certificates"] == [{"CertificateArn": arn}]
    assert acm.describe_certificate(CertificateArn=arn)["Certificate"]["InUseBy"] == [site.lb_arn]


# -- CloudTrail identity --------------------------------------------------------------------------
def _trust(account: str) -> str:
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


def test_assumed_role_call_names_the_role_in_session_issuer(cloud: Cloud, keys: Keys) -> None:
    """acm-010: a DeleteCertificate made with AssumeRole credentials is recorded as type
    AssumedRole with the sts assumed-role ARN; sessionContext.sessionIssuer carries the IAM
    role's ARN and name."""
    account = cloud.default_account.account_id
    role = cloud.client("iam").create_role(
        RoleName="Deployer", AssumeRolePolicyDocument=_trust(account)
    )["Role"]
    creds = cloud.client("sts").assume_role(RoleArn=role["Arn"], RoleSessionName="ci-run-42")[
        "Credentials"
    ]
    arn = _import(cloud.client("acm", region_name=REGION), keys.p256, cloud.clock.now())
    as_role = cloud.client(
        "acm",
        region_name=REGION,
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
    as_role.delete_certificate(CertificateArn=arn)

    record = cloud.trail.records[-1]
    assert (record["eventSource"], record["eventName"]) == (
        "acm.amazonaws.com",
        "DeleteCertificate",
    )
    identity = record["userIdentity"]
    assert identity["type"] == "AssumedRole"
    assert identity["arn"] == f"arn:aws:sts::{account}:assumed-role/Deployer/ci-run-42"
    assert identity["principalId"] == f"{role['RoleId']}:ci-run-42"
    issuer = identity["sessionContext"]["sessionIssuer"]
    assert issuer["type"] == "Role"
    assert issuer["arn"] == role["Arn"] == f"arn:aws:iam::{account}:role/Deployer"
    assert issuer["userName"] == "Deployer"
    assert "invokedBy" not in identity


def test_service_call_for_a_user_is_recorded_with_invoked_by(cloud: Cloud) -> None:
    """acm-011: when a service calls another service for a user, the record's userIdentity is the
    user, and invokedBy (and sourceIPAddress) name the calling service."""
    call = cloud._env.call_on_behalf
    assert call is not None
    admin = cloud.default_account.administrator
    aws_managed_key(cloud.kms, admin.account_id, REGION, "secretsmanager")  # as on first use
    ctx = RequestContext(
        "secretsmanager",
        "CreateSecret",
        admin.account_id,
        REGION,
        admin,
        "req-quiz",
        cloud.clock.now(),
    )
    call(
        ctx,
        "secretsmanager.amazonaws.com",
        "kms",
        "GenerateDataKey",
        {"KeyId": "alias/aws/secretsmanager", "KeySpec": "AES_256"},
    )
    record = cloud.trail.records[-1]
    assert (record["eventSource"], record["eventName"]) == ("kms.amazonaws.com", "GenerateDataKey")
    assert record["userIdentity"]["arn"] == admin.arn
    assert record["userIdentity"]["invokedBy"] == "secretsmanager.amazonaws.com"
    assert record["sourceIPAddress"] == "secretsmanager.amazonaws.com"
