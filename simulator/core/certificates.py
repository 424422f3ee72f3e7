"""Which AWS resources use which ACM certificate: the one hook between ACM and its users.

Integrated services (ELBv2 listeners today; CloudFront, API Gateway... later) call
:meth:`CertificateUsage.attach` when a resource starts using a certificate and
:meth:`CertificateUsage.detach` when it stops. ACM reads :meth:`CertificateUsage.in_use_by` for
``CertificateDetail.InUseBy`` and refuses ``DeleteCertificate`` with ``ResourceInUseException``
while the list is not empty (A-API DeleteCertificate).

The resource ACM names is the one a learner recognises in the console's "Associated resources":
for Elastic Load Balancing that is the load balancer's ARN, not the listener's. One load
balancer may use a certificate through several listeners, so uses are counted: the load
balancer leaves InUseBy only when its last use of the certificate is detached.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class CertificateInfo:
    """What an integrated service may know about an ACM certificate before using it."""

    arn: str
    status: str  # CertificateStatus: ISSUED, PENDING_VALIDATION, EXPIRED...
    key_algorithm: str  # KeyAlgorithm: RSA_2048, EC_prime256v1...
    type: str  # IMPORTED, AMAZON_ISSUED, PRIVATE


# (account_id, region, certificate_arn) -> the certificate, or None if ACM holds no such one
CertificateLookup = Callable[[str, str, str], CertificateInfo | None]


class CertificateUsage:
    """certificate ARN -> {resource ARN: number of uses}, resources in first-attach order."""

    def __init__(self) -> None:
        self._users: dict[str, dict[str, int]] = {}
        self._lookup: CertificateLookup | None = None

    def __repr__(self) -> str:
        return f"<CertificateUsage {len(self._users)} certificates in use>"

    # -- ACM's side --------------------------------------------------------------------------
    def provide(self, lookup: CertificateLookup) -> None:
        """ACM registers how integrated services find a certificate."""
        self._lookup = lookup

    def find(self, account_id: str, region: str, certificate_arn: str) -> CertificateInfo | None:
        """The certificate as ACM holds it in that account and Region (None: not there)."""
        if self._lookup is None:
            return None
        return self._lookup(account_id, region, certificate_arn)

    def in_use_by(self, certificate_arn: str) -> list[str]:
        return list(self._users.get(certificate_arn, ()))

    def forget(self, certificate_arn: str) -> None:
        self._users.pop(certificate_arn, None)

    # -- the integrated services' side --------------------------------------------------------
    def attach(self, certificate_arn: str, resource_arn: str) -> None:
        """One more use of the certificate by the resource."""
        users = self._users.setdefault(certificate_arn, {})
        users[resource_arn] = users.get(resource_arn, 0) + 1

    def detach(self, certificate_arn: str, resource_arn: str) -> None:
        """One use fewer; the resource leaves InUseBy with its last use."""
        users = self._users.get(certificate_arn)
        if not users or resource_arn not in users:
            return
        users[resource_arn] -= 1
        if users[resource_arn] <= 0:
            del users[resource_arn]
        if not users:
            del self._users[certificate_arn]

    def detach_resource(self, resource_arn: str) -> None:
        """A resource went away: it uses no certificate any more."""
        for cert in [c for c, users in self._users.items() if resource_arn in users]:
            users = self._users[cert]
            del users[resource_arn]
            if not users:
                del self._users[cert]

    # -- snapshots -----------------------------------------------------------------------------
    def dump(self) -> dict[str, Any]:
        return {cert: dict(users) for cert, users in self._users.items()}

    def restore(self, data: dict[str, Any]) -> None:
        self._users = {
            str(cert): {str(u): int(n) for u, n in users.items()} for cert, users in data.items()
        }
