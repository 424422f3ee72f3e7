"""ELBv2 state as the model's output shapes (LoadBalancer, TargetGroup, Listener)."""

from __future__ import annotations

from typing import Any

from simulator.services.elbv2.actions import wire_action
from simulator.services.elbv2.model import Listener, LoadBalancer, TargetGroup


def wire_load_balancer(lb: LoadBalancer) -> dict[str, Any]:
    return {
        "LoadBalancerArn": lb.arn,
        "DNSName": lb.dns_name,
        "CanonicalHostedZoneId": lb.hosted_zone_id,
        "CreatedTime": lb.created,
        "LoadBalancerName": lb.name,
        "Scheme": lb.scheme,
        "VpcId": lb.vpc_id,
        "State": {"Code": lb.state.value},
        "Type": lb.type.value,
        "AvailabilityZones": [
            {"ZoneName": z.zone_name, "SubnetId": z.subnet_id, "LoadBalancerAddresses": []}
            for z in lb.zones
        ],
        "SecurityGroups": [],
        "IpAddressType": lb.ip_address_type,
    }


def wire_target_group(tg: TargetGroup, load_balancer_arns: list[str]) -> dict[str, Any]:
    hc = tg.health
    out: dict[str, Any] = {
        "TargetGroupArn": tg.arn,
        "TargetGroupName": tg.name,
        "HealthCheckEnabled": hc.enabled,
        "HealthCheckIntervalSeconds": hc.interval,
        "HealthCheckTimeoutSeconds": hc.timeout,
        "HealthyThresholdCount": hc.healthy,
        "UnhealthyThresholdCount": hc.unhealthy,
        "HealthCheckPort": hc.port,
        "LoadBalancerArns": load_balancer_arns,
        "TargetType": tg.target_type,
        "IpAddressType": tg.ip_address_type,
    }
    optional = {
        "Protocol": tg.protocol,
        "Port": tg.port,
        "VpcId": tg.vpc_id,
        "HealthCheckProtocol": hc.protocol,
        "HealthCheckPath": hc.path,
        "ProtocolVersion": tg.protocol_version,
    }
    out.update({k: v for k, v in optional.items() if v is not None})
    matcher = {"HttpCode": hc.http_code, "GrpcCode": hc.grpc_code}
    if any(v is not None for v in matcher.values()):
        out["Matcher"] = {k: v for k, v in matcher.items() if v is not None}
    return out


def wire_listener(li: Listener) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ListenerArn": li.arn,
        "LoadBalancerArn": li.load_balancer_arn,
        "Port": li.port,
        "Protocol": li.protocol,
        "DefaultActions": [wire_action(a) for a in li.actions],
    }
    if li.default_certificate is not None:
        # IsDefault "is not included in the output when describing a listener" (Certificate)
        out["Certificates"] = [{"CertificateArn": li.default_certificate}]
    if li.ssl_policy is not None:
        out["SslPolicy"] = li.ssl_policy
    if li.alpn_policy:
        out["AlpnPolicy"] = list(li.alpn_policy)
    return out
