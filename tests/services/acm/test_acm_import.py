"""ImportCertificate, DescribeCertificate and GetCertificate: what ACM reads from a real
certificate, the documented import requirements, and re-import."""

from __future__ import annotations

import datetime as _dt
from typing import Any

import pytest
from botocore.exceptions import ClientError
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID

from simulator import Cloud
from tests.conftest import error_code, error_message
from tests.services.acm.conftest import (
    LISTENER,
    REGION,
    Keys,
    ca_chain,
    import_self_signed,
    key_pem,
    mint,
    name,
    pem,
)


def test_import_self_signed_rsa_and_describe_everything(
    acm_any: Any, cloud: Cloud, keys: Keys
) -> None:
    now = cloud.clock.now()
    cert = mint(keys.rsa2048, now, sans=("www.example.com", "example.com"), days=90)
    arn = acm_any.import_certificate(Certificate=pem(cert), PrivateKey=key_pem(keys.rsa2048))[
        "CertificateArn"
    ]
    account = cloud.default_account.account_id
    assert arn.startswith(f"arn:aws:acm:{REGION}:{account}:certificate/")
    d = acm_any.describe_certificate(CertificateArn=arn)["Certificate"]
    assert d["CertificateArn"] == arn
    assert d["DomainName"] == "www.example.com"
    assert d["SubjectAlternativeNames"] == ["www.example.com", "example.com"]
    assert d["Serial"] == "0f:ac:b0:a3:8d:ea:65:52:2d:7d:01:3a:39:36:db:d6"
    assert d["Subject"] == "CN=www.example.com"
    assert d["Issuer"] == "www.example.com"  # self-signed, no O: the CN stands in
    assert d["Status"] == "ISSUED"
    assert d["Type"] == "IMPORTED"
    assert d["KeyAlgorithm"] == "RSA-2048"
    assert d["SignatureAlgorithm"] == "SHA256WITHRSA"
    assert d["NotBefore"] == now - _dt.timedelta(days=1)
    assert d["NotAfter"] == now + _dt.timedelta(days=90)
    assert d["ImportedAt"] == now and d["CreatedAt"] == now
    assert d["InUseBy"] == []
    assert d["KeyUsages"] == [{"Name": "DIGITAL_SIGNATURE"}, {"Name": "KEY_ENCIPHERMENT"}]
    assert d["ExtendedKeyUsages"] == [
        {"Name": "TLS_WEB_SERVER_AUTHENTICATION", "OID": "1.3.6.1.5.5.7.3.1"},
        {"Name": "TLS_WEB_CLIENT_AUTHENTICATION", "OID": "1.3.6.1.5.5.7.3.2"},
    ]
    assert d["RenewalEligibility"] == "INELIGIBLE"
    assert d["CertificateKeyPairOrigin"] == "CUSTOMER_PROVIDED"
    assert "DomainValidationOptions" not in d and "IssuedAt" not in d
    assert "RenewalSummary" not in d


def test_import_ec_leaf_with_ca_chain_and_get_certificate(
    acm_any: Any, cloud: Cloud, keys: Keys
) -> None:
    now = cloud.clock.now()
    chain = ca_chain(keys.ca_ec, keys.ca_ec, now)
    leaf = mint(keys.p256, now, cn="api.example.com", issuer=chain.issuer, serial=0x8A)
    arn = acm_any.import_certificate(
        Certificate=pem(leaf), PrivateKey=key_pem(keys.p256), CertificateChain=chain.pem
    )["CertificateArn"]
    d = acm_any.describe_certificate(CertificateArn=arn)["Certificate"]
    assert d["KeyAlgorithm"] == "EC-prime256v1"
    assert d["SignatureAlgorithm"] == "SHA256WITHECDSA"
    assert d["Issuer"] == "Example Org"  # the O of the issuing CA's name
    assert d["Serial"] == "8a"
    assert d["KeyUsages"] == [{"Name": "DIGITAL_SIGNATURE"}]
    got = acm_any.get_certificate(CertificateArn=arn)
    assert x509.load_pem_x509_certificate(got["Certificate"].encode()) == leaf
    assert x509.load_pem_x509_certificates(got["CertificateChain"].encode()) == [
        chain.intermediate,
        chain.root,
    ]


def test_certificate_without_cn_takes_its_first_dns_name_and_no_extensions_read_any_none(
    acm: Any, cloud: Cloud, keys: Keys
) -> None:
    now = cloud.clock.now()
    arn = import_self_signed(
        acm, keys.rsa2048, now, cn=None, sans=("b.example.com", "a.example.com"),
        key_usage=False, ekus=(), issuer=(name("Test CA"), keys.rsa2048),
    )  # fmt: skip
    d = acm.describe_certificate(CertificateArn=arn)["Certificate"]
    assert d["DomainName"] == "b.example.com"
    assert d["SubjectAlternativeNames"] == ["b.example.com", "a.example.com"]
    assert d["KeyUsages"] == [{"Name": "ANY"}]
    assert d["ExtendedKeyUsages"] == [{"Name": "NONE"}]
    assert acm.get_certificate(CertificateArn=arn).get("CertificateChain") is None


