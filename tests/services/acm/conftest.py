"""ACM clients over both transports, and real X.509 certificates minted with ``cryptography``.

Keys are generated once per test session (RSA generation is the slow part); certificates are
cheap and minted per test with validity windows relative to the Cloud's virtual clock.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from simulator import Cloud
from tests.conftest import TRANSPORTS, both_transports

REGION = "eu-west-1"
PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
LISTENER = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/x/y/z"


@pytest.fixture
def acm(cloud: Cloud) -> Any:
    return cloud.client("acm", region_name=REGION)


@pytest.fixture(params=TRANSPORTS)
def acm_any(request: pytest.FixtureRequest, cloud: Cloud) -> Iterator[Any]:
    """The same ACM API over the botocore hook and over real HTTP."""
    yield from both_transports(request, cloud, "acm", REGION)


@dataclass(frozen=True)
class Keys:
    rsa2048: rsa.RSAPrivateKey
    rsa2048_b: rsa.RSAPrivateKey
    rsa4096: rsa.RSAPrivateKey
    p256: ec.EllipticCurvePrivateKey
    p384: ec.EllipticCurvePrivateKey
    ca_rsa: rsa.RSAPrivateKey
    ca_ec: ec.EllipticCurvePrivateKey


@pytest.fixture(scope="session")
def keys() -> Keys:
    return Keys(
        rsa2048=rsa.generate_private_key(65537, 2048),
        rsa2048_b=rsa.generate_private_key(65537, 2048),
        rsa4096=rsa.generate_private_key(65537, 4096),
        p256=ec.generate_private_key(ec.SECP256R1()),
        p384=ec.generate_private_key(ec.SECP384R1()),
        ca_rsa=rsa.generate_private_key(65537, 2048),
        ca_ec=ec.generate_private_key(ec.SECP256R1()),
    )


def key_pem(key: PrivateKey, password: bytes | None = None) -> bytes:
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )


def pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def name(cn: str | None, org: str | None = None) -> x509.Name:
    attrs = []
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    if cn:
        attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(attrs)


def mint(
    key: PrivateKey,
    now: _dt.datetime,
    *,
    cn: str | None = "www.example.com",
    sans: tuple[str, ...] = (),
    days: int = 90,
    not_before: _dt.timedelta = _dt.timedelta(days=-1),
    issuer: tuple[x509.Name, PrivateKey] | None = None,
    serial: int = 0x0FACB0A38DEA65522D7D013A3936DBD6,
    ca: bool = False,
    key_usage: bool = True,
    ekus: tuple[x509.ObjectIdentifier, ...] = (
        ExtendedKeyUsageOID.SERVER_AUTH,
        ExtendedKeyUsageOID.CLIENT_AUTH,
    ),
) -> x509.Certificate:
    """A certificate for ``key``, valid from ``now + not_before`` for ``days`` days after now;
    self-signed unless ``issuer`` (its name and key) is given."""
    subject = name(cn, "Example Org" if ca else None)
    issuer_name, signer = issuer if issuer else (subject, key)
    digest = hashes.SHA256()
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(now + not_before)
        .not_valid_after(now + _dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if sans:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(s) for s in sans]), critical=False
        )
    if key_usage:
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=isinstance(key, rsa.RSAPrivateKey) and not ca,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    if ekus and not ca:
        builder = builder.add_extension(x509.ExtendedKeyUsage(list(ekus)), critical=False)
    return builder.sign(signer, digest)


@dataclass(frozen=True)
class Chain:
    """A root CA, an intermediate CA it signed, and what the intermediate signs."""

    root: x509.Certificate
    intermediate: x509.Certificate
    intermediate_key: PrivateKey

    @property
    def issuer(self) -> tuple[x509.Name, PrivateKey]:
        return self.intermediate.subject, self.intermediate_key

    @property
    def pem(self) -> bytes:
        return pem(self.intermediate) + pem(self.root)


def ca_chain(root_key: PrivateKey, intermediate_key: PrivateKey, now: _dt.datetime) -> Chain:
    root = mint(root_key, now, cn="Example Root CA", days=3650, ca=True, serial=1)
    intermediate = mint(
        intermediate_key,
        now,
        cn="Example Issuing CA",
        days=1825,
        ca=True,
        serial=2,
        issuer=(root.subject, root_key),
    )
    return Chain(root, intermediate, intermediate_key)


def import_self_signed(client: Any, key: PrivateKey, now: _dt.datetime, **kw: Any) -> str:
    tags = kw.pop("Tags", None)
    cert = mint(key, now, **kw)
    extra = {"Tags": tags} if tags else {}
    return str(
        client.import_certificate(Certificate=pem(cert), PrivateKey=key_pem(key), **extra)[
            "CertificateArn"
        ]
    )
