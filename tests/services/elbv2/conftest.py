"""ELBv2 clients over both transports, a VPC with subnets in three Availability Zones, and
ACM certificates provided through the certificate hook (so these tests do not need ACM)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from simulator import Cloud
from simulator.core.certificates import CertificateInfo
from tests.conftest import TRANSPORTS, both_transports

REGION = "us-east-1"


@dataclass
class Network:
    vpc_id: str
    subnets: list[str]  # us-east-1a, 1b, 1c
    other_vpc_id: str
    other_subnet: str  # in other_vpc_id, us-east-1a


@dataclass
class Certs:
    """ACM as the certificate hook sees it: ARN -> status, per account and Region."""

    account: str
    region: str
    status: dict[str, str] = field(default_factory=dict)

    def arn(self, name: str, status: str = "ISSUED") -> str:
        arn = f"arn:aws:acm:{self.region}:{self.account}:certificate/{name}"
        self.status[arn] = status
        return arn

    def lookup(self, account: str, region: str, arn: str) -> CertificateInfo | None:
        status = self.status.get(arn)
        if status is None or account != self.account or region != self.region:
            return None
        return CertificateInfo(arn, status, "RSA_2048", "AMAZON_ISSUED")


@pytest.fixture
def elbv2(cloud: Cloud) -> Any:
    return cloud.client("elbv2", region_name=REGION)


@pytest.fixture(params=TRANSPORTS)
def elbv2_any(request: pytest.FixtureRequest, cloud: Cloud) -> Iterator[Any]:
    """The same ELBv2 API over the botocore hook and over real HTTP."""
    yield from both_transports(request, cloud, "elbv2", REGION)


@pytest.fixture
def net(cloud: Cloud) -> Network:
    return make_network(cloud, REGION)


def make_network(cloud: Cloud, region: str) -> Network:
    ec2 = cloud.client("ec2", region_name=region)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{region}{z}")[
            "Subnet"
        ]["SubnetId"]
        for i, z in enumerate("abc", start=1)
    ]
    other = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    other_subnet = ec2.create_subnet(
        VpcId=other, CidrBlock="10.1.1.0/24", AvailabilityZone=f"{region}a"
    )["Subnet"]["SubnetId"]
    return Network(vpc, subnets, other, other_subnet)


@pytest.fixture
def certs(cloud: Cloud) -> Certs:
    provided = Certs(cloud.default_account.account_id, REGION)
    cloud._env.certificate_usage.provide(provided.lookup)
    return provided


def make_alb(client: Any, net: Network, name: str = "web", **kwargs: Any) -> dict[str, Any]:
    lb = client.create_load_balancer(Name=name, Subnets=net.subnets[:2], **kwargs)
    return dict(lb["LoadBalancers"][0])


def make_tg(client: Any, net: Network, name: str = "app", **kwargs: Any) -> dict[str, Any]:
    args: dict[str, Any] = {"Protocol": "HTTP", "Port": 80, "VpcId": net.vpc_id, **kwargs}
    return dict(client.create_target_group(Name=name, **args)["TargetGroups"][0])


def forward(tg_arn: str) -> list[dict[str, Any]]:
    return [{"Type": "forward", "TargetGroupArn": tg_arn}]


def make_https(client: Any, lb_arn: str, tg_arn: str, cert: str, port: int = 443) -> str:
    out = client.create_listener(
        LoadBalancerArn=lb_arn,
        Protocol="HTTPS",
        Port=port,
        Certificates=[{"CertificateArn": cert}],
        DefaultActions=forward(tg_arn),
    )
    return str(out["Listeners"][0]["ListenerArn"])