def test_import_with_tags_and_custom_eku(acm: Any, cloud: Cloud, keys: Keys) -> None:
    custom = x509.ObjectIdentifier("1.3.6.1.4.1.99999.1")
    arn = import_self_signed(
        acm, keys.p384, cloud.clock.now(), ekus=(ExtendedKeyUsageOID.CODE_SIGNING, custom),
        Tags=[{"Key": "team", "Value": "web"}, {"Key": "cost-centre"}],
    )  # fmt: skip
    d = acm.describe_certificate(CertificateArn=arn)["Certificate"]
    assert d["KeyAlgorithm"] == "EC-secp384r1"
    assert d["ExtendedKeyUsages"] == [
        {"Name": "CODE_SIGNING", "OID": "1.3.6.1.5.5.7.3.3"},
        {"Name": "CUSTOM", "OID": "1.3.6.1.4.1.99999.1"},
    ]
    assert acm.list_tags_for_certificate(CertificateArn=arn)["Tags"] == [
        {"Key": "team", "Value": "web"},
        {"Key": "cost-centre"},
    ]


# -- documented requirements --------------------------------------------------------------
def _refused(client: Any, **kw: Any) -> pytest.ExceptionInfo[ClientError]:
    with pytest.raises(ClientError) as exc:
        client.import_certificate(**kw)
    return exc


def test_encrypted_private_key_is_refused(acm_any: Any, cloud: Cloud, keys: Keys) -> None:
    cert = mint(keys.rsa2048, cloud.clock.now())
    exc = _refused(acm_any, Certificate=pem(cert), PrivateKey=key_pem(keys.rsa2048, b"passphrase"))
    assert error_code(exc) == "ValidationException"
    assert "encrypted" in error_message(exc)


def test_key_that_does_not_match_is_refused(acm_any: Any, cloud: Cloud, keys: Keys) -> None:
    cert = mint(keys.rsa2048, cloud.clock.now())
    exc = _refused(acm_any, Certificate=pem(cert), PrivateKey=key_pem(keys.rsa2048_b))
    assert error_code(exc) == "ValidationException"
    assert "does not match" in error_message(exc)


@pytest.mark.parametrize(
    ("not_before", "days"),
    [(_dt.timedelta(days=1), 30), (_dt.timedelta(days=-30), -1)],
    ids=["not-yet-valid", "expired"],
)
def test_certificate_outside_its_validity_is_refused(
    acm: Any, cloud: Cloud, keys: Keys, not_before: _dt.timedelta, days: int
) -> None:
    cert = mint(keys.p256, cloud.clock.now(), not_before=not_before, days=days)
    exc = _refused(acm, Certificate=pem(cert), PrivateKey=key_pem(keys.p256))
    assert error_code(exc) == "ValidationException"
    assert "not valid at the current date" in error_message(exc)


def test_unsupported_key_algorithm_is_refused(acm: Any, cloud: Cloud) -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    now = cloud.clock.now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([]))
        .issuer_name(name("ed.example.com"))
        .public_key(key.public_key())
        .serial_number(5)
        .not_valid_before(now - _dt.timedelta(days=1))
        .not_valid_after(now + _dt.timedelta(days=1))
        .sign(key, None)
    )
    der = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    exc = _refused(acm, Certificate=pem(cert), PrivateKey=der)
    assert error_code(exc) == "ValidationException"
    assert "not supported" in error_message(exc)


def test_private_key_over_5_kb_is_refused(acm: Any, cloud: Cloud, keys: Keys) -> None:
    cert = mint(keys.rsa4096, cloud.clock.now())
    padded = key_pem(keys.rsa4096) + b"\n" * (5_121 - len(key_pem(keys.rsa4096)))
    assert len(padded) == 5_121  # within the model's 8,192, over the documented 5,120
    exc = _refused(acm, Certificate=pem(cert), PrivateKey=padded)
    assert error_code(exc) == "ValidationException"
    assert "5,120 bytes" in error_message(exc)
    # the same key at its real size imports fine (RSA 4096 is importable)
    arn = acm.import_certificate(Certificate=pem(cert), PrivateKey=key_pem(keys.rsa4096))[
        "CertificateArn"
    ]
    d = acm.describe_certificate(CertificateArn=arn)["Certificate"]
    assert d["KeyAlgorithm"] == "RSA-4096"


