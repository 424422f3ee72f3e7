"""An EventBridge-shaped event bus inside the Cloud.

Services publish events (``source``, ``detail-type``, ``detail``, ``resources``); the bus
stamps the envelope AWS uses (version, id, account, time from the clock, region) and delivers
to subscribers. EventBridge rules and targets plug in here later; today notebooks and tests
can subscribe directly and read :attr:`EventBus.history`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import Any

from simulator.core.ids import IdSource

Event = dict[str, Any]


class EventBus:
    def __init__(self, ids: IdSource, now: Callable[[], _dt.datetime]) -> None:
        self._ids = ids
        self._now = now
        self._subscribers: list[Callable[[Event], None]] = []
        self.history: list[Event] = []

    def subscribe(self, callback: Callable[[Event], None]) -> None:
        self._subscribers.append(callback)

    def publish(
        self,
        *,
        source: str,
        detail_type: str,
        account: str,
        region: str,
        detail: dict[str, Any],
        resources: list[str] | None = None,
    ) -> Event:
        event: Event = {
            "version": "0",
            "id": self._ids.uuid(),
            "detail-type": detail_type,
            "source": source,
            "account": account,
            "time": self._now().strftime("%Y-%m-%dT%H:%M:%SZ"),
            "region": region,
            "resources": list(resources or []),
            "detail": detail,
        }
        self.history.append(event)
        for callback in list(self._subscribers):
            callback(event)
        return event

    def dump(self) -> list[Event]:
        return list(self.history)

    def restore(self, data: list[Event]) -> None:
        self.history = list(data)
