"""EventBridge clients over both transports, and a recording target handler."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from simulator import Cloud
from simulator.core.events import Delivery, TargetDeliveryError
from tests.conftest import TRANSPORTS, both_transports


@pytest.fixture
def events(cloud: Cloud) -> Any:
    return cloud.client("events", region_name="us-east-1")


@pytest.fixture(params=TRANSPORTS)
def events_any(request: pytest.FixtureRequest, cloud: Cloud) -> Iterator[Any]:
    """The same EventBridge API over the botocore hook and over real HTTP."""
    yield from both_transports(request, cloud, "events")


class Recorder:
    """A stand-in target service: records deliveries, fails those for ARNs it is told to."""

    def __init__(self) -> None:
        self.received: list[Delivery] = []
        self.refuse: set[str] = set()

    def __call__(self, delivery: Delivery) -> None:
        if delivery.target_arn in self.refuse:
            raise TargetDeliveryError(f"function {delivery.target_arn} does not exist")
        self.received.append(delivery)


@pytest.fixture
def lambdas(cloud: Cloud) -> Recorder:
    recorder = Recorder()
    cloud.events.register_target("lambda", recorder)
    return recorder
