"""CreateTargetGroup, DescribeTargetGroups, DeleteTargetGroup.

Facts (API reference: CreateTargetGroup, DeleteTargetGroup, Matcher): TargetType defaults to
instance; Protocol, Port and VpcId apply to instance and ip targets and not to Lambda
targets; health checks of instance and ip target groups are always enabled, those of Lambda
target groups are off by default; defaults: HealthCheckProtocol HTTP for HTTP/HTTPS target
groups and TCP for the others (TCP health checks are not supported for HTTP/HTTPS target groups;
TLS, UDP, TCP_UDP are not supported for health checks), HealthCheckPort ``traffic-port``,
interval 30 s (Lambda 35 s), timeout 6 s for HTTP, 10 s for TCP, TLS and HTTPS, 30 s for
Lambda, healthy threshold 5, unhealthy threshold 2 (Lambda 5), path ``/`` (gRPC
``/AWS.ALB/healthcheck``), ProtocolVersion HTTP1, Matcher HttpCode 200 (200-399 for Network Load
Balancer target groups), GrpcCode 12. CreateTargetGroup is idempotent for the same name and
settings. A target group referenced by an action cannot be deleted (ResourceInUse).

Decisions: a missing VPC is refused with ValidationError (the model declares no VPC error for
CreateTargetGroup); DeleteTargetGroup of an unknown ARN succeeds, since the model declares no
not-found error for it ([U]). UDP/TCP_UDP timeouts are taken as 10 s ([U]).
Not simulated: alb targets, GENEVE/QUIC/TCP_QUIC protocols (Gateway Load Balancers, QUIC),
TargetControlPort.
"""

from __future__ import annotations

from typing import Any

from simulator.core.context import RequestContext
from simulator.core.errors import NotSimulatedException, ValidationException
from simulator.protocol.registry import operation
from simulator.services.elbv2.core import Elbv2Core, arn_resource, check_name, page, tag_map
from simulator.services.elbv2.errors import (
    DuplicateTargetGroupNameException,
    InvalidConfigurationRequestException,
    ResourceInUseException,
    TargetGroupNotFoundException,
    TooManyTargetGroupsException,
)
from simulator.services.elbv2.model import HealthCheck, TargetGroup
from simulator.services.elbv2.wire import wire_target_group

HTTP_FAMILY = ("HTTP", "HTTPS")
NLB_FAMILY = ("TCP", "TLS", "UDP", "TCP_UDP")
HEALTH_CHECK_PROTOCOLS = ("HTTP", "HTTPS", "TCP")
GRPC_PATH = "/AWS.ALB/healthcheck"


