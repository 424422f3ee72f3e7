"""CreateTargetGroup, DescribeTargetGroups, DeleteTargetGroup: documented defaults, rules and
errors."""

from __future__ import annotations

import re
from typing import Any

import pytest
from botocore.exceptions import ClientError

from simulator import Cloud
from tests.conftest import error_code, error_message
from tests.services.elbv2.conftest import Network, forward, make_alb, make_tg


def _raises(code: str, fn: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as exc:
        fn(*args, **kwargs)
    assert error_code(exc) == code, error_message(exc)
    return error_message(exc)


def test_http_target_group_defaults(cloud: Cloud, elbv2_any: Any, net: Network) -> None:
    tg = make_tg(elbv2_any, net, "app")
    account = cloud.default_account.account_id
    assert re.fullmatch(
        rf"arn:aws:elasticloadbalancing:us-east-1:{account}:targetgroup/app/[0-9a-f]{{16}}",
        tg["TargetGroupArn"],
    )
    assert tg["TargetType"] == "instance"
    assert tg["ProtocolVersion"] == "HTTP1"
    assert (tg["HealthCheckProtocol"], tg["HealthCheckPort"], tg["HealthCheckPath"]) == (
        "HTTP",
        "traffic-port",
        "/",
    )
    assert (tg["HealthCheckIntervalSeconds"], tg["HealthCheckTimeoutSeconds"]) == (30, 6)
    assert (tg["HealthyThresholdCount"], tg["UnhealthyThresholdCount"]) == (5, 2)
    assert tg["Matcher"] == {"HttpCode": "200"}
    assert tg["HealthCheckEnabled"] is True
    assert tg["LoadBalancerArns"] == []


def test_tcp_https_grpc_and_lambda_defaults(elbv2: Any, net: Network) -> None:
    tcp = make_tg(elbv2, net, "tcp", Protocol="TCP")
    assert (tcp["HealthCheckProtocol"], tcp["HealthCheckTimeoutSeconds"]) == ("TCP", 10)
    assert "Matcher" not in tcp and "HealthCheckPath" not in tcp
    https = make_tg(elbv2, net, "secure", Protocol="HTTPS", Port=443)
    assert https["HealthCheckTimeoutSeconds"] == 10
    grpc = make_tg(elbv2, net, "grpc", ProtocolVersion="GRPC")
    assert grpc["HealthCheckPath"] == "/AWS.ALB/healthcheck"
    assert grpc["Matcher"] == {"GrpcCode": "12"}
    nlb_http = make_tg(elbv2, net, "nlbhttp", Protocol="TCP", HealthCheckProtocol="HTTP")
    assert nlb_http["Matcher"] == {"HttpCode": "200-399"}
    fn = elbv2.create_target_group(Name="fn", TargetType="lambda")["TargetGroups"][0]
    assert fn["HealthCheckEnabled"] is False
    assert (fn["HealthCheckIntervalSeconds"], fn["HealthCheckTimeoutSeconds"]) == (35, 30)
    assert fn["UnhealthyThresholdCount"] == 5
    assert "VpcId" not in fn and "Port" not in fn


def test_target_group_rules(elbv2_any: Any, net: Network) -> None:
    create = elbv2_any.create_target_group
    _raises("ValidationError", create, Name="-bad")
    _raises("ValidationError", create, Name="noport", Protocol="HTTP", VpcId=net.vpc_id)
    _raises("ValidationError", create, Name="novpc", Protocol="HTTP", Port=80)
    assert "vpc-00000000000000000" in _raises(
        "ValidationError", create, Name="x", Protocol="HTTP", Port=80, VpcId="vpc-00000000000000000"
    )
    _raises("ValidationError", create, Name="fn", TargetType="lambda", Port=80)
    _raises(
        "InvalidConfigurationRequest",
        create,
        Name="x",
        Protocol="HTTP",
        Port=80,
        VpcId=net.vpc_id,
        HealthCheckEnabled=False,
    )
    _raises(
        "InvalidConfigurationRequest",
        create,
        Name="x",
        Protocol="HTTP",
        Port=80,
        VpcId=net.vpc_id,
        HealthCheckProtocol="TCP",
    )
    _raises(
        "ValidationError",
        create,
        Name="x",
        Protocol="TCP",
        Port=80,
        VpcId=net.vpc_id,
        HealthCheckProtocol="UDP",
    )
    assert elbv2_any.describe_target_groups()["TargetGroups"] == []


def test_duplicate_name_and_idempotency(elbv2_any: Any, net: Network) -> None:
    first = make_tg(elbv2_any, net, "same")
    assert make_tg(elbv2_any, net, "same")["TargetGroupArn"] == first["TargetGroupArn"]
    _raises("DuplicateTargetGroupName", make_tg, client=elbv2_any, net=net, name="same", Port=81)


def test_target_group_quota(cloud: Cloud, elbv2: Any, net: Network) -> None:
    cloud.quotas.adjust(cloud.default_account.account_id, "target_groups", 1, service="elbv2")
    make_tg(elbv2, net, "one")
    _raises("TooManyTargetGroups", make_tg, client=elbv2, net=net, name="two")


def test_describe_and_delete(elbv2_any: Any, net: Network) -> None:
    a = make_tg(elbv2_any, net, "a")["TargetGroupArn"]
    b = make_tg(elbv2_any, net, "b")["TargetGroupArn"]
    lb = make_alb(elbv2_any, net)["LoadBalancerArn"]
    listener = elbv2_any.create_listener(
        LoadBalancerArn=lb, Protocol="HTTP", Port=80, DefaultActions=forward(a)
    )["Listeners"][0]["ListenerArn"]
    by_lb = elbv2_any.describe_target_groups(LoadBalancerArn=lb)["TargetGroups"]
    assert [(t["TargetGroupArn"], t["LoadBalancerArns"]) for t in by_lb] == [(a, [lb])]
    named = elbv2_any.describe_target_groups(Names=["b"])["TargetGroups"]
    assert [t["TargetGroupArn"] for t in named] == [b]
    page = elbv2_any.describe_target_groups(PageSize=1)
    assert len(page["TargetGroups"]) == 1 and "NextMarker" in page
    _raises("TargetGroupNotFound", elbv2_any.describe_target_groups, Names=["zzz"])
    _raises("TargetGroupNotFound", elbv2_any.describe_target_groups, TargetGroupArns=[b + "0"])
    _raises("LoadBalancerNotFound", elbv2_any.describe_target_groups, LoadBalancerArn=lb[:-1] + "x")
    assert a in _raises("ResourceInUse", elbv2_any.delete_target_group, TargetGroupArn=a)
    elbv2_any.delete_listener(ListenerArn=listener)
    elbv2_any.delete_target_group(TargetGroupArn=a)
    elbv2_any.delete_target_group(TargetGroupArn=a)  # already gone: no error
    left = elbv2_any.describe_target_groups()["TargetGroups"]
    assert [t["TargetGroupArn"] for t in left] == [b]
