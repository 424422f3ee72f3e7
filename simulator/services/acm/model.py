"""ACM typed state: each account's certificates, per Region (certificates are regional, A-HIST
import-certificate), with their tags and the jobs that move them through time.

Enum values mirror botocore's ``acm`` model (a test compares them). The private key of an
imported certificate is held only sealed under the Cloud's domain key (``sealed_key``, a PKCS#8
DER key sealed with the certificate ARN as associated data), so a ``repr``, a log line or a
snapshot never shows it. Everything here round-trips through ``core/persist.py``.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from enum import StrEnum


class CertificateStatus(StrEnum):
    PENDING_VALIDATION = "PENDING_VALIDATION"
    ISSUED = "ISSUED"
    INACTIVE = "INACTIVE"
    EXPIRED = "EXPIRED"
    VALIDATION_TIMED_OUT = "VALIDATION_TIMED_OUT"
    REVOKED = "REVOKED"
    FAILED = "FAILED"


class CertificateType(StrEnum):
    IMPORTED = "IMPORTED"
    AMAZON_ISSUED = "AMAZON_ISSUED"
    PRIVATE = "PRIVATE"


class KeyAlgorithm(StrEnum):
    """The model's ``KeyAlgorithm`` enum (what ListCertificates' ``keyTypes`` filter takes)."""

    RSA_1024 = "RSA_1024"
    RSA_2048 = "RSA_2048"
    RSA_3072 = "RSA_3072"
    RSA_4096 = "RSA_4096"
    EC_PRIME256V1 = "EC_prime256v1"
    EC_SECP384R1 = "EC_secp384r1"
    EC_SECP521R1 = "EC_secp521r1"

    @property
    def shown(self) -> str:
        """How DescribeCertificate and ListCertificates print it: ``RSA-2048``, ``EC-prime256v1``.

        The AWS CLI's describe-certificate example (aws-cli awscli/examples/acm) and captured
        ListCertificates output show a hyphen where the model's enum has an underscore.
        """
        return self.value.replace("_", "-", 1)

    @property
    def family(self) -> str:
        return "RSA" if self.value.startswith("RSA") else "EC"


class KeyPairOrigin(StrEnum):
    AWS_MANAGED = "AWS_MANAGED"
    ACME = "ACME"
    CUSTOMER_PROVIDED = "CUSTOMER_PROVIDED"


@dataclass
class ExtendedKeyUsage:
    name: str  # ExtendedKeyUsageName: TLS_WEB_SERVER_AUTHENTICATION... CUSTOM, NONE
    oid: str | None = None


@dataclass
class Tag:
    key: str
    value: str | None = None


@dataclass
class Certificate:
    """One ACM certificate (imported only, for now)."""

    arn: str
    account_id: str
    region: str
    seq: int  # creation order within its account and Region (ListCertificates order, tokens)
    type: CertificateType
    status: CertificateStatus
    created_at: _dt.datetime
    imported_at: _dt.datetime | None
    # the X.509 facts ACM shows, read from the certificate at (re)import
    domain_name: str | None
    subject_alternative_names: list[str]
    serial: str
    subject: str
    issuer: str
    not_before: _dt.datetime
    not_after: _dt.datetime
    key_algorithm: KeyAlgorithm
    signature_algorithm: str
    key_usages: list[str]
    extended_key_usages: list[ExtendedKeyUsage]
    certificate_pem: str = field(repr=False)
    chain_pem: str | None = field(repr=False)
    sealed_key: bytes = field(repr=False)
    key_pair_origin: KeyPairOrigin = KeyPairOrigin.CUSTOMER_PROVIDED
    tags: list[Tag] = field(default_factory=list)
    expire_job: int | None = None
    notice_job: int | None = None


@dataclass
class RegionState:
    certificates: dict[str, Certificate] = field(default_factory=dict)  # by ARN, oldest first
    next_seq: int = 1
    imports: list[_dt.datetime] = field(default_factory=list)  # new imports, last 365 days
