"""Listener default actions: checking a request's ``DefaultActions`` and writing them back.

Facts (API reference, "Action", "ForwardActionConfig", "RedirectActionConfig",
"FixedResponseActionConfig", "TargetGroupTuple"): a rule ends with exactly one routing action,
forward, fixed-response or redirect; redirect and fixed-response exist only on Application Load
Balancers; a forward action names one target group in ``TargetGroupArn`` or several in
``ForwardConfig`` (weights 0-999; given both, ForwardConfig must hold exactly that one target
group); a redirect must change at least one of protocol, host, port or path, and cannot go
from HTTPS to HTTP; a fixed response's content type is one of text/plain, text/css, text/html,
application/javascript, application/json. The quotas page allows 5 target groups per action on
an Application Load Balancer. Target groups for an Application Load Balancer use HTTP or HTTPS
(or Lambda targets), for a Network Load Balancer TCP, TLS, UDP or TCP_UDP, and a TCP_UDP
listener needs a TCP_UDP target group (CreateTargetGroup). "You can use each target group with
only one load balancer" (TargetGroup.LoadBalancerArns).

Not simulated (NotSimulatedException): authenticate-oidc, authenticate-cognito and
jwt-validation actions. Messages marked [U] are unconfirmed wordings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from simulator.core.context import RequestContext
from simulator.core.errors import NotSimulatedException, ValidationException
from simulator.services.elbv2.core import Elbv2Core
from simulator.services.elbv2.errors import (
    IncompatibleProtocolsException,
    InvalidConfigurationRequestException,
    InvalidLoadBalancerActionException,
    TargetGroupAssociationLimitException,
)
from simulator.services.elbv2.model import Action, Forward, LbType, LoadBalancer

ROUTING = ("forward", "redirect", "fixed-response")
CONTENT_TYPES = (
    "text/plain",
    "text/css",
    "text/html",
    "application/javascript",
    "application/json",
)
TARGET_GROUPS_PER_ACTION = 5
_CONFIG_OF = {
    "forward": "ForwardConfig",
    "redirect": "RedirectConfig",
    "fixed-response": "FixedResponseConfig",
}
_TG_PROTOCOLS = {
    LbType.APPLICATION: ("HTTP", "HTTPS"),
    LbType.NETWORK: ("TCP", "TLS", "UDP", "TCP_UDP"),
}


def parse_actions(
    svc: Elbv2Core,
    ctx: RequestContext,
    lb: LoadBalancer,
    protocol: str,
    raw: Sequence[dict[str, Any]],
) -> list[Action]:
    """Validate ``DefaultActions`` for a listener of ``lb`` speaking ``protocol``."""
    if not raw:
        raise ValidationException("A listener must have at least one default action")  # [U]
    actions: list[Action] = []
    for item in raw:
        kind = item.get("Type")
        if kind in ("authenticate-oidc", "authenticate-cognito", "jwt-validation"):
            raise NotSimulatedException(f"ELBv2 '{kind}' actions are not simulated.")
        if kind not in ROUTING:
            raise ValidationException(f"Action type '{kind}' is not valid")  # [U]
        for other, member in _CONFIG_OF.items():
            if other != kind and item.get(member) is not None:
                raise InvalidLoadBalancerActionException(  # [U]
                    f"{member} can be specified only for a '{other}' action"
                )
        actions.append(_parse_one(svc, ctx, lb, protocol, item))
    if len(actions) > 1:
        orders = [a.order for a in actions]
        if None in orders or len(set(orders)) != len(orders):
            raise ValidationException(  # [U]
                "An action order must be specified, and unique, when there are several actions"
            )
        raise InvalidLoadBalancerActionException(  # [U]
            "A default rule can have only one forward, redirect or fixed-response action"
        )
    return actions


def _parse_one(
    svc: Elbv2Core,
    ctx: RequestContext,
    lb: LoadBalancer,
    protocol: str,
    item: dict[str, Any],
) -> Action:
    kind = str(item["Type"])
    action = Action(type=kind, order=item.get("Order"))
    if kind == "forward":
        _forward(svc, ctx, lb, protocol, item, action)
        return action
    if lb.type is not LbType.APPLICATION:
        raise InvalidLoadBalancerActionException(  # [U]
            f"The action type '{kind}' is supported only by Application Load Balancers"
        )
    if kind == "redirect":
        action.redirect = _redirect(item.get("RedirectConfig"), protocol)
    else:
        action.fixed = _fixed(item.get("FixedResponseConfig"))
    return action


def _forward(
    svc: Elbv2Core,
    ctx: RequestContext,
    lb: LoadBalancer,
    protocol: str,
    item: dict[str, Any],
    action: Action,
) -> None:
    single = item.get("TargetGroupArn")
    config = item.get("ForwardConfig")
    tuples: list[dict[str, Any]] = list((config or {}).get("TargetGroups") or [])
    if single is None and not tuples:
        raise ValidationException(  # [U]
            "A target group ARN must be specified for a forward action"
        )
    if single is not None and tuples:
        arns = {t.get("TargetGroupArn") for t in tuples}
        if arns != {single}:
            raise ValidationException(  # [U]
                "You can specify both TargetGroupArn and ForwardConfig only if ForwardConfig "
                "holds exactly that one target group"
            )
    limit = TARGET_GROUPS_PER_ACTION if lb.type is LbType.APPLICATION else 1
    if len(tuples) > limit:
        raise InvalidLoadBalancerActionException(  # [U]
            f"A forward action can have at most {limit} target groups"
        )
    action.target_group_arn = single
    action.forward_config = config is not None
    for t in tuples:
        arn = t.get("TargetGroupArn")
        if not isinstance(arn, str):
            raise ValidationException("A target group ARN must be specified")  # [U]
        weight = t.get("Weight")
        if weight is not None and not 0 <= weight <= 999:
            raise ValidationException("A target group weight must be from 0 to 999")  # [U]
        action.forwards.append(Forward(arn, weight))
    sticky = (config or {}).get("TargetGroupStickinessConfig") or {}
    action.stickiness_enabled = sticky.get("Enabled")
    action.stickiness_seconds = sticky.get("DurationSeconds")
    seen: set[str] = set()
    for arn in action.target_groups():
        if arn in seen:
            raise ValidationException(f"Target group '{arn}' is specified twice")  # [U]
        seen.add(arn)
        _check_target_group(svc, ctx, lb, protocol, arn)


def _check_target_group(
    svc: Elbv2Core,
    ctx: RequestContext,
    lb: LoadBalancer,
    protocol: str,
    arn: str,
) -> None:
    tg = svc.target_group(ctx, arn)
    if tg.target_type == "lambda":
        if lb.type is not LbType.APPLICATION:
            raise IncompatibleProtocolsException(  # [U]
                "Lambda target groups can be used only with Application Load Balancers"
            )
    else:
        allowed = _TG_PROTOCOLS[lb.type]
        if tg.protocol not in allowed or (protocol == "TCP_UDP" and tg.protocol != "TCP_UDP"):
            raise IncompatibleProtocolsException(  # [U]
                f"The protocol of target group '{arn}' ({tg.protocol}) is not compatible with "
                f"the listener protocol {protocol}"
            )
        if tg.vpc_id != lb.vpc_id:
            raise InvalidConfigurationRequestException(  # [U]
                f"Target group '{arn}' is not in the same VPC as the load balancer"
            )
    others = [a for a in svc.load_balancers_using(ctx, arn) if a != lb.arn]
    if others:
        raise TargetGroupAssociationLimitException(  # [U]
            f"The following target groups cannot be associated with more than one load "
            f"balancer: {arn}"
        )


def _redirect(raw: dict[str, Any] | None, listener_protocol: str) -> dict[str, str]:
    if raw is None:
        raise ValidationException("RedirectConfig must be specified for a redirect action")
    config = {
        k: str(raw[k])
        for k in ("Protocol", "Port", "Host", "Path", "Query", "StatusCode")
        if raw.get(k) is not None
    }
    port = config.get("Port")
    if port is not None and port != "#{port}" and not (port.isdigit() and 1 <= int(port) <= 65535):
        raise ValidationException("The redirect port must be from 1 to 65535 or #{port}")  # [U]
    path = config.get("Path")
    if path is not None and not path.startswith("/"):
        raise ValidationException("The redirect path must start with '/'")  # [U]
    unchanged = {
        "Protocol": "#{protocol}",
        "Host": "#{host}",
        "Port": "#{port}",
        "Path": "/#{path}",
    }
    if all(config.get(k, v) == v for k, v in unchanged.items()):
        raise InvalidLoadBalancerActionException(  # [U]
            "The redirect must change at least one of protocol, host, port or path, "
            "to avoid a redirect loop"
        )
    if listener_protocol == "HTTPS" and config.get("Protocol") == "HTTP":
        raise InvalidLoadBalancerActionException("You can't redirect HTTPS to HTTP")  # [U]
    return config


def _fixed(raw: dict[str, Any] | None) -> dict[str, str]:
    if raw is None:
        raise ValidationException(  # [U]
            "FixedResponseConfig must be specified for a fixed-response action"
        )
    config = {
        k: str(raw[k])
        for k in ("MessageBody", "StatusCode", "ContentType")
        if raw.get(k) is not None
    }
    content_type = config.get("ContentType")
    if content_type is not None and content_type not in CONTENT_TYPES:
        raise ValidationException(  # [U]
            f"Content type '{content_type}' is not valid; valid values are "
            + ", ".join(CONTENT_TYPES)
        )
    return config


def wire_action(a: Action) -> dict[str, Any]:
    out: dict[str, Any] = {"Type": a.type}
    if a.order is not None:
        out["Order"] = a.order
    if a.type == "forward":
        # AWS answers a forward action with both forms (single ARN and ForwardConfig) [U]
        arns = a.target_groups()
        if len(arns) == 1:
            out["TargetGroupArn"] = arns[0]
        weights = {f.target_group_arn: f.weight for f in a.forwards}
        config: dict[str, Any] = {
            "TargetGroups": [
                {"TargetGroupArn": arn, "Weight": 1 if weights.get(arn) is None else weights[arn]}
                for arn in arns
            ]
        }
        sticky: dict[str, Any] = {"Enabled": bool(a.stickiness_enabled)}
        if a.stickiness_seconds is not None:
            sticky["DurationSeconds"] = a.stickiness_seconds
        config["TargetGroupStickinessConfig"] = sticky
        out["ForwardConfig"] = config
    elif a.redirect is not None:
        out["RedirectConfig"] = dict(a.redirect)
    elif a.fixed is not None:
        out["FixedResponseConfig"] = dict(a.fixed)
    return out
