"""A secure listener's certificate list: AddListenerCertificates, RemoveListenerCertificates,
DescribeListenerCertificates.

Facts (API reference for the three operations; quotas page): one certificate per call, with
CertificateArn set and IsDefault not set; adding a certificate already in the list succeeds
without adding it again; the default certificate cannot be removed (change it with
ModifyListener); DescribeListenerCertificates lists the default certificate (IsDefault true)
and the certificate list (IsDefault false), so a default certificate also in the list appears
twice; an Application Load Balancer holds at most 25 certificates besides its default ones.
Every certificate added shows the listener's load balancer in ACM's InUseBy, until no listener
of that load balancer uses it any more (``core.Elbv2Core.sync_usage``).

Decisions ([U]): the certificate list belongs to HTTPS and TLS listeners only; other listeners
refuse AddListenerCertificates with ValidationError and describe an empty list; removing a
certificate that is not in the list succeeds; removing the default certificate when it is also
in the list removes that list entry only (it stays the default, in use); removing it otherwise
is OperationNotPermitted.
"""

from __future__ import annotations

from typing import Any

from simulator.core.context import RequestContext
from simulator.core.errors import ValidationException
from simulator.protocol.registry import operation
from simulator.services.elbv2.core import Elbv2Core, arn_resource, certificates_of, page
from simulator.services.elbv2.errors import (
    OperationNotPermittedException,
    TooManyCertificatesException,
)
from simulator.services.elbv2.model import Listener

SECURE = ("HTTPS", "TLS")


def _one_certificate(p: dict[str, Any]) -> str:
    certs = p.get("Certificates") or []
    if len(certs) != 1:
        raise ValidationException("You can specify one certificate per call")  # [U]
    arn = certs[0].get("CertificateArn")
    if not isinstance(arn, str) or not arn:
        raise ValidationException("A certificate ARN must be specified")  # [U]
    return arn


class CertificateOps(Elbv2Core):
    def _secure(self, li: Listener) -> None:
        if li.protocol not in SECURE:
            raise ValidationException(  # [U]
                f"Certificates can be added only to HTTPS and TLS listeners, not {li.protocol}"
            )

    @operation("AddListenerCertificates", resource=arn_resource)
    def add_listener_certificates(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        li = self.listener(ctx, p["ListenerArn"])
        arn = _one_certificate(p)
        self._secure(li)
        self.usable_certificate(ctx, arn)
        if arn not in li.certificates:
            used = sum(len(o.certificates) for o in self.listeners_of(ctx, li.load_balancer_arn))
            if used >= self.limit(ctx, "certificates_per_load_balancer"):
                raise TooManyCertificatesException(  # [U]
                    "The maximum number of certificates per load balancer has been reached"
                )
            before = certificates_of(li)
            li.certificates.append(arn)
            self.sync_usage(li.load_balancer_arn, before, certificates_of(li))
        listed = [{"CertificateArn": c, "IsDefault": False} for c in li.certificates]
        return {"Certificates": listed}

    @operation("RemoveListenerCertificates", resource=arn_resource)
    def remove_listener_certificates(
        self, ctx: RequestContext, p: dict[str, Any]
    ) -> dict[str, Any]:
        li = self.listener(ctx, p["ListenerArn"])
        arn = _one_certificate(p)
        if arn in li.certificates:
            before = certificates_of(li)
            li.certificates.remove(arn)  # a default certificate stays in use as the default
            self.sync_usage(li.load_balancer_arn, before, certificates_of(li))
        elif arn == li.default_certificate:
            raise OperationNotPermittedException(  # [U]
                "The default certificate of a listener cannot be removed; use ModifyListener "
                "to replace it"
            )
        return {}

    @operation("DescribeListenerCertificates", read_only=True, resource=arn_resource)
    def describe_listener_certificates(
        self, ctx: RequestContext, p: dict[str, Any]
    ) -> dict[str, Any]:
        li = self.listener(ctx, p["ListenerArn"])
        rows: list[dict[str, Any]] = []
        if li.default_certificate is not None:
            rows.append({"CertificateArn": li.default_certificate, "IsDefault": True})
        rows += [{"CertificateArn": c, "IsDefault": False} for c in li.certificates]
        items, extra = page(rows, p)
        return {"Certificates": items, **extra}
