"""EC2 images (the built-in catalog and the learner's own AMIs) and tags."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from simulator import Cloud
from simulator.services.ec2 import catalog
from simulator.services.ec2.service import Ec2Service
from tests.conftest import error_code, error_message


def _raises(code: str, fn: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as exc:
        fn(**kwargs)
    assert error_code(exc) == code, error_message(exc)
    return error_message(exc)


def _ec2(cloud: Cloud) -> Ec2Service:
    svc = cloud.service("ec2")
    assert isinstance(svc, Ec2Service)
    return svc


def test_catalog_images_are_public_and_ids_differ_per_region(cloud: Cloud) -> None:
    east = cloud.client("ec2", region_name="us-east-1").describe_images()["Images"]
    west = cloud.client("ec2", region_name="eu-west-1").describe_images()["Images"]
    assert (
        [i["Name"] for i in east] == [i["Name"] for i in west] == [c.name for c in catalog.CATALOG]
    )
    assert all(i["ImageId"].startswith("ami-0") and len(i["ImageId"]) == 21 for i in east)
    assert {i["ImageId"] for i in east}.isdisjoint({i["ImageId"] for i in west})
    again = Cloud(seed=99).client("ec2").describe_images()["Images"]
    assert [i["ImageId"] for i in again] == [i["ImageId"] for i in east]  # not seed-dependent
    assert {i["State"] for i in east} == {"available"}
    assert all(i["Public"] for i in east)


def test_describe_images_filters_and_owners(ec2: Any) -> None:
    al = ec2.describe_images(
        Owners=["amazon"],
        Filters=[
            {"Name": "name", "Values": ["al2023-ami-*"]},
            {"Name": "architecture", "Values": ["arm64"]},
        ],
    )["Images"]
    assert len(al) == 1
    assert al[0]["OwnerId"] == "137112412989"
    assert al[0]["ImageOwnerAlias"] == "amazon"
    assert al[0]["Name"].endswith("-arm64")
    assert al[0]["CreationDate"].endswith("Z")
    ubuntu = ec2.describe_images(Owners=["099720109477"])["Images"]
    assert {i["Architecture"] for i in ubuntu} == {"x86_64", "arm64"}
    assert all("ubuntu-noble-24.04" in i["Name"] and "ImageOwnerAlias" not in i for i in ubuntu)
    windows = ec2.describe_images(Filters=[{"Name": "platform", "Values": ["windows"]}])["Images"]
    assert [i["Name"] for i in windows] == ["Windows_Server-2022-English-Full-Base-2024.11.13"]
    assert windows[0]["PlatformDetails"] == "Windows"
    amazon = ec2.describe_images(Filters=[{"Name": "owner-alias", "Values": ["amazon"]}])["Images"]
    assert len(amazon) == 3
    assert ec2.describe_images(Owners=["self"])["Images"] == []
    by_id = ec2.describe_images(ImageIds=[al[0]["ImageId"]])["Images"]
    assert [i["Name"] for i in by_id] == [al[0]["Name"]]
    _raises("InvalidParameterValue", ec2.describe_images,
            Filters=[{"Name": "flavour", "Values": ["x"]}])  # fmt: skip


def test_describe_images_id_errors(ec2: Any) -> None:
    msg = _raises("InvalidAMIID.NotFound", ec2.describe_images, ImageIds=["ami-0123456789abcdef0"])
    assert "ami-0123456789abcdef0" in msg
    msg = _raises("InvalidAMIID.Malformed", ec2.describe_images, ImageIds=["ami-zzz"])
    assert "ami-zzz" in msg
    _raises("InvalidAMIID.Malformed", ec2.describe_images, ImageIds=["vpc-12345678"])


def test_register_describe_and_deregister_own_images(ec2: Any, cloud: Cloud) -> None:
    account = cloud.default_account.account_id
    spec = [{"ResourceType": "image", "Tags": [{"Key": "stage", "Value": "golden"}]}]
    image_id = ec2.register_image(
        Name="golden (v1)", Architecture="arm64", Description="mine", TagSpecifications=spec,
        RootDeviceName="/dev/xvda",
    )["ImageId"]  # fmt: skip
    assert image_id.startswith("ami-0") and len(image_id) == 21
    mine = ec2.describe_images(Owners=["self"])["Images"]
    assert len(mine) == 1
    img = mine[0]
    assert (img["ImageId"], img["OwnerId"], img["Name"]) == (image_id, account, "golden (v1)")
    assert (img["Architecture"], img["State"], img["Public"]) == ("arm64", "available", False)
    assert img["Description"] == "mine"
    assert img["Tags"] == [{"Key": "stage", "Value": "golden"}]
    assert img["CreationDate"] == "2026-01-05T09:00:00.000Z"
    assert len(ec2.describe_images(Owners=[account])["Images"]) == 1
    tagged = ec2.describe_images(Filters=[{"Name": "tag:stage", "Values": ["golden"]}])["Images"]
    assert [i["ImageId"] for i in tagged] == [image_id]
    assert _ec2(cloud).exists_image(account, "us-east-1", image_id)
    assert not _ec2(cloud).exists_image(account, "eu-west-1", image_id)

    msg = _raises("InvalidAMIName.Duplicate", ec2.register_image, Name="golden (v1)")
    assert image_id in msg
    _raises("InvalidAMIName.Malformed", ec2.register_image, Name="bad*name")
    _raises("InvalidParameterValue", ec2.register_image, Name="arch", Architecture="sparc")

    assert ec2.deregister_image(ImageId=image_id)["Return"] is True
    assert ec2.describe_images(Owners=["self"])["Images"] == []
    assert not _ec2(cloud).exists_image(account, "us-east-1", image_id)
    _raises("InvalidAMIID.NotFound", ec2.deregister_image, ImageId=image_id)
    _raises("InvalidAMIID.Malformed", ec2.deregister_image, ImageId="ami-!")
    public = catalog.CATALOG[0].image_id("us-east-1")
    assert public in _raises("AuthFailure", ec2.deregister_image, ImageId=public)
    assert ec2.describe_tags()["Tags"] == []


def test_exists_image_knows_the_catalog_in_every_region(cloud: Cloud) -> None:
    account = cloud.default_account.account_id
    for region in ("us-east-1", "ap-southeast-2"):
        assert _ec2(cloud).exists_image(account, region, catalog.CATALOG[2].image_id(region))
    assert not _ec2(cloud).exists_image(account, "us-east-1", "ami-0123456789abcdef0")
    assert not _ec2(cloud).exists_image(account, "us-east-1", "not-an-ami")


def test_create_describe_and_delete_tags(ec2: Any) -> None:
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet_id = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.0.0/24")["Subnet"]["SubnetId"]
    ami = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    ec2.create_tags(
        Resources=[vpc_id, subnet_id, ami],
        Tags=[{"Key": "team", "Value": "blue"}, {"Key": "cost", "Value": "42"}],
    )
    rows = ec2.describe_tags()["Tags"]
    assert {(r["ResourceId"], r["ResourceType"], r["Key"]) for r in rows} == {
        (rid, kind, key)
        for rid, kind in ((vpc_id, "vpc"), (subnet_id, "subnet"), (ami, "image"))
        for key in ("team", "cost")
    }
    subnets = ec2.describe_tags(Filters=[{"Name": "resource-type", "Values": ["subnet"]}])["Tags"]
    assert {r["ResourceId"] for r in subnets} == {subnet_id}
    keyed = ec2.describe_tags(Filters=[{"Name": "key", "Values": ["cost"]}])["Tags"]
    assert {r["Value"] for r in keyed} == {"42"}
    first = ec2.describe_tags(MaxResults=4)
    rest = ec2.describe_tags(MaxResults=4, NextToken=first["NextToken"])
    assert len(first["Tags"]) == 4 and len(rest["Tags"]) == 2 and "NextToken" not in rest
    assert ec2.describe_subnets()["Subnets"][0]["Tags"] == [
        {"Key": "team", "Value": "blue"},
        {"Key": "cost", "Value": "42"},
    ]
    ec2.create_tags(Resources=[vpc_id], Tags=[{"Key": "team", "Value": "red"}])  # overwrite
    vpc_tags = ec2.describe_vpcs()["Vpcs"][0]["Tags"]
    assert {"Key": "team", "Value": "red"} in vpc_tags
    ec2.delete_tags(Resources=[vpc_id], Tags=[{"Key": "team", "Value": "blue"}])  # no match
    ec2.delete_tags(Resources=[vpc_id], Tags=[{"Key": "cost"}])
    assert ec2.describe_vpcs()["Vpcs"][0]["Tags"] == [{"Key": "team", "Value": "red"}]
    ec2.delete_tags(Resources=[subnet_id])
    assert "Tags" not in ec2.describe_subnets()["Subnets"][0]
    _raises("InvalidPaginationToken", ec2.describe_tags, NextToken="garbage")


def test_tag_errors_change_nothing(ec2: Any) -> None:
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    tag = [{"Key": "a", "Value": "b"}]
    _raises("InvalidVpcID.NotFound", ec2.create_tags,
            Resources=[vpc_id, "vpc-0123456789abcdef0"], Tags=tag)  # fmt: skip
    _raises("InvalidSubnetID.NotFound", ec2.create_tags,
            Resources=["subnet-0123456789abcdef0"], Tags=tag)  # fmt: skip
    _raises("InvalidAMIID.NotFound", ec2.create_tags,
            Resources=["ami-0123456789abcdef0"], Tags=tag)  # fmt: skip
    _raises("InvalidID", ec2.create_tags, Resources=["bogus-1"], Tags=tag)
    msg = _raises("InvalidParameterValue", ec2.create_tags, Resources=[vpc_id],
                  Tags=[{"Key": "aws:owner", "Value": "x"}])  # fmt: skip
    assert "aws:" in msg
    _raises("InvalidParameterValue", ec2.create_tags, Resources=[vpc_id],
            Tags=[{"Key": "k" * 129, "Value": "x"}])  # fmt: skip
    many = [{"Key": f"k{i}", "Value": "v"} for i in range(51)]
    _raises("TagLimitExceeded", ec2.create_tags, Resources=[vpc_id], Tags=many)
    assert ec2.describe_tags()["Tags"] == []
    _raises("InvalidVpcID.NotFound", ec2.delete_tags, Resources=["vpc-0123456789abcdef0"])
