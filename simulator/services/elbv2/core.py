"""What every ELBv2 handler module shares: per-account, per-Region state, ARNs and ids,
lookups with ELBv2's not-found errors, Marker/PageSize pagination, tag checks, quotas and the
ACM certificate check.

Facts (Elastic Load Balancing API reference, https://docs.aws.amazon.com/elasticloadbalancing/
latest/APIReference/; quotas from "Quotas for your Application Load Balancers",
https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html):
50 Application Load Balancers per Region, 50 listeners per load balancer, 25 certificates per
Application Load Balancer not counting default certificates, 3,000 target groups per Region
(shared by Application and Network Load Balancers). DescribeLoadBalancers takes up to 20 ARNs,
DescribeTags up to 20 resources; PageSize is at most 400 (model). Load balancer and target group
names: at most 32 alphanumerics or hyphens, not beginning or ending with a hyphen; load
balancer names must also not begin with "internal-".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, TypeVar

from simulator.core import quotas
from simulator.core.context import RequestContext
from simulator.core.errors import ValidationException
from simulator.core.quotas import RESOURCE, Quota
from simulator.services.base import Service, ServiceEnv
from simulator.services.ec2.core import Ec2Core
from simulator.services.ec2.model import RegionState as Ec2RegionState
from simulator.services.elbv2.errors import (
    CertificateNotFoundException,
    DuplicateTagKeysException,
    ListenerNotFoundException,
    LoadBalancerNotFoundException,
    TargetGroupNotFoundException,
    TooManyTagsException,
)
from simulator.services.elbv2.model import Listener, LoadBalancer, RegionState, TargetGroup
from simulator.services.regional import RegionalStates

T = TypeVar("T")

QUOTA_SOURCE = (
    "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html"
)


def _row(name: str, description: str, default: int, unit: str) -> Quota:
    return Quota("elbv2", name, description, default, True, RESOURCE, unit, source=QUOTA_SOURCE)


ELBV2_QUOTAS: tuple[Quota, ...] = (
    _row("application_load_balancers", "Application Load Balancers per Region", 50, "LBs"),
    # [U] the Network Load Balancer page was not re-checked; taken equal to the ALB quota
    _row("network_load_balancers", "Network Load Balancers per Region", 50, "LBs"),
    _row("listeners_per_load_balancer", "Listeners per Application Load Balancer", 50, "listeners"),
    _row(
        "certificates_per_load_balancer",
        "Certificates per Application Load Balancer (excluding default certificates)",
        25,
        "certificates",
    ),
    _row("target_groups", "Target Groups per Region", 3000, "target groups"),
)
quotas.register(*ELBV2_QUOTAS)

MAX_PAGE = 400  # PageSize max (model)
MAX_DESCRIBE_ARNS = 20  # "You can specify up to 20 load balancers in a single call."
MAX_TAGS = 50  # [U] tags per ELB resource; the API reference gives no number
ARN_PREFIX = "arn:aws:elasticloadbalancing"
_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?")
_TAG_TEXT = re.compile(r"[\w\s.:/=+\-@]*")


def check_name(name: str, what: str, *, load_balancer: bool) -> None:
    """The documented naming rules (messages [U])."""
    if len(name) > 32:
        raise ValidationException(f"{what} name cannot be longer than 32 characters")  # [U]
    if not _NAME.fullmatch(name):
        raise ValidationException(  # [U]
            f"{what} name '{name}' must contain only alphanumeric characters or hyphens, "
            "and must not begin or end with a hyphen"
        )
    if load_balancer and name.startswith("internal-"):
        raise ValidationException("Load balancer name cannot start with 'internal-'")  # [U]


def tag_map(tags: Sequence[dict[str, Any]] | None) -> dict[str, str]:
    """Request tags as a dict, refusing a key given twice and reserved ``aws:`` keys."""
    out: dict[str, str] = {}
    for tag in tags or []:
        key = tag.get("Key")
        if not isinstance(key, str) or not key:
            raise ValidationException("A tag key must be specified")  # [U]
        value = tag.get("Value") or ""
        if key in out:
            raise DuplicateTagKeysException(f"Tag key '{key}' is duplicated")  # [U]
        if key.lower().startswith("aws:"):
            raise ValidationException("Tag keys starting with 'aws:' are reserved")  # [U]
        out[key] = value
    if len(out) > MAX_TAGS:
        raise TooManyTagsException("The quota for the number of tags has been reached")  # [U]
    return out


def wire_tags(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in tags.items()]


def page(items: list[T], p: dict[str, Any]) -> tuple[list[T], dict[str, Any]]:
    """Slice by ``Marker``/``PageSize``; ``NextMarker`` is opaque to callers."""
    marker = p.get("Marker")
    start = 0
    if marker is not None:
        if not (marker.startswith("elbv2-") and marker[6:].isdigit()):
            raise ValidationException("Invalid value for Marker")  # [U]
        start = int(marker[6:])
    size = p.get("PageSize") or MAX_PAGE
    end = start + size
    extra: dict[str, Any] = {"NextMarker": f"elbv2-{end}"} if end < len(items) else {}
    return items[start:end], extra


def arn_resource(svc: Any, ctx: RequestContext, p: dict[str, Any]) -> str:
    """The resource an operation acts on, for IAM: the ARN it names, else ``*``."""
    for member in ("ListenerArn", "LoadBalancerArn", "TargetGroupArn"):
        value = p.get(member)
        if isinstance(value, str) and value:
            return value
    return "*"


def certificates_of(li: Listener) -> set[str]:
    """Every certificate a listener uses: its default one and its certificate list."""
    found = set(li.certificates)
    if li.default_certificate is not None:
        found.add(li.default_certificate)
    return found


class Elbv2Core(Service):
    """Shared state and helpers; the handler mixins and :class:`Elbv2Service` build on it."""

    def __init__(self, env: ServiceEnv) -> None:
        super().__init__(env)
        self._regions = RegionalStates(RegionState)

    def __repr__(self) -> str:
        lbs = sum(len(st.load_balancers) for st in self._regions.values())
        return f"<Elbv2Service {lbs} load balancers>"

    def state(self, account: str, region: str) -> RegionState:
        return self._regions.of(account, region)

    def st(self, ctx: RequestContext) -> RegionState:
        return self.state(ctx.account_id, ctx.region)

    def dump(self) -> Any:
        return self._regions.dump(keep=lambda st: not st.is_empty())

    def restore(self, data: Any) -> None:
        self._regions.restore(data)

    def arn(self, ctx: RequestContext, resource: str) -> str:
        return f"{ARN_PREFIX}:{ctx.region}:{ctx.account_id}:{resource}"

    def ec2_state(self, ctx: RequestContext) -> Ec2RegionState:
        """The caller's VPCs and subnets, as the EC2 service of this Cloud holds them."""
        ec2 = self.env.services.get("ec2")
        if not isinstance(ec2, Ec2Core):
            return Ec2RegionState()
        return ec2.state(ctx.account_id, ctx.region)

    def limit(self, ctx: RequestContext, name: str) -> int:
        return self.env.quotas.limit(ctx.account_id, ctx.region, "elbv2", name)

    # -- lookups ------------------------------------------------------------------------------
    def load_balancer(self, ctx: RequestContext, arn: str) -> LoadBalancer:
        found = self.st(ctx).load_balancers.get(arn)
        if found is None:
            raise LoadBalancerNotFoundException(f"Load balancer '{arn}' not found")  # [U]
        return found

    def target_group(self, ctx: RequestContext, arn: str) -> TargetGroup:
        found = self.st(ctx).target_groups.get(arn)
        if found is None:
            raise TargetGroupNotFoundException(f"Target group '{arn}' not found")  # [U]
        return found

    def listener(self, ctx: RequestContext, arn: str) -> Listener:
        found = self.st(ctx).listeners.get(arn)
        if found is None:
            raise ListenerNotFoundException(f"Listener '{arn}' not found")  # [U]
        return found

    def listeners_of(self, ctx: RequestContext, lb_arn: str) -> list[Listener]:
        return [li for li in self.st(ctx).listeners.values() if li.load_balancer_arn == lb_arn]

    def load_balancers_using(self, ctx: RequestContext, tg_arn: str) -> list[str]:
        """The load balancers whose listeners forward to the target group."""
        out: list[str] = []
        for li in self.st(ctx).listeners.values():
            if any(tg_arn in a.target_groups() for a in li.actions):
                if li.load_balancer_arn not in out:
                    out.append(li.load_balancer_arn)
        return out

    def drop_listener(self, ctx: RequestContext, listener_arn: str) -> None:
        """Remove a listener and release the certificates it used (ACM InUseBy)."""
        li = self.st(ctx).listeners.pop(listener_arn, None)
        if li is not None:
            self.sync_usage(li.load_balancer_arn, certificates_of(li), set())

    def sync_usage(self, lb_arn: str, before: set[str], after: set[str]) -> None:
        """Tell ACM which certificates one listener of ``lb_arn`` stopped or started using.

        ACM's InUseBy names the load balancer, not the listener (the console's "Associated
        resources"); each listener counts as one use of each certificate it holds, so the load
        balancer leaves InUseBy with the last listener that uses the certificate.
        """
        usage = self.env.certificate_usage
        for cert in sorted(before - after):
            usage.detach(cert, lb_arn)
        for cert in sorted(after - before):
            usage.attach(cert, lb_arn)

    # -- certificates (ACM, through the Cloud's certificate hook) --------------------------
    def usable_certificate(self, ctx: RequestContext, cert_arn: str) -> None:
        """The certificate must be in ACM in this account and Region, and issued.

        AddListenerCertificates declares CertificateNotFound as its only certificate error, so
        an ACM certificate that exists but is not ISSUED is refused with it too ([U] wording).
        """
        info = self.env.certificate_usage.find(ctx.account_id, ctx.region, cert_arn)
        if info is None:
            raise CertificateNotFoundException(f"Certificate '{cert_arn}' not found")  # [U]
        if info.status != "ISSUED":
            raise CertificateNotFoundException(  # [U]
                f"Certificate '{cert_arn}' is not valid: its status is {info.status}, "
                "and only ISSUED certificates can be used"
            )