def test_two_certificates_in_the_certificate_field_are_refused(
    acm: Any, cloud: Cloud, keys: Keys
) -> None:
    cert = mint(keys.p256, cloud.clock.now())
    exc = _refused(acm, Certificate=pem(cert) + pem(cert), PrivateKey=key_pem(keys.p256))
    assert error_code(exc) == "ValidationException"
    assert "more than one certificate" in error_message(exc)


@pytest.mark.parametrize("body", [b"not a certificate", b"-----BEGIN CERTIFICATE-----\nAAAA\n"])
def test_garbage_certificate_is_refused(acm: Any, keys: Keys, body: bytes) -> None:
    exc = _refused(acm, Certificate=body, PrivateKey=key_pem(keys.p256))
    assert error_code(exc) == "ValidationException"


def test_garbage_private_key_is_refused(acm: Any, cloud: Cloud, keys: Keys) -> None:
    cert = mint(keys.p256, cloud.clock.now())
    exc = _refused(acm, Certificate=pem(cert), PrivateKey=b"-----BEGIN PRIVATE KEY-----\nAA\n")
    assert error_code(exc) == "ValidationException"
    assert "private key" in error_message(exc)


def test_empty_issuer_is_refused(acm: Any, cloud: Cloud, keys: Keys) -> None:
    now = cloud.clock.now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([]))
        .issuer_name(x509.Name([]))
        .public_key(keys.p256.public_key())
        .serial_number(9)
        .not_valid_before(now - _dt.timedelta(days=1))
        .not_valid_after(now + _dt.timedelta(days=1))
        .sign(keys.p256, hashes.SHA256())
    )
    exc = _refused(acm, Certificate=pem(cert), PrivateKey=key_pem(keys.p256))
    assert error_code(exc) == "ValidationException"
    assert "Issuer" in error_message(exc)


def test_chain_without_the_issuer_is_refused(acm: Any, cloud: Cloud, keys: Keys) -> None:
    now = cloud.clock.now()
    chain = ca_chain(keys.ca_rsa, keys.ca_rsa, now)
    leaf = mint(keys.rsa2048, now, issuer=chain.issuer)
    exc = _refused(
        acm,
        Certificate=pem(leaf),
        PrivateKey=key_pem(keys.rsa2048),
        CertificateChain=pem(chain.root),
    )
    assert error_code(exc) == "ValidationException"
    assert "certificate chain" in error_message(exc)


def test_key_algorithm_must_match_the_signing_ca(acm: Any, cloud: Cloud, keys: Keys) -> None:
    now = cloud.clock.now()
    chain = ca_chain(keys.ca_rsa, keys.ca_rsa, now)
    leaf = mint(keys.p256, now, issuer=chain.issuer)  # an EC key signed by an RSA CA
    exc = _refused(
        acm, Certificate=pem(leaf), PrivateKey=key_pem(keys.p256), CertificateChain=chain.pem
    )
    assert error_code(exc) == "ValidationException"
    assert "must match the algorithm of the signing CA" in error_message(exc)


def test_imported_certificate_quota(acm: Any, cloud: Cloud, keys: Keys) -> None:
    account = cloud.default_account.account_id
    cloud.quotas.adjust(account, "imported_certificates", 2, service="acm")
    now = cloud.clock.now()
    for serial in (1, 2):
        import_self_signed(acm, keys.p256, now, serial=serial)
    exc = _refused(acm, Certificate=pem(mint(keys.p256, now)), PrivateKey=key_pem(keys.p256))
    assert error_code(exc) == "LimitExceededException"
    other = cloud.client("acm", region_name="us-west-2")  # the quota is per Region
    import_self_signed(other, keys.p256, now)


# -- re-import ------------------------------------------------------------------------------
def test_reimport_keeps_arn_tags_and_associations(acm_any: Any, cloud: Cloud, keys: Keys) -> None:
    now = cloud.clock.now()
    arn = import_self_signed(acm_any, keys.rsa2048, now, days=30, Tags=[{"Key": "k", "Value": "v"}])
    cloud._env.certificate_usage.attach(arn, LISTENER)
    cloud.clock.advance(days=20)
    renewed = mint(keys.rsa2048_b, cloud.clock.now(), cn="www.example.com", days=365, serial=77)
    again = acm_any.import_certificate(
        CertificateArn=arn, Certificate=pem(renewed), PrivateKey=key_pem(keys.rsa2048_b)
    )
    assert again["CertificateArn"] == arn
    d = acm_any.describe_certificate(CertificateArn=arn)["Certificate"]
    assert d["InUseBy"] == [LISTENER]
    assert d["Serial"] == "4d"
    assert d["ImportedAt"] == cloud.clock.now()
    assert d["CreatedAt"] == now
    assert d["NotAfter"] == cloud.clock.now() + _dt.timedelta(days=365)
    assert acm_any.list_tags_for_certificate(CertificateArn=arn)["Tags"] == [
        {"Key": "k", "Value": "v"}
    ]
    cloud.clock.advance(days=30)  # the first certificate's NotAfter passes: still ISSUED
    assert acm_any.describe_certificate(CertificateArn=arn)["Certificate"]["Status"] == "ISSUED"


