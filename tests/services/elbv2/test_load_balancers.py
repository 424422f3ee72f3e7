"""CreateLoadBalancer, DescribeLoadBalancers, DeleteLoadBalancer: happy paths, the documented
rules and errors, and the provisioning -> active transition on the virtual clock."""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

import pytest
from botocore.exceptions import ClientError

from simulator import Cloud
from tests.conftest import error_code, error_message
from tests.services.elbv2.conftest import Network, make_alb, make_network


def _raises(code: str, fn: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as exc:
        fn(*args, **kwargs)
    assert error_code(exc) == code, error_message(exc)
    return error_message(exc)


def test_create_application_load_balancer(cloud: Cloud, elbv2_any: Any, net: Network) -> None:
    lb = make_alb(elbv2_any, net, "web")
    account = cloud.default_account.account_id
    assert re.fullmatch(
        rf"arn:aws:elasticloadbalancing:us-east-1:{account}:loadbalancer/app/web/[0-9a-f]{{16}}",
        lb["LoadBalancerArn"],
    )
    assert re.fullmatch(r"web-\d{10}\.us-east-1\.elb\.amazonaws\.com", lb["DNSName"])
    assert lb["CanonicalHostedZoneId"] == "Z35SXDOTRQ7X7K"  # General Reference, us-east-1 ALB
    assert lb["Type"] == "application"
    assert lb["Scheme"] == "internet-facing"
    assert lb["IpAddressType"] == "ipv4"
    assert lb["VpcId"] == net.vpc_id
    assert lb["State"] == {"Code": "provisioning"}
    assert lb["SecurityGroups"] == []
    assert [(z["ZoneName"], z["SubnetId"]) for z in lb["AvailabilityZones"]] == [
        ("us-east-1a", net.subnets[0]),
        ("us-east-1b", net.subnets[1]),
    ]
    assert lb["CreatedTime"] == cloud.clock.now()


def test_provisioning_becomes_active_on_the_clock(
    cloud: Cloud, elbv2_any: Any, net: Network
) -> None:
    arn = make_alb(elbv2_any, net)["LoadBalancerArn"]
    cloud.clock.advance(minutes=2)
    got = elbv2_any.describe_load_balancers(LoadBalancerArns=[arn])["LoadBalancers"][0]
    assert got["State"]["Code"] == "provisioning"
    cloud.clock.advance(minutes=1)
    got = elbv2_any.describe_load_balancers(LoadBalancerArns=[arn])["LoadBalancers"][0]
    assert got["State"]["Code"] == "active"


def test_internal_network_load_balancer(elbv2: Any, net: Network) -> None:
    lb = elbv2.create_load_balancer(
        Name="inner",
        Type="network",
        Scheme="internal",
        SubnetMappings=[{"SubnetId": net.subnets[2]}],  # one AZ is enough for an NLB
    )["LoadBalancers"][0]
    assert ":loadbalancer/net/inner/" in lb["LoadBalancerArn"]
    assert lb["DNSName"].startswith("internal-inner-")
    assert lb["CanonicalHostedZoneId"] == "Z26RNL4JYFTOTI"
    assert lb["Scheme"] == "internal"
    assert [z["ZoneName"] for z in lb["AvailabilityZones"]] == ["us-east-1c"]


def test_same_name_same_settings_is_idempotent(elbv2_any: Any, net: Network) -> None:
    first = make_alb(elbv2_any, net, "twin")
    again = make_alb(elbv2_any, net, "twin")
    assert again["LoadBalancerArn"] == first["LoadBalancerArn"]
    assert len(elbv2_any.describe_load_balancers()["LoadBalancers"]) == 1
    msg = _raises(
        "DuplicateLoadBalancerName",
        elbv2_any.create_load_balancer,
        Name="twin",
        Subnets=net.subnets[:2],
        Scheme="internal",
    )
    assert "twin" in msg


@pytest.mark.parametrize("name", ["-web", "web-", "a" * 33, "internal-web", "web_1", "wéb"])
def test_name_rules(elbv2: Any, net: Network, name: str) -> None:
    _raises("ValidationError", elbv2.create_load_balancer, Name=name, Subnets=net.subnets[:2])


def test_subnet_rules(cloud: Cloud, elbv2_any: Any, net: Network) -> None:
    create = elbv2_any.create_load_balancer
    assert "subnet-0000000000000000a" in _raises(
        "SubnetNotFound", create, Name="x", Subnets=[net.subnets[0], "subnet-0000000000000000a"]
    )
    _raises("InvalidConfigurationRequest", create, Name="x", Subnets=net.subnets[:1])
    _raises(
        "InvalidConfigurationRequest", create, Name="x", Subnets=[net.subnets[1], net.other_subnet]
    )
    ec2 = cloud.client("ec2", region_name="us-east-1")
    twin = ec2.create_subnet(
        VpcId=net.vpc_id, CidrBlock="10.0.9.0/24", AvailabilityZone="us-east-1a"
    )
    same_az = [net.subnets[0], twin["Subnet"]["SubnetId"]]
    _raises("InvalidConfigurationRequest", create, Name="x", Subnets=same_az)
    _raises(
        "ValidationError",
        create,
        Name="x",
        Subnets=net.subnets[:2],
        SubnetMappings=[{"SubnetId": net.subnets[2]}],
    )
    _raises("ValidationError", create, Name="x")
    assert elbv2_any.describe_load_balancers()["LoadBalancers"] == []


def test_subnets_of_another_region_are_not_found(cloud: Cloud, elbv2: Any) -> None:
    west = make_network(cloud, "us-west-2")
    _raises("SubnetNotFound", elbv2.create_load_balancer, Name="x", Subnets=west.subnets[:2])


def test_security_groups_eips_and_address_types(elbv2: Any, net: Network) -> None:
    create = elbv2.create_load_balancer
    assert "sg-0123456789abcdef0" in _raises(
        "InvalidSecurityGroup",
        create,
        Name="x",
        Subnets=net.subnets[:2],
        SecurityGroups=["sg-0123456789abcdef0"],
    )
    eip = [{"SubnetId": s, "AllocationId": "eipalloc-1"} for s in net.subnets[:2]]
    _raises("InvalidConfigurationRequest", create, Name="x", SubnetMappings=eip)
    _raises("AllocationIdNotFound", create, Name="x", Type="network", SubnetMappings=eip[:1])
    _raises(
        "InvalidConfigurationRequest",
        create,
        Name="x",
        Subnets=net.subnets[:2],
        Scheme="internal",
        IpAddressType="dualstack",
    )
    _raises("NotSimulatedException", create, Name="x", Type="gateway", Subnets=net.subnets[:1])


def test_load_balancer_quota(cloud: Cloud, elbv2: Any, net: Network) -> None:
    account = cloud.default_account.account_id
    cloud.quotas.adjust(account, "application_load_balancers", 2, service="elbv2")
    make_alb(elbv2, net, "one")
    make_alb(elbv2, net, "two")
    _raises(
        "TooManyLoadBalancers", elbv2.create_load_balancer, Name="three", Subnets=net.subnets[:2]
    )
    # network load balancers have their own quota
    elbv2.create_load_balancer(Name="nlb", Type="network", Subnets=net.subnets[:1])


def test_describe_by_name_arn_and_pages(elbv2_any: Any, net: Network) -> None:
    arns = [make_alb(elbv2_any, net, f"lb{i}")["LoadBalancerArn"] for i in range(5)]
    names = elbv2_any.describe_load_balancers(Names=["lb3", "lb1"])["LoadBalancers"]
    assert [lb["LoadBalancerName"] for lb in names] == ["lb3", "lb1"]
    one = elbv2_any.describe_load_balancers(LoadBalancerArns=[arns[2]])["LoadBalancers"]
    assert [lb["LoadBalancerArn"] for lb in one] == [arns[2]]
    first = elbv2_any.describe_load_balancers(PageSize=2)
    assert len(first["LoadBalancers"]) == 2
    seen = [lb["LoadBalancerArn"] for lb in first["LoadBalancers"]]
    marker = first["NextMarker"]
    while marker:
        out = elbv2_any.describe_load_balancers(PageSize=2, Marker=marker)
        seen += [lb["LoadBalancerArn"] for lb in out["LoadBalancers"]]
        marker = out.get("NextMarker")
    assert seen == arns
    pager = elbv2_any.get_paginator("describe_load_balancers")
    assert sum(len(p["LoadBalancers"]) for p in pager.paginate(PageSize=3)) == 5
    _raises("LoadBalancerNotFound", elbv2_any.describe_load_balancers, Names=["nope"])
    _raises(
        "LoadBalancerNotFound",
        elbv2_any.describe_load_balancers,
        LoadBalancerArns=[arns[0].replace(arns[0][-16:], "0" * 16)],
    )
    _raises("ValidationError", elbv2_any.describe_load_balancers, Marker="garbage")


def test_delete_is_idempotent_and_cancels_activation(
    cloud: Cloud, elbv2_any: Any, net: Network
) -> None:
    arn = make_alb(elbv2_any, net)["LoadBalancerArn"]
    elbv2_any.delete_load_balancer(LoadBalancerArn=arn)
    elbv2_any.delete_load_balancer(LoadBalancerArn=arn)  # "the call succeeds"
    assert elbv2_any.describe_load_balancers()["LoadBalancers"] == []
    assert not [j for j in cloud.scheduler.pending() if j.kind.startswith("elbv2.")]
    cloud.clock.advance(minutes=5)
    _raises("LoadBalancerNotFound", elbv2_any.describe_load_balancers, LoadBalancerArns=[arn])


def test_created_time_follows_the_clock(cloud: Cloud, elbv2: Any, net: Network) -> None:
    cloud.clock.advance(days=3)
    lb = make_alb(elbv2, net)
    assert lb["CreatedTime"] == cloud.clock.now()
    assert cloud.clock.now() - _dt.timedelta(days=3) < lb["CreatedTime"]
