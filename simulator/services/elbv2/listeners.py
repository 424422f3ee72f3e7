"""CreateListener, DescribeListeners, ModifyListener, DeleteListener.

Facts (API reference: CreateListener, ModifyListener, DeleteListener, Certificate): an
Application Load Balancer listens with HTTP or HTTPS, a Network Load Balancer with TCP, TLS, UDP
or TCP_UDP; HTTPS and TLS listeners take exactly one certificate in ``Certificates`` (the
default certificate) and a security policy; the API's default policy is
``ELBSecurityPolicy-2016-08`` ("Security policies for your Application Load Balancer": the
console uses another default, every other method this one); ALPN policies (HTTP1Only,
HTTP2Only, HTTP2Optional, HTTP2Preferred, None) apply to TLS listeners. CreateListener is
idempotent for the same settings. 50 listeners per load balancer (quotas page). Changing a
listener from HTTPS to HTTP (TLS to TCP) removes its security policy and default certificate;
changing it to HTTPS (TLS) requires them. ACM's InUseBy names the load balancer (not the listener)
while any of its listeners uses the certificate; deleting the last such listener releases it.

Decisions: a port already used by another listener of the same load balancer is
DuplicateListener; the certificate must be an ISSUED ACM certificate of the same account and
Region (see ``core.Elbv2Core.usable_certificate``); security policy names outside the
documented ``ELBSecurityPolicy-`` family are SSLPolicyNotFound ([U]: the full catalog of
predefined policies is not reproduced). Not simulated: QUIC listeners, mutual TLS.
"""

from __future__ import annotations

from typing import Any

from simulator.core.context import RequestContext
from simulator.core.errors import NotSimulatedException, ValidationException
from simulator.protocol.registry import operation
from simulator.services.elbv2.actions import parse_actions, wire_action
from simulator.services.elbv2.core import Elbv2Core, arn_resource, certificates_of, page, tag_map
from simulator.services.elbv2.errors import (
    ALPNPolicyNotSupportedException,
    DuplicateListenerException,
    SSLPolicyNotFoundException,
    TooManyListenersException,
    UnsupportedProtocolException,
)
from simulator.services.elbv2.model import Action, LbType, Listener, LoadBalancer
from simulator.services.elbv2.wire import wire_listener

DEFAULT_SSL_POLICY = "ELBSecurityPolicy-2016-08"
PROTOCOLS = {
    LbType.APPLICATION: ("HTTP", "HTTPS"),
    LbType.NETWORK: ("TCP", "TLS", "UDP", "TCP_UDP"),
}
SECURE = ("HTTPS", "TLS")
ALPN_POLICIES = ("HTTP1Only", "HTTP2Only", "HTTP2Optional", "HTTP2Preferred", "None")


