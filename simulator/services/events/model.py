"""EventBridge typed state: rules and their targets on each account's default bus, and the
delivery log. Everything here round-trips through snapshots (``core/persist.py``)."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class RuleState(StrEnum):
    ENABLED = "ENABLED"
    DISABLED = "DISABLED"
    # Also matches read-only management events delivered through CloudTrail.
    ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"


class DeliveryStatus(StrEnum):
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


@dataclass
class Target:
    target_id: str
    arn: str
    role_arn: str | None = None
    input: str | None = None
    input_path: str | None = None
    # Target parameters kept as given (ECS, Kinesis, SQS, retry policy...), for
    # ListTargetsByRule; only Lambda and SNS targets are invoked by the simulator so far.
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Rule:
    name: str
    arn: str
    event_bus: str
    account_id: str
    region: str
    state: RuleState
    event_pattern: str | None = None
    schedule_expression: str | None = None
    description: str | None = None
    role_arn: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    targets: dict[str, Target] = field(default_factory=dict)  # by target id, in added order
    schedule_job: int | None = None  # the scheduler job of the next scheduled run


@dataclass
class EventBusState:
    name: str
    arn: str
    rules: dict[str, Rule] = field(default_factory=dict)


@dataclass
class RegionState:
    buses: dict[str, EventBusState] = field(default_factory=dict)


@dataclass
class DeliveryRecord:
    """One attempt to invoke one target for one event: the log a learner reads."""

    time: _dt.datetime
    account_id: str
    region: str
    rule_name: str
    rule_arn: str
    target_id: str
    target_arn: str
    event_id: str
    source: str
    detail_type: str
    status: DeliveryStatus
    reason: str | None = None
    payload: Any = None  # what the target was given (the event, Input, or InputPath extract)
