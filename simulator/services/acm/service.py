"""AWS Certificate Manager, first slice: imported certificates.

Simulated: ImportCertificate (new and re-import), DescribeCertificate, GetCertificate,
ListCertificates, DeleteCertificate, AddTagsToCertificate, RemoveTagsFromCertificate and
ListTagsForCertificate, following the ACM API Reference pages of those names and the facts
sheet, part 4. Certificates are regional: state is kept per account and Region, and an ARN of
another Region or account is not found. ARNs read ``arn:aws:acm:<region>:<account>:certificate/
<uuid>`` (A-API DeleteCertificate).

Time: an imported certificate is ISSUED and turns EXPIRED when its NotAfter passes on the
virtual clock (a scheduler job of kind ``acm.expire``, rescheduled on re-import). ACM sends the
EventBridge event "ACM Certificate Approaching Expiration" once a day for imported certificates
from 45 days before expiry (supported-events.html, facts 4.12), here at NotAfter minus 45, 44 ...
1 days (jobs of kind ``acm.expiry_notice``); "ACM Certificate Expired" is not sent for imported
certificates (same page).

Integrated services find certificates through ``env.certificate_usage`` (core/certificates.py):
ACM provides the lookup, reads ``InUseBy`` from it, and refuses DeleteCertificate with
ResourceInUseException while a resource uses the certificate (A-API DeleteCertificate).

The private key is sealed under the Cloud's domain key as soon as it is parsed and never leaves
the service: GetCertificate returns only the certificate and chain, the trail hides the
``sensitive`` PrivateKey member, and snapshots hold only the sealed bytes.

Every other ACM operation (RequestCertificate, ExportCertificate, RenewCertificate, account
configuration, ACME...) has no handler and answers NotSimulatedException.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from simulator.core import arns, quotas
from simulator.core.certificates import CertificateInfo
from simulator.core.context import RequestContext
from simulator.core.errors import ValidationException
from simulator.core.persist import from_json, to_json
from simulator.protocol.registry import operation
from simulator.services.acm import listing, tags, x509
from simulator.services.acm.errors import (
    InvalidArnException,
    LimitExceededException,
    ResourceInUseException,
    ResourceNotFoundException,
)
from simulator.services.acm.model import (
    Certificate,
    CertificateStatus,
    CertificateType,
    RegionState,
)
from simulator.services.base import Service, ServiceEnv

# A-QUOTA (facts 4.13): per account per Region. Imported certificates: 2,500; imported in the
# last 365 days: 5,000 (twice the quota).
quotas.register(
    quotas.Quota(
        "acm", "imported_certificates", "Imported certificates", 2_500, True,
        quotas.RESOURCE, "certificates", source="A-QUOTA",
    ),
    quotas.Quota(
        "acm", "imported_certificates_per_year", "Imported certificates in last 365 days",
        5_000, True, quotas.RESOURCE, "certificates", source="A-QUOTA",
    ),
)  # fmt: skip

NOTICE_DAYS = 45  # supported-events.html: imported certificates, from 45 days before expiry
YEAR = _dt.timedelta(days=365)
_CERT_ID = re.compile(r"certificate/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def certificate_resource(svc: Any, ctx: RequestContext, p: dict[str, Any]) -> str:
    return str(p.get("CertificateArn") or "*")


def _key_aad(arn: str) -> bytes:
    return b"acm:private-key:" + arn.encode()


class AcmService(Service):
    service_name = "acm"

    def __init__(self, env: ServiceEnv) -> None:
        super().__init__(env)
        self._states: dict[str, dict[str, RegionState]] = {}  # account -> Region -> state
        env.scheduler.register("acm.expire", self._expire)
        env.scheduler.register("acm.expiry_notice", self._expiry_notice)
        env.certificate_usage.provide(self._lookup)

    def __repr__(self) -> str:
        count = sum(len(s.certificates) for r in self._states.values() for s in r.values())
        return f"<AcmService {count} certificates>"

    # -- state ----------------------------------------------------------------------------
    def state(self, account: str, region: str) -> RegionState:
        regions = self._states.setdefault(account, {})
        st = regions.get(region)
        if st is None:
            st = regions[region] = RegionState()
        return st

    def dump(self) -> Any:
        return {
            account: {region: to_json(st) for region, st in regions.items()}
            for account, regions in self._states.items()
        }

    def restore(self, data: Any) -> None:
        self._states = {
            account: {region: from_json(RegionState, raw) for region, raw in regions.items()}
            for account, regions in (data or {}).items()
        }

    def _held(self, account: str, region: str, arn: str) -> Certificate | None:
        st = self._states.get(account, {}).get(region)
        return None if st is None else st.certificates.get(arn)

    def _lookup(self, account: str, region: str, arn: str) -> CertificateInfo | None:
        """For integrated services: the certificate in that account and Region, or None."""
        cert = self._held(account, region, arn)
        if cert is None:
            return None
        return CertificateInfo(
            cert.arn, cert.status.value, cert.key_algorithm.value, cert.type.value
        )

    def find(self, ctx: RequestContext, arn: Any) -> Certificate:
        text = str(arn)
        parsed = arns.parse(text)
        if (
            parsed is None
            or parsed.partition != ctx.partition
            or parsed.service != "acm"
            or not parsed.region
            or not re.fullmatch(r"[0-9]{12}", parsed.account)
            or not _CERT_ID.fullmatch(parsed.resource)
        ):
            raise InvalidArnException(f"The certificate ARN {text} is not valid.")  # [U]
        cert = self._held(ctx.account_id, ctx.region, text)
        if cert is None:
            raise ResourceNotFoundException(f"Could not find certificate {text}.")  # [U]
        return cert

    # -- time -----------------------------------------------------------------------------
    def _schedule(self, cert: Certificate) -> None:
        """(Re)plan the expiry and the daily approaching-expiration notices of ``cert``."""
        sched = self.env.scheduler
        sched.cancel(cert.expire_job)
        sched.cancel(cert.notice_job)
        where = {"account": cert.account_id, "region": cert.region, "arn": cert.arn}
        # X.509 validity includes the NotAfter second itself; the next second it has expired.
        cert.expire_job = sched.schedule(
            cert.not_after + _dt.timedelta(seconds=1), "acm.expire", **where
        )
        cert.notice_job = None
        now = self.env.clock.now()
        for days in range(NOTICE_DAYS, 0, -1):
            due = cert.not_after - _dt.timedelta(days=days)
            if due > now:
                cert.notice_job = sched.schedule(due, "acm.expiry_notice", days=days, **where)
                break

    def _expire(self, due: _dt.datetime, args: dict[str, Any]) -> None:
        cert = self._held(args["account"], args["region"], args["arn"])
        if cert is not None and cert.status is CertificateStatus.ISSUED:
            cert.status = CertificateStatus.EXPIRED
            cert.expire_job = None

    def _expiry_notice(self, due: _dt.datetime, args: dict[str, Any]) -> None:
        cert = self._held(args["account"], args["region"], args["arn"])
        if cert is None or cert.status is not CertificateStatus.ISSUED:
            return
        days = int(args["days"])
        self.env.events.publish(
            source="aws.acm",
            detail_type="ACM Certificate Approaching Expiration",
            account=cert.account_id,
            region=cert.region,
            detail={"DaysToExpiry": days, "CommonName": cert.domain_name or ""},
            resources=[cert.arn],
        )
        cert.notice_job = None
        if days > 1:
            cert.notice_job = self.env.scheduler.schedule(
                due + _dt.timedelta(days=1),
                "acm.expiry_notice",
                account=cert.account_id,
                region=cert.region,
                arn=cert.arn,
                days=days - 1,
            )

    # -- import ---------------------------------------------------------------------------
    @staticmethod
    def _check_reimport(old: Certificate, new: x509.ParsedImport) -> None:
        """The conditions of "Reimport a certificate" (import-reimport.html)."""
        if old.type is not CertificateType.IMPORTED:
            raise ValidationException(
                f"The certificate {old.arn} was not imported; only an imported certificate "
                "can be reimported."
            )  # [U]
        if new.key_algorithm is not old.key_algorithm:
            raise ValidationException(
                "The key type and size cannot be changed when you reimport a certificate: "
                f"{old.key_algorithm.value} cannot become {new.key_algorithm.value}."
            )  # [U]
        if old.subject_alternative_names and not new.names:
            raise ValidationException(
                "You cannot remove all of the domain names from a certificate."
            )  # [U]
        if old.key_usages != ["ANY"]:
            kept = set(new.key_usages)
            # Exception: keyEncipherment may go from ECDSA certificates (RFC 5480 section 3).
            lost = [u for u in old.key_usages if u not in kept]
            if old.key_algorithm.family == "EC":
                lost = [u for u in lost if u != "KEY_ENCIPHERMENT"]
            if lost:
                raise ValidationException(
                    "A reimported certificate cannot remove Key Usage extension values: "
                    f"{', '.join(lost)}."
                )  # [U]
        old_ekus = [e.name for e in old.extended_key_usages]
        if old_ekus != ["NONE"]:
            kept = {e.name for e in new.extended_key_usages}
            # Exception: the Client Authentication EKU may go (import-reimport.html).
            lost = [e for e in old_ekus if e not in kept and e != "TLS_WEB_CLIENT_AUTHENTICATION"]
            if lost:
                raise ValidationException(
                    "A reimported certificate cannot remove Extended Key Usage extension "
                    f"values: {', '.join(lost)}."
                )  # [U]

    def _check_quotas(self, ctx: RequestContext, st: RegionState) -> list[_dt.datetime]:
        """Refuse a new import over the quotas; return the import log to keep if it succeeds."""
        book = self.env.quotas
        limit = book.limit(ctx.account_id, ctx.region, "acm", "imported_certificates")
        held = sum(1 for c in st.certificates.values() if c.type is CertificateType.IMPORTED)
        if held >= limit:
            raise LimitExceededException(
                f"Error importing certificate. You have reached the limit of {limit} imported "
                "certificates in this account and Region."
            )  # [U]
        now = self.env.clock.now()
        recent = [t for t in st.imports if t > now - YEAR]
        per_year = book.limit(ctx.account_id, ctx.region, "acm", "imported_certificates_per_year")
        if len(recent) >= per_year:
            raise LimitExceededException(
                f"Error importing certificate. You have imported {per_year} certificates in "
                "the last 365 days, the limit for this account and Region."
            )  # [U]
        return recent

    @staticmethod
    def _read(parsed: x509.ParsedImport, sealed: bytes) -> dict[str, Any]:
        """The Certificate fields one import sets (new and re-import alike)."""
        return {
            "domain_name": parsed.domain_name,
            "subject_alternative_names": list(parsed.names),
            "serial": parsed.serial,
            "subject": parsed.subject,
            "issuer": parsed.issuer,
            "not_before": parsed.not_before,
            "not_after": parsed.not_after,
            "key_algorithm": parsed.key_algorithm,
            "signature_algorithm": parsed.signature_algorithm,
            "key_usages": list(parsed.key_usages),
            "extended_key_usages": list(parsed.extended_key_usages),
            "certificate_pem": parsed.certificate_pem,
            "chain_pem": parsed.chain_pem,
            "sealed_key": sealed,
            "status": CertificateStatus.ISSUED,
        }

    @operation("ImportCertificate", resource=certificate_resource)
    def import_certificate(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        now = self.env.clock.now()
        existing = None
        if p.get("CertificateArn") is not None:
            existing = self.find(ctx, p["CertificateArn"])
            if p.get("Tags"):
                # "You cannot apply tags when reimporting a certificate" (import-reimport.html);
                # message as AWS sends it, per a public Terraform provider report. [U]
                raise ValidationException("Tagging is not permitted on re-import.")
        new_tags = tags.merged([], tags.parse(p.get("Tags") or []))
        parsed = x509.parse_import(
            bytes(p["Certificate"]), bytes(p["PrivateKey"]), p.get("CertificateChain"), now
        )
        if existing is not None:
            self._check_reimport(existing, parsed)
            sealed = self.env.vault.seal(parsed.key_der, _key_aad(existing.arn))
            for name, value in self._read(parsed, sealed).items():
                setattr(existing, name, value)
            existing.imported_at = now
            self._schedule(existing)
            return {"CertificateArn": existing.arn}
        st = self._states.get(ctx.account_id, {}).get(ctx.region) or RegionState()
        recent = self._check_quotas(ctx, st)
        arn = arns.build(
            "acm", ctx.region, ctx.account_id, f"certificate/{self.env.ids.uuid()}", ctx.partition
        )
        cert = Certificate(
            arn=arn,
            account_id=ctx.account_id,
            region=ctx.region,
            seq=st.next_seq,
            type=CertificateType.IMPORTED,
            created_at=now,
            imported_at=now,
            tags=new_tags,
            **self._read(parsed, self.env.vault.seal(parsed.key_der, _key_aad(arn))),
        )
        st = self.state(ctx.account_id, ctx.region)  # from here on the import succeeds
        st.next_seq += 1
        st.imports = [*recent, now]
        st.certificates[arn] = cert
        self._schedule(cert)
        return {"CertificateArn": arn}

    # -- reading --------------------------------------------------------------------------
    def detail(self, cert: Certificate) -> dict[str, Any]:
        """CertificateDetail as DescribeCertificate shows an imported certificate."""
        out: dict[str, Any] = {"CertificateArn": cert.arn}
        if cert.domain_name is not None:
            out["DomainName"] = cert.domain_name
        if cert.subject_alternative_names:
            out["SubjectAlternativeNames"] = list(cert.subject_alternative_names)
        out.update(
            {
                "Serial": cert.serial,
                "Subject": cert.subject,
                "Issuer": cert.issuer,
                "CreatedAt": cert.created_at,
                "Status": cert.status.value,
                "NotBefore": cert.not_before,
                "NotAfter": cert.not_after,
                "KeyAlgorithm": cert.key_algorithm.shown,
                "SignatureAlgorithm": cert.signature_algorithm,
                "InUseBy": self.env.certificate_usage.in_use_by(cert.arn),
                "Type": cert.type.value,
                "KeyUsages": [{"Name": u} for u in cert.key_usages],
                "ExtendedKeyUsages": [
                    {"Name": e.name} if e.oid is None else {"Name": e.name, "OID": e.oid}
                    for e in cert.extended_key_usages
                ],
                "RenewalEligibility": "INELIGIBLE",  # imported: never renewed by ACM (A-RENEW)
                # ACM logs no imported certificate to CT logs. [U]
                "Options": {"CertificateTransparencyLoggingPreference": "DISABLED"},
                "CertificateKeyPairOrigin": cert.key_pair_origin.value,
            }
        )
        if cert.imported_at is not None:
            out["ImportedAt"] = cert.imported_at
        return out

    @operation("DescribeCertificate", read_only=True, resource=certificate_resource)
    def describe_certificate(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        return {"Certificate": self.detail(self.find(ctx, p["CertificateArn"]))}

    @operation("GetCertificate", read_only=True, resource=certificate_resource)
    def get_certificate(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        cert = self.find(ctx, p["CertificateArn"])
        out = {"Certificate": cert.certificate_pem}
        if cert.chain_pem:
            out["CertificateChain"] = cert.chain_pem
        return out

    @operation("ListCertificates", read_only=True)
    def list_certificates(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        st = self._states.get(ctx.account_id, {}).get(ctx.region) or RegionState()
        certs = list(st.certificates.values())
        chunk, token = listing.page(listing.selected(certs, p), p)
        usage = self.env.certificate_usage
        out: dict[str, Any] = {
            "CertificateSummaryList": [
                listing.summary(c, bool(usage.in_use_by(c.arn))) for c in chunk
            ]
        }
        if token is not None:
            out["NextToken"] = token
        return out

    # -- deleting -------------------------------------------------------------------------
    @operation("DeleteCertificate", resource=certificate_resource)
    def delete_certificate(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        cert = self.find(ctx, p["CertificateArn"])
        users = self.env.certificate_usage.in_use_by(cert.arn)
        if users:
            raise ResourceInUseException(
                f"Certificate {cert.arn} is in use by {', '.join(users)}. Remove the "
                "association and try again."
            )  # [U]
        self.env.scheduler.cancel(cert.expire_job)
        self.env.scheduler.cancel(cert.notice_job)
        del self.state(ctx.account_id, ctx.region).certificates[cert.arn]
        self.env.certificate_usage.forget(cert.arn)
        return {}

    # -- tags -----------------------------------------------------------------------------
    @operation("AddTagsToCertificate", resource=certificate_resource)
    def add_tags_to_certificate(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        cert = self.find(ctx, p["CertificateArn"])
        cert.tags = tags.merged(cert.tags, tags.parse(p["Tags"]))
        return {}

    @operation("RemoveTagsFromCertificate", resource=certificate_resource)
    def remove_tags_from_certificate(
        self, ctx: RequestContext, p: dict[str, Any]
    ) -> dict[str, Any]:
        cert = self.find(ctx, p["CertificateArn"])
        cert.tags = tags.removed(cert.tags, tags.parse(p["Tags"]))
        return {}

    @operation("ListTagsForCertificate", read_only=True, resource=certificate_resource)
    def list_tags_for_certificate(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        cert = self.find(ctx, p["CertificateArn"])
        # TagList has a minimum of one item, so a certificate without tags returns none. [U]
        return {"Tags": tags.shown(cert.tags)} if cert.tags else {}
