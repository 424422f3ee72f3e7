"""VPCs and subnets: CreateVpc, DescribeVpcs, DeleteVpc, CreateSubnet, DescribeSubnets,
DeleteSubnet.

Documented rules (CreateVpc and CreateSubnet, EC2 API reference): an IPv4 CIDR block is
between a /16 and a /28 netmask; a subnet's block lies within its VPC's block and must not
overlap another subnet of the VPC; AWS reserves the first four and the last address of every
subnet, so AvailableIpAddressCount starts at size - 5. A VPC cannot be deleted while it still
has subnets (DependencyViolation). IPv6, IPAM pools and default VPCs are not simulated.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from simulator.core.context import RequestContext
from simulator.core.errors import AWSError, NotSimulatedException
from simulator.protocol.registry import operation
from simulator.services.ec2 import catalog
from simulator.services.ec2.core import Ec2Core, apply_filters, bool_text, check_id, page, wire_tags
from simulator.services.ec2.errors import (
    DependencyViolation,
    InvalidParameterValue,
    InvalidSubnetConflict,
    InvalidSubnetIDNotFound,
    InvalidSubnetRange,
    InvalidVpcIDNotFound,
    InvalidVpcRange,
    MissingParameter,
)
from simulator.services.ec2.model import Subnet, Vpc

MIN_PREFIX, MAX_PREFIX = 16, 28
RESERVED_PER_SUBNET = 5  # first four and last address (CreateSubnet, EC2 API reference)
_UNSIMULATED_VPC = ("Ipv6Pool", "Ipv6CidrBlock", "Ipv4IpamPoolId", "Ipv4NetmaskLength",
                    "Ipv6IpamPoolId", "Ipv6NetmaskLength", "AmazonProvidedIpv6CidrBlock",
                    "VpcEncryptionControl", "Ipv6CidrBlockNetworkBorderGroup")  # fmt: skip
_UNSIMULATED_SUBNET = ("Ipv6CidrBlock", "OutpostArn", "Ipv6Native", "Ipv4IpamPoolId",
                       "Ipv4NetmaskLength", "Ipv6IpamPoolId", "Ipv6NetmaskLength")  # fmt: skip


def _bad_cidr(value: str) -> InvalidParameterValue:
    return InvalidParameterValue(
        f"Value ({value}) for parameter cidrBlock is invalid. This is not a valid CIDR block."
    )


def parse_cidr(value: str, range_error: type[AWSError]) -> ipaddress.IPv4Network:
    """An IPv4 CIDR block between /16 and /28. The size is judged before the host bits: AWS is
    reported to refuse ``192.168.0.0/8`` with InvalidVpc.Range, not as malformed [U]."""
    try:
        if not value.rpartition("/")[2].isdigit():
            raise ValueError(value)  # "/255.255.0.0" netmasks are not CIDR notation
        loose = ipaddress.IPv4Network(value, strict=False)
    except ValueError:
        raise _bad_cidr(value) from None
    if not MIN_PREFIX <= loose.prefixlen <= MAX_PREFIX:
        raise range_error(f"The CIDR '{value}' is invalid.")
    if str(loose.network_address) != value.split("/", 1)[0]:
        raise _bad_cidr(value)  # host bits set: 10.0.0.1/16
    return loose


def _not_simulated(p: dict[str, Any], names: tuple[str, ...], operation_name: str) -> None:
    for name in names:
        if p.get(name) not in (None, False):
            raise NotSimulatedException(
                f"{operation_name} with {name} is not simulated by Secrets Lab (IPv4 CIDR "
                "blocks only)."
            )


class NetworkOps(Ec2Core):
    # -- VPCs -------------------------------------------------------------------------------
    def vpc(self, ctx: RequestContext, vpc_id: str) -> Vpc:
        check_id("vpc", vpc_id)
        found = self.state(ctx.account_id, ctx.region).vpcs.get(vpc_id)
        if found is None:
            raise InvalidVpcIDNotFound(f"The vpc ID '{vpc_id}' does not exist")
        return found

    def vpc_out(self, ctx: RequestContext, vpc: Vpc, *, state: str | None = None) -> dict[str, Any]:
        st = self.state(ctx.account_id, ctx.region)
        out: dict[str, Any] = {
            "VpcId": vpc.vpc_id,
            "OwnerId": ctx.account_id,
            "State": state or vpc.state,
            "CidrBlock": vpc.cidr_block,
            "CidrBlockAssociationSet": [
                {
                    "AssociationId": vpc.association_id,
                    "CidrBlock": vpc.cidr_block,
                    "CidrBlockState": {"State": "associated"},
                }
            ],
            "DhcpOptionsId": st.dhcp_options_id,
            "InstanceTenancy": vpc.instance_tenancy,
            "IsDefault": False,
        }
        tags = st.tags.get(vpc.vpc_id)
        if tags:
            out["Tags"] = wire_tags(tags)
        return out

    @operation("CreateVpc")
    def create_vpc(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        _not_simulated(p, _UNSIMULATED_VPC, "CreateVpc")
        cidr = p.get("CidrBlock")
        if cidr is None:
            raise MissingParameter("Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided.")
        net = parse_cidr(cidr, InvalidVpcRange)
        tenancy = p.get("InstanceTenancy") or "default"
        if tenancy not in ("default", "dedicated"):
            raise InvalidParameterValue(
                f"Value ({tenancy}) for parameter instanceTenancy is invalid."
            )
        tags = self.tag_spec(p.get("TagSpecifications"), "vpc")
        st = self.state(ctx.account_id, ctx.region)
        if st.dhcp_options_id is None:
            st.dhcp_options_id = self.new_id("dopt")
        vpc = Vpc(self.new_id("vpc"), str(net), self.new_id("vpc-cidr-assoc"), tenancy)
        st.vpcs[vpc.vpc_id] = vpc
        if tags:
            st.tags[vpc.vpc_id] = tags
        # A new VPC is reported "pending" by CreateVpc and "available" once described.
        return {"Vpc": self.vpc_out(ctx, vpc, state="pending")}

    @operation("DescribeVpcs", read_only=True)
    def describe_vpcs(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        st = self.state(ctx.account_id, ctx.region)
        ids = p.get("VpcIds")
        vpcs = [self.vpc(ctx, i) for i in ids] if ids else list(st.vpcs.values())
        getters: dict[str, Any] = {
            "vpc-id": lambda v: [v.vpc_id],
            "cidr": lambda v: [v.cidr_block],
            "cidr-block-association.cidr-block": lambda v: [v.cidr_block],
            "cidr-block-association.association-id": lambda v: [v.association_id],
            "cidr-block-association.state": lambda v: ["associated"],
            "state": lambda v: [v.state],
            "is-default": lambda v: ["false"],
            "owner-id": lambda v: [ctx.account_id],
            "dhcp-options-id": lambda v: [st.dhcp_options_id],
        }
        found = apply_filters(vpcs, p.get("Filters"), getters, lambda v: st.tags.get(v.vpc_id, {}))
        shown, token = page(found, p)
        out: dict[str, Any] = {"Vpcs": [self.vpc_out(ctx, v) for v in shown]}
        if token:
            out["NextToken"] = token
        return out

    @operation("DeleteVpc")
    def delete_vpc(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        vpc = self.vpc(ctx, p.get("VpcId") or "")
        st = self.state(ctx.account_id, ctx.region)
        if any(s.vpc_id == vpc.vpc_id for s in st.subnets.values()):
            raise DependencyViolation(
                f"The vpc '{vpc.vpc_id}' has dependencies and cannot be deleted."
            )
        del st.vpcs[vpc.vpc_id]
        st.tags.pop(vpc.vpc_id, None)
        return {}

    # -- subnets ----------------------------------------------------------------------------
    def subnet(self, ctx: RequestContext, subnet_id: str) -> Subnet:
        check_id("subnet", subnet_id)
        found = self.state(ctx.account_id, ctx.region).subnets.get(subnet_id)
        if found is None:
            raise InvalidSubnetIDNotFound(f"The subnet ID '{subnet_id}' does not exist")
        return found

    def subnet_out(self, ctx: RequestContext, s: Subnet) -> dict[str, Any]:
        size = ipaddress.IPv4Network(s.cidr_block).num_addresses
        out: dict[str, Any] = {
            "SubnetId": s.subnet_id,
            "SubnetArn": f"arn:aws:ec2:{ctx.region}:{ctx.account_id}:subnet/{s.subnet_id}",
            "VpcId": s.vpc_id,
            "OwnerId": ctx.account_id,
            "State": s.state,
            "CidrBlock": s.cidr_block,
            "AvailabilityZone": s.availability_zone,
            "AvailabilityZoneId": s.availability_zone_id,
            "AvailableIpAddressCount": size - RESERVED_PER_SUBNET,
            "DefaultForAz": False,
            "MapPublicIpOnLaunch": False,
            "MapCustomerOwnedIpOnLaunch": False,
            "AssignIpv6AddressOnCreation": False,
            "Ipv6CidrBlockAssociationSet": [],
            "Ipv6Native": False,
            "EnableDns64": False,
            "PrivateDnsNameOptionsOnLaunch": {
                "HostnameType": "ip-name",
                "EnableResourceNameDnsARecord": False,
                "EnableResourceNameDnsAAAARecord": False,
            },
        }
        tags = self.tags(ctx, s.subnet_id)
        if tags:
            out["Tags"] = wire_tags(tags)
        return out

    def _zone(self, ctx: RequestContext, p: dict[str, Any]) -> catalog.Zone:
        zones = catalog.zones(ctx.region)
        name, zone_id = p.get("AvailabilityZone"), p.get("AvailabilityZoneId")
        if name is None and zone_id is None:
            return zones[self.env.ids.bytes(1)[0] % len(zones)]  # AWS picks one for you
        for z in zones:
            if (name is None or z.name == name) and (zone_id is None or z.zone_id == zone_id):
                return z
        shown = name if name is not None else zone_id
        param = "availabilityZone" if name is not None else "availabilityZoneId"
        raise InvalidParameterValue(
            f"Value ({shown}) for parameter {param} is invalid. Subnets can currently only be "
            f"created in the following availability zones: {', '.join(z.name for z in zones)}."
        )

    @operation("CreateSubnet")
    def create_subnet(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        _not_simulated(p, _UNSIMULATED_SUBNET, "CreateSubnet")
        vpc = self.vpc(ctx, p.get("VpcId") or "")
        cidr = p.get("CidrBlock")
        if cidr is None:
            raise MissingParameter("The request must contain the parameter cidrBlock")
        net = parse_cidr(cidr, InvalidSubnetRange)
        if not net.subnet_of(ipaddress.IPv4Network(vpc.cidr_block)):
            raise InvalidSubnetRange(f"The CIDR '{cidr}' is invalid.")
        st = self.state(ctx.account_id, ctx.region)
        for other in st.subnets.values():
            if other.vpc_id == vpc.vpc_id and net.overlaps(ipaddress.IPv4Network(other.cidr_block)):
                raise InvalidSubnetConflict(f"The CIDR '{cidr}' conflicts with another subnet")
        tags = self.tag_spec(p.get("TagSpecifications"), "subnet")
        zone = self._zone(ctx, p)
        subnet = Subnet(self.new_id("subnet"), vpc.vpc_id, str(net), zone.name, zone.zone_id)
        st.subnets[subnet.subnet_id] = subnet
        if tags:
            st.tags[subnet.subnet_id] = tags
        return {"Subnet": self.subnet_out(ctx, subnet)}

    @operation("DescribeSubnets", read_only=True)
    def describe_subnets(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        st = self.state(ctx.account_id, ctx.region)
        ids = p.get("SubnetIds")
        subnets = [self.subnet(ctx, i) for i in ids] if ids else list(st.subnets.values())
        getters: dict[str, Any] = {
            "subnet-id": lambda s: [s.subnet_id],
            "vpc-id": lambda s: [s.vpc_id],
            "availability-zone": lambda s: [s.availability_zone],
            "availability-zone-id": lambda s: [s.availability_zone_id],
            "cidr-block": lambda s: [s.cidr_block],
            "cidr": lambda s: [s.cidr_block],
            "cidrBlock": lambda s: [s.cidr_block],
            "state": lambda s: [s.state],
            "default-for-az": lambda s: [bool_text(False)],
            "owner-id": lambda s: [ctx.account_id],
            "subnet-arn": lambda s: [self.subnet_out(ctx, s)["SubnetArn"]],
        }
        found = apply_filters(
            subnets, p.get("Filters"), getters, lambda s: st.tags.get(s.subnet_id, {})
        )
        shown, token = page(found, p)
        out: dict[str, Any] = {"Subnets": [self.subnet_out(ctx, s) for s in shown]}
        if token:
            out["NextToken"] = token
        return out

    @operation("DeleteSubnet")
    def delete_subnet(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        subnet = self.subnet(ctx, p.get("SubnetId") or "")
        st = self.state(ctx.account_id, ctx.region)
        del st.subnets[subnet.subnet_id]
        st.tags.pop(subnet.subnet_id, None)
        return {}
