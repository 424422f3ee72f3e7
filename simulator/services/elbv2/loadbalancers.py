"""CreateLoadBalancer, DescribeLoadBalancers, DeleteLoadBalancer, and the provisioning job.

Facts (API reference: CreateLoadBalancer, DeleteLoadBalancer, LoadBalancerState): Type is
application (default) or network; give Subnets or SubnetMappings, not both, at most one subnet
per Availability Zone, and an Application Load Balancer needs subnets in at least two
Availability Zones; Application Load Balancers cannot use Elastic IP addresses; internal load
balancers must use ipv4; the scheme defaults to internet-facing. CreateLoadBalancer is
idempotent: the same name with the same settings answers the existing load balancer. A new load
balancer is ``provisioning`` and becomes ``active`` once set up. Deleting a load balancer
deletes its listeners; deleting one that does not exist succeeds. The DNS name has the form
``<name>-<digits>.<region>.elb.amazonaws.com`` (``internal-`` first for internal load balancers,
as the API reference's examples show), and CanonicalHostedZoneId is the Region's ELB hosted zone
("Elastic Load Balancing endpoints and quotas", AWS General Reference).

Decisions: subnets come from the EC2 service of the same account and Region. EC2 security
groups are not simulated, so a load balancer has none and any SecurityGroups given are refused
with InvalidSecurityGroup (they cannot exist). Subnets here have no IPv6 CIDR, so dualstack is
refused. Provisioning takes 3 minutes of virtual time ([U]: AWS documents no duration).
Not simulated: Gateway Load Balancers, Outposts (CustomerOwnedIpv4Pool), IPAM pools, private
and IPv6 addresses and IPv6 source-NAT prefixes in SubnetMappings.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from simulator.core.context import RequestContext
from simulator.core.errors import NotSimulatedException, ValidationException
from simulator.protocol.registry import operation
from simulator.services.ec2.model import Subnet
from simulator.services.elbv2.core import (
    MAX_DESCRIBE_ARNS,
    Elbv2Core,
    arn_resource,
    check_name,
    page,
    tag_map,
)
from simulator.services.elbv2.errors import (
    AllocationIdNotFoundException,
    DuplicateLoadBalancerNameException,
    InvalidConfigurationRequestException,
    InvalidSecurityGroupException,
    LoadBalancerNotFoundException,
    SubnetNotFoundException,
    TooManyLoadBalancersException,
)
from simulator.services.elbv2.model import LbState, LbType, LoadBalancer, ZoneMapping
from simulator.services.elbv2.wire import wire_load_balancer

ACTIVATE_JOB = "elbv2.activate_load_balancer"
PROVISIONING_TIME = _dt.timedelta(minutes=3)  # [U]
# Route 53 hosted zone ids of ELB per Region (AWS General Reference, "Elastic Load Balancing
# endpoints and quotas"): (Application and Classic Load Balancers, Network Load Balancers).
HOSTED_ZONES: dict[str, tuple[str, str]] = {
    "us-east-1": ("Z35SXDOTRQ7X7K", "Z26RNL4JYFTOTI"),
    "us-east-2": ("Z3AADJGX6KTTL2", "ZLMOA37VPKANP"),
    "us-west-1": ("Z368ELLRRE2KJ0", "Z24FKFUX50B4VW"),
    "us-west-2": ("Z1H1FL5HABSF5", "Z18D5FSROUN65G"),
}


def hosted_zone(region: str, lb_type: LbType) -> str:
    known = HOSTED_ZONES.get(region)
    if known is not None:
        return known[0] if lb_type is LbType.APPLICATION else known[1]
    # [U] Regions whose ids were not re-checked get a stable stand-in of the same shape
    digest = sum((i + 1) * ord(c) for i, c in enumerate(region + lb_type.value))
    return "Z" + format(digest * 2654435761 % 36**12, "X").rjust(12, "0")[:12]


class LoadBalancerOps(Elbv2Core):
    def register_jobs(self) -> None:
        self.env.scheduler.register(ACTIVATE_JOB, self._activate_job)

    def _activate_job(self, due: _dt.datetime, args: dict[str, Any]) -> None:
        lb = self.state(args["account"], args["region"]).load_balancers.get(args["arn"])
        if lb is not None and lb.state is LbState.PROVISIONING:
            lb.state = LbState.ACTIVE
            lb.activation_job = None

    # -- create ------------------------------------------------------------------------------
    @operation("CreateLoadBalancer")
    def create_load_balancer(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        name = p["Name"]
        check_name(name, "Load balancer", load_balancer=True)
        lb_type = self._lb_type(p.get("Type"))
        for member in ("CustomerOwnedIpv4Pool", "IpamPools", "EnablePrefixForIpv6SourceNat"):
            if p.get(member) is not None:
                raise NotSimulatedException(f"ELBv2 {member} is not simulated.")
        scheme = p.get("Scheme") or "internet-facing"
        ip_type = p.get("IpAddressType") or "ipv4"
        if scheme == "internal" and ip_type != "ipv4":
            raise InvalidConfigurationRequestException(  # [U]
                "Internal load balancers must use the ipv4 IP address type"
            )
        if ip_type != "ipv4":
            raise InvalidConfigurationRequestException(  # [U]
                f"IP address type '{ip_type}' needs subnets with IPv6 CIDR blocks"
            )
        subnets = self._subnets(ctx, p, lb_type)
        if p.get("SecurityGroups"):
            raise InvalidSecurityGroupException(  # [U]
                "One or more security groups are invalid: "
                + ", ".join(map(str, p["SecurityGroups"]))
            )
        tags = tag_map(p.get("Tags"))
        st = self.st(ctx)
        same = [lb for lb in st.load_balancers.values() if lb.name == name]
        if same:
            lb = same[0]
            settings = (lb.type, lb.scheme, lb.ip_address_type, {z.subnet_id for z in lb.zones})
            if settings == (lb_type, scheme, ip_type, {s.subnet_id for s in subnets}):
                return {"LoadBalancers": [wire_load_balancer(lb)]}  # idempotent (API reference)
            raise DuplicateLoadBalancerNameException(  # [U]
                f"A load balancer with the same name '{name}' exists, but with different settings"
            )
        quota = (
            "application_load_balancers"
            if lb_type is LbType.APPLICATION
            else "network_load_balancers"
        )
        if sum(1 for lb in st.load_balancers.values() if lb.type is lb_type) >= self.limit(
            ctx, quota
        ):
            raise TooManyLoadBalancersException(  # [U]
                "The maximum number of load balancers has been reached"
            )
        kind = "app" if lb_type is LbType.APPLICATION else "net"
        arn = self.arn(ctx, f"loadbalancer/{kind}/{name}/{self.env.ids.hex(16)}")
        prefix = "internal-" if scheme == "internal" else ""
        dns = f"{prefix}{name}-{self.env.ids.digits(10)}.{ctx.region}.elb.amazonaws.com"
        now = self.env.clock.now()
        lb = LoadBalancer(
            arn=arn,
            name=name,
            type=lb_type,
            scheme=scheme,
            vpc_id=subnets[0].vpc_id,
            ip_address_type=ip_type,
            dns_name=dns,
            hosted_zone_id=hosted_zone(ctx.region, lb_type),
            created=now,
            zones=[ZoneMapping(s.availability_zone, s.subnet_id) for s in subnets],
            tags=tags,
        )
        lb.activation_job = self.env.scheduler.schedule(
            now + PROVISIONING_TIME,
            ACTIVATE_JOB,
            account=ctx.account_id,
            region=ctx.region,
            arn=arn,
        )
        st.load_balancers[arn] = lb
        return {"LoadBalancers": [wire_load_balancer(lb)]}

    @staticmethod
    def _lb_type(raw: str | None) -> LbType:
        if raw == "gateway":
            raise NotSimulatedException("Gateway Load Balancers are not simulated.")
        return LbType(raw) if raw in ("application", "network") else LbType.APPLICATION

    def _subnets(self, ctx: RequestContext, p: dict[str, Any], lb_type: LbType) -> list[Subnet]:
        ids: list[str] = list(p.get("Subnets") or [])
        mappings: list[dict[str, Any]] = list(p.get("SubnetMappings") or [])
        if ids and mappings:
            raise ValidationException(  # [U]
                "You can specify subnets or subnet mappings, but not both"
            )
        if not ids and not mappings:
            raise ValidationException("At least one subnet must be specified")  # [U]
        for m in mappings:
            if not isinstance(m.get("SubnetId"), str):
                raise ValidationException("A subnet ID must be specified")  # [U]
            if m.get("AllocationId") is not None:
                if lb_type is LbType.APPLICATION:
                    raise InvalidConfigurationRequestException(  # [U]
                        "You can't specify Elastic IP addresses for Application Load Balancers"
                    )
                # EC2 Elastic IPs are not simulated, so no allocation id can exist.
                raise AllocationIdNotFoundException(  # [U]
                    f"Allocation ID '{m['AllocationId']}' not found"
                )
            for member in ("PrivateIPv4Address", "IPv6Address", "SourceNatIpv6Prefix"):
                if m.get(member) is not None:
                    raise NotSimulatedException(f"ELBv2 SubnetMappings {member} is not simulated.")
            ids.append(m["SubnetId"])
        known = self.ec2_state(ctx).subnets
        found: list[Subnet] = []
        for sid in ids:
            subnet = known.get(sid)
            if subnet is None:
                raise SubnetNotFoundException(f"The subnet ID '{sid}' is not valid")  # [U]
            if subnet in found:
                raise ValidationException(f"Subnet '{sid}' is specified twice")  # [U]
            found.append(subnet)
        if len({s.vpc_id for s in found}) > 1:
            raise InvalidConfigurationRequestException(  # [U]
                "All subnets of a load balancer must belong to the same VPC"
            )
        zones = [s.availability_zone for s in found]
        if len(set(zones)) != len(zones):
            raise InvalidConfigurationRequestException(  # [U]
                "A load balancer cannot be attached to multiple subnets in the same "
                "Availability Zone"
            )
        if lb_type is LbType.APPLICATION and len(zones) < 2:
            raise InvalidConfigurationRequestException(  # [U]
                "At least two subnets in two different Availability Zones must be specified"
            )
        return found

    # -- describe / delete -------------------------------------------------------------------
    @operation("DescribeLoadBalancers", read_only=True)
    def describe_load_balancers(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        arns: list[str] = list(p.get("LoadBalancerArns") or [])
        names: list[str] = list(p.get("Names") or [])
        if arns and names:
            raise ValidationException(  # [U]
                "Load balancer ARNs and load balancer names cannot be specified at the same time"
            )
        if len(arns) > MAX_DESCRIBE_ARNS:
            raise ValidationException(  # [U]
                f"You can specify up to {MAX_DESCRIBE_ARNS} load balancer ARNs"
            )
        st = self.st(ctx)
        if arns:
            chosen = [self.load_balancer(ctx, a) for a in dict.fromkeys(arns)]
        elif names:
            by_name = {lb.name: lb for lb in st.load_balancers.values()}
            missing = [n for n in names if n not in by_name]
            if missing:
                raise LoadBalancerNotFoundException(  # [U]
                    f"Load balancers '[{', '.join(missing)}]' not found"
                )
            chosen = [by_name[n] for n in dict.fromkeys(names)]
        else:
            chosen = sorted(st.load_balancers.values(), key=lambda lb: (lb.created, lb.arn))
        items, extra = page(chosen, p)
        return {"LoadBalancers": [wire_load_balancer(lb) for lb in items], **extra}

    @operation("DeleteLoadBalancer", resource=arn_resource)
    def delete_load_balancer(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        arn = p["LoadBalancerArn"]
        lb = self.st(ctx).load_balancers.get(arn)
        if lb is None:
            return {}  # "If the load balancer does not exist or has already been deleted..."
        for li in self.listeners_of(ctx, arn):
            self.drop_listener(ctx, li.arn)
        self.env.certificate_usage.detach_resource(arn)
        self.env.scheduler.cancel(lb.activation_job)
        del self.st(ctx).load_balancers[arn]
        return {}
