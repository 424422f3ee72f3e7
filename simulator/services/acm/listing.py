"""ListCertificates: its filters, default filters, order and pages (API_ListCertificates.html
and the ``Filters`` structure of the model).

Documented defaults: ``keyTypes`` "Default filtering returns only RSA_1024 and RSA_2048
certificates that have at least one domain"; ``CertificateKeyPairOrigins`` defaults to
AWS_MANAGED and CUSTOMER_PROVIDED (ACME certificates are left out); without
``RootHierarchyTypes`` no Amazon N2 certificate is listed, and with it only those are (an
imported certificate has no root hierarchy). ``SortBy`` and ``SortOrder`` go together.
A list filter matches a certificate holding any of its values [U]. Without ``MaxItems`` a page
holds at most 1,000 certificates (the model's maximum) [U]. ``NextToken`` is opaque.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from simulator.core.errors import ValidationException
from simulator.services.acm.errors import InvalidArgsException
from simulator.services.acm.model import Certificate, KeyAlgorithm, KeyPairOrigin

DEFAULT_KEY_TYPES = frozenset({KeyAlgorithm.RSA_1024.value, KeyAlgorithm.RSA_2048.value})
DEFAULT_ORIGINS = frozenset(
    {KeyPairOrigin.AWS_MANAGED.value, KeyPairOrigin.CUSTOMER_PROVIDED.value}
)
PAGE_MAX = 1_000
SAN_SUMMARY_MAX = 100  # "will only return the first 100 subject alternative names"
_TOKEN_PREFIX = "acm-list:"


def summary(cert: Certificate, in_use: bool) -> dict[str, Any]:
    """A CertificateSummary as ListCertificates shows an imported certificate."""
    out: dict[str, Any] = {"CertificateArn": cert.arn}
    if cert.domain_name is not None:
        out["DomainName"] = cert.domain_name
    if cert.subject_alternative_names:
        out["SubjectAlternativeNameSummaries"] = cert.subject_alternative_names[:SAN_SUMMARY_MAX]
        out["HasAdditionalSubjectAlternativeNames"] = (
            len(cert.subject_alternative_names) > SAN_SUMMARY_MAX
        )
    out.update(
        {
            "Status": cert.status.value,
            "Type": cert.type.value,
            "KeyAlgorithm": cert.key_algorithm.shown,
            "KeyUsages": list(cert.key_usages),
            "ExtendedKeyUsages": [e.name for e in cert.extended_key_usages],
            "InUse": in_use,
            "RenewalEligibility": "INELIGIBLE",  # imported: no managed renewal (A-RENEW)
            "NotBefore": cert.not_before,
            "NotAfter": cert.not_after,
            "CreatedAt": cert.created_at,
            "CertificateKeyPairOrigin": cert.key_pair_origin.value,
        }
    )
    if cert.imported_at is not None:
        out["ImportedAt"] = cert.imported_at
    return out


def _includes(cert: Certificate, includes: dict[str, Any]) -> bool:
    key_types = includes.get("keyTypes")
    if key_types:
        if cert.key_algorithm.value not in key_types:
            return False
    elif cert.key_algorithm.value not in DEFAULT_KEY_TYPES or cert.domain_name is None:
        return False
    usages = includes.get("keyUsage")
    if usages and not set(usages) & set(cert.key_usages):
        return False
    ekus = includes.get("extendedKeyUsage")
    if ekus and not set(ekus) & {e.name for e in cert.extended_key_usages}:
        return False
    # Imported certificates have no export option and no managing service. [U]
    return includes.get("exportOption") is None and includes.get("managedBy") is None


def selected(certs: list[Certificate], p: dict[str, Any]) -> list[Certificate]:
    """The certificates the request's filters keep, in the order asked for."""
    sort_by, sort_order = p.get("SortBy"), p.get("SortOrder")
    if (sort_by is None) != (sort_order is None):
        raise ValidationException(
            "SortBy and SortOrder must be specified together."
        )  # [U] ("If you specify SortBy, you must also specify SortOrder", and vice versa)
    statuses = p.get("CertificateStatuses")
    origins = set(p.get("CertificateKeyPairOrigins") or DEFAULT_ORIGINS)
    includes = p.get("Includes") or {}
    keep = [
        c
        for c in certs
        if (not statuses or c.status.value in statuses)
        and c.key_pair_origin.value in origins
        and not p.get("RootHierarchyTypes")  # only Amazon N2 certificates have one
        and _includes(c, includes)
    ]
    keep.sort(key=lambda c: c.seq, reverse=sort_order == "DESCENDING")
    return keep


def token_for(cert: Certificate) -> str:
    return base64.urlsafe_b64encode(f"{_TOKEN_PREFIX}{cert.seq}".encode()).decode()


def _token_seq(token: str) -> int:
    try:
        text = base64.urlsafe_b64decode(token.encode("ascii")).decode("ascii")
    except (binascii.Error, ValueError, UnicodeError):
        text = ""
    number = text.removeprefix(_TOKEN_PREFIX)
    if not text.startswith(_TOKEN_PREFIX) or not number.isdigit():
        raise InvalidArgsException("The NextToken is not valid.")  # [U]
    return int(number)


def page(certs: list[Certificate], p: dict[str, Any]) -> tuple[list[Certificate], str | None]:
    """One page of ``certs`` (already in order) from ``NextToken``, and the next token."""
    limit = int(p.get("MaxItems") or PAGE_MAX)
    token = p.get("NextToken")
    if token is not None:
        start = _token_seq(str(token))
        descending = p.get("SortOrder") == "DESCENDING"
        certs = [c for c in certs if (c.seq <= start if descending else c.seq >= start)]
    chunk = certs[:limit]
    return chunk, token_for(certs[limit]) if len(certs) > limit else None
