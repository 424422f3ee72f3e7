"""SNS typed state: topics, their subscriptions and the delivery log. Everything here
round-trips through snapshots (``core/persist.py``)."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class SubscriptionStatus(StrEnum):
    PENDING = "PendingConfirmation"
    CONFIRMED = "Confirmed"


class DeliveryStatus(StrEnum):
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


@dataclass
class Topic:
    name: str
    arn: str
    account_id: str
    region: str
    created: _dt.datetime
    attributes: dict[str, str] = field(default_factory=dict)  # as given to CreateTopic
    tags: dict[str, str] = field(default_factory=dict)
    subscriptions_deleted: int = 0


@dataclass
class Subscription:
    arn: str
    topic_arn: str
    protocol: str
    endpoint: str
    owner: str
    status: SubscriptionStatus
    token: str | None = None  # the confirmation token while pending


@dataclass
class DeliveryRecord:
    """One notification handed (or not) to one subscription endpoint."""

    time: _dt.datetime
    topic_arn: str
    subscription_arn: str
    protocol: str
    endpoint: str
    message_id: str
    status: DeliveryStatus
    reason: str | None = None
    payload: Any = None


@dataclass
class SnsState:
    topics: dict[str, Topic] = field(default_factory=dict)  # by ARN
    subscriptions: dict[str, Subscription] = field(default_factory=dict)  # by ARN
