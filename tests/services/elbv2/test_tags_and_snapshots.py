"""AddTags, RemoveTags, DescribeTags on load balancers, target groups and listeners; snapshot
round-trip of the whole ELBv2 state (with the pending activation job and certificate usage)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from simulator import Cloud
from tests.conftest import error_code, error_message
from tests.services.elbv2.conftest import Certs, Network, make_alb, make_https, make_tg


def _raises(code: str, fn: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as exc:
        fn(*args, **kwargs)
    assert error_code(exc) == code, error_message(exc)
    return error_message(exc)


def _tags(client: Any, arn: str) -> dict[str, str]:
    desc = client.describe_tags(ResourceArns=[arn])["TagDescriptions"][0]
    return {t["Key"]: t.get("Value", "") for t in desc["Tags"]}


def test_tags_on_every_resource(elbv2_any: Any, net: Network, certs: Certs) -> None:
    lb = make_alb(elbv2_any, net, Tags=[{"Key": "env", "Value": "dev"}])["LoadBalancerArn"]
    tg = make_tg(elbv2_any, net, Tags=[{"Key": "team", "Value": "a"}])["TargetGroupArn"]
    li = make_https(elbv2_any, lb, tg, certs.arn("c"))
    assert _tags(elbv2_any, lb) == {"env": "dev"}
    assert _tags(elbv2_any, tg) == {"team": "a"}
    assert _tags(elbv2_any, li) == {}
    elbv2_any.add_tags(ResourceArns=[lb, li], Tags=[{"Key": "env", "Value": "prod"}])
    assert _tags(elbv2_any, lb) == {"env": "prod"}  # AddTags updates an existing key
    assert _tags(elbv2_any, li) == {"env": "prod"}
    elbv2_any.remove_tags(ResourceArns=[lb], TagKeys=["env", "absent"])
    assert _tags(elbv2_any, lb) == {}
    both = elbv2_any.describe_tags(ResourceArns=[tg, li])["TagDescriptions"]
    assert [d["ResourceArn"] for d in both] == [tg, li]


def test_tag_errors(elbv2_any: Any, net: Network) -> None:
    lb = make_alb(elbv2_any, net)["LoadBalancerArn"]
    tg = make_tg(elbv2_any, net)["TargetGroupArn"]
    twice = [{"Key": "k", "Value": "1"}, {"Key": "k", "Value": "2"}]
    _raises("DuplicateTagKeys", elbv2_any.add_tags, ResourceArns=[lb], Tags=twice)
    many = [{"Key": f"k{i}", "Value": "v"} for i in range(51)]
    _raises("TooManyTags", elbv2_any.add_tags, ResourceArns=[lb], Tags=many)
    _raises("LoadBalancerNotFound", elbv2_any.describe_tags, ResourceArns=[lb[:-1] + "x"])
    _raises("TargetGroupNotFound", elbv2_any.add_tags, ResourceArns=[tg[:-1] + "x"], Tags=twice[:1])
    rule = lb.replace("loadbalancer/", "listener-rule/") + "/1/2"
    _raises("RuleNotFound", elbv2_any.describe_tags, ResourceArns=[rule])
    _raises("ValidationError", elbv2_any.describe_tags, ResourceArns=["arn:aws:s3:::bucket"])
    # nothing was tagged by the failed calls (all ARNs are checked before any change)
    _raises("LoadBalancerNotFound", elbv2_any.add_tags, ResourceArns=[tg, lb + "0"], Tags=twice[:1])
    assert _tags(elbv2_any, tg) == {}


def test_snapshot_round_trip(
    cloud: Cloud, elbv2: Any, net: Network, certs: Certs, tmp_path: Path
) -> None:
    lb = make_alb(elbv2, net, Tags=[{"Key": "env", "Value": "dev"}])["LoadBalancerArn"]
    tg = make_tg(elbv2, net)["TargetGroupArn"]
    cert = certs.arn("c")
    li = make_https(elbv2, lb, tg, cert)
    before = {
        "lbs": elbv2.describe_load_balancers()["LoadBalancers"],
        "tgs": elbv2.describe_target_groups()["TargetGroups"],
        "listeners": elbv2.describe_listeners(LoadBalancerArn=lb)["Listeners"],
    }
    path = cloud.save(tmp_path / "world.json")
    loaded = Cloud.load(path)
    again = loaded.client("elbv2", region_name="us-east-1")
    assert again.describe_load_balancers()["LoadBalancers"] == before["lbs"]
    assert again.describe_target_groups()["TargetGroups"] == before["tgs"]
    assert again.describe_listeners(LoadBalancerArn=lb)["Listeners"] == before["listeners"]
    assert _tags(again, lb) == {"env": "dev"}
    assert loaded._env.certificate_usage.in_use_by(cert) == [lb]
    again.delete_listener(ListenerArn=li)  # the restored count lets the load balancer go
    assert loaded._env.certificate_usage.in_use_by(cert) == []
    loaded.clock.advance(minutes=3)  # the activation job survived the snapshot
    assert again.describe_load_balancers()["LoadBalancers"][0]["State"]["Code"] == "active"
    assert loaded.service("elbv2").dump() != cloud.service("elbv2").dump()
