"""The ELBv2 service (a minimal, faithful slice for teaching TLS termination with ACM):
Application and Network Load Balancers, target groups, listeners with their default actions
and certificates, and tags. Each concern lives in its own module on top of ``core.Elbv2Core``;
this class only assembles them and registers the scheduled jobs. Every other ELBv2 operation
(rules, targets and health, attributes, trust stores, capacity...) answers
NotSimulatedException.
"""

from __future__ import annotations

from simulator.services.base import ServiceEnv
from simulator.services.elbv2.certificates import CertificateOps
from simulator.services.elbv2.listeners import ListenerOps
from simulator.services.elbv2.loadbalancers import LoadBalancerOps
from simulator.services.elbv2.tags import TagOps
from simulator.services.elbv2.targetgroups import TargetGroupOps


class Elbv2Service(LoadBalancerOps, TargetGroupOps, ListenerOps, CertificateOps, TagOps):
    service_name = "elbv2"

    def __init__(self, env: ServiceEnv) -> None:
        super().__init__(env)
        self.register_jobs()
