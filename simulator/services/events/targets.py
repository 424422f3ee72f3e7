"""EventBridge rule targets: PutTargets, RemoveTargets, ListTargetsByRule,
ListRuleNamesByTarget, and the invocation of targets when a rule matches or fires.

Invocation goes through the handlers services register on the Cloud's event bus by the target
ARN's service (``core/events.py``: ``register_target("lambda", ...)``). A target whose service
has no handler yet, or whose handler raises, is recorded as a FAILED delivery with the reason,
in :attr:`TargetOps.deliveries`, so a learner can see why nothing happened. Facts: at most 5
targets per rule and 10 entries per PutTargets/RemoveTargets request (user guide, "Amazon
EventBridge quotas"); an ARN that is not an ARN is refused with "Parameter <arn> is not valid.
Reason: Provided Arn is not in correct format." (ValidationException).
"""

from __future__ import annotations

import copy
import json
import logging
import re
from typing import TYPE_CHECKING, Any

from simulator.core.context import RequestContext
from simulator.core.errors import NotSimulatedException, ValidationException
from simulator.core.events import Delivery, Event, TargetDeliveryError
from simulator.protocol.registry import operation
from simulator.services.events import paging
from simulator.services.events.errors import LimitExceededException
from simulator.services.events.model import (
    DeliveryRecord,
    DeliveryStatus,
    EventBusState,
    Rule,
    Target,
)

if TYPE_CHECKING:
    from simulator.services.base import ServiceEnv

log = logging.getLogger("simulator")

TARGETS_PER_RULE = 5
ENTRIES_PER_REQUEST = 10
DELIVERY_LOG_LIMIT = 10_000  # the newest deliveries kept (a rate(1 minute) rule runs all year)
_ARN = re.compile(r"arn:aws[\w-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:.+")
_PATH_STEP = re.compile(r"\.([^.\[\]]+)|\[(\d+)\]|\['([^']*)'\]")
_KNOWN = ("Id", "Arn", "RoleArn", "Input", "InputPath")


def rule_resource(svc: Any, ctx: RequestContext, p: dict[str, Any]) -> str:
    name = p.get("Name") or p.get("Rule") or "*"
    return f"arn:aws:events:{ctx.region}:{ctx.account_id}:rule/{name}"


def _path_steps(path: str) -> list[str | int] | None:
    """A JSONPath in dot or bracket notation (``$.detail.items[0]``) as steps, or None."""
    if not path.startswith("$"):
        return None
    steps: list[str | int] = []
    pos = 1
    while pos < len(path):
        m = _PATH_STEP.match(path, pos)
        if m is None:
            return None
        name, index, quoted = m.groups()
        steps.append(int(index) if index is not None else (name if name is not None else quoted))
        pos = m.end()
    return steps


def _extract(event: Event, steps: list[str | int]) -> Any:
    value: Any = event
    for step in steps:
        if isinstance(step, int) and isinstance(value, list) and step < len(value):
            value = value[step]
        elif isinstance(step, str) and isinstance(value, dict) and step in value:
            value = value[step]
        else:
            return None
    return copy.deepcopy(value)


