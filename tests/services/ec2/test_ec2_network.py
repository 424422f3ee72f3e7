"""EC2 Regions, Availability Zones, VPCs and subnets: happy paths and EC2's error codes."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from simulator import Cloud
from simulator.services.ec2 import catalog
from tests.conftest import error_code, error_message


def _raises(code: str, fn: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as exc:
        fn(**kwargs)
    assert error_code(exc) == code, error_message(exc)
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    return error_message(exc)


def test_describe_regions_lists_botocore_regions_with_endpoints(ec2: Any) -> None:
    regions = ec2.describe_regions()["Regions"]
    assert [r["RegionName"] for r in regions] == list(catalog.regions())
    by_name = {r["RegionName"]: r for r in regions}
    assert by_name["eu-west-1"] == {
        "RegionName": "eu-west-1",
        "Endpoint": "ec2.eu-west-1.amazonaws.com",
        "OptInStatus": "opt-in-not-required",
    }
    assert by_name["af-south-1"]["OptInStatus"] == "opted-in"
    one = ec2.describe_regions(RegionNames=["ap-south-1"])["Regions"]
    assert [r["Endpoint"] for r in one] == ["ec2.ap-south-1.amazonaws.com"]
    eu = ec2.describe_regions(Filters=[{"Name": "region-name", "Values": ["eu-west-*"]}])
    assert [r["RegionName"] for r in eu["Regions"]] == ["eu-west-1", "eu-west-2", "eu-west-3"]
    assert "us-nowhere-1" in _raises(
        "InvalidParameterValue", ec2.describe_regions, RegionNames=["us-nowhere-1"]
    )
    assert "'colour'" in _raises(
        "InvalidParameterValue", ec2.describe_regions, Filters=[{"Name": "colour", "Values": ["x"]}]
    )


def test_describe_availability_zones_gives_three_zones_of_the_clients_region(ec2: Any) -> None:
    zones = ec2.describe_availability_zones()["AvailabilityZones"]
    assert [(z["ZoneName"], z["ZoneId"]) for z in zones] == [
        ("us-east-1a", "use1-az1"),
        ("us-east-1b", "use1-az2"),
        ("us-east-1c", "use1-az3"),
    ]
    assert {z["State"] for z in zones} == {"available"}
    assert {z["RegionName"] for z in zones} == {"us-east-1"}
    picked = ec2.describe_availability_zones(ZoneIds=["use1-az2"])["AvailabilityZones"]
    assert [z["ZoneName"] for z in picked] == ["us-east-1b"]
    filt = [{"Name": "zone-name", "Values": ["us-east-1c"]}]
    assert len(ec2.describe_availability_zones(Filters=filt)["AvailabilityZones"]) == 1
    _raises("InvalidParameterValue", ec2.describe_availability_zones, ZoneNames=["eu-west-1a"])


def test_zone_ids_use_the_region_code() -> None:
    assert catalog.region_code("ap-southeast-2") == "apse2"
    assert catalog.zones("eu-west-1")[0].zone_id == "euw1-az1"
    assert catalog.zones("ca-central-1")[2].zone_id == "cac1-az3"


def test_create_describe_and_delete_a_vpc(ec2: Any, cloud: Cloud) -> None:
    tag_spec = [{"ResourceType": "vpc", "Tags": [{"Key": "Name", "Value": "lab"}]}]
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16", TagSpecifications=tag_spec)["Vpc"]
    vpc_id = vpc["VpcId"]
    assert vpc_id.startswith("vpc-0") and len(vpc_id) == 21
    assert vpc["State"] == "pending"
    assert vpc["CidrBlock"] == "10.0.0.0/16"
    assert vpc["OwnerId"] == cloud.default_account.account_id
    assert vpc["IsDefault"] is False
    assert vpc["Tags"] == [{"Key": "Name", "Value": "lab"}]
    assert vpc["CidrBlockAssociationSet"][0]["CidrBlockState"] == {"State": "associated"}
    other = ec2.create_vpc(CidrBlock="192.168.0.0/28")["Vpc"]
    described = ec2.describe_vpcs()["Vpcs"]
    assert [v["VpcId"] for v in described] == [vpc_id, other["VpcId"]]
    assert described[0]["State"] == "available"
    assert described[0]["DhcpOptionsId"] == described[1]["DhcpOptionsId"]
    for name, value in (
        ("vpc-id", vpc_id),
        ("cidr", "10.0.0.0/16"),
        ("tag:Name", "l?b"),
        ("state", "available"),
    ):
        found = ec2.describe_vpcs(Filters=[{"Name": name, "Values": [value]}])["Vpcs"]
        if name == "state":
            assert len(found) == 2
        else:
            assert [v["VpcId"] for v in found] == [vpc_id], name
    assert ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["prod"]}])["Vpcs"] == []
    assert [v["VpcId"] for v in ec2.describe_vpcs(VpcIds=[other["VpcId"]])["Vpcs"]] == [
        other["VpcId"]
    ]
    first = ec2.describe_vpcs(MaxResults=5)
    assert len(first["Vpcs"]) == 2 and "NextToken" not in first
    ec2.delete_vpc(VpcId=vpc_id)
    assert [v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"]] == [other["VpcId"]]
    assert "does not exist" in _raises("InvalidVpcID.NotFound", ec2.delete_vpc, VpcId=vpc_id)
    assert ec2.describe_tags()["Tags"] == []  # the VPC's tags went with it


@pytest.mark.parametrize(
    ("cidr", "code"),
    [
        ("10.0.0.0/8", "InvalidVpc.Range"),
        ("10.0.0.0/15", "InvalidVpc.Range"),
        ("10.0.0.0/29", "InvalidVpc.Range"),
        ("192.168.0.0/8", "InvalidVpc.Range"),
        ("10.0.0.0", "InvalidParameterValue"),
        ("10.0.0.0/255.255.0.0", "InvalidParameterValue"),
        ("10.0.0.1/16", "InvalidParameterValue"),
        ("10.0.0.0/33", "InvalidParameterValue"),
        ("not-a-cidr", "InvalidParameterValue"),
    ],
)
def test_create_vpc_validates_the_cidr_block(cloud: Cloud, cidr: str, code: str) -> None:
    ec2 = cloud.client("ec2")
    msg = _raises(code, ec2.create_vpc, CidrBlock=cidr)
    assert cidr in msg
    assert ec2.describe_vpcs()["Vpcs"] == []


def test_create_vpc_other_errors(ec2: Any) -> None:
    _raises("MissingParameter", ec2.create_vpc)
    _raises("InvalidParameterValue", ec2.create_vpc, CidrBlock="10.0.0.0/16", InstanceTenancy="x")
    bad_spec = [{"ResourceType": "subnet", "Tags": [{"Key": "a", "Value": "b"}]}]
    _raises("InvalidParameterValue", ec2.create_vpc, CidrBlock="10.0.0.0/16",
            TagSpecifications=bad_spec)  # fmt: skip
    with pytest.raises(ClientError) as exc:
        ec2.create_vpc(CidrBlock="10.0.0.0/16", AmazonProvidedIpv6CidrBlock=True)
    assert error_code(exc) == "NotSimulatedException"
    with pytest.raises(ClientError) as exc:
        ec2.create_vpc(CidrBlock="10.0.0.0/16", DryRun=True)
    assert error_code(exc) == "DryRunOperation"
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412
    assert ec2.describe_vpcs()["Vpcs"] == []
    _raises("InvalidVpcID.Malformed", ec2.describe_vpcs, VpcIds=["vpc-xyz"])
    _raises("InvalidVpcID.NotFound", ec2.describe_vpcs, VpcIds=["vpc-0123456789abcdef0"])


def test_subnets_live_inside_their_vpc(ec2: Any) -> None:
    vpc_id = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    a = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.1.0.0/24", AvailabilityZone="us-east-1a")
    sub = a["Subnet"]
    assert sub["SubnetId"].startswith("subnet-0") and len(sub["SubnetId"]) == 24
    assert sub["VpcId"] == vpc_id
    assert sub["AvailabilityZone"] == "us-east-1a"
    assert sub["AvailabilityZoneId"] == "use1-az1"
    assert sub["AvailableIpAddressCount"] == 256 - 5
    assert sub["State"] == "available"
    assert sub["SubnetArn"].endswith(f":subnet/{sub['SubnetId']}")
    small = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.1.1.0/28", AvailabilityZoneId="use1-az3")
    assert small["Subnet"]["AvailableIpAddressCount"] == 11
    assert small["Subnet"]["AvailabilityZone"] == "us-east-1c"
    anywhere = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.1.2.0/24")["Subnet"]
    assert anywhere["AvailabilityZone"] in {"us-east-1a", "us-east-1b", "us-east-1c"}

    listed = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]
    assert len(listed) == 3
    in_a = ec2.describe_subnets(Filters=[{"Name": "availability-zone", "Values": ["us-east-1a"]}])
    assert sub["SubnetId"] in [s["SubnetId"] for s in in_a["Subnets"]]
    by_id = ec2.describe_subnets(
        Filters=[{"Name": "subnet-id", "Values": [small["Subnet"]["SubnetId"]]}]
    )["Subnets"]
    assert [s["CidrBlock"] for s in by_id] == ["10.1.1.0/28"]
    assert len(ec2.describe_subnets(SubnetIds=[sub["SubnetId"]])["Subnets"]) == 1
    paged = ec2.describe_subnets(MaxResults=5)
    assert len(paged["Subnets"]) == 3

    msg = _raises("DependencyViolation", ec2.delete_vpc, VpcId=vpc_id)
    assert vpc_id in msg
    for s in listed:
        ec2.delete_subnet(SubnetId=s["SubnetId"])
    assert ec2.describe_subnets()["Subnets"] == []
    ec2.delete_vpc(VpcId=vpc_id)


def test_create_subnet_errors(ec2: Any) -> None:
    vpc_id = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.2.0.0/24", AvailabilityZone="us-east-1b")
    missing = "vpc-0123456789abcdef0"
    assert missing in _raises(
        "InvalidVpcID.NotFound", ec2.create_subnet, VpcId=missing, CidrBlock="10.2.1.0/24"
    )
    _raises("InvalidSubnet.Range", ec2.create_subnet, VpcId=vpc_id, CidrBlock="10.3.0.0/24")
    _raises("InvalidSubnet.Range", ec2.create_subnet, VpcId=vpc_id, CidrBlock="10.2.0.0/29")
    msg = _raises("InvalidSubnet.Conflict", ec2.create_subnet, VpcId=vpc_id,
                  CidrBlock="10.2.0.128/25")  # fmt: skip
    assert msg == "The CIDR '10.2.0.128/25' conflicts with another subnet"
    _raises("InvalidParameterValue", ec2.create_subnet, VpcId=vpc_id, CidrBlock="10.2.300.0/24")
    msg = _raises("InvalidParameterValue", ec2.create_subnet, VpcId=vpc_id,
                  CidrBlock="10.2.1.0/24", AvailabilityZone="eu-west-1a")  # fmt: skip
    assert "us-east-1a, us-east-1b, us-east-1c" in msg
    _raises("MissingParameter", ec2.create_subnet, VpcId=vpc_id)
    assert len(ec2.describe_subnets()["Subnets"]) == 1  # nothing was created by the failures
    _raises("InvalidSubnetID.NotFound", ec2.delete_subnet, SubnetId="subnet-0123456789abcdef0")
    _raises("InvalidSubnetID.Malformed", ec2.delete_subnet, SubnetId="subnet-nope")
    _raises("InvalidSubnetID.NotFound", ec2.describe_subnets, SubnetIds=["subnet-12345678"])


def test_subnets_with_the_same_cidr_in_different_vpcs_do_not_conflict(cloud: Cloud) -> None:
    ec2 = cloud.client("ec2")
    one = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    two = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    ec2.create_subnet(VpcId=one, CidrBlock="10.0.0.0/16")
    ec2.create_subnet(VpcId=two, CidrBlock="10.0.0.0/16")
    assert len(ec2.describe_subnets()["Subnets"]) == 2


def test_state_is_per_region_and_account(cloud: Cloud) -> None:
    east = cloud.client("ec2", region_name="us-east-1")
    west = cloud.client("ec2", region_name="eu-west-1")
    vpc_id = east.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    assert west.describe_vpcs()["Vpcs"] == []
    _raises("InvalidVpcID.NotFound", west.create_subnet, VpcId=vpc_id, CidrBlock="10.0.0.0/24")
    sub = west.create_subnet(
        VpcId=west.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"], CidrBlock="10.0.0.0/24",
        AvailabilityZone="eu-west-1b",
    )["Subnet"]  # fmt: skip
    assert sub["AvailabilityZoneId"] == "euw1-az2"
    other = cloud.create_account()
    theirs = cloud.client("ec2", account_id=other.account_id)
    assert theirs.describe_vpcs()["Vpcs"] == []


def test_vpcs_and_subnets_survive_a_snapshot(cloud: Cloud, tmp_path: Any) -> None:
    ec2 = cloud.client("ec2")
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.3.0/24", AvailabilityZone="us-east-1c")
    ec2.create_tags(Resources=[vpc_id], Tags=[{"Key": "env", "Value": "lab"}])
    before = (ec2.describe_vpcs()["Vpcs"], ec2.describe_subnets()["Subnets"])
    loaded = Cloud.load(cloud.save(tmp_path / "ec2.json"))
    again = loaded.client("ec2")
    assert (again.describe_vpcs()["Vpcs"], again.describe_subnets()["Subnets"]) == before
    assert loaded.service("ec2").dump() == cloud.service("ec2").dump()


def test_calls_are_recorded_in_the_trail_with_ec2_codes(cloud: Cloud) -> None:
    ec2 = cloud.client("ec2")
    ec2.create_vpc(CidrBlock="10.0.0.0/16")
    _raises("InvalidVpcID.NotFound", ec2.delete_vpc, VpcId="vpc-0123456789abcdef0")
    ok, failed = cloud.trail.records[-2:]
    assert (ok["eventSource"], ok["eventName"]) == ("ec2.amazonaws.com", "CreateVpc")
    assert "errorCode" not in ok or ok["errorCode"] is None
    assert (failed["eventName"], failed["errorCode"]) == ("DeleteVpc", "InvalidVpcID.NotFound")