class TargetGroupOps(Elbv2Core):
    @operation("CreateTargetGroup")
    def create_target_group(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        name = p["Name"]
        check_name(name, "Target group", load_balancer=False)
        target_type = p.get("TargetType") or "instance"
        if target_type == "alb":
            raise NotSimulatedException("ELBv2 'alb' target groups are not simulated.")
        if p.get("TargetControlPort") is not None:
            raise NotSimulatedException("ELBv2 TargetControlPort is not simulated.")
        protocol, port, vpc_id = p.get("Protocol"), p.get("Port"), p.get("VpcId")
        if protocol in ("GENEVE", "QUIC", "TCP_QUIC"):
            raise NotSimulatedException(f"ELBv2 {protocol} target groups are not simulated.")
        if target_type == "lambda":
            for member, value in (("Protocol", protocol), ("Port", port), ("VpcId", vpc_id)):
                if value is not None:
                    raise ValidationException(  # [U]
                        f"{member} cannot be specified for target groups with 'lambda' target type"
                    )
        else:
            for member, value in (("Protocol", protocol), ("Port", port), ("VpcId", vpc_id)):
                if value is None:
                    raise ValidationException(  # [U]
                        f"{member} must be specified for target groups with '{target_type}' "
                        "target type"
                    )
            if vpc_id not in self.ec2_state(ctx).vpcs:
                raise ValidationException(f"The VPC ID '{vpc_id}' is not found")  # [U]
        version = self._protocol_version(p.get("ProtocolVersion"), protocol)
        health = self._health(p, protocol, target_type, version)
        tags = tag_map(p.get("Tags"))
        tg = TargetGroup(
            arn="",
            name=name,
            target_type=target_type,
            health=health,
            ip_address_type=p.get("IpAddressType") or "ipv4",
            protocol=protocol,
            port=port,
            vpc_id=vpc_id,
            protocol_version=version,
            tags=tags,
        )
        st = self.st(ctx)
        same = [t for t in st.target_groups.values() if t.name == name]
        if same:
            old = same[0]
            tg.arn, tg.tags = old.arn, old.tags
            if tg == old:  # idempotent for the same settings (API reference)
                return {"TargetGroups": [self._wire(ctx, old)]}
            raise DuplicateTargetGroupNameException(  # [U]
                f"A target group with the same name '{name}' exists, but with different settings"
            )
        if len(st.target_groups) >= self.limit(ctx, "target_groups"):
            raise TooManyTargetGroupsException(  # [U]
                "The maximum number of target groups has been reached"
            )
        tg.arn = self.arn(ctx, f"targetgroup/{name}/{self.env.ids.hex(16)}")
        tg.tags = tags
        st.target_groups[tg.arn] = tg
        return {"TargetGroups": [self._wire(ctx, tg)]}

    @staticmethod
    def _protocol_version(raw: str | None, protocol: str | None) -> str | None:
        if protocol not in HTTP_FAMILY:
            if raw is not None:
                raise ValidationException(  # [U]
                    "A protocol version can be specified only for HTTP and HTTPS target groups"
                )
            return None
        version = (raw or "HTTP1").upper()
        if version not in ("HTTP1", "HTTP2", "GRPC"):
            raise ValidationException(f"Protocol version '{raw}' is not valid")  # [U]
        return version

    @staticmethod
    def _health(
        p: dict[str, Any], protocol: str | None, target_type: str, version: str | None
    ) -> HealthCheck:
        is_lambda = target_type == "lambda"
        enabled = p.get("HealthCheckEnabled")
        if enabled is False and not is_lambda:
            raise InvalidConfigurationRequestException(  # [U]
                f"Health checks cannot be disabled for target groups with target type "
                f"'{target_type}'"
            )
        hc_protocol = p.get("HealthCheckProtocol")
        if hc_protocol is None:
            hc_protocol = "TCP" if protocol in NLB_FAMILY else "HTTP"
        if hc_protocol not in HEALTH_CHECK_PROTOCOLS:
            raise ValidationException(  # [U]
                f"Health check protocol '{hc_protocol}' is not supported"
            )
        if hc_protocol == "TCP" and (protocol in HTTP_FAMILY or is_lambda):
            raise InvalidConfigurationRequestException(  # [U]
                f"Health check protocol TCP is not supported for target groups with the "
                f"{protocol or 'lambda'} protocol"
            )
        is_http_check = hc_protocol in HTTP_FAMILY
        path = p.get("HealthCheckPath")
        matcher = p.get("Matcher") or {}
        if not is_http_check and (path is not None or matcher):
            raise InvalidConfigurationRequestException(  # [U]
                "A health check path and matcher can be specified only for HTTP and HTTPS "
                "health checks"
            )
        grpc = version == "GRPC"
        http_code, grpc_code = matcher.get("HttpCode"), matcher.get("GrpcCode")
        if is_http_check:
            if path is None:
                path = GRPC_PATH if grpc else "/"
            if grpc:
                grpc_code = grpc_code or "12"
            else:
                http_code = http_code or ("200-399" if protocol in NLB_FAMILY else "200")
        if is_lambda:
            timeout = 30
        elif protocol == "HTTP":
            timeout = 6
        else:
            timeout = 10  # TCP, TLS, HTTPS (UDP, TCP_UDP [U])
        return HealthCheck(
            protocol=hc_protocol,
            port=p.get("HealthCheckPort") or "traffic-port",
            enabled=bool(enabled) if is_lambda else True,
            interval=p.get("HealthCheckIntervalSeconds") or (35 if is_lambda else 30),
            timeout=p.get("HealthCheckTimeoutSeconds") or timeout,
            healthy=p.get("HealthyThresholdCount") or 5,
            unhealthy=p.get("UnhealthyThresholdCount") or (5 if is_lambda else 2),
            path=path,
            http_code=http_code,
            grpc_code=grpc_code,
        )

    def _wire(self, ctx: RequestContext, tg: TargetGroup) -> dict[str, Any]:
        return wire_target_group(tg, self.load_balancers_using(ctx, tg.arn))

    @operation("DescribeTargetGroups", read_only=True)
    def describe_target_groups(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        lb_arn = p.get("LoadBalancerArn")
        arns: list[str] = list(p.get("TargetGroupArns") or [])
        names: list[str] = list(p.get("Names") or [])
        if sum(1 for x in (lb_arn, arns, names) if x) > 1:
            raise ValidationException(  # [U]
                "Specify only one of load balancer ARN, target group ARNs or names"
            )
        st = self.st(ctx)
        if lb_arn:
            self.load_balancer(ctx, lb_arn)
            chosen = [
                tg
                for tg in st.target_groups.values()
                if lb_arn in self.load_balancers_using(ctx, tg.arn)
            ]
        elif arns:
            chosen = [self.target_group(ctx, a) for a in dict.fromkeys(arns)]
        elif names:
            by_name = {tg.name: tg for tg in st.target_groups.values()}
            missing = [n for n in names if n not in by_name]
            if missing:
                raise TargetGroupNotFoundException(  # [U]
                    f"One or more target groups not found: {', '.join(missing)}"
                )
            chosen = [by_name[n] for n in dict.fromkeys(names)]
        else:
            chosen = sorted(st.target_groups.values(), key=lambda tg: tg.name)
        items, extra = page(chosen, p)
        return {"TargetGroups": [self._wire(ctx, tg) for tg in items], **extra}

    @operation("DeleteTargetGroup", resource=arn_resource)
    def delete_target_group(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        arn = p["TargetGroupArn"]
        st = self.st(ctx)
        if arn not in st.target_groups:
            return {}
        for li in st.listeners.values():
            if any(arn in a.target_groups() for a in li.actions):
                raise ResourceInUseException(  # [U]
                    f"Target group '{arn}' is currently in use by a listener or a rule"
                )
        del st.target_groups[arn]
        return {}
