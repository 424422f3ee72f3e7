"""The Cloud's event bus: the one seam through which events are published and delivered.

Services publish events (``source``, ``detail-type``, ``detail``, ``resources``); the bus stamps
the envelope EventBridge uses (version, id, account, time from the clock, region), keeps it in
:attr:`EventBus.history` and hands it to every subscriber. The EventBridge service subscribes
and matches the event against the rules of its account and Region
(``simulator/services/events``); notebooks and tests may subscribe too.

Publishing is re-entrant safe: an event published while another is being delivered (a target
that publishes in turn) waits in a FIFO queue, so subscribers always see events one at a time,
in the order they were published, which is clock order.

Rule targets are invoked through handlers registered here by the ARN's service part
(``"lambda"``, ``"sns"``...): a simulated service calls :meth:`EventBus.register_target` when it
starts, and EventBridge looks the handler up for each target it invokes. A handler marks a
failed invocation by raising :class:`TargetDeliveryError` with the reason.
"""

from __future__ import annotations

import datetime as _dt
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from simulator.core.ids import IdSource

Event = dict[str, Any]
DEFAULT_BUS = "default"


@dataclass(frozen=True)
class Delivery:
    """One invocation of a rule target: what a target handler receives."""

    target_arn: str
    target_id: str
    rule_arn: str
    account: str
    region: str
    event: Event  # the event that matched (or the scheduled event)
    payload: Any  # what the target is given: the event, the target's Input, or an InputPath
    role_arn: str | None = None


class TargetDeliveryError(Exception):
    """Raised by a target handler: the invocation failed, for the reason in the message."""


TargetHandler = Callable[[Delivery], None]
Subscriber = Callable[[Event, str], None]  # (event, name of the event bus it was put on)


class EventBus:
    def __init__(self, ids: IdSource, now: Callable[[], _dt.datetime]) -> None:
        self._ids = ids
        self._now = now
        self._subscribers: list[Subscriber] = []
        self._targets: dict[str, TargetHandler] = {}
        self.resolver: Callable[[str], object] | None = None  # creates a service by name
        self._queue: deque[tuple[Event, str]] = deque()
        self._draining = False
        self.history: list[Event] = []

    def __repr__(self) -> str:
        return f"<EventBus {len(self.history)} events, targets for {sorted(self._targets)}>"

    def subscribe(self, callback: Subscriber) -> None:
        self._subscribers.append(callback)

    # -- rule targets ---------------------------------------------------------------------
    def register_target(self, service: str, handler: TargetHandler) -> None:
        """Let EventBridge invoke targets whose ARN names ``service`` (``arn:aws:<service>:``)."""
        self._targets[service] = handler

    def target_handler(self, arn: str) -> TargetHandler | None:
        parts = arn.split(":", 3)
        if len(parts) <= 3:
            return None
        handler = self._targets.get(parts[2])
        if handler is None and self.resolver is not None:
            self.resolver(parts[2])  # the Cloud creates a service on first use
            handler = self._targets.get(parts[2])
        return handler

    # -- publishing -----------------------------------------------------------------------
    def publish(
        self,
        *,
        source: str,
        detail_type: str,
        account: str,
        region: str,
        detail: dict[str, Any],
        resources: list[str] | None = None,
        time: _dt.datetime | None = None,
        event_bus: str = DEFAULT_BUS,
    ) -> Event:
        """Stamp, record and deliver one event; returns the envelope.

        Events of AWS services always go to the account's default bus; ``time`` lets
        PutEvents carry the caller's own timestamp.
        """
        event: Event = {
            "version": "0",
            "id": self._ids.uuid(),
            "detail-type": detail_type,
            "source": source,
            "account": account,
            "time": (time or self._now()).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "region": region,
            "resources": list(resources or []),
            "detail": detail,
        }
        self.history.append(event)
        self._queue.append((event, event_bus))
        if not self._draining:
            self._drain()
        return event

    def _drain(self) -> None:
        self._draining = True
        try:
            while self._queue:
                event, bus = self._queue.popleft()
                for callback in list(self._subscribers):
                    callback(event, bus)
        finally:
            self._draining = False
            self._queue.clear()

    def dump(self) -> list[Event]:
        return list(self.history)

    def restore(self, data: list[Event]) -> None:
        self.history = list(data)