class TargetOps:
    """Mixin for :class:`EventsService`: targets and their invocation."""

    env: ServiceEnv
    deliveries: list[DeliveryRecord]

    def bus(self, ctx: RequestContext, name: str | None) -> EventBusState:
        raise NotImplementedError

    def rule(self, ctx: RequestContext, name: str, bus: str | None) -> Rule:
        raise NotImplementedError

    @operation("PutTargets", resource=rule_resource)
    def put_targets(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        rule = self.rule(ctx, p["Rule"], p.get("EventBusName"))
        entries = p["Targets"]
        if len(entries) > ENTRIES_PER_REQUEST:
            raise ValidationException(
                "1 validation error detected: Value at 'targets' failed to satisfy constraint: "
                f"Member must have length less than or equal to {ENTRIES_PER_REQUEST}"
            )
        targets = [self._target(entry) for entry in entries]
        merged = dict(rule.targets)
        for target in targets:
            merged[target.target_id] = target
        if len(merged) > TARGETS_PER_RULE:
            raise LimitExceededException(
                f"The requested resource exceeds the maximum number allowed. A rule can have "
                f"at most {TARGETS_PER_RULE} targets."
            )
        rule.targets = merged
        return {"FailedEntryCount": 0, "FailedEntries": []}

    def _target(self, entry: dict[str, Any]) -> Target:
        arn = entry["Arn"]
        if not _ARN.fullmatch(arn):
            raise ValidationException(
                f"Parameter {arn} is not valid. Reason: Provided Arn is not in correct format."
            )
        given = [k for k in ("Input", "InputPath", "InputTransformer") if k in entry]
        if len(given) > 1:
            raise ValidationException(
                "Only one of Input, InputPath, or InputTransformer can be set for a target."
            )
        if "InputTransformer" in entry:
            raise NotSimulatedException(
                "EventBridge InputTransformer is not simulated by Secrets Lab yet; use Input "
                "or InputPath."
            )
        if "Input" in entry:
            try:
                json.loads(entry["Input"])
            except ValueError:
                raise ValidationException(
                    f"Input for target {entry['Id']} is not valid JSON text."
                ) from None
        if "InputPath" in entry and _path_steps(entry["InputPath"]) is None:
            raise ValidationException(
                f"InputPath for target {entry['Id']} is not a valid JSONPath."
            )
        return Target(
            target_id=entry["Id"],
            arn=arn,
            role_arn=entry.get("RoleArn"),
            input=entry.get("Input"),
            input_path=entry.get("InputPath"),
            extra={k: v for k, v in entry.items() if k not in _KNOWN},
        )

    @operation("RemoveTargets", resource=rule_resource)
    def remove_targets(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        rule = self.rule(ctx, p["Rule"], p.get("EventBusName"))
        ids = p["Ids"]
        if len(ids) > ENTRIES_PER_REQUEST:
            raise ValidationException(
                "1 validation error detected: Value at 'ids' failed to satisfy constraint: "
                f"Member must have length less than or equal to {ENTRIES_PER_REQUEST}"
            )
        # Ids that are not targets of the rule are ignored, as AWS does.
        rule.targets = {k: t for k, t in rule.targets.items() if k not in set(ids)}
        return {"FailedEntryCount": 0, "FailedEntries": []}

    @operation("ListTargetsByRule", read_only=True, resource=rule_resource)
    def list_targets_by_rule(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        rule = self.rule(ctx, p["Rule"], p.get("EventBusName"))
        chunk, extra = paging.page(list(rule.targets.values()), p)
        return {"Targets": [_wire(t) for t in chunk], **extra}

    @operation("ListRuleNamesByTarget", read_only=True)
    def list_rule_names_by_target(self, ctx: RequestContext, p: dict[str, Any]) -> dict[str, Any]:
        bus = self.bus(ctx, p.get("EventBusName"))
        names = sorted(
            r.name
            for r in bus.rules.values()
            if any(t.arn == p["TargetArn"] for t in r.targets.values())
        )
        chunk, extra = paging.page(names, p)
        return {"RuleNames": chunk, **extra}

    # -- invocation -----------------------------------------------------------------------
    def invoke_targets(self, rule: Rule, event: Event) -> None:
        for target in list(rule.targets.values()):
            self._invoke(rule, target, event)

    def _invoke(self, rule: Rule, target: Target, event: Event) -> None:
        if target.input is not None:
            payload: Any = json.loads(target.input)
        elif target.input_path is not None:
            payload = _extract(event, _path_steps(target.input_path) or [])
        else:
            payload = copy.deepcopy(event)
        handler = self.env.events.target_handler(target.arn)
        status, reason = DeliveryStatus.SUCCEEDED, None
        if handler is None:
            service = target.arn.split(":")[2]
            status = DeliveryStatus.FAILED
            reason = (
                f"No simulated service receives EventBridge deliveries for '{service}' targets "
                f"yet, so {target.arn} was not invoked."
            )
        else:
            delivery = Delivery(
                target.arn,
                target.target_id,
                rule.arn,
                rule.account_id,
                rule.region,
                copy.deepcopy(event),
                payload,
                target.role_arn,
            )
            try:
                handler(delivery)
            except TargetDeliveryError as exc:
                status, reason = DeliveryStatus.FAILED, str(exc)
            except Exception as exc:  # a bug in a target service must not stop the bus
                log.exception("target handler for %s failed", target.arn)
                status, reason = DeliveryStatus.FAILED, f"internal error in the target: {exc!r}"
        self.deliveries.append(
            DeliveryRecord(
                time=self.env.clock.now(),
                account_id=rule.account_id,
                region=rule.region,
                rule_name=rule.name,
                rule_arn=rule.arn,
                target_id=target.target_id,
                target_arn=target.arn,
                event_id=str(event.get("id")),
                source=str(event.get("source")),
                detail_type=str(event.get("detail-type")),
                status=status,
                reason=reason,
                payload=payload,
            )
        )
        if len(self.deliveries) > 2 * DELIVERY_LOG_LIMIT:
            del self.deliveries[:-DELIVERY_LOG_LIMIT]

    def deliveries_for(
        self, rule_name: str, account_id: str | None = None, region: str | None = None
    ) -> list[DeliveryRecord]:
        """The delivery log of one rule (any account and Region unless given), oldest first."""
        return [
            d
            for d in self.deliveries
            if d.rule_name == rule_name
            and (account_id is None or d.account_id == account_id)
            and (region is None or d.region == region)
        ]


def _wire(target: Target) -> dict[str, Any]:
    out: dict[str, Any] = {"Id": target.target_id, "Arn": target.arn, **target.extra}
    if target.role_arn is not None:
        out["RoleArn"] = target.role_arn
    if target.input is not None:
        out["Input"] = target.input
    if target.input_path is not None:
        out["InputPath"] = target.input_path
    return out