def test_reimport_refuses_tags(acm_any: Any, cloud: Cloud, keys: Keys) -> None:
    arn = import_self_signed(acm_any, keys.p256, cloud.clock.now())
    cert = mint(keys.p256, cloud.clock.now(), serial=3)
    exc = _refused(
        acm_any, CertificateArn=arn, Certificate=pem(cert), PrivateKey=key_pem(keys.p256),
        Tags=[{"Key": "a", "Value": "b"}],
    )  # fmt: skip
    assert error_code(exc) == "ValidationException"
    assert error_message(exc) == "Tagging is not permitted on re-import."


def test_reimport_cannot_change_key_type(acm: Any, cloud: Cloud, keys: Keys) -> None:
    arn = import_self_signed(acm, keys.p256, cloud.clock.now())
    cert = mint(keys.p384, cloud.clock.now())
    exc = _refused(acm, CertificateArn=arn, Certificate=pem(cert), PrivateKey=key_pem(keys.p384))
    assert error_code(exc) == "ValidationException"
    assert "key type and size cannot be changed" in error_message(exc)


def test_reimport_cannot_drop_extended_key_usages_but_may_drop_client_auth(
    acm: Any, cloud: Cloud, keys: Keys
) -> None:
    now = cloud.clock.now()
    arn = import_self_signed(acm, keys.rsa2048, now)  # serverAuth + clientAuth
    server_only = mint(keys.rsa2048, now, ekus=(ExtendedKeyUsageOID.SERVER_AUTH,))
    acm.import_certificate(
        CertificateArn=arn, Certificate=pem(server_only), PrivateKey=key_pem(keys.rsa2048)
    )
    signing = mint(keys.rsa2048, now, ekus=(ExtendedKeyUsageOID.CODE_SIGNING,))
    exc = _refused(
        acm, CertificateArn=arn, Certificate=pem(signing), PrivateKey=key_pem(keys.rsa2048)
    )
    assert error_code(exc) == "ValidationException"
    assert "TLS_WEB_SERVER_AUTHENTICATION" in error_message(exc)


@pytest.mark.parametrize(
    ("arn", "code"),
    [
        ("arn:aws:acm:eu-west-1:123456789012:certificate/not-a-uuid", "InvalidArnException"),
        ("arn:aws:acm:eu-west-1:123456789012:loadbalancer/x", "InvalidArnException"),
        (
            "arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012",
            "ResourceNotFoundException",
        ),
    ],
)
def test_reimport_of_a_bad_or_unknown_arn(
    acm: Any, cloud: Cloud, keys: Keys, arn: str, code: str
) -> None:
    cert = mint(keys.p256, cloud.clock.now())
    exc = _refused(acm, CertificateArn=arn, Certificate=pem(cert), PrivateKey=key_pem(keys.p256))
    assert error_code(exc) == code


def test_chain_whose_issuer_did_not_sign_the_certificate_is_refused(
    acm: Any, cloud: Cloud, keys: Keys
) -> None:
    now = cloud.clock.now()
    real = ca_chain(keys.ca_rsa, keys.ca_rsa, now)
    leaf = mint(keys.rsa2048, now, issuer=real.issuer)
    # a look-alike CA: same name, another key
    fake = mint(keys.rsa2048_b, now, cn="Example Issuing CA", ca=True, days=100, serial=3)
    exc = _refused(
        acm, Certificate=pem(leaf), PrivateKey=key_pem(keys.rsa2048), CertificateChain=pem(fake)
    )
    assert error_code(exc) == "ValidationException"
    assert "certificate chain" in error_message(exc)


def test_ocsp_url_over_1000_characters_is_refused(acm: Any, cloud: Cloud, keys: Keys) -> None:
    now = cloud.clock.now()
    url = "http://ocsp.example.com/" + "a" * 1000
    cert = (
        x509.CertificateBuilder()
        .subject_name(name("ocsp.example.com"))
        .issuer_name(name("ocsp.example.com"))
        .public_key(keys.p256.public_key())
        .serial_number(11)
        .not_valid_before(now - _dt.timedelta(days=1))
        .not_valid_after(now + _dt.timedelta(days=1))
        .add_extension(
            x509.AuthorityInformationAccess(
                [
                    x509.AccessDescription(
                        AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(url)
                    )
                ]
            ),
            critical=False,
        )
        .sign(keys.p256, hashes.SHA256())
    )
    exc = _refused(acm, Certificate=pem(cert), PrivateKey=key_pem(keys.p256))
    assert error_code(exc) == "ValidationException"
    assert "OCSP" in error_message(exc)
