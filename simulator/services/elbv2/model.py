"""ELBv2 typed state, per account and Region: load balancers, target groups and listeners
(with their default actions and certificates), and the tags on each. Everything here
round-trips through snapshots (``core/persist.py``); wire dicts are made only at the edge
(``wire.py``).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from enum import StrEnum


class LbType(StrEnum):
    APPLICATION = "application"
    NETWORK = "network"


class LbState(StrEnum):
    PROVISIONING = "provisioning"
    ACTIVE = "active"


@dataclass
class ZoneMapping:
    zone_name: str
    subnet_id: str


@dataclass
class LoadBalancer:
    arn: str
    name: str
    type: LbType
    scheme: str  # internet-facing | internal
    vpc_id: str
    ip_address_type: str
    dns_name: str
    hosted_zone_id: str
    created: _dt.datetime
    zones: list[ZoneMapping] = field(default_factory=list)
    state: LbState = LbState.PROVISIONING
    activation_job: int | None = None
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def lb_id(self) -> str:
        return self.arn.rsplit("/", 1)[1]

    @property
    def kind(self) -> str:
        """The ARN's load-balancer kind segment: ``app`` or ``net``."""
        return "app" if self.type is LbType.APPLICATION else "net"


@dataclass
class HealthCheck:
    protocol: str | None
    port: str
    enabled: bool
    interval: int
    timeout: int
    healthy: int
    unhealthy: int
    path: str | None = None
    http_code: str | None = None
    grpc_code: str | None = None


@dataclass
class TargetGroup:
    arn: str
    name: str
    target_type: str
    health: HealthCheck
    ip_address_type: str = "ipv4"
    protocol: str | None = None
    port: int | None = None
    vpc_id: str | None = None
    protocol_version: str | None = None
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class Forward:
    target_group_arn: str
    weight: int | None = None


@dataclass
class Action:
    """One default action of a listener: forward, redirect or fixed-response."""

    type: str
    order: int | None = None
    # forward: the single TargetGroupArn form, or ForwardConfig's weighted list
    target_group_arn: str | None = None
    forwards: list[Forward] = field(default_factory=list)
    forward_config: bool = False
    stickiness_enabled: bool | None = None
    stickiness_seconds: int | None = None
    # redirect (RedirectActionConfig); None members keep the request's own value
    redirect: dict[str, str] | None = None
    # fixed-response (FixedResponseActionConfig)
    fixed: dict[str, str] | None = None

    def target_groups(self) -> list[str]:
        arns = [f.target_group_arn for f in self.forwards]
        if self.target_group_arn and self.target_group_arn not in arns:
            arns.insert(0, self.target_group_arn)
        return arns


@dataclass
class Listener:
    arn: str
    load_balancer_arn: str
    port: int
    protocol: str
    actions: list[Action] = field(default_factory=list)
    default_certificate: str | None = None
    certificates: list[str] = field(default_factory=list)  # the certificate list, not default
    ssl_policy: str | None = None
    alpn_policy: list[str] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class RegionState:
    load_balancers: dict[str, LoadBalancer] = field(default_factory=dict)  # by ARN
    target_groups: dict[str, TargetGroup] = field(default_factory=dict)
    listeners: dict[str, Listener] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not (self.load_balancers or self.target_groups or self.listeners)