class ListenerOps(Elbv2Core):
    def _protocol(self, lb: LoadBalancer, protocol: str | None) -> str:
        if protocol in ("QUIC", "TCP_QUIC"):
            raise NotSimulatedException(f"ELBv2 {protocol} listeners are not simulated.")
        if protocol is None:
            raise ValidationException("A listener protocol must be specified")  # [U]
        if protocol not in PROTOCOLS[lb.type]:
            raise UnsupportedProtocolException(  # [U]
                f"Protocol '{protocol}' is not supported by {lb.type.value} load balancers"
            )
        return protocol

    def _tls(
        self, ctx: RequestContext, protocol: str, p: dict[str, Any], current: Listener | None
    ) -> tuple[str | None, str | None, list[str]]:
        """(default certificate, security policy, ALPN policy) for the listener."""
        certs = p.get("Certificates")
        policy = p.get("SslPolicy")
        alpn: list[str] = list(p.get("AlpnPolicy") or [])
        if protocol not in SECURE:
            if certs or policy is not None:
                raise ValidationException(  # [U]
                    f"Certificates and a security policy can be specified only for HTTPS and "
                    f"TLS listeners, not {protocol}"
                )
            if alpn:
                raise ValidationException("An ALPN policy can be set only on TLS listeners")
            return None, None, []
        keep = current is not None and current.protocol in SECURE
        if certs is None and keep and current is not None:
            cert = current.default_certificate
        else:
            if not certs or len(certs) != 1:
                raise ValidationException(  # [U]
                    f"A {protocol} listener must have exactly one default certificate"
                )
            cert = certs[0].get("CertificateArn")
            if not isinstance(cert, str) or not cert:
                raise ValidationException("A certificate ARN must be specified")  # [U]
            self.usable_certificate(ctx, cert)
        if policy is None:
            kept = current.ssl_policy if keep and current is not None else None
            policy = kept or DEFAULT_SSL_POLICY
        if not policy.startswith("ELBSecurityPolicy-"):
            raise SSLPolicyNotFoundException(f"Security policy '{policy}' not found")  # [U]
        if alpn:
            if protocol != "TLS":
                raise ValidationException("An ALPN policy can be set only on TLS listeners")
            if len(alpn) > 1 or alpn[0] not in ALPN_POLICIES:
                raise ALPNPolicyNotSupportedException(  # [U]
                    f"ALPN policy '{', '.join(alpn)}' not found"
                )
        elif current is not None and keep and "AlpnPolicy" not in p:
            alpn = list(current.alpn_policy)
        return cert, policy, alpn

    @operation("CreateListener", resource=arn_resource)
    def create_listener(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        lb = self.load_balancer(ctx, p["LoadBalancerArn"])
        if p.get("MutualAuthentication") is not None:
            raise NotSimulatedException("ELBv2 mutual TLS authentication is not simulated.")
        protocol = self._protocol(lb, p.get("Protocol"))
        port = p.get("Port")
        if port is None:
            raise ValidationException("A listener port must be specified")  # [U]
        cert, policy, alpn = self._tls(ctx, protocol, p, None)
        actions = parse_actions(self, ctx, lb, protocol, p["DefaultActions"])
        tags = tag_map(p.get("Tags"))
        existing = [li for li in self.listeners_of(ctx, lb.arn) if li.port == port]
        if existing:
            li = existing[0]
            same = (li.protocol, li.default_certificate, li.ssl_policy, li.alpn_policy, li.actions)
            if same == (protocol, cert, policy, alpn, actions):
                return {"Listeners": [wire_listener(li)]}  # idempotent (API reference)
            raise DuplicateListenerException(  # [U]
                f"A listener already exists on port {port} of this load balancer"
            )
        if len(self.listeners_of(ctx, lb.arn)) >= self.limit(ctx, "listeners_per_load_balancer"):
            raise TooManyListenersException(  # [U]
                "The maximum number of listeners per load balancer has been reached"
            )
        arn = self.arn(ctx, f"listener/{lb.kind}/{lb.name}/{lb.lb_id}/{self.env.ids.hex(16)}")
        li = Listener(
            arn=arn,
            load_balancer_arn=lb.arn,
            port=port,
            protocol=protocol,
            actions=actions,
            default_certificate=cert,
            ssl_policy=policy,
            alpn_policy=alpn,
            tags=tags,
        )
        self.st(ctx).listeners[arn] = li
        self.sync_usage(lb.arn, set(), certificates_of(li))
        return {"Listeners": [wire_listener(li)]}

    @operation("DescribeListeners", read_only=True)
    def describe_listeners(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        lb_arn = p.get("LoadBalancerArn")
        arns: list[str] = list(p.get("ListenerArns") or [])
        if bool(lb_arn) == bool(arns):
            raise ValidationException(  # [U]
                "You must specify either a load balancer ARN or listener ARNs, but not both"
            )
        if lb_arn:
            self.load_balancer(ctx, lb_arn)
            chosen = sorted(self.listeners_of(ctx, lb_arn), key=lambda li: li.port)
        else:
            chosen = [self.listener(ctx, a) for a in dict.fromkeys(arns)]
        items, extra = page(chosen, p)
        return {"Listeners": [wire_listener(li) for li in items], **extra}

    @operation("DeleteListener", resource=arn_resource)
    def delete_listener(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        li = self.listener(ctx, p["ListenerArn"])
        self.drop_listener(ctx, li.arn)
        return {}

    @operation("ModifyListener", resource=arn_resource)
    def modify_listener(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        li = self.listener(ctx, p["ListenerArn"])
        lb = self.load_balancer(ctx, li.load_balancer_arn)
        if p.get("MutualAuthentication") is not None:
            raise NotSimulatedException("ELBv2 mutual TLS authentication is not simulated.")
        protocol = self._protocol(lb, p.get("Protocol") or li.protocol)
        port = p.get("Port") or li.port
        cert, policy, alpn = self._tls(ctx, protocol, p, li)
        actions: list[Action] = li.actions
        if p.get("DefaultActions") is not None:
            actions = parse_actions(self, ctx, lb, protocol, p["DefaultActions"])
        elif protocol != li.protocol:
            # the kept actions must still suit the new protocol (no HTTPS-to-HTTP redirect...)
            parse_actions(self, ctx, lb, protocol, [wire_action(a) for a in li.actions])
        clash = [o for o in self.listeners_of(ctx, lb.arn) if o.port == port and o.arn != li.arn]
        if clash:
            raise DuplicateListenerException(  # [U]
                f"A listener already exists on port {port} of this load balancer"
            )
        before = certificates_of(li)
        li.protocol, li.port, li.actions = protocol, port, actions
        li.default_certificate, li.ssl_policy, li.alpn_policy = cert, policy, alpn
        if protocol not in SECURE and li.certificates:
            li.certificates = []  # [U] a plain listener keeps no certificate list
        self.sync_usage(lb.arn, before, certificates_of(li))
        return {"Listeners": [wire_listener(li)]}
